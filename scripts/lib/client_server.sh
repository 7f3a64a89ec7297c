#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 03's process handling for its demo (scripts/demo/03_client_server.sh;
# the checks' twin: tests/lib/mpwcheck/vdevs.py). Sourced after
# scripts/lib/harness.sh, with BIN_DIR (where mp_server and mp_client are) and
# TOOLS set.
# shellcheck disable=SC2154 # BIN_DIR and TOOLS come from the sourcing script
# shellcheck source=telemetry.sh
. "$(dirname "${BASH_SOURCE[0]}")/telemetry.sh"
# shellcheck source=pcap_vdevs.sh
. "$(dirname "${BASH_SOURCE[0]}")/pcap_vdevs.sh"

READY="APP: Finished Process Init."

# start_server NAME DIR PREFIX [EAL options] -- [server options]
start_server() {
	local name=$1 dir=$2 prefix=$3
	shift 3
	h_start "$name" env -C "$dir" "$BIN_DIR/mp_server" -l 0 --no-pci \
		--file-prefix "$prefix" --proc-type=primary "$@"
	h_wait "$name" "$READY" 1 20
}

# start_client NAME DIR PREFIX ID: client ID on its own lcore (ID + 1, on
# core 1), in the server's DIR: it re-opens the ports' files by their names.
start_client() {
	h_start "$1" env -C "$2" "$BIN_DIR/mp_client" --lcores "$(($4 + 1))@1" --no-pci \
		--file-prefix "$3" --proc-type=secondary -- -n "$4"
	h_wait "$1" "$READY" 1 20
}

# wait_received PREFIX FRAMES_PER_PORT: the server read every frame of ports 0 and 1.
wait_received() { t_wait "$1" 0 rx 0 "$2" && t_wait "$1" 1 rx 0 "$2"; }
