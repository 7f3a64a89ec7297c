#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# mutant_test.sh LAB NAME: one of the kit's own mutants must be killed.
#
# tests/mutants/LAB/NAME.patch is a plausible mistake, as a patch on
# solutions/LAB (paths a/FILE, b/FILE), under a header of three lines:
#
#   # mistake: what a student got wrong
#   # check: the check that must fail (its name, as ONLY= takes it)
#   # todo: the TODO that check must name, or "outside": code outside the
#   #       TODOs (the bad-input guards), where the check names no TODO
#
# The mutant is built, its check run alone (ONLY=), and it is killed when
# that check fails naming that TODO.
#
#   --list LAB        the mutants of LAB: NAME, CHECK, TODO
#   --all [LAB...]    every mutant (of every lab), JOBS (2) at a time: one
#                     line each, then "N killed, N survived" (make test-mutants)
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --list ]; then
	for f in "$TOP/tests/mutants/$2"/*.patch; do
		[ -e "$f" ] && printf '%s\t%s\t%s\n' "$(basename "$f" .patch)" \
			"$(sed -n 's/^# check: *//p' "$f" | head -n 1)" "$(sed -n 's/^# todo: *//p' "$f" | head -n 1)"
	done
	exit 0
fi
# For --all: one mutant, judged by this script ($0), one line.
# shellcheck disable=SC2016 # the inner shell expands them
one='if out=$("$0" "$1" "$2" 2>&1); then echo "KILLED    $1/$2"; else echo "SURVIVED  $1/$2: $(echo "$out" | tail -n 1)"; fi'
if [ "${1:-}" = --all ]; then
	shift
	mkdir -p "$TOP/build"
	# LAB as make check takes it: a prefix (01) or a whole name.
	for dir in "$TOP"/tests/mutants/"${1:-}"*/; do
		for f in "$dir"*.patch; do
			[ -e "$f" ] && echo "$(basename "$dir") $(basename "$f" .patch)"
		done
	done | xargs -P "${JOBS:-2}" -L 1 sh -c "$one" "$0" |
		tee "$TOP/build/mutants-kit.txt"
	survived=$(grep -c '^SURVIVED' "$TOP/build/mutants-kit.txt")
	echo "$(grep -c '^KILLED' "$TOP/build/mutants-kit.txt") killed, $survived survived"
	[ "$survived" = 0 ]
	exit
fi
[ $# = 2 ] || { echo "usage: $0 LAB NAME | --list LAB" >&2; exit 2; }
lab=$1 name=$2
file=$TOP/tests/mutants/$lab/$name.patch
[ -f "$file" ] || { echo "no mutant $file" >&2; exit 2; }
check='' todo=''
while IFS= read -r line && [[ $line == "#"* ]]; do
	case $line in
	"# check:"*) [ -n "$check" ] || read -r check <<<"${line#"# check:"}" ;;
	"# todo:"*) [ -n "$todo" ] || read -r todo <<<"${line#"# todo:"}" ;;
	esac
done <"$file"
if [ -z "$check" ] || [ -z "$todo" ]; then
	echo "$file: no '# check:' or no '# todo:' line" >&2
	exit 2
fi

command -v patch >/dev/null || { echo "patch is not installed: run scripts/install_deps.sh"; exit 2; }
dir=$TOP/build/mutants/kit/$lab/$name
src=$dir/$lab
rm -rf "$dir"
mkdir -p "$dir"
cp -r "$TOP/solutions/$lab" "$src" || exit 2
# No fuzz: a mutant that no longer applies exactly must be rewritten, not guessed.
patch -s -p1 --fuzz=0 --no-backup-if-mismatch -d "$src" -i "$file" ||
	{ echo "the mutant does not apply to solutions/$lab"; exit 1; }
# Only the patched files are compiled, without debug information (a third
# of the compiler's time, for a build that serves one check).
"$TOP/tests/lib/reuse_objects.sh" "$lab" "$src" "$dir/bin" || exit 2
CFLAGS=-O2 make -s -C "$src" TOP="$TOP" BUILD_DIR="$dir/bin" >"$dir/build.log" 2>&1 ||
	{ echo "the mutant does not build:"; tail -n 5 "$dir/build.log"; exit 1; }

H_CHECK_ROOT=$dir/check ONLY=$check "$TOP/tests/run_check.sh" "$lab" "$dir/bin" "$src" >"$dir/check.log" 2>&1
status=$?
results() { "$TOP/tests/lib/mpwcheck/results.py" "$@"; }
[ -s "$dir/check/results.json" ] || { echo "the check wrote no results (status $status)"; tail -n 5 "$dir/check.log"; exit 1; }
results names "$dir/check/results.json" | grep -qFx -- "$check" ||
	{ echo "no check named '$check' ran"; exit 1; }
blamed=$(results failures "$dir/check/results.json" | awk -v c="$check" '$1 == c { $1 = ""; print substr($0, 2); f = 1 } END { exit !f }') ||
	{ echo "survived: check $check passed"; exit 1; }
if [ "$todo" = outside ]; then
	[ -z "$blamed" ] || { echo "check $check failed naming '$blamed', expected no TODO (code outside them)"; exit 1; }
elif [[ " $blamed " != *" $todo "* ]]; then
	echo "check $check failed naming '${blamed:-nothing}', expected TODO $todo"
	exit 1
fi
grep -A3 "^FAIL" "$dir/check.log" | grep -m1 "saw:" | sed 's/^ */killed: /'
exit 0
