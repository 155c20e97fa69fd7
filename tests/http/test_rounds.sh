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
#     under 30 KB.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
FORMS="$TMP/forms"
python3 "$ROOT/tests/http/rounds.py" forms "$FORMS" || fail "the forms folder"
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
	python3 "$ROOT/tests/http/rounds.py" same-cells "$TMP/cli.csv" 2018="$TMP/themes-2018.json" \
	2021="$TMP/themes-2021.json" 2023="$TMP/themes-2023.json"
check "  ... 2021's someone-to-talk-to is \"<5\"" grep -q '^"cyp-plan","2021","cyp-2021",2,".*","someone-to-talk-to",.*,"<5",' "$TMP/cli.csv"
check "  ... 2018's bullying has empty counts" grep -q '"2018","cyp-2018",2,"[^"]*","bullying","Bullying",[0-9]*,,,,,'$'\r''$' "$TMP/cli.csv"
ex trends --plan cyp-plan --min-cell 3 >"$TMP/cli3.csv"
for y in 2018 2021 2023; do ex themes --consultation "cyp-$y" --format json --min-cell 3 >"$TMP/themes3-$y.json"; done
check "  ... with --min-cell 3 too" python3 "$ROOT/tests/http/rounds.py" same-cells "$TMP/cli3.csv" \
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
	python3 "$ROOT/tests/http/rounds.py" eq-cells "$TMP/eq.html" "$TMP/bd.csv"
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
check_eq "  ... stored (empty is none)" "$(sqlite3 "$DATA/youthvoice.db" "SELECT group_concat(category || '=' || people, ' ') FROM (SELECT * FROM population_figures ORDER BY category)")" \
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

check "the server's log has no sanitizer report" bash -c "no_match -q 'Sanitizer' '$SERVER_LOG'"
check "  ... and no passphrase" bash -c "no_match -qF '$PASSPHRASE' '$SERVER_LOG'"
check "the server stops cleanly" stop_server
finish
