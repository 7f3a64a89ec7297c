/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Distribution: every received packet goes to exactly one client's ring.
 * Round-robin, as upstream, spreads the load evenly but scatters a flow over
 * all clients; by flow hash, a flow's packets stay together and in order.
 */

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_thash.h>

#include "distribute.h"

#define RETA_SIZE 128 /**< a NIC's redirection table, filled round-robin */

/** The 40-byte key most NICs use by default: the same hash as their RSS. */
static const uint8_t rss_key[40] __rte_aligned(4) = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

unsigned int
flow_client(const struct rte_mbuf *m, unsigned int num_clients)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip;
	struct rte_ipv4_tuple tuple;
	uint32_t hash;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) ||
			eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return 0;	/* not IPv4: one client takes them all */
	/* [flow_client] */
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	tuple.src_addr = rte_be_to_cpu_32(ip->src_addr);
	tuple.dst_addr = rte_be_to_cpu_32(ip->dst_addr);
	hash = rte_softrss((uint32_t *)&tuple, RTE_THASH_V4_L3_LEN, rss_key);
	return (hash % RETA_SIZE) % num_clients;
	/* [flow_client] */
}

/** Enqueues what is pending for one client; a full ring drops the rest. */
static void
flush_client(struct distributor *d, unsigned int client)
{
	__rte_unused volatile struct client_rx_stats *st = &d->ports->client_rx[client];
	uint16_t n = d->num_pending[client];
	__rte_unused unsigned int done;

	if (n == 0)
		return;
	/* TODO(2) begin */
	/* [enqueue] */
	done = rte_ring_enqueue_burst(d->rings[client],
			(void **)d->pending[client], n, NULL);
	st->rx += done;
	if (done < n) {
		st->rx_drop += n - done;
		rte_pktmbuf_free_bulk(&d->pending[client][done], n - done);
	}
	/* [enqueue] */
	/* TODO(2) skeleton:
	MPW_TODO_NOT_DONE(2);
	rte_pktmbuf_free_bulk(d->pending[client], n);
	 */
	/* TODO(2) end */
	d->num_pending[client] = 0;
}

void
distribute_burst(struct distributor *d, struct rte_mbuf **pkts, uint16_t n)
{
	unsigned int client;
	uint16_t i;

	for (i = 0; i < n; i++) {
		/* TODO(3) begin */
		/* [choose] */
		if (d->flow_hash) {
			client = flow_client(pkts[i], d->num_clients);
		} else {
			client = d->next_client;
			if (++d->next_client == d->num_clients)
				d->next_client = 0;
		}
		/* [choose] */
		/* TODO(3) skeleton:
		MPW_TODO_NOT_DONE(3);
		client = 0;
		 */
		/* TODO(3) end */
		d->pending[client][d->num_pending[client]++] = pkts[i];
	}
	for (client = 0; client < d->num_clients; client++)
		flush_client(d, client);
}
