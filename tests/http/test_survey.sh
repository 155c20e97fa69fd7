#!/usr/bin/env bash
# The respondent's path end to end over real HTTP: pages and headers, a
# submission sealed and counted, the export moving by exactly what was
# submitted, errors with the right status, nothing readable left on disk,
# and a clean stop.
. "$(dirname "$0")/lib.sh"

# --- first start: a new key's passphrase goes to a terminal, never a log ----
# No terminal (a service, a container, CI, output to a file): no key is made,
# the server starts anyway, and takes answers once keygen has been run.
NT="$TMP/no-terminal"
NO_KEYGEN=1 start_server "$NT" </dev/null >"$TMP/nt.out"
check "with no terminal, serve on an empty folder starts (a container stays healthy)" test -n "$SERVER_PID"
check_eq "  ... /healthz answers ok" "$(curl -s --max-time 10 "$BASE/healthz")" "ok"
check "  ... the log says to run keygen" grep -qF "until an operator runs \"survey-server keygen --data $NT\"" "$SERVER_LOG"
check "  ... and why" grep -qF 'no terminal to show a new passphrase on (it must never go to a log)' "$SERVER_LOG"
check "  ... and makes no key" bash -c "! ls '$NT/keys/' 2>/dev/null | grep -q ."
check "  ... and writes nothing on standard output" test ! -s "$TMP/nt.out"
check_eq "  ... the survey page is served" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/s/what-matters")" "200"
nt_post() {
	curl -s -o "$TMP/nt.html" -w '%{http_code}' --max-time 10 -d "_token=$(fresh_token what-matters)" \
		-d most-important=talk -d 'make-better[]=sport' -d age=14-15 -d district=eastbrook \
		--data-urlencode "tell-us=waiting for a key $1" "$BASE/s/what-matters"
}
check_eq "  ... an answer sent before there is a key: 503" "$(nt_post one)" "503"
check "  ... saying so calmly, with the answers kept" bash -c \
	"grep -qF 'We could not save your answers' '$TMP/nt.html' && grep -qF 'waiting for a key one' '$TMP/nt.html'"
check "  ... and the log says it waits for a key" grep -qF 'a response to what-matters waits for a key' "$SERVER_LOG"
printf 'a passphrase typed by the operator\n' >"$TMP/nt.pass"
"$SERVER_BIN" keygen --data "$NT" --passphrase-file "$TMP/nt.pass" >/dev/null </dev/null
check "keygen while the server runs makes the key" test -f "$NT/keys/active"
sleep 1.2   # the server looks at keys/ at most once a second
check_eq "  ... and the next answer is taken without a restart (303)" "$(nt_post two)" "303"
check "  ... the log says the key was found" grep -qF "found key $(cat "$NT/keys/active" 2>/dev/null)" "$SERVER_LOG"
stop_server
"$EXPORT_BIN" --data "$NT" --passphrase-file "$TMP/nt.pass" responses -o "$TMP/nt.csv" </dev/null 2>/dev/null
check "  ... and the export opens it with the operator's passphrase" grep -qF 'waiting for a key two' "$TMP/nt.csv"
check "  ... the one sent before the key was never stored" bash -c "no_match -qF 'waiting for a key one' '$TMP/nt.csv'"

# At a terminal (script(1) gives it one) with standard error sent to a log:
# the passphrase appears on the terminal only, and it opens the key.
TT="$TMP/terminal"
: >"$TMP/tt.log"
timeout 60 script -qec "echo \$\$ >'$TMP/tt.pid'; exec '$SERVER_BIN' serve --data '$TT' --listen 127.0.0.1:0 --forms '$ROOT/forms' 2>'$TMP/tt.log'" \
	/dev/null </dev/null >"$TMP/tt.out" 2>&1 &
SCRIPT_PID=$!
for _ in $(seq 1 300); do grep -q 'listening on' "$TMP/tt.log" && break; sleep 0.1; done
check "at a terminal, serve on an empty folder starts" grep -q 'listening on' "$TMP/tt.log"
kill -TERM "$(cat "$TMP/tt.pid")"
wait "$SCRIPT_PID"
SHOWN=$(sed -n 's/^ *\([a-z2-9]\{4\}\(-[a-z2-9]\{4\}\)\{5\}\)\r*$/\1/p' "$TMP/tt.out")
check "  ... and shows a generated passphrase on the terminal" test -n "$SHOWN"
check "  ... which the log never holds" bash -c "[ -n '$SHOWN' ] && no_match -qF '$SHOWN' '$TMP/tt.log'"
check "  ... nor the data folder" bash -c "[ -n '$SHOWN' ] && folder_bytes '$TT' | no_match -qaF '$SHOWN' -"
check "  ... the log says where the key is and that its passphrase went to the terminal only" \
	grep -qF "the secret key in $TT/keys/$(cat "$TT/keys/active" 2>/dev/null).secret; its passphrase was shown on the terminal only" "$TMP/tt.log"
check "  ... and the audit log says a key was made, by which id" \
	test "$(sqlite3 "$TT/youthvoice.db" "SELECT count(*) FROM audit WHERE who = '(first start)' AND action = 'made a key' AND detail = '$(cat "$TT/keys/active" 2>/dev/null)'")" = 1
printf '%s\n' "$SHOWN" >"$TMP/shown"
"$EXPORT_BIN" --data "$TT" --passphrase-file "$TMP/shown" responses -o "$TMP/tt.csv" </dev/null 2>"$TMP/tt.err"
check_eq "  ... and the passphrase shown opens the key" "$?" "0"

DATA="$TMP/data"
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
pass "server starts on a free port after keygen on an empty data folder"
check "  ... sealing to the key keygen made" grep -qF "sealing to key $(cat "$DATA/keys/active")" "$SERVER_LOG"
check "  ... and shows no passphrase" bash -c "no_match -qi 'passphrase' '$SERVER_LOG'"

# --- pages and headers ---------------------------------------------------
check_eq "GET /healthz is ok" "$(curl -s "$BASE/healthz")" "ok"
curl -s -D "$TMP/h" -o "$TMP/index.html" "$BASE/"
check "GET / lists the open survey" grep -q 'href="/s/what-matters"' "$TMP/index.html"
check "CSP allows only this origin" grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'self'.*frame-ancestors 'none'" "$TMP/h"
check "X-Content-Type-Options nosniff" grep -qi '^X-Content-Type-Options: nosniff' "$TMP/h"
check "Referrer-Policy no-referrer" grep -qi '^Referrer-Policy: no-referrer' "$TMP/h"
check "no cookie for respondents" bash -c "no_match -qi '^Set-Cookie' '$TMP/h'"
check "no CORS header" bash -c "no_match -qi '^Access-Control' '$TMP/h'"
curl -s -o "$TMP/form.html" "$BASE/s/what-matters"
check "the form posts to itself" grep -q '<form method="post" action="/s/what-matters"' "$TMP/form.html"
check "questions are fieldsets with legends" grep -q '<legend>' "$TMP/form.html"
check "optional questions say (optional)" grep -q '(optional)' "$TMP/form.html"
check "no asterisks on questions" bash -c "no_match -q '\\*</' '$TMP/form.html'"
check "personal questions offer prefer not to say" grep -q 'id="age-prefer-not-to-say"' "$TMP/form.html"
check "nothing is pre-selected" bash -c "no_match -q ' checked' '$TMP/form.html'"
check_eq "the stylesheet is served" "$(status_of "$BASE/static/style.css")" "200"
check_eq "the staff pages' stylesheet is served" "$(status_of "$BASE/static/staff.css")" "200"
# A young person's phone downloads only what their pages use: the staff
# pages' rules (tally, builder, results, print) stay in staff.css.
check_eq "the form links one stylesheet, style.css" \
	"$(grep -o 'rel="stylesheet" href="[^"]*"' "$TMP/form.html")" 'rel="stylesheet" href="/static/style.css"'
check "style.css has none of the staff pages' rules" bash -c "no_match -q 'tally-bar\|builder-questions\|recovery-codes' '$ROOT/forms/static/style.css'"
check_eq "the thanks page is there" "$(status_of "$BASE/s/what-matters/thanks")" "200"

# --- submissions ---------------------------------------------------------
export_csv() { "$EXPORT_BIN" --data "$DATA" themes --min-cell 0 | tr -d '\r'; }
# "priority|theme|survey count" per row: the last five fields are numbers.
survey_column() { awk -F, 'NR > 1 { k = $0; sub(/,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*$/, "", k); print k "|" $(NF-4) }'; }
export_csv | survey_column >"$TMP/before"
check "the export has one row per (priority, theme)" test "$(wc -l <"$TMP/before")" -ge 14

MARKER="zq$(date +%s%N)marker"
# submit ARGS...: a fresh form's token plus the answers; prints "status location".
submit() {
	curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 20 \
		-d "_token=$(fresh_token what-matters)" "$@" "$BASE/s/what-matters"
}
r1=$(submit -d most-important=talk -d make-better[]=sport -d make-better[]=food \
	--data-urlencode "tell-us=My words $MARKER with \"quotes\" & <b>tags</b>" -d age=14-15 -d district=northvale)
r2=$(submit -d most-important=online -d make-better[]=food -d make-better[]=transport -d make-better[]=info \
	-d age=prefer-not-to-say -d district=prefer-not-to-say)
r3=$(submit -d most-important=talk -d make-better[]=housing -d age=16-17 -d district=eastbrook -d tell-us=)
check_eq "a valid response gets 303 to the thanks page" "$r1" "303 $BASE/s/what-matters/thanks"
check_eq "prefer not to say is a valid answer" "$r2" "303 $BASE/s/what-matters/thanks"
check_eq "an empty optional answer is fine" "$r3" "303 $BASE/s/what-matters/thanks"

export_csv | survey_column >"$TMP/after"
# What those three responses raise, row by row (a theme under two priorities counts under both).
cat >"$TMP/expected" <<'EXP'
"1"|"Better information and education on issues that affect them"|1
"1"|"Healthy food and holiday hunger"|2
"2"|"Someone they trust to talk to, who listens"|2
"2"|"Online safety"|1
"2"|"Homelessness at 16 and 17"|1
"3"|"Better information and education on issues that affect them"|1
"3"|"Transport"|1
"4"|"Homelessness at 16 and 17"|1
"5"|"Someone they trust to talk to, who listens"|2
"5"|"Easier access to sport and physical activity"|1
"5"|"Healthy food and holiday hunger"|2
EXP
# Turn "1,"Priority name","Theme"|n" rows into '"1"|"Theme"|delta' for the rows that moved.
paste -d'|' "$TMP/before" "$TMP/after" | awk -F'|' '{
	d = $4 - $2; if (d == 0) next
	split($1, f, ","); theme = $1; sub(/^[0-9]+,"([^"]|"")*",/, "", theme)
	printf "\"%s\"|%s|%d\n", f[1], theme, d }' >"$TMP/moved"
check "the export moved by exactly what was submitted" diff "$TMP/expected" "$TMP/moved"

"$EXPORT_BIN" --data "$DATA" themes --min-cell 0 --format json >"$TMP/themes.json"
check_eq "JSON priority 2 subtotal counts responses, not themes" \
	"$(jq '.priorities[] | select(.priority_number == 2) | .survey' "$TMP/themes.json")" "3"
check_eq "JSON priority 5 subtotal" "$(jq '.priorities[] | select(.priority_number == 5) | .survey' "$TMP/themes.json")" "3"
check_eq "JSON priority 1 subtotal" "$(jq '.priorities[] | select(.priority_number == 1) | .survey' "$TMP/themes.json")" "2"
check_eq "JSON rows match the CSV rows" "$(jq '.rows | length' "$TMP/themes.json")" "$(wc -l <"$TMP/after")"
"$EXPORT_BIN" --data "$DATA" themes >"$TMP/suppressed.csv"
check "the default export suppresses counts below 5" grep -q '"<5"' "$TMP/suppressed.csv"
check "the default export publishes no count from 1 to 4" \
	bash -c "! tr -d '\r' <'$TMP/suppressed.csv' | grep -Eq ',[1-4](,|\$)'"

# --- answers that need fixing: 422, errors beside questions, answers kept ---
curl -s -o "$TMP/422.html" -w '%{http_code}' -d make-better[]=sport --data-urlencode "tell-us=Keep $MARKER-kept" \
	"$BASE/s/what-matters" >"$TMP/422.status"
check_eq "missing required answers give 422" "$(cat "$TMP/422.status")" "422"
check "the error summary is at the top" grep -q 'class="error-summary"' "$TMP/422.html"
check "the summary links to the question" grep -q 'href="#most-important-talk"' "$TMP/422.html"
check "the error is beside its question" grep -q 'id="most-important-error"' "$TMP/422.html"
check "the message is specific" grep -q 'Choose the one that matters most to you' "$TMP/422.html"
check "the title says Error" grep -q '<title>Error: ' "$TMP/422.html"
check "a ticked box is kept" grep -qF 'id="make-better-sport" name="make-better[]" value="sport" checked' "$TMP/422.html"
check "written text is kept" grep -q "Keep $MARKER-kept</textarea>" "$TMP/422.html"
check_eq "choosing more than 3 gives 422" "$(status_of -d most-important=talk -d make-better[]=sport -d make-better[]=food \
	-d make-better[]=transport -d make-better[]=info -d age=16-17 -d district=eastbrook "$BASE/s/what-matters")" "422"
long=$(head -c 1001 /dev/zero | tr '\0' 'x')
check_eq "text over its limit gives 422" "$(status_of -d most-important=talk -d make-better[]=sport \
	-d "tell-us=$long" -d age=16-17 -d district=eastbrook "$BASE/s/what-matters")" "422"

# --- malformed and unknown requests ------------------------------------------
check_eq "unknown path is 404" "$(status_of "$BASE/nope")" "404"
check_eq "unknown survey is 404" "$(status_of "$BASE/s/no-such-survey")" "404"
check_eq "path traversal is 404" "$(status_of --path-as-is "$BASE/s/../../etc/passwd")" "404"
check_eq "encoded traversal is 404" "$(status_of "$BASE/s/..%2f..%2fetc%2fpasswd")" "404"
check_eq "prefix match is not a route (/healthzz)" "$(status_of "$BASE/healthzz")" "404"
check_eq "DELETE / is 405" "$(status_of -X DELETE "$BASE/")" "405"
check_eq "PUT on a survey is 405" "$(status_of -X PUT -d x=1 "$BASE/s/what-matters")" "405"
check_eq "POST /healthz is 405" "$(status_of -d x=1 "$BASE/healthz")" "405"
check "405 names the allowed methods" bash -c "curl -s -D - -o /dev/null -X DELETE '$BASE/' | grep -qi '^Allow: GET, HEAD'"
head -c 70000 /dev/zero | tr '\0' 'a' >"$TMP/big"
check_eq "a body over 64 KiB is 413" "$(status_of --data-binary @"$TMP/big" "$BASE/s/what-matters")" "413"
check_eq "bad percent-encoding is 400" "$(status_of -d 'most-important=%zz' "$BASE/s/what-matters")" "400"
check_eq "invalid UTF-8 is 400" "$(status_of -d 'tell-us=%C3%28' "$BASE/s/what-matters")" "400"
check_eq "a NUL byte is 400" "$(status_of -d 'tell-us=a%00b' "$BASE/s/what-matters")" "400"
check_eq "an answer not offered is 400" "$(status_of -d 'most-important=%27%3B+DROP+TABLE+responses%3B--' "$BASE/s/what-matters")" "400"
check_eq "one question answered twice is 400" "$(status_of -d most-important=talk -d most-important=online "$BASE/s/what-matters")" "400"
check_eq "a body that is not a form is 415" "$(status_of -H 'Content-Type: application/json' -d '{}' "$BASE/s/what-matters")" "415"
curl -s -d 'most-important=%zz' "$BASE/s/what-matters" >"$TMP/400.html"
check "a 400 says what was wrong" grep -q 'percent sign' "$TMP/400.html"
check "no response names a file path or SQL" bash -c "no_match -Eqi 'sqlite|/tmp/|\\.c:[0-9]' '$TMP/400.html' '$TMP/422.html'"
check_eq "the server is still healthy after all that" "$(curl -s "$BASE/healthz")" "ok"

# --- what is on disk ------------------------------------------------------
check "the free text cannot be found in the data folder (server running)" bash -c "folder_bytes '$DATA' | no_match -qa '$MARKER' -"
# The server's own address is in two lines: where it listens and (with no
# admin yet) the first-admin setup link; no other line may hold an address.
check "no client address in the log" bash -c "test -s '$SERVER_LOG' && ! grep -v -e 'listening on' -e 'first admin: .*/staff/setup/' '$SERVER_LOG' | grep -q '127\\.0\\.0\\.1'"
check "the server stops cleanly on SIGTERM with status 0" stop_server
check "the free text cannot be found in the data folder (after stop)" bash -c "folder_bytes '$DATA' | no_match -qa '$MARKER' -"
DB="$DATA/youthvoice.db"
sqlite_only "the database is intact" pragma_is "$DB" integrity_check ok
sqlite_only "the database is in WAL mode" pragma_is "$DB" journal_mode wal
check_eq "one row per acknowledged response" "$(sqlite3 "$DB" 'SELECT count(*) FROM responses')" "3"
check_eq "arrival is kept as a day, never a time" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")" "3"
check_eq "each response names the key it was sealed to" \
	"$(sqlite3 "$DB" 'SELECT DISTINCT key_id FROM responses')" "$(cat "$DATA/keys/active")"
check_eq "sealed lengths do not reveal how much was written" \
	"$(sqlite3 "$DB" 'SELECT count(DISTINCT length(sealed)) FROM responses')" "1"
check "the secret key file holds no clear key" bash -c "grep -q '^box ' '$DATA'/keys/*.secret && no_match -q '^secret' '$DATA'/keys/*.secret"

# --- restart keeps everything ---------------------------------------------
start_server "$DATA" || fail "server restarts"
check "a restart keeps the key (no new passphrase)" bash -c "no_match -q 'passphrase:' '$SERVER_LOG'"
r4=$(submit -d most-important=bullying -d make-better[]=sport -d age=11-13 -d district=westfield)
check_eq "submissions work after a restart" "$r4" "303 $BASE/s/what-matters/thanks"
check "the server stops cleanly again" stop_server
check_eq "four responses in all" "$(sqlite3 "$DB" 'SELECT count(*) FROM responses')" "4"

finish
