#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# autograde_test.sh [--skeleton]: the steps of the instructor's autograding
# (autograding/github-classroom.yml) run here, as a CI would run them, in a
# copy of this tree whose labs/ are the skeletons as the generator makes
# them (this tree's labs/ may hold a student's work, solved or half done):
#  - as generated, one check only (ONLY=primary_starts, lab 01's first): a
#    non-zero exit, and the summary names that check and TODO 1;
#  - then with labs/ solved (the solutions' files copied in): exit 0, and the
#    job summary gives full marks. --skeleton: the first step alone.
# Each build compiles only the files that differ from the solutions (ccache,
# as a CI's cache would: mk/ccache.mk). AUTOGRADE_DIR: where the copy goes (build/autograde).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORKFLOW=$TOP/autograding/github-classroom.yml
DIR=${AUTOGRADE_DIR:-$TOP/build/autograde}

# The workflow's run: lines, as a shell runs them. This is root already:
# no sudo (a chroot of the suite may have none).
mapfile -t steps < <(sed -n 's/^ *run: *//p' "$WORKFLOW" | sed 's/^sudo --preserve-env=GITHUB_STEP_SUMMARY //')
[ ${#steps[@]} -gt 0 ] || { echo "no run: step in $WORKFLOW"; exit 1; }

# copy_tree DEST: this tree's files (committed or not, not build/), but
# labs/: the skeletons, as the generator makes them from solutions/.
copy_tree() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$TOP" && git ls-files -co --exclude-standard -z -- . ':!labs' |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$1" -xf -
	"$TOP/scripts/gen_skeletons.sh" --into "$1/labs"
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
# One copy, graded twice: as generated, then solved.
copy_tree "$DIR/tree"
export ONLY=primary_starts
if grade "$DIR/tree"; then
	echo "the skeleton: the steps passed: they should have failed"
	ok=1
elif grep -q "primary creates both rings.*| TODO 1 |" "$DIR/tree/summary.md"; then
	echo "the skeleton: a non-zero exit; the summary says $(sed -n 's/^## //p' "$DIR/tree/summary.md") and names TODO 1"
else
	echo "the skeleton: the summary does not name lab 01's first check and TODO 1:"
	cat "$DIR/tree/summary.md"
	ok=1
fi
mv "$DIR/tree/summary.md" "$DIR/tree/summary-skeleton.md"
mv "$DIR/tree/grade.log" "$DIR/tree/grade-skeleton.log"
[ "${1:-}" != --skeleton ] || exit $ok

unset ONLY
for f in "$DIR"/tree/solutions/*/*; do
	lab=$(basename "$(dirname "$f")")
	cmp -s "$f" "$DIR/tree/labs/$lab/${f##*/}" || cp "$f" "$DIR/tree/labs/$lab/"
done
if grade "$DIR/tree"; then
	score=$(sed -n 's/^## Score: //p' "$DIR/tree/summary.md")
	if [ -n "$score" ] && [ "${score%/*}" = "${score#*/}" ]; then
		echo "solved labs/: exit 0, score $score"
	else
		echo "solved labs/: exit 0 but the summary says '${score:-no score}' ($DIR/tree/summary.md)"
		ok=1
	fi
else
	echo "solved labs/: the steps failed ($DIR/tree/grade.log):"
	tail -n 15 "$DIR/tree/grade.log"
	ok=1
fi
exit $ok
