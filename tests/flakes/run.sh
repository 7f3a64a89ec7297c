#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make test-flakes [RUNS=20] [LOAD=N] [ONLY=REGEX]: run what can fail now and
# then RUNS times each, on the solutions: every lab's check, the demo, the
# fault matrix's kill rows, and one Ctrl-C to a whole process group of each
# lab (group_sigint.py). LOAD=N keeps N busy-looping processes running
# beside them, as a loaded machine would. Prints the failures of each row
# out of RUNS; the log of every failed run stays in build/flakes/ROW/.
set -uo pipefail
# Every DPDK process here loads only the vdev drivers.
[ -n "${MPW_VDEV_DRIVERS:-}" ] || exec "$(dirname "$0")/../lib/vdev_drivers.sh" "$0" "$@"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 2
RUNS=${RUNS:-20}
LOAD=${LOAD:-0}
# The rows' regex, out of the rows' environment: there ONLY selects checks.
# Out of MAKEFLAGS too, where make test's ONLY= would reach every make check
# that a row runs, as a command line's variable.
ROWS_ONLY=${ONLY:-}
unset ONLY MAKEFLAGS MFLAGS MAKELEVEL
for knob in RUNS LOAD; do
	[[ ${!knob} =~ ^[0-9]+$ ]] || { echo "flakes: $knob must be a whole number, not '${!knob}'" >&2; exit 2; }
done
OUT=$TOP/build/flakes
mkdir -p "$OUT"

LOADERS=()
stop_load() {
	[ ${#LOADERS[@]} = 0 ] || kill "${LOADERS[@]}" 2>/dev/null
	LOADERS=()
}
trap stop_load EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# The rows: a name, then the command of one run.
ROWS=(
	"lab 01 check|make --no-print-directory check LAB=01 SOLUTION=1"
	"lab 02 check|make --no-print-directory check LAB=02 SOLUTION=1"
	"lab 03 check|make --no-print-directory check LAB=03 SOLUTION=1"
	"lab 04 check|make --no-print-directory check LAB=04 SOLUTION=1"
	"the demo|scripts/demo.sh"
	"the fault matrix's kill rows|tests/faults/kills.sh"
	"lab 01: one Ctrl-C to the process group|tests/flakes/group_sigint.py 01 1"
	"lab 02: one Ctrl-C to the process group|tests/flakes/group_sigint.py 02 1"
	"lab 03: one Ctrl-C to the process group|tests/flakes/group_sigint.py 03 1"
	"lab 04: one Ctrl-C to the process group|tests/flakes/group_sigint.py 04 1"
)

make -s solutions >"$OUT/build.log" 2>&1 || { echo "flakes: the build failed: $OUT/build.log" >&2; exit 2; }
for ((i = 0; i < LOAD; i++)); do
	(while :; do :; done) &
	LOADERS+=($!)
done
echo "flakes: $RUNS runs of each row, $LOAD busy-looping processes beside them"
failed_rows=0
rows_run=0
for entry in "${ROWS[@]}"; do
	name=${entry%%|*}
	cmd=${entry#*|}
	[[ $name =~ ${ROWS_ONLY:-.} ]] || continue
	rows_run=$((rows_run + 1))
	dir=$OUT/$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')
	rm -rf "$dir"
	mkdir -p "$dir"
	failures=0
	start=$SECONDS
	for ((run = 1; run <= RUNS; run++)); do
		# shellcheck disable=SC2086 # cmd is a command line of words
		if ! timeout -k 10 600 $cmd >"$dir/run$run.log" 2>&1 </dev/null; then
			failures=$((failures + 1))
		else
			rm -f "$dir/run$run.log"
		fi
	done
	[ $failures = 0 ] || failed_rows=$((failed_rows + 1))
	printf '%-44s %3d of %d failed  (%d%%, %ds a run)%s\n' "$name" $failures "$RUNS" \
		$((100 * failures / (RUNS > 0 ? RUNS : 1))) $(((SECONDS - start) / (RUNS > 0 ? RUNS : 1))) \
		"$([ $failures = 0 ] || echo "; logs in ${dir#"$TOP"/}")"
done
echo "$((rows_run - failed_rows)) passed, $failed_rows failed"
[ $failed_rows = 0 ]
