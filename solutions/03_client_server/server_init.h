/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * What the server creates for everybody: the mbuf pool, the port-info
 * memzone, one ring per client, and the ports.
 */

#ifndef CLIENT_SERVER_SERVER_INIT_H
#define CLIENT_SERVER_SERVER_INIT_H

#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "common.h"

/** The server's handles on the shared objects. */
struct server_shared {
	struct rte_mempool *pool;              /**< Every packet's mbuf. */
	struct port_info *ports;               /**< In the memzone MZ_PORT_INFO. */
	struct rte_ring *rings[MAX_CLIENTS];   /**< Client i's ring. */
};

/**
 * Create the pool, the memzone (filled with @p port_ids) and the rings.
 * @return 0, or a negative errno value after printing which object failed.
 */
int server_create_shared(const uint16_t *port_ids, unsigned int num_ports,
		unsigned int num_clients, struct server_shared *shared);

/**
 * Set up @p port with one RX queue (the server's) and one TX queue per
 * client, and start it.
 * @return 0, or a negative errno value.
 */
int server_port_init(uint16_t port, struct rte_mempool *pool,
		unsigned int num_clients);

#endif /* CLIENT_SERVER_SERVER_INIT_H */
