#!/usr/bin/env bash
# The privacy model end to end: what a young person writes, and where they
# wrote it from, can be found nowhere in the data folder (database, WAL, log,
# keys), yet the decrypted export gives back every word; contact details are
# scrubbed before sealing; keys rotate and unlock; a wrong passphrase or an
# altered response is handled safely; one client cannot flood a survey.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
mkdir -p "$DATA"
SERVER_LOG="$DATA/server.log"   # the log is searched with everything else
PASS="$TMP/pass"                # kept outside the data folder, as in real use
printf 'a long passphrase for testing only\n' >"$PASS"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null </dev/null
check "keygen with a passphrase file makes the key" test -f "$DATA/keys/active"
KEY1=$(cat "$DATA/keys/active")

start_server "$DATA" "$ROOT/forms" --proxy 127.0.0.1 --rate-limit 3 || { fail "server starts"; finish; exit 1; }
check "no passphrase is printed when a key exists" bash -c "no_match -q 'passphrase:' '$SERVER_LOG'"

# post_from ADDR ARGS...: a submission that arrived through our proxy from ADDR.
post_from() {
	local addr=$1
	shift
	curl -s -o "$TMP/last.html" -D "$TMP/last.h" -w '%{http_code}' --max-time 20 \
		-H "X-Forwarded-For: 198.51.100.1, $addr" \
		-d "_token=$(fresh_token what-matters)" "$@" "$BASE/s/what-matters"
}
answers=(-d most-important=talk -d "make-better[]=sport" -d age=16-17 -d district=eastbrook)
RUN="q$(date +%s%N)"
markers=()
for i in 1 2 3 4 5; do
	m="${RUN}m$i"
	markers+=("$m")
	code=$(post_from "203.0.113.$((40 + i))" "${answers[@]}" \
		--data-urlencode "tell-us=word $m, text me on 07700 900$((100 + i)) or mail $m@example.org")
	check_eq "response $i is stored (303)" "$code" "303"
done

# --- rate limiting, per client ---------------------------------------------
for i in 1 2 3; do post_from 203.0.113.99 -d most-important=talk >/dev/null; done
code=$(post_from 203.0.113.99 "${answers[@]}")
check_eq "the 4th submission in a minute from one client gets 429" "$code" "429"
check "  ... with a friendly page" grep -q 'Please wait a moment' "$TMP/last.html"
check "  ... and Retry-After" grep -qi '^Retry-After: 60' "$TMP/last.h"
check_eq "another client behind the same proxy is not held up" \
	"$(post_from 203.0.113.100 "${answers[@]}")" "303"

# The proxy appends the address it saw to the last X-Forwarded-For line; a
# client can send lines of its own before it.  The client is the right-most
# value across every line, never a line the client wrote.
# post_lines LINE... -- CURL_ARGS: one X-Forwarded-For line per LINE.
post_lines() {
	local h=()
	while [ "$1" != -- ]; do h+=(-H "X-Forwarded-For: $1"); shift; done
	shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 "${h[@]}" \
		-d "_token=$(fresh_token what-matters)" "$@" "$BASE/s/what-matters"
}
check_eq "a client's own X-Forwarded-For line before the proxy's does not pick a fresh bucket (429)" \
	"$(post_lines 203.0.113.77 "198.51.100.1, 203.0.113.99" -- "${answers[@]}")" "429"
check_eq "  ... nor two lines of its own" \
	"$(post_lines 203.0.113.78 203.0.113.79 203.0.113.99 -- "${answers[@]}")" "429"
# Let through, these answer 422 (an answer missing, so nothing is stored).
check_eq "  ... while the proxy's line names a fresh client, that client is let through (422, not 429)" \
	"$(post_lines 203.0.113.99 "203.0.113.99, 203.0.113.101" -- -d most-important=talk)" "422"
check_eq "  ... and a right-most value that is not an address counts as the proxy's own (422)" \
	"$(post_lines "203.0.113.99, <script>" -- -d most-important=talk)" "422"

# --- padding ----------------------------------------------------------------
short=$(post_from 203.0.113.61 "${answers[@]}" -d "tell-us=abc")
long=$(post_from 203.0.113.62 "${answers[@]}" --data-urlencode "tell-us=$(head -c 900 /dev/zero | tr '\0' 'x')")
check_eq "a 3-character and a 900-character answer are both stored" "$short $long" "303 303"
# --- the running server's folder a moment after the last write: no history --------
# (tests/unit/test_store_rest.c reads the raw files in detail)
sleep 2
check "2 s after the last write, the server's WAL holds nothing" bash -c "[ ! -s '$DATA/youthvoice.db-wal' ]"
check "  ... and its -shm file names no page" /usr/bin/python3 -c \
	'import os, sys; p = sys.argv[1]; sys.exit(1 if os.path.exists(p) and any(open(p, "rb").read()[136:]) else 0)' \
	"$DATA/youthvoice.db-shm"
check "the server stops cleanly" stop_server

DB="$DATA/youthvoice.db"
lens=$(sqlite3 "$DB" "SELECT DISTINCT length(sealed) FROM responses")
check_eq "every sealed response has the same length (padding)" "$(echo "$lens" | wc -l)" "1"

# --- nothing readable on disk -------------------------------------------------
for m in "${markers[@]}"; do
	check "marker $m is in no file of the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF '$m' -"
done
check "no client address is in any file (database, WAL, log, keys)" bash -c "folder_bytes '$DATA' | no_match -qaE '203\\.0\\.113\\.|198\\.51\\.100\\.' -"
check "no phone number is in any file" bash -c "folder_bytes '$DATA' | no_match -qaE '07700 ?900' -"
check "no column keeps a time of day" bash -c "! sqlite3 '$DB' .schema | grep -Eiq 'created_at|timestamp|time '"
check_eq "arrival is a day" "$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE day NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")" "0"

# --- the decrypted export gives every word back, scrubbed -----------------------
run_export() { "$EXPORT_BIN" --data "$DATA" --passphrase-file "$1" responses "${@:2}" </dev/null; }
run_export "$PASS" -o "$TMP/responses.csv" 2>"$TMP/export.err"
check_eq "responses export succeeds" "$?" "0"
for m in "${markers[@]}"; do
	check "the export finds $m" grep -qF "word $m" "$TMP/responses.csv"
done
check "phone numbers were scrubbed before sealing" grep -qF '[phone number removed]' "$TMP/responses.csv"
check "e-mail addresses were scrubbed before sealing" grep -qF '[email address removed]' "$TMP/responses.csv"
check "the export has no phone number" bash -c "no_match -qE '07700 ?900' '$TMP/responses.csv'"
check "the export says how many it wrote" grep -q '8 response(s) written' "$TMP/export.err"
run_export "$PASS" --format json -o "$TMP/responses.json" 2>/dev/null
check_eq "the JSON export parses, one object per response" "$(jq length "$TMP/responses.json")" "8"

printf 'not the passphrase\n' >"$TMP/wrong"
run_export "$TMP/wrong" -o "$TMP/wrong.csv" 2>"$TMP/wrong.err"
check_eq "a wrong passphrase exits 1" "$?" "1"
check "  ... with one clear message" grep -q 'wrong passphrase' "$TMP/wrong.err"
check_eq "  ... in one line" "$(wc -l <"$TMP/wrong.err")" "1"
check "  ... and no output file" bash -c "! ls '$TMP'/wrong.csv* 2>/dev/null"

# --- an altered response is reported and skipped --------------------------------
# Ids are random (they say nothing of arrival), so the response altered is
# picked from the export: one without the first marker, which the key
# rotation below still looks for (min(id) was it one run in eight).
TAMPERED=$(/usr/bin/python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
print(next(r[0] for r in rows if sys.argv[2] not in ",".join(r)))' "$TMP/responses.csv" "word ${markers[0]}")
sqlite3 "$DB" "UPDATE responses SET sealed = substr(sealed, 1, 100) || x'00' || substr(sealed, 102) WHERE id = $TAMPERED"
run_export "$PASS" -o "$TMP/after-tamper.csv" 2>"$TMP/tamper.err"
check_eq "an altered response does not stop the export" "$?" "0"
check "  ... it is named by id" grep -qE "could not be opened \\(altered\\?\\), ids: $TAMPERED([^0-9]|$)" "$TMP/tamper.err"
check "  ... and the rest are written" grep -q '7 response(s) written' "$TMP/tamper.err"
check "  ... its row, and only its row, is not in the output" bash -c "grep -q '^$TAMPERED,' '$TMP/responses.csv' &&
	no_match -q '^$TAMPERED,' '$TMP/after-tamper.csv' &&
	diff <(grep -v '^$TAMPERED,' '$TMP/responses.csv') '$TMP/after-tamper.csv' >/dev/null"

# --- rotation: old responses stay readable ----------------------------------------
printf 'a different passphrase for the new key\n' >"$TMP/pass2"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass2" --rotate >/dev/null </dev/null
KEY2=$(cat "$DATA/keys/active")
check "rotation makes a new active key" test "$KEY1" != "$KEY2"
# Without --proxy, X-Forwarded-For is not believed: every request here is 127.0.0.1.
start_server "$DATA" "$ROOT/forms" --rate-limit 2 || fail "server restarts"
check_eq "a response after rotation is stored" "$(post_from 203.0.113.70 "${answers[@]}" -d "tell-us=${RUN}new")" "303"
check_eq "a second post from the same connection" "$(post_from 203.0.113.71 -d most-important=talk)" "422"
check_eq "X-Forwarded-For from a client that is not the proxy is ignored (3rd post: 429)" \
	"$(post_from 203.0.113.72 "${answers[@]}")" "429"
check "the server stops cleanly again" stop_server
check_eq "the new response is sealed to the new key" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE key_id = '$KEY2'")" "1"
run_export "$PASS" -o "$TMP/old-key.csv" 2>"$TMP/old-key.err"
check "the old passphrase still opens the old responses" grep -qF "word ${markers[0]}" "$TMP/old-key.csv"
check "  ... and says what it could not open" grep -q '1 sealed to a key this passphrase does not open' "$TMP/old-key.err"
run_export "$TMP/pass2" -o "$TMP/new-key.csv" 2>/dev/null
check "the new passphrase opens the new response" grep -qF "${RUN}new" "$TMP/new-key.csv"
check "  ... but not the old ones" bash -c "no_match -qF 'word ${markers[0]}' '$TMP/new-key.csv'"

finish
