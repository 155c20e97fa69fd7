#!/usr/bin/env bash
# .ci/run as the README describes it: make test, then make http (the HTTP
# suites on the release build), then make browser, each even when one
# before it fails, and CI fails when any does.  Run with
# stand-ins for make and apt-get on PATH that record their arguments.
. "$(dirname "$0")/lib.sh"

BIN="$TMP/bin"
mkdir -p "$BIN"
cat >"$BIN/make" <<'MAKE'
#!/usr/bin/env bash
echo "make $*" >>"$CALLS"
[ "$*" != "${FAIL_TARGET:-none}" ]
MAKE
printf '#!/bin/sh\necho "apt-get $*" >>"$CALLS"\n' >"$BIN/apt-get"
chmod +x "$BIN/make" "$BIN/apt-get"

# ci FAIL_TARGET: runs .ci/run with that target failing; sets STATUS and CALLS.
ci() {
	export CALLS="$TMP/calls.$1"
	: >"$CALLS"
	FAIL_TARGET=$1 PATH="$BIN:$PATH" bash "$ROOT/.ci/run" >/dev/null 2>&1
	STATUS=$?
}
ci none
check_eq "all pass: CI passes" "$STATUS" "0"
check_eq "  ... make test, then make http, then make browser" "$(grep '^make' "$CALLS" | tr '\n' ';')" "make test;make http;make browser;"
ci test
check_eq "make test fails: CI fails" "$STATUS" "1"
check_eq "  ... and make http and make browser still run" "$(grep '^make' "$CALLS" | tr '\n' ';')" "make test;make http;make browser;"
ci http
check_eq "make http fails: CI fails" "$STATUS" "1"
check_eq "  ... and make browser still runs" "$(grep '^make' "$CALLS" | tr '\n' ';')" "make test;make http;make browser;"
ci browser
check_eq "make browser fails: CI fails" "$STATUS" "1"
finish
