#!/usr/bin/env bash
# Staff pages (signed in, so fetched with curl and served as files) pass
# page-audit and the 320 px check, the tally page among them.  The tally
# page's offline queue, sign-in again and layout are test_tally_offline.sh's.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name cleo --role commissioner --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name ada --role admin --password-file "$TMP/pw" >/dev/null
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

CSRF=$(sign_in "$TMP/jar" kai)
curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&name=Youth+fair&day=2026-11-22&consultation=cyp-plan-2027" "$BASE/staff/events"

# Staff pages through page-audit (signed-in pages saved as files).
PAGES="$TMP/pages"
mkdir -p "$PAGES"
curl -s -b "$TMP/jar" "$BASE/staff" >"$PAGES/staff-home.html"
curl -s -b "$TMP/jar" "$BASE/staff/events" >"$PAGES/staff-events.html"
curl -s -b "$TMP/jar" "$BASE/staff/events/1" >"$PAGES/staff-tally.html"
curl -s -b "$TMP/jar" "$BASE/staff/events/1/live" >"$PAGES/staff-live.html"
curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15" "$BASE/staff/groups"
curl -s -o /dev/null -b "$TMP/jar" -d "_csrf=$CSRF&text=More+youth+clubs&themes[]=sport-activity" "$BASE/staff/groups/1/messages"
curl -s -b "$TMP/jar" "$BASE/staff/groups" >"$PAGES/staff-groups.html"
curl -s -b "$TMP/jar" "$BASE/staff/groups/1" >"$PAGES/staff-group.html"
check "the focus group page shows its key message" grep -q 'More youth clubs' "$PAGES/staff-group.html"
sign_in "$TMP/jar2" cleo >/dev/null
curl -s -b "$TMP/jar2" "$BASE/staff/export" >"$PAGES/staff-export.html"
# The export page again after a wrong passphrase (422, with its error summary);
# one sealed response first, so that there is a key the passphrase must open.
curl -s -o /dev/null -d "_token=$(fresh_token what-matters)" -d most-important=talk -d "make-better[]=sport" \
	-d age=14-15 -d district=eastbrook "$BASE/s/what-matters"
CE=$(sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$PAGES/staff-export.html" | head -n 1)
check_eq "a wrong passphrase on the export page is 422" "$(curl -s -o "$PAGES/staff-export-error.html" -w '%{http_code}' \
	-b "$TMP/jar2" --data-urlencode "_csrf=$CE" -d consultation=cyp-plan-2027 -d kind=report \
	--data-urlencode "passphrase=not the passphrase" "$BASE/staff/export/decrypted")" "422"
check "  ... with its error summary" grep -q 'class="error-summary"' "$PAGES/staff-export-error.html"
CC=$(curl -s -b "$TMP/jar2" "$BASE/staff/consultations" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -b "$TMP/jar2" -d "_csrf=$CC&id=second&title=A+second+consultation" "$BASE/staff/consultations"
curl -s -b "$TMP/jar2" "$BASE/staff/consultations" >"$PAGES/staff-consultations.html"
check "the consultations page offers to attach surveys elsewhere" grep -q 'name="to"' "$PAGES/staff-consultations.html"
curl -s -b "$TMP/jar2" "$BASE/staff/consultations/cyp-plan-2027/themes" >"$PAGES/staff-themes.html"
check "the themes page lists the priorities" grep -q 'Keep children safe and free from harm' "$PAGES/staff-themes.html"
sign_in "$TMP/jar3" ada >/dev/null
curl -s -b "$TMP/jar3" "$BASE/staff/accounts" >"$PAGES/staff-accounts.html"
check "the accounts page lists the accounts" grep -q '>kai</a></dt><dd>Youth worker</dd>' "$PAGES/staff-accounts.html"
check "the consultations page lists the demo consultation" grep -q 'Open it\|Close it' "$PAGES/staff-consultations.html"
audit_saved "$PAGES" "$BASE/staff/login"
check "the server stops cleanly" stop_server
finish
