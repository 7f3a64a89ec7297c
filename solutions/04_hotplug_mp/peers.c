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
	/* TODO(1) begin */
	struct peer_info info;
	struct rte_mp_msg reply;
	uint16_t port_id;

	/* [reply] */
	memset(&info, 0, sizeof(info));
	info.pid = getpid();
	info.proc_type = rte_eal_process_type();
	/* Unlocked reads of the port table: a hotplug under way may be missed,
	 * which an answer given a moment earlier would miss too. */
	RTE_ETH_FOREACH_DEV(port_id) {
		/* Unreachable here: more ports than PEER_MAX_IDS (123) needs
		 * a DPDK built with max_ethports above it (default 32). */
		if (info.nb_ports < PEER_MAX_IDS)
			info.port_ids[info.nb_ports] = port_id;
		info.nb_ports++;
	}

	memset(&reply, 0, sizeof(reply));
	rte_strlcpy(reply.name, request->name, sizeof(reply.name));
	reply.len_param = PEER_INFO_LEN(RTE_MIN(info.nb_ports, PEER_MAX_IDS));
	memcpy(reply.param, &info, reply.len_param);
	return rte_mp_reply(&reply, peer);
	/* [reply] */
	/* TODO(1) skeleton:
	MPW_TODO_NOT_DONE(1);
	return -ENOSYS;
	 */
	/* TODO(1) end */
}

int
peers_start(void)
{
	RTE_BUILD_BUG_ON(sizeof(struct peer_info) > RTE_MP_MAX_PARAM_LEN);
	/* [register] */
	if (rte_mp_action_register(PEERS_ACTION, on_peers_request) < 0)
		return -rte_errno;
	/* [register] */
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
	/* TODO(2) begin */
	const struct timespec timeout = {
		.tv_sec = PEERS_TIMEOUT_MS / 1000,
		.tv_nsec = (PEERS_TIMEOUT_MS % 1000) * 1000000L,
	};
	struct rte_mp_msg request;
	struct rte_mp_reply reply;
	int i, ret;

	/* [request] */
	memset(&request, 0, sizeof(request));
	rte_strlcpy(request.name, PEERS_ACTION, sizeof(request.name));
	ret = rte_mp_request_sync(&request, &reply, &timeout);
	/* A time-out is a result, not an error: say who did not answer. */
	if (ret < 0 && rte_errno != ETIMEDOUT) {
		printf("cannot ask the peers: %s\n", rte_strerror(rte_errno));
		return;
	}
	for (i = 0; i < reply.nb_received; i++)
		print_peer(&reply.msgs[i]);
	if (ret < 0) {
		/* EAL asks one peer at a time and stops at the first that is
		 * silent: nb_sent counts the peers asked, that one last, and the
		 * answers it had are freed (nb_received is 0). */
		printf("1 of %d did not answer in time\n", reply.nb_sent);
		if (reply.nb_sent > 1)
			printf("(EAL then drops the %s it had and asks no peer after it)\n",
				reply.nb_sent == 2 ? "answer" : "answers");
	} else if (reply.nb_sent == 0) {
		printf("no peer to ask\n");
	}
	free(reply.msgs);
	/* [request] */
	/* TODO(2) skeleton:
	MPW_TODO_NOT_DONE(2);
	 */
	/* TODO(2) end */
}
