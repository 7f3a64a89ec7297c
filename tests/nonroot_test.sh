#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# nonroot_test.sh: students without root on a shared lab server. Once the
# machine is set up as an instructor does it (a hugetlbfs that the students'
# group may write: setup_hugepages.sh --group), two accounts run the checks
# of the solutions at the same time (labs 02 and 03), each in a copy of its
# own, and both get full marks; then one runs lab 01's skeleton, which must fail
# naming TODO 1.
# Bare uids and a gid of no account (setpriv), in a private mount namespace
# whose hugetlbfs is its own: nothing of the machine's changes. The copies
# take this tree's builds, so that nothing is compiled again.
set -uo pipefail
[ -n "${NONROOT_IN_NS:-}" ] || exec env NONROOT_IN_NS=1 unshare --mount --propagation private "$0" "$@"

TOP=$(cd "$(dirname "$0")/.." && pwd)
GROUP_ID=64000
USERS=(64001 64002)
# Under /tmp: a clone under /root is not readable by others.
WORK=$(mktemp -d /tmp/mpw-nonroot.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
fail() { echo "FAIL: $*"; exit 1; }

# The instructor's set-up, in this namespace: a hugetlbfs of the group's.
mount -t hugetlbfs -o "gid=$GROUP_ID,mode=1770" nodev /dev/hugepages || fail "cannot mount a hugetlbfs"

# as UID CMD...: CMD as that account, in its copy, with a clean environment.
as() {
	local uid=$1
	shift
	setpriv --reuid="$uid" --regid="$GROUP_ID" --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$WORK/$uid" "$@"
}

for uid in "${USERS[@]}"; do
	mkdir -p "$WORK/$uid/labs" "$WORK/$uid/build/labs"
	# Times kept (tar), so that make finds the builds up to date.
	(cd "$TOP" && tar -cf - Makefile mk common solutions tools tests scripts build/solutions build/tools) |
		tar -C "$WORK/$uid" -xf - || fail "cannot copy the tree"
	(cd "$TOP/build/pristine" && tar -cf - 01_simple_mp) | tar -C "$WORK/$uid/labs" -xf -
	(cd "$TOP/build/pristine/bin" && tar -cf - 01_simple_mp) | tar -C "$WORK/$uid/build/labs" -xf -
	chown -R "$uid:$GROUP_ID" "$WORK/$uid"
done

# A lab each, at once, the two whose processes share the most memory (ports,
# pools and rings): both accounts' on the group's hugetlbfs together (each
# lab's own check is a row of make test already).
halves=(02 03)
for i in "${!USERS[@]}"; do
	as "${USERS[i]}" make --no-print-directory -C "$WORK/${USERS[i]}" check SOLUTION=1 LAB="${halves[i]}" \
		>"$WORK/${USERS[i]}.log" 2>&1 &
done
wait
status=0
for uid in "${USERS[@]}"; do
	# The lab's closing line: every check passed, none left unjudged.
	line=$(grep -E "^== [0-9]{2}_[a-z_]+: [0-9]+ passed, " "$WORK/$uid.log" | tail -n 1)
	if [[ "$line" =~ ^"== "[0-9]{2}_[a-z_]+": "[1-9][0-9]*" passed, 0 failed"$ ]]; then
		echo "uid $uid, not root: $line"
	else
		echo "FAIL: uid $uid, not root: ${line:-no total}"
		grep -E "^FAIL|look at|saw:" "$WORK/$uid.log" | head -n 12
		status=1
	fi
done

uid=${USERS[0]}
as "$uid" make --no-print-directory -C "$WORK/$uid" check LAB=01 >"$WORK/skeleton.log" 2>&1
if grep -q "look at: *TODO 1 in labs/01_simple_mp/" "$WORK/skeleton.log" && ! grep -q " 0 failed" "$WORK/skeleton.log"; then
	echo "uid $uid, not root: lab 01's skeleton fails, naming TODO 1"
else
	echo "FAIL: uid $uid, not root: lab 01's skeleton:"
	tail -n 8 "$WORK/skeleton.log"
	status=1
fi
exit $status
