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

#include "volume_hooks.h"

#define rte_mempool_get(mp, obj_p) volume_get((mp), (obj_p), 1)
#define rte_mempool_get_bulk(mp, objs, n) volume_get((mp), (objs), (n))
#define rte_mempool_generic_get(mp, objs, n, cache) volume_get((mp), (objs), (n))
#define rte_mempool_put(mp, obj) volume_put((mp), (void * const []){ (obj) }, 1)
#define rte_mempool_put_bulk(mp, objs, n) volume_put((mp), (objs), (n))
#define rte_mempool_generic_put(mp, objs, n, cache) volume_put((mp), (objs), (n))

#endif /* VOLUME_WRAP_H */
