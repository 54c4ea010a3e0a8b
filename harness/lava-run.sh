#!/bin/sh
# lava-run.sh: run sysconform as a LAVA job here, with Debian's lava-dispatcher
# (lava-run, no server): boots a Debian kernel under qemu-system-x86_64 (TCG) with an
# initramfs of the static test programs and records one LAVA result per case.
#   harness/lava-run.sh [--kernel-package NAME] [--validate] [--compare] [JOB.yaml...]
# JOB: default every job of ci/lava/ (sysconform-qemu.yaml: a monitor action;
# sysconform-qemu-shell.yaml: LAVA's test shell and lava-test-case), one after the other.
# --kernel-package: default linux-image-6.1.0-57-cloud-amd64 (fetched and unpacked by
# harness/qemu-run --prepare, into build/qemu/kernels or $SYSCONFORM_QEMU_DIR).
# --validate: build everything and let lava-run validate the job, boot nothing.
# --compare: also run the same kernel with the runner (./run.sh --kernel-package, TMPDIR
# on a tmpfs and one program at a time as in the LAVA guest; into build/lava-runner) and
# compare its verdicts with what LAVA recorded, case by case (a difference fails, but
# for a pass in one and a skip in the other, which is only shown).
# Files: build/lava/images (vmlinuz, the initramfs), and for each JOB build/lava/JOB/:
# job.yaml (the job with the images' directory filled in), job.log (lava-run's YAML
# log), results.yaml (what LAVA recorded: one entry per result, as lava-server's).
# lava-run itself works in /var/lib/lava/dispatcher/tmp/sysconform-PID/ (removed after).
# Exit status: 0 when LAVA recorded each job complete with no failed case, and as many
# results as the guest printed case lines (and, --compare, the runner's verdicts); 1
# otherwise; 2 when it could not be run.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PKG=linux-image-6.1.0-57-cloud-amd64 VALIDATE='' COMPARE='' JOBS=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-package) PKG=$2; shift 2 ;;
	--validate) VALIDATE=--validate; shift ;;
	--compare) COMPARE=1; shift ;;
	-*) echo "usage: harness/lava-run.sh [--kernel-package NAME] [--validate] [--compare] [JOB.yaml...]" >&2; exit 2 ;;
	*) JOBS="$JOBS $1"; shift ;;
	esac
done
if [ -z "$JOBS" ]; then
	for j in ci/lava/*.yaml; do case $j in *-device.yaml) ;; *) JOBS="$JOBS $j" ;; esac; done
fi
command -v lava-run >/dev/null || { echo "lava-run.sh: not installed: lava-dispatcher" >&2; exit 2; }
BB=/bin/busybox
if ! [ -x $BB ] || ! file -L $BB | grep -q "statically linked"; then
	echo "lava-run.sh: not installed: busybox-static" >&2; exit 2
fi

W=$ROOT/build/lava
rm -rf "$W" && mkdir -p "$W/images" "$W/root/bin" "$W/root/sysconform/build"
make -s STATIC=1 tools tests
harness/qemu-run --kernel-package "$PKG" --prepare >"$W/prepare.log" ||
	{ cat "$W/prepare.log" >&2; exit 2; }
Q=${SYSCONFORM_QEMU_DIR:-$ROOT/build/qemu}
cp "$Q/kernels/$PKG"/boot/vmlinuz-* "$W/images/vmlinuz"

# The initramfs: busybox and its applets, the static build (without its debug
# information: a quarter of the size), ci/lava/guest-init.sh as /init.
cp $BB "$W/root/bin/busybox"
for a in $($BB --list); do [ -e "$W/root/bin/$a" ] || ln -s busybox "$W/root/bin/$a"; done
ln -s bin "$W/root/sbin"
mkdir -p "$W/root/proc" "$W/root/sys" "$W/root/dev" "$W/root/tmp" "$W/root/run" "$W/root/root"
mkdir -p "$W/root/sysconform/build/static/harness"
cp build/static/harness/sc-run build/static/harness/sc-batch build/static/harness/features \
	build/static/harness/sc-exec-helper "$W/root/sysconform/build/static/harness/"
(cd build/static && find tests -type f -perm -u+x) | while read -r p; do
	mkdir -p "$W/root/sysconform/build/static/$(dirname "$p")"
	strip --strip-debug -o "$W/root/sysconform/build/static/$p" "build/static/$p"
done
cp ci/lava/guest-init.sh "$W/root/init"
(cd "$W/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$W/images/sysconform-initramfs.cpio.gz"
rm -rf "$W/root"
RUNNER=
if [ -n "$COMPARE" ]; then
	latest=$(readlink results/latest 2>/dev/null || true)
	SYSCONFORM_QEMU_OPTS='--scratch tmpfs' ./run.sh -j 1 --kernel-package "$PKG" \
		--out "$ROOT/build/lava-runner" >"$W/runner.log" 2>&1 || true
	if [ -n "$latest" ]; then ln -sfn "$latest" results/latest; else rm -f results/latest; fi
	RUNNER=$ROOT/build/lava-runner/summary.json
fi

# What LAVA recorded: the "results" entries of a job's log, a count per definition and
# result, and the comparison with the runner's verdicts.
summarize() {
	/usr/bin/python3 - "$@" <<'PY'
import json, re, sys, yaml, collections
log, out, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
results, errors, printed = [], [], 0
for line in open(log):
    # the guest's case lines, as lava-run logged the console: all must be results
    if '"lvl": "target", "msg": "sysconform: ' in line and \
       any(f'"msg": "sysconform: {r} ' in line for r in ("pass", "fail", "skip")):
        printed += 1
    line = line.strip()
    if not line.startswith("- {") and not line.startswith("{"):
        continue
    try:
        entry = yaml.safe_load(line.lstrip("- "))
    except yaml.YAMLError:
        continue
    if isinstance(entry, dict) and entry.get("lvl") == "results":
        results.append(entry["msg"])
    elif isinstance(entry, dict) and entry.get("lvl") == "error":
        errors.append(entry["msg"])
# the suite's results: test suite "sysconform" (a monitor) or "N_sysconform" (the Nth
# test definition of a test shell); the case id as the guest printed it
ours = [r for r in results if re.fullmatch(r"(\d+_)?sysconform", r["definition"])]
case_id = lambda r: r.get("extra", {}).get("test_case_id", r["case"])
with open(out, "w") as f:
    yaml.safe_dump(results, f, sort_keys=False)
count = collections.Counter((r["definition"], r["result"]) for r in results)
for (d, r), n in sorted(count.items()):
    print(f"lava: {d:10} {r:5} {n}")
job = [r for r in results if r["definition"] == "lava" and r["case"] == "job"]
print("lava: job", job[0]["result"] if job else "not recorded", f"(lava-run exit {rc}):",
      f"{len(ours)} cases recorded in {out}")
cases = len(ours)
if cases != printed:
    print(f"lava: the guest printed {printed} case lines, LAVA recorded {cases} results")
for e in errors[:5]:
    print("lava: error:", e)
differ, serious = [], []
if len(sys.argv) > 4:
    runner = {c["id"]: c["status"] for c in json.load(open(sys.argv[4]))["cases"]}
    lava = {case_id(r): r["result"] for r in ours}
    differ = [(k, runner.get(k, "absent"), lava.get(k, "absent"))
              for k in sorted(set(runner) | set(lava)) if runner.get(k) != lava.get(k)]
    # pass on one side and skip on the other: checked in one run only (a skip such as
    # io/append's "needs writers that run at the same time" depends on the guest's
    # timing); anything else is a disagreement
    serious = [d for d in differ if {d[1], d[2]} != {"pass", "skip"}]
    print(f"lava: against the runner on the same kernel ({sys.argv[4]}): {len(runner)} cases,",
          f"{len(differ)} verdicts differ, {len(differ) - len(serious)} of them pass/skip")
    for k, a, b in differ[:20]:
        print(f"lava:    {k}: runner {a}, LAVA {b}")
bad = rc != 0 or not job or cases == 0 or cases != printed or serious or job[0]["result"] != "pass" or \
      any(r["result"] == "fail" for r in ours)
sys.exit(1 if bad else 0)
PY
}

status=0
for J in $JOBS; do
	O=$W/$(basename "$J" .yaml)
	mkdir -p "$O"
	sed "s|@LAVA_IMAGES@|$W/images|g" "$J" >"$O/job.yaml"
	echo "lava: $J"
	set +e
	timeout 1500 lava-run --job-id "sysconform-$$" --output-dir "$O/out" --device ci/lava/qemu-device.yaml \
		$VALIDATE "$O/job.yaml" 2>"$O/job.log"
	rc=$?
	set -e
	rm -rf "/var/lib/lava/dispatcher/tmp/sysconform-$$"	# what lava-run --validate leaves
	if [ -n "$VALIDATE" ]; then
		tail -n 1 "$O/job.log"
		[ $rc = 0 ] || status=1
		continue
	fi
	summarize "$O/job.log" "$O/results.yaml" $rc ${RUNNER:+"$RUNNER"} || status=1
done
exit $status
