#!/usr/bin/env bash
# Consultations from the staff pages: a commissioner starts one, refines a
# theme list (rename, re-map, add; never remove), and it all survives a
# restart, merged over forms/; youth workers cannot; bad input changes nothing.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name cleo --role commissioner --password-file "$TMP/pw" >/dev/null
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

CC=$(sign_in "$TMP/c" cleo)
CY=$(sign_in "$TMP/y" kai)
post() { local jar=$1; shift; curl -s -o "$TMP/body" -w '%{http_code}' -b "$jar" "$@"; }
rows() { # rows CONSULTATION: "priority|theme" for every row of its themes table
	"$EXPORT_BIN" --data "$DATA" themes --consultation "$1" --min-cell 0 --format json | jq -r '.rows[] | "\(.priority_number)|\(.theme)"'
}
export -f rows   # the checks below run it in bash -c
export EXPORT_BIN DATA

check_eq "a youth worker cannot see consultations" "$(status_of -b "$TMP/y" "$BASE/staff/consultations")" "403"
check_eq "  ... nor start one" "$(post "$TMP/y" -d "_csrf=$CY&id=x&title=X" "$BASE/staff/consultations")" "403"
check_eq "a commissioner starts one" "$(post "$TMP/c" -d "_csrf=$CC&id=send-review-2027&title=SEND+review" "$BASE/staff/consultations")" "303"
check "  ... it is listed, in draft" grep -q 'SEND review' <(curl -s -b "$TMP/c" "$BASE/staff/consultations")
check_eq "  ... the same short name again: 409" "$(post "$TMP/c" -d "_csrf=$CC&id=send-review-2027&title=Again" "$BASE/staff/consultations")" "409"
check_eq "  ... a bad short name: 400" "$(post "$TMP/c" -d "_csrf=$CC&id=Bad+Name&title=X" "$BASE/staff/consultations")" "400"
check_eq "  ... without CSRF: 403" "$(post "$TMP/c" -d "id=other&title=X" "$BASE/staff/consultations")" "403"
check_eq "a youth worker can start an event for it" \
	"$(post "$TMP/y" -d "_csrf=$CY&name=Fair&day=2026-11-22&consultation=send-review-2027" "$BASE/staff/events")" "303"
check_eq "its themes table has the default themes" "$(rows send-review-2027 | wc -l)" "$(rows cyp-plan-2027 | wc -l)"

T="$BASE/staff/consultations/cyp-plan-2027/themes"
check_eq "the themes page" "$(status_of -b "$TMP/c" "$T")" "200"
check_eq "add a theme under priorities 3 and 4" "$(post "$TMP/c" -d "_csrf=$CC&action=add&name=Getting+to+school&priorities[]=3&priorities[]=4" "$T")" "303"
check "  ... it is in the themes table under both" bash -c "[ \$(rows cyp-plan-2027 | grep -c '|Getting to school\$') = 2 ]"
check_eq "rename and re-map a theme" "$(post "$TMP/c" -d "_csrf=$CC&action=change&theme=transport&name=Buses+and+trains&priorities[]=3&priorities[]=1" "$T")" "303"
check "  ... renamed, under 1 and 3" bash -c "rows cyp-plan-2027 | grep -qx '1|Buses and trains' && rows cyp-plan-2027 | grep -qx '3|Buses and trains' && ! rows cyp-plan-2027 | grep -q '|Transport\$'"
check_eq "a change with no priority: 400" "$(post "$TMP/c" -d "_csrf=$CC&action=change&theme=transport&name=X" "$T")" "400"
check_eq "a change to a theme that does not exist: 400" "$(post "$TMP/c" -d "_csrf=$CC&action=change&theme=nope&priorities[]=1" "$T")" "400"
check_eq "priority 9 does not exist: 400" "$(post "$TMP/c" -d "_csrf=$CC&action=add&name=X&priorities[]=9" "$T")" "400"
check_eq "a youth worker cannot refine themes" "$(post "$TMP/y" -d "_csrf=$CY&action=add&name=Y&priorities[]=1" "$T")" "403"
check "nothing was changed by the refused requests" bash -c "! rows cyp-plan-2027 | grep -qE '\\|(X|Y|Nope)\$'"
check "the survey still works after the change" test "$(curl -s "$BASE/s/what-matters" | grep -c '<form method=\"post\"')" = 1
check_eq "a survey response still counts (transport is now 'Buses and trains')" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token what-matters)&most-important=talk&make-better[]=transport&age=14-15&district=eastbrook" "$BASE/s/what-matters")" "303"
# Attach the single-page survey to the new consultation.
before=$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token what-matters)&most-important=online&make-better[]=sport&age=14-15&district=eastbrook" "$BASE/s/what-matters")
check_eq "a response before the move" "$before" "303"
check_eq "a youth worker cannot attach a survey" \
	"$(post "$TMP/y" -d "_csrf=$CY&survey=what-matters&to=send-review-2027" "$BASE/staff/consultations/cyp-plan-2027/surveys")" "403"
check_eq "attaching to the consultation it is in already: 400" \
	"$(post "$TMP/c" -d "_csrf=$CC&survey=what-matters&to=cyp-plan-2027" "$BASE/staff/consultations/cyp-plan-2027/surveys")" "400"
check_eq "a commissioner attaches what-matters to the new consultation" \
	"$(post "$TMP/c" -d "_csrf=$CC&survey=what-matters&to=send-review-2027" "$BASE/staff/consultations/cyp-plan-2027/surveys")" "303"
check_eq "  ... it is in draft, so the survey shows 'not open yet'" "$(curl -s "$BASE/s/what-matters" | grep -c 'open yet')" "1"
curl -s -o /dev/null -b "$TMP/c" -d "_csrf=$CC&status=open" "$BASE/staff/consultations/send-review-2027"
check_eq "  ... opened, a response counts in the new consultation" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token what-matters)&most-important=online&make-better[]=sport&age=14-15&district=eastbrook" "$BASE/s/what-matters")" "303"
online() { "$EXPORT_BIN" --data "$DATA" themes --consultation "$1" --min-cell 0 --format json | jq '.rows[] | select(.theme == "Online safety") | .survey'; }
check_eq "  ... counted there" "$(online send-review-2027)" "1"
check_eq "  ... and the earlier response stays where it was counted" "$(online cyp-plan-2027)" "1"
check "the server stops cleanly" stop_server

start_server "$DATA" || fail "server restarts"
check_eq "after a restart, the survey is still attached to the new consultation" \
	"$(curl -s -o /dev/null -w '%{http_code}' -d "_token=$(fresh_token what-matters)&most-important=online&age=14-15&make-better[]=food&district=eastbrook" "$BASE/s/what-matters") $(online send-review-2027)" "303 2"
check "after a restart, the added theme is still there" bash -c "[ \$(rows cyp-plan-2027 | grep -c '|Getting to school\$') = 2 ]"
check "  ... and the rename, merged over forms/" bash -c "rows cyp-plan-2027 | grep -qx '1|Buses and trains'"
check_eq "  ... and the survey response counted under it" \
	"$("$EXPORT_BIN" --data "$DATA" themes --consultation cyp-plan-2027 --min-cell 0 --format json | jq '.rows[] | select(.priority_number == 1 and .theme == "Buses and trains") | .survey')" "1"
check "  ... and the new consultation" grep -q 'SEND review' <(curl -s -b "$TMP/c" "$BASE/staff/consultations")
check "no warning at start" bash -c "no_match -q 'no longer fits' '$SERVER_LOG'"
check "the server stops cleanly again" stop_server
finish
