/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test doubles around rte_eth_dev_configure(), linked with
 * -Wl,--wrap=rte_eth_dev_configure,--wrap=rte_eth_dev_conf_get,
 * --wrap=rte_eth_dev_info_get,--wrap=rte_eth_dev_adjust_nb_rx_tx_desc into the one
 * build of the test doubles (with refuse_tx.c). Each acts only in a process
 * whose environment asks for it:
 *
 * - MPW_REFUSE_RSS, for the -ENOTSUP path: no vdev refuses RSS, so the
 *   wrapper does, every time a port asks for it (mq_mode RSS, whatever its
 *   rss_hf), like a NIC without RSS; else it calls the real function.
 *   MPW_REFUSE_RSS=always: every configuration, with RSS or not, as a
 *   driver that refuses the request for a reason of its own (its
 *   dev_configure's -ENOTSUP reaches the program unchanged). It stands for a driver's dev_configure, which ethdev
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
 *   Its queues take at most FAKE_DESC descriptors (rx_desc_lim and
 *   tx_desc_lim): rte_eth_dev_adjust_nb_rx_tx_desc() says so (wrapped: the
 *   real one reads net_pcap's limits inside the library), and the queue
 *   set-ups refuse more as ethdev would (refuse_tx.c).
 * - MPW_FAKE_VERDICTS, with MPW_FAKE_RX_CKSUM: the device's verdicts, every
 *   combination of IP and L4 (UNKNOWN, BAD, GOOD, NONE), chosen by a hash of
 *   the frame's bytes, so that some disagree with the bytes, as a driver's
 *   may. An RX callback sets them (rte_eth_add_rx_callback(), as a test may
 *   on any port: RTE_ETHDEV_RXTX_CALLBACKS, on in every DPDK build here),
 *   added in each process by its first rte_eth_dev_conf_get() of the port:
 *   the program asks it whether the port checks before it polls.
 * - Every call of rte_eth_dev_configure() prints what the program asked,
 *   "AUDIT dev_configure port P mq_mode M rss_hf 0xH rx_offloads 0xR
 *   tx_offloads 0xT", as refuse_tx.c does for the queue set-ups.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

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
int __real_rte_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id,
		uint16_t *nb_rx_desc, uint16_t *nb_tx_desc);
int __wrap_rte_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id,
		uint16_t *nb_rx_desc, uint16_t *nb_tx_desc);

/** The most descriptors a queue of MPW_FAKE_CAPA's device takes (also refuse_tx.c's). */
#define FAKE_DESC 512

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
			(conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ||
			 strcmp(getenv("MPW_REFUSE_RSS"), "always") == 0) &&
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

	/* A device that takes the offload says so, as ethdev's check reads it. */
	if (ret == 0 && getenv("MPW_FAKE_RX_CKSUM") != NULL)
		dev_info->rx_offload_capa |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
	if (ret == 0 && getenv("MPW_FAKE_CAPA") != NULL) {
		dev_info->flow_type_rss_offloads |= FAKE_RSS;
		dev_info->tx_offload_capa |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
		dev_info->rx_desc_lim.nb_max = RTE_MIN(dev_info->rx_desc_lim.nb_max, FAKE_DESC);
		dev_info->tx_desc_lim.nb_max = RTE_MIN(dev_info->tx_desc_lim.nb_max, FAKE_DESC);
	}
	return ret;
}

/** The real adjustment, then the fake device's limits. */
int
__wrap_rte_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id, uint16_t *nb_rx_desc,
		uint16_t *nb_tx_desc)
{
	int ret = __real_rte_eth_dev_adjust_nb_rx_tx_desc(port_id, nb_rx_desc, nb_tx_desc);

	if (ret == 0 && getenv("MPW_FAKE_CAPA") != NULL) {
		if (nb_rx_desc != NULL)
			*nb_rx_desc = RTE_MIN(*nb_rx_desc, FAKE_DESC);
		if (nb_tx_desc != NULL)
			*nb_tx_desc = RTE_MIN(*nb_tx_desc, FAKE_DESC);
	}
	return ret;
}

/** Sets a verdict pair on each frame, from an FNV-1a hash of its first bytes. */
static uint16_t
fake_verdicts(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts, void *arg)
{
	static const uint64_t ip[] = {
		RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_BAD,
		RTE_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_IP_CKSUM_NONE,
	};
	static const uint64_t l4[] = {
		RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN, RTE_MBUF_F_RX_L4_CKSUM_BAD,
		RTE_MBUF_F_RX_L4_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_NONE,
	};
	const uint8_t *data;
	uint32_t hash, len, i, j;

	(void)port_id;
	(void)queue;
	(void)max_pkts;
	(void)arg;
	for (i = 0; i < nb_pkts; i++) {
		data = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
		len = RTE_MIN(pkts[i]->data_len, 64u);
		hash = 2166136261u;
		for (j = 0; j < len; j++)
			hash = (hash ^ data[j]) * 16777619u;
		pkts[i]->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK);
		pkts[i]->ol_flags |= ip[hash & 3] | l4[(hash >> 2) & 3];
	}
	return nb_pkts;
}

/** Adds fake_verdicts() to every RX queue of the port, once in this process. */
static void
add_fake_verdicts(uint16_t port_id)
{
	static uint8_t added[RTE_MAX_ETHPORTS];
	struct rte_eth_dev_info info;
	uint16_t q;

	if (__atomic_exchange_n(&added[port_id], 1, __ATOMIC_ACQ_REL) != 0 ||
			__real_rte_eth_dev_info_get(port_id, &info) != 0)
		return;
	for (q = 0; q < info.nb_rx_queues; q++)
		if (rte_eth_add_rx_callback(port_id, q, fake_verdicts, NULL) == NULL)
			printf("MPW_FAKE_VERDICTS: no RX callback on port %u queue %u\n", port_id, q);
}

/** The port's configuration, with what is faked in it. */
int
__wrap_rte_eth_dev_conf_get(uint16_t port_id, struct rte_eth_conf *dev_conf)
{
	int ret = __real_rte_eth_dev_conf_get(port_id, dev_conf);

	if (ret == 0 && port_id < RTE_MAX_ETHPORTS && getenv("MPW_FAKE_VERDICTS") != NULL &&
			getenv("MPW_FAKE_RX_CKSUM") != NULL)
		add_fake_verdicts(port_id);
	if (ret == 0 && port_id < RTE_MAX_ETHPORTS) {
		dev_conf->rxmode.offloads |= faked[port_id].rx_offloads;
		dev_conf->txmode.offloads |= faked[port_id].tx_offloads;
		dev_conf->rx_adv_conf.rss_conf.rss_hf |= faked[port_id].rss_hf;
	}
	return ret;
}
