#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Lab 01 (simple_mp) check: check.sh BIN_DIR SRC_DIR
#
# Runs a primary and a secondary with no device at all (--no-pci, a private
# --file-prefix), types at their prompts and compares what they print with
# exact expectations. The ring holds RING_SIZE - 1 = 63 messages and the pool
# has 1024 buffers (solutions/01_simple_mp/shared.h).
set -uo pipefail
# shellcheck source=../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

BIN=$1/simple_mp
h_init 01_simple_mp "$2"
echo "== 01_simple_mp: checking $(h_rel "$H_SRC") (logs in $(h_rel "$H_WORK"))"

readonly RING_CAPACITY=63
readonly POOL_TOTAL=1024
readonly EXTRA=10          # messages sent to a full ring
readonly BULK=1000         # messages of the in-order check
readonly CHUNK=50          # sent at a time, fewer than the ring holds

PFX=$(h_prefix 01)
PRIMARY=(-l 0-1 --no-pci --file-prefix "$PFX" --proc-type=primary)
SECONDARY=(--lcores "2@0,3@1" --no-pci --file-prefix "$PFX" --proc-type=secondary)
READY="APP: Finished Process Init."

# stats NAME: type "stats" at NAME's prompt, print the answer.
stats() {
	local before
	before=$(h_count "$1" "Messages: sent")
	h_send "$1" stats
	h_wait "$1" "Messages: sent" $((before + 1)) || return 1
	grep -oF "Messages: sent" "${H_LOG[$1]}" >/dev/null
	grep -o 'Messages: sent.*' "${H_LOG[$1]}" | tail -n 1
}

# received NAME PREFIX: the messages starting with PREFIX that NAME received, in order.
received() {
	grep -o "Received '$2[^']*'" "${H_LOG[$1]}" | sed "s/^Received '//; s/'\$//"
}

# A message that did not arrive: refused by the sender (TODO 3), or never
# taken off the ring (TODO 4), which also shows as "ring full" at the sender.
blame_delivery() {
	if grep -qF "no free message buffer" "${H_LOG[$1]}"; then
		echo 4	# buffers leak where they should return: at the receiver
	elif [ "$(grep -F "Failed to send message" "${H_LOG[$1]}" | grep -cvF "ring full")" != 0 ]; then
		# (grep -c, not -q: under pipefail, -q's early exit fails the pipe)
		echo 3
	else
		echo 4
	fi
}

# expect_running NAME TODO: a check that needs NAME blames the TODO that let it die.
# A pool short of buffers: by exactly the refused messages when the sender
# kept them (TODO 3), else the receiver kept what it dequeued (TODO 4).
blame_pool() {
	local free dropped
	free=$(sed -n 's/.*pool: \([0-9]*\) free.*/\1/p' <<<"$1")
	dropped=$(sed -n 's/.*dropped (ring full) \([0-9]*\).*/\1/p' <<<"$1")
	if [ "$dropped" -gt 0 ] && [ $((POOL_TOTAL - free)) = "$dropped" ]; then echo 3; else echo 4; fi
}

expect_running() {
	h_alive "$1" && return 0
	h_fail "the $1 running" "it is not running: $(h_tail "$1" 2)" "$2"
	return 1
}

start_secondary() {
	h_start "$1" "$BIN" "${SECONDARY[@]}"
	h_wait "$1" "$READY" 1 15
}

# -- 1 ------------------------------------------------------------------------
h_check "the primary creates both rings and the message pool" 1
h_start primary "$BIN" "${PRIMARY[@]}"
if h_wait primary "$READY" 1 15; then
	h_pass
else
	h_fail "'$READY'" "$(h_tail primary 2)"
fi

# -- 2 ------------------------------------------------------------------------
h_check "a full ring refuses messages, reports it and returns their buffers" 3
if expect_running primary 1; then
	lines=()
	for i in $(seq -f %02g 1 $((RING_CAPACITY + EXTRA))); do lines+=("send early-$i"); done
	h_send primary "${lines[@]}"
	expected="Messages: sent $RING_CAPACITY, received 0, dropped (ring full) $EXTRA; pool: $((POOL_TOTAL - RING_CAPACITY)) free of $POOL_TOTAL; rings: $RING_CAPACITY to send, 0 to receive"
	saw=$(stats primary)
	refusals=$(h_count primary "ring full, message discarded")
	if [ "$saw" != "$expected" ]; then
		h_fail "$expected" "$saw"
	elif [ "$refusals" != "$EXTRA" ]; then
		h_fail "$EXTRA lines 'Failed to send message - ring full, message discarded'" "$refusals such lines"
	fi
fi

# -- 3 ------------------------------------------------------------------------
h_check "the secondary finds the rings and the pool by name" 2
if ! expect_running primary 1; then
	:
elif ! start_secondary secondary; then
	h_fail "'$READY'" "$(h_tail secondary 2)"
else
	# Its send ring is SEC_2_PRI, still empty; PRI_2_SEC holds the primary's
	# messages: seen from here, that is the other way round.
	saw=$(stats secondary)
	[[ "$saw" == *"rings: 0 to send"* ]] ||
		h_fail "the secondary's stats say 'rings: 0 to send' (its send ring is SEC_2_PRI)" "$saw"
fi

# -- 4 ------------------------------------------------------------------------
h_check "the secondary drains the $RING_CAPACITY queued messages, in order, and frees their buffers" 4
if expect_running primary 1 && expect_running secondary 2; then
	h_wait secondary "Received 'early-" $RING_CAPACITY
	want=$(seq -f 'early-%02g' 1 $RING_CAPACITY | paste -sd ' ')
	got=$(received secondary early- | paste -sd ' ')
	if [ "$got" != "$want" ]; then
		h_fail "early-01 ... early-$RING_CAPACITY" "${got:-nothing received}" "$(blame_delivery primary)"
	else
		sleep 0.2
		saw=$(stats primary)
		want="pool: $POOL_TOTAL free of $POOL_TOTAL"
		[[ "$saw" == *"$want"* ]] || h_fail "$want" "$saw" "$(blame_pool "$saw")"
	fi
fi

# -- 5 ------------------------------------------------------------------------
h_check "messages go both ways: primary to secondary and back" 3 4
if expect_running primary 1 && expect_running secondary 2; then
	h_send primary "send ping from the primary"
	h_send secondary "send pong from the secondary"
	if ! h_wait secondary "Received 'ping from the primary'"; then
		h_fail "the secondary prints: Received 'ping from the primary'" "$(h_tail secondary 2)" "$(blame_delivery primary)"
	elif ! h_wait primary "Received 'pong from the secondary'"; then
		h_fail "the primary prints: Received 'pong from the secondary'" "$(h_tail primary 2)" "$(blame_delivery secondary)"
	fi
fi

# -- 6 ------------------------------------------------------------------------
h_check "$BULK messages arrive complete and in order; every buffer returns to the pool" 3 4
if expect_running primary 1 && expect_running secondary 2; then
	for ((first = 1; first <= BULK; first += CHUNK)); do
		lines=()
		for ((i = first; i < first + CHUNK; i++)); do lines+=("$(printf 'send msg-%04d' $i)"); done
		h_send primary "${lines[@]}"
		h_wait secondary "Received 'msg-" $((first + CHUNK - 1)) || break
	done
	want=$(seq -f 'msg-%04g' 1 $BULK | paste -sd ' ')
	got=$(received secondary msg- | paste -sd ' ')
	sent=$((RING_CAPACITY + 1 + BULK))
	if [ "$got" != "$want" ]; then
		count=$(echo "$got" | wc -w)
		h_fail "msg-0001 ... msg-$BULK, $BULK messages in order" \
			"$count messages: $(echo "$got" | cut -c1-60)..." "$(blame_delivery primary)"
	else
		sleep 0.2
		want="Messages: sent $sent, received 1, dropped (ring full) $EXTRA; pool: $POOL_TOTAL free of $POOL_TOTAL; rings: 0 to send, 0 to receive"
		saw=$(stats primary)
		if [ "$saw" != "$want" ]; then
			h_fail "$want" "$saw"
		else
			want="Messages: sent 1, received $sent, dropped (ring full) 0; pool: $POOL_TOTAL free of $POOL_TOTAL; rings: 0 to send, 0 to receive"
			saw=$(stats secondary)
			[ "$saw" = "$want" ] || h_fail "$want" "$saw"
		fi
	fi
fi

# -- 7 ------------------------------------------------------------------------
h_check "a message longer than a buffer is refused, not truncated" 3
if expect_running primary 1 && expect_running secondary 2; then
	long=$(printf 'L%.0s' $(seq 200))
	h_send primary "send $long" "send after the long one"
	refusal="Message too long (200 characters, at most 127) - not sent"
	if ! h_wait primary "$refusal"; then
		h_fail "$refusal" "$(h_tail primary 2)"
	elif ! h_wait secondary "Received 'after the long one'"; then
		h_fail "the next message arrives: Received 'after the long one'" "$(h_tail secondary 2)" "$(blame_delivery primary)"
	elif [ "$(h_count secondary "Received 'LLL")" != 0 ]; then
		h_fail "no part of the long message received" "$(received secondary LLL | head -n 1 | cut -c1-60)"
	fi
fi

# -- 8 ------------------------------------------------------------------------
h_check "a secondary restarted after quit resumes messaging" 2 3 4
if expect_running primary 1 && expect_running secondary 2; then
	h_send secondary quit
	if ! h_wait_exit secondary 10 || [ "$H_STATUS" != 0 ]; then
		h_fail "the secondary exits with status 0 after quit" "status $H_STATUS: $(h_tail secondary 2)"
	elif ! start_secondary again; then
		h_fail "'$READY' from the restarted secondary" "$(h_tail again 2)" 2
	else
		h_send primary "send hello again"
		h_send again "send hello back"
		if ! h_wait again "Received 'hello again'"; then
			h_fail "the restarted secondary prints: Received 'hello again'" "$(h_tail again 2)" "$(blame_delivery primary)"
		elif ! h_wait primary "Received 'hello back'"; then
			h_fail "the primary prints: Received 'hello back'" "$(h_tail primary 2)" "$(blame_delivery again)"
		else
			sleep 0.2
			saw=$(stats primary)
			want="pool: $POOL_TOTAL free of $POOL_TOTAL"
			[[ "$saw" == *"$want"* ]] || h_fail "$want" "$saw" "$(blame_pool "$saw")"
		fi
	fi
fi

# -- 9 ------------------------------------------------------------------------
ROUNDS=4
h_check "four lcores draining a full ring at once receive each message exactly once" 1 4
if expect_running primary 1 && expect_running again 2; then
	h_send again quit
	h_wait_exit again 10
	# Each round fills the ring, then starts a secondary whose lcores 3 to 6
	# all dequeue from it at once (lcore 2 runs the prompt).
	for ((round = 1; round <= ROUNDS; round++)); do
		lines=()
		for ((i = 1; i <= RING_CAPACITY; i++)); do lines+=("$(printf 'send multi-%d-%02d' $round $i)"); done
		h_send primary "${lines[@]}"
		h_start "multi$round" "$BIN" --lcores "2@0,3@1,4@0,5@1,6@0" --no-pci --file-prefix "$PFX" --proc-type=secondary
		received=0
		h_wait "multi$round" "Received 'multi-$round-" $RING_CAPACITY 5 && received=1
		h_send "multi$round" quit
		h_wait_exit "multi$round" 10
		[ $received = 1 ] || break	# the figures below tell what went wrong
	done
	want=$(for ((round = 1; round <= ROUNDS; round++)); do seq -f "multi-$round-%02g" 1 $RING_CAPACITY; done | sort | paste -sd ' ')
	got=$(for ((round = 1; round <= ROUNDS; round++)); do received "multi$round" multi-; done | sort | paste -sd ' ')
	if [ "$got" != "$want" ]; then
		count=$(echo "$got" | wc -w)
		unique=$(echo "$got" | tr ' ' '\n' | sort -u | grep -c .)
		if [ "$count" -gt "$unique" ]; then blame=1; else blame=$(blame_delivery primary); fi
		h_fail "$((ROUNDS * RING_CAPACITY)) messages, each once" \
			"$count received, $unique different (duplicates: single-consumer rings?)" "$blame"
	fi
fi

# -- 10 -----------------------------------------------------------------------
h_check "a secondary with no primary exits non-zero with a clear error" 2
# With no primary ever, EAL itself refuses (main.c says so). With a primary
# killed by SIGKILL its files remain, and EAL usually attaches to the corpse:
# then only the lookup's own check (TODO 2) can refuse. EAL does not attach
# when it must ask the dead primary for memory (about one time in four
# here, even for a fresh primary): a new corpse is tried then.
lone=$(h_prefix lone)
h_start lone "$BIN" --lcores "2@0,3@1" --no-pci --file-prefix "$lone" --proc-type=secondary
EAL_REFUSAL="no primary process is running with --file-prefix"
TODO2_REFUSAL="No primary process is running with this --file-prefix"
if ! h_exits_with lone "$EAL_REFUSAL"; then
	h_fail "exit status 1 and '$EAL_REFUSAL' (no primary ever ran)" "status $H_STATUS: $(h_tail lone 2)"
else
	for try in 1 2 3 4 5; do
		corpse=$(h_prefix "corpse$try")
		h_start "corpse$try" "$BIN" -l 0-1 --no-pci --file-prefix "$corpse" --proc-type=primary
		if ! h_wait "corpse$try" "$READY" 1 15; then
			h_fail "'$READY' from a new primary" "$(h_tail "corpse$try" 2)" 1
			break
		fi
		h_stop "corpse$try" KILL
		h_start "orphan$try" "$BIN" "${SECONDARY[@]/$PFX/$corpse}"
		h_exits_with "orphan$try" "$TODO2_REFUSAL" && break
		if [ "$(h_count "orphan$try" "$EAL_REFUSAL")" = 0 ] || [ $try = 5 ]; then
			h_fail "exit status 1 and '$TODO2_REFUSAL' (its primary was killed)" \
				"status $H_STATUS: $(h_tail "orphan$try" 2)"
			break
		fi
	done
fi

h_finish
