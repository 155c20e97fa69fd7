#!/usr/bin/env bash
# Key custody (issue 18; docs/keys.md, the README's key ceremony), on one
# key made once (Argon2id makes each opening cost half a second):
# - keygen --shares 3 --threshold 2 writes three share files outside the
#   data folder; no share's text is anywhere under the data folder; a share
#   file inside it, or over an existing file, is refused and nothing written;
#   with no terminal and no --share-file, no share is shown anywhere;
# - the shares are real Shamir shares of the key's secret, checked without
#   the server's code (tests/http/share_combine.py, then the public key by
#   libsodium's JavaScript build): every pair rebuilds it; one share alone
#   fails recovery, and neither its output nor the folder holds any 8 hex
#   digits of the secret;
# - key check: a right passphrase or pair of shares is one line on standard
#   output and exit 0; a wrong passphrase, one share, a typo in a share is
#   one line on standard error and exit 1; nothing is exported;
# - key passphrase: the secret re-sealed (the public key and every sealed
#   answer byte for byte the same), the old passphrase refused by check and
#   by survey-export, every answer opened with the new one; a copy of the
#   secret file from before the change still opens with the old passphrase;
# - key recover from each pair (the shares made at keygen, after a passphrase
#   change and a later split), each under its own new passphrase, which then
#   opens every answer;
# - the staff Key page: commissioners only, CSRF, a check right and wrong
#   (the passphrase never shown again), a change, five wrong tries then 429
#   there, on the export page, in analysis and the equalities view
#   (passphrase tries, kind 3),
#   while signing in still works (wrong passphrases never lock a sign-in);
# - every event in the audit log, and no passphrase, share or secret there.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
OUT="$TMP/custodians"       # where the keepers' shares go: outside the data folder
mkdir -p "$DATA" "$OUT"
P1="$TMP/p1"; P2="$TMP/p2"; PW="$TMP/pw-web"
printf 'first passphrase of the key ceremony\n' >"$P1"
printf 'second passphrase after someone left\n' >"$P2"
printf 'changed on the staff key page\n' >"$PW"

# run WANT DESCRIPTION COMMAND...: exit status checked; output kept in $TMP/out, $TMP/err.
run() {
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	check_eq "$what (exit status)" "$?" "$want"
}
lines() { wc -l <"$1" | tr -d ' '; }
one_line_ok() { # one_line_ok WHAT: one line on stdout, none on stderr
	check_eq "  ... one line on standard output" "$(lines "$TMP/out")" 1
	check "  ... nothing on standard error" test ! -s "$TMP/err"
}
one_line_err() { # one_line_err: one line on stderr, none on stdout
	check_eq "  ... one line on standard error" "$(lines "$TMP/err")" 1
	check "  ... nothing on standard output" test ! -s "$TMP/out"
}

# --- the key, split at its making ---------------------------------------------------------------------
run 0 "keygen --shares 3 --threshold 2 with a share file each" "$SERVER_BIN" keygen --data "$DATA" \
	--passphrase-file "$P1" --shares 3 --threshold 2 \
	--share-file "$OUT/alex" --share-file "$OUT/dpo" --share-file "$OUT/head"
KEY=$(cat "$DATA/keys/active")
check "  ... says where the shares went" grep -q "split key $KEY into 3 shares, any 2 of which recover it" "$TMP/out"
check "  ... three share files, each readable by its owner only" \
	bash -c "for f in alex dpo head; do [ \"\$(stat -c %a '$OUT/'\$f)\" = 600 ] || exit 1; done"
check "  ... each labelled with its number and key" bash -c "grep -q '^youthvoice key share 1 of 3 for key $KEY (any 2 recover it)$' '$OUT/alex' &&
	grep -q '^youthvoice key share 3 of 3 for key $KEY' '$OUT/head'"
# The share text (its hex lines), looked for everywhere under the data folder.
for f in alex dpo head; do
	sed -n 2p "$OUT/$f" >"$TMP/$f.line1"
	check "  ... share $f is nowhere under the data folder" bash -c "folder_bytes '$DATA' | no_match -qF -f '$TMP/$f.line1' -"
done
check "  ... nor in what keygen printed" bash -c "no_match -qF -f '$TMP/alex.line1' '$TMP/out'"

# Where shares may not go.
run 2 "a share file inside the data folder is refused" "$SERVER_BIN" key split --data "$DATA" --passphrase-file "$P1" \
	--shares 3 --threshold 2 --share-file "$OUT/x1" --share-file "$DATA/x2" --share-file "$OUT/x3"
one_line_err
check "  ... saying so" grep -q 'a share file must be outside the data folder' "$TMP/err"
check "  ... and no share is written at all" bash -c "[ ! -e '$OUT/x1' ] && [ ! -e '$DATA/x2' ] && [ ! -e '$OUT/x3' ]"
run 2 "  ... nor deeper inside it, by a roundabout path" "$SERVER_BIN" key split --data "$DATA" --passphrase-file "$P1" \
	--shares 2 --threshold 2 --share-file "$OUT/../data/keys/x" --share-file "$OUT/y"
check "  ... nothing written in the key folder" test ! -e "$DATA/keys/x"
ln -s "$DATA" "$OUT/link"
run 2 "  ... nor through a link into it" "$SERVER_BIN" key split --data "$DATA" --passphrase-file "$P1" \
	--shares 2 --threshold 2 --share-file "$OUT/link/x" --share-file "$OUT/y"
check "  ... nothing written there" test ! -e "$DATA/x"
rm "$OUT/link"
run 2 "keygen --shares with a share file in the data folder is refused before any key is made" \
	"$SERVER_BIN" keygen --data "$TMP/data2" --passphrase-file "$P1" --shares 2 --threshold 2 \
	--share-file "$TMP/data2/a" --share-file "$OUT/b2"
check "  ... no key made" test ! -e "$TMP/data2/keys/active"
run 1 "a share is never written over an existing file" "$SERVER_BIN" key split --data "$DATA" --passphrase-file "$P1" \
	--shares 2 --threshold 2 --share-file "$OUT/alex" --share-file "$OUT/new"
check "  ... the existing file untouched" grep -qF -f "$TMP/alex.line1" "$OUT/alex"
run 2 "with no terminal and no --share-file, no share is shown" "$SERVER_BIN" key split --data "$DATA" \
	--passphrase-file "$P1" --shares 3 --threshold 2
check "  ... saying why" grep -q 'no terminal to show the shares on' "$TMP/err"
run 2 "--threshold above --shares is a usage error" "$SERVER_BIN" key split --data "$DATA" --passphrase-file "$P1" \
	--shares 2 --threshold 3 --share-file "$OUT/q1" --share-file "$OUT/q2"

# On a terminal, each share is shown alone (script(1) gives it one) and
# cleared before the next; nothing of them goes to standard output.
rm -f "$TMP/tty.out"
type_at_prompts "$TMP/tty.out" 'press Enter' '' '' |
	script -qec "'$SERVER_BIN' key split --data '$DATA' --passphrase-file '$P1' --shares 2 --threshold 2 2>'$TMP/tty.err' >'$TMP/tty.stdout'" /dev/null >"$TMP/tty.out"
check_eq "key split on a terminal (exit status)" "$?" "0"
check "  ... shows share 1 and share 2" bash -c "grep -q 'youthvoice key share 1 of 2' '$TMP/tty.out' && grep -q 'youthvoice key share 2 of 2' '$TMP/tty.out'"
check "  ... clearing the screen between them" bash -c "[ \$(grep -o \$'\\033\\[2J' '$TMP/tty.out' | wc -l) -ge 3 ]"
check "  ... and no share on standard output" bash -c "grep -q 'each was shown once on the terminal' '$TMP/tty.stdout' && no_match -q 'youthvoice key share' '$TMP/tty.stdout'"

# --- the shares are the key's secret, checked without our code ---------------------------------------
PUBLIC=$(sed -n 's/^public //p' "$DATA/keys/$KEY.public")
SECRET=$(/usr/bin/python3 "$ROOT/tests/http/share_combine.py" "$OUT/alex" "$OUT/dpo")
check_eq "shares 1 and 2 interpolate to the secret of the key's public key" \
	"$(node "$ROOT/tests/http/public_of.mjs" "$SECRET")" "$PUBLIC"
check_eq "  ... 1 and 3 to the same secret" "$(/usr/bin/python3 "$ROOT/tests/http/share_combine.py" "$OUT/alex" "$OUT/head")" "$SECRET"
check_eq "  ... 2 and 3 too" "$(/usr/bin/python3 "$ROOT/tests/http/share_combine.py" "$OUT/head" "$OUT/dpo")" "$SECRET"
# no_secret_in FILE...: none of the secret's 8-hex-digit pieces is in the files.
no_secret_in() {
	local i
	for i in $(seq 0 2 56); do echo "${SECRET:$i:8}"; done >"$TMP/pieces"
	no_match -qiF -f "$TMP/pieces" "$@"
}
no_secret_in "$OUT/alex" "$OUT/dpo" "$OUT/head"
check_eq "no share file holds any 8 hex digits of the secret" "$?" 0

# --- answers to keep readable -------------------------------------------------------------------------
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
for m in talk online safe; do
	curl -s -o /dev/null --max-time 20 -d "_token=$(fresh_token what-matters)" -d most-important=$m \
		-d 'make-better[]=sport' -d age=14-15 -d district=northvale \
		--data-urlencode "tell-us=kept through every key change $m" "$BASE/s/what-matters"
done
DB="$DATA/youthvoice.db"
check_eq "three answers sealed" "$(sqlite3 "$DB" "SELECT count(*) FROM responses")" 3
# The sealed answers as the database holds them, in an order of their own
# (the server reorders rows at rest, core/store_tidy.c).
sealed() { sqlite3 "$DB" "SELECT key_id, hex(sealed) FROM responses ORDER BY 2" | sha256sum; }
SEALED=$(sealed)
export_with() { # export_with PASSFILE OUTFILE: survey-export's responses CSV
	"$EXPORT_BIN" --data "$DATA" --passphrase-file "$1" responses --consultation cyp-plan-2027 -o "$2" \
		>/dev/null 2>"$TMP/export.err" </dev/null
}
check "survey-export opens them with the first passphrase" export_with "$P1" "$TMP/answers-1.csv"
check "  ... every answer" bash -c "[ \$(grep -c 'kept through every key change' '$TMP/answers-1.csv') = 3 ]"

# --- check -------------------------------------------------------------------------------------------
run 0 "key check with the right passphrase" "$SERVER_BIN" key check --data "$DATA" --key "$KEY" --passphrase-file "$P1"
one_line_ok
check_eq "  ... saying so" "$(cat "$TMP/out")" "ok: the passphrase opens key $KEY"
check "  ... exporting nothing (the folder holds what it held)" bash -c "folder_bytes '$DATA' | no_match -q 'kept through' -"
run 1 "key check with a wrong passphrase" "$SERVER_BIN" key check --data "$DATA" --key "$KEY" --passphrase-file "$P2"
one_line_err
check_eq "  ... saying so" "$(cat "$TMP/err")" "survey-server: the passphrase does not open key $KEY"
run 0 "key check with two shares" "$SERVER_BIN" key check --data "$DATA" --share-file "$OUT/head" --share-file "$OUT/alex"
one_line_ok
check_eq "  ... saying so" "$(cat "$TMP/out")" "ok: the 2 shares open key $KEY"
run 1 "key check with one share of a 2-of-3 set" "$SERVER_BIN" key check --data "$DATA" --share-file "$OUT/dpo"
one_line_err
check "  ... saying how many are needed" grep -q 'too few shares for this set (this set needs 2 of its 3; 1 given)' "$TMP/err"
first=$(sed -n '3s/^\(.\).*/\1/p' "$OUT/dpo")
other=0; [ "$first" = 0 ] && other=1
sed "3s/^./$other/" "$OUT/dpo" >"$TMP/typo"     # a digit of the share proper mistyped
run 1 "key check with a mistyped share" "$SERVER_BIN" key check --data "$DATA" --share-file "$OUT/alex" --share-file "$TMP/typo"
one_line_err
check "  ... caught by its checksum" grep -q "checksum does not match" "$TMP/err"
run 1 "key check with the same share twice" "$SERVER_BIN" key check --data "$DATA" --share-file "$OUT/alex" --share-file "$OUT/alex"
one_line_err
# Shares on paper are typed at the terminal (--share-file -), unechoed, one
# line each; a mistyped one is asked for again.
typed_check() { # typed_check LINE...: key check --share-file - with those lines typed
	rm -f "$TMP/typed.tty"
	type_at_prompts "$TMP/typed.tty" 'Share [0-9] (its' "$@" |
		script -qec "'$SERVER_BIN' key check --data '$DATA' --share-file - 2>'$TMP/typed.err' >'$TMP/typed.stdout'" \
		/dev/null >"$TMP/typed.tty"
}
line_of() { sed -n '2,3p' "$1" | tr '\n' ' '; }
typed_check "$(line_of "$OUT/head")" "$(line_of "$OUT/dpo")"
check_eq "key check with two shares typed at the terminal (exit status)" "$?" 0
check_eq "  ... saying so" "$(cat "$TMP/typed.stdout")" "ok: the 2 shares open key $KEY"
check "  ... not echoing them" bash -c "no_match -qF -f '$TMP/dpo.line1' '$TMP/typed.tty'"
typed_check "$(line_of "$TMP/typo")" "$(line_of "$OUT/dpo")" "$(line_of "$OUT/alex")"
check_eq "a mistyped share at the terminal is asked for again (exit status)" "$?" 0
check "  ... saying why" grep -q "checksum does not match" "$TMP/typed.tty"
typed_check "not a share" "$(line_of "$TMP/typo")" "nor this"
check_eq "  ... three lines that are not shares: nothing done (exit status)" "$?" 1
run 2 "key check --key that is not an id is a usage error" "$SERVER_BIN" key check --data "$DATA" --key ../x --passphrase-file "$P1"
run 1 "key check of a key that is not there" "$SERVER_BIN" key check --data "$DATA" --key 0123456789abcdef --passphrase-file "$P1"
one_line_err

# --- passphrase change -------------------------------------------------------------------------------
cp "$DATA/keys/$KEY.public" "$TMP/public.before"
cp "$DATA/keys/$KEY.secret" "$TMP/secret.before"
run 1 "key passphrase with a wrong current passphrase" "$SERVER_BIN" key passphrase --data "$DATA" --key "$KEY" \
	--passphrase-file "$P2" --new-passphrase-file "$PW"
one_line_err
check "  ... refused before anything is written" cmp -s "$DATA/keys/$KEY.secret" "$TMP/secret.before"
run 0 "key passphrase from the first to the second" "$SERVER_BIN" key passphrase --data "$DATA" --key "$KEY" \
	--passphrase-file "$P1" --new-passphrase-file "$P2"
check "  ... said in one line" bash -c "[ \$(wc -l <'$TMP/out') = 1 ] && grep -q 'changed the passphrase of key $KEY' '$TMP/out'"
check "  ... the secret file replaced" bash -c "! cmp -s '$DATA/keys/$KEY.secret' '$TMP/secret.before'"
check "  ... no temporary file left" bash -c "[ -z \"\$(ls '$DATA/keys' | grep -v -e '\\.public\$' -e '\\.secret\$' -e '^active\$')\" ]"
check "  ... the public key the same" cmp -s "$DATA/keys/$KEY.public" "$TMP/public.before"
check_eq "  ... every sealed answer the same, byte for byte" "$(sealed)" "$SEALED"
run 1 "the old passphrase no longer opens the key" "$SERVER_BIN" key check --data "$DATA" --passphrase-file "$P1"
run 1 "survey-export refuses the old passphrase" "$EXPORT_BIN" --data "$DATA" --passphrase-file "$P1" responses \
	--consultation cyp-plan-2027 -o "$TMP/answers-old.csv"
check "  ... writing nothing" test ! -e "$TMP/answers-old.csv"
# What a change cannot reach: a copy of the secret file taken before it.
mkdir -p "$TMP/backup/keys"
cp "$DATA/keys/$KEY.public" "$TMP/backup/keys/" && cp "$TMP/secret.before" "$TMP/backup/keys/$KEY.secret"
run 0 "a backup of the secret file from before the change still opens with the old passphrase" \
	"$SERVER_BIN" key check --data "$TMP/backup" --key "$KEY" --passphrase-file "$P1"
check "survey-export opens every answer with the new one" export_with "$P2" "$TMP/answers-2.csv"
check "  ... the same answers as before" cmp -s "$TMP/answers-1.csv" "$TMP/answers-2.csv"

# --- recovery ----------------------------------------------------------------------------------------
cp "$DATA/keys/$KEY.secret" "$TMP/secret.now"
run 1 "key recover from one share of a 2-of-3 set fails" "$SERVER_BIN" key recover --data "$DATA" \
	--share-file "$OUT/dpo" --new-passphrase-file "$P1"
one_line_err
check "  ... the secret file untouched" cmp -s "$DATA/keys/$KEY.secret" "$TMP/secret.now"
cat "$TMP/out" "$TMP/err" >"$TMP/one-share.out"
no_secret_in "$TMP/one-share.out"
check_eq "  ... its output holds no 8 hex digits of the secret" "$?" 0
folder_bytes "$DATA" >"$TMP/data-folder.bytes"   # the server is running: see folder_bytes
no_secret_in "$TMP/data-folder.bytes"
check_eq "  ... nor does the data folder" "$?" 0
check "  ... and what one share interpolates to is not the secret" \
	test "$(/usr/bin/python3 "$ROOT/tests/http/share_combine.py" "$OUT/dpo")" != "$SECRET"
run 2 "key recover with no share is a usage error" "$SERVER_BIN" key recover --data "$DATA" --new-passphrase-file "$P1"
n=0
for pair in "alex dpo" "alex head" "dpo head"; do
	n=$((n + 1))
	set -- $pair
	printf 'recovered by %s and %s together\n' "$1" "$2" >"$TMP/pr$n"
	run 0 "key recover from $1 and $2" "$SERVER_BIN" key recover --data "$DATA" --share-file "$OUT/$1" \
		--share-file "$OUT/$2" --new-passphrase-file "$TMP/pr$n"
	check "  ... said in one line" bash -c "[ \$(wc -l <'$TMP/out') = 1 ] && grep -q 'recovered key $KEY from 2 shares' '$TMP/out'"
	check "  ... every answer opens with its new passphrase" export_with "$TMP/pr$n" "$TMP/answers-r$n.csv"
	check "  ... the same answers" cmp -s "$TMP/answers-1.csv" "$TMP/answers-r$n.csv"
done
run 1 "the passphrase before recovery no longer opens it" "$SERVER_BIN" key check --data "$DATA" --passphrase-file "$P2"
check_eq "  ... every sealed answer still the same" "$(sealed)" "$SEALED"
run 0 "key list names the key, active" "$SERVER_BIN" key list --data "$DATA"
check "  ... with its day" grep -q "^$KEY  made $(date -u +%Y-%m-%d)  active" "$TMP/out"

mkdir -p "$TMP/nosecret/keys"
cp "$DATA/keys/$KEY.public" "$TMP/nosecret/keys/"
run 0 "key list names a key whose secret file is missing" "$SERVER_BIN" key list --data "$TMP/nosecret"
check "  ... saying to recover it" grep -q "^$KEY  made .*NO SECRET FILE: recover it from its shares" "$TMP/out"

# --- the staff Key page -------------------------------------------------------------------------------
add_staff "$DATA" cleo:commissioner kai:youth-worker || fail "staff accounts"
CC=$(sign_in "$TMP/c" cleo)
sign_in "$TMP/k" kai >/dev/null
req "$TMP/k" "$BASE/staff/key"
check_eq "a youth worker cannot open the Key page" "${R%% *}" 403
req "$TMP/c" "$BASE/staff/key"
check_eq "a commissioner can" "${R%% *}" 200
check "  ... listing the key as active" grep -q "<code>$KEY</code>, made .*: new answers are sealed to it" "$B"
check "  ... with a check form and a change form" bash -c "grep -q 'action=\"/staff/key/check\"' '$B' && grep -q 'action=\"/staff/key/passphrase\"' '$B'"
req "$TMP/c" "$BASE/staff"
check "the staff home links to it" grep -q 'href="/staff/key"' "$B"
req "$TMP/c" "$BASE/staff/key/check"
check_eq "GET of the check form's address: 405" "${R%% *}" 405
req "$TMP/c" --data-urlencode "key=$KEY" --data-urlencode "passphrase=$(cat "$TMP/pr3")" "$BASE/staff/key/check"
check_eq "a check without the CSRF token: 403" "${R%% *}" 403
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" --data-urlencode "passphrase=$(cat "$TMP/pr3")" "$BASE/staff/key/check"
check_eq "a check with the right passphrase: 200" "${R%% *}" 200
check "  ... saying it opens the key" grep -q "The passphrase opens key $KEY. Nothing was exported." "$B"
check "  ... never showing it again" bash -c "no_match -q 'recovered by' '$B'"
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" -d "passphrase=not the passphrase 42" "$BASE/staff/key/check"
check_eq "a wrong passphrase: 422" "${R%% *}" 422
check "  ... an error summary linking to the field" grep -q '<a href="#k-check-pass">That passphrase does not open key' "$B"
check "  ... never showing it again" bash -c "no_match -q 'not the passphrase 42' '$B'"
req "$TMP/c" -d "_csrf=$CC" -d "key=0123456789abcdef" -d "passphrase=x" "$BASE/staff/key/check"
check_eq "a key that is not there: 400" "${R%% *}" 400
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" -d current=x -d new=short -d again=short "$BASE/staff/key/passphrase"
check_eq "a change to a short passphrase: 422" "${R%% *}" 422
check "  ... saying how long" grep -q '<a href="#k-new">Give a new passphrase of at least 12 characters' "$B"
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" --data-urlencode "current=$(cat "$TMP/pr3")" --data-urlencode "new=$(cat "$PW")" \
	-d "again=something else entirely" "$BASE/staff/key/passphrase"
check_eq "a change typed differently twice: 422" "${R%% *}" 422
check "  ... neither passphrase shown again" bash -c "no_match -q -e 'recovered by' -e 'changed on the staff' '$B'"
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" --data-urlencode "current=$(cat "$TMP/pr3")" --data-urlencode "new=$(cat "$PW")" \
	--data-urlencode "again=$(cat "$PW")" "$BASE/staff/key/passphrase"
check_eq "a change: 303 to the page" "$R" "303 $BASE/staff/key?done=passphrase"
req "$TMP/c" "$BASE/staff/key?done=passphrase"
check "  ... which says it is done" grep -q 'The passphrase is changed. The old one no longer opens the key' "$B"
run 0 "the command line agrees: the new passphrase opens the key" "$SERVER_BIN" key check --data "$DATA" --passphrase-file "$PW"
check "  ... and it opens every answer" export_with "$PW" "$TMP/answers-web.csv"
check "  ... the same answers" cmp -s "$TMP/answers-1.csv" "$TMP/answers-web.csv"
check_eq "  ... every sealed answer still the same" "$(sealed)" "$SEALED"
# Wrong passphrases are tries of their own kind (schema 26; the right ones
# above cleared them): five wrong within 15 minutes, and the next waits, on
# the Key page, the export page and analysis alike; signing in does not.
codes=""
for i in 1 2 3 4 5 6; do
	req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" -d "passphrase=wrong guess $i of many" "$BASE/staff/key/check"
	codes="$codes ${R%% *}"
done
check_eq "wrong passphrases on the page: five refused, then 429" "$codes" " 422 422 422 422 422 429"
check "  ... saying to wait" grep -q 'Too many wrong passphrases. Try again in' "$B"
check_eq "  ... counted as passphrase tries (kind 3), not passwords" \
	"$(sqlite3 "$DB" "SELECT group_concat(kind) FROM account_attempts a JOIN users u ON u.id = a.user_id WHERE u.name = 'cleo'")" 3
req "$TMP/c" -d "_csrf=$CC" -d "key=$KEY" --data-urlencode "passphrase=$(cat "$PW")" "$BASE/staff/key/check"
check_eq "  ... even the right one waits" "${R%% *}" 429
req "$TMP/c" -d "_csrf=$CC" -d consultation=cyp-plan-2027 -d kind=responses-csv --data-urlencode "passphrase=$(cat "$PW")" \
	"$BASE/staff/export/decrypted"
check_eq "  ... and so does the export page: one limit for every passphrase" "${R%% *}" 429
check "  ... saying to wait" grep -q 'Too many wrong passphrases. Try again in' "$B"
req "$TMP/c" -d "_csrf=$CC" -d pass=1 --data-urlencode "passphrase=$(cat "$PW")" \
	"$BASE/staff/consultations/cyp-plan-2027/analyse/open"
check_eq "  ... and analysis" "${R%% *}" 429
req "$TMP/c" -d "_csrf=$CC" --data-urlencode "passphrase=$(cat "$PW")" "$BASE/staff/consultations/cyp-plan-2027/equalities"
check_eq "  ... and the equalities view" "${R%% *}" 429
T=$(curl -s -c "$TMP/c2" "$BASE/staff/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
req "$TMP/c2" -d "_csrf=$T" -d name=cleo --data-urlencode "password=$STAFF_PASSWORD" "$BASE/staff/login"
check_eq "  ... but signing in with the right password does not: wrong passphrases never lock a sign-in" \
	"${R%% *}" 303
req "$TMP/c2" "$BASE/staff/key"
check_eq "  ... the new session opens the Key page" "${R%% *}" 200
stop_server || fail "server stops cleanly"

# --- the audit log ------------------------------------------------------------------------------------
audit_has() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE who = '$1' AND action = '${2//\'/\'\'}' AND detail LIKE '%$KEY%'")" -ge "${3:-1}" ]; }
check "audit: the key made" audit_has '(command line)' 'made a key'
check "audit: split, twice (keygen, and on the terminal)" audit_has '(command line)' 'split a key' 2
check "audit: checked" audit_has '(command line)' 'checked a key'
check "audit: a passphrase refused" audit_has '(command line)' 'checked a key: passphrase refused'
check "audit: shares refused" audit_has '(command line)' 'checked a key: shares refused'
check "audit: passphrase changed" audit_has '(command line)' "changed a key's passphrase"
check "audit: a change refused" audit_has '(command line)' 'key passphrase change refused'
check "audit: recovered three times" audit_has '(command line)' 'recovered a key' 3
check "audit: a recovery refused" audit_has '(command line)' 'key recovery refused'
check "audit: on the page, checked by cleo" audit_has cleo 'checked a key'
check "audit: on the page, refused" audit_has cleo 'checked a key: passphrase refused'
check "audit: on the page, changed by cleo" audit_has cleo "changed a key's passphrase"
sqlite3 "$DB" "SELECT * FROM audit" >"$TMP/audit.txt"
check "the audit log holds no passphrase" bash -c "no_match -q -e 'first passphrase' -e 'second passphrase' -e 'recovered by' -e 'changed on the staff' -e 'wrong guess' -e 'not the passphrase' '$TMP/audit.txt'"
check "  ... no share" bash -c "no_match -qF -f '$TMP/alex.line1' -f '$TMP/dpo.line1' -f '$TMP/head.line1' '$TMP/audit.txt'"
no_secret_in "$TMP/audit.txt"
check_eq "  ... and no piece of the secret" "$?" 0
check "the server log holds no passphrase either" bash -c "no_match -q -e 'recovered by' -e 'changed on the staff' -e 'wrong guess' '$SERVER_LOG'"
check "  ... and no share" bash -c "no_match -qF -f '$TMP/alex.line1' -f '$TMP/dpo.line1' -f '$TMP/head.line1' '$SERVER_LOG'"

# --- usage -------------------------------------------------------------------------------------------
run 0 "survey-server key --help shows the usage" "$SERVER_BIN" key --help
check "  ... naming every key command" bash -c "for c in list check passphrase split recover; do grep -q \"survey-server key \$c\" '$TMP/out' || exit 1; done"
run 2 "an unknown key command is a usage error" "$SERVER_BIN" key frobnicate --data "$DATA"
one_line_err

finish
