/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Parsing of symmetric_mp's options. Every number is checked whole: no
 * garbage after it, no overflow, in range.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_ethdev.h>

#include "args.h"

#define OPT_NUM_PROCS "num-procs" /**< --num-procs N: processes, queues per port. */
#define OPT_PROC_ID "proc-id"     /**< --proc-id I: this process's queue. */

/** Print the options after EAL's. */
static void
print_usage(const char *prgname)
{
	fprintf(stderr,
		"Usage: %s [EAL options] -- -p PORTMASK --" OPT_NUM_PROCS " N --" OPT_PROC_ID " I\n"
		"  -p PORTMASK        hexadecimal mask of the ports to use (an even number of ports)\n"
		"  --" OPT_NUM_PROCS " N      processes sharing the ports, one RX/TX queue each\n"
		"  --" OPT_PROC_ID " I        this process's id, 0 <= I < N: the queue it polls\n",
		prgname);
}

/** Parses a whole number in [min, max]; returns 0 or -1. */
static int
parse_number(const char *text, int base, uint64_t min, uint64_t max,
		uint64_t *value)
{
	char *end;

	if (text == NULL || *text == '\0' || *text == '-')
		return -1;
	errno = 0;
	*value = strtoull(text, &end, base);
	if (errno != 0 || *end != '\0' || *value < min || *value > max)
		return -1;
	return 0;
}

int
smp_parse_args(int argc, char **argv, struct smp_args *args)
{
	static const struct option long_options[] = {
		{ OPT_NUM_PROCS, required_argument, NULL, 'n' },
		{ OPT_PROC_ID, required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prgname = argv[0];
	int have_procs = 0, have_id = 0;
	uint64_t value;
	int opt;

	args->port_mask = 0;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:", long_options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (parse_number(optarg, 16, 1, UINT64_MAX, &value) < 0) {
				fprintf(stderr, "Error: -p wants a non-zero hexadecimal port mask, not '%s'\n",
					optarg);
				goto usage;
			}
			args->port_mask = value;
			break;
		case 'n':
			if (parse_number(optarg, 10, 1, RTE_MAX_QUEUES_PER_PORT, &value) < 0) {
				fprintf(stderr, "Error: --" OPT_NUM_PROCS " wants a number from 1 to %d, not '%s'\n",
					RTE_MAX_QUEUES_PER_PORT, optarg);
				goto usage;
			}
			args->num_procs = value;
			have_procs = 1;
			break;
		case 'i':
			if (parse_number(optarg, 10, 0, RTE_MAX_QUEUES_PER_PORT - 1, &value) < 0) {
				fprintf(stderr, "Error: --" OPT_PROC_ID " wants a number from 0 to %d, not '%s'\n",
					RTE_MAX_QUEUES_PER_PORT - 1, optarg);
				goto usage;
			}
			args->proc_id = value;
			have_id = 1;
			break;
		default:
			fprintf(stderr, "Error: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'\n", argv[optind]);
		goto usage;
	}
	if (args->port_mask == 0 || !have_procs || !have_id) {
		fprintf(stderr, "Error: -p, --" OPT_NUM_PROCS " and --" OPT_PROC_ID " are all required\n");
		goto usage;
	}
	if (args->proc_id >= args->num_procs) {
		fprintf(stderr, "Error: --" OPT_PROC_ID " %u must be less than --" OPT_NUM_PROCS " %u\n",
			args->proc_id, args->num_procs);
		goto usage;
	}
	return 0;
usage:
	print_usage(prgname);
	return -1;
}
