/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The forwarding loop: each lcore polls queue proc-id of its ports and
 * sends what it receives out of the paired port (0<->1, 2<->3, ...).
 */

#ifndef SYMMETRIC_MP_FORWARD_H
#define SYMMETRIC_MP_FORWARD_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>

/** This process's counters for one port. One lcore writes them. */
struct smp_port_stats {
	uint64_t rx;     /**< Frames received on this port. */
	uint64_t tx;     /**< Frames sent out of this port. */
	uint64_t drop;   /**< Frames this port's TX queue refused, freed. */
	uint64_t bad_ip; /**< Received with a bad IPv4 header checksum, dropped. */
	uint64_t bad_l4; /**< Received with a bad UDP/TCP checksum, dropped. */
} __rte_cache_aligned;

/** What the forwarding lcores share, set up by main() before launching. */
struct smp_forward_conf {
	uint16_t ports[RTE_MAX_ETHPORTS]; /**< The ports, in pairs. */
	unsigned int num_ports;           /**< Even. */
	uint16_t queue;                   /**< This process's queue: proc-id. */
	int watch_primary;                /**< Secondary: stop if the primary dies. */
};

/** Per-lcore loop; launch it on every lcore. */
int smp_lcore_main(void *conf);

/** Split the port pairs between the enabled lcores, as upstream does. */
void smp_assign_ports(const struct smp_forward_conf *conf);

/** Make every smp_lcore_main() return (safe from a signal handler). */
void smp_stop(void);

/** Make every smp_lcore_main() return: the primary is stopping. */
void smp_stop_for_primary(void);

/** True when the loops stopped because the primary died. */
int smp_primary_died(void);

/** True when the loops stopped because the primary asked them to. */
int smp_primary_stopping(void);

/** This process's counters for @p port. */
const struct smp_port_stats *smp_get_stats(uint16_t port);

#endif /* SYMMETRIC_MP_FORWARD_H */
