# tests/browser/lib.sh - what every browser suite starts with (sourced):
# the HTTP test helpers, where page-audit is (it fails the suite if
# ../shared is not beside the repository), and the pinned npm packages.
. "$(dirname "${BASH_SOURCE[0]}")/../http/lib.sh"
HERE="$ROOT/tests/browser"

AUDIT="$ROOT/../shared/tools/page-audit/page-audit"
if [ ! -x "$AUDIT" ]; then
	fail "page-audit is at $AUDIT (shared/ must sit beside the repository)"
	finish
	exit 1
fi
bash "$HERE/prepare.sh"

# answer_24: 24 what-matters responses, most of them "talk", then
# "mental-health" and "online" (each with sport and food, age 14-15,
# Northvale), as test_results.sh and test_yousaid.sh show them; prints how
# many were stored.
answer_24() {
	local n=0 most code
	for most in talk talk talk mental-health mental-health online safe future bullying talk talk online \
		talk mental-health safe safe talk online future talk talk mental-health talk talk; do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -d "_token=$(fresh_token what-matters)" \
			-d "most-important=$most" -d 'make-better[]=sport' -d 'make-better[]=food' -d age=14-15 \
			-d district=northvale "$BASE/s/what-matters")
		[ "$code" = 303 ] && n=$((n + 1))
	done
	echo "$n"
}

# save NAME WANT_STATUS JAR CURL_ARGS...: a page as the server sends it, into
# $PAGES/NAME.html (for audit_saved), checking its status.
save() {
	local name=$1 want=$2 jar=$3
	shift 3
	check_eq "captured $name ($want)" "$(curl -s -o "$PAGES/$name.html" -w '%{http_code}' --max-time 20 -b "$jar" "$@")" "$want"
}

# serve_saved DIR: serves the pages saved in DIR (and forms/static) on a free
# port with static-server.mjs, for page-audit, which signs in nowhere and
# only GETs; sets SBASE and STATIC_PID (stop it: kill "$STATIC_PID").
serve_saved() {
	# A log of its own: the background job truncates a shared one only
	# once it runs, so a second server could read the first one's port.
	local log
	log=$(mktemp "$TMP/static.XXXXXX.log")
	node "$HERE/static-server.mjs" "$1" "$ROOT/forms/static" >"$log" 2>&1 &
	STATIC_PID=$!
	for _ in $(seq 1 100); do grep -q 'listening on' "$log" && break; sleep 0.1; done
	SBASE="http://127.0.0.1:$(sed -n 's/^listening on //p' "$log")"
}

# audit_saved DIR URL...: audit_each and narrow_each on each URL and each
# page saved in DIR (served by serve_saved meanwhile).
audit_saved() {
	local dir=$1 f
	shift
	local urls=("$@")
	serve_saved "$dir"
	for f in "$dir"/*.html; do urls+=("$SBASE/$(basename "$f")"); done
	audit_each "${urls[@]}"
	narrow_each "${urls[@]}"
	kill "$STATIC_PID" 2>/dev/null
	wait "$STATIC_PID" 2>/dev/null
}

# audit_each URL...: page-audit on every URL (all findings in
# $TMP/audit.json), a check that each passes and one for its exit status.
# SHOTS=DIR keeps its screenshots there.
audit_each() {
	local shots=()
	[ -n "${SHOTS:-}" ] && mkdir -p "$SHOTS" && shots=(--screenshot-dir "$SHOTS")
	"$AUDIT" --json "$TMP/audit.json" "${shots[@]}" "$@" >"$TMP/audit.txt" 2>&1
	local status=$? u verdict
	grep -E '^(PASS|FAIL)|FAILED|error ' "$TMP/audit.txt"
	for u in "$@"; do
		verdict=$(jq -r --arg u "$u" '.results[] | select(.url == $u) | .passed' "$TMP/audit.json" 2>/dev/null)
		check_eq "page-audit passes ${u#http://127.0.0.1:*/}" "$verdict" "true"
	done
	check_eq "page-audit exits 0" "$status" "0"
}

# narrow_each URL...: narrow.mjs on every URL (320 px, keyboard focus), one check.
narrow_each() {
	node "$HERE/narrow.mjs" "$@" >"$TMP/narrow.txt" 2>&1
	local status=$?
	grep -v '^ok' "$TMP/narrow.txt"
	check_eq "every page works at 320 px with visible keyboard focus" "$status" "0"
}

# print_staff OUT_DIR NAME=URL...: staff_print.mjs (A4, nothing wider than
# the page, no menu, nothing cut off) on each page, one check; then each
# PDF is A4 and its pages are turned into OUT_DIR/NAME-N.png to look at.
print_staff() {
	local out=$1 spec name
	shift
	node "$HERE/staff_print.mjs" "$out" "$@" >"$TMP/print.txt" 2>&1
	local status=$?
	grep -v '^ok' "$TMP/print.txt"
	check_eq "staff pages print on A4 (staff_print.mjs)" "$status" "0"
	for spec in "$@"; do
		name=${spec%%=*}
		check "  ... $name.pdf is A4" grep -qE '^Page size: +59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)' <(pdfinfo "$out/$name.pdf" 2>&1)
		pdftoppm -r 60 -png "$out/$name.pdf" "$out/$name-print"
	done
}
