#!/usr/bin/env bash
# A data folder made before keys per consultation opens after it (issue 18;
# docs/keys.md "Upgrading").  tests/data/schema25/data.tar.gz was made by the
# code of schema 25 (tests/data/schema25/make.sh says how): one server key,
# six answers with words, a focus-group quote and note, an analysis code.
# - the server starts on it and upgrades it to the current schema; nothing sealed
#   changes (every sealed row and key file byte for byte as it was);
# - with the old passphrase, survey-export writes every answer exactly as
#   the old code's survey-export did (responses.csv), and the report and
#   breakdowns open too, with the old quote and code;
# - the old key is listed as the server's, for every consultation without
#   its own; key check opens it with the old passphrase;
# - a key of its own made for the consultation afterwards seals its new
#   answers; the old ones still open with the old passphrase only, the new
#   ones with the new passphrase only.
. "$(dirname "$0")/lib.sh"

FIX="$ROOT/tests/data/schema25"
DATA="$TMP/data"
mkdir -p "$DATA"
tar -xzf "$FIX/data.tar.gz" -C "$DATA" || fail "the old folder unpacks"
OLD="$FIX/passphrase.txt"
NEW="$TMP/new"
printf 'the consultation key made after the upgrade\n' >"$NEW"
DB="$DATA/youthvoice.db"
KEY=$(cat "$DATA/keys/active")
check_eq "the folder is at schema 25" "$(sqlite3 "$DB" 'PRAGMA user_version')" 25
sealed() { sqlite3 "$DB" "SELECT 'r', key_id, hex(sealed) FROM responses UNION ALL
	SELECT 'f', key_id, hex(sealed) FROM focus_sealed UNION ALL SELECT 'c', key_id, hex(sealed) FROM analysis_codes
	ORDER BY 1, 3" | sha256sum; }
SEALED=$(sealed)
KEYFILES=$(cat "$DATA/keys/"* | sha256sum)
run() { # run WANT DESCRIPTION COMMAND...: exit status checked; output in $TMP/out, $TMP/err
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	check_eq "$what (exit status)" "$?" "$want"
}
ex() { # ex PASSFILE COMMAND OUTFILE WANT DESCRIPTION
	run "$4" "$5" "$EXPORT_BIN" --data "$DATA" --passphrase-file "$1" "$2" --consultation cyp-plan-2027 -o "$3"
}

NO_KEYGEN=1 start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts on the old folder"; finish; exit 1; }
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ROOT/core/store.h")
check_eq "it is upgraded to the current schema ($SCHEMA)" "$(sqlite3 "$DB" 'PRAGMA user_version')" "$SCHEMA"
check "  ... where a passphrase try has a kind of its own (3)" \
	sqlite3 "$DB" "INSERT INTO account_attempts VALUES (1, 3, 1, 0); DELETE FROM account_attempts WHERE kind = 3"
check_eq "  ... and no kind beyond it" "$(sqlite3 "$DB" "INSERT INTO account_attempts VALUES (1, 4, 1, 0)" 2>&1 | grep -c 'CHECK constraint failed')" 1
check_eq "every sealed answer, quote, note and code as it was, byte for byte" "$(sealed)" "$SEALED"
check_eq "the key files as they were" "$(cat "$DATA/keys/"* | sha256sum)" "$KEYFILES"
ex "$OLD" responses "$TMP/responses.csv" 0 "survey-export responses with the old passphrase"
# Every answer as the old code exported it: the same rows and, in each
# column the old export had, the same cells; columns added since (a demo
# survey's questions) are empty for these answers.
same_answers() {
	/usr/bin/python3 - "$@" <<'PY'
import csv, sys
old, new = (list(csv.DictReader(open(p, newline='', encoding='utf-8'))) for p in sys.argv[1:3])
by_id = {r['response_id']: r for r in new}
sys.exit(not (len(old) == len(new) == len(by_id) and all(
    r['response_id'] in by_id and all(by_id[r['response_id']].get(k) == v for k, v in r.items()) and
    all(v == '' for k, v in by_id[r['response_id']].items() if k not in r) for r in old)))
PY
}
check "  ... every answer, exactly as the old code exported it" same_answers "$FIX/responses.csv" "$TMP/responses.csv"
check "  ... all six" grep -q '^survey-export: 6 response(s) written$' "$TMP/err"
ex "$OLD" report "$TMP/report.html" 0 "survey-export report with the old passphrase"
check "  ... with the old focus-group quote" grep -q 'a quote sealed before the change' "$TMP/report.html"
check "  ... and the answer the old code's analysis marked as a quote" \
	grep -qE 'sealed before the change (one|two|three|four|five|six)' "$TMP/report.html"
ex "$OLD" breakdowns "$TMP/breakdowns.csv" 0 "survey-export breakdowns with the old passphrase"
run 0 "key check with the old passphrase" "$SERVER_BIN" key check --data "$DATA" --passphrase-file "$OLD"
check_eq "  ... opens the old key" "$(cat "$TMP/out")" "ok: the passphrase opens key $KEY"
run 0 "key list" "$SERVER_BIN" key list --data "$DATA"
check "  ... names the old key the server's, active" \
	grep -q "^$KEY  made .*  active: new answers are sealed to it  serves: every consultation without a key of its own$" "$TMP/out"

# A key of its own afterwards: new answers to it, the old ones keep theirs.
run 0 "keygen --consultation cyp-plan-2027 on the upgraded folder" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-plan-2027 --passphrase-file "$NEW"
OWN=$(cat "$DATA/keys/consultation-cyp-plan-2027")
sleep 1.1    # the running server looks at a consultation's key once a second
check_eq "two answers after it" "$(answer_in_words 'sealed after the change one' 'sealed after the change two')" 2
check_eq "  ... sealed to the new key; the six old ones keep the old" \
	"$(sqlite3 "$DB" "SELECT key_id || ' ' || count(*) FROM responses GROUP BY key_id ORDER BY count(*)")" \
	"$(printf '%s 2\n%s 6' "$OWN" "$KEY")"
ex "$OLD" responses "$TMP/old-only.csv" 0 "the old passphrase still opens the six old answers"
check "  ... and says two need another key" grep -q '6 response(s) written; 2 sealed to a key this passphrase does not open' "$TMP/err"
ex "$NEW" responses "$TMP/new-only.csv" 0 "the new passphrase opens the two new ones"
check "  ... only" bash -c "[ \$(grep -c 'sealed after the change' '$TMP/new-only.csv') = 2 ] && no_match -q 'sealed before the change' '$TMP/new-only.csv'"
check_eq "the old sealed rows still byte for byte as they were" \
	"$(sqlite3 "$DB" "SELECT 'r', key_id, hex(sealed) FROM responses WHERE key_id = '$KEY' UNION ALL
	SELECT 'f', key_id, hex(sealed) FROM focus_sealed UNION ALL SELECT 'c', key_id, hex(sealed) FROM analysis_codes
	ORDER BY 1, 3" | sha256sum)" "$SEALED"
stop_server || fail "server stops cleanly"
finish
