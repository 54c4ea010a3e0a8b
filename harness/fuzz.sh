#!/bin/sh
# Fuzz the readers of the runner's input (a program's output, summary.json, expectation
# files) for SECONDS (default 180): zzuf mutates the seeds (fixtures/tap, fixtures/expect,
# harness/t/garbage) at random ratios and harness/fuzz.pl reads each mutation. Inputs
# that fail are kept in build/fuzz/failed/ (copy the small ones to harness/t/garbage/,
# where harness/t/garbage.t reads them on every make check).
#   harness/fuzz.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-180}
# zzuf (Debian's package): installed as root when missing, as harness/setup.sh does
if ! command -v zzuf >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q zzuf >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q zzuf >/dev/null 2>&1; }
fi
command -v zzuf >/dev/null 2>&1 || { echo "fuzz: zzuf is not installed (apt-get install zzuf)" >&2; exit 2; }
out=build/fuzz
rm -rf "$out"
mkdir -p "$out/in" "$out/failed"
end=$(($(date +%s) + secs))
seed=0 inputs=0
while [ "$(date +%s)" -lt "$end" ]; do
	rm -f "$out"/in/*
	for f in fixtures/tap/*.tap fixtures/expect/*.expect harness/t/garbage/*; do
		ext=${f##*.}
		# 100 mutations of each seed per round, 0.01 % to 5 % of the bits flipped
		i=0
		while [ $i -lt 100 ]; do
			zzuf -s $seed -r 0.0001:0.05 cat "$f" > "$out/in/$seed.$ext"
			seed=$((seed + 1)) i=$((i + 1))
		done
	done
	inputs=$((inputs + $(find "$out/in" -type f | wc -l)))
	timeout 600 perl harness/fuzz.pl "$out"/in/* > "$out/round.log" || true
	sed 's/^FAIL \([^:]*\):.*/\1/' "$out/round.log" | while read -r f; do cp "$f" "$out/failed/"; done
	cat "$out/round.log"
done
n=$(find "$out/failed" -type f | wc -l)
echo "fuzz: $inputs inputs in ${secs} s (zzuf seeds 0..$((seed - 1))), $n failed$( [ "$n" = 0 ] || echo ": build/fuzz/failed/")"
[ "$n" = 0 ]
