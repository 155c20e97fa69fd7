#!/usr/bin/env bash
# tests/http/test_your_account.sh - Your account (/staff/account) and the
# limit on tries per account kept in the database.
#
# A signed-in person changes their own password (a wrong current one, two
# different new ones, a short one, the same one, no form token: each
# refused; a good change ends their other sessions and keeps this one, and
# the audit log keeps no password); makes new recovery codes with their
# password or a code of the app (the old ones stop working at once, the
# same form sent again replaces nothing, the page says how many are left);
# turns the second factor off where the role allows.  Five wrong passwords
# or codes lock the account's sign-in and its account page alike, the lock
# survives a restart, holds only a count and a minute, and goes with a
# reset, a removed factor, or its end.
. "$(dirname "$0")/lib.sh"
DATA="$TMP/data"
DB="$DATA/youthvoice.db"
mkdir -p "$DATA"

audit_has() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE who = '$1' AND action = '$2' AND detail LIKE '%$3%'")" -ge 1 ]; }
audit_count() { sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '$1'"; }
id_of() { sqlite3 "$DB" "SELECT id FROM users WHERE name = '$1'"; }
csrf_for() { req "$1" "$BASE/staff"; csrf_of "$B"; }
# acct JAR ACTION NAME=VALUE...: a POST to /staff/account/ACTION with the session's form token.
acct() {
	local jar=$1 action=$2 t kv args=()
	shift 2
	t=$(csrf_for "$jar")
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	req "$jar" --data-urlencode "_csrf=$t" "${args[@]}" "$BASE/staff/account/$action"
}
# new_codes JAR PROOF: new recovery codes from a fresh Your account page.
new_codes() {
	req "$1" "$BASE/staff/account"
	local mark t
	mark=$(value_of "$B" codes)
	t=$(csrf_of "$B")
	req "$1" --data-urlencode "_csrf=$t" --data-urlencode "codes=$mark" --data-urlencode "proof=$2" \
		"$BASE/staff/account/recovery-codes"
}
codes_in() { grep -o '<li><code>[a-z2-7]\{5\}-[a-z2-7]\{5\}</code>' "$1" | sed 's/<[^>]*>//g'; }
signed_in() { req "$1" "$BASE/staff/events"; [ "${R%% *}" = 200 ]; }

PW="a youth worker password"
printf '%s\n' "$PW" >"$TMP/pw"
for who in ada:admin wendy:youth-worker cora:commissioner lena:youth-worker; do
	"$SERVER_BIN" user add --data "$DATA" --name "${who%%:*}" --role "${who#*:}" --password-file "$TMP/pw" >/dev/null
done
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1

# ---- the page ----
req - "$BASE/staff/account"
check_eq "signed out, Your account leads to sign-in" "$R" "303 $BASE/staff/login"
req - -H 'Accept: application/json' --data-urlencode "current=x" "$BASE/staff/account/password"
check_eq "... a script is told 401" "${R%% *}" 401
WJ="$TMP/wendy.jar"; WJ2="$TMP/wendy2.jar"
password "$WJ" wendy "$PW"
password "$WJ2" wendy "$PW"
req "$WJ" "$BASE/staff"
check "the staff header links to Your account" grep -q '<nav class="staff-nav".*<a href="/staff/account">Your account</a>' "$B"
req "$WJ" "$BASE/staff/account"
check_eq "Your account opens for a youth worker" "${R%% *}" 200
check "... with their name and role" grep -q '<dt>Name</dt><dd>wendy</dd>.*<dt>Role</dt><dd>Youth worker</dd>' "$B"
check "... the second factor off" grep -q 'id="factor-state">Off<' "$B"
check "... and a link to set one up" grep -q 'href="/staff/login/enrol">Set up a second factor' "$B"
check "... never cached" grep -qi '^cache-control: no-store' "$H"
req "$WJ" -X PUT "$BASE/staff/account"
check_eq "Your account takes GET and HEAD only" "${R%% *}" 405
check "... saying so in Allow" grep -qi '^allow: GET, HEAD' "$H"
req "$WJ" "$BASE/staff/account/password"
check_eq "a GET of the password form's address is 405" "${R%% *}" 405
check "... with Allow: POST" grep -qi '^allow: POST' "$H"
req "$WJ" "$BASE/staff/account/elsewhere"
check_eq "an unknown page under it is 404" "${R%% *}" 404

# ---- changing your password ----
req "$WJ" --data-urlencode "current=$PW" --data-urlencode "password=wendy's second password" \
	--data-urlencode "again=wendy's second password" "$BASE/staff/account/password"
check_eq "a password change without the form token is refused" "${R%% *}" 403
t=$(csrf_for "$WJ")
req "$WJ" --data-urlencode "_csrf=$(forged_of "$t")" --data-urlencode "current=$PW" \
	--data-urlencode "password=wendy's second password" --data-urlencode "again=wendy's second password" \
	"$BASE/staff/account/password"
check_eq "... and with a forged one" "${R%% *}" 403
req "$WJ2" --data-urlencode "_csrf=$t" --data-urlencode "current=$PW" \
	--data-urlencode "password=wendy's second password" --data-urlencode "again=wendy's second password" \
	"$BASE/staff/account/password"
check_eq "... and with another session's" "${R%% *}" 403
check_eq "none of those changed it" "$(audit_count 'changed their password')" 0
acct "$WJ" password "current=not the password at all" "password=wendy's second password" "again=wendy's second password"
check_eq "a wrong current password is refused" "${R%% *}" 422
check "... saying so beside the field" grep -q 'id="p-current-error".*Your current password is not right' "$B"
check "... and in the summary" grep -q '<a href="#p-current">Your current password is not right</a>' "$B"
check "... in the audit log" audit_has wendy 'account change refused' 'wrong password'
acct "$WJ" password "current=$PW" "password=wendy's second password" "again=wendy's other password"
check_eq "two different new passwords are refused" "${R%% *}" 422
check "... saying so" grep -q 'Type the same password twice' "$B"
acct "$WJ" password "current=$PW" "password=elevenchars" "again=elevenchars"
check_eq "a new password under 12 characters is refused" "${R%% *}" 422
check "... saying so" grep -q 'Give a password of at least 12 characters' "$B"
acct "$WJ" password "current=" "password=wendy's second password" "again=wendy's second password"
check_eq "no current password is refused" "${R%% *}" 422
check "... saying so" grep -q 'Enter your current password' "$B"
acct "$WJ" password "current=$PW" "password=$PW" "again=$PW"
check_eq "the same password again is refused" "${R%% *}" 422
check "... saying so" grep -q 'Choose a password other than your current one' "$B"
check "no refused page echoes a password" test -z "$(grep -l -e "$PW" -e "wendy's second" -e "not the password at all" "$TMP"/r/*.b 2>/dev/null)"
check_eq "the refusals changed nothing" "$(audit_count 'changed their password')" 0
check "both sessions are still there" signed_in "$WJ2"
acct "$WJ" password "current=$PW" "password=wendy's second password" "again=wendy's second password"
check_eq "a good change" "$R" "303 $BASE/staff/account?done=password"
check "... in the audit log, with the other session ended" audit_has wendy 'changed their password' '1 other session(s) ended'
check "... which keeps no password" test -z "$(sqlite3 "$DB" 'SELECT * FROM audit' | grep -e "$PW" -e "second password")"
req "$WJ" "$BASE/staff/account?done=password"
check "the page says the password is changed" grep -q 'Your password is changed. Your other sessions are signed out; this one stays.' "$B"
check "this session stays" signed_in "$WJ"
req "$WJ2" "$BASE/staff/events"
check_eq "the other session has ended" "$R" "303 $BASE/staff/login"
check_eq "one session of wendy's is left" "$(sqlite3 "$DB" "SELECT count(*) FROM sessions WHERE user_id = $(id_of wendy)")" 1
password "$WJ2" wendy "$PW"
check_eq "the old password no longer signs in" "${R%% *}" 422
password "$WJ2" wendy "wendy's second password"
check_eq "the new one does" "$R" "303 $BASE/staff"

# ---- wrong passwords on the page count as at sign-in, across a restart ----
LJ="$TMP/lena.jar"; LJ2="$TMP/lena2.jar"
password "$LJ" lena "$PW"
for i in 1 2 3 4 5; do
	acct "$LJ" password "current=wrong guess $i" "password=lena's new password" "again=lena's new password"
	[ "${R%% *}" = 422 ] || break
done
check_eq "five wrong current passwords are each 422" "${R%% *}|$i" "422|5"
acct "$LJ" password "current=$PW" "password=lena's new password" "again=lena's new password"
check_eq "then even the right one is refused" "${R%% *}" 429
check "... saying for how long" grep -q 'Too many wrong passwords. Try again in 1[56] minutes, or ask an admin' "$B"
password "$LJ2" lena "$PW"
check_eq "... and signing in is locked too (one limit per account)" "${R%% *}" 429
check "... saying so" grep -q 'This account has had too many wrong passwords. Try again in 1[56] minutes' "$B"
check_eq "the database keeps a count and an end, per account and kind" \
	"$(sqlite3 "$DB" "SELECT group_concat(name) FROM pragma_table_info('account_attempts')")" "user_id,kind,tries,ends"
check_eq "... for lena's passwords: tries 6 (the refused count once)" \
	"$(sqlite3 "$DB" "SELECT kind || ':' || tries FROM account_attempts WHERE user_id = $(id_of lena)")" "1:6"
check_eq "... the end to the minute" "$(sqlite3 "$DB" "SELECT ends % 60 FROM account_attempts WHERE user_id = $(id_of lena)")" 0
left=$(sqlite3 "$DB" "SELECT ends - strftime('%s', 'now') FROM account_attempts WHERE user_id = $(id_of lena)")
check "... 15 minutes on (rounded up to the minute)" test "$left" -gt 840 -a "$left" -le 960
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
password "$LJ2" lena "$PW"
check_eq "after a restart the account is still locked" "${R%% *}" 429
# The lock ends: its end moved to the past, as 15 minutes would.
sqlite3 "$DB" "UPDATE account_attempts SET ends = strftime('%s', 'now') - 60 WHERE user_id = $(id_of lena)"
password "$LJ2" lena "$PW"
check_eq "once its time has passed, the right password signs in" "$R" "303 $BASE/staff"
check_eq "... and lena's row is gone" "$(sqlite3 "$DB" "SELECT count(*) FROM account_attempts WHERE user_id = $(id_of lena)")" 0
for i in 1 2 3 4 5 6; do password "$LJ2" lena "wrong again $i"; done
check_eq "locked again" "${R%% *}" 429
stop_server
sqlite3 "$DB" "UPDATE account_attempts SET ends = strftime('%s', 'now') - 60 WHERE user_id = $(id_of lena)"
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
check_eq "a start forgets the rows whose time has passed" "$(sqlite3 "$DB" "SELECT count(*) FROM account_attempts")" 0
for i in 1 2 3 4 5 6; do password "$LJ2" lena "wrong once more $i"; done
check_eq "locked once more" "${R%% *}" 429
# A right password clears the count: four wrong, the right one, then five
# wrong are each refused as wrong, not locked.
KJ="$TMP/kim.jar"
"$SERVER_BIN" user add --data "$DATA" --name kim --role youth-worker --password-file "$TMP/pw" >/dev/null
for i in 1 2 3 4; do password "$KJ" kim "not kim's $i"; done
password "$KJ" kim "$PW"
check_eq "after four wrong passwords the right one signs in" "$R" "303 $BASE/staff"
for i in 1 2 3 4 5; do
	password "$KJ" kim "not kim's either $i"
	[ "${R%% *}" = 422 ] || break
done
check_eq "... and clears the count: five more wrong ones are each 422" "${R%% *}|$i" "422|5"
# Tries sent at the same moment all count: of ten at once, five are let
# through to the password check, five are refused.
"$SERVER_BIN" user add --data "$DATA" --name pia --role youth-worker --password-file "$TMP/pw" >/dev/null
for i in $(seq 1 10); do
	req "$TMP/pia$i.jar" -H "X-Forwarded-For: 198.51.100.$i" "$BASE/staff/login"
	csrf_of "$B" >"$TMP/pia$i.t"
done
pids=()
for i in $(seq 1 10); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -b "$TMP/pia$i.jar" -H "X-Forwarded-For: 198.51.100.$i" \
		--data-urlencode "_csrf=$(cat "$TMP/pia$i.t")" -d name=pia --data-urlencode "password=at once $i" \
		"$BASE/staff/login" >"$TMP/pia$i.status" &
	pids+=($!)
done
wait "${pids[@]}"
check_eq "ten wrong passwords at once: five checked (422), five refused (429)" \
	"$(cat "$TMP"/pia*.status | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')" "422:5 429:5 "
# A name that is no account is answered the same, and never written down.
for i in 1 2 3 4 5 6; do password "$TMP/nobody.jar" "no such person here" "guess $i"; done
check_eq "a name that is no account is locked after five tries too" "${R%% *}" 429
check "... saying what an account's lock says" grep -q 'This account has had too many wrong passwords. Try again in 1[56] minutes' "$B"
check "... and the database holds no trace of the name" test -z "$(sqlite3 "$DB" .dump | grep 'no such person')"
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1

AJ="$TMP/ada.jar"
password "$AJ" ada "$PW"
ACSRF=$(csrf_for "$AJ")
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$(id_of lena)/reset"
TEMP=$(sed -n 's/.*id="temporary">\([^<]*\)<.*/\1/p' "$B")
password "$LJ2" lena "$TEMP"
check_eq "an admin's reset lifts the lock (the temporary password leads on)" "$R" "303 $BASE/staff/login/password"

# ---- the second factor and new recovery codes (cora, a commissioner) ----
CJ="$TMP/cora.jar"; CJ2="$TMP/cora2.jar"
password "$CJ" cora "$PW"
check_eq "optional: a commissioner signs in with a password" "$R" "303 $BASE/staff"
req "$CJ" "$BASE/staff/account"
check "... and may set up a second factor from Your account" grep -q 'href="/staff/login/enrol"' "$B"
enrol "$CJ"
check_eq "cora enrols" "${R%% *}" 200
check "the codes page has the step: a box to tick that the browser requires" \
	grep -q '<input type="checkbox" id="saved" name="done" value="second-factor" required' "$RECOVERY"
check "... leading to Your account" grep -q '<form method="get" action="/staff/account" class="no-print" id="saved-step">' "$RECOVERY"
check "... naming the account and the day for the printout" grep -q "For <strong>cora</strong> at Your voice staff, made on $(date -u +%F)" "$RECOVERY"
CSECRET=$SECRET
codes_in "$RECOVERY" >"$TMP/codes1"
req "$CJ" "$BASE/staff/account?done=second-factor"
check "Your account says the second factor is on" grep -q 'Your second factor is on. Keep your recovery codes somewhere safe.' "$B"
check "... with 10 of 10 recovery codes left" grep -q 'id="factor-state">On; 10 of 10 recovery codes left<' "$B"
password "$CJ2" cora "$PW"
code "$CJ2" "$(sed -n 1p "$TMP/codes1")"
check_eq "a recovery code signs in" "$R" "303 $BASE/staff"
req "$CJ" "$BASE/staff/account"
check "... and the page counts 9 left" grep -q 'id="factor-state">On; 9 of 10 recovery codes left<' "$B"
check "... with no warning yet" test -z "$(grep 'id="codes-low"' "$B")"
MARK=$(value_of "$B" codes)
req "$CJ" --data-urlencode "codes=$MARK" --data-urlencode "proof=$PW" "$BASE/staff/account/recovery-codes"
check_eq "new codes without the form token are refused" "${R%% *}" 403
new_codes "$CJ" "not my password"
check_eq "new codes with a wrong password are refused" "${R%% *}" 422
check "... saying so" grep -q 'That is not your password, or a code your app shows now' "$B"
new_codes "$CJ" ""
check_eq "... and with none" "${R%% *}" 422
check "... saying what to give" grep -q 'Enter your password, or a code from your app' "$B"
check_eq "the refusals left the 9 codes" "$(sqlite3 "$DB" "SELECT count(*) FROM recovery_codes WHERE user_id = $(id_of cora)")" 9
new_codes "$CJ" "$PW"
check_eq "new codes with the password" "${R%% *}" 200
check_eq "... ten of them" "$(codes_in "$B" | wc -l)" 10
check "... saying the old ones no longer work" grep -q 'Your old recovery codes no longer work: only these do.' "$B"
check "... with the step to Your account" grep -q '<input type="checkbox" id="saved" name="done" value="codes" required' "$B"
check "... never cached" grep -qi '^cache-control: no-store' "$H"
cp "$B" "$TMP/codes2.html"
codes_in "$B" >"$TMP/codes2"
check "... none of them an old one" test -z "$(grep -Fx -f "$TMP/codes1" "$TMP/codes2")"
check "the audit log has it" audit_has cora 'made new recovery codes' ''
check "... with no code" test -z "$(sqlite3 "$DB" 'SELECT * FROM audit' | grep -F -f "$TMP/codes2")"
check "the database keeps no code" test -z "$(sqlite3 "$DB" .dump | grep -F -f <(tr -d - <"$TMP/codes2"; cat "$TMP/codes2"))"
check_eq "the database keeps ten hashes" "$(sqlite3 "$DB" "SELECT count(*) FROM recovery_codes WHERE user_id = $(id_of cora)")" 10
req "$CJ" --data-urlencode "_csrf=$(csrf_for "$CJ")" --data-urlencode "codes=$MARK" --data-urlencode "proof=$PW" \
	"$BASE/staff/account/recovery-codes"
check_eq "the same form sent again is refused (409)" "${R%% *}" 409
check "... saying the codes shown last are the ones that work" grep -q 'The codes shown last are the ones that work' "$B"
check "... and the codes just shown still work: none replaced" test "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE who = 'cora' AND action = 'made new recovery codes'")" -eq 1
req "$CJ" "$BASE/staff/account?done=codes"
check "the step leads to a page saying the new codes are in use" grep -q 'Your new recovery codes are in use. The old ones no longer work.' "$B"
req "$CJ2" -X POST --data-urlencode "_csrf=$(csrf_for "$CJ2")" "$BASE/staff/logout"
password "$CJ2" cora "$PW"
code "$CJ2" "$(sed -n 2p "$TMP/codes1")"
check_eq "an old, unused recovery code is refused at once" "${R%% *}" 422
code "$CJ2" "$(sed -n 1p "$TMP/codes2")"
check_eq "a new one signs in" "$R" "303 $BASE/staff"
C1=$($TOTP "$CSECRET" 1)
new_codes "$CJ" "$C1"
check_eq "new codes with a code from the app instead of the password" "${R%% *}" 200
check_eq "... ten again" "$(codes_in "$B" | wc -l)" 10
codes_in "$B" >"$TMP/codes3"
new_codes "$CJ" "$C1"
check_eq "the same app code a second time is refused" "${R%% *}" 422
check "... as used already" grep -q 'That code has been used already' "$B"
check "... in the audit log" audit_has cora 'account change refused' 'code used before'
new_codes "$CJ" "$(sed -n 3p "$TMP/codes3")"
check_eq "a recovery code is not taken on Your account" "${R%% *}" 422
check_eq "... nor used up" "$(sqlite3 "$DB" "SELECT count(*) FROM recovery_codes WHERE user_id = $(id_of cora)")" 10
drop_codes() { sqlite3 "$DB" "DELETE FROM recovery_codes WHERE user_id = $(id_of cora) AND code_hash IN (SELECT code_hash FROM recovery_codes WHERE user_id = $(id_of cora) LIMIT $1)"; }
drop_codes 6
req "$CJ" "$BASE/staff/account"
check "with 4 codes left the page does not warn" test -z "$(grep 'id="codes-low"' "$B")"
drop_codes 1
req "$CJ" "$BASE/staff/account"
check "with 3 left it says to make new ones" grep -q 'id="codes-low"><p><strong>You have 3 recovery codes left.</strong> Make new ones before they run out.' "$B"

# ---- wrong codes: the code step's limit, across a restart ----
req "$CJ2" -X POST --data-urlencode "_csrf=$(csrf_for "$CJ2")" "$BASE/staff/logout"
password "$CJ2" cora "$PW"
# The used code just above was one wrong try: four more make five.
check_eq "the used code counted as a try" "$(sqlite3 "$DB" "SELECT tries FROM account_attempts WHERE user_id = $(id_of cora) AND kind = 2")" 1
for i in 1 2 3 4; do
	if [ $i = 1 ]; then code "$CJ2" abcde-fghij; else code "$CJ2" "$($TOTP "$CSECRET" 7)"; fi
	[ "${R%% *}" = 422 ] || break
done
check_eq "four wrong codes at sign-in (the first a made-up recovery code) are each 422" "${R%% *}|$i" "422|4"
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
password "$CJ2" cora "$PW"
check_eq "after a restart the password still leads to the code" "$R" "303 $BASE/staff/login/code"
code "$CJ2" "$($TOTP "$CSECRET" 2)"
check_eq "... where even the right code is refused: the limit survived" "${R%% *}" 429
check "... saying for how long" grep -q 'Too many codes tried. Try again in 1[56] minutes, or ask an admin' "$B"
new_codes "$CJ" "$($TOTP "$CSECRET" 2)"
check_eq "... and on Your account a code is refused too" "${R%% *}" 429
new_codes "$CJ" "$PW"
check_eq "... while the password still works there (its own count)" "${R%% *}" 200
check_eq "the row holds the code's kind only" "$(sqlite3 "$DB" "SELECT group_concat(kind) FROM account_attempts WHERE user_id = $(id_of cora)")" 2
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$(id_of cora)/second-factor"
check_eq "an admin removes cora's second factor" "${R%% *}" 303
check_eq "... which lifts the code lock" "$(sqlite3 "$DB" "SELECT count(*) FROM account_attempts WHERE user_id = $(id_of cora)")" 0

# ---- turning the second factor off yourself ----
req "$CJ" "$BASE/staff/account"
enrol "$CJ"
check_eq "cora enrols again" "${R%% *}" 200
CSECRET=$SECRET
req "$CJ" "$BASE/staff/account"
check "under optional a commissioner is offered to turn it off" grep -q 'action="/staff/account/second-factor"' "$B"
acct "$CJ" second-factor "proof=not it"
check_eq "a wrong password does not turn it off" "${R%% *}" 422
req "$CJ" --data-urlencode "proof=$PW" "$BASE/staff/account/second-factor"
check_eq "... nor no form token" "${R%% *}" 403
acct "$CJ" second-factor "proof=$PW"
check_eq "the password turns it off" "$R" "303 $BASE/staff/account?done=second-factor-off"
check "... in the audit log" audit_has cora 'turned off their second factor' ''
check_eq "... its recovery codes are gone" "$(sqlite3 "$DB" "SELECT count(*) FROM recovery_codes WHERE user_id = $(id_of cora)")" 0
req "$CJ" "$BASE/staff/account?done=second-factor-off"
check "the page says so" grep -q 'Your second factor is off. Signing in asks only for your password.' "$B"
req "$CJ" -X POST --data-urlencode "_csrf=$(csrf_for "$CJ")" "$BASE/staff/logout"
password "$CJ" cora "$PW"
check_eq "sign-in asks only for the password again" "$R" "303 $BASE/staff"
WJ3="$TMP/wendy3.jar"
password "$WJ3" wendy "wendy's second password"
enrol "$WJ3"
WSECRET=$SECRET
codes_in "$RECOVERY" >"$TMP/wcodes"
stop_server

# ---- --second-factor required ----
SECOND_FACTOR=required start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
password "$CJ" cora "$PW"
enrol "$CJ"
check_eq "required: cora must enrol again" "${R%% *}" 200
req "$CJ" "$BASE/staff/account"
check "... and Your account offers no way to turn it off" test -z "$(grep 'action="/staff/account/second-factor"' "$B")"
check "... saying why" grep -q 'Your role needs a second factor, so it cannot be turned off here' "$B"
acct "$CJ" second-factor "proof=$PW"
check_eq "... and a POST to turn it off is refused" "${R%% *}" 403
check_eq "... leaving it on" "$(sqlite3 "$DB" "SELECT CAST((totp_secret IS NOT NULL) AS INTEGER) FROM user_state WHERE user_id = $(id_of cora)")" 1
password "$WJ3" wendy "wendy's second password"
code "$WJ3" "$(sed -n 1p "$TMP/wcodes")"
check_eq "a youth worker with a second factor signs in (a recovery code: the app's step was taken at enrolment)" "$R" "303 $BASE/staff"
acct "$WJ3" second-factor "proof=$($TOTP "$WSECRET" 1)"
check_eq "... and may turn it off even under required, with a code" "$R" "303 $BASE/staff/account?done=second-factor-off"
check "the server stopped cleanly" stop_server
finish
