/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The message layer: the shared rings and pool, sending, receiving and
 * this process's counters.
 */

#ifndef SIMPLE_MP_MESSAGES_H
#define SIMPLE_MP_MESSAGES_H

#include <stdint.h>
#include <stddef.h>

/** This process's message counters, summed over its lcores. */
struct msg_stats {
	uint64_t sent;     /**< Messages enqueued towards the other process. */
	uint64_t received; /**< Messages dequeued from the other process. */
	uint64_t dropped;  /**< Messages refused because the ring was full. */
};

/**
 * Primary: create both rings and the message pool.
 * @return 0, or a negative errno value (rte_errno of the call that failed).
 */
int msg_create_shared_objects(void);

/**
 * Secondary: find the primary's rings and pool by name.
 * @return 0; -ESRCH when no primary runs; -ENOENT when an object is missing.
 */
int msg_lookup_shared_objects(void);

/**
 * Copy @p text into a message buffer and enqueue it towards the other process.
 * @return 0 when sent; -EMSGSIZE when @p text does not fit in a buffer;
 *   -ENOBUFS when the pool is empty; -ENOSPC when the ring is full (the
 *   buffer went back to the pool).
 */
int msg_send(const char *text);

/**
 * msg_send(), but while the ring is full or the pool empty, retry for up to
 * a second: for a sender that must not outrun the receiver.
 * @return 0 when sent; -EMSGSIZE; -ENOSPC or -ENOBUFS after a second of
 *   retries (-ENOSPC counts as dropped).
 */
int msg_send_wait(const char *text);

/** Worker lcore loop: receive and print messages until msg_stop(). */
int msg_lcore_recv(void *arg);

/** Ask every msg_lcore_recv() loop to return. */
void msg_stop(void);

/** Read this process's counters. */
void msg_get_stats(struct msg_stats *stats);

/** Messages waiting in the send and in the receive ring. */
void msg_get_queued(unsigned int *to_send, unsigned int *to_receive);

/** Message buffers now free in the pool, lcore caches included. */
unsigned int msg_pool_free(void);

/** Message buffers in the pool. */
unsigned int msg_pool_total(void);

#endif /* SIMPLE_MP_MESSAGES_H */
