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
#include "mpw_todo.h"
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
	/* TODO 1: Primary: create what both processes share, by the names and
	 * sizes of shared.h: a ring for each direction (send_ring, recv_ring) and
	 * the pool of message buffers (message_pool). Several lcores dequeue from
	 * one ring at once. Return 0, or -rte_errno when one cannot be created.
	 * Checks primary_starts, objects_seen_from_outside, pool_as_created,
	 * multi_consumer_drain, creation_fails and messages_at_volume;
	 * walkthrough: "Creating or finding the objects";
	 * make hint LAB=01 TODO=1.
	 */
	MPW_TODO_NOT_DONE(1);
	return -ENOSYS;
	/* end of TODO 1 */
}

int
msg_lookup_shared_objects(void)
{
	/* TODO 2: Secondary: return -ESRCH when no primary is alive (its
	 * hugepage files outlive it), then find the primary's rings and pool by
	 * name. The primary's send ring is this process's receive ring, and back.
	 * Return -ENOENT when one is missing, else 0.
	 * Checks secondary_finds_objects, no_primary, restarted_secondary and
	 * objects_missing; walkthrough: "Creating or finding the objects";
	 * make hint LAB=01 TODO=2.
	 */
	MPW_TODO_NOT_DONE(2);
	return -ENOSYS;
	/* end of TODO 2 */
}

/** Returns 0, -ENOBUFS (pool empty) or -ENOSPC (ring full). */
static int
enqueue_message(__rte_unused const char *text, __rte_unused size_t len)
{
	/* TODO 3: Send text (len characters and its NUL) as one message on
	 * send_ring, in a buffer of message_pool. Return -ENOBUFS when no buffer
	 * is free, -ENOSPC when the ring is full (a refused message must not keep
	 * its buffer), else 0.
	 * Checks full_ring_refuses, ring_contents, both_ways, bulk_in_order,
	 * long_message_refused, restarted_secondary, send_burst,
	 * longest_message, reused_buffer_exact, empty_pool and
	 * messages_at_volume; walkthrough: "Sending and receiving";
	 * make hint LAB=01 TODO=3.
	 */
	MPW_TODO_NOT_DONE(3);
	return -ENOSYS;
	/* end of TODO 3 */
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
	/* TODO 4: Take one message off recv_ring into text (at most size
	 * bytes, NUL-terminated) and give its buffer back to the pool. Return 1,
	 * or 0 when the ring is empty.
	 * Checks secondary_drains_in_order, both_ways, bulk_in_order,
	 * restarted_secondary, multi_consumer_drain, send_burst,
	 * longest_message, reused_buffer_exact and messages_at_volume;
	 * walkthrough: "Sending and receiving"; make hint LAB=01 TODO=4.
	 */
	MPW_TODO_NOT_DONE(4);
	return 0;
	/* end of TODO 4 */
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
