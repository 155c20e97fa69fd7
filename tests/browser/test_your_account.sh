#!/usr/bin/env bash
# Your account in headless Chromium: the page for a youth worker with no
# second factor, for a commissioner with one and few recovery codes left
# (and the admin who may not turn it off, under required), with a password
# change's errors, a lock's refusal, the same form sent twice, the new
# recovery codes and the notices after each change.  Each passes page-audit
# (WCAG 2.2 AA, valid HTML, no overflow at 360 px, works without
# JavaScript) and narrow.mjs (320 px, visible keyboard focus).  Then the
# new recovery codes page at 360 and 320 px, its "I have saved these" step
# with JavaScript off, and printed to one A4 page (recovery_print.mjs),
# turned into a PNG to look at.  Signed-in pages are fetched with curl and
# served as files.  SHOTS=DIR keeps the screenshots (else $TMP/shots).
. "$(dirname "$0")/lib.sh"
DATA="$TMP/data"
mkdir -p "$DATA"
PW="a youth worker password"
printf '%s\n' "$PW" >"$TMP/pw"
for who in wendy:youth-worker cora:commissioner ada:admin; do
	"$SERVER_BIN" user add --data "$DATA" --name "${who%%:*}" --role "${who#*:}" --password-file "$TMP/pw" >/dev/null
done
start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || { fail "server starts"; finish; exit 1; }
PAGES="$TMP/pages"
SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$PAGES" "$SHOTS"
keep() { check_eq "captured $1 (${R%% *})" "${R%% *}" "$2"; cp "$B" "$PAGES/$1.html"; }
csrf_for() { req "$1" "$BASE/staff"; csrf_of "$B"; }

password "$TMP/w" wendy "$PW"
req "$TMP/w" "$BASE/staff/account"; keep account-youth-worker 200
W=$(csrf_of "$B")
req "$TMP/w" --data-urlencode "_csrf=$W" -d current= -d password=short -d again=other "$BASE/staff/account/password"
keep account-password-errors 422
check "the errors page has its summary, linking each field" \
	bash -c "grep -q 'class=\"error-summary\"' '$B' && grep -q 'href=\"#p-current\"' '$B' && grep -q 'href=\"#p-password\"' '$B'"
for i in 1 2 3 4 5 6; do
	req "$TMP/w" --data-urlencode "_csrf=$W" --data-urlencode "current=wrong $i" --data-urlencode "password=$PW and more" \
		--data-urlencode "again=$PW and more" "$BASE/staff/account/password"
done
keep account-locked 429
sqlite3 "$DATA/youthvoice.db" "DELETE FROM account_attempts"
req "$TMP/w" --data-urlencode "_csrf=$W" --data-urlencode "current=$PW" --data-urlencode "password=$PW and more" \
	--data-urlencode "again=$PW and more" "$BASE/staff/account/password"
check_eq "the password is changed" "$R" "303 $BASE/staff/account?done=password"
req "$TMP/w" "$BASE/staff/account?done=password"; keep account-password-changed 200

password "$TMP/c" cora "$PW"
enrol "$TMP/c"; keep recovery-codes-enrolled 200
req "$TMP/c" "$BASE/staff/account?done=second-factor"; keep account-factor-on 200
MARK=$(value_of "$B" codes)
C=$(csrf_of "$B")
req "$TMP/c" --data-urlencode "_csrf=$C" --data-urlencode "codes=$MARK" --data-urlencode "proof=$PW" \
	"$BASE/staff/account/recovery-codes"; keep recovery-codes-new 200
req "$TMP/c" --data-urlencode "_csrf=$C" --data-urlencode "codes=$MARK" --data-urlencode "proof=$PW" \
	"$BASE/staff/account/recovery-codes"; keep account-codes-changed 409
req "$TMP/c" "$BASE/staff/account"
req "$TMP/c" --data-urlencode "_csrf=$C" --data-urlencode "codes=$(value_of "$B" codes)" -d proof=123456 \
	"$BASE/staff/account/recovery-codes"; keep account-code-errors 422
C_ID=$(sqlite3 "$DATA/youthvoice.db" "SELECT id FROM users WHERE name = 'cora'")
sqlite3 "$DATA/youthvoice.db" "DELETE FROM recovery_codes WHERE user_id = $C_ID AND code_hash IN
	(SELECT code_hash FROM recovery_codes WHERE user_id = $C_ID LIMIT 9)"
req "$TMP/c" "$BASE/staff/account?done=codes"; keep account-codes-low 200
check "with one code left the page warns" grep -q 'You have 1 recovery code left.' "$B"
stop_server

SECOND_FACTOR=required start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 || { fail "server starts again"; finish; exit 1; }
password "$TMP/a" ada "$PW"
enrol "$TMP/a"
req "$TMP/a" "$BASE/staff/account"; keep account-admin-required 200
check "an admin under required is told why the factor stays" grep -q 'Your role needs a second factor' "$B"

audit_saved "$PAGES"

serve_saved "$PAGES"
node "$HERE/recovery_print.mjs" "$SHOTS" "$SBASE/recovery-codes-new.html" >"$TMP/print.txt" 2>&1
check_eq "the recovery codes page's screenshots, step and printing pass" "$?" "0"
cat "$TMP/print.txt"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
check_eq "the recovery codes print on one A4 page" "$(pdfinfo "$SHOTS/recovery-codes.pdf" | sed -n 's/^Pages: *//p')" "1"
check "  ... of A4 size" bash -c "pdfinfo '$SHOTS/recovery-codes.pdf' | grep -qE 'Page size: .* pts \(A4\)'"
pdftoppm -r 80 -png -singlefile "$SHOTS/recovery-codes.pdf" "$SHOTS/recovery-codes-printed"
pdftotext "$SHOTS/recovery-codes.pdf" - | tr -d ' ' >"$TMP/printed.txt"
grep -o '[a-z2-7]\{5\}-[a-z2-7]\{5\}' "$PAGES/recovery-codes-new.html" >"$TMP/shown.txt"
check_eq "  ... with every code in the printed text" "$(grep -cxF -f "$TMP/shown.txt" "$TMP/printed.txt")" 10
check "  ... and nothing of the menu or the step" bash -c "no_match -qE 'Sign out|I have saved|Continue' '$TMP/printed.txt'"
check "the server stops cleanly" stop_server
finish
