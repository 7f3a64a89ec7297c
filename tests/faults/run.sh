#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# machine, the reservation, kills, interrupts, refusals), then prints the matrix, one
# machine, the reservation, kills, interrupts), then prints the matrix, one
# row per case (case, expected, seen), and "N passed, N failed".
#
#   run.sh              every part, then the table
#   run.sh PART...      some of them (bad_input machine reservation kills interrupts refusals)
#   run.sh --table      only print the table of the last run
#
# The whole matrix is kept in build/faults/matrix.tsv (result, part, case,
# expected, seen), a part's log in build/faults/PART.log.
set -uo pipefail
# Every DPDK process here loads only the vdev drivers.
[ -n "${MPW_VDEV_DRIVERS:-}" ] || exec "$(dirname "$0")/../lib/vdev_drivers.sh" "$0" "$@"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$TOP/build/faults
# F_MATRIX: elsewhere (the suite runs some parts at once, each into its own).
export F_MATRIX=${F_MATRIX:-$OUT/matrix.tsv}
ALL_PARTS=(bad_input machine reservation kills interrupts refusals)
PARTS=("${ALL_PARTS[@]}")

# cut_to WIDTH TEXT: TEXT, shortened with "..." to fit WIDTH.
cut_to() {
	if [ ${#2} -le "$1" ]; then echo "$2"; else echo "${2:0:$(($1 - 3))}..."; fi
}

print_table() {
	local result part case expected seen passed=0 failed=0 skipped=0
	[ -s "$F_MATRIX" ] || { echo "no fault matrix: run tests/faults/run.sh"; return 1; }
	printf '\n== Fault matrix (full text: %s)\n' "${F_MATRIX#"$TOP"/}"
	printf '%-4s  %-58s  %-44s  %s\n' "" case expected seen
	while IFS=$'\t' read -r result part case expected seen; do
		printf '%-4s  %-58s  %-44s  %s\n' "$result" "$(cut_to 58 "$case")" \
			"$(cut_to 44 "$expected")" "$(cut_to 70 "$seen")"
		case $result in
		PASS) passed=$((passed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done <"$F_MATRIX"
	echo "$passed passed, $failed failed$([ $skipped = 0 ] || echo ", $skipped skipped")"
	[ $failed = 0 ]
}

if [ "${1:-}" = --table ]; then
	print_table
	exit
fi
[ $# = 0 ] || PARTS=("$@")
trap 'echo "interrupted" >&2; exit 130' INT TERM
mkdir -p "$OUT"
: >"$F_MATRIX"
for part in "${PARTS[@]}"; do
	script=$TOP/tests/faults/$part.sh
	[ -x "$script" ] || { echo "no part '$part' (the parts: ${ALL_PARTS[*]})" >&2; exit 2; }
	echo "== faults: $part"
	before=$(wc -l <"$F_MATRIX")
	"$script" >"$OUT/$part.log" 2>&1
	status=$?
	grep -E '^(PASS|FAIL)  ' "$OUT/$part.log" | sed 's/^/   /'
	# A part that stops half-way has rows that never ran: that is a failure too.
	if [ $status != 0 ] && [ "$(grep -c '^FAIL' "$OUT/$part.log")" = 0 ]; then
		printf 'FAIL\t%s\t%s\t%s\t%s\n' "$part" "the $part part runs to its end" "status 0" \
			"status $status after $(($(wc -l <"$F_MATRIX") - before)) rows: $(tail -n 1 "$OUT/$part.log")" >>"$F_MATRIX"
		echo "   FAIL  the $part part stopped with status $status (${OUT#"$TOP"/}/$part.log)"
	fi
done
print_table
