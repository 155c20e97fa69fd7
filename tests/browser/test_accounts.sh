#!/usr/bin/env bash
# The account pages and the sign-in steps in headless Chromium: the sign-in
# page with no admin yet, the first-admin setup page (and its errors), the
# enrolment page with its QR code, the recovery codes, the code prompt, the
# accounts list, one account's page, a confirmation, a refusal (the last
# admin), the temporary password and the new-password page.  Each passes
# page-audit (WCAG 2.2 AA, valid HTML, no overflow at 360 px, works without
# JavaScript) and narrow.mjs (320 px, visible keyboard focus).  Signed-in
# pages are fetched with curl and served as files.  The accounts list and an
# account's page printed on A4 (staff_print.mjs).  SHOTS=DIR keeps the
# screenshots, PDFs and their pages as PNGs.
. "$(dirname "$0")/lib.sh"
SECOND_FACTOR=required
DATA="$TMP/data"
mkdir -p "$DATA"
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || { fail "server starts"; finish; exit 1; }
PAGES="$TMP/pages"
mkdir -p "$PAGES"
# keep NAME WANT: the last req's page, if its status is WANT.
keep() { check_eq "captured $1 (${R%% *})" "${R%% *}" "$2"; cp "$B" "$PAGES/$1.html"; }

LINK=$(sed -n 's/^survey-server: first admin: .*make one: \(http[^ ]*\)$/\1/p' "$SERVER_LOG")
req - "$BASE/staff/login"; keep login-no-admin 200
req "$TMP/s" "$LINK"; keep setup 200
req "$TMP/s" --data-urlencode "_csrf=$(csrf_of "$B")" -d name= -d password=short "$LINK"; keep setup-errors 422
req "$TMP/s" --data-urlencode "_csrf=$(csrf_of "$B")" -d name=ada --data-urlencode "password=a long admin password" \
	--data-urlencode "again=a long admin password" "$LINK"; keep setup-done 200

password "$TMP/a" ada "a long admin password"
req "$TMP/a" "$BASE/staff/login/enrol"; keep enrol 200
req "$TMP/a" --data-urlencode "_csrf=$(csrf_of "$B")" --data-urlencode "pending=$(value_of "$B" pending)" -d code=12 \
	"$BASE/staff/login/enrol"; keep enrol-errors 422
enrol "$TMP/a"; keep recovery-codes 200
req "$TMP/a" -X POST --data-urlencode "_csrf=$(csrf_of "$B")" "$BASE/staff/logout"
password "$TMP/a" ada "a long admin password"
req "$TMP/a" "$BASE/staff/login/code"; keep code 200
code "$TMP/a" 12; keep code-errors 422
code "$TMP/a" "$($TOTP "$SECRET" 1)"
check_eq "the admin signs in with a code" "$R" "303 $BASE/staff"
req "$TMP/a" "$BASE/staff"
CA=$(csrf_of "$B")

printf 'a youth worker password\n' >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name 'Kai Ó Rourke' --role youth-worker --password-file "$TMP/pw" >/dev/null
K=$(sqlite3 "$DATA/youthvoice.db" "SELECT id FROM users WHERE role = 1")
A=$(sqlite3 "$DATA/youthvoice.db" "SELECT id FROM users WHERE name = 'ada'")
req "$TMP/a" "$BASE/staff/accounts"; keep accounts 200
req "$TMP/a" --data-urlencode "_csrf=$CA" -d name= -d password=short "$BASE/staff/accounts"; keep accounts-errors 422
req "$TMP/a" "$BASE/staff/accounts/$K"; keep account 200
req "$TMP/a" --data-urlencode "_csrf=$CA" "$BASE/staff/accounts/$K/disable"; keep confirm-disable 200
req "$TMP/a" --data-urlencode "_csrf=$CA" -d confirm=yes "$BASE/staff/accounts/$K/disable"
req "$TMP/a" "$BASE/staff/accounts/$K?done=disabled"; keep account-disabled 200
req "$TMP/a" --data-urlencode "_csrf=$CA" -d confirm=yes "$BASE/staff/accounts/$A/disable"; keep last-admin 409
req "$TMP/a" --data-urlencode "_csrf=$CA" -d confirm=yes "$BASE/staff/accounts/$K/reset"; keep temporary 200
TEMP=$(sed -n 's/.*id="temporary">\([^<]*\)<.*/\1/p' "$B")
req "$TMP/a" --data-urlencode "_csrf=$CA" "$BASE/staff/accounts/$K/enable"
password "$TMP/k" 'Kai Ó Rourke' "$TEMP"
req "$TMP/k" "$BASE/staff/login/password"; keep new-password 200
req "$TMP/k" --data-urlencode "_csrf=$(csrf_of "$B")" -d password=short "$BASE/staff/login/password"
keep new-password-errors 422
check "every error page has its summary" test "$(grep -l 'class="error-summary"' "$PAGES"/*-errors.html | wc -l)" -eq 5

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
serve_saved "$PAGES"
print_staff "$SHOTS" accounts="$SBASE/accounts.html" account="$SBASE/account.html"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
audit_saved "$PAGES"
check "the server stops cleanly" stop_server
finish
