/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * mp_server's options, after EAL's: upstream's `-p PORTMASK -n NUM_CLIENTS`,
 * and ours on top of them.
 */

#ifndef CLIENT_SERVER_SERVER_ARGS_H
#define CLIENT_SERVER_SERVER_ARGS_H

#include <stdint.h>

/** What the command line asked for. */
struct server_args {
	uint64_t port_mask;          /**< -p: ports to use, bit N for port N. */
	unsigned int num_clients;    /**< -n: client processes, one ring each. */
	int flow_hash;               /**< --flow-hash: one flow, one client. */
	int no_wait;                 /**< --no-wait: receive before clients attach. */
	unsigned int stats_interval; /**< --stats-interval: seconds, 0 for none. */
};

/**
 * Parse the options after EAL's; on an error print it with the usage.
 * @return 0, or -1 after printing what is wrong.
 */
int server_parse_args(int argc, char **argv, struct server_args *args);

#endif /* CLIENT_SERVER_SERVER_ARGS_H */
