#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Shared by the parts of the fault suite (tests/faults/*.sh): each part
# sources this file, calls f_init, adds rows with f_row or f_refused, and
# ends with f_finish. A row is one case of the matrix that run.sh prints:
# the case, what is expected, what was seen, and whether they agree.
# shellcheck source=../lib/harness.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/harness.sh"

# f_init PART: a work dir build/faults/PART, the harness's clean-up, and
# the matrix file (F_MATRIX, set by run.sh; its own file when run alone).
f_init() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	F_PART=$1
	h_init "$1" "$top/solutions" "$top/build/faults/$1"
	F_MATRIX=${F_MATRIX:-$H_WORK/matrix.tsv}
	# shellcheck disable=SC2034 # read by the parts
	# F_SOL: other builds of the solutions (make coverage gives its own).
	F_SOL=${F_SOL:-$H_TOP/build/solutions}
	F_FAILED=0
	make -s -C "$H_TOP" solutions >"$H_WORK/build.log" 2>&1 ||
		{ echo "error: cannot build the solutions: $(tail -n 3 "$H_WORK/build.log")"; exit 2; }
}

# f_row CASE EXPECTED SEEN BAD: one row of the matrix; BAD is 0 when they
# agree, "skip" when the case could not be run without harming what others
# run on the machine (it then counts neither way).
f_row() {
	local result=PASS
	if [ "$4" = skip ]; then
		result=SKIP
	elif [ "$4" != 0 ]; then
		result=FAIL
		F_FAILED=$((F_FAILED + 1))
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$result" "$F_PART" "$1" "$2" "${3//[$'\t\n']/ }" >>"$F_MATRIX"
	printf '%s  %s\n' "$result" "$1"
	[ "$result" != FAIL ] || printf '      expected: %s\n      seen:     %s\n' "$2" "$3"
}

# f_files PREFIX: the hugepage files and runtime files of PREFIX, one per line.
f_files() {
	h_hugepage_files "$1"
	find "$H_RUNTIME/$1" -mindepth 0 2>/dev/null
	return 0
}

# f_refused CASE MESSAGE PREFIX CMD...: CMD, given bad input, must exit by
# itself (no hang: 20 s), non-zero, without a crash (no signal), print
# MESSAGE, and leave no file of PREFIX that was not there before it started.
f_refused() {
	local case=$1 message=$2 prefix=$3 name before new line status bad=0 seen
	shift 3
	name=r$((++F_ROWS))
	before=$(f_files "$prefix" | sort)
	h_start "$name" "$@"
	h_wait_exit "$name" 20
	status=$H_STATUS
	line=$(grep -F -- "$message" "${H_LOG[$name]}" | head -n 1 | sed 's/^ *//')
	new=$(comm -13 <(echo "$before") <(f_files "$prefix" | sort) | grep -c . || true)
	# 128 + N: killed by signal N (1 to 64). A status above that is the
	# program's own exit (DPDK 25.11's EAL exits with -EINVAL, 234).
	case $status in
	0) seen="exited 0" bad=1 ;;
	124) seen="still running after 20 s (killed)" bad=1 ;;
	125|126|127) seen="could not run (status $status)" bad=1 ;;
	129|1[3-8][0-9]|19[0-2]) seen="crashed (status $status)" bad=1 ;;
	*) seen="status $status" ;;
	esac
	if [ -n "$line" ]; then
		seen+=": $line"
	else
		seen+=", no '$message': $(h_tail "$name" 1)"
		bad=1
	fi
	[ "$new" = 0 ] || { seen+="; left $new file(s) of $prefix"; bad=1; }
	f_row "$case" "a non-zero exit, '$message', no file left" "$seen" $bad
}
F_ROWS=0

f_finish() {
	echo "== faults/$F_PART: $F_FAILED failed"
	[ "$F_FAILED" = 0 ]
}
