#!/usr/bin/env bash
# The respondent's flow on a phone, in Debian's Chromium (flow.mjs): in-place
# reveal with JavaScript and the follow-up step without it, the live
# character count, Back without a resubmission prompt after an error and
# after sending, Change focused on its question and back to check your
# answers, and Urdu lines that do not overlap in Noto Nastaliq Urdu (from
# the npm package @fontsource/noto-nastaliq-urdu, pinned in package.json:
# Debian 12 packages no Nastaliq Noto font), given to Chromium through a
# fontconfig file of the test's own.  Then page-audit and narrow.mjs (320 px)
# on the pages this flow adds: a page with a closed follow-up, the follow-up
# step and a page opened by Change, each a GET of its draft, and the page an
# expired step's address gets (410), in English and in Urdu.  SHOTS=DIR
# keeps the screenshots (360x740 and 320 px).
. "$(dirname "$0")/lib.sh"

SHOTS=${SHOTS:-$TMP/shots}
mkdir -p "$SHOTS"
FONTS="$HERE/node_modules/@fontsource/noto-nastaliq-urdu/files"
check "Noto Nastaliq Urdu is installed for the tests" test -f "$FONTS/noto-nastaliq-urdu-arabic-400-normal.woff"
# Chromium takes only TrueType/OpenType files from fontconfig: unwrap the WOFF.
mkdir -p "$TMP/fonts"
node "$HERE/woff-to-ttf.mjs" "$TMP/fonts" "$FONTS"/noto-nastaliq-urdu-arabic-{400,700}-normal.woff
cat >"$TMP/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$TMP/fonts</dir>
  <cachedir>$TMP/fontconfig</cachedir>
</fontconfig>
CONF
export FONTCONFIG_FILE="$TMP/fonts.conf"
check "  ... and fontconfig finds it" bash -c "fc-list | grep -q 'Noto Nastaliq Urdu'"

start_server "$TMP/data" || { fail "server starts"; finish; exit 1; }

node "$HERE/flow.mjs" "$BASE" "$SHOTS" >"$TMP/flow.txt" 2>&1
status=$?
cat "$TMP/flow.txt"
check_eq "flow.mjs: every check passes" "$status" "0"

# The pages this flow adds, each a GET of its draft, for page-audit (error
# and check pages are test_pages.sh's; one load per page keeps this short).
S="$BASE/s/your-area"
T=$(fresh_token your-area)
draft() { curl -s -o /dev/null -w '%{redirect_url}' --max-time 20 -d "_token=$T" -d _prg=1 "$@" "$S"; }
ALL=(-d feel-safe=3 -d young-carer=yes -d carer-help=talk -d 'more-of[]=sport' -d age=14-15 -d district=eastbrook)
urls=(
	"$(draft -d _page=1 -d feel-safe=3 -d _action=next)"
	"$(draft -d _page=2 -d feel-safe=3 -d young-carer=yes -d _action=next)"
	"$(draft -d _page=5 "${ALL[@]}" -d _action=change-young-carer)"
)
names=("a page with a closed follow-up" "the follow-up step" "a page opened by Change")
for i in 0 1 2; do
	check "a draft page to audit: ${names[$i]}" test -n "${urls[$i]}"
done
# page-audit and narrow.mjs take the address without its #fragment.
urls=("${urls[@]%%#*}")
# The page a step's expired address gets (410), in English and in Urdu,
# saved and served as files (page-audit wants a 200).
PAGES="$TMP/pages"
mkdir -p "$PAGES"
save expired 410 /dev/null "$S/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
save expired-ur 410 /dev/null "$S/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?lang=ur"
audit_saved "$PAGES" "${urls[@]}"

check "the server stops cleanly" stop_server
finish
