#!/usr/bin/env bash
# Runs the test suites and sums their results.  Every suite prints its own
# "N passed, M failed" as its last such line; a suite that ends without one
# (a crash) counts as one failure.  Ends with the total line and exits
# non-zero if anything failed.
#
#   BUILDS="build build-san" tests/run-all.sh [all|unit|http|fuzz|browser]
#
# "all" is what make test runs: the unit and HTTP suites once per build
# folder in BUILDS, and a short run of every fuzz target (build-fuzz/,
# FUZZ_SECONDS each, default 3; `make fuzz` runs them for longer) after the
# first.  HTTP suites named in FIRST_BUILD_ONLY check what does not depend
# on the build (headers), so they run on the first build only.
#
# "browser" (make browser; CI runs it after make test) drives Chromium
# through every page a person sees, on the first build: page-audit loads
# each page three times, so these suites take longer than make test's
# budget and are their own target, like make fuzz.  They run in
# BROWSER_LANES lanes (default 2): they wait on Chromium and on their
# servers as much as they compute, so side by side they fill two cores.
set -u
cd "$(dirname "$0")/.."
BUILDS=${BUILDS:-build}
which=${1:-all}
FIRST_BUILD_ONLY="test_headers test_container test_ci"
passed=0
failed=0
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

run_suite() {
	local name=$1
	shift
	local log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	local start=$SECONDS
	"$@" >"$log" 2>&1
	local status=$?
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	local p=0 f=1
	if [ -n "$line" ]; then
		p=$(echo "$line" | awk '{print $1}')
		f=$(echo "$line" | awk '{print $3}')
		# A suite that says it passed but exits non-zero still failed.
		if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then f=1; fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		printf 'ok    %-28s %4d passed  (%ds)\n' "$name" "$p" $((SECONDS - start))
	else
		printf 'FAIL  %-28s %4d passed, %d failed (exit %d)\n' "$name" "$p" "$f" "$status"
		sed 's/^/      | /' "$log" | grep -v '^      | ok ' | tail -n 40
	fi
}

# The browser suites, longest first (from a CI run: seconds on 2 cores), so
# that lanes taking the next free suite end close together; a new suite
# not listed here runs last.
BROWSER_ORDER="staff_pages builder analyse report accounts your_account display pages kiosk tally results flow yousaid keys ballot rounds tally_offline"
browser_suites() {
	local n t
	for n in $BROWSER_ORDER; do
		[ -f "tests/browser/test_$n.sh" ] && echo "tests/browser/test_$n.sh"
	done
	for t in tests/browser/test_*.sh; do
		n=$(basename "$t" .sh)
		[[ " $BROWSER_ORDER " == *" ${n#test_} "* ]] || echo "$t"
	done
}

# browser_lane N: takes the next browser suite no lane has claimed (mkdir
# is the atomic claim) until none is left; its report and counts go to
# $logdir/lane.N.*.
browser_lane() {
	local t
	(
		passed=0
		failed=0
		for t in $(browser_suites); do
			mkdir "$logdir/claim.$(basename "$t")" 2>/dev/null || continue
			run_suite "browser/$(basename "$t" .sh)" bash "$t"
		done
		echo "$passed $failed" >"$logdir/lane.$1.counts"
	) >"$logdir/lane.$1.out" 2>&1
}
browser_pids=()

first=1
for BUILD in $BUILDS; do
	export BUILD
	tag=""
	[ "$BUILD" = build-san ] && tag=" [asan]"
	if [ "$which" = all ] || [ "$which" = unit ]; then
		found=0
		for t in "$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			found=1
			run_suite "unit/$(basename "$t")$tag" "$t"
		done
		# No unit binaries means the build is broken, not that all is well.
		[ $found = 1 ] || run_suite "unit binaries in $BUILD" false
	fi
	if [ "$which" = all ] || [ "$which" = http ]; then
		for t in tests/http/test_*.sh; do
			[ $first = 0 ] && [[ " $FIRST_BUILD_ONLY " == *" $(basename "$t" .sh) "* ]] && continue
			run_suite "http/$(basename "$t" .sh)$tag" bash "$t"
		done
	fi
	if [ $first = 1 ] && { [ "$which" = all ] || [ "$which" = fuzz ]; }; then
		run_suite "fuzz (${FUZZ_SECONDS:-3}s a target)" env FUZZ_SECONDS="${FUZZ_SECONDS:-3}" bash tests/fuzz/run.sh
	fi
	if [ $first = 1 ] && [ "$which" = browser ]; then
		bash tests/browser/prepare.sh
		for lane in $(seq 1 "${BROWSER_LANES:-2}"); do
			browser_lane "$lane" &
			browser_pids+=("$!")
		done
	fi
	first=0
done

for i in "${!browser_pids[@]}"; do
	wait "${browser_pids[$i]}"
	cat "$logdir/lane.$((i + 1)).out"
	read -r bp bf <"$logdir/lane.$((i + 1)).counts" 2>/dev/null || { bp=0; bf=1; }
	passed=$((passed + bp))
	failed=$((failed + bf))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
