#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# new_mutant.sh LAB NAME FILE CHECK TODO 'MISTAKE': write
# tests/mutants/LAB/NAME.patch from your edit. It copies solutions/LAB, opens
# FILE of the copy in $EDITOR (or, with EDIT='sed script', runs sed -i on it),
# and writes the difference under the header that tests/mutant_test.sh reads.
# TODO (a number, or "outside") is where the lab's manifest lists it: the
# script says what to add to tests/LAB/manifest.toml.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
[ $# = 6 ] || { echo "usage: $0 LAB NAME FILE CHECK TODO 'MISTAKE'" >&2; exit 2; }
lab=$1 name=$2 file=$3 check=$4 todo=$5 mistake=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$TOP/solutions/$lab" "$tmp/a"
cp -r "$TOP/solutions/$lab" "$tmp/b"
if [ -n "${EDIT:-}" ]; then
	sed -i "$EDIT" "$tmp/b/$file"
else
	"${EDITOR:-vi}" "$tmp/b/$file"
fi
out=$TOP/tests/mutants/$lab/$name.patch
mkdir -p "${out%/*}"
{
	printf '# mistake: %s\n# check: %s\n' "$mistake" "$check"
	(cd "$tmp" && diff -u "a/$file" "b/$file" | sed -E '1,2s/\t.*$//') && { echo "no change made" >&2; exit 1; }
} >"$out" || true
grep -q '^+' "$out" || { rm -f "$out"; echo "no change made: nothing written" >&2; exit 1; }
echo "wrote ${out#"$TOP"/}"
if [ "$todo" = outside ]; then
	echo "now add \"$name\" to outside = [...] in tests/$lab/manifest.toml"
else
	echo "now add \"$name\" to the mutants of TODO $todo (n = $todo) in tests/$lab/manifest.toml"
fi
