#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The demos' net_pcap ports (labs 02 and 03; the checks' twin:
# tests/lib/mpwcheck/vdevs.py). Sourced by symmetric_mp.sh and client_server.sh.

# pcap_vdevs DIR TRAFFIC_DIR RXQ TXQ: links in DIR and the --vdev options of
# ports 0 and 1, each with RXQ RX queues (TRAFFIC_DIR/p<port>q<queue>.pcap)
# and TXQ TX queues, each a sink: a secondary re-opens, and would truncate,
# a real TX file. One-letter names, relative to DIR: a secondary re-parses
# at most 63 characters of each --vdev.
pcap_vdevs() {
	local dir=$1 traffic=$2 rxq=$3 txq=$4 p q letters=abcdefghijklmnopqrstuvwxyz i=0 args
	mkdir -p "$dir"
	for p in 0 1; do
		args=
		for ((q = 0; q < rxq; q++)); do
			ln -sf "$traffic/p${p}q$q.pcap" "$dir/${letters:i:1}"
			args+=",rx_pcap=${letters:i:1}"
			i=$((i + 1))
		done
		for ((q = 0; q < txq; q++)); do
			ln -sf /dev/null "$dir/${letters:i:1}"
			args+=",tx_pcap=${letters:i:1}"
			i=$((i + 1))
		done
		printf -- '--vdev=net_pcap%s%s\n' "$p" "$args"
	done
}
