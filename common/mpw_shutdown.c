/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The ordered shutdown: see mpw_shutdown.h. A lock, not a list of pids in
 * shared memory: the kernel drops it when a secondary exits however it
 * exits, so a SIGKILLed secondary never makes its primary wait.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "mpw_shutdown.h"

#define LOCK_FILE "mpw_secondaries" /**< In the runtime directory. */
#define STOP_ACTION "mpw_stop"      /**< The rte_mp message "stop now". */

static void (*stop_callback)(void); /**< The secondary's on_stop. */

/** Opens the lock file of this --file-prefix (@p flags: O_CREAT or 0). */
static int
open_lock_file(int flags)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", rte_eal_get_runtime_dir(), LOCK_FILE);
	fd = open(path, O_RDWR | O_CLOEXEC | flags, 0600);
	if (fd < 0)
		return -errno;
	return fd;
}

/** rte_mp action, in the secondary's IPC thread. */
static int
on_stop_message(const struct rte_mp_msg *msg, const void *peer)
{
	(void)msg;
	(void)peer;
	if (stop_callback != NULL)
		stop_callback();
	return 0;
}

int
mpw_primary_prepare(void)
{
	int fd = open_lock_file(O_CREAT);

	/* No runtime directory (--in-memory, --no-shconf): no secondary can
	 * attach, so there is nobody to wait for. */
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int
mpw_secondary_join(void (*on_stop)(void))
{
	/* The primary's, made at its start: a secondary adds no file to the
	 * runtime directory, not even when it then refuses to run. */
	int fd = open_lock_file(0);

	if (fd < 0)
		return fd;
	/* Kept open, never closed: the lock lasts as long as the process. */
	if (flock(fd, LOCK_SH) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	stop_callback = on_stop;
	if (rte_mp_action_register(STOP_ACTION, on_stop_message) < 0)
		return -rte_errno;
	return 0;
}

/** Milliseconds of CLOCK_MONOTONIC. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int
mpw_secondaries_stop(unsigned int timeout_ms)
{
	const long long deadline = now_ms() + timeout_ms;
	const struct timespec a_moment = { .tv_nsec = 1000000 };
	struct rte_mp_msg msg;
	int fd, ret;

	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, STOP_ACTION, sizeof(msg.name));
	/* To every secondary at once; one that already exited is skipped. */
	rte_mp_sendmsg(&msg);

	fd = open_lock_file(0);
	if (fd == -ENOENT)
		return 0;	/* as in mpw_primary_prepare() */
	if (fd < 0)
		return fd;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			ret = 0;
			break;
		}
		if (errno != EWOULDBLOCK) {
			ret = -errno;
			break;
		}
		if (now_ms() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		nanosleep(&a_moment, NULL);
	}
	close(fd);
	return ret;
}
