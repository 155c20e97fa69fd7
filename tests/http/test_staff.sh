#!/usr/bin/env bash
# The staff side over real HTTP: accounts made on the command line, signing
# in (cookies, wrong passwords, lock-out, CSRF, per-client throttling), who
# may see what, CSRF on every staff POST, marketplace events and tallies
# (redirects, JSON, replays, set totals, below zero, two clients at once, the
# export moving by exactly what was tallied, closing), the append-only audit
# log, signing out, and that no staff response leaks internals.
#
# The server trusts 127.0.0.1 as its proxy (--proxy), so each simulated
# client names its own address in X-Forwarded-For: the sign-in throttle
# (10 a minute per client) then applies per client, as behind the real proxy.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
mkdir -p "$TMP/r"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$@" 2>&1; }

# --- user add ------------------------------------------------------------------
STAMP=$(date +%s%N)
PW_YW1="yw1-Pass-$STAMP-one"
PW_YW2="yw2-Pass-$STAMP-two"
PW_COMM="comm-Pass-$STAMP-c"
PW_ADMIN="admin-Pass-$STAMP-a"
PW_LOCKY="locky-Pass-$STAMP-l"
for who in YW1 YW2 COMM ADMIN LOCKY; do
	var=PW_$who
	printf '%s\n' "${!var}" >"$TMP/pw-$who"
done

# user_add WANT_STATUS DESCRIPTION ARGS...: runs user add, checks the exit status.
user_add() {
	local want=$1 what=$2
	shift 2
	"$SERVER_BIN" user add "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	check_eq "$what (exit $want)" "$?" "$want"
}
user_add 0 "user add makes a youth worker" --data "$DATA" --name yw1 --role youth-worker --password-file "$TMP/pw-YW1"
check "  ... and says so" grep -q '^added yw1 (youth-worker)$' "$TMP/out"
user_add 0 "user add makes a second youth worker" --data "$DATA" --name yw2 --role youth-worker --password-file "$TMP/pw-YW2"
user_add 0 "user add makes a commissioner" --data "$DATA" --name comm --role commissioner --password-file "$TMP/pw-COMM"
check "  ... and says so" grep -q '^added comm (commissioner)$' "$TMP/out"
user_add 0 "user add makes an admin" --data "$DATA" --name admin1 --role admin --password-file "$TMP/pw-ADMIN"
user_add 0 "user add makes another youth worker" --data "$DATA" --name locky --role youth-worker --password-file "$TMP/pw-LOCKY"
user_add 1 "a name already taken" --data "$DATA" --name yw1 --role admin --password-file "$TMP/pw-ADMIN"
check "  ... says so" grep -q 'already an account called yw1' "$TMP/err"
check_eq "  ... and the account keeps its role" "$(q "SELECT role FROM users WHERE name = 'yw1'")" "1"
user_add 2 "an unknown role" --data "$DATA" --name boss --role boss --password-file "$TMP/pw-YW1"
user_add 2 "no --role" --data "$DATA" --name boss --password-file "$TMP/pw-YW1"
user_add 2 "no --name" --data "$DATA" --role admin --password-file "$TMP/pw-YW1"
user_add 2 "no --password-file" --data "$DATA" --name boss --role admin
user_add 2 "an option without its value" --data "$DATA" --name boss --role admin --password-file
user_add 2 "a name with markup" --data "$DATA" --name '<b>x</b>' --role admin --password-file "$TMP/pw-YW1"
printf 'elevenchars\n' >"$TMP/pw-short"
user_add 1 "a password of 11 characters" --data "$DATA" --name shorty --role youth-worker --password-file "$TMP/pw-short"
check "  ... says it is too short" grep -q 'too short' "$TMP/err"
printf 'twelve-chars\n' >"$TMP/pw-12"
user_add 0 "a password of exactly 12 characters" --data "$DATA" --name twelve --role youth-worker --password-file "$TMP/pw-12"
user_add 1 "a password file that is not there" --data "$DATA" --name ghost --role youth-worker --password-file "$TMP/no-such-file"
check_eq "only the accepted accounts exist" "$(q "SELECT group_concat(name, ',') FROM (SELECT name FROM users ORDER BY id) u")" \
	"yw1,yw2,comm,admin1,locky,twelve"
check_eq "passwords are kept as Argon2id hashes" "$(q "SELECT count(*) FROM users WHERE password LIKE '\$argon2id\$%'")" "6"
for who in YW1 YW2 COMM ADMIN LOCKY; do
	var=PW_$who
	check "the $who password is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF -- '${!var}' -"
done
check "the 12-character password is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF -- 'twelve-chars' -"

start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || { fail "server starts"; finish; exit 1; }
pass "server starts with the accounts"

# req JAR ADDR CURL_ARGS...: one request as a client (JAR "-" for no cookies),
# from address ADDR; sets R to "status redirect", H and B to its headers and body.
N=0
req() {
	local jar=$1 addr=$2
	shift 2
	N=$((N + 1))
	H="$TMP/r/$N.h"
	B="$TMP/r/$N.b"
	local args=(-s --max-time 20 -D "$H" -o "$B" -w '%{http_code} %{redirect_url}' -H "X-Forwarded-For: $addr")
	[ "$jar" != - ] && args+=(-b "$jar" -c "$jar")
	R=$(curl "${args[@]}" "$@")
}
# token_in FILE: the first _csrf value in a page.
token_in() { sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$1" | head -n 1; }
# cookie_of JAR NAME: a cookie's value from a curl jar.
cookie_of() { awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"; }
# sign_in JAR ADDR NAME PASSWORD: fetches the sign-in page, then posts it.
sign_in() {
	local jar=$1 addr=$2 name=$3 password=$4
	req "$jar" "$addr" "$BASE/staff/login"
	local token
	token=$(token_in "$B")
	req "$jar" "$addr" --data-urlencode "_csrf=$token" --data-urlencode "name=$name" \
		--data-urlencode "password=$password" "$BASE/staff/login"
}
has_header() { grep -qi "^$1" "$H"; }
# body: the start of the last response's body, on one line (for messages).
body() { head -c 120 "$B" | tr '\n' ' '; }
no_header() { no_match -qi "^$1" "$H"; }

# --- respondents never sign in; nothing staff is open without a session ---------
MARKER="zq${STAMP}resp"
req - 10.0.1.1 "$BASE/s/what-matters"
check_eq "GET /s/what-matters needs no sign-in" "$R" "200 "
check "  ... and sets no cookie" no_header "Set-Cookie"
token=$(sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' "$B" | head -n 1)
req - 10.0.1.1 -d "_token=$token" -d most-important=talk -d make-better[]=sport \
	--data-urlencode "tell-us=My words $MARKER here" -d age=14-15 -d district=northvale "$BASE/s/what-matters"
check_eq "a survey response (with a marker in its text) is accepted" "$R" "303 $BASE/s/what-matters/thanks"
for path in /staff /staff/ /staff/events /staff/export /staff/export/themes.csv /staff/events/1 /staff/events/1/live; do
	req - 10.0.1.2 "$BASE$path"
	check_eq "unsigned GET $path goes to sign in" "$R" "303 $BASE/staff/login"
done
req - 10.0.1.2 -d "_csrf=x&priority=2&theme=online-safety&delta=1&client_id=u1" "$BASE/staff/events/1/tally"
check_eq "an unsigned tally POST goes to sign in" "$R" "303 $BASE/staff/login"
req - 10.0.1.2 -b "yv_staff=$(printf '%064d' 7)" "$BASE/staff"
check_eq "a made-up session cookie goes to sign in" "$R" "303 $BASE/staff/login"
req - 10.0.1.2 -b "yv_staff=abc" "$BASE/staff/events"
check_eq "a short session cookie goes to sign in" "$R" "303 $BASE/staff/login"
req - 10.0.1.2 "$BASE/staff/nothing-here"
check_eq "an unknown staff page is 404" "$R" "404 "
req - 10.0.1.2 -X PUT "$BASE/staff/login"
check_eq "PUT /staff/login is 405" "$R" "405 "

# --- signing in ----------------------------------------------------------------------
J1="$TMP/yw1.jar" A1=10.0.0.1
req "$J1" "$A1" "$BASE/staff/login"
check_eq "GET /staff/login is 200" "$R" "200 "
check "  ... sets yv_login, HttpOnly, SameSite=Strict, Path=/staff" \
	grep -qiE '^Set-Cookie: yv_login=[0-9a-f]{64}; Path=/staff; HttpOnly; SameSite=Strict' "$H"
check "  ... not Secure over plain HTTP" bash -c "grep -i '^Set-Cookie: yv_login' '$H' | no_match -i secure -"
check "  ... has a _csrf field" test -n "$(token_in "$B")"
check "  ... says young people never sign in" grep -q 'Young people never need to sign in' "$B"
token=$(token_in "$B")
sessions_before=$(q "SELECT count(*) FROM sessions")
req "$J1" "$A1" --data-urlencode "_csrf=$token" -d name=yw1 --data-urlencode "password=$PW_YW1" "$BASE/staff/login"
check_eq "the right password: 303 to /staff" "$R" "303 $BASE/staff"
check "  ... sets yv_staff, HttpOnly, SameSite=Strict" \
	grep -qiE '^Set-Cookie: yv_staff=[0-9a-f]{64}; Path=/staff; HttpOnly; SameSite=Strict' "$H"
check "  ... not Secure over plain HTTP" bash -c "grep -i '^Set-Cookie: yv_staff' '$H' | no_match -i secure -"
check "  ... and not cacheable" has_header "Cache-Control: no-store"
C1=$(cookie_of "$J1" yv_staff)
check_eq "one session more in the database" "$(q "SELECT count(*) FROM sessions")" "$((sessions_before + 1))"
check_eq "the sessions table does not hold the cookie" "$(q "SELECT count(*) FROM sessions WHERE id = '$C1'")" "0"
check_eq "  ... it holds its BLAKE2b-256 hash" \
	"$(q "SELECT count(*) FROM sessions WHERE id = '$(printf '%s' "$C1" | b2sum -l 256 | cut -d' ' -f1)'")" "1"
check "  ... and the cookie is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF '$C1' -"
req "$J1" "$A1" "$BASE/staff"
check_eq "signed in, GET /staff is 200" "$R" "200 "
check "  ... greets the user by name and role" grep -q 'You are signed in as youth worker' "$B"
check "  ... a youth worker's home does not offer exports" bash -c "no_match -q 'href=\"/staff/export\">Exports: ' '$B'"
CS1=$(token_in "$B")
check "  ... the page carries the session's CSRF token" test "${#CS1}" -eq 64

J2="$TMP/yw2.jar" A2=10.0.0.2
sign_in "$J2" "$A2" yw2 "$PW_YW2"
check_eq "a second youth worker signs in" "$R" "303 $BASE/staff"
req "$J2" "$A2" "$BASE/staff/events"
CS2=$(token_in "$B")
check "  ... with a different session and CSRF token" test -n "$CS2" -a "$CS2" != "$CS1" -a "$(cookie_of "$J2" yv_staff)" != "$C1"
JC="$TMP/comm.jar" AC=10.0.0.3
sign_in "$JC" "$AC" comm "$PW_COMM"
check_eq "the commissioner signs in" "$R" "303 $BASE/staff"

# Wrong name or password: the same words either way.
JW="$TMP/wrong.jar" AW=10.0.0.4
sign_in "$JW" "$AW" yw1 "not-the-password-$STAMP"
check_eq "a wrong password is 422" "$R" "422 "
check "  ... The name or the password is not right" grep -q 'The name or the password is not right' "$B"
check "  ... sets no session cookie" bash -c "no_match -qi '^Set-Cookie: yv_staff' '$H'"
check "  ... keeps the name typed" grep -q 'name="name" autocomplete="username"[^>]*value="yw1"' "$B"
sign_in "$JW" "$AW" "nobody-$STAMP" "not-the-password-$STAMP"
check_eq "an unknown name is 422" "$R" "422 "
check "  ... with the same message" grep -q 'The name or the password is not right' "$B"
check "the wrong password is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF 'not-the-password-$STAMP' -"
check "the unknown name typed is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF 'nobody-$STAMP' -"
check "  ... the refusal is logged without it" test "$(q "SELECT count(*) FROM audit WHERE who = '(no account)' AND action = 'sign-in refused' AND detail = 'unknown name'")" -ge 1

# CSRF on sign-in.
req "$JW" "$AW" "$BASE/staff/login"
token=$(token_in "$B")
sessions_before=$(q "SELECT count(*) FROM sessions")
req "$JW" "$AW" -d name=yw1 --data-urlencode "password=$PW_YW1" "$BASE/staff/login"
check_eq "sign-in without _csrf is 403 (right password)" "$R" "403 "
req "$JW" "$AW" --data-urlencode "_csrf=$(printf '%064d' 0)" -d name=yw1 --data-urlencode "password=$PW_YW1" "$BASE/staff/login"
check_eq "sign-in with a wrong _csrf is 403" "$R" "403 "
req - "$AW" --data-urlencode "_csrf=$token" -d name=yw1 --data-urlencode "password=$PW_YW1" "$BASE/staff/login"
check_eq "sign-in without the yv_login cookie is 403" "$R" "403 "
req - "$AW" -b "yv_login=$(printf '%064d' 5)" --data-urlencode "_csrf=$token" -d name=yw1 \
	--data-urlencode "password=$PW_YW1" "$BASE/staff/login"
check_eq "sign-in with another yv_login cookie is 403" "$R" "403 "
check_eq "  ... none of those started a session" "$(q "SELECT count(*) FROM sessions")" "$sessions_before"
req "$JW" "$AW" -H 'Content-Type: application/json' -d '{}' "$BASE/staff/login"
check_eq "sign-in that is not a form is 415" "$R" "415 "

# Five wrong passwords lock the account, not the others.
JL="$TMP/locky.jar" AL=10.0.0.5
for i in 1 2 3 4 5; do
	sign_in "$JL" "$AL" locky "wrong-$i-$STAMP"
	[ "$R" = "422 " ] || break
done
check_eq "five wrong passwords for one account are each 422" "$R|$i" "422 |5"
sign_in "$JL" "$AL" locky "$PW_LOCKY"
check_eq "then even the right password is refused (429)" "$R" "429 "
check "  ... saying too many wrong passwords" grep -q 'too many wrong passwords' "$B"
check "  ... and no session cookie" bash -c "no_match -qi '^Set-Cookie: yv_staff' '$H'"
JA="$TMP/admin.jar"
sign_in "$JA" "$AL" admin1 "$PW_ADMIN"
check_eq "another account still signs in from the same place" "$R" "303 $BASE/staff"

# Behind the HTTPS proxy the session cookie is Secure too.
JS="$TMP/secure.jar"
req "$JS" 10.0.0.6 -H 'X-Forwarded-Proto: https' "$BASE/staff/login"
check "behind the HTTPS proxy, yv_login is Secure" grep -qiE '^Set-Cookie: yv_login=.*; Secure' "$H"
token=$(token_in "$B")
req "$JS" 10.0.0.6 -H 'X-Forwarded-Proto: https' --data-urlencode "_csrf=$token" -d name=comm \
	--data-urlencode "password=$PW_COMM" "$BASE/staff/login"
check_eq "  ... sign-in works" "$R" "303 $BASE/staff"
check "  ... and yv_staff is Secure" grep -qiE '^Set-Cookie: yv_staff=[0-9a-f]{64}; Path=/staff; HttpOnly; SameSite=Strict; Secure' "$H"

# --- roles ------------------------------------------------------------------------
req "$J1" "$A1" "$BASE/staff/export"
check_eq "a youth worker gets 403 on /staff/export" "$R" "403 "
check "  ... saying who may" grep -q 'Only a commissioner or an admin can do this' "$B"
req "$J1" "$A1" "$BASE/staff/export/themes.csv"
check_eq "a youth worker gets 403 on /staff/export/themes.csv" "$R" "403 "
check "  ... and no CSV" bash -c "no_match -q 'priority_number' '$B'"
req "$JC" "$AC" "$BASE/staff"
check "the commissioner's home offers exports" grep -q 'href="/staff/export">Exports: ' "$B"
req "$JC" "$AC" "$BASE/staff/export"
check_eq "a commissioner gets /staff/export" "$R" "200 "
check "  ... linking the themes CSV" grep -q 'href="/staff/export/themes.csv?consultation=cyp-plan-2027"' "$B"
req "$JC" "$AC" "$BASE/staff/export/themes.csv"
check_eq "a commissioner gets /staff/export/themes.csv" "$R" "200 "
check_eq "  ... whose first line is the CONTRACT header, then free_text" "$(head -n 1 "$B" | tr -d '\r')" \
	"priority_number,priority,theme,survey,focus_group,marketplace,total,free_text"
check "  ... as text/csv" has_header "Content-Type: text/csv"
check "  ... as an attachment" grep -qi '^Content-Disposition: attachment; filename="themes-cyp-plan-2027.csv"' "$H"
check "  ... with one row per (priority, theme)" test "$(wc -l <"$B")" -ge 15
check "  ... suppressed: no count from 1 to 4" bash -c "! tr -d '\r' <'$B' | grep -Eq ',[1-4](,|\$)'"
check "  ... the response's 1 shows as <5" grep -q '"<5"' "$B"
req "$JC" "$AC" "$BASE/staff/export/themes.csv?consultation=cyp-plan-2027"
check_eq "  ... also by consultation id" "$R" "200 "
req "$JC" "$AC" "$BASE/staff/export/themes.csv?consultation=no-such"
check_eq "  ... an unknown consultation is 404" "$R" "404 "
req "$JA" "$AL" "$BASE/staff/export/themes.csv"
check_eq "an admin gets the CSV too" "$R" "200 "

# --- marketplace: an event -------------------------------------------------------------
EVENT_NAME="Summer fair $STAMP"
events_before=$(q "SELECT count(*) FROM events")
req "$J1" "$A1" "$BASE/staff/events"
check_eq "the events page is 200" "$R" "200 "
check "  ... offers to start an event" grep -q '<form method="post" action="/staff/events"' "$B"
req "$J1" "$A1" --data-urlencode "_csrf=$CS1" --data-urlencode "name=$EVENT_NAME" -d day=2027-06-01 \
	-d consultation=cyp-plan-2027 "$BASE/staff/events"
EV=$(echo "$R" | sed -n "s|^303 $BASE/staff/events/\([0-9][0-9]*\)\$|\1|p")
check "starting an event: 303 to /staff/events/ID" test -n "$EV"
check_eq "  ... one event more" "$(q "SELECT count(*) FROM events")" "$((events_before + 1))"
check_eq "  ... with an option per (priority, theme)" "$(q "SELECT count(*) FROM event_options WHERE event_id = ${EV:-0}")" "20"
req "$J1" "$A1" -d "_csrf=$CS1" -d name= -d day=2027-06-01 -d consultation=cyp-plan-2027 "$BASE/staff/events"
check_eq "an event without a name is 400" "$R" "400 "
req "$J1" "$A1" -d "_csrf=$CS1" -d name=X -d day=2027-06-01 -d consultation=nope "$BASE/staff/events"
check_eq "an event for an unknown consultation is 400" "$R" "400 "
check_eq "  ... neither was stored" "$(q "SELECT count(*) FROM events")" "$((events_before + 1))"
EV=${EV:-0}
TALLY="$BASE/staff/events/$EV/tally"

req "$J1" "$A1" "$BASE/staff/events/$EV"
check_eq "the tally page is 200" "$R" "200 "
check_eq "  ... with five stalls" "$(grep -c '<section class="stall"' "$B")" "5"
check "  ... the online-safety option at stall 2" grep -q 'id="opt-2-online-safety"' "$B"
check "  ... a theme under two priorities at both stalls" \
	bash -c "grep -q 'id=\"opt-2-someone-to-talk-to\"' '$B' && grep -q 'id=\"opt-5-someone-to-talk-to\"' '$B'"
check_eq "  ... a +1 form for each option" "$(grep -o 'name="delta" value="1"' "$B" | wc -l)" "20"
check_eq "  ... a -1 form for each option" "$(grep -o 'name="delta" value="-1"' "$B" | wc -l)" "20"
check_eq "  ... and a set-total field for each" "$(grep -o 'name="total"' "$B" | wc -l)" "20"
check "  ... the forms post to the tally" grep -q "<form method=\"post\" action=\"/staff/events/$EV/tally\"" "$B"
check "  ... with the session's CSRF token" grep -q "name=\"_csrf\" value=\"$CS1\"" "$B"
check "  ... and a close button" grep -q "action=\"/staff/events/$EV/close\"" "$B"
req "$J1" "$A1" "$BASE/staff/events"
check "the events list names the event" grep -q "href=\"/staff/events/$EV\">$EVENT_NAME, 2027-06-01</a>" "$B"

# count_of JAR ADDR PRIORITY THEME: an option's count on the tally page.
count_of() {
	curl -s --max-time 20 -b "$1" -H "X-Forwarded-For: $2" "$BASE/staff/events/$EV" |
		sed -n "s|.*id=\"opt-$3-$4\"><span class=\"option-name\">[^<]*</span> <span class=\"count\">\([0-9]*\)</span>.*|\1|p"
}
# market PRIORITY THEME_NAME: the marketplace cell of one row of the themes export
# (the fourth from the right: then total and free_text).
market() {
	"$EXPORT_BIN" --data "$DATA" themes --min-cell 0 | tr -d '\r' | awk -F, -v p="$1" -v t="\"$2\"" '
		NR > 1 { k = $0; sub(/,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*$/, "", k); sub(/^"?[0-9]+"?,"([^"]|"")*",/, "", k)
			n = $1; gsub(/"/, "", n); if (n == p && k == t) print $(NF - 2) }'
}
OS0=$(market 2 "Online safety")
check "the export has a marketplace cell for (2, Online safety)" test -n "$OS0"
OS0=${OS0:-0}

# tally JAR ADDR FORM...: a tally change posted as that client.
tally() {
	local jar=$1 addr=$2
	shift 2
	req "$jar" "$addr" "$@" "$TALLY"
}
tally "$J1" "$A1" -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=h-1
check_eq "a +1 is 303 back to its option" "$R" "303 $BASE/staff/events/$EV#opt-2-online-safety"
check_eq "  ... which now counts 1" "$(count_of "$J1" "$A1" 2 online-safety)" "1"
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=j-1
check_eq "a +1 asking for JSON is 200" "$R" "200 "
check_eq "  ... with the count" "$(body)" '{"count":2,"replayed":false}'
check "  ... as application/json" has_header "Content-Type: application/json"
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=j-1
check_eq "the same client_id again counts once" "$R $(body)" '200  {"count":2,"replayed":true}'
tally "$J1" "$A1" -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=h-1
check_eq "  ... also without JSON (303, not counted)" "$R $(count_of "$J1" "$A1" 2 online-safety)" \
	"303 $BASE/staff/events/$EV#opt-2-online-safety 2"
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d total=7 -d client_id=t-1
check_eq "setting the total to 7" "$R $(body)" '200  {"count":7,"replayed":false}'
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=-1 -d client_id=m-1
check_eq "a -1 takes it down by one" "$R $(body)" '200  {"count":6,"replayed":false}'
OSN=$(count_of "$J1" "$A1" 2 online-safety)
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=bullying -d delta=-1 -d client_id=z-1
check_eq "a -1 at zero is 409" "$R" "409 "
check "  ... saying why" grep -q 'below zero' "$B"
check_eq "  ... and the count stays 0" "$(count_of "$J1" "$A1" 2 bullying)" "0"
check_eq "  ... and the other option is untouched" "$(count_of "$J1" "$A1" 2 online-safety)" "$OSN"
check_eq "the export's marketplace cell moved by exactly the tally" "$(market 2 "Online safety")" "$((OS0 + OSN))"

# Malformed changes are 400 and store nothing.
changes_before=$(q "SELECT count(*) FROM tally_changes")
bad() { tally "$J1" "$A1" -d "_csrf=$CS1" "$@"; check_eq "a change with $* is 400" "$R" "400 "; }
bad -d priority=2 -d theme=online-safety -d delta=2 -d client_id=b-1
bad -d priority=2 -d theme=online-safety -d delta=0 -d client_id=b-2
bad -d priority=2 -d theme=online-safety -d delta=1
bad -d priority=2 -d theme=online-safety -d total=100001 -d client_id=b-3
bad -d priority=2 -d theme=online-safety -d total=-3 -d client_id=b-4
bad -d priority=x -d theme=online-safety -d delta=1 -d client_id=b-5
bad -d priority=2 -d theme=../etc -d delta=1 -d client_id=b-6
bad -d priority=2 -d theme=online-safety -d delta=1 -d client_id="$(printf '%065d' 1)"
tally "$J1" "$A1" -d "_csrf=$CS1" -d priority=5 -d theme=online-safety -d delta=1 -d client_id=b-7
check_eq "an option not at this stall is 409" "$R" "409 "
check_eq "  ... none of those stored a change" "$(q "SELECT count(*) FROM tally_changes")" "$changes_before"

# --- CSRF on staff POSTs --------------------------------------------------------
events_before=$(q "SELECT count(*) FROM events")
req "$J1" "$A1" -d name=Forged -d day=2027-06-01 -d consultation=cyp-plan-2027 "$BASE/staff/events"
check_eq "starting an event without _csrf is 403" "$R" "403 "
req "$J1" "$A1" -d "_csrf=$(printf '%064d' 0)" -d name=Forged -d day=2027-06-01 -d consultation=cyp-plan-2027 "$BASE/staff/events"
check_eq "starting an event with a wrong _csrf is 403" "$R" "403 "
req "$J1" "$A1" -d "_csrf=$CS2" -d name=Forged -d day=2027-06-01 -d consultation=cyp-plan-2027 "$BASE/staff/events"
check_eq "starting an event with another session's _csrf is 403" "$R" "403 "
check_eq "  ... no event was started" "$(q "SELECT count(*) FROM events")" "$events_before"
tally "$J1" "$A1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=f-1
check_eq "a tally without _csrf is 403" "$R" "403 "
WRONG1=$(forged_of "$CS1")
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$WRONG1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=f-2
check_eq "a tally with a wrong _csrf is 403 (even asking for JSON)" "$R" "403 "
tally "$J1" "$A1" -d "_csrf=" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=f-3
check_eq "a tally with an empty _csrf is 403" "$R" "403 "
check_eq "  ... no change was stored" "$(q "SELECT count(*) FROM tally_changes")" "$changes_before"
check_eq "  ... and the count is the same" "$(count_of "$J1" "$A1" 2 online-safety)" "$OSN"
req "$J1" "$A1" -d "priority=2" "$BASE/staff/events/$EV/close"
check_eq "closing without _csrf is 403" "$R" "403 "
check_eq "  ... the event stays open" "$(q "SELECT closed FROM events WHERE id = $EV")" "0"
req "$J1" "$A1" "$BASE/staff/logout" -X POST -d x=1
check_eq "signing out without _csrf is 403" "$R" "403 "
req "$J1" "$A1" "$BASE/staff"
check_eq "  ... and the session still works" "$R" "200 "
req "$J1" "$A1" -H 'Content-Type: application/json' -d "{\"_csrf\":\"$CS1\"}" "$TALLY"
check_eq "a tally that is not a form is 415" "$R" "415 "

# --- two youth workers tapping the same option at once -----------------------
# make_taps FILE COOKIE CSRF PREFIX: 500 tally requests for one curl -K.
make_taps() {
	local file=$1 cookie=$2 csrf=$3 prefix=$4
	: >"$file"
	for i in $(seq 1 500); do
		[ "$i" -gt 1 ] && echo 'next' >>"$file"
		printf 'url = "%s"\ncookie = "yv_staff=%s"\nheader = "Accept: application/json"\n' "$TALLY" "$cookie" >>"$file"
		printf 'data = "_csrf=%s&priority=2&theme=online-safety&delta=1&client_id=%s-%d"\n' "$csrf" "$prefix" "$i" >>"$file"
		printf 'write-out = " %%{http_code}\\n"\n' >>"$file"
	done
}
make_taps "$TMP/taps-1" "$C1" "$CS1" "p1"
make_taps "$TMP/taps-2" "$(cookie_of "$J2" yv_staff)" "$CS2" "p2"
before=$(count_of "$J1" "$A1" 2 online-safety)
OS1=$(market 2 "Online safety")
start=$SECONDS
curl -s --max-time 120 -K "$TMP/taps-1" >"$TMP/taps-1.out" 2>&1 &
p1=$!
curl -s --max-time 120 -K "$TMP/taps-2" >"$TMP/taps-2.out" 2>&1 &
p2=$!
wait $p1 $p2
echo "# 1000 taps took $((SECONDS - start))s"
check_eq "client 1: 500 taps counted" "$(grep -c '"replayed":false} 200$' "$TMP/taps-1.out")" "500"
check_eq "client 2: 500 taps counted" "$(grep -c '"replayed":false} 200$' "$TMP/taps-2.out")" "500"
check_eq "the option is exactly 1000 more" "$(count_of "$J1" "$A1" 2 online-safety)" "$((before + 1000))"
cat "$TMP/taps-1.out" "$TMP/taps-2.out" | sed -n 's/^{"count":\([0-9]*\),.*/\1/p' | sort -n | uniq >"$TMP/counts"
check_eq "each tap saw its own count (1000 distinct)" "$(wc -l <"$TMP/counts")" "1000"
check_eq "  ... from before+1 to before+1000" "$(head -n 1 "$TMP/counts") $(tail -n 1 "$TMP/counts")" \
	"$((before + 1)) $((before + 1000))"
check_eq "the export's marketplace cell moved by exactly 1000" "$(market 2 "Online safety")" "$((OS1 + 1000))"
curl -s --max-time 120 -K "$TMP/taps-1" >"$TMP/taps-1.again" 2>&1
check_eq "replaying client 1's 500 taps: all replayed" "$(grep -c '"replayed":true} 200$' "$TMP/taps-1.again")" "500"
check_eq "  ... and nothing moved" "$(count_of "$J1" "$A1" 2 online-safety)" "$((before + 1000))"

# A theme under two priorities: each row counts its own stall's tokens.
TT="Someone they trust to talk to, who listens"
T2=$(market 2 "$TT") T5=$(market 5 "$TT")
for i in 1 2 3; do
	tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=someone-to-talk-to -d delta=1 -d client_id=s2-$i
done
for i in 1 2; do
	tally "$J2" "$A2" -H 'Accept: application/json' -d "_csrf=$CS2" -d priority=5 -d theme=someone-to-talk-to -d delta=1 -d client_id=s5-$i
done
check_eq "3 at stall 2 and 2 at stall 5: the stalls count 3 and 2" \
	"$(count_of "$J1" "$A1" 2 someone-to-talk-to) $(count_of "$J1" "$A1" 5 someone-to-talk-to)" "3 2"
check_eq "  ... the export rows (2, theme) and (5, theme) move by 3 and 2" \
	"$(market 2 "$TT") $(market 5 "$TT")" "$((${T2:-0} + 3)) $((${T5:-0} + 2))"

# --- the live page, closing --------------------------------------------------------------
req "$J2" "$A2" "$BASE/staff/events/$EV/live"
check_eq "the live page is 200" "$R" "200 "
check "  ... refreshing every 10 seconds" grep -qi '^Refresh: 10' "$H"
check "  ... with no tally forms" bash -c "no_match -q 'action=\"/staff/events/$EV/tally\"' '$B'"
check "  ... showing the count" grep -q "id=\"opt-2-online-safety\"><span class=\"option-name\">Online safety</span> <span class=\"count\">$((before + 1000))<" "$B"
req "$J1" "$A1" "$BASE/staff/events/999999"
check_eq "an unknown event is 404" "$R" "404 "
req "$J1" "$A1" "$BASE/staff/events/abc"
check_eq "a non-numeric event id is 404" "$R" "404 "
req "$J1" "$A1" "$BASE/staff/events/0"
check_eq "event 0 is 404" "$R" "404 "
req "$J1" "$A1" "$BASE/staff/events/${EV}abc"
check_eq "an id with letters after it is 404" "$R" "404 "
req "$J1" "$A1" "$BASE/staff/events/$EV/nope"
check_eq "an unknown event page is 404" "$R" "404 "
req "$J1" "$A1" "$BASE/staff/events/99999999999999999999"
check_eq "a huge event id is 404" "$R" "404 "
req "$J1" "$A1" -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=u-1 "$BASE/staff/events/999999/tally"
check_eq "a tally on an unknown event is 404" "$R" "404 "
req "$J1" "$A1" "$TALLY"
check_eq "GET on the tally address is 405" "$R" "405 "

final=$(count_of "$J1" "$A1" 2 online-safety)
req "$J2" "$A2" -d "_csrf=$CS2" "$BASE/staff/events/$EV/close"
check_eq "closing the event asks first (200)" "$R" "200 "
check "  ... with a 'Yes, close it' button" grep -q '>Yes, close it</button>' "$B"
check_eq "  ... it is still open" "$(q "SELECT closed FROM events WHERE id = $EV")" "0"
req "$J2" "$A2" -d "_csrf=$CS2" -d confirm=yes "$BASE/staff/events/$EV/close"
check_eq "closing the event, confirmed: 303 to it" "$R" "303 $BASE/staff/events/$EV"
check_eq "  ... it is closed" "$(q "SELECT closed FROM events WHERE id = $EV")" "1"
tally "$J1" "$A1" -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=c-1
check_eq "a tap after closing is 409" "$R" "409 "
check "  ... saying the event is closed" grep -q 'This event is closed' "$B"
tally "$J1" "$A1" -H 'Accept: application/json' -d "_csrf=$CS1" -d priority=2 -d theme=online-safety -d total=0 -d client_id=c-2
check_eq "setting a total after closing is 409" "$R" "409 "
req "$J1" "$A1" "$BASE/staff/events/$EV"
check "the page says it is closed" grep -q 'This event is closed: its tallies are locked' "$B"
check "  ... and offers no tally forms" bash -c "no_match -q 'action=\"/staff/events/$EV/tally\"' '$B'"
check "  ... nor a close button" bash -c "no_match -q 'action=\"/staff/events/$EV/close\"' '$B'"
check_eq "  ... the count did not move" "$(count_of "$J1" "$A1" 2 online-safety)" "$final"
req "$J1" "$A1" "$BASE/staff/events"
check "the events list marks it closed" grep -q "$EVENT_NAME, 2027-06-01 (closed)</a>" "$B"
req "$J1" "$A1" "$BASE/staff/events/$EV/live"
check_eq "the live page of a closed event is 200 with Refresh: 10" "$R $(grep -ci '^Refresh: 10' "$H")" "200  1"

# --- the sign-in throttle per client (done late: it blocks that address) ----------
JT="$TMP/throttle.jar" AT=10.0.0.9
req "$JT" "$AT" "$BASE/staff/login"
token=$(token_in "$B")
# Ten a minute: a burst of ten, then one more each 6 s.  Attempts go on
# until the first refusal (at most 40, or 60 s), so that a loaded machine,
# whose slow attempts let the allowance refill, still reaches it.
start=$SECONDS
heard=0
for i in $(seq 1 40); do
	req - "$AT" -b "$JT" -d "_csrf=$token" -d name= -d password= "$BASE/staff/login"
	[ "$R" = "422 " ] || break
	heard=$((heard + 1))
	[ $((SECONDS - start)) -ge 60 ] && break
done
check_eq "sign-in attempts from one client are heard (422) until the limit, then 429" "$R" "429 "
check "  ... ten of them, and one more for each 6 s the attempts took" \
	test "$heard" -ge 10 -a "$heard" -le $((10 + (SECONDS - start) / 6 + 1))
req - "$AT" -b "$JT" --data-urlencode "_csrf=$token" -d name=yw2 --data-urlencode "password=$PW_YW2" "$BASE/staff/login"
check_eq "the next, even with the right password, is 429" "$R" "429 "
check "  ... saying too many attempts from here" grep -q 'Too many sign-in attempts from here' "$B"
check "  ... with no session" bash -c "no_match -qi '^Set-Cookie: yv_staff' '$H'"
J2B="$TMP/yw2b.jar"
sign_in "$J2B" 10.0.0.10 yw2 "$PW_YW2"
check_eq "another client can still sign in" "$R" "303 $BASE/staff"

# --- signing out ------------------------------------------------------------------
hash2=$(printf '%s' "$(cookie_of "$J2" yv_staff)" | b2sum -l 256 | cut -d' ' -f1)
old2=$(cookie_of "$J2" yv_staff)
req "$J2" "$A2" -d "_csrf=$CS2" "$BASE/staff/logout"
check_eq "signing out: 303 to the sign-in page" "$R" "303 $BASE/staff/login"
check "  ... clears the cookie" grep -qiE '^Set-Cookie: yv_staff=; Path=/staff;.*Max-Age=0' "$H"
check_eq "  ... and ends the session in the database" "$(q "SELECT count(*) FROM sessions WHERE id = '$hash2'")" "0"
req - "$A2" -b "yv_staff=$old2" "$BASE/staff"
check_eq "the old cookie no longer works" "$R" "303 $BASE/staff/login"
req - "$A2" -b "yv_staff=$old2" -d "_csrf=$CS2" -d priority=2 -d theme=online-safety -d delta=1 -d client_id=o-1 "$TALLY"
check_eq "  ... not even for a tally" "$R" "303 $BASE/staff/login"
req "$J1" "$A1" "$BASE/staff"
check_eq "the other youth worker is still signed in" "$R" "200 "

# --- the audit log --------------------------------------------------------------------
check "the audit log has sign-ins" test "$(q "SELECT count(*) FROM audit WHERE action = 'signed in' AND who = 'yw1'")" -ge 1
check_eq "  ... the refused sign-ins" "$(q "SELECT count(*) FROM audit WHERE action = 'sign-in refused' AND who = 'locky'")" "5"
check_eq "  ... the event started" "$(q "SELECT count(*) FROM audit WHERE action = 'started an event' AND who = 'yw1' AND detail = 'event $EV: $EVENT_NAME'")" "1"
check_eq "  ... the event closed" "$(q "SELECT count(*) FROM audit WHERE action = 'closed an event' AND who = 'yw2' AND detail LIKE 'event $EV:%'")" "1"
check_eq "  ... the exports" "$(q "SELECT count(*) FROM audit WHERE action = 'exported the themes table' AND detail = 'cyp-plan-2027'")" "3"
check_eq "  ... the sign-out" "$(q "SELECT count(*) FROM audit WHERE action = 'signed out' AND who = 'yw2'")" "1"
check_eq "  ... the accounts added" "$(q "SELECT count(*) FROM audit WHERE action = 'added an account' AND who = '(command line)'")" "6"
check "  ... times only to the minute" test "$(q "SELECT count(*) FROM audit WHERE at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]Z'")" = 0
audit_rows=$(q "SELECT count(*) FROM audit")
q "UPDATE audit SET who = 'x'" >"$TMP/sqlout"
check "UPDATE on the audit log is refused" grep -q 'append-only' "$TMP/sqlout"
q "DELETE FROM audit" >"$TMP/sqlout"
check "DELETE on the audit log is refused" grep -q 'append-only' "$TMP/sqlout"
check_eq "  ... it still has every row, unchanged" "$(q "SELECT count(*) FROM audit WHERE who != 'x'")" "$audit_rows"
q "SELECT * FROM audit" >"$TMP/audit.txt"
check "no audit row holds respondent text" bash -c "test -s '$TMP/audit.txt' && no_match -q '$MARKER' '$TMP/audit.txt'"
check "no audit row holds a password" bash -c "no_match -qF -e '$PW_YW1' -e '$PW_LOCKY' -e 'wrong-1-$STAMP' '$TMP/audit.txt'"
tally_rows=$(q "SELECT count(*) FROM tally_changes")
q "UPDATE tally_changes SET delta = 100" >"$TMP/sqlout"
check "UPDATE on tally_changes is refused" grep -q 'append-only' "$TMP/sqlout"
q "DELETE FROM tally_changes" >"$TMP/sqlout"
check "DELETE on tally_changes is refused" grep -q 'append-only' "$TMP/sqlout"
check_eq "  ... every change is still there" "$(q "SELECT count(*) FROM tally_changes WHERE delta != 100")" "$tally_rows"
check "the respondent's text is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qa '$MARKER' -"

# --- nothing leaks; every response has the CSP -------------------------------------------------
check "no staff response names SQL, a file path or a source line" \
	bash -c "no_match -lE 'sqlite|SQLITE|SELECT |INSERT INTO|constraint|/tmp/|/work/|/home/|\\.c:[0-9]' '$TMP'/r/*.b"
missing=0
for h in "$TMP"/r/*.h; do
	grep -qi "^Content-Security-Policy: default-src 'none'" "$h" || missing=$((missing + 1))
done
check_eq "every one of the $N responses has the Content-Security-Policy" "$missing" "0"
check "every response had headers" test "$(ls "$TMP"/r/*.h | wc -l)" -eq "$N"
check "no client address in the log" bash -c "test -s '$SERVER_LOG' && ! grep -v 'listening on' '$SERVER_LOG' | grep -qE '127\\.0\\.0\\.1|10\\.0\\.[01]\\.'"
check "no password in the log" bash -c "no_match -qF -e '$PW_YW1' -e 'not-the-password' '$SERVER_LOG'"
check "the server stops cleanly" stop_server
sqlite_only "the database is intact" pragma_is "$DB" integrity_check ok
finish
