#!/usr/bin/env bash
# Sealed sizes over real HTTP (issue 12, item 3): every response to a survey
# seals to one length, whatever was typed and however it is encoded.  Each
# survey gets its worst cases (free text at its most characters of emoji,
# '<', '"', '\', newlines, tabs, 2- and 3-byte letters; the most and longest
# choices; "something else" boxes full) and its smallest answer; then a text
# the scrubber's markers would make longer than any typed text is refused
# (422, nothing stored), and every word of the worst cases comes back from
# the export as sent.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
DB="$DATA/youthvoice.db"
start_server "$DATA" "$ROOT/forms" --rate-limit 0 || { fail "server starts"; finish; exit 1; }
pass "server starts"

# rep N TEXT: TEXT N times.
rep() { /usr/bin/python3 -c 'import sys; sys.stdout.write(sys.argv[2] * int(sys.argv[1]))' "$1" "$2"; }
# fill N KIND: N characters of KIND; blank kinds (newline, tab) end in one
# "x", since an answer of white space only is no answer.
fill() {
	case $2 in
	nl) rep $(($1 - 1)) $'\r\n'; printf x ;;  # a browser sends CR LF; CR is dropped
	tab) rep $(($1 - 1)) $'\t'; printf x ;;
	*) rep "$1" "$2" ;;
	esac
}
# post SURVEY CURL_ARGS...: with a fresh token; prints the status.
post() {
	local survey=$1
	shift
	curl -s -o "$TMP/last.html" -w '%{http_code}' --max-time 20 \
		-d "_token=$(fresh_token "$survey")" "$@" "$BASE/s/$survey"
}
wm() { post what-matters -d most-important=mental-health -d 'make-better[]=transport' \
	-d 'make-better[]=housing' -d 'make-better[]=leaving-care' -d age=prefer-not-to-say \
	-d district=prefer-not-to-say --data-urlencode "tell-us@$1"; }
ya() { post your-area -d _page=5 -d _action=submit -d feel-safe=5 -d young-carer=yes \
	-d carer-help=other --data-urlencode "carer-help.other@$2" -d 'more-of[]=sport' \
	-d 'more-of[]=places' -d 'more-of[]=buses' -d 'more-of[]=work' -d 'more-of[]=other' \
	--data-urlencode "more-of.other@$2" --data-urlencode "worries@$1" \
	-d age=prefer-not-to-say -d district=prefer-not-to-say; }

KINDS=("$(printf '\xf0\x9f\x98\x80')" '<' '"' '\' nl tab "$(printf '\xc3\xa9')" "$(printf '\xe2\x82\xac')" x)
n=0
for k in "${KINDS[@]}"; do
	n=$((n + 1))
	fill 1000 "$k" >"$TMP/wm$n"
	fill 600 "$k" >"$TMP/ya$n"
	fill 200 "$k" >"$TMP/other$n"
	check_eq "what-matters, 1,000 characters of kind $n ($k) is stored" "$(wm "$TMP/wm$n")" "303"
	check_eq "your-area, 600 + 200 + 200 characters of kind $n ($k) is stored" \
		"$(ya "$TMP/ya$n" "$TMP/other$n")" "303"
done
check_eq "what-matters, the smallest answer is stored" \
	"$(post what-matters -d most-important=safe -d 'make-better[]=food' -d age=8-10 -d district=outside)" "303"
check_eq "your-area, the smallest answer is stored" \
	"$(post your-area -d _page=5 -d _action=submit -d feel-safe=1 -d young-carer=no -d 'more-of[]=work' \
		-d age=8-10 -d district=outside)" "303"
# A text of emoji ending in an e-mail address: its marker fits.
{ fill 992 "$(printf '\xf0\x9f\x98\x80')"; printf ' x@y.com'; } >"$TMP/wm-mail"
check_eq "what-matters, 992 emoji and an e-mail address is stored" "$(wm "$TMP/wm-mail")" "303"

stored=$(sqlite3 "$DB" "SELECT count(*) FROM responses")
check_eq "every one was stored" "$stored" "$((2 * ${#KINDS[@]} + 3))"
for s in what-matters your-area; do
	lens=$(sqlite3 "$DB" "SELECT group_concat(DISTINCT length(sealed)) FROM responses WHERE survey = '$s'")
	echo "# $s: sealed lengths $lens"
	check_eq "$s: every response seals to one length, 5 KiB + 48" "$lens" "5168"
done

# A text made mostly of user names: each "@a" would become a 27-byte marker,
# longer than any text can be typed; refused, never sealed longer.
rep 333 '@a ' >"$TMP/handles"
check_eq "a text of 333 user names is refused (422)" "$(wm "$TMP/handles")" "422"
check "  ... saying why" grep -qF 'so many contact details or user names in it' "$TMP/last.html"
check "  ... with the answers kept" grep -qF '@a @a @a' "$TMP/last.html"
check_eq "  ... and nothing stored" "$(sqlite3 "$DB" "SELECT count(*) FROM responses")" "$stored"
check_eq "  ... so the sealed lengths are still one" \
	"$(sqlite3 "$DB" "SELECT count(DISTINCT length(sealed)) FROM responses")" "1"

# Every word comes back from the export as it was sent.
"$EXPORT_BIN" --data "$DATA" --passphrase-file "$TEST_PASSPHRASE_FILE" responses --format json \
	-o "$TMP/responses.json" </dev/null 2>"$TMP/export.err"
check_eq "the export opens every response" "$?" "0"
n=0
for k in "${KINDS[@]}"; do
	n=$((n + 1))
	want=$(tr -d '\r' <"$TMP/wm$n" | sha256sum)
	got=$(jq -j --arg s what-matters '.[] | select(.survey == $s) | .answers["tell-us"] // empty' "$TMP/responses.json" |
		/usr/bin/python3 -c 'import sys
want = open(sys.argv[1], "rb").read().replace(b"\r", b"")
print("yes" if want in sys.stdin.buffer.read() else "no")' "$TMP/wm$n")
	check_eq "  ... the 1,000 characters of kind $n come back as sent" "$got" "yes"
done

check "the server stops cleanly" stop_server
finish
