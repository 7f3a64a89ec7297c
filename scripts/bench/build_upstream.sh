#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build DPDK's upstream multi-process examples, the twins of our solutions,
# for scripts/bench.sh: a copy of them (Debian's dpdk-doc installs them
# read-only) goes to build/upstream/src and is built there with its own
# Makefiles; the programs are linked as build/upstream/<program>. Nothing
# of it is ever written under the source tree or committed.
#
#   build_upstream.sh [EXAMPLES_DIR]   default /usr/share/dpdk/examples/multi_process
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SRC=${1:-/usr/share/dpdk/examples/multi_process}
OUT=$TOP/build/upstream
# Example directory, then the program it builds (as <dir>/build/<program>).
PROGRAMS=(simple_mp:simple_mp symmetric_mp:symmetric_mp
	client_server_mp/mp_server:mp_server client_server_mp/mp_client:mp_client)

if [ ! -d "$SRC/simple_mp" ]; then
	echo "build_upstream: no DPDK examples in $SRC: install Debian's dpdk-doc (apt-get install dpdk-doc)" >&2
	exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r "$SRC" "$OUT/src"
for entry in "${PROGRAMS[@]}"; do
	dir=${entry%%:*}
	program=${entry#*:}
	echo "  UPSTREAM build/upstream/$program"
	if ! make -C "$OUT/src/$dir" >>"$OUT/build.log" 2>&1; then
		echo "build_upstream: building $dir failed; see build/upstream/build.log:" >&2
		tail -n 20 "$OUT/build.log" >&2
		exit 1
	fi
	ln -sf "src/$dir/build/$program" "$OUT/$program"
done
