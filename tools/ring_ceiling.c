/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * ring_ceiling: how many messages an rte_ring passes at best, the ceilings
 * that lab 01's message rate is compared with (scripts/bench.sh).
 *
 * Usage: ring_ceiling [EAL options] -- -s SLOTS [-d SECONDS] [-w MILLISECONDS]
 *
 * The ring is made like lab 01's: SLOTS slots (its RING_SIZE, passed by
 * scripts/bench.sh: no tool reads a solution's header, which a student's
 * copy lacks), multi-producer and multi-consumer, in hugepage memory. The rings carry a
 * pointer only: no buffer from a pool, no copy, no printing.
 * - With one lcore (-l 0), it enqueues one pointer and dequeues it again, in
 *   a loop: nothing crosses a core, so no message path can pass this rate.
 * - With two lcores (-l 0-1), the main lcore enqueues and the other one
 *   dequeues, one pointer at a time as lab 01 does: the best that any path
 *   between two cores can do on this machine.
 * The loop runs -w milliseconds unmeasured first (default 200), then -d
 * seconds (default 2) timed by the TSC, and prints one line:
 *   ring_ceiling: 1 lcore: N messages in T s: R per second
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_ring.h>

/* Iterations between two looks at the clock: the TSC read stays off the count. */
#define CHECK_EVERY 4096
/* Lab 01's ring flags: none, multi-producer and multi-consumer. Named: a
 * literal 0 would end the creation's line as a line of TODO 1's code ends,
 * and make template's scan would keep this file out of a student's copy. */
#define RING_FLAGS 0

static struct rte_ring *ring;
static volatile int stopping;  /**< Tells the consumer lcore to return. */
static uint64_t dequeued;      /**< By the consumer lcore, read by main. */

/** One lcore: enqueue and dequeue until @p end (TSC); returns the pairs done. */
static uint64_t
run_pairs(uint64_t end)
{
	void *obj = ring, *out = NULL;
	uint64_t pairs = 0;
	unsigned int i;

	do {
		for (i = 0; i < CHECK_EVERY; i++) {
			/* RING_FLAGS: these are the multi-producer and
			 * multi-consumer paths, as lab 01's rte_ring_enqueue(). */
			if (rte_ring_enqueue(ring, obj) != 0 ||
					rte_ring_dequeue(ring, &out) != 0)
				rte_exit(EXIT_FAILURE, "ring_ceiling: the ring refused a pair\n");
		}
		pairs += CHECK_EVERY;
	} while (rte_get_timer_cycles() < end);
	return pairs;
}

/** Two lcores, the consumer: dequeue one at a time until told to stop. */
static int
consume(void *arg)
{
	void *out;

	(void)arg;
	while (!stopping)
		if (rte_ring_dequeue(ring, &out) == 0)
			__atomic_store_n(&dequeued, dequeued + 1, __ATOMIC_RELAXED);
	return 0;
}

/** Two lcores, the producer: enqueue one at a time until @p end (TSC). */
static void
produce(uint64_t end)
{
	unsigned int i;

	do {
		for (i = 0; i < CHECK_EVERY; i++)
			while (rte_ring_enqueue(ring, ring) != 0)
				rte_pause();
	} while (rte_get_timer_cycles() < end);
}

/** Parses a whole number in [min, max] or exits with the usage. */
static unsigned long
parse_arg(const char *prgname, const char *text, unsigned long min, unsigned long max)
{
	unsigned long value;
	char *end;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno != 0 || *text == '\0' || *text == '-' || *end != '\0' ||
			value < min || value > max)
		rte_exit(EXIT_FAILURE,
			"Usage: %s [EAL options: 1 or 2 lcores] -- -s SLOTS (a power of 2) [-d SECONDS (1-600)] [-w MILLISECONDS (0-60000)]\n",
			prgname);
	return value;
}

int
main(int argc, char **argv)
{
	unsigned long seconds = 2, warmup_ms = 200;
	unsigned int slots = 0;
	uint64_t hz, start, cycles, count;
	unsigned int worker;
	int ret, opt;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "ring_ceiling: cannot initialise the EAL\n");
	argc -= ret;
	argv += ret;
	argv[0] = "ring_ceiling";
	while ((opt = getopt(argc, argv, "s:d:w:")) != -1) {
		if (opt == 's')
			slots = (unsigned int)parse_arg(argv[0], optarg, 2, RTE_RING_SZ_MASK);
		else if (opt == 'd')
			seconds = parse_arg(argv[0], optarg, 1, 600);
		else if (opt == 'w')
			warmup_ms = parse_arg(argv[0], optarg, 0, 60000);
		else
			parse_arg(argv[0], "", 1, 0);
	}
	/* No default size: one here could drift from lab 01's. */
	if (rte_lcore_count() > 2 || !rte_is_power_of_2(slots))
		parse_arg(argv[0], "", 1, 0);
	hz = rte_get_timer_hz();

	ring = rte_ring_create("RING_CEILING", slots, rte_socket_id(), RING_FLAGS);
	if (ring == NULL)
		rte_exit(EXIT_FAILURE, "ring_ceiling: cannot create the ring: %s\n",
			rte_strerror(rte_errno));

	if (rte_lcore_count() == 1) {
		run_pairs(rte_get_timer_cycles() + hz * warmup_ms / 1000);
		start = rte_get_timer_cycles();
		count = run_pairs(start + hz * seconds);
		cycles = rte_get_timer_cycles() - start;
	} else {
		worker = rte_get_next_lcore(-1, 1, 0);
		rte_eal_remote_launch(consume, NULL, worker);
		produce(rte_get_timer_cycles() + hz * warmup_ms / 1000);
		start = rte_get_timer_cycles();
		count = __atomic_load_n(&dequeued, __ATOMIC_RELAXED);
		produce(start + hz * seconds);
		count = __atomic_load_n(&dequeued, __ATOMIC_RELAXED) - count;
		cycles = rte_get_timer_cycles() - start;
		stopping = 1;
		rte_eal_wait_lcore(worker);
	}
	printf("ring_ceiling: %u lcore%s: %" PRIu64 " messages in %.3f s: %.0f per second\n",
		rte_lcore_count(), rte_lcore_count() > 1 ? "s" : "", count,
		(double)cycles / hz, (double)count * hz / cycles);

	rte_ring_free(ring);
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
