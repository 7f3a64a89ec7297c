/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for TX refusals and an audit of the queue set-up. Linked with
 * -Wl,--wrap=rte_eth_rx_queue_setup,--wrap=rte_eth_tx_queue_setup,
 * --wrap=rte_eal_mp_remote_launch.
 *
 * - The queue set-ups print what the program asked for, one line each:
 *   "AUDIT rx_queue_setup port P queue Q desc N conf given|NULL drop_en D
 *   offloads 0xO pool given|NULL" (and tx_queue_setup alike, without the
 *   pool and drop_en), then call the real function (without the RX
 *   checksum offload where refuse_rss.c fakes it, MPW_FAKE_RX_CKSUM, and
 *   without fast free where it fakes that, MPW_FAKE_CAPA, whose device
 *   also refuses more than 512 descriptors a queue, as ethdev would).
 * - MPW_REFUSE_QUEUE=rx (or tx): every RX (TX) queue set-up fails with
 *   -ENOMEM, as a driver's does when it cannot allocate its rings.
 * - Before the lcores are launched (every process, primary or secondary,
 *   once its ports are ready), a TX callback is added to every TX queue of
 *   every port: it moves the frames of odd length to the end of the burst,
 *   in order, and hands the driver only the others. rte_eth_tx_burst() then
 *   returns the number of even-length frames, whatever the burst sizes: the
 *   refused frames are exactly the odd-length ones, still the caller's.
 *   A callback is per process: hence from a function each process calls.
 *   Only in a process whose environment has MPW_REFUSE_TX: this file is
 *   linked into the one build of the test doubles, with refuse_rss.c.
 *   MPW_REFUSE_TX=bursts also refuses a whole burst whose first frame is of
 *   odd length, as a queue that is full refuses all (rte_eth_tx_burst()
 *   returns 0).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_mbuf.h>

#include "../lib/doubles/refuse_odd.h"

int __real_rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
		uint16_t nb_rx_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool);
int __wrap_rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
		uint16_t nb_rx_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool);
int __real_rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
		uint16_t nb_tx_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf);
int __wrap_rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
		uint16_t nb_tx_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf);
int __real_rte_eal_mp_remote_launch(lcore_function_t *f, void *arg,
		enum rte_rmt_call_main_t call_main);
int __wrap_rte_eal_mp_remote_launch(lcore_function_t *f, void *arg,
		enum rte_rmt_call_main_t call_main);

/** The most descriptors a queue of MPW_FAKE_CAPA's device takes (refuse_rss.c). */
#define FAKE_DESC 512

/** True when MPW_REFUSE_QUEUE asks the set-ups of KIND ("rx", "tx") to fail. */
static int
refused_queue(const char *kind)
{
	const char *refused = getenv("MPW_REFUSE_QUEUE");

	return refused != NULL && strcmp(refused, kind) == 0;
}

/** Refuses more descriptors than the fake device has, as ethdev does (-EINVAL). */
static int
too_many_desc(uint16_t port_id, const char *what, uint16_t nb_desc)
{
	if (getenv("MPW_FAKE_CAPA") == NULL || nb_desc <= FAKE_DESC)
		return 0;
	printf("Ethdev port_id=%u Invalid value for %s(=%u), should be: <= %u, >= 0, and a product of 1\n",
		port_id, what, nb_desc, FAKE_DESC);
	return 1;
}

int
__wrap_rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
		uint16_t nb_rx_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool)
{
	struct rte_eth_rxconf conf;

	printf("AUDIT rx_queue_setup port %u queue %u desc %u conf %s drop_en %u offloads %#" PRIx64 " pool %s\n",
		port_id, rx_queue_id, nb_rx_desc, rx_conf ? "given" : "NULL",
		rx_conf ? rx_conf->rx_drop_en : 0,
		rx_conf ? rx_conf->offloads : 0, mb_pool ? "given" : "NULL");
	if (too_many_desc(port_id, "nb_rx_desc", nb_rx_desc))
		return -EINVAL;
	if (refused_queue("rx"))
		return -ENOMEM;
	/* The offload that refuse_rss.c fakes: not for the real device. */
	if (getenv("MPW_FAKE_RX_CKSUM") != NULL && rx_conf != NULL) {
		conf = *rx_conf;
		conf.offloads &= ~RTE_ETH_RX_OFFLOAD_CHECKSUM;
		return __real_rte_eth_rx_queue_setup(port_id, rx_queue_id,
				nb_rx_desc, socket_id, &conf, mb_pool);
	}
	return __real_rte_eth_rx_queue_setup(port_id, rx_queue_id, nb_rx_desc,
			socket_id, rx_conf, mb_pool);
}

int
__wrap_rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
		uint16_t nb_tx_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf)
{
	struct rte_eth_txconf conf;

	printf("AUDIT tx_queue_setup port %u queue %u desc %u conf %s offloads %#" PRIx64 "\n",
		port_id, tx_queue_id, nb_tx_desc, tx_conf ? "given" : "NULL",
		tx_conf ? tx_conf->offloads : 0);
	if (too_many_desc(port_id, "nb_tx_desc", nb_tx_desc))
		return -EINVAL;
	if (refused_queue("tx"))
		return -ENOMEM;
	/* Fast free, which refuse_rss.c fakes (MPW_FAKE_CAPA): not for the real device. */
	if (getenv("MPW_FAKE_CAPA") != NULL && tx_conf != NULL) {
		conf = *tx_conf;
		conf.offloads &= ~RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
		return __real_rte_eth_tx_queue_setup(port_id, tx_queue_id,
				nb_tx_desc, socket_id, &conf);
	}
	return __real_rte_eth_tx_queue_setup(port_id, tx_queue_id, nb_tx_desc,
			socket_id, tx_conf);
}

int
__wrap_rte_eal_mp_remote_launch(lcore_function_t *f, void *arg,
		enum rte_rmt_call_main_t call_main)
{
	const char *mode = getenv("MPW_REFUSE_TX");

	if (mode != NULL)
		mpw_refuse_odd_everywhere(mode);
	return __real_rte_eal_mp_remote_launch(f, arg, call_main);
}
