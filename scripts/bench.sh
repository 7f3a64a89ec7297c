#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make bench: each solution against its twin among DPDK's upstream examples
# (built by scripts/bench/build_upstream.sh into build/upstream), on the
# same vdevs, one after the other, for several rounds in one run. Prints a
# table: the median rate of ours and of upstream, and the ratio ours/upstream
# (min / median / max of the rounds' ratios); also in build/bench/results.txt.
#
#   ROUNDS=3     rounds; each runs every workload, ours and upstream in turn
#   DURATION=2   seconds measured per run
#   WARMUP=1     seconds run, unmeasured, before that
#   ONLY=REGEX   only the workloads whose name matches, e.g. ONLY=02 or ONLY='^01'
#   BENCH_OURS=DIR, BENCH_UPSTREAM=DIR   other builds to compare (A/B of a
#                change): DIR/NN_lab/<program> for ours, DIR/<program> for
#                upstream (then not rebuilt)
#   UPSTREAM_EXAMPLES=DIR   where DPDK's examples/multi_process is, when not
#                Debian's /usr/share/dpdk/examples/multi_process (dpdk-doc)
#
# Rates come from counters, never from how long a program ran: DPDK
# telemetry (/ethdev/stats on the primary's socket: every process's packets)
# for labs 02 and 03, the receiver's own output for lab 01's prompt, the
# programs' own TSC-timed counts for send_burst and ring_ceiling. Shared
# machines make absolute rates noisy; the ratios, measured round by round
# on the same machine a few seconds apart, much less so.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/harness.sh
. "$TOP/scripts/lib/harness.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-2}
WARMUP=${WARMUP:-1}
ONLY=${ONLY:-}
for knob in ROUNDS DURATION WARMUP; do
	if ! [[ ${!knob} =~ ^[1-9][0-9]*$ ]]; then
		echo "bench: $knob must be a whole number of at least 1, not '${!knob}'" >&2
		exit 2
	fi
done

OUT=$TOP/build/bench
# A DPDK outside the loader's paths: upstream's programs, built by their own
# Makefiles, have no RPATH to find it by (ours have, mk/lab.mk).
libdir=$(pkg-config --variable=libdir libdpdk 2>/dev/null || true)
case $libdir in
""|/usr/lib*) ;;
*) export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ;;
esac
TOOLS=$TOP/build/tools
OURS=${BENCH_OURS:-$TOP/build/solutions}
UPSTREAM=${BENCH_UPSTREAM:-$TOP/build/upstream}
READY="Finished Process Init."
# Every process dies after this long, whatever happens to this script.
H_PROC_TIMEOUT=$((WARMUP + DURATION + 60))
# Our own prefixes only: the clean-up removes what starts with this.
H_PREFIX_BASE="mpwbench$$_"

# The workloads: name, then a description for the table (program, vdevs,
# processes). The runner of "02 null 1" is run_02 with arguments null 1.
WORKLOADS=(
	"02 null 1|symmetric_mp|null,null|1"
	"02 null 2|symmetric_mp|null,null|2"
	"02 null+ring 1|symmetric_mp|null,ring|1"
	"02 null+ring 2|symmetric_mp|null,ring|2"
	"03 1|mp_server + mp_client|null,null|1+1"
	"03 2|mp_server + mp_client|null,null|1+2"
	"01 prompt|simple_mp, send at the prompt|none|1+1"
	"01 burst|simple_mp, send_burst|none|1+1"
	"ceiling 1|ring_ceiling, 1 lcore|none|1"
	"ceiling 2|ring_ceiling, 2 lcores|none|1"
)
# Workloads with no upstream twin: ours only.
OURS_ONLY="01 burst|ceiling 1|ceiling 2"

# --- running programs -------------------------------------------------------

# program IMPL NAME: the binary of program NAME, ours or upstream's.
program() {
	case $1/$2 in
	ours/symmetric_mp) echo "$OURS/02_symmetric_mp/symmetric_mp" ;;
	ours/mp_server | ours/mp_client) echo "$OURS/03_client_server/$2" ;;
	ours/simple_mp) echo "$OURS/01_simple_mp/simple_mp" ;;
	ours/ring_ceiling) echo "$TOOLS/ring_ceiling" ;;
	upstream/*) echo "$UPSTREAM/$2" ;;
	esac
}

# start NAME CMD...: start a DPDK program and wait until it is ready.
start() {
	local name=$1
	shift
	[ -x "$1" ] || { echo "bench: $1 is missing: run 'make' first" >&2; return 1; }
	h_start "$name" "$@"
	h_wait "$name" "$READY" 1 20 && return 0
	echo "bench: $name did not start: $(h_tail "$name" 3)" >&2
	return 1
}

# finish PREFIX NAME...: Ctrl-C for each program in turn (secondaries first:
# a primary that closes the ports under a running secondary can crash it),
# kill what is left, and remove the run's hugepage files and runtime dir.
finish() {
	local prefix=$1 name
	shift
	for name in "$@"; do
		h_sigint "$name"
		h_stop "$name" KILL
	done
	h_remove_prefix "$prefix"
}

FEEDER=
stop_feeder() {
	[ -n "$FEEDER" ] && kill "$FEEDER" 2>/dev/null && wait "$FEEDER" 2>/dev/null
	FEEDER=
}

# --- counters ----------------------------------------------------------------

# tx_packets PREFIX: packets sent out of ports 0 and 1 by every process,
# from the primary's telemetry socket.
tx_packets() {
	local socket=$H_RUNTIME/$1/dpdk_telemetry.v2 port count sum=0
	for port in 0 1; do
		count=$("$TOOLS/telemetry_query" "$socket" "/ethdev/stats,$port" 2>/dev/null |
			sed -n 's/.*"opackets": *\([0-9]*\).*/\1/p')
		[ -n "$count" ] || return 1
		sum=$((sum + count))
	done
	echo "$sum"
}

# received_lines NAME: the messages NAME's receivers printed so far.
received_lines() { h_count "$1" "Received 'hello'"; }

# cpu_ticks: the CPU time (in clock ticks) that the programs in MEASURED have
# used so far. How many cores a run really had tells a starved run (other
# work on the machine) from a slow one.
MEASURED=()
cpu_ticks() {
	local name pid ticks sum=0
	for name in "${MEASURED[@]}"; do
		pid=$(pgrep -P "${H_PID[$name]}" | head -n 1)
		ticks=$(awk '{ print $14 + $15 }' "/proc/${pid:-0}/stat" 2>/dev/null) || return 1
		sum=$((sum + ticks))
	done
	echo "$sum"
}

# snapshot COMMAND...: "NANOSECONDS COUNT TICKS", the time taken halfway
# through reading COMMAND's count.
snapshot() {
	local before after count ticks
	ticks=$(cpu_ticks) || return 1
	before=$(date +%s%N)
	count=$("$@") || return 1
	after=$(date +%s%N)
	echo "$(((before + after) / 2)) $count $ticks"
}

# measure COMMAND...: once traffic flows, wait WARMUP seconds, then print
# COMMAND's count per second over the next DURATION seconds, and the cores
# that the programs in MEASURED used meanwhile.
measure() {
	local first second deadline=$((SECONDS + 20))
	# Traffic may start late (our mp_server waits for its clients).
	until first=$(snapshot "$@") && [ "$(cut -d' ' -f2 <<<"$first")" -gt 0 ]; do
		[ $SECONDS -lt $deadline ] || { echo "bench: nothing flows in $RUN" >&2; return 1; }
		sleep 0.1
	done
	sleep "$WARMUP"
	first=$(snapshot "$@") || return 1
	sleep "$DURATION"
	second=$(snapshot "$@") || return 1
	echo "$first $second" | awk -v hz="$(getconf CLK_TCK)" '{
		printf "%.0f %.2f\n", ($5 - $2) * 1e9 / ($4 - $1), ($6 - $3) / hz * 1e9 / ($4 - $1) }'
}

# measure_tx STATUS PREFIX NAMES...: unless STATUS says the start failed,
# measure the ports' TX rate; then stop the processes NAMES (secondaries
# first) and print the rate, or fail.
measure_tx() {
	local status=$1 prefix=$2 rate
	shift 2
	MEASURED=("$@")
	[ "$status" = 0 ] && rate=$(measure tx_packets "$prefix") || status=1
	finish "$prefix" "$@"
	[ "$status" = 0 ] && echo "$rate"
}

# --- the workloads: each prints its rate (and the cores used), or fails ---

# run_02 IMPL VDEVS PROCS: symmetric_mp forwarding between ports 0 and 1,
# PROCS processes, each on its own queue and its own core.
run_02() {
	local impl=$1 procs=$3 prefix bin i status=0 names=() vdevs
	prefix=$(h_prefix "$RUN")
	bin=$(program "$impl" symmetric_mp)
	case $2 in
	null) vdevs=(--vdev=net_null0 --vdev=net_null1) ;;
	# The null port is the source: the ring port loops what it is sent back
	# to the same queue, which the same process polls.
	null+ring) vdevs=(--vdev=net_null0 --vdev=net_ring0) ;;
	esac
	for ((i = 0; i < procs; i++)); do
		names=("$RUN.p$i" "${names[@]}")	# secondaries first, for finish
		start "$RUN.p$i" "$bin" --lcores "$i@$i" --no-pci --file-prefix "$prefix" \
			--proc-type=auto "${vdevs[@]}" -- -p 3 --num-procs "$procs" --proc-id "$i" ||
			{ status=1; break; }
		vdevs=()	# secondaries get the ports from the primary
	done
	measure_tx "$status" "$prefix" "${names[@]}"
}

# run_03 IMPL CLIENTS: mp_server receives from two null ports and hands the
# packets to CLIENTS clients, which send them out of the paired port. The
# server has core 0; the clients share core 1.
run_03() {
	local impl=$1 clients=$2 prefix c status=0 names=()
	prefix=$(h_prefix "$RUN")
	names+=("$RUN.server")
	start "$RUN.server" "$(program "$impl" mp_server)" -l 0 --no-pci --file-prefix "$prefix" \
		--vdev=net_null0 --vdev=net_null1 -- -p 3 -n "$clients" || status=1
	for ((c = 0; c < clients && status == 0; c++)); do
		names=("$RUN.c$c" "${names[@]}")	# secondaries first, for finish
		start "$RUN.c$c" "$(program "$impl" mp_client)" --lcores "$((c + 1))@1" --no-pci \
			--file-prefix "$prefix" --proc-type=secondary -- -n "$c" || status=1
	done
	measure_tx "$status" "$prefix" "${names[@]}"
}

# start_simple_mp IMPL PREFIX: a primary and a secondary simple_mp.
start_simple_mp() {
	local bin
	bin=$(program "$1" simple_mp)
	start "$RUN.pri" "$bin" -l 0-1 --no-pci --file-prefix "$2" --proc-type=primary &&
		start "$RUN.sec" "$bin" --lcores 2@0,3@1 --no-pci --file-prefix "$2" --proc-type=secondary
}

# run_01 IMPL prompt: the primary's prompt is fed "send hello" lines as fast
# as it reads them (one word: upstream's send takes one); the secondary's
# receiver prints each message, and its lines are counted. Upstream's
# stdout is block-buffered into a file: its count lags by up to 4 KiB of
# lines (about 150) at each end of the interval.
# run_01 ours burst: `send_burst` at the primary, timed by the program
# itself: a calibration burst, a warm-up burst of WARMUP seconds, then the
# measured one of DURATION seconds. The secondary must have received all.
run_01() {
	local impl=$1 prefix rate status=0 n sent expected
	prefix=$(h_prefix "$RUN")
	start_simple_mp "$impl" "$prefix" || status=1
	if [ $status = 0 ] && [ "$2" = prompt ]; then
		yes "send hello" >&"${H_FD[$RUN.pri]}" &
		FEEDER=$!
		MEASURED=("$RUN.pri" "$RUN.sec")
		rate=$(measure received_lines "$RUN.sec") || status=1
		stop_feeder
	elif [ $status = 0 ]; then
		expected=0
		for n in 50000 warmup measured; do
			case $n in
			warmup) n=$(awk -v r="$rate" -v s="$WARMUP" 'BEGIN { printf "%.0f", r * s + 1000 }') ;;
			measured) n=$(awk -v r="$rate" -v s="$DURATION" 'BEGIN { printf "%.0f", r * s + 1000 }') ;;
			esac
			expected=$((expected + n))
			sent=$(h_count "$RUN.pri" "Sent ")
			h_send "$RUN.pri" "send_burst $n hello"
			if ! h_wait "$RUN.pri" "Sent " $((sent + 1)) $((DURATION * 10 + 30)); then
				echo "bench: send_burst $n did not finish: $(h_tail "$RUN.pri" 2)" >&2
				status=1
				break
			fi
			rate=$(grep "Sent " "${H_LOG[$RUN.pri]}" | tail -n 1 |
				sed -n "s/.*Sent $n of $n messages in .*: \([0-9]*\) messages per second.*/\1/p")
			[ -n "$rate" ] || { echo "bench: $(h_tail "$RUN.pri" 1)" >&2; status=1; break; }
		done
		[ $status = 0 ] && check_received "$expected" || status=1
	fi
	finish "$prefix" "$RUN.sec" "$RUN.pri"
	# The prompt's logs grow by the megabyte: keep only a failed run's.
	[ $status = 0 ] && rm -f "${H_LOG[$RUN.sec]}" "${H_LOG[$RUN.pri]}"
	[ $status = 0 ] && echo "$rate"
}

# check_received COUNT: the secondary's `stats` says it received COUNT.
check_received() {
	local line got
	h_send "$RUN.sec" stats
	h_wait "$RUN.sec" "Messages: sent" 1 5
	line=$(grep "Messages: sent" "${H_LOG[$RUN.sec]}" | tail -n 1)
	got=$(sed -n 's/.*received \([0-9]*\),.*/\1/p' <<<"$line")
	[ "$got" = "$1" ] && return 0
	echo "bench: the secondary received ${got:-?} messages, not $1: $line" >&2
	return 1
}

# run_ceiling ours LCORES: ring_ceiling on 1 lcore or across 2.
run_ceiling() {
	local prefix rate status=0 lcores=0
	prefix=$(h_prefix "$RUN")
	[ "$2" = 2 ] && lcores=0-1
	h_start "$RUN" "$(program ours ring_ceiling)" -l "$lcores" --no-pci --file-prefix "$prefix" \
		-- -s "$RING_SLOTS" -d "$DURATION" -w "$((WARMUP * 1000))"
	h_wait_exit "$RUN" $((WARMUP + DURATION + 20))
	rate=$(sed -n 's/^ring_ceiling: .*: \([0-9]*\) per second$/\1/p' "${H_LOG[$RUN]}")
	if [ "$H_STATUS" != 0 ] || [ -z "$rate" ]; then
		echo "bench: ring_ceiling failed: $(h_tail "$RUN" 2)" >&2
		status=1
	fi
	finish "$prefix" "$RUN"
	[ $status = 0 ] && echo "$rate"
}

# run WORKLOAD IMPL: one run; prints the rate, and the cores used where
# measured, or fails.
run() {
	local args
	read -r -a args <<<"$1"
	case ${args[0]} in
	02) run_02 "$2" "${args[@]:1}" ;;
	03) run_03 "$2" "${args[@]:1}" ;;
	01) run_01 "$2" "${args[@]:1}" ;;
	ceiling) run_ceiling "$2" "${args[@]:1}" ;;
	esac
}

# --- statistics and the table -------------------------------------------------

# stats VALUES...: "min median max" (the median of an even count: the mean
# of the middle two).
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%s %s %s\n", v[1], m, v[NR] }'
}

median() { stats "$@" | cut -d' ' -f2; }

# human RATE UNIT: 48123456 pkt/s -> "48.12 Mpkt/s".
human() {
	awk -v r="$1" -v u="$2" 'BEGIN {
		if (r >= 1e6) printf "%.2f M%s", r / 1e6, u
		else if (r >= 1e3) printf "%.1f k%s", r / 1e3, u
		else printf "%.0f %s", r, u }'
}

machine() {
	local model
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	echo "$(hostname), ${model:-unknown CPU}, $(nproc) cores, Linux $(uname -r)," \
		"DPDK $(pkg-config --modversion libdpdk), $(gcc --version | head -n 1)"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- main ---------------------------------------------------------------------

h_init bench "$TOP/solutions" "$OUT/work"
h_on_cleanup stop_feeder
for bin in "$TOOLS/ring_ceiling" "$TOOLS/telemetry_query"; do
	[ -x "$bin" ] || { echo "bench: $bin is missing: run 'make' first" >&2; exit 2; }
done
# ring_ceiling measures a ring of lab 01's size, as the compiler reads the
# solution's header (the tool itself reads no solution).
RING_SLOTS=$(echo RING_SIZE | "${CC:-cc}" -E -P -include "$TOP/solutions/01_simple_mp/shared.h" - 2>/dev/null | tail -n 1)
[[ $RING_SLOTS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: no RING_SIZE read from solutions/01_simple_mp/shared.h: '$RING_SLOTS'" >&2; exit 2; }
if [ -z "${BENCH_UPSTREAM:-}" ]; then
	"$TOP/scripts/bench/build_upstream.sh" || exit 2
fi

declare -A RATES	# [workload/impl] = the rounds' rates
declare -A CORES	# [workload/impl] = the rounds' cores used
declare -A RATIOS	# [workload] = the rounds' ours/upstream ratios
declare -A CORE_RATIOS	# [workload] = the same, of the rates per core used
START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
START_LOAD=$(load)
echo "bench: $ROUNDS rounds, each run measured for $DURATION s after $WARMUP s of warm-up"
for ((round = 1; round <= ROUNDS; round++)); do
	for entry in "${WORKLOADS[@]}"; do
		workload=${entry%%|*}
		[ -n "$ONLY" ] && ! [[ $workload =~ $ONLY ]] && continue
		if [[ "|$OURS_ONLY|" == *"|$workload|"* ]]; then
			impls=(ours)
		elif ((round % 2)); then
			impls=(ours upstream)	# alternate who goes first
		else
			impls=(upstream ours)
		fi
		declare -A got=()
		for impl in "${impls[@]}"; do
			RUN="r${round}_${workload// /_}_$impl"
			RUN=${RUN//+/_}
			if result=$(run "$workload" "$impl") && read -r rate cores <<<"$result" &&
					[ -n "$rate" ]; then
				got[$impl]=$rate
				got[$impl.cores]=$cores
				RATES[$workload/$impl]+=" $rate"
				[ -n "$cores" ] && CORES[$workload/$impl]+=" $cores"
				printf 'round %d  %-16s %-8s %12s /s  %s\n' "$round" "$workload" "$impl" "$rate" \
					"${cores:+(cores used: $cores)}"
			else
				printf 'round %d  %-16s %-8s FAILED (logs: %s)\n' "$round" "$workload" "$impl" "$(h_rel "$H_WORK")"
			fi
		done
		if [ -n "${got[ours]:-}" ] && [ -n "${got[upstream]:-}" ]; then
			RATIOS[$workload]+=" $(awk -v a="${got[ours]}" -v b="${got[upstream]}" 'BEGIN { printf "%.3f", a / b }')"
			if [ -n "${got[ours.cores]}" ] && [ -n "${got[upstream.cores]}" ]; then
				CORE_RATIOS[$workload]+=" $(awk -v a="${got[ours]}" -v b="${got[upstream]}" \
					-v ca="${got[ours.cores]}" -v cb="${got[upstream.cores]}" \
					'BEGIN { printf "%.3f", (ca > 0 && cb > 0) ? (a / ca) / (b / cb) : 0 }')"
			fi
		fi
		unset got
	done
done

# The table, in Markdown: it goes into the docs as it is.
table() {
	local entry workload program vdev procs unit ours upstream ratio cores impl per_core
	echo "Measured $START_DATE on $(machine)."
	echo "$ROUNDS rounds, $DURATION s measured after $WARMUP s of warm-up per run;" \
		"load average $START_LOAD before, $(load) after."
	echo
	echo "| program | vdev | processes | ours | upstream | ours/upstream min / median / max | cores used, ours / upstream | ours/upstream per core used, median |"
	echo "|---|---|---|---|---|---|---|---|"
	for entry in "${WORKLOADS[@]}"; do
		IFS='|' read -r workload program vdev procs <<<"$entry"
		[ -n "${RATES[$workload/ours]:-}" ] || continue
		unit=pkt/s
		[[ $workload == 01* || $workload == ceiling* ]] && unit=msg/s
		# shellcheck disable=SC2086 # the rates, one word each
		ours=$(human "$(median ${RATES[$workload/ours]})" "$unit")
		upstream=-
		ratio=-
		if [ -n "${RATES[$workload/upstream]:-}" ]; then
			# shellcheck disable=SC2086
			upstream=$(human "$(median ${RATES[$workload/upstream]})" "$unit")
		fi
		if [ -n "${RATIOS[$workload]:-}" ]; then
			# shellcheck disable=SC2086
			ratio=$(stats ${RATIOS[$workload]} | awk '{ printf "%.2f / %.2f / %.2f", $1, $2, $3 }')
		fi
		cores=
		for impl in ours upstream; do
			# shellcheck disable=SC2086
			[ -n "${CORES[$workload/$impl]:-}" ] &&
				cores+="${cores:+ / }$(printf '%.2f' "$(median ${CORES[$workload/$impl]})")"
		done
		per_core=-
		# shellcheck disable=SC2086
		[ -n "${CORE_RATIOS[$workload]:-}" ] && per_core=$(printf '%.2f' "$(median ${CORE_RATIOS[$workload]})")
		echo "| $program | $vdev | $procs | $ours | $upstream | $ratio | ${cores:--} | $per_core |"
	done
	ceilings
}

# ceilings: lab 01's medians as fractions of the ring's medians.
ceilings() {
	local workload name ceiling1 ceiling2 rate
	[ -n "${RATES[ceiling 1/ours]:-}" ] || return 0
	# shellcheck disable=SC2086
	ceiling1=$(median ${RATES[ceiling 1/ours]})
	# shellcheck disable=SC2086
	ceiling2=$(median ${RATES[ceiling 2/ours]:-0})
	echo
	for workload in "01 prompt" "01 burst"; do
		[ -n "${RATES[$workload/ours]:-}" ] || continue
		name=${workload#01 }
		# shellcheck disable=SC2086
		rate=$(median ${RATES[$workload/ours]})
		awk -v n="$name" -v r="$rate" -v c1="$ceiling1" -v c2="$ceiling2" 'BEGIN {
			printf "- simple_mp %s (ours): %.4f of the 1-lcore ring ceiling", n, r / c1
			if (c2 > 0) printf ", %.3f of the 2-lcore one", r / c2
			printf "\n" }'
	done
}

echo
table | tee "$OUT/results.txt"
