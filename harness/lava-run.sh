#!/bin/sh
# lava-run.sh: run sysconform as a LAVA job here, with Debian's lava-dispatcher
# (lava-run, no server): boots a Debian kernel under qemu-system-x86_64 (TCG) with an
# initramfs of the static test programs and records one LAVA result per case.
#   harness/lava-run.sh [--kernel-package NAME] [--validate]
# --kernel-package: default linux-image-6.1.0-57-cloud-amd64 (fetched and unpacked by
# harness/qemu-run --prepare, into build/qemu/kernels or $SYSCONFORM_QEMU_DIR).
# --validate: build everything and let lava-run validate the job, boot nothing.
# Files: build/lava/images (vmlinuz, the initramfs), build/lava/job.yaml (the job of
# ci/lava/sysconform-qemu.yaml with the images' directory filled in), build/lava/job.log
# (lava-run's YAML log), build/lava/results.yaml (what LAVA recorded: one entry per
# result, as lava-server's results.yaml). lava-run itself works in
# /var/lib/lava/dispatcher/tmp/<job id>/ and removes it at the end.
# Exit status: 0 when LAVA recorded the job complete with no failed case; 1 otherwise;
# 2 when it could not be run.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PKG=linux-image-6.1.0-57-cloud-amd64 VALIDATE=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-package) PKG=$2; shift 2 ;;
	--validate) VALIDATE=--validate; shift ;;
	*) echo "usage: harness/lava-run.sh [--kernel-package NAME] [--validate]" >&2; exit 2 ;;
	esac
done
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
sed "s|@LAVA_IMAGES@|$W/images|g" ci/lava/sysconform-qemu.yaml >"$W/job.yaml"

JOB=sysconform-$$
set +e
timeout 1500 lava-run --job-id "$JOB" --output-dir "$W/out" --device ci/lava/qemu-device.yaml \
	$VALIDATE "$W/job.yaml" 2>"$W/job.log"
rc=$?
set -e
[ -n "$VALIDATE" ] && { tail -3 "$W/job.log"; exit $rc; }
# What LAVA recorded: the "results" entries of its log, and a count per definition/result.
/usr/bin/python3 - "$W/job.log" "$W/results.yaml" $rc <<'PY'
import sys, yaml, collections
log, out, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
results, errors = [], []
for line in open(log):
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
with open(out, "w") as f:
    yaml.safe_dump(results, f, sort_keys=False)
count = collections.Counter((r["definition"], r["result"]) for r in results)
for (d, r), n in sorted(count.items()):
    print(f"lava: {d:10} {r:5} {n}")
job = [r for r in results if r["definition"] == "lava" and r["case"] == "job"]
print("lava: job", job[0]["result"] if job else "not recorded", f"(lava-run exit {rc}):",
      f"{sum(1 for r in results if r['definition'] == 'sysconform')} cases recorded in {out}")
for e in errors[:5]:
    print("lava: error:", e)
bad = rc != 0 or not job or job[0]["result"] != "pass" or \
      any(r["definition"] == "sysconform" and r["result"] == "fail" for r in results)
sys.exit(1 if bad else 0)
PY
