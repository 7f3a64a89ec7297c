/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Names and sizes that the primary and the secondary must agree on.
 *
 * Both processes are built from the same sources, so they agree by
 * construction: the primary creates objects under these names and the
 * secondary finds them under the same names.
 */

#ifndef SIMPLE_MP_SHARED_H
#define SIMPLE_MP_SHARED_H

/** Ring carrying messages from the primary to the secondary. */
#define PRI_2_SEC "PRI_2_SEC"
/** Ring carrying messages from the secondary to the primary. */
#define SEC_2_PRI "SEC_2_PRI"
/** Mempool holding the message buffers of both directions. */
#define MSG_POOL "MSG_POOL"

/** Ring slots; a ring of N slots holds N - 1 messages. */
#define RING_SIZE 64
/** Message buffers in the pool, shared by both directions. */
#define POOL_SIZE 1024
/** Per-lcore cache of the pool: gets and puts mostly stay lcore-local. */
#define POOL_CACHE 32
/** Bytes in one message buffer, the terminating NUL included. */
#define MSG_SIZE 128

#endif /* SIMPLE_MP_SHARED_H */
