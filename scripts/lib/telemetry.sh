#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reading a primary's counters from DPDK's telemetry socket, for demos that
# wait until traffic has gone through (tests/lib/mpwcheck/telemetry.py is
# its twin). Needs TOOLS (the built tools).
# The primary's socket answers for every process: per-queue counters of
# ethdev ports sit in shared memory.
# shellcheck disable=SC2154 # TOOLS comes from the sourcing script

# t_queue PREFIX PORT DIR QUEUE: the packets that QUEUE of PORT received (DIR
# rx) or sent (tx), from /ethdev/xstats,PORT: /ethdev/stats lost its
# per-queue arrays in DPDK 25.11. Nothing, and false, when unanswered.
t_queue() {
	local n
	n=$("$TOOLS/telemetry_query" "$H_RUNTIME/$1/dpdk_telemetry.v2" "/ethdev/xstats,$2" 2>/dev/null |
		grep -o "\"$3_q$4_packets\": *[0-9]*" | grep -o '[0-9]*$')
	[ -n "$n" ] && echo "$n"
}

# t_wait PREFIX PORT DIR QUEUE COUNT [SECONDS]: wait (default 5 s; the
# traffic of a check passes in well under one) until the counter
# reaches COUNT; on a timeout, say what it was in $H_WORK/last_wait.
t_wait() {
	local deadline=$((SECONDS + ${6:-5})) got missed
	while [ $SECONDS -lt $deadline ]; do
		got=$(t_queue "$1" "$2" "$3" "$4")
		[ "${got:-0}" -ge "$5" ] && return 0
		sleep 0.1
	done
	# Frames the device itself dropped tell where the missing ones went.
	missed=$("$TOOLS/telemetry_query" "$H_RUNTIME/$1/dpdk_telemetry.v2" "/ethdev/xstats,$2" 2>/dev/null |
		grep -o '"rx_missed_errors": *[0-9]*' | grep -o '[0-9]*$')
	echo "telemetry: port $2 $3_q$4_packets is ${got:-unanswered}, expected $5 (rx_missed_errors ${missed:-unanswered})" \
		>"$H_WORK/last_wait"
	return 1
}
