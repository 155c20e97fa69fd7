#!/usr/bin/env bash
# Installs the Debian 12 packages youthvoice needs, only those that are
# missing, so a second run costs nothing.
#
#   scripts/install-deps.sh          everything: build, run, test, benchmark, fuzz
#   scripts/install-deps.sh --run    only what building and running need (make run)
#   scripts/install-deps.sh --list-run | --list-all   print a set, install nothing
set -euo pipefail

# Building and running the server: make run.  (nodejs and npm fetch the
# kiosk page's libsodium build from the npm registry at build time; libpq
# is PostgreSQL's client, for --db postgresql://..., docs/postgresql.md.)
run_packages=(
	build-essential pkg-config ca-certificates
	libcivetweb-dev libsqlite3-dev libpq-dev libsodium-dev libcjson-dev libpcre2-dev
	libqrencode-dev liboath-dev libstemmer-dev libxlsxwriter-dev libgfshare-dev libglpk-dev libutf8proc-dev
	nodejs npm
)
# Only the tests, the benchmark and the fuzzers: make test, make bench.
# postgresql-15: the tests start their own throw-away server with it
# (tests/pg/pg.sh); nothing here runs Debian's own cluster.
test_packages=(
	curl sqlite3 jq python3 postgresql-15
	clang libclang-rt-14-dev valgrind wrk time
	chromium fontconfig
	zbar-tools poppler-utils python3-openpyxl
)

case "${1:-}" in
--run) packages=("${run_packages[@]}") ;;
--list-run) printf '%s\n' "${run_packages[@]}"; exit 0 ;;
--list-all) printf '%s\n' "${run_packages[@]}" "${test_packages[@]}"; exit 0 ;;
"") packages=("${run_packages[@]}" "${test_packages[@]}") ;;
*) echo "usage: $0 [--run | --list-run | --list-all]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
# Debian's npm package is not needed where a Node.js with npm is already on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
	filtered=()
	for p in "${missing[@]}"; do
		case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
	done
	missing=("${filtered[@]}")
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
	-o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
