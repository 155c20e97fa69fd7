#!/usr/bin/env bash
# Kiosk mode and posters over HTTP (survey-server/kiosk.c, poster.c;
# docs/kiosk.md): a kiosk link is made by signed-in staff, kept only as a
# hash, audit-logged, good for its one survey and refused once switched off;
# "open it on this tablet" signs the member of staff out there; a sealed
# answer set is stored once however often it is resent, a tampered box or
# one of the wrong size is refused, free text is scrubbed as in any form;
# kiosk pages alone carry script, with their own CSP; posters carry an SVG
# QR code and the survey's address (--public-url when given, never a Host
# that is not a plain host name).
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
# The demo surveys and a closed copy of one.
FORMS="$TMP/forms"
cp -r "$ROOT/forms" "$FORMS"
sed -e 's/"id": "what-matters"/"id": "closed-example"/' -e 's/"status": "open"/"status": "closed"/' \
	"$ROOT/forms/surveys/what-matters.json" >"$FORMS/surveys/closed-example.json"
add_staff "$DATA" kai:youth-worker || fail "a staff account is added"
start_server "$DATA" "$FORMS" || { fail "server starts"; finish; exit 1; }
DB="$DATA/youthvoice.db"
count() { sqlite3 -cmd ".timeout 5000" "$DB" "SELECT count(*) FROM responses"; }
# headers and body of one request: $TMP/h and $TMP/b
get() { curl -s -D "$TMP/h" -o "$TMP/b" --max-time 20 "$@"; sed -n '1s/^HTTP\/1\.[01] \([0-9]*\).*/\1/p' "$TMP/h"; }

# --- the kiosk page, and every other respondent page without script -----------------
check_eq "the kiosk page is served" "$(get "$BASE/k/what-matters")" "200"
check "  ... its CSP allows our own scripts and WebAssembly, nothing else" \
	grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'" "$TMP/h"
check "  ... it is never cached" grep -qi '^Cache-Control: no-store' "$TMP/h"
check "  ... it loads libsodium and kiosk.js from this origin" \
	bash -c "grep -q '<script src=\"/static/kiosk/libsodium.js\">' '$TMP/b' && grep -q '<script src=\"/static/kiosk/kiosk.js\">' '$TMP/b'"
check "  ... its form remembers nothing (autocomplete off)" grep -q '<form [^>]*autocomplete="off" id="kiosk-form"' "$TMP/b"
check "  ... its text boxes have autocomplete off" grep -q '<textarea id="tell-us" name="tell-us" rows="6" autocomplete="off"' "$TMP/b"
check "  ... it carries no form token and no way off the page in its header" \
	bash -c "no_match -q 'name=\"_token\"' '$TMP/b' && grep -q '<span class=\"site-name\">' '$TMP/b'"
KEY=$(sed -n 's/.*data-key="\([A-Za-z0-9_-]*\)".*/\1/p' "$TMP/b")
PAD=$(sed -n 's/.*data-pad="\([0-9]*\)".*/\1/p' "$TMP/b")
check "  ... it names the transport public key and the padded size" test -n "$KEY" -a -n "$PAD"
check_eq "a survey of several pages runs as a kiosk on one page" "$(get "$BASE/k/your-area")" "200"
check "  ... every question on it, no Continue" bash -c "grep -q 'id=\"worries\"' '$TMP/b' && grep -q 'id=\"feel-safe-1\"' '$TMP/b' && no_match -q 'value=\"next\"' '$TMP/b'"
check_eq "libsodium's JavaScript build is served from this origin" "$(get "$BASE/static/kiosk/libsodium-wrappers.js")" "200"
check "  ... as JavaScript" grep -qi '^Content-Type: text/javascript' "$TMP/h"
check_eq "a kiosk for no survey is 404" "$(get "$BASE/k/nope")" "404"
for page in / /s/what-matters /s/your-area /s/what-matters/thanks /s/what-matters/poster /nope; do
	get "$BASE$page" >/dev/null
	case $page in
	/s/what-matters|/s/your-area)
		# A survey page loads respond.js alone (forms/README.md), never needed.
		check "respondent page $page has no script but respond.js" bash -c \
			"[ -s '$TMP/b' ] && [ \"\$(grep -io '<script[^>]*>' '$TMP/b')\" = '<script src=\"/static/respond.js\">' ]" ;;
	*)
		check "respondent page $page has no script" bash -c "no_match -qi '<script' '$TMP/b'" ;;
	esac
	check "  ... and a CSP without WebAssembly" bash -c "grep -qi \"^Content-Security-Policy: .*script-src 'self'; connect\" '$TMP/h'"
done

# --- staff make kiosk links ---------------------------------------------------------------
check_eq "the kiosks page needs a sign-in" "$(get "$BASE/staff/kiosks")" "303"
CSRF=$(sign_in "$TMP/jar" kai)
check_eq "the kiosks page" "$(get -b "$TMP/jar" "$BASE/staff/kiosks")" "200"
check "  ... offers the open surveys" grep -q 'id="k-survey-what-matters"' "$TMP/b"
check "  ... and a poster for each survey" grep -q 'href="/s/your-area/poster"' "$TMP/b"
check "  ... but no kiosk for a survey that is not open today" bash -c "no_match -q 'k-survey-closed-example' '$TMP/b'"
check_eq "a kiosk for a closed survey is refused" \
	"$(get -b "$TMP/jar" -d "_csrf=$CSRF&survey=closed-example&name=Blue&open=code" "$BASE/staff/kiosks")" "422"
check "  ... saying so" grep -q 'Choose a survey that is open today' "$TMP/b"
check_eq "the kiosk page of a closed survey says it is closed" "$(get "$BASE/k/closed-example")" "200"
check "  ... and has no form" bash -c "grep -q 'This survey has closed' '$TMP/b' && no_match -q '<form' '$TMP/b'"
check_eq "starting a kiosk without the CSRF token is refused" \
	"$(get -b "$TMP/jar" -d "survey=what-matters&name=Blue&open=code" "$BASE/staff/kiosks")" "403"
check_eq "a kiosk needs a name" \
	"$(get -b "$TMP/jar" -d "_csrf=$CSRF&survey=what-matters&name=&open=code" "$BASE/staff/kiosks")" "422"
check "  ... said in an error summary linked to the field" grep -q '<a href="#k-name">Give the tablet a name' "$TMP/b"
check_eq "a kiosk for a survey that is not there is refused" \
	"$(get -b "$TMP/jar" -d "_csrf=$CSRF&survey=nope&name=Blue&open=code" "$BASE/staff/kiosks")" "422"
check_eq "a kiosk is started, showing its code" \
	"$(get -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" -d survey=what-matters \
		--data-urlencode 'name=Blue <script>alert(1)</script>' -d open=code "$BASE/staff/kiosks")" "200"
TOKEN_A=$(grep -o "/k/what-matters#k=[0-9a-f]*" "$TMP/b" | head -n 1 | sed 's/.*#k=//')
check_eq "  ... its link holds a 64-digit token" "${#TOKEN_A}" "64"
check "  ... with a QR code of the link" grep -q '<svg class="qr" [^>]*role="img"' "$TMP/b"
check "  ... the link is absolute, to this server" grep -qF "href=\"$BASE/k/what-matters#k=$TOKEN_A\"" "$TMP/b"
check "  ... the tablet's name is escaped" bash -c "grep -qF 'Blue &lt;script&gt;' '$TMP/b' && no_match -q '<script>alert' '$TMP/b'"
check "  ... the page is never cached" grep -qi '^Cache-Control: no-store' "$TMP/h"
# The files read as one stream: a tidy may remove the WAL and -shm between
# a glob naming them and grep opening them.
check "the token is not in the database, only its hash" bash -c "{ cat '$DB' '$DB-wal' '$DB-shm' 2>/dev/null; sqlite3 '$DB' .dump; } | no_match -qa '$TOKEN_A' - && [ \"\$(sqlite3 -cmd '.timeout 5000' '$DB' 'SELECT count(*) FROM kiosks WHERE length(token_hash) = 64')\" = 1 ]"
check "starting it is in the audit log" bash -c "sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT who, action, detail FROM audit\" | grep -q '^kai|started a kiosk|kiosk 1 (Blue'"
get -b "$TMP/jar" "$BASE/staff/kiosks" >/dev/null
check "the kiosks page lists it, escaped, with a switch-off button" \
	bash -c "grep -qF 'Blue &lt;script&gt;' '$TMP/b' && grep -q 'action=\"/staff/kiosks/1/off\"' '$TMP/b'"
check "  ... and never shows its token again" bash -c "no_match -q '$TOKEN_A' '$TMP/b'"

# "On this tablet": the staff session ends in the same answer.
check_eq "opening a kiosk on this tablet redirects to it" \
	"$(get -b "$TMP/jar" -d "_csrf=$CSRF&survey=your-area&name=Green&open=here" "$BASE/staff/kiosks")" "303"
TOKEN_B=$(sed -n 's|^Location: /k/your-area#k=\([0-9a-f]*\).*|\1|pi' "$TMP/h" | tr -d '\r')
check_eq "  ... with its token after #" "${#TOKEN_B}" "64"
check "  ... clearing the staff cookie" grep -qi '^Set-Cookie: yv_staff=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0' "$TMP/h"
check_eq "  ... and the session is over on the server" "$(get -b "$TMP/jar" "$BASE/staff/kiosks")" "303"
CSRF=$(sign_in "$TMP/jar" kai)

# --- kiosks send sealed answers ---------------------------------------------------------
ANSWERS='most-important=talk&make-better[]=sport&make-better[]=food&tell-us=Mail me at sam.k@example.com or ring 07700 900123, ta&age=14-15&district=eastbrook&_lang=en'
printf '%s' "$ANSWERS" | node "$ROOT/tests/http/kiosk_seal.mjs" "$KEY" "$PAD" >"$TMP/box"
check_eq "a sealed box is the padded size and no more" "$(wc -c <"$TMP/box")" "$((PAD + 48))"
# send TOKEN ID [BOX [SURVEY]]: the status of one kiosk POST
send() {
	curl -s -o "$TMP/sb" -w '%{http_code}' --max-time 20 -H 'Content-Type: application/octet-stream' \
		${1:+-H "X-Kiosk-Token: $1"} -H "X-Kiosk-Answer-Id: $2" --data-binary "@${3:-$TMP/box}" \
		"$BASE/k/${4:-what-matters}/answers"
}
ID1=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
ID2=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
before=$(count)
check_eq "a kiosk's answers are stored" "$(send "$TOKEN_A" "$ID1")" "200"
check_eq "  ... answered as stored" "$(cat "$TMP/sb")" '{"stored":true}'
check_eq "  ... one response more" "$(count)" "$((before + 1))"
check_eq "the same answers resent (a lost reply) are acknowledged" "$(send "$TOKEN_A" "$ID1")" "200"
check_eq "  ... and stored once" "$(count)" "$((before + 1))"
for _ in 1 2 3; do send "$TOKEN_A" "$ID1" >/dev/null; done
check_eq "  ... however often" "$(count)" "$((before + 1))"
check_eq "another person's answers (another id) are stored too" "$(send "$TOKEN_A" "$ID2")" "200"
check_eq "  ... one more" "$(count)" "$((before + 2))"

ID3=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
check_eq "kiosk A's token cannot send to another survey" "$(send "$TOKEN_A" "$ID3" "$TMP/box" your-area)" "403"
check_eq "  ... nothing stored" "$(count)" "$((before + 2))"
check_eq "without a token: refused" "$(send "" "$ID3")" "401"
check_eq "with a made-up token: refused" "$(send "$(printf 'a%.0s' $(seq 64))" "$ID3")" "401"
check_eq "an answer id that is not 32 hex digits: refused" "$(send "$TOKEN_A" "xyz")" "400"
# A tampered box: one byte of the ciphertext flipped.
/usr/bin/python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[100]^=1; open(sys.argv[2],'wb').write(b)" "$TMP/box" "$TMP/tampered"
check_eq "a tampered sealed box is refused" "$(send "$TOKEN_A" "$ID3" "$TMP/tampered")" "400"
head -c $((PAD + 47)) "$TMP/box" >"$TMP/short"
check_eq "a box cut short is refused" "$(send "$TOKEN_A" "$ID3" "$TMP/short")" "400"
printf '%s' "$ANSWERS" | node "$ROOT/tests/http/kiosk_seal.mjs" "$KEY" 1024 >"$TMP/small"
check_eq "a box padded to another size (which would say how much was written) is refused" \
	"$(send "$TOKEN_A" "$ID3" "$TMP/small")" "400"
printf '%s' "$ANSWERS" | node "$ROOT/tests/http/kiosk_seal.mjs" "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" "$PAD" >"$TMP/otherkey"
check_eq "a box sealed to another key is refused" "$(send "$TOKEN_A" "$ID3" "$TMP/otherkey")" "400"
printf '%s' 'make-better[]=sport&age=14-15&district=eastbrook' | node "$ROOT/tests/http/kiosk_seal.mjs" "$KEY" "$PAD" >"$TMP/missing"
check_eq "answers missing a required one are refused (422)" "$(send "$TOKEN_A" "$ID3" "$TMP/missing")" "422"
printf '%s' 'most-important=not-an-option&age=14-15' | node "$ROOT/tests/http/kiosk_seal.mjs" "$KEY" "$PAD" >"$TMP/forged"
check_eq "answers no form could send are refused (400)" "$(send "$TOKEN_A" "$ID3" "$TMP/forged")" "400"
check_eq "  ... none of these stored anything" "$(count)" "$((before + 2))"
check_eq "a kiosk POST that is not a box is refused (415)" \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "X-Kiosk-Token: $TOKEN_A" -H "X-Kiosk-Answer-Id: $ID3" -d 'a=b' "$BASE/k/what-matters/answers")" "415"

# Kiosk B (your-area, several pages) takes its answers in one go.
get "$BASE/k/your-area" >/dev/null
PADB=$(sed -n 's/.*data-pad="\([0-9]*\)".*/\1/p' "$TMP/b")
printf '%s' 'feel-safe=4&young-carer=yes&carer-help=other&carer-help.other=my nan&more-of[]=sport&worries=Nothing&age=14-15&district=eastbrook' |
	node "$ROOT/tests/http/kiosk_seal.mjs" "$KEY" "$PADB" >"$TMP/boxb"
check_eq "a survey of several pages takes a kiosk's answers in one go" "$(send "$TOKEN_B" "$ID3" "$TMP/boxb" your-area)" "200"

# A kiosk sends at most KIOSK_PER_MINUTE (60) answer sets a minute (burst, then one a second):
# 120 sends, 8 at a time from one curl (so that even a slow, loaded machine
# sends faster than the allowance refills), each code on its own line.
urls=()
for _ in $(seq 1 120); do urls+=(-o /dev/null "$BASE/k/your-area/answers"); done
start=$SECONDS
curl -s --no-progress-meter --parallel --parallel-max 8 -w '%{http_code}\n' --max-time 60 \
	-H 'Content-Type: application/octet-stream' -H "X-Kiosk-Token: $TOKEN_B" \
	-H "X-Kiosk-Answer-Id: $ID3" --data-binary "@$TMP/tampered" "${urls[@]}" >"$TMP/codes"
elapsed=$((SECONDS - start))
taken=$(grep -c '^400$' "$TMP/codes")
check "a kiosk sending faster than 60 a minute is told to wait (429)" grep -q '^429$' "$TMP/codes"
check "  ... after about 60 (and one more for each second the sends took)" \
	test "$taken" -ge 55 -a "$taken" -le $((60 + elapsed + 2))
check_eq "the transport secret key is readable by the server's user only" "$(stat -c %a "$DATA/kiosk-transport.key")" "600"

# --- switching a kiosk off ---------------------------------------------------------------
check_eq "switching a kiosk off needs the CSRF token" "$(get -b "$TMP/jar" -X POST -d x=1 "$BASE/staff/kiosks/1/off")" "403"
check_eq "kiosk A is switched off" "$(get -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/kiosks/1/off")" "303"
check "  ... in the audit log" bash -c "sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT who, action FROM audit\" | grep -q '^kai|switched a kiosk off'"
ID4=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
check_eq "a switched-off kiosk's answers are refused" "$(send "$TOKEN_A" "$ID4")" "401"
check_eq "  ... saying so" "$(cat "$TMP/sb")" '{"error":"switched-off"}'
check_eq "  ... nothing stored" "$(count)" "$((before + 3))"
check_eq "switching off a kiosk that is not there is 404" "$(get -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/kiosks/99/off")" "404"
get -b "$TMP/jar" "$BASE/staff/kiosks" >/dev/null
check "the kiosks page shows it switched off" grep -q 'Switched off' "$TMP/b"

# --- what was stored: scrubbed and sealed like any answer ---------------------------------
check "no answer text is in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaE 'sam\\.k@|07700|my nan' -"
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses -o "$TMP/responses.csv" </dev/null 2>/dev/null
check "the kiosk's free text was scrubbed of the e-mail address" grep -qF '[email address removed]' "$TMP/responses.csv"
check "  ... and of the phone number" bash -c "grep -qF '[phone number removed]' '$TMP/responses.csv' && no_match -q '07700' '$TMP/responses.csv'"
check "  ... and the rest of it kept" grep -q 'Mail me at' "$TMP/responses.csv"
check "the themes table counts the kiosk's answers" bash -c \
	"\"$EXPORT_BIN\" --data '$DATA' themes --min-cell 0 | grep -q '\"Someone they trust to talk to, who listens\",2,0,0,2'"

# --- every kiosk and poster route carries the security headers --------------------------------
# safe: the headers every answer needs, no CORS grant, no server version, no cookie
safe() {
	tr -d '\r' <"$TMP/h" | awk '
	{ l = tolower($0) }
	l ~ /^content-security-policy: default-src .none.;/ && l ~ /frame-ancestors .none./ && l ~ /base-uri .none./ { csp = 1 }
	l ~ /^x-content-type-options: nosniff$/ { nosniff = 1 }
	l ~ /^referrer-policy: no-referrer$/ { referrer = 1 }
	l ~ /^x-frame-options: deny$/ { frames = 1 }
	l ~ /^(access-control-|server:|set-cookie:)/ { bad = 1 }
	END { exit !(csp && nosniff && referrer && frames && !bad) }'
}
for r in /k/what-matters /k/nope /static/kiosk/kiosk.js /static/kiosk/kiosk.css /static/kiosk/libsodium.js \
	/s/what-matters/poster /s/nope/poster; do
	get "$BASE$r" >/dev/null
	check "$r: CSP, nosniff, no referrer, no framing, no CORS, no cookie" safe
done
curl -s -D "$TMP/h" -o /dev/null -H "X-Kiosk-Token: $TOKEN_A" -H "X-Kiosk-Answer-Id: $ID1" \
	-H 'Content-Type: application/octet-stream' --data-binary @"$TMP/box" "$BASE/k/what-matters/answers"
check "a kiosk's POST: the same headers" safe
check "  ... and it is never cached" grep -qi '^Cache-Control: no-store' "$TMP/h"
get -b "$TMP/jar" "$BASE/staff/kiosks" >/dev/null
check "the staff kiosks page: the same headers" safe
check "  ... never cached" grep -qi '^Cache-Control: no-store' "$TMP/h"

# --- posters ---------------------------------------------------------------------------------
check_eq "a survey's poster" "$(get "$BASE/s/what-matters/poster")" "200"
check "  ... has the survey's title" grep -q '<h1 class="poster-title">What matters to you?</h1>' "$TMP/b"
check "  ... an inline SVG QR code, no image file" bash -c "grep -q '<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 [0-9]* [0-9]*\" role=\"img\"' '$TMP/b' && no_match -q '<img' '$TMP/b'"
check "  ... drawn as runs of dark modules" grep -qE '<path fill="#000" d="(M[0-9]+ [0-9]+h[0-9]+v1h-[0-9]+z)+"' "$TMP/b"
check "  ... and the survey's address from the request's host" grep -qF ">$BASE/s/what-matters</a>" "$TMP/b"
check_eq "a poster for no survey is 404" "$(get "$BASE/s/nope/poster")" "404"
check_eq "a Host that is not a plain host name makes no poster" \
	"$(get -H 'Host: evil.example/"><x' "$BASE/s/what-matters/poster")" "400"
check_eq "posters take GET only" "$(get -d x=1 "$BASE/s/what-matters/poster")" "405"
check "the server stops cleanly" stop_server

# With --public-url the poster uses it, whatever Host the request names.
start_server "$DATA" "$FORMS" --public-url https://voice.example.org || fail "server starts with --public-url"
get -H 'Host: evil.example' "$BASE/s/what-matters/poster" >/dev/null
check "with --public-url the poster shows that address" grep -qF '<a href="https://voice.example.org/s/what-matters">voice.example.org/s/what-matters</a>' "$TMP/b"
check "  ... and never the request's Host" bash -c "no_match -q 'evil.example' '$TMP/b'"
CSRF=$(sign_in "$TMP/jar" kai)
get -b "$TMP/jar" -d "_csrf=$CSRF&survey=what-matters&name=Red&open=code" "$BASE/staff/kiosks" >/dev/null
check "  ... and so does a kiosk's code" grep -qE 'href="https://voice.example.org/k/what-matters#k=[0-9a-f]{64}"' "$TMP/b"
check "the server stops cleanly" stop_server
"$SERVER_BIN" serve --data "$DATA" --public-url 'https://x.example/"' --listen 127.0.0.1:0 2>/dev/null
check_eq "a --public-url with a quote in it is refused (usage, 2)" "$?" "2"
finish
