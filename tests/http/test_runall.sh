#!/usr/bin/env bash
# tests/run-all.sh as the README describes it: suites side by side in LANES
# lanes, the ones named in SOLO (test_store_rest) after the others and
# alone, every suite's line with its CPU seconds, HTTP suites only on the
# builds in HTTP_BUILDS and their PostgreSQL pass on PG_HTTP_BUILDS, every
# HTTP suite queued before the unit suites, the suites' temporary folders
# on /dev/shm (tmpfs) where it has room, and a failing or silent suite
# failing the whole.  Run on a made-up build folder whose "unit suites" are
# scripts that record when they start and end (and their TMPDIR).
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
echo "tmpdir $1 \${TMPDIR:-}" >>"\$TIMES"
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

# The suites' temporary folders: on /dev/shm where it is a tmpfs with 4 GB
# free, in a folder named .../tmp made for the run and removed after it;
# elsewhere (or with YV_TEST_TMPFS=0) in the caller's TMPDIR.
tmp_of() { awk -v n="$1" '$1 == "tmpdir" && $2 == n { print $3 }' "$TIMES" | tail -n 1; }
T=$(tmp_of test_a)
if [ "${YV_TEST_TMPFS:-1}" = 1 ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge 4194304 ] && [ -w /dev/shm ]; then
	check "a suite's TMPDIR is a folder .../tmp on /dev/shm (tmpfs): $T" \
		bash -c "[[ '$T' == /dev/shm/yv-tests.*/tmp ]]"
	check "  ... removed when run-all ends" test ! -e "${T%/tmp}"
else
	check_eq "YV_TEST_TMPFS=0, or no tmpfs with 4 GB free at /dev/shm: a suite's TMPDIR is the caller's" "$T" "${TMPDIR:-}"
fi
: >"$TIMES"
YV_TEST_TMPFS=0 LANES=2 BUILDS="$FAKE" bash "$ROOT/tests/run-all.sh" unit >"$TMP/out" 2>&1
check_eq "YV_TEST_TMPFS=0: a suite's TMPDIR is the caller's" "$(tmp_of test_a)" "${TMPDIR:-}"

# The queue (RUNALL_LIST=1 prints it and runs nothing): the SQLite pass of
# the HTTP suites on HTTP_BUILDS, their PostgreSQL pass and
# test_two_servers on PG_HTTP_BUILDS, every HTTP suite queued before the
# first unit suite.
REL="$TMP/build-rel"
SAN="$TMP/build-sanitized"
mkdir -p "$REL/tests" "$SAN/tests"
for b in "$REL" "$SAN"; do cp "$FAKE/tests/test_a" "$b/tests/"; done
RUNALL_LIST=1 BUILDS="$REL $SAN" HTTP_BUILDS="$SAN" PG_HTTP_BUILDS="$REL" \
	bash "$ROOT/tests/run-all.sh" all >"$TMP/list" 2>&1
sed -n '2,/^--$/p' "$TMP/list" | grep -v '^--$' >"$TMP/queue"
check "RUNALL_LIST: the HTTP suites' PostgreSQL pass is queued" grep -q $'^http/test_survey \\[postgresql\\]\t' "$TMP/queue"
check_eq "  ... on PG_HTTP_BUILDS only" \
	"$(grep '^http/.*\[postgresql\]' "$TMP/queue" | cut -f2 | sort -u)" "$REL"
check_eq "  ... test_two_servers once, there" "$(grep '^http/test_two_servers' "$TMP/queue" | cut -f2)" "$REL"
check_eq "  ... the SQLite pass on HTTP_BUILDS only" \
	"$(grep '^http/' "$TMP/queue" | grep -v 'postgresql\|two_servers' | cut -f2 | sort -u)" "$SAN"
check "  ... unit suites on both builds" bash -c "grep -q \$'^unit/test_a\t$REL\$' '$TMP/queue' && grep -q \$'^unit/test_a\t$SAN\$' '$TMP/queue'"
check "  ... every HTTP suite before the first unit suite" \
	awk '/^unit\// { u = 1 } /^http\// && u { bad = 1 } END { exit bad || !u }' "$TMP/queue"
# make -n prints make test's commands (the builds' too) and runs none.
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -n --no-print-directory -C "$ROOT" test >"$TMP/make-n" 2>&1
check "make test: HTTP suites on build-san, no PostgreSQL pass of them (make http's)" \
	grep -q 'BUILDS="build build-san" HTTP_BUILDS=build-san PG_HTTP_BUILDS="" LANES=' "$TMP/make-n"
cp "$FAKE/tests/test_a" "$SAN/tests/test_store_both"  # a store suite PG_UNIT_SUITES names
RUNALL_LIST=1 BUILDS="$REL $SAN" HTTP_BUILDS="$SAN" PG_HTTP_BUILDS="" \
	bash "$ROOT/tests/run-all.sh" all >"$TMP/list" 2>&1
check_eq "PG_HTTP_BUILDS empty (make test): no HTTP suite queued on PostgreSQL" \
	"$(grep -c '^http/.*\[postgresql\]\|^http/test_two_servers' "$TMP/list")" "0"
check "  ... the HTTP suites still queued on SQLite" grep -q $'^http/test_survey\t' "$TMP/list"
check "  ... and the store's PostgreSQL unit suites" grep -q '^unit/test_store_both \[postgresql\]' "$TMP/list"
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -n --no-print-directory -C "$ROOT" SANITIZE=1 test >"$TMP/make-n" 2>&1
check "make SANITIZE=1 test: the PostgreSQL pass on build-san" \
	grep -q 'BUILDS="build-san" HTTP_BUILDS=build-san PG_HTTP_BUILDS="build-san" LANES=' "$TMP/make-n"
# (Unset here: make test exports PG_HTTP_BUILDS to this suite.)
env -u PG_HTTP_BUILDS RUNALL_LIST=1 BUILDS="$REL $SAN" HTTP_BUILDS="$SAN" bash "$ROOT/tests/run-all.sh" all >"$TMP/list" 2>&1
check_eq "without PG_HTTP_BUILDS (make http): the PostgreSQL pass on HTTP_BUILDS" \
	"$(grep '^http/.*\[postgresql\]\|^http/test_two_servers' "$TMP/list" | cut -f2 | sort -u)" "$SAN"

# The suites call Debian's python3 by its path, never the first on PATH
# (tests/http/lib.sh says why).
check_eq "no suite calls Python from PATH: each names /usr/bin/python3" \
	"$(grep -rnE '(^|[^/[:alnum:]_-])python3[ '"'"'"]' --include='*.sh' "$ROOT/tests" "$ROOT/scripts/compose-check.sh" |
		grep -v '^[^:]*:[0-9]*:[[:space:]]*#' | grep -v node_modules)" ""

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
