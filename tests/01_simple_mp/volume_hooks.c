/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * volume_hooks.h's counters and markers. The counters are per lcore, on
 * lines of their own, so that counting adds no traffic between the lcores
 * whose races the check is looking for.
 */

#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "volume_hooks.h"

struct counts {
	uint64_t took;
	uint64_t returned;
} __rte_cache_aligned;

/** One per lcore id; the last one for threads without one (counted atomically). */
static struct counts counts[RTE_MAX_LCORE + 1];

static struct counts *
mine(void)
{
	unsigned int lcore = rte_lcore_id();

	return &counts[lcore < RTE_MAX_LCORE ? lcore : RTE_MAX_LCORE];
}

int
volume_get(struct rte_mempool *mp, void **objs, unsigned int n)
{
	int ret = rte_mempool_get_bulk(mp, objs, n);

	if (ret == 0)
		__atomic_fetch_add(&mine()->took, n, __ATOMIC_RELAXED);
	return ret;
}

void
volume_put(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	const char *mark = rte_eal_process_type() == RTE_PROC_PRIMARY ?
		VOLUME_FREED_BY_SENDER : VOLUME_FREED_BY_RECEIVER;
	size_t len = RTE_MIN(strlen(mark) + 1, (size_t)mp->elt_size);
	unsigned int i;

	for (i = 0; i < n; i++)
		memcpy(objs[i], mark, len);
	__atomic_fetch_add(&mine()->returned, n, __ATOMIC_RELAXED);
	rte_mempool_put_bulk(mp, objs, n);
}

void
volume_counts(uint64_t *took, uint64_t *returned)
{
	unsigned int i;

	*took = 0;
	*returned = 0;
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		*took += __atomic_load_n(&counts[i].took, __ATOMIC_RELAXED);
		*returned += __atomic_load_n(&counts[i].returned, __ATOMIC_RELAXED);
	}
}
