/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * hotplug_mp: the control plane of a process group, over rte_mp.
 *
 * One program, run once as the primary and as any number of secondaries
 * with the same --file-prefix. Each registers its rte_mp actions, then runs
 * the prompt "example> " of DPDK's hotplug_mp example: attach and detach
 * devices in every process, list the ports, ask the peers who they are
 * (`peers`) and send them a line of text (`notify`).
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "commands.h"
#include "mpw_eal.h"
#include "mpw_shutdown.h"
#include "notice.h"
#include "peers.h"

#define PROMPT "example> " /**< Upstream hotplug_mp's. */
/**
 * The longest the prompt waits in poll(). A signal may be delivered to one
 * of EAL's threads rather than to this one, and then interrupts no poll():
 * the flag it set is seen within this time.
 */
#define SIGNAL_CHECK_MS 200

static volatile sig_atomic_t signalled; /**< Set by on_signal(). */
static volatile int primary_stopping;   /**< Set by on_primary_stop(). */

/** SIGINT or SIGTERM: leave the prompt as `quit` does. */
static void
on_signal(__rte_unused int signum)
{
	signalled = 1;
}

/**
 * The primary stops (the ordered shutdown, common/mpw_shutdown.h): leave the
 * prompt. In EAL's IPC thread, so it only sets a flag.
 */
static void
on_primary_stop(void)
{
	primary_stopping = 1;
}

/**
 * Prints the notices that the IPC thread handed over, on lines of their
 * own, and shows the prompt again: on a terminal with what was typed so far.
 */
static void
show_notices(struct cmdline *cl)
{
	printf("\n");
	notice_print_pending();
	if (isatty(STDIN_FILENO))
		rdline_redisplay(cmdline_get_rdline(cl));
	else
		printf("%s", PROMPT);
	fflush(stdout);
}

/**
 * Runs the prompt until `quit`, the end of input or a signal, waiting in
 * poll() for input or a notice: cmdline_interact() would block in read()
 * and print no notice until the next command.
 */
static void
run_prompt(struct cmdline *cl)
{
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = notice_fd(), .events = POLLIN },
	};
	char chunk[256];
	ssize_t n;

	/* [prompt] */
	while (!signalled && !primary_stopping) {
		if (poll(fds, 2, SIGNAL_CHECK_MS) <= 0)
			continue;
		if (fds[1].revents & POLLIN)
			show_notices(cl);
		if (fds[0].revents & (POLLIN | POLLHUP)) {
			/* What has arrived, in one read(): cmdline_interact()
			 * makes one per character. */
			n = read(STDIN_FILENO, chunk, sizeof(chunk));
			if (n <= 0 || cmdline_in(cl, chunk, (int)n) < 0 ||
			    hotplug_mp_quit_requested())
				return;	/* end of input, or `quit` */
		}
	}
	/* [prompt] */
}

/** Registers the rte_mp actions of `peers` and `notify`, or exits. */
static void
start_ipc(void)
{
	int ret;

	ret = peers_start();
	if (ret == 0)
		ret = notice_start();
	/* --in-memory and --no-shconf make no socket, so no IPC at all. */
	if (ret == -ENOTSUP)
		rte_exit(EXIT_FAILURE, "hotplug_mp talks over EAL's IPC, which --in-memory and --no-shconf turn off: run without them\n");
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot register the rte_mp actions: %s\n",
			rte_strerror(-ret));
}

/**
 * Start the EAL and the IPC actions, then run the prompt until `quit`,
 * the end of input or a signal.
 */
int
main(int argc, char **argv)
{
	struct cmdline *cl;
	int secondary, ret;

	/* Whole lines, also into a pipe or a file, so that logs interleave sanely. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = mpw_eal_init(argc, argv, "hotplug_mp", "the primary");
	/* argv[ret] is the program's name; anything after it is not EAL's. */
	if (ret + 1 < argc)
		rte_exit(EXIT_FAILURE, "hotplug_mp has no options of its own, so '%s' is wrong: EAL options go before '--'\n",
			argv[ret + 1]);
	secondary = rte_eal_process_type() == RTE_PROC_SECONDARY;
	ret = secondary ? mpw_secondary_join(on_primary_stop) : mpw_primary_prepare();
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot set up the ordered shutdown: %s\n",
			strerror(-ret));
	start_ipc();
	printf("hotplug_mp: pid %d, %s process\n", (int)getpid(),
		secondary ? "secondary" : "primary");

	cl = cmdline_stdin_new(hotplug_mp_ctx, PROMPT);
	if (cl == NULL)
		rte_exit(EXIT_FAILURE, "Cannot create the command line\n");
	/* Only now is the start-up over: a failure before leaves no file. */
	mpw_eal_ready();
	run_prompt(cl);
	cmdline_stdin_exit(cl);
	/* After Ctrl-D the cursor still sits on the prompt's line. */
	printf("\n");
	if (signalled)
		printf("Exiting on signal\n");
	else if (primary_stopping)
		printf("Exiting: the primary is stopping\n");

	notice_stop();
	peers_stop();
	/* [primary_gone] */
	if (secondary && !rte_eal_primary_proc_alive(NULL)) {
		/* No rte_eal_cleanup(): it can wait forever on a lock that the
		 * dead primary held. Exiting releases what we mapped. */
		return EXIT_SUCCESS;
	}
	/* [primary_gone] */
	/* [shutdown] */
	/* The secondaries first: a primary's clean-up may free heap pages,
	 * which it syncs with every secondary (a request of up to 5 s) while it
	 * holds the memory hotplug lock; a secondary in its own clean-up no
	 * longer answers, and waits for that lock. */
	if (!secondary && mpw_secondaries_stop(MPW_SHUTDOWN_WAIT_MS) < 0) {
		printf("A secondary process still runs after %u ms: no EAL clean-up\n",
			MPW_SHUTDOWN_WAIT_MS);
		return EXIT_FAILURE;
	}
	/* [shutdown] */
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
