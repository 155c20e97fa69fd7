#!/usr/bin/env bash
# "You said, we did" (issue 16; docs/yousaid.md): the public page
# /results/ID is 404 until a commissioner publishes it and again once it is
# withdrawn, across a restart too; publishing, and adding and changing
# entries of the decision log, are audit-logged, CSRF-checked and a
# commissioner's only (a youth worker is refused); every field is bounded;
# the log is exported as formula-safe CSV and as JSON, with days only; the
# public page lists, per priority, exactly the largest totals the themes
# export publishes (checked against survey-export cell for cell), never a
# "<5", a "[c]" or a percentage; the thanks pages and the poster link to it
# only while it is published; and the page and its stylesheet weigh under
# 30 KB.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

C=cyp-plan-2027
PUBLIC="$BASE/results/$C"
LOG="$BASE/staff/consultations/$C/decisions"
JC="$TMP/cleo.jar"
JY="$TMP/kai.jar"
CC=$(sign_in "$JC" cleo)
CY=$(sign_in "$JY" kai)
TODAY=$(date -u +%F)
audit() { sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1"; }
entries() { sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM decisions"; }
# entry URL CURL_ARGS...: posts an entry with good fields; the arguments
# come first, and the server reads the first of a repeated field, so any of
# them replaces a good one.
entry() {
	local url=$1
	shift
	req "$JC" --data-urlencode "_csrf=$CC" "$@" -d priority=2 --data-urlencode "said=Buses feel unsafe at night" \
		--data-urlencode "decided=Brighter lights at five bus stops" -d by=board -d status=planned \
		-d decided_on=2026-11-30 "$url"
}

# --- not published: not there --------------------------------------------------------
req - "$PUBLIC"
check_eq "not published: 404" "${R% }" "404"
check "  ... the same page as no such address" grep -q 'There is no page at this address' "$B"
req - "$BASE/results/no-such"
check_eq "no such consultation: 404" "${R% }" "404"
req - "$BASE/results/Bad%20Id"
check_eq "a malformed id: 404" "${R% }" "404"
check "the thanks page has no link to it" bash -c "curl -s '$BASE/s/what-matters/thanks' | no_match -q '/results/' -"
check "nor the poster" bash -c "curl -s '$BASE/s/what-matters/poster' | no_match -q '/results/' -"

# --- who may keep the log ----------------------------------------------------------------
req - "$LOG"
check_eq "signed out: sent to sign in" "$R" "303 $BASE/staff/login"
req "$JY" "$LOG"
check_eq "a youth worker may not read the log" "${R% }" "403"
req "$JY" -d "_csrf=$CY&published=1" "$BASE/staff/consultations/$C/publish"
check_eq "  ... nor publish" "${R% }" "403"
req "$JY" --data-urlencode "_csrf=$CY" -d priority=2 -d said=x -d decided=y -d by=board -d status=planned \
	-d decided_on=2026-11-30 "$LOG"
check_eq "  ... nor add an entry" "${R% }" "403"
check_eq "  ... nothing stored" "$(entries)" "0"
req "$JY" "$LOG.csv"
check_eq "  ... nor export it" "${R% }" "403"

# --- CSRF ----------------------------------------------------------------------------------
req "$JC" -d "published=1" "$BASE/staff/consultations/$C/publish"
check_eq "publish without the form token: 403" "${R% }" "403"
req "$JC" -d "_csrf=$(forged_of "$CC")&published=1" "$BASE/staff/consultations/$C/publish"
check_eq "  ... with a forged one: 403" "${R% }" "403"
check_eq "  ... still 404" "$(status_of "$PUBLIC")" "404"
req "$JC" -d "_csrf=$(forged_of "$CC")" -d priority=2 -d said=x -d decided=y -d by=board -d status=planned \
	-d decided_on=2026-11-30 "$LOG"
check_eq "an entry with a forged token: 403" "${R% }" "403"
check_eq "  ... nothing stored" "$(entries)" "0"

# --- methods --------------------------------------------------------------------------------
req "$JC" "$BASE/staff/consultations/$C/publish"
check_eq "GET publish: 405" "${R% }" "405"
check "  ... Allow: POST" grep -qi '^Allow: POST' "$H"
req "$JC" -X DELETE "$LOG"
check_eq "DELETE on the log: 405" "${R% }" "405"
check "  ... Allow: GET, HEAD, POST" grep -qi '^Allow: GET, HEAD, POST' "$H"
req "$JC" -X PUT "$LOG.csv"
check_eq "PUT on the CSV: 405" "${R% }" "405"

# --- what young people said: responses, a focus group, an event --------------------------
answer() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
		-d "most-important=$1" -d "make-better[]=${2:-sport}" -d age=14-15 -d district=northvale \
		"$BASE/s/what-matters"
}
n=0
for most in talk talk talk talk talk talk talk mental-health mental-health mental-health mental-health \
	mental-health bullying bullying online; do
	[ "$(answer "$most")" = 303 ] && n=$((n + 1))
done
check_eq "15 responses" "$n" 15
cpost() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$1" "${@:3}" "$2"; }
check_eq "a focus group" "$(cpost "$JY" "$BASE/staff/groups" -d "_csrf=$CY&consultation=$C&day=2026-11-20&district=Northvale&participants=8&age_from=12&age_to=15")" 303
check_eq "  ... a key message on knife crime" "$(cpost "$JY" "$BASE/staff/groups/1/messages" --data-urlencode "_csrf=$CY" --data-urlencode "text=Knives in the park" -d 'themes[]=knife-crime')" 303
EV=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JY" -d "_csrf=$CY&name=Fair&day=2026-11-21&consultation=$C" "$BASE/staff/events" | sed -n 's|.*/staff/events/\([0-9]*\)$|\1|p')
for t in online-safety:2:23 knife-crime:2:9 sport-activity:5:41 healthy-food:5:3; do
	IFS=: read -r theme prio total <<<"$t"
	check_eq "  ... $total tokens on $theme" "$(cpost "$JY" "$BASE/staff/events/${EV:-0}/tally" -H 'Accept: application/json' -d "_csrf=$CY&priority=$prio&theme=$theme&total=$total&client_id=t-$theme")" 200
done

# --- publish -------------------------------------------------------------------------------
req "$JC" -d "_csrf=$CC&published=1" "$BASE/staff/consultations/$C/publish"
check_eq "a commissioner publishes it" "$R" "303 $LOG"
check_eq "  ... audit-logged" "$(audit)" "published results|$C"
req - "$PUBLIC"
check_eq "  ... now 200 to anyone" "${R% }" "200"
PAGE_HTML="$TMP/public.html"
cp "$B" "$PAGE_HTML"
check "  ... HTML" grep -qi '^Content-Type: text/html' "$H"
check "  ... no script at all" bash -c "no_match -qi '<script\|javascript:\| on[a-z]*=' '$PAGE_HTML'"
check "  ... no percentage, no <5 and no [c]" bash -c "no_match -q '%\|&lt;5\|\[c\]\|\[x\]' '$PAGE_HTML'"
check "  ... no time of day" bash -c "no_match -qE '[0-9]{2}:[0-9]{2}' '$PAGE_HTML'"
check "  ... one stylesheet, nothing else loaded" bash -c "[ \"\$(grep -o 'href=\"/static/[^\"]*\"\|src=' '$PAGE_HTML' | sort -u)\" = 'href=\"/static/style.css\"' ]"
check "  ... the survey count in words" grep -q 'Young people filled in our surveys 15 times' "$PAGE_HTML"
check "  ... says small numbers are never shown" grep -q 'We never show anything fewer than 5 people said' "$PAGE_HTML"
check "  ... and when it last changed (the day it was published)" grep -q "We last changed this page on <time datetime=\"$TODAY\">" "$PAGE_HTML"
req - -d x=1 "$PUBLIC"
check_eq "  ... POST: 405" "${R% }" "405"
check "  ... Allow: GET, HEAD" grep -qi '^Allow: GET, HEAD' "$H"

# The largest themes, cell for cell as survey-export publishes them.
"$EXPORT_BIN" --data "$DATA" themes --consultation "$C" --format json -o "$TMP/themes.json" </dev/null
check "survey-export themes" test -s "$TMP/themes.json"
want=$(/usr/bin/python3 "$ROOT/tests/http/yousaid_top.py" export "$TMP/themes.json")
got=$(/usr/bin/python3 "$ROOT/tests/http/yousaid_top.py" page "$PAGE_HTML")
check_eq "the page lists the export's largest exact totals, cell for cell" "$got" "$want"
check "  ... some at all" test "$(printf '%s\n' "$got" | grep -c .)" -ge 4
check_eq "  ... priority 2 leads with knife crime (9 tokens, 1 key message)" "$(printf '%s\n' "$got" | grep '^2|' | head -n 1)" "2|Knife crime|10"
check "  ... online safety (1 response, 23 tokens) is not listed: its total is kept back" bash -c "jq -e '.rows[] | select(.priority_number == 2 and .theme == \"Online safety\") | .total | tostring | test(\"^[0-9]+\$\") | not' '$TMP/themes.json' >/dev/null && printf '%s\n' '$got' | no_match -q 'Online safety' -"
small=$(jq -r '[.rows[] | select(.priority_number == 2) | .total | tostring | select(test("^[0-9]+$") | not)] | length' "$TMP/themes.json")
check "  ... priority 2 has a small or hidden total in the export" test "$small" -ge 1
check "  ... the page says some are kept back, without a number" bash -c "sed -n '/id=\"p2\"/,/<\/section>/p' '$PAGE_HTML' | grep -q 'We keep their numbers back so nobody can be picked out'"

# --- linked once published ----------------------------------------------------------------
check "the thanks page links to it" grep -q "<a class=\"nav-link\" href=\"/results/$C\">See what happens next</a>" \
	<(curl -s "$BASE/s/what-matters/thanks")
check "  ... in Urdu too" grep -q "href=\"/results/$C\">" <(curl -s "$BASE/s/your-area/thanks?lang=ur")
check "the poster gives the address" grep -q "See what happens next: $BASE/results/$C" \
	<(curl -s "$BASE/s/what-matters/poster")
check "the log page gives the address" grep -q "$BASE/results/$C" <(curl -s -b "$JC" "$LOG")

# --- the decision log ------------------------------------------------------------------------
entry "$LOG"
check_eq "an entry is added" "$R" "303 $LOG#d1"
check_eq "  ... audit-logged" "$(audit)" "added a decision|$C: entry 1 under priority 2, planned, decided 2026-11-30 by the board"
req "$JC" "$LOG"
check "  ... listed, with a link to change it" grep -q "href=\"/staff/consultations/$C/decisions/1\">Change entry 1<" "$B"
req - "$PUBLIC"
check "  ... on the public page under its priority" bash -c "sed -n '/id=\"p2\"/,/<\/section>/p' '$B' | grep -q 'We decided:</strong> Brighter lights at five bus stops'"
check "  ... who decided, and when" grep -q 'Who decided:</strong> the partnership board, on <time datetime="2026-11-30">30 November 2026</time>' "$B"
check "  ... planned, updated today" grep -q "<span class=\"status status-planned\">Planned</span> (updated <time datetime=\"$TODAY\">" "$B"

req "$JC" "$LOG/1"
check_eq "its page" "${R% }" "200"
check "  ... the form holds what is stored" grep -q 'Brighter lights at five bus stops</textarea>' "$B"
entry "$LOG/1" -d status=in-progress
check_eq "its status changes" "$R" "303 $LOG#d1"
check_eq "  ... audit-logged with the change" "$(audit)" "changed a decision|$C: entry 1; status planned -> in-progress"
check "  ... the public page says Started" grep -q 'status-in-progress">Started</span>' <(curl -s "$PUBLIC")
entry "$LOG/1" -d status=not-possible
check_eq "not possible without a reason: 422" "${R% }" "422"
check "  ... says why" grep -q 'Say why it is not possible' "$B"
check "  ... keeps what was typed" grep -q 'Buses feel unsafe at night</textarea>' "$B"
entry "$LOG/1" -d status=not-possible --data-urlencode "why=The buses are not ours to light" -d by=lead \
	--data-urlencode "lead=Head of Transport"
check_eq "  ... with one: saved" "$R" "303 $LOG#d1"
check_eq "  ... audit-logged" "$(audit)" "changed a decision|$C: entry 1; status in-progress -> not-possible; who decided; why not possible"
req - "$PUBLIC"
check "  ... the public page says so, and why" bash -c "grep -q 'We can’t do this' '$B' && grep -q 'Why not:</strong> The buses are not ours to light' '$B'"
check "  ... and who decided" grep -q 'Who decided:</strong> Head of Transport' "$B"
req "$JC" "$LOG/99"
check_eq "no such entry: 404" "${R% }" "404"
req "$JC" "$LOG/0"
check_eq "entry 0: 404" "${R% }" "404"

# Another consultation's log cannot reach entry 1.
check_eq "another consultation" "$(cpost "$JC" "$BASE/staff/consultations" -d "_csrf=$CC&id=other-2027&title=Other")" 303
req "$JC" "$BASE/staff/consultations/other-2027/decisions/1"
check_eq "  ... its log has no entry 1" "${R% }" "404"
entry "$BASE/staff/consultations/other-2027/decisions/1"
check_eq "  ... nor can change it" "${R% }" "404"
check_eq "  ... its page is not published" "$(status_of "$BASE/results/other-2027")" "404"

# --- bounded lengths and checked fields -----------------------------------------------------
long() { /usr/bin/python3 -c "import sys; print('x' * int(sys.argv[1]), end='')" "$1"; }
before=$(entries)
entry "$LOG" --data-urlencode "said=$(long 601)"
check_eq "said: 601 bytes refused (422)" "${R% }" "422"
check "  ... with the limit in the message" grep -q 'up to 600 characters' "$B"
entry "$LOG" --data-urlencode "decided=$(long 601)"
check_eq "decided: 601 bytes refused" "${R% }" "422"
entry "$LOG" -d by=lead --data-urlencode "lead=$(long 121)"
check_eq "lead: 121 bytes refused" "${R% }" "422"
entry "$LOG" -d status=not-possible --data-urlencode "why=$(long 601)"
check_eq "why: 601 bytes refused" "${R% }" "422"
entry "$LOG" -d by=lead
check_eq "a lead without a name refused" "${R% }" "422"
entry "$LOG" --data-urlencode "lead=Line one
line two" -d by=lead
check_eq "a lead on two lines refused" "${R% }" "422"
entry "$LOG" -d priority=9
check_eq "no such priority refused" "${R% }" "422"
entry "$LOG" -d status=maybe
check_eq "no such status refused" "${R% }" "422"
entry "$LOG" -d by=mayor
check_eq "neither board nor lead refused" "${R% }" "422"
entry "$LOG" -d decided_on=2026-02-30
check_eq "no such day refused" "${R% }" "422"
entry "$LOG" -d "decided_on=2026-11-30T10:00"
check_eq "a time of day refused" "${R% }" "422"
entry "$LOG" -d decided_on=1999-12-31
check_eq "a day before 2000 refused" "${R% }" "422"
entry "$LOG" -d "said=   "
check_eq "blank said refused" "${R% }" "422"
entry "$LOG" -d priority=9 -d by=lead -d status=not-possible -d decided_on=2026-13-01 --data-urlencode "said=$(long 601)"
check_eq "every problem at once: 422" "${R% }" "422"
check_eq "  ... five listed in the summary" "$(sed -n '/class="error-summary"/,/<\/div>/p' "$B" | grep -o '<a href="#d-[a-z-]*"' | sort -u | tr '\n' ' ')" \
	'<a href="#d-decided-on" <a href="#d-lead" <a href="#d-priority" <a href="#d-said" <a href="#d-why" '
check_eq "  ... none of these stored" "$(entries)" "$before"
entry "$LOG" --data-urlencode "said=$(long 600)" --data-urlencode "decided=$(long 600)"
check_eq "600 bytes each: taken" "${R%% *}" "303"
sqlite3 "$DATA/youthvoice.db" "INSERT INTO decisions (consultation, priority, said, decided, by_board, lead, status, why, decided_on, changed_on) VALUES ('$C', 1, '$(long 601)', 'x', 1, '', 0, '', '2026-11-30', '2026-11-30')" 2>/dev/null
check_eq "the table refuses 601 bytes itself" "$(entries)" "$((before + 1))"

# --- evidence: CSV and JSON --------------------------------------------------------------------
entry "$LOG" --data-urlencode 'said=@SUM(1+1) "quoted"' --data-urlencode 'decided==HYPERLINK("http://x","y")' \
	-d priority=5 -d by=lead --data-urlencode "lead=+44 lead"
check_eq "an entry that looks like formulas" "${R%% *}" "303"
req "$JC" "$LOG.csv"
check_eq "the CSV: 200" "${R% }" "200"
check "  ... text/csv, an attachment, not cached" bash -c "grep -qi '^Content-Type: text/csv' '$H' && grep -qi 'attachment; filename=\"decisions-$C.csv\"' '$H' && grep -qi '^Cache-Control: no-store' '$H'"
check_eq "  ... its header" "$(head -n 1 "$B" | tr -d '\r')" \
	"id,priority_number,priority,young_people_said,decided,decided_by,lead,status,why_not_possible,decided_on,last_changed"
check_eq "  ... entry 1 as stored" "$(sed -n 2p "$B" | tr -d '\r')" \
	"1,2,\"Keep children safe and free from harm\",\"Buses feel unsafe at night\",\"Brighter lights at five bus stops\",lead,\"Head of Transport\",not-possible,\"The buses are not ours to light\",2026-11-30,$TODAY"
check "  ... formulas defused, quotes doubled" grep -qF "\"'@SUM(1+1) \"\"quoted\"\"\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",lead,\"'+44 lead\"" "$B"
check "  ... python's csv reads it back" /usr/bin/python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
assert len(rows) == 3, len(rows)
assert rows[2]['young_people_said'] == \"'@SUM(1+1) \\\"quoted\\\"\", rows[2]
assert rows[1]['young_people_said'] == 'x' * 600
" "$B"
check "  ... days only" bash -c "no_match -qE '[0-9]{2}:[0-9]{2}' '$B'"
req "$JC" "$LOG.json"
check_eq "the JSON: 200" "${R% }" "200"
check "  ... application/json" grep -qi '^Content-Type: application/json' "$H"
check_eq "  ... 3 entries, the CSV's" "$(jq -r '.decisions | map("\(.id)|\(.status)|\(.decided_by)|\(.last_changed)") | join(",")' "$B")" \
	"1|not-possible|lead|$TODAY,2|planned|board|$TODAY,$(sqlite3 "$DATA/youthvoice.db" "SELECT max(id) FROM decisions")|planned|lead|$TODAY"
check_eq "  ... the text as typed (JSON needs no defusing)" "$(jq -r '.decisions[2].young_people_said' "$B")" '@SUM(1+1) "quoted"'
check_eq "  ... its consultation and day" "$(jq -r '"\(.consultation) \(.generated)"' "$B")" "$C $TODAY"

# --- weight: page and stylesheet under 30 KB ------------------------------------------------
page=$(curl -s -o /dev/null -w '%{size_download}' "$PUBLIC")
css=$(curl -s -o /dev/null -w '%{size_download}' "$BASE/static/style.css")
echo "# public page $page bytes + stylesheet $css bytes = $((page + css))"
check "the public page and its stylesheet weigh under 30 KB ($((page + css)) bytes)" test $((page + css)) -lt 30720

# --- line breaks are kept ---------------------------------------------------------------------
entry "$LOG" --data-urlencode "said=Line one
Line two" -d priority=3
check_eq "a text on two lines is taken" "${R%% *}" "303"
check "  ... the public page keeps the break" grep -q 'You said:</strong> Line one<br>Line two</p>' <(curl -s "$PUBLIC")

# --- at most 200 entries in a consultation's log ---------------------------------------------
sqlite3 "$DATA/youthvoice.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200 - (SELECT count(*) FROM decisions WHERE consultation = '$C'))
	INSERT INTO decisions (consultation, priority, said, decided, by_board, lead, status, why, decided_on, changed_on)
	SELECT '$C', 1, 'said', 'decided', 1, '', 0, '', '2026-11-30', '2026-11-30' FROM n"
check_eq "200 entries" "$(entries)" "200"
entry "$LOG"
check_eq "  ... a 201st is refused (409)" "${R% }" "409"
check_eq "  ... not stored" "$(entries)" "200"

# --- withdraw, and across a restart ------------------------------------------------------------
req "$JC" -d "_csrf=$CC&published=0" "$BASE/staff/consultations/$C/publish"
check_eq "withdrawn" "$R" "303 $LOG"
check_eq "  ... audit-logged" "$(audit)" "withdrew results|$C"
check_eq "  ... 404 again" "$(status_of "$PUBLIC")" "404"
check "  ... the thanks page no longer links to it" bash -c "curl -s '$BASE/s/what-matters/thanks' | no_match -q '/results/' -"
check "  ... nor the poster" bash -c "curl -s '$BASE/s/what-matters/poster' | no_match -q '/results/' -"
req "$JC" -d "_csrf=$CC&published=maybe" "$BASE/staff/consultations/$C/publish"
check_eq "published=maybe: 400" "${R% }" "400"
req "$JC" -d "_csrf=$CC&published=1" "$BASE/staff/consultations/$C/publish"
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
check_eq "published again, it stays so across a restart" "$(status_of "$BASE/results/$C")" "200"
check "  ... its entries too" grep -q 'Brighter lights at five bus stops' <(curl -s "$BASE/results/$C")
check "the server stops cleanly" stop_server
finish
