/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * What every process must agree on: the names of the rte_mp actions and the
 * layout of the bytes each message carries in its param.
 *
 * All the processes of a --file-prefix run this same program, so they agree
 * by construction. The bytes cross a process boundary: a receiver checks
 * len_param before it reads them.
 */

#ifndef HOTPLUG_MP_SHARED_H
#define HOTPLUG_MP_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_eal.h>

/** Request "who are you, which ports do you see?"; answered by every peer. */
#define PEERS_ACTION "mpw_peers"
/** One-way message "print this text". */
#define NOTICE_ACTION "mpw_notify"

/** How long `peers` waits for the answers, in all. */
#define PEERS_TIMEOUT_MS 1000

/** Port ids that fit in one reply after the header of struct peer_info. */
#define PEER_MAX_IDS ((RTE_MP_MAX_PARAM_LEN - 10) / 2)

/** A reply to PEERS_ACTION, in its param: len_param covers the ids sent. */
struct peer_info {
	int32_t pid;        /**< getpid() of the process that answers. */
	int32_t proc_type;  /**< Its rte_eal_process_type(). */
	uint16_t nb_ports;  /**< How many ports it sees, all of them. */
	uint16_t port_ids[PEER_MAX_IDS]; /**< The first PEER_MAX_IDS of their ids. */
};

/** The bytes of a reply that carries n port ids. */
#define PEER_INFO_LEN(n) (offsetof(struct peer_info, port_ids) + (n) * sizeof(uint16_t))

/** A NOTICE_ACTION message, in its param: len_param ends after the NUL. */
struct notice {
	int32_t pid;        /**< getpid() of the sender. */
	char text[RTE_MP_MAX_PARAM_LEN - sizeof(int32_t)]; /**< NUL-terminated. */
};

/** The longest text of a notice, in characters. */
#define NOTICE_TEXT_MAX ((int)sizeof(((struct notice *)NULL)->text) - 1)

#endif /* HOTPLUG_MP_SHARED_H */
