#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault suite, bad input: every program of the solutions given wrong,
# missing, garbage or overflowing options, ports that do not exist, ids out
# of range, the wrong process type or order. Each row: a non-zero exit by
# itself, the line that says what is wrong, no crash, no file left behind.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
f_init bad_input

SMP=$F_SOL/01_simple_mp/simple_mp
SYM=$F_SOL/02_symmetric_mp/symmetric_mp
SRV=$F_SOL/03_client_server/mp_server
CLI=$F_SOL/03_client_server/mp_client
READY="APP: Finished Process Init."
# Two ports on which nothing arrives (net_ring, whose rings nobody fills): a
# primary that runs beside the refused processes idles instead of taking a
# core, as it would forwarding net_null's endless frames.
IDLE=(--vdev net_ring0 --vdev net_ring1)
HUGE=99999999999999999999	# more than 64 bits
MASK65=0x10000000000000000	# a 65-bit mask

# Each row a new prefix: a refused primary must leave none of its files.
n=0
# pfx: the next prefix, in $p.
pfx() { n=$((n + 1)); p=$(h_prefix "b$n"); }

# -- simple_mp ------------------------------------------------------------------
pfx
f_refused "simple_mp: an option of its own after --" "has no options of its own" "$p" \
	"$SMP" -l 0-1 --no-pci --file-prefix "$p" -- --bogus
pfx
f_refused "simple_mp: an unknown EAL option" "the EAL refused its options" "$p" \
	"$SMP" -l 0-1 --no-pci --file-prefix "$p" --bogus
pfx
f_refused "simple_mp: lcores this machine does not have (-l 0-99)" "the EAL refused its options" "$p" \
	"$SMP" -l 0-99 --no-pci --file-prefix "$p"
pfx
f_refused "simple_mp: a secondary started first" "no primary process is running with --file-prefix" "$p" \
	"$SMP" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=secondary

pfx
h_start smp_primary "$SMP" -l 0-1 --no-pci --file-prefix "$p" --proc-type=primary
if h_wait smp_primary "$READY" 1 15; then
	f_refused "simple_mp: a second primary on the same --file-prefix" "is already running with --file-prefix" "$p" \
		"$SMP" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=primary
	# Every --file-prefix that names the live primary's files otherwise
	# (as a path, or in a way EAL reads differently) is refused before EAL
	# starts, and its clean-up takes nothing of the primary's.
	live_files=$(f_files "$p" | sort)
	for bad in "x/$p" "./$p" "$p/" "" "." ".." "%s$p"; do
		f_refused "simple_mp: --file-prefix '$bad' beside a live primary" "is no plain name" none \
			"$SMP" --lcores 2@0,3@1 --no-pci --file-prefix "$bad" --proc-type=primary
	done
	f_refused "simple_mp: --file-prefix given twice beside a live primary" "is given 2 times" none \
		"$SMP" --lcores 2@0,3@1 --no-pci --file-prefix other --file-prefix "$p" --proc-type=primary
	f_refused "simple_mp: --file-prefix abbreviated beside a live primary" "write --file-prefix in full" none \
		"$SMP" --lcores 2@0,3@1 --no-pci --file-pre "$p" --proc-type=primary
	left=$(f_files "$p" | sort)
	if [ "$left" = "$live_files" ] && [ -n "$left" ] && h_alive smp_primary; then
		f_row "simple_mp: a live primary's files after every bad --file-prefix and a second start" \
			"all there, the primary running" "$(grep -c . <<<"$left") files, unchanged" 0
	else
		f_row "simple_mp: a live primary's files after every bad --file-prefix and a second start" \
			"all there, the primary running" "$(grep -c . <<<"$live_files") files before, $(grep -c . <<<"$left") after" 1
	fi
else
	f_row "simple_mp: a second primary on the same --file-prefix" "a first primary starts" "$(h_tail smp_primary 2)" 1
fi
h_stop smp_primary

# A file of a prefix that another process holds (flock -s, as a live DPDK
# process holds its hugepage files) outlives every clean-up: a start that
# fails after EAL set up (common/mpw_prefix.c), the test library's
# (prefixes.py), and setup_hugepages.sh --clean; what nobody holds goes.
pfx
h_read_hugetlbfs
held=${H_HUGETLBFS[0]}/${p}map_7_7
: >"$held"
h_start holder flock -s "$held" sleep 60
# Until it holds it: an exclusive try fails from then on.
for _ in $(seq 200); do flock -n -x "$held" true || break; h_nap 0.01; done
kept=()
f_refused "simple_mp: a start that fails after EAL set up, a file of its prefix held elsewhere" \
	"has no options of its own" none "$SMP" -l 0 --no-pci --file-prefix "$p" -- --bogus
[ -e "$held" ] && kept+=("the failed start's")
/usr/bin/python3 "$H_PREFIXES" remove "$p" >/dev/null && [ -e "$held" ] && kept+=("prefixes.py's")
timeout 60 "$H_TOP/scripts/setup_hugepages.sh" --clean "$p" >/dev/null && [ -e "$held" ] && kept+=("--clean's")
others=$(f_files "$p" | grep -vc -- "map_7_7$" || true)
if [ ${#kept[@]} = 3 ] && [ "$others" = 0 ]; then
	f_row "a held file of a prefix outlives every clean-up; the rest goes" "kept by all three, nothing else left" \
		"kept by ${kept[*]} clean-ups; nothing else left" 0
else
	f_row "a held file of a prefix outlives every clean-up; the rest goes" "kept by all three, nothing else left" \
		"kept by: ${kept[*]:-none}; $others other file(s) left" 1
fi
h_stop holder
rm -f "$held"

# Two primaries started at the same moment on one new prefix: one runs, the
# other is refused, and its clean-up takes nothing of the one that runs.
pfx
h_start race1 "$SMP" -l 0 --no-pci --file-prefix "$p" --proc-type=primary
h_start race2 "$SMP" -l 1 --no-pci --file-prefix "$p" --proc-type=primary
h_wait race1 "$READY" 1 15
h_wait race2 "$READY" 1 2
ready=$(( $(h_count race1 "$READY") + $(h_count race2 "$READY") ))
winner=race1
[ "$(h_count race1 "$READY")" = 1 ] || winner=race2
h_wait_exit "$([ $winner = race1 ] && echo race2 || echo race1)" 15
loser_status=$H_STATUS
files=$(f_files "$p" | grep -c . || true)
if [ "$ready" = 1 ] && [ "$loser_status" != 0 ] && h_alive "$winner" && [ "$files" -gt 0 ] &&
	[ -e "$H_RUNTIME/$p/config" ]; then
	f_row "simple_mp: two primaries started at once on one --file-prefix" "one runs, its files whole; the other refused" \
		"one ready, the other status $loser_status; $files files of the one that runs" 0
else
	f_row "simple_mp: two primaries started at once on one --file-prefix" "one runs, its files whole; the other refused" \
		"$ready ready, the other status $loser_status, $files files: $(h_tail race1 1) / $(h_tail race2 1)" 1
fi
h_stop race1
h_stop race2

# -- symmetric_mp ---------------------------------------------------------------
# opts CASE MESSAGE CMD...: a row for CMD, in which "%P" stands for a new prefix.
opts() {
	local case=$1 message=$2 arg args=()
	shift 2
	pfx
	for arg in "$@"; do args+=("${arg//%P/$p}"); done
	f_refused "$case" "$message" "$p" "${args[@]}"
}

# sym CASE MESSAGE OPTIONS...: a primary on two idle ports given OPTIONS after --.
SYM_EAL=("$SYM" --lcores "0@0,1@1" --no-pci --file-prefix %P --proc-type=auto "${IDLE[@]}" --)
sym() { opts "symmetric_mp: $1" "$2" "${SYM_EAL[@]}" "${@:3}"; }
sym "no options" "are all required"
sym "-p without its value" "unknown option or missing value" --num-procs 1 --proc-id 0 -p
sym "-p garbage (zz)" "-p wants a non-zero hexadecimal port mask, not 'zz'" -p zz --num-procs 1 --proc-id 0
sym "-p overflowing 64 bits" "-p wants a non-zero hexadecimal port mask" -p $MASK65 --num-procs 1 --proc-id 0
sym "-p 0" "-p wants a non-zero hexadecimal port mask, not '0'" -p 0 --num-procs 1 --proc-id 0
sym "-p naming absent ports (0x30)" "names ports that do not exist (0x30)" -p 0x30 --num-procs 1 --proc-id 0
sym "-p with an odd number of ports (1)" "must use an even number of ports" -p 1 --num-procs 1 --proc-id 0
sym "--num-procs garbage (two)" "--num-procs wants a number from 1 to 1024, not 'two'" -p 3 --num-procs two --proc-id 0
sym "--num-procs 0" "--num-procs wants a number from 1 to 1024, not '0'" -p 3 --num-procs 0 --proc-id 0
sym "--num-procs overflowing" "--num-procs wants a number from 1 to 1024" -p 3 --num-procs $HUGE --proc-id 0
sym "--proc-id negative" "--proc-id wants a number from 0 to 1023, not '-1'" -p 3 --num-procs 2 --proc-id -1
sym "-p empty" "-p wants a non-zero hexadecimal port mask, not ''" -p '' --num-procs 1 --proc-id 0
sym "--num-procs with a tail (2x)" "--num-procs wants a number from 1 to 1024, not '2x'" -p 3 --num-procs 2x --proc-id 0
sym "--num-procs above 1024" "--num-procs wants a number from 1 to 1024, not '1025'" -p 3 --num-procs 1025 --proc-id 0
sym "no --num-procs" "are all required" -p 3 --proc-id 0
sym "no --proc-id" "are all required" -p 3 --num-procs 1
sym "--proc-id not below --num-procs" "--proc-id 2 must be less than --num-procs 2" -p 3 --num-procs 2 --proc-id 2
sym "an unknown option" "unknown option or missing value: '--frobnicate'" -p 3 --num-procs 1 --proc-id 0 --frobnicate
sym "a stray argument" "unexpected argument 'extra'" -p 3 --num-procs 1 --proc-id 0 extra
pfx
f_refused "symmetric_mp: no port at all (no --vdev)" "No Ethernet ports" "$p" \
	"$SYM" --lcores "0@0,1@1" --no-pci --file-prefix "$p" -- -p 3 --num-procs 1 --proc-id 0
pfx
f_refused "symmetric_mp: a secondary started first" "no primary process is running with --file-prefix" "$p" \
	"$SYM" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=secondary -- -p 3 --num-procs 2 --proc-id 1

pfx
h_start sym_primary "$SYM" --lcores 0@0,1@1 --no-pci --file-prefix "$p" --proc-type=auto "${IDLE[@]}" \
	-- -p 3 --num-procs 2 --proc-id 0
if h_wait sym_primary "$READY" 1 15; then
	f_refused "symmetric_mp: a secondary whose --num-procs disagrees with the primary's" \
		"give every process the primary's --num-procs" "$p" \
		"$SYM" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=auto -- -p 3 --num-procs 3 --proc-id 1
	f_refused "symmetric_mp: a second primary on the same --file-prefix" "is already running with --file-prefix" "$p" \
		"$SYM" --lcores 2@0,3@1 --no-pci --file-prefix "$p" --proc-type=primary "${IDLE[@]}" -- -p 3 --num-procs 2 --proc-id 1
else
	f_row "symmetric_mp: processes that disagree with a running primary" "a primary starts" "$(h_tail sym_primary 2)" 1
fi
h_stop sym_primary

# -- mp_server ------------------------------------------------------------------
# srv CASE MESSAGE OPTIONS...: a server on two idle ports given OPTIONS after --.
SRV_EAL=("$SRV" -l 0 --no-pci --file-prefix %P "${IDLE[@]}" --)
srv() { opts "mp_server: $1" "$2" "${SRV_EAL[@]}" "${@:3}"; }
srv "no options" "-p and -n are both required"
srv "-n without its value" "unknown option or missing value" -p 3 -n
srv "-p garbage (zz)" "-p wants a non-zero hexadecimal port mask, not 'zz'" -p zz -n 1
srv "-p overflowing 64 bits" "-p wants a non-zero hexadecimal port mask" -p $MASK65 -n 1
srv "-p naming absent ports (0xc)" "names ports that do not exist (0xc)" -p 0xc -n 1
srv "-p with an odd number of ports (1)" "must select an even number of ports" -p 1 -n 1
srv "-n garbage (two)" "-n wants a number of clients from 1 to 16, not 'two'" -p 3 -n two
srv "-n 0" "-n wants a number of clients from 1 to 16, not '0'" -p 3 -n 0
srv "-n 17, above the 16 rings it can make" "-n wants a number of clients from 1 to 16, not '17'" -p 3 -n 17
srv "-n overflowing" "-n wants a number of clients from 1 to 16" -p 3 -n $HUGE
srv "-p empty" "-p wants a non-zero hexadecimal port mask, not ''" -p '' -n 1
srv "-n negative" "-n wants a number of clients from 1 to 16, not '-2'" -p 3 -n -2
srv "--stats-interval above an hour" "--stats-interval wants seconds from 0 to 3600" -p 3 -n 1 --stats-interval 3601
srv "--stats-interval garbage" "--stats-interval wants seconds from 0 to 3600" -p 3 -n 1 --stats-interval soon
srv "an unknown option" "unknown option or missing value: '--frobnicate'" -p 3 -n 1 --frobnicate
srv "a stray argument" "unexpected argument 'extra'" -p 3 -n 1 extra

# -- mp_client, and a second server, against a running server -----------------
pfx
f_refused "mp_client: started before any server" "start mp_server first" "$p" \
	"$CLI" --lcores 1@1 --no-pci --file-prefix "$p" --proc-type=secondary -- -n 0
pfx
f_refused "mp_client: started as a primary (no --proc-type=secondary)" "mp_client must be a secondary process" "$p" \
	"$CLI" --lcores 1@1 --no-pci --file-prefix "$p" -- -n 0

pfx
h_start server "$SRV" -l 0 --no-pci --file-prefix "$p" "${IDLE[@]}" -- -p 3 -n 2 --no-wait
if h_wait server "$READY" 1 15; then
	# cli CASE MESSAGE OPTIONS...: a client of the running server.
	cli() {
		local case=$1 message=$2
		shift 2
		f_refused "mp_client: $case" "$message" "$p" \
			"$CLI" --lcores 1@1 --no-pci --file-prefix "$p" --proc-type=secondary -- "$@"
	}
	cli "no options" "-n CLIENT_ID is required"
	cli "-n garbage (one)" "-n wants a client id from 0 to 15, not 'one'" -n one
	cli "an unknown option (-x)" "unknown option or missing value: '-x'" -x 1
	cli "-n empty" "-n wants a client id from 0 to 15, not ''" -n ''
	cli "-n with a tail (1x)" "-n wants a client id from 0 to 15, not '1x'" -n 1x
	cli "-n negative" "-n wants a client id from 0 to 15, not '-1'" -n -1
	cli "-n overflowing" "-n wants a client id from 0 to 15" -n $HUGE
	cli "-n 16, above any server's clients" "-n wants a client id from 0 to 15, not '16'" -n 16
	cli "-n 2 when the server has 2 clients" "Client id 2 is out of range: the server has 2 clients" -n 2
	cli "a stray argument" "Invalid arguments" -n 0 extra
	h_start client0 "$CLI" --lcores 2@1 --no-pci --file-prefix "$p" --proc-type=secondary -- -n 0
	if h_wait client0 "$READY" 1 15; then
		cli "a second client with a running client's id" "Client 0 is already running" -n 0
	else
		f_row "mp_client: a second client with a running client's id" "client 0 starts" "$(h_tail client0 2)" 1
	fi
	f_refused "mp_server: a second server on the same --file-prefix" "is already running with --file-prefix" "$p" \
		"$SRV" -l 1 --no-pci --file-prefix "$p" "${IDLE[@]}" -- -p 3 -n 1
	f_refused "mp_server: started as a secondary of a running server" "mp_server must be the primary process" "$p" \
		"$SRV" --lcores 3@1 --no-pci --file-prefix "$p" --proc-type=secondary -- -p 3 -n 1
	h_stop client0
else
	f_row "mp_client: clients of a running server" "a server starts" "$(h_tail server 2)" 1
fi
h_stop server

# -- hotplug_mp ---------------------------------------------------------------------
HOT=$F_SOL/04_hotplug_mp/hotplug_mp
pfx
f_refused "hotplug_mp: an option of its own after --" "has no options of its own" "$p" \
	"$HOT" -l 0 --no-pci --file-prefix "$p" -- --bogus
pfx
f_refused "hotplug_mp: --in-memory, which turns EAL's IPC off" "talks over EAL's IPC, which --in-memory" "$p" \
	"$HOT" -l 0 --no-pci --file-prefix "$p" --in-memory
pfx
f_refused "hotplug_mp: a secondary started first" "no primary process is running with --file-prefix" "$p" \
	"$HOT" -l 0 --no-pci --file-prefix "$p" --proc-type=secondary

f_finish
