#!/usr/bin/env bash
# The respondent's flow through a survey of several pages, over real HTTP
# (forms/flow.h, core/draft.h): every step of a browser's form answers 303
# to a GET of an encrypted draft (Post/Redirect/Get), whose address holds no
# answer; a follow-up asked on its own step without JavaScript and not again
# when revealed in place; answers to hidden questions dropped, not required,
# not listed; a page whose questions are all hidden skipped; an honest
# progress count; "Change" opening the question's page focused on it, with
# Continue and Back going straight back to the check page; and, once sent,
# every earlier step's address leading to the thanks page only; an expired
# step's address (410) says so in the survey's language its address names
# (?lang=CODE, which a step in a translation carries), with lang and dir.
. "$(dirname "$0")/lib.sh"

FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
# A survey whose third page asks only someone who answered "yes" on page 1.
cat >"$FORMS/surveys/flow-skip.json" <<'JSON'
{
  "id": "flow-skip", "consultation": "cyp-plan-2027", "title": "Flow skip",
  "introduction": "A test survey.", "privacy": "Kept safe.", "status": "open",
  "pages": [
    { "questions": [ { "id": "club", "type": "yes_no", "title": "Do you go to a youth club?" } ] },
    { "questions": [ { "id": "sport", "type": "yes_no", "title": "Do you play sport?" } ] },
    { "questions": [ { "id": "club-good", "type": "text", "title": "What is good about it?",
                       "show_if": { "question": "club", "answer": "yes" } } ] },
    { "questions": [ { "id": "age", "type": "age_band", "title": "How old are you?" } ] }
  ]
}
JSON
start_server "$TMP/data" "$FORMS" || exit 1
S="$BASE/s/your-area"
TOKEN=$(fresh_token your-area)

# post ARGS...: a step of your-area as the browser's form sends it.
post() { req - -d "_token=$TOKEN" -d _prg=1 "$@" "$S"; }
# follow: GET the address the last answer redirected to.
follow() { local to=${R#* }; req - "$to"; LAST_URL=$to; }
title_of() { grep -o '<h2 class="question-title">.*</h2>' "$B" | sed 's/<[^>]*>//g; s/ *(optional)$//; s/ *$//'; }

# --- Post/Redirect/Get ---------------------------------------------------------
post -d _page=1 -d feel-safe=3 -d _action=next
check_eq "Continue from a browser's form answers 303" "${R%% *}" "303"
check "  ... to /s/SURVEY/a/KEY (43 characters of base64url)" \
	bash -c "[[ '${R#* }' =~ ^$BASE/s/your-area/a/[A-Za-z0-9_-]{43}$ ]]"
check "  ... whose address holds no answer" bash -c "no_match -q 'feel-safe\|=3' - <<<'${R#* }'"
grep -qi '^Cache-Control: no-store' "$H"; check_eq "  ... sent no-store" "$?" "0"
follow
check_eq "  ... and the GET shows page 2" "$(title_of | head -n 1)" "Do you help look after someone at home, such as a parent, brother or sister?"
check_eq "  ... with status 200" "${R%% *}" "200"
grep -qi '^Cache-Control: no-store' "$H"; check_eq "  ... sent no-store" "$?" "0"
grep -qi '^Referrer-Policy: no-referrer' "$H"; check_eq "  ... and no-referrer (the address is a key)" "$?" "0"
check "  ... carrying page 1's answer in the form" grep -qF 'name="feel-safe" value="3"' "$B"
check_eq "  ... a second GET of the same address shows it again (Back, reload)" "$(status_of "$LAST_URL")" "200"
check "  ... progress counts the questions asked so far: 2 of 6 (the follow-up is not yet asked)" \
	grep -qF 'Question 2 of 6' "$B"
check "  ... the follow-up is sent hidden, for in-place reveal" \
	grep -qF '<div class="conditional" id="conditional-carer-help" data-show-if="young-carer yes" hidden>' "$B"
check "  ... with its marker off" grep -qF '<input type="hidden" name="_shown" value="carer-help" disabled>' "$B"
check "  ... and no 'Only if you answered' line" bash -c "no_match -qF 'Only if you answered' '$B'"
check "  ... the page loads respond.js, from our own origin" grep -qF '<script src="/static/respond.js"></script>' "$B"
check_eq "respond.js is served" "$(status_of "$BASE/static/respond.js")" "200"

req - -d "_token=$TOKEN" -d _page=1 -d feel-safe=3 -d _action=next "$S"
check_eq "a form without _prg (a script, a load tool) gets the page itself: 200" "${R%% *}" "200"

# --- a follow-up without JavaScript: its own step ---------------------------------
post -d _page=2 -d feel-safe=3 -d young-carer=yes -d _action=next
follow
check_eq "without JavaScript, Yes to the young-carer question brings the follow-up on its own step" \
	"$(title_of)" "What would help you most with looking after someone?"
check "  ... marked as the page's follow-up" grep -qF 'name="_part" value="2"' "$B"
check "  ... counted: Question 3 of 7" grep -qF 'Question 3 of 7' "$B"
post -d _page=2 -d _part=2 -d feel-safe=3 -d young-carer=yes -d carer-help=talk -d _action=next
follow
check_eq "  ... Continue there goes on to page 3" "$(title_of | head -n 1)" "What would you like more of where you live?"
post -d _page=2 -d _part=2 -d feel-safe=3 -d young-carer=yes -d carer-help=talk -d _action=back
follow
check_eq "  ... Back from it goes to its page" "$(title_of | head -n 1)" \
	"Do you help look after someone at home, such as a parent, brother or sister?"
check "  ... which now shows it in place (its condition known), marker on" \
	grep -qF '<input type="hidden" name="_shown" value="carer-help">' "$B"
check "  ... open, and counted in the progress line" grep -qF 'data-show-if="young-carer yes" data-counted="1">' "$B"

# --- revealed in place (JavaScript): not asked again --------------------------------
post -d _page=2 -d feel-safe=3 -d young-carer=yes -d _shown=carer-help -d carer-help=school -d _action=next
follow
check_eq "revealed in place, the follow-up is not asked again: page 3 next" "$(title_of | head -n 1)" \
	"What would you like more of where you live?"

# --- hidden: dropped, not required, not listed --------------------------------------
post -d _page=2 -d feel-safe=3 -d young-carer=no -d carer-help=talk -d _action=next
follow
check_eq "No to the young-carer question: straight to page 3" "$(title_of | head -n 1)" \
	"What would you like more of where you live?"
check "  ... the hidden question's answer is not carried" bash -c "no_match -qF 'name=\"carer-help\"' '$B'"
ALL=(-d feel-safe=3 -d young-carer=no -d carer-help=talk -d 'more-of[]=sport' -d age=14-15 -d district=eastbrook)
post -d _page=4 "${ALL[@]}" -d _action=next
follow
check "the check page lists what was asked" grep -qF 'Do you help look after someone at home' "$B"
check "  ... and not the hidden question" bash -c "no_match -qF 'What would help you most' '$B'"

# --- Change ------------------------------------------------------------------------
post -d _page=5 "${ALL[@]}" -d _action=change-district
check_eq "Change answers 303" "${R%% *}" "303"
check "  ... to the draft (focus comes by autofocus, no #fragment)" bash -c "[[ '${R#* }' =~ /a/[A-Za-z0-9_-]{43}$ ]]"
follow
check_eq "  ... its page" "$(title_of | tail -n 1)" "Which area do you live in?"
check "  ... focused on the question, at the answer given" grep -qF 'id="district-eastbrook" name="district" value="eastbrook" autofocus checked>' "$B"
check_eq "  ... one autofocus only" "$(grep -o 'autofocus' "$B" | wc -l)" "1"
check "  ... Continue will come back (the form says so)" grep -qF 'name="_return" value="check"' "$B"
post -d _page=4 -d _return=check "${ALL[@]/eastbrook/westfield}" -d _action=next
follow
check "  ... Continue goes straight back to check your answers" grep -qF 'Check your answers before sending them' "$B"
check "  ... with the new answer" grep -qF 'Westfield' "$B"
post -d _page=4 -d _return=check "${ALL[@]}" -d _action=back
follow
check "  ... Back from a Change page returns to check your answers too" grep -qF 'Check your answers before sending them' "$B"
post -d _page=4 -d _return=check -d feel-safe=3 -d young-carer=no -d 'more-of[]=sport' -d age=14-15 -d _action=next
follow
check_eq "  ... a problem on the Change page keeps it there (422 on the GET)" "${R%% *}" "422"
check "  ... with the error summary" grep -qF 'There is a problem' "$B"
check "  ... still coming back to check" grep -qF 'name="_return" value="check"' "$B"
post -d _page=5 "${ALL[@]}" -d _action=change-young-carer
follow
check "Change on a question with a follow-up: focused on it" grep -qF 'id="young-carer-no" name="young-carer" value="no" autofocus checked>' "$B"
post -d _page=5 -d feel-safe=3 -d 'more-of[]=sport' -d age=14-15 -d district=eastbrook -d _action=change-young-carer
follow
check "  ... with no answer given, at its first choice" grep -qF 'id="young-carer-yes" name="young-carer" value="yes" autofocus>' "$B"
YES=(-d feel-safe=3 -d young-carer=yes -d 'more-of[]=sport' -d age=14-15 -d district=eastbrook)
post -d _page=2 -d _return=check "${YES[@]}" -d _action=next
follow
check_eq "  ... changed to Yes without JavaScript: the follow-up comes first" "$(title_of)" \
	"What would help you most with looking after someone?"
check "  ... still coming back to check" grep -qF 'name="_return" value="check"' "$B"
post -d _page=2 -d _part=2 -d _return=check "${YES[@]}" -d carer-help=time-off -d _action=next
follow
check "  ... then check your answers" grep -qF 'Check your answers before sending them' "$B"
check "  ... which now lists the follow-up" grep -qF 'Time off to do things for myself' "$B"

# --- errors -----------------------------------------------------------------------
post -d _page=2 -d feel-safe=3 -d _action=next
check_eq "a problem on Continue answers 303 too (Back never resends)" "${R%% *}" "303"
follow
check_eq "  ... and its GET says 422" "${R%% *}" "422"
check "  ... with the error summary and the answer kept" bash -c \
	"grep -qF 'There is a problem' '$B' && grep -qF 'name=\"feel-safe\" value=\"3\"' '$B'"

# --- sending wipes the journey's drafts ----------------------------------------------
post -d _page=4 "${ALL[@]}" -d _action=next
follow
CHECK_URL=$LAST_URL
post -d _page=5 "${ALL[@]}" -d _action=submit
check_eq "Send answers 303 to thanks" "${R#* }" "$S/thanks"
req - "$CHECK_URL"
check_eq "  ... after which an earlier step's address (Back) goes to the thanks page" "$R" "303 $S/thanks"
check "  ... showing no answer (headers and body)" bash -c "no_match -qF 'Eastbrook' '$H' '$B'"
check_eq "an unknown draft key: 410" "$(status_of "$S/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")" "410"
check_eq "a malformed draft key: 410" "$(status_of "$S/a/short")" "410"
check_eq "a draft key under another survey: 410" "$(status_of "$BASE/s/what-matters/a/${CHECK_URL##*/}")" "410"
# The expired page speaks the survey's language the step's address names.
GONE="$S/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
req - "$GONE"
check_eq "expired, in English: 410" "$R" "410 "
check "  ... lang=\"en\", left to right" grep -qF '<html lang="en">' "$B"
check "  ... says so, in English" grep -qF '<h1>This page has expired</h1>' "$B"
check "  ... and links to the survey's start" grep -qF '<a class="button" href="/s/your-area">Start the survey again</a>' "$B"
req - "$GONE?lang=ur"
check_eq "expired, in Urdu: 410" "$R" "410 "
check "  ... lang=\"ur\" dir=\"rtl\"" grep -qF '<html lang="ur" dir="rtl">' "$B"
check "  ... says so, in Urdu (title, heading, text, links)" bash -c "grep -qF '<title>اس صفحے کی میعاد ختم ہو گئی ہے' '$B' &&
	grep -qF '<h1>اس صفحے کی میعاد ختم ہو گئی ہے</h1>' '$B' && grep -qF 'براہ کرم سروے دوبارہ شروع کریں۔</p>' '$B' &&
	grep -qF '<a class=\"button\" href=\"/s/your-area?lang=ur\">سروے دوبارہ شروع کریں</a>' '$B' &&
	grep -qF '>دوسرے سروے دیکھیں</a>' '$B'"
check "  ... with no English left in its text" bash -c "no_match -qE 'expired|Start the survey|See other|Please' '$B'"
req - "$GONE?lang=xx"
check_eq "expired, in a language the survey lacks: 410 in English" "$R" "410 "
check "  ... lang=\"en\"" grep -qF '<html lang="en">' "$B"
UR_TOKEN=$(curl -s --max-time 20 "$S?lang=ur" | sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
req - -d "_token=$UR_TOKEN" -d _prg=1 -d _lang=ur -d _page=1 -d feel-safe=3 -d _action=next "$S"
check "a step in Urdu redirects to its draft with ?lang=ur (so the expired page knows)" \
	bash -c "[[ '$R' =~ ^303\ $S/a/[A-Za-z0-9_-]{43}\?lang=ur$ ]]"
follow
check "  ... which is the next page, in Urdu" bash -c "grep -qF '<html lang=\"ur\" dir=\"rtl\">' '$B' && grep -qF 'young-carer' '$B'"
check_eq "POST to a draft address: 405" "$(status_of -d x=1 "$CHECK_URL")" "405"
check "no answer reached the log" bash -c "no_match -qiF 'eastbrook' '$SERVER_LOG'"

# --- a page whose questions are all hidden is skipped --------------------------------
TOKEN=$(fresh_token flow-skip)
S="$BASE/s/flow-skip"
post -d _page=2 -d club=no -d sport=yes -d _action=next
follow
check_eq "a page whose only question is hidden is skipped" "$(title_of)" "How old are you?"
check "  ... and the count says 3 of 3" grep -qF 'Question 3 of 3' "$B"
post -d _page=4 -d club=no -d sport=yes -d age=14-15 -d _action=back
follow
check_eq "  ... Back skips it too" "$(title_of)" "Do you play sport?"
post -d _page=2 -d club=yes -d sport=yes -d _action=next
follow
check_eq "  ... and it is asked when its condition is met" "$(title_of)" "What is good about it?"
check "  ... counted: 3 of 4" grep -qF 'Question 3 of 4' "$B"
post -d _page=5 -d club=no -d sport=yes -d age=14-15 -d club-good=hidden-words -d _action=submit
check_eq "a hidden required question is not required: sent (303)" "${R#* }" "$S/thanks"

stop_server
check "the server stops cleanly" true
finish
