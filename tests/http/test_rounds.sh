#!/usr/bin/env bash
# Rounds over time and who took part (issue 16; docs/rounds.md,
# docs/equalities.md).  Three consultations are rounds 2018, 2021 and 2023
# of plan "cyp-plan" (2018's theme list lacks "bullying"), each with a copy of
# what-matters, answered here through the real form:
#   - the trend (page, CSV, JSON, XLSX, survey-export trends) shows each
#     round's counts exactly as that round's own themes export publishes
#     them, cell for cell, "<5" where that export hides a count, and a theme
#     a round's list lacks as empty, never 0;
#   - the page and files are a commissioner's only; a consultation of no plan
#     has no trend (404);
#   - the equalities questions are on the form, optional, each with "Prefer
#     not to say"; the equalities view counts with the passphrase exactly as
#     the breakdowns export does, never a share beside a hidden count;
#   - population figures: CSRF-checked, a commissioner's only, whole numbers
#     0 to 100,000,000 (anything else refused, nothing saved), audit-logged,
#     shown with their shares;
#   - the survey page with the equalities questions and its stylesheet weigh
#     under 30 KB;
#   - the report of a round puts the earlier rounds' priority totals beside
#     its own, each as that round's themes export (none for the first round
#     or a consultation of no plan), and the public page of a round says in
#     plain words how often each priority came up each time, a number only
#     where exact, under 30 KB;
#   - differencing: one more response changes neither the trend page nor the
#     public page (five do), and after a restart 1 to 4 new responses hold
#     the round back on both.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
FORMS="$TMP/forms"
/usr/bin/python3 "$ROOT/tests/http/rounds.py" forms "$FORMS" || fail "the forms folder"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts"
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
PASSPHRASE=$(head -n 1 "$TEST_PASSPHRASE_FILE")

. "$ROOT/tests/http/rounds_data.sh"
check_eq "every response is stored (303)" "$(rounds_answer)" "29"

# --- the form: equalities questions, optional, "Prefer not to say" ---------------------
curl -s "$BASE/s/wm-2023" >"$TMP/form.html"
for q in gender ethnicity disability carer care; do
	check "the form asks $q with \"Prefer not to say\"" \
		grep -q "name=\"$q\" value=\"prefer-not-to-say\"" "$TMP/form.html"
done
check "  ... the ONS 2021 ethnic groups" bash -c "grep -q 'Asian or Asian British' '$TMP/form.html' &&
	grep -q 'Black, Black British, Caribbean or African' '$TMP/form.html' &&
	grep -q 'Mixed or multiple ethnic groups' '$TMP/form.html' && grep -q '>White<' '$TMP/form.html' &&
	grep -q 'Other ethnic group' '$TMP/form.html'"
check_eq "  ... each optional: a response without them is stored" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token wm-2021)" -d most-important=online \
		-d "make-better[]=sport" -d age=14-15 -d district=northvale "$BASE/s/wm-2021")" "303"
css=$(stat -c %s "$ROOT/forms/static/style.css")
page=$(stat -c %s "$TMP/form.html")
check "the survey page with its stylesheet weighs under 30 KB ($((page + css)) bytes)" test $((page + css)) -lt 30720

# --- the trend: who may, which consultations ------------------------------------------
JC="$TMP/cleo.jar"
JY="$TMP/kai.jar"
CC=$(sign_in "$JC" cleo)
CY=$(sign_in "$JY" kai)
T="$BASE/staff/consultations/cyp-2021/trends"
req - "$T"
check_eq "signed out: sent to sign in" "$R" "303 $BASE/staff/login"
req "$JY" "$T"
check_eq "a youth worker may not see the trend" "${R% }" "403"
req "$JY" "$T.csv"
check_eq "  ... nor download it" "${R% }" "403"
req "$JC" -d "_csrf=$CC" "$T"
check_eq "POST to the trend: 405" "${R% }" "405"
check "  ... Allow: GET, HEAD" grep -qi '^Allow: GET, HEAD' "$H"
req "$JC" "$BASE/staff/consultations/other/trends"
check_eq "a consultation of no plan has no trend (404)" "${R% }" "404"
req "$JC" "$BASE/staff/consultations/cyp-2021/trends.txt"
check_eq "an unknown format: 404" "${R% }" "404"
req "$JC" "$BASE/staff/consultations"
check "the consultations page links each round to its trend" grep -q 'href="/staff/consultations/cyp-2023/trends"' "$B"
check "  ... but not the consultation of no plan" bash -c "no_match -q 'consultations/other/trends' '$B'"

# --- the trend page -------------------------------------------------------------------
req "$JC" "$T"
check_eq "a commissioner sees the trend of any round (200)" "${R% }" "200"
cp "$B" "$TMP/trend.html"
check_eq "  ... its rounds in order, oldest first" \
	"$(grep -o '<th scope="col" class="numeric">20[0-9][0-9]</th>' "$TMP/trend.html" | head -n 3 | tr -d '\n')" \
	'<th scope="col" class="numeric">2018</th><th scope="col" class="numeric">2021</th><th scope="col" class="numeric">2023</th>'
check "  ... a chart per priority, inline SVG, no script" bash -c "
	[ \$(grep -c '<svg role=\"img\"' '$TMP/trend.html') = \$(grep -c '<h3 class=\"priority-heading\"' '$TMP/trend.html') ] &&
	no_match -q '<script' '$TMP/trend.html'"
# "Someone they trust to talk to": 6 in 2018, 3 in 2021 (hidden), 7 in 2023.
talk=$(grep -o '<tr><th scope="row">Someone they trust to talk to, who listens</th>.*</tr>' "$TMP/trend.html" | head -n 1)
check_eq "  ... someone to talk to: 6, <5, 7 (2021's 3 hidden as its export hides it)" \
	"$(echo "$talk" | grep -o '<td class="numeric">[^<]*\(<[^/][^<]*\)*</td>' | sed 's/<[^>]*>//g' | tr '\n' ' ')" "6 &lt;5 7 "
check "  ... bullying, not in 2018's list, says so (never 0)" bash -c "
	grep -o '<tr><th scope=\"row\">Bullying</th><td class=\"numeric\"><span class=\"not-asked\">not in this round</span></td>' '$TMP/trend.html' >/dev/null"
# Priority 4: only 2021's two young carers raised any of its themes.
check "  ... the chart's caption reads out each round's count, the hidden one as \"<5\"" \
	grep -q 'Any theme of priority 4, round by round, left to right: 2018 0; 2021 &lt;5; 2023 0.' "$TMP/trend.html"

# --- the files: the same as survey-export trends, each round as its own export ----------
ex() { "$EXPORT_BIN" --data "$DATA" "$@" </dev/null; }
ex trends --plan cyp-plan >"$TMP/cli.csv"
check_eq "survey-export trends --plan: exit 0" "$?" "0"
check_eq "  ... its header" "$(head -n 1 "$TMP/cli.csv" | tr -d '\r')" \
	"plan,round,consultation,priority_number,priority,theme_id,theme,responses,survey,focus_group,marketplace,total,free_text"
for y in 2018 2021 2023; do ex themes --consultation "cyp-$y" --format json >"$TMP/themes-$y.json"; done
check "  ... every count is its round's own themes export's, cell for cell" \
	/usr/bin/python3 "$ROOT/tests/http/rounds.py" same-cells "$TMP/cli.csv" 2018="$TMP/themes-2018.json" \
	2021="$TMP/themes-2021.json" 2023="$TMP/themes-2023.json"
check "  ... 2021's someone-to-talk-to is \"<5\"" grep -q '^"cyp-plan","2021","cyp-2021",2,".*","someone-to-talk-to",.*,"<5",' "$TMP/cli.csv"
check "  ... 2018's bullying has empty counts" grep -q '"2018","cyp-2018",2,"[^"]*","bullying","Bullying",[0-9]*,,,,,'$'\r''$' "$TMP/cli.csv"
ex trends --plan cyp-plan --min-cell 3 >"$TMP/cli3.csv"
for y in 2018 2021 2023; do ex themes --consultation "cyp-$y" --format json --min-cell 3 >"$TMP/themes3-$y.json"; done
check "  ... with --min-cell 3 too" /usr/bin/python3 "$ROOT/tests/http/rounds.py" same-cells "$TMP/cli3.csv" \
	2018="$TMP/themes3-2018.json" 2021="$TMP/themes3-2021.json" 2023="$TMP/themes3-2023.json"
ex trends --plan cyp-plan --format json >"$TMP/cli.json"
check_eq "  ... JSON: the rounds in order" "$(jq -c '[.rounds[].round]' "$TMP/cli.json")" '["2018","2021","2023"]'
check_eq "  ... a hidden count is its text, a shown one a number" \
	"$(jq -c '.priorities[] | select(.number == 2) | .themes[] | select(.id == "someone-to-talk-to") | [.rounds[].total]' "$TMP/cli.json")" \
	'[6,"<5",7]'
check_eq "  ... a theme the round lacks is null" \
	"$(jq -c '.priorities[] | select(.number == 2) | .themes[] | select(.id == "bullying") | .rounds[0]' "$TMP/cli.json")" 'null'
ex trends --consultation cyp-2021 >/dev/null 2>"$TMP/err"
check_eq "trends without --plan: exit 2" "$?" "2"
ex trends --plan no-such >/dev/null 2>"$TMP/err"
check_eq "a plan with no rounds: exit 1" "$?" "1"
check "  ... saying so in one line" bash -c "grep -q 'no consultation is a round of plan' '$TMP/err' && [ \$(wc -l <'$TMP/err') = 1 ]"
ex trends --plan cyp-plan --format xlsx >/dev/null 2>&1
check_eq "  ... XLSX needs -o (exit 2)" "$?" "2"
ex trends --plan cyp-plan --format xlsx -o "$TMP/cli.xlsx"
check "  ... XLSX: the CSV cell for cell" /usr/bin/python3 "$ROOT/tests/http/xlsx_same.py" "$TMP/cli.csv" "$TMP/cli.xlsx"

req "$JC" "$T.csv"
check_eq "the page's CSV: 200" "${R% }" "200"
check "  ... an attachment named for the plan" grep -qi '^Content-Disposition: attachment; filename="trends-cyp-plan.csv"' "$H"
check "  ... byte for byte survey-export's" cmp -s "$B" "$TMP/cli.csv"
req "$JC" "$T.json"
check "the page's JSON equals survey-export's" bash -c "[ \"\$(jq -S . '$B')\" = \"\$(jq -S . '$TMP/cli.json')\" ]"
req "$JC" "$T.xlsx"
check "the page's XLSX is the CSV cell for cell" bash -c "cp '$B' '$TMP/page.xlsx' &&
	/usr/bin/python3 '$ROOT/tests/http/xlsx_same.py' '$TMP/cli.csv' '$TMP/page.xlsx'"
check_eq "  ... audit-logged" "$(sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"exported the trend of a plan|cyp-plan"

# --- the report and the public page show the rounds (docs/rounds.md) -----------------
R3="2018=$TMP/themes-2018.json 2021=$TMP/themes-2021.json 2023=$TMP/themes-2023.json"
report() { ex --passphrase-file "$TEST_PASSPHRASE_FILE" report --consultation "$1" -o "$TMP/report-$1.html" "${@:2}" 2>/dev/null; }
report cyp-2023
check_eq "the report of round 2023: exit 0" "$?" "0"
# shellcheck disable=SC2086 # R3 is three words
check "  ... puts 2018 and 2021 beside it, each count its round's own themes export's" \
	/usr/bin/python3 "$ROOT/tests/http/rounds.py" report-cells "$TMP/report-cyp-2023.html" $R3
check "  ... in its contents" grep -q '<li><a href="#rounds-h">Compared with earlier rounds</a></li>' "$TMP/report-cyp-2023.html"
grep -o '<section id="rounds".*' "$TMP/report-cyp-2023.html" | sed 's#</section></section>.*##; s/<[^>]*>/ /g' >"$TMP/rounds-words"
check "  ... never a difference between rounds" bash -c "grep -q '2018' '$TMP/rounds-words' &&
	no_match -qi 'change since\|up by\|down by\|[+-][0-9]' '$TMP/rounds-words'"
report cyp-2021
check "the report of round 2021: 2018 beside it, never the later 2023" \
	/usr/bin/python3 "$ROOT/tests/http/rounds.py" report-cells "$TMP/report-cyp-2021.html" 2018="$TMP/themes-2018.json" 2021="$TMP/themes-2021.json"
report cyp-2023 --min-cell 3
check "  ... with --min-cell 3, each round as its export with --min-cell 3" /usr/bin/python3 "$ROOT/tests/http/rounds.py" report-cells \
	"$TMP/report-cyp-2023.html" 2018="$TMP/themes3-2018.json" 2021="$TMP/themes3-2021.json" 2023="$TMP/themes3-2023.json"
report cyp-2018
check "the first round's report has no such section" bash -c "grep -q '</html>' '$TMP/report-cyp-2018.html' &&
	no_match -q 'Compared with earlier rounds' '$TMP/report-cyp-2018.html'"
report other
check "  ... nor a consultation of no plan's" bash -c "grep -q '</html>' '$TMP/report-other.html' &&
	no_match -q 'Compared with earlier rounds' '$TMP/report-other.html'"

for c in cyp-2023 cyp-2018 other; do
	req "$JC" -d "_csrf=$CC&published=1" "$BASE/staff/consultations/$c/publish"
	check_eq "$c's public page published" "${R% *}" "303"
done
curl -s "$BASE/results/cyp-2023" >"$TMP/public-2023.html"
# shellcheck disable=SC2086
check "the public page of round 2023: each priority in 2018, 2021 and 2023, a number only where exact" \
	/usr/bin/python3 "$ROOT/tests/http/rounds.py" public-cells "$TMP/public-2023.html" $R3
check "  ... saying when we asked before" grep -q 'We asked young people before too, in 2018 and 2021\.' "$TMP/public-2023.html"
check "  ... 2021's hidden total of priority 4 kept back in words" \
	grep -q '<li>2021: we keep this number back</li>' "$TMP/public-2023.html"
check "  ... no script" bash -c "no_match -q '<script' '$TMP/public-2023.html'"
css=$(stat -c %s "$ROOT/forms/static/style.css")
page=$(stat -c %s "$TMP/public-2023.html")
check "  ... under 30 KB with its stylesheet ($((page + css)) bytes)" test $((page + css)) -lt 30720
for c in cyp-2018 other; do
	curl -s "$BASE/results/$c" >"$TMP/public-$c.html"
	check "$c's public page has no trend (no earlier round)" bash -c "grep -q 'What you said most' '$TMP/public-$c.html' &&
		no_match -q 'Each time we asked' '$TMP/public-$c.html'"
done

# --- who took part: the equalities view -----------------------------------------------
E="$BASE/staff/consultations/cyp-2023/equalities"
req "$JY" "$E"
check_eq "a youth worker may not see who took part" "${R% }" "403"
req "$JC" "$E"
check_eq "a commissioner sees the page (200)" "${R% }" "200"
check "  ... with the passphrase form" grep -q "<form method=\"post\" action=\"/staff/consultations/cyp-2023/equalities\"" "$B"
check_eq "  ... and a box per standard category (15)" "$(grep -o 'class="input-number"' "$B" | wc -l)" "15"
req "$JC" -d "_csrf=$CC" --data-urlencode "passphrase=not the passphrase" "$E"
check_eq "a wrong passphrase: 422" "${R% }" "422"
check "  ... saying so, in an error summary" bash -c "grep -q 'That passphrase does not open the key' '$B' && grep -q 'class=\"error-summary\"' '$B'"
check "  ... never showing it" bash -c "no_match -q 'not the passphrase' '$B'"
req "$JC" --data-urlencode "passphrase=$PASSPHRASE" "$E"
check_eq "without _csrf: 403" "${R% }" "403"
req "$JC" -d "_csrf=$CC" --data-urlencode "passphrase=$PASSPHRASE" "$E"
check_eq "the passphrase counts who took part (200)" "${R% }" "200"
cp "$B" "$TMP/eq.html"
check_eq "  ... audit-logged" "$(sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"counted who took part|cyp-2023"
ex --passphrase-file "$TEST_PASSPHRASE_FILE" breakdowns --consultation cyp-2023 >"$TMP/bd.csv"
check "  ... every count is the breakdowns export's; no share beside a hidden one" \
	/usr/bin/python3 "$ROOT/tests/http/rounds.py" eq-cells "$TMP/eq.html" "$TMP/bd.csv"
boy=$(grep -o '<tr><th scope="row">Boy or young man</th><td class="numeric">[^/]*</td><td class="numeric">[^<]*</td>' "$TMP/eq.html")
check_eq "  ... 2 boys: \"<5\", no share" "$boy" \
	'<tr><th scope="row">Boy or young man</th><td class="numeric">&lt;5</td><td class="numeric"></td>'
check "  ... young carer: no survey... is asked, so counted" grep -q 'Answered the question' "$TMP/eq.html"

# --- population figures ------------------------------------------------------------------
P="$E/population"
figures() { sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM population_figures"; }
req "$JC" "$P"
check_eq "GET population: 405" "${R% }" "405"
req "$JC" -d "ethnicity:white=100" "$P"
check_eq "population without _csrf: 403" "${R% }" "403"
req "$JC" -d "_csrf=$(forged_of "$CC")" -d "ethnicity:white=100" "$P"
check_eq "  ... with a forged one: 403" "${R% }" "403"
req "$JY" -d "_csrf=$CY" -d "ethnicity:white=100" "$P"
check_eq "  ... a youth worker's: 403" "${R% }" "403"
check_eq "  ... nothing stored" "$(figures)" "0"
for bad in abc -1 100000001 1.5 '1 000' 99999999999999999999; do
	req "$JC" -d "_csrf=$CC" -d "ethnicity:asian=20" --data-urlencode "ethnicity:white=$bad" "$P"
	check_eq "population \"$bad\" refused (422)" "${R% }" "422"
done
check "  ... the form again with the message beside the box" bash -c "
	grep -q 'id=\"pop-ethnicity-white-error\"' '$B' && grep -q 'Enter a whole number from 0 to 100,000,000' '$B'"
check "  ... naming the box in the summary" grep -q 'for “White” (Ethnic group), or leave it empty' "$B"
check "  ... what was typed kept" grep -q 'value="20"' "$B"
check_eq "  ... nothing stored, not even the good one" "$(figures)" "0"
req "$JC" -d "_csrf=$CC" -d "gender:girl=5100" -d "gender:boy=4900" -d "ethnicity:white=8000" -d "ethnicity:asian=0" \
	-d "ethnicity:black=100000000" -d "care_experience:yes=" "$P"
check_eq "good figures: 303 to the page" "$R" "303 $E?saved"
check_eq "  ... stored (empty is none)" "$(sqlite3 "$DATA/youthvoice.db" "SELECT group_concat(category || '=' || people, ' ') FROM (SELECT * FROM population_figures ORDER BY category) p")" \
	"ethnicity:asian=0 ethnicity:black=100000000 ethnicity:white=8000 gender:boy=4900 gender:girl=5100"
check_eq "  ... audit-logged" "$(sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"saved population figures|cyp-2023"
req "$JC" "$E?saved"
check "  ... the page says saved" grep -q 'The population figures are saved' "$B"
check "  ... girls' figure with its share (51.0%)" grep -q '<tr><th scope="row">Girl or young woman</th><td class="numeric"></td><td class="numeric"></td><td class="numeric">5100</td><td class="numeric">51.0%</td></tr>' "$B"
req "$JC" -d "_csrf=$CC" -d "gender:girl=" -d "gender:boy=4900" "$P"
check_eq "an emptied box clears its figure" "$(sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM population_figures WHERE category = 'gender:girl'")" "0"
req "$JC" -d "_csrf=$CC" --data-urlencode "passphrase=$PASSPHRASE" "$E"
check "the counted page shows the figures beside the counts" grep -q '<tr><th scope="row">Boy or young man</th><td class="numeric">&lt;5</td><td class="numeric"></td><td class="numeric">4900</td><td class="numeric">100.0%</td></tr>' "$B"

# --- differencing: the trend page and the public page move in steps of 5 --------------
# Round 2023's "someone to talk to" is 7: one more young person choosing it
# must not show as 8 on either page, or reading both before and after would
# give that person's answer.  The downloads are exports (read at each
# request, as survey-export's), and move at once.
talk_row() {
	grep -o '<tr><th scope="row">Someone they trust to talk to, who listens</th>.*</tr>' "$1" | head -n 1 |
		grep -o '<td class="numeric">\(<span[^>]*>[^<]*</span>\|[^<]*\)</td>' | sed 's/<[^>]*>//g' | tr '\n' ' '
}
req "$JC" "$T"
check_eq "the trend page before: 6 <5 7" "$(talk_row "$B")" "6 &lt;5 7 "
curl -s "$BASE/results/cyp-2023" >"$TMP/public-before.html"
ROUNDS_STORED=0
rounds_respond 2023 1 -d most-important=talk
check_eq "one more 2023 response choosing it (303)" "$ROUNDS_STORED" "1"
req "$JC" "$T"
check_eq "  ... the trend page is unchanged" "$(talk_row "$B")" "6 &lt;5 7 "
curl -s "$BASE/results/cyp-2023" >"$TMP/public-after.html"
check "  ... the public page is the same, byte for byte" cmp -s "$TMP/public-before.html" "$TMP/public-after.html"
req "$JC" "$T.csv"
check "  ... the trend CSV (an export) counts it at once" grep -q '^"cyp-plan","2023","cyp-2023",2,"[^"]*","someone-to-talk-to","[^"]*",[0-9]*,8,0,0,8' "$B"
rounds_respond 2023 4 -d most-important=talk
check_eq "four more (303)" "$ROUNDS_STORED" "5"
req "$JC" "$T"
check_eq "  ... five since: the trend page moves, by all five" "$(talk_row "$B")" "6 &lt;5 12 "
curl -s "$BASE/results/cyp-2023" >"$TMP/public-five.html"
check "  ... and the public page with it" bash -c "! cmp -s '$TMP/public-before.html' '$TMP/public-five.html'"
check "  ... each of its totals still its round's export's" bash -c "
	'$EXPORT_BIN' --data '$DATA' themes --consultation cyp-2023 --format json >'$TMP/themes-2023b.json' </dev/null &&
	/usr/bin/python3 '$ROOT/tests/http/rounds.py' public-cells '$TMP/public-five.html' 2018='$TMP/themes-2018.json' \
		2021='$TMP/themes-2021.json' 2023='$TMP/themes-2023b.json'"
check "the server's log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
check "  ... and no passphrase" bash -c "no_match -qF '$PASSPHRASE' '$SERVER_LOG'"
check "the server stops cleanly" stop_server

# After a restart the count last shown is kept: 1 to 4 new responses hold
# the round back on both pages rather than show it moved.
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "the server starts again"; finish; exit 1; }
T="$BASE/staff/consultations/cyp-2021/trends"
rounds_respond 2023 1 -d most-important=talk
req "$JC" "$T"
check_eq "restarted, one more: the trend page holds 2023 back" "$(talk_row "$B")" "6 &lt;5 held back for now "
check "  ... in the chart's caption too" grep -q '2021 &lt;5; 2023 held back for now\.' "$B"
curl -s "$BASE/results/cyp-2023" >"$TMP/public-held.html"
check "  ... the public page says it is still adding up, with no number" bash -c "
	grep -q 'We are still adding up what you said' '$TMP/public-held.html' && no_match -q 'Each time we asked' '$TMP/public-held.html'"

# --- the Round page: a round set from the staff pages ---------------------------------
rp() { echo "$BASE/staff/consultations/$1/round"; }
choices() { sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM round_choices"; }
plan_rounds() { "$EXPORT_BIN" --data "$DATA" trends --plan cyp-plan --format json </dev/null | jq -c '[.rounds[].round]'; }
req "$JY" "$(rp other)"
check_eq "a youth worker may not see the Round page" "${R% }" "403"
req "$JC" -X DELETE "$(rp other)"
check_eq "DELETE: 405" "${R% }" "405"
req "$JC" "$(rp other)"
check_eq "a commissioner sees it (200)" "${R% }" "200"
check "  ... saying it is a round of no plan" grep -q 'Now: a round of no plan' "$B"
req "$JC" "$(rp cyp-2021)"
check "  ... or which round of which plan, with the plan's other rounds" bash -c "
	grep -q 'Now: round <strong>2021</strong> of the plan <strong>cyp-plan</strong>' '$B' &&
	grep -q '<li>2018 (cyp-2018)</li>' '$B' && grep -q '<li>2023 (cyp-2023)</li>' '$B' && no_match -q '<li>2021 (cyp-2021)</li>' '$B'"
req "$JC" -d "plan=cyp-plan&round=2024" "$(rp other)"
check_eq "without _csrf: 403" "${R% }" "403"
for bad in "plan=Cyp+Plan&round=2024|round-plan|lower-case letters" "plan=cyp-plan&round=|round-name|Give the round" \
	"plan=&round=2024|round-plan|Give the plan too" "plan=cyp-plan&round=20%2F24|round-name|lower-case letters" \
	"plan=cyp-plan&round=2023|round-name|Another consultation is already this round" \
	"plan=$(printf 'p%.0s' $(seq 65))&round=2024|round-plan|up to 64"; do
	IFS='|' read -r form field words <<<"$bad"
	req "$JC" -d "_csrf=$CC&$form" "$(rp other)"
	check_eq "refused: ${form:0:40} (422)" "${R% }" "422"
	check "  ... the message beside $field, in the summary" bash -c "grep -q 'id=\"$field-error\"' '$B' &&
		grep -q 'class=\"error-summary\"' '$B' && grep -q '$words' '$B'"
done
check_eq "  ... nothing stored" "$(choices)" "0"
req "$JC" -d "_csrf=$CC&plan=+cyp-plan+&round=2024" "$(rp other)"
check_eq "a good round (spaces trimmed): 303 to the page" "$R" "303 $(rp other)?saved"
check_eq "  ... stored" "$(sqlite3 "$DATA/youthvoice.db" "SELECT plan || ' ' || round FROM round_choices WHERE consultation = 'other'")" "cyp-plan 2024"
check_eq "  ... audit-logged" "$(sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"set the round of a consultation|other: round 2024 of plan cyp-plan"
req "$JC" "$(rp other)?saved"
check "  ... the page says saved" grep -q 'Saved. It is kept over consultations.json from now on.' "$B"
check_eq "  ... the plan has it at once (survey-export trends)" "$(plan_rounds)" '["2018","2021","2023","2024"]'
req "$JC" "$BASE/staff/consultations/other/trends"
check_eq "  ... and its trend page (200)" "${R% }" "200"
check "  ... with 2024 as the last round" grep -q '<th scope="col" class="numeric">2023</th><th scope="col" class="numeric">2024</th>' "$B"
req "$JC" "$BASE/staff/consultations"
check "  ... linked from the consultations page" grep -q 'href="/staff/consultations/other/trends"' "$B"
check "  ... as is each consultation's Round page" grep -q 'href="/staff/consultations/other/round"' "$B"
req "$JC" -d "_csrf=$CC&plan=&round=" "$(rp cyp-2018)"
check_eq "both empty: a round of no plan (303)" "${R% *}" "303"
check_eq "  ... audit-logged" "$(sqlite3 "$DATA/youthvoice.db" "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"set the round of a consultation|cyp-2018: a round of no plan"
check_eq "  ... 2018 leaves the plan" "$(plan_rounds)" '["2021","2023","2024"]'
check "the server's log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
check "the server stops cleanly" stop_server
start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "the server starts a third time"; finish; exit 1; }
check_eq "after a restart the choices win over consultations.json" "$(plan_rounds)" '["2021","2023","2024"]'
req "$JC" "$(rp other)"
check "  ... on the Round page too" grep -q 'Now: round <strong>2024</strong> of the plan <strong>cyp-plan</strong>' "$B"
req "$JC" "$BASE/staff/consultations/cyp-2018/trends"
check_eq "  ... 2018 has no trend page now (404)" "${R% }" "404"
check "the server's log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
check "the server stops cleanly" stop_server
finish
