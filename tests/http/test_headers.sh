#!/usr/bin/env bash
# Security headers on every route, respondent and staff, every method the
# route takes and its error pages: a Content-Security-Policy that forbids
# framing, nosniff, no referrer, X-Frame-Options, no CORS grant, no server
# version; Cache-Control: no-store on every staff response; no cookie for
# respondents; staff cookies HttpOnly, SameSite=Strict, Path=/staff.  Then the
# server runs as an unprivileged user (nobody) on a data folder it owns.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker ada:admin || fail "staff accounts are added"
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
mkdir -p "$TMP/r"
ROUTES=0

# hit NAME CURL_ARGS...: one request, headers kept in $TMP/r/NAME.h.
hit() {
	local name=$1
	shift
	curl -s -D "$TMP/r/$name.h" -o "$TMP/r/$name.b" --max-time 20 "$@"
	ROUTES=$((ROUTES + 1))
}
status() { sed -n '1s/^HTTP\/1\.[01] \([0-9]*\).*/\1/p' "$TMP/r/$1.h"; }

# --- respondent routes --------------------------------------------------------
hit healthz "$BASE/healthz"
hit head-healthz -I "$BASE/healthz"
hit index "$BASE/"
hit css "$BASE/static/style.css"
hit css-staff "$BASE/static/staff.css"
hit js "$BASE/static/tally.js"
hit form "$BASE/s/what-matters"
hit form-ur "$BASE/s/your-area?_lang=ur"
hit post-422 -d "age=14-15" "$BASE/s/what-matters"
TOKEN=$(sed -n 's/.*name="_token" value="\([0-9a-f]*\)".*/\1/p' "$TMP/r/form.b" | head -n 1)
hit post-303 -d "_token=$TOKEN&most-important=talk&make-better[]=sport&age=14-15&district=eastbrook" "$BASE/s/what-matters"
hit thanks "$BASE/s/what-matters/thanks"
hit page-2 -d "_page=1&_action=next&rating=3" "$BASE/s/your-area"
hit 404 "$BASE/nope"
hit 404-survey "$BASE/s/nope"
hit 405 -X DELETE "$BASE/"
hit 400 -d "tell-us=%zz" "$BASE/s/what-matters"
hit 413 --data-binary @<(head -c 70000 /dev/zero | tr '\0' a) "$BASE/s/what-matters"
hit 415 -H 'Content-Type: application/json' -d '{}' "$BASE/s/what-matters"
hit civetweb-400 -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' a)" "$BASE/healthz"
hit preflight -X OPTIONS -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: POST' "$BASE/s/what-matters"
check_eq "the respondent's answer was stored (303)" "$(status post-303)" "303"
check_eq "a page of your-area with an answer missing comes back (422)" "$(status page-2)" "422"
check_eq "a head over the limit is civetweb's 400" "$(status civetweb-400)" "400"

# --- staff routes ----------------------------------------------------------------
hit login "$BASE/staff/login"
LOGIN=$(sed -n 's/^Set-Cookie: yv_login=\([0-9a-f]*\);.*/\1/pi' "$TMP/r/login.h" | tr -d '\r')
LCSRF=$(sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/r/login.b")
hit login-422 -b "yv_login=$LOGIN" -d "_csrf=$LCSRF&name=ada&password=wrong-password-here" "$BASE/staff/login"
hit login-303 -c "$TMP/jar" -b "yv_login=$LOGIN" --data-urlencode "_csrf=$LCSRF" -d "name=ada" \
	--data-urlencode "password=$STAFF_PASSWORD" "$BASE/staff/login"
check_eq "an admin signs in (303)" "$(status login-303)" "303"
hit staff -b "$TMP/jar" "$BASE/staff"
CSRF=$(sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/r/staff.b" | head -n 1)
hit unsigned "$BASE/staff/events"
hit events -b "$TMP/jar" "$BASE/staff/events"
hit event-new -b "$TMP/jar" -d "_csrf=$CSRF&name=Fair&day=2027-06-01&consultation=cyp-plan-2027" "$BASE/staff/events"
EV=$(sed -n 's|^Location: /staff/events/\([0-9]*\).*|\1|pi' "$TMP/r/event-new.h" | tr -d '\r')
check "an event is started" test -n "$EV"
hit event -b "$TMP/jar" "$BASE/staff/events/$EV"
hit live -b "$TMP/jar" "$BASE/staff/events/$EV/live"
hit tally-json -b "$TMP/jar" -H 'Accept: application/json' -d "_csrf=$CSRF&priority=2&theme=online-safety&delta=1&client_id=h-1" "$BASE/staff/events/$EV/tally"
hit tally-303 -b "$TMP/jar" -d "_csrf=$CSRF&priority=2&theme=online-safety&delta=1&client_id=h-2" "$BASE/staff/events/$EV/tally"
hit tally-403 -b "$TMP/jar" -d "_csrf=0&priority=2&theme=online-safety&delta=1&client_id=h-3" "$BASE/staff/events/$EV/tally"
hit tally-409 -b "$TMP/jar" -d "_csrf=$CSRF&priority=2&theme=bullying&delta=-1&client_id=h-4" "$BASE/staff/events/$EV/tally"
hit tally-401 -H 'Accept: application/json' -d "_csrf=$CSRF&priority=2&theme=online-safety&delta=1&client_id=h-5" "$BASE/staff/events/$EV/tally"
hit tally-json-403 -b "$TMP/jar" -H 'Accept: application/json' -d "_csrf=0&priority=2&theme=online-safety&delta=1&client_id=h-6" "$BASE/staff/events/$EV/tally"
hit event-csrf -b "$TMP/jar" -H 'Accept: application/json' "$BASE/staff/events/$EV/csrf"
hit event-edit -b "$TMP/jar" "$BASE/staff/events/$EV/edit"
hit event-rename -b "$TMP/jar" -d "_csrf=$CSRF&name=Fair+2&day=2027-06-02" "$BASE/staff/events/$EV/edit"
hit event-refused -b "$TMP/jar" -d "_csrf=$CSRF&name=&day=x&consultation=cyp-plan-2027" "$BASE/staff/events"
hit close-ask -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/events/$EV/close"
hit close -b "$TMP/jar" -d "_csrf=$CSRF&confirm=yes" "$BASE/staff/events/$EV/close"
hit event-reopen -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/events/$EV/reopen"
hit groups -b "$TMP/jar" "$BASE/staff/groups"
hit group-new -b "$TMP/jar" -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=North&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
G=$(sed -n 's|^Location: /staff/groups/\([0-9]*\).*|\1|pi' "$TMP/r/group-new.h" | tr -d '\r')
check "a focus group is added" test -n "$G"
hit group -b "$TMP/jar" "$BASE/staff/groups/$G"
hit message -b "$TMP/jar" -d "_csrf=$CSRF&text=Late+clubs&themes[]=bullying" "$BASE/staff/groups/$G/messages"
hit sealed -b "$TMP/jar" -d "_csrf=$CSRF&kind=quote&no_names=yes&text=A+quote" "$BASE/staff/groups/$G/sealed"
hit message-delete -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/groups/$G/messages/1/delete"
hit lock -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/groups/$G/lock"
hit consultations -b "$TMP/jar" "$BASE/staff/consultations"
hit consultation-new -b "$TMP/jar" -d "_csrf=$CSRF&id=h-check&title=Check" "$BASE/staff/consultations"
hit consultation-status -b "$TMP/jar" -d "_csrf=$CSRF&status=open" "$BASE/staff/consultations/h-check"
hit themes -b "$TMP/jar" "$BASE/staff/consultations/cyp-plan-2027/themes"
hit theme-add -b "$TMP/jar" -d "_csrf=$CSRF&action=add&name=Getting+about&priorities[]=3" "$BASE/staff/consultations/h-check/themes"
hit survey-move -b "$TMP/jar" -d "_csrf=$CSRF&survey=what-matters&to=cyp-plan-2027" "$BASE/staff/consultations/cyp-plan-2027/surveys"
hit export -b "$TMP/jar" "$BASE/staff/export"
hit export-csv -b "$TMP/jar" "$BASE/staff/export/themes.csv?consultation=cyp-plan-2027"
hit accounts -b "$TMP/jar" "$BASE/staff/accounts"
hit account-add -b "$TMP/jar" -d "_csrf=$CSRF&name=newbie&role=youth-worker&password=a+long+enough+password" "$BASE/staff/accounts"
hit staff-404 -b "$TMP/jar" "$BASE/staff/nope"
hit staff-405 -b "$TMP/jar" -X PUT "$BASE/staff/login"
hit logout -b "$TMP/jar" -d "_csrf=$CSRF" "$BASE/staff/logout"
check_eq "an unsigned tally change asking for JSON is 401" "$(status tally-401)" "401"
check_eq "  ... a stale token 403" "$(status tally-json-403)" "403"
for r in event live tally-json event-csrf event-edit close-ask groups group consultations themes export export-csv accounts; do
	check_eq "staff route $r answered 200" "$(status $r)" "200"
done
check_eq "staff form refused: event-refused answered 400" "$(status event-refused)" "400"
for r in event-new event-rename event-reopen tally-303 close group-new message sealed message-delete lock consultation-new \
	consultation-status theme-add account-add logout; do
	check_eq "staff action $r answered 303" "$(status $r)" "303"
done

# --- every response ------------------------------------------------------------------
check_eq "every request got headers" "$(ls "$TMP"/r/*.h | wc -l)" "$ROUTES"
# problems STAFF FILE: what a response's headers lack or should not have
# (nothing if all is well).  STAFF 1: must not be cached; 0: must set no cookie.
problems() {
	tr -d '\r' <"$2" | awk -v staff="$1" '
	{ l = tolower($0) }
	l ~ /^content-security-policy: default-src .none.;/ && l ~ /frame-ancestors .none./ && l ~ /base-uri .none./ { csp = 1 }
	l ~ /^x-content-type-options: nosniff$/ { nosniff = 1 }
	l ~ /^referrer-policy: no-referrer$/ { referrer = 1 }
	l ~ /^x-frame-options: deny$/ { frames = 1 }
	l ~ /^access-control-/ { cors = 1 }
	l ~ /^server:/ { server = 1 }
	l ~ /^cache-control: no-store/ { nostore = 1 }
	l ~ /^set-cookie:/ { cookie = 1 }
	END {
		if (!csp) print "no CSP forbidding framing"
		if (!nosniff) print "no nosniff"
		if (!referrer) print "a referrer"
		if (!frames) print "no X-Frame-Options"
		if (cors) print "a CORS header"
		if (server) print "a Server header"
		if (staff && !nostore) print "cacheable"
		if (!staff && cookie) print "a cookie"
	}'
}
for h in "$TMP"/r/*.h; do
	n=$(basename "$h" .h)
	case $n in
	login*|staff*|unsigned|event*|live|tally*|close*|group*|message*|sealed|lock|consultation*|themes|theme-*|survey-move|export*|account*|logout)
		check_eq "staff $n ($(status "$n")): CSP, nosniff, no referrer, no framing, no CORS, not cached" "$(problems 1 "$h")" "" ;;
	*)
		check_eq "$n ($(status "$n")): CSP, nosniff, no referrer, no framing, no CORS, no cookie" "$(problems 0 "$h")" "" ;;
	esac
done
check "the sign-in page's cookie is HttpOnly, SameSite=Strict, Path=/staff" \
	grep -qiE '^Set-Cookie: yv_login=[0-9a-f]{64}; Path=/staff; HttpOnly; SameSite=Strict' "$TMP/r/login.h"
check "the session cookie is HttpOnly, SameSite=Strict, Path=/staff" \
	grep -qiE '^Set-Cookie: yv_staff=[0-9a-f]{64}; Path=/staff; HttpOnly; SameSite=Strict' "$TMP/r/login-303.h"
check "a refused sign-in sets no session cookie" bash -c "no_match -qi '^Set-Cookie: yv_staff' '$TMP/r/login-422.h'"
check "signing out clears the session cookie" grep -qiE '^Set-Cookie: yv_staff=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0' "$TMP/r/logout.h"
check "the tally script and stylesheets are served with nosniff and their types" \
	bash -c "grep -qi '^Content-Type: text/javascript' '$TMP/r/js.h' && grep -qi '^Content-Type: text/css' '$TMP/r/css.h' && grep -qi '^Content-Type: text/css' '$TMP/r/css-staff.h'"
check "no body names SQL, a path, a source line or a crash" \
	bash -c "no_match -lE 'sqlite|SQLITE|SQL|/work|/tmp|/home|\\.c:[0-9]|Traceback|segfault|AddressSanitizer' '$TMP'/r/*.b"
check "the server stops cleanly" stop_server

# --- as an unprivileged user --------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	pass "the suite itself runs unprivileged (uid $(id -u)): nothing more to show"
elif ! id nobody >/dev/null 2>&1 || ! command -v setpriv >/dev/null; then
	pass "SKIPPED: running as root and there is no user 'nobody' (or no setpriv) to run the server as"
else
	NDATA="$TMP/nobody-data"
	mkdir -p "$NDATA"
	chmod 711 "$TMP"
	chown nobody:nogroup "$NDATA"
	chmod 700 "$NDATA"
	# The binary and forms are copied beside the data: the clone may sit in a
	# folder only root can enter (mktemp -d makes them 700).
	cp "$SERVER_BIN" "$TMP/survey-server"
	cp -r "$ROOT/forms" "$TMP/nobody-forms"
	chmod -R a+rX "$TMP/survey-server" "$TMP/nobody-forms"
	printf '#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup --clear-groups "%s" "$@"\n' "$TMP/survey-server" >"$TMP/as-nobody"
	chmod 755 "$TMP/as-nobody"
	REAL_BIN=$SERVER_BIN
	SERVER_BIN="$TMP/as-nobody"
	start_server "$NDATA" "$TMP/nobody-forms" || fail "the server starts as nobody"
	SERVER_BIN=$REAL_BIN
	check_eq "  ... its process runs as nobody" "$(awk '/^Uid:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)" "$(id -u nobody)"
	check_eq "  ... serves" "$(curl -s "$BASE/healthz")" "ok"
	TOKEN=$(fresh_token what-matters)
	check_eq "  ... stores an answer (303)" \
		"$(status_of -d "_token=$TOKEN&most-important=talk&make-better[]=sport&age=14-15&district=eastbrook" "$BASE/s/what-matters")" "303"
	check "  ... its files belong to nobody" bash -c "[ -z \"\$(find '$NDATA' ! -user nobody)\" ]"
	check "  ... and are not readable by others" bash -c "[ -z \"\$(find '$NDATA' -perm /o=r ! -type d)\" ]"
	check "  ... stops cleanly on SIGTERM" stop_server
	check_eq "  ... the answer is in the database" "$(sqlite3 "$NDATA/youthvoice.db" 'SELECT count(*) FROM responses')" "1"
fi
finish
