#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# inside.sh rows|suite: what tests/distros/run.sh runs inside a fresh chroot,
# from the clone of the commit under test, as a newcomer would: the README's
# commands, as root. Writes ~/distro-logs/rows.tsv (result, what, seconds,
# log) and a log per row beside it.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
# This shell is the PID namespace's first process, which gets no signal it
# has no handler for: Ctrl-C must still end it (and so the namespace).
trap 'exit 130' INT TERM
LOGS=$HOME/distro-logs
mkdir -p "$LOGS"
: >"$LOGS/rows.tsv"
# No distribution rows inside a distribution.
export DISTROS=
n=0

# row WHAT CMD...: run CMD under a time bound; its status decides the row.
row() {
	local what=$1 log start status=0
	shift
	n=$((n + 1))
	log=$n.log
	start=$SECONDS
	# A function of this script runs in a bash of its own, under the bound.
	if declare -F "$1" >/dev/null; then
		set -- bash -c "$(declare -f "$1")"'; "$@"' "$0" "$@"
	fi
	timeout -k 10 "$ROW_BOUND" "$@" >"$LOGS/$log" 2>&1 </dev/null || status=$?
	if [ $status = 0 ]; then result=PASS; else result=FAIL; fi
	printf '%s\t%s\t%s\t%s\n' "$result" "$what" $((SECONDS - start)) "$log" >>"$LOGS/rows.tsv"
	echo "$result  $what"
	tail -n 5 "$LOGS/$log"
}

# skeleton_fails LAB: the skeleton's check fails, and names a TODO of it.
skeleton_fails() {
	local out
	out=$(make --no-print-directory check LAB="$1" 2>&1)
	echo "$out"
	! grep -q "^== $1: .* 0 failed" <<<"$out" &&
		grep -qE "look at: +TODO [0-9]+ in labs/$1/" <<<"$out"
}

dpdk_version() { pkg-config --modversion libdpdk 2>/dev/null || echo "not installed"; }

case ${1:-} in
rows)
	# Each row's bound: a first install of the packages takes a few minutes.
	ROW_BOUND=1500
	row "the README's demo command (scripts/run.sh demo)" scripts/run.sh demo
	row "every lab's check passes on the solutions (DPDK $(dpdk_version))" \
		make --no-print-directory check SOLUTION=1
	for lab in $(find solutions -mindepth 1 -maxdepth 1 -name '[0-9][0-9]_*' -printf '%f\n' | sort); do
		row "the skeleton labs/$lab fails its check, naming a TODO" skeleton_fails "$lab"
	done
	;;
suite)
	ROW_BOUND=3300
	row "the README's test command (scripts/run.sh test)" scripts/run.sh test
	echo "DPDK $(dpdk_version): $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/1.log" | tail -n 1)" >"$LOGS/summary"
	;;
*)
	echo "usage: $0 rows|suite" >&2
	exit 2
	;;
esac
! grep -q '^FAIL' "$LOGS/rows.tsv"
