/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for the -ENOTSUP path: no vdev refuses RSS, so this wrapper of
 * rte_eth_dev_configure() does, once per port, like a NIC without RSS; then
 * it calls the real function. Linked with -Wl,--wrap=rte_eth_dev_configure.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_ethdev.h>

int __real_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);
int __wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf);

static int refused[RTE_MAX_ETHPORTS];

/** Refuse RSS with -ENOTSUP the first time a port asks for it. */
int
__wrap_rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q,
		uint16_t nb_tx_q, const struct rte_eth_conf *dev_conf)
{
	if (port_id < RTE_MAX_ETHPORTS && !refused[port_id] &&
			dev_conf->rxmode.mq_mode == RTE_ETH_MQ_RX_RSS) {
		refused[port_id] = 1;
		return -ENOTSUP;
	}
	return __real_rte_eth_dev_configure(port_id, nb_rx_q, nb_tx_q, dev_conf);
}
