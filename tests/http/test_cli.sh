#!/usr/bin/env bash
# The command-line contract: exit statuses, one-line messages, definitions
# checked at start, keygen, and survey-export's usage errors.
. "$(dirname "$0")/lib.sh"

# run_cli WANT_STATUS DESCRIPTION COMMAND...: checks the exit status and keeps stderr.
run_cli() {
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	check_eq "$what (exit status)" "$?" "$want"
}

run_cli 2 "survey-server with no command is a usage error" "$SERVER_BIN"
run_cli 2 "an unknown command is a usage error" "$SERVER_BIN" frobnicate
check "  ... and says which" grep -q 'unknown command "frobnicate"' "$TMP/err"
run_cli 2 "an unknown option is a usage error" "$SERVER_BIN" serve --colour
run_cli 2 "an option without its value is a usage error" "$SERVER_BIN" serve --data
check "  ... the usage on standard error" grep -q '^usage: survey-server serve' "$TMP/err"
check "  ... nothing on standard output" test ! -s "$TMP/out"

# --help: the usage on standard output, exit 0, nothing on standard error.
for args in --help -h "serve --help" "keygen -h" "user add --help"; do
	# shellcheck disable=SC2086  # the words of args are separate arguments
	run_cli 0 "survey-server $args shows the usage" "$SERVER_BIN" $args
	check "  ... on standard output" grep -q '^usage: survey-server serve' "$TMP/out"
	check "  ... naming every command" bash -c "grep -q 'survey-server keygen' '$TMP/out' && grep -q 'survey-server backup' '$TMP/out'"
	check "  ... nothing on standard error" test ! -s "$TMP/err"
done

# A broken survey definition stops the server at start, naming file, field and problem.
FORMS="$TMP/forms"
mkdir -p "$FORMS/surveys" "$FORMS/static"
cp "$ROOT/forms/taxonomy.json" "$ROOT/forms/consultations.json" "$FORMS/"
cp "$ROOT/forms/static/style.css" "$ROOT/forms/static/staff.css" "$FORMS/static/"
sed 's/"type": "multiple"/"type": "checkboxes"/' "$ROOT/forms/surveys/what-matters.json" >"$FORMS/surveys/broken.json"
run_cli 1 "a broken definition stops the server" "$SERVER_BIN" serve --data "$TMP/d1" --forms "$FORMS" --listen 127.0.0.1:0
check "  ... naming the file, the field and the problem" \
	grep -q 'surveys/broken.json: questions\[1\].type: "checkboxes" is not a question type' "$TMP/err"
check_eq "  ... in one line" "$(wc -l <"$TMP/err")" "1"
sed 's/"themes": \["transport"\]/"themes": ["buses"]/' "$ROOT/forms/surveys/what-matters.json" >"$FORMS/surveys/broken.json"
run_cli 1 "an option with an unknown theme stops the server" "$SERVER_BIN" serve --data "$TMP/d1" --forms "$FORMS" --listen 127.0.0.1:0
check "  ... naming the theme's path" grep -q 'questions\[1\].options\[2\].themes\[0\]: is not a theme id' "$TMP/err"
printf '{ "id": "x", ' >"$FORMS/surveys/broken.json"
run_cli 1 "a definition that is not JSON stops the server" "$SERVER_BIN" serve --data "$TMP/d1" --forms "$FORMS" --listen 127.0.0.1:0
check "  ... saying so" grep -q 'broken.json: (top level): not valid JSON' "$TMP/err"
rm "$FORMS/surveys/broken.json"

# keygen
DATA="$TMP/data"
printf 'correct horse battery staple\n' >"$TMP/pass"
printf 'short\n' >"$TMP/short"
run_cli 2 "keygen without --passphrase-file is a usage error" "$SERVER_BIN" keygen --data "$DATA"
run_cli 1 "keygen refuses a short passphrase" "$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/short"
run_cli 1 "keygen with a missing passphrase file fails" "$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/nope"
run_cli 0 "keygen makes a key" "$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass"
first=$(cat "$DATA/keys/active")
check "  ... with a public and a sealed secret file" test -f "$DATA/keys/$first.public" -a -f "$DATA/keys/$first.secret"
check "  ... the secret readable only by its owner" bash -c "[ \$(stat -c %a '$DATA/keys/$first.secret') = 600 ]"
check "  ... and the passphrase is nowhere in the data folder" bash -c "folder_bytes '$DATA' | no_match -qa 'correct horse' -"
run_cli 1 "keygen will not replace a key without --rotate" "$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass"
run_cli 0 "keygen --rotate adds a key" "$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$TMP/pass" --rotate
check "  ... which becomes active, keeping the old one" \
	bash -c "[ \"\$(cat '$DATA/keys/active')\" != '$first' ] && [ -f '$DATA/keys/$first.secret' ]"

# On a terminal, keygen asks for the passphrase twice (script(1) gives it one).
typed() { # typed FIRST SECOND DATA
	rm -f "$TMP/tty.out"
	type_at_prompts "$TMP/tty.out" 'Passphrase for the new secret key\|Type it again' "$1" "$2" |
		script -qec "'$SERVER_BIN' keygen --data '$3'" /dev/null >"$TMP/tty.out" 2>&1
}
typed 'typed at the terminal' 'typed at the terminal' "$TMP/tty1"
check_eq "keygen on a terminal with the passphrase typed twice (exit status)" "$?" "0"
check "  ... asked twice" bash -c "grep -q 'Passphrase for the new secret key' '$TMP/tty.out' && grep -q 'Type it again' '$TMP/tty.out'"
check "  ... made the key" test -f "$TMP/tty1/keys/active"
check "  ... and did not echo the passphrase" bash -c "no_match -q 'typed at the terminal' '$TMP/tty.out'"
typed 'typed at the terminal' 'something else typed' "$TMP/tty2"
check_eq "two different passphrases: keygen fails" "$?" "1"
check "  ... and makes no key" test ! -e "$TMP/tty2/keys/active"

# The server uses that key and does not make another.
start_server "$DATA" || fail "server starts with an existing key"
check "a server with a key makes no new one" bash -c "no_match -q 'made a new key' '$SERVER_LOG'"
check "  ... and seals to the active key" grep -q "sealing to key $(cat "$DATA/keys/active")" "$SERVER_LOG"
check "the server stops cleanly on SIGINT too" bash -c "kill -INT $SERVER_PID"
wait "$SERVER_PID"
check_eq "  ... with status 0" "$?" "0"
SERVER_PID=

# survey-export usage
run_cli 2 "survey-export with no command is a usage error" "$EXPORT_BIN" --data "$DATA"
check "  ... the usage on standard error" grep -q '^usage: survey-export' "$TMP/err"
check "  ... nothing on standard output" test ! -s "$TMP/out"
run_cli 2 "an unknown export option is a usage error" "$EXPORT_BIN" --colour red themes
check "  ... the usage on standard error" grep -q '^usage: survey-export' "$TMP/err"
for args in --help -h "themes --help" "--data $TMP/nowhere --help"; do
	# shellcheck disable=SC2086  # the words of args are separate arguments
	run_cli 0 "survey-export $args shows the usage" "$EXPORT_BIN" $args
	check "  ... on standard output" grep -q '^usage: survey-export' "$TMP/out"
	check "  ... nothing on standard error" test ! -s "$TMP/err"
done
run_cli 2 "an unknown export is a usage error" "$EXPORT_BIN" --data "$DATA" everything
run_cli 2 "a bad --format is a usage error" "$EXPORT_BIN" --data "$DATA" themes --format xml
run_cli 2 "a bad --min-cell is a usage error" "$EXPORT_BIN" --data "$DATA" themes --min-cell -3
run_cli 2 "a bad --round is a usage error" "$EXPORT_BIN" --data "$DATA" themes --round 0
run_cli 0 "themes --round 5 works" "$EXPORT_BIN" --data "$DATA" themes --round 5 --format json
check "  ... and says the rounding used" grep -q '"round":	5' "$TMP/out"
run_cli 1 "no database is a runtime failure" "$EXPORT_BIN" --data "$TMP/empty" themes
check "  ... with a one-line message" bash -c "[ \$(wc -l <'$TMP/err') = 1 ]"
run_cli 1 "an unknown consultation is a runtime failure" "$EXPORT_BIN" --data "$DATA" themes --consultation nope
run_cli 0 "themes writes to a file with -o" "$EXPORT_BIN" --data "$DATA" themes -o "$TMP/t.csv"
check "  ... the CONTRACT's header, then free_text" bash -c "head -n 1 '$TMP/t.csv' | tr -d '\r' | grep -qx 'priority_number,priority,theme,survey,focus_group,marketplace,total,free_text'"
check "  ... and nothing on standard output" test ! -s "$TMP/out"

finish
