#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# static_analysis.sh [cppcheck|clang-tidy]: analyse the C sources of
# solutions/ and common/ with one tool, or with both when no tool is named. Prints every
# finding, then a one-line list of them; exits 0 when there is none, 1 when
# there is any, 2 when a tool or DPDK is missing.
#
# The configurations: .clang-tidy (top directory) and
# tests/static/cppcheck-suppressions.txt, each saying why a check is off.
# Only solutions/ is analysed: labs/ is generated from it, and its TODO
# stubs are incomplete on purpose. DPDK's headers are read, as the compiler
# reads them, but findings in them are not reported.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
OUT=$TOP/build/static
CPPCHECK=${CPPCHECK:-cppcheck}
CLANG_TIDY=${CLANG_TIDY:-clang-tidy}
JOBS=${JOBS:-$(nproc)}

usage() { echo "usage: $0 [cppcheck|clang-tidy]" >&2; exit 2; }
[ $# -le 1 ] || usage
case ${1:-both} in
cppcheck | clang-tidy | both) ;;
*) usage ;;
esac

DPDK_CFLAGS=$(pkg-config --cflags libdpdk) ||
	{ echo "DPDK not found by 'pkg-config libdpdk': run scripts/install_deps.sh"; exit 2; }
read -ra DPDK <<<"$DPDK_CFLAGS"
# What mk/lab.mk adds to DPDK's flags.
LAB_CFLAGS=(-std=gnu11 -Wall -Wextra -DALLOW_EXPERIMENTAL_API -Icommon)
mapfile -t SOURCES < <(find solutions -path 'solutions/[0-9][0-9]_*/*.c' | sort; find common -name '*.c' | sort)
[ ${#SOURCES[@]} -gt 0 ] || { echo "no sources found in solutions/"; exit 2; }

need() {
	command -v "$1" >/dev/null ||
		{ echo "$1 is not installed: run scripts/install_deps.sh"; exit 2; }
}

# report TOOL LOG STATUS: print LOG (paths relative to the top) and a list
# of its findings, lines "file:line:col: severity: text [check]"; false when
# there is any, or when the tool exited with STATUS non-zero all the same.
report() {
	local tool=$1 log=$2 status=$3 findings
	sed -i "s|$TOP/||g" "$log"
	findings=$(grep -E '^[^ :]+:[0-9-]+:[0-9]+: (error|warning|style|performance|portability|information):' "$log")
	if [ -z "$findings" ] && [ "$status" = 0 ]; then
		echo "$tool: no finding in the ${#SOURCES[@]} C files of solutions/ and common/"
		return 0
	fi
	cat "$log"
	echo
	if [ -z "$findings" ]; then
		echo "$tool: exited with status $status (see above)"
	else
		echo "$tool: $(grep -c . <<<"$findings") finding(s):"
		echo "$findings"
	fi
	return 1
}

run_cppcheck() {
	local log=$OUT/cppcheck.log inc=() sup=() level=() dir spelling status
	need "$CPPCHECK"
	# The compiler's own macros (x86_64, SSE4.2 from -march, rte_config.h's):
	# cppcheck then reads DPDK's headers in the one configuration that is
	# built, instead of trying each #ifdef branch of them.
	"${CC:-cc}" "${LAB_CFLAGS[@]}" "${DPDK[@]}" -dM -E -x c /dev/null >"$OUT/predef.h" ||
		{ echo "cannot list the compiler's macros"; return 2; }
	for dir in $(printf '%s\n' "${DPDK[@]}" | sed -n 's/^-I//p'); do
		inc+=("-I$dir")
		# Findings in DPDK's headers are DPDK's, under either spelling;
		# no header of some of these directories is read: not a finding.
		for spelling in "$dir" "$(realpath -m "$dir")"; do
			# Each once: cppcheck 2.13 and later refuse a suppression
			# twice, and read a/b/../c as a/c.
			spelling=$(realpath -m -s "$spelling")
			[[ " ${sup[*]} " == *" --suppress=*:$spelling/* "* ]] ||
				sup+=("--suppress=*:$spelling/*" "--suppress=unmatchedSuppression:$spelling/*")
		done
	done
	# Newer cppcheck limits its branch analysis unless asked (2.11+).
	"$CPPCHECK" --help 2>/dev/null | grep -q -- --check-level && level=(--check-level=exhaustive)
	# --enable=all: also style, portability, unused functions, and
	# suppressions that no longer match anything (information).
	"$CPPCHECK" "${level[@]}" --enable=all --std=c11 --library=posix --library=dpdk \
		--inline-suppr --suppressions-list=tests/static/cppcheck-suppressions.txt \
		"${sup[@]}" "${inc[@]}" -Icommon --include="$OUT/predef.h" -DALLOW_EXPERIMENTAL_API \
		--error-exitcode=1 -q \
		--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
		"${SOURCES[@]}" >"$log" 2>&1
	status=$?
	# Not findings: cppcheck 2.13+'s count of its checkers, and its
	# "unmatched" for a warning that only some versions give.
	sed -i -E '/\[checkersReport\]$/d; /Unmatched suppression: (readdirCalled|constParameterCallback|staticFunction) \[unmatchedSuppression\]$/d' "$log"
	# --error-exitcode's 1 was for those alone when nothing else is left.
	[ "$status" = 1 ] && [ ! -s "$log" ] && status=0
	report cppcheck "$log" $status
}

run_clang_tidy() {
	local dir=$OUT/clang-tidy flags=() f status=0
	need "$CLANG_TIDY"
	# DPDK's headers as system headers: clang-tidy reports nothing in them.
	for f in "${DPDK[@]}"; do
		if [[ "$f" == -I* ]]; then flags+=(-isystem "${f#-I}"); else flags+=("$f"); fi
	done
	rm -rf "$dir"
	mkdir -p "$dir"
	# One file per process, JOBS at a time, each into its own log (and
	# its exit status, when not 0, into a .status file).
	# shellcheck disable=SC2016 # $1, $2 and $@ are the inner shell's
	printf '%s\0' "${SOURCES[@]}" | xargs -0 -P "$JOBS" -I{} sh -c \
		'log="$1/$(echo "$2" | tr / _)"; shift 2; "$@" >"$log.log" 2>&1 || echo $? >"$log.status"' \
		sh "$dir" {} "$CLANG_TIDY" --quiet {} -- "${LAB_CFLAGS[@]}" "${flags[@]}"
	compgen -G "$dir/*.status" >/dev/null && status=1
	# Without the compiler's counts ("54012 warnings generated"): those
	# are DPDK's, not reported.
	cat "$dir"/*.log | grep -vE '^[0-9]+ warnings? (generated|treated as errors)' >"$OUT/clang-tidy.log"
	report clang-tidy "$OUT/clang-tidy.log" $status
}

mkdir -p "$OUT"
status=0
if [ "${1:-both}" != clang-tidy ]; then
	run_cppcheck || status=$?
fi
if [ "${1:-both}" != cppcheck ]; then
	run_clang_tidy || status=$?
fi
exit $status
