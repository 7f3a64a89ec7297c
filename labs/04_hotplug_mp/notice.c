/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Notices: rte_mp_sendmsg() sends, the NOTICE_ACTION action receives.
 *
 * The action runs on EAL's IPC thread and must not block: while it does,
 * this process answers no rte_mp request, EAL's hotplug ones included. A
 * printf() can block (a terminal stopped with Ctrl-S, a pipe nobody reads),
 * so the action only copies the notice into a pipe opened O_NONBLOCK, and
 * the main thread, which polls that pipe beside its input, prints it. A
 * struct notice is smaller than PIPE_BUF: each write() is whole or
 * refused, and each read() of that size takes one notice.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "mpw_todo.h"
#include "notice.h"
#include "shared.h"

static int notice_pipe[2] = { -1, -1 }; /**< [0]: the main thread's end. */
static unsigned int lost;               /**< Notices that found the pipe full. */

/** The action of NOTICE_ACTION, on EAL's IPC thread: hands a notice over. */
static int
on_notice(const struct rte_mp_msg *msg, __rte_unused const void *peer)
{
	struct notice notice;

	/* Another process's bytes: a pid, then a text that ends within them. */
	if (msg->len_param <= (int)offsetof(struct notice, text) ||
			/* Unreachable here: EAL's read_msg() ends its IPC thread
			 * on a len_param above RTE_MP_MAX_PARAM_LEN (sizeof(notice)) first. */
			msg->len_param > (int)sizeof(notice))
		return -EINVAL;
	memset(&notice, 0, sizeof(notice));
	memcpy(&notice, msg->param, msg->len_param);
	if (notice.text[msg->len_param - offsetof(struct notice, text) - 1] != '\0')
		return -EINVAL;
	if (write(notice_pipe[1], &notice, sizeof(notice)) != (ssize_t)sizeof(notice))
		__atomic_fetch_add(&lost, 1, __ATOMIC_RELAXED);
	return 0;
}

int
notice_start(void)
{
	/* One message, and one atomic write() into the pipe. */
	RTE_BUILD_BUG_ON(sizeof(struct notice) > RTE_MP_MAX_PARAM_LEN);
	RTE_BUILD_BUG_ON(sizeof(struct notice) > PIPE_BUF);
	/* Both ends non-blocking: the action's write() and the main thread's
	 * last read() return at once, full pipe or empty. */
	if (pipe(notice_pipe) < 0 ||
			fcntl(notice_pipe[0], F_SETFL, O_NONBLOCK) < 0 ||
			fcntl(notice_pipe[1], F_SETFL, O_NONBLOCK) < 0)
		return -errno;
	if (rte_mp_action_register(NOTICE_ACTION, on_notice) < 0)
		return -rte_errno;
	return 0;
}

void
notice_stop(void)
{
	/* The pipe is not closed: the action may still be running on the IPC
	 * thread, and its write() would go to whatever reuses the number. */
	rte_mp_action_unregister(NOTICE_ACTION);
}

int
notice_fd(void)
{
	return notice_pipe[0];
}

int
notice_print_pending(void)
{
	struct notice notice;
	unsigned int missed;
	int printed = 0;

	while (read(notice_pipe[0], &notice, sizeof(notice)) == (ssize_t)sizeof(notice)) {
		printf("notice from %d: %s\n", (int)notice.pid, notice.text);
		printed++;
	}
	missed = __atomic_exchange_n(&lost, 0, __ATOMIC_RELAXED);
	if (missed > 0)
		printf("%u notices lost: they came faster than they were printed\n", missed);
	return printed;
}

/** Returns 0, or -rte_errno when the message could not be sent. */
static int
send_notice(__rte_unused const char *text, __rte_unused size_t len)
{
	/* TODO 3: Send text (len characters and its NUL) as a message
	 * named NOTICE_ACTION with rte_mp_sendmsg(): its param holds a struct
	 * notice, getpid() then the text, and len_param ends right after the
	 * NUL (offsetof(struct notice, text) + len + 1). Return -rte_errno when
	 * it fails, else 0. A message waits for no answer: it cannot tell
	 * whether anyone received it.
	 * Checks notices and silent_and_dead_peers; walkthrough: "Messages";
	 * make hint LAB=04 TODO=3.
	 */
	MPW_TODO_NOT_DONE(3);
	return -ENOSYS;
	/* end of TODO 3 */
}

void
notice_send(const char *text)
{
	size_t len = strlen(text);
	int ret;

	/* Refused rather than cut: the sender must know what arrives. */
	if (len > NOTICE_TEXT_MAX) {
		printf("notice too long (%zu characters, at most %d): not sent\n",
			len, NOTICE_TEXT_MAX);
		return;
	}
	ret = send_notice(text, len);
	if (ret < 0)
		printf("cannot send the notice: %s\n", rte_strerror(-ret));
	else if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		printf("notice sent to every secondary\n");
	else
		printf("notice sent to the primary\n");
}
