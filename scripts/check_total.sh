#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# check_total.sh labs|solutions LAB...: after make check of several labs,
# their total and a score (a point per check, as xv6's make grade counts),
# from each lab's build/check/VARIANT/LAB/results.tsv.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
variant=$1
shift
passed=0 total=0
for lab in "$@"; do
	results=$TOP/build/check/$variant/$lab/results.tsv
	[ -f "$results" ] || continue
	passed=$((passed + $(grep -c '^PASS' "$results")))
	total=$((total + $(wc -l <"$results")))
done
echo "== all labs: $passed passed, $((total - passed)) failed; score $passed/$total"
