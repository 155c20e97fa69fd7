#!/usr/bin/env bash
# The staff pages of safe mistakes and staff errors (docs/staff-pages.md) in
# headless Chromium: the confirmations (closing, deleting), the event's edit
# page (open, empty, closed, for each role), refusals, every staff form
# shown again with its error summary, and each role's home page.  Each
# passes page-audit (WCAG 2.2 AA, valid HTML, no overflow at 360 px, works
# without JavaScript) and narrow.mjs (320 px, visible keyboard focus).
# Signed-in pages are fetched with curl and served as files.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner ada:admin || { fail "accounts made"; finish; exit 1; }
start_server "$DATA" || { fail "server starts"; finish; exit 1; }
CK=$(sign_in "$TMP/k" kai)
CC=$(sign_in "$TMP/c" cleo)
CA=$(sign_in "$TMP/a" ada)
check "three roles sign in" test -n "$CK" -a -n "$CC" -a -n "$CA"

PAGES="$TMP/pages"
mkdir -p "$PAGES"
post() { curl -s -o /dev/null --max-time 20 -b "$1" "${@:2}"; }
post "$TMP/k" -d "_csrf=$CK&name=Youth+fair&day=2026-11-22&consultation=cyp-plan-2027" "$BASE/staff/events"
post "$TMP/k" -d "_csrf=$CK&name=Empty+one&day=2026-11-23&consultation=cyp-plan-2027" "$BASE/staff/events"
for i in 1 2 3; do
	post "$TMP/k" -d "_csrf=$CK&priority=2&theme=online-safety&delta=1&client_id=x$i" "$BASE/staff/events/1/tally"
done
post "$TMP/k" -d "_csrf=$CK&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
post "$TMP/k" -d "_csrf=$CK&consultation=cyp-plan-2027&day=2026-11-21&district=Eastbrook&participants=7&age_from=12&age_to=15" "$BASE/staff/groups"
post "$TMP/k" -d "_csrf=$CK" "$BASE/staff/groups/2/lock"
post "$TMP/c" -d "_csrf=$CC&id=second&title=A+second+consultation" "$BASE/staff/consultations"

WORDS='Kai'"'"'s "big" <b>fair</b>'
save home-youth-worker 200 "$TMP/k" "$BASE/staff"
save home-commissioner 200 "$TMP/c" "$BASE/staff"
save home-admin 200 "$TMP/a" "$BASE/staff"
save events 200 "$TMP/k" "$BASE/staff/events"
save tally-open 200 "$TMP/k" "$BASE/staff/events/1"
save close-confirm 200 "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/1/close"
save edit-open 200 "$TMP/k" "$BASE/staff/events/1/edit"
save edit-empty 200 "$TMP/k" "$BASE/staff/events/2/edit"
save delete-confirm 200 "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/2/delete"
save delete-refused 409 "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/1/delete"
save event-errors 400 "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "name=$WORDS" -d day=2026-13-45 -d consultation=nope "$BASE/staff/events"
save edit-errors 422 "$TMP/k" --data-urlencode "_csrf=$CK" -d name= -d day=bad "$BASE/staff/events/1/edit"
post "$TMP/k" -d "_csrf=$CK&confirm=yes" "$BASE/staff/events/1/close"
save tally-closed-commissioner 200 "$TMP/c" "$BASE/staff/events/1"
save edit-closed-commissioner 200 "$TMP/c" "$BASE/staff/events/1/edit"
save edit-closed-youth-worker 200 "$TMP/k" "$BASE/staff/events/1/edit"
save reopen-refused 403 "$TMP/k" -d "_csrf=$CK" "$BASE/staff/events/1/reopen"
save close-again 409 "$TMP/k" -d "_csrf=$CK&confirm=yes" "$BASE/staff/events/1/close"
save groups 200 "$TMP/k" "$BASE/staff/groups"
save group-new-errors 400 "$TMP/k" --data-urlencode "_csrf=$CK" -d consultation=cyp-plan-2027 -d day=x \
	--data-urlencode "district=$WORDS" -d participants=0 -d age_from=16 -d age_to=12 -d girls=x "$BASE/staff/groups"
save group-edit-errors 400 "$TMP/k" -d "_csrf=$CK&day=x&district=&participants=9&age_from=12&age_to=15" "$BASE/staff/groups/1"
save message-errors 400 "$TMP/k" --data-urlencode "_csrf=$CK" --data-urlencode "text=$WORDS" "$BASE/staff/groups/1/messages"
save sealed-errors 400 "$TMP/k" --data-urlencode "_csrf=$CK" -d text= "$BASE/staff/groups/1/sealed"
save group-locked 409 "$TMP/k" -d "_csrf=$CK&day=2026-11-21&district=X&participants=7&age_from=12&age_to=15" "$BASE/staff/groups/2"
save forbidden 403 "$TMP/k" "$BASE/staff/export"
save consultation-errors 400 "$TMP/c" -d "_csrf=$CC&id=Bad+Name&title=" "$BASE/staff/consultations"
save attach-errors 400 "$TMP/c" -d "_csrf=$CC&survey=what-matters&to=cyp-plan-2027" "$BASE/staff/consultations/cyp-plan-2027/surveys"
save themes-errors 400 "$TMP/c" -d "_csrf=$CC&action=add&name=" "$BASE/staff/consultations/cyp-plan-2027/themes"
save export-errors 422 "$TMP/c" -d "_csrf=$CC" "$BASE/staff/export/decrypted"
save accounts-errors 422 "$TMP/a" --data-urlencode "_csrf=$CA" --data-urlencode "name=$WORDS" -d password=short "$BASE/staff/accounts"
T=$(curl -s -c "$TMP/l" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
save login-errors 422 "$TMP/l" -d "_csrf=$T&name=&password=" "$BASE/staff/login"
check "the error pages have their summaries" bash -c "[ \$(grep -l 'class=\"error-summary\"' '$PAGES'/*-errors.html | wc -l) = 12 ]"

audit_saved "$PAGES"
check "the server stops cleanly" stop_server
finish
