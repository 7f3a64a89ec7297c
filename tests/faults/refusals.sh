#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault suite, refusals: every program of the solutions when a call that no
# vdev fails does fail (a driver that refuses to start, a queue set-up or
# its information; an allocation or an IPC registration without memory; a
# full descriptor table; a lock the kernel refuses), through the test double
# tests/lib/doubles/fail_call.c. Each row: the call is made and fails, and
# the program exits non-zero by itself saying why, without a crash and
# without leaving a file; or, where the program can do without, it starts.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
f_init refusals

# Every call that the double can fail: each wrapped (--wrap).
FAIL_CALLS=(rte_eth_dev_info_get rte_eth_dev_configure rte_eth_dev_adjust_nb_rx_tx_desc
	rte_eth_rx_queue_setup rte_eth_tx_queue_setup rte_eth_promiscuous_enable rte_eth_dev_start
	rte_eth_link_get_nowait rte_eth_dev_conf_get rte_zmalloc_socket rte_pktmbuf_pool_create rte_mp_action_register cmdline_stdin_new pipe flock)
READY="APP: Finished Process Init."
IDLE=(--vdev net_ring0 --vdev net_ring1)
n=0
# pfx: the next prefix, in $p.
pfx() { n=$((n + 1)); p=$(h_prefix "f$n"); }

# Each lab linked with the double, from the objects of F_SOL's build (their
# times kept: make compiles the double alone, and links; in make coverage
# the objects count as the instrumented build's).
D=$H_WORK/bin
wraps=$(printf ',--wrap=%s' "${FAIL_CALLS[@]}")
for lab in 01_simple_mp 02_symmetric_mp 03_client_server 04_hotplug_mp; do
	mkdir -p "$D/$lab"
	cp -pr "$F_SOL/$lab/obj" "$D/$lab/"
	coverage=()
	! compgen -G "$D/$lab/obj/*.gcno" >/dev/null || coverage=(COVERAGE=1)
	make -s -C "$H_TOP/solutions/$lab" TOP="$H_TOP" BUILD_DIR="$D/$lab" "${coverage[@]}" \
		EXTRA_SRCS="$H_TOP/tests/lib/doubles/fail_call.c" LDFLAGS="-Wl${wraps}" >"$H_WORK/build-$lab.log" 2>&1 ||
		{ echo "error: cannot build $lab with the double: $(tail -n 3 "$H_WORK/build-$lab.log")"; exit 2; }
done
SMP=$D/01_simple_mp/simple_mp
SYM=$D/02_symmetric_mp/symmetric_mp
SRV=$D/03_client_server/mp_server
CLI=$D/03_client_server/mp_client
HOT=$D/04_hotplug_mp/hotplug_mp

# fails CALL CASE MESSAGE PREFIX CMD...: CMD with CALL failing (CALL:N, its
# N-th call) is refused with MESSAGE; the call must have been made.
fails() {
	local call=$1 case="$2 (${1} fails)" message=$3 prefix=$4
	shift 4
	f_refused "$case" "$message" "$prefix" env MPW_FAIL_CALL="$call" "$@"
	grep -qF "DOUBLE: ${call%%:*} fails" "$H_WORK/r$F_ROWS.log" ||
		f_row "$case: the call is made" "'DOUBLE: ${call%%:*} fails'" "never called: $(h_tail "r$F_ROWS" 1)" 1
}

# starts CALL CASE PREFIX CMD...: CMD with CALL failing (or what the
# environment asks of the double) still starts.
starts() {
	local call=$1 case=$2 name
	[ "$call" = none ] || case+=" (${call} fails)"
	shift 2
	name=s$((++F_ROWS))
	h_start "$name" env MPW_FAIL_CALL="$call" "${@:2}"
	if h_wait "$name" "$READY" 1 15 && h_wait "$name" "DOUBLE: " 1 5; then
		f_row "$case" "it starts all the same" "started" 0
	else
		f_row "$case" "it starts all the same" "$(h_tail "$name" 2)" 1
	fi
	h_stop "$name"
}

# -- simple_mp ------------------------------------------------------------------
pfx
fails cmdline_stdin_new "simple_mp: the prompt cannot be made" "Cannot create the command line" "$p" \
	"$SMP" -l 0-1 --no-pci --file-prefix "$p"

# -- symmetric_mp: the primary sets up the ports, a secondary checks them ----------
sym() {
	pfx
	fails "$1" "symmetric_mp: $2" "$3" "$p" "$SYM" --lcores 0@0,1@1 --no-pci --file-prefix "$p" \
		--proc-type=auto "${IDLE[@]}" -- -p 3 --num-procs 2 --proc-id 0
}
for call in rte_eth_dev_info_get rte_eth_dev_configure rte_eth_dev_adjust_nb_rx_tx_desc \
	rte_eth_rx_queue_setup rte_eth_tx_queue_setup rte_eth_promiscuous_enable rte_eth_dev_start; do
	sym "$call" "a port the driver refuses to set up" "Error initialising port 0: Input/output error"
done
sym rte_pktmbuf_pool_create "no memory for the mbuf pool" "Cannot get memory pool for buffers: Cannot allocate memory"
# shellcheck disable=SC2054 # commas within one EAL option
SYM1=(--lcores 0@0,1@1 --no-pci --file-prefix %P --proc-type=auto "${IDLE[@]}" -- -p 3 --num-procs 1 --proc-id 0)
# sym1 CALL CASE: one process on two idle ports, with CALL failing, starts.
sym1() {
	local arg args=()
	pfx
	for arg in "${SYM1[@]}"; do args+=("${arg//%P/$p}"); done
	starts "$@" "$p" "$SYM" "${args[@]}"
}
sym1 rte_eth_link_get_nowait "symmetric_mp: a link that cannot be read at first"
sym1 rte_eth_dev_conf_get:0 "symmetric_mp: a configuration that cannot be read back (software checksums)"
MPW_FAIL_ERRNO=95 sym1 rte_eth_promiscuous_enable "symmetric_mp: a device without promiscuous mode (-ENOTSUP)"
MPW_LINK_DOWN=3 sym1 none "symmetric_mp: links down for a moment"
MPW_LINK_DOWN=1000 sym1 none "symmetric_mp: links down for good (it starts after LINK_WAIT_MS)"

pfx
h_start sym_primary "$SYM" --lcores 0@0,1@1 --no-pci --file-prefix "$p" --proc-type=auto "${IDLE[@]}" \
	-- -p 3 --num-procs 2 --proc-id 0
if h_wait sym_primary "$READY" 1 15; then
	# shellcheck disable=SC2054 # commas within one EAL option
	second=("$SYM" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=auto -- -p 3 --num-procs 2 --proc-id 1)
	fails rte_eth_dev_info_get "symmetric_mp: a secondary that cannot read a port's queues" \
		"Input/output error" "$p" "${second[@]}"
	fails flock "symmetric_mp: a secondary that cannot join the shutdown" \
		"Cannot set up the ordered shutdown: No locks available" "$p" "${second[@]}"
	fails rte_mp_action_register "symmetric_mp: a secondary that cannot hear the primary's stop" \
		"Cannot set up the ordered shutdown: Cannot allocate memory" "$p" "${second[@]}"
else
	f_row "symmetric_mp: secondaries that fail to start" "a primary starts" "$(h_tail sym_primary 2)" 1
fi
h_stop sym_primary

# -- mp_server and mp_client -------------------------------------------------------
for call in rte_eth_dev_info_get rte_eth_dev_configure rte_eth_dev_adjust_nb_rx_tx_desc \
	rte_eth_rx_queue_setup rte_eth_tx_queue_setup rte_eth_promiscuous_enable rte_eth_dev_start; do
	pfx
	fails "$call" "mp_server: a port the driver refuses to set up" "Error initialising port 0: Input/output error" \
		"$p" "$SRV" -l 0 --no-pci --file-prefix "$p" "${IDLE[@]}" -- -p 3 -n 1
done
pfx
MPW_FAIL_ERRNO=95 starts rte_eth_promiscuous_enable "mp_server: a device without promiscuous mode (-ENOTSUP)" "$p" \
	"$SRV" -l 0 --no-pci --file-prefix "$p" "${IDLE[@]}" -- -p 3 -n 1 --no-wait
pfx
h_start server "$SRV" -l 0 --no-pci --file-prefix "$p" "${IDLE[@]}" -- -p 3 -n 2 --no-wait
if h_wait server "$READY" 1 15; then
	client=("$CLI" --lcores 1@1 --no-pci --file-prefix "$p" --proc-type=secondary -- -n 0)
	fails rte_zmalloc_socket "mp_client: no memory for its TX buffers" "Cannot allocate a TX buffer for port 0" \
		"$p" "${client[@]}"
	fails flock "mp_client: a client that cannot join the shutdown" "Cannot join the server's shutdown: No locks available" \
		"$p" "${client[@]}"
else
	f_row "mp_client: clients that fail to start" "a server starts" "$(h_tail server 2)" 1
fi
h_stop server

# -- hotplug_mp ---------------------------------------------------------------------
HOT_EAL=(--no-pci --file-prefix)
pfx
fails rte_mp_action_register "hotplug_mp: a primary without the peers' action" \
	"Cannot register the rte_mp actions: Cannot allocate memory" "$p" "$HOT" -l 0 "${HOT_EAL[@]}" "$p"
pfx
fails rte_mp_action_register:2 "hotplug_mp: a primary without the notice's action" \
	"Cannot register the rte_mp actions: Cannot allocate memory" "$p" "$HOT" -l 0 "${HOT_EAL[@]}" "$p"
pfx
fails pipe "hotplug_mp: a primary without a pipe for the notices" \
	"Cannot register the rte_mp actions: Too many open files" "$p" "$HOT" -l 0 "${HOT_EAL[@]}" "$p"
pfx
h_start hot_primary "$HOT" -l 0 "${HOT_EAL[@]}" "$p"
if h_wait hot_primary "hotplug_mp: pid" 1 15; then
	fails flock "hotplug_mp: a secondary that cannot join the shutdown" \
		"Cannot set up the ordered shutdown: No locks available" "$p" \
		"$HOT" --lcores 1@1 "${HOT_EAL[@]}" "$p" --proc-type=secondary
else
	f_row "hotplug_mp: a secondary that fails to start" "a primary starts" "$(h_tail hot_primary 2)" 1
fi
h_stop hot_primary
pfx
fails cmdline_stdin_new "hotplug_mp: the prompt cannot be made" "Cannot create the command line" "$p" \
	"$HOT" -l 0 "${HOT_EAL[@]}" "$p"

f_finish
