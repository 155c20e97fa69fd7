#!/usr/bin/env bash
# The youth ballot (docs/ballot.md) in headless Chromium: the ranked ballot
# answered by keyboard alone with JavaScript off (ballot.mjs: Tab, arrow
# keys, Enter; an issue chosen twice refused, the error summary's link
# back to the lists, then sent); page-audit and narrow.mjs (320 px,
# keyboard focus) on the ballot page, its error page, the paper returns
# page, its refused form, a return's correction page and the ranked
# results; screenshots of each at 360x740 and 320 px in $SHOTS.  Staff
# pages are fetched with curl and served as files.
. "$(dirname "$0")/lib.sh"

FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
CK=$(sign_in "$TMP/k" kai)
CC=$(sign_in "$TMP/c" cleo)
S="$BASE/s/youth-ballot"
BALLOT="$BASE/staff/ballots/youth-ballot"

# Votes enough for the results to show counts: 7 online, two settings on paper.
n=0
for v in "mental-health knife-crime online" "mental-health food" "online mental-health bullying" \
	"knife-crime" "mental-health jobs sport" "food online" "mental-health"; do
	set -- $v
	args=(-d "_token=$(fresh_token youth-ballot)" -d "issues=$1")
	[ -n "${2:-}" ] && args+=(-d "issues.2=$2")
	[ -n "${3:-}" ] && args+=(-d "issues.3=$3")
	[ "$(curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$S")" = 303 ] && n=$((n + 1))
done
check_eq "7 ballots answered" "$n" 7
key() { curl -s -b "$TMP/k" "$BALLOT" | sed -n 's/.*name="_key" value="\([0-9a-f]*\)".*/\1/p' | head -n 1; }
for r in "Northvale Academy:120:97:40:30:12" "Southbank Youth Club:24:19:8:6:5"; do
	IFS=: read -r name out back mh food knife <<<"$r"
	check_eq "a return from $name" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/k" --data-urlencode "_csrf=$CK" \
		-d "_key=$(key)" --data-urlencode "setting=$name" -d "handed_out=$out" -d "returned=$back" \
		-d "v-mental-health=$mh" -d "v-food=$food" -d "v-knife-crime=$knife" "$BALLOT")" 303
done
check_eq "the first locked" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" -d "_csrf=$CC&locked=1" "$BALLOT/returns/1/lock")" 303

PAGES="$TMP/pages"
mkdir -p "$PAGES"
T=$(fresh_token youth-ballot)
save ballot-errors 422 - -d "_token=$T" -d issues=bullying -d issues.2=online -d issues.3=bullying "$S"
check "  ... the error page has its summary" grep -q 'class="error-summary"' "$PAGES/ballot-errors.html"
save ballot-returns 200 "$TMP/c" "$BALLOT"
save ballot-return-errors 422 "$TMP/k" --data-urlencode "_csrf=$CK" -d "_key=$(key)" \
	--data-urlencode "setting=Northvale Academy" -d handed_out=10 -d returned=12 -d v-food=x "$BALLOT"
check "  ... the refused return lists its problems" grep -q 'class="error-summary"' "$PAGES/ballot-return-errors.html"
save ballot-correct 200 "$TMP/k" "$BALLOT/returns/2"
save ballot-results 200 "$TMP/c" "$BALLOT/results"
# Mental health's total is hidden (its online count is small): no place
# number, listed first by the 48 paper votes and the "<5" it is sure of.
ranked=$(sed -n '/id="ranked"/,/<\/table>/p' "$PAGES/ballot-results.html" | grep -o '<tr><th scope="row">[^<]*</th>' | sed 's/<[^>]*>//g')
check_eq "  ... hidden totals without a place, listed by what their counts make sure of" "$(printf '%s\n' "$ranked" | head -n 5 | tr '\n' '/')" \
	"Mental health/Healthy food and holiday hunger/Tackling knife crime/Staying safe online/5. Ending bullying/"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
serve_saved "$PAGES"
staff=()
for f in "$PAGES"/*.html; do staff+=("$(basename "$f" .html)=$SBASE/$(basename "$f")"); done
node "$HERE/ballot.mjs" "$S" "$SHOTS" "${staff[@]}" >"$TMP/ballot.txt" 2>&1
status=$?
grep -v '^ok' "$TMP/ballot.txt"
check_eq "by keyboard alone, and at 360 and 320 px (ballot.mjs)" "$status" 0
check_eq "  ... the keyboard's ballot was stored" \
	"$(sqlite3 "$DATA/youthvoice.db" "SELECT count FROM ballot_counts WHERE option = 'knife-crime' AND rank = 2")" 2
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
audit_saved "$PAGES" "$S"
echo "# screenshots in $SHOTS"
check "the server stops cleanly" stop_server
finish
