#!/usr/bin/env bash
# Surveys built in the browser (survey-server/builder.c): a commissioner
# pastes a survey's JSON, sees forms/' own messages for its mistakes, keeps
# it as a draft nobody can answer, previews it (no token, nothing stored),
# publishes it without a restart, and young people answer it.  After
# answers, an edit that removes a choice is refused; hiding it makes
# version 2; the export counts every answer of both versions exactly, and
# every version survives a restart.  The download gives back the file.
# Files in forms/: stored as version 1, a changed file is the next version,
# and one that removes an answered choice stops the start with a message.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
add_staff "$DATA" kai:youth-worker cleo:commissioner || { fail "staff accounts"; finish; exit 1; }
start_server "$DATA" "$FORMS" || { fail "server starts"; finish; exit 1; }
CC=$(sign_in "$TMP/c" cleo)
CY=$(sign_in "$TMP/y" kai)
S="$BASE/staff/surveys"
db() { sqlite3 "$DATA/youthvoice.db" "$@"; }
# post JAR URL CURL_ARGS...: prints the status; the body is in $TMP/body.
post() { local jar=$1 url=$2; shift 2; curl -s --max-time 20 -o "$TMP/body" -w '%{http_code}' -b "$jar" "$@" "$url"; }
answer() { # answer FOOD: one response to lunch, prints the status
	curl -s --max-time 20 -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token lunch)&food=$1&why=" "$BASE/s/lunch"
}

cat >"$TMP/lunch.json" <<'JSON'
{
  "id": "lunch",
  "consultation": "cyp-plan-2027",
  "title": "School lunch",
  "introduction": "Tell us about lunch at school.",
  "privacy": "We do not ask your name.",
  "status": "open",
  "questions": [
    { "id": "food", "type": "single", "title": "What do you eat most?",
      "options": [
        { "id": "pizza", "label": "Pizza", "themes": ["sport-activity"] },
        { "id": "salad", "label": "Salad", "themes": ["mental-health"] } ] },
    { "id": "why", "type": "text", "title": "Why?", "required": false }
  ]
}
JSON

check_eq "a youth worker cannot open the builder" "$(status_of -b "$TMP/y" "$S")" "403"
check_eq "  ... nor paste a survey" "$(post "$TMP/y" "$S" --data-urlencode "_csrf=$CY" -d form=paste --data-urlencode "definition@$TMP/lunch.json")" "403"
check_eq "a commissioner sees the surveys" "$(status_of -b "$TMP/c" "$S")" "200"
check "  ... the files' surveys, published as version 1" bash -c "curl -s -b '$TMP/c' '$S' | grep -A4 'What matters' | grep -q 'Published: version 1'"
check_eq "forms/ surveys (the demo's three) are stored as version 1 at start" "$(db "SELECT group_concat(survey || ':' || version || ':' || source) FROM survey_versions")" "what-matters:1:file,your-area:1:file,youth-ballot:1:file"

# Mistakes get forms/' own messages, as an error summary.
sed 's/"sport-activity"/"no-such-theme"/' "$TMP/lunch.json" >"$TMP/bad-theme.json"
check_eq "a survey with an unknown theme: 422" "$(post "$TMP/c" "$S" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/bad-theme.json")" "422"
check "  ... the error summary gives forms/' message: path and problem" grep -q 'survey.json: questions\[0\].options\[0\].themes\[0\]: is not a theme id in the consultation&#39;s taxonomy' "$TMP/body"
check "  ... in an error summary linking to the box" bash -c "grep -q 'class=\"error-summary\"' '$TMP/body' && grep -q '<a href=\"#s-definition\">' '$TMP/body'"
check "  ... what was pasted is kept" grep -q 'no-such-theme' "$TMP/body"
printf '{ "id": "lunch", ' >"$TMP/broken.json"
check_eq "JSON that does not parse: 422" "$(post "$TMP/c" "$S" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/broken.json")" "422"
check "  ... with a message" grep -q 'There is a problem' "$TMP/body"
check_eq "  ... nothing was stored" "$(db "SELECT count(*) FROM survey_versions WHERE survey = 'lunch'")" "0"
check_eq "without the CSRF token: 403" "$(post "$TMP/c" "$S" -d form=paste --data-urlencode "definition@$TMP/lunch.json")" "403"

# Upload: the file as multipart/form-data, read by civetweb, checked as paste is.
upload() { post "$TMP/c" "$S" -F "_csrf=$CC" -F "file=@$1;type=application/json"; }
sed -e 's/"lunch"/"snack"/' -e 's/School lunch/Snacks/' "$TMP/lunch.json" >"$TMP/snack.json"
check_eq "a survey file uploaded: 303 to its editor" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$TMP/c" -F "_csrf=$CC" -F "file=@$TMP/snack.json;type=application/json" "$S")" "303 $S/snack?saved=draft"
check_eq "  ... a draft of version 1, byte for byte the file" "$(db "SELECT version || ':' || status || ':' || source FROM survey_versions WHERE survey = 'snack'")$(curl -s -b "$TMP/c" "$S/snack.json" | cmp - "$TMP/snack.json" && echo :same)" "1:0:staff:same"
check "the list page's upload form: a file input taking JSON, sent as multipart" bash -c "curl -s -b '$TMP/c' '$S' | grep -q 'enctype=\"multipart/form-data\"' && curl -s -b '$TMP/c' '$S' | grep -q 'type=\"file\" id=\"s-file\" name=\"file\" accept=\".json,application/json\"'"
check_eq "a survey file with a mistake: 422" "$(upload "$TMP/bad-theme.json")" "422"
check "  ... forms/' message in the error summary, linked to the file input" bash -c "grep -q 'survey.json: questions\[0\].options\[0\].themes\[0\]: is not a theme id in the consultation&#39;s taxonomy' '$TMP/body' && grep -q '<a href=\"#s-file\">' '$TMP/body'"
printf 'Dear team, here is the survey.' >"$TMP/letter.json"
check_eq "a file that is not JSON: 422" "$(upload "$TMP/letter.json")" "422"
check "  ... the parser's message" grep -q 'survey.json: .*JSON' "$TMP/body"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$TMP/picture.json"
check_eq "a picture: 422" "$(upload "$TMP/picture.json")" "422"
check "  ... saying it is not a survey file" grep -q 'This is not a survey file' "$TMP/body"
: >"$TMP/empty.json"
check_eq "an empty file: 422, asking for the file" "$(upload "$TMP/empty.json")$(grep -c 'Choose the survey&#39;s JSON file to upload' "$TMP/body")" "4222"
{ printf '{"id": "huge", "title": "'; head -c 16500 /dev/zero | tr '\0' a; printf '"}'; } >"$TMP/huge.json"
check_eq "a file over 16 KB: 413" "$(upload "$TMP/huge.json")" "413"
check "  ... saying so on the list page" bash -c "grep -q 'The file is larger than 16 KB' '$TMP/body' && grep -q '<a href=\"#s-file\">' '$TMP/body'"
head -c 40000 /dev/zero | tr '\0' ' ' >"$TMP/huger.json"
check_eq "a body far over the limit: 413 before it is read" "$(upload "$TMP/huger.json")" "413"
check_eq "  ... nothing stored" "$(db "SELECT count(*) FROM survey_versions WHERE survey NOT IN ('what-matters', 'your-area', 'youth-ballot', 'snack')")" "0"
check_eq "an upload without the CSRF token: 403" "$(post "$TMP/c" "$S" -F "file=@$TMP/lunch.json")" "403"
check_eq "  ... with a forged one: 403" "$(post "$TMP/c" "$S" -F "_csrf=$(forged_of "$CC")" -F "file=@$TMP/lunch.json")" "403"
check_eq "  ... by a youth worker: 403" "$(post "$TMP/y" "$S" -F "_csrf=$CY" -F "file=@$TMP/lunch.json")" "403"
check_eq "  ... nothing stored" "$(db "SELECT count(*) FROM survey_versions WHERE survey = 'lunch'")" "0"

# A draft.
check_eq "the survey pasted: 303 to its editor" "$(post "$TMP/c" "$S" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$TMP/lunch.json")" "303"
check_eq "  ... a draft of version 1" "$(db "SELECT version || ':' || status || ':' || source || ':' || who FROM survey_versions WHERE survey = 'lunch'")" "1:0:staff:cleo"
check_eq "a draft is not at /s/lunch" "$(status_of "$BASE/s/lunch")" "404"
check "  ... nor on the home page" bash -c "! curl -s '$BASE/' | grep -q 'School lunch'"
check_eq "its editor" "$(status_of -b "$TMP/c" "$S/lunch")" "200"
curl -s -b "$TMP/c" "$S/lunch" >"$TMP/editor.html"
check "  ... offers to publish version 1" grep -q 'Publish version 1' "$TMP/editor.html"
curl -s -b "$TMP/c" "$S/lunch/preview" >"$TMP/preview.html"
check "the preview is the respondent page, with its banner" grep -q 'Preview — answers are not saved' "$TMP/preview.html"
check "  ... showing the questions" grep -q 'What do you eat most?' "$TMP/preview.html"
check "  ... with no form token" bash -c "! grep -q 'name=\"_token\"' '$TMP/preview.html'"
check "  ... posting only to the preview" bash -c "grep -q 'action=\"/staff/surveys/lunch/preview\"' '$TMP/preview.html' && ! grep -q 'action=\"/s/lunch\"' '$TMP/preview.html'"
check_eq "  ... whose POST stores nothing" "$(post "$TMP/c" "$S/lunch/preview" -d food=pizza)$(db "SELECT count(*) FROM responses")" "2000"
check "  ... saying nothing was sent" grep -q 'Nothing was sent' "$TMP/body"
req "$TMP/c" -d "_action=next&_page=1&_lang=ur&food=pizza" "$S/lunch/preview"
check_eq "  ... its Continue moves to the next page of the preview" "$R" "303 $S/lunch/preview?page=2&lang=ur"
check_eq "  ... still storing nothing" "$(db "SELECT count(*) FROM responses")" "0"
check_eq "a youth worker cannot preview it" "$(status_of -b "$TMP/y" "$S/lunch/preview")" "403"

# Publish.
check_eq "publish without the CSRF token: 403" "$(post "$TMP/c" "$S/lunch/publish" -d version=1)" "403"
check_eq "a youth worker cannot publish" "$(post "$TMP/y" "$S/lunch/publish" -d "_csrf=$CY&version=1")" "403"
check_eq "publish by GET: 405" "$(status_of -b "$TMP/c" "$S/lunch/publish")" "405"
check_eq "publish version 1" "$(post "$TMP/c" "$S/lunch/publish" -d "_csrf=$CC&version=1")" "303"
check_eq "  ... audit-logged" "$(db "SELECT count(*) FROM audit WHERE action = 'published a survey' AND detail = 'lunch version 1' AND who = 'cleo'")" "1"
check_eq "publishing it again: 409" "$(post "$TMP/c" "$S/lunch/publish" -d "_csrf=$CC&version=1")" "409"
check_eq "it is answerable at once, without a restart" "$(status_of "$BASE/s/lunch")" "200"
check_eq "the download gives back the file" "$(curl -s -b "$TMP/c" "$S/lunch.json" | cmp - "$TMP/lunch.json" && echo same)" "same"
check "  ... as an attachment" bash -c "curl -s -D - -o /dev/null -b '$TMP/c' '$S/lunch.json' | grep -qi 'content-disposition: attachment; filename=\"lunch.json\"'"
check_eq "a youth worker cannot download it" "$(status_of -b "$TMP/y" "$S/lunch.json")" "403"
check_eq "an answer: pizza" "$(answer pizza)" "303"
check_eq "an answer: salad" "$(answer salad)" "303"
check_eq "an answer: pizza again" "$(answer pizza)" "303"

# After answers: a removal is refused; hiding makes version 2.
/usr/bin/python3 - "$TMP/lunch.json" "$TMP/removed.json" "$TMP/v2.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
opts = doc['questions'][0]['options']
removed = dict(doc, questions=[dict(doc['questions'][0], options=opts[1:]), doc['questions'][1]])
json.dump(removed, open(sys.argv[2], 'w'), indent=2)
opts[0]['hidden'] = True
opts.append({'id': 'soup', 'label': 'Soup', 'themes': ['mental-health']})
json.dump(doc, open(sys.argv[3], 'w'), indent=2, ensure_ascii=False)
PY
check_eq "an edit that removes an answered choice: 422" "$(post "$TMP/c" "$S/lunch" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$TMP/removed.json")" "422"
check "  ... says which, and to hide it" grep -q 'option &quot;pizza&quot; of question &quot;food&quot; was removed.*hidden' "$TMP/body"
check_eq "  ... no draft was made" "$(db "SELECT count(*) FROM survey_versions WHERE survey = 'lunch' AND status = 0")" "0"
check_eq "an edit that changes the id: 422" "$(post "$TMP/c" "$S/lunch" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$(sed 's/"lunch"/"dinner"/' "$TMP/lunch.json" >"$TMP/dinner.json"; echo "$TMP/dinner.json")")" "422"
check_eq "hiding pizza and adding soup: a draft of version 2" "$(post "$TMP/c" "$S/lunch" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$TMP/v2.json")$(db "SELECT version FROM survey_versions WHERE survey = 'lunch' AND status = 0")" "3032"
check "  ... respondents still get version 1 (pizza offered)" grep -q 'value="pizza"' <(curl -s "$BASE/s/lunch")
check_eq "publish version 2" "$(post "$TMP/c" "$S/lunch/publish" -d "_csrf=$CC&version=2")" "303"
check "  ... pizza is no longer offered" bash -c "! curl -s '$BASE/s/lunch' | grep -q 'value=\"pizza\"'"
check "  ... soup is" grep -q 'value="soup"' <(curl -s "$BASE/s/lunch")
check_eq "  ... a form from before sending pizza: 422, asked to choose again" "$(answer pizza)" "422"
check "  ... saying so" grep -q 'That answer is no longer offered' <(curl -s -d "_token=$(fresh_token lunch)&food=pizza" "$BASE/s/lunch")
check_eq "an answer under version 2: soup" "$(answer soup)" "303"
check_eq "an answer under version 2: salad" "$(answer salad)" "303"
check_eq "the survey counts all five answers" "$(db "SELECT responses FROM survey_counts WHERE survey = 'lunch'")" "5"

# Exact counts across both versions, each read with its version.
counts() {
	"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses --format csv -o "$TMP/responses.csv" </dev/null 2>/dev/null
	/usr/bin/python3 - "$TMP/responses.csv" <<'PY'
import csv, sys, collections
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')) if r['survey'] == 'lunch']
print(' '.join(f'{k}={v}' for k, v in sorted(collections.Counter(r['food'] for r in rows).items())))
PY
}
check_eq "the responses export: both versions' answers, exactly" "$(counts)" "Pizza=2 Salad=2 Soup=1"
themes() { "$EXPORT_BIN" --data "$DATA" themes --consultation cyp-plan-2027 --min-cell 0 --format json | jq -r "[.rows[] | select(.theme == \"$1\") | .survey] | unique | join(\",\")"; }
check_eq "the themes table: pizza's theme twice (version 1's answers)" "$(themes 'Easier access to sport and physical activity')" "2"
check_eq "  ... salad's and soup's theme three times (both versions)" "$(themes 'Mental health and wellbeing')" "3"
check_eq "the download is version 2" "$(curl -s -b "$TMP/c" "$S/lunch.json" | cmp - "$TMP/v2.json" && echo same)" "same"

# Languages side by side: a box per language beside each text.
curl -s -b "$TMP/c" "$S/lunch/languages" >"$TMP/lang.html"
check "the languages page: each text, with a box per language" bash -c "grep -q 'id=\"t-0-0-hint\">School lunch<' '$TMP/lang.html' && grep -q 'name=\"t-0-0\" lang=\"ur\" dir=\"rtl\"' '$TMP/lang.html'"
check "  ... the option labels too" grep -q '>Soup<' "$TMP/lang.html"
check_eq "  ... saving a translation of the title: a draft of version 3" "$(post "$TMP/c" "$S/lunch/languages" --data-urlencode "_csrf=$CC" -d version=2 --data-urlencode "t-0-0=اسکول کا کھانا")$(db "SELECT version FROM survey_versions WHERE survey = 'lunch' AND status = 0")" "3033"
check "  ... whose definition carries it" bash -c "curl -s -b '$TMP/c' '$S/lunch.json' | jq -e '.translations.ur[\"School lunch\"] == \"اسکول کا کھانا\"' >/dev/null"
check "  ... shown in the preview in Urdu" grep -q 'اسکول کا کھانا' <(curl -s -b "$TMP/c" "$S/lunch/preview?lang=ur")
curl -s -b "$TMP/c" "$S/lunch/preview" >"$TMP/preview.html"
check "  ... whose language links stay in the preview" grep -q '<a href="/staff/surveys/lunch/preview?lang=ur" hreflang="ur"' "$TMP/preview.html"
check "  ... never to the live survey" no_match -q 'href="/s/lunch' "$TMP/preview.html"
check "a survey's own page still links to itself" grep -q '<a href="/s/your-area?lang=ur" hreflang="ur"' <(curl -s "$BASE/s/your-area")
check "  ... and on the languages page" grep -q 'value="اسکول کا کھانا"' <(curl -s -b "$TMP/c" "$S/lunch/languages")
check_eq "  ... a page from an older version: 409" "$(post "$TMP/c" "$S/lunch/languages" --data-urlencode "_csrf=$CC" -d version=2 -d t-0-0=x)" "409"
check_eq "  ... a translation too long: 422" "$(post "$TMP/c" "$S/lunch/languages" --data-urlencode "_csrf=$CC" -d version=3 --data-urlencode "t-0-0=$(head -c 4001 /dev/zero | tr '\0' a)")" "422"
check "  ... with forms/' message in the error summary" grep -q 'lunch.json: translations.ur: the translation of &quot;School lunch&quot; should be non-empty text' "$TMP/body"
check_eq "  ... without the CSRF token: 403" "$(post "$TMP/c" "$S/lunch/languages" -d version=3 -d t-0-0=x)" "403"
check "respondents still get version 2 in English" bash -c "curl -s '$BASE/s/lunch?lang=ur' | grep -q 'School lunch'"

# The details as a form: no JSON to write.
curl -s -b "$TMP/c" "$S/lunch/details" >"$TMP/details.html"
check "the details form shows the title" grep -q 'id="d-title" name="title" value="School lunch"' "$TMP/details.html"
check "  ... and the status" grep -q 'id="d-status-open" name="status" value="open" checked' "$TMP/details.html"
details() { # details VERSION TITLE OPENS CLOSES: posts the details form
	post "$TMP/c" "$S/lunch/details" --data-urlencode "_csrf=$CC" -d "version=$1" --data-urlencode "title=$2" \
		--data-urlencode "introduction=Tell us about lunch at school." --data-urlencode "privacy=We do not ask your name." \
		-d "opens=$3" -d "closes=$4" -d status=open
}
check_eq "a new title from the form: the draft, still version 3" "$(details 3 'School dinners' '' '')$(db "SELECT max(version) FROM survey_versions WHERE survey = 'lunch'")" "3033"
check "  ... with the title, and its translation moved with it" bash -c "curl -s -b '$TMP/c' '$S/lunch.json' | jq -e '.title == \"School dinners\" and .translations.ur[\"School dinners\"] == \"اسکول کا کھانا\"' >/dev/null"
check_eq "closing before opening: 422" "$(details 3 'School dinners' 2026-12-10 2026-12-01)" "422"
check "  ... forms/' message, linked to the closing day" bash -c "grep -q 'lunch.json: closes: is before opens' '$TMP/body' && grep -q '<a href=\"#d-closes\">' '$TMP/body'"
check "  ... what was typed kept" grep -q 'value="2026-12-10"' "$TMP/body"
check_eq "a form from an older version: 409" "$(details 2 'X' '' '')" "409"

# On a survey with answers, forms keep the versions rule: hide, never remove.
req "$TMP/c" --data-urlencode "_csrf=$CC" -d version=3 "$S/lunch/questions/food/options/salad/hide"
check_eq "an answered option hidden by its button: 303" "$R" "303 $S/lunch/questions/food?saved=draft#o-salad"
req "$TMP/c" --data-urlencode "_csrf=$CC" -d version=3 "$S/lunch/questions/food/options/soup/hide"
check_eq "hiding the last offered option: 422" "${R%% *}" "422"
check "  ... forms/' message" grep -q 'every option is hidden: hide the question too, or offer one' "$B"
curl -s -b "$TMP/c" "$S/lunch.json" | jq '.questions[0].options |= map(select(.id != "salad"))' >"$TMP/no-salad.json"
check_eq "removing the hidden option in the JSON is still refused: 422" "$(post "$TMP/c" "$S/lunch" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$TMP/no-salad.json")" "422"
check "  ... naming it" grep -q 'option &quot;salad&quot; of question &quot;food&quot; was removed' "$TMP/body"
req "$TMP/c" --data-urlencode "_csrf=$CC" -d version=3 "$S/lunch/questions/food/options/salad/show"
check_eq "  ... shown again: 303" "${R%% *} $(curl -s -b "$TMP/c" "$S/lunch.json" | jq -c '[.questions[0].options[] | .hidden // false]')" "303 [true,false,false]"

# A survey started from nothing, and questions added without JSON.
check_eq "a survey started from a title and a short name" "$(post "$TMP/c" "$S" --data-urlencode "_csrf=$CC" -d form=start --data-urlencode "title=After school" -d id=quiz -d consultation=cyp-plan-2027)" "303"
check_eq "  ... a draft with one question" "$(curl -s -b "$TMP/c" "$S/quiz.json" | jq -r '[.id, .title, (.questions | length)] | join(":")')" "quiz:After school:1"
check_eq "  ... the same short name again: 422" "$(post "$TMP/c" "$S" --data-urlencode "_csrf=$CC" -d form=start -d title=Again -d id=quiz -d consultation=cyp-plan-2027)" "422"
check "  ... saying so" grep -q 'There is already a survey with that short name' "$TMP/body"
curl -s -b "$TMP/c" "$S/quiz/questions" >"$TMP/question.html"
check "the question form lists the consultation's theme ids" grep -q '<code>mental-health</code>' "$TMP/question.html"
check "  ... and a condition to choose (always, until there are choices)" grep -q '<option value="" selected>Always</option>' "$TMP/question.html"
question() { # question PAGE TYPE ID TITLE OPTIONS SHOW_IF [required]
	post "$TMP/c" "$S/quiz/questions" --data-urlencode "_csrf=$CC" -d version=1 -d "page=$1" -d "type=$2" -d "id=$3" \
		--data-urlencode "title=$4" --data-urlencode "options=$5" --data-urlencode "show_if=$6" ${7:+-d required=yes}
}
check_eq "a choice question on a new page, its options mapped to themes" "$(question new single club 'Do you go to a club?' $'A youth club | someone-to-talk-to\nA sports club | sport-activity, mental-health\nNone' '' yes)" "303"
check_eq "  ... two pages now, the question on the second" "$(curl -s -b "$TMP/c" "$S/quiz.json" | jq -c '[(.pages | length), .pages[1].questions[0].id, [.pages[1].questions[0].options[] | .id], .pages[1].questions[0].options[1].themes]')" '[2,"club",["a-youth-club","a-sports-club","none"],["sport-activity","mental-health"]]'
check_eq "a follow-up shown only after an answer, optional" "$(question 2 text why 'Why that club?' '' 'club=a-youth-club')" "303"
check "the question form now offers the club's answers as conditions" grep -q '<option value="club=a-youth-club">Do you go to a club?: A youth club</option>' <(curl -s -b "$TMP/c" "$S/quiz/questions")
check_eq "  ... with its condition" "$(curl -s -b "$TMP/c" "$S/quiz.json" | jq -c '.pages[1].questions[1] | [.show_if.question, .show_if.answer, .required]')" '["club","a-youth-club",false]'
check_eq "a theme not in the consultation: 422" "$(question 2 single pick 'Pick one' 'Something | no-such-theme' '' yes)" "422"
check "  ... forms/' message, linked to the options box" bash -c "grep -q 'is not a theme id in the consultation' '$TMP/body' && grep -q '<a href=\"#q-options\">' '$TMP/body'"
check "  ... what was typed kept" grep -q 'Something | no-such-theme' "$TMP/body"
check_eq "no question: 422" "$(question 1 single x '' 'A' '' yes)" "422"
check "  ... asking for it" grep -q 'Write the question' "$TMP/body"
check_eq "the survey built this way publishes" "$(post "$TMP/c" "$S/quiz/publish" -d "_csrf=$CC&version=1")" "303"
check "  ... and is answerable" grep -q 'Do you go to a club?' <(curl -s -d "_action=next&_page=1&_token=$(fresh_token quiz)" "$BASE/s/quiz")

# Questions changed by forms, without JSON: each button is a POST with the
# CSRF token and the version it was made from; 303 back to the question.
quiz() { curl -s -b "$TMP/c" "$S/quiz.json" | jq -c "$1"; }
act() { # act PATH VERSION ARGS...: a POST to the quiz's question forms
	local path=$1 version=$2; shift 2
	req "$TMP/c" --data-urlencode "_csrf=$CC" -d "version=$version" "$@" "$S/quiz/questions/$path"
}
curl -s -b "$TMP/c" "$S/quiz" >"$TMP/editor.html"
check "the editor lists the questions page by page" bash -c "grep -q '<h3>Page 1</h3>' '$TMP/editor.html' && grep -q '<h3>Page 2</h3>' '$TMP/editor.html'"
check "  ... each a focusable heading to land on" grep -q '<h4 id="q-club" tabindex="-1">Do you go to a club?</h4>' "$TMP/editor.html"
check "  ... with Edit, Move up, Move down and Hide, named for a screen reader" bash -c "grep -q 'href=\"/staff/surveys/quiz/questions/club\">Edit<span class=\"visually-hidden\">: Do you go to a club?</span>' '$TMP/editor.html' && grep -q 'action=\"/staff/surveys/quiz/questions/club/move\"' '$TMP/editor.html' && grep -q 'Move down<span class=\"visually-hidden\">: Do you go to a club?' '$TMP/editor.html' && grep -q 'action=\"/staff/surveys/quiz/questions/club/hide\"' '$TMP/editor.html'"
check "  ... and what each asks: condition, optional" grep -q 'Optional. Asked only when “Do you go to a club?” is “A youth club”' "$TMP/editor.html"
act club/move 1 -d direction=up
check_eq "Move up from the top of page 2: 303 back to the question" "$R" "303 $S/quiz?saved=draft#q-club"
check_eq "  ... now last on page 1 (a draft of version 2)" "$(quiz '[.pages[0].questions[].id, .pages[1].questions[].id]')$(db "SELECT version FROM survey_versions WHERE survey = 'quiz' AND status = 0")" '["anything-else","club","why"]2'
check_eq "  ... page 2 still holds why" "$(quiz '[(.pages | length), .pages[1].questions[0].id]')" '[2,"why"]'
act club/move 2 -d direction=down
check_eq "Move down from the bottom of page 1: first on page 2" "$R$(quiz '[.pages[0].questions[].id, .pages[1].questions[].id]')" "303 $S/quiz?saved=draft#q-club[\"anything-else\",\"club\",\"why\"]"
check_eq "  ... there" "$(quiz '.pages[1].questions[0].id')" '"club"'
act anything-else/move 2 -d direction=up
check_eq "Move up of the first question: 422" "${R%% *}" "422"
check "  ... saying so in the error summary, linked to the question" bash -c "grep -q 'It is the first question: it cannot move up' '$B' && grep -q '<a href=\"#q-anything-else\">' '$B'"
act why/move 2 -d direction=up
check_eq "a move putting a condition before its question: 422" "${R%% *}" "422"
check "  ... forms/' own message" grep -q 'quiz.json: pages\[1\].questions\[0\].show_if: &quot;club&quot; is not an earlier question with choices' "$B"
check_eq "  ... nothing changed" "$(quiz '[.pages[1].questions[].id]')" '["club","why"]'
act anything-else/hide 2
check_eq "Hide: 303 back to the question, \"hidden\": true" "$R $(quiz '.pages[0].questions[0].hidden')" "303 $S/quiz?saved=draft#q-anything-else true"
check "  ... its button is now Show" grep -q 'action="/staff/surveys/quiz/questions/anything-else/show"' <(curl -s -b "$TMP/c" "$S/quiz")
act anything-else/show 2
check_eq "Show: \"hidden\" taken away" "$R $(quiz '.pages[0].questions[0] | has("hidden")')" "303 $S/quiz?saved=draft#q-anything-else false"
check_eq "a move without the CSRF token: 403" "$(post "$TMP/c" "$S/quiz/questions/club/move" -d version=2 -d direction=up)" "403"
check_eq "  ... with a forged one: 403" "$(post "$TMP/c" "$S/quiz/questions/club/move" -d "_csrf=$(forged_of "$CC")" -d version=2 -d direction=up)" "403"
check_eq "a youth worker cannot move a question" "$(post "$TMP/y" "$S/quiz/questions/club/move" -d "_csrf=$CY" -d version=2 -d direction=up)" "403"
check_eq "a move from an older version: 409" "$(post "$TMP/c" "$S/quiz/questions/club/move" -d "_csrf=$CC" -d version=1 -d direction=up)" "409"
check_eq "a move by GET: 405" "$(status_of -b "$TMP/c" "$S/quiz/questions/club/move")" "405"
check "  ... with Allow: POST" bash -c "curl -s -D - -o /dev/null -b '$TMP/c' '$S/quiz/questions/club/move' | grep -qi '^allow: POST'"
check_eq "a question that is not there: 404" "$(status_of -b "$TMP/c" "$S/quiz/questions/nothing")" "404"

# A question's edit form: words, options with their themes, condition, page.
curl -s -b "$TMP/c" "$S/quiz/questions/club" >"$TMP/qedit.html"
check "the edit form shows the question" grep -q 'id="e-title" name="title" value="Do you go to a club?"' "$TMP/qedit.html"
check "  ... each option's words and themes" bash -c "grep -q 'name=\"o-0-label\" value=\"A youth club\"' '$TMP/qedit.html' && grep -Eq 'name=\"o-1-themes\"[^>]* value=\"sport-activity, mental-health\"' '$TMP/qedit.html'"
check "  ... its page chosen" grep -q '<option value="2" selected>Page 2</option>' "$TMP/qedit.html"
check "  ... and conditions only on earlier questions" no_match -q 'value="club=' "$TMP/qedit.html"
edit_club() { # edit_club THEMES_OF_OPTION_2 PAGE [required]: posts the edit form
	act club 2 --data-urlencode "title=Do you go to a youth club?" --data-urlencode "hint=Any club counts" \
		--data-urlencode "o-0-label=A youth centre" -d "o-0-themes=someone-to-talk-to" \
		--data-urlencode "o-1-label=A sports club" --data-urlencode "o-1-themes=$1" \
		--data-urlencode "o-2-label=None" -d "o-2-themes=" -d "show_if=" -d "page=$2" ${3:+-d required=yes}
}
edit_club 'sport-activity' 2
check_eq "saving the edit form: 303 back to the question in the editor" "$R" "303 $S/quiz?saved=draft#q-club"
check_eq "  ... words, hint, optional, options and themes saved" "$(quiz '.pages[1].questions[0] | [.title, .hint, .required, .options[0].label, .options[0].id, .options[1].themes]')" '["Do you go to a youth club?","Any club counts",false,"A youth centre","a-youth-club",["sport-activity"]]'
check_eq "  ... the follow-up keeps its condition" "$(quiz '.pages[1].questions[1].show_if.answer')" '"a-youth-club"'
edit_club 'no-such-theme' 2 yes
check_eq "an option's theme not in the consultation: 422" "${R%% *}" "422"
check "  ... forms/' message, linked to that option's themes" bash -c "grep -q 'quiz.json: pages\[1\].questions\[0\].options\[1\].themes\[0\]: is not a theme id in the consultation' '$B' && grep -q '<a href=\"#e-o-1-themes\">' '$B'"
check "  ... what was typed kept" grep -q 'value="no-such-theme"' "$B"
act anything-else 2 --data-urlencode "title=Anything else?" -d page=2 -d show_if=
check_eq "a question moved to page 2 by its form: page 1, now empty, goes" "$R $(quiz '[(.pages | length), [.pages[0].questions[].id]]')" "303 $S/quiz?saved=draft#q-anything-else [1,[\"club\",\"why\",\"anything-else\"]]"
act anything-else 2 --data-urlencode "title=Anything else?" -d page=new -d show_if=
check_eq "  ... and to a new page at the end" "$(quiz '[(.pages | length), [.pages[1].questions[].id]]')" '[2,["anything-else"]]'
check "Add a page: the add form with a new page chosen" grep -q '<option value="new" selected>A new page at the end</option>' <(curl -s -b "$TMP/c" "$S/quiz/questions?page=new")

# Options: hide, show, add; never removed.
act club/options/none/hide 2
check_eq "Hide an option: 303 back to it" "$R $(quiz '.pages[0].questions[0].options[2].hidden')" "303 $S/quiz/questions/club?saved=draft#o-none true"
check "  ... the edit form then offers Show, at a focusable item" grep -q '<li id="o-none" tabindex="-1">None <strong>(hidden)</strong> <form method="post" class="action" action="/staff/surveys/quiz/questions/club/options/none/show">' <(curl -s -b "$TMP/c" "$S/quiz/questions/club")
act club/options/none/show 2
check_eq "Show an option" "$R $(quiz '.pages[0].questions[0].options[2] | has("hidden")')" "303 $S/quiz/questions/club?saved=draft#o-none false"
act club/options 2 --data-urlencode "label=A music group" -d "themes=mental-health, sport-activity"
check_eq "Add an option: 303 to it" "$R" "303 $S/quiz/questions/club?saved=draft#o-a-music-group"
check_eq "  ... with its themes" "$(quiz '.pages[0].questions[0].options[3] | [.id, .label, .themes]')" '["a-music-group","A music group",["mental-health","sport-activity"]]'
act club/options 2 --data-urlencode "label=A choir" -d "themes=no-such-theme"
check_eq "  ... a theme not in the consultation: 422" "${R%% *}" "422"
check "  ... forms/' message in the error summary" bash -c "grep -q 'is not a theme id in the consultation' '$B' && grep -q '<a href=\"#e-new-label\">' '$B'"
check_eq "an option that is not there: 404" "$(post "$TMP/c" "$S/quiz/questions/club/options/nothing/hide" -d "_csrf=$CC" -d version=2)" "404"
check "the preview counts the questions asked" grep -qF "$(progress_line 1 1 2 'Question 1 of 2')" <(curl -s -b "$TMP/c" "$S/quiz/preview?page=1")
act anything-else/hide 2
check "  ... and not a hidden one" grep -qF "$(progress_line 1 1 1 'Question 1 of 1')" <(curl -s -b "$TMP/c" "$S/quiz/preview?page=1")
act anything-else/show 2
check_eq "the quiz's draft publishes" "$(post "$TMP/c" "$S/quiz/publish" -d "_csrf=$CC&version=2")" "303"

# A restart keeps every version; forms/ surveys are not stored again.
stop_server || fail "the server stops cleanly"
start_server "$DATA" "$FORMS" || { fail "server starts again"; finish; exit 1; }
S="$BASE/staff/surveys"
check "after a restart, version 2 is served (soup)" grep -q 'value="soup"' <(curl -s "$BASE/s/lunch")
check_eq "  ... and the files' surveys keep version 1" "$(db "SELECT count(*) FROM survey_versions WHERE survey IN ('what-matters', 'your-area')")" "2"
check_eq "  ... an answer still counts" "$(answer salad)" "303"
check_eq "  ... counts still exact" "$(counts)" "Pizza=2 Salad=3 Soup=1"

# Once published from the staff pages, the database wins over the file.
curl -s -b "$TMP/c" "$S/your-area.json" | /usr/bin/python3 -c '
import json, sys
doc = json.load(sys.stdin); doc["title"] = "Your area: edited in the browser"
ur = doc["translations"]["ur"]; ur["Your area: edited in the browser"] = ur.pop("Your area, your say")
json.dump(doc, open(sys.argv[1], "w"), indent=2, ensure_ascii=False)' "$TMP/ya.json"
check_eq "your-area edited in the browser: draft of version 2" "$(post "$TMP/c" "$S/your-area" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$TMP/ya.json")$(db "SELECT version FROM survey_versions WHERE survey = 'your-area' AND status = 0")" "3032"
check_eq "  ... published" "$(post "$TMP/c" "$S/your-area/publish" -d "_csrf=$CC&version=2")" "303"
head -c 17000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
check_eq "a definition over 16 KB is refused" "$(post "$TMP/c" "$S/your-area" --data-urlencode "_csrf=$CC" --data-urlencode "definition@$TMP/big.json")" "400"
check_eq "  ... and stores nothing" "$(db "SELECT count(*) FROM survey_versions WHERE survey = 'your-area'")" "2"

# A survey attached to another consultation stays there in its next version.
check_eq "a second consultation" "$(post "$TMP/c" "$BASE/staff/consultations" -d "_csrf=$CC&id=second&title=Second")" "303"
check_eq "  ... opened" "$(post "$TMP/c" "$BASE/staff/consultations/second" -d "_csrf=$CC&status=open")" "303"
check_eq "lunch attached to it" "$(post "$TMP/c" "$BASE/staff/consultations/cyp-plan-2027/surveys" -d "_csrf=$CC&survey=lunch&to=second")" "303"
check_eq "  ... its version 3 published (the translated title)" "$(post "$TMP/c" "$S/lunch/publish" -d "_csrf=$CC&version=3")" "303"
check_eq "  ... it stays in the second consultation" "$(db "SELECT consultation FROM surveys WHERE id = 'lunch'")" "second"
check_eq "  ... and its answers count there" "$(answer salad)$(db "SELECT count(*) FROM responses WHERE survey = 'lunch' AND consultation = 'second'")" "3031"

# A changed file is its next version; one that removes an answered choice
# stops the start with a message naming it.
stop_server || fail "the server stops cleanly"
/usr/bin/python3 - "$FORMS/surveys/what-matters.json" <<'PY'
import json, sys
p = sys.argv[1]; doc = json.load(open(p)); doc['title'] = 'What matters to you now'
json.dump(doc, open(p, 'w'), indent=2, ensure_ascii=False)
PY
/usr/bin/python3 - "$FORMS/surveys/your-area.json" <<'PY'
import json, sys
p = sys.argv[1]; doc = json.load(open(p)); doc['translations']['ur']['Your area, your say'] = 'changed in its file'
json.dump(doc, open(p, 'w'), indent=2, ensure_ascii=False)
PY
check "  (your-area's file changed too)" grep -q 'changed in its file' "$FORMS/surveys/your-area.json"
start_server "$DATA" "$FORMS" || { fail "server starts with a changed file"; finish; exit 1; }
check_eq "a changed file becomes version 2" "$(db "SELECT max(version) || ':' || count(*) FROM survey_versions WHERE survey = 'what-matters'")" "2:2"
check "  ... and is served" grep -q 'What matters to you now' <(curl -s "$BASE/s/what-matters")
check "your-area's file is not read: the staff pages' version is served" grep -q 'Your area: edited in the browser' <(curl -s "$BASE/s/your-area")
check_eq "  ... and no version was added for its file" "$(db "SELECT version || ':' || source FROM survey_versions WHERE survey = 'your-area' ORDER BY version DESC LIMIT 1")" "2:staff"
T=$(fresh_token what-matters)
check_eq "  ... an answer to it" "$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$T&most-important=talk&make-better[]=transport&age=14-15&district=eastbrook" "$BASE/s/what-matters")" "303"
stop_server || fail "the server stops cleanly"
/usr/bin/python3 - "$FORMS/surveys/what-matters.json" <<'PY'
import json, sys
p = sys.argv[1]; doc = json.load(open(p))
q = [q for q in doc['questions'] if q['id'] == 'most-important'][0]
q['options'] = [o for o in q['options'] if o['id'] != 'talk']
json.dump(doc, open(p, 'w'), indent=2, ensure_ascii=False)
PY
"$SERVER_BIN" serve --data "$DATA" --listen 127.0.0.1:0 --forms "$FORMS" >/dev/null 2>"$TMP/refused.log" &
REFUSED=$!
for _ in $(seq 1 100); do kill -0 "$REFUSED" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$REFUSED" 2>/dev/null; then kill -TERM "$REFUSED"; wait "$REFUSED"; fail "a file removing an answered choice stops the start"
else wait "$REFUSED"; check_eq "a file removing an answered choice stops the start" "$?" "1"; fi
check "  ... saying which file and which option" grep -q 'what-matters.json: option "talk" of question "most-important" was removed' "$TMP/refused.log"
finish
