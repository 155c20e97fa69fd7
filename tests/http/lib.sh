# tests/http/lib.sh - shared helpers for the HTTP tests (sourced).
#
# Starts the real survey-server on 127.0.0.1 on a port the kernel picks,
# with a temporary data folder, and stops it by its PID.  Counts checks and
# ends with "N passed, M failed".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
SERVER_BIN="$ROOT/$BUILD/bin/survey-server"
EXPORT_BIN="$ROOT/$BUILD/bin/survey-export"
TMP=$(mktemp -d)
SERVER_PID=
SERVER_LOG="$TMP/server.log"
BASE=
PASSED=0
FAILED=0

cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# no_match GREP_ARGS...: passes when grep finds nothing in what it was
# given, and only after reading something.  "! grep" passed when its file
# was missing (grep's exit 2) or empty; here grep must exit 1, the files
# named must be there, and at least one of them (or a folder's files, for
# -r) must hold something.  A file named "-" is standard input, which then
# must not be empty.  Exported, so that checks run through bash -c can call it.
no_match() {
	local a named=0 full=0 stdin=0
	for a in "$@"; do
		if [ "$a" = - ]; then
			stdin=1
		elif [ -d "$a" ]; then
			named=1
			[ -n "$(find "$a" -type f -size +0 -print -quit)" ] && full=1
		elif [ -e "$a" ]; then
			named=1
			[ -s "$a" ] && full=1
		fi
	done
	if [ $stdin = 1 ] && [ $named = 0 ]; then
		# Through a file, not $(cat): binary input keeps its NUL bytes.
		local input status
		input=$(mktemp)
		cat >"$input"
		if [ ! -s "$input" ]; then
			rm -f "$input"
			echo "no_match: nothing on standard input (grep $*)" >&2
			return 1
		fi
		grep "$@" <"$input" >/dev/null
		status=$?
		rm -f "$input"
		return $((status != 1))
	else
		[ $full = 1 ] || { echo "no_match: no file, or nothing in it (grep $*)" >&2; return 1; }
		grep "$@" >/dev/null
	fi
	[ $? = 1 ]
}
export -f no_match

# type_at_prompts TTYFILE PROMPT LINE...: writes each LINE to standard output
# once the terminal's transcript TTYFILE shows PROMPT (a grep pattern) one
# more time, as a person types after reading the prompt; pipe it into
# `script ... >TTYFILE`.  Waits up to 30 s a prompt: a command may first open
# (and on PostgreSQL migrate) a database.  Remove TTYFILE before the pipe.
type_at_prompts() {
	local tty=$1 prompt=$2 seen=0 tries line
	shift 2
	for line in "$@"; do
		seen=$((seen + 1))
		for ((tries = 0; tries < 300; tries++)); do
			[ "$(grep -c -- "$prompt" "$tty" 2>/dev/null)" -ge $seen ] 2>/dev/null && break
			sleep 0.1
		done
		[ $tries -lt 300 ] || return 1
		printf '%s\n' "$line"
	done
}

# folder_bytes DIR: every file under DIR as one stream, for `no_match ... -`
# (grep -r would do, but a running server's tidy may remove its WAL while
# grep walks the folder, and grep's exit 2 then reads as a find).  On
# PostgreSQL (pg_mode.sh) the folder's database too.
folder_bytes() { find "$1" -type f -exec cat {} + 2>/dev/null; }
export -f folder_bytes

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# ensure_key DATA_DIR: a key pair made by keygen where the folder has none,
# as an operator does first: with no terminal, serve makes no key (its
# passphrase could only be shown in a log).  The passphrase is in
# $TEST_PASSPHRASE_FILE.
TEST_PASSPHRASE_FILE="$TMP/test-passphrase"
ensure_key() {
	[ -f "$1/keys/active" ] && return 0
	printf 'a passphrase for the tests only\n' >"$TEST_PASSPHRASE_FILE"
	"$SERVER_BIN" keygen --data "$1" --passphrase-file "$TEST_PASSPHRASE_FILE" >/dev/null </dev/null
}

# start_server DATA_DIR [FORMS_DIR [MORE SERVE OPTIONS...]]: sets SERVER_PID and
# BASE.  Makes a key first (ensure_key) unless NO_KEYGEN=1.  The server
# requires a second factor of commissioners and admins by default; suites
# that are not about accounts sign them in with a password alone, so this
# passes --second-factor optional unless SECOND_FACTOR=required
# (test_accounts.sh, which enrols everyone it signs in).
start_server() {
	local data=$1 forms=${2:-$ROOT/forms}
	shift $(($# < 2 ? $# : 2))
	if [ "${NO_KEYGEN:-0}" != 1 ] && ! ensure_key "$data"; then
		echo "keygen failed for $data"
		return 1
	fi
	: >"$SERVER_LOG"
	"$SERVER_BIN" serve --data "$data" --listen 127.0.0.1:0 --forms "$forms" \
		--second-factor "${SECOND_FACTOR:-optional}" "$@" 2>>"$SERVER_LOG" &
	SERVER_PID=$!
	local port=
	for _ in $(seq 1 "${START_TRIES:-300}"); do  # tenths of a second
		port=$(sed -n 's|^survey-server: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$SERVER_LOG")
		[ -n "$port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		echo "server did not start:"; cat "$SERVER_LOG"
		SERVER_PID=
		return 1
	fi
	BASE="http://127.0.0.1:$port"
}

# start_nolock_server DATA ARGS...: start_server DATA with the forms and
# ARGS, the server unable to lock memory (no CAP_IPC_LOCK, a memory-lock
# limit of 0, as an unprivileged service under a tight LimitMEMLOCK); fails
# if mlock still works under the wrapper (a test of it would test nothing).
start_nolock_server() {
	local wrap=(prlimit --memlock=0:0) data=$1 real=$SERVER_BIN status
	shift
	[ "$(id -u)" = 0 ] && wrap=(setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock -- "${wrap[@]}")
	"${wrap[@]}" /usr/bin/python3 -c 'import ctypes, sys
buf = ctypes.create_string_buffer(4096)
sys.exit(ctypes.CDLL(None).mlock(buf, 4096) == 0)' || { echo "mlock still works under ${wrap[*]}"; return 1; }
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${wrap[*]}" "$real" >"$TMP/nolock-server" &&
		chmod +x "$TMP/nolock-server" || return 1
	SERVER_BIN="$TMP/nolock-server"
	start_server "$data" "$ROOT/forms" "$@"
	status=$?
	SERVER_BIN=$real
	return $status
}

# asan_build: 0 if the server is built with AddressSanitizer (whose mlock
# does nothing and reports success).
asan_build() { ldd "$SERVER_BIN" | grep -q libasan; }

# stop_server: SIGTERM, then the exit status must be 0.
stop_server() {
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"
	local status=$?
	SERVER_PID=
	return $status
}

# status_of CURL_ARGS...: prints only the HTTP status.
status_of() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$@"
}

# fresh_token SURVEY: the one-time token from a freshly fetched form.
fresh_token() {
	curl -s --max-time 20 "$BASE/s/$1" | sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}

# answer_in_words TEXT...: a what-matters response for each TEXT, in words
# in "tell-us" (and "talk", sport, 14-15, Northvale); prints how many were
# stored.
answer_in_words() {
	local n=0 t s
	for t in "$@"; do
		s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
			-d most-important=talk -d "make-better[]=sport" -d age=14-15 -d district=northvale \
			--data-urlencode "tell-us=$t" "$BASE/s/what-matters")
		[ "$s" = 303 ] && n=$((n + 1))
	done
	echo "$n"
}

# sign_in JAR NAME [PASSWORD]: signs a member of staff in, keeping the
# session in the curl cookie jar JAR; prints the session's CSRF token.
STAFF_PASSWORD="a youth worker password"
sign_in() {
	local jar=$1 token
	token=$(curl -s -c "$jar" -b "$jar" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" --data-urlencode "name=$2" \
		--data-urlencode "password=${3:-$STAFF_PASSWORD}" "$BASE/staff/login"
	curl -s -b "$jar" "$BASE/staff/events" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}

# add_staff DATA NAME:ROLE...: staff accounts, each with $STAFF_PASSWORD.
add_staff() {
	local data=$1 who
	shift
	printf '%s\n' "$STAFF_PASSWORD" >"$TMP/staff-password"
	for who in "$@"; do
		"$SERVER_BIN" user add --data "$data" --name "${who%%:*}" --role "${who#*:}" \
			--password-file "$TMP/staff-password" >/dev/null || return 1
	done
}

# sqlite3 ...: the tests read the live server's database with the sqlite3
# tool; the server's tidier holds it alone for a moment when writes pause
# (core/store_tidy.c), so wait for it as the server's own readers do,
# instead of reading nothing.
sqlite3() { command sqlite3 -cmd '.timeout 5000' "$@"; }

# hold_write_lock DB: another process takes SQLite's write lock on DB and
# keeps it until release_write_lock (or the test's folder is gone); returns
# once the lock is held.
hold_write_lock() {
	(echo 'BEGIN IMMEDIATE;'; while [ ! -e "$TMP/release" ] && [ -d "$TMP" ]; do sleep 0.1; done; echo 'COMMIT;') |
		sqlite3 -cmd '.timeout 5000' "$1" &
	LOCK_HOLDER=$!
	for _ in $(seq 1 50); do
		command sqlite3 "$1" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || break
		sleep 0.1
	done
}
release_write_lock() {
	touch "$TMP/release"
	wait "$LOCK_HOLDER"
	rm -f "$TMP/release"
}

# req JAR CURL_ARGS...: one request (JAR "-" for no cookies); sets R to
# "status redirect", and H and B to the files with its headers and body
# (in $TMP/r); it gives up after REQ_MAX_TIME seconds (20 unless set).
# Suites that send a client address define their own.
N=0
req() {
	local jar=$1
	shift
	N=$((N + 1))
	mkdir -p "$TMP/r"
	H="$TMP/r/$N.h"
	B="$TMP/r/$N.b"
	local args=(-s --max-time "${REQ_MAX_TIME:-20}" -D "$H" -o "$B" -w '%{http_code} %{redirect_url}')
	[ "$jar" != - ] && args+=(-b "$jar" -c "$jar")
	R=$(curl "${args[@]}" "$@")
}

# The steps of signing in with a second factor (test_accounts.sh and the
# browser suite of the account pages), each a req (R, H, B as there).
# TOTP computes a code (RFC 6238) from a base32 secret, STEPS ahead of now.
# Python is Debian's (/usr/bin/python3: scripts/install-deps.sh installs it
# with python3-openpyxl), never the first on PATH: a pyenv shim there costs
# half a second of CPU a call (test_runall checks no suite calls another).
TOTP="/usr/bin/python3 $ROOT/tests/http/totp.py"
csrf_of() { sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$1" | head -n 1; }
# progress_line FIRST LAST TOTAL TEXT: the progress line as served, with the
# counts respond.js starts from when it reveals a follow-up.
progress_line() {
	printf '<p class="progress" id="progress" data-first="%s" data-last="%s" data-total="%s" data-one="Question {n} of {total}" data-many="Questions {n} to {last} of {total}">%s</p>' "$@"
}
# A token one hex digit away from $1: a forgery that can never equal it.
forged_of() { printf '%s%s' "${1%?}" "$([ "${1: -1}" = 0 ] && echo 1 || echo 0)"; }
value_of() { sed -n "s/.*name=\"$2\" value=\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1; }
# password JAR NAME PASSWORD: the password step; R is its answer.  Each
# sign-in names its own address, so that a server started with --proxy
# 127.0.0.1 does not throttle a suite's many sign-ins as one client's.
CLIENT=0
password() {
	CLIENT=$((CLIENT + 1))
	local from="X-Forwarded-For: 192.0.2.$CLIENT" t
	req "$1" -H "$from" "$BASE/staff/login"
	t=$(csrf_of "$B")
	req "$1" -H "$from" --data-urlencode "_csrf=$t" --data-urlencode "name=$2" --data-urlencode "password=$3" \
		"$BASE/staff/login"
}
# code JAR CODE: the code step; R is its answer.
code() {
	req "$1" "$BASE/staff/login/code"
	local t
	t=$(csrf_of "$B")
	req "$1" --data-urlencode "_csrf=$t" --data-urlencode "code=$2" "$BASE/staff/login/code"
}
# enrol JAR: sets SECRET and RECOVERY (the codes' page) for a session at the enrol step.
enrol() {
	req "$1" "$BASE/staff/login/enrol"
	SECRET=$(sed -n 's/.*id="totp-secret">\([A-Z2-7 ]*\)<.*/\1/p' "$B" | tr -d ' ')
	local t p
	t=$(csrf_of "$B")
	p=$(value_of "$B" pending)
	req "$1" --data-urlencode "_csrf=$t" --data-urlencode "pending=$p" --data-urlencode "code=$($TOTP "$SECRET")" \
		"$BASE/staff/login/enrol"
	RECOVERY="$B"
}

# sqlite_only DESCRIPTION COMMAND...: check, for what is about SQLite's own
# file (its journal, locks, PRAGMAs, the file's bytes); on PostgreSQL
# (YV_HTTP_PG=1) not run, and counted aloud: finish says how many.
SQLITE_ONLY=0
sqlite_only() {
	if [ "${YV_HTTP_PG:-0}" = 1 ]; then
		SQLITE_ONLY=$((SQLITE_ONLY + 1))
		echo "skip - $1 (about SQLite's file: not on PostgreSQL)"
	else
		check "$@"
	fi
}

# pragma_is DB PRAGMA WANT: SQLite's PRAGMA answers WANT (for sqlite_only).
pragma_is() { [ "$(sqlite3 "$1" "PRAGMA $2")" = "$3" ]; }

finish() {
	[ "$SQLITE_ONLY" -gt 0 ] && echo "# $SQLITE_ONLY checks about SQLite's file not run on PostgreSQL"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# YV_HTTP_PG=1: the suite runs on PostgreSQL (tests/http/pg_mode.sh).
if [ "${YV_HTTP_PG:-0}" = 1 ]; then
	# shellcheck source=pg_mode.sh
	. "$ROOT/tests/http/pg_mode.sh"
fi
