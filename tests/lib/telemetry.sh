#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reading a primary's counters from DPDK's telemetry socket, for checks that
# must wait until traffic has gone through. Needs TOOLS (the built tools).
# The primary's socket answers for every process: per-queue counters of
# ethdev ports sit in shared memory.
# shellcheck disable=SC2154 # TOOLS comes from the sourcing script

# t_queue PREFIX PORT FIELD QUEUE: one per-queue counter of /ethdev/stats,PORT
# (FIELD q_ipackets or q_opackets), or nothing when the socket does not answer.
t_queue() {
	"$TOOLS/telemetry_query" "/var/run/dpdk/$1/dpdk_telemetry.v2" "/ethdev/stats,$2" 2>/dev/null |
		sed -n "s/.*\"$3\": *\\[\\([^]]*\\)\\].*/\\1/p" | cut -d, -f$(($4 + 1)) | tr -d ' '
}

# t_wait PREFIX PORT FIELD QUEUE COUNT [SECONDS]: wait (default 5 s; the
# traffic of a check passes in well under one) until the counter
# reaches COUNT; on a timeout, say what it was in $H_WORK/last_wait.
t_wait() {
	local deadline=$((SECONDS + ${6:-5})) got
	while [ $SECONDS -lt $deadline ]; do
		got=$(t_queue "$1" "$2" "$3" "$4")
		[ "${got:-0}" -ge "$5" ] && return 0
		sleep 0.1
	done
	echo "telemetry: port $2 $3[$4] is ${got:-unanswered}, expected $5" >"$H_WORK/last_wait"
	return 1
}
