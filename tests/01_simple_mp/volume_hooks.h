/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * What msg_volume learns from the pool calls of the lab's messages.c, which
 * it builds with volume_wrap.h: how many buffers this process took and put
 * back, and a marker in every buffer put back.
 *
 * The marker is what a receiver that copies a message out of a buffer it
 * already gave back reads: nothing else would show it, since a buffer put
 * back stays on top of the putting lcore's cache, where no other lcore can
 * take it before the copy.
 */

#ifndef VOLUME_HOOKS_H
#define VOLUME_HOOKS_H

#include <stdint.h>

#include <rte_mempool.h>

/** What a buffer put back by the primary (the sending process) holds. */
#define VOLUME_FREED_BY_SENDER "<put back by the sending process>"
/** What a buffer put back by the secondary (the receiving process) holds. */
#define VOLUME_FREED_BY_RECEIVER "<put back by the receiving process>"

/** Takes @p n buffers as rte_mempool_get_bulk() does, and counts them. */
int volume_get(struct rte_mempool *mp, void **objs, unsigned int n);

/** Marks @p n buffers, puts them back as rte_mempool_put_bulk(), counts them. */
void volume_put(struct rte_mempool *mp, void * const *objs, unsigned int n);

/** Buffers this process took from, and put back into, any pool so far. */
void volume_counts(uint64_t *took, uint64_t *returned);

#endif /* VOLUME_HOOKS_H */
