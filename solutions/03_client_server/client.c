/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * mp_client: takes the packets the server handed to its ring and sends each
 * one out of the port paired with the one it arrived on (0<->1, 2<->3, ...),
 * on the TX queue of its own id, so that no two processes share a queue.
 *
 * Usage: mp_client [EAL options] -- -n CLIENT_ID
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "common.h"
#include "mpw_eal.h"
#include "mpw_idle.h"
#include "mpw_shutdown.h"

#define READ_BURST 32 /**< Packets dequeued, and buffered for TX, at a time. */
#define SERVER_CHECK_MS 200 /**< how often to check that the server still runs */

static volatile sig_atomic_t stopping; /**< Set by on_signal() and on_server_stopping(). */
static volatile int server_stopping;   /**< Set by on_server_stopping(). */
static unsigned int client_id;         /**< -n: this client's ring and TX queue. */
static struct port_info *ports;        /**< The server's memzone MZ_PORT_INFO. */
static struct rte_ring *ring;          /**< This client's ring, from the server. */
static volatile struct tx_stats *tx_stats; /**< This client's counters, in the memzone. */
static uint16_t output_port[RTE_MAX_ETHPORTS]; /**< By input port: the paired port. */
static struct rte_eth_dev_tx_buffer *tx_buffer[RTE_MAX_ETHPORTS]; /**< By output port. */

/** Only sets a flag: the main loop flushes, prints and cleans up. */
static void
on_signal(__rte_unused int signum)
{
	stopping = 1;
}

/** The server asked its clients to stop (in EAL's IPC thread). */
static void
on_server_stopping(void)
{
	server_stopping = 1;
	stopping = 1;
}

/** Parses "-n CLIENT_ID"; returns 0 or -1 after printing what is wrong. */
static int
parse_args(int argc, char **argv)
{
	unsigned long value;
	char *end;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "Error: unknown option or missing value: '%s'\n", argv[optind - 1]);
			goto usage;
		}
		errno = 0;
		value = strtoul(optarg, &end, 10);
		if (errno != 0 || *optarg == '\0' || *optarg == '-' || *end != '\0' ||
				value >= MAX_CLIENTS) {
			fprintf(stderr, "Error: -n wants a client id from 0 to %d, not '%s'\n",
				MAX_CLIENTS - 1, optarg);
			goto usage;
		}
		client_id = value;
		return optind == argc ? 0 : -1;
	}
	fprintf(stderr, "Error: -n CLIENT_ID is required\n");
usage:
	fprintf(stderr, "Usage: %s [EAL options] -- -n CLIENT_ID\n", argv[0]);
	return -1;
}

/** TX buffer error callback: what the TX queue refused is dropped, counted. */
static void
count_tx_drops(struct rte_mbuf **unsent, uint16_t count, void *userdata)
{
	uint16_t port = (uintptr_t)userdata;

	tx_stats->tx_drop[port] += count;
	rte_pktmbuf_free_bulk(unsent, count);
}

/** Pairs the ports and gives each a TX buffer; exits on failure. */
static void
configure_output_ports(void)
{
	unsigned int i;
	uint16_t port;

	for (i = 0; i < ports->num_ports; i++) {
		port = ports->id[i];
		output_port[port] = ports->id[i ^ 1];
		tx_buffer[port] = rte_zmalloc_socket("tx_buffer",
				RTE_ETH_TX_BUFFER_SIZE(READ_BURST), 0,
				rte_eth_dev_socket_id(port));
		if (tx_buffer[port] == NULL)
			rte_exit(EXIT_FAILURE, "Cannot allocate a TX buffer for port %u\n", port);
		rte_eth_tx_buffer_init(tx_buffer[port], READ_BURST);
		rte_eth_tx_buffer_set_err_callback(tx_buffer[port], count_tx_drops,
				(void *)(uintptr_t)port);
	}
}

/** Finds the server's objects; exits with the reason when it cannot. */
static void
attach_to_server(void)
{
	__rte_unused const struct rte_memzone *mz;
	pid_t other;

	if (!rte_eal_primary_proc_alive(NULL)) {
		/* Not rte_exit(): its clean-up can wait on a dead server's lock. */
		fprintf(stderr, "No server is running with this --file-prefix: start mp_server first\n");
		exit(EXIT_FAILURE);
	}
	/* TODO(4) begin */
	/* [attach] */
	mz = rte_memzone_lookup(MZ_PORT_INFO);
	if (mz == NULL)
		rte_exit(EXIT_FAILURE, "Cannot find the memzone %s: is mp_server running?\n", MZ_PORT_INFO);
	ports = mz->addr;
	/* Before the ring: the server's client count says which ids exist. */
	if (client_id >= ports->num_clients)
		rte_exit(EXIT_FAILURE, "Client id %u is out of range: the server has %u clients, ids 0 to %u\n",
			client_id, ports->num_clients, ports->num_clients - 1);
	ring = rte_ring_lookup(get_client_ring_name(client_id));
	/* Unreachable here: only a client started while the server is
	 * between its memzone and its rings sees it, a moment no check can
	 * choose. */
	if (ring == NULL)
		rte_exit(EXIT_FAILURE, "Cannot find the ring %s: is mp_server running?\n",
			get_client_ring_name(client_id));
	/* [attach] */
	/* TODO(4) skeleton:
	MPW_TODO_NOT_DONE(4);
	rte_exit(EXIT_FAILURE, "Cannot attach to the server's objects\n");
	 */
	/* TODO(4) end */

	/* [one_per_id] */
	/* Each ring has a single consumer: two clients with one id would corrupt it. */
	other = ports->client_pid[client_id];
	if (other > 0 && other != getpid() && (kill(other, 0) == 0 || errno == EPERM))
		rte_exit(EXIT_FAILURE, "Client %u is already running (pid %d)\n", client_id, (int)other);
	tx_stats = &ports->tx_stats[client_id];
	ports->client_pid[client_id] = getpid();
	/* [one_per_id] */
}

/** Sends one packet out of the port paired with the one it came in on. */
static void
handle_packet(struct rte_mbuf *m)
{
	/* TODO(5) begin */
	/* [handle] */
	const uint16_t out = output_port[m->port];
	const uint16_t sent = rte_eth_tx_buffer(out, client_id, tx_buffer[out], m);

	/* Only when the buffer was sent: a volatile add for every packet
	 * would chain each packet to the one before through memory. */
	if (sent != 0)
		tx_stats->tx[out] += sent;
	/* [handle] */
	/* TODO(5) skeleton:
	MPW_TODO_NOT_DONE(5);
	rte_pktmbuf_free(m);
	 */
	/* TODO(5) end */
}

/** Sends what the TX buffers hold: when idle, nothing else would. */
static void
flush_all(void)
{
	unsigned int i;
	__rte_unused uint16_t port;

	for (i = 0; i < ports->num_ports; i++) {
		port = ports->id[i];
		/* TODO(6) begin */
		/* [flush] */
		tx_stats->tx[port] += rte_eth_tx_buffer_flush(port, client_id, tx_buffer[port]);
		/* [flush] */
		/* TODO(6) skeleton:
		MPW_TODO_NOT_DONE(6);
		 */
		/* TODO(6) end */
	}
}

/**
 * Start the EAL as a secondary, attach to the server's objects, then move
 * packets from the ring to the ports until a signal or the server's death.
 */
int
main(int argc, char **argv)
{
	uint64_t period, next_check, sent = 0, dropped = 0;
	struct mpw_idle idle;
	void *pkts[READ_BURST];
	int need_flush = 0, server_died = 0;
	unsigned int n, i;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = mpw_eal_init(argc, argv, "mp_client", "mp_server");
	argc -= ret;
	argv += ret;
	argv[0] = "mp_client";
	if (parse_args(argc, argv) < 0)
		rte_exit(EXIT_FAILURE, "Invalid arguments\n");
	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		rte_exit(EXIT_FAILURE, "mp_client must be a secondary process: start mp_server first, then the clients with --proc-type=secondary\n");

	/* Before it touches a port: the server closes none while we run. */
	ret = mpw_secondary_join(on_server_stopping);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot join the server's shutdown: %s: is mp_server running?\n",
			strerror(-ret));
	attach_to_server();
	configure_output_ports();
	printf("APP: Finished Process Init.\n");
	printf("Client process %u handling packets\n", client_id);

	period = rte_get_timer_hz() * SERVER_CHECK_MS / 1000;
	next_check = rte_get_timer_cycles() + period;
	mpw_idle_init(&idle);
	/* [loop] */
	/* Asked by the server, which receives no more: drain the ring first. */
	while (!stopping || (server_stopping && !rte_ring_empty(ring))) {
		n = rte_ring_dequeue_burst(ring, pkts, READ_BURST, NULL);
		if (n == 0) {
			if (need_flush) {
				flush_all();
				need_flush = 0;
			}
			if (rte_get_timer_cycles() > next_check) {
				next_check = rte_get_timer_cycles() + period;
				if (!rte_eal_primary_proc_alive(NULL)) {
					server_died = 1;
					break;
				}
			}
			mpw_idle_after_poll(&idle, 0);
			continue;
		}
		mpw_idle_after_poll(&idle, 1);
		tx_stats->dequeued += n;
		/* The server wrote these mbufs on another core: ask for both
		 * lines of each now, so that the misses overlap instead of
		 * stalling handle_packet() (m->port) and the driver's free
		 * (m->next) one packet at a time. */
		for (i = 0; i < n; i++) {
			rte_mbuf_prefetch_part1(pkts[i]);
			rte_mbuf_prefetch_part2(pkts[i]);
		}
		for (i = 0; i < n; i++)
			handle_packet(pkts[i]);
		need_flush = 1;
	}
	/* [loop] */

	/* [server_died] */
	if (server_died) {
		fprintf(stderr, "The server died: stopping client %u\n", client_id);
		exit(EXIT_FAILURE);	/* no EAL clean-up: see attach_to_server() */
	}
	/* [server_died] */
	if (server_stopping)
		printf("\nClient %u: the server is stopping\n", client_id);
	flush_all();
	ports->client_pid[client_id] = 0;
	for (i = 0; i < ports->num_ports; i++) {
		sent += tx_stats->tx[ports->id[i]];
		dropped += tx_stats->tx_drop[ports->id[i]];
	}
	printf("\nClient %u: dequeued %" PRIu64 ", sent %" PRIu64 ", tx_drop %" PRIu64 "\n",
		client_id, tx_stats->dequeued, sent, dropped);
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
