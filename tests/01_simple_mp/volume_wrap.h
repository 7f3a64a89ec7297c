/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Included by volume_lab.c before the lab's messages.c, and by nothing
 * else: the lab's calls that take or put back pool buffers go through
 * volume_hooks.c, which counts and marks them, then calls DPDK's own.
 * rte_mempool.h comes first, so that the lab's own #include of it adds
 * nothing after these macros.
 */

#ifndef VOLUME_WRAP_H
#define VOLUME_WRAP_H

#include <rte_mempool.h>
#include <rte_ring.h>

#include "volume_hooks.h"

#define rte_mempool_get(mp, obj_p) volume_get((mp), (obj_p), 1)
#define rte_mempool_get_bulk(mp, objs, n) volume_get((mp), (objs), (n))
#define rte_mempool_generic_get(mp, objs, n, cache) volume_get((mp), (objs), (n))
#define rte_mempool_put(mp, obj) volume_put((mp), (void * const []){ (obj) }, 1)
#define rte_mempool_put_bulk(mp, objs, n) volume_put((mp), (objs), (n))
#define rte_mempool_generic_put(mp, objs, n, cache) volume_put((mp), (objs), (n))

/* Each enqueue, then a look at what it enqueued: a buffer still marked as
 * just taken went out before its text (a macro does not expand itself). */
#define rte_ring_enqueue(r, obj) volume_enqueued_one((obj), rte_ring_enqueue((r), (obj)))
#define rte_ring_mp_enqueue(r, obj) volume_enqueued_one((obj), rte_ring_mp_enqueue((r), (obj)))
#define rte_ring_sp_enqueue(r, obj) volume_enqueued_one((obj), rte_ring_sp_enqueue((r), (obj)))
#define rte_ring_enqueue_bulk(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_enqueue_bulk((r), (objs), (n), (free)))
#define rte_ring_mp_enqueue_bulk(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_mp_enqueue_bulk((r), (objs), (n), (free)))
#define rte_ring_sp_enqueue_bulk(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_sp_enqueue_bulk((r), (objs), (n), (free)))
#define rte_ring_enqueue_burst(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_enqueue_burst((r), (objs), (n), (free)))
#define rte_ring_mp_enqueue_burst(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_mp_enqueue_burst((r), (objs), (n), (free)))
#define rte_ring_sp_enqueue_burst(r, objs, n, free) \
	volume_enqueued((objs), rte_ring_sp_enqueue_burst((r), (objs), (n), (free)))
#define rte_ring_enqueue_elem(r, obj, esize) \
	volume_enqueued_one(*(void **)(obj), rte_ring_enqueue_elem((r), (obj), (esize)))
#define rte_ring_mp_enqueue_elem(r, obj, esize) \
	volume_enqueued_one(*(void **)(obj), rte_ring_mp_enqueue_elem((r), (obj), (esize)))
#define rte_ring_sp_enqueue_elem(r, obj, esize) \
	volume_enqueued_one(*(void **)(obj), rte_ring_sp_enqueue_elem((r), (obj), (esize)))
#define rte_ring_enqueue_bulk_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_enqueue_bulk_elem((r), (objs), (esize), (n), (free)))
#define rte_ring_mp_enqueue_bulk_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_mp_enqueue_bulk_elem((r), (objs), (esize), (n), (free)))
#define rte_ring_sp_enqueue_bulk_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_sp_enqueue_bulk_elem((r), (objs), (esize), (n), (free)))
#define rte_ring_enqueue_burst_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_enqueue_burst_elem((r), (objs), (esize), (n), (free)))
#define rte_ring_mp_enqueue_burst_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_mp_enqueue_burst_elem((r), (objs), (esize), (n), (free)))
#define rte_ring_sp_enqueue_burst_elem(r, objs, esize, n, free) \
	volume_enqueued_elem((objs), (esize), rte_ring_sp_enqueue_burst_elem((r), (objs), (esize), (n), (free)))

#endif /* VOLUME_WRAP_H */
