/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Forwarding between paired ports. All processes run this same loop on
 * their own queue of every port, so they never share a queue and need no
 * lock: RSS decides which process sees which flow.
 */

#include <signal.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "checksum.h"
#include "forward.h"
#include "mpw_idle.h"

/**
 * Frames received, and sent, at a time: twice upstream's 32, so that the
 * costs paid once per burst (the driver calls, the counters) are shared by
 * twice the frames.
 */
#define BURST_SIZE 64
/** How often a secondary checks that its primary still runs. */
#define PRIMARY_CHECK_MS 200

/** The slice of the ports array that one lcore forwards. */
struct lcore_ports {
	unsigned int start; /**< First index into smp_forward_conf.ports. */
	unsigned int count; /**< Ports from there on: whole pairs. */
};

static struct lcore_ports lcore_ports[RTE_MAX_LCORE];   /**< By lcore id. */
static struct smp_port_stats port_stats[RTE_MAX_ETHPORTS]; /**< By port id. */
static volatile sig_atomic_t stopping; /**< Set by smp_stop(). */
static volatile int primary_died;     /**< Set when the primary was found dead. */
static volatile int primary_stopping; /**< Set when the primary asked us to stop. */

void
smp_assign_ports(const struct smp_forward_conf *conf)
{
	const unsigned int pairs = conf->num_ports / 2;
	const unsigned int per_lcore = pairs / rte_lcore_count();
	unsigned int extra = pairs % rte_lcore_count();
	unsigned int next = 0, lcore;

	RTE_LCORE_FOREACH(lcore) {
		lcore_ports[lcore].start = next;
		lcore_ports[lcore].count = per_lcore * 2;
		if (extra > 0) {
			lcore_ports[lcore].count += 2;
			extra--;
		}
		next += lcore_ports[lcore].count;
	}
}

/**
 * Receives a burst on src, drops the bad checksums, sends the rest to dst.
 * Returns how many frames it received.
 */
static uint16_t
forward_burst(uint16_t src, __rte_unused uint16_t dst, __rte_unused uint16_t queue, int hw_checked)
{
	struct rte_mbuf *bufs[BURST_SIZE];
	struct smp_port_stats *src_stats = &port_stats[src];
	__rte_unused struct smp_port_stats *dst_stats = &port_stats[dst];
	uint16_t nb_rx, nb_good = 0, i;
	__rte_unused uint16_t nb_tx;
	enum smp_cksum verdict;

	/* [rx_checksum] */
	nb_rx = rte_eth_rx_burst(src, queue, bufs, BURST_SIZE);
	if (nb_rx == 0)
		return 0;
	src_stats->rx += nb_rx;

	/* Keep the good frames at the front of bufs, in arrival order.
	 * Nearly all are good: likely() keeps that path straight. */
	for (i = 0; i < nb_rx; i++) {
		verdict = smp_cksum_check(bufs[i], hw_checked);
		if (likely(verdict == SMP_CKSUM_GOOD)) {
			bufs[nb_good++] = bufs[i];
			continue;
		}
		if (verdict == SMP_CKSUM_BAD_IP)
			src_stats->bad_ip++;
		else
			src_stats->bad_l4++;
		rte_pktmbuf_free(bufs[i]);
	}
	/* [rx_checksum] */
	if (nb_good == 0)
		return nb_rx;

	/* TODO(5) begin */
	/* [tx] */
	nb_tx = rte_eth_tx_burst(dst, queue, bufs, nb_good);
	dst_stats->tx += nb_tx;
	if (nb_tx < nb_good) {
		dst_stats->drop += nb_good - nb_tx;
		rte_pktmbuf_free_bulk(&bufs[nb_tx], nb_good - nb_tx);
	}
	/* [tx] */
	/* TODO(5) skeleton:
	MPW_TODO_NOT_DONE(5);
	rte_pktmbuf_free_bulk(bufs, nb_good);
	 */
	/* TODO(5) end */
	return nb_rx;
}

/** Reads whether a port was set up with the RX checksum offload. */
static int
port_has_hw_checksum(uint16_t port)
{
	struct rte_eth_conf conf;

	if (rte_eth_dev_conf_get(port, &conf) != 0)
		return 0;
	return (conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_CHECKSUM) ==
		RTE_ETH_RX_OFFLOAD_CHECKSUM;
}

int
smp_lcore_main(void *arg)
{
	const struct smp_forward_conf *conf = arg;
	const unsigned int lcore = rte_lcore_id();
	const unsigned int start = lcore_ports[lcore].start;
	const unsigned int end = start + lcore_ports[lcore].count;
	/* Only the main lcore watches the primary: one check is enough. */
	const int watch = conf->watch_primary && lcore == rte_get_main_lcore();
	const uint64_t check_period = rte_get_timer_hz() * PRIMARY_CHECK_MS / 1000;
	uint64_t next_check = rte_get_timer_cycles() + check_period;
	int hw_checked[RTE_MAX_ETHPORTS];
	struct mpw_idle idle;
	unsigned int p, received;

	if (start == end && !watch) {
		printf("Lcore %u has nothing to do\n", lcore);
		return 0;
	}
	for (p = start; p < end; p++) {
		hw_checked[p] = port_has_hw_checksum(conf->ports[p]);
		printf("Lcore %u using port %u, queue %u, %s checksums\n", lcore,
			conf->ports[p], conf->queue,
			hw_checked[p] ? "hardware" : "software");
	}

	mpw_idle_init(&idle);
	/* [loop] */
	while (!stopping) {
		received = 0;
		for (p = start; p < end; p++)
			received += forward_burst(conf->ports[p], conf->ports[p ^ 1],
				conf->queue, hw_checked[p]);
		mpw_idle_after_poll(&idle, received > 0);
		if (watch && rte_get_timer_cycles() > next_check) {
			next_check = rte_get_timer_cycles() + check_period;
			if (!rte_eal_primary_proc_alive(NULL)) {
				primary_died = 1;
				stopping = 1;
			}
		}
	}
	/* [loop] */
	return 0;
}

void
smp_stop(void)
{
	stopping = 1;
}

void
smp_stop_for_primary(void)
{
	primary_stopping = 1;
	stopping = 1;
}

int
smp_primary_died(void)
{
	return primary_died;
}

int
smp_primary_stopping(void)
{
	return primary_stopping;
}

const struct smp_port_stats *
smp_get_stats(uint16_t port)
{
	return &port_stats[port];
}
