#!/usr/bin/env bash
# The survey builder's staff pages (survey-server/builder.c) in headless
# Chromium: the list of surveys, its forms shown again with their error
# summaries (start, paste, upload), the JSON editor (published, with a
# draft, refused) with its questions' buttons, a question's edit form (and
# refused), a refused move, a draft's
# preview (each page, and in its second language) and the refusals.  Each
# passes page-audit (WCAG 2.2 AA, valid HTML, no overflow at 360 px, works
# without JavaScript) and narrow.mjs (320 px, visible keyboard focus).
# Signed-in pages are fetched with curl and served as files.  The list, the
# editor and the question page printed on A4 (staff_print.mjs).  SHOTS=DIR
# keeps the screenshots, PDFs and their pages as PNGs.  Then issue 14's "done means" (builder_flow.mjs):
# a two-page survey with a condition and Urdu built from nothing,
# previewed, published, answered on a phone, changed after answers, and
# the export's counts exact across both versions.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" cleo:commissioner || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
CC=$(sign_in "$TMP/c" cleo)
check "a commissioner signs in" test -n "$CC"
S="$BASE/staff/surveys"
SURVEY="$HERE/two-page-survey.json"

PAGES="$TMP/pages"
mkdir -p "$PAGES"
# save NAME WANT_STATUS CURL_ARGS...: a page as the server sends it.
save() {
	local name=$1 want=$2
	shift 2
	check_eq "captured $name ($want)" "$(curl -s -o "$PAGES/$name.html" -w '%{http_code}' --max-time 20 -b "$TMP/c" "$@")" "$want"
}
WORDS='Kai'"'"'s "big" <b>survey</b>'
save list 200 "$S"
save list-paste-errors 422 --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition=$WORDS" "$S"
save list-start-errors 422 --data-urlencode "_csrf=$CC" -d form=start --data-urlencode "title=$WORDS" -d id=Bad -d consultation=nope "$S"
save edit-published 200 "$S/what-matters"
check_eq "the two-page survey pasted" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" --data-urlencode "_csrf=$CC" -d form=paste --data-urlencode "definition@$SURVEY" "$S")" "303"
save edit-draft 200 "$S/after-school?saved=draft"
save edit-errors 422 --data-urlencode "_csrf=$CC" --data-urlencode "definition=$WORDS" "$S/after-school"
save question 200 "$S/after-school/questions"
save question-errors 422 --data-urlencode "_csrf=$CC" -d version=1 -d page=2 -d type=single -d id=pick --data-urlencode "title=$WORDS" --data-urlencode "options=$WORDS | no-such-theme" -d show_if=club=yes "$S/after-school/questions"
save details 200 "$S/after-school/details"
save details-errors 422 --data-urlencode "_csrf=$CC" -d version=1 --data-urlencode "title=$WORDS" -d introduction= -d privacy=x -d opens=2026-12-10 -d closes=2026-12-01 -d status=open "$S/after-school/details"
save languages 200 "$S/after-school/languages"
save languages-errors 422 --data-urlencode "_csrf=$CC" -d version=1 --data-urlencode "t-0-0=$(head -c 4001 /dev/zero | tr '\0' a)" "$S/after-school/languages"
save question-edit 200 "$S/after-school/questions/which-club"
save question-edit-errors 422 --data-urlencode "_csrf=$CC" -d version=1 --data-urlencode "title=$WORDS" --data-urlencode "o-0-label=$WORDS" -d "o-0-themes=no-such-theme" -d page=1 -d show_if=club=yes "$S/after-school/questions/which-club"
save edit-move-errors 422 --data-urlencode "_csrf=$CC" -d version=1 -d direction=up "$S/after-school/questions/which-club/move"
save list-upload-errors 422 -F "_csrf=$CC" -F "file=@$HERE/package.json;type=application/json" "$S"
save preview-page-1 200 "$S/after-school/preview"
save preview-page-2 200 "$S/after-school/preview?page=2"
save preview-urdu 200 "$S/after-school/preview?lang=ur"
save preview-post 200 -d x=1 "$S/after-school/preview"
check "the preview shows its banner" grep -q 'Preview — answers are not saved' "$PAGES/preview-page-1.html"
check "  ... the second page" grep -q 'What do you wish there was?' "$PAGES/preview-page-2.html"
check "  ... and the second language" grep -q 'کیا آپ اسکول کے بعد کسی کلب میں جاتے ہیں؟' "$PAGES/preview-urdu.html"
check_eq "publish it" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/c" -d "_csrf=$CC&version=1" "$S/after-school/publish")" "303"
save edit-published-now 200 "$S/after-school?saved=published"
save publish-again 409 -d "_csrf=$CC&version=1" "$S/after-school/publish"
save list-after 200 "$S"
check "the error pages have their summaries" bash -c "[ \$(grep -l 'class=\"error-summary\"' '$PAGES'/*-errors.html | wc -l) = 9 ]"
check "staff words are escaped" bash -c "! grep -q '<b>survey</b>' '$PAGES'/*.html"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
serve_saved "$PAGES"
print_staff "$SHOTS" builder-list="$SBASE/list.html" builder-edit="$SBASE/edit-published.html" \
	builder-question="$SBASE/question.html"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
audit_saved "$PAGES"
check "the server stops cleanly" stop_server

# Issue 14's "done means": built from nothing, previewed, published,
# answered on a phone, edited after answers, exported exactly.
DATA="$TMP/flow"
add_staff "$DATA" dana:commissioner || fail "a second data folder's account"
start_server "$DATA" || { fail "server starts for the flow"; finish; exit 1; }
node "$HERE/builder_flow.mjs" "$BASE" dana "$STAFF_PASSWORD" "$SURVEY" >"$TMP/flow.txt" 2>&1
FLOW=$?
grep -v '^ok' "$TMP/flow.txt"
check_eq "the whole flow in the browser ($(grep -c '^ok' "$TMP/flow.txt") steps)" "$FLOW" "0"
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses --format csv -o "$TMP/flow.csv" </dev/null 2>/dev/null
counts() { /usr/bin/python3 - "$TMP/flow.csv" "$1" <<'PY'
import csv, sys, collections
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')) if r['survey'] == 'after-school']
print(' '.join(f'{k}={v}' for k, v in sorted(collections.Counter(r[sys.argv[2]] for r in rows).items())))
PY
}
check_eq "the export: every answer of both versions" "$(counts club)" "No=1 Yes=2"
check_eq "  ... the hidden choice and the new one, exactly" "$(counts which-club)" "=1 A music club=1 A sports club=1"
check "the server stops cleanly" stop_server
finish
