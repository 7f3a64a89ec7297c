#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# reference_test.sh: the observations recorded for a copy without solutions/
# (tests/NN_name/reference/, make reference) are what the solutions' programs
# do now: each check that compares with the solution (its name ends in
# as_reference) records again into a directory of its own, and nothing may
# differ.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=$TOP/build/reference_test
rm -rf "$WORK"
mkdir -p "$WORK/new"
export H_PREFIX_BASE=${H_PREFIX_BASE:-mpw}ref$$
if ! MPW_RECORD=$WORK/new H_CHECK_ROOT=$WORK/check make -s -C "$TOP" check SOLUTION=1 ONLY=as_reference >"$WORK/report.txt" 2>&1; then
	cat "$WORK/report.txt"
	echo "FAIL: the solutions fail their checks that compare with them"
	exit 1
fi
status=0
for dir in "$TOP"/tests/[0-9][0-9]_*/; do
	lab=$(basename "$dir")
	if [ -d "$dir/reference" ] || [ -d "$WORK/new/$lab" ]; then
		if ! diff -r "$dir/reference" "$WORK/new/$lab" >"$WORK/$lab.diff" 2>&1; then
			head -20 "$WORK/$lab.diff"
			echo "FAIL: tests/$lab/reference/ is not what the solution does now: run 'make reference' and commit it"
			status=1
		fi
	fi
done
[ $status = 0 ] && echo "the recorded reference observations are the solutions' own"
exit $status
