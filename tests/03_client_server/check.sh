#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 03 (client_server_mp) check: check.sh BIN_DIR SRC_DIR
#
# A server on two net_pcap ports reads deterministic traffic (gen_traffic)
# and hands it to its clients; each client sends its packets out of the
# paired port on its own TX queue. The server's final statistics must equal
# the figures the traffic gives, for round-robin and for flow-hash
# distribution; then late clients, a client killed and restarted, a dead
# server, and bad input.
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=procs.sh
. "$(dirname "$0")/procs.sh"

if [ -n "${PORTS:-}" ]; then
	# shellcheck disable=SC2086 # PORTS is a list of PCI addresses
	exec "$(dirname "$0")/hw_check.sh" "$1" "$2" $PORTS
fi

BIN_DIR=$1
h_init 03_client_server "$2"
echo "== 03_client_server: checking $(h_rel "$H_SRC") (logs in $(h_rel "$H_WORK"))"

TOOLS=$H_TOP/build/tools
make -s -C "$H_TOP/tools" >"$H_WORK/tools.log" 2>&1 ||
	{ echo "error: cannot build the traffic tools: $(tail -n 3 "$H_WORK/tools.log")"; exit 2; }

FRAMES=1000
LATE_FRAMES=2500       # per port: more than a client's ring holds
RING_CAPACITY=2047     # CLIENT_RING_SIZE - 1
# traffic1: the ports' files; traffic2: the same frames split by RSS into 2
# queues, whose figures are what --flow-hash must give 2 clients.
for args in "traffic1 1 $FRAMES" "traffic2 2 $FRAMES" "late 1 $LATE_FRAMES"; do
	read -r out queues frames <<<"$args"
	"$TOOLS/gen_traffic" --out "$H_WORK/$out" --ports 2 --queues "$queues" --frames "$frames" >/dev/null ||
		{ echo "error: gen_traffic failed"; exit 2; }
done

# figures_line C RX DROP TX: a client's line of server_figures when TX never refuses.
figures_line() { echo "client $1 rx $2 rx_drop $3 tx $4 tx_drop 0 dequeued $4"; }

# Which TODO a wrong set of figures points at.
blame_figures() {
	local want=$1 saw=$2 total_want total_saw
	# Packets the server accounted for: handed over or dropped.
	total_want=$(awk '$1 == "client" { s += $4 + $6 } END { print s + 0 }' <<<"$want")
	total_saw=$(awk '$1 == "client" { s += $4 + $6 } END { print s + 0 }' <<<"$saw")
	if [ "$total_saw" != "$total_want" ]; then echo 2
	elif [ "$(awk '$1 == "client" { print $4 + $6 }' <<<"$saw")" != "$(awk '$1 == "client" { print $4 + $6 }' <<<"$want")" ]; then
		echo 3	# every packet accounted for, but given to the wrong clients
	elif [ "$(awk '$1 == "client" { print $4, $6 }' <<<"$saw")" != "$(awk '$1 == "client" { print $4, $6 }' <<<"$want")" ]; then
		echo 2	# the right clients, but enqueued and dropped in the wrong amounts
	elif awk '$1 == "client" && $8 == 0 && $12 > 0 { found = 1 } END { exit !found }' <<<"$saw"; then echo 5
	else echo 6
	fi
}

# compare_figures SERVER WANT: the server's final statistics against WANT.
compare_figures() {
	local saw
	saw=$(server_figures "$1")
	[ "$saw" = "$2" ] && return 0
	if [ -z "$saw" ]; then
		h_fail "final statistics from $1" "status $(h_status "$1"): $(h_tail "$1" 2)"
	else
		h_fail "$(paste -sd '|' <<<"$2" | sed 's/|/ | /g')" "$(paste -sd '|' <<<"$saw" | sed 's/|/ | /g')" \
			"$(blame_figures "$2" "$saw")"
	fi
	return 1
}

# A client that did not get going: its own fault (TODO 4) unless the server died.
blame_client() {
	if h_alive "$2"; then echo 4; else echo 1; fi
}

# -- 1 ------------------------------------------------------------------------
h_check "the server creates the pool, the memzone and the rings, then waits for its clients" 1
P1=$(h_prefix rr)
DIR_P1=$H_WORK/rr
mapfile -t VDEVS < <(server_vdevs "$DIR_P1" "$H_WORK/traffic1" 2)
if ! start_server srv "$DIR_P1" "$P1" "${VDEVS[@]}" -- -p 3 -n 2; then
	h_fail "'$READY'" "$(h_tail srv 2)"
elif ! h_wait srv "Waiting for clients to attach: 0 1" 1 5; then
	h_fail "'Waiting for clients to attach: 0 1'" "$(h_tail srv 2)"
fi

# -- 2 ------------------------------------------------------------------------
h_check "both clients find their ring and the memzone; then the server receives" 4
if ! h_alive srv; then
	h_fail "the server running" "$(h_tail srv 2)" 1
elif ! start_client c0 "$DIR_P1" "$P1" 0 || ! start_client c1 "$DIR_P1" "$P1" 1; then
	h_fail "'$READY' from clients 0 and 1" "$(h_tail c0 1) / $(h_tail c1 1)" "$(blame_client c0 srv)"
elif ! h_wait srv "All 2 clients attached: receiving" 1 5; then
	h_fail "'All 2 clients attached: receiving'" "$(h_tail srv 2)"
fi

# -- 3 ------------------------------------------------------------------------
h_check "round-robin to 2 clients: exact figures, every packet received, handed over and sent" 2 3 5 6
if ! h_alive srv; then
	h_fail "the server running" "$(h_tail srv 2)" 1
elif ! h_alive c0 || ! h_alive c1; then
	h_fail "clients 0 and 1 running" "$(h_tail c0 1) / $(h_tail c1 1)" 4
else
	# A wait that times out spares the others: the figures tell what went wrong.
	wait_received "$P1" $FRAMES && wait_sent "$P1" 0 $FRAMES && wait_sent "$P1" 1 $FRAMES
	h_sigint c0 c1 srv
	# Round-robin over 2000 packets: 1000 each, whatever the port.
	compare_figures srv "port 0 rx $FRAMES tx $FRAMES
port 1 rx $FRAMES tx $FRAMES
$(figures_line 0 $FRAMES 0 $FRAMES)
$(figures_line 1 $FRAMES 0 $FRAMES)"
fi

# -- 4 ------------------------------------------------------------------------
h_check "each client's own summary on SIGINT agrees" 5 6
for id in 0 1; do
	want="Client $id: dequeued $FRAMES, sent $FRAMES, tx_drop 0"
	if [ "$(h_count "c$id" "$want")" != 1 ]; then
		saw=$(grep -o "Client $id: dequeued.*" "${H_LOG[c$id]:-/dev/null}")
		if [ "$(h_count srv "$READY")" = 0 ]; then blame=1
		elif [ -z "$saw" ]; then blame=4
		elif [[ "$saw" != *"dequeued $FRAMES,"* ]]; then blame="2 3"	# the hand-over
		elif [[ "$saw" == *"sent 0,"* ]]; then blame=5
		else blame=6
		fi
		h_fail "$want" "${saw:-$(h_tail "c$id" 1)}" "$blame"
		break
	fi
done

# -- 5 ------------------------------------------------------------------------
h_check "--flow-hash: each client gets exactly the packets of its flows" 3
field() { awk -v p="$2" -v q="$3" '$2 == p && $4 == q { print $6 }' "$1"; }
P2=$(h_prefix flow)
DIR_P2=$H_WORK/flow
mapfile -t VDEVS < <(server_vdevs "$DIR_P2" "$H_WORK/traffic1" 2)
if ! start_server fsrv "$DIR_P2" "$P2" "${VDEVS[@]}" -- -p 3 -n 2 --flow-hash; then
	h_fail "'$READY'" "$(h_tail fsrv 2)" 1
elif ! start_client f0 "$DIR_P2" "$P2" 0 || ! start_client f1 "$DIR_P2" "$P2" 1; then
	h_fail "'$READY' from clients 0 and 1" "$(h_tail f0 1) / $(h_tail f1 1)" "$(blame_client f0 fsrv)"
else
	# The same Toeplitz hash and table as gen_traffic's RSS queues: client i
	# takes exactly what queue i would get.
	t=$H_WORK/traffic2/expected.txt
	n0=$(($(field "$t" 0 0) + $(field "$t" 1 0)))
	n1=$(($(field "$t" 0 1) + $(field "$t" 1 1)))
	wait_received "$P2" $FRAMES && wait_sent "$P2" 0 $n0 && wait_sent "$P2" 1 $n1
	h_sigint f0 f1 fsrv
	compare_figures fsrv "port 0 rx $FRAMES tx $FRAMES
port 1 rx $FRAMES tx $FRAMES
$(figures_line 0 $n0 0 $n0)
$(figures_line 1 $n1 0 $n1)"
fi

# -- 6 ------------------------------------------------------------------------
h_check "--no-wait with no client yet: full rings drop and count the rest; late clients send what was kept" 2 3
SHARE=$LATE_FRAMES     # round-robin: half of 2 x LATE_FRAMES each
P3=$(h_prefix late)
DIR_P3=$H_WORK/late_run
mapfile -t VDEVS < <(server_vdevs "$DIR_P3" "$H_WORK/late" 2)
if ! start_server lsrv "$DIR_P3" "$P3" "${VDEVS[@]}" -- -p 3 -n 2 --no-wait; then
	h_fail "'$READY'" "$(h_tail lsrv 2)" 1
else
	# After a first failure the rest still runs, so that check 7 can.
	wait_received "$P3" $LATE_FRAMES ||
		h_fail "the server receives $LATE_FRAMES frames per port with no client" "$(cat "$H_WORK/last_wait")"
	h_wait lsrv "Client 1: ring not drained: no client 1 running" 1 5 ||
		h_fail "'Client 1: ring not drained: no client 1 running'" "$(h_tail lsrv 2)"
	{ start_client l0 "$DIR_P3" "$P3" 0 && start_client l1 "$DIR_P3" "$P3" 1; } ||
		h_fail "'$READY' from clients 0 and 1" "$(h_tail l0 1) / $(h_tail l1 1)" "$(blame_client l0 lsrv)"
	if ! wait_sent "$P3" 0 $RING_CAPACITY || ! wait_sent "$P3" 1 $RING_CAPACITY; then
		sent0=$(t_sent "$P3" 0)
		sent1=$(t_sent "$P3" 1)
		# Nothing sent: no TX at all (5); some: the last ones never flushed (6).
		if [ "$sent0" = 0 ] && [ "$sent1" = 0 ]; then blame=5; else blame=6; fi
		h_fail "each late client sends the $RING_CAPACITY packets its ring kept" \
			"client 0: $sent0, client 1: $sent1" "$blame"
	fi
fi

# -- 7 ------------------------------------------------------------------------
h_check "client 1 killed with SIGKILL and restarted: a second one is refused, the totals add up" 4
if ! h_alive lsrv || ! h_alive l1; then
	h_fail "the server and client 1 running" "$(h_tail lsrv 1) / $(h_tail l1 1)" "$(blame_client l1 lsrv)"
else
	h_stop l1 KILL
	if ! start_client r1 "$DIR_P3" "$P3" 1; then
		h_fail "'$READY' from client 1 started again" "$(h_tail r1 2)" "$(blame_client r1 lsrv)"
	else
		h_start dup env -C "$DIR_P3" "$BIN_DIR/mp_client" --lcores "5@1" --no-pci --file-prefix "$P3" --proc-type=secondary -- -n 1
		if ! h_exits_with dup "Client 1 is already running"; then
			h_fail "a second client 1 exits non-zero: 'Client 1 is already running'" "status $H_STATUS: $(h_tail dup 2)"
		else
			h_sigint l0 r1 lsrv
			# Each ring kept 2047 of its 2500 packets and dropped the rest.
			drop=$((SHARE - RING_CAPACITY))
			saw=$(server_figures lsrv)
			want="$(figures_line 0 $RING_CAPACITY $drop $RING_CAPACITY)
$(figures_line 1 $RING_CAPACITY $drop $RING_CAPACITY)"
			if [ "$(grep '^client' <<<"$saw")" != "$want" ]; then
				h_fail "$(paste -sd '|' <<<"$want")" "$(grep '^client' <<<"$saw" | paste -sd '|')" "$(blame_figures "$want" "$saw")"
			elif [ "$(grep '^port' <<<"$saw" | awk '{ rx += $4; tx += $6 } END { print rx, tx }')" != "$((2 * LATE_FRAMES)) $((2 * RING_CAPACITY))" ]; then
				h_fail "ports: rx $((2 * LATE_FRAMES)) and tx $((2 * RING_CAPACITY)) in all" "$(grep '^port' <<<"$saw" | paste -sd '|')" 2
			fi
		fi
	fi
fi

# -- 8 ------------------------------------------------------------------------
h_check "a client id at or above the server's client count is refused" 4
P4=$(h_prefix dead)
DIR_P4=$H_WORK/dead
mapfile -t VDEVS < <(server_vdevs "$DIR_P4" "$H_WORK/traffic1" 1)
if ! start_server dsrv "$DIR_P4" "$P4" "${VDEVS[@]}" -- -p 3 -n 1 --no-wait; then
	h_fail "'$READY'" "$(h_tail dsrv 2)" 1
else
	h_start far env -C "$DIR_P4" "$BIN_DIR/mp_client" --lcores "5@1" --no-pci --file-prefix "$P4" --proc-type=secondary -- -n 1
	message="Client id 1 is out of range"
	if ! h_exits_with far "$message"; then
		h_fail "a non-zero exit and '$message'" "status $H_STATUS: $(h_tail far 2)"
	fi
fi

# -- 9 ------------------------------------------------------------------------
h_check "one client gets every packet; it notices that its server died and exits non-zero" 4
if ! h_alive dsrv; then
	h_fail "the server running" "$(h_tail dsrv 2)" 1
elif ! start_client d0 "$DIR_P4" "$P4" 0; then
	h_fail "'$READY' from client 0" "$(h_tail d0 2)" "$(blame_client d0 dsrv)"
elif ! wait_received "$P4" $FRAMES || ! wait_sent "$P4" 0 $((2 * FRAMES)) ||
		[ "$(t_sent "$P4" 0)" != $((2 * FRAMES)) ]; then
	# One client, started late (--no-wait): its ring kept all 2000 packets.
	# The server's periodic statistics say whether it handed them over.
	sleep 1.2
	handed=$(grep -E '^Client +0 - rx:' "${H_LOG[dsrv]}" | tail -n 1 | awk '{ gsub(/,/, ""); print $5 }')
	if [ "$handed" = $((2 * FRAMES)) ]; then blame="5 6"; else blame="2 3"; fi
	h_fail "a single client sends all $((2 * FRAMES)) packets, exactly" \
		"the server handed over ${handed:-nothing}; the client sent $(t_sent "$P4" 0)" "$blame"
else
	h_stop dsrv KILL
	if ! h_exits_with d0 "The server died" 5; then
		h_fail "within 5 s: 'The server died: stopping client 0', a non-zero exit" "status $H_STATUS: $(h_tail d0 2)"
	fi
fi
h_remove_prefix "$P4"

# -- 10... --------------------------------------------------------------------
# Bad input: code outside the TODOs ("guard" in tests/03_client_server/expect).
P5=$(h_prefix bad)
SRV=("$BIN_DIR/mp_server" -l 0 --no-pci --file-prefix "$P5" --vdev net_null0 --vdev net_null1 --)
h_bad_input "mp_server -n 0" "-n wants a number of clients from 1 to 16" "${SRV[@]}" -p 3 -n 0
h_bad_input "mp_server -n 17" "-n wants a number of clients from 1 to 16" "${SRV[@]}" -p 3 -n 17
h_bad_input "mp_server with one port (-p 1)" "must select an even number of ports" "${SRV[@]}" -p 1 -n 1
h_bad_input "mp_server with absent ports (-p 0xc)" "names ports that do not exist" "${SRV[@]}" -p 0xc -n 1
h_bad_input "mp_server without -n" "-p and -n are both required" "${SRV[@]}" -p 3
h_bad_input "mp_client -n 16" "-n wants a client id from 0 to 15" \
	"$BIN_DIR/mp_client" -l 1 --no-pci --file-prefix "$(h_prefix none)" -- -n 16
h_bad_input "mp_client with no server" "start mp_server first" \
	"$BIN_DIR/mp_client" -l 1 --no-pci --file-prefix "$(h_prefix none)" --proc-type=secondary -- -n 0

h_finish
