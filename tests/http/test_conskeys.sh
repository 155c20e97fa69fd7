#!/usr/bin/env bash
# A key per consultation (issue 18; docs/keys.md, the README's key ceremony,
# docs/threat-model.md).  Three consultations (tests/http/rounds.py forms):
# cyp-2021 and cyp-2023 each get a key of their own, cyp-2018 keeps the
# server's key.
# - keygen --consultation: refused for a consultation the data folder does
#   not know, or that has a key already (without --rotate); made while the
#   server runs, it is taken up with no restart: the consultation's new
#   answers (a kiosk's too), focus-group quotes and analysis codes are
#   sealed to it (key_id),
#   its earlier answers keep the server's key, other consultations are not
#   touched; a pointer to a key not made for the consultation stops its
#   sealing (503) rather than sealing to any other key; an analysis opened
#   with a passphrase that does not open the consultation's key seals no
#   code (409);
# - survey-export responses|report|breakdowns of one consultation open with
#   its own passphrase; another consultation's passphrase, or the server's,
#   is one clear line on standard error, exit 1, nothing written; the
#   server's passphrase still opens what was sealed to the server's key
#   (the contract's keygen, serve, export sequence for cyp-2018);
# - the staff export page, the equalities view and Analyse answers take the
#   consultation's passphrase and refuse the other's (422);
# - key list names the consultation each key serves; key check, passphrase,
#   split and recover work on --consultation's key; no share is ever under the data
#   folder; --key of another consultation is refused;
# - rotation: keygen --consultation --rotate seals new rows to the new key,
#   old rows keep theirs and open with the old passphrase;
# - the Key page lists which consultation each key serves.
. "$(dirname "$0")/lib.sh"
# Opening an analysis reads the sentence model and works out the seed
# words' vectors (0.8 s on the release build, 15 s or more under ASan on a
# busy machine), and the first page after it trains: more than req's 20 s.
REQ_MAX_TIME=120

DATA="$TMP/data"
FORMS="$TMP/forms"
OUT="$TMP/custodians"         # the keepers' shares: outside the data folder
mkdir -p "$DATA" "$OUT"
/usr/bin/python3 "$ROOT/tests/http/rounds.py" forms "$FORMS" || fail "the forms folder"
PS="$TMP/ps"; PA="$TMP/pa"; PB="$TMP/pb"; PB2="$TMP/pb2"; PA2="$TMP/pa2"
printf 'the server key passphrase here\n' >"$PS"
printf 'consultation twenty twenty-one\n' >"$PA"
printf 'consultation twenty twenty-three\n' >"$PB"
printf 'twenty twenty-three after rotation\n' >"$PB2"
printf 'twenty twenty-one recovered from shares\n' >"$PA2"
DB="$DATA/youthvoice.db"

run() { # run WANT DESCRIPTION COMMAND...: exit status checked; output in $TMP/out, $TMP/err
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	check_eq "$what (exit status)" "$?" "$want"
}
lines() { wc -l <"$1" | tr -d ' '; }
one_line_err() {
	check_eq "  ... one line on standard error" "$(lines "$TMP/err")" 1
	check "  ... nothing on standard output" test ! -s "$TMP/out"
}
answer() { # answer YEAR WORDS: one response to wm-YEAR; prints its status
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token "wm-$1")" -d most-important=talk \
		-d "make-better[]=sport" -d age=14-15 -d district=northvale --data-urlencode "tell-us=$2" "$BASE/s/wm-$1"
}
keys_of() { # keys_of CONSULTATION: "key_id count" of its responses, by key
	sqlite3 "$DB" "SELECT key_id || ' ' || count(*) FROM responses WHERE consultation = '$1' GROUP BY key_id ORDER BY key_id"
}
ex() { # ex PASSFILE COMMAND CONSULTATION OUTFILE WANT DESCRIPTION: survey-export, its exit status checked
	run "$5" "$6" "$EXPORT_BIN" --data "$DATA" --passphrase-file "$1" "$2" --consultation "$3" -o "$4"
}

# --- keys made before the server has seen a consultation ------------------------------------------
run 0 "keygen of the server's key on an empty folder (the contract's first step)" \
	"$SERVER_BIN" keygen --data "$DATA" --passphrase-file "$PS"
KS=$(cat "$DATA/keys/active")
run 1 "keygen --consultation before the server has started with it is refused" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-2021 --passphrase-file "$PA"
one_line_err
check "  ... saying there is no such consultation" grep -q 'there is no consultation cyp-2021 in' "$TMP/err"
run 2 "keygen --consultation with an id that is no consultation's is a usage error" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation ../keys --passphrase-file "$PA"

add_staff "$DATA" cleo:commissioner || fail "staff account"
NO_KEYGEN=1 start_server "$DATA" "$FORMS" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
check_eq "two answers to cyp-2021 before it has a key of its own" \
	"$(answer 2021 'before the key of its own one') $(answer 2021 'before the key of its own two')" "303 303"
check_eq "  ... sealed to the server's key" "$(keys_of cyp-2021)" "$KS 2"
run 1 "keygen --consultation of a consultation the server does not know is refused" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-1999 --passphrase-file "$PA"

# --- keys of their own, made while the server runs -----------------------------------------------
run 0 "keygen --consultation cyp-2021, split 2 of 3, while the server runs" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-2021 --passphrase-file "$PA" \
	--shares 3 --threshold 2 --share-file "$OUT/a1" --share-file "$OUT/a2" --share-file "$OUT/a3"
KA=$(cat "$DATA/keys/consultation-cyp-2021")
check "  ... says whose key it is" grep -q "made key $KA for consultation cyp-2021; its new answers are sealed to it" "$TMP/out"
check "  ... and where the shares went" grep -q "split key $KA into 3 shares" "$TMP/out"
check_eq "  ... the server's key still active" "$(cat "$DATA/keys/active")" "$KS"
check "  ... its public file names the consultation" grep -qx 'consultation cyp-2021' "$DATA/keys/$KA.public"
run 0 "keygen --consultation cyp-2023" "$SERVER_BIN" keygen --data "$DATA" --consultation cyp-2023 --passphrase-file "$PB"
KB=$(cat "$DATA/keys/consultation-cyp-2023")
run 1 "keygen --consultation cyp-2023 again without --rotate is refused" \
	"$SERVER_BIN" keygen --data "$DATA" --consultation cyp-2023 --passphrase-file "$PB2"
one_line_err
check "  ... saying it has a key" grep -q "consultation cyp-2023 already has a key of its own (id $KB)" "$TMP/err"
check "three different keys" test "$KS" != "$KA" -a "$KS" != "$KB" -a "$KA" != "$KB"

# Taken up within a second, with no restart: the server looks at a
# consultation's key at most once a second.
sleep 1.1
check_eq "an answer to cyp-2021 a second later" "$(answer 2021 'taken up with no restart')" 303
check "  ... a running server takes up the new key without a restart" \
	grep -q "consultation cyp-2021: its answers are sealed to its own key $KA" "$SERVER_LOG"
check_eq "three more answers to cyp-2021, two to cyp-2023, one to cyp-2018" \
	"$(answer 2021 'twenty-one own key one') $(answer 2021 'twenty-one own key two') $(answer 2021 'twenty-one own key three') $(answer 2023 'twenty-three own key one') $(answer 2023 'twenty-three own key two') $(answer 2018 'eighteen server key')" \
	"303 303 303 303 303 303"
check_eq "  ... cyp-2021's new ones sealed to its key, its first two still to the server's" \
	"$(keys_of cyp-2021 | sort)" "$(printf '%s\n' "$KA 4" "$KS 2" | sort)"
check_eq "  ... cyp-2023's to its own" "$(keys_of cyp-2023)" "$KB 2"
check_eq "  ... cyp-2018's to the server's" "$(keys_of cyp-2018)" "$KS 1"
NA=4

# A focus-group quote and an analysis code of cyp-2023: sealed to its key.
CC=$(sign_in "$TMP/c" cleo)
req "$TMP/c" -d "_csrf=$CC" -d consultation=cyp-2023 -d day=2026-11-20 -d district=Northvale -d participants=8 \
	-d age_from=12 -d age_to=15 "$BASE/staff/groups"
GROUP=${R#* }
req "$TMP/c" -d "_csrf=$CC" -d kind=quote -d no_names=yes --data-urlencode "text=a quote for twenty-three only" "$GROUP/sealed"
check_eq "a focus-group quote of cyp-2023 is sealed" "${R%% *}" 303
check_eq "  ... to cyp-2023's key" "$(sqlite3 "$DB" "SELECT key_id FROM focus_sealed")" "$KB"
A="$BASE/staff/consultations/cyp-2023/analyse"
req "$TMP/c" -d "_csrf=$CC" -d pass=1 --data-urlencode "passphrase=$(cat "$PA")" "$A/open"
check_eq "Analyse answers of cyp-2023 refuses cyp-2021's passphrase (422)" "${R%% *}" 422
check "  ... saying it does not open the key" grep -q 'That passphrase does not open the key' "$B"
req "$TMP/c" -d "_csrf=$CC" -d pass=1 --data-urlencode "passphrase=$(cat "$PB")" "$A/open"
check_eq "  ... and opens with its own" "$R" "303 $A"
req "$TMP/c" -d "_csrf=$CC" -d answer=1 -d 'themes[]=sport-activity' "$A/code"
check_eq "  ... an answer coded" "${R%% *}" 303
req "$TMP/c" -d "_csrf=$CC" "$A/end"
check_eq "an analysis code of cyp-2023 is sealed to its key" "$(sqlite3 "$DB" "SELECT key_id FROM analysis_codes")" "$KB"

A21="$BASE/staff/consultations/cyp-2021/analyse"
req "$TMP/c" -d "_csrf=$CC" -d pass=1 --data-urlencode "passphrase=$(cat "$PS")" "$A21/open"
check_eq "Analyse answers of cyp-2021 opened with the server's passphrase (its first answers)" "$R" "303 $A21"
req "$TMP/c" -d "_csrf=$CC" -d answer=1 -d 'themes[]=sport-activity' "$A21/code"
check_eq "  ... seals no code its session could not open again (409)" "${R%% *}" 409
check "  ... saying why" grep -q "current key, which the passphrase this analysis was opened with does not open" "$B"
check_eq "  ... nothing stored" "$(sqlite3 "$DB" "SELECT count(*) FROM analysis_codes WHERE consultation = 'cyp-2021'")" 0
req "$TMP/c" -d "_csrf=$CC" "$A21/end"

# A pointer to a key not made for the consultation: nothing sealed, to any key.
cp "$DATA/keys/consultation-cyp-2023" "$TMP/pointer"
printf '%s\n' "$KA" >"$DATA/keys/consultation-cyp-2023"
sleep 1.1    # the server looks again after a second
check_eq "a consultation pointed at another's key takes no answer (503)" "$(answer 2023 'never sealed to the wrong key')" 503
check_eq "  ... nothing stored" "$(keys_of cyp-2023)" "$KB 2"
check "  ... and the log says why" grep -q 'the key of consultation cyp-2023 cannot be read' "$SERVER_LOG"
printf '0123456789abcdef\n' >"$DATA/keys/consultation-cyp-2023"
sleep 1.1
check_eq "  ... and so does one pointed at a key not in the folder, never falling back to the server's" \
	"$(answer 2023 'never sealed to the server key')" 503
check_eq "  ... nothing stored" "$(keys_of cyp-2023)" "$KB 2"
cp "$TMP/pointer" "$DATA/keys/consultation-cyp-2023"
sleep 1.1

# --- exports: each consultation's passphrase opens its own, and only its own ----------------------
ex "$PB" responses cyp-2023 "$TMP/b.csv" 0 "survey-export responses of cyp-2023 with its passphrase"
check "  ... both answers" bash -c "[ \$(grep -c 'twenty-three own key' '$TMP/b.csv') = 2 ]"
for cmd in report breakdowns; do
	ex "$PB" "$cmd" cyp-2023 "$TMP/b-$cmd" 0 "survey-export $cmd of cyp-2023 with its passphrase"
done
check "  ... the report quotes the focus group" grep -q 'a quote for twenty-three only' "$TMP/b-report"
for cmd in responses report breakdowns; do
	ex "$PA" "$cmd" cyp-2023 "$TMP/wrong-$cmd" 1 "survey-export $cmd of cyp-2023 with cyp-2021's passphrase"
	one_line_err
	check_eq "  ... saying so" "$(cat "$TMP/err")" \
		"survey-export: wrong passphrase: it opens none of the keys consultation cyp-2023's answers are sealed to; nothing was written"
	check "  ... writing nothing" test ! -e "$TMP/wrong-$cmd"
done
ex "$PS" responses cyp-2023 "$TMP/wrong-s" 1 "survey-export of cyp-2023 with the server's passphrase"
one_line_err
ex "$PA" responses cyp-2021 "$TMP/a.csv" 0 "survey-export responses of cyp-2021 with its passphrase"
check_eq "  ... opens the answers sealed to its key" "$(grep -c 'twenty-one own key\|taken up with no restart' "$TMP/a.csv")" "$NA"
check "  ... and says the two from before its key need the key they were sealed to" \
	grep -q "$NA response(s) written; 2 sealed to a key this passphrase does not open" "$TMP/err"
ex "$PS" responses cyp-2021 "$TMP/a-old.csv" 0 "  ... those two open with the server's passphrase, as they were sealed"
check_eq "  ... both" "$(grep -c 'before the key of its own' "$TMP/a-old.csv")" 2
ex "$PB" responses cyp-2021 "$TMP/wrong-a" 1 "survey-export of cyp-2021 with cyp-2023's passphrase"
one_line_err
for cmd in responses report breakdowns; do
	ex "$PS" "$cmd" cyp-2018 "$TMP/s-$cmd" 0 "survey-export $cmd of cyp-2018 (no key of its own) with the server's passphrase"
done
check "  ... its answer" grep -q 'eighteen server key' "$TMP/s-responses"
ex "$PA" responses cyp-2018 "$TMP/wrong-18" 1 "  ... which cyp-2021's passphrase does not open"

# The staff export page and the equalities view.
exp() { req "$TMP/c" -d "_csrf=$CC" -d "consultation=$1" -d kind=responses-csv --data-urlencode "passphrase=$(cat "$2")" \
	"$BASE/staff/export/decrypted"; }
exp cyp-2023 "$PA"
check_eq "the export page: cyp-2023 with cyp-2021's passphrase (422)" "${R%% *}" 422
exp cyp-2023 "$PB"
check_eq "  ... with its own (200)" "${R%% *}" 200
check "  ... its answers" bash -c "[ \$(grep -c 'twenty-three own key' '$B') = 2 ]"
E="$BASE/staff/consultations/cyp-2023/equalities"
req "$TMP/c" -d "_csrf=$CC" --data-urlencode "passphrase=$(cat "$PA")" "$E"
check_eq "the equalities view of cyp-2023 with cyp-2021's passphrase (422)" "${R%% *}" 422
req "$TMP/c" -d "_csrf=$CC" --data-urlencode "passphrase=$(cat "$PB")" "$E"
check_eq "  ... with its own (200)" "${R%% *}" 200

# --- key list, check, split, recover on a consultation's key --------------------------------------
run 0 "key list" "$SERVER_BIN" key list --data "$DATA"
check "  ... the server's key, active, for every consultation without its own" \
	grep -q "^$KS  made .*  active: new answers are sealed to it  serves: every consultation without a key of its own$" "$TMP/out"
check "  ... cyp-2021's key, active, serving it" grep -q "^$KA  made .*  active: .*  serves: consultation cyp-2021$" "$TMP/out"
check "  ... cyp-2023's" grep -q "^$KB  made .*  serves: consultation cyp-2023$" "$TMP/out"
run 0 "key check --consultation cyp-2021 with its passphrase" \
	"$SERVER_BIN" key check --data "$DATA" --consultation cyp-2021 --passphrase-file "$PA"
check_eq "  ... one line" "$(cat "$TMP/out")" "ok: the passphrase opens key $KA"
run 1 "key check --consultation cyp-2021 with cyp-2023's passphrase" \
	"$SERVER_BIN" key check --data "$DATA" --consultation cyp-2021 --passphrase-file "$PB"
one_line_err
run 1 "key check --consultation cyp-2021 --key of cyp-2023's key is refused" \
	"$SERVER_BIN" key check --data "$DATA" --consultation cyp-2021 --key "$KB" --passphrase-file "$PB"
one_line_err
check "  ... saying whose key it is" grep -q "key $KB is not a key of consultation cyp-2021 (it serves consultation cyp-2023)" "$TMP/err"
run 1 "key check --consultation cyp-2018 (no key of its own) says so" \
	"$SERVER_BIN" key check --data "$DATA" --consultation cyp-2018 --passphrase-file "$PS"
one_line_err
check "  ... and how to make one" grep -q 'consultation cyp-2018 has no key of its own' "$TMP/err"
run 0 "key check --consultation cyp-2021 with two of its shares" \
	"$SERVER_BIN" key check --data "$DATA" --consultation cyp-2021 --share-file "$OUT/a3" --share-file "$OUT/a1"
check_eq "  ... one line" "$(cat "$TMP/out")" "ok: the 2 shares open key $KA"
run 1 "  ... one share alone does not" "$SERVER_BIN" key check --data "$DATA" --share-file "$OUT/a2"
one_line_err
run 0 "key recover --consultation cyp-2021 from two shares, under a new passphrase" \
	"$SERVER_BIN" key recover --data "$DATA" --consultation cyp-2021 --share-file "$OUT/a2" --share-file "$OUT/a3" \
	--new-passphrase-file "$PA2"
ex "$PA2" responses cyp-2021 "$TMP/a2.csv" 0 "  ... the new passphrase opens cyp-2021's answers"
check "  ... the same ones" cmp -s "$TMP/a.csv" "$TMP/a2.csv"
ex "$PA" responses cyp-2021 "$TMP/wrong-a2" 1 "  ... the old one no longer does"
run 0 "key split --consultation cyp-2023 into 2 of 2" "$SERVER_BIN" key split --data "$DATA" --consultation cyp-2023 \
	--passphrase-file "$PB" --shares 2 --threshold 2 --share-file "$OUT/b1" --share-file "$OUT/b2"
check "  ... shares of cyp-2023's key" grep -q "^youthvoice key share 1 of 2 for key $KB" "$OUT/b1"
run 1 "  ... which do not recover cyp-2021's key" "$SERVER_BIN" key recover --data "$DATA" --consultation cyp-2021 \
	--share-file "$OUT/b1" --share-file "$OUT/b2" --new-passphrase-file "$PA"
one_line_err
for f in a1 a2 a3 b1 b2; do sed -n 2p "$OUT/$f"; done >"$TMP/share-lines"
check "no share of any consultation's key is under the data folder" bash -c "folder_bytes '$DATA' | no_match -qaF -f '$TMP/share-lines' -"
check "  ... nor in the server's log" bash -c "no_match -qF -f '$TMP/share-lines' '$SERVER_LOG'"

# --- rotation of a consultation's key ------------------------------------------------------------
run 0 "keygen --consultation cyp-2023 --rotate" "$SERVER_BIN" keygen --data "$DATA" --consultation cyp-2023 --rotate \
	--passphrase-file "$PB2"
KB2=$(cat "$DATA/keys/consultation-cyp-2023")
check "  ... a new key" test "$KB2" != "$KB"
sleep 1.1
check_eq "  ... an answer a second later" "$(answer 2023 'after the rotation')" 303
check_eq "  ... new answers sealed to it, the old ones keep theirs" \
	"$(keys_of cyp-2023 | cut -d' ' -f1 | sort | tr '\n' ' ')" "$(printf '%s\n' "$KB" "$KB2" | sort | tr '\n' ' ')"
check_eq "  ... cyp-2023's two first answers still sealed to the first key" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE key_id = '$KB'")" 2
ex "$PB" responses cyp-2023 "$TMP/b-old.csv" 0 "  ... the first passphrase still opens the answers sealed to the first key"
check "  ... both" bash -c "[ \$(grep -c 'twenty-three own key' '$TMP/b-old.csv') = 2 ]"
ex "$PB2" responses cyp-2023 "$TMP/b-new.csv" 0 "  ... the new passphrase the new ones"
check "  ... and not the old" bash -c "grep -q 'after the rotation' '$TMP/b-new.csv' && no_match -q 'twenty-three own key' '$TMP/b-new.csv'"

# A kiosk's answers (sealed on the tablet to the kiosk transport key, then
# by the server as a form's) go to the consultation's current key too.
req "$TMP/c" -d "_csrf=$CC" -d survey=wm-2023 -d name=Blue -d open=code "$BASE/staff/kiosks"
TOKEN=$(grep -o "/k/wm-2023#k=[0-9a-f]*" "$B" | head -n 1 | sed 's/.*#k=//')
req - "$BASE/k/wm-2023"
TKEY=$(sed -n 's/.*data-key="\([A-Za-z0-9_-]*\)".*/\1/p' "$B")
PAD=$(sed -n 's/.*data-pad="\([0-9]*\)".*/\1/p' "$B")
printf '%s' 'most-important=talk&make-better[]=sport&tell-us=from the kiosk tablet&age=14-15&district=northvale' |
	node "$ROOT/tests/http/kiosk_seal.mjs" "$TKEY" "$PAD" >"$TMP/box"
check_eq "a kiosk's answers to cyp-2023 are taken" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
	-H 'Content-Type: application/octet-stream' -H "X-Kiosk-Token: $TOKEN" \
	-H "X-Kiosk-Answer-Id: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" --data-binary "@$TMP/box" \
	"$BASE/k/wm-2023/answers")" 200
check_eq "  ... sealed to its current key" "$(sqlite3 "$DB" "SELECT count(*) FROM responses WHERE key_id = '$KB2'")" 2

PB3="$TMP/pb3"
printf 'twenty twenty-three changed passphrase\n' >"$PB3"
run 0 "key passphrase --consultation cyp-2023 re-seals its current key's secret" "$SERVER_BIN" key passphrase \
	--data "$DATA" --consultation cyp-2023 --passphrase-file "$PB2" --new-passphrase-file "$PB3"
check "  ... naming that key" grep -q "changed the passphrase of key $KB2" "$TMP/out"
ex "$PB3" responses cyp-2023 "$TMP/b-new3.csv" 0 "  ... the new passphrase opens its answers"
check "  ... both sealed to that key, the kiosk's among them" bash -c \
	"grep -q 'after the rotation' '$TMP/b-new3.csv' && grep -q 'from the kiosk tablet' '$TMP/b-new3.csv'"
check "  ... and that the two from before the rotation need the first key" grep -q '^survey-export: 2 response(s) written; 2 sealed to a key this passphrase does not open$' "$TMP/err"

# --- the Key page -------------------------------------------------------------------------------
req "$TMP/c" "$BASE/staff/key"
check_eq "the Key page" "${R%% *}" 200
check "  ... names the consultation each key serves" bash -c \
	"grep -q '<code>$KA</code>, made [0-9-]*, for consultation <code>cyp-2021</code> only: new answers are sealed to it' '$B' &&
	 grep -q '<code>$KB</code>, made [0-9-]*, for consultation <code>cyp-2023</code> only</li>' '$B'"
check "  ... and the server's" grep -q "<code>$KS</code>, made [0-9-]*, the server's key, for every consultation without a key of its own: new answers are sealed to it" "$B"
check "  ... in the choice of key too" grep -q "<option value=\"$KA\">$KA, consultation cyp-2021 (active)</option>" "$B"
check_eq "  ... whose forms only check and change a passphrase (keys are made on the command line)" \
	"$(grep -o 'action="/staff/key[^"]*"' "$B" | sort -u | tr '\n' ' ')" 'action="/staff/key/check" action="/staff/key/passphrase" '
req "$TMP/c" -d "_csrf=$CC" -d "key=$KA" --data-urlencode "passphrase=$(cat "$PA2")" "$BASE/staff/key/check"
check "  ... whose check opens a consultation's key" grep -q "The passphrase opens key $KA" "$B"
stop_server || fail "server stops cleanly"

audit_has() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '$1' AND detail LIKE '%$2%'")" -ge 1 ]; }
check "audit: cyp-2021's key made, for it" audit_has 'made a key' "$KA for consultation cyp-2021"
check "audit: recovered" audit_has 'recovered a key' "$KA"
check "audit: split" audit_has 'split a key' "$KB"
finish
