#!/usr/bin/env bash
# Analysing answers (docs/analysis.md) in headless Chromium: page-audit and
# narrow.mjs (320 px, keyboard focus) on the passphrase form, a refused
# passphrase, an answer to code, a refused code, the page saying analysis is
# in use, the agreement page, and an answer with the warning that the
# server could not lock memory, and one whose suggestions rest on words
# alone (signed-in pages fetched with curl and
# served as files); then analyse.mjs codes three answers by keyboard alone
# with JavaScript off and takes screenshots at 360x740 and 320 px (in
# $SHOTS when set).
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
mkdir -p "$DATA"
PASSPHRASE="browser analysis passphrase $(date +%s%N)"
printf '%s\n' "$PASSPHRASE" >"$TMP/pass"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass" >/dev/null </dev/null || fail "keygen"
add_staff "$DATA" cleo:commissioner dana:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
C=cyp-plan-2027
A="$BASE/staff/consultations/$C/analyse"
check_eq "5 responses with words" "$(answer_in_words "Nobody listens to us at school, we need someone to talk to" \
	"More football pitches and a cheaper gym near the estate" \
	"Scams and strangers on snapchat, we need help staying safe online" \
	"Buses stop too early so we cannot get home from training" \
	"I look after my mum and nobody asks how I am")" 5
CC=$(sign_in "$TMP/c" cleo)
CD=$(sign_in "$TMP/d" dana)

PAGES="$TMP/pages"
mkdir -p "$PAGES"
save analyse-passphrase 200 "$TMP/c" "$A"
save analyse-wrong 422 "$TMP/c" --data-urlencode "_csrf=$CC" --data-urlencode "passphrase=wrong" -d pass=1 "$A/open"
check_eq "opened" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" \
	--data-urlencode "passphrase=$PASSPHRASE" -d pass=1 "$A/open")" 303
save analyse-answer 200 "$TMP/c" "$A"
check "  ... a suggestion with its confidence" grep -q 'suggested, [0-9]*%' "$PAGES/analyse-answer.html"
check "  ... and the words of the answer it comes from" grep -q 'suggested, [0-9]*%</strong><span class="why">, from “' "$PAGES/analyse-answer.html"
save analyse-refused 422 "$TMP/c" --data-urlencode "_csrf=$CC" -d answer=1 -d quote=1 -d 'themes[]=transport' "$A/code"
check "  ... the refused code lists its problem" grep -q 'class="error-summary"' "$PAGES/analyse-refused.html"
save analyse-in-use 409 "$TMP/d" "$A"
save analyse-agreement 200 "$TMP/c" "$A/agreement"
check_eq "ended" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" "$A/end")" 303
# The warning of a session whose memory could not be locked.
# (Not under ASan, whose mlock does nothing and says it worked.)
if ! asan_build; then
	check "the server stops" stop_server
	start_nolock_server "$DATA" --rate-limit 0 || { fail "a server that cannot lock memory starts"; finish; exit 1; }
	A="$BASE/staff/consultations/$C/analyse"
	CC=$(sign_in "$TMP/c" cleo)
	check_eq "opened without locked memory" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" \
		--data-urlencode "passphrase=$PASSPHRASE" -d pass=1 "$A/open")" 303
	save analyse-unlocked 200 "$TMP/c" "$A"
	check "  ... the page warns" grep -q 'id="unlocked"' "$PAGES/analyse-unlocked.html"
	check_eq "ended" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" "$A/end")" 303
	check "the server stops" stop_server
	start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
	A="$BASE/staff/consultations/$C/analyse"
fi
# The notice of a server that could not read its sentence model.
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" --rate-limit 0 --model "$TMP/no-model" ||
	{ fail "a server without its sentence model starts"; finish; exit 1; }
A="$BASE/staff/consultations/$C/analyse"
CC=$(sign_in "$TMP/c" cleo)
check_eq "opened without the sentence model" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" \
	--data-urlencode "passphrase=$PASSPHRASE" -d pass=1 "$A/open")" 303
save analyse-words-only 200 "$TMP/c" "$A"
check "  ... the page says suggestions rest on words" grep -q 'id="words-only"' "$PAGES/analyse-words-only.html"
check_eq "ended" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" "$A/end")" 303
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
A="$BASE/staff/consultations/$C/analyse"

audit_saved "$PAGES"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
node "$HERE/analyse.mjs" "$BASE" cleo "$STAFF_PASSWORD" "$PASSPHRASE" "$C" "$SHOTS" >"$TMP/analyse.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/analyse.txt"
check_eq "three answers coded by keyboard alone, JavaScript off (analyse.mjs)" "$status" 0
check_eq "  ... counted: 3 codes of the main pass" "$(sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM analysis_codes WHERE pass = 1")" 3
check "the server stops cleanly" stop_server
finish
