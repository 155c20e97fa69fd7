#!/usr/bin/env bash
# Crash safety of the shared commit: several clients submit responses while
# the server is killed with SIGKILL mid-stream, three times over.  After each
# restart: every response acknowledged with its 303 is in the database and
# counted exactly once (each client answers with its own theme, so its count
# must lie between what it was told was stored and what it had sent), the
# counters agree with the rows, PRAGMA integrity_check is ok, and the server
# serves and stores again.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
ROUNDS=3
CLIENTS=4
# Client k answers "most important" with crash.lua's OPTIONS[k + 1], which
# raises THEME[k]; every client also picks sport, so sport-activity counts
# every response.
THEME=(someone-to-talk-to mental-health knife-crime online-safety)
SENT=(0 0 0 0) ACKED=(0 0 0 0)   # totals over the rounds, per client

q() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }
count_theme() { q "SELECT coalesce(sum(count), 0) FROM theme_counts WHERE theme = '$1' AND source = 0"; }

# clients: wrk, one thread per connection, each thread a client (crash.lua).
clients() {
	wrk -t$CLIENTS -c$CLIENTS -d3s --timeout 5s -s "$(dirname "$0")/crash.lua" "$BASE/s/what-matters" \
		>"$TMP/wrk.out" 2>&1
}

start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
for round in $(seq 1 $ROUNDS); do
	clients &
	wrk_pid=$!
	# Let responses through for a while, then kill the server wherever it is.
	sleep "1.$((RANDOM % 10))"
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	wait "$wrk_pid"
	check "round $round: the clients report" grep -q '^CLIENT' "$TMP/wrk.out"

	start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "round $round: the server starts again"; break; }
	sqlite_only "round $round: integrity_check after SIGKILL" pragma_is "$DB" integrity_check ok
	acked=0 sent=0
	for k in $(seq 0 $((CLIENTS - 1))); do
		line=$(grep "^CLIENT $((k + 1)) " "$TMP/wrk.out")
		a=$(echo "$line" | sed -n 's/.* acked=\([0-9]*\).*/\1/p')
		s=$(echo "$line" | sed -n 's/.* sent=\([0-9]*\).*/\1/p')
		SENT[$k]=$((${SENT[$k]} + ${s:-0})) ACKED[$k]=$((${ACKED[$k]} + ${a:-0}))
		a=${ACKED[$k]} s=${SENT[$k]} n=$(count_theme "${THEME[$k]}")
		acked=$((acked + a)) sent=$((sent + s))
		check "round $round: client $k: $a acknowledged <= $n counted <= $s sent" \
			test "$a" -le "$n" -a "$n" -le "$s"
	done
	rows=$(q "SELECT count(*) FROM responses")
	check "round $round: $acked acknowledged <= $rows stored <= $sent sent" test "$acked" -gt 0 -a "$acked" -le "$rows" -a "$rows" -le "$sent"
	check_eq "round $round: each stored response counted once (sport-activity)" "$(count_theme sport-activity)" "$rows"
	check_eq "round $round: the survey's response count agrees" \
		"$(q "SELECT coalesce(sum(responses), 0) FROM survey_counts")" "$rows"
	check_eq "round $round: a token is recorded for each response" "$(q "SELECT count(*) FROM used_tokens")" "$rows"
	# It serves and stores again (counted as client 0's).
	SENT[0]=$((${SENT[0]} + 1))
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -d "_token=$(fresh_token what-matters)" \
		-d most-important=talk -d 'make-better[]=sport' -d age=14-15 -d district=eastbrook "$BASE/s/what-matters")
	check_eq "round $round: a submission after the restart is 303" "$code" "303"
	[ "$code" = 303 ] && ACKED[0]=$((${ACKED[0]} + 1))
done
check "the server stops cleanly at the end" stop_server
finish
