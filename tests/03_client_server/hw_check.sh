#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 03 on real ports: hw_check.sh BIN_DIR SRC_DIR PCI_ADDRESS...
# (make check LAB=03 PORTS="0000:3b:00.0 0000:3b:00.1")
#
# The traffic comes from outside, so no figure can be known in advance. What
# holds for any traffic is checked instead, from the server's final
# statistics once the clients have stopped:
#   port RX in all = what the clients got + what full rings dropped
#   each client: what it got = sent + refused by TX (nothing left in its ring)
# Send traffic into the ports while it runs (DURATION seconds, default 10).
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=procs.sh
. "$(dirname "$0")/procs.sh"

BIN_DIR=$1
h_init 03_client_server "$2" "$(cd "$(dirname "$0")/../.." && pwd)/build/check/hardware/03_client_server"
shift 2
PORTS=("$@")
DURATION=${DURATION:-10}
CLIENTS=2
echo "== 03_client_server on ports ${PORTS[*]}: $CLIENTS clients for ${DURATION}s; invariants only (the traffic is not ours)"
[ $((${#PORTS[@]} % 2)) = 0 ] || { echo "error: give an even number of ports" >&2; exit 2; }

mapfile -t ALLOW < <(h_port_args "${PORTS[@]}")
MASK=$(printf '%x' $(((1 << ${#PORTS[@]}) - 1)))
PFX=$(h_prefix hw)
# A secondary takes no -a: the primary's ports are its ports.
NOPCI=()
[[ " ${ALLOW[*]} " != *" --no-pci "* ]] || NOPCI=(--no-pci)

h_check "the server and $CLIENTS clients start on the real ports" 1 4
h_start server "$BIN_DIR/mp_server" -l 0 "${ALLOW[@]}" --file-prefix "$PFX" --proc-type=primary \
	-- -p "$MASK" -n $CLIENTS
h_wait server "$READY" 1 30 || h_fail "'$READY' from the server" "$(h_tail server 3)"
for ((id = 0; id < CLIENTS; id++)); do
	h_start "client$id" "$BIN_DIR/mp_client" --lcores "$((id + 1))@1" "${NOPCI[@]}" --file-prefix "$PFX" \
		--proc-type=secondary -- -n $id
	h_wait "client$id" "$READY" 1 30 || h_fail "'$READY' from client $id" "$(h_tail "client$id" 3)"
done
sleep "$DURATION"
# The server alone, as its user would stop it: it stops receiving, and its
# clients drain their rings before they exit (the ordered shutdown), so the
# figures add up even while traffic still arrives.
h_sigint server
for ((id = 0; id < CLIENTS; id++)); do h_wait_exit "client$id" 10; done

figures=$(server_figures server)
h_check "every packet received was handed to a client or dropped by a full ring" 2 3
rx=$(awk '$1 == "port" { s += $4 } END { print s + 0 }' <<<"$figures")
handed=$(awk '$1 == "client" { s += $4 + $6 } END { print s + 0 }' <<<"$figures")
if [ -z "$figures" ] || [ "$rx" != "$handed" ]; then
	h_fail "port RX in all = clients' rx + rx_drop" "$rx != $handed: $(paste -sd '|' <<<"$figures")"
fi
h_check "each client sent or counted as refused everything it was handed" 5 6
[ "$(grep -c '^client' <<<"$figures")" = $CLIENTS ] ||
	h_fail "the server's figures for its $CLIENTS clients" "$(h_tail server 2)" 2 3
while read -r _ id _ crx _ _ _ tx _ txd _ deq; do
	if [ "$crx" != "$deq" ] || [ "$deq" != $((tx + txd)) ]; then
		h_fail "client $id: rx = dequeued = tx + tx_drop" "rx $crx, dequeued $deq, tx $tx, tx_drop $txd"
		break
	fi
done < <(grep '^client' <<<"$figures")
h_finish
