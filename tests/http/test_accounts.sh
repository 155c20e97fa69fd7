#!/usr/bin/env bash
# tests/http/test_accounts.sh - the first admin, account lifecycle and the
# second factor, over HTTP and on the command line, with the second factor
# required (the server's default).
#
# From a fresh data folder: the setup link printed at start works once; a
# wrong token, a second use and a forged form fail; no link once an admin
# exists.  Then an admin enrols a second factor (codes computed here with
# tests/http/totp.py, itself checked against RFC 6238's vectors), signs in
# with a code, and disables, enables, resets, re-roles and signs out other
# accounts; the last enabled admin cannot be disabled or demoted; the same
# from the command line.  Also: make run's packages leave out test tools.
. "$(dirname "$0")/lib.sh"
SECOND_FACTOR=required
DATA="$TMP/data"
DB="$DATA/youthvoice.db"
mkdir -p "$DATA"

audit_has() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '$1' AND detail LIKE '%$2%'")" -ge 1 ]; }

# ---- make run installs only what running needs ----
run_set=$(bash "$ROOT/scripts/install-deps.sh" --list-run)
all_set=$(bash "$ROOT/scripts/install-deps.sh" --list-all)
for tool in chromium valgrind clang libclang-rt-14-dev wrk zbar-tools poppler-utils jq; do
	check "the full set has $tool" grep -qx "$tool" <<<"$all_set"
	check "make run's set leaves out $tool (only tests use it)" test -z "$(grep -x "$tool" <<<"$run_set")"
done
for lib in libcivetweb-dev libsodium-dev liboath-dev libqrencode-dev libstemmer-dev; do
	check "make run's set has $lib" grep -qx "$lib" <<<"$run_set"
done
check "make run installs the run set" grep -q 'install-deps.sh --run' "$ROOT/Makefile"
check "make test installs everything" grep -qE '^test: deps' "$ROOT/Makefile"
check "the container runs with liboath" grep -q 'liboath0' "$ROOT/Dockerfile"
check "the container runs with libstemmer" grep -q 'libstemmer0d' "$ROOT/Dockerfile"

# ---- TOTP in the test itself ----
check "the test's TOTP matches RFC 6238's vectors" $TOTP --selftest

# ---- the first admin ----
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
LINK=$(sed -n 's/^survey-server: first admin: .*make one: \(http[^ ]*\)$/\1/p' "$SERVER_LOG")
check "a fresh data folder prints a setup link" test -n "$LINK"
check_eq "the link is on this server" "${LINK%/staff/setup/*}" "$BASE"
TOKEN=${LINK##*/}
check "the token has 256 bits" test "$(grep -cx '[0-9a-f]\{64\}' <<<"$TOKEN")" -eq 1
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
LINK2=$(sed -n 's/^survey-server: first admin: .*make one: \(http[^ ]*\)$/\1/p' "$SERVER_LOG")
check "each start while there is no admin makes a new link" test -n "$LINK2" -a "${LINK2##*/}" != "$TOKEN"
req - "$BASE/staff/setup/$TOKEN"
check_eq "... and the old one no longer works" "${R%% *}" 404
LINK=$LINK2
TOKEN=${LINK##*/}
req - "$BASE/staff/login"
check "the sign-in page says there is no admin yet" grep -q 'No admin account yet' "$B"
check "... where the setup link is" grep -q 'survey-server: first admin' "$B"
check "... and the command instead" grep -q "survey-server user add --data DATA --name NAME --role admin --password-file FILE" "$B"
check "... naming no path of the server's" test -z "$(grep -F "$TMP" "$B")"
req - "$BASE/staff/setup/$(printf '%064d' 0)"
check_eq "a wrong setup token is 404" "${R%% *}" 404
req - "$BASE/staff/setup/short"
check_eq "a malformed setup token is 404" "${R%% *}" 404
check "only a hash of the token is kept" test -z "$(sqlite3 "$DB" .dump | grep -i "$TOKEN")"
check_eq "the database keeps one setup hash" "$(sqlite3 "$DB" 'SELECT count(*) FROM setup_tokens')" 1
SJ="$TMP/setup.jar"
req "$SJ" "$LINK"
check_eq "the setup link opens a form" "${R%% *}" 200
SCSRF=$(csrf_of "$B")
check "the setup page sets its form cookie with SameSite=Strict" grep -qi 'set-cookie: yv_setup=.*SameSite=Strict' "$H"
req - --data-urlencode "_csrf=$SCSRF" --data-urlencode "name=Ada" --data-urlencode "password=a long admin password" \
	--data-urlencode "again=a long admin password" "$LINK"
check_eq "the setup form without its cookie is refused" "${R%% *}" 403
req "$SJ" --data-urlencode "_csrf=$(forged_of "$SCSRF")" --data-urlencode "name=Ada" \
	--data-urlencode "password=a long admin password" --data-urlencode "again=a long admin password" "$LINK"
check_eq "the setup form with a forged token is refused" "${R%% *}" 403
req "$SJ" --data-urlencode "_csrf=$SCSRF" --data-urlencode "name=Ada" --data-urlencode "password=a long admin password" \
	--data-urlencode "again=another password here" "$LINK"
check_eq "two different passwords are sent back" "${R%% *}" 422
check "... saying so" grep -q 'Type the same password twice' "$B"
SCSRF=$(csrf_of "$B")
check_eq "no admin was made by a refused form" "$(sqlite3 "$DB" 'SELECT count(*) FROM users')" 0
req "$SJ" --data-urlencode "_csrf=$SCSRF" --data-urlencode "name=Ada" --data-urlencode "password=a long admin password" \
	--data-urlencode "again=a long admin password" "$LINK"
check_eq "the setup link makes the first admin" "${R%% *}" 200
check_eq "Ada is an admin" "$(sqlite3 "$DB" "SELECT role FROM users WHERE name = 'Ada'")" 3
check "the audit log has it" audit_has 'made the first admin' 'setup link'
check "the audit log keeps no password" test -z "$(sqlite3 "$DB" "SELECT * FROM audit" | grep 'long admin')"
req "$SJ" "$LINK"
check_eq "a second use of the link is 410" "${R%% *}" 410
req "$SJ" --data-urlencode "_csrf=$SCSRF" --data-urlencode "name=Eve" --data-urlencode "password=a long admin password" \
	--data-urlencode "again=a long admin password" "$LINK"
check_eq "a second post to the link is 410" "${R%% *}" 410
check_eq "no second admin" "$(sqlite3 "$DB" 'SELECT count(*) FROM users')" 1
check_eq "no setup hash is left" "$(sqlite3 "$DB" 'SELECT count(*) FROM setup_tokens')" 0
req - "$BASE/staff/login"
check "the sign-in page no longer mentions setup" test -z "$(grep 'No admin account yet' "$B")"
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || exit 1
check "no setup link is printed once an admin exists" test -z "$(grep 'first admin' "$SERVER_LOG")"
req - "$BASE/staff/setup/$TOKEN"
check_eq "the old link stays gone after a restart" "${R%% *}" 410

# ---- signing in, enrolling ----
# csrf_for JAR: the session's CSRF token.
csrf_for() { req "$1" "$BASE/staff"; csrf_of "$B"; }

AJ="$TMP/ada.jar"
password "$AJ" Ada "a long admin password"
check_eq "an admin without a second factor is sent to enrol" "$R" "303 $BASE/staff/login/enrol"
req "$AJ" "$BASE/staff/accounts"
check_eq "... and to nothing else first" "$R" "303 $BASE/staff/login/enrol"
req "$AJ" -H 'Accept: application/json' "$BASE/staff/accounts"
check_eq "... a script is told 401" "${R%% *}" 401
req "$AJ" "$BASE/staff/login/enrol"
check "the enrolment page shows the key as text, in groups of four" grep -q 'id="totp-secret">\([A-Z2-7]\{4\} \)\{7\}[A-Z2-7]\{4\}<' "$B"
check "... and as a QR code" grep -q '<svg[^>]*role="img"' "$B"
SECRET=$(sed -n 's/.*id="totp-secret">\([A-Z2-7 ]*\)<.*/\1/p' "$B" | tr -d ' ')
t=$(csrf_of "$B"); p=$(value_of "$B" pending)
req "$AJ" --data-urlencode "_csrf=$t" --data-urlencode "pending=$p" --data-urlencode "code=$($TOTP "$SECRET" 5)" \
	"$BASE/staff/login/enrol"
check_eq "a wrong code does not enrol" "${R%% *}" 422
req "$AJ" --data-urlencode "pending=$p" --data-urlencode "code=$($TOTP "$SECRET")" "$BASE/staff/login/enrol"
check_eq "enrolling without the form token is refused" "${R%% *}" 403
req "$AJ" --data-urlencode "_csrf=$t" --data-urlencode "pending=$p" --data-urlencode "code=$($TOTP "$SECRET")" \
	"$BASE/staff/login/enrol"
check_eq "the right code enrols" "${R%% *}" 200
check_eq "ten recovery codes are shown" "$(grep -o '<li><code>[a-z2-7]\{5\}-[a-z2-7]\{5\}</code>' "$B" | wc -l)" 10
cp "$B" "$TMP/ada-recovery.html"
check "the audit log has it" audit_has 'set up a second factor' ''
req "$AJ" "$BASE/staff/accounts"
check_eq "after enrolling the admin reaches accounts" "${R%% *}" 200
RAW=$(/usr/bin/python3 -c "import base64,sys; print(base64.b32decode(sys.argv[1]).hex())" "$SECRET")
DUMP=$(sqlite3 "$DB" .dump)
check "the database holds no TOTP secret as text" test -z "$(grep -i "$SECRET" <<<"$DUMP")"
check "... nor its bytes" test -z "$(grep -i "$RAW" <<<"$DUMP")"
grep -o '<li><code>[a-z2-7]\{5\}-[a-z2-7]\{5\}' "$TMP/ada-recovery.html" | sed 's/<li><code>//; s/-//' >"$TMP/codes"
check_eq "ten recovery codes to look for" "$(wc -l <"$TMP/codes")" 10
check "the database holds no recovery code" test -z "$(grep -F -f "$TMP/codes" <<<"$DUMP")"
check_eq "ten recovery hashes are kept" "$(sqlite3 "$DB" 'SELECT count(*) FROM recovery_codes')" 10

# Sign-in with a code: the password alone opens nothing.
req "$AJ" -X POST --data-urlencode "_csrf=$(csrf_for "$AJ")" "$BASE/staff/logout"
password "$AJ" Ada "a long admin password"
check_eq "with a second factor the password leads to the code" "$R" "303 $BASE/staff/login/code"
req "$AJ" "$BASE/staff"
check_eq "... and no session yet" "$R" "303 $BASE/staff/login"
NEXT=$($TOTP "$SECRET" 1)
code "$AJ" "$($TOTP "$SECRET" 5)"
check_eq "a wrong code is refused" "${R%% *}" 422
check "... saying so" grep -q 'That code is not right' "$B"
check "... in the audit log" audit_has 'sign-in refused' 'wrong code'
code "$AJ" "$NEXT"
check_eq "the code (one step ahead) signs in" "$R" "303 $BASE/staff"
req "$AJ" "$BASE/staff/accounts"
check_eq "... to the accounts page" "${R%% *}" 200
req "$AJ" -X POST --data-urlencode "_csrf=$(csrf_for "$AJ")" "$BASE/staff/logout"
password "$AJ" Ada "a long admin password"
code "$AJ" "$NEXT"
check_eq "the same code again is refused" "${R%% *}" 422
check "... as used already" grep -q 'has been used already' "$B"
check "... in the audit log" audit_has 'sign-in refused' 'code used before'
req "$AJ" -X POST --data-urlencode "code=$NEXT" "$BASE/staff/login/code"
check_eq "a code post without the form token is refused" "${R%% *}" 403
REC=$(grep -o '<li><code>[a-z2-7-]*</code>' "$TMP/ada-recovery.html" | head -n 1 | sed 's/<[^>]*>//g')
code "$AJ" "$REC"
check_eq "a recovery code signs in" "$R" "303 $BASE/staff"
check "... in the audit log" audit_has 'signed in with a recovery code' ''
check_eq "... and is used up" "$(sqlite3 "$DB" 'SELECT count(*) FROM recovery_codes')" 9
ACSRF=$(csrf_for "$AJ")

# ---- accounts added, and a second Ada session for the recovery reuse ----
printf 'a youth worker password\n' >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name wendy --role youth-worker --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name cora --role commissioner --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name rita --role commissioner --password-file "$TMP/pw" >/dev/null
id_of() { sqlite3 "$DB" "SELECT id FROM users WHERE name = '$1'"; }
W=$(id_of wendy); C=$(id_of cora); A=$(id_of Ada); RI=$(id_of rita)
A2="$TMP/ada2.jar"
password "$A2" Ada "a long admin password"
code "$A2" "$REC"
check_eq "a used recovery code is refused" "${R%% *}" 422

req "$AJ" "$BASE/staff/accounts"
check "the list shows each account's role" grep -q '<a href="/staff/accounts/'"$W"'">wendy</a></dt><dd>Youth worker</dd>' "$B"
check "... and state" grep -q 'Enabled; second factor set up' "$B"

# ---- disable, enable ----
WJ="$TMP/wendy.jar"; WJ2="$TMP/wendy2.jar"
password "$WJ" wendy "a youth worker password"
check_eq "a youth worker needs no second factor" "$R" "303 $BASE/staff"
password "$WJ2" wendy "a youth worker password"
req "$AJ" --data-urlencode "_csrf=$ACSRF" "$BASE/staff/accounts/$W/disable"
check_eq "disable asks first" "${R%% *}" 200
check "... with a question and a button" grep -q 'Disable wendy?' "$B"
check "... that confirms" grep -q 'name="confirm" value="yes"' "$B"
check_eq "nothing is disabled before the confirmation" "$(sqlite3 "$DB" "SELECT count(*) FROM user_state WHERE user_id = $W AND disabled = 1")" 0
req "$AJ" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$W/disable"
check_eq "disable without the form token is refused" "${R%% *}" 403
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$W/disable"
check_eq "disable with confirm=yes" "$R" "303 $BASE/staff/accounts/$W?done=disabled"
check "the audit log has it" audit_has 'disabled an account' wendy
req "$WJ" "$BASE/staff/events"
check_eq "a disabled account's session ends at once" "$R" "303 $BASE/staff/login"
req "$WJ2" "$BASE/staff/events"
check_eq "... every one of them" "$R" "303 $BASE/staff/login"
check_eq "... none is left in the database" "$(sqlite3 "$DB" "SELECT count(*) FROM sessions WHERE user_id = $W")" 0
password "$WJ" wendy "a youth worker password"
check_eq "a disabled account cannot sign in" "${R%% *}" 403
check "... and is told so" grep -q 'This account is disabled' "$B"
req "$AJ" "$BASE/staff/accounts/$W?done=disabled"
check "the account page says it is disabled" grep -q 'The account is disabled and signed out everywhere' "$B"
req "$AJ" --data-urlencode "_csrf=$ACSRF" "$BASE/staff/accounts/$W/enable"
check_eq "enable" "${R%% *}" 303
check "the audit log has it" audit_has 'enabled an account' wendy
password "$WJ" wendy "a youth worker password"
check_eq "an enabled account signs in again" "$R" "303 $BASE/staff"

# ---- end every session ----
password "$WJ2" wendy "a youth worker password"
req "$AJ" --data-urlencode "_csrf=$ACSRF" "$BASE/staff/accounts/$W/sessions"
check "signing out everywhere asks first" grep -q 'Sign wendy out everywhere?' "$B"
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$W/sessions"
check_eq "sign out everywhere" "${R%% *}" 303
req "$WJ" "$BASE/staff/events"; r1=$R
req "$WJ2" "$BASE/staff/events"
check_eq "both sessions have ended" "$r1 / $R" "303 $BASE/staff/login / 303 $BASE/staff/login"
check "the audit log has it" audit_has 'ended every session' 'wendy, 2 session'
password "$WJ" wendy "a youth worker password"
check_eq "the account can sign in again" "$R" "303 $BASE/staff"

# ---- reset ----
req "$AJ" --data-urlencode "_csrf=$ACSRF" "$BASE/staff/accounts/$W/reset"
check "reset asks first" grep -q 'Reset the password of wendy?' "$B"
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$W/reset"
check_eq "reset shows a temporary password" "${R%% *}" 200
TEMP=$(sed -n 's/.*id="temporary">\([^<]*\)<.*/\1/p' "$B")
check "... of 19 characters" test "${#TEMP}" -eq 19
check "... never cached" grep -qi 'cache-control: no-store' "$H"
check "the audit log has the reset, not the password" audit_has 'reset a password' wendy
check "... never the password" test -z "$(sqlite3 "$DB" "SELECT * FROM audit" | grep -F "$TEMP")"
req "$WJ" "$BASE/staff/events"
check_eq "a reset ends the account's sessions" "$R" "303 $BASE/staff/login"
password "$WJ" wendy "a youth worker password"
check_eq "the old password no longer works" "${R%% *}" 422
password "$WJ" wendy "$TEMP"
check_eq "the temporary password leads to a new password" "$R" "303 $BASE/staff/login/password"
req "$WJ" "$BASE/staff/events"
check_eq "... before anything else" "$R" "303 $BASE/staff/login/password"
req "$WJ" "$BASE/staff/login/password"
WCSRF=$(csrf_of "$B")
req "$WJ" --data-urlencode "_csrf=$WCSRF" --data-urlencode "password=wendy's new password" \
	--data-urlencode "again=wendy's other password" "$BASE/staff/login/password"
check_eq "two different new passwords are sent back" "${R%% *}" 422
req "$WJ" --data-urlencode "_csrf=$WCSRF" --data-urlencode "password=$TEMP" --data-urlencode "again=$TEMP" \
	"$BASE/staff/login/password"
check_eq "the temporary password cannot be kept" "${R%% *}" 422
req "$WJ" --data-urlencode "password=wendy's new password" --data-urlencode "again=wendy's new password" \
	"$BASE/staff/login/password"
check_eq "a new password without the form token is refused" "${R%% *}" 403
req "$WJ" --data-urlencode "_csrf=$WCSRF" --data-urlencode "password=wendy's new password" \
	--data-urlencode "again=wendy's new password" "$BASE/staff/login/password"
check_eq "a new password is taken" "$R" "303 $BASE/staff"
req "$WJ" "$BASE/staff/events"
check_eq "... and the staff pages open" "${R%% *}" 200
check "the audit log has it" audit_has 'chose a new password' ''
password "$WJ2" wendy "$TEMP"
check_eq "the temporary password is gone" "${R%% *}" 422
password "$WJ2" wendy "wendy's new password"
check_eq "the new password signs in" "$R" "303 $BASE/staff"

# ---- role change ----
req "$WJ" "$BASE/staff/export"
check_eq "a youth worker cannot open exports" "${R%% *}" 403
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "role=commissioner" "$BASE/staff/accounts/$W/role"
check_eq "change the role" "$R" "303 $BASE/staff/accounts/$W?done=role"
check "the audit log has it" audit_has 'changed a role' 'wendy, to commissioner'
req "$WJ" "$BASE/staff/export"
check_eq "a new commissioner must enrol before exports" "$R" "303 $BASE/staff/login/enrol"
enrol "$WJ"
req "$WJ" "$BASE/staff/export"
check_eq "... then opens them" "${R%% *}" 200
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "role=youth-worker" "$BASE/staff/accounts/$W/role"
req "$WJ" "$BASE/staff/export"
check_eq "back to youth worker, exports are closed again at once" "${R%% *}" 403
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "role=wizard" "$BASE/staff/accounts/$W/role"
check_eq "an unknown role is refused" "${R%% *}" 422
req "$WJ" "$BASE/staff/accounts"
check_eq "a youth worker cannot open accounts" "${R%% *}" 403

# ---- the last enabled admin ----
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$A/disable"
check_eq "the last admin cannot be disabled" "${R%% *}" 409
check "... and the page says why" grep -q 'This is the last enabled admin' "$B"
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "role=commissioner" "$BASE/staff/accounts/$A/role"
check_eq "the last admin cannot be demoted" "${R%% *}" 409
check_eq "Ada is still an enabled admin" "$(sqlite3 "$DB" "SELECT CAST(u.role AS TEXT) || CAST(COALESCE(x.disabled, 0) AS TEXT) FROM users u LEFT JOIN user_state x ON x.user_id = u.id WHERE u.id = $A")" 30
req "$AJ" "$BASE/staff/accounts"
check_eq "... and still manages accounts" "${R%% *}" 200

# ---- commissioners must enrol; codes are rate-limited ----
CJ="$TMP/cora.jar"
password "$CJ" cora "a youth worker password"
check_eq "a commissioner without a second factor is sent to enrol" "$R" "303 $BASE/staff/login/enrol"
req "$CJ" "$BASE/staff/consultations"
check_eq "... before consultations" "$R" "303 $BASE/staff/login/enrol"
enrol "$CJ"
check_eq "the commissioner enrols" "${R%% *}" 200
req "$CJ" "$BASE/staff/consultations"
check_eq "... and opens consultations" "${R%% *}" 200
req "$AJ" --data-urlencode "_csrf=$ACSRF" "$BASE/staff/accounts/$C/second-factor"
check "removing a second factor asks first" grep -q 'Remove the second factor of cora?' "$B"
req "$AJ" --data-urlencode "_csrf=$ACSRF" --data-urlencode "confirm=yes" "$BASE/staff/accounts/$C/second-factor"
check_eq "an admin removes a lost second factor" "${R%% *}" 303
check "the audit log has it" audit_has 'removed a second factor' cora
check_eq "... its recovery codes are gone" "$(sqlite3 "$DB" "SELECT count(*) FROM recovery_codes WHERE user_id = $C")" 0
req "$CJ" "$BASE/staff/consultations"
check_eq "... and the commissioner must enrol again" "$R" "303 $BASE/staff/login/enrol"

RJ="$TMP/rita.jar"
password "$RJ" rita "a youth worker password"
enrol "$RJ"
RSECRET=$SECRET
req "$RJ" -X POST --data-urlencode "_csrf=$(csrf_for "$RJ")" "$BASE/staff/logout"
password "$RJ" rita "a youth worker password"
for i in 1 2 3 4 5; do code "$RJ" "$($TOTP "$RSECRET" 7)"; done
code "$RJ" "$($TOTP "$RSECRET" 1)"
check_eq "after five wrong codes in a minute even the right one waits" "${R%% *}" 429
check "... saying so" grep -q 'Too many codes tried' "$B"

# ---- a youth worker may enrol too ----
YJ="$TMP/yuki.jar"
"$SERVER_BIN" user add --data "$DATA" --name yuki --role youth-worker --password-file "$TMP/pw" >/dev/null
password "$YJ" yuki "a youth worker password"
check_eq "a youth worker signs in with a password alone" "$R" "303 $BASE/staff"
enrol "$YJ"
check_eq "... and may set up a second factor" "${R%% *}" 200
req "$YJ" -X POST --data-urlencode "_csrf=$(csrf_for "$YJ")" "$BASE/staff/logout"
password "$YJ" yuki "a youth worker password"
check_eq "... which is then asked for" "$R" "303 $BASE/staff/login/code"

# ---- the command line ----
run_cli() { # run_cli STATUS WHAT COMMAND...: the exit status and a one-line message
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/cli.out" 2>"$TMP/cli.err"
	local status=$?
	check_eq "$what (exit status)" "$status" "$want"
	if [ "$want" -ne 0 ]; then
		check_eq "$what (one line on standard error)" "$(wc -l <"$TMP/cli.err")" 1
	fi
}
run_cli 1 "user disable refuses the last admin" "$SERVER_BIN" user disable --data "$DATA" --name Ada
check "... saying why" grep -q 'Ada is the last enabled admin' "$TMP/cli.err"
run_cli 1 "user role refuses to demote the last admin" "$SERVER_BIN" user role --data "$DATA" --name Ada --role youth-worker
run_cli 1 "user disable of no such account" "$SERVER_BIN" user disable --data "$DATA" --name nobody
check "... saying so" grep -q 'there is no account called nobody' "$TMP/cli.err"
run_cli 2 "user role without a role" "$SERVER_BIN" user role --data "$DATA" --name wendy
run_cli 2 "user role with an unknown role" "$SERVER_BIN" user role --data "$DATA" --name wendy --role wizard
run_cli 2 "user disable without a name" "$SERVER_BIN" user disable --data "$DATA"
run_cli 2 "an unknown user command" "$SERVER_BIN" user frobnicate --data "$DATA"
run_cli 1 "a data folder with no database" "$SERVER_BIN" user disable --data "$TMP/none" --name wendy
password "$WJ" wendy "wendy's new password"
run_cli 0 "user disable" "$SERVER_BIN" user disable --data "$DATA" --name wendy
req "$WJ" "$BASE/staff/events"
check_eq "user disable ends the running server's sessions at once" "$R" "303 $BASE/staff/login"
password "$WJ" wendy "wendy's new password"
check_eq "... and sign-in is refused" "${R%% *}" 403
run_cli 0 "user enable" "$SERVER_BIN" user enable --data "$DATA" --name wendy
password "$WJ" wendy "wendy's new password"
check_eq "... and sign-in works again (to the code: wendy has a second factor)" "$R" "303 $BASE/staff/login/code"
run_cli 0 "user role" "$SERVER_BIN" user role --data "$DATA" --name wendy --role admin
check_eq "... makes wendy an admin" "$(sqlite3 "$DB" "SELECT role FROM users WHERE name = 'wendy'")" 3
run_cli 0 "now Ada may be demoted" "$SERVER_BIN" user role --data "$DATA" --name Ada --role commissioner
"$SERVER_BIN" user role --data "$DATA" --name Ada --role admin >/dev/null
run_cli 0 "user reset" "$SERVER_BIN" user reset --data "$DATA" --name wendy
CTEMP=$(sed -n 's/^temporary password for wendy .*: \(.*\)$/\1/p' "$TMP/cli.out")
check "... prints a temporary password" test "${#CTEMP}" -eq 19
password "$WJ" wendy "$CTEMP"
check_eq "... which leads to a new password" "$R" "303 $BASE/staff/login/code"
check "each command line change is in the audit log" test "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE who = '(command line)'")" -ge 6

# ---- --second-factor optional (what the other suites use) ----
stop_server
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 --second-factor optional || exit 1
password "$CJ" cora "a youth worker password"
check_eq "optional: a commissioner without a second factor signs in with a password" "$R" "303 $BASE/staff"
req "$CJ" "$BASE/staff/consultations"
check_eq "... and reaches consultations" "${R%% *}" 200
password "$AJ" Ada "a long admin password"
check_eq "... one who has a second factor is still asked for it" "$R" "303 $BASE/staff/login/code"
"$SERVER_BIN" serve --data "$DATA" --second-factor sometimes >/dev/null 2>"$TMP/sf.err"
check_eq "--second-factor takes required or optional only (exit 2)" "$?" 2
check "the server stopped cleanly" stop_server
finish
