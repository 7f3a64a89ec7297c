/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The server's hand-over of received packets to the clients' rings.
 */

#ifndef CLIENT_SERVER_DISTRIBUTE_H
#define CLIENT_SERVER_DISTRIBUTE_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "common.h"

#define DIST_BURST 32 /**< Packets received, and handed over, at a time. */

/** The distributor's state: the rings, the policy, packets not yet handed over. */
struct distributor {
	struct rte_ring **rings;     /**< Client i's ring. */
	struct port_info *ports;     /**< Where the hand-over is counted. */
	unsigned int num_clients;    /**< Clients, rings in use. */
	int flow_hash;               /**< By flow, else round-robin. */
	unsigned int next_client;    /**< Round-robin: the next packet's client. */
	struct rte_mbuf *pending[MAX_CLIENTS][DIST_BURST]; /**< Per client. */
	uint16_t num_pending[MAX_CLIENTS];  /**< Packets in pending[i]. */
};

/** Hand @p n received packets over to the clients (n <= DIST_BURST). */
void distribute_burst(struct distributor *d, struct rte_mbuf **pkts, uint16_t n);

/** The client a packet goes to by its flow: RSS's Toeplitz hash of its IPv4 addresses. */
unsigned int flow_client(const struct rte_mbuf *m, unsigned int num_clients);

#endif /* CLIENT_SERVER_DISTRIBUTE_H */
