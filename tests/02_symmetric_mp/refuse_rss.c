/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test doubles around rte_eth_dev_configure(), linked with
 * -Wl,--wrap=rte_eth_dev_configure,--wrap=rte_eth_dev_conf_get,
 * --wrap=rte_eth_dev_info_get into the one
 * build of the test doubles (with refuse_tx.c). Each acts only in a process
 * whose environment asks for it:
 *
 * - MPW_REFUSE_RSS, for the -ENOTSUP path: no vdev refuses RSS, so the
 *   wrapper does, every time a port asks for it (mq_mode RSS, whatever its
 *   rss_hf), like a NIC without RSS; else it calls the real function. It stands for a driver's dev_configure, which ethdev
 *   calls only once the request has passed its own checks: an RX offload
 *   outside the device's capabilities is refused first, with -EINVAL
 *   (rte_eth_dev_configure(), lib/ethdev/rte_ethdev.c, 22.11 to 26.07), so
 *   such a request goes to the real function, which says so.
 * - MPW_FAKE_RX_CKSUM, a device that takes the RX checksum offload but gives
 *   no verdict: the offload is taken out of what the real function (and
 *   rte_eth_rx_queue_setup(), see refuse_tx.c) gets, and put back into what
 *   rte_eth_dev_conf_get() says. net_pcap leaves every frame's checksum
 *   flags UNKNOWN, as such a device would.
 * - MPW_FAKE_CAPA, a device that hashes some of the IP types and a TCP one
 *   (FAKE_RSS) and offers fast mbuf free: rte_eth_dev_info_get() says so to
 *   the program (ethdev's own checks, inside the library, still see
 *   net_pcap's), and what only the fake device has is taken out of what the
 *   real rte_eth_dev_configure() gets, and put back by conf_get, as above.
 * - Every call of rte_eth_dev_configure() prints what the program asked,
 *   "AUDIT dev_configure port P mq_mode M rss_hf 0xH rx_offloads 0xR
 *   tx_offloads 0xT", as refuse_tx.c does for the queue set-ups.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_ethdev.h>

int __real_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);
int __wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);
int __real_rte_eth_dev_conf_get(uint16_t port_id,
		struct rte_eth_conf *dev_conf);
int __real_rte_eth_dev_info_get(uint16_t port_id,
		struct rte_eth_dev_info *dev_info);
int __wrap_rte_eth_dev_info_get(uint16_t port_id,
		struct rte_eth_dev_info *dev_info);

/** What the device of MPW_FAKE_CAPA hashes: of RTE_ETH_RSS_IP, IPv4 and IPv6. */
#define FAKE_RSS (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_IPV6)
int __wrap_rte_eth_dev_conf_get(uint16_t port_id,
		struct rte_eth_conf *dev_conf);

/** What each port asked for and the real device did not get: faked. */
static struct {
	uint64_t rx_offloads;
	uint64_t tx_offloads;
	uint64_t rss_hf;
} faked[RTE_MAX_ETHPORTS];

/**
 * Says what the program asked for; refuses RSS with -ENOTSUP whenever a
 * port asks for it with no RX offload that ethdev itself would refuse; takes
 * out what is faked.
 */
int
__wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf = *dev_conf;

	printf("AUDIT dev_configure port %u mq_mode %u rss_hf %#" PRIx64 " rx_offloads %#" PRIx64 " tx_offloads %#" PRIx64 "\n",
		port_id, (unsigned int)conf.rxmode.mq_mode, conf.rx_adv_conf.rss_conf.rss_hf,
		conf.rxmode.offloads, conf.txmode.offloads);
	if (port_id >= RTE_MAX_ETHPORTS)
		return __real_rte_eth_dev_configure(port_id, nb_rx_q, nb_tx_q, dev_conf);
	if (getenv("MPW_REFUSE_RSS") != NULL &&
			conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS &&
			rte_eth_dev_info_get(port_id, &info) == 0 &&
			(conf.rxmode.offloads & ~info.rx_offload_capa) == 0)
		return -ENOTSUP;
	if (getenv("MPW_FAKE_RX_CKSUM") != NULL) {
		faked[port_id].rx_offloads = conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_CHECKSUM;
		conf.rxmode.offloads &= ~faked[port_id].rx_offloads;
	}
	if (getenv("MPW_FAKE_CAPA") != NULL &&
			__real_rte_eth_dev_info_get(port_id, &info) == 0) {
		/* ethdev's own check, against the fake device's hash types. */
		if (conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS &&
				(conf.rx_adv_conf.rss_conf.rss_hf & ~(info.flow_type_rss_offloads | FAKE_RSS)) != 0) {
			printf("Ethdev port_id=%u invalid rss_hf: %#" PRIx64 ", valid value: %#" PRIx64 "\n",
				port_id, conf.rx_adv_conf.rss_conf.rss_hf,
				info.flow_type_rss_offloads | FAKE_RSS);
			return -EINVAL;
		}
		faked[port_id].rss_hf = conf.rx_adv_conf.rss_conf.rss_hf & ~info.flow_type_rss_offloads;
		conf.rx_adv_conf.rss_conf.rss_hf &= ~faked[port_id].rss_hf;
		faked[port_id].tx_offloads = conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE &
			~info.tx_offload_capa;
		conf.txmode.offloads &= ~faked[port_id].tx_offloads;
	}
	return __real_rte_eth_dev_configure(port_id, nb_rx_q, nb_tx_q, &conf);
}

/** The device's capabilities, with the faked ones in them. */
int
__wrap_rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *dev_info)
{
	int ret = __real_rte_eth_dev_info_get(port_id, dev_info);

	if (ret == 0 && getenv("MPW_FAKE_CAPA") != NULL) {
		dev_info->flow_type_rss_offloads |= FAKE_RSS;
		dev_info->tx_offload_capa |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	}
	return ret;
}

/** The port's configuration, with what is faked in it. */
int
__wrap_rte_eth_dev_conf_get(uint16_t port_id, struct rte_eth_conf *dev_conf)
{
	int ret = __real_rte_eth_dev_conf_get(port_id, dev_conf);

	if (ret == 0 && port_id < RTE_MAX_ETHPORTS) {
		dev_conf->rxmode.offloads |= faked[port_id].rx_offloads;
		dev_conf->txmode.offloads |= faked[port_id].tx_offloads;
		dev_conf->rx_adv_conf.rss_conf.rss_hf |= faked[port_id].rss_hf;
	}
	return ret;
}
