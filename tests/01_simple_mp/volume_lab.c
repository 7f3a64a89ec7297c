/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The checked copy's messages.c, compiled here whole: msg_volume calls its
 * static msg_receive() itself, so that two receivers start a round at the
 * same instant, as msg_lcore_recv() (which sleeps when idle, and prints)
 * would not; and its pool calls go through volume_wrap.h.
 */

#include "volume_wrap.h"

#include "messages.c"

#include "volume_lab.h"

int
volume_receive(char *text, size_t size)
{
	return msg_receive(text, size);
}

int
volume_short_receive(const char *text, char *out, size_t size)
{
	void *buf;

	/* TEXT on recv_ring, in a buffer of the pool, as a sender puts it. */
	if (rte_mempool_get(message_pool, &buf) < 0)
		return -ENOBUFS;
	snprintf(buf, MSG_SIZE, "%s", text);
	if (rte_ring_enqueue(recv_ring, buf) < 0) {
		rte_mempool_put(message_pool, buf);
		return -ENOSPC;
	}
	return msg_receive(out, size);
}
