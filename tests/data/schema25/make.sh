#!/usr/bin/env bash
# make.sh - how the data folder in data.tar.gz was made: by the code of
# schema 25 (branch merge16, 65285c0, before keys per consultation), for
# tests/http/test_keys_migrate.sh.  Kept to remake it, never run by a test.
#
#   git archive 65285c0 | tar -x -C /tmp/old && make -C /tmp/old SANITIZE= programs
#   BUILD=../../tmp/old/build OLD_FORMS=/tmp/old/forms bash tests/data/schema25/make.sh
#
# It holds: the server's key (passphrase in passphrase.txt), six answers to
# what-matters with words, a focus-group quote and a note, an analysis code,
# and responses.csv, what that code's survey-export wrote for the answers.
. "$(dirname "$0")/../../http/lib.sh"
HERE="$ROOT/tests/data/schema25"
DATA="$TMP/data"
mkdir -p "$DATA"
"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$HERE/passphrase.txt" >/dev/null </dev/null || exit 1
add_staff "$DATA" cleo:commissioner || exit 1
NO_KEYGEN=1 start_server "$DATA" "$OLD_FORMS" --rate-limit 0 || exit 1
check_eq "six answers" "$(answer_in_words 'sealed before the change one' 'sealed before the change two' \
	'sealed before the change three' 'sealed before the change four' 'sealed before the change five' \
	'sealed before the change six')" 6
CC=$(sign_in "$TMP/c" cleo)
req "$TMP/c" -d "_csrf=$CC" -d consultation=cyp-plan-2027 -d day=2026-11-20 -d district=Northvale -d participants=8 \
	-d age_from=12 -d age_to=15 "$BASE/staff/groups"
G=${R#* }
req "$TMP/c" -d "_csrf=$CC" -d kind=quote -d no_names=yes --data-urlencode "text=a quote sealed before the change" "$G/sealed"
req "$TMP/c" -d "_csrf=$CC" -d kind=note -d no_names=yes --data-urlencode "text=a note sealed before the change" "$G/sealed"
A="$BASE/staff/consultations/cyp-plan-2027/analyse"
req "$TMP/c" -d "_csrf=$CC" -d pass=1 --data-urlencode "passphrase=$(head -n 1 "$HERE/passphrase.txt")" "$A/open"
req "$TMP/c" -d "_csrf=$CC" -d answer=1 -d 'themes[]=sport-activity' -d quote=1 -d names_checked=1 "$A/code"
req "$TMP/c" -d "_csrf=$CC" "$A/end"
stop_server || exit 1
check_eq "schema 25" "$(sqlite3 "$DATA/youthvoice.db" 'PRAGMA user_version')" 25
check_eq "a code" "$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM analysis_codes')" 1
check_eq "two sealed focus-group texts" "$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM focus_sealed')" 2
sqlite3 "$DATA/youthvoice.db" 'VACUUM'
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$HERE/passphrase.txt" responses --consultation cyp-plan-2027 \
	-o "$HERE/responses.csv" </dev/null
rm -f "$DATA"/*-wal "$DATA"/*-shm
tar -czf "$HERE/data.tar.gz" -C "$DATA" .
finish
