#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The labs are generated from the solutions. A maintainer changes
# solutions/ and regenerates; a student edits labs/, and no run of this
# script ever loses that work.
#
#   gen_skeletons.sh                   write labs/NN_name/ from solutions/NN_name/;
#                                      refuses, writing nothing of that lab, when
#                                      a file of labs/ holds changes of a student
#                                      (it differs from the committed skeleton and
#                                      from what this script last wrote there)
#   FORCE=1 gen_skeletons.sh           the same, but first moves those files to
#                                      labs-backup/<date>/NN_name/ and says so
#   gen_skeletons.sh --check           fail, with a diff, when the committed labs/
#                                      (git's HEAD; the files themselves outside a
#                                      git checkout) differ from what it would write
#   gen_skeletons.sh --into DIR [LAB]  write the skeletons (of LAB) into
#                                      DIR/NN_name/: the suite's pristine copy;
#                                      with MARKERS=1, keeping the walkthroughs'
#                                      snippet markers (a student's copy's docs)
#   gen_skeletons.sh --only N LAB DIR  write into DIR the solution of LAB with
#                                      TODO N alone left undone (for the TODO tests)
#
# See make_skeleton.awk for the markers. Each TODO's comment comes from the
# lab's manifest, tests/NN_name/manifest.toml (tests/lib/mpwcheck/manifest.py).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
AWK_SCRIPT=$TOP/scripts/make_skeleton.awk
MANIFEST=$TOP/tests/lib/mpwcheck/manifest.py

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
	local solution=$1 out=$2 only=${3:-} file comments
	check_numbering "$solution"
	rm -rf "$out"
	mkdir -p "$out"
	comments=$(mktemp)
	# shellcheck disable=SC2064 # the file of this call, removed on any exit
	trap "rm -f '$comments'" RETURN
	# The comments of every TODO of the lab, at once: one Python start, not one a file.
	"$MANIFEST" comments "${solution##*/}" "$solution"/* >"$comments" ||
		die "cannot compose the TODO comments of $solution from tests/${solution##*/}/manifest.toml"
	for file in "$solution"/*; do
		[ -f "$file" ] || continue
		# With ONLY, a file without that TODO is the solution's, markers
		# and all: the suite then reuses its object instead of compiling it.
		if [ -n "$only" ] && ! grep -q "TODO($only) begin" "$file"; then
			cp "$file" "$out/" || die "cannot copy $file"
			continue
		fi
		awk -v only="$only" -v comments="$comments" -v markers="${MARKERS:-}" -f "$AWK_SCRIPT" "$file" >"$out/${file##*/}" ||
			die "cannot generate from $file"
	done
}

# in_git: this is a git checkout with a HEAD.
in_git() { git -C "$TOP" rev-parse --verify -q HEAD >/dev/null 2>&1; }

# committed LAB OUT_DIR: the files of labs/LAB as committed (git's HEAD)
# into OUT_DIR; outside a git checkout, as they are.
committed() {
	local lab=$1 out=$2 f
	mkdir -p "$out"
	if in_git; then
		for f in $(git -C "$TOP" ls-tree --name-only "HEAD:labs/$lab" 2>/dev/null); do
			git -C "$TOP" show "HEAD:labs/$lab/$f" >"$out/$f"
		done
	else
		cp -p "$TOP/labs/$lab"/* "$out"/ 2>/dev/null || true
	fi
}

# update_into NEW OUT: OUT's files made NEW's. An unchanged file is left as it
# is, its time too, and a changed one replaced whole (mv): the suite's rows
# generate into build/pristine at once while others build and read it.
update_into() {
	local new=$1 out=$2 file
	mkdir -p "$out"
	for file in "$out"/*; do
		[ ! -f "$file" ] || [ -e "$new/${file##*/}" ] || rm -f "$file"
	done
	for file in "$new"/*; do
		cmp -s "$file" "$out/${file##*/}" && continue
		{ cp "$file" "$out/.${file##*/}.new" && mv -f "$out/.${file##*/}.new" "$out/${file##*/}"; } ||
			die "cannot write $out/${file##*/}"
	done
}

# The last skeletons this script wrote into labs/, so that a maintainer
# may regenerate twice before committing.
LAST=$TOP/build/skeletons/last-written

# students_files LAB GENERATED_DIR COMMITTED_DIR: the files of labs/LAB that
# hold someone's own changes: differing from the committed skeleton, from the
# last one written and from the one about to be written.
students_files() {
	local lab=$1 new=$2 old=$3 f name
	for f in "$TOP/labs/$lab"/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		cmp -s "$f" "$new/$name" && continue
		cmp -s "$f" "$old/$name" && continue
		cmp -s "$f" "$LAST/$lab/$name" && continue
		echo "$name"
	done
}

# write_lab SOLUTION_DIR: regenerate labs/LAB, never losing a student's work.
write_lab() {
	local solution=$1 lab=${1##*/} scratch edited backup f
	scratch=$(mktemp -d)
	generate "$solution" "$scratch/new"
	committed "$lab" "$scratch/old"
	mapfile -t edited < <(students_files "$lab" "$scratch/new" "$scratch/old")
	if [ ${#edited[@]} != 0 ]; then
		if [ "${FORCE:-}" != 1 ]; then
			echo "gen_skeletons: labs/$lab not written: ${edited[*]} hold(s) changes of yours (they differ from the committed skeleton)." >&2
			echo "gen_skeletons: nothing of labs/$lab was changed. To regenerate anyway, FORCE=1 first moves those files to labs-backup/." >&2
			rm -rf "$scratch"
			return 1
		fi
		backup=$TOP/labs-backup/$(date +%Y%m%d-%H%M%S)/$lab
		mkdir -p "$backup"
		for f in "${edited[@]}"; do mv "$TOP/labs/$lab/$f" "$backup/$f"; done
		echo "gen_skeletons: FORCE=1: your ${edited[*]} moved to ${backup#"$TOP"/}/"
	fi
	mkdir -p "$TOP/labs/$lab" "$LAST/$lab"
	# Files the generator no longer makes go only when nobody changed them.
	for f in "$TOP/labs/$lab"/*; do
		[ -f "$f" ] && [ ! -e "$scratch/new/${f##*/}" ] && rm -f "$f"
	done
	cp "$scratch/new"/* "$TOP/labs/$lab"/
	rm -rf "${LAST:?}/$lab"
	cp -r "$scratch/new" "$LAST/$lab"
	rm -rf "$scratch"
	echo "generated labs/$lab"
}

case ${1:-} in
'')
	status=0
	for solution in "$TOP"/solutions/*/; do
		write_lab "${solution%/}" || status=1
	done
	exit $status
	;;
--into)
	[ $# = 2 ] || [ $# = 3 ] || die "usage: $0 --into DIR [LAB]"
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	for solution in "$TOP"/solutions/*/; do
		solution=${solution%/}
		[ -z "${3:-}" ] || [ "${solution##*/}" = "$3" ] || continue
		generate "$solution" "$scratch/${solution##*/}"
		update_into "$scratch/${solution##*/}" "$2/${solution##*/}"
	done
	;;
--check)
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
	status=0
	what="labs/"
	in_git && what="labs/ as committed"
	for solution in "$TOP"/solutions/*/; do
		solution=${solution%/}
		lab=${solution##*/}
		generate "$solution" "$scratch/new/$lab"
		committed "$lab" "$scratch/committed/$lab"
		if ! diff -ru "$scratch/new/$lab" "$scratch/committed/$lab" >"$scratch/$lab.diff"; then
			echo "$what: labs/$lab differs from what solutions/$lab generates:"
			sed "s|$scratch/[a-z]*/||" "$scratch/$lab.diff"
			status=1
		fi
	done
	[ $status = 0 ] && echo "$what matches solutions/"
	[ $status = 0 ] || echo "maintainers: run 'make skeletons' and commit labs/, or move your change into solutions/"
	exit $status
	;;
--only)
	[ $# = 4 ] || die "usage: $0 --only N LAB DIR"
	[ -d "$TOP/solutions/$3" ] || die "no lab named $3 in solutions/"
	grep -q "TODO($2) begin" "$TOP/solutions/$3"/* || die "solutions/$3 has no TODO $2"
	generate "$TOP/solutions/$3" "$4" "$2"
	;;
*)
	die "unknown argument '$1' (expected nothing, --check, --into or --only)"
	;;
esac
