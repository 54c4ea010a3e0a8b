# Sourced by the checks of harness/check.d/ on what a run writes (formats-junit,
# formats-summary-schema, html-report), from the top of the checkout.
#   sample_run DIR     a small real run into DIR with every outcome a report must carry:
#                      two topics (epoll, fd); mutants of fixtures/mutants make epoll
#                      fail (epoll_ctl_upsert) and skip (epoll_pwait2_missing), and an
#                      expectation file (DIR.expect, with a link) turns one fail into an
#                      xfail. About a second; results/latest is not touched (--out).
#   need PKG CMD...    CMD succeeds (e.g. command -v xmllint), or as root with apt-get
#                      PKG is installed quietly and then it does; otherwise the check
#                      is skipped (exit 77, "not installed: PKG").

sample_run() {
	dir=$1
	rm -rf "$dir" "$dir.expect" "$dir.log"
	mkdir -p "$(dirname "$dir")"
	for m in epoll_pwait2_missing epoll_ctl_upsert; do
		[ -f "build/mutants/$m.so" ] || { echo "build/mutants/$m.so is not built (run make)"; return 1; }
	done
	echo 'epoll/oneshot:*oneshot_disabled_fd_stays_registered   an upsert interest list re-adds a disabled one-shot descriptor https://man7.org/linux/man-pages/man2/epoll_ctl.2.html' >"$dir.expect"
	timeout 60 perl harness/sysconform --out "$dir" --label formats-sample -j 2 --timeout 20 \
		--preload build/mutants/epoll_pwait2_missing.so:build/mutants/epoll_ctl_upsert.so \
		--expect "$dir.expect" epoll fd >"$dir.log" 2>&1
	rc=$?
	if [ $rc -gt 1 ] || [ ! -f "$dir/summary.json" ]; then
		echo "the sample run failed (exit $rc; log $dir.log):"
		tail -n 5 "$dir.log"
		return 1
	fi
}

need() {
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		mkdir -p build/formats-check
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q --no-install-recommends "$pkg" >build/formats-check/apt.log 2>&1 ||
			{ apt-get update -q >>build/formats-check/apt.log 2>&1 &&
			  apt-get install -y -q --no-install-recommends "$pkg" >>build/formats-check/apt.log 2>&1; }
		"$@" >/dev/null 2>&1 && return 0
	fi
	echo "not installed: $pkg"
	exit 77
}
