#!/usr/bin/env bash
# Help signposting per consultation (issue 14): every survey shows a "Need to
# talk to someone?" box on its first page and its thanks page, by default
# the Childline text (in Urdu on an Urdu page); commissioners change it at
# /staff/consultations/ID/help (plain text, escaped, at most 500 characters,
# problems in an error summary), each change is audit-logged and kept over
# a restart, and "Use the default text" brings the default back.
. "$(dirname "$0")/lib.sh"

DATA="$TMP/data"
add_staff "$DATA" kai:youth-worker cleo:commissioner || fail "staff accounts"
start_server "$DATA" "$ROOT/forms" || { fail "server starts"; finish; exit 1; }

C=cyp-plan-2027
JC="$TMP/cleo.jar"
JY="$TMP/kai.jar"
CC=$(sign_in "$JC" cleo)
CY=$(sign_in "$JY" kai)
HELP="$BASE/staff/consultations/$C/help"
DEFAULT='We can’t reply to what you write. If you need to talk to someone now: Childline 0800 1111, childline.org.uk'
# box URL: the help box of a page, one line.
box() { curl -s --max-time 20 "$1" | tr '\n' ' ' | sed -n 's|.*\(<aside class="help-box"[^>]*>.*</aside>\).*|\1|p'; }
audit() { sqlite3 "$DATA/youthvoice.db" "SELECT who || '|' || action || '|' || detail FROM audit WHERE action LIKE '%help text%' ORDER BY id"; }
save() { curl -s -o "$TMP/body" -w '%{http_code} %{redirect_url}' --max-time 20 -b "$JC" --data-urlencode "_csrf=$CC" -d action=save --data-urlencode "text=$1" "$HELP"; }

# --- the default ----------------------------------------------------------------------
check "the first page of a survey has the box, headed and labelled" grep -qF \
	'<aside class="help-box" aria-labelledby="help-title"> <h2 id="help-title">Need to talk to someone?</h2>' <(box "$BASE/s/what-matters")
check "  ... with the default text" grep -qF "<p>We can’t reply to what you write. If you need to talk to someone now: Childline 0800 1111, childline.org.uk</p>" <(box "$BASE/s/what-matters")
check "the thanks page has it too" grep -qF "Childline 0800 1111" <(box "$BASE/s/what-matters/thanks")
check "a multi-page survey's first page has it" grep -qF "Childline 0800 1111" <(box "$BASE/s/your-area")
check "  ... its later pages do not" bash -c "! curl -s -d \"_token=\$(curl -s '$BASE/s/your-area' | sed -n 's/.*name=\"_token\" value=\"\\([0-9a-f]*\\)\".*/\\1/p' | head -n 1)&_page=0&_action=next&feel-safe=3\" '$BASE/s/your-area' | grep -q help-box"
check "in Urdu on the Urdu page" grep -qF "چائلڈ لائن 0800 1111" <(box "$BASE/s/your-area?lang=ur")
check "  ... headed in Urdu" grep -qF "کسی سے بات کرنی ہے؟" <(box "$BASE/s/your-area/thanks?lang=ur")

# --- who may change it ------------------------------------------------------------------
req - "$HELP"
check_eq "signed out: sent to sign in" "$R" "303 $BASE/staff/login"
req "$JY" "$HELP"
check_eq "a youth worker is refused" "${R% }" "403"
req "$JY" --data-urlencode "_csrf=$CY" -d action=save -d text=Mine "$HELP"
check_eq "  ... and cannot change it" "${R% }" "403"
req "$JC" "$HELP"
check_eq "a commissioner opens the help page" "${R% }" "200"
check "  ... the default is in the box to edit" grep -qF "$DEFAULT</textarea>" "$B"
check "  ... with its label and hint" bash -c "grep -q '<label[^>]*for=\"help-text\"' '$B' && grep -q 'id=\"help-text-hint\"' '$B'"
check "the consultations page links to it" grep -q "href=\"/staff/consultations/$C/help\"" <(curl -s -b "$JC" "$BASE/staff/consultations")
req "$JC" -d action=save -d text=Mine "$HELP"
check_eq "without the CSRF token: 403" "${R% }" "403"
req "$JC" "$BASE/staff/consultations/no-such/help"
check_eq "no such consultation: 404" "${R% }" "404"

# --- changing it ------------------------------------------------------------------------
OWN='Talk to Sam at the youth club <b>any</b> evening & "drop in".
Or call 0800 000 000.'
check_eq "a commissioner saves her own text" "$(save "$OWN")" "303 $HELP?saved"
check "  ... the page says it is saved" grep -q 'Saved. Young people see it' <(curl -s -b "$JC" "$HELP?saved")
b=$(box "$BASE/s/what-matters")
check "  ... the survey shows it, escaped, a paragraph a line" grep -qF '<p>Talk to Sam at the youth club &lt;b&gt;any&lt;/b&gt; evening &amp; &quot;drop in&quot;.</p> <p>Or call 0800 000 000.</p>' <(echo "$b")
check "  ... no markup of hers gets through" bash -c "no_match -q '<b>any' - <<<'$b'"
check "  ... the thanks page too" grep -qF 'Talk to Sam at the youth club' <(box "$BASE/s/what-matters/thanks")
check "  ... and the Urdu page, as she wrote it" grep -qF 'Talk to Sam at the youth club' <(box "$BASE/s/your-area?lang=ur")
check "  ... the default is gone" bash -c "! curl -s '$BASE/s/what-matters' | grep -q Childline"
check_eq "  ... audit-logged" "$(audit)" "cleo|changed the help text|$C"

LONG=$(/usr/bin/python3 -c 'print("é" * 501, end="")')
check_eq "501 characters are refused" "$(save "$LONG" | cut -d' ' -f1)" 400
check "  ... with an error summary linking to the box" bash -c "grep -q 'There is a problem' '$TMP/body' && grep -q 'href=\"#help-text\"' '$TMP/body' && grep -q 'up to 500 characters' '$TMP/body'"
check "  ... the box marked invalid, what was typed kept" bash -c "grep -q 'aria-invalid=\"true\"' '$TMP/body' && grep -qF 'éééé</textarea>' '$TMP/body'"
check "  ... the title says Error" grep -q '<title>Error: ' "$TMP/body"
check "  ... nothing changed" grep -qF 'Talk to Sam' <(box "$BASE/s/what-matters")
check_eq "500 characters (of 2 bytes each) are taken" "$(save "$(/usr/bin/python3 -c 'print("é" * 500, end="")')" | cut -d' ' -f1)" 303
check_eq "an empty text is refused" "$(save '   ' | cut -d' ' -f1)" 400
check "  ... saying what to do" grep -q 'Write the help text, or use the default text' "$TMP/body"
check_eq "a tab (a control character) is refused" "$(save "$(printf 'a\tb')" | cut -d' ' -f1)" 400
check_eq "11 lines are refused" "$(save "$(printf 'l\n%.0s' 1 2 3 4 5 6 7 8 9 10 11)" | cut -d' ' -f1)" 400
check_eq "a form without an action: 400" "$(curl -s -o /dev/null -w '%{http_code}' -b "$JC" --data-urlencode "_csrf=$CC" -d text=x "$HELP")" 400
check_eq "PUT: 405" "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -b "$JC" "$HELP")" 405

# --- kept over a restart; back to the default ---------------------------------------------
save 'Ask any youth worker.' >/dev/null
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" || { fail "server restarts"; finish; exit 1; }
HELP="$BASE/staff/consultations/$C/help"
CC=$(sign_in "$JC" cleo)
check "after a restart it is still hers" grep -qF '<p>Ask any youth worker.</p>' <(box "$BASE/s/what-matters")
check_eq "Use the default text" "$(curl -s -o /dev/null -w '%{http_code}' -b "$JC" --data-urlencode "_csrf=$CC" -d action=default "$HELP")" 303
check "  ... the default is back" grep -qF 'Childline 0800 1111' <(box "$BASE/s/what-matters")
check "  ... translated again" grep -qF "چائلڈ لائن" <(box "$BASE/s/your-area?lang=ur")
check_eq "  ... audit-logged" "$(audit | tail -n 1)" "cleo|set the default help text|$C"
check_eq "the default typed back stays the default (translated)" "$(save "$DEFAULT" | cut -d' ' -f1)" 303
check "  ... still in Urdu on the Urdu page" grep -qF "چائلڈ لائن" <(box "$BASE/s/your-area?lang=ur")
check_eq "every change saved is in the audit log (5), no refused one" "$(audit | wc -l)" 5

# Replaced texts are kept until exit (a request may be reading one): past
# 256 changes in one run a change is saved and shown from the next start.
got=
for i in $(seq 1 300); do
	got=$(save "Text number $i" | cut -d' ' -f1)
	[ "$got" = 303 ] || break
done
check_eq "after 256 changes in one run: 409" "$got" 409
check "  ... saying it shows after the next restart" grep -q 'it shows after the next restart' "$TMP/body"
check "  ... the one before is still shown" grep -qF "Text number $((i - 1))" <(box "$BASE/s/what-matters")
check "the server stops" stop_server
start_server "$DATA" "$ROOT/forms" || { fail "server restarts"; finish; exit 1; }
check "  ... after a restart the last one saved is shown" grep -qF "<p>Text number $i</p>" <(box "$BASE/s/what-matters")

finish
