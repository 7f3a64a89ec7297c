/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Port set-up, done once by the primary for every process.
 */

#ifndef SYMMETRIC_MP_PORT_INIT_H
#define SYMMETRIC_MP_PORT_INIT_H

#include <stdint.h>

#include <rte_mempool.h>

/**
 * Primary: configure @p port with RSS over IP and RX checksum offload (each
 * dropped in turn if the device refuses it), one RX and one TX queue per
 * process, and start it.
 * @return 0, or a negative errno value.
 */
int smp_port_init(uint16_t port, struct rte_mempool *pool, uint16_t num_queues);

/**
 * Secondary: check that the primary gave @p port one queue per process.
 * @return 0, or -EINVAL after printing the disagreement.
 */
int smp_port_check_queues(uint16_t port, uint16_t num_queues);

/** Primary: wait, a bounded time, for the links of @p ports to come up. */
void smp_wait_links(const uint16_t *ports, unsigned int num_ports);

/** Primary: stop and close @p ports. */
void smp_ports_close(const uint16_t *ports, unsigned int num_ports);

#endif /* SYMMETRIC_MP_PORT_INIT_H */
