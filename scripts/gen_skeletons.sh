#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The labs are generated from the solutions: never edit labs/ by hand.
#
#   gen_skeletons.sh                   write labs/NN_name/ from solutions/NN_name/
#   gen_skeletons.sh --check           fail, with a diff, when labs/ differs from
#                                      what this script would write
#   gen_skeletons.sh --only N LAB DIR  write into DIR the solution of LAB with
#                                      TODO N alone left undone (for the TODO tests)
#
# See make_skeleton.awk for the markers.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
AWK_SCRIPT=$TOP/scripts/make_skeleton.awk

die() { echo "gen_skeletons: $*" >&2; exit 1; }

# The TODO numbers of a solution must run 1, 2, ... without gaps.
check_numbering() {
	local solution=$1 numbers expected
	numbers=$(grep -ho 'TODO([0-9]*) begin' "$solution"/* | tr -dc '0-9\n' | sort -n | paste -sd ' ')
	expected=$(seq 1 "$(echo "$numbers" | wc -w)" | paste -sd ' ')
	[ "$numbers" = "$expected" ] ||
		die "$solution: TODOs numbered '$numbers', expected '$expected'"
}

# generate SOLUTION_DIR OUT_DIR [ONLY]
generate() {
	local solution=$1 out=$2 only=${3:-} file
	check_numbering "$solution"
	rm -rf "$out"
	mkdir -p "$out"
	for file in "$solution"/*; do
		[ -f "$file" ] || continue
		awk -v only="$only" -f "$AWK_SCRIPT" "$file" >"$out/${file##*/}" ||
			die "cannot generate from $file"
	done
}

case ${1:-} in
'')
	for solution in "$TOP"/solutions/*/; do
		solution=${solution%/}
		generate "$solution" "$TOP/labs/${solution##*/}"
		echo "generated labs/${solution##*/}"
	done
	;;
--check)
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	status=0
	for solution in "$TOP"/solutions/*/; do
		solution=${solution%/}
		lab=${solution##*/}
		generate "$solution" "$scratch/$lab"
		if ! diff -ru "$scratch/$lab" "$TOP/labs/$lab" >"$scratch/$lab.diff"; then
			echo "labs/$lab differs from what solutions/$lab generates:"
			sed "s|$scratch/||" "$scratch/$lab.diff"
			status=1
		fi
	done
	[ $status = 0 ] && echo "labs/ matches solutions/"
	[ $status = 0 ] || echo "run 'make skeletons' and commit labs/, or move your change into solutions/"
	exit $status
	;;
--only)
	[ $# = 4 ] || die "usage: $0 --only N LAB DIR"
	[ -d "$TOP/solutions/$3" ] || die "no lab named $3 in solutions/"
	grep -q "TODO($2) begin" "$TOP/solutions/$3"/* || die "solutions/$3 has no TODO $2"
	generate "$TOP/solutions/$3" "$4" "$2"
	;;
*)
	die "unknown argument '$1' (expected nothing, --check or --only)"
	;;
esac
