#!/usr/bin/env bash
# Safe mistakes and staff errors on the staff pages, over real HTTP
# (docs/staff-pages.md):
# - each role's menu and links open (no link a role gets 403 for);
# - closing an event asks first, showing its totals; a commissioner or an
#   admin reopens it, a youth worker cannot; an event's name and day are
#   corrected until it is closed; an event with no tally change is deleted
#   after a confirmation, one with any is not, saying why; a focus group's
#   details are corrected until it is locked; each is in the audit log;
# - a refused staff form comes back on its staff page with an error summary
#   listing every problem, each linked to its field, the field marked, and
#   what was typed kept (escaped);
# - every new POST needs the session's CSRF token.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$@" 2>&1; }
add_staff "$DATA" kai:youth-worker cleo:commissioner ada:admin || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

N=0
# call ARGS...: one request; R is its status, B the file holding its body.
call() {
	N=$((N + 1))
	B="$TMP/b$N"
	R=$(curl -s -o "$B" -w '%{http_code}' --max-time 20 "$@")
}
# summary_links FILE: the ids the error summary links to, one a line.
summary_links() {
	sed -n '/<div class="error-summary"/,/<\/div>/p' "$1" | grep -o 'href="#[^"]*"' | sed 's/^href="#//; s/"$//'
}
# marked FILE ID: the control ID is marked invalid, its message ID-error is
# there, and the control or its fieldset is described by that message.
marked() {
	grep -q "id=\"$2-error\"" "$1" &&
		grep -oE "<(input|select|textarea) [^>]*id=\"$2\"[^>]*>" "$1" | grep -q 'aria-invalid="true"' &&
		grep -qE "aria-describedby=\"([^\"]* )?$2-error\"" "$1"
}
# staff_layout FILE: the staff layout and menu, not the young people's.
staff_layout() {
	grep -q '<body class="staff">' "$1" && grep -q '<nav class="staff-nav"' "$1" &&
		no_match -q 'class="site-footer"' "$1"
}
# check_summary WHAT FILE ID...: the summary links exactly to these ids, in
# this order, each to a marked field, on a staff page titled "Error: ...".
check_summary() {
	local what=$1 file=$2
	shift 2
	check_eq "$what: the summary lists every problem" "$(summary_links "$file" | tr '\n' ' ')" "$* "
	local id
	for id in "$@"; do
		check "  ... #$id is a field, marked with its message" marked "$file" "$id"
	done
	check "  ... on a staff page, titled Error:" bash -c "grep -q '<title>Error: ' '$file' && $(declare -f staff_layout); staff_layout '$file'"
}

CK=$(sign_in "$TMP/k" kai)
CC=$(sign_in "$TMP/c" cleo)
CA=$(sign_in "$TMP/a" ada)
check "three roles sign in" test -n "$CK" -a -n "$CC" -a -n "$CA"

# new_event JAR CSRF NAME: starts an event, prints its id.
new_event() {
	curl -s -o /dev/null -w '%{redirect_url}' -b "$1" --data-urlencode "_csrf=$2" --data-urlencode "name=$3" \
		-d day=2027-03-04 -d consultation=cyp-plan-2027 "$BASE/staff/events" | sed 's|.*/staff/events/||'
}
# tap JAR CSRF EVENT CLIENT_ID [PRIORITY THEME [FIELD=VALUE]]: one tally
# change (default +1 at stall 2's online safety); prints its status.
tap() {
	curl -s -o /dev/null -w '%{http_code}' -b "$1" -d "_csrf=$2" -d "priority=${5:-2}" \
		-d "theme=${6:-online-safety}" -d "client_id=$4" -d "${7:-delta=1}" "$BASE/staff/events/$3/tally"
}
audit() { q "SELECT count(*) FROM audit WHERE who = '$1' AND action = '$2' AND detail = '$3'"; }

# --- closing asks first, with the totals ------------------------------------------
EV=$(new_event "$TMP/k" "$CK" "Spring fair")
check "an event is started" test -n "$EV"
for i in 1 2 3; do tap "$TMP/k" "$CK" "$EV" "c$i" >/dev/null; done
tap "$TMP/k" "$CK" "$EV" c4 5 mental-health >/dev/null
check_eq "four taps" "$(q "SELECT count(*) FROM tally_changes WHERE event_id = $EV")" "4"
call -b "$TMP/k" "$BASE/staff/events/$EV"
check "the tally page still posts its close button to /close" grep -q "action=\"/staff/events/$EV/close\"" "$B"
call -b "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/$EV/close"
check_eq "closing without confirming shows a confirmation (200)" "$R" "200"
check "  ... asking 'Close Spring fair?'" grep -q '<h1>Close Spring fair?</h1>' "$B"
check "  ... with the totals of each stall" bash -c "grep -q '2. Keep children safe and free from harm</th><td class=\"numeric\">3</td>' '$B' && grep -q '5. Enable children to have good physical and mental health</th><td class=\"numeric\">1</td>' '$B'"
check "  ... and of all stalls" grep -q 'All stalls</th><td class="numeric">4</td>' "$B"
check "  ... and a 'Yes, close it' form with the token and confirm=yes" bash -c \
	"grep -q 'name=\"_csrf\" value=\"$CK\"><input type=\"hidden\" name=\"confirm\" value=\"yes\"><div class=\"buttons\"><button type=\"submit\" class=\"button button-warning\">Yes, close it</button>' '$B'"
check "  ... and a way back" grep -q "href=\"/staff/events/$EV\">No, go back to the tally page</a>" "$B"
check_eq "  ... the event is still open" "$(q "SELECT closed FROM events WHERE id = $EV")" "0"
call -b "$TMP/k" -d confirm=yes "$BASE/staff/events/$EV/close"
check_eq "confirming without the CSRF token: 403" "$R" "403"
check_eq "  ... still open" "$(q "SELECT closed FROM events WHERE id = $EV")" "0"
call -b "$TMP/k" "$BASE/staff/events/$EV/close"
check_eq "GET on /close: 405" "$R" "405"
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$EV/close"
check_eq "confirmed: closed, 303 to the event" "$R" "303"
check_eq "  ... closed in the database" "$(q "SELECT closed FROM events WHERE id = $EV")" "1"
check_eq "  ... in the audit log" "$(audit kai 'closed an event' "event $EV: Spring fair, 2027-03-04")" "1"
check_eq "a tap on the closed event: 409" "$(tap "$TMP/k" "$CK" "$EV" c5)" "409"
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$EV/close"
check_eq "closing it again: 409" "$R" "409"
check "  ... on a staff page saying so" bash -c "grep -q 'closed already' '$B' && $(declare -f staff_layout); staff_layout '$B'"

# --- reopening: commissioners and admins only -----------------------------------------
call -b "$TMP/k" "$BASE/staff/events/$EV"
check "a youth worker's closed event with taps links to nothing it cannot do" \
	bash -c "no_match -q '/staff/events/$EV/edit' '$B'"
call -b "$TMP/k" "$BASE/staff/events/$EV/edit"
check "  ... its edit page has no reopen button" bash -c "no_match -q '/reopen' '$B'"
check "  ... and says who can reopen it" grep -q 'ask a commissioner or an admin to reopen' "$B"
call -b "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/$EV/reopen"
check_eq "a youth worker cannot reopen (403)" "$R" "403"
check "  ... told so on a staff page" bash -c "grep -q 'Only a commissioner or an admin can reopen an event' '$B' && $(declare -f staff_layout); staff_layout '$B'"
check_eq "  ... still closed" "$(q "SELECT closed FROM events WHERE id = $EV")" "1"
call -b "$TMP/c" "$BASE/staff/events/$EV"
check "a commissioner's tally page of it links to reopening" grep -q "href=\"/staff/events/$EV/edit\">Reopen the event</a>" "$B"
call -b "$TMP/c" "$BASE/staff/events/$EV/edit"
check "  ... the edit page has the reopen form" grep -q "action=\"/staff/events/$EV/reopen\"" "$B"
call -b "$TMP/c" "$BASE/staff/events/$EV/reopen"
check_eq "GET on /reopen: 405" "$R" "405"
call -b "$TMP/c" -d "_csrf=$CK" "$BASE/staff/events/$EV/reopen"
check_eq "reopening with another session's token: 403" "$R" "403"
check_eq "  ... still closed" "$(q "SELECT closed FROM events WHERE id = $EV")" "1"
call -b "$TMP/c" -d "_csrf=$CC" "$BASE/staff/events/$EV/reopen"
check_eq "a commissioner reopens it: 303" "$R" "303"
check_eq "  ... open in the database" "$(q "SELECT closed FROM events WHERE id = $EV")" "0"
check_eq "  ... in the audit log" "$(audit cleo 'reopened an event' "event $EV: Spring fair, 2027-03-04")" "1"
check_eq "  ... and it takes taps again" "$(tap "$TMP/k" "$CK" "$EV" c6)" "303"
check_eq "  ... counted from where it was" "$(q "SELECT count FROM event_options WHERE event_id = $EV AND priority = 2 AND theme = 'online-safety'")" "4"
call -b "$TMP/c" -d "_csrf=$CC" "$BASE/staff/events/$EV/reopen"
check_eq "reopening an open event: 409" "$R" "409"
# An event of a closed consultation stays closed.
curl -s -o /dev/null -b "$TMP/c" -d "_csrf=$CC&status=closed" "$BASE/staff/consultations/cyp-plan-2027"
curl -s -o /dev/null -b "$TMP/a" -d "_csrf=$CA&confirm=yes" "$BASE/staff/events/$EV/close"
call -b "$TMP/a" -d "_csrf=$CA" "$BASE/staff/events/$EV/reopen"
check_eq "an admin cannot reopen an event of a closed consultation (409)" "$R" "409"
check "  ... told to open the consultation first" grep -q 'Open the consultation first' "$B"
check_eq "  ... still closed" "$(q "SELECT closed FROM events WHERE id = $EV")" "1"
curl -s -o /dev/null -b "$TMP/c" -d "_csrf=$CC&status=open" "$BASE/staff/consultations/cyp-plan-2027"
call -b "$TMP/a" -d "_csrf=$CA" "$BASE/staff/events/$EV/reopen"
check_eq "  ... and can once it is open again (303)" "$R" "303"
check_eq "  ... in the audit log" "$(audit ada 'reopened an event' "event $EV: Spring fair, 2027-03-04")" "1"

# --- correcting the name and day until closed ---------------------------------------------
call -b "$TMP/k" "$BASE/staff/events/$EV"
check "the tally page links to correcting it" grep -q "href=\"/staff/events/$EV/edit\">Correct the name or day</a>" "$B"
call -b "$TMP/k" "$BASE/staff/events/$EV/edit"
check_eq "the edit page: 200" "$R" "200"
check "  ... with the name and day in the form" bash -c "grep -q 'id=\"event-name\" name=\"name\" autocomplete=\"off\" value=\"Spring fair\"' '$B' && grep -q 'id=\"event-day\" name=\"day\" value=\"2027-03-04\"' '$B'"
check "  ... saying why it cannot be deleted" grep -q 'It has 5 tally changes. Taps are never deleted' "$B"
check "  ... with no delete button" bash -c "no_match -q '/delete' '$B'"
NEWNAME='Spring "fair" <b>2027</b> & more'
call -b "$TMP/k" --data-urlencode "name=$NEWNAME" -d day=2027-03-05 "$BASE/staff/events/$EV/edit"
check_eq "a correction without the CSRF token: 403" "$R" "403"
call -b "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "name=" -d day=2027-02-30 "$BASE/staff/events/$EV/edit"
check_eq "a correction with two mistakes: 422" "$R" "422"
check_summary "the correction" "$B" event-name event-day
check "  ... the day typed kept" grep -q 'id="event-day" name="day"[^>]*value="2027-02-30"' "$B"
check_eq "  ... nothing changed" "$(q "SELECT name || '|' || day FROM events WHERE id = $EV")" "Spring fair|2027-03-04"
call -b "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "name=$NEWNAME" -d day=2027-03-05 "$BASE/staff/events/$EV/edit"
check_eq "a youth worker corrects the name and day: 303" "$R" "303"
check_eq "  ... saved" "$(q "SELECT name || '|' || day FROM events WHERE id = $EV")" "$NEWNAME|2027-03-05"
check_eq "  ... in the audit log, before and after" \
	"$(audit kai 'changed an event' "event $EV: Spring fair, 2027-03-04, now $NEWNAME, 2027-03-05")" "1"
call -b "$TMP/k" "$BASE/staff/events"
check "  ... the events list shows the new name, escaped" \
	grep -q 'Spring &quot;fair&quot; &lt;b&gt;2027&lt;/b&gt; &amp; more, 2027-03-05' "$B"
curl -s -o /dev/null -b "$TMP/k" -d "_csrf=$CK&confirm=yes" "$BASE/staff/events/$EV/close"
call -b "$TMP/k" --data-urlencode "_csrf=$CK" -d name=Late -d day=2027-03-06 "$BASE/staff/events/$EV/edit"
check_eq "once closed, a correction is refused (409)" "$R" "409"
check_eq "  ... nothing changed" "$(q "SELECT name || '|' || day FROM events WHERE id = $EV")" "$NEWNAME|2027-03-05"
call -b "$TMP/k" "$BASE/staff/events/$EV/edit"
check "  ... and its edit page has no correction form" bash -c "no_match -q 'id=\"event-name\"' '$B'"

# --- deleting an event with no taps ---------------------------------------------------------
EMPTY=$(new_event "$TMP/k" "$CK" "Started by mistake")
call -b "$TMP/k" "$BASE/staff/events/$EMPTY"
check "an event with no taps links to deleting it" \
	grep -q "href=\"/staff/events/$EMPTY/edit\">Correct the name or day, or delete the event</a>" "$B"
call -b "$TMP/k" "$BASE/staff/events/$EMPTY/edit"
check "  ... its edit page has a delete button" grep -q "action=\"/staff/events/$EMPTY/delete\"" "$B"
call -b "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/$EMPTY/delete"
check_eq "deleting asks first (200)" "$R" "200"
check "  ... with 'Yes, delete it' and confirm=yes" bash -c \
	"grep -q 'name=\"confirm\" value=\"yes\"' '$B' && grep -q '>Yes, delete it</button>' '$B'"
check_eq "  ... still there" "$(q "SELECT count(*) FROM events WHERE id = $EMPTY")" "1"
call -b "$TMP/k" -d confirm=yes "$BASE/staff/events/$EMPTY/delete"
check_eq "confirming without the CSRF token: 403" "$R" "403"
check_eq "  ... still there" "$(q "SELECT count(*) FROM events WHERE id = $EMPTY")" "1"
call -b "$TMP/k" "$BASE/staff/events/$EMPTY/delete"
check_eq "GET on /delete: 405" "$R" "405"
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$EMPTY/delete"
check_eq "confirmed: deleted, 303 to the events list" "$R" "303"
check_eq "  ... the event is gone" "$(q "SELECT count(*) FROM events WHERE id = $EMPTY")" "0"
check_eq "  ... with its options" "$(q "SELECT count(*) FROM event_options WHERE event_id = $EMPTY")" "0"
check_eq "  ... in the audit log" "$(audit kai 'deleted an event' "event $EMPTY: Started by mistake, 2027-03-04")" "1"
check_eq "  ... its page is 404" "$(status_of -b "$TMP/k" "$BASE/staff/events/$EMPTY")" "404"
check_eq "  ... and a tap on it is 404" "$(tap "$TMP/k" "$CK" "$EMPTY" d1)" "404"
call -b "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/$EV/delete"
check_eq "an event with taps is not deleted (409)" "$R" "409"
check "  ... saying why" grep -q 'It has 5 tally changes. Taps are never deleted, so that what was counted stays honest.' "$B"
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$EV/delete"
check_eq "  ... not even confirmed (409)" "$R" "409"
check_eq "  ... it is all still there" "$(q "SELECT count(*) FROM events WHERE id = $EV")|$(q "SELECT count(*) FROM tally_changes WHERE event_id = $EV")" "1|5"
ZERO=$(new_event "$TMP/k" "$CK" "Counted nothing")
tap "$TMP/k" "$CK" "$ZERO" z1 2 online-safety total=0 >/dev/null
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$ZERO/delete"
check_eq "an event whose only change set a total of 0 is not deleted either (409)" "$R" "409"
check "  ... it has 1 tally change" grep -q 'It has 1 tally change\.' "$B"
SHUT=$(new_event "$TMP/k" "$CK" "Closed empty")
curl -s -o /dev/null -b "$TMP/k" -d "_csrf=$CK&confirm=yes" "$BASE/staff/events/$SHUT/close"
call -b "$TMP/k" "$BASE/staff/events/$SHUT"
check "a closed event with no taps: a youth worker is offered deleting it" \
	grep -q "href=\"/staff/events/$SHUT/edit\">Delete the event</a>" "$B"
call -b "$TMP/k" -d "_csrf=$CK" -d confirm=yes "$BASE/staff/events/$SHUT/delete"
check_eq "  ... and deletes it (303)" "$R" "303"
check_eq "  ... gone" "$(q "SELECT count(*) FROM events WHERE id = $SHUT")" "0"

# --- a focus group's details, corrected until locked --------------------------------------------
G=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$TMP/k" -d "_csrf=$CK&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" \
	"$BASE/staff/groups" | sed 's|.*/staff/groups/||')
check "a focus group is added" test -n "$G"
call -b "$TMP/k" "$BASE/staff/groups/$G"
check "its page has the details form, filled in" bash -c "grep -q 'id=\"g-district\" name=\"district\" value=\"Northvale\"' '$B' && grep -q 'name=\"participants\" inputmode=\"numeric\" min=\"1\" max=\"200\" value=\"9\"' '$B'"
call -b "$TMP/k" -d "_csrf=$CK&day=2026-11-21&district=Southvale&participants=10&age_from=12&age_to=16&girls=4" "$BASE/staff/groups/$G"
check_eq "a youth worker corrects its details: 303" "$R" "303"
check_eq "  ... saved" "$(q "SELECT day || '|' || district || '|' || participants || '|' || age_to || '|' || girls FROM focus_groups WHERE id = $G")" \
	"2026-11-21|Southvale|10|16|4"
check_eq "  ... in the audit log, with what changed" "$(audit kai 'changed a focus group' \
	"group $G; day 2026-11-20 to 2026-11-21; district Northvale to Southvale; 9 to 10 young people; ages 12-15 to 12-16; the gender mix")" "1"
call -b "$TMP/k" -d "_csrf=$CK&day=2026-11-31&district=&participants=10&age_from=12&age_to=16" "$BASE/staff/groups/$G"
check_eq "a correction with two mistakes: 400" "$R" "400"
check_summary "the group's correction" "$B" g-day g-district
check "  ... on the group's page, its other forms clean" bash -c "grep -q '<h1>Focus group: Southvale' '$B' && no_match -q 'id=\"m-text-error\"' '$B'"
check_eq "  ... nothing changed" "$(q "SELECT day || '|' || district FROM focus_groups WHERE id = $G")" "2026-11-21|Southvale"
call -b "$TMP/k" -d "day=2026-11-22&district=X&participants=10&age_from=12&age_to=16" "$BASE/staff/groups/$G"
check_eq "a correction without the CSRF token: 403" "$R" "403"
curl -s -o /dev/null -b "$TMP/k" -d "_csrf=$CK" "$BASE/staff/groups/$G/lock"
call -b "$TMP/k" -d "_csrf=$CK&day=2026-11-22&district=Late&participants=10&age_from=12&age_to=16" "$BASE/staff/groups/$G"
check_eq "once locked, a correction is refused (409)" "$R" "409"
check "  ... on a staff page" bash -c "grep -q 'This group is locked, so it cannot be changed' '$B' && $(declare -f staff_layout); staff_layout '$B'"
check_eq "  ... nothing changed" "$(q "SELECT day || '|' || district FROM focus_groups WHERE id = $G")" "2026-11-21|Southvale"
call -b "$TMP/k" "$BASE/staff/groups/$G"
check "  ... and the page has no details form" bash -c "no_match -q 'id=\"g-district\"' '$B'"

# --- every problem at once, each linked, everything typed kept -----------------------------------
WORDS='Kai'"'"'s "big" <b>fair</b> & more'
WORDS_HTML='Kai&#39;s &quot;big&quot; &lt;b&gt;fair&lt;/b&gt; &amp; more'
call -b "$TMP/k" --data-urlencode "_csrf=$CK" -d consultation=cyp-plan-2027 -d day=2026-02-30 \
	--data-urlencode "district=$WORDS" -d participants=0 -d age_from=16 -d age_to=12 -d girls=3 "$BASE/staff/groups"
check_eq "a new group with three mistakes: 400" "$R" "400"
check_summary "the new group" "$B" g-day g-participants g-age-from
check "  ... the summary has exactly three problems" test "$(summary_links "$B" | wc -l)" -eq 3
check "  ... the district typed kept, escaped" grep -q "id=\"g-district\" name=\"district\" value=\"$WORDS_HTML\"" "$B"
check "  ... and every other value typed" bash -c "grep -q 'value=\"2026-02-30\"' '$B' && grep -q 'name=\"participants\"[^>]*value=\"0\"' '$B' && grep -q 'name=\"age_from\" value=\"16\"' '$B' && grep -q 'name=\"age_to\" value=\"12\"' '$B' && grep -q 'name=\"girls\" value=\"3\"' '$B' && grep -q '<option value=\"cyp-plan-2027\" selected>' '$B'"
check "  ... the district, right, is not marked" bash -c "no_match -q 'id=\"g-district-error\"' '$B'"
check "  ... the markup typed is nowhere unescaped" bash -c "no_match -q '<b>fair</b>' '$B'"
check_eq "  ... no group was added" "$(q "SELECT count(*) FROM focus_groups")" "1"

LONG="$(printf '"<x>"%.0s' $(seq 1 25))"   # 125 characters
call -b "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "name=$LONG" -d day=soon -d consultation=nope "$BASE/staff/events"
check_eq "a new event with three mistakes: 400" "$R" "400"
check_summary "the new event" "$B" event-name event-day event-consultation
check "  ... the name typed kept, escaped" grep -q "value=\"$(printf '&quot;&lt;x&gt;&quot;%.0s' $(seq 1 25))\"" "$B"
check "  ... the day typed kept" grep -q 'id="event-day" name="day"[^>]*value="soon"' "$B"

call -b "$TMP/a" --data-urlencode "_csrf=$CA" --data-urlencode 'name=<b>"x"</b>' -d password=short "$BASE/staff/accounts"
check_eq "a new account with three mistakes: 422" "$R" "422"
check_summary "the new account" "$B" a-name a-role-1 a-password
check "  ... the name typed kept, escaped" grep -q 'value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"' "$B"
check "  ... the password not shown again" bash -c "no_match -q 'short' '$B'"
call -b "$TMP/a" --data-urlencode "_csrf=$CA" -d name=kai -d role=commissioner --data-urlencode "password=a long enough password" "$BASE/staff/accounts"
check_eq "a name taken: 422" "$R" "422"
check_summary "the taken name" "$B" a-name
check "  ... the role chosen kept" grep -q 'value="commissioner" checked' "$B"

T=$(curl -s -c "$TMP/l" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
call -b "$TMP/l" -d "_csrf=$T" -d name= --data-urlencode "password=typed password 7720" "$BASE/staff/login"
check_eq "signing in with no name: 422" "$R" "422"
check_eq "  ... the summary links to the name" "$(summary_links "$B")" "name"
check "  ... marked, on the staff sign-in page (no menu before signing in)" bash -c \
	"$(declare -f marked); marked '$B' name && grep -q '<title>Error: Sign in' '$B' && grep -q '<body class=\"staff\">' '$B'"
check "  ... the password not shown again" bash -c "no_match -q 'typed password 7720' '$B'"
call -b "$TMP/l" -d "_csrf=$T" -d name= -d password= "$BASE/staff/login"
check_eq "signing in with nothing typed: 422" "$R" "422"
check "  ... two problems, each linked" bash -c "[ \"\$(sed -n '/<div class=\"error-summary\"/,/<\\/div>/p' '$B' | grep -o 'href=\"#[a-z]*\"' | tr '\n' ' ')\" = 'href=\"#name\" href=\"#password\" ' ]"
check "  ... each field marked" bash -c "$(declare -f marked); marked '$B' name && marked '$B' password"

MSG='We want "late" <clubs> & buses'
call -b "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "text=$MSG" "$BASE/staff/groups/1/messages"
check_eq "a key message with no theme on a locked group: 409" "$R" "409"
G2=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$TMP/k" -d "_csrf=$CK&consultation=cyp-plan-2027&day=2026-11-20&district=Eastbrook&participants=8&age_from=11&age_to=14" \
	"$BASE/staff/groups" | sed 's|.*/staff/groups/||')
FIRST=$(curl -s -b "$TMP/k" "$BASE/staff/groups/$G2" | grep -o 'id="m-theme-[a-z0-9-]*"' | head -n 1 | sed 's/id="//; s/"$//')
call -b "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "text=$MSG" "$BASE/staff/groups/$G2/messages"
check_eq "a key message with no theme: 400" "$R" "400"
check_summary "the key message" "$B" "$FIRST"
check "  ... the words kept, escaped" grep -q 'We want &quot;late&quot; &lt;clubs&gt; &amp; buses</textarea>' "$B"
call -b "$TMP/k" --data-urlencode "_csrf=$CK" -d text= -d "themes[]=bullying" "$BASE/staff/groups/$G2/messages"
check_summary "a key message with no words" "$B" m-text
check "  ... the theme ticked kept" grep -q 'value="bullying" checked' "$B"
call -b "$TMP/k" --data-urlencode "_csrf=$CK" -d text= "$BASE/staff/groups/$G2/sealed"
check_eq "a quote with no kind, no words and the box unticked: 400" "$R" "400"
check_summary "the quote" "$B" s-quote s-text s-no-names

call -b "$TMP/c" -d "_csrf=$CC" -d "id=Bad Name" -d title= "$BASE/staff/consultations"
check_eq "a new consultation with two mistakes: 400" "$R" "400"
check_summary "the new consultation" "$B" c-title c-id
check "  ... the short name typed kept" grep -q 'id="c-id" name="id" autocapitalize="none" spellcheck="false" aria-describedby="c-id-hint c-id-error" aria-invalid="true" value="Bad Name"' "$B"
curl -s -o /dev/null -b "$TMP/c" -d "_csrf=$CC" -d id=second -d title=Second "$BASE/staff/consultations"
call -b "$TMP/c" -d "_csrf=$CC" -d survey=what-matters -d to=cyp-plan-2027 "$BASE/staff/consultations/cyp-plan-2027/surveys"
check_eq "attaching a survey to its own consultation: 400" "$R" "400"
MOVE=$(summary_links "$B")
check "  ... linked to that survey's choice" bash -c "[[ '$MOVE' =~ ^move-[0-9]+\$ ]] && grep -q 'Attach What matters to you[^<]* to</label>' '$B'"
check_summary "the attach form" "$B" "$MOVE"
call -b "$TMP/c" -d "_csrf=$CC" -d action=add -d name= "$BASE/staff/consultations/cyp-plan-2027/themes"
check_eq "a new theme with no name and no priority: 400" "$R" "400"
check_summary "the new theme" "$B" add-name add-p1
call -b "$TMP/c" -d "_csrf=$CC" -d action=change -d theme=transport --data-urlencode 'name=Buses "and" <trains>' "$BASE/staff/consultations/cyp-plan-2027/themes"
check_summary "a theme change with no priority" "$B" chg-p1
check "  ... the theme chosen and the name typed kept" bash -c "grep -q '<option value=\"transport\" selected>' '$B' && grep -q 'id=\"chg-name\" name=\"name\" value=\"Buses &quot;and&quot; &lt;trains&gt;\"' '$B'"
call -b "$TMP/c" -d "_csrf=$CC" -d consultation=nope -d kind=nope "$BASE/staff/export/decrypted"
check_eq "an export with three mistakes: 422" "$R" "422"
check_summary "the export" "$B" e-consultation e-kind-0 e-passphrase
call -b "$TMP/c" -d "_csrf=$CC" -d consultation=cyp-plan-2027 -d kind=nope -d bom=1 --data-urlencode "passphrase=typed secret phrase 9431" "$BASE/staff/export/decrypted"
check_summary "an export with no kind" "$B" e-kind-0
check "  ... the consultation and the byte-order mark kept" bash -c "grep -q '<option value=\"cyp-plan-2027\" selected>' '$B' && grep -q 'id=\"e-bom\" name=\"bom\" value=\"1\" checked' '$B'"
check "  ... the passphrase not shown again" bash -c "no_match -q 'typed secret phrase 9431' '$B'"

# --- each role's menu, and every link it is shown opens -----------------------------------------------
# nav_links FILE: the menu's links.
nav_links() { sed -n 's|.*<nav class="staff-nav" aria-label="Staff">\(.*\)</nav>.*|\1|p' "$1" | grep -o 'href="[^"]*"' | tr '\n' ' '; }
call -b "$TMP/k" "$BASE/staff"
check_eq "a youth worker's menu: events, focus groups, kiosks and their own account" "$(nav_links "$B")" 'href="/staff/events" href="/staff/groups" href="/staff/kiosks" href="/staff/account" '
call -b "$TMP/c" "$BASE/staff"
check_eq "a commissioner's: also consultations, surveys and exports" "$(nav_links "$B")" \
	'href="/staff/events" href="/staff/groups" href="/staff/kiosks" href="/staff/consultations" href="/staff/surveys" href="/staff/export" href="/staff/account" '
call -b "$TMP/a" "$BASE/staff"
check_eq "an admin's: also accounts" "$(nav_links "$B")" \
	'href="/staff/events" href="/staff/groups" href="/staff/kiosks" href="/staff/consultations" href="/staff/surveys" href="/staff/export" href="/staff/accounts" href="/staff/account" '
# crawl JAR: every /staff link on the pages this user can reach from the
# staff home, followed breadth-first (at most 200 pages); prints any link
# that does not answer 200.
crawl() {
	local jar=$1 seen="$TMP/seen-$RANDOM" queue="$TMP/queue-$RANDOM" page="$TMP/page-$RANDOM" url code n=0
	echo /staff >"$queue"
	: >"$seen"
	while [ -s "$queue" ] && [ $n -lt 200 ]; do
		url=$(head -n 1 "$queue")
		sed -i 1d "$queue"
		grep -qxF "$url" "$seen" && continue
		echo "$url" >>"$seen"
		n=$((n + 1))
		code=$(curl -s -o "$page" -w '%{http_code}' --max-time 20 -b "$jar" "$BASE$url")
		[ "$code" = 200 ] || { echo "$url $code"; continue; }
		grep -o 'href="/staff[^"#]*' "$page" | sed 's/^href="//' | sort -u | while read -r l; do
			grep -qxF "$l" "$seen" || echo "$l"
		done >>"$queue"
	done
	echo "pages $n"
}
for who in k:youth-worker c:commissioner a:admin; do
	crawl "$TMP/${who%%:*}" >"$TMP/crawl"
	check_eq "every link shown to the ${who#*:} opens (200)" "$(grep -v '^pages ' "$TMP/crawl")" ""
	check "  ... having followed them all ($(tail -n 1 "$TMP/crawl"))" test "$(tail -n 1 "$TMP/crawl" | cut -d' ' -f2)" -ge 8
done
# (A link to any of these on a youth worker's pages would have shown above as 403.)
for page in /staff/consultations /staff/export /staff/accounts; do
	check_eq "a youth worker is refused $page (403)" "$(status_of -b "$TMP/k" "$BASE$page")" "403"
done
call -b "$TMP/k" "$BASE/staff/accounts"
check "  ... told so on a staff page with their own menu" bash -c "grep -q 'Only an admin can do this' '$B' && $(declare -f staff_layout); staff_layout '$B' && no_match -q 'href=\"/staff/export\"' '$B'"

check "no staff page names SQL or a path" bash -c "no_match -lE 'sqlite|SQLITE|SELECT |INSERT INTO|/tmp/|\\.c:[0-9]' '$TMP'/b*"
check "the server stops cleanly" stop_server
sqlite_only "the database is intact" pragma_is "$DB" integrity_check ok
finish
