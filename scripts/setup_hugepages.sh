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
#   setup_hugepages.sh --group GROUP [--students N] [COUNT]
#                                also let the accounts of GROUP run the labs
#                                without root (the mount's group, mode 1770:
#                                no one else may write it), with enough pages
#                                for N students' checks at once
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
	sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'
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
	local want=$1 group=$2 have avail got mount
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
	[ -n "$group" ] || return 0
	# EAL takes the first hugetlbfs mount of its page size: that one.
	mount=$(hugetlbfs_mounts | head -n 1)
	{ chgrp "$group" "$mount" && chmod 1770 "$mount"; } ||
		die "cannot give $mount to group $group"
	say "the accounts of group $group may now run the labs without root ($mount: group $group, mode 1770)"
	say "to keep it after a reboot, add to /etc/fstab:"
	say "  nodev $mount hugetlbfs pagesize=2M,gid=$(getent group "$group" | cut -d: -f3),mode=1770 0 0"
	say "and to /etc/sysctl.d/80-hugepages.conf: vm.nr_hugepages = $want"
}

main() {
	local pages=$DEFAULT_PAGES count='' group='' students=''
	while [ $# -gt 0 ]; do
		case $1 in
		--status) status; return ;;
		--clean)
			{ [ "$1" = --clean ] && [ $# -le 2 ]; } || die "usage: $0 --clean [PREFIX]"
			/usr/bin/python3 "$PREFIXES" clean ${2:+"$2"} | sed 's/^/setup_hugepages: /'
			return ;;
		--group)
			[ $# -ge 2 ] || die "--group needs a group's name"
			getent group "$2" >/dev/null || die "there is no group '$2': make it first (groupadd $2), and add the students (usermod -aG $2 NAME)"
			group=$2
			shift ;;
		--students)
			[[ "${2:-}" =~ ^[1-9][0-9]{0,3}$ ]] || die "--students wants a number of students from 1 to 9999, not '${2:-}'"
			students=$2
			shift ;;
		-h|--help) usage; return ;;
		''|*[!0-9]*) die "unknown argument '$1' (expected a page count, --status, --clean or --group GROUP; see --help)" ;;
		*)
			# Digits only, so this compares as a number: no overflow.
			[ ${#1} -le 9 ] || die "$1 pages is more than any machine has: ask for fewer"
			[ "$1" -gt 0 ] || die "the page count must be at least 1"
			count=$((10#$1)) ;;
		esac
		shift
	done
	[ -z "$students" ] || [ -n "$group" ] || die "--students goes with --group GROUP"
	[ -z "$students" ] || [ -z "$count" ] || die "give --students N or a page count, not both"
	# A student's share: what one check holds at most (prefixes.py's figure).
	[ -z "$students" ] || pages=$((students * $(/usr/bin/python3 "$PREFIXES" pages-per-check)))
	[ -z "$count" ] || pages=$count
	reserve "$pages" "$group"
}

main "$@"
