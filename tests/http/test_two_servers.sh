#!/usr/bin/env bash
# Two survey-servers on one PostgreSQL database (issue 17), as a proxy
# would run them: what one stores the other sees.  A form token replayed
# on the other server is stored once; a tally change sent to both counts
# once; a staff session works on both; the projector's totals agree; rate
# limiting is per server.  Then the failures: SIGKILL of one server under
# load loses no acknowledged response, and PostgreSQL restarted under load
# gives 503 with the answers kept, and both servers recover by themselves.
# One analysis session across both: refused on the other while open, free
# again when ended, when its connection is lost, or when its server dies.
#
# Always on PostgreSQL: two servers on one SQLite file is not a way
# youthvoice runs.  Both share the data folder (the keys and the form-token
# key), as the README's deployment does.
YV_HTTP_PG=1
. "$(dirname "$0")/lib.sh"
# Opening an analysis reads the sentence model and works out the seed
# words' vectors (0.8 s on the release build, 15 s or more under ASan on a
# busy machine), and the first page after it trains: more than req's 20 s.
REQ_MAX_TIME=120

DATA="$TMP/data"
DB="$DATA/youthvoice.db"   # what the sqlite3 shim maps to the database
q() { sqlite3 "$DB" "$1" 2>&1; }
SA_PID= SB_PID= SA= SB=
two_cleanup() {
	local p
	for p in $SA_PID $SB_PID; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	pg_mode_cleanup
}
trap two_cleanup EXIT

# start_named NAME ARGS...: a server with its own log; sets NAME_PID and NAME.
start_named() {
	local name=$1
	shift
	SERVER_LOG="$TMP/$name.log"
	start_server "$DATA" "$ROOT/forms" "$@" || return 1
	printf -v "${name}_PID" '%s' "$SERVER_PID"
	printf -v "$name" '%s' "$BASE"
	SERVER_PID=
}
# Two commands starting at once on a new database: one makes the schema
# (under an advisory lock), the other finds it made.
printf 'a long enough password\n' >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file <(echo "$STAFF_PASSWORD") \
	>/dev/null 2>"$TMP/add1" & A1=$!
"$SERVER_BIN" user add --data "$DATA" --name ada --role admin --password-file "$TMP/pw" >/dev/null 2>"$TMP/add2" & A2=$!
wait "$A1"; s1=$?
wait "$A2"; s2=$?
check_eq "two commands at once on a new database both work (exit statuses)" "$s1 $s2" "0 0"
check_eq "  ... both accounts are there" "$(q "SELECT count(*) FROM users WHERE name IN ('kai', 'ada')")" 2
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ROOT/core/store.h")
check_eq "  ... on one schema, made once" "$(q 'SELECT version FROM youthvoice_schema')" "$SCHEMA"
start_named SA --rate-limit 0 || { fail "server A starts"; finish; exit 1; }
start_named SB --rate-limit 0 || { fail "server B starts"; finish; exit 1; }
check "two servers run on one database" test -n "$SA" -a -n "$SB" -a "$SA" != "$SB"

# --- a form token replayed on the other server is stored once -------------------
token=$(BASE=$SA fresh_token what-matters)
submit() {  # submit BASE TOKEN: prints the status
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$2" -d most-important=talk \
		-d "make-better[]=sport" -d age=14-15 -d district=northvale "$1/s/what-matters"
}
check_eq "an answer sent to A is stored (303)" "$(submit "$SA" "$token")" 303
second=$(submit "$SB" "$token")
check "  ... the same form sent to B is not stored again (status $second)" test "$second" != 500
check_eq "  ... one response in the database" "$(q 'SELECT count(*) FROM responses')" 1
check_eq "  ... counted once" "$(q "SELECT responses FROM survey_counts WHERE survey = 'what-matters'")" 1

# --- drafts for Back are in one server's memory -----------------------------------
t=$(BASE=$SA fresh_token your-area)
req - -d "_token=$t" -d _prg=1 -d _page=1 -d feel-safe=3 -d _action=next "$SA/s/your-area"
draft=${R#* }
check "a step sent to A goes to its draft there ($R)" test "$(status_of "$draft")" = 200
check_eq "  ... which B, not holding it, says has expired (410, nobody's answers)" "$(status_of "${draft/$SA/$SB}")" 410

# --- a staff session works on both; a tally change sent to both counts once ------
J="$TMP/kai.jar"
CS=$(BASE=$SA sign_in "$J" kai)
check "kai signs in on A" test "${#CS}" -eq 64
req "$J" "$SB/staff/events"
check_eq "  ... and B knows the session" "$R" "200 "
req "$J" -d "_csrf=$CS&name=Fair&day=2027-06-01&consultation=cyp-plan-2027" "$SB/staff/events"
EV=$(echo "$R" | sed -n "s|^303 $SB/staff/events/\([0-9][0-9]*\)\$|\1|p")
check "  ... and starts an event there with A's CSRF token" test -n "$EV"
EV=${EV:-0}
tap() {  # tap BASE CLIENT_ID: a tap as the tally page sends it
	req "$J" -H 'Accept: application/json' -d "_csrf=$CS&priority=2&theme=online-safety&delta=1&client_id=$2" \
		"$1/staff/events/$EV/tally"
}
tap "$SA" t-1
check_eq "a tap sent to A counts" "$R $(cat "$B")" '200  {"count":1,"replayed":false}'
tap "$SB" t-1
check_eq "  ... the same tap sent to B is a replay" "$R $(cat "$B")" '200  {"count":1,"replayed":true}'
tap "$SB" t-2
check_eq "  ... a new one on B makes 2" "$R $(cat "$B")" '200  {"count":2,"replayed":false}'
check_eq "  ... two changes stored" "$(q "SELECT count(*) FROM tally_changes WHERE event_id = $EV")" 2

# --- the projector's totals agree ---------------------------------------------------
req "$J" -d "_csrf=$CS" "$SA/staff/events/$EV/display"   # the page that shows the new link
T=$(sed -n 's|.*id="display-url" readonly[^>]*value="[^"]*/display/\([^"]*\)".*|\1|p' "$B")
check "a projector link is made on A" test -n "$T"
req - "$SA/display/$T.json"; from_a=$(cat "$B")
req - "$SB/display/$T.json"; from_b=$(cat "$B")
check "  ... and B shows it" test "$R" = "200 "
check_eq "  ... with the same totals as A" "$from_b" "$from_a"
check "  ... which hold the two taps" grep -q '"count":2\|: *2' <<<"$from_a"

# --- one analysis session across the servers ----------------------------------------
# store_analysis_hold: an advisory lock on a connection of its own, gone
# with the connection (docs/postgresql.md).
check_eq "two free-text answers to analyse" "$(BASE=$SA answer_in_words 'more buses at night' 'a youth club near me')" 2
JA="$TMP/ada.jar"
CA=$(BASE=$SA sign_in "$JA" ada 'a long enough password')
AN=/staff/consultations/cyp-plan-2027/analyse
analyse_open() {  # analyse_open BASE: opens the analysis there as ada
	req "$JA" --data-urlencode "_csrf=$CA" --data-urlencode "passphrase=$(cat "$TEST_PASSPHRASE_FILE")" -d pass=1 \
		"$1$AN/open"
}
ended_lost() { [ "$(q "SELECT count(*) FROM audit WHERE action = 'ended analysis' AND detail LIKE '%: the database connection was lost'")" -ge 1 ]; }
analyse_open "$SA"
check_eq "an analysis opened on A" "$R" "303 $SA$AN"
analyse_open "$SB"
check_eq "  ... another cannot open on B while it is open (409)" "${R% }" 409
check "  ... which says it is in use on another server" grep -q 'in use on another of this service' "$B"
check "  ... what to do if it is one's own, and when it ends if idle" bash -c "grep -q 'keep staff pages on one server' '$B' && grep -q 'ends after 30 minutes unused' '$B'"
req "$JA" --data-urlencode "_csrf=$CA" "$SA$AN/end"
analyse_open "$SB"
check_eq "  ... once ended on A, it opens on B" "$R" "303 $SB$AN"
check_eq "the lock's connection of B lost (terminated) ..." \
	"$(q "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7917015 AND objsubid = 1) t")" 1
analyse_open "$SA"
check_eq "  ... lets A open at once" "$R" "303 $SA$AN"
for _ in $(seq 1 50); do ended_lost && break; sleep 0.1; done  # B checks every 2 s: 5 s at most
check "  ... and B ends its analysis by itself, audit-logged" ended_lost
req "$JA" "$SB$AN"
check_eq "  ... B's page asks for the passphrase again" "${R% }" 200
check "  ... and shows no answer" bash -c "grep -q 'name=\"passphrase\"' '$B' && no_match -q -e 'more buses at night' -e 'a youth club near me' '$B'"
kill -KILL "$SA_PID"; wait "$SA_PID" 2>/dev/null; SA_PID=
analyse_open "$SB"
check_eq "A killed (SIGKILL) while analysing: B can open at once" "$R" "303 $SB$AN"
req "$JA" --data-urlencode "_csrf=$CA" "$SB$AN/end"
start_named SA --rate-limit 0 || { fail "server A starts again"; finish; exit 1; }

# --- rate limiting is per server --------------------------------------------------
kill -TERM "$SA_PID" "$SB_PID"; wait "$SA_PID" "$SB_PID"; SA_PID= SB_PID=
start_named SA --rate-limit 2 || { fail "server A starts again"; finish; exit 1; }
start_named SB --rate-limit 2 || { fail "server B starts again"; finish; exit 1; }
burst() {  # burst BASE N: N answers from one client; prints the statuses
	local i
	for i in $(seq 1 "$2"); do
		printf '%s ' "$(submit "$1" "$(BASE=$1 fresh_token what-matters)")"
	done
}
a_statuses=$(burst "$SA" 4)
check "a client over A's limit is refused there (429): $a_statuses" grep -q 429 <<<"$a_statuses"
check_eq "  ... and B, counting its own, takes the next" "$(submit "$SB" "$(BASE=$SB fresh_token what-matters)")" 303
kill -TERM "$SA_PID" "$SB_PID"; wait "$SA_PID" "$SB_PID"; SA_PID= SB_PID=

# --- SIGKILL of one server under load loses no acknowledged response ------------------
start_named SA --rate-limit 0 || { fail "server A starts for the load"; finish; exit 1; }
start_named SB --rate-limit 0 || { fail "server B starts for the load"; finish; exit 1; }
before=$(q 'SELECT count(*) FROM responses')
# load BASE FILE: answers sent one after another for at most 8 s or 400
# answers; each acknowledged one (303) is a line in FILE.
load() {
	local end=$((SECONDS + 8)) i=0 t s
	while [ $SECONDS -lt $end ] && [ $i -lt 400 ]; do
		i=$((i + 1))
		t=$(curl -s --max-time 5 "$1/s/what-matters" | sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
		[ -n "$t" ] || continue
		s=$(submit "$1" "$t")
		echo "$s" >>"$TMP/statuses"
		[ "$s" = 303 ] && echo "$t" >>"$2"
	done
}
: >"$TMP/acked-a"; : >"$TMP/acked-b"
load "$SA" "$TMP/acked-a" & LA=$!
load "$SB" "$TMP/acked-b" & LB=$!
sleep 3
kill -KILL "$SA_PID"; wait "$SA_PID" 2>/dev/null; SA_PID=
wait "$LA" "$LB"
acked=$(( $(wc -l <"$TMP/acked-a") + $(wc -l <"$TMP/acked-b") ))
stored=$(( $(q 'SELECT count(*) FROM responses') - before ))
check "answers were acknowledged by both servers ($(wc -l <"$TMP/acked-a") by A before its SIGKILL, $(wc -l <"$TMP/acked-b") by B)" \
	test "$(wc -l <"$TMP/acked-a")" -gt 0 -a "$(wc -l <"$TMP/acked-b")" -gt 0
check "  ... every acknowledged answer is stored ($stored stored, $acked acknowledged)" test "$stored" -ge "$acked"
check_eq "  ... and counted as stored" "$(q "SELECT responses FROM survey_counts WHERE survey = 'what-matters'")" \
	"$(q "SELECT count(*) FROM responses WHERE survey = 'what-matters'")"
kill -TERM "$SB_PID"; wait "$SB_PID"; SB_PID=

# --- PostgreSQL restarted under load: 503 with the answers kept, then recovery ---------
start_named SA --rate-limit 0 || { fail "server A starts for the restart"; finish; exit 1; }
start_named SB --rate-limit 0 || { fail "server B starts for the restart"; finish; exit 1; }
before=$(q 'SELECT count(*) FROM responses')
: >"$TMP/acked-a"; : >"$TMP/acked-b"; : >"$TMP/statuses"
load "$SA" "$TMP/acked-a" & LA=$!
load "$SB" "$TMP/acked-b" & LB=$!
t=$(BASE=$SA fresh_token what-matters)
sleep 1
pg_pause  # the postmaster stopped (fast shutdown), its data kept
got=$(curl -s -w '\n%{http_code}' --max-time 30 -d "_token=$t" -d most-important=talk -d "make-better[]=sport" \
	-d age=14-15 -d district=northvale --data-urlencode "tell-us=kept through the outage" "$SA/s/what-matters")
check_eq "with PostgreSQL down, an answer gets 503" "$(tail -n 1 <<<"$got")" 503
check "  ... and its page keeps what was typed" grep -q 'kept through the outage' <<<"$got"
t2=$(BASE=$SB fresh_token what-matters)
check_eq "  ... and on B too" "$(submit "$SB" "${t2:-none}")" 503
pg_resume
ok=0
for _ in $(seq 1 50); do  # tenths of a second: the servers reconnect by themselves
	[ "$(submit "$SA" "$(BASE=$SA fresh_token what-matters)")" = 303 ] && ok=1 && break
	sleep 0.1
done
check "after PostgreSQL is back, A stores answers again without a restart" test $ok = 1
check_eq "  ... and so does B" "$(submit "$SB" "$(BASE=$SB fresh_token what-matters)")" 303
check_eq "  ... the answer sent again with its token is stored" "$(submit "$SA" "$t")" 303
wait "$LA" "$LB"
acked=$(( $(wc -l <"$TMP/acked-a") + $(wc -l <"$TMP/acked-b") ))
stored=$(( $(q 'SELECT count(*) FROM responses') - before - 3 ))
check "the load through the restart got only 303 and 503: $(sort "$TMP/statuses" | uniq -c | tr -s ' \n' ' ')" \
	test -z "$(grep -v -x -e 303 -e 503 "$TMP/statuses")"
check "  ... 503s while it was down" grep -q -x 503 "$TMP/statuses"
check "  ... and every answer acknowledged is stored ($stored stored, $acked acknowledged)" test "$stored" -ge "$acked"
check_eq "no column of the database has a date or time type (docs/threat-model.md)" \
	"$(q "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND (data_type LIKE 'time%' OR data_type LIKE '%date%' OR data_type = 'interval')")" 0
check "  ... and a dump of it holds no time of day" bash -c "sqlite3 '$DB' .dump | no_match -E '[0-9]{2}:[0-9]{2}:[0-9]{2}' -"
check "the servers never logged a client address or a time of day" \
	bash -c "cat '$TMP/SA.log' '$TMP/SB.log' | no_match -E '127\.0\.0\.1:[0-9]+ |[0-9]{2}:[0-9]{2}:[0-9]{2}' -"
finish
