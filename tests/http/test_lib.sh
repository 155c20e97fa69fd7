#!/usr/bin/env bash
# The test library's own promises (tests/http/lib.sh): no_match, which the
# suites use where they once wrote "! grep", fails when there is nothing to
# read, so a check of a missing or empty file can no longer pass.
. "$(dirname "$0")/lib.sh"

printf 'one line\nanother\n' >"$TMP/text"
: >"$TMP/empty"
mkdir -p "$TMP/folder" "$TMP/bare"
printf 'inside\n' >"$TMP/folder/f"

# fails WHAT COMMAND...: passes when the command fails.
fails() { local what=$1; shift; if "$@" 2>/dev/null; then fail "$what"; else pass "$what"; fi; }

check "no_match passes when the file has no match" no_match -q 'absent' "$TMP/text"
fails "no_match fails when the file matches" no_match -q 'another' "$TMP/text"
fails "no_match fails when the file is missing" no_match -q 'absent' "$TMP/missing"
fails "no_match fails when the file is empty" no_match -q 'absent' "$TMP/empty"
fails "no_match fails when one of several files is missing" no_match -q 'absent' "$TMP/text" "$TMP/missing"
check "no_match passes over several files, one of them empty" no_match -q 'absent' "$TMP/text" "$TMP/empty"
check "no_match passes over a folder (-r) with no match" no_match -rq 'absent' "$TMP/folder"
fails "no_match fails over a folder (-r) with a match" no_match -rq 'inside' "$TMP/folder"
fails "no_match fails over an empty folder" no_match -rq 'absent' "$TMP/bare"
fails "no_match fails over a glob that matched no file" no_match -q 'absent' "$TMP"/nothing-*.b
check "no_match reads standard input named -" bash -c "printf 'abc\n' | no_match -q xyz -"
fails "no_match fails on empty standard input" bash -c "printf '' | no_match -q xyz -"
fails "no_match fails when standard input matches" bash -c "printf 'xyz\n' | no_match -q xyz -"
fails "no_match never reads standard input unasked" bash -c "printf 'abc\n' | no_match -q xyz"
check "no_match is there in bash -c (exported)" bash -c "no_match -q absent '$TMP/text'"
fails "no_match fails on a pattern grep cannot read" no_match -E '(' "$TMP/text"

finish
