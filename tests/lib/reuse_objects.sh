#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# reuse_objects.sh LAB SRC BIN: before SRC (a copy of solutions/LAB, changed
# in a few files) is built into BIN, give BIN the solution's objects, less
# those of SRC's changed files (all of them when another file changed), and no
# program: make then compiles only the changed files, and links. The
# solution's objects are built once, under a lock, in build/mutants/base/LAB.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
lab=$1 src=$2 bin=$3
# A sanitized build's objects are not the others'.
base=$TOP/build/mutants/base$([ "${SANITIZE:-}" = 1 ] && echo -sanitize)/$lab
mkdir -p "$base" "$bin"
flock "$base.lock" make -s -C "$TOP/solutions/$lab" TOP="$TOP" BUILD_DIR="$base/bin" >"$base.log" 2>&1 ||
	{ echo "the solution does not build:"; tail -n 5 "$base.log"; exit 1; }
rm -rf "${bin:?}/obj"
cp -rp "$base/bin/obj" "$bin/" || exit 1
find "$bin" -maxdepth 1 -type f -delete
for f in "$src"/*; do
	orig=$TOP/solutions/$lab/$(basename "$f")
	if cmp -s "$f" "$orig"; then
		touch -r "$orig" "$f" # older than the solution's objects
	elif [[ $f == *.c ]]; then
		rm -f "$bin/obj/$(basename "${f%.c}").o"
	else
		rm -f "$bin"/obj/*.o # a header or the Makefile
	fi
done
