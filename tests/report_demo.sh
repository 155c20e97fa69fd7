#!/usr/bin/env bash
# tests/report_demo.sh - the demo consultation the report is sized for, made
# through the server's real routes: 60 survey responses (what-matters), 3
# focus groups with key messages and quotes, and 1 marketplace event; then
# a commissioner codes the 15 answers in words in "Analyse answers", so the
# report has its free-text column.
#
# Sourced after tests/http/lib.sh (tests/browser/test_report.sh does):
#   build_report_demo DATA PASSFILE   makes the data folder; 0 when all stored
# Or run alone to leave a data folder for `survey-export report`:
#   bash tests/report_demo.sh DATA PASSFILE
#
# Nobody chose "Being safe where I live, including from knife crime", no
# focus group or stall raised knife crime: its row is a true 0 everywhere.
# Few answered from Westfield or outside the county, and the age bands at
# the ends are small, so the report's breakdowns have groups to merge.

# The 60 responses: most-important, make-better (comma-separated), age band,
# district.  Deterministic, so page counts are stable.
report_demo_answers() {
	/usr/bin/python3 - <<'PYTHON'
most = ['talk'] * 16 + ['mental-health'] * 15 + ['online'] * 12 + ['future'] * 9 + ['bullying'] * 8
better = ['sport', 'food', 'transport', 'info', 'carers', 'send', 'housing', 'leaving-care']
weights = [9, 6, 5, 4, 2, 2, 1, 1]
ages = ['11-13'] * 18 + ['14-15'] * 20 + ['16-17'] * 14 + ['8-10'] * 3 + ['18-21'] * 5
districts = ['northvale'] * 20 + ['eastbrook'] * 18 + ['southmere'] * 14 + ['westfield'] * 5 + ['outside'] * 3
pool = [b for b, w in zip(better, weights) for _ in range(w)]
for i in range(60):
    k = 1 + (i * 7) % 3
    picks = []
    for j in range(k):
        o = pool[(i * 11 + j * 5) % len(pool)]
        if o not in picks:
            picks.append(o)
    print(most[(i * 13) % 60], ','.join(picks), ages[(i * 17) % 60], districts[(i * 23) % 60])
PYTHON
}

REPORT_DEMO_TEXTS=(
	"More things to do after school that don't cost anything"
	"Someone at school you can actually talk to without it being a big deal"
	"The bus stops at 7 so I can't get to football"
	"Teach us more about staying safe online, not just one assembly"
	"Help with revision stress and anxiety before exams"
	"Youth club is the only place I feel listened to"
)

build_report_demo() {
	local data=$1 pass=$2 stored=0 i=0 mi better age district code
	mkdir -p "$data"
	"$SERVER_BIN" keygen --data "$data" --passphrase-file "$pass" >/dev/null </dev/null || return 1
	printf '%s\n' "$STAFF_PASSWORD" >"$TMP/demo-pw"
	"$SERVER_BIN" user add --data "$data" --name demo --role youth-worker \
		--password-file "$TMP/demo-pw" >/dev/null </dev/null || return 1
	"$SERVER_BIN" user add --data "$data" --name demo-analyst --role commissioner \
		--password-file "$TMP/demo-pw" >/dev/null </dev/null || return 1
	NO_KEYGEN=1 start_server "$data" "$ROOT/forms" --rate-limit 0 || return 1
	while read -r mi better age district; do
		local args=(-d "most-important=$mi" -d "age=$age" -d "district=$district") opts o
		IFS=, read -ra opts <<<"$better"
		for o in "${opts[@]}"; do args+=(-d "make-better[]=$o"); done
		if [ $((i % 4)) = 0 ]; then
			args+=(--data-urlencode "tell-us=${REPORT_DEMO_TEXTS[$(((i / 4) % ${#REPORT_DEMO_TEXTS[@]}))]}")
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
			"${args[@]}" "$BASE/s/what-matters")
		[ "$code" = 303 ] && stored=$((stored + 1))
		i=$((i + 1))
	done < <(report_demo_answers)

	local jar="$TMP/demo-jar" csrf ok=0 want=0 t day district n from to
	csrf=$(sign_in "$jar" demo)
	dpost() {
		want=$((want + 1))
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$jar" --data-urlencode "_csrf=$csrf" "$@")" = 303 ] &&
			ok=$((ok + 1))
	}
	# Three focus groups: details, key messages with their themes, quotes.
	# Lines: "group DAY DISTRICT PARTICIPANTS FROM TO", "message THEMES TEXT"
	# (themes comma-separated), "quote TEXT"; each to the group above it.
	local kind rest g=0 themes text th
	while IFS=' ' read -r kind rest; do
		case $kind in
		group)
			read -r day district n from to <<<"$rest"
			g=$((g + 1))
			dpost -d "consultation=cyp-plan-2027&day=$day&district=$district&participants=$n&age_from=$from&age_to=$to" \
				"$BASE/staff/groups" ;;
		message)
			read -r themes text <<<"$rest"
			local targs=()
			IFS=, read -ra th <<<"$themes"
			for t in "${th[@]}"; do targs+=(-d "themes[]=$t"); done
			dpost --data-urlencode "text=$text" "${targs[@]}" "$BASE/staff/groups/$g/messages" ;;
		quote)
			dpost -d kind=quote -d no_names=yes --data-urlencode "text=$rest" "$BASE/staff/groups/$g/sealed" ;;
		esac
	done <<'GROUPS'
group 2026-11-04 Northvale 8 11 14
message someone-to-talk-to,mental-health Young people want one trusted adult in school they can go to without an appointment
message sport-activity Sport and clubs are too expensive and stop too early
message online-safety,information-education Lessons on online safety come too late and feel like a telling-off
quote If there was just one teacher you knew would listen, loads of stuff would get sorted before it gets bad.
group 2026-11-11 Eastbrook 10 14 17
message mental-health Waiting lists for mental health support are far too long
message jobs-careers-money,transport Part-time jobs and work experience are hard to find without a car
message young-carers,sport-activity Young carers miss out on clubs because nobody covers for them
quote You get told to talk to someone, then you wait six months to talk to anyone.
quote The last bus home is at seven. That's the end of your evening.
group 2026-11-18 Southmere 7 12 16
message bullying,online-safety Bullying moves online after school and adults don't see it
message healthy-food,sport-activity Free holiday clubs with food made a real difference
message information-education Schools should tell everyone what help exists and how to ask for it
quote Adults think if it's on your phone it isn't real. It's the realest thing.
GROUPS

	# One marketplace event, its totals entered at the end of the session.
	dpost -d "name=Youth Voice Fair&day=2026-11-22&consultation=cyp-plan-2027" "$BASE/staff/events"
	for t in 5:sport-activity:31 5:mental-health:27 2:someone-to-talk-to:22 2:online-safety:18 \
		3:jobs-careers-money:15 1:information-education:12 4:young-carers:6 4:send:7 \
		2:bullying:9 3:transport:11 5:healthy-food:8; do
		want=$((want + 1))
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$jar" -H 'Accept: application/json' \
			--data-urlencode "_csrf=$csrf" -d "priority=${t%%:*}" -d "theme=$(cut -d: -f2 <<<"$t")" \
			-d "total=${t##*:}" -d "client_id=demo-$want" "$BASE/staff/events/1/tally")" = 200 ] && ok=$((ok + 1))
	done

	# The analysis: each answer in words coded into the themes it is about.
	local ajar="$TMP/demo-analyst-jar" acsrf an="$BASE/staff/consultations/cyp-plan-2027/analyse" k coded=0
	acsrf=$(sign_in "$ajar" demo-analyst)
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -b "$ajar" --data-urlencode "_csrf=$acsrf" \
		--data-urlencode "passphrase=$(head -n 1 "$pass")" -d pass=1 "$an/open")" = 303 ] || return 1
	for k in $(seq 1 15); do
		local page codes=()
		page=$(curl -s --max-time 20 -b "$ajar" "$an?answer=$k")
		case $page in
		*"cost anything"*) codes=(sport-activity) ;;
		*"actually talk to"*) codes=(someone-to-talk-to) ;;
		*"get to football"*) codes=(transport sport-activity) ;;
		*"staying safe online"*) codes=(online-safety information-education) ;;
		*"revision stress"*) codes=(mental-health) ;;
		*"feel listened to"*) codes=(someone-to-talk-to) ;;
		*) return 1 ;;
		esac
		local cargs=()
		for t in "${codes[@]}"; do cargs+=(-d "themes[]=$t"); done
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -b "$ajar" --data-urlencode "_csrf=$acsrf" \
			-d "answer=$k" "${cargs[@]}" "$an/code")" = 303 ] && coded=$((coded + 1))
	done
	curl -s -o /dev/null --max-time 20 -b "$ajar" --data-urlencode "_csrf=$acsrf" "$an/end"
	stop_server || return 1
	echo "report demo: $stored of 60 responses, $ok of $want staff entries stored, $coded of 15 answers coded"
	[ "$stored" = 60 ] && [ "$ok" = "$want" ] && [ "$coded" = 15 ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ $# = 2 ] || { echo "usage: bash tests/report_demo.sh DATA PASSFILE" >&2; exit 2; }
	. "$(dirname "$0")/http/lib.sh"
	build_report_demo "$1" "$2"
	status=$?
	finish >/dev/null
	exit $status
fi
