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
