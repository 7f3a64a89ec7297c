/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * mp_server: receives on every port and hands each packet to one client.
 *
 * The server (the primary) creates the pool, the port-info memzone and one
 * ring per client, sets the ports up with one RX queue and one TX queue per
 * client, then waits until every client attached before it receives (unless
 * --no-wait). It prints the statistics periodically and once more on SIGINT
 * or SIGTERM.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "common.h"
#include "distribute.h"
#include "mpw_eal.h"
#include "mpw_idle.h"
#include "mpw_shutdown.h"
#include "server_args.h"
#include "server_init.h"

static volatile sig_atomic_t stopping; /**< Set by on_signal(). */
static struct server_shared shared;    /**< What server_create_shared() made. */
static struct server_args args;        /**< The command line. */

/** Only sets a flag: printing and cleaning up happen in main(). */
static void
on_signal(__rte_unused int signum)
{
	stopping = 1;
}

/** Whether client @p i attached and its process still runs. */
static int
client_running(unsigned int i)
{
	pid_t pid = shared.ports->client_pid[i];

	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/** Upstream's statistics block, then one line per client of ours. */
static void
print_stats(void)
{
	const struct port_info *ports = shared.ports;
	uint64_t port_tx[RTE_MAX_ETHPORTS] = { 0 };
	uint64_t client_tx[MAX_CLIENTS] = { 0 };
	uint64_t client_drop[MAX_CLIENTS] = { 0 };
	unsigned int i, j, in_ring;
	uint16_t port;

	for (i = 0; i < ports->num_clients; i++) {
		for (j = 0; j < ports->num_ports; j++) {
			port = ports->id[j];
			port_tx[j] += ports->tx_stats[i].tx[port];
			client_tx[i] += ports->tx_stats[i].tx[port];
			client_drop[i] += ports->tx_stats[i].tx_drop[port];
		}
	}
	printf("PORTS\n-----\n");
	for (j = 0; j < ports->num_ports; j++)
		printf("Port %u - rx: %9" PRIu64 "\ttx: %9" PRIu64 "\n",
			ports->id[j], ports->rx_stats.rx[ports->id[j]], port_tx[j]);
	printf("\nCLIENTS\n-------\n");
	for (i = 0; i < ports->num_clients; i++) {
		in_ring = rte_ring_count(shared.rings[i]);
		printf("Client %2u - rx: %9" PRIu64 ", rx_drop: %9" PRIu64 "\n"
			"            tx: %9" PRIu64 ", tx_drop: %9" PRIu64 "\n",
			i, ports->client_rx[i].rx, ports->client_rx[i].rx_drop,
			client_tx[i], client_drop[i]);
		printf("            dequeued: %9" PRIu64 ", in ring: %9u, %s\n",
			ports->tx_stats[i].dequeued, in_ring,
			client_running(i) ? "running" : "not running");
		if (in_ring > 0 && !client_running(i))
			printf("Client %u: ring not drained: no client %u running\n", i, i);
	}
	/* Once the clients have stopped, what is still in use leaked (or
	 * waits in a ring): every other mbuf is back. */
	printf("\nPOOL\n----\nmbufs in use: %9u of %u\n\n",
		rte_mempool_in_use_count(shared.pool), shared.pool->size);
}

/** How often the waiting server looks for its clients: asleep, not spinning. */
#define CLIENT_POLL_US (10 * 1000)

/** Default start-up: no packet is received before every client can take it. */
static void
wait_for_clients(void)
{
	char missing[MAX_CLIENTS * 4], shown[MAX_CLIENTS * 4] = "";
	unsigned int i;
	int len;

	/* [wait] */
	while (!stopping) {
		len = 0;
		missing[0] = '\0';
		for (i = 0; i < args.num_clients; i++)
			if (!client_running(i))
				len += snprintf(missing + len, sizeof(missing) - len, " %u", i);
		if (len == 0) {
			printf("All %u clients attached: receiving\n", args.num_clients);
			return;
		}
		/* Once for each change, not at every look. */
		if (strcmp(missing, shown) != 0) {
			printf("Waiting for clients to attach:%s\n", missing);
			snprintf(shown, sizeof(shown), "%s", missing);
		}
		rte_delay_us_sleep(CLIENT_POLL_US);
	}
	/* [wait] */
}

/** Selects the ports of the mask; exits when the mask is unusable. */
static unsigned int
select_ports(uint64_t port_mask, uint16_t *ids)
{
	uint64_t unknown = port_mask;
	unsigned int n = 0;
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		/* Unreachable here: a port id of 64 or more needs a DPDK built
		 * with max_ethports above 64 (default 32). */
		if (port >= 64 || !(port_mask & (UINT64_C(1) << port)))
			continue;
		ids[n++] = port;
		unknown &= ~(UINT64_C(1) << port);
	}
	if (unknown != 0)
		rte_exit(EXIT_FAILURE, "Port mask %#" PRIx64 " names ports that do not exist (%#" PRIx64 "); there are %u ports\n",
			port_mask, unknown, rte_eth_dev_count_avail());
	/* Not 0: the mask is not (server_parse_args()) and names no missing port. */
	if (n % 2 != 0)
		rte_exit(EXIT_FAILURE, "The port mask must select an even number of ports (it selects %u)\n", n);
	return n;
}

/**
 * Receive on queue 0 of every port and distribute; print the statistics
 * every --stats-interval seconds.
 */
static void
receive_loop(struct distributor *dist)
{
	const uint64_t interval = rte_get_timer_hz() * args.stats_interval;
	uint64_t next_stats = rte_get_timer_cycles() + interval;
	struct rte_mbuf *pkts[DIST_BURST];
	struct mpw_idle idle;
	unsigned int p, received;
	uint16_t port, n;

	mpw_idle_init(&idle);
	/* [receive] */
	while (!stopping) {
		received = 0;
		for (p = 0; p < shared.ports->num_ports; p++) {
			port = shared.ports->id[p];
			n = rte_eth_rx_burst(port, 0, pkts, DIST_BURST);
			if (n == 0)
				continue;
			received += n;
			shared.ports->rx_stats.rx[port] += n;
			distribute_burst(dist, pkts, n);
		}
		mpw_idle_after_poll(&idle, received > 0);
		if (interval != 0 && rte_get_timer_cycles() > next_stats) {
			next_stats = rte_get_timer_cycles() + interval;
			print_stats();
		}
	}
	/* [receive] */
}

/**
 * Start the EAL as the primary, create the shared objects, set up the
 * ports, wait for the clients, then receive and distribute until a signal.
 */
int
main(int argc, char **argv)
{
	static struct distributor dist;
	uint16_t port_ids[RTE_MAX_ETHPORTS];
	unsigned int num_ports, i;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = mpw_eal_init(argc, argv, "mp_server", "the primary");
	argc -= ret;
	argv += ret;
	argv[0] = "mp_server";
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		rte_exit(EXIT_FAILURE, "mp_server must be the primary process: is another server running with this --file-prefix?\n");
	if (server_parse_args(argc, argv, &args) < 0)
		rte_exit(EXIT_FAILURE, "Invalid arguments\n");
	num_ports = select_ports(args.port_mask, port_ids);
	/* The lock file its clients hold while they run (mpw_shutdown.h). */
	ret = mpw_primary_prepare();
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot set up the ordered shutdown: %s\n", strerror(-ret));

	ret = server_create_shared(port_ids, num_ports, args.num_clients, &shared);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot create the shared objects: %s\n", rte_strerror(-ret));
	for (i = 0; i < num_ports; i++) {
		ret = server_port_init(port_ids[i], shared.pool, args.num_clients);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "Error initialising port %u: %s\n",
				port_ids[i], rte_strerror(-ret));
	}
	mpw_eal_ready();
	printf("APP: Finished Process Init.\n");
	printf("Distributing %s to %u clients\n",
		args.flow_hash ? "by flow hash" : "round-robin", args.num_clients);

	if (!args.no_wait)
		wait_for_clients();
	dist = (struct distributor){
		.rings = shared.rings,
		.ports = shared.ports,
		.num_clients = args.num_clients,
		.flow_hash = args.flow_hash,
	};
	receive_loop(&dist);

	/* [shutdown] */
	/* The clients first: they send on the ports, and their last flush
	 * belongs in the final statistics. */
	ret = mpw_secondaries_stop(MPW_SHUTDOWN_WAIT_MS);
	printf("\nFinal statistics\n\n");
	print_stats();
	if (ret < 0) {
		printf("A client still runs after %u ms (%s): the ports stay open\n",
			MPW_SHUTDOWN_WAIT_MS, strerror(-ret));
		return EXIT_FAILURE;	/* no EAL clean-up: it would close them */
	}
	for (i = 0; i < num_ports; i++) {
		rte_eth_dev_stop(port_ids[i]);
		rte_eth_dev_close(port_ids[i]);
	}
	/* [shutdown] */
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
