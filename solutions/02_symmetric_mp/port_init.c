/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Port set-up for symmetric_mp: RSS spreads the flows over one RX queue per
 * process, and the checksum offload saves each process from validating
 * headers in software. Devices that lack either still work: the set-up
 * retries without them, as DPDK's upstream example does.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "port_init.h"

#define RX_DESC 1024          /**< RX descriptors wanted per queue. */
#define TX_DESC 1024          /**< TX descriptors wanted per queue. */
#define LINK_WAIT_MS 3000     /**< Longest wait for the links to come up. */
#define LINK_POLL_MS 100      /**< How often to look at the links meanwhile. */

int
smp_port_init(uint16_t port, __rte_unused struct rte_mempool *pool, uint16_t num_queues)
{
	/* [conf] */
	struct rte_eth_conf conf = {
		.rxmode = {
			.mq_mode = RTE_ETH_MQ_RX_RSS,
			.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,
		},
		.rx_adv_conf.rss_conf = {
			.rss_key = NULL,	/* the driver's default key */
			.rss_hf = RTE_ETH_RSS_IP,
		},
		.txmode.mq_mode = RTE_ETH_MQ_TX_NONE,
	};
	/* [conf] */
	uint16_t nb_rxd = RX_DESC, nb_txd = TX_DESC;
	__rte_unused struct rte_eth_rxconf rxq_conf;
	__rte_unused struct rte_eth_txconf txq_conf;
	struct rte_eth_dev_info info;
	__rte_unused uint64_t rss_hf_wanted;
	__rte_unused uint16_t q;
	int ret;

	printf("# Initialising port %u...\n", port);
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;

	/* TODO(2) begin */
	/* [rss_hf] */
	rss_hf_wanted = conf.rx_adv_conf.rss_conf.rss_hf;
	conf.rx_adv_conf.rss_conf.rss_hf &= info.flow_type_rss_offloads;
	if (conf.rx_adv_conf.rss_conf.rss_hf != rss_hf_wanted)
		printf("Port %u modified RSS hash function based on hardware support,"
			"requested:%#" PRIx64 " configured:%#" PRIx64 "\n",
			port, rss_hf_wanted, conf.rx_adv_conf.rss_conf.rss_hf);

	/* Every mbuf comes from one pool and is not shared: free them in bulk. */
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	/* [rss_hf] */

	/* [fallback] */
	/* Each refusal drops one feature; the order the driver refuses them in
	 * does not matter, and every feature is dropped at most once. */
	for (;;) {
		ret = rte_eth_dev_configure(port, num_queues, num_queues, &conf);
		if (ret == -EINVAL &&
				(conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_CHECKSUM)) {
			printf("Port %u configuration failed. Re-attempting with HW checksum disabled.\n",
				port);
			conf.rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_CHECKSUM;
		} else if (ret == -ENOTSUP &&
				conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS) {
			printf("Port %u configuration failed. Re-attempting with HW RSS disabled.\n",
				port);
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
		} else {
			break;
		}
	}
	if (ret < 0)
		return ret;
	if (conf.rxmode.mq_mode != RTE_ETH_MQ_RX_RSS && num_queues > 1)
		printf("Port %u: without RSS every frame arrives on queue 0, so only process 0 receives\n",
			port);
	/* [fallback] */
	/* TODO(2) skeleton:
	MPW_TODO_NOT_DONE(2);
	ret = rte_eth_dev_configure(port, num_queues, num_queues, &conf);
	if (ret < 0)
		return ret;
	 */
	/* TODO(2) end */

	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;

	/* TODO(3) begin */
	/* [queues] */
	rxq_conf = info.default_rxconf;
	rxq_conf.rx_drop_en = 1;
	rxq_conf.offloads = conf.rxmode.offloads;
	for (q = 0; q < num_queues; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd,
				rte_eth_dev_socket_id(port), &rxq_conf, pool);
		if (ret < 0)
			return ret;
	}
	txq_conf = info.default_txconf;
	txq_conf.offloads = conf.txmode.offloads;
	for (q = 0; q < num_queues; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_txd,
				rte_eth_dev_socket_id(port), &txq_conf);
		if (ret < 0)
			return ret;
	}
	/* [queues] */
	/* TODO(3) skeleton:
	MPW_TODO_NOT_DONE(3);
	 */
	/* TODO(3) end */

	/* Forwarded frames keep their addresses: accept every destination. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		return ret;
	return rte_eth_dev_start(port);
}

int
smp_port_check_queues(uint16_t port, uint16_t num_queues)
{
	struct rte_eth_dev_info info;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	/* [check_queues] */
	if (info.nb_rx_queues != num_queues || info.nb_tx_queues != num_queues) {
		fprintf(stderr, "Error: port %u has %u RX and %u TX queues, but --num-procs is %u: give every process the primary's --num-procs\n",
			port, info.nb_rx_queues, info.nb_tx_queues, num_queues);
		return -EINVAL;
	}
	/* [check_queues] */
	return 0;
}

void
smp_wait_links(const uint16_t *ports, unsigned int num_ports)
{
	char text[RTE_ETH_LINK_MAX_STR_LEN];
	struct rte_eth_link link;
	unsigned int waited, i, down;

	for (waited = 0; ; waited += LINK_POLL_MS) {
		down = 0;
		for (i = 0; i < num_ports; i++)
			if (rte_eth_link_get_nowait(ports[i], &link) < 0 ||
					link.link_status == RTE_ETH_LINK_DOWN)
				down++;
		if (down == 0 || waited >= LINK_WAIT_MS)
			break;
		rte_delay_ms(LINK_POLL_MS);
	}
	for (i = 0; i < num_ports; i++) {
		if (rte_eth_link_get_nowait(ports[i], &link) < 0)
			continue;
		rte_eth_link_to_str(text, sizeof(text), &link);
		printf("Port %u %s\n", ports[i], text);
	}
}

void
smp_ports_close(const uint16_t *ports, unsigned int num_ports)
{
	unsigned int i;

	for (i = 0; i < num_ports; i++) {
		rte_eth_dev_stop(ports[i]);
		rte_eth_dev_close(ports[i]);
	}
}
