#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reserve 2 MiB hugepages and mount hugetlbfs for the workbook's labs.
#
#   setup_hugepages.sh [COUNT]   reserve COUNT pages (default 512 = 1 GiB), mount
#                                hugetlbfs on /dev/hugepages if nothing is mounted
#   setup_hugepages.sh --status  show the reservation, the mounts and DPDK's files
#   setup_hugepages.sh --clean [PREFIX]   remove hugepage files and runtime
#                                dirs that no DPDK process holds (only
#                                prefixes starting with PREFIX); the files
#                                of others are kept, whoever runs it
#   setup_hugepages.sh --user    also let non-root users run the labs (mode 1777)
#
# Idempotent: running it twice changes nothing the second time.
set -euo pipefail

readonly DEFAULT_PAGES=512
readonly NR_FILE=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
readonly MOUNT_POINT=/dev/hugepages
# The test library's prefix tool: DPDK's runtime directory for this user,
# and whether a process holds a prefix's files (its locks, as EAL decides).
PREFIXES=$(cd "$(dirname "$0")/.." && pwd)/tests/lib/mpwcheck/prefixes.py
readonly PREFIXES

die() { echo "setup_hugepages: $*" >&2; exit 1; }
say() { echo "setup_hugepages: $*"; }

usage() {
	sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//'
}

hugetlbfs_mounts() {
	awk '$3 == "hugetlbfs" { print $2 }' /proc/mounts
}

status() {
	local total free mounts
	total=$(cat "$NR_FILE" 2>/dev/null || echo 0)
	free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
	mounts=$(hugetlbfs_mounts | tr '\n' ' ')
	echo "2 MiB hugepages: $total reserved, $free free"
	echo "hugetlbfs mounted on: ${mounts:-nothing}"
	/usr/bin/python3 "$PREFIXES" status
}

reserve() {
	local want=$1 user_mode=$2 have avail got
	[ -w "$NR_FILE" ] || [ "$(id -u)" = 0 ] ||
		die "reserving hugepages needs root: run 'sudo $0 $want'"
	[ -e "$NR_FILE" ] ||
		die "this kernel has no 2 MiB hugepages ($NR_FILE missing): enable CONFIG_HUGETLBFS"
	grep -qw hugetlbfs /proc/filesystems ||
		die "this kernel has no hugetlbfs (not in /proc/filesystems)"

	have=$(cat "$NR_FILE")
	if [ "$have" -ge "$want" ]; then
		say "$have hugepages of 2 MiB already reserved (asked for $want)"
	else
		# The kernel would take every page it can find, starving the
		# machine: refuse what memory cannot give, before asking.
		avail=$(awk '/^MemAvailable:/ { print int($2 / 2048) }' /proc/meminfo)
		[ $((want - have)) -le "$avail" ] ||
			die "asked for $want hugepages ($((want * 2)) MiB), but only $avail more fit in the available memory: ask for fewer"
		echo "$want" > "$NR_FILE" 2>/dev/null ||
			die "cannot write $NR_FILE (not root, or a container that forbids it)"
		got=$(cat "$NR_FILE")
		if [ "$got" -lt "$want" ]; then
			echo "$have" > "$NR_FILE"	# as it was: no half-done reservation
			die "asked for $want hugepages, the kernel gave only $got (memory is fragmented): ask for fewer, or reboot and ask early"
		fi
		say "reserved $got hugepages of 2 MiB"
	fi

	if [ -z "$(hugetlbfs_mounts)" ]; then
		mkdir -p "$MOUNT_POINT"
		mount -t hugetlbfs nodev "$MOUNT_POINT" ||
			die "cannot mount hugetlbfs on $MOUNT_POINT"
		say "mounted hugetlbfs on $MOUNT_POINT"
	else
		say "hugetlbfs already mounted on $(hugetlbfs_mounts | tr '\n' ' ')"
	fi
	if [ "$user_mode" = 1 ]; then
		chmod 1777 "$(hugetlbfs_mounts | head -n 1)"
		say "non-root users may now use $(hugetlbfs_mounts | head -n 1); run the labs with --iova-mode=va"
	fi
}

main() {
	local pages=$DEFAULT_PAGES user_mode=0 arg
	for arg in "$@"; do
		case $arg in
		--status) status; return ;;
		--clean)
			{ [ "$1" = --clean ] && [ $# -le 2 ]; } || die "usage: $0 --clean [PREFIX]"
			/usr/bin/python3 "$PREFIXES" clean ${2:+"$2"} | sed 's/^/setup_hugepages: /'
			return ;;
		--user) user_mode=1 ;;
		-h|--help) usage; return ;;
		''|*[!0-9]*) die "unknown argument '$arg' (expected a page count, --status, --clean or --user; see --help)" ;;
		*)
			# Digits only, so this compares as a number: no overflow.
			[ ${#arg} -le 9 ] || die "$arg pages is more than any machine has: ask for fewer"
			[ "$arg" -gt 0 ] || die "the page count must be at least 1"
			pages=$((10#$arg)) ;;
		esac
	done
	reserve "$pages" "$user_mode"
}

main "$@"
