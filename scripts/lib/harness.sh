#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Shared by the demos (scripts/demo/) and the bench (scripts/bench.sh):
# starts DPDK processes with a private --file-prefix, feeds their prompts,
# waits for their output, and cleans up whatever happens (a failure, a
# timeout, Ctrl-C).
#
# The checks, the fault matrix and the flakes are on pytest, with the test
# library tests/lib/mpwcheck (its procs.py is this file's twin).

# Every process a check starts dies after this many seconds, whatever happens.
H_PROC_TIMEOUT=${H_PROC_TIMEOUT:-120}
# How long to wait for an expected line before the check fails.
H_WAIT=${H_WAIT:-3}

declare -A H_PID H_WRAP H_FD H_LOG
H_CLEANUP=()
# Every --file-prefix of this run starts with it: mpw<pid>_, or, given one
# to tell a family of runs apart (the suite's), that base with this run's pid added, so that the
# runs of one family (the suite's parallel rows) never remove each other's
# files: the clean-up removes every prefix that starts with it.
H_PREFIX_BASE=${H_PREFIX_BASE:-mpw}$$_
# shellcheck disable=SC2034 # read by the check scripts
H_STATUS=0
# The test library's prefix tool (prefixes.py): DPDK's runtime directory
# for this user, and removal of what no process holds.
H_PREFIXES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/lib" && pwd)/mpwcheck/prefixes.py
# Not root, and no runtime directory of one's own: a private one (EAL's
# fallback, /tmp/dpdk, belongs to the first user who made it), removed at
# clean-up; prefixes.private_runtime_root() for the checks.
if [ "$(id -u)" != 0 ] && [ -z "${RUNTIME_DIRECTORY:-}${XDG_RUNTIME_DIR:-}" ]; then
	XDG_RUNTIME_DIR=$(mktemp -d /tmp/mpw-run-XXXXXX)
	export XDG_RUNTIME_DIR
	H_PRIVATE_RUN=$XDG_RUNTIME_DIR
fi
# DPDK's runtime root for this user (H_RUNTIME), and the CPUs that the
# scripts' cores 0 and 1 stand for, the first two of this process's affinity
# (H_CORES, see h_on_own_cores): one Python start, as procs.py says them.
# shellcheck disable=SC2034 # H_RUNTIME: read by the scripts that source this
read -r H_RUNTIME H_CORE0 H_CORE1 < <(PYTHONPATH=${H_PREFIXES%/mpwcheck/*} /usr/bin/python3 -c '
from mpwcheck import prefixes, procs
print(prefixes.runtime_root(), *procs.own_cores())')
H_CORES=("$H_CORE0" "$H_CORE1")

# h_init LAB SRC_DIR [WORK]: a work dir for logs and fifos (default
# $H_CHECK_ROOT/<labs|solutions>/LAB, H_CHECK_ROOT defaulting to
# build/check), and the clean-up trap.
h_init() {
	H_LAB=$1
	H_SRC=$2
	H_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	H_WORK=${3:-${H_CHECK_ROOT:-$H_TOP/build/check}/$(basename "$(dirname "$H_SRC")")/$H_LAB}
	rm -rf "$H_WORK"
	mkdir -p "$H_WORK"
	H_WORK=$(cd "$H_WORK" && pwd)
	H_SRC=$(cd "$H_SRC" && pwd)
	trap h_cleanup EXIT
	trap 'echo "interrupted: stopping every process it started" >&"${H_STDERR:-2}"; exit 130' INT TERM HUP
	h_require_hugepages
	# The script's own stderr goes to a file, written as it happens, so that
	# a shell error inside a script shows (h_forward_stderr) instead of
	# silently cutting it short; h_forward_stderr shows it all the same.
	exec {H_STDERR}>&2 2>>"$H_WORK/stderr"
	H_STDERR_SEEN=0
	# A FIFO that we hold open at both ends and nobody writes to: h_nap's.
	mkfifo "$H_WORK/.nap" && exec {H_NAP_FD}<>"$H_WORK/.nap"
}

# h_nap SECONDS: sleep(1) without starting a process: read's time-out on a
# pipe that never speaks. The waits below poll every few milliseconds, and a
# fork and exec per poll cost more CPU than the processes they wait on.
h_nap() {
	if [ -n "${H_NAP_FD:-}" ]; then
		read -r -t "$1" -u "$H_NAP_FD" _
	else
		sleep "$1"
	fi
	return 0
}

# h_forward_stderr: print what the script wrote to stderr since last time;
# true when it holds a shell error ("check.sh: line 12: ...").
h_forward_stderr() {
	local size new
	size=$(stat -c %s "$H_WORK/stderr" 2>/dev/null || echo 0)
	[ "$size" -gt "${H_STDERR_SEEN:-0}" ] || return 1
	new=$(tail -c +$((H_STDERR_SEEN + 1)) "$H_WORK/stderr")
	H_STDERR_SEEN=$size
	printf '%s\n' "$new" >&"$H_STDERR"
	H_SHELL_ERROR=$(grep -m1 -E '\.sh: line [0-9]+: ' <<<"$new")
	[ -n "$H_SHELL_ERROR" ]
}

h_rel() { echo "${1#"$H_TOP"/}"; }

h_require_hugepages() {
	local total dir writable=0
	total=$(awk '/HugePages_Total/ { print $2 }' /proc/meminfo)
	h_read_hugetlbfs
	if [ "${total:-0}" = 0 ] || [ ${#H_HUGETLBFS[@]} = 0 ]; then
		echo "error: no hugepages reserved or no hugetlbfs mounted: run 'sudo scripts/setup_hugepages.sh' first" >&2
		exit 2
	fi
	for dir in "${H_HUGETLBFS[@]}"; do
		[ -w "$dir" ] && [ -x "$dir" ] && writable=1
	done
	if [ $writable = 0 ]; then
		echo "error: not root, and no hugetlbfs mount is writable by you: run it with sudo, or have the machine's administrator run 'sudo scripts/setup_hugepages.sh --group GROUP' for a group of yours" >&2
		exit 2
	fi
}

# h_prefix NAME: a --file-prefix private to this run. The clean-up removes
# the files of every prefix that starts with $H_PREFIX_BASE.
h_prefix() {
	echo "${H_PREFIX_BASE}$1"
}

# h_on_own_cores ARG...: the ARGs, into H_ARGV, with their EAL core options
# on H_CORES, as procs.on_own_cores() does for the checks: cores 0 and 1 of
# "-l 0-1" and "--lcores 2@0,3@1" name the caller's two; "-l" of cores 0
# and 1 becomes "--lcores"; any other core number is left as written.
h_on_own_cores() {
	local value part out
	H_ARGV=()
	while [ $# -gt 0 ]; do
		[ "$1" != -- ] || break
		if [ $# -ge 2 ] && { [ "$1" = --lcores ] || { [ "$1" = -l ] && [[ "$2" =~ ^[01]([-,][01])*$ ]]; }; }; then
			value=$2
			if [ "$1" = -l ]; then
				value=
				[[ "$2" != *0* ]] || value=0@0
				[[ "$2" != *1* ]] || value+=${value:+,}1@1
			fi
			out=
			for part in ${value//,/ }; do
				[[ "$part" =~ ^(.*@)([01])$ ]] && part=${BASH_REMATCH[1]}${H_CORES[BASH_REMATCH[2]]}
				out+=${out:+,}$part
			done
			H_ARGV+=(--lcores "$out")
			shift 2
		else
			H_ARGV+=("$1")
			shift
		fi
	done
	H_ARGV+=("$@")
}

# h_start NAME CMD...: run CMD in its own process group, its stdin a fifo
# that h_send writes to, its output in NAME.log. A wrapper subshell waits
# for it and keeps its exit status, so that bash prints no job notices.
h_start() {
	local name=$1 fifo fd i
	shift
	fifo=$H_WORK/$name.in
	H_LOG[$name]=$H_WORK/$name.log
	rm -f "$fifo" "$H_WORK/$name.pid" "$H_WORK/$name.status"
	mkfifo "$fifo"
	exec {fd}<>"$fifo"
	H_FD[$name]=$fd
	(
		# Clean-up has begun (Ctrl-C before this process was recorded): no new process.
		[ -e "$H_WORK/.stopping" ] && exit 0
		h_on_own_cores "$@"
		setsid timeout -k 5 "$H_PROC_TIMEOUT" "${H_ARGV[@]}" <"$fifo" >>"${H_LOG[$name]}" 2>&1 &
		echo $! >"$H_WORK/$name.pid"
		wait $!
		echo $? >"$H_WORK/$name.status"
	) 2>/dev/null {fd}>&- &
	H_WRAP[$name]=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$H_WORK/$name.pid" ] && break
		h_nap 0.01
	done
	H_PID[$name]=$(cat "$H_WORK/$name.pid")
}

# h_send NAME LINE...: type lines at NAME's prompt.
h_send() {
	local name=$1
	shift
	printf '%s\n' "$@" >&"${H_FD[$name]}"
}

h_alive() {
	local pid=${H_PID[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

h_log() { cat "${H_LOG[$1]:-/dev/null}" 2>/dev/null; }

# h_count NAME TEXT: lines of NAME's output that contain TEXT.
h_count() {
	local n
	n=$(grep -cF -- "$2" "${H_LOG[$1]:-/dev/null}" 2>/dev/null)
	echo "${n:-0}"
}

# h_has NAME TEXT N: true when N lines of NAME's output contain TEXT (one
# grep, no subshell).
h_has() {
	if [ "$3" = 1 ]; then
		grep -qF -- "$2" "${H_LOG[$1]:-/dev/null}" 2>/dev/null
	else
		[ "$(h_count "$1" "$2")" -ge "$3" ]
	fi
}

# h_wait NAME TEXT [N [SECONDS]]: wait until TEXT appears N times (default 1).
h_wait() {
	local name=$1 text=$2 want=${3:-1} secs=${4:-$H_WAIT} deadline
	deadline=$((SECONDS + secs))
	while :; do
		h_has "$name" "$text" "$want" && return 0
		[ $SECONDS -ge $deadline ] && return 1
		h_alive "$name" || {
			# One last look: it may have printed and exited.
			h_has "$name" "$text" "$want"
			return
		}
		h_nap 0.02
	done
}

# h_wait_exit NAME [SECONDS]: wait for NAME to exit; H_STATUS gets its status
# (124 when it had to be killed).
h_wait_exit() {
	local name=$1 secs=${2:-$H_WAIT} deadline
	deadline=$((SECONDS + secs))
	H_STATUS=
	while h_alive "$name" && [ $SECONDS -lt $deadline ]; do
		h_nap 0.05
	done
	if [ -z "${H_WRAP[$name]:-}" ]; then
		H_STATUS=255	# never started
		return 1
	fi
	if h_alive "$name"; then
		h_stop "$name"
		H_STATUS=124
		return 1
	fi
	wait "${H_WRAP[$name]}"
	# shellcheck disable=SC2034 # read by the check scripts
	H_STATUS=$(cat "$H_WORK/$name.status" 2>/dev/null || echo 255)
	h_close "$name"
	return 0
}

h_close() {
	local fd=${H_FD[$1]:-}
	[ -n "$fd" ] && exec {fd}>&-
	H_FD[$1]=
}

# h_stop NAME [SIGNAL]: signal NAME's process group, then make sure it is
# gone. Only while its wrapper has not reaped it (no status yet): after
# that, its pid may be another's. What it left running is found by prefix.
h_stop() {
	local name=$1 sig=${2:-TERM} pid i
	pid=${H_PID[$name]:-}
	[ -n "$pid" ] || return 0
	if [ ! -e "$H_WORK/$name.status" ]; then
		kill -"$sig" -- -"$pid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			kill -0 -- -"$pid" 2>/dev/null || break
			h_nap 0.1
		done
		[ -e "$H_WORK/$name.status" ] || kill -KILL -- -"$pid" 2>/dev/null
	fi
	wait "${H_WRAP[$name]:-}" 2>/dev/null
	h_close "$name"
	H_PID[$name]=
	return 0
}

# h_sigint NAME...: SIGINT to each program (not to its timeout wrapper), as
# Ctrl-C would; then wait for each to print its last words and exit.
h_sigint() {
	local name
	for name in "$@"; do
		h_alive "$name" && kill -INT "$(pgrep -P "${H_PID[$name]}" | head -n 1)" 2>/dev/null
	done
	for name in "$@"; do
		h_wait_exit "$name" 10
	done
}

# h_read_hugetlbfs: every hugetlbfs mount point, into H_HUGETLBFS.
h_read_hugetlbfs() {
	local _dev dir type _rest
	H_HUGETLBFS=()
	while read -r _dev dir type _rest; do
		[ "$type" != hugetlbfs ] || H_HUGETLBFS+=("$dir")
	done </proc/mounts
}

# h_remove_prefix PREFIX: the hugepage files and runtime dirs that the
# prefixes starting with PREFIX left, but what a process still holds.
h_remove_prefix() {
	/usr/bin/python3 "$H_PREFIXES" remove "$1"
}

# h_on_cleanup COMMAND: also run COMMAND at clean-up (after the processes die).
h_on_cleanup() { H_CLEANUP+=("$1"); }

h_cleanup() {
	local name
	trap - EXIT INT TERM HUP
	h_forward_stderr
	: >"$H_WORK/.stopping"
	for name in "${!H_WRAP[@]}"; do
		# Interrupted inside h_start, its pid not yet recorded: read it.
		[ -n "${H_PID[$name]:-}" ] || H_PID[$name]=$(cat "$H_WORK/$name.pid" 2>/dev/null)
		h_stop "$name" KILL
	done
	# Whatever else runs with our prefixes (started as Ctrl-C came) goes too,
	# before its files are removed.
	for _ in $(seq 20); do
		pkill -KILL -f -- "--file-prefix $H_PREFIX_BASE" || break
		sleep 0.1
	done
	h_remove_prefix "$H_PREFIX_BASE"
	for name in "${H_CLEANUP[@]}"; do
		eval "$name"
	done
	[ -z "${H_PRIVATE_RUN:-}" ] || rm -rf "$H_PRIVATE_RUN"
	rm -f "$H_WORK"/*.in
}

# h_tail NAME [N]: NAME's last lines, for "saw:", prompts and echoes removed.
h_tail() {
	h_log "$1" | tr -d '\r' | grep -v -e '^EAL: ' -e '^TELEMETRY: ' |
		sed -e 's/^[a-z_]* > //' -e 's/^[[:space:]]*//' | grep -v '^$' | tail -n "${2:-3}" |
		paste -sd '|' | sed 's/|/ | /g'
}
