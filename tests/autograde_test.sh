#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# autograde_test.sh: the steps of the instructor's autograding
# (autograding/github-classroom.yml) run here, as a CI would run them, in a
# copy of this tree:
#  - with labs/ solved (the solutions' files copied in): exit 0, and the job
#    summary gives full marks;
#  - with labs/ as generated, one check only (ONLY=primary_starts, lab 01's
#    first): a non-zero exit, and the summary names that check and TODO 1.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORKFLOW=$TOP/autograding/github-classroom.yml
DIR=$TOP/build/autograde

# The workflow's run: lines, as a shell runs them. This is root already:
# no sudo (a chroot of the suite may have none).
mapfile -t steps < <(sed -n 's/^ *run: *//p' "$WORKFLOW" | sed 's/^sudo --preserve-env=GITHUB_STEP_SUMMARY //')
[ ${#steps[@]} -gt 0 ] || { echo "no run: step in $WORKFLOW"; exit 1; }

# copy_tree DEST: this tree's files (committed or not, not build/).
copy_tree() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$TOP" && git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
		tar -C "$1" -xf -
}

# grade DEST: runs the steps in DEST; their status.
grade() {
	local step status=0
	: >"$1/summary.md"
	: >"$1/grade.log"
	for step in "${steps[@]}"; do
		(cd "$1" && GITHUB_STEP_SUMMARY=$1/summary.md bash -c "$step") >>"$1/grade.log" 2>&1 || status=$?
	done
	return $status
}

ok=0
copy_tree "$DIR/solved"
for lab in "$DIR"/solved/solutions/*/; do
	cp "$lab"* "$DIR/solved/labs/$(basename "$lab")/"
done
if grade "$DIR/solved"; then
	score=$(sed -n 's/^## Score: //p' "$DIR/solved/summary.md")
	if [ -n "$score" ] && [ "${score%/*}" = "${score#*/}" ]; then
		echo "solved labs/: exit 0, score $score"
	else
		echo "solved labs/: exit 0 but the summary says '${score:-no score}' (build/autograde/solved/summary.md)"
		ok=1
	fi
else
	echo "solved labs/: the steps failed (build/autograde/solved/grade.log):"
	tail -n 15 "$DIR/solved/grade.log"
	ok=1
fi

copy_tree "$DIR/skeleton"
export ONLY=primary_starts
if grade "$DIR/skeleton"; then
	echo "the skeleton: the steps passed: they should have failed"
	ok=1
elif grep -q "primary creates both rings.*| TODO 1 |" "$DIR/skeleton/summary.md"; then
	echo "the skeleton: a non-zero exit; the summary says $(sed -n 's/^## //p' "$DIR/skeleton/summary.md") and names TODO 1"
else
	echo "the skeleton: the summary does not name lab 01's first check and TODO 1:"
	cat "$DIR/skeleton/summary.md"
	ok=1
fi
exit $ok
