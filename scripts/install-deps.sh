#!/usr/bin/env bash
# Installs the Debian 12 packages youthvoice needs to build, run and test,
# only those that are missing, so a second run costs nothing.
set -euo pipefail

packages=(
	build-essential pkg-config
	libcivetweb-dev libsqlite3-dev libsodium-dev libcjson-dev libpcre2-dev
	curl sqlite3 jq ca-certificates python3
	clang libclang-rt-14-dev valgrind wrk time
	chromium nodejs npm fontconfig
	libqrencode-dev zbar-tools poppler-utils
)

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
