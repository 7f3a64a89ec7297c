#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The hints (the "hints" of each TODO in tests/NN_name/manifest.toml, make
# hint): every TODO of every solution has its three levels, no hint names a
# TODO the lab lacks, and no hint gives the code itself: no line of a TODO
# region's code (20 characters or more, spaces folded) stands in the hints.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
status=0
fail() { echo "hints: $*"; status=1; }

for solution in "$TOP"/solutions/[0-9][0-9]_*/; do
	lab=$(basename "$solution")
	[ -f "$TOP/tests/$lab/manifest.toml" ] || { fail "no tests/$lab/manifest.toml"; continue; }
	todos=$(grep -ho 'TODO([0-9]*) begin' "$solution"/* | tr -dc '0-9\n' | sort -n | paste -sd ' ')
	hinted=$("$TOP/tests/lib/mpwcheck/manifest.py" todos "$lab" | grep -v '^all$' | paste -sd ' ')
	[ "$todos" = "$hinted" ] || fail "$lab: TODOs $todos, hints for $hinted"
	hints=''
	for n in $todos; do
		for level in 1 2 3; do
			hints+=$("$TOP/scripts/hint.sh" "$lab" "$n" "$level" 2>/dev/null)$'\n' ||
				fail "$lab TODO $n has no level $level"
		done
	done
	# The code of the TODO regions, one folded line each, comments left out.
	code=$(awk '/TODO\([0-9]+\) begin/ { in_todo = 1; next }
		/TODO\([0-9]+\) (skeleton|end)/ { in_todo = 0 }
		in_todo' "$solution"/*.[ch] |
		sed -e 's|/\*.*\*/||' -e 's/^[[:space:]]*//' -e 's/[[:space:]]\+/ /g' |
		grep -v -e '^\*' -e '^/\*' -e '^$' | awk 'length($0) >= 20' | sort -u)
	folded=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]\+/ /g' <<<"$hints")
	while read -r line; do
		[ -n "$line" ] || continue
		grep -qF -- "$line" <<<"$folded" && fail "$lab: a hint gives the code itself: '$line'"
	done <<<"$code"
done
[ $status = 0 ] && echo "every TODO has its three levels of hints, none of them the code"
exit $status
