/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The message layer of simple_mp: two rings and one pool in shared memory.
 *
 * A message is a fixed-size buffer taken from the pool, filled with a
 * string and enqueued as a pointer. The receiver copies the string out and
 * puts the buffer back, so the pool's free count returns to its total once
 * every message has been received.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "messages.h"
#include "shared.h"

static struct rte_ring *send_ring;    /**< Towards the other process. */
static struct rte_ring *recv_ring;    /**< From the other process. */
static struct rte_mempool *message_pool; /**< Buffers of both rings. */

static struct msg_stats stats;  /**< Updated with relaxed atomics. */
static volatile int stopping;   /**< Set by msg_stop(). */

/**
 * Idle receivers sleep this long, so that an idle lab leaves the cores free.
 * Nobody at the prompt notices a millisecond; a busy lcore on the same core
 * (the other process's receiver, in flow) notices every wake-up, which takes
 * the core from it: at 5 us, an idle pair of processes used a quarter of a
 * core and halved the other's rate.
 */
#define RECV_IDLE_US 1000
/**
 * But only after polling this long in vain: a sender in full flow would
 * find the ring full long before a sleeping receiver wakes up.
 */
#define RECV_SPIN_US 200
/** Lines printed together at most: one write() costs as much as formatting many. */
#define RECV_BATCH 256
/** The longest line: "core ", an lcore id, ": Received '", the text, "'\n". */
#define RECV_LINE_MAX (MSG_SIZE + 32)
/** How long msg_send_wait() waits for room in the ring before giving up. */
#define SEND_WAIT_MS 1000
/**
 * And how long between two tries: each try reads the ring's consumer index,
 * on the cache line that the receiver writes twice per message; retrying at
 * once would keep taking that line away from it.
 */
#define SEND_RETRY_US 1

int
msg_create_shared_objects(void)
{
	/* TODO(1) begin */
	/* [create] */
	send_ring = rte_ring_create(PRI_2_SEC, RING_SIZE, rte_socket_id(), 0);
	if (send_ring == NULL)
		goto fail;
	recv_ring = rte_ring_create(SEC_2_PRI, RING_SIZE, rte_socket_id(), 0);
	if (recv_ring == NULL)
		goto fail;
	/* No constructors: a buffer's bytes are written before every use. */
	message_pool = rte_mempool_create(MSG_POOL, POOL_SIZE, MSG_SIZE,
			POOL_CACHE, 0, NULL, NULL, NULL, NULL,
			rte_socket_id(), 0);
	if (message_pool == NULL)
		goto fail;
	return 0;
fail:
	return -rte_errno;
	/* [create] */
	/* TODO(1) skeleton:
	MPW_TODO_NOT_DONE(1);
	return -ENOSYS;
	 */
	/* TODO(1) end */
}

int
msg_lookup_shared_objects(void)
{
	/* TODO(2) begin */
	/* [lookup] */
	/* A dead primary's hugepage files still hold its rings: look first. */
	if (!rte_eal_primary_proc_alive(NULL))
		return -ESRCH;
	recv_ring = rte_ring_lookup(PRI_2_SEC);
	send_ring = rte_ring_lookup(SEC_2_PRI);
	message_pool = rte_mempool_lookup(MSG_POOL);
	if (recv_ring == NULL || send_ring == NULL || message_pool == NULL)
		return -ENOENT;
	/* [lookup] */
	return 0;
	/* TODO(2) skeleton:
	MPW_TODO_NOT_DONE(2);
	return -ENOSYS;
	 */
	/* TODO(2) end */
}

/** Returns 0, -ENOBUFS (pool empty) or -ENOSPC (ring full). */
static int
enqueue_message(__rte_unused const char *text, __rte_unused size_t len)
{
	/* TODO(3) begin */
	void *msg;

	/* [enqueue] */
	if (rte_mempool_get(message_pool, &msg) < 0)
		return -ENOBUFS;
	memcpy(msg, text, len + 1);
	if (rte_ring_enqueue(send_ring, msg) < 0) {
		rte_mempool_put(message_pool, msg);
		return -ENOSPC;
	}
	/* [enqueue] */
	return 0;
	/* TODO(3) skeleton:
	MPW_TODO_NOT_DONE(3);
	return -ENOSYS;
	 */
	/* TODO(3) end */
}

/**
 * Sends text; while the ring is full or the pool empty, retries for up to
 * wait_ms (0: not at all). Counts it as sent, or as dropped at a full ring.
 */
static int
send_message(const char *text, unsigned int wait_ms)
{
	size_t len = strlen(text);
	uint64_t deadline = 0;
	int ret;

	/* Refuse rather than truncate: the sender must know what arrives. */
	if (len >= MSG_SIZE)
		return -EMSGSIZE;
	for (;;) {
		ret = enqueue_message(text, len);
		if ((ret != -ENOSPC && ret != -ENOBUFS) || wait_ms == 0)
			break;
		/* The clock is read only once the ring was found full. */
		if (deadline == 0)
			deadline = rte_get_timer_cycles() +
				rte_get_timer_hz() * wait_ms / 1000;
		else if (rte_get_timer_cycles() > deadline)
			break;
		rte_delay_us_block(SEND_RETRY_US);
	}
	if (ret == 0)
		__atomic_fetch_add(&stats.sent, 1, __ATOMIC_RELAXED);
	else if (ret == -ENOSPC)
		__atomic_fetch_add(&stats.dropped, 1, __ATOMIC_RELAXED);
	return ret;
}

int
msg_send(const char *text)
{
	return send_message(text, 0);
}

int
msg_send_wait(const char *text)
{
	return send_message(text, SEND_WAIT_MS);
}

/** Returns 1 with the message copied to text, or 0 when the ring is empty. */
static int
dequeue_message(__rte_unused char *text, __rte_unused size_t size)
{
	/* TODO(4) begin */
	void *msg;

	/* [dequeue] */
	if (rte_ring_dequeue(recv_ring, &msg) < 0)
		return 0;
	snprintf(text, size, "%s", (const char *)msg);
	/* Back to the pool at once: the buffer is the scarce, shared part. */
	rte_mempool_put(message_pool, msg);
	/* [dequeue] */
	return 1;
	/* TODO(4) skeleton:
	MPW_TODO_NOT_DONE(4);
	return 0;
	 */
	/* TODO(4) end */
}

/**
 * Dequeue one message, if any, copy it into @p text and free its buffer.
 * @param text  Destination, at least @p size bytes.
 * @param size  Bytes available at @p text.
 * @return 1 when a message was received, 0 when the ring was empty.
 */
static int
msg_receive(char *text, size_t size)
{
	if (!dequeue_message(text, size))
		return 0;
	__atomic_fetch_add(&stats.received, 1, __ATOMIC_RELAXED);
	return 1;
}

/** Writes the gathered lines in one write(), now: stdout may be a file. */
static void
print_lines(const char *lines, size_t used)
{
	if (used == 0)
		return;
	fwrite(lines, 1, used, stdout);
	fflush(stdout);
}

int
msg_lcore_recv(__rte_unused void *arg)
{
	const uint64_t spin_cycles = rte_get_timer_hz() * RECV_SPIN_US / 1000000;
	unsigned int lcore_id = rte_lcore_id();
	uint64_t last_message = 0;
	char text[MSG_SIZE];
	/* Whole lines, written together: one write() per batch, not per message. */
	char lines[RECV_BATCH * RECV_LINE_MAX];
	size_t used = 0;

	printf("Starting core %u\n", lcore_id);
	/* [recv_loop] */
	while (!stopping) {
		if (msg_receive(text, sizeof(text))) {
			used += snprintf(lines + used, sizeof(lines) - used,
					"core %u: Received '%s'\n", lcore_id, text);
			if (used + RECV_LINE_MAX <= sizeof(lines))
				continue;
		}
		/* The ring is empty or the batch full: print what came. */
		if (used > 0) {
			print_lines(lines, used);
			used = 0;
			last_message = rte_get_timer_cycles();
		} else if (rte_get_timer_cycles() - last_message > spin_cycles) {
			rte_delay_us_sleep(RECV_IDLE_US);
		}
	}
	/* [recv_loop] */
	/* Counted as received: print them, stopping or not. */
	print_lines(lines, used);
	return 0;
}

void
msg_stop(void)
{
	stopping = 1;
}

void
msg_get_stats(struct msg_stats *out)
{
	out->sent = __atomic_load_n(&stats.sent, __ATOMIC_RELAXED);
	out->received = __atomic_load_n(&stats.received, __ATOMIC_RELAXED);
	out->dropped = __atomic_load_n(&stats.dropped, __ATOMIC_RELAXED);
}

void
msg_get_queued(unsigned int *to_send, unsigned int *to_receive)
{
	*to_send = send_ring != NULL ? rte_ring_count(send_ring) : 0;
	*to_receive = recv_ring != NULL ? rte_ring_count(recv_ring) : 0;
}

unsigned int
msg_pool_free(void)
{
	return rte_mempool_avail_count(message_pool);
}

unsigned int
msg_pool_total(void)
{
	return message_pool->size;
}
