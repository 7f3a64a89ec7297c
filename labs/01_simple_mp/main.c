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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_socket.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "messages.h"
#include "mp_commands.h"

/** True when the command line asks for a secondary process. */
static int
asks_for_secondary(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--proc-type=secondary") == 0)
			return 1;
		if (strcmp(argv[i], "--proc-type") == 0 && i + 1 < argc &&
				strcmp(argv[i + 1], "secondary") == 0)
			return 1;
	}
	return 0;
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
 * worker lcore and run the prompt on the main lcore until `quit` or Ctrl-D.
 */
int
main(int argc, char **argv)
{
	/* Read before rte_eal_init(), which reorders argv. */
	int secondary = asks_for_secondary(argc, argv);
	struct cmdline *cl;
	unsigned int lcore_id;

	/* Whole lines, also into a pipe or a file, so that logs interleave sanely. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "simple_mp: cannot initialise the EAL (see its messages above)\n");
		if (secondary)
			fprintf(stderr, "simple_mp: no primary process is running with this --file-prefix: start the primary first\n");
		else
			fprintf(stderr, "simple_mp: if secondaries of an earlier primary still run with this --file-prefix, quit them first\n");
		return EXIT_FAILURE;
	}

	attach_shared_objects();
	printf("APP: Finished Process Init.\n");

	/* [launch] */
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		rte_eal_remote_launch(msg_lcore_recv, NULL, lcore_id);
	/* [launch] */

	cl = cmdline_stdin_new(simple_mp_ctx, "\nsimple_mp > ");
	if (cl == NULL)
		rte_exit(EXIT_FAILURE, "Cannot create the command line\n");
	cmdline_interact(cl);
	cmdline_stdin_exit(cl);
	/* After Ctrl-D the cursor still sits on the prompt's line. */
	printf("\n");

	/* `quit` or end of input: both stop the receivers. */
	msg_stop();
	rte_eal_mp_wait_lcore();
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
