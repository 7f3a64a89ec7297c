#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tests/common/run.sh [--coverage]: build the unit test of common/
# (tests/common/test_common.c, tests/common/Makefile) into build/tests/common
# and run it: a line per case, then "N passed, N failed". Its files are in a
# directory of its own under the build, removed at the end; it reads none
# of the machine's DPDK files and starts no EAL.
# --coverage: built with gcov's counters, into build/coverage/common, where
# scripts/coverage.sh finds its counts for common/ (this run's alone).
# Exit status: non-zero when it does not build or a case fails.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
out=$TOP/build/tests/common
coverage=()
case ${1:-} in
--coverage)
	out=$TOP/build/coverage/common
	coverage=(COVERAGE=1)
	;;
'') ;;
*)
	echo "usage: $0 [--coverage]" >&2
	exit 2
	;;
esac

make --no-print-directory -C "$TOP/tests/common" BUILD_DIR="$out" "${coverage[@]}" || exit 1
# A .gcda adds to what it holds: this run's counts alone.
rm -f "$out"/*.gcda
"$out/test_common" "$out"
