#!/usr/bin/env bash
# tests/browser/prepare.sh - installs what the browser suites need before any
# of them starts: the npm packages pinned in tests/browser/package-lock.json
# and page-audit's own (its wrapper installs them on first use).  Two suites
# running side by side would otherwise both run `npm ci` in one folder.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
AUDIT="$HERE/../../../shared/tools/page-audit/page-audit"
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ] ||
   [ ! -f "$HERE/node_modules/@fontsource/noto-nastaliq-urdu/package.json" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2 || exit 1
fi
# page-audit --help installs its packages and prints its usage.
[ -x "$AUDIT" ] && "$AUDIT" --help >/dev/null 2>&1
exit 0
