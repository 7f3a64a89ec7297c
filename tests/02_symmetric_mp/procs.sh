#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 02's process handling, shared by its check and its demo. Sourced after
# tests/lib/harness.sh, with BIN (the symmetric_mp binary), TOOLS (the
# built tools) and READY (the line a started process prints) set.
# shellcheck disable=SC2154 # BIN, TOOLS and READY come from the sourcing script
# shellcheck source=../lib/telemetry.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/telemetry.sh"

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

# field FILE PORT QUEUE NAME: a figure of the traffic's expected.txt.
field() {
	awk -v p="$2" -v q="$3" -v k="$4" '$1 == "port" && $2 == p && $3 == "queue" && $4 == q {
		for (i = 5; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$1"
}

# expected_stats TRAFFIC_DIR QUEUE: what the process polling QUEUE must print.
expected_stats() {
	local t=$1/expected.txt q=$2
	printf 'Port 0: RX - %s, TX - %s, Drop - 0\n' "$(field "$t" 0 "$q" frames)" "$(field "$t" 1 "$q" good)"
	printf 'Port 1: RX - %s, TX - %s, Drop - 0\n' "$(field "$t" 1 "$q" frames)" "$(field "$t" 0 "$q" good)"
	printf 'Port 0: Bad IP checksum - %s, Bad L4 checksum - %s\n' "$(field "$t" 0 "$q" bad_ip)" "$(field "$t" 0 "$q" bad_l4)"
	printf 'Port 1: Bad IP checksum - %s, Bad L4 checksum - %s\n' "$(field "$t" 1 "$q" bad_ip)" "$(field "$t" 1 "$q" bad_l4)"
}

# Upstream's statistics line, and ours for the checksums.
STATS_RE='^Port [0-9]+: (RX - |Bad IP)'

# printed_stats NAME: the statistics NAME printed as it stopped.
printed_stats() { grep -E "$STATS_RE" "${H_LOG[$1]}"; }
