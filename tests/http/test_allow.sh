#!/usr/bin/env bash
# Every 405 names the methods its address takes (RFC 9110 section 15.5.6):
# each respondent and staff route is sent a method it does not take, and the
# answer must be 405 with exactly the right Allow header.  A signed-in admin
# walks the staff routes (an admin may open every one, so no 403 hides a 405).
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" ada:admin || { fail "an admin account is made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
CSRF=$(sign_in "$TMP/jar" ada)
check "the admin signs in" test -n "$CSRF"

# An event and a focus group to address.
EV=$(curl -s -o /dev/null -w '%{redirect_url}' --max-time 20 -b "$TMP/jar" --data-urlencode "_csrf=$CSRF" \
	-d name=Fair -d day=2027-03-04 -d consultation=cyp-plan-2027 "$BASE/staff/events" | sed 's|.*/staff/events/||')
check "an event is started" test -n "$EV"
FG=$(curl -s -o /dev/null -w '%{redirect_url}' --max-time 20 -b "$TMP/jar" \
	-d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" \
	"$BASE/staff/groups" | sed 's|.*/staff/groups/||')
check "a focus group is added" test -n "$FG"

# allow METHOD PATH WANT_ALLOW: METHOD on PATH is 405, with Allow: WANT_ALLOW.
allow() {
	local h="$TMP/h" status got body=()
	# A POST or PUT carries a body: without a length it would be a 411.
	case $1 in POST|PUT) body=(-d x=1) ;; esac
	status=$(curl -s -o /dev/null -D "$h" -w '%{http_code}' --max-time 20 -b "$TMP/jar" "${body[@]}" -X "$1" "$BASE$2")
	got=$(tr -d '\r' <"$h" | sed -n 's/^[Aa]llow: //p')
	check_eq "$1 $2: 405, Allow: $3" "$status $got" "405 $3"
}

# The respondent's side.
allow DELETE /                                   "GET, HEAD"
allow POST   /healthz                            "GET, HEAD"
allow POST   /static/style.css                   "GET, HEAD"
allow POST   /static/tally.js                    "GET, HEAD"
allow POST   /static/respond.js                  "GET, HEAD"
allow POST   /static/results.js                  "GET, HEAD"
allow PUT    /s/what-matters                     "GET, HEAD, POST"
allow OPTIONS /s/what-matters                    "GET, HEAD, POST"
allow POST   /s/what-matters/thanks              "GET, HEAD"
allow POST   /s/what-matters/poster              "GET, HEAD"
allow POST   /s/what-matters/a/not-a-key         "GET, HEAD"
allow POST   /k/what-matters                     "GET, HEAD"
allow GET    /k/what-matters/answers             "POST"
allow POST   /static/kiosk/kiosk.js              "GET, HEAD"
allow POST   /static/display.css                 "GET, HEAD"
allow POST   /static/display.js                  "GET, HEAD"
allow POST   /display/not-a-token                "GET, HEAD"

# The staff side.
allow PUT    /staff/login                        "GET, HEAD, POST"
allow GET    /staff/logout                       "POST"
allow POST   /staff                              "GET, HEAD"
allow POST   /staff/                             "GET, HEAD"
allow PUT    /staff/accounts                     "GET, HEAD, POST"
allow PUT    /staff/events                       "GET, HEAD, POST"
allow POST   "/staff/events/$EV"                 "GET, HEAD"
allow POST   "/staff/events/$EV/live"            "GET, HEAD"
allow POST   "/staff/events/$EV/csrf"            "GET, HEAD"
allow GET    "/staff/events/$EV/tally"           "POST"
allow PUT    "/staff/events/$EV/edit"            "GET, HEAD, POST"
allow GET    "/staff/events/$EV/close"           "POST"
allow GET    "/staff/events/$EV/reopen"          "POST"
allow HEAD   "/staff/events/$EV/delete"          "POST"
allow PUT    "/staff/events/$EV/display"         "GET, HEAD, POST"
allow GET    "/staff/events/$EV/display/revoke"  "POST"
allow PUT    /staff/consultations                "GET, HEAD, POST"
allow GET    /staff/consultations/cyp-plan-2027  "POST"
allow GET    /staff/consultations/cyp-plan-2027/surveys "POST"
allow PUT    /staff/consultations/cyp-plan-2027/themes  "GET, HEAD, POST"
allow POST   /staff/consultations/cyp-plan-2027/results "GET, HEAD"
allow POST   /staff/consultations/cyp-plan-2027/results.json "GET, HEAD"
allow PUT    /staff/consultations/cyp-plan-2027/help    "GET, HEAD, POST"
allow GET    /staff/consultations/cyp-plan-2027/publish "POST"
allow PUT    /staff/consultations/cyp-plan-2027/decisions "GET, HEAD, POST"
allow DELETE /staff/consultations/cyp-plan-2027/decisions/1 "GET, HEAD, POST"
allow POST   /staff/consultations/cyp-plan-2027/decisions.csv "GET, HEAD"
allow POST   /staff/consultations/cyp-plan-2027/decisions.json "GET, HEAD"
allow PUT    /staff/kiosks                       "GET, HEAD, POST"
allow GET    /staff/kiosks/1/off                 "POST"
allow PUT    /staff/groups                       "GET, HEAD, POST"
allow PUT    "/staff/groups/$FG"                 "GET, HEAD, POST"
allow GET    "/staff/groups/$FG/messages"        "POST"
allow GET    "/staff/groups/$FG/sealed"          "POST"
allow GET    "/staff/groups/$FG/lock"            "POST"
allow GET    "/staff/groups/$FG/messages/1/delete" "POST"
allow POST   /staff/export                       "GET, HEAD"
allow POST   /staff/export/themes.csv            "GET, HEAD"
allow POST   /staff/export/themes.json           "GET, HEAD"
allow GET    /staff/export/decrypted             "POST"

# A script asking for JSON gets JSON, with the header too.
R=$(curl -s -D "$TMP/h" --max-time 20 -b "$TMP/jar" -H 'Accept: application/json' "$BASE/staff/events/$EV/tally")
check_eq "a script's wrong method: JSON with Allow" "$R $(tr -d '\r' <"$TMP/h" | sed -n 's/^Allow: //p')" \
	'{"error":"invalid","message":"Not that way."} POST'

# Addresses that are not there stay 404 whatever the method.
for p in /staff/eventsX "/staff/events/0$EV" "/staff/events/${EV}a" /staff/events/1000000000000000 \
	"/staff/groups/$FG/nothing" /staff/kiosks/01/off /staff/export/nothing; do
	check_eq "GET $p: 404" "$(status_of -b "$TMP/jar" "$BASE$p")" "404"
done

finish
