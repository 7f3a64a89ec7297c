#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# reuse_objects.sh LAB SRC BIN: before SRC (a copy of solutions/LAB, changed
# in a few files) is built into BIN, give BIN the solution's objects, less
# those of SRC's changed files (all of them when another file changed), and no
# program: make then compiles only the changed files, and links. The
# solution's objects are its own build's (build/solutions/LAB, or with
# SANITIZE=1 build/sanitize/solutions/LAB), made first if need be, under a
# lock.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
lab=$1 src=$2 bin=$3
base=$TOP/build$([ "${SANITIZE:-}" = 1 ] && echo /sanitize)/solutions/$lab
mkdir -p "$base" "$bin"
flock "$base.lock" make -s -C "$TOP/solutions/$lab" TOP="$TOP" >"$base.log" 2>&1 ||
	{ echo "the solution does not build:"; tail -n 5 "$base.log"; exit 1; }
rm -rf "${bin:?}/obj"
cp -rp "$base/obj" "$bin/" || exit 1
find "$bin" -maxdepth 1 -type f -delete
# Which files SRC changed: one sha1sum a side (a cmp, a basename and a touch
# per file took more CPU than a mutant's check does).
declare -A solution
while read -r sum name; do
	solution[$name]=$sum
done < <(cd "$TOP/solutions/$lab" && sha1sum -- *)
same=()
while read -r sum name; do
	if [ "${solution[$name]:-}" = "$sum" ]; then
		same+=("$src/$name")
	elif [[ $name == *.c ]]; then
		rm -f "$bin/obj/${name%.c}.o"
	else
		rm -f "$bin"/obj/*.o # a header or the Makefile
	fi
done < <(cd "$src" && sha1sum -- *)
# The unchanged ones older than the solution's objects.
[ ${#same[@]} = 0 ] || touch -d @0 -- "${same[@]}"
