#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# labs_ignored_test.sh: the suite's rows that judge skeletons never read the
# working tree's labs/, which may hold a student's work. They run again here
# in a private mount namespace whose labs/ is a decoy, solved (the
# solutions' files: a row that read it would see every check pass), and
# must still pass: each judges the skeleton as the generator makes it.
# HALF_DONE=1: again over a half-done decoy (TODO 1 of each lab written). Their files go under build/labs_ignored/STATE, apart from the
# suite's own runs of the same rows.
#
# The rows, as tests/suite/test_labs.py and test_kit.py name them: "the skeleton of LAB, as
# generated, fails its check" (todo_tests.sh LAB all), "the hardware mode
# of LAB on the same ports: the skeleton fails" (hw_selftest.sh LAB labs),
# and the autograding's skeleton step (autograde_test.sh --skeleton). The
# distribution rows clone git's HEAD, and read no working tree.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/labs_ignored
LABS=$(cd "$TOP/solutions" && ls -d [0-9][0-9]_*)
command -v unshare >/dev/null || { echo "unshare is missing (util-linux)"; exit 2; }

# decoy STATE DIR: labs/ as a student may leave it, in DIR.
decoy() {
	local lab f
	for lab in $LABS; do
		mkdir -p "$2/$lab"
		# The TODO comments from the lab's manifest, as gen_skeletons.sh has them.
		[ "$1" = solved ] ||
			"$TOP/tests/lib/mpwcheck/manifest.py" comments "$lab" "$TOP/solutions/$lab"/* >"$2/.comments" || return 1
		for f in "$TOP/solutions/$lab"/*; do
			if [ "$1" = solved ]; then
				cp "$f" "$2/$lab/"
			else
				awk -v done=1 -v comments="$2/.comments" -f "$TOP/scripts/make_skeleton.awk" "$f" \
					>"$2/$lab/${f##*/}" || return 1
			fi
		done
	done
	rm -f "$2/.comments"
}

# --in STATE: the rows, with the decoy over labs/ (this script again, in
# the namespace).
if [ "${1:-}" = --in ]; then
	out=$OUT/$2
	status=0
	mount --bind "$out/labs" "$TOP/labs" || { echo "cannot bind the decoy over labs/"; exit 2; }
	for lab in $LABS; do
		TODO_ROOT=$out/todo "$TOP/tests/todo_tests.sh" "$lab" all || status=1
	done
	for lab in 02_symmetric_mp 03_client_server; do
		if HW_ROOT=$out/hw "$TOP/tests/hw_selftest.sh" "$lab" labs >"$out/hw-$lab.log" 2>&1; then
			echo "PASS  $lab: the hardware mode's skeleton row"
		else
			echo "FAIL  $lab: the hardware mode's skeleton row ($out/hw-$lab.log)"
			status=1
		fi
	done
	AUTOGRADE_DIR=$out/autograde "$TOP/tests/autograde_test.sh" --skeleton || status=1
	exit $status
fi

rm -rf "$OUT"
status=0
states=(solved)
[ -z "${HALF_DONE:-}" ] || states+=(half_done)
for state in "${states[@]}"; do
	echo "== labs/ $state"
	decoy "$state" "$OUT/$state/labs" || { echo "cannot make the $state decoy"; exit 2; }
	unshare -m --propagation private "$0" --in "$state" || status=1
done
exit $status
