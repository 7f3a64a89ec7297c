#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# hint.sh LAB TODO [LEVEL]: a hint for TODO of LAB (01 or 01_simple_mp), from
# hints/LAB.txt. Level 1 (the default) is the idea, 2 the DPDK calls
# involved, 3 the shape of the code; never the code itself.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: make hint LAB=01 TODO=1 [LEVEL=1|2|3]" >&2; exit 2; }
[ $# -ge 2 ] || usage
lab=$1 todo=$2 level=${3:-1}
[[ $todo =~ ^[0-9]+$ ]] || { echo "hint: TODO must be a number, not '$todo'" >&2; usage; }
[[ $level =~ ^[123]$ ]] || { echo "hint: LEVEL is 1, 2 or 3, not '$level'" >&2; usage; }
file=$(find "$TOP/hints" -maxdepth 1 -name "$lab*.txt" | sort | head -n 1)
[ -n "$file" ] || { echo "hint: no lab '$lab': the labs are $(find "$TOP/hints" -name '*.txt' -printf '%f\n' | sed 's/\.txt$//' | sort | paste -sd ' ')" >&2; exit 2; }
name=$(basename "$file" .txt)

text=$(awk -v todo="$todo" -v level="$level" '
	/^== TODO / { split($3, a, ":"); in_todo = (a[1] == todo); if (in_todo) title = $0; next }
	/^-- [0-9]/ { in_level = in_todo && ($2 == level); next }
	in_level { print }
	END { if (title == "") exit 1 }' "$file") ||
	{ echo "hint: $name has no TODO $todo" >&2; exit 2; }
[ -n "$text" ] || { echo "hint: $name has no level $level for TODO $todo" >&2; exit 2; }
title=$(grep -m1 "^== TODO $todo:" "$file" | sed 's/^== //')
echo "$name, $title (level $level of 3)"
echo
echo "$text"
echo
if [ "$level" -lt 3 ]; then
	echo "More: make hint LAB=${name%%_*} TODO=$todo LEVEL=$((level + 1))"
else
	echo "That is the last level; the walkthrough explains the why (make docs)."
fi
