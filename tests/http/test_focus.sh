#!/usr/bin/env bash
# Focus groups over HTTP: key messages move the themes table's focus_group
# column by exactly what was entered (and back when removed); quotes and
# notes are sealed (their words are nowhere on disk, every one the same
# length) once the facilitator ticks that they hold no names; a locked group
# cannot change; CSRF and roles hold.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
printf '%s\n' "$STAFF_PASSWORD" >"$TMP/pw"
"$SERVER_BIN" user add --data "$DATA" --name kai --role youth-worker --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name cleo --role commissioner --password-file "$TMP/pw" >/dev/null
"$SERVER_BIN" user add --data "$DATA" --name ada --role admin --password-file "$TMP/pw" >/dev/null
start_server "$DATA" || { fail "server starts"; finish; exit 1; }

CSRF=$(sign_in "$TMP/jar" kai)
check "a youth worker signs in and sees the focus groups page" test -n "$CSRF"
post() { curl -s -o "$TMP/body" -w '%{http_code} %{redirect_url}' -b "$TMP/jar" "$@"; }

# cell PRIORITY THEME: the focus_group count in that row of the themes table.
cell() {
	"$EXPORT_BIN" --data "$DATA" themes --min-cell 0 --format json |
		jq -r --argjson p "$1" --arg t "$2" '.rows[] | select(.priority_number == $p and .theme == $t) | .focus_group'
}

check_eq "a group is added" "$(post -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=Northvale&participants=9&age_from=12&age_to=15&girls=5&boys=3" "$BASE/staff/groups")" \
	"303 $BASE/staff/groups/1"
check_eq "details out of range are refused" "$(post -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=9&age_from=16&age_to=12" "$BASE/staff/groups")" "400 "
check_eq "a gender mix larger than the group is refused" "$(post -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=4&age_from=12&age_to=15&girls=5" "$BASE/staff/groups")" "400 "
check_eq "without the CSRF token: 403" "$(post -d "consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=9&age_from=12&age_to=15" "$BASE/staff/groups")" "403 "

talk_2=$(cell 2 "Someone they trust to talk to, who listens")
talk_5=$(cell 5 "Someone they trust to talk to, who listens")
sport=$(cell 5 "Easier access to sport and physical activity")
check_eq "a key message with two themes" "$(post --data-urlencode "_csrf=$CSRF" --data-urlencode "text=We want late youth clubs; ring 07700 900123" \
	-d "themes[]=someone-to-talk-to&themes[]=sport-activity&themes[]=sport-activity" "$BASE/staff/groups/1/messages")" "303 $BASE/staff/groups/1"
check_eq "  ... a theme under two priorities counts under both (2)" "$(cell 2 "Someone they trust to talk to, who listens")" "$((talk_2 + 1))"
check_eq "  ... (5)" "$(cell 5 "Someone they trust to talk to, who listens")" "$((talk_5 + 1))"
check_eq "  ... a theme ticked twice counts once" "$(cell 5 "Easier access to sport and physical activity")" "$((sport + 1))"
post -d "_csrf=$CSRF&text=Second+message&themes[]=sport-activity" "$BASE/staff/groups/1/messages" >/dev/null
check_eq "a second message adds one more" "$(cell 5 "Easier access to sport and physical activity")" "$((sport + 2))"
check_eq "a message without a theme is refused" "$(post -d "_csrf=$CSRF&text=No+theme" "$BASE/staff/groups/1/messages")" "400 "
curl -s -b "$TMP/jar" "$BASE/staff/groups/1" >"$TMP/group.html"
check "the page shows the message, contact details taken out" grep -q 'We want late youth clubs; ring \[phone number removed\]' "$TMP/group.html"
check_eq "removing the first message takes its counts back" \
	"$(post -d "_csrf=$CSRF" "$BASE/staff/groups/1/messages/1/delete") $(cell 2 "Someone they trust to talk to, who listens") $(cell 5 "Easier access to sport and physical activity")" \
	"303 $BASE/staff/groups/1 $talk_2 $((sport + 1))"
check_eq "removing it again: 404" "$(post -d "_csrf=$CSRF" "$BASE/staff/groups/1/messages/1/delete")" "404 "

# The scrubber does not find names in prose: the facilitator must tick that
# the words hold none, and an unticked box sends the form back, words kept.
curl -s -b "$TMP/jar" "$BASE/staff/groups/1" >"$TMP/group.html"
check "the quote form asks to confirm the words hold no names" \
	grep -q '<input type="checkbox" id="s-no-names" name="no_names" value="yes"' "$TMP/group.html"
check "  ... and says which names are not taken out" grep -q 'Other names are not recognised' "$TMP/group.html"
check_eq "a quote without the box ticked: 422" "$(post --data-urlencode "_csrf=$CSRF" -d kind=quote \
	--data-urlencode "text=Kai says the buses <never> come" "$BASE/staff/groups/1/sealed")" "422 "
check "  ... with an error summary linking to the box" \
	grep -q '<a href="#s-no-names">Tick the box to confirm the words hold no names' "$TMP/body"
check "  ... the words kept (escaped) and the kind still chosen" bash -c \
	"grep -q 'Kai says the buses &lt;never&gt; come</textarea>' '$TMP/body' && grep -q 'value=\"quote\" checked' '$TMP/body'"
check_eq "  ... the box with another value: 422" "$(post --data-urlencode "_csrf=$CSRF" -d kind=note -d no_names=on \
	--data-urlencode "text=A note" "$BASE/staff/groups/1/sealed")" "422 "
check "  ... and nothing was saved" grep -q '0 quotes and 0 notes saved' <(curl -s -b "$TMP/jar" "$BASE/staff/groups/1")
MARK="quote$(date +%s%N)"
check_eq "a quote is sealed" "$(post --data-urlencode "_csrf=$CSRF" -d kind=quote -d no_names=yes --data-urlencode "text=I never know who to ask $MARK" "$BASE/staff/groups/1/sealed")" "303 $BASE/staff/groups/1"
check_eq "a long note is sealed" "$(post --data-urlencode "_csrf=$CSRF" -d kind=note -d no_names=yes --data-urlencode "text=$(head -c 900 /dev/zero | tr '\0' 'n') $MARK" "$BASE/staff/groups/1/sealed")" "303 $BASE/staff/groups/1"
# 1,000 characters of emoji and of '<' (6 bytes each when JSON wrote \u003c)
# seal to the same length as a short quote; 333 user names would not fit.
check_eq "a note of 1,000 emoji is sealed" "$(post --data-urlencode "_csrf=$CSRF" -d kind=note -d no_names=yes --data-urlencode "text=$(/usr/bin/python3 -c 'print("\U0001F600" * 1000, end="")')" "$BASE/staff/groups/1/sealed")" "303 $BASE/staff/groups/1"
check_eq "a quote of 1,000 '<' is sealed" "$(post --data-urlencode "_csrf=$CSRF" -d kind=quote -d no_names=yes --data-urlencode "text=$(/usr/bin/python3 -c 'print("<" * 1000, end="")')" "$BASE/staff/groups/1/sealed")" "303 $BASE/staff/groups/1"
check_eq "a note of 333 user names is refused (422), never sealed longer" "$(post --data-urlencode "_csrf=$CSRF" -d kind=note -d no_names=yes --data-urlencode "text=$(/usr/bin/python3 -c 'print("@a " * 333, end="")')" "$BASE/staff/groups/1/sealed")" "422 "
check_eq "a quote with no kind is refused" "$(post --data-urlencode "_csrf=$CSRF" -d no_names=yes -d "text=x" "$BASE/staff/groups/1/sealed")" "400 "
check "the page counts them" grep -q '2 quotes and 2 notes saved' <(curl -s -b "$TMP/jar" "$BASE/staff/groups/1")
check "the page never shows them again" bash -c "! curl -s -b '$TMP/jar' '$BASE/staff/groups/1' | grep -q '$MARK'"

check_eq "locking the group" "$(post -d "_csrf=$CSRF" "$BASE/staff/groups/1/lock")" "303 $BASE/staff/groups/1"
check_eq "a locked group takes no message" "$(post -d "_csrf=$CSRF&text=Late&themes[]=bullying" "$BASE/staff/groups/1/messages")" "409 "
check_eq "  ... no quote" "$(post -d "_csrf=$CSRF&kind=quote&text=Late" "$BASE/staff/groups/1/sealed")" "409 "
check_eq "  ... no change of details" "$(post -d "_csrf=$CSRF&day=2026-11-20&district=N&participants=9&age_from=12&age_to=15" "$BASE/staff/groups/1")" "409 "
check_eq "  ... and its messages stay" "$(post -d "_csrf=$CSRF" "$BASE/staff/groups/1/messages/2/delete")" "409 "
check_eq "an unknown group is 404" "$(status_of -b "$TMP/jar" "$BASE/staff/groups/99")" "404"
check_eq "signed out, the groups page sends you to sign in" "$(status_of "$BASE/staff/groups")" "303"

# A closed consultation takes no new group; a youth worker cannot close one.
CC=$(sign_in "$TMP/jar2" cleo)
check_eq "a youth worker cannot change a consultation" \
	"$(post -d "_csrf=$CSRF&status=closed" "$BASE/staff/consultations/cyp-plan-2027")" "403 "
check_eq "a commissioner closes it" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar2" -d "_csrf=$CC&status=closed" "$BASE/staff/consultations/cyp-plan-2027")" "303"
check_eq "a closed consultation takes no new group" \
	"$(post -d "_csrf=$CSRF&consultation=cyp-plan-2027&day=2026-11-20&district=N&participants=9&age_from=12&age_to=15" "$BASE/staff/groups")" "400 "
check_eq "  ... and its surveys take no answers" "$(status_of -d most-important=talk "$BASE/s/what-matters")" "403"
curl -s -o /dev/null -b "$TMP/jar2" -d "_csrf=$CC&status=open" "$BASE/staff/consultations/cyp-plan-2027"
check_eq "opened again, the survey is back" "$(curl -s "$BASE/s/what-matters" | grep -c '<form method="post"')" "1"
# Accounts: admins only.
check_eq "a youth worker cannot see the accounts page" "$(status_of -b "$TMP/jar" "$BASE/staff/accounts")" "403"
check_eq "nor can a commissioner" "$(status_of -b "$TMP/jar2" "$BASE/staff/accounts")" "403"
CA=$(sign_in "$TMP/jar3" ada)
curl -s -b "$TMP/jar3" "$BASE/staff/accounts" >"$TMP/accounts.html"
check "an admin sees every account, with no password hash" bash -c "grep -q '>kai</a></dt><dd>Youth worker</dd>' '$TMP/accounts.html' && no_match -q 'argon2' '$TMP/accounts.html'"
CA=$(sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/accounts.html" | head -n 1)
check_eq "an admin adds an account" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar3" --data-urlencode "_csrf=$CA" \
	-d "name=newbie&role=youth-worker" --data-urlencode "password=a youth worker password" "$BASE/staff/accounts")" "303"
check_eq "the same name again: 422" "$(curl -s -o "$TMP/dup.html" -w '%{http_code}' -b "$TMP/jar3" --data-urlencode "_csrf=$CA" \
	-d "name=newbie&role=youth-worker" --data-urlencode "password=a youth worker password" "$BASE/staff/accounts")" "422"
check "  ... saying why" grep -q 'already an account with that name' "$TMP/dup.html"
check_eq "a short password: 422" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar3" --data-urlencode "_csrf=$CA" \
	-d "name=other&role=admin&password=short" "$BASE/staff/accounts")" "422"
check_eq "without the CSRF token: 403" "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar3" \
	-d "name=other2&role=admin" --data-urlencode "password=a youth worker password" "$BASE/staff/accounts")" "403"
check "the new account can sign in" test -n "$(sign_in "$TMP/jar4" newbie)"
check "the server stops cleanly" stop_server

DB="$DATA/youthvoice.db"
check "the quote's words are nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qa '$MARK' -"
check "the phone number is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qaE '07700 ?900' -"
check_eq "quotes and notes, short and of 1,000 emoji or '<', are sealed to one length" "$(sqlite3 "$DB" 'SELECT group_concat(DISTINCT length(sealed)) FROM focus_sealed')" "$((4 * 1024 + 48))"
check_eq "  ... to the active key" "$(sqlite3 "$DB" 'SELECT DISTINCT key_id FROM focus_sealed')" "$(cat "$DATA/keys/active")"
check "every change is in the audit log" bash -c "[ \$(sqlite3 '$DB' \"SELECT count(*) FROM audit WHERE action IN ('added a focus group','added a key message','removed a key message','sealed a quote or note','locked a focus group','changed a consultation')\") -ge 8 ]"
finish
