#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 02's process handling for its demo (scripts/demo/02_symmetric_mp.sh;
# the checks' twin: tests/lib/mpwcheck/vdevs.py). Sourced after
# scripts/lib/harness.sh, with BIN (the symmetric_mp binary), TOOLS (the
# built tools) and READY (the line a started process prints) set.
# shellcheck disable=SC2154 # BIN, TOOLS and READY come from the sourcing script
# shellcheck source=telemetry.sh
. "$(dirname "${BASH_SOURCE[0]}")/telemetry.sh"
# shellcheck source=pcap_vdevs.sh
. "$(dirname "${BASH_SOURCE[0]}")/pcap_vdevs.sh"

# lcores ID: distinct lcore ids for process ID, on the two cores.
lcores() { echo "$((2 * $1))@0,$((2 * $1 + 1))@1"; }

# start_proc NAME DIR PREFIX ID N [EAL options...]: one symmetric_mp process.
start_proc() {
	local name=$1 dir=$2 prefix=$3 id=$4 n=$5
	shift 5
	h_start "$name" env -C "$dir" "$BIN" --lcores "$(lcores "$id")" --no-pci \
		--file-prefix "$prefix" --proc-type=auto "$@" -- -p 3 --num-procs "$n" --proc-id "$id"
	h_wait "$name" "$READY" 1 20
}

# wait_consumed PREFIX PORT QUEUE COUNT: until COUNT frames were received on
# that queue, whichever process polls it.
wait_consumed() { t_wait "$1" "$2" rx "$3" "$4"; }
