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

# pcap_vdevs DIR N TX: write short links in DIR for N queues of ports 0 and 1
# and print the --vdev options. A secondary re-parses at most 63 characters
# of each, hence one-letter names, relative to DIR. TX "file" keeps what is
# sent (one process only: a secondary truncates tx files); "null" discards.
pcap_vdevs() {
	local dir=$1 n=$2 tx=$3 traffic=$H_WORK/traffic$2 p q letters=abcdefghijklmnop i=0 args
	mkdir -p "$dir"
	for p in 0 1; do
		args=
		for ((q = 0; q < n; q++)); do
			ln -sf "$traffic/p${p}q$q.pcap" "$dir/${letters:i:1}"
			args+=",rx_pcap=${letters:i:1}"
			i=$((i + 1))
		done
		for ((q = 0; q < n; q++)); do
			if [ "$tx" = file ]; then
				rm -f "$dir/${letters:i:1}"
			else
				ln -sf /dev/null "$dir/${letters:i:1}"
			fi
			args+=",tx_pcap=${letters:i:1}"
			i=$((i + 1))
		done
		printf -- '--vdev=net_pcap%s%s\n' "$p" "$args"
	done
}

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
