/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * A request and its replies over rte_mp, EAL's IPC: each process registers
 * an action under PEERS_ACTION that answers with a struct peer_info, and
 * `peers` asks with rte_mp_request_sync(). A primary's request reaches every
 * secondary; a secondary's reaches only the primary.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "mpw_todo.h"
#include "peers.h"
#include "shared.h"

/**
 * The action of PEERS_ACTION. It runs on EAL's IPC thread, the one thread
 * that receives every rte_mp message of this process, EAL's own included:
 * while it blocks, this process answers nothing, and a peer's hotplug or
 * memory request to it times out. So it only reads and replies.
 */
static int
on_peers_request(__rte_unused const struct rte_mp_msg *request, __rte_unused const void *peer)
{
	/* TODO 1: Answer the request: a struct rte_mp_msg with the
	 * request's name (EAL pairs the reply with the waiting request by it),
	 * whose param holds a struct peer_info: getpid(), rte_eal_process_type(),
	 * nb_ports the number of ports this process sees (RTE_ETH_FOREACH_DEV)
	 * and the first PEER_MAX_IDS of their ids in port_ids; len_param is
	 * PEER_INFO_LEN() of the ids written. Send it with rte_mp_reply() to peer
	 * and return what it returns. Nothing that blocks: no lock, no wait.
	 * Checks answers_a_request, peers_from_each_side and
	 * two_requests_in_flight; walkthrough: "The action and its reply";
	 * make hint LAB=04 TODO=1.
	 */
	MPW_TODO_NOT_DONE(1);
	return -ENOSYS;
	/* end of TODO 1 */
}

int
peers_start(void)
{
	RTE_BUILD_BUG_ON(sizeof(struct peer_info) > RTE_MP_MAX_PARAM_LEN);
	if (rte_mp_action_register(PEERS_ACTION, on_peers_request) < 0)
		return -rte_errno;
	return 0;
}

void
peers_stop(void)
{
	rte_mp_action_unregister(PEERS_ACTION);
}

/** Prints one reply as "peer PID TYPE ports N: IDS", or why it is malformed. */
static __rte_unused void
print_peer(const struct rte_mp_msg *msg)
{
	struct peer_info info;
	char ids[PEER_MAX_IDS * 6 + 8] = "none";
	size_t used = 0;
	unsigned int i, n;

	/* Another process's bytes: read no more than it sent. */
	memset(&info, 0, sizeof(info));
	if (msg->len_param < (int)PEER_INFO_LEN(0) ||
			/* Unreachable here: EAL's read_msg() ends its IPC thread
			 * on a len_param above RTE_MP_MAX_PARAM_LEN (sizeof(info)) first. */
			msg->len_param > (int)sizeof(info)) {
		printf("peer ?: a malformed reply (%d bytes)\n", msg->len_param);
		return;
	}
	memcpy(&info, msg->param, msg->len_param);
	n = RTE_MIN(info.nb_ports, (unsigned int)PEER_MAX_IDS);
	if ((int)PEER_INFO_LEN(n) > msg->len_param) {
		printf("peer %d: a malformed reply (%u ports in %d bytes)\n",
			(int)info.pid, info.nb_ports, msg->len_param);
		return;
	}
	for (i = 0; i < n; i++)
		used += snprintf(ids + used, sizeof(ids) - used, "%s%u",
				i > 0 ? " " : "", info.port_ids[i]);
	if (n < info.nb_ports)
		snprintf(ids + used, sizeof(ids) - used, " ...");
	printf("peer %d %s ports %u: %s\n", (int)info.pid,
		info.proc_type == RTE_PROC_PRIMARY ? "primary" : "secondary",
		info.nb_ports, ids);
}

void
peers_ask(void)
{
	/* TODO 2: Ask with rte_mp_request_sync(): a request named
	 * PEERS_ACTION (no param), a timeout of PEERS_TIMEOUT_MS (a struct
	 * timespec: never NULL, EAL reads it). When it fails for another reason
	 * than ETIMEDOUT, print "cannot ask the peers: " and rte_strerror() of
	 * rte_errno, and return. Else print each of the nb_received replies with
	 * print_peer(). A time-out (ETIMEDOUT) means that the last of the
	 * nb_sent peers asked did not answer: print "1 of M did not answer in
	 * time" (M = nb_sent), and when M > 1, "(EAL then drops the answer it
	 * had and asks no peer after it)", "answers" when M > 2. Without a
	 * time-out, print "no peer to ask" when nb_sent is 0. Last, free the
	 * replies' msgs: EAL allocates them, the caller frees them.
	 * Checks peers_from_each_side, two_requests_in_flight, forged_messages
	 * and silent_and_dead_peers; walkthrough: "The request and its
	 * replies"; make hint LAB=04 TODO=2.
	 */
	MPW_TODO_NOT_DONE(2);
	/* end of TODO 2 */
}
