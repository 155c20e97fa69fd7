#!/usr/bin/env bash
# Survey forms over real HTTP: a survey of several pages walked forward, back
# and through "check your answers"; conditional questions and "something
# else"; one-time tokens (double and concurrent submits, missing and forged
# tokens, another survey's token); specific error messages; draft, closed and dated surveys; the Urdu
# translation; no cookies and a CSP on every response; hostile form fields.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
FORMS="$ROOT/forms"
HEADERS="$TMP/all-headers"  # every response's headers, for the privacy checks
: >"$HEADERS"

not() { ! "$@"; }
# has FILE TEXT / lacks FILE TEXT: fixed-string search in a saved page.
has() { grep -qF -- "$2" "$TMP/$1.html"; }
lacks() { no_match -qF -- "$2" "$TMP/$1.html"; }

# req NAME CURL_ARGS...: prints the status; the body goes to $TMP/NAME.html,
# the headers to $TMP/NAME.h and onto $HEADERS.
req() {
	local name=$1
	shift
	echo "$name" >>"$TMP/requests"
	curl -s --max-time 20 -o "$TMP/$name.html" -D "$TMP/$name.h" -w '%{http_code}' "$@"
	cat "$TMP/$name.h" >>"$HEADERS" 2>/dev/null
}
# post NAME SURVEY CURL_ARGS...: a form POST to /s/SURVEY.
post() {
	local name=$1 survey=$2
	shift 2
	req "$name" "$@" "$BASE/s/$survey"
}
# location NAME: the Location header of a saved response.
location() { sed -n 's/^Location: *//Ip' "$TMP/$1.h" | tr -d '\r'; }
# token_in NAME: the _token carried by a saved page.
token_in() { sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' "$TMP/$1.html" | head -n 1; }
# tok SURVEY: a fresh token from a freshly fetched form.
tok() {
	req tokpage "$BASE/s/$1" >/dev/null
	token_in tokpage
}
# theme_count PRIORITY THEME_NAME: the survey column of one export row.
theme_count() {
	"$EXPORT_BIN" --data "$DATA" themes --min-cell 0 | tr -d '\r' |
		awk -F, -v p="$1" -v t="\"$2\"" '$1 == p && index($0, t) { print $(NF - 4) }'
}
# Only the full answers ALL choose "Buses that go where I need", so the
# Transport row counts how many of those were stored.
transport() { theme_count 3 "Transport"; }
export_csv() { "$EXPORT_BIN" --data "$DATA" themes --min-cell 0 | tr -d '\r'; }
# summary_links_resolve NAME: every error-summary link (#id) names an id in the page.
summary_links_resolve() {
	local ids id n=0
	ids=$(sed -n '/class="error-summary"/,/<\/div>/p' "$TMP/$1.html" | sed -n 's/.*<a href="#\([^"]*\)".*/\1/p')
	for id in $ids; do
		n=$((n + 1))
		grep -qF "id=\"$id\"" "$TMP/$1.html" || { echo "  no element with id=\"$id\""; return 1; }
	done
	[ "$n" -ge 1 ]
}

start_server "$DATA" || { fail "server starts"; finish; exit 1; }
pass "server starts"

# Answers for every page of your-area, as a browser sends them (earlier pages'
# answers come back in hidden fields, so every POST carries them all).
P1=(-d feel-safe=4)
P2=(-d young-carer=yes -d carer-help=talk)
P3=(-d 'more-of[]=sport' -d 'more-of[]=buses' --data-urlencode 'worries=Buses stop at 7pm')
P4=(-d age=14-15 -d district=southmere)
ALL=("${P1[@]}" "${P2[@]}" "${P3[@]}" "${P4[@]}")

# --- 1. a survey of several pages ---------------------------------------------
export_csv >"$TMP/export0"
check "the export starts at zero for Transport" test "$(transport)" = 0
check_eq "GET /s/your-area is 200" "$(req p1 "$BASE/s/your-area")" "200"
# The young-carer follow-up counts only once "Yes" is known (forms/flow.h).
check "page 1 shows \"Question 1 of 6\"" has p1 "$(progress_line 1 1 6 'Question 1 of 6')"
T1=$(token_in p1)
check "page 1 carries a hidden one-time token (72 hex digits)" \
	bash -c "[[ '$T1' =~ ^[0-9a-f]{72}\$ ]] && grep -qF '<input type=\"hidden\" name=\"_token\" value=\"$T1\">' '$TMP/p1.html'"
check "page 1 carries _page=1" has p1 '<input type="hidden" name="_page" value="1">'
check "page 1 has a Continue button" has p1 'name="_action" value="next">Continue</button>'
check "page 1 has no Back button" lacks p1 'value="back"'
check "page 1 shows the first question only" bash -c "grep -qF 'id=\"feel-safe-1\"' '$TMP/p1.html' && no_match -qF 'young-carer' '$TMP/p1.html'"

F=(-d "_token=$T1" -d _lang=en)
check_eq "next from page 1 with feel-safe answered is 200" \
	"$(post p2 your-area "${F[@]}" -d _page=1 -d _action=next "${P1[@]}")" "200"
check "page 2 shows \"Question 2 of 6\" (its follow-up hidden until Yes)" has p2 "$(progress_line 2 2 6 'Question 2 of 6')"
check "page 2 carries feel-safe as a hidden field" has p2 '<input type="hidden" name="feel-safe" value="4">'
check "page 2 carries _page=2" has p2 '<input type="hidden" name="_page" value="2">'
check "page 2 carries the same token" has p2 "<input type=\"hidden\" name=\"_token\" value=\"$T1\">"
check "page 2 has a Back button" has p2 'name="_action" value="back">Back</button>'
check "page 2 shows no error" lacks p2 'error-summary'

check_eq "next from page 2 with the required young-carer missing is 422" \
	"$(post p2err your-area "${F[@]}" -d _page=2 -d _action=next "${P1[@]}")" "422"
check "  ... with an error summary" has p2err '<div class="error-summary"'
check "  ... the summary names the problem" has p2err '<li><a href="#young-carer-yes">Choose yes or no</a></li>'
check "  ... the message is beside the question" \
	has p2err '<p class="error-message" id="young-carer-error"><span class="visually-hidden">Error:</span> Choose yes or no</p>'
check "  ... the summary link points at an element in the page" summary_links_resolve p2err
check "  ... it stays on page 2" has p2err '<input type="hidden" name="_page" value="2">'
check "  ... the earlier answer is still carried" has p2err '<input type="hidden" name="feel-safe" value="4">'
check "  ... the title says Error" has p2err '<title>Error: '

check_eq "back from page 2 is 200" \
	"$(post back your-area "${F[@]}" -d _page=2 -d _action=back "${P1[@]}" "${P2[@]}")" "200"
check "back shows page 1" has back "$(progress_line 1 1 7 'Question 1 of 7')"
check "back keeps feel-safe checked" has back 'id="feel-safe-4" name="feel-safe" value="4" checked>'
check "back checks nothing else" bash -c "[ \$(grep -c ' checked>' '$TMP/back.html') = 1 ]"
check "back carries page 2's answers" has back '<input type="hidden" name="young-carer" value="yes">'

check_eq "next from page 2 (all answered) is 200" \
	"$(post w3 your-area "${F[@]}" -d _page=2 -d _action=next "${P1[@]}" "${P2[@]}")" "200"
check "  ... page 3 shows \"Questions 4 to 5 of 7\"" has w3 "$(progress_line 4 5 7 'Questions 4 to 5 of 7')"
check_eq "next from page 3 is 200" \
	"$(post w4 your-area "${F[@]}" -d _page=3 -d _action=next "${P1[@]}" "${P2[@]}" "${P3[@]}")" "200"
check "  ... page 4 shows \"Questions 6 to 7 of 7\"" has w4 "$(progress_line 6 7 7 'Questions 6 to 7 of 7')"
check "  ... page 4 has Continue, not Send" bash -c "grep -qF 'value=\"next\">Continue' '$TMP/w4.html' && no_match -qF 'value=\"submit\"' '$TMP/w4.html'"
check_eq "next from page 4 is 200" "$(post chk your-area "${F[@]}" -d _page=4 -d _action=next "${ALL[@]}")" "200"
check "it is the check page" has chk '<h2>Check your answers before sending them</h2>'
check "the check page carries _page=5" has chk '<input type="hidden" name="_page" value="5">'
check "  ... lists feel-safe" has chk '<dd>Quite safe</dd>'
check "  ... lists young-carer" has chk '<dd>Yes</dd>'
check "  ... lists carer-help" has chk '<dd>Someone to talk to about it</dd>'
check "  ... lists both more-of choices" has chk '<dd>Sport and things to do<br>Buses that go where I need</dd>'
check "  ... lists what was written" has chk '<span class="written">Buses stop at 7pm</span>'
check "  ... lists the age band" has chk '<dd>14 or 15</dd>'
check "  ... lists the district" has chk '<dd>Southmere</dd>'
check_eq "  ... one row per question shown" "$(grep -c 'class="summary-row"' "$TMP/chk.html")" "7"
for q in feel-safe young-carer carer-help more-of worries age district; do
	check "  ... has a Change button for $q (its own page, focused on it: test_flow.sh)" \
		has chk "name=\"_action\" value=\"change-$q\">Change"
done
check "  ... the Change button for carer-help names it" has chk 'id="change-carer-help" name="_action" value="change-carer-help">'
check "  ... has a Send my answers button" has chk 'name="_action" value="submit">Send my answers</button>'
check "  ... carries every answer hidden" bash -c "grep -qF 'name=\"feel-safe\" value=\"4\"' '$TMP/chk.html' &&
	grep -qF 'name=\"more-of[]\" value=\"buses\"' '$TMP/chk.html' && grep -qF 'name=\"district\" value=\"southmere\"' '$TMP/chk.html'"

check_eq "Change (page-2) from the check page is 200" \
	"$(post chg your-area "${F[@]}" -d _page=5 -d _action=page-2 "${ALL[@]}")" "200"
check "  ... shows page 2" has chg "$(progress_line 2 3 7 'Questions 2 to 3 of 7')"
check "  ... with young-carer kept" has chg 'id="young-carer-yes" name="young-carer" value="yes" checked>'
check "  ... with carer-help kept" has chg 'id="carer-help-talk" name="carer-help" value="talk" checked>'
check "  ... and other pages' answers carried" has chg '<input type="hidden" name="age" value="14-15">'

export_csv >"$TMP/export1"
check "moving between pages stores nothing (the export did not move)" cmp -s "$TMP/export0" "$TMP/export1"
check_eq "Send from the check page is 303" "$(post sub1 your-area "${F[@]}" -d _page=5 -d _action=submit "${ALL[@]}")" "303"
check_eq "  ... to /s/your-area/thanks" "$(location sub1)" "/s/your-area/thanks"
check_eq "the thanks page is 200" "$(req thanks1 "$BASE/s/your-area/thanks")" "200"
check "  ... and thanks them" has thanks1 '<h1>Thank you</h1>'
check_eq "the response is stored (Transport moved by 1)" "$(transport)" "1"
check "  ... and the export moved" not cmp -s "$TMP/export0" "$(export_csv >"$TMP/export2"; echo "$TMP/export2")"

# --- 2. conditional questions ---------------------------------------------------
TALK="Someone they trust to talk to, who listens"
talk0=$(theme_count 2 "$TALK") carers0=$(theme_count 4 "Young carers") sport0=$(theme_count 5 "Easier access to sport and physical activity")
NO=(-d feel-safe=3 -d young-carer=no -d carer-help=talk -d 'more-of[]=sport' -d age=16-17 -d district=eastbrook)
check_eq "the check page with young-carer=no is 200" "$(post chkno your-area -d _page=4 -d _action=next "${NO[@]}")" "200"
check "  ... does not list the carer question" bash -c "grep -qF 'Check your answers' '$TMP/chkno.html' && no_match -qF 'What would help you most' '$TMP/chkno.html'"
check "  ... and does not carry its answer" lacks chkno 'name="carer-help"'
check_eq "with young-carer=no, a carer-help answer sent anyway: 303" \
	"$(post condno your-area -d "_token=$(tok your-area)" -d _page=5 -d _action=submit "${NO[@]}")" "303"
check_eq "  ... the response is counted (sport moved by 1)" \
	"$(theme_count 5 "Easier access to sport and physical activity")" "$((sport0 + 1))"
check_eq "  ... but carer-help=talk is not (someone-to-talk-to did not move)" "$(theme_count 2 "$TALK")" "$talk0"
check_eq "  ... and young carers did not move" "$(theme_count 4 "Young carers")" "$carers0"
YES=(-d feel-safe=3 -d young-carer=yes -d carer-help=talk -d 'more-of[]=sport' -d age=16-17 -d district=eastbrook)
check_eq "with young-carer=yes, carer-help=talk: 303" \
	"$(post condyes your-area -d "_token=$(tok your-area)" -d _page=5 -d _action=submit "${YES[@]}")" "303"
check_eq "  ... carer-help=talk is counted (someone-to-talk-to moved by 1)" "$(theme_count 2 "$TALK")" "$((talk0 + 1))"
check_eq "  ... young carers moved by 1" "$(theme_count 4 "Young carers")" "$((carers0 + 1))"

# --- 3. "something else" ---------------------------------------------------------
JOBS="Jobs, careers and money"
jobs0=$(theme_count 3 "$JOBS")
OTHER=(-d feel-safe=5 -d young-carer=yes --data-urlencode 'carer-help.other=My gran needs lifts' -d 'more-of[]=work' -d age=18-21 -d district=westfield)
check_eq "young-carer=yes with carer-help.other text: next to the check page is 200" \
	"$(post chkoth your-area -d _page=4 -d _action=next "${OTHER[@]}")" "200"
check "  ... the check page shows \"Something else: text\"" has chkoth '<dd>Something else: My gran needs lifts</dd>'
check "  ... the text is carried" has chkoth '<input type="hidden" name="carer-help.other" value="My gran needs lifts">'
check_eq "  ... and it is taken on Send (303)" \
	"$(post suboth your-area -d "_token=$(tok your-area)" -d _page=5 -d _action=submit "${OTHER[@]}")" "303"
x200=$(head -c 200 /dev/zero | tr '\0' 'x')
check_eq "other text of exactly 200 characters is fine (200)" \
	"$(post oth200 your-area -d _page=2 -d _action=next -d feel-safe=5 -d young-carer=yes -d "carer-help.other=$x200")" "200"
check_eq "other text of 201 characters is 422" \
	"$(post oth201 your-area -d _page=2 -d _action=next -d feel-safe=5 -d young-carer=yes -d "carer-help.other=${x200}x")" "422"
check "  ... saying how long it is" has oth201 'What you wrote is 201 characters long'
check "  ... beside the question" has oth201 'id="carer-help-error"'
long_other=(-d feel-safe=5 -d young-carer=yes -d "carer-help.other=${x200}y" -d 'more-of[]=work' -d age=18-21 -d district=westfield)
check_eq "Send with other text of 201 characters is 422" \
	"$(post oth201s your-area -d "_token=$(tok your-area)" -d _page=5 -d _action=submit "${long_other[@]}")" "422"
check "  ... and goes back to page 2 with the message" \
	bash -c "grep -qF 'Questions 2 to 3 of 7' '$TMP/oth201s.html' && grep -qF 'What you wrote is 201 characters long' '$TMP/oth201s.html'"
check_eq "the something-else response was stored once, the 201-character one not (Jobs moved by 1)" \
	"$(theme_count 3 "$JOBS")" "$((jobs0 + 1))"

# --- 4. one-time tokens -----------------------------------------------------------
TD=$(tok your-area)
tr0=$(transport)
for n in 1 2 3; do
	check_eq "the same token sent $n time(s): 303 to thanks" \
		"$(post dbl$n your-area -d "_token=$TD" -d _page=5 -d _action=submit "${ALL[@]}") $(location dbl$n)" \
		"303 /s/your-area/thanks"
done
check_eq "one token sent three times stored one response" "$(transport)" "$((tr0 + 1))"
TC=$(tok your-area)
req conc1 -d "_token=$TC" -d _page=5 -d _action=submit "${ALL[@]}" "$BASE/s/your-area" >"$TMP/conc1.status" &
c1=$!
req conc2 -d "_token=$TC" -d _page=5 -d _action=submit "${ALL[@]}" "$BASE/s/your-area" >"$TMP/conc2.status" &
c2=$!
wait "$c1" "$c2"  # not a bare wait: the server is a child too
check_eq "two concurrent sends with one token: both 303" "$(cat "$TMP/conc1.status") $(cat "$TMP/conc2.status")" "303 303"
check_eq "  ... and stored one response" "$(transport)" "$((tr0 + 2))"

check_eq "Send with no token is 422" "$(post notok your-area -d _page=5 -d _action=submit "${ALL[@]}")" "422"
check "  ... with the \"open for a long time\" notice" has notok 'This page was open for a long time'
check "  ... on the check page with the answers kept" \
	bash -c "grep -qF 'Check your answers' '$TMP/notok.html' && grep -qF '<dd>Southmere</dd>' '$TMP/notok.html' && grep -qF 'name=\"feel-safe\" value=\"4\"' '$TMP/notok.html'"
NEWTOK=$(token_in notok)
check "  ... and a fresh token in the page" bash -c "[[ '$NEWTOK' =~ ^[0-9a-f]{72}\$ ]]"
TF=$(tok your-area)  # unused: only the changed digit can make it fail
FORGED="${TF:0:40}$( [ "${TF:40:1}" = a ] && echo b || echo a )${TF:41}"
check "the forged token differs from a real one in one hex digit" test "$FORGED" != "$TF" -a "${#FORGED}" = 72
check_eq "Send with a forged token is 422" "$(post forged your-area -d "_token=$FORGED" -d _page=5 -d _action=submit "${ALL[@]}")" "422"
check "  ... with the notice" has forged 'This page was open for a long time'
check "  ... answers kept" has forged '<dd>Sport and things to do<br>Buses that go where I need</dd>'
FRESH2=$(token_in forged)
check "  ... and a fresh token, not the forged one" bash -c "[[ '$FRESH2' =~ ^[0-9a-f]{72}\$ ]] && [ '$FRESH2' != '$FORGED' ]"
FORGED2="${TF:0:71}$( [ "${TF:71:1}" = 0 ] && echo 1 || echo 0 )"
check_eq "a token with its last hex digit changed is 422" \
	"$(post forged2 your-area -d "_token=$FORGED2" -d _page=5 -d _action=submit "${ALL[@]}")" "422"
check_eq "missing and forged tokens stored nothing" "$(transport)" "$((tr0 + 2))"
check_eq "the fresh token from the 422 page works" \
	"$(post fresh your-area -d "_token=$NEWTOK" -d _page=5 -d _action=submit "${ALL[@]}") $(location fresh)" "303 /s/your-area/thanks"
check_eq "  ... and stores the response" "$(transport)" "$((tr0 + 3))"
check_eq "the real token the forgeries came from still works" \
	"$(post unforged your-area -d "_token=$TF" -d _page=5 -d _action=submit "${ALL[@]}") $(location unforged)" "303 /s/your-area/thanks"
check_eq "  ... and stores the response" "$(transport)" "$((tr0 + 4))"

# A token is bound to the survey whose form it came with.
wm_rows() { sqlite3 "$DB" "SELECT count(*) FROM responses WHERE survey = 'what-matters'"; }
WM_FULL=(-d most-important=talk -d 'make-better[]=sport' -d age=14-15 -d district=northvale)
TY=$(tok your-area)
wm0=$(wm_rows)
check_eq "a your-area token sent to what-matters is 422" \
	"$(post cross what-matters -d "_token=$TY" "${WM_FULL[@]}")" "422"
check "  ... with the \"open for a long time\" notice" has cross 'This page was open for a long time'
check "  ... answers kept" has cross 'name="most-important" value="talk" checked'
check_eq "  ... and nothing stored" "$(wm_rows)" "$wm0"
CROSSTOK=$(token_in cross)
check "  ... with a fresh token in the page" bash -c "[[ '$CROSSTOK' =~ ^[0-9a-f]{72}\$ ]] && [ '$CROSSTOK' != '$TY' ]"
check_eq "sending again with that token is 303" \
	"$(post cross2 what-matters -d "_token=$CROSSTOK" "${WM_FULL[@]}") $(location cross2)" "303 /s/what-matters/thanks"
check_eq "  ... and stores the what-matters response" "$(wm_rows)" "$((wm0 + 1))"
check_eq "the what-matters token is refused by your-area" \
	"$(post cross3 your-area -d "_token=$CROSSTOK" -d _page=5 -d _action=submit "${ALL[@]}")" "422"
check_eq "  ... which stored nothing" "$(transport)" "$((tr0 + 4))"
check_eq "the your-area token still works on your-area" \
	"$(post cross4 your-area -d "_token=$TY" -d _page=5 -d _action=submit "${ALL[@]}") $(location cross4)" "303 /s/your-area/thanks"
check_eq "  ... and stores the your-area response" "$(transport)" "$((tr0 + 5))"

# --- 5. validation on a single-page survey ------------------------------------------
WM_OK=(-d 'make-better[]=sport' -d age=14-15 -d district=northvale)
check_eq "what-matters without its required answer is 422" \
	"$(post wm1 what-matters -d "_token=$(tok what-matters)" "${WM_OK[@]}")" "422"
check "  ... the survey's own message in the summary" has wm1 '<a href="#most-important-talk">Choose the one that matters most to you</a>'
check "  ... and beside the question" has wm1 '<p class="error-message" id="most-important-error"><span class="visually-hidden">Error:</span> Choose the one that matters most to you</p>'
check "  ... not a generic message" bash -c "no_match -qi 'invalid input' '$TMP/wm1.html'"
check "  ... summary links resolve" summary_links_resolve wm1
check_eq "what-matters with 4 choices (max 3) is 422" \
	"$(post wm2 what-matters -d "_token=$(tok what-matters)" -d most-important=talk -d 'make-better[]=sport' -d 'make-better[]=food' \
		-d 'make-better[]=transport' -d 'make-better[]=info' -d age=14-15 -d district=northvale)" "422"
check "  ... says \"Choose up to 3 answers\"" has wm2 'Choose up to 3 answers'
check "  ... beside the question" has wm2 'id="make-better-error"'
check "  ... the four ticks are kept" bash -c "[ \$(grep -c 'name=\"make-better\[\]\" value=\"[a-z]*\" checked' '$TMP/wm2.html') = 4 ]"
check "  ... summary links resolve" summary_links_resolve wm2
check_eq "both problems at once is 422" \
	"$(post wm3 what-matters -d 'make-better[]=sport' -d 'make-better[]=food' -d 'make-better[]=transport' -d 'make-better[]=info')" "422"
check_eq "  ... the summary lists four problems" \
	"$(sed -n '/class="error-summary"/,/<\/div>/p' "$TMP/wm3.html" | grep -c '<li><a href="#')" "4"
check "  ... every summary link resolves" summary_links_resolve wm3
check "  ... age has its own message" has wm3 'Choose your age group, or “Prefer not to say”'

# --- 7. translations -----------------------------------------------------------------
check_eq "GET ?lang=ur is 200" "$(req ur1 "$BASE/s/your-area?lang=ur")" "200"
check "  ... <html lang=\"ur\" dir=\"rtl\">" has ur1 '<html lang="ur" dir="rtl">'
check "  ... the Urdu title" has ur1 '<h1>آپ کا علاقہ، آپ کی رائے</h1>'
check "  ... the Urdu question" has ur1 'آپ اپنے علاقے میں کتنا محفوظ محسوس کرتے ہیں؟'
check "  ... carries _lang=ur" has ur1 '<input type="hidden" name="_lang" value="ur">'
check "  ... links back to English" has ur1 '<a href="/s/your-area?lang=en" hreflang="en"'
check_eq "GET ?lang=xx is 200" "$(req xx "$BASE/s/your-area?lang=xx")" "200"
check "  ... falls back to English" bash -c "grep -qF '<html lang=\"en\">' '$TMP/xx.html' && grep -qF '<h1>Your area, your say</h1>' '$TMP/xx.html'"
check "  ... not right to left" not grep -q '<html[^>]*dir=' "$TMP/xx.html"
check "  ... carries _lang=en" has xx '<input type="hidden" name="_lang" value="en">'
TU=$(tok your-area)
tru=$(transport)
U=(-d "_token=$TU" -d _lang=ur)
check_eq "POST next with _lang=ur is 200" "$(post ur2 your-area "${U[@]}" -d _page=1 -d _action=next "${P1[@]}")" "200"
check "  ... page 2 is in Urdu" bash -c "grep -qF '<html lang=\"ur\" dir=\"rtl\">' '$TMP/ur2.html' && grep -qF 'سوال 2 از 6' '$TMP/ur2.html'"
check "  ... and still carries _lang=ur" has ur2 '<input type="hidden" name="_lang" value="ur">'
check_eq "POST with _lang=ur and young-carer missing is 422" "$(post ur3 your-area "${U[@]}" -d _page=2 -d _action=next "${P1[@]}")" "422"
check "  ... the summary heading is in Urdu" has ur3 '<h2 id="error-summary-title">ایک مسئلہ ہے</h2>'
check "  ... the message is in Urdu" has ur3 '<li><a href="#young-carer-yes">ہاں یا نہیں چنیں</a></li>'
check "  ... and not in English" lacks ur3 'Choose yes or no'
check_eq "POST with _lang=ur and 201 characters of other text is 422" \
	"$(post ur4 your-area "${U[@]}" -d _page=2 -d _action=next "${P1[@]}" -d young-carer=yes -d "carer-help.other=${x200}z")" "422"
check "  ... the length message is in Urdu with its numbers" has ur4 'آپ نے جو لکھا وہ 201 حروف کا ہے – براہ کرم اسے 200 یا اس سے کم رکھیں'
check_eq "Send with _lang=ur is 303" "$(post ur5 your-area "${U[@]}" -d _page=5 -d _action=submit "${ALL[@]}")" "303"
check_eq "  ... to /s/your-area/thanks?lang=ur" "$(location ur5)" "/s/your-area/thanks?lang=ur"
check_eq "  ... and is stored" "$(transport)" "$((tru + 1))"
check_eq "the Urdu thanks page is 200" "$(req urthanks "$BASE/s/your-area/thanks?lang=ur")" "200"
check "  ... in Urdu" bash -c "grep -qF '<html lang=\"ur\" dir=\"rtl\">' '$TMP/urthanks.html' && grep -qF '<h1>شکریہ</h1>' '$TMP/urthanks.html'"

# --- 9. hostile inputs on the flow ----------------------------------------------------
for p in 0 6 99 abc -1 ''; do
	check_eq "_page='$p' is 400" "$(post hp your-area -d "_page=$p" -d _action=next "${P1[@]}")" "400"
done
check "  ... saying what was wrong" has hp 'The page number in the form is not one of'
for a in explode page-99 page-0 page-5 page- NEXT; do
	check_eq "_action=$a is 400" "$(post ha your-area -d _page=2 -d "_action=$a" "${P1[@]}" "${P2[@]}")" "400"
done
check_eq "back from page 1 is 400" "$(post hb your-area -d _page=1 -d _action=back "${P1[@]}")" "400"
check_eq "next from the check page is 400" "$(post hn your-area -d _page=5 -d _action=next "${ALL[@]}")" "400"
# what-matters has one page and no check page: "next" must be refused, or else
# the page it returns must be one the server accepts back.
WMN=(-d most-important=talk -d 'make-better[]=sport' -d age=14-15 -d district=northvale)
TN=$(tok what-matters)
wmnext=$(post wmn what-matters -d "_token=$TN" -d _action=next "${WMN[@]}")
WM_STORED=0
if [ "$wmnext" = 400 ]; then
	pass "_action=next on the one-page what-matters is 400"
else
	wmpage=$(sed -n 's/.*name="_page" value="\([0-9]*\)".*/\1/p' "$TMP/wmn.html" | head -n 1)
	wmsend=$(post wmns what-matters -d "_token=$TN" -d "_page=$wmpage" -d _action=submit "${WMN[@]}")
	check_eq "_action=next on what-matters ($wmnext, _page=$wmpage): that page's Send button works" "$wmsend" "303"
	[ "$wmsend" = 303 ] && WM_STORED=1
fi
# no_script_but_ours NAME: the page's only script tag is ours (respond.js).
no_script_but_ours() {
	[ -s "$TMP/$1.html" ] && [ "$(grep -o '<script[^>]*>' "$TMP/$1.html" | grep -vxcF '<script src="/static/respond.js">')" = 0 ]
}
XSS='<script>alert(1)</script>'
EVIL=(-d feel-safe=2 -d young-carer=yes --data-urlencode "carer-help.other=$XSS" -d 'more-of[]=sport'
	--data-urlencode 'worries="></textarea><script>alert(2)</script>' -d age=11-13 -d district=northvale)
check_eq "markup in other text: next from page 2 is 200" \
	"$(post x3 your-area -d _page=2 -d _action=next "${EVIL[@]}")" "200"
check "  ... carried escaped on the next page" has x3 '<input type="hidden" name="carer-help.other" value="&lt;script&gt;alert(1)&lt;/script&gt;">'
check "  ... never raw" no_script_but_ours x3
check_eq "markup: the check page is 200" "$(post x5 your-area -d _page=4 -d _action=next "${EVIL[@]}")" "200"
check "  ... shows it escaped" has x5 '<dd>Something else: &lt;script&gt;alert(1)&lt;/script&gt;</dd>'
check "  ... the written answer escaped too" has x5 '<span class="written">&quot;&gt;&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</span>'
check "  ... never raw" no_script_but_ours x5
check_eq "markup: back to page 2 is 200" "$(post x2 your-area -d _page=5 -d _action=page-2 "${EVIL[@]}")" "200"
check "  ... the box holds it escaped" has x2 'name="carer-help.other" autocomplete="off" value="&lt;script&gt;alert(1)&lt;/script&gt;">'
check "  ... never raw" no_script_but_ours x2

tr1=$(transport)
check "the server stops cleanly" stop_server
# your-area: 1 walked + 2 conditional + 1 something else + 1 thrice-sent
# + 1 concurrent + 1 fresh token + 1 unforged + 1 bound token + 1 Urdu;
# what-matters: 1 sent again after a your-area token was refused
check_eq "exactly one row per acknowledged response" "$(sqlite3 "$DB" 'SELECT count(*) FROM responses')" "$((11 + WM_STORED))"
check_eq "Transport counted 7 of them" "$tr1" "7"
check_eq "every stored response but those to what-matters is to your-area" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE survey = 'your-area'")" "10"
check_eq "one used token per response" "$(sqlite3 "$DB" 'SELECT count(*) FROM used_tokens')" "$((11 + WM_STORED))"

# --- 6. lifecycle: draft, closed, not yet open, past closing ------------------------------
FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
WM="$ROOT/forms/surveys/what-matters.json"
mk() { # NAME SED_EXPRESSION: a copy of what-matters with id NAME
	sed -e "s/\"id\": \"what-matters\"/\"id\": \"$1\"/" -e "s/\"title\": \"What matters to you?\"/\"title\": \"Survey $1\"/" -e "$2" "$WM" \
		>"$FORMS/surveys/$1.json"
}
mk drafty 's/"status": "open"/"status": "draft"/'
mk closedy 's/"status": "open"/"status": "closed"/'
mk future 's/"status": "open",/"status": "open", "opens": "2099-01-01",/'
mk past 's/"status": "open",/"status": "open", "closes": "2000-01-01",/'
mk current 's/"status": "open",/"status": "open", "opens": "2000-01-01", "closes": "2099-12-31",/'
DATA="$TMP/data2"
DB="$DATA/youthvoice.db"
start_server "$DATA" "$FORMS" || { fail "the server starts with the extra surveys"; finish; exit 1; }
pass "the server starts with draft, closed and dated surveys"
declare -A WANT=([drafty]="isn’t open yet" [future]="isn’t open yet" [closedy]="has closed" [past]="has closed")
WMA=(-d most-important=talk -d 'make-better[]=sport' -d age=14-15 -d district=northvale)
TL=$(tok current)
for s in drafty closedy future past; do
	check_eq "GET /s/$s is 200" "$(req l-$s "$BASE/s/$s")" "200"
	check "  ... says it ${WANT[$s]}" has l-$s "${WANT[$s]}"
	check "  ... shows its title" has l-$s "<h1>Survey $s</h1>"
	check "  ... and no form" bash -c "no_match -qF '<form' '$TMP/l-$s.html' && no_match -qF '_token' '$TMP/l-$s.html'"
	check_eq "POST /s/$s is 403" "$(post lp-$s $s -d "_token=$TL" "${WMA[@]}")" "403"
	check "  ... with the same friendly message" has lp-$s "${WANT[$s]}"
done
check_eq "GET / is 200" "$(req idx "$BASE/")" "200"
for s in what-matters your-area current; do
	check "GET / lists open survey $s" has idx "<a href=\"/s/$s\">"
done
for s in drafty closedy future past; do
	check "GET / does not list $s" lacks idx "/s/$s\""
done
check_eq "the open dated survey takes an answer" "$(post lp-current current -d "_token=$TL" "${WMA[@]}") $(location lp-current)" \
	"303 /s/current/thanks"
check "the server stops cleanly" stop_server
check_eq "only the open survey's response was stored" \
	"$(sqlite3 "$DB" "SELECT group_concat(survey) FROM responses")" "current"

# --- 8. privacy of the flow ---------------------------------------------------------------
nresp=$(grep -c '^HTTP/' "$HEADERS")
check_eq "the headers of every request were collected ($nresp)" "$nresp" "$(wc -l <"$TMP/requests")"
check "no response set a cookie" not grep -qi '^Set-Cookie' "$HEADERS"
check_eq "every response carries the Content-Security-Policy" \
	"$(grep -ci "^Content-Security-Policy: default-src 'none'" "$HEADERS")" "$nresp"

finish
