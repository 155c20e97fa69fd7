#!/usr/bin/env bash
# Hostile input over HTTP: every case expects one exact status, and the
# server stays healthy.  Slow clients (slowloris: a request head or body a
# byte a second) are cut off within the limits of core/limits.h while others
# are served; malformed percent-encoding, invalid UTF-8, NUL and control
# bytes, overlong and too many fields, duplicate and unknown fields, huge,
# negative and non-numeric numbers, odd paths and ids, SQL metacharacters;
# markup in free text and in everything staff type (event names, focus-group
# districts, key messages, consultation titles, theme names) comes back
# escaped on every page that shows it, and as plain data in the CSV and
# JSON exports.  No response names SQL, a file path or a source line.
# Request framing (RFC 9112 section 6): two lengths, a length and a transfer
# coding, a length that is not a plain number, no length on a POST, too many
# header lines, an HTTP version we do not speak, a target in absolute form:
# each gets one answer with its reason phrase and the connection closes.
# tests/http/test_survey.sh and test_staff.sh hold the simpler cases.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts are added"
# No rate limit: this suite sends many answers from one address on purpose.
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
PORT=${BASE##*:}
S="$BASE/s/what-matters"
VALID="most-important=talk&make-better%5B%5D=sport&age=14-15&district=eastbrook"
# valid: a complete answer with a fresh one-time token.
valid() { printf '%s&_token=%s' "$VALID" "$(fresh_token what-matters)"; }
mkdir -p "$TMP/r"

# req CURL_ARGS...: one request; keeps its headers and body (for the leak
# checks at the end) and prints its status.
req() {
	local f="$TMP/r/$BASHPID-$RANDOM$RANDOM"
	curl -s -D "$f.h" -o "$f.b" -w '%{http_code}' --max-time 20 "$@"
	ln -sf "$f.b" "$TMP/last.b"
}
# expect DESCRIPTION STATUS CURL_ARGS...
expect() {
	local what=$1 want=$2
	shift 2
	check_eq "$what" "$(req "$@")" "$want"
}
# escaped TEXT: TEXT as sbuf_add_html writes it.
escaped() {
	printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\\&#39;/g"
}
# shows_escaped DESCRIPTION FILE TEXT: FILE holds TEXT escaped, never raw.
shows_escaped() {
	check "$1 (escaped)" grep -qF -- "$(escaped "$3")" "$2"
	check "$1 (never raw)" bash -c 'no_match -qF -- "$1" "$2"' _ "$3" "$2"
}

# --- slow clients (run while the rest of the suite goes on) ------------------
# slow_client MODE: sends a request head (MODE head), or a head and then a
# body (MODE body), a byte a second; prints the seconds until the server
# closed the connection, or "open" if it had not after 60 s.
slow_client() {
	local fd start=$SECONDS c st
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || { echo noconnect; return; }
	if [ "$1" = body ]; then
		printf 'POST /s/what-matters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n' >&"$fd"
	else
		printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&"$fd"
	fi
	while [ $((SECONDS - start)) -lt 60 ]; do
		printf 'a' >&"$fd" 2>/dev/null || break
		IFS= read -r -t 1 -n 1 -u "$fd" c
		st=$?
		[ $st -eq 1 ] && break                  # end of file: closed
		if [ $st -eq 0 ]; then                  # an answer: read it to the end
			while IFS= read -r -t 2 -u "$fd" c; do :; done
			break
		fi
	done
	exec {fd}>&-
	if [ $((SECONDS - start)) -ge 60 ]; then echo open; else echo $((SECONDS - start)); fi
}
SLOW_PIDS=()
for i in 1 2 3 4 5 6; do
	slow_client head >"$TMP/slow-head-$i" 2>/dev/null &
	SLOW_PIDS+=($!)
done
for i in 1 2; do
	slow_client body >"$TMP/slow-body-$i" 2>/dev/null &
	SLOW_PIDS+=($!)
done
sleep 1
start=$(date +%s%N)
check_eq "with eight slow clients connected, /healthz is served" "$(curl -s --max-time 2 "$BASE/healthz")" "ok"
check "  ... within 2 seconds" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000
expect "  ... and a survey answer is taken" 303 --data-binary "$(valid)" "$S"

# --- malformed percent-encoding, invalid UTF-8, NUL and control bytes ---------
# Each line: what | the body.  Every one is 400 and says what was wrong.
while IFS='|' read -r what body; do
	expect "$what is 400" 400 --data-binary "$body" "$S"
	check "  ... saying why" grep -qE 'percent sign|not valid UTF-8|control character' "$TMP/last.b"
done <<'CASES'
a lone % at the end|tell-us=abc%
%4 with one hex digit|tell-us=%4
%G1|tell-us=%G1
bad percent-encoding in a field name|tell%zz=1
an overlong '/' (C0 AF)|tell-us=%C0%AF
a UTF-16 surrogate (ED A0 80)|tell-us=%ED%A0%80
a lone continuation byte|tell-us=%80
a code point past U+10FFFF|tell-us=%F4%90%80%80
a cut-off sequence|tell-us=%E2%82
a five-byte form|tell-us=%F8%88%80%80%80
invalid UTF-8 in a field name|%C3%28=1
%00 in a field name|tell%00us=1
a control byte (%01)|tell-us=a%01b
DEL (%7F)|tell-us=a%7Fb
a newline in a field name|tell%0Aus=1
CASES
expect "a raw 0xFF byte is 400" 400 --data-binary $'tell-us=\xff' "$S"
printf 'most-important=talk&tell-us=a\0b' >"$TMP/nul"
expect "a raw NUL byte in the body is 400" 400 --data-binary @"$TMP/nul" "$S"
expect "a valid 4-byte character (emoji) is fine" 303 --data-binary "$(valid)&tell-us=%F0%9F%98%80" "$S"
expect "%-encoding in the path does not reach a survey (404)" 404 "$BASE/s/what%2Dmatters"
expect "%00 in the path is 404, not the page before it" 404 "$S%00"
expect "  ... nor /healthz%00.html" 404 "$BASE/healthz%00.html"
expect "a query string with bad %-encoding on a form is ignored (200)" 200 "$S?_lang=%zz%"

# --- sizes: fields, names, values, bodies, heads ------------------------------
expect "a field name of 65 bytes is 400" 400 --data-binary "$(head -c 65 /dev/zero | tr '\0' n)=1" "$S"
# Within the 64 KiB body, these are malformed forms (400) that say what is wrong.
expect "an answer over 16 KiB decoded is 400" 400 --data-binary "tell-us=$(head -c 16385 /dev/zero | tr '\0' a)" "$S"
check "  ... saying an answer is too long" grep -q 'an answer is too long' "$TMP/last.b"
fields=$(for i in $(seq 1 257); do printf 'f%d=1&' "$i"; done)
expect "257 fields is 400" 400 --data-binary "${fields%&}" "$S"
check "  ... saying there are too many fields" grep -q 'too many fields' "$TMP/last.b"
fields=$(for i in $(seq 1 256); do printf 'f%d=1&' "$i"; done)
expect "256 fields is read (422: the answers are missing)" 422 --data-binary "${fields%&}" "$S"
head -c 70000 /dev/zero | tr '\0' a | sed 's/^/tell-us=/' >"$TMP/big"
expect "a chunked body over 64 KiB (no length given) is 413" 413 -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big" "$S"
expect "an unsigned staff POST of 70 KB goes to sign in (303), unread" 303 --data-binary @"$TMP/big" "$BASE/staff/events"
expect "a request head over 16 KiB is refused (400)" 400 -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' a)" "$BASE/healthz"
expect "a path over 16 KiB is refused (400)" 400 "$BASE/s/$(head -c 17000 /dev/zero | tr '\0' a)"
expect "an id of 49 characters is 404" 404 "$BASE/s/$(head -c 49 /dev/zero | tr '\0' a)"

# --- duplicate and unknown fields ------------------------------------------------
expect "free text sent twice is 400" 400 --data-binary "$VALID&tell-us=a&tell-us=b" "$S"
expect "a field the form does not have is ignored (303)" 303 --data-binary "$(valid)&is_admin=1" "$S"
expect "an unknown field of ours (_x) is ignored (303)" 303 --data-binary "$(valid)&_x=1" "$S"

# --- numbers: pages, actions -------------------------------------------------------
Y="$BASE/s/your-area"
expect "a page number of 20 digits is 400" 400 --data-binary "_page=99999999999999999999&_action=next" "$Y"
expect "a negative page number is 400" 400 --data-binary "_page=-1&_action=next" "$Y"
expect "a page number in hex is 400" 400 --data-binary "_page=0x1&_action=next" "$Y"
expect "a jump to page 10^12 is 400" 400 --data-binary "_page=1&_action=page-1000000000000" "$Y"
expect "an unknown action is 400" 400 --data-binary "_page=1&_action=delete" "$Y"

# --- paths and ids ---------------------------------------------------------------------
for p in "/s/WHAT-MATTERS" "/s/what-matters/" "/s/what-matters/thanks/x" "/s/what-matters;x" \
	"/s/what_matters" "/s/%3Cscript%3E" "/s/%2e%2e%2f%2e%2e%2fetc%2fpasswd" "/s/" "/s" "//s/what-matters" \
	"/static/../forms/surveys/what-matters.json" "/static/style.css/x" "/forms/taxonomy.json" \
	"/.git/config" "/staff/../healthz"; do
	expect "GET $p is 404" 404 --path-as-is "$BASE$p"
done
check "  ... a 404 never echoes the path" bash -c "no_match -rqF '<script>' '$TMP'/r/*.b"
expect "a method civetweb does not know is refused as malformed (400)" 400 -X BREW "$BASE/"
check "  ... with our page and headers, not civetweb's text" grep -q 'The request could not be read' "$TMP/last.b"
expect "TRACE is refused (400), nothing echoed" 400 -X TRACE -H 'X-Echo: secret-header' "$BASE/healthz"
check "  ... nothing echoed" bash -c "no_match -q 'secret-header' '$TMP/last.b'"
expect "a CORS preflight gets no CORS grant" 405 -X OPTIONS -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: POST' "$S"
check "  ... and no Access-Control header anywhere" bash -c "no_match -qi '^Access-Control' '$TMP'/r/*.h"

# --- request framing (RFC 9112 section 6): one answer, then the connection closes
# raw EXPECTED DESCRIPTION FORMAT [ARGS...]: sends printf FORMAT ARGS as it
# is, then a second, pipelined GET /healthz.  EXPECTED is each status line
# answered, then "; closed" when the server closed the connection after
# them: a server that closes never reads the second request.
raw() {
	local want=$1 what=$2
	shift 2
	{ printf "$@"; printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'; } >"$TMP/raw.req"
	check_eq "$what" "$(/usr/bin/python3 "$ROOT/tests/http/raw_request.py" "$PORT" <"$TMP/raw.req")" "$want"
}
# lines N: N header lines "X-i: 1", each ending CR LF but the last (whose
# LF command substitution takes off).
lines() { for i in $(seq 1 "$1"); do printf 'X-%d: 1\r\n' "$i"; done; }
FORM=$'POST /s/what-matters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n'
BODY="most-important=talk"
raw "HTTP/1.1 200 OK | HTTP/1.1 200 OK ; open" "two pipelined GETs are both answered, the connection kept (the harness sees both)" \
	'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'
raw "HTTP/1.1 400 Bad Request ; closed" "Content-Length and Transfer-Encoding together: 400, closed" \
	'%sContent-Length: 19\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$FORM" "$BODY"
raw "HTTP/1.1 400 Bad Request ; closed" "  ... in either order" \
	'%sTransfer-Encoding: chunked\r\nContent-Length: 19\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$FORM" "$BODY"
raw "HTTP/1.1 400 Bad Request ; closed" "two different Content-Lengths: 400, closed" \
	'%sContent-Length: 19\r\nContent-Length: 5\r\n\r\n%s' "$FORM" "$BODY"
raw "HTTP/1.1 400 Bad Request ; closed" "the same Content-Length twice: 400, closed" \
	'%sContent-Length: 19\r\nContent-Length: 19\r\n\r\n%s' "$FORM" "$BODY"
for cl in "19, 19" "19,19" "+19" "-19" "0x13" "19.0" "1 9" "abc" ""; do
	raw "HTTP/1.1 400 Bad Request ; closed" "Content-Length '$cl': 400, closed" \
		'%sContent-Length: %s\r\n\r\n%s' "$FORM" "$cl" "$BODY"
done
raw "HTTP/1.1 400 Bad Request ; closed" "two Transfer-Encoding lines: 400, closed" \
	'%sTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$FORM" "$BODY"
raw "HTTP/1.1 400 Bad Request ; closed" "Transfer-Encoding 'chunked, chunked': 400, closed" \
	'%sTransfer-Encoding: chunked, chunked\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$FORM" "$BODY"
raw "HTTP/1.1 501 Not Implemented ; closed" "a transfer coding other than chunked: 501, closed" \
	'%sTransfer-Encoding: identity\r\n\r\n%s' "$FORM" "$BODY"
raw "HTTP/1.1 400 Bad Request ; closed" "Transfer-Encoding in an HTTP/1.0 request: 400, closed" \
	'POST /s/what-matters HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$BODY"
raw "HTTP/1.1 411 Length Required ; closed" "a POST without a length: 411 with its reason phrase, closed" \
	'%s\r\n%s' "$FORM" "$BODY"
raw "HTTP/1.1 422 Unprocessable Content | HTTP/1.1 200 OK ; open" "a chunked body alone is read (422: answers missing), the connection kept" \
	'%sTransfer-Encoding: Chunked\r\n\r\n13\r\n%s\r\n0\r\n\r\n' "$FORM" "$BODY"
raw "HTTP/1.1 413 Content Too Large ; closed" "a 413 says Connection: close and closes" \
	'%sContent-Length: 70000\r\n\r\n%s' "$FORM" "$(head -c 70000 /dev/zero | tr '\0' a)"
raw "HTTP/1.1 431 Request Header Fields Too Large ; closed" "65 header lines (civetweb keeps 64): 431, closed" \
	'GET /healthz HTTP/1.1\r\nHost: x\r\n%s\r\n' "$(lines 63)"$'\nX-Forwarded-For: 192.0.2.1\r\n'
raw "HTTP/1.1 200 OK | HTTP/1.1 200 OK ; open" "63 header lines are read" \
	'GET /healthz HTTP/1.1\r\nHost: x\r\n%s\r\n' "$(lines 62)"$'\n'
for v in 2.0 3 1.9; do
	raw "HTTP/1.1 505 HTTP Version Not Supported ; closed" "HTTP/$v: 505 with its reason phrase, closed" \
		'GET /healthz HTTP/%s\r\nHost: x\r\n\r\n' "$v"
done
raw "HTTP/1.1 400 Bad Request ; closed" "a target in absolute form for another host and port gets an answer (400), not silence" \
	'GET http://example.org/healthz HTTP/1.1\r\nHost: example.org\r\n\r\n'
raw "HTTP/1.1 200 OK | HTTP/1.1 200 OK ; open" "a target in absolute form for this port is served like its path" \
	'GET http://127.0.0.1:%s/healthz HTTP/1.1\r\nHost: x\r\n\r\n' "$PORT"
raw "HTTP/1.1 400 Bad Request ; closed" "OPTIONS * gets an answer (400), not silence" \
	'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'
check_eq "the server is healthy after the framing cases" "$(curl -s "$BASE/healthz")" "ok"

# --- SQL metacharacters --------------------------------------------------------------------
before=$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM responses')
expect "free text full of SQL is an answer like any other (303)" 303 --data-urlencode "tell-us=x'); DROP TABLE responses; -- \" OR 1=1; /*" \
	--data-binary "$(valid)" "$S"
check_eq "  ... stored as one more response, the table intact" "$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM responses')" "$((before + 1))"
expect "an answer id with SQL in it is 400" 400 --data-binary "most-important=talk'--&age=14-15" "$S"

# --- the staff side ------------------------------------------------------------------------
CY=$(sign_in "$TMP/y" kai)
CC=$(sign_in "$TMP/c" cleo)
check "staff sign in" test -n "$CY" -a -n "$CC"
expect "a signed-in staff form over 64 KiB is 413" 413 -b "$TMP/y" --data-binary @"$TMP/big" "$BASE/staff/events"
expect "a sign-in name with SQL in it is 422 (no such account)" 422 -c "$TMP/l" -b "$TMP/l" \
	--data-urlencode "name=x' OR '1'='1" --data-urlencode "password=x' OR '1'='1" \
	--data-urlencode "_csrf=$(curl -s -c "$TMP/l" -b "$TMP/l" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')" "$BASE/staff/login"
expect "a session cookie of 64 quotes goes to sign in" 303 -b "yv_staff=$(head -c 64 /dev/zero | tr '\0' "'")" "$BASE/staff"
expect "a session cookie with a NUL goes to sign in" 303 -H "Cookie: yv_staff=$(printf '%064d' 0)%00" "$BASE/staff"
expect "a Cookie header of 10 KB goes to sign in" 303 -H "Cookie: yv_staff=$(head -c 10000 /dev/zero | tr '\0' a)" "$BASE/staff"

# Markup in everything staff type.
EVENT="<img src=x onerror=alert(1)> Fair's \"day\" & night"
expect "an event named with markup is started (303)" 303 -b "$TMP/y" --data-urlencode "_csrf=$CY" \
	--data-urlencode "name=$EVENT" -d "day=2027-06-01&consultation=cyp-plan-2027" "$BASE/staff/events"
EV=$(sqlite3 "$DATA/youthvoice.db" 'SELECT max(id) FROM events')
curl -s -b "$TMP/y" "$BASE/staff/events" >"$TMP/events.html"
shows_escaped "the events list shows the event name" "$TMP/events.html" "$EVENT"
curl -s -b "$TMP/y" "$BASE/staff/events/$EV" >"$TMP/event.html"
shows_escaped "the tally page shows the event name" "$TMP/event.html" "$EVENT"
curl -s -b "$TMP/y" "$BASE/staff/events/$EV/live" >"$TMP/live.html"
shows_escaped "the big-screen page shows the event name" "$TMP/live.html" "$EVENT"

# Tally counts: huge, negative, non-numeric (test_staff.sh has 2, 0, -3, x).
T="$BASE/staff/events/$EV/tally"
tally() { req -b "$TMP/y" -d "_csrf=$CY&priority=2&theme=online-safety&client_id=h-$RANDOM$RANDOM" "$@" "$T"; }
changes=$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM tally_changes')
for d in 99999999999999999999 -99999999999999999999 9223372036854775808 1e3 +1 " 1" 1.0 0x1 "" abc "1;DROP TABLE events" -; do
	check_eq "a tally delta of '$d' is 400" "$(tally --data-urlencode "delta=$d")" "400"
done
for t in 99999999999999999999 -1 -0x1 100001 1e5 "" "5 " "５"; do
	check_eq "a tally total of '$t' is 400" "$(tally --data-urlencode "total=$t")" "400"
done
check_eq "a tally at priority 99999999999999999999 is 400" \
	"$(req -b "$TMP/y" -d "_csrf=$CY&priority=99999999999999999999&theme=online-safety&delta=1&client_id=h-big" "$T")" "400"
check_eq "a tally at priority -2 is 400" \
	"$(req -b "$TMP/y" -d "_csrf=$CY&priority=-2&theme=online-safety&delta=1&client_id=h-neg" "$T")" "400"
check_eq "  ... none of those stored a change" "$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM tally_changes')" "$changes"
check_eq "an event id of 16 digits is 404" "$(req -b "$TMP/y" "$BASE/staff/events/1234567890123456")" "404"
check_eq "an event id with a sign is 404" "$(req -b "$TMP/y" "$BASE/staff/events/+1")" "404"
for p in "/staff/events/1%00" "/staff/events/0x1" "/staff/events/$EV/../$EV" "/staff/groups/-1" "/staff/groups/1e3" \
	"/staff/consultations/..%2f" "/staff/consultations/CYP-PLAN-2027/themes" "/staff/exportx" "/staff/%3Cscript%3E"; do
	expect "signed in, GET $p is 404" 404 --path-as-is -b "$TMP/c" "$BASE$p"
done
for d in "2026-13-45" "2027-02-29" "<script>x>" "20270601xx"; do
	expect "an event on day '$d' is 400" 400 -b "$TMP/y" --data-urlencode "_csrf=$CY" -d "name=Fair&consultation=cyp-plan-2027" \
		--data-urlencode "day=$d" "$BASE/staff/events"
done

# Focus groups: district and key messages.
DISTRICT="<b onmouseover=alert(2)>North</b>"
expect "a focus group with markup in its district is saved (303)" 303 -b "$TMP/y" --data-urlencode "_csrf=$CY" \
	--data-urlencode "district=$DISTRICT" -d "consultation=cyp-plan-2027&day=2026-11-20&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
G=$(sqlite3 "$DATA/youthvoice.db" 'SELECT max(id) FROM focus_groups')
MESSAGE="<script>alert('m')</script> we want \"safe\" & late clubs"
expect "a key message with markup is saved (303)" 303 -b "$TMP/y" --data-urlencode "_csrf=$CY" \
	--data-urlencode "text=$MESSAGE" -d "themes[]=bullying" "$BASE/staff/groups/$G/messages"
curl -s -b "$TMP/y" "$BASE/staff/groups" >"$TMP/groups.html"
shows_escaped "the groups list shows the district" "$TMP/groups.html" "$DISTRICT"
curl -s -b "$TMP/y" "$BASE/staff/groups/$G" >"$TMP/group.html"
shows_escaped "the group page shows the district" "$TMP/group.html" "$DISTRICT"
shows_escaped "the group page shows the key message" "$TMP/group.html" "$MESSAGE"
expect "focus group numbers of 20 digits are 400" 400 -b "$TMP/y" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=99999999999999999999&age_from=12&age_to=15" "$BASE/staff/groups"
expect "negative participants are 400" 400 -b "$TMP/y" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=-9&age_from=12&age_to=15" "$BASE/staff/groups"
expect "a focus group on a day that is not a date is 400" 400 -b "$TMP/y" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-13-45&district=N&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"

# Consultations and theme names (commissioners).
TITLE="<script>alert(\"t\")</script> Plan & 'review'"
expect "a consultation titled with markup is started (303)" 303 -b "$TMP/c" --data-urlencode "_csrf=$CC" \
	--data-urlencode "title=$TITLE" -d "id=xss-check" "$BASE/staff/consultations"
expect "a consultation id with markup is 400" 400 -b "$TMP/c" --data-urlencode "_csrf=$CC" -d "title=x" --data-urlencode "id=<b>" "$BASE/staff/consultations"
expect "a consultation id with SQL is 400" 400 -b "$TMP/c" --data-urlencode "_csrf=$CC" -d "title=x" --data-urlencode "id=x' OR 1=1--" "$BASE/staff/consultations"
curl -s -b "$TMP/c" "$BASE/staff/consultations" >"$TMP/consultations.html"
shows_escaped "the consultations page shows the title" "$TMP/consultations.html" "$TITLE"
curl -s -b "$TMP/c" "$BASE/staff/export" >"$TMP/export.html"
shows_escaped "the exports page shows the title" "$TMP/export.html" "$TITLE"
THEME="<svg onload=alert(3)> \"Buses\" & 'trains'"
FORMULA="=HYPERLINK(\"http://evil.example\",\"x\")"
TH="$BASE/staff/consultations/xss-check/themes"
expect "a theme named with markup is added (303)" 303 -b "$TMP/c" --data-urlencode "_csrf=$CC" -d "action=add&priorities[]=3" \
	--data-urlencode "name=$THEME" "$TH"
expect "a theme named like a spreadsheet formula is added (303)" 303 -b "$TMP/c" --data-urlencode "_csrf=$CC" -d "action=add&priorities[]=4" \
	--data-urlencode "name=$FORMULA" "$TH"
curl -s -b "$TMP/c" "$TH" >"$TMP/themes.html"
shows_escaped "the themes page shows the theme name" "$TMP/themes.html" "$THEME"
expect "an event for that consultation is started" 303 -b "$TMP/y" --data-urlencode "_csrf=$CY" \
	-d "name=Fair&day=2027-06-02&consultation=xss-check" "$BASE/staff/events"
EV2=$(sqlite3 "$DATA/youthvoice.db" 'SELECT max(id) FROM events')
curl -s -b "$TMP/y" "$BASE/staff/events/$EV2" >"$TMP/event2.html"
shows_escaped "its tally page shows the theme name" "$TMP/event2.html" "$THEME"
expect "the staff CSV export of it is 200" 200 -b "$TMP/c" "$BASE/staff/export/themes.csv?consultation=xss-check"
cp "$TMP/last.b" "$TMP/staff.csv"
csv_cell() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
check "  ... holds the theme name as one quoted CSV cell" grep -qF -- ",$(csv_cell "$THEME")," "$TMP/staff.csv"
check "  ... and the formula defused with a leading '" grep -qF -- ",$(csv_cell "'$FORMULA")," "$TMP/staff.csv"
"$EXPORT_BIN" --data "$DATA" themes --consultation xss-check --min-cell 0 >"$TMP/cli.csv"
check "survey-export's CSV holds the theme name as data" grep -qF -- ",$(csv_cell "$THEME")," "$TMP/cli.csv"
"$EXPORT_BIN" --data "$DATA" themes --consultation xss-check --min-cell 0 --format json >"$TMP/cli.json"
check_eq "survey-export's JSON holds it exactly" "$(jq -r --arg t "$THEME" '[.rows[] | select(.theme == $t)] | length' "$TMP/cli.json")" "1"
expect "an export for a consultation id with SQL is 404" 404 -b "$TMP/c" "$BASE/staff/export/themes.csv?consultation=x%27%20OR%201%3D1--"
expect "an export for a consultation id with ../ is 404" 404 -b "$TMP/c" "$BASE/staff/export/themes.csv?consultation=..%2F..%2Fetc"

# Free text with markup, sent back on a 422 (a required answer missing).
FREE="<script>alert('r')</script><x>\"&"
expect "free text with markup comes back on a 422" 422 --data-urlencode "tell-us=$FREE" -d "age=14-15" "$S"
shows_escaped "  ... the form shows it" "$TMP/last.b" "$FREE"

# --- after all that ----------------------------------------------------------------------
for pid in "${SLOW_PIDS[@]}"; do wait "$pid"; done
for i in 1 2 3 4 5 6; do
	got=$(cat "$TMP/slow-head-$i")
	check "a slow request head ($i) was cut off within 10-16 s (took $got s)" test "$got" != open -a "$got" -ge 9 -a "$got" -le 16
done
for i in 1 2; do
	got=$(cat "$TMP/slow-body-$i")
	check "a slow body ($i) was cut off within 10-30 s (took $got s)" test "$got" != open -a "$got" -ge 9 -a "$got" -le 30
done
check_eq "the server is healthy after all that" "$(curl -s "$BASE/healthz")" "ok"
check "every response had headers" test "$(ls "$TMP"/r/*.h | wc -l)" -ge 100
check "no response names SQL, a path, a source line or a crash" \
	bash -c "no_match -lE 'sqlite|SQLITE|SQL|/work|/tmp|/home|\\.c:[0-9]|Traceback|segfault|Segmentation|AddressSanitizer' '$TMP'/r/*.b"
check "no response lacks the Content-Security-Policy" \
	bash -c "for h in '$TMP'/r/*.h; do grep -qi \"^Content-Security-Policy: default-src 'none'\" \"\$h\" || [ ! -s \"\$h\" ] || exit 1; done"
check "the server stops cleanly" stop_server
sqlite_only "the database is intact" pragma_is "$DATA/youthvoice.db" integrity_check ok
finish
