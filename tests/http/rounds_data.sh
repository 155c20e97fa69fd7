# tests/http/rounds_data.sh - the three rounds of test_rounds.sh, for it and
# the browser suite of the same name (sourced after lib.sh, with the server
# started on a forms folder from "rounds.py forms").  rounds_answer prints
# how many responses were stored (29 of 29).
#   2018: 6 "talk", 2 "online"
#   2021: 3 "talk" (hidden: <5), 4 "online", 2 "online" with young carers
#   2023: 7 "talk" (girls, White, no disability), 2 "bullying" (boys, Asian,
#         disabled), 2 "online" (gender: prefer not to say)
#   and one 2021 response without the equalities questions.
rounds_respond() {
	local year=$1 n=$2 i code
	shift 2
	for ((i = 0; i < n; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token "wm-$year")" \
			-d "make-better[]=sport" -d age=14-15 -d district=northvale "$@" "$BASE/s/wm-$year")
		[ "$code" = 303 ] && ROUNDS_STORED=$((ROUNDS_STORED + 1))
	done
}
rounds_answer() {
	ROUNDS_STORED=0
	rounds_respond 2018 6 -d most-important=talk
	rounds_respond 2018 2 -d most-important=online
	rounds_respond 2021 3 -d most-important=talk
	rounds_respond 2021 5 -d most-important=online
	rounds_respond 2021 2 -d most-important=online -d "make-better[]=carers"
	rounds_respond 2023 7 -d most-important=talk -d gender=girl -d ethnicity=white -d disability=no
	rounds_respond 2023 2 -d most-important=bullying -d gender=boy -d ethnicity=asian -d disability=yes
	rounds_respond 2023 2 -d most-important=online -d gender=prefer-not-to-say
	echo "$ROUNDS_STORED"
}
