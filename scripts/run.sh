#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run.sh demo|test: the two commands of the README, for a fresh machine.
# Installs the missing packages, reserves hugepages, then runs 'make demo'
# or 'make test'. Needs root; re-runs itself with sudo when it has not.
set -euo pipefail

cd "$(dirname "$0")/.."
case ${1:-} in
demo|test) ;;
*) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null ||
		{ echo "run.sh: DPDK needs root here, and there is no sudo: run it as root" >&2; exit 1; }
	echo "run.sh: DPDK needs root: running it with sudo"
	exec sudo "$0" "$@"
fi

scripts/install_deps.sh
scripts/setup_hugepages.sh
exec make --no-print-directory "$1"
