#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Fault suite, the reservation: every primary with no hugepages reserved
# (machine.sh --reservation). It takes the kernel's reservation away for an
# instant, so it runs alone.
exec "$(dirname "$0")/machine.sh" --reservation "$@"
