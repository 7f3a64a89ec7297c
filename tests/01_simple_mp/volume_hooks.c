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

/** Buffers enqueued before their text was written. */
static uint64_t unwritten;

int
volume_get(struct rte_mempool *mp, void **objs, unsigned int n)
{
	size_t len = RTE_MIN(sizeof(VOLUME_TAKEN), (size_t)mp->elt_size);
	int ret = rte_mempool_get_bulk(mp, objs, n);
	unsigned int i;

	if (ret == 0) {
		for (i = 0; i < n; i++)
			memcpy(objs[i], VOLUME_TAKEN, len);
		__atomic_fetch_add(&mine()->took, n, __ATOMIC_RELAXED);
	}
	return ret;
}

unsigned int
volume_enqueued(void * const *objs, unsigned int done)
{
	unsigned int i;

	for (i = 0; i < done; i++)
		if (strncmp(objs[i], VOLUME_TAKEN, sizeof(VOLUME_TAKEN)) == 0)
			__atomic_fetch_add(&unwritten, 1, __ATOMIC_RELAXED);
	return done;
}

int
volume_enqueued_one(void *obj, int ret)
{
	if (ret == 0)
		volume_enqueued(&obj, 1);
	return ret;
}

unsigned int
volume_enqueued_elem(const void *objs, unsigned int esize, unsigned int done)
{
	if (esize == sizeof(void *))
		volume_enqueued(objs, done);
	return done;
}

uint64_t
volume_unwritten(void)
{
	return __atomic_load_n(&unwritten, __ATOMIC_RELAXED);
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
