#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build DPDK's upstream multi-process examples, the twins of our solutions,
# for scripts/bench.sh: a copy of them (Debian's dpdk-doc installs them
# read-only) goes to build/upstream/src and is built there with its own
# Makefiles; the programs are linked as build/upstream/<program>. Nothing
# of it is ever written under the source tree or committed.
#
#   build_upstream.sh [EXAMPLES_DIR]   default: $UPSTREAM_EXAMPLES, else
#       Debian's /usr/share/dpdk/examples/multi_process (package dpdk-doc),
#       else <prefix>/share/dpdk/examples/multi_process of the DPDK that
#       pkg-config finds (a DPDK built from source installs them there)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEBIAN_EXAMPLES=/usr/share/dpdk/examples/multi_process
SRC=${1:-${UPSTREAM_EXAMPLES:-}}
prefix=$(pkg-config --variable=prefix libdpdk 2>/dev/null || true)
if [ -z "$SRC" ]; then
	SRC=$DEBIAN_EXAMPLES
	[ -d "$SRC" ] || [ -z "$prefix" ] || SRC=$prefix/share/dpdk/examples/multi_process
fi
# simple_mp's Makefile runs dpdk-cmdline-gen.py: a DPDK built from source
# keeps it in its own bin/.
[ -z "$prefix" ] || [ ! -d "$prefix/bin" ] || PATH=$prefix/bin:$PATH
OUT=$TOP/build/upstream
# Example directory, then the program it builds (as <dir>/build/<program>).
PROGRAMS=(simple_mp:simple_mp symmetric_mp:symmetric_mp
	client_server_mp/mp_server:mp_server client_server_mp/mp_client:mp_client)

if [ ! -d "$SRC/simple_mp" ]; then
	echo "build_upstream: no DPDK multi-process examples in $SRC (simple_mp/ is missing)." >&2
	echo "build_upstream: on Debian or Ubuntu, install dpdk-doc (they land in $DEBIAN_EXAMPLES);" >&2
	echo "build_upstream: elsewhere, name them: make bench UPSTREAM_EXAMPLES=/path/to/dpdk/examples/multi_process" >&2
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
