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
/** What a buffer holds from the moment it is taken until its text is written. */
#define VOLUME_TAKEN "<taken, its text not written yet>"

/** Takes @p n buffers as rte_mempool_get_bulk() does, and counts them. */
int volume_get(struct rte_mempool *mp, void **objs, unsigned int n);

/** Marks @p n buffers, puts them back as rte_mempool_put_bulk(), counts them. */
void volume_put(struct rte_mempool *mp, void * const *objs, unsigned int n);

/** Buffers this process took from, and put back into, any pool so far. */
void volume_counts(uint64_t *took, uint64_t *returned);

/**
 * After an enqueue of the lab's that enqueued the first DONE of OBJS: counts
 * those that still hold VOLUME_TAKEN (enqueued before their text was
 * written, so that a receiver may read them first). Returns DONE.
 */
unsigned int volume_enqueued(void * const *objs, unsigned int done);

/** volume_enqueued() for a single-object enqueue that returned RET (0: done). */
int volume_enqueued_one(void *obj, int ret);

/** volume_enqueued() for the elem calls: OBJS of ESIZE bytes each, pointers
 * when ESIZE is a pointer's size (else nothing is looked at). */
unsigned int volume_enqueued_elem(const void *objs, unsigned int esize, unsigned int done);

/** How many buffers were enqueued before their text, in this process. */
uint64_t volume_unwritten(void);

#endif /* VOLUME_HOOKS_H */
