#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run.sh demo|test|grade: the two commands of the README, for a fresh
# machine, and the instructor's autograding (autograding/). Installs the
# missing packages, reserves hugepages, then runs 'make demo' or 'make test',
# or for grade 'make check' on the student's labs/, whose score and failed
# checks also go to $GITHUB_STEP_SUMMARY when a CI sets it. Needs root;
# re-runs itself with sudo when it has not.
set -euo pipefail

cd "$(dirname "$0")/.."
case ${1:-} in
demo|test|grade) ;;
*) echo "usage: $0 demo|test|grade" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null ||
		{ echo "run.sh: DPDK needs root here, and there is no sudo: run it as root" >&2; exit 1; }
	echo "run.sh: DPDK needs root: running it with sudo"
	exec sudo --preserve-env=GITHUB_STEP_SUMMARY "$0" "$@"
fi

scripts/install_deps.sh
scripts/setup_hugepages.sh
[ "$1" = grade ] || exec make --no-print-directory "$1"

status=0
make --no-print-directory check || status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s build/check/results.json ]; then
	tests/lib/mpwcheck/results.py summary build/check/results.json >>"$GITHUB_STEP_SUMMARY"
fi
exit $status
