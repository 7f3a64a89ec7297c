/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test doubles around rte_eth_dev_configure(), linked with
 * -Wl,--wrap=rte_eth_dev_configure,--wrap=rte_eth_dev_conf_get into the one
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
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_ethdev.h>

int __real_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);
int __wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);
int __real_rte_eth_dev_conf_get(uint16_t port_id,
		struct rte_eth_conf *dev_conf);
int __wrap_rte_eth_dev_conf_get(uint16_t port_id,
		struct rte_eth_conf *dev_conf);

/** The RX offloads each port asked for and did not get: faked. */
static uint64_t faked[RTE_MAX_ETHPORTS];

/**
 * Refuse RSS with -ENOTSUP whenever a port asks for it with no RX offload
 * that ethdev itself would refuse.
 */
int
__wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;

	if (getenv("MPW_REFUSE_RSS") != NULL &&
			dev_conf->rxmode.mq_mode == RTE_ETH_MQ_RX_RSS &&
			rte_eth_dev_info_get(port_id, &info) == 0 &&
			(dev_conf->rxmode.offloads & ~info.rx_offload_capa) == 0)
		return -ENOTSUP;
	if (getenv("MPW_FAKE_RX_CKSUM") != NULL && port_id < RTE_MAX_ETHPORTS) {
		conf = *dev_conf;
		faked[port_id] = conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_CHECKSUM;
		conf.rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_CHECKSUM;
		return __real_rte_eth_dev_configure(port_id, nb_rx_q, nb_tx_q, &conf);
	}
	return __real_rte_eth_dev_configure(port_id, nb_rx_q, nb_tx_q, dev_conf);
}

/** The port's configuration, with the faked RX offloads in it. */
int
__wrap_rte_eth_dev_conf_get(uint16_t port_id, struct rte_eth_conf *dev_conf)
{
	int ret = __real_rte_eth_dev_conf_get(port_id, dev_conf);

	if (ret == 0 && port_id < RTE_MAX_ETHPORTS)
		dev_conf->rxmode.offloads |= faked[port_id];
	return ret;
}
