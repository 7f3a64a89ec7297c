/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The server's set-up. It alone creates objects; the clients only look
 * them up by name, so the server must be running before any client starts.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include "mpw_todo.h"
#include "server_init.h"

#define RX_DESC 1024         /**< RX descriptors wanted per queue. */
#define TX_DESC 1024         /**< TX descriptors wanted per queue. */
#define MBUF_CACHE_SIZE 512  /**< Per-lcore cache of the pool. */
/**
 * The pool's ring: multi-producer/multi-consumer with relaxed tail sync.
 * The default ring makes a producer spin while another, preempted halfway
 * through its enqueue, waits for its core; clients sharing a core would
 * spin away their time slices (see the walkthrough's speed section).
 */
#define POOL_OPS "ring_mt_rts"

int
server_create_shared(__rte_unused const uint16_t *port_ids, unsigned int num_ports,
		unsigned int num_clients, struct server_shared *shared)
{
	/* Enough mbufs for full rings, full descriptor rings and caches. */
	__rte_unused const unsigned int num_mbufs = num_clients * CLIENT_RING_SIZE +
		num_ports * (RX_DESC + num_clients * TX_DESC) +
		(num_clients + 1) * MBUF_CACHE_SIZE;
	__rte_unused const struct rte_memzone *mz;
	__rte_unused unsigned int i;

	/* TODO 1: Create the shared objects, each by its name: the mbuf pool
	 * PKTMBUF_POOL_NAME (num_mbufs mbufs, MBUF_CACHE_SIZE cache, with the
	 * POOL_OPS pool operations: no check can tell them from the default, `make
	 * bench` can), the memzone MZ_PORT_INFO holding a zeroed struct port_info
	 * filled with the ports and num_clients, and one ring per client, named by
	 * get_client_ring_name(), CLIENT_RING_SIZE slots, with one writer (the
	 * server) and one reader (its client). Print which object failed and
	 * return -rte_errno.
	 * Checks server_starts, late_objects_seen_from_outside and
	 * creation_fails; walkthrough: "The server creates the shared objects";
	 * make hint LAB=03 TODO=1.
	 */
	MPW_TODO_NOT_DONE(1);
	memset(shared, 0, sizeof(*shared));
	return -ENOSYS;
	/* end of TODO 1 */
}

int
server_port_init(uint16_t port, struct rte_mempool *pool,
		unsigned int num_clients)
{
	struct rte_eth_conf conf = {
		.txmode.mq_mode = RTE_ETH_MQ_TX_NONE,
	};
	uint16_t nb_rxd = RX_DESC, nb_txd = TX_DESC;
	struct rte_eth_rxconf rxq_conf;
	struct rte_eth_dev_info info;
	unsigned int q;
	int ret;

	printf("# Initialising port %u... ", port);
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	/* The server only receives: one RX queue. Each client transmits on
	 * its own TX queue, so that no two processes share one. */
	ret = rte_eth_dev_configure(port, 1, num_clients, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	rxq_conf = info.default_rxconf;
	rxq_conf.rx_drop_en = 1;
	ret = rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port),
			&rxq_conf, pool);
	if (ret < 0)
		return ret;
	for (q = 0; q < num_clients; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_txd,
				rte_eth_dev_socket_id(port), NULL);
		if (ret < 0)
			return ret;
	}
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		return ret;
	ret = rte_eth_dev_start(port);
	if (ret < 0)
		return ret;
	printf("done\n");
	return 0;
}
