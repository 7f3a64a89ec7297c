#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run.sh [--suite] [DISTRO...]: the workbook on other Debian releases, each in
# a fresh minimal chroot (tests/distros/lib.sh), as a newcomer gets it: the
# commit under test (HEAD) is cloned inside and the README's commands run
# there as root.
#
#   run.sh trixie forky          make test's rows: the demo, every lab's check
#                                on the solutions (pass) and the skeletons
#                                (fail, naming a TODO); one row each
#   run.sh --suite bookworm ...  the whole suite inside each (make test-distros)
#
# Prints a row per result, "PASS|FAIL  DISTRO (...): what  (Ns)", and writes
# them to build/test/distros/rows.tsv (result, distro, what, seconds, log)
# for make test (tests/suite/test_distros.py). Logs in build/test/distros/DISTRO/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=lib.sh
. "$TOP/tests/distros/lib.sh"

mode=rows
if [ "${1:-}" = --suite ]; then
	mode=suite
	shift
fi
[ $# -gt 0 ] || set -- trixie forky
for d in "$@"; do
	distro_version "$d" >/dev/null ||
		{ echo "distros: unknown distribution '$d' (bookworm, trixie, forky)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "distros: chroots need root: run it with sudo" >&2; exit 2; }
for tool in unshare chroot git tar; do
	command -v "$tool" >/dev/null || { echo "distros: $tool is missing" >&2; exit 2; }
done

COMMIT=$(git -C "$TOP" rev-parse HEAD) || exit 2
[ -z "$(git -C "$TOP" status --porcelain --untracked-files=no)" ] ||
	echo "distros: testing the commit HEAD: what is not committed is not in it"

OUT=${DISTRO_LOGS:-$TOP/build/test/distros}
mkdir -p "$OUT"
ROWS=$OUT/rows.tsv
: >"$ROWS"
# A whole suite inside takes what the suite takes here, with the install.
if [ $mode = suite ]; then BOUND=${DISTRO_TIMEOUT:-3600}; else BOUND=${DISTRO_TIMEOUT:-1800}; fi

WORK=
ENTER=
cleanup() {
	# The chroot's unshare: killing it kills its PID namespace, and with
	# it every process inside (--kill-child).
	if [ -n "$ENTER" ]; then
		pkill -KILL -f -- "enter $WORK/root" 2>/dev/null	# timeout and unshare
		kill -KILL "$ENTER" 2>/dev/null
		wait "$ENTER" 2>/dev/null
		ENTER=
	fi
	# The namespaces are gone with their last process: no mount is left
	# under WORK, and --one-file-system would not cross one anyway.
	[ -n "$WORK" ] && rm -rf --one-file-system "$WORK"
	WORK=
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM HUP

# row RESULT DISTRO WHAT SECONDS LOG
row() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"
	if [ "$1" = PASS ]; then
		printf 'PASS  %s: %s  (%ss)\n' "$2" "$3" "$4"
	else
		printf 'FAIL  %s: %s  (%ss, %s)\n' "$2" "$3" "$4" "${5#"$TOP"/}"
	fi
}

# enter ROOT DISTRO CMD...: run CMD in the chroot ROOT, in mount and PID
# namespaces of its own. Every mount below is private to them, and every
# process inside dies with them: nothing reaches or stays on the host.
enter() {
	local root=$1 name=$2
	shift 2
	# shellcheck disable=SC2016 # the inner shell's variables
	timeout -k 10 "$BOUND" unshare --mount --propagation private --pid --fork --kill-child \
		bash -euc '
		root=$1 apt=$2
		shift 2
		mount --bind "$root" "$root"	# ip netns needs / to be a mount point
		mount --rbind /dev "$root/dev"
		# A hugetlbfs of its own: the files of its DPDK processes are its alone.
		mount -t hugetlbfs -o pagesize=2M nodev "$root/dev/hugepages"
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount -t tmpfs tmpfs "$root/run"	# /var/run/dpdk, /run/netns
		mkdir -p "$root/run/netns" "$root/run/lock"
		mount --bind "$apt" "$root/var/cache/apt/archives"
		cp /etc/resolv.conf "$root/etc/resolv.conf"
		exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=dumb "$@"' \
		enter "$root" "$DISTRO_CACHE/$name-apt" "$@"
}

# one DISTRO: a fresh chroot of DISTRO, the commit cloned inside, the rows.
one() {
	local name=$1 label tarball logs start status summary
	label="$name ($(distro_version "$name"))"
	logs=$OUT/$name
	rm -rf "$logs"
	mkdir -p "$logs"
	start=$SECONDS
	if ! tarball=$(distro_tarball "$name" 2>"$logs/chroot.log"); then
		row FAIL "$label" "a minimal chroot is made with debootstrap" $((SECONDS - start)) "$logs/chroot.log"
		return
	fi
	WORK=$(mktemp -d "/var/tmp/mpw-distro-$name.XXXXXX")
	mkdir -p "$WORK/root" "$DISTRO_CACHE/$name-apt/partial"
	tar -C "$WORK/root" -xf "$tarball"
	chmod 755 "$WORK/root"	# the chroot's /: a cached tarball may say 0700
	git clone -q "$TOP" "$WORK/root/root/workbook" &&
		git -C "$WORK/root/root/workbook" checkout -q --detach "$COMMIT"
	echo "distros: $label, commit ${COMMIT:0:7}; its chroot made in $((SECONDS - start)) s"
	status=0
	# In the background, so that a signal to this script stops it at once
	# (bash runs a trap only once a foreground child has ended).
	enter "$WORK/root" "$name" bash /root/workbook/tests/distros/inside.sh "$mode" \
		>"$logs/inside.log" 2>&1 </dev/null &
	ENTER=$!
	wait "$ENTER" || status=$?
	ENTER=
	cp -r "$WORK/root/root/distro-logs/." "$logs/" 2>/dev/null
	# The inner suite's own logs (rows, fault matrix, checks) go with the
	# chroot otherwise.
	for d in test faults check; do
		[ -d "$WORK/root/root/workbook/build/$d" ] && cp -r "$WORK/root/root/workbook/build/$d" "$logs/build-$d"
	done
	# The suite's closing line and DPDK's version, in its row.
	summary=$(cat "$logs/summary" 2>/dev/null)
	if [ -s "$logs/rows.tsv" ]; then
		while IFS=$'\t' read -r result what secs log; do
			row "$result" "$label" "$what${summary:+: $summary}" "$secs" "$logs/$log"
		done <"$logs/rows.tsv"
	fi
	# Fewer rows than planned: the chroot itself failed or timed out.
	[ "$status" = 0 ] || [ "$status" = 1 ] ||
		row FAIL "$label" "the chroot's run ends by itself (status $status)" $((SECONDS - start)) "$logs/inside.log"
	[ -s "$logs/rows.tsv" ] ||
		row FAIL "$label" "the chroot's run reports its rows" $((SECONDS - start)) "$logs/inside.log"
	cleanup
}

for d in "$@"; do
	one "$d"
done
echo "$(grep -c '^PASS' "$ROWS") passed, $(grep -c '^FAIL' "$ROWS") failed"
! grep -q '^FAIL' "$ROWS"
