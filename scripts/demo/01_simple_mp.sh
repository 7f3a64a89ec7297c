#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Demo of lab 01: a primary and a secondary exchange strings through two
# shared rings; then the primary dies and the secondary is left alone.
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

h_init 01_simple_mp "$(dirname "$0")/../../solutions/01_simple_mp" \
	"$(dirname "$0")/../../build/demo/01_simple_mp"
BIN=$H_TOP/build/solutions/01_simple_mp/simple_mp
PFX=$(h_prefix demo01)
READY="APP: Finished Process Init."

step() { printf '\n--- %s\n' "$*"; }
# type NAME TEXT: show and type a command at NAME's prompt.
type_at() { printf '%-10s simple_mp > %s\n' "$1" "$2"; h_send "$1" "$2"; }
# show NAME TEXT: wait for TEXT in NAME's output and print that line.
show() {
	if h_wait "$1" "$2"; then
		printf '%-10s %s\n' "$1" "$(grep -F -- "$2" "${H_LOG[$1]}" | tail -n 1 | sed -e 's/^.*> //' -e 's/^ *//')"
	else
		printf '%-10s (did not print "%s")\n' "$1" "$2"
		return 1
	fi
}

echo "== Lab 01, simple_mp: two processes, two rings, one message pool"
step "the primary creates the rings PRI_2_SEC, SEC_2_PRI and the pool MSG_POOL"
echo "\$ simple_mp -l 0-1 --no-pci --file-prefix $PFX --proc-type=primary"
h_start primary "$BIN" -l 0-1 --no-pci --file-prefix "$PFX" --proc-type=primary
show primary "$READY" || exit 1

step "the secondary finds them by name (its own lcores 2 and 3, mapped onto cores 0 and 1)"
echo "\$ simple_mp --lcores 2@0,3@1 --no-pci --file-prefix $PFX --proc-type=secondary"
h_start secondary "$BIN" --lcores "2@0,3@1" --no-pci --file-prefix "$PFX" --proc-type=secondary
show secondary "$READY" || exit 1

step "a string each way"
type_at primary "send hello from the primary"
show secondary "Received 'hello from the primary'" || exit 1
type_at secondary "send hello back from the secondary"
show primary "Received 'hello back from the secondary'" || exit 1

step "what each process counted; every buffer is back in the pool"
sleep 0.2
type_at primary stats
show primary "Messages: sent" || exit 1

step "the weakness: the primary is a single point of failure (kill -9 the primary)"
h_stop primary KILL
echo "primary    (killed)"
h_wait_exit secondary 5
show secondary "The primary process died" || exit 1
echo "secondary  exit status $H_STATUS: it checks every 200 ms; the rings and the pool die with the primary"
step "and no new secondary can join"
h_start late "$BIN" --lcores "4@0,5@1" --no-pci --file-prefix "$PFX" --proc-type=secondary
h_wait_exit late 20
# Either its lookup refuses (main.c), or EAL itself already does: it would
# have to ask the dead primary for memory (docs/01_simple_mp.md says why).
if [ "$(h_count late "No primary process is running")" != 0 ]; then
	show late "No primary process is running"
else
	show late "no primary process is running with --file-prefix" || exit 1
fi
[ "$H_STATUS" != 0 ] || { echo "late       exit status 0: it joined"; exit 1; }
echo "late       exit status $H_STATUS"
echo
echo "== Lab 01 demo done: every process stopped, hugepage files removed"
