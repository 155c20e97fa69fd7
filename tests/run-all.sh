#!/usr/bin/env bash
# Runs the test suites and sums their results.  Every suite prints its own
# "N passed, M failed" as its last such line; a suite that ends without one
# (a crash) counts as one failure.  Ends with the total line and exits
# non-zero if anything failed.
#
#   BUILDS="build build-san" tests/run-all.sh [all|unit|http|fuzz|browser]
#
# "all" is what make test runs: the unit suites once per build folder in
# BUILDS, the HTTP suites once per build folder in HTTP_BUILDS (default:
# BUILDS), those named below a second time on PostgreSQL, and a short run
# of every fuzz target (build-fuzz/, FUZZ_SECONDS each, default 3; `make
# fuzz` runs them for longer).  HTTP suites named in
# FIRST_BUILD_ONLY check what does not depend on the build (headers), so
# they run on the first build that runs HTTP suites only.
#
# "browser" (make browser; CI runs it after make test) drives Chromium
# through every page a person sees, on the first build: page-audit loads
# each page three times, so these suites take longer than make test's
# budget and are their own target, like make fuzz.
#
# Suites run in LANES lanes side by side (default 2, BROWSER_LANES for the
# browser suites): each lane takes the next suite no lane has taken.  The
# suites wait on their servers, on Chromium and on fsync as much as they
# compute, so two lanes fill two cores.  Every suite starts its own servers
# on free ports in its own temporary folder, so lanes never share state.
set -u
cd "$(dirname "$0")/.."
BUILDS=${BUILDS:-build}
HTTP_BUILDS=${HTTP_BUILDS:-$BUILDS}
which=${1:-all}
FIRST_BUILD_ONLY="test_headers test_container test_ci test_runall"
# PostgreSQL (issue 17, docs/postgresql.md).  Unit suites that run a second
# time against PostgreSQL, each with a throw-away server of its own from
# tests/pg/pg.sh (which sets YV_TEST_DB); HTTP suites that run a second time
# on PostgreSQL (YV_HTTP_PG=1: tests/http/pg_mode.sh): those in
# PG_HTTP_SUITES in a run of all suites (make SANITIZE=1 test), every one
# in PG_HTTP_ALL in make http.  The unit suites on the builds that run HTTP
# suites (make test: the sanitizer build), the HTTP suites on
# PG_HTTP_BUILDS (below; make test: none).  A suite not in PG_HTTP_ALL is
# about SQLite's own file (test_failsafe's lock and full disk, test_backup's
# copies, test_keys_migrate's old folders), runs the server as a user who
# cannot reach the test cluster (test_headers), or needs no database
# (test_lib, test_slowloris, test_db_option, the harness's own);
# test_two_servers is always on PostgreSQL.
PG_UNIT_SUITES="test_db test_store_both test_rounds_store test_display_store test_accounts_store
	test_staff_store test_focus_store test_analysis_store test_decisions_store test_ballot_store
	test_survey_store"
PG_HTTP_SUITES="survey staff tally export accounts"
PG_HTTP_ALL="$PG_HTTP_SUITES allow analyse ballot builder cli conskeys consult crash disclosure
	display flow focus forms help hostile keys kiosk padding privacy results rounds staff_pages
	yousaid your_account"
# The builds that run the PostgreSQL pass of the HTTP suites (with
# test_two_servers).  Unset: the builds in HTTP_BUILDS.  Set and empty:
# none, as in make test, whose 15 minutes it would overrun: make http (CI
# runs it after make test) runs the whole pass on the release build, and
# the store's PostgreSQL unit suites (PG_UNIT_SUITES) stay in make test.
PG_HTTP_BUILDS=${PG_HTTP_BUILDS-$HTTP_BUILDS}
# HTTP suites that run on PostgreSQL only, so with the PostgreSQL pass.
PG_ONLY="test_two_servers"

# The suites' temporary folders (every mktemp -d of tests/http/lib.sh, each
# throw-away PostgreSQL of tests/pg/pg.sh) go on a RAM-backed tmpfs where
# /dev/shm is one with room to spare: on this 2-core machine the same suites
# took a quarter less wall time there than on the disk (ext4), for the same
# CPU, since nothing waits for fsync.  The code is the same either way (the
# server still fsyncs and checks each result); only the wait differs.  Made
# like /tmp (sticky, writable by all: pg.sh's cluster runs as postgres,
# test_headers' server as nobody) and named .../tmp, so that every path in
# it still holds "/tmp/" as the suites' checks that no page shows a file
# path expect; removed at the end.  Elsewhere (a container's small
# /dev/shm) they stay in TMPDIR.  YV_TEST_TMPFS=0 turns this off.
ramdir=
if [ "${YV_TEST_TMPFS:-1}" = 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	[ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 4194304 ] 2>/dev/null &&
	ramdir=$(mktemp -d /dev/shm/yv-tests.XXXXXX); then
	chmod 0755 "$ramdir" && mkdir "$ramdir/tmp" && chmod 1777 "$ramdir/tmp" && export TMPDIR=$ramdir/tmp
fi
logdir=$(mktemp -d)
trap 'rm -rf "$logdir" ${ramdir:+"$ramdir"}' EXIT

# run_suite NAME COMMAND...: runs one suite with its output in a log, then
# prints its line (and a failure's log) in one piece, under a lock so that
# lanes' reports do not interleave.  Adds to the lane's passed and failed.
run_suite() {
	local name=$1
	shift
	local log="$logdir/$(echo "$name" | tr '/ []' '____').log"
	local start=$SECONDS
	# In a subshell, so that `times` gives the CPU the suite and its
	# servers used: the wall time alone says little when lanes share cores.
	( "$@" >"$log" 2>&1 </dev/null; status=$?; times >"$log.times"; exit $status )
	local status=$?
	local cpu
	cpu=$(awk 'NR == 2 { n = split($1 " " $2, t, " "); s = 0
		for (i = 1; i <= n; i++) { split(t[i], ms, "m"); s += ms[1] * 60 + ms[2] }
		printf "%d", s + 0.5 }' "$log.times" 2>/dev/null)
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	local p=0 f=1
	if [ -n "$line" ]; then
		p=$(echo "$line" | awk '{print $1}')
		f=$(echo "$line" | awk '{print $3}')
		# A suite that says it passed but exits non-zero still failed.
		if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then f=1; fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	{
		if [ "$f" -eq 0 ]; then
			printf 'ok    %-34s %4d passed  (%ds, %ss CPU)\n' "$name" "$p" $((SECONDS - start)) "${cpu:-?}"
		else
			printf 'FAIL  %-34s %4d passed, %d failed (exit %d)\n' "$name" "$p" "$f" "$status"
			sed 's/^/      | /' "$log" | grep -v '^      | ok ' | tail -n 40
		fi
	} >"$log.report"
	flock "$logdir/print.lock" cat "$log.report"
}

# The queue: one line per suite, "NAME<tab>BUILD<tab>COMMAND", in the order
# lanes take them.  Suites in SOLO hold promises measured in wall time (the
# WAL emptied within seconds under steady writes, a crowd of slow clients
# held at its cap for a few seconds), so they go to a second queue that one
# lane runs after the others, with the cores to itself.
SOLO="test_store_rest test_slowloris"
# The HTTP suites (on every build, SQLite and PostgreSQL) are queued before
# the unit suites, the harness's and the fuzz run: a lane that takes a long
# suite last would end minutes after the others, while the short suites at
# the end fill the lanes that are done first.
queue="$logdir/queue"
long="$logdir/queue.long"
solo="$logdir/solo"
: >"$queue"
: >"$long"
: >"$solo"
enqueue() {
	local to=$queue
	[[ "$1" == http/* ]] && to=$long
	[[ " $SOLO " == *" $(basename "${3##* }" .sh) "* ]] && to=$solo
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$to"
}

# The HTTP and browser suites, longest first (HTTP: from make test under
# ASan+UBSan, 2026-12-02), so that lanes end close together; a suite not
# listed runs after them.
HTTP_ORDER="staff_pages your_account export accounts staff display rounds conskeys analyse hostile keys
	ballot builder help padding survey yousaid results tally kiosk"
BROWSER_ORDER="staff_pages builder analyse report accounts your_account display pages kiosk tally results flow yousaid keys ballot rounds tally_offline"
ordered() {  # ordered DIR "ORDER": the suites of DIR, those named in ORDER first
	local n t order
	order=" $(echo $2) "  # one line, one space between names
	for n in $order; do
		[ -f "$1/test_$n.sh" ] && echo "$1/test_$n.sh"
	done
	for t in "$1"/test_*.sh; do
		n=$(basename "$t" .sh)
		[[ "$order" == *" ${n#test_} "* ]] || echo "$t"
	done
}

# The sanitizer build's suites first: they take longest.
for BUILD in $(printf '%s\n' $BUILDS | sort -r); do
	tag=""
	[ "$BUILD" = build-san ] && tag=" [asan]"
	first=0
	[ "$BUILD" = "${BUILDS%% *}" ] && first=1
	http_first=0
	[ "$BUILD" = "${HTTP_BUILDS%% *}" ] && http_first=1
	if { [ "$which" = all ] || [ "$which" = http ]; } && [[ " $HTTP_BUILDS " == *" $BUILD "* ]]; then
		for t in $(ordered tests/http "$HTTP_ORDER"); do
			[ $http_first = 0 ] && [[ " $FIRST_BUILD_ONLY " == *" $(basename "$t" .sh) "* ]] && continue
			[[ " $PG_ONLY " == *" $(basename "$t" .sh) "* ]] && continue
			enqueue "http/$(basename "$t" .sh)$tag" "$BUILD" "bash $t"
		done
	fi
	if { [ "$which" = all ] || [ "$which" = http ]; } && [[ " $PG_HTTP_BUILDS " == *" $BUILD "* ]]; then
		pg_http=$PG_HTTP_SUITES
		[ "$which" = http ] && pg_http=$PG_HTTP_ALL
		# In HTTP_ORDER's order too: the PostgreSQL pass of a suite takes
		# about as long as its pass on SQLite.
		for t in $(ordered tests/http "$HTTP_ORDER"); do
			n=$(basename "$t" .sh)
			if [[ " $PG_ONLY " == *" $n "* ]]; then
				enqueue "http/$n$tag" "$BUILD" "bash $t"
			elif [[ " $(echo $pg_http) " == *" ${n#test_} "* ]]; then
				enqueue "http/$n [postgresql]$tag" "$BUILD" "env YV_HTTP_PG=1 bash $t"
			fi
		done
	fi
	if [ "$which" = all ] || [ "$which" = unit ]; then
		found=0
		for t in "$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			found=1
			enqueue "unit/$(basename "$t")$tag" "$BUILD" "$t"
		done
		# No unit binaries means the build is broken, not that all is well.
		[ $found = 1 ] || enqueue "unit binaries in $BUILD" "$BUILD" false
		# (Only for suites the build has: test_runall runs this on a
		# made-up build.)
		[ $first = 1 ] && [ -x "$BUILD/tests/test_db" ] &&
			enqueue "pg/test_pg (the harness)" "$BUILD" "bash tests/pg/test_pg.sh"
		if [[ " $HTTP_BUILDS " == *" $BUILD "* ]]; then
			for t in $PG_UNIT_SUITES; do
				[ -x "$BUILD/tests/$t" ] || continue
				enqueue "unit/$t [postgresql]$tag" "$BUILD" "bash tests/pg/pg.sh $BUILD/tests/$t"
			done
		fi
	fi
	if [ $first = 1 ] && { [ "$which" = all ] || [ "$which" = fuzz ]; }; then
		enqueue "fuzz (${FUZZ_SECONDS:-3}s a target)" "$BUILD" \
			"env FUZZ_SECONDS=${FUZZ_SECONDS:-3} bash tests/fuzz/run.sh"
	fi
	if [ $first = 1 ] && [ "$which" = browser ]; then
		for t in $(ordered tests/browser "$BROWSER_ORDER"); do
			enqueue "browser/$(basename "$t" .sh)" "$BUILD" "bash $t"
		done
	fi
done

cat "$queue" >>"$long"
queue=$long
# RUNALL_LIST=1 runs nothing: it prints TMPDIR's line, then the queue
# (NAME<tab>BUILD in the order lanes take them), "--", and the solo queue
# (tests/http/test_runall.sh checks the order and the builds this way).
if [ "${RUNALL_LIST:-0}" = 1 ]; then
	echo "TMPDIR=${TMPDIR:-}"
	cut -f1,2 "$queue"
	echo "--"
	cut -f1,2 "$solo"
	exit 0
fi

# lane QUEUE N: takes the next suite of QUEUE no lane has taken (mkdir is
# the atomic claim) until none is left; its counts go to $logdir/lane.N.counts.
lane() {
	(
		passed=0
		failed=0
		i=0
		while IFS=$'\t' read -r name build command; do
			i=$((i + 1))
			mkdir "$logdir/claim.$(basename "$1").$i" 2>/dev/null || continue
			export BUILD=$build
			# The command's words split here: none of them holds a space.
			run_suite "$name" $command
		done <"$1"
		echo "$passed $failed" >"$logdir/lane.$2.counts"
	)
}

lanes=${LANES:-2}
if [ "$which" = browser ]; then
	bash tests/browser/prepare.sh
	lanes=${BROWSER_LANES:-2}
fi
for n in $(seq 1 "$lanes"); do
	lane "$queue" "$n" &
done
wait
lane "$solo" 0
passed=0
failed=0
for n in $(seq 0 "$lanes"); do
	read -r p f <"$logdir/lane.$n.counts" 2>/dev/null || { p=0; f=1; }
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
