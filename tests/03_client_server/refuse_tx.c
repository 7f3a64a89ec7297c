/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for TX queues that refuse frames, as a full queue of a NIC
 * does (net_pcap's and net_null's never do). Linked with
 * -Wl,--wrap=rte_memzone_lookup into a build of lab 03 of the check's own.
 *
 * In a process whose environment has MPW_REFUSE_TX, its first
 * rte_memzone_lookup() (a client's, as it attaches to the server: its ports
 * are probed by then) adds mpw_refuse_odd() (tests/lib/doubles/refuse_odd.h)
 * to every TX queue of every port: rte_eth_tx_burst() then refuses exactly
 * the frames of odd length, still the caller's to free or to send again.
 * MPW_REFUSE_TX=bursts also refuses a whole burst whose first frame is of
 * odd length, as a queue that is full refuses all (it returns 0).
 * A callback is per process, and lab 02's tests/02_symmetric_mp/refuse_tx.c
 * does the same on its own hook.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "../lib/doubles/refuse_odd.h"

const struct rte_memzone *__real_rte_memzone_lookup(const char *name);
const struct rte_memzone *__wrap_rte_memzone_lookup(const char *name);

const struct rte_memzone *
__wrap_rte_memzone_lookup(const char *name)
{
	static int done;
	const char *mode = getenv("MPW_REFUSE_TX");

	if (mode != NULL && !done) {
		done = 1;
		mpw_refuse_odd_everywhere(mode);
	}
	return __real_rte_memzone_lookup(name);
}
