#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# hint.sh LAB TODO [LEVEL]: a hint for TODO of LAB (01 or 01_simple_mp), from
# the lab's manifest (tests/LAB/manifest.toml). Level 1 (the default) is the
# idea, 2 the DPDK calls involved, 3 the shape of the code; never the code
# itself.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
MANIFEST=$TOP/tests/lib/mpwcheck/manifest.py
usage() { echo "usage: make hint LAB=01 TODO=1 [LEVEL=1|2|3]" >&2; exit 2; }
[ $# -ge 2 ] || usage
lab=$1 todo=$2 level=${3:-1}
[[ $todo =~ ^[0-9]+$ ]] || { echo "hint: TODO must be a number, not '$todo'" >&2; usage; }
[[ $level =~ ^[123]$ ]] || { echo "hint: LEVEL is 1, 2 or 3, not '$level'" >&2; usage; }
# The manifest's own words when the lab or the TODO does not exist.
title=$("$MANIFEST" title "$lab" "$todo" 2> >(sed 's/^manifest:/hint:/' >&2)) || exit 2
text=$("$MANIFEST" hint "$lab" "$todo" "$level")
name=$(basename "$(dirname "$(find "$TOP"/tests -maxdepth 2 -path "$TOP/tests/$lab*/manifest.toml" | sort | head -n 1)")")
echo "$name, TODO $todo: $title (level $level of 3)"
echo
echo "$text"
echo
if [ "$level" -lt 3 ]; then
	echo "More: make hint LAB=${name%%_*} TODO=$todo LEVEL=$((level + 1))"
else
	echo "That is the last level; the walkthrough explains the why (make docs)."
fi
