#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run.sh demo|test|grade: the two commands of the README, for a fresh
# machine, and the instructor's autograding (autograding/). Installs the
# missing packages, reserves hugepages, then runs 'make demo' or 'make test',
# or for grade 'make check' on the student's labs/, whose score and failed
# checks also go to $GITHUB_STEP_SUMMARY when a CI sets it. Not as root,
# it asks for sudo only for what needs it, and says which: the packages, the
# hugepages (reserved, and a hugetlbfs of this user's group), the test
# suite; the demo and the checks then run as this user.
set -euo pipefail

cd "$(dirname "$0")/.."
case ${1:-} in
demo|test|grade) ;;
*) echo "usage: $0 demo|test|grade" >&2; exit 2 ;;
esac
# Before installing anything: the demo and the suite need what a student's
# copy (make template) lacks.
[ "$1" = grade ] || [ -d solutions ] ||
	{ echo "run.sh $1: this is a student's copy of the workbook (made by make template), without the solutions and the test suite; the instructor's copy has them" >&2; exit 2; }

# hugepages_usable: some pages reserved, and a hugetlbfs mount this user may write.
hugepages_usable() {
	local _dev dir type _rest
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null || echo 0)" != 0 ] || return 1
	while read -r _dev dir type _rest; do
		[ "$type" = hugetlbfs ] && [ -w "$dir" ] && [ -x "$dir" ] && return 0
	done </proc/mounts
	return 1
}

# sudo_for WHY CMD...: CMD with sudo, after saying why it needs root.
sudo_for() {
	local why=$1
	shift
	command -v sudo >/dev/null ||
		{ echo "run.sh: $why needs root, and there is no sudo: run it as root" >&2; exit 1; }
	echo "run.sh: $why needs root: running '$*' with sudo"
	sudo --preserve-env=GITHUB_STEP_SUMMARY "$@"
}

if [ "$(id -u)" = 0 ]; then
	scripts/install_deps.sh
	scripts/setup_hugepages.sh
elif [ "$1" = test ]; then
	# The suite makes chroots, and mount and network namespaces.
	sudo_for "the test suite (chroots, namespaces)" "$0" "$@"
	exit
else
	# The demo and the checks run as this user; only what needs root asks.
	scripts/install_deps.sh >/dev/null 2>&1 || sudo_for "installing the missing packages" scripts/install_deps.sh
	if ! hugepages_usable; then
		if grep -qw hugetlbfs /proc/mounts && [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)" != 0 ]; then
			echo "run.sh: no hugetlbfs mount is writable by you: on a machine of your own, run 'sudo scripts/setup_hugepages.sh --group $(id -gn)'; on a shared lab server, ask its administrator to add you to the lab's group" >&2
			exit 1
		fi
		sudo_for "reserving hugepages" scripts/setup_hugepages.sh --group "$(id -gn)"
	fi
fi
[ "$1" = grade ] || exec make --no-print-directory "$1"

status=0
make --no-print-directory check || status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s build/check/results.json ]; then
	tests/lib/mpwcheck/results.py summary build/check/results.json >>"$GITHUB_STEP_SUMMARY"
fi
exit $status
