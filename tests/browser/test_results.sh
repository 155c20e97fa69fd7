#!/usr/bin/env bash
# The staff results page (docs/results.md) and the help signposting in
# headless Chromium: the results page of a consultation with responses over
# several days (a small day among them), a focus group and an event, at
# 360x740, 320, 768x1024 and 1920x1080 (results.mjs, screenshots kept in
# $SHOTS when set); the results and help pages printed on A4 (staff_print.mjs:
# PDFs and their pages as PNGs in $SHOTS); page-audit and narrow.mjs on the results page, the
# consultation's help page (and its error form), the consultations page,
# and a survey's first page and thanks page with the help box (also in
# Urdu, right to left); results_live.mjs on the page as served, whose
# script takes in five new responses.  Signed-in pages are fetched with curl and served
# as files.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
CK=$(sign_in "$TMP/k" kai)
C=cyp-plan-2027
post() { curl -s -o /dev/null --max-time 20 -b "$1" "${@:2}"; }
post "$TMP/k" -d "_csrf=$CK&consultation=$C&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
post "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "text=Nobody listens at school" -d 'themes[]=someone-to-talk-to' "$BASE/staff/groups/1/messages"
post "$TMP/k" -d "_csrf=$CK&name=Youth+fair&day=2026-11-21&consultation=$C" "$BASE/staff/events"
post "$TMP/k" -H 'Accept: application/json' -d "_csrf=$CK&priority=2&theme=online-safety&total=23&client_id=t1" "$BASE/staff/events/1/tally"
post "$TMP/k" -H 'Accept: application/json' -d "_csrf=$CK&priority=5&theme=sport-activity&total=41&client_id=t2" "$BASE/staff/events/1/tally"
check_eq "24 responses stored" "$(answer_24)" 24
# Spread them over ten days, one of them small and two with none.
check "the server stops" stop_server
sqlite3 "$DATA/youthvoice.db" "
	UPDATE responses SET day = '2026-11-' || printf('%02d', 14 + (abs(id) % 7)) WHERE consultation = '$C';
	UPDATE responses SET day = '2026-11-23' WHERE id IN (SELECT id FROM responses ORDER BY id LIMIT 2);"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
CC=$(sign_in "$TMP/c" cleo)
check "a commissioner signs in" test -n "$CC"

PAGES="$TMP/pages"
mkdir -p "$PAGES"
save results 200 "$TMP/c" "$BASE/staff/consultations/$C/results"
check "  ... with a small day and a true zero" bash -c "grep -q '<td class=\"numeric\">&lt;5</td>' '$PAGES/results.html' && grep -q '<td class=\"numeric\">0</td>' '$PAGES/results.html'"
save help 200 "$TMP/c" "$BASE/staff/consultations/$C/help"
save help-errors 400 "$TMP/c" --data-urlencode "_csrf=$CC" -d action=save --data-urlencode "text=$(/usr/bin/python3 -c 'print("x" * 501, end="")')" "$BASE/staff/consultations/$C/help"
save consultations 200 "$TMP/c" "$BASE/staff/consultations"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
serve_saved "$PAGES"
node "$HERE/results.mjs" "$SBASE/results.html" "$SHOTS" >"$TMP/results.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/results.txt"
check_eq "the results page at four sizes (results.mjs)" "$status" 0
print_staff "$SHOTS" results="$SBASE/results.html" help="$SBASE/help.html"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null

# Live: results.js against the server, five responses arriving meanwhile.
TOKENS=$(for _ in 1 2 3 4 5; do fresh_token what-matters; done | paste -sd, -)
COOKIE=$(awk -F '\t' 'NF == 7 && $1 ~ /127\.0\.0\.1/ { print $6 "=" $7; exit }' "$TMP/c")
check "the session cookie is in the jar" test -n "$COOKIE"
COOKIE=$COOKIE node "$HERE/results_live.mjs" "$BASE/staff/consultations/$C/results" "$BASE/s/what-matters" \
	"$TOKENS" "$SHOTS" >"$TMP/results-live.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/results-live.txt"
check_eq "the results page refreshes itself (results_live.mjs)" "$status" 0

audit_saved "$PAGES" "$BASE/s/what-matters" "$BASE/s/what-matters/thanks" "$BASE/s/your-area?lang=ur" \
	"$BASE/s/your-area/thanks?lang=ur"
check "the server stops cleanly" stop_server
finish
