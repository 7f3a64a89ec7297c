#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Demo of lab 03: a server receives on two net_pcap ports and hands each
# packet to one of two clients, which send it out of the paired port on
# their own TX queues.
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=../lib/client_server.sh
. "$(dirname "$0")/../lib/client_server.sh"

h_init 03_client_server "$(dirname "$0")/../../solutions/03_client_server" \
	"$(dirname "$0")/../../build/demo/03_client_server"
BIN_DIR=$H_TOP/build/solutions/03_client_server
TOOLS=$H_TOP/build/tools
PFX=$(h_prefix demo03)

step() { printf '\n--- %s\n' "$*"; }
show() { grep -E -- "$2" "${H_LOG[$1]}" | sed "s/^/$1  /"; }

echo "== Lab 03, client_server_mp: one server receives, two clients transmit"
"$TOOLS/gen_traffic" --out "$H_WORK/traffic" --ports 2 --queues 1 >/dev/null || exit 1
mapfile -t VDEVS < <(pcap_vdevs "$H_WORK/run" "$H_WORK/traffic" 1 2)

step "the server creates the pool, the port-info memzone and a ring per client, then waits"
echo "\$ mp_server -l 0 --no-pci --file-prefix $PFX ${VDEVS[*]} -- -p 3 -n 2 --flow-hash"
start_server server "$H_WORK/run" "$PFX" "${VDEVS[@]}" -- -p 3 -n 2 --flow-hash || { h_tail server 3; exit 1; }
h_wait server "Waiting for clients" 1 5
show server 'Distributing|Waiting for clients' | head -n 2

step "two clients attach; the server starts receiving only then, so that nothing is lost"
for id in 0 1; do
	echo "\$ mp_client --lcores $((id + 1))@1 --no-pci --file-prefix $PFX --proc-type=secondary -- -n $id"
	start_client "client$id" "$H_WORK/run" "$PFX" $id || { h_tail "client$id" 3; exit 1; }
done
h_wait server "All 2 clients attached" 1 5
show server 'All 2 clients attached'

step "1000 frames per port received; a third process looks at the rings and the pool"
wait_received "$PFX" 1000
# A third process attaches as one more secondary and only reads: the kit's
# mp_inspect (tools/). DPDK's dpdk-proc-info shows the same, but 22.11's
# crashes at its exit on net_pcap ports (in the vdev bus's clean-up), losing
# what it printed into a pipe. It runs in the server's directory: a
# secondary re-opens the ports' files by their names.
echo "\$ mp_inspect --lcores 9@0 --no-pci --file-prefix $PFX --proc-type=secondary -- ring:MProc_Client_0_RX ring:MProc_Client_1_RX pool:MProc_pktmbuf_pool"
(cd "$H_WORK/run" && timeout 20 "$TOOLS/mp_inspect" --lcores 9@0 --no-pci --file-prefix "$PFX" --proc-type=secondary \
	--log-level=lib.eal:error -- ring:MProc_Client_0_RX ring:MProc_Client_1_RX pool:MProc_pktmbuf_pool 2>&1)

step "Ctrl-C for the clients, then the server"
sleep 0.5
h_sigint client0 client1 server
show client0 '^Client 0:'
show client1 '^Client 1:'
sed -n '/^Final statistics/,$p' "${H_LOG[server]}" | grep -v '^$' | sed 's/^/server  /'
echo
echo "   by flow hash: each flow went to one client; every packet received was handed over and sent"
echo
echo "== Lab 03 demo done: every process stopped, hugepage files removed"
