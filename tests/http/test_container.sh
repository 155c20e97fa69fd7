#!/usr/bin/env bash
# The container's build context (.dockerignore): what `docker build` or
# `podman build` sends is the sources the Dockerfile copies, not the build,
# test and data folders beside them (the README's figure: about 3 MB
# beside the sentence model's 28 MB, was 101 MB).  The image itself is
# built and run to a healthy /healthz by ../shared/tools/container-check,
# outside make test (minutes, and podman).
. "$(dirname "$0")/lib.sh"

ctx=$(/usr/bin/python3 "$ROOT/tests/container/context.py" "$ROOT")
bytes=$(echo "$ctx" | sed -n 's/^\([0-9]*\) bytes.*/\1/p')
echo "# build context: $(echo "$ctx" | head -n 1)"
# The sentence model make vendor fetched (vendor/model, 28 MB) goes in, so
# that the image build needs no registry; the rest stays under 4 MB.
model=0
[ -d "$ROOT/vendor/model" ] && model=$(du -sb "$ROOT/vendor/model" | cut -f1)
check "the build context beside the sentence model is under 4 MB ($bytes - $model bytes)" \
	test "$((${bytes:-99999999} - model))" -lt 4000000
check "every path the Dockerfile copies is in the context" bash -c "echo '$ctx' | no_match -q '^missing:' -"

# The same reading on a made-up tree: build output, node_modules, data and
# .git stay out; sources, the Makefile, vendor's package file and the
# fetched forms/static/vendor go in.
T="$TMP/tree"
mkdir -p "$T/build/bin" "$T/core" "$T/data" "$T/.git" "$T/vendor/node_modules/x" "$T/tests" "$T/forms/static/vendor"
cp "$ROOT/.dockerignore" "$T/"
printf 'FROM x\nCOPY Makefile ./\nCOPY core core\nCOPY vendor/package.json vendor/\n' >"$T/Dockerfile"
head -c 200000 /dev/zero >"$T/build/bin/survey-server"
head -c 100000 /dev/zero >"$T/vendor/node_modules/x/big.js"
head -c 100000 /dev/zero >"$T/forms/static/vendor/libsodium.js"
echo a >"$T/data/responses.db"; echo b >"$T/.git/HEAD"; echo c >"$T/tests/t.sh"
echo 'int x;' >"$T/core/a.c"; echo 'all:' >"$T/Makefile"; echo '{}' >"$T/vendor/package.json"
small=$(/usr/bin/python3 "$ROOT/tests/container/context.py" "$T")
check_eq "  ... a made-up tree sends its sources only" "$(echo "$small" | head -n 1)" \
	"$(($(wc -c <"$T/.dockerignore") + $(wc -c <"$T/Dockerfile") + 7 + 5 + 3 + 100000)) bytes in 6 files"
check "  ... and finds nothing missing" bash -c "echo '$small' | no_match -q '^missing:' -"
printf 'COPY absent absent\n' >>"$T/Dockerfile"
check "  ... a COPY of a path left out is named" bash -c "/usr/bin/python3 '$ROOT/tests/container/context.py' '$T' | grep -q '^missing: absent$'"
finish
