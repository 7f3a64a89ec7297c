#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make demo: each lab's solution at work on vdevs, narrated. No NIC needed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
status=0
for demo in "$TOP"/scripts/demo/[0-9][0-9]_*.sh; do
	"$demo" || status=1
done
exit $status
