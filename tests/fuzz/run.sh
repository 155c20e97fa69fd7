#!/usr/bin/env bash
# tests/fuzz/run.sh - runs every libFuzzer target in build-fuzz/ for
# FUZZ_SECONDS each (one at a time: the machine is shared), starting from
# the committed seeds in tests/fuzz/corpus/<target>/ (so every input that
# once crashed is replayed first) plus what earlier runs found, kept in
# build-fuzz/corpus/<target>/.  A target passes if it ends without a crash,
# leak, timeout or sanitizer report; a crashing input is kept in
# build-fuzz/artifacts/.  Ends with "N passed, M failed".
#
#   FUZZ_SECONDS=60 bash tests/fuzz/run.sh [TARGET...]
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
passed=0
failed=0
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for b in "$FUZZ_BUILD"/fuzz_*; do
		[ -x "$b" ] && targets+=("$(basename "$b" | sed 's/^fuzz_//')")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "FAIL - no fuzz targets in $FUZZ_BUILD (make fuzz-build)"
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$FUZZ_BUILD/artifacts"
for t in "${targets[@]}"; do
	work="$FUZZ_BUILD/corpus/$t"
	mkdir -p "$work"
	log="$FUZZ_BUILD/fuzz_$t.log"
	# The first folder takes new inputs; the committed seeds stay as they are.
	"$FUZZ_BUILD/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=20000 -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/$t-" \
		"$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $status -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - fuzz_$t: ${runs:-?} inputs in ${SECONDS_EACH}s, no crash"
	else
		failed=$((failed + 1))
		echo "FAIL - fuzz_$t (exit $status); the input is in $FUZZ_BUILD/artifacts/"
		grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' "$log" | head -n 10
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
