#!/usr/bin/env bash
# bench/bench.sh - `make bench`: how close survey-server comes to what this
# machine allows.  A benchmark, not a test: it prints a table and fails only
# if something could not be measured.
#
# In one run: a minimal civetweb server (bench/ceiling.c) for the ceiling,
# then the release survey-server on 127.0.0.1 (a free port, a fresh data
# folder, --rate-limit 0 so that loopback is not throttled) driven by wrk:
# survey page GETs; complete submissions (GET the form, POST it with its
# one-time token, counted by 303s) at 16 and 64 connections; marketplace
# taps by a signed-in youth worker; submissions on PostgreSQL with one
# server and with two, beside SQLite's.  Then survey-export over 100,000 and
# 1,000,000 sealed responses made by bench/gen.c, and theme suggestions
# (core/classify.h) for 10,000 answers against the 1-second target.  wrk runs on the same
# cores as the server, as a load tool on the same machine would.
#
#   BENCH_SECONDS=6 (each wrk run)  BENCH_ROWS="100000 1000000"
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
SERVER="$ROOT/$BUILD/bin/survey-server"
EXPORT="$ROOT/$BUILD/bin/survey-export"
GEN="$ROOT/$BUILD/bench/gen"
CEILING="$ROOT/$BUILD/bench/ceiling"
CLASSIFY="$ROOT/$BUILD/tests/test_classify_eval"
SECS=${BENCH_SECONDS:-6}
ROWS=${BENCH_ROWS:-"100000 1000000"}
export BENCH_DIR="$ROOT/bench"
# A million sealed responses take about 5 GB: keep them out of RAM-backed /tmp.
TMP=$(mktemp -d "${BENCH_TMP:-/var/tmp}/yv-bench.XXXXXX")
PID=
RESULTS="$TMP/results"
: >"$RESULTS"

cleanup() {
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -TERM "$PID"
		wait "$PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
die() { echo "bench: $*" >&2; exit 1; }

# start PROGRAM ARGS...: runs it in the background (PID), logging to
# $TMP/log, and waits for the port it prints (PORT).
start() {
	: >"$TMP/log"
	"$@" 2>"$TMP/log" &
	PID=$!
	PORT=
	for _ in $(seq 1 100); do
		PORT=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:\)\{0,1\}\([0-9]*\)$/\2/p' "$TMP/log")
		[ -n "$PORT" ] && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/log" >&2
	die "$1 did not start"
}
stop() {
	kill -TERM "$PID"
	wait "$PID"
	local status=$?
	PID=
	return $status
}

# field LINE NAME: the value of NAME=value in a RESULT/SUBMIT/TALLY line.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# cpu_ticks PID: user + system CPU time the process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# load NAME CONNECTIONS URL [SCRIPT]: one wrk run; records NAME's rate
# (per second: 2xx/3xx answers, or the script's acked count), p99, errors,
# and the CPU time the server under load ($PID) spent per answer, in us:
# the figure that other work on the machine disturbs least.
load() {
	local name=$1 conns=$2 url=$3 script=${4:-$BENCH_DIR/report.lua}
	local ticks0
	ticks0=$(cpu_ticks "$PID")
	wrk -t2 -c"$conns" -d"${SECS}s" --timeout 10s -s "$script" "$url" >"$TMP/wrk.out" 2>&1 ||
		die "wrk failed for $name: $(cat "$TMP/wrk.out")"
	local ticks=$(($(cpu_ticks "$PID") - ticks0))
	local res acked
	res=$(grep '^RESULT ' "$TMP/wrk.out")
	acked=$(field "$(grep '^ACKED ' "$TMP/wrk.out")" acked)
	local secs reqs bad
	secs=$(field "$res" secs)
	reqs=$(field "$res" reqs)
	bad=$(( $(field "$res" bad_status) + $(field "$res" errors) ))
	[ -n "$acked" ] || acked=$((reqs - bad))
	local other
	other=$(field "$(grep '^ACKED ' "$TMP/wrk.out")" other)
	echo "$name $(awk -v a="$acked" -v s="$secs" 'BEGIN { printf "%.0f", a / s }') $(field "$res" p99_ms)" \
		"$((bad + ${other:-0})) $(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v a="$acked" \
		'BEGIN { if (a > 0) printf "%.0f", t / hz * 1e6 / a; else print "-" }') $acked" >>"$RESULTS"
}
get() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$RESULTS"; }
# load_two NAME CONNECTIONS URL1 PID1 URL2 PID2 SCRIPT: two wrk runs at once,
# half the connections each, one per server; records as load does, the
# rates and acked counts summed, the worse p99, CPU us of both servers per
# answer.
load_two() {
	local name=$1 conns=$2 url1=$3 pid1=$4 url2=$5 pid2=$6 script=$7
	local t1 t2 half=$(($2 / 2))
	t1=$(cpu_ticks "$pid1")
	t2=$(cpu_ticks "$pid2")
	wrk -t1 -c"$half" -d"${SECS}s" --timeout 10s -s "$script" "$url1" >"$TMP/wrk1.out" 2>&1 &
	local w1=$!
	wrk -t1 -c"$half" -d"${SECS}s" --timeout 10s -s "$script" "$url2" >"$TMP/wrk2.out" 2>&1 ||
		die "wrk failed for $name: $(cat "$TMP/wrk2.out")"
	wait "$w1" || die "wrk failed for $name: $(cat "$TMP/wrk1.out")"
	local ticks=$(($(cpu_ticks "$pid1") - t1 + $(cpu_ticks "$pid2") - t2))
	local acked=0 bad=0 rate=0 p99=0 f res a secs
	for f in "$TMP/wrk1.out" "$TMP/wrk2.out"; do
		res=$(grep '^RESULT ' "$f")
		a=$(field "$(grep '^ACKED ' "$f")" acked)
		secs=$(field "$res" secs)
		acked=$((acked + a))
		bad=$((bad + $(field "$res" bad_status) + $(field "$res" errors) + $(field "$(grep '^ACKED ' "$f")" other)))
		rate=$(awk -v r="$rate" -v a="$a" -v s="$secs" 'BEGIN { printf "%.0f", r + a / s }')
		p99=$(awk -v p="$p99" -v q="$(field "$res" p99_ms)" 'BEGIN { print (q > p ? q : p) }')
	done
	echo "$name $rate $p99 $bad $(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v a="$acked" \
		'BEGIN { if (a > 0) printf "%.0f", t / hz * 1e6 / a; else print "-" }') $acked" >>"$RESULTS"
}

# rss PID: "VmRSS VmHWM" in MB.
rss() { awk '/^VmRSS|^VmHWM/ { v[$1] = $2 } END { printf "%.1f %.1f", v["VmRSS:"] / 1024, v["VmHWM:"] / 1024 }' "/proc/$1/status"; }

# The peak VmRSS of PID, sampled while a load runs (written to FILE).
watch_rss() {
	local pid=$1 file=$2 peak=0 now
	while kill -0 "$pid" 2>/dev/null && [ ! -e "$file.stop" ]; do
		now=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$now" ] && [ "$now" -gt "$peak" ] && peak=$now
		echo "$peak" >"$file"
		sleep 0.2
	done
}

for tool in wrk /usr/bin/time curl sqlite3; do
	command -v "$tool" >/dev/null || die "$tool is missing (make deps installs it)"
done
for bin in "$SERVER" "$EXPORT" "$GEN" "$CEILING" "$CLASSIFY"; do
	[ -x "$bin" ] || die "$bin is not built (run make bench)"
done

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "each load: wrk -t2, ${SECS} s, on the same cores"

# --- the ceiling -------------------------------------------------------
start "$CEILING" 127.0.0.1:0
load ceiling-get 64 "http://127.0.0.1:$PORT/hello"
load ceiling-post 64 "http://127.0.0.1:$PORT/form" "$BENCH_DIR/post.lua"
stop

# --- survey-server -----------------------------------------------------
DATA="$TMP/data"
PASS="$TMP/passphrase"
echo "a passphrase for the benchmark only" >"$PASS"
echo "a youth worker password" >"$TMP/password"
"$SERVER" keygen --data "$DATA" --passphrase-file "$PASS" >/dev/null || die "keygen failed"
"$SERVER" user add --data "$DATA" --name bench --role youth-worker --password-file "$TMP/password" \
	>/dev/null || die "user add failed"
start "$SERVER" serve --data "$DATA" --listen 127.0.0.1:0 --forms "$ROOT/forms" --rate-limit 0
BASE="http://127.0.0.1:$PORT"
SPID=$PID
sleep 1
read -r IDLE_RSS _ <<<"$(rss "$SPID")"
load survey-get 64 "$BASE/s/what-matters"
load submit-16 16 "$BASE/s/what-matters" "$BENCH_DIR/submit.lua"
watch_rss "$SPID" "$TMP/peak" &
WATCH=$!
load submit-64 64 "$BASE/s/what-matters" "$BENCH_DIR/submit.lua"
touch "$TMP/peak.stop"
wait "$WATCH"
LOAD_RSS=$(awk '{ printf "%.1f", $1 / 1024 }' "$TMP/peak")
STORED=$(sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM responses")

# Marketplace taps: sign in, start an event, tap its options.
JAR="$TMP/jar"
csrf=$(curl -s -c "$JAR" -b "$JAR" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$csrf" -d name=bench \
	--data-urlencode "password=a youth worker password" "$BASE/staff/login"
export TALLY_CSRF
TALLY_CSRF=$(curl -s -b "$JAR" "$BASE/staff/events" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$TALLY_CSRF" ] || die "could not sign in to the staff pages"
EV=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -d "_csrf=$TALLY_CSRF" -d name=Bench \
	-d day=2026-05-04 -d consultation=cyp-plan-2027 "$BASE/staff/events" | sed -n 's|.*/staff/events/\([0-9]*\)$|\1|p')
[ -n "$EV" ] || die "could not start an event"
export TALLY_OPTIONS TALLY_COOKIE TALLY_RUN=$$
TALLY_OPTIONS=$(curl -s -b "$JAR" "$BASE/staff/events/$EV" | tr '>' '\n' |
	sed -n 's/.*name="priority" value="\([0-9]*\)".*/\1/p; s/.*name="theme" value="\([a-z0-9-]*\)".*/\1/p' |
	paste -d: - - | sort -u | paste -sd, -)
TALLY_COOKIE=$(awk '$6 == "yv_staff" { print $7 }' "$JAR")
load tally-64 64 "$BASE/staff/events/$EV/tally" "$BENCH_DIR/tally.lua"
TAPS=$(sqlite3 "$DATA/youthvoice.db" "SELECT count(*) FROM tally_changes")
read -r _ HWM <<<"$(rss "$SPID")"
stop || die "survey-server did not stop cleanly"

# --- survey-server on PostgreSQL: one server, then two ------------------
# A throw-away postgresql-15 (tests/pg/pg.sh: fsync and synchronous_commit
# on) on the same cores.  Two servers share one data folder (keys and the
# form-token key) and one database, each driven by its own wrk with half
# the connections, as a proxy would spread them.
# shellcheck source=../tests/pg/pg.sh
. "$ROOT/tests/pg/pg.sh"
pg_start >"$TMP/pg.out" 2>&1 || die "PostgreSQL did not start: $(cat "$TMP/pg.out")"
PG_PIDS=
pg_cleanup() {
	local p
	for p in $PG_PIDS; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	cleanup
	pg_stop
}
trap pg_cleanup EXIT
PGDATA_DIR="$TMP/pgdata"
"$SERVER" keygen --data "$PGDATA_DIR" --passphrase-file "$PASS" --db "$PG_SOCK_URL" >/dev/null || die "keygen failed"
"$SERVER" user add --data "$PGDATA_DIR" --db "$PG_SOCK_URL" --name bench --role youth-worker \
	--password-file "$TMP/password" >/dev/null || die "user add on PostgreSQL failed"
pg_count() { pg_psql -c "SELECT count(*) FROM $1"; }
start "$SERVER" serve --data "$PGDATA_DIR" --db "$PG_SOCK_URL" --listen 127.0.0.1:0 --forms "$ROOT/forms" --rate-limit 0
PG_PIDS=$PID
load pg1-submit-64 64 "http://127.0.0.1:$PORT/s/what-matters" "$BENCH_DIR/submit.lua"
PG1_PORT=$PORT
PG1_PID=$PID
start "$SERVER" serve --data "$PGDATA_DIR" --db "$PG_SOCK_URL" --listen 127.0.0.1:0 --forms "$ROOT/forms" --rate-limit 0
PG_PIDS="$PG1_PID $PID"
PG2_PID=$PID
load_two pg2-submit-64 64 "http://127.0.0.1:$PG1_PORT/s/what-matters" "$PG1_PID" \
	"http://127.0.0.1:$PORT/s/what-matters" "$PG2_PID" "$BENCH_DIR/submit.lua"
PG_STORED=$(pg_count responses)
for p in $PG_PIDS; do kill -TERM "$p"; wait "$p" || die "survey-server on PostgreSQL did not stop cleanly"; done
PG_PIDS=
PID=

# --- exports -----------------------------------------------------------
EXP="$TMP/export"
"$SERVER" keygen --data "$EXP" --passphrase-file "$PASS" >/dev/null || die "keygen failed"
have=0
for n in $ROWS; do
	start_s=$(date +%s.%N)
	"$GEN" "$EXP" "$ROOT/forms" $((n - have)) || die "gen failed"
	gen_s=$(awk -v a="$start_s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	have=$n
	for cmd in themes responses; do
		args=(--data "$EXP" "$cmd")
		[ $cmd = responses ] && args=(--data "$EXP" --passphrase-file "$PASS" "$cmd")
		/usr/bin/time -f '%e %M' -o "$TMP/time" "$EXPORT" "${args[@]}" >"$TMP/out" 2>"$TMP/err" ||
			die "survey-export $cmd failed: $(cat "$TMP/err")"
		lines=$(wc -l <"$TMP/out")
		read -r secs kb <"$TMP/time"
		echo "export-$cmd-$n $secs $((kb / 1024)) $lines" >>"$RESULTS"
	done
	echo "gen-$n $gen_s $(du -sm "$EXP" | cut -f1)" >>"$RESULTS"
	rm -f "$TMP/out"
done

# --- theme suggestions -------------------------------------------------
# Learns the 382 tagged answers of tests/data/classify.tsv, works out the
# held-out answers' sentence vectors once (timed apart: the analysis keeps
# them), then times suggestions for 10,000 answers (the held-out ones over
# and over).
(cd "$ROOT" && "$CLASSIFY" --time 10000) >"$TMP/classify" 2>&1 ||
	die "test_classify_eval --time failed: $(cat "$TMP/classify")"
read -r _ n secs suggested train encode <"$TMP/classify"
echo "classify-$n $secs $suggested $train $encode" >>"$RESULTS"

# --- the table ---------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# A complete submission is a GET and a POST: its ceiling is one of each.
FLOW=$(awk -v g="$(get ceiling-get 2)" -v p="$(get ceiling-post 2)" 'BEGIN { printf "%.0f", 1 / (1 / g + 1 / p) }')
row() { printf '| %-44s | %10s | %7s | %-18s | %11s | %s\n' "$@"; }
echo
row "load (wrk -t2, $SECS s)" "per second" "p99 ms" "vs the ceiling" "CPU us/op" "errors"
row "----" "----" "----" "----" "----" "----"
row "ceiling: civetweb hello-world GET, 64 conns" "$(get ceiling-get 2)" "$(get ceiling-get 3)" "1.00" \
	"$(get ceiling-get 5)" "$(get ceiling-get 4)"
row "ceiling: civetweb 600-byte POST, 64 conns" "$(get ceiling-post 2)" "$(get ceiling-post 3)" "1.00" \
	"$(get ceiling-post 5)" "$(get ceiling-post 4)"
row "ceiling: one GET + one POST" "$FLOW" "" "1.00" "" ""
row "survey page GET, 64 conns" "$(get survey-get 2)" "$(get survey-get 3)" \
	"$(ratio "$(get survey-get 2)" "$(get ceiling-get 2)") of GET" "$(get survey-get 5)" "$(get survey-get 4)"
for c in 16 64; do
	row "durable submissions (GET + POST), $c conns" "$(get submit-$c 2)" "$(get submit-$c 3)" \
		"$(ratio "$(get submit-$c 2)" "$FLOW") of GET+POST" "$(get submit-$c 5)" "$(get submit-$c 4)"
done
row "PostgreSQL, one server: submissions, 64 conns" "$(get pg1-submit-64 2)" "$(get pg1-submit-64 3)" \
	"$(ratio "$(get pg1-submit-64 2)" "$(get submit-64 2)") of SQLite" "$(get pg1-submit-64 5)" "$(get pg1-submit-64 4)"
row "PostgreSQL, two servers: submissions, 64 conns" "$(get pg2-submit-64 2)" "$(get pg2-submit-64 3)" \
	"$(ratio "$(get pg2-submit-64 2)" "$(get submit-64 2)") of SQLite" "$(get pg2-submit-64 5)" "$(get pg2-submit-64 4)"
row "durable tally taps, 64 conns" "$(get tally-64 2)" "$(get tally-64 3)" \
	"$(ratio "$(get tally-64 2)" "$(get ceiling-post 2)") of POST" "$(get tally-64 5)" "$(get tally-64 4)"
echo
ACKS=$(($(get submit-16 6) + $(get submit-64 6)))
echo "acknowledged: $ACKS submissions and $(get tally-64 6) taps; stored: $STORED responses and" \
	"$TAPS tally changes ($([ "$STORED" -ge "$ACKS" ] && [ "$TAPS" -ge "$(get tally-64 6)" ] &&
	echo "none lost" || echo "SOME LOST"))"
PG_ACKS=$(($(get pg1-submit-64 6) + $(get pg2-submit-64 6)))
echo "on PostgreSQL: acknowledged $PG_ACKS submissions; stored $PG_STORED responses ($([ "$PG_STORED" -ge "$PG_ACKS" ] &&
	echo "none lost" || echo "SOME LOST"))"
echo "server memory: ${IDLE_RSS} MB idle, ${LOAD_RSS} MB peak VmRSS at 64 connections, VmHWM ${HWM} MB"
echo
printf '| %-44s | %8s | %11s | %s\n' "export" "seconds" "peak RSS MB" "lines out"
printf '| %-44s | %8s | %11s | %s\n' "----" "----" "----" "----"
for n in $ROWS; do
	for cmd in themes responses; do
		printf '| %-44s | %8s | %11s | %s\n' "survey-export $cmd, $n responses" \
			"$(get export-$cmd-$n 2)" "$(get export-$cmd-$n 3)" "$(get export-$cmd-$n 4)"
	done
done
for n in $ROWS; do
	echo "generated up to $n responses in $(get gen-$n 2) s (data folder $(get gen-$n 3) MB)"
done
echo
printf '| %-44s | %8s | %-18s | %s\n' "theme suggestions (core/classify.h)" "CPU s" "vs the target" "themes suggested"
printf '| %-44s | %8s | %-18s | %s\n' "----" "----" "----" "----"
printf '| %-44s | %8s | %-18s | %s\n' "suggestions for 10,000 answers, 382 tags" \
	"$(get classify-10000 2)" "$(ratio "$(get classify-10000 2)" 1) of 1 s" "$(get classify-10000 3)"
echo "retraining on the 382 tags before them took $(get classify-10000 4) s; an answer's sentence vector $(get classify-10000 5) ms, once"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
