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
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

# serve_saved DIR: serves the pages saved in DIR (and forms/static) on a free
# port with static-server.mjs, for page-audit, which signs in nowhere and
# only GETs; sets SBASE and STATIC_PID (stop it: kill "$STATIC_PID").
serve_saved() {
	node "$HERE/static-server.mjs" "$1" "$ROOT/forms/static" >"$TMP/static.log" 2>&1 &
	STATIC_PID=$!
	for _ in $(seq 1 50); do grep -q 'listening on' "$TMP/static.log" && break; sleep 0.1; done
	SBASE="http://127.0.0.1:$(sed -n 's/^listening on //p' "$TMP/static.log")"
}

# audit_saved WHAT DIR URL...: page-audit (WCAG 2.2 AA, valid HTML, 360 px)
# and narrow.mjs (320 px, visible focus) on each URL and each page saved in
# DIR (served by serve_saved meanwhile): two checks, with what failed
# printed.  SHOTS=DIR2 keeps page-audit's screenshots there.
audit_saved() {
	local what=$1 dir=$2 shots=() f
	shift 2
	local urls=("$@")
	serve_saved "$dir"
	for f in "$dir"/*.html; do urls+=("$SBASE/$(basename "$f")"); done
	[ -n "${SHOTS:-}" ] && mkdir -p "$SHOTS" && shots=(--screenshot-dir "$SHOTS")
	"$AUDIT" --json "$TMP/audit.json" "${shots[@]}" "${urls[@]}" >"$TMP/audit.txt" 2>&1
	check_eq "page-audit passes $what" "$?" "0"
	grep -E '^(PASS|FAIL)|FAILED' "$TMP/audit.txt"
	node "$HERE/narrow.mjs" "${urls[@]}" >"$TMP/narrow.txt" 2>&1
	check_eq "  ... and all work at 320 px with visible keyboard focus" "$?" "0"
	grep -v '^ok' "$TMP/narrow.txt"
	kill "$STATIC_PID" 2>/dev/null
	wait "$STATIC_PID" 2>/dev/null
}
