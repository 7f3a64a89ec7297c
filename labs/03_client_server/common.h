/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * What mp_server and mp_client share: object names, limits and the layout
 * of the memzone through which they exchange ports and counters.
 */

#ifndef CLIENT_SERVER_COMMON_H
#define CLIENT_SERVER_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#define MAX_CLIENTS 16                        /**< Client ids run 0..15. */
#define CLIENT_RING_NAME "MProc_Client_%u_RX" /**< One ring per client id. */
#define PKTMBUF_POOL_NAME "MProc_pktmbuf_pool" /**< Every packet's mbuf. */
#define MZ_PORT_INFO "MProc_port_info"        /**< The struct port_info. */
#define CLIENT_RING_SIZE 2048                 /**< Holds 2047 packets. */

/** Packets the server received, per port. The server writes them. */
struct rx_stats {
	uint64_t rx[RTE_MAX_ETHPORTS]; /**< Indexed by port id. */
} __rte_cache_aligned;

/** The server's hand-over to one client. The server writes them. */
struct client_rx_stats {
	uint64_t rx;      /**< Packets enqueued on the client's ring. */
	uint64_t rx_drop; /**< Packets dropped: the ring was full. */
} __rte_cache_aligned;

/** One client's sending, per port. That client writes them. */
struct tx_stats {
	uint64_t dequeued;                  /**< Packets taken off its ring. */
	uint64_t tx[RTE_MAX_ETHPORTS];      /**< Sent, per output port id. */
	uint64_t tx_drop[RTE_MAX_ETHPORTS]; /**< Refused by TX, freed. */
} __rte_cache_aligned;

/** The memzone MZ_PORT_INFO: set up by the server, read by every client. */
struct port_info {
	uint16_t num_ports;                /**< Ports in use. */
	uint16_t id[RTE_MAX_ETHPORTS];     /**< Their ids, in pairs. */
	uint16_t num_clients;              /**< Client ids run 0..num_clients-1. */
	volatile int32_t client_pid[MAX_CLIENTS]; /**< Set by a client that attached. */
	volatile struct rx_stats rx_stats;   /**< The server's receiving. */
	volatile struct client_rx_stats client_rx[MAX_CLIENTS]; /**< The hand-over, per client. */
	volatile struct tx_stats tx_stats[MAX_CLIENTS];         /**< Each client's sending. */
};

/** The name of client @p id's ring, in a static buffer. */
static inline const char *
get_client_ring_name(unsigned int id)
{
	static char buffer[sizeof(CLIENT_RING_NAME) + 8];

	snprintf(buffer, sizeof(buffer), CLIENT_RING_NAME, id);
	return buffer;
}

#endif /* CLIENT_SERVER_COMMON_H */
