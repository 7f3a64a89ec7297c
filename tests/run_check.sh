#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run_check.sh LAB BIN_DIR SRC_DIR: run LAB's check on the programs in BIN_DIR,
# built from SRC_DIR (a lab, a solution, or a mutant of the TODO tests).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
[ $# = 3 ] || { echo "usage: $0 LAB BIN_DIR SRC_DIR" >&2; exit 2; }
check=$TOP/tests/$1/check.sh
[ -x "$check" ] || { echo "run_check: no check for lab '$1' ($check)" >&2; exit 2; }
bin=$(cd "$2" && pwd) || exit 2
src=$(cd "$3" && pwd) || exit 2
exec "$check" "$bin" "$src"
