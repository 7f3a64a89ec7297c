/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The TX callback of the TX refusal doubles (tests/02_symmetric_mp/
 * refuse_tx.c, tests/03_client_server/refuse_tx.c), for
 * rte_eth_add_tx_callback(): it moves the frames of odd length to the end
 * of the burst, in order, and hands the driver only the others, so that
 * rte_eth_tx_burst() returns the number of even-length frames, whatever
 * the burst sizes: the refused frames are exactly the odd-length ones,
 * still the caller's. A non-NULL user_param also refuses a whole burst
 * whose first frame is of odd length, as a queue that is full refuses all.
 */

#ifndef MPW_REFUSE_ODD_H
#define MPW_REFUSE_ODD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

/** The longest burst reordered; a longer one goes out whole. */
#define MPW_REFUSE_ODD_MAX 1024

static inline uint16_t
mpw_refuse_odd(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[],
		uint16_t nb_pkts, void *user_param)
{
	struct rte_mbuf *odd[MPW_REFUSE_ODD_MAX];
	uint16_t nb_even = 0, nb_odd = 0, i;

	(void)port_id;
	(void)queue;
	if (nb_pkts > MPW_REFUSE_ODD_MAX)
		return nb_pkts;
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

/**
 * Adds mpw_refuse_odd() to every TX queue of every port of this process
 * (callbacks are per process), refusing whole bursts too when MODE is
 * "bursts", and says how many: "AUDIT TX callbacks on N queues".
 */
static inline void
mpw_refuse_odd_everywhere(const char *mode)
{
	static int whole = 1; /* the callback's user_param when whole bursts are refused too */
	struct rte_eth_dev_info info;
	unsigned int added = 0;
	uint16_t port, q;

	RTE_ETH_FOREACH_DEV(port) {
		if (rte_eth_dev_info_get(port, &info) != 0)
			continue;
		for (q = 0; q < info.nb_tx_queues; q++)
			if (rte_eth_add_tx_callback(port, q, mpw_refuse_odd,
					strcmp(mode, "bursts") == 0 ? &whole : NULL) != NULL)
				added++;
	}
	printf("AUDIT TX callbacks on %u queues\n", added);
}

#endif /* MPW_REFUSE_ODD_H */
