#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault suite, interrupts: Ctrl-C (SIGINT to the whole process group, as a
# terminal sends it) in the middle of `make check` and of `make test`, and
# SIGTERM (as a CI timeout sends it) in the middle of a check. Each must stop
# every process it started, remove their files and exit non-zero, promptly.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
f_init interrupts

# prefixes BASE: the prefixes starting with BASE that have a runtime dir,
# hugepage files or processes now. Each row gives the command it interrupts
# a base of its own (H_PREFIX_BASE): it judges only what that run made,
# whatever else runs on the machine.
prefixes() {
	local p
	{
		ls "$H_RUNTIME" 2>/dev/null
		h_hugepage_files "$1*" | sed 's|.*/||; s/map_[0-9]*$//'
		# pgrep alone, before any grep of the pattern could run beside it.
		for p in $(pgrep -f -- "--file-prefix $1"); do
			tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -A1 -x -- --file-prefix | tail -n 1
		done
	} | grep "^$1" | sort -u
}

# The command under test until it is reaped: the clean-up kills its group
# then, never after (its pid may be another's).
UNREAPED=
# shellcheck disable=SC2016 # expanded at clean-up, when it runs
h_on_cleanup '[ -z "$UNREAPED" ] || kill -KILL -- -"$UNREAPED" 2>/dev/null'

# interrupt CASE SIGNAL READY_CMD CMD...: start CMD in a process group of its
# own, wait until READY_CMD succeeds (it has DPDK processes at work), send
# SIGNAL to the group; CMD must exit non-zero within 20 s and leave no
# prefix, process or file that was not there before.
interrupt() {
	local case=$1 sig=$2 ready=$3 pid status=0 started left log=$H_WORK/run$((++F_ROWS)).log
	local base=${H_PREFIX_BASE}int${F_ROWS}_
	shift 3
	set -m	# a process group of its own, with SIGINT not ignored
	# SIGINT as a terminal gives it, even when this run inherited it ignored
	# (nohup, a background job, some CI runners).
	H_PREFIX_BASE=$base env --default-signal=INT "$@" >"$log" 2>&1 &
	pid=$!
	set +m
	UNREAPED=$pid
	started=0
	for _ in $(seq 300); do
		eval "$ready" && { started=1; break; }
		sleep 0.1
	done
	if [ $started = 0 ]; then
		kill -KILL -- -"$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		UNREAPED=
		f_row "$case" "it gets going" "nothing to interrupt after 30 s: $(tail -n 2 "$log" | paste -sd ' ')" 1
		return
	fi
	kill -"$sig" -- -"$pid"
	local t0=$SECONDS
	# Until the whole group is gone: make may exit before the check it ran
	# has finished cleaning up.
	while pgrep -g "$pid" >/dev/null && [ $((SECONDS - t0)) -lt 20 ]; do sleep 0.1; done
	if pgrep -g "$pid" >/dev/null; then
		kill -KILL -- -"$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		UNREAPED=
		f_row "$case" "it stops within 20 s" "still running after 20 s" 1
		return
	fi
	wait "$pid" || status=$?
	# shellcheck disable=SC2034 # read at clean-up
	UNREAPED=
	# A process of another group (a check's own session) may still be
	# exiting: what is left 3 s on is left behind.
	for _ in $(seq 30); do
		left=$(prefixes "$base" | paste -sd ' ')
		[ -n "$left" ] || break
		sleep 0.1
	done
	if [ $status != 0 ] && [ -z "$left" ]; then
		f_row "$case" "a non-zero exit within 20 s; no process, no file left" \
			"status $status after $((SECONDS - t0)) s; nothing left" 0
	else
		f_row "$case" "a non-zero exit within 20 s; no process, no file left" \
			"status $status; left: ${left:-nothing}" 1
	fi
}

# dpdk_running: a DPDK process that the command under test started is at
# work: one whose --file-prefix starts with the base of interrupt()'s run.
# (Walking each DPDK process's parents, one awk a step, took seconds a poll
# under the suite's load, and missed a whole lab 03 check.)
dpdk_running() {
	pgrep -f -- "--file-prefix $base" >/dev/null
}

interrupt "Ctrl-C during make check (lab 01)" INT dpdk_running \
	make --no-print-directory -C "$H_TOP/solutions/01_simple_mp" check
interrupt "SIGTERM during make check (lab 03)" TERM dpdk_running \
	make --no-print-directory -C "$H_TOP/solutions/03_client_server" check
# One row (its job builds one copy, then checks it): the suite must stop
# there, as a whole.
interrupt "Ctrl-C during make test (lab 01's TODO 1 row)" INT dpdk_running \
	env SUITE_LOGS="$H_WORK/suite" TODO_ROOT="$H_WORK/todo" make --no-print-directory -C "$H_TOP" test ONLY='^01_simple_mp with TODO 1 undone'

f_finish
