#!/usr/bin/env bash
# tests/run-all.sh as the README describes it: suites side by side in LANES
# lanes, the ones named in SOLO (test_store_rest) after the others and
# alone, every suite's line with its CPU seconds, HTTP suites only on the
# builds in HTTP_BUILDS, and a failing or silent suite failing the whole.  Run on a made-up build folder whose "unit
# suites" are scripts that record when they start and end.
. "$(dirname "$0")/lib.sh"

FAKE="$TMP/fake-build"
mkdir -p "$FAKE/tests"
export TIMES="$TMP/times"
: >"$TIMES"
# suite NAME SECONDS [LAST LINE]
suite() {
	cat >"$FAKE/tests/$1" <<SUITE
#!/usr/bin/env bash
echo "start $1 \$(date +%s.%N)" >>"\$TIMES"
sleep $2
echo "end $1 \$(date +%s.%N)" >>"\$TIMES"
echo "${3:-3 passed, 0 failed}"
SUITE
	chmod +x "$FAKE/tests/$1"
}
suite test_a 1
suite test_b 2
suite test_store_rest 0.2

LANES=2 BUILDS="$FAKE" bash "$ROOT/tests/run-all.sh" unit >"$TMP/out" 2>&1
check_eq "three suites that pass: run-all passes" "$?" "0"
check "  ... and sums them" grep -qx "9 passed, 0 failed" "$TMP/out"
check "  ... each line with its wall time and CPU seconds" \
	grep -qE "^ok +unit/test_a +3 passed +\([0-9]+s, [0-9]+s CPU\)$" "$TMP/out"
at() { awk -v w="$1 $2" '$1 " " $2 == w { print $3 }' "$TIMES"; }
# before X Y: X happened before Y (times as seconds since the epoch)
before() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x < y) }'; }
check "  ... test_a and test_b side by side (b starts before a ends)" \
	bash -c "$(declare -f before); before '$(at start test_b)' '$(at end test_a)' && before '$(at start test_a)' '$(at end test_b)'"
check "  ... test_store_rest after both have ended" \
	bash -c "$(declare -f before); before '$(at end test_a)' '$(at start test_store_rest)' && before '$(at end test_b)' '$(at start test_store_rest)'"

# make test: unit suites on every build, HTTP suites only on HTTP_BUILDS.
LANES=2 BUILDS="$FAKE" HTTP_BUILDS="build-elsewhere" bash "$ROOT/tests/run-all.sh" http >"$TMP/out" 2>&1
check "a build not in HTTP_BUILDS runs no HTTP suite" grep -qx "0 passed, 0 failed" "$TMP/out"
check "  ... and names none" no_match -q "http/" "$TMP/out"
LANES=2 BUILDS="$FAKE" HTTP_BUILDS="build-elsewhere" bash "$ROOT/tests/run-all.sh" unit >"$TMP/out" 2>&1
check "  ... but still runs its unit suites" grep -qx "9 passed, 0 failed" "$TMP/out"

suite test_b 0 "2 passed, 1 failed"
LANES=2 BUILDS="$FAKE" bash "$ROOT/tests/run-all.sh" unit >"$TMP/out" 2>&1
check_eq "a suite with a failure: run-all fails" "$?" "1"
check "  ... and names it" grep -q "^FAIL  unit/test_b" "$TMP/out"
suite test_b 0 "no count line: a crash"
LANES=2 BUILDS="$FAKE" bash "$ROOT/tests/run-all.sh" unit >"$TMP/out" 2>&1
check_eq "a suite that ends without its count: run-all fails" "$?" "1"
check "  ... counted as one failure" grep -qx "6 passed, 1 failed" "$TMP/out"
finish
