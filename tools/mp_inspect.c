/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * mp_inspect: attach to a running primary as a secondary and print its
 * rings and mempools by name, as dpdk-proc-info --show-ring and
 * --show-mempool do, also where proc-info refuses (22.11's, for a primary
 * with no ethdev port).
 *
 *   mp_inspect [EAL options] -- ring:NAME | pool:NAME ...
 *
 * One line each:
 *   ring NAME: producer single|multi|rts|hts, consumer ..., size N, capacity N, count N
 *   pool NAME: size N, in use N, available N, ops NAME
 *   ring NAME: not found
 * Exit status 0 when every object was found.
 *
 * It touches no port and takes no buffer; give it an lcore id that no other
 * process of the primary's uses.
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_ring.h>

static const char *
sync_name(enum rte_ring_sync_type type)
{
	switch (type) {
	case RTE_RING_SYNC_MT:
		return "multi";
	case RTE_RING_SYNC_ST:
		return "single";
	case RTE_RING_SYNC_MT_RTS:
		return "rts";
	case RTE_RING_SYNC_MT_HTS:
		return "hts";
	}
	return "unknown";
}

static int
show_ring(const char *name)
{
	const struct rte_ring *r = rte_ring_lookup(name);

	if (r == NULL) {
		printf("ring %s: not found\n", name);
		return -1;
	}
	printf("ring %s: producer %s, consumer %s, size %u, capacity %u, count %u\n",
		name, sync_name(r->prod.sync_type), sync_name(r->cons.sync_type),
		rte_ring_get_size(r), rte_ring_get_capacity(r), rte_ring_count(r));
	return 0;
}

static int
show_pool(const char *name)
{
	const struct rte_mempool *mp = rte_mempool_lookup(name);

	if (mp == NULL) {
		printf("pool %s: not found\n", name);
		return -1;
	}
	/* The ops by name: their index is this process's table's, the same
	 * in every process of one build, as multi-process requires. */
	printf("pool %s: size %u, in use %u, available %u, ops %s\n", name, mp->size,
		rte_mempool_in_use_count(mp), rte_mempool_avail_count(mp),
		rte_mempool_get_ops(mp->ops_index)->name);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret = rte_eal_init(argc, argv);
	int status = 0;
	int i;

	if (ret < 0) {
		fprintf(stderr, "mp_inspect: cannot attach: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		fprintf(stderr, "mp_inspect: no primary to look at (pass --proc-type=secondary)\n");
		rte_eal_cleanup();
		return 2;
	}
	for (i = ret + 1; i < argc; i++) {
		if (strncmp(argv[i], "ring:", 5) == 0)
			status |= show_ring(argv[i] + 5);
		else if (strncmp(argv[i], "pool:", 5) == 0)
			status |= show_pool(argv[i] + 5);
		else {
			fprintf(stderr, "mp_inspect: '%s' is neither ring:NAME nor pool:NAME\n", argv[i]);
			status = -1;
		}
	}
	fflush(stdout);
	rte_eal_cleanup();
	return status == 0 ? 0 : 1;
}
