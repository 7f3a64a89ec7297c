#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Demo of lab 02: two symmetric_mp processes share two net_pcap ports, each
# polling its own queue; RSS (simulated by the traffic tool) decided which
# frames reach which queue, and each process forwards its share.
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=../lib/symmetric_mp.sh
. "$(dirname "$0")/../lib/symmetric_mp.sh"

h_init 02_symmetric_mp "$(dirname "$0")/../../solutions/02_symmetric_mp" \
	"$(dirname "$0")/../../build/demo/02_symmetric_mp"
BIN=$H_TOP/build/solutions/02_symmetric_mp/symmetric_mp
TOOLS=$H_TOP/build/tools
READY="APP: Finished Process Init."
PFX=$(h_prefix demo02)

step() { printf '\n--- %s\n' "$*"; }
# show NAME PATTERN: NAME's output lines that match PATTERN, indented.
show() { grep -E -- "$2" "${H_LOG[$1]}" | sed "s/^/$1  /"; }

echo "== Lab 02, symmetric_mp: two processes, one queue each on every port"
step "traffic: 1000 frames per port (10 with a bad IP checksum, 10 with a bad UDP/TCP one), split per queue by Toeplitz RSS"
"$TOOLS/gen_traffic" --out "$H_WORK/traffic2" --ports 2 --queues 2 >/dev/null || exit 1
grep queue "$H_WORK/traffic2/expected.txt"

step "process 0 (the primary) sets up the ports; process 1 attaches"
mapfile -t VDEVS < <(pcap_vdevs "$H_WORK/run" "$H_WORK/traffic2" 2 2)
echo "\$ symmetric_mp --lcores $(lcores 0) --no-pci --file-prefix $PFX --proc-type=auto ${VDEVS[*]} -- -p 3 --num-procs 2 --proc-id 0"
start_proc proc0 "$H_WORK/run" "$PFX" 0 2 "${VDEVS[@]}" || { h_tail proc0 3; exit 1; }
show proc0 'Re-attempting|using port'
echo "\$ symmetric_mp --lcores $(lcores 1) --no-pci --file-prefix $PFX --proc-type=auto -- -p 3 --num-procs 2 --proc-id 1"
start_proc proc1 "$H_WORK/run" "$PFX" 1 2 || { h_tail proc1 3; exit 1; }
show proc1 'using port'

step "both queues drained (read from the primary's telemetry socket), then Ctrl-C for each"
for q in 0 1; do
	for p in 0 1; do
		wait_consumed "$PFX" $p $q "$(awk -v p=$p -v q=$q '$2 == p && $4 == q { print $6 }' "$H_WORK/traffic2/expected.txt")"
	done
done
h_sigint proc1 proc0
show proc0 '^Port [0-9]+: (RX|Bad)'
show proc1 '^Port [0-9]+: (RX|Bad)'
echo
echo "   each process received exactly its queue's frames, dropped the bad checksums and sent the rest out of the paired port"
echo
echo "== Lab 02 demo done: every process stopped, hugepage files removed"
