#!/usr/bin/env bash
# The results page of a consultation (/staff/consultations/ID/results and
# results.json): commissioners only; counts across surveys, focus groups and
# events exactly as the themes export publishes them (the same suppression:
# "<5", "[c]", a true zero 0); responses per day with small days "<5" and a
# day hidden so the total minus the others does not give one away; and the
# differencing attack: a page read before and after one more response must
# not change (it moves only by 0 or at least 5 responses, across restarts).
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

C=cyp-plan-2027
PAGE="$BASE/staff/consultations/$C/results"
JC="$TMP/cleo.jar"
JY="$TMP/kai.jar"
CC=$(sign_in "$JC" cleo)
CY=$(sign_in "$JY" kai)

# answer MOST [BETTER]: one what-matters response; prints its status.
answer() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
		-d "most-important=$1" -d "make-better[]=${2:-sport}" -d age=14-15 -d district=northvale \
		"$BASE/s/what-matters"
}
# results: the JSON the page's counts come from, without when it was read.
results() { curl -s --max-time 20 -b "$JC" "$PAGE.json" | jq -S 'del(.computed)'; }
field() { results | jq -r "$1"; }
# themes: the themes export's rows as "priority|theme|survey|focus|market|total".
themes_export() {
	"$EXPORT_BIN" --data "$DATA" themes --consultation "$C" --format json </dev/null |
		jq -r '.rows[] | "\(.priority_number)|\(.theme)|\(.survey)|\(.focus_group)|\(.marketplace)|\(.total)"'
}
themes_page() {
	results | jq -r '.priorities[] | .number as $n | .themes[] | "\($n)|\(.theme)|\(.survey)|\(.focus_group)|\(.marketplace)|\(.total)"'
}

# --- who may see it --------------------------------------------------------------------
req - "$PAGE"
check_eq "signed out: sent to sign in" "$R" "303 $BASE/staff/login"
req "$JY" "$PAGE"
check_eq "a youth worker is refused" "${R% }" "403"
req "$JC" "$PAGE"
check_eq "a commissioner sees it" "${R% }" "200"
check "  ... it says when it was counted" grep -q '<time datetime="20[0-9-]*T[0-9:]*Z"' "$B"
check "  ... with a plain refresh link" grep -q "href=\"/staff/consultations/$C/results\">Refresh</a>" "$B"
check "  ... which says the counts do not change by themselves" grep -q 'The counts here do not change by themselves: refresh the page to count again.' "$B"
check_eq "  ... and no script but our own results.js (docs/results.md)" "$(grep -oi '<script[^>]*>' "$B" | sort | uniq -c | sed 's/^ *//')" '1 <script src="/static/results.js" defer>'
check_eq "results.js is served as JavaScript, cached an hour" \
	"$(curl -s -o "$TMP/results.js" -D - "$BASE/static/results.js" | tr -d '\r' | grep -iE '^(HTTP|Content-Type|Cache-Control)' | tr '\n' '|')" \
	"HTTP/1.1 200 OK|Content-Type: text/javascript; charset=utf-8|Cache-Control: public, max-age=3600|"
check "  ... the file in forms/static" cmp -s "$TMP/results.js" "$ROOT/forms/static/results.js"
req "$JC" "$BASE/staff/consultations/no-such/results"
check_eq "no such consultation: 404" "${R% }" "404"
req "$JC" -d "_csrf=$CC" "$PAGE"
check_eq "POST: 405" "${R% }" "405"
req "$JC" "$PAGE.json"
check_eq "the JSON: 200" "${R% }" "200"
check "  ... application/json, not cached" bash -c "grep -qi '^Content-Type: application/json' '$H' && grep -qi '^Cache-Control: no-store' '$H'"
req - -H 'Accept: application/json' "$PAGE.json"
check "  ... signed out, never the counts" bash -c "no_match -q priorities '$B'"
check "the consultations page links to it" grep -q "href=\"/staff/consultations/$C/results\"" \
	<(curl -s -b "$JC" "$BASE/staff/consultations")

# --- nothing yet: true zeros -----------------------------------------------------------
check_eq "no responses: 0, not <5" "$(field .responses)" "0"
check_eq "  ... every theme count 0" "$(themes_page | cut -d'|' -f3-6 | sort -u)" "0|0|0|0"
check "  ... the page says no responses yet" grep -q 'No responses yet' <(curl -s -b "$JC" "$PAGE")

# --- a focus group, an event and responses ----------------------------------------------
cpost() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$1" "${@:3}" "$2"; }
check_eq "a focus group of 7" "$(cpost "$JY" "$BASE/staff/groups" -d "_csrf=$CY&consultation=$C&day=2026-11-20&district=Northvale&participants=7&age_from=12&age_to=15")" 303
check_eq "  ... a key message tagged bullying" "$(cpost "$JY" "$BASE/staff/groups/1/messages" --data-urlencode "_csrf=$CY" --data-urlencode "text=Bullying on the bus" -d 'themes[]=bullying')" 303
EV=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JY" -d "_csrf=$CY&name=Fair&day=2026-11-21&consultation=$C" "$BASE/staff/events" | sed -n 's|.*/staff/events/\([0-9]*\)$|\1|p')
check "an event" test -n "$EV"
check_eq "  ... 3 tokens on online safety" "$(cpost "$JY" "$BASE/staff/events/${EV:-0}/tally" -H 'Accept: application/json' -d "_csrf=$CY&priority=2&theme=online-safety&total=3&client_id=t-1")" 200
n=0
for most in talk talk talk talk talk talk bullying bullying; do
	[ "$(answer "$most")" = 303 ] && n=$((n + 1))
done
check_eq "8 what-matters responses" "$n" 8
check_eq "1 your-area response" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
	-d "_token=$(fresh_token your-area)" -d _page=5 -d _action=submit -d feel-safe=1 -d young-carer=yes \
	-d 'more-of[]=buses' -d age=16-17 -d district=westfield "$BASE/s/your-area")" 303

# The page was read at 0 responses; 9 is a step of 5 or more: it moves.  A
# focus group and tokens do not wait for responses, only for the page's
# re-read (10 s): here they arrived before.
check_eq "the page counts 9 responses" "$(field .responses)" "9"
check_eq "  ... the themes table is the export's, cell for cell" "$(themes_page | sort)" "$(themes_export | sort)"
bully=$(themes_page | grep '^2|Bullying|')
check_eq "  ... bullying: <5 from surveys, 1 key message, no tokens" "$(echo "$bully" | cut -d'|' -f3-5)" "<5|1|0"
check_eq "  ... talk: 6 responses" "$(themes_page | grep '^2|Someone they trust' | cut -d'|' -f3)" "6"
check_eq "  ... online safety: 3 tokens, shown exactly as on the event's screen" "$(themes_page | grep '^2|Online safety|' | cut -d'|' -f5)" "3"
# 8 and 1 with 9 shown would give the 1 away: the 8 is hidden.  The demo's
# youth ballot, unanswered, is a true 0.
check_eq "  ... per survey: [c], <5 and 0" "$(results | jq -r '[.surveys[].count] | join(",")')" "[c],<5,0"
check_eq "  ... 1 focus group, 1 event" "$(field '"\(.focus_groups),\(.events)"')" "1,1"
check_eq "  ... 7 young people in it, 1 key message, 3 tokens" "$(field '"\(.participants),\(.messages),\(.tokens)"')" "7,1,3"
curl -s -b "$JC" "$PAGE" >"$TMP/page.html"
check "  ... the HTML shows <5 escaped" grep -q '<td class="numeric">&lt;5</td>' "$TMP/page.html"
check "  ... a chart named by its summary, with a table of the same counts" \
	bash -c "grep -q '<svg role=\"img\" aria-labelledby=\"days-summary\"' '$TMP/page.html' && grep -q 'id=\"days-summary\"' '$TMP/page.html' && grep -q 'Survey responses by day' '$TMP/page.html'"

# --- the differencing attack ------------------------------------------------------------
# A reader who saw the page, watches one young person answer "online", and
# reads it again must learn nothing: the page stays as it was.
before=$(results)
check_eq "one more response (online safety)" "$(answer online)" 303
after=$(results)
check_eq "  ... the page did not move (differencing gives nothing)" "$after" "$before"
check_eq "  ... the export does move (it is audited alone)" "$(themes_export | grep -c '^2|Online safety|<5|0|3|')" 1
for i in 1 2 3; do answer future >/dev/null; done
check_eq "4 more since the page moved: still as it was" "$(results)" "$before"
answer future >/dev/null
check_eq "the 5th: the page moves, by 5 at once" "$(field .responses)" "14"
check_eq "  ... still the export's table" "$(themes_page | sort)" "$(themes_export | sort)"

# Other sources move without new responses, on the page's next read (10 s).
check_eq "a second key message" "$(cpost "$JY" "$BASE/staff/groups/1/messages" --data-urlencode "_csrf=$CY" --data-urlencode "text=Nobody listens" -d 'themes[]=someone-to-talk-to')" 303
sleep 11
check_eq "  ... shows within 11 s, with no new response" "$(field .messages)" "2"
check_eq "  ... responses as they were" "$(field .responses)" "14"

# --- across a restart: the count last shown is kept ------------------------------------
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
PAGE="$BASE/staff/consultations/$C/results"
CC=$(sign_in "$JC" cleo)
for i in 1 2; do answer safe >/dev/null; done
check_eq "2 responses after a restart: held, not shown" "$(field .held)" "true"
check "  ... no counts in it" bash -c "[ \"\$(curl -s -b '$JC' '$PAGE.json' | jq 'has(\"priorities\")')\" = false ]"
check "  ... the page says why" grep -q 'show again once at least 5 more' <(curl -s -b "$JC" "$PAGE")
for i in 1 2 3; do answer safe >/dev/null; done
check_eq "  ... 5 since: shown again" "$(field '"\(.held),\(.responses)"')" "false,19"

# --- responses per day -------------------------------------------------------------------
# Spread the 19 responses over days (the server stopped): 15 on 20 Nov, none
# on the 21st, 4 on the 22nd.
check "the server stops" stop_server
sqlite3 "$DATA/youthvoice.db" "
	UPDATE responses SET day = '2026-11-20' WHERE consultation = '$C';
	UPDATE responses SET day = '2026-11-22' WHERE id IN (SELECT id FROM responses ORDER BY id LIMIT 4);"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server restarts"; finish; exit 1; }
PAGE="$BASE/staff/consultations/$C/results"
CC=$(sign_in "$JC" cleo)
days=$(results | jq -r '[.days[] | "\(.label)=\(.count)"] | join(" ")')
check_eq "days from the first to the last; a day without responses is 0; the 4 is <5; the 15 hidden ([c]), or 19 - 15 - 0 would give the 4 away" \
	"$days" "2026-11-20=[c] 2026-11-21=0 2026-11-22=<5"
check_eq "  ... the total stays shown (as in the export)" "$(field .responses)" "19"
check "  ... the table says <5 and [c], the chart draws them as outlines" \
	bash -c "curl -s -b '$JC' '$PAGE' >'$TMP/days.html'; grep -q '<td class=\"numeric\">\\[c\\]</td>' '$TMP/days.html' && [ \$(grep -c 'class=\"day-bar day-small\"' '$TMP/days.html') = 2 ]"

finish
