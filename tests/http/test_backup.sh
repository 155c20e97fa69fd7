#!/usr/bin/env bash
# Backups while serving: `survey-server backup` copies the database with
# SQLite's online backup API while the server runs.  A copy taken when no
# one is posting exports exactly what the live database does; a copy taken
# while answers pour in is whole (integrity_check), holds no more than the
# final count, and is consistent with itself (each response's themes are all
# counted, no more, no less).  Restoring (stop, replace the database and
# remove its -wal and -shm, start) gives a server that serves and counts on.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }

# Every answer is the same, so each response raises exactly the themes
# "Someone they trust ..." (most-important=talk) and sport (make-better).
ANSWER="most-important=talk&make-better%5B%5D=sport&age=14-15&district=eastbrook"
post_one() { curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -d "_token=$(fresh_token what-matters)&$ANSWER" "$BASE/s/what-matters"; }
themes() { "$EXPORT_BIN" --data "$1" themes --min-cell 0; }
responses() { sqlite3 "$1" 'SELECT count(*) FROM responses'; }
# talk_count DIR: the survey column of the "someone to talk to" row under priority 2.
talk_count() {
	"$EXPORT_BIN" --data "$1" themes --min-cell 0 --format json |
		jq '.rows[] | select(.priority_number == 2 and (.theme | test("talk"))) | .survey'
}

for i in $(seq 1 10); do post_one; done >"$TMP/first.codes"
check_eq "10 answers stored" "$(grep -c '^303$' "$TMP/first.codes")" "10"

# --- a quiet moment: the copy is exactly the live database -----------------------
"$SERVER_BIN" backup --data "$DATA" -o "$TMP/quiet.db" >"$TMP/out" 2>"$TMP/err"
check_eq "backup while the server runs exits 0" "$?" "0"
check "  ... says it checked the copy" grep -q 'integrity check ok' "$TMP/out"
check_eq "  ... the copy passes integrity_check" "$(sqlite3 "$TMP/quiet.db" 'PRAGMA integrity_check')" "ok"
check "  ... is one file (no -wal beside it)" test ! -e "$TMP/quiet.db-wal"
check_eq "  ... readable only by its owner" "$(stat -c %a "$TMP/quiet.db")" "600"
mkdir -p "$TMP/restored"
cp "$TMP/quiet.db" "$TMP/restored/youthvoice.db"
themes "$DATA" >"$TMP/live.csv"
themes "$TMP/restored" >"$TMP/copy.csv"
check "  ... its themes table equals the live one exactly" cmp -s "$TMP/live.csv" "$TMP/copy.csv"
check_eq "  ... with all 10 responses" "$(responses "$TMP/quiet.db")" "10"
check "  ... and counts them" test "$(talk_count "$TMP/restored")" = 10

# --- while answers pour in ----------------------------------------------------------------
for w in 1 2; do
	( for i in $(seq 1 15); do post_one; done >"$TMP/busy-$w.codes" ) &
	eval "W$w=\$!"
done
sleep 0.3
"$SERVER_BIN" backup --data "$DATA" -o "$TMP/busy.db" >/dev/null 2>"$TMP/err"
check_eq "a backup in the middle of submissions exits 0" "$?" "0"
wait "$W1" "$W2"
check_eq "  ... all 30 of those answers were stored" "$(cat "$TMP"/busy-*.codes | grep -c '^303$')" "30"
FINAL=$(responses "$DATA/youthvoice.db")
COPY=$(responses "$TMP/busy.db")
check_eq "  ... the copy passes integrity_check" "$(sqlite3 "$TMP/busy.db" 'PRAGMA integrity_check')" "ok"
check "  ... it holds between 10 and the final $FINAL responses ($COPY)" test "$COPY" -ge 10 -a "$COPY" -le "$FINAL"
mkdir -p "$TMP/busy"
cp "$TMP/busy.db" "$TMP/busy/youthvoice.db"
check_eq "  ... its counters agree with its responses (no torn commit)" "$(talk_count "$TMP/busy")" "$COPY"

# --- refusals ----------------------------------------------------------------------------------
"$SERVER_BIN" backup --data "$DATA" >/dev/null 2>"$TMP/err"
check_eq "backup without -o is bad usage (2)" "$?" "2"
"$SERVER_BIN" backup --data "$DATA" -o "$TMP/quiet.db" >/dev/null 2>"$TMP/err"
check_eq "backup onto an existing file exits 1" "$?" "1"
check "  ... and says so in one line" test "$(grep -c 'exists already' "$TMP/err")" = 1
check_eq "  ... leaving the file as it was" "$(responses "$TMP/quiet.db")" "10"
"$SERVER_BIN" backup --data "$TMP/nowhere" -o "$TMP/x.db" >/dev/null 2>"$TMP/err"
check_eq "backup of a folder with no database exits 1" "$?" "1"
"$SERVER_BIN" backup --data "$DATA" -o "$TMP/no/such/dir/x.db" >/dev/null 2>"$TMP/err"
check_eq "backup into a missing folder exits 1" "$?" "1"
check "  ... leaving no temporary file" test ! -e "$TMP/no/such/dir/x.db.tmp"
# SQLite's own words go only to lines marked "backup: " (the log); the
# operator's message is one line of ours, saying what failed, naming no SQL.
grep -v '^backup: ' "$TMP/err" >"$TMP/said"
check "  ... and naming no SQL" bash -c "test \"\$(wc -l <'$TMP/said')\" = 1 &&
	grep -q '^survey-server: could not write the copy $TMP/no/such/dir/x.db: ' '$TMP/said' && no_match -i 'sql' '$TMP/said'"

# --- restore: stop, replace the database, start ------------------------------------------------
check "the server stops cleanly" stop_server
themes "$TMP/busy" >"$TMP/busy.csv"
rm -f "$DATA/youthvoice.db-wal" "$DATA/youthvoice.db-shm"
cp "$TMP/busy.db" "$DATA/youthvoice.db"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || fail "the server starts on the restored database"
check_eq "the restored server is healthy" "$(curl -s "$BASE/healthz")" "ok"
themes "$DATA" >"$TMP/restored.csv"
check "its themes table is the copy's" cmp -s "$TMP/busy.csv" "$TMP/restored.csv"
check_eq "it takes answers again" "$(post_one)" "303"
check_eq "  ... counted on top of the copy" "$(talk_count "$DATA")" "$((COPY + 1))"
check_eq "it is back in WAL mode" "$(sqlite3 "$DATA/youthvoice.db" 'PRAGMA journal_mode')" "wal"
check "the server stops cleanly again" stop_server
check_eq "the restored database is intact" "$(sqlite3 "$DATA/youthvoice.db" 'PRAGMA integrity_check')" "ok"
finish
