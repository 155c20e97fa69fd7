#!/usr/bin/env bash
# The staff Key page in headless Chromium (docs/keys.md): with one key and
# the notice after a passphrase change; with three keys, one a
# consultation's own (a choice of key, each saying whom it serves) and the
# change form's problems; with the notice after a right check.  Each
# passes page-audit (WCAG 2.2 AA, valid HTML, no overflow at 360 px, works
# without JavaScript) and narrow.mjs (320 px, visible keyboard focus); then
# key_shots.mjs takes each at 360x740 and 320x640 to look at (the error
# state: summary focused, no passphrase sent back).  Signed-in pages are
# fetched with curl and served as files.  SHOTS=DIR keeps the screenshots
# (else $TMP/shots).
. "$(dirname "$0")/lib.sh"
DATA="$TMP/data"
mkdir -p "$DATA"
PASS="$TMP/pass"
printf 'the key passphrase for the browser suite\n' >"$PASS"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null </dev/null
add_staff "$DATA" cora:commissioner || fail "staff account"
start_server "$DATA" "$ROOT/forms" || { fail "server starts"; finish; exit 1; }
PAGES="$TMP/pages"
SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$PAGES" "$SHOTS"
keep() { check_eq "captured $1 (${R%% *})" "${R%% *}" "$2"; cp "$B" "$PAGES/$1.html"; }

C=$(sign_in "$TMP/c" cora)
KEY=$(cat "$DATA/keys/active")
req "$TMP/c" -d "_csrf=$C" -d "key=$KEY" --data-urlencode "current=$(cat "$PASS")" \
	-d "new=a second passphrase for the page" -d "again=a second passphrase for the page" "$BASE/staff/key/passphrase"
check_eq "the passphrase is changed" "$R" "303 $BASE/staff/key?done=passphrase"
req "$TMP/c" "$BASE/staff/key?done=passphrase"; keep key-changed 200
check "  ... one key: no choice of key" bash -c "no_match -q '<select' '$B'"

printf 'the second key of the browser suite\n' >"$TMP/pass2"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass2" --rotate >/dev/null </dev/null
printf 'the consultation key of the browser suite\n' >"$TMP/pass3"
"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-plan-2027 --passphrase-file "$TMP/pass3" >/dev/null </dev/null
check "a consultation's key is made" test -s "$DATA/keys/consultation-cyp-plan-2027"
req "$TMP/c" -d "_csrf=$C" -d "key=$KEY" -d current= -d "new=too short" -d "again=too short" "$BASE/staff/key/passphrase"
keep key-errors 422
check "three keys: a choice of key, the one the form named chosen" grep -q "<option value=\"$KEY\" selected>" "$B"
check "  ... one chosen" test "$(grep -o ' selected>' "$B" | wc -l)" = 2
check "  ... the consultation's key saying so" grep -q 'for consultation <code>cyp-plan-2027</code> only' "$B"
check "the problems link to their fields" bash -c "grep -q 'href=\"#k-current\"' '$B' && grep -q 'href=\"#k-new\"' '$B'"
req "$TMP/c" -d "_csrf=$C" -d "key=$KEY" -d "passphrase=a second passphrase for the page" "$BASE/staff/key/check"
keep key-checked 200
check "  ... the check's notice" grep -q "The passphrase opens key $KEY" "$B"

audit_saved "$PAGES"

serve_saved "$PAGES"
node "$HERE/key_shots.mjs" "$SHOTS" "key-changed=$SBASE/key-changed.html" "key-errors=$SBASE/key-errors.html" \
	"key-checked=$SBASE/key-checked.html" >"$TMP/shots.txt" 2>&1
check_eq "the Key page's screenshots (key_shots.mjs)" "$?" "0"
grep -v '^ok' "$TMP/shots.txt"
kill "$STATIC_PID" 2>/dev/null
wait "$STATIC_PID" 2>/dev/null
stop_server || fail "server stops cleanly"
finish
