#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 02 on real ports: hw_check.sh BIN_DIR SRC_DIR PCI_ADDRESS...
# (make check LAB=02 PORTS="0000:3b:00.0 0000:3b:00.1")
#
# The traffic comes from outside, so no figure can be known in advance. What
# holds for any traffic is checked instead, per process and port pair:
#   RX(p) = TX(p^1) + Drop(p^1) + bad checksums(p)
# and every process received something (RSS used every queue). Send traffic
# of many flows into the ports while it runs (DURATION seconds, default 10).
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

BIN=$1/symmetric_mp
h_init 02_symmetric_mp "$2" "$(cd "$(dirname "$0")/../.." && pwd)/build/check/hardware/02_symmetric_mp"
shift 2
PORTS=("$@")
DURATION=${DURATION:-10}
NPROCS=2
echo "== 02_symmetric_mp on ports ${PORTS[*]}: $NPROCS processes for ${DURATION}s; invariants only (the traffic is not ours)"
[ $((${#PORTS[@]} % 2)) = 0 ] || { echo "error: give an even number of ports" >&2; exit 2; }

mapfile -t ALLOW < <(h_port_args "${PORTS[@]}")
# A secondary creates no vdev: it finds the primary's.
mapfile -t SECONDARY_ALLOW < <(printf '%s\n' "${ALLOW[@]}" | grep -v '^--vdev=')
MASK=$(printf '%x' $(((1 << ${#PORTS[@]}) - 1)))
PFX=$(h_prefix hw)

h_check "$NPROCS processes start on the real ports" 1 2 3
for ((id = 0; id < NPROCS; id++)); do
	if [ $id = 0 ]; then args=("${ALLOW[@]}"); else args=("${SECONDARY_ALLOW[@]}"); fi
	h_start "proc$id" "$BIN" --lcores "$((2 * id))@0,$((2 * id + 1))@1" "${args[@]}" \
		--file-prefix "$PFX" --proc-type=auto -- -p "$MASK" --num-procs $NPROCS --proc-id $id
	h_wait "proc$id" "APP: Finished Process Init." 1 30 ||
		{ h_fail "'APP: Finished Process Init.' from process $id" "$(h_tail "proc$id" 3)"; break; }
done
sleep "$DURATION"
for ((id = NPROCS - 1; id >= 0; id--)); do
	h_sigint "proc$id"
done

for ((id = 0; id < NPROCS; id++)); do
	h_check "process $id: every frame received was sent, refused or dropped for its checksum" 4 5
	# "port rx tx drop" and "port bad_ip bad_l4" lines, joined per port.
	table=$(awk '/^Port [0-9]+: RX - /{ gsub(/[:,]/, ""); rx[$2] = $5; tx[$2] = $8; drop[$2] = $11 }
		/^Port [0-9]+: Bad IP/{ gsub(/[:,]/, ""); bad[$2] = $7 + $12 }
		END { for (p in rx) print p, rx[p], tx[p], drop[p], bad[p] }' "${H_LOG[proc$id]:-/dev/null}" | sort -n)
	if [ -z "$table" ]; then
		h_fail "statistics on SIGINT" "$(h_tail "proc$id" 2)" 1 2 3
	else
		mapfile -t rows <<<"$table"
		for ((i = 0; i < ${#rows[@]}; i += 2)); do
			read -r pa rxa txa dropa bada <<<"${rows[i]}"
			read -r pb rxb txb dropb badb <<<"${rows[i + 1]}"
			[ "$rxa" = $((txb + dropb + bada)) ] ||
				h_fail "port $pa: RX = port $pb TX + Drop + bad checksums" "$rxa != $txb + $dropb + $bada"
			[ "$rxb" = $((txa + dropa + badb)) ] ||
				h_fail "port $pb: RX = port $pa TX + Drop + bad checksums" "$rxb != $txa + $dropa + $badb"
		done
	fi
	h_check "process $id: its queue received traffic (RSS spreads flows over every queue)" 2 3
	total=$(awk '{ s += $2 } END { print s + 0 }' <<<"$table")
	[ "$total" -gt 0 ] || h_fail "frames received on queue $id" "none: send traffic of many flows, or RSS is off"
done
h_finish
