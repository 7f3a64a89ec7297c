#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# sanitize_test.sh [--labs] [LAB...]: build every solution (or LAB's) with
# AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer
# (make SANITIZE=1, into build/sanitize/solutions/<lab>), run the lab's whole
# check on those binaries, and fail when the check fails or when any process
# reported an error. Reports: build/sanitize/reports/solutions/<lab>/ (ASan,
# LSan) and the processes' logs in build/sanitize/check/solutions/<lab>/
# (UBSan). --labs: the same on your code in labs/ (make check SANITIZE=1).
#
# What does not work with DPDK as is, and what this script does about it:
#
# - DPDK's memory. A primary reserves its hugepage memory at 4 GiB
#   (eal_get_baseaddr()), and every secondary must map it at the same
#   addresses. Under ASan that address is inside ASan's shadow memory
#   (0x7fff8000 to 0x10007fff7fff on x86_64), so the kernel puts DPDK's
#   memory wherever ASLR says (0x7f...), and about one secondary in twenty
#   finds that range taken in its own address space: "Cannot reserve ...
#   bytes at [0x7f...] - please use '--base-virtaddr'", a random failure.
#   So every program runs through a wrapper that adds
#   --base-virtaddr=0x200000000000 (32 TiB): above the shadow, below ASan's
#   heap (0x600000000000), away from where the kernel maps libraries. That is
#   for vdevs: a NIC that can address only 39 or 40 bits would need DPDK's
#   own low address (hence no sanitizer run on PORTS=).
# - What ASan does not see. DPDK comes from Debian, not built with ASan: its
#   heap (rte_malloc, mempools, rings, mbufs, memzones) lives in hugepages
#   with no redzones, so an overflow there goes unnoticed. ASan checks our
#   code's accesses to the stack, globals and malloc(); UBSan checks our code
#   (and DPDK's inline functions that it compiles in).
# - Leaks at exit. LeakSanitizer runs at every exit(), rte_exit() too, and
#   finds leaks inside DPDK's vdev bus and libpcap in most secondaries: those
#   two libraries are suppressed (tests/sanitize/lsan-suppressions.txt),
#   nothing else. A process killed with SIGKILL, as some checks do on
#   purpose, is not checked for leaks.
# - UBSan's reports. With ASan linked in, GCC 12's UBSan ignores log_path
#   and writes on stderr: the check's process logs are searched for them.
# - Lab 02's build with its test doubles (--wrap, tests/02_symmetric_mp/
#   refuse_*.c) is sanitized too (SANITIZE=1 reaches its make) but runs
#   without the wrapper: its check adds --base-virtaddr itself under
#   SANITIZE=1, for the secondary of tx_refused_freed. Its net_tap check runs as it
#   is (ip netns exec keeps the environment).
#
# Time: each lab's whole check, once: 1.5 to 2 times as long as without the
# sanitizers (45 to 55 s a lab on two busy cores). No subset was needed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2

VARIANT=solutions
if [ "${1:-}" = --labs ]; then
	VARIANT=labs
	shift
fi
# The labs of VARIANT: a student's copy (make template) has no solutions/.
if [ $# = 0 ]; then
	mapfile -t LABS < <(find "$VARIANT" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9]_*' -printf '%f\n' | sort)
else
	LABS=()
	for lab in "$@"; do
		match=$(find "$VARIANT" -mindepth 1 -maxdepth 1 -type d -name "${lab}*" -printf '%f\n' | head -n 1)
		[ -n "$match" ] || { echo "no lab matches '$lab'" >&2; exit 2; }
		LABS+=("$match")
	done
fi

# Where the primary reserves DPDK's memory: see above.
BASE_VIRTADDR=0x200000000000
# A sanitizer's error, as it starts in a report or in a process's log.
REPORT_RE='runtime error:|^==[0-9]+==ERROR: |^SUMMARY: [A-Za-z]+Sanitizer'

# The sanitizers' options: stop at the first error; ASan's and LSan's
# reports each in a file of their own (log_path.<program>.<pid>), which the
# checks do not read; whole stacks for leaks (DPDK has no frame pointers).
sanitizer_options() {
	local reports=$1
	export ASAN_OPTIONS="log_path=$reports/asan:log_exe_name=1:halt_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0"
	export LSAN_OPTIONS="suppressions=$TOP/tests/sanitize/lsan-suppressions.txt:print_suppressions=0"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:report_error_type=1"
}

# wrappers BUILD_DIR RUN_DIR: for each program of BUILD_DIR, a script of the
# same name in RUN_DIR that runs it with --base-virtaddr first. The check
# runs the scripts as it would the programs: each execs its program, same pid.
wrappers() {
	local prog
	rm -rf "$2"
	mkdir -p "$2"
	for prog in "$1"/*; do
		if [ -f "$prog" ] && [ -x "$prog" ]; then
			printf '#!/bin/sh\nexec %q --base-virtaddr=%s "$@"\n' "$prog" "$BASE_VIRTADDR" \
				>"$2/${prog##*/}"
			chmod +x "$2/${prog##*/}"
		fi
	done
}

# sanitized_check LAB: build, run the check, look for reports; false on any.
sanitized_check() {
	local lab=$1 src=$VARIANT/$1 build=$TOP/build/sanitize/$VARIANT/$1
	local bin=$TOP/build/sanitize/run/$VARIANT/$1 reports=$TOP/build/sanitize/reports/$VARIANT/$1
	local work=$TOP/build/sanitize/check/$VARIANT/$1 check found f ok=0
	echo "== $src: building with -fsanitize=address,undefined"
	make --no-print-directory -C "$src" SANITIZE=1 || return 1
	wrappers "$build" "$bin"
	rm -rf "$reports"
	mkdir -p "$reports"
	(
		sanitizer_options "$reports"
		# Lab 02 builds a variant of its own (--wrap): sanitized too.
		export SANITIZE=1
		# Prefixes and logs of our own, apart from the normal checks'; under
		# a base given (the suite's), which looks for leftovers of it.
		export H_PREFIX_BASE="${H_PREFIX_BASE:-mpw}$$_san_"
		export H_CHECK_ROOT=$TOP/build/sanitize/check
		"$TOP/tests/run_check.sh" "$lab" "$bin" "$src"
	)
	check=$?
	mapfile -t found < <(find "$reports" -type f; grep -lE "$REPORT_RE" "$work"/*.log 2>/dev/null)
	if [ ${#found[@]} != 0 ]; then
		echo "== $src: sanitizer errors in ${#found[@]} file(s):"
		for f in "${found[@]}"; do
			echo "-- ${f#"$TOP"/}"
			# A process log: only the report, which runs to the next blank line.
			if [[ "$f" == *.log ]]; then
				sed -nE "/$REPORT_RE/,/^\$/p" "$f"
			else
				cat "$f"
			fi
		done
		ok=1
	fi
	[ $check = 0 ] || { echo "== $src: the check failed on the sanitized build"; ok=1; }
	[ $ok = 0 ] && echo "== $src: no sanitizer error"
	return $ok
}

status=0
for lab in "${LABS[@]}"; do
	sanitized_check "$lab" || status=1
done
exit $status
