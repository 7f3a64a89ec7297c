/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Which received frames carry a bad IPv4 or UDP/TCP checksum.
 */

#ifndef SYMMETRIC_MP_CHECKSUM_H
#define SYMMETRIC_MP_CHECKSUM_H

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

/** What smp_cksum_check() found. */
enum smp_cksum {
	SMP_CKSUM_GOOD,   /**< Forward it: good, or not IPv4/UDP/TCP. */
	SMP_CKSUM_BAD_IP, /**< The IPv4 header checksum is wrong. */
	SMP_CKSUM_BAD_L4, /**< The UDP or TCP checksum is wrong. */
};

/**
 * Classify an IPv4 frame: smp_cksum_check()'s work once it found one.
 * @pre The frame's EtherType is IPv4 and its first segment holds the
 *      Ethernet and IPv4 headers (data_len of 34 bytes or more): call
 *      smp_cksum_check(), which makes sure of both.
 */
enum smp_cksum smp_cksum_check_ipv4(const struct rte_mbuf *m, int hw_checked);

/**
 * Classify a received frame.
 * @param m          The frame.
 * @param hw_checked True when the port was configured with the RX checksum
 *                   offload, so that the driver's verdict is in m->ol_flags.
 */
static inline enum smp_cksum
smp_cksum_check(const struct rte_mbuf *m, int hw_checked)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	/* Inline: every frame asks, and the answer for the frames that are
	 * not IPv4 must cost no call. */
	if (m->data_len < sizeof(*eth) + sizeof(struct rte_ipv4_hdr) ||
			eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return SMP_CKSUM_GOOD;
	return smp_cksum_check_ipv4(m, hw_checked);
}

#endif /* SYMMETRIC_MP_CHECKSUM_H */
