/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * pool_hold: attach to a running primary as a secondary, take every free
 * buffer of a mempool by name, hold them until stdin ends (or a signal),
 * then give them back: a pool that runs empty, as a busy peer would make it.
 *
 *   pool_hold [EAL options] -- NAME
 *
 * Prints "held N of NAME" once it holds them, "returned N" at the end.
 * It takes from the pool's common store (no lcore cache): what the other
 * processes' caches hold stays theirs. Give it an lcore id that no other
 * process of the primary's uses.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;
	void **held;
	unsigned int n = 0, i;
	char c;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "pool_hold: cannot start the EAL: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	argc -= ret;
	argv += ret;
	if (argc != 2) {
		fprintf(stderr, "usage: pool_hold [EAL options] -- NAME\n");
		rte_eal_cleanup();
		return 2;
	}
	mp = rte_mempool_lookup(argv[1]);
	if (mp == NULL) {
		printf("pool %s: not found\n", argv[1]);
		rte_eal_cleanup();
		return 1;
	}
	held = calloc(mp->size, sizeof(*held));
	if (held == NULL) {
		rte_eal_cleanup();
		return 2;
	}
	/* One at a time and past any cache: every buffer the common store has. */
	while (n < mp->size && rte_mempool_generic_get(mp, &held[n], 1, NULL) == 0)
		n++;
	printf("held %u of %s\n", n, argv[1]);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stopping && read(STDIN_FILENO, &c, 1) > 0)
		;
	for (i = 0; i < n; i++)
		rte_mempool_generic_put(mp, &held[i], 1, NULL);
	printf("returned %u\n", n);
	free(held);
	rte_eal_cleanup();
	return 0;
}
