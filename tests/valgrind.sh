#!/usr/bin/env bash
# tests/valgrind.sh (make valgrind) - the release build of survey-server
# under valgrind --leak-check=full: it serves a few hundred requests
# (survey forms and answers, the multi-page survey, staff sign-in, staff
# pages, tally taps, a focus group, the CSV export, errors), is stopped with
# SIGTERM, and must exit 0 with no valgrind error and no definitely or
# indirectly lost memory.  PCRE2's JIT is turned off (YOUTHVOICE_NO_JIT=1):
# valgrind reports false uninitialised values inside JIT code.  Too slow for
# make test (about 1-3 minutes); ends with "N passed, M failed".
BUILD=${BUILD:-build}
. "$(dirname "$0")/http/lib.sh"

command -v valgrind >/dev/null || { fail "valgrind is installed (make deps)"; finish; exit 1; }
DATA="$TMP/data"
VLOG="$TMP/valgrind.log"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts are added"
ensure_key "$DATA" || fail "keygen makes the key (outside valgrind: Argon2id there takes minutes)"
REAL_BIN=$SERVER_BIN
printf '#!/bin/sh\nYOUTHVOICE_NO_JIT=1 exec valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \\\n  --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30 --log-file="%s" "%s" "$@"\n' \
	"$VLOG" "$REAL_BIN" >"$TMP/under-valgrind"
chmod 755 "$TMP/under-valgrind"
SERVER_BIN="$TMP/under-valgrind"
START_TRIES=1800 start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "the server starts under valgrind"; cat "$VLOG"; finish; exit 1; }
SERVER_BIN=$REAL_BIN

codes="$TMP/codes"
: >"$codes"
get() { curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$@" >>"$codes"; }
ANSWER="most-important=talk&make-better%5B%5D=sport&tell-us=ring+07700+900123+%3Cb%3E&age=14-15&district=eastbrook"
for i in $(seq 1 60); do
	get "$BASE/"
	get "$BASE/s/what-matters"
	get -d "_token=$(fresh_token what-matters)&$ANSWER" "$BASE/s/what-matters"
done
for i in $(seq 1 15); do
	get "$BASE/s/your-area?_lang=ur"
	get -d "_page=1&_action=next" "$BASE/s/your-area"
	get -d "tell-us=%zz" "$BASE/s/what-matters"
	get "$BASE/nope"
	get -X DELETE "$BASE/"
	get "$BASE/static/style.css"
	get -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' a)" "$BASE/healthz"
done
CY=$(sign_in "$TMP/y" kai)
CC=$(sign_in "$TMP/c" cleo)
check "staff sign in under valgrind" test -n "$CY" -a -n "$CC"
curl -s -o /dev/null -b "$TMP/y" -d "_csrf=$CY&name=Fair&day=2027-06-01&consultation=cyp-plan-2027" "$BASE/staff/events"
curl -s -o /dev/null -b "$TMP/y" -d "_csrf=$CY&consultation=cyp-plan-2027&day=2026-11-20&district=North&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
for i in $(seq 1 20); do
	get -b "$TMP/y" "$BASE/staff/events/1"
	get -b "$TMP/y" -H 'Accept: application/json' -d "_csrf=$CY&priority=2&theme=online-safety&delta=1&client_id=v-$i" "$BASE/staff/events/1/tally"
	get -b "$TMP/y" -d "_csrf=$CY&text=Late+clubs+$i&themes[]=bullying" "$BASE/staff/groups/1/messages"
	get -b "$TMP/c" "$BASE/staff/export/themes.csv?consultation=cyp-plan-2027"
	get -b "$TMP/c" "$BASE/staff/consultations/cyp-plan-2027/themes"
done
get -b "$TMP/y" -d "_csrf=$CY&kind=quote&no_names=yes&text=A+quote" "$BASE/staff/groups/1/sealed"
get -b "$TMP/y" -d "_csrf=$CY" "$BASE/staff/logout"
total=$(wc -l <"$codes")
check "a few hundred requests were served ($total)" test "$total" -ge 300
check_eq "none timed out or failed to connect" "$(grep -c '^000$' "$codes")" "0"
check_eq "every answer was stored" "$(sqlite3 "$DATA/youthvoice.db" 'SELECT count(*) FROM responses')" "60"
check "the server stops on SIGTERM with status 0 (valgrind's error status is 99)" stop_server
# With --quiet the log holds only what valgrind found (and a warning about
# Argon2's large allocations, which is not an error).
check "valgrind reports no memory error" bash -c "no_match -qE 'Invalid (read|write|free)|uninitialised|Mismatched free|Syscall param|overlap' '$VLOG'"
check "valgrind reports no definitely or indirectly lost block" bash -c "no_match -qE 'definitely lost|indirectly lost' '$VLOG'"
if [ -s "$VLOG" ]; then
	echo "valgrind said:"
	head -n 60 "$VLOG"
fi
finish
