/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for TX queues that refuse frames, as a full queue of a NIC
 * does (net_pcap's and net_null's never do). Linked with
 * -Wl,--wrap=rte_memzone_lookup into a build of lab 03 of the check's own.
 *
 * In a process whose environment has MPW_REFUSE_TX, its first
 * rte_memzone_lookup() (a client's, as it attaches to the server: its ports
 * are probed by then) adds a TX callback to every TX queue of every port:
 * the callback moves the frames of odd length to the end of the burst, in
 * order, and hands the driver only the others. rte_eth_tx_burst() then
 * returns the number of even-length frames: the refused ones are exactly
 * the odd-length ones, still the caller's to free or to send again.
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

const struct rte_memzone *__real_rte_memzone_lookup(const char *name);
const struct rte_memzone *__wrap_rte_memzone_lookup(const char *name);

/** Longest burst the callback reorders; a client sends at most 32 at once. */
#define MAX_BURST 64

/** The TX callback: the even-length frames first, and only they are sent. */
static uint16_t
refuse_odd(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[],
		uint16_t nb_pkts, void *user_param)
{
	struct rte_mbuf *odd[MAX_BURST];
	uint16_t nb_even = 0, nb_odd = 0, i;

	(void)port_id;
	(void)queue;
	if (nb_pkts > MAX_BURST)
		return nb_pkts;
	/* user_param: whole bursts too (MPW_REFUSE_TX=bursts). */
	if (user_param != NULL && nb_pkts > 0 && (rte_pktmbuf_pkt_len(pkts[0]) & 1))
		return 0;
	for (i = 0; i < nb_pkts; i++) {
		if (rte_pktmbuf_pkt_len(pkts[i]) & 1)
			odd[nb_odd++] = pkts[i];
		else
			pkts[nb_even++] = pkts[i];
	}
	for (i = 0; i < nb_odd; i++)
		pkts[nb_even + i] = odd[i];
	return nb_even;
}

const struct rte_memzone *
__wrap_rte_memzone_lookup(const char *name)
{
	static int whole, added = -1;
	const char *mode = getenv("MPW_REFUSE_TX");
	struct rte_eth_dev_info info;
	uint16_t port, q;

	if (mode != NULL && added < 0) {
		added = 0;
		RTE_ETH_FOREACH_DEV(port) {
			if (rte_eth_dev_info_get(port, &info) != 0)
				continue;
			for (q = 0; q < info.nb_tx_queues; q++)
				if (rte_eth_add_tx_callback(port, q, refuse_odd,
						strcmp(mode, "bursts") == 0 ? &whole : NULL) != NULL)
					added++;
		}
		printf("AUDIT TX callbacks on %d queues\n", added);
	}
	return __real_rte_memzone_lookup(name);
}
