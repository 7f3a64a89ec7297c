#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make skeletons never loses a student's work: in a scratch clone of this
# commit, a labs/ file edited as a student would makes the generator refuse
# and change nothing; FORCE=1 moves it to labs-backup/ first; the drift
# check (--check) judges the committed labs/, so it passes on edited ones.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

git clone -q "$TOP" "$scratch/kit" || fail "cannot clone $TOP"
cd "$scratch/kit" || exit 1
# What is tested is this working tree's generator, on the committed labs.
cp "$TOP/scripts/gen_skeletons.sh" "$TOP/scripts/make_skeleton.awk" scripts/
file=labs/01_simple_mp/messages.c
echo "/* the student's work */" >>"$file"
echo "notes of mine" >labs/01_simple_mp/NOTES.txt
before=$(cat "$file" labs/*/* | md5sum)
scripts/gen_skeletons.sh >out.txt 2>&1 && fail "it wrote over edited labs: $(cat out.txt)"
grep -q "labs/01_simple_mp not written: .*messages.c" out.txt || fail "no word of the edited files: $(cat out.txt)"
[ "$(cat "$file" labs/*/* | md5sum)" = "$before" ] || fail "labs/ changed although it refused"
scripts/gen_skeletons.sh --check >check.txt 2>&1 || fail "--check fails on a student's labs/: $(tail -n 3 check.txt)"
FORCE=1 scripts/gen_skeletons.sh >force.txt 2>&1 || fail "FORCE=1 failed: $(cat force.txt)"
backup=$(sed -n 's/.* moved to \(labs-backup\/[^ ]*\)$/\1/p' force.txt)
if [ -z "$backup" ] || ! grep -q "the student's work" "$backup/messages.c" || [ ! -f "$backup/NOTES.txt" ]; then
	fail "FORCE=1 did not back the work up: $(cat force.txt)"
fi
git diff --quiet -- labs || fail "FORCE=1 did not restore the skeleton"
echo "refused with the edited files named, --check passed, FORCE=1 backed them up in $backup"
