#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault suite, the machine: every primary on a machine with no hugetlbfs
# mounted, no hugepages reserved, or run by a user who is not root; the
# non-root set-up that makes it work; and scripts/setup_hugepages.sh given
# bad arguments, no root, no mount, and dead processes' files.
#
# It runs in a mount namespace of its own: unmounting hugetlbfs or mounting
# a new one here changes nothing for the rest of the machine, and it may run
# beside other DPDK work. "No hugepages reserved" ("machine.sh
# --reservation", the part "reservation") shows EAL sysfs figures of 0 in
# that namespace; only with MACHINE=1 does it take the kernel's reservation,
# which is global, away for an instant.
set -uo pipefail
if [ -z "${F_IN_NAMESPACE:-}" ]; then
	exec env F_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
f_init "$([ "${1:-}" = --reservation ] && echo reservation || echo machine)"

NR_FILE=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
SETUP=$H_TOP/scripts/setup_hugepages.sh
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
NULLS=(--vdev net_null0 --vdev net_null1)
n=0
# pfx: the next prefix, in $p.
pfx() { n=$((n + 1)); p=$(h_prefix "m$n"); }

# primaries CASE MESSAGE [WRAPPER...]: each primary, run through WRAPPER,
# refused with MESSAGE.
primaries() {
	local case=$1 message=$2 p
	shift 2
	pfx
	f_refused "simple_mp: $case" "$message" "$p" \
		"$@" "$F_SOL/01_simple_mp/simple_mp" -l 0-1 --no-pci --file-prefix "$p"
	pfx
	f_refused "symmetric_mp: $case" "$message" "$p" \
		"$@" "$F_SOL/02_symmetric_mp/symmetric_mp" -l 0-1 --no-pci --file-prefix "$p" \
		"${NULLS[@]}" -- -p 3 --num-procs 1 --proc-id 0
	pfx
	f_refused "mp_server: $case" "$message" "$p" \
		"$@" "$F_SOL/03_client_server/mp_server" -l 0 --no-pci --file-prefix "$p" \
		"${NULLS[@]}" -- -p 3 -n 1
}

unmount_hugetlbfs() {
	local dir
	while read -r dir; do
		umount "$dir" || return 1
	done < <(h_hugetlbfs_mounts | sort -r)
}

# -- no hugepages reserved: the part "reservation" -----------------------------
# A machine without hugepages, in this namespace only: the kernel's figures
# read 0 (a file of "0" bound over each of sysfs's), and the one hugetlbfs
# holds no page (size=0), so that EAL's allocations fail as they would. The
# machine's reservation is never changed, unless MACHINE=1 asks for the real
# thing: it is then taken to 0 for well under a second, when no process
# holds a hugepage, and put back whatever happens.
if [ "$F_PART" = reservation ] && [ "${MACHINE:-}" != 1 ]; then
	zero=$H_WORK/zero
	echo 0 >"$zero"
	for f in /sys/kernel/mm/hugepages/hugepages-*/{nr,free,resv,surplus}_hugepages; do
		mount --bind "$zero" "$f" || break
	done
	if [ "$(cat "$NR_FILE")" = 0 ] && unmount_hugetlbfs &&
		mount -t hugetlbfs -o size=0 nodev /dev/hugepages; then
		primaries "no hugepages reserved" "no hugepages are reserved"
	else
		f_row "every primary: no hugepages reserved" "sysfs's figures 0 and a hugetlbfs of size 0, in a private namespace" \
			"the mounts failed: $(cat "$NR_FILE") pages; hugetlbfs on $(h_hugetlbfs_mounts | paste -sd ' ')" 1
	fi
	f_finish
	exit
fi
if [ "$F_PART" = reservation ]; then
	saved=$(cat "$NR_FILE")
	in_use=$(awk '/HugePages_Total/ { t = $2 } /HugePages_Free/ { f = $2 } END { print t - f }' /proc/meminfo)
	if [ "$in_use" != 0 ]; then
		f_row "every primary: no hugepages reserved (MACHINE=1)" "run while no process holds a hugepage" \
			"$in_use hugepages in use by processes of others: not run (it would take them from under them)" skip
	else
		h_on_cleanup "echo '$saved' > '$NR_FILE'"
		echo 0 >"$NR_FILE"
		primaries "no hugepages reserved (MACHINE=1)" "no hugepages are reserved"
		echo "$saved" >"$NR_FILE"
		# Memory may have fragmented meanwhile: say so if the pages did not all come back.
		[ "$(cat "$NR_FILE")" = "$saved" ] ||
			f_row "the reservation restored after 'no hugepages reserved'" "$saved pages" "$(cat "$NR_FILE") pages" 1
	fi
	f_finish
	exit
fi

# Binaries and scripts must be readable by nobody: a copy where they are
# (a clone under /root is not).
RO=$(mktemp -d /tmp/mpw_faults.XXXXXX)
h_on_cleanup "rm -rf '$RO'"
chmod 755 "$RO"
cp -r "$F_SOL" "$RO/solutions"
mkdir -p "$RO/scripts" "$RO/tests/lib/mpwcheck"
cp "$SETUP" "$RO/scripts/"
cp "$H_PREFIXES" "$RO/tests/lib/mpwcheck/"
chmod -R a+rX "$RO"

# -- no hugetlbfs mounted, then a fresh mount with root's default mode --------
if unmount_hugetlbfs; then
	primaries "no hugetlbfs mounted" "no hugetlbfs is mounted"
	out=$(timeout 60 "$SETUP" 2>&1)
	mounted=$(h_hugetlbfs_mounts)
	if [[ "$out" == *"mounted hugetlbfs on /dev/hugepages"* ]] && [ "$mounted" = /dev/hugepages ]; then
		f_row "setup_hugepages.sh: no hugetlbfs mounted" "it mounts one on /dev/hugepages" "$(tail -n 1 <<<"$out")" 0
	else
		f_row "setup_hugepages.sh: no hugetlbfs mounted" "it mounts one on /dev/hugepages" "$out; mounts: $mounted" 1
		mount -t hugetlbfs nodev /dev/hugepages
	fi
else
	f_row "every primary: no hugetlbfs mounted" "hugetlbfs unmounted in a private namespace" "umount failed" 1
fi

# -- not root ---------------------------------------------------------------------
F_SOL=$RO/solutions
# A runtime directory of their own: EAL's fallback, /tmp/dpdk, would stay
# nobody's, and no other account without one could run DPDK.
mkdir -m 777 "$RO/run"
primaries "run by nobody, without the non-root set-up" "not root, and no hugetlbfs mount is writable" \
	"${NOBODY[@]}" env XDG_RUNTIME_DIR="$RO/run"
F_SOL=$H_TOP/build/solutions

# With the set-up (a hugetlbfs this user may write, IOVA as virtual
# addresses, a runtime dir of its own), a primary and a secondary work.
USER_HUGE=$(mktemp -d /tmp/mpw_huge.XXXXXX)
USER_RUN=$(mktemp -d /tmp/mpw_run.XXXXXX)
h_on_cleanup "umount '$USER_HUGE' 2>/dev/null; rm -rf '$USER_HUGE' '$USER_RUN'"
chmod 777 "$USER_RUN"
case_user="simple_mp: run by nobody, with the non-root set-up (a hugetlbfs of its group's, mode 1770)"
if mount -t hugetlbfs -o "gid=$(getent group nogroup | cut -d: -f3),mode=1770" nodev "$USER_HUGE"; then
	pfx
	common=(--no-pci --file-prefix "$p" --huge-dir "$USER_HUGE" --iova-mode=va)
	h_start user1 "${NOBODY[@]}" env XDG_RUNTIME_DIR="$USER_RUN" \
		"$RO/solutions/01_simple_mp/simple_mp" -l 0-1 "${common[@]}" --proc-type=primary
	# The secondary only once the primary is up: one started at the same
	# time finds no primary, and its exit removes the runtime directory
	# that the primary is creating (both then fail: "Cannot init config").
	if h_wait user1 "APP: Finished Process Init." 1 15 &&
		h_start user2 "${NOBODY[@]}" env XDG_RUNTIME_DIR="$USER_RUN" \
			"$RO/solutions/01_simple_mp/simple_mp" --lcores 2@0,3@1 "${common[@]}" --proc-type=secondary &&
		h_wait user2 "APP: Finished Process Init." 1 15; then
		h_send user1 "send from nobody"
		if h_wait user2 "Received 'from nobody'" 1 5; then
			f_row "$case_user" "the secondary receives 'from nobody'" "$(grep -o "Received 'from nobody'" "${H_LOG[user2]}")" 0
		else
			f_row "$case_user" "the secondary receives 'from nobody'" "$(h_tail user2 1)" 1
		fi
	else
		f_row "$case_user" "both start" \
			"$(h_tail user1 1) / $(if [ -n "${H_LOG[user2]:-}" ]; then h_tail user2 1; else echo "no secondary started"; fi)" 1
	fi
	if [ -n "${H_LOG[user2]:-}" ]; then
		h_send user2 quit
		h_wait_exit user2 10
	fi
	h_send user1 quit
	h_wait_exit user1 10
	# The files of that mount hold hugepages until it goes.
	umount "$USER_HUGE"
else
	f_row "$case_user" "a hugetlbfs mount of group nogroup, mode 1770" "mount failed" 1
fi

# -- setup_hugepages.sh ---------------------------------------------------------------
# setup CASE MESSAGE ARGS...: refused, and the reservation left as it was.
setup() {
	local case=$1 message=$2 before
	shift 2
	before=$(cat "$NR_FILE")
	f_refused "setup_hugepages.sh $case" "$message" none "$@"
	[ "$(cat "$NR_FILE")" = "$before" ] ||
		f_row "setup_hugepages.sh $case: the reservation is unchanged" "$before pages" "$(cat "$NR_FILE") pages" 1
}
setup "lots" "unknown argument 'lots'" "$SETUP" lots
setup "-5" "unknown argument '-5'" "$SETUP" -5
setup "0" "the page count must be at least 1" "$SETUP" 0
setup "99999999999999999999 (overflowing)" "is more than any machine has" "$SETUP" 99999999999999999999
setup "99999999 (more than memory)" "but only" "$SETUP" 99999999
setup "99999, by nobody" "reserving hugepages needs root" "${NOBODY[@]}" bash "$RO/scripts/setup_hugepages.sh" 99999

out=$(timeout 60 "$SETUP" 2>&1) && out2=$(timeout 60 "$SETUP" 2>&1)
if [[ "$out2" == *"already reserved"*"already mounted"* ]]; then
	f_row "setup_hugepages.sh run twice" "the second run changes nothing" "$(paste -sd ' ' <<<"$out2")" 0
else
	f_row "setup_hugepages.sh run twice" "the second run changes nothing" "$out / $out2" 1
fi
if out=$(timeout 60 "${NOBODY[@]}" bash "$RO/scripts/setup_hugepages.sh" --status 2>&1) && [[ "$out" == "2 MiB hugepages: "* ]]; then
	f_row "setup_hugepages.sh --status, by nobody" "status 0 and the reservation" "$(head -n 1 <<<"$out")" 0
else
	f_row "setup_hugepages.sh --status, by nobody" "status 0 and the reservation" "$out" 1
fi

# --clean PREFIX: removes the files of a primary killed with SIGKILL, keeps a live one's.
pfx
dead=$p
pfx
live=$p
h_start dead "$F_SOL/01_simple_mp/simple_mp" -l 0 --no-pci --file-prefix "$dead"
h_start live "$F_SOL/01_simple_mp/simple_mp" -l 1 --no-pci --file-prefix "$live"
case_clean="setup_hugepages.sh --clean PREFIX"
if h_wait dead "APP: Finished Process Init." 1 15 && h_wait live "APP: Finished Process Init." 1 15; then
	h_stop dead KILL
	# Another account's --clean: it may open none of root's files, and keeps them all.
	out=$(timeout 60 "${NOBODY[@]}" bash "$RO/scripts/setup_hugepages.sh" --clean 2>&1)
	left_dead=$(f_files "$dead" | grep -c . || true)
	left_live=$(f_files "$live" | grep -c . || true)
	if [ "$left_dead" -gt 0 ] && [ "$left_live" -gt 0 ]; then
		f_row "setup_hugepages.sh --clean, by nobody" "root's files kept, dead and live" "$(tail -n 1 <<<"$out")" 0
	else
		f_row "setup_hugepages.sh --clean, by nobody" "root's files kept, dead and live" \
			"$left_dead files of the dead prefix, $left_live of the live one: $out" 1
	fi
	out=$(timeout 60 "$SETUP" --clean "$H_PREFIX_BASE" 2>&1)  # ours only: others may be starting
	left_dead=$(f_files "$dead" | grep -c . || true)
	left_live=$(f_files "$live" | grep -c . || true)
	if [ "$left_dead" = 0 ] && [ "$left_live" -gt 0 ] && [[ "$out" == *"keeping prefix $live"* ]]; then
		f_row "$case_clean" "a killed primary's files removed, a live one's kept" "$(grep -e "$dead" -e "$live" <<<"$out" | paste -sd ' ')" 0
	else
		f_row "$case_clean" "a killed primary's files removed, a live one's kept" \
			"$left_dead files of the dead prefix, $left_live of the live one: $out" 1
	fi
else
	f_row "$case_clean" "two primaries start" "$(h_tail dead 1) / $(h_tail live 1)" 1
fi
h_stop live

f_finish
