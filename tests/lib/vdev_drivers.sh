#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vdev_drivers.sh CMD...: runs CMD where DPDK loads only the drivers of the
# virtual devices that the checks use.
#
# A shared DPDK's EAL loads every driver of its plugin directory at each
# start, whatever the program uses: Debian's 22.11 has 128 of them, which
# take a process's start from 0.04 to 0.13 CPU-s here, and the suite starts
# a thousand. CMD runs in a mount namespace of its own, in which a copy of
# just these drivers (and what they need of that directory) lies over the
# plugin directory. The processes of one multi-process group must load the
# same drivers: CMD's all do, and nothing outside CMD joins them (each run
# has its own --file-prefix). CMD runs as it is where this cannot be done:
# not root, no unshare, no plugin directory; and inside a run of this script.
set -uo pipefail

[ $# -gt 0 ] || { echo "usage: $0 CMD..." >&2; exit 2; }
# In the namespace: the copy over the plugin directory, then CMD.
if [ "$1" = --inside ]; then
	mount --bind "$2" "$3" 2>/dev/null || echo "vdev_drivers: every DPDK driver is loaded ($3)" >&2
	shift 3
	exec "$@"
fi
[ -z "${MPW_VDEV_DRIVERS:-}" ] || exec "$@"
export MPW_VDEV_DRIVERS=1

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DRIVERS="bus_vdev mempool_ring net_null net_pcap net_ring net_tap"

# The directory that librte_eal loads its drivers from, as dpdk-pmdinfo.py
# finds it: the DPDK_PLUGIN_PATH string in the library.
eal=$(pkg-config --variable=libdir libdpdk 2>/dev/null)/librte_eal.so
dir=$(grep -aom1 'DPDK_PLUGIN_PATH=[^[:cntrl:]]*' "$eal" 2>/dev/null | cut -d= -f2-)
if [ -z "$dir" ] || [ ! -d "$dir" ] || [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
	exec "$@"
fi

# The copy, one per plugin directory, made once (whole, or not at all).
copy=$TOP/build/vdev-drivers/$(echo "${dir#/}" | tr / _)
if [ ! -e "$copy/.complete" ]; then
	mkdir -p "$TOP/build/vdev-drivers"
	tmp=$(mktemp -d "$copy.XXXXXX") || exit 2
	chmod 755 "$tmp"
	todo=$DRIVERS
	while [ -n "$todo" ]; do
		next=
		for name in $todo; do
			[ -e "$tmp/librte_$name.so" ] && continue
			cp -P "$dir/librte_$name.so"* "$tmp/" 2>/dev/null || continue
			# What it needs of the plugin directory (22.11's net drivers: bus_pci).
			next+=" $(readelf -d "$tmp/librte_$name.so" 2>/dev/null |
				sed -n 's/.*Shared library: \[librte_\(.*\)\.so\..*\]/\1/p' |
				while read -r lib; do [ -e "$dir/librte_$lib.so" ] && echo "$lib"; done)"
		done
		todo=$(echo "$next" | xargs)
	done
	touch "$tmp/.complete"
	mv -T "$tmp" "$copy" 2>/dev/null || rm -rf "$tmp"
fi
exec unshare --mount --propagation private "$0" --inside "$copy" "$dir" "$@"
