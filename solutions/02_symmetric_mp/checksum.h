/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Which received frames carry a bad IPv4 or UDP/TCP checksum.
 */

#ifndef SYMMETRIC_MP_CHECKSUM_H
#define SYMMETRIC_MP_CHECKSUM_H

#include <rte_mbuf.h>

/** What smp_cksum_check() found. */
enum smp_cksum {
	SMP_CKSUM_GOOD,   /**< Forward it: good, or not IPv4/UDP/TCP. */
	SMP_CKSUM_BAD_IP, /**< The IPv4 header checksum is wrong. */
	SMP_CKSUM_BAD_L4, /**< The UDP or TCP checksum is wrong. */
};

/**
 * Classify a received frame.
 * @param m          The frame.
 * @param hw_checked True when the port was configured with the RX checksum
 *                   offload, so that the driver's verdict is in m->ol_flags.
 */
enum smp_cksum smp_cksum_check(const struct rte_mbuf *m, int hw_checked);

#endif /* SYMMETRIC_MP_CHECKSUM_H */
