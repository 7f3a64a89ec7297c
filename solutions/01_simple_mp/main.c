/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * simple_mp: two processes exchanging strings through shared rings.
 *
 * The primary creates two rings and a message pool in hugepage memory; the
 * secondary finds them by name. On each process the worker lcores print what
 * arrives while the main lcore runs a prompt to send messages. Run the
 * primary with `--proc-type=primary`, then the secondary with
 * `--proc-type=secondary` and the same `--file-prefix`.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_cycles.h>
#include <rte_lcore.h>

#include "messages.h"
#include "mp_commands.h"
#include "mpw_eal.h"

#define PRIMARY_CHECK_MS 200 /**< How often a secondary checks its primary. */

static volatile sig_atomic_t signalled; /**< Set by on_signal(). */

/** SIGINT or SIGTERM: leave the prompt as `quit` does (poll() returns). */
static void
on_signal(__rte_unused int signum)
{
	signalled = 1;
}

/**
 * Runs the prompt until `quit`, the end of input or a signal.
 * cmdline_interact() would block in read(); waiting in poll() instead lets a
 * secondary check every PRIMARY_CHECK_MS that its primary still runs.
 * Returns -1 when it died.
 */
static int
run_prompt(struct cmdline *cl, int secondary)
{
	struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN };
	uint64_t period = rte_get_timer_hz() * PRIMARY_CHECK_MS / 1000;
	uint64_t next_check = rte_get_timer_cycles() + period;
	char chunk[256];
	ssize_t n;

	/* [prompt] */
	while (!signalled) {
		if (poll(&input, 1, PRIMARY_CHECK_MS) > 0) {
			/* What has arrived, in one read(): cmdline_interact()
			 * makes one per character. */
			n = read(STDIN_FILENO, chunk, sizeof(chunk));
			if (n <= 0 || cmdline_in(cl, chunk, (int)n) < 0 ||
			    simple_mp_quit_requested())
				return 0;	/* end of input, or `quit` */
		}
		if (secondary && rte_get_timer_cycles() >= next_check) {
			next_check = rte_get_timer_cycles() + period;
			if (!rte_eal_primary_proc_alive(NULL))
				return -1;
		}
	}
	return 0;
	/* [prompt] */
}

/** Creates (primary) or finds (secondary) the rings and pool, or exits. */
static void
attach_shared_objects(void)
{
	int ret;

	/* [attach] */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		ret = msg_create_shared_objects();
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
				"Cannot create the rings and message pool: %s\n",
				rte_strerror(-ret));
		return;
	}
	ret = msg_lookup_shared_objects();
	if (ret == -ESRCH) {
		/* Not rte_exit(): its clean-up can wait forever on a lock that
		 * the dead primary held. Exiting releases what we mapped. */
		fprintf(stderr, "No primary process is running with this --file-prefix: start the primary first\n");
		exit(EXIT_FAILURE);
	}
	if (ret < 0)
		rte_exit(EXIT_FAILURE,
			"Cannot find the primary's rings and message pool: %s\n",
			rte_strerror(-ret));
	/* [attach] */
}

/**
 * Start the EAL, attach the shared objects, launch a receiver on every
 * worker lcore and run the prompt on the main lcore until `quit`, Ctrl-D or,
 * in a secondary, the primary's death.
 */
int
main(int argc, char **argv)
{
	struct cmdline *cl;
	unsigned int lcore_id;
	int secondary, primary_died, ret;

	/* Whole lines, also into a pipe or a file, so that logs interleave sanely. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = mpw_eal_init(argc, argv, "simple_mp", "the primary");
	/* argv[ret] is the program's name; anything after it is not EAL's. */
	if (ret + 1 < argc)
		rte_exit(EXIT_FAILURE, "simple_mp has no options of its own, so '%s' is wrong: EAL options go before '--'\n",
			argv[ret + 1]);
	secondary = rte_eal_process_type() == RTE_PROC_SECONDARY;
	attach_shared_objects();
	printf("APP: Finished Process Init.\n");

	/* [launch] */
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		rte_eal_remote_launch(msg_lcore_recv, NULL, lcore_id);
	/* [launch] */

	cl = cmdline_stdin_new(simple_mp_ctx, "\nsimple_mp > ");
	if (cl == NULL) {
		/* Receivers still running would keep rte_exit() from returning. */
		msg_stop();
		rte_eal_mp_wait_lcore();
		rte_exit(EXIT_FAILURE, "Cannot create the command line\n");
	}
	/* Only now is the start-up over: a failure before leaves no file. */
	mpw_eal_ready();
	primary_died = run_prompt(cl, secondary) < 0;
	cmdline_stdin_exit(cl);
	/* After Ctrl-D the cursor still sits on the prompt's line. */
	printf("\n");

	/* `quit`, the end of input or a dead primary: all stop the receivers. */
	msg_stop();
	rte_eal_mp_wait_lcore();
	/* [primary_died] */
	if (primary_died) {
		fprintf(stderr, "The primary process died: stopping\n");
		/* No rte_eal_cleanup(): it can wait forever on a lock that the
		 * dead primary held. Exiting releases what we mapped. */
		exit(EXIT_FAILURE);
	}
	/* [primary_died] */
	if (signalled) {
		char line[256];

		simple_mp_stats_line(line, sizeof(line));
		printf("Exiting on signal\n\n%s\n", line);
	}
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
