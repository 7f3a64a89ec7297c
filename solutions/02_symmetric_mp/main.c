/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * symmetric_mp: several identical processes forward between pairs of ports,
 * each on its own RX/TX queue of every port.
 *
 * Start the primary first (`--proc-type=auto` makes the first process the
 * primary), then the others with the same `-p` and `--num-procs` and their own
 * `--proc-id`. The primary creates the mbuf pool and sets up the ports with
 * one queue per process; RSS spreads the flows over the queues. Stop a
 * process with SIGINT or SIGTERM: it prints its statistics, upstream's
 * "Port N: RX - ..., TX - ..., Drop - ..." lines and one line of dropped
 * checksums per port.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "args.h"
#include "forward.h"
#include "mpw_eal.h"
#include "mpw_shutdown.h"
#include "port_init.h"

#define MBUF_POOL_NAME "SMP_MBUF_POOL" /**< The packet pool, shared by name. */
#define NB_MBUFS (64 * 1024 - 1) /**< Mbufs in the pool: a power of two minus one suits its ring. */
#define MBUF_CACHE_SIZE 256 /**< Per-lcore cache of the pool. */

/** This process's ports and queue, read by every forwarding lcore. */
static struct smp_forward_conf fwd_conf;

/** Only sets a flag: printing and cleaning up happen in main(). */
static void
on_signal(__rte_unused int signum)
{
	/* smp_stop() only sets a volatile sig_atomic_t, which is safe here;
	 * clang-tidy cannot tell, as it is in another file.
	 * NOLINTNEXTLINE(bugprone-signal-handler,cert-sig30-c,cert-msc54-cpp) */
	smp_stop();
}

/** Primary: creates the mbuf pool; secondary: finds it. Exits on failure. */
static struct rte_mempool *
get_mbuf_pool(void)
{
	struct rte_mempool *pool;

	/* TODO(1) begin */
	/* [mbuf_pool] */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		pool = rte_pktmbuf_pool_create(MBUF_POOL_NAME, NB_MBUFS,
				MBUF_CACHE_SIZE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				rte_socket_id());
	else
		pool = rte_mempool_lookup(MBUF_POOL_NAME);
	/* [mbuf_pool] */
	/* TODO(1) skeleton:
	MPW_TODO_NOT_DONE(1);
	pool = NULL;
	rte_errno = ENOSYS;
	 */
	/* TODO(1) end */
	if (pool == NULL)
		rte_exit(EXIT_FAILURE, "Cannot get memory pool for buffers: %s\n",
			rte_strerror(rte_errno));
	return pool;
}

/** Fills fwd_conf.ports from the mask; exits when the mask is unusable. */
static void
select_ports(uint64_t port_mask)
{
	uint64_t unknown = port_mask;
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		/* Unreachable here: a port id of 64 or more needs a DPDK built
		 * with max_ethports above 64 (default 32). */
		if (port >= 64 || !(port_mask & (UINT64_C(1) << port)))
			continue;
		fwd_conf.ports[fwd_conf.num_ports++] = port;
		unknown &= ~(UINT64_C(1) << port);
	}
	if (unknown != 0)
		rte_exit(EXIT_FAILURE, "Port mask %#" PRIx64 " names ports that do not exist (%#" PRIx64 "); there are %u ports\n",
			port_mask, unknown, rte_eth_dev_count_avail());
	/* The mask is not 0 (smp_parse_args()) and names no missing port:
	 * it selects one port at least. */
	if (fwd_conf.num_ports & 1)
		rte_exit(EXIT_FAILURE, "Application must use an even number of ports (the mask selects %u)\n",
			fwd_conf.num_ports);
}

/** Upstream's per-port statistics lines, then ours: the dropped checksums. */
static void
print_stats(void)
{
	const struct smp_port_stats *st;
	unsigned int i;

	for (i = 0; i < fwd_conf.num_ports; i++) {
		st = smp_get_stats(fwd_conf.ports[i]);
		printf("Port %u: RX - %" PRIu64 ", TX - %" PRIu64 ", Drop - %" PRIu64 "\n",
			fwd_conf.ports[i], st->rx, st->tx, st->drop);
	}
	for (i = 0; i < fwd_conf.num_ports; i++) {
		st = smp_get_stats(fwd_conf.ports[i]);
		printf("Port %u: Bad IP checksum - %" PRIu64 ", Bad L4 checksum - %" PRIu64 "\n",
			fwd_conf.ports[i], st->bad_ip, st->bad_l4);
	}
}

/**
 * Start the EAL, parse the options, get the pool, set up (primary) or check
 * (secondary) the ports, then forward on every lcore until a signal or the
 * primary's death.
 */
int
main(int argc, char **argv)
{
	struct rte_mempool *pool;
	struct smp_args args;
	int primary, ret;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = mpw_eal_init(argc, argv, "symmetric_mp", "the primary");
	argc -= ret;
	argv += ret;
	argv[0] = "symmetric_mp";
	primary = rte_eal_process_type() == RTE_PROC_PRIMARY;

	if (smp_parse_args(argc, argv, &args) < 0)
		rte_exit(EXIT_FAILURE, "Invalid arguments\n");
	/* [primary_alive] */
	/* Not rte_exit() when the primary is dead: its clean-up can wait
	 * forever on a lock that the primary held. Exiting releases our maps. */
	if (!primary && !rte_eal_primary_proc_alive(NULL)) {
		fprintf(stderr, "No primary process is running with this --file-prefix: start the primary first\n");
		exit(EXIT_FAILURE);
	}
	/* [primary_alive] */
	/* Before a secondary touches a port: the primary closes none while
	 * it runs (see mpw_shutdown.h). */
	if (primary)
		ret = mpw_primary_prepare();
	else
		ret = mpw_secondary_join(smp_stop_for_primary);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot set up the ordered shutdown: %s\n",
			strerror(-ret));
	if (rte_eth_dev_count_avail() == 0)
		rte_exit(EXIT_FAILURE, "No Ethernet ports - bye\n");
	select_ports(args.port_mask);

	/* [ports] */
	pool = get_mbuf_pool();
	for (i = 0; i < fwd_conf.num_ports; i++) {
		if (primary)
			ret = smp_port_init(fwd_conf.ports[i], pool, args.num_procs);
		else
			ret = smp_port_check_queues(fwd_conf.ports[i], args.num_procs);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "Error initialising port %u: %s\n",
				fwd_conf.ports[i], rte_strerror(-ret));
	}
	if (primary)
		smp_wait_links(fwd_conf.ports, fwd_conf.num_ports);
	/* [ports] */

	fwd_conf.queue = args.proc_id;
	fwd_conf.watch_primary = !primary;
	smp_assign_ports(&fwd_conf);
	mpw_eal_ready();
	printf("APP: Finished Process Init.\n");

	/* [exit] */
	rte_eal_mp_remote_launch(smp_lcore_main, &fwd_conf, CALL_MAIN);
	rte_eal_mp_wait_lcore();

	if (smp_primary_died()) {
		printf("\nThe primary process died: stopping\n\n");
		print_stats();
		exit(EXIT_FAILURE);	/* no EAL clean-up: see above */
	}
	if (smp_primary_stopping())
		printf("\nExiting: the primary is stopping\n\n");
	else
		printf("\nExiting on signal\n\n");
	print_stats();
	/* [shutdown] */
	/* A secondary polls the ports through the primary's queues: they may
	 * be stopped and closed only once every secondary has exited. */
	if (primary) {
		ret = mpw_secondaries_stop(MPW_SHUTDOWN_WAIT_MS);
		if (ret < 0) {
			printf("A secondary process still runs after %u ms (%s): the ports stay open\n",
				MPW_SHUTDOWN_WAIT_MS, strerror(-ret));
			return EXIT_FAILURE;	/* no EAL clean-up: it would close them */
		}
		smp_ports_close(fwd_conf.ports, fwd_conf.num_ports);
	}
	/* [shutdown] */
	rte_eal_cleanup();
	return EXIT_SUCCESS;
	/* [exit] */
}
