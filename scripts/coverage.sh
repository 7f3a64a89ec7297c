#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# coverage.sh [LAB...] (make coverage [LAB=01]): which branches of the
# solutions the checks take. Builds every solution (or LAB's) with gcov's
# counters (make COVERAGE=1, into build/coverage/solutions/<lab>), runs the
# labs' checks on those programs in one run (logs in build/coverage/check/),
# and, for every lab, the fault matrix's parts that start the programs
# (tests/faults/test_*.py with F_SOL: bad input, the machine and its reservation, kills, refusals,
# interrupts; its table in build/coverage/faults.tsv) and common/'s unit test
# (tests/common/run.sh --coverage, in build/coverage/common: its counts for
# common/ add to the labs'), then prints gcovr's branch figures for each file of solutions/ and common/,
# the branches of each TODO region and each one not taken
# (tests/lib/mpwcheck/coverage.py), the processes whose counts were lost,
# and a summary.
#
# Counts: each process adds its own to the object's .gcda as it exits,
# whether it returns from main() or calls exit() (rte_exit() does); the
# checks stop the programs with SIGINT, which they answer. A process killed
# (SIGKILL when it does not exit within a second of SIGINT, a crash, or a
# kill on purpose) writes nothing: the report names each such process.
# The .gcda paths are absolute (the objects'), so a process's working
# directory does not matter, and lab 02's build with its test doubles,
# linked from copies of the same objects, adds to the same files.
#
# Exit status: 0 whatever the figures; 1 when a solution does not build, its
# check fails on the instrumented build, or no report can be made.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
OUT=$TOP/build/coverage

if [ $# = 0 ]; then
	mapfile -t LABS < <(find solutions -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9]_*' -printf '%f\n' | sort)
else
	LABS=()
	for lab in "$@"; do
		match=$(find solutions -mindepth 1 -maxdepth 1 -type d -name "${lab}*" -printf '%f\n' | sort | head -n 1)
		[ -n "$match" ] || { echo "coverage: no lab matches '$lab'" >&2; exit 2; }
		LABS+=("$match")
	done
fi
command -v gcovr >/dev/null || { echo "coverage: gcovr is not installed: run scripts/install_deps.sh" >&2; exit 2; }

status=0
checked=()
builds=()
for lab in "${LABS[@]}"; do
	echo "== solutions/$lab: building with --coverage"
	if make --no-print-directory -C "solutions/$lab" COVERAGE=1; then
		checked+=("$lab" "$OUT/solutions/$lab" "solutions/$lab")
		builds+=("$OUT/solutions/$lab")
	else
		echo "== solutions/$lab: does not build (above): not measured"
		status=1
	fi
done
[ ${#checked[@]} != 0 ] || exit 1
# This run's counts alone: a .gcda adds to what it holds.
find "${builds[@]}" -name '*.gcda' -delete

(
	# Reaches the checks' own builds of a lab (lab 02's doubles): mk/lab.mk.
	export COVERAGE=1
	export H_CHECK_ROOT=$OUT/check
	# Prefixes of our own, under a base given (the suite's), as sanitize_test.sh's.
	# shellcheck disable=SC2030 # for this subshell alone, on purpose
	export H_PREFIX_BASE="${H_PREFIX_BASE:-mpw}$$_cov_"
	# How each process ended (tests/lib/mpwcheck/exits.py).
	export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:+$PYTEST_ADDOPTS }-p mpwcheck.exits --exits $OUT/exits.json"
	rm -f "$OUT/exits.json"
	tests/run_check.sh "${checked[@]}"
)
check=$?
if [ $check != 0 ]; then
	echo "== error: the check failed on the instrumented solutions (status $check): the figures below miss what it did not run"
	status=1
fi
if [ $# = 0 ]; then
	echo "== the fault matrix on the instrumented solutions (log: build/coverage/faults.log)"
	# shellcheck disable=SC2031 # the base given, not the check's subshell's
	# Its pytest modules (tests/faults/test_*.py) on F_SOL's programs, where
	# DPDK loads only the vdev drivers.
	H_PREFIX_BASE="${H_PREFIX_BASE:-mpw}$$_covf_" F_SOL=$OUT/solutions F_MATRIX=$OUT/faults.tsv \
		PYTHONPATH=$TOP/tests/lib PYTHONDONTWRITEBYTECODE=1 tests/lib/vdev_drivers.sh \
		/usr/bin/python3 -m pytest -p no:cacheprovider --rootdir=. -o 'python_files=test_*.py' tests/faults -n 2 \
		>"$OUT/faults.log" 2>&1 ||
		echo "== the fault matrix failed on them (its table: build/coverage/faults.tsv): the figures miss what it did not run"
	echo "== common/'s unit test, instrumented (log: build/coverage/common.log)"
	tests/common/run.sh --coverage >"$OUT/common.log" 2>&1 ||
		echo "== common/'s unit test failed (its log: build/coverage/common.log): the figures miss what it did not run"
fi

# gcovr 7 and later name the text report's metric; gcovr 5 and 6 say --branches.
metric=(--branches)
[[ "$(gcovr --help)" != *--txt-metric* ]] || metric=(--txt-metric branch)
echo "== branches of each file (gcovr; Missing: the lines with a branch not taken)"
# Only the builds measured: gcovr reads a .gcno without counts as code never run.
# The checks' own builds of a solution (lab 01's failing creations, lab 02's
# doubles) count too: their objects and counts are under the checks' logs.
# common/'s unit test: its own build of common/*.c, the same flags, so gcovr
# adds its counts to the labs' line by line; this run's (the full run's) alone.
tested=()
[ $# != 0 ] || [ ! -e "$OUT/common/test_common.gcda" ] || tested=("$OUT/common")
gcovr --root "$TOP" --filter solutions/ --filter common/ "${metric[@]}" --txt --json "$OUT/gcovr.json" \
	"${builds[@]}" "$OUT/check" "${tested[@]}" ||
	{ echo "== error: gcovr failed"; exit 1; }
PYTHONPATH=$TOP/tests/lib PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m mpwcheck.coverage \
	"$TOP" "$OUT/gcovr.json" "$OUT/exits.json" "${LABS[@]}" || status=1
exit $status
