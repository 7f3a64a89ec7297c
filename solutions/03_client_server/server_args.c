/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Parsing of mp_server's options. Every number is checked whole: no garbage
 * after it, no overflow, in range.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "server_args.h"

/** Print the options after EAL's. */
static void
print_usage(const char *prgname)
{
	fprintf(stderr,
		"Usage: %s [EAL options] -- -p PORTMASK -n NUM_CLIENTS [--flow-hash] [--no-wait] [--stats-interval SEC]\n"
		"  -p PORTMASK           hexadecimal mask of the ports to use (an even number of ports)\n"
		"  -n NUM_CLIENTS        client processes, 1 to %d (client ids 0 to NUM_CLIENTS-1)\n"
		"  --flow-hash           hand each flow to one client (by its IPv4 addresses),\n"
		"                        instead of packets round-robin as upstream\n"
		"  --no-wait             receive at once, as upstream, before every client attached\n"
		"  --stats-interval SEC  print the statistics every SEC seconds (default 1, 0: never)\n",
		prgname, MAX_CLIENTS);
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
server_parse_args(int argc, char **argv, struct server_args *args)
{
	enum { OPT_FLOW_HASH = 256, OPT_NO_WAIT, OPT_STATS_INTERVAL };
	static const struct option long_options[] = {
		{ "flow-hash", no_argument, NULL, OPT_FLOW_HASH },
		{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
		{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
		{ NULL, 0, NULL, 0 },
	};
	const char *prgname = argv[0];
	uint64_t value;
	int opt;

	*args = (struct server_args){ .stats_interval = 1 };
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:n:", long_options, NULL)) != -1) {
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
			if (parse_number(optarg, 10, 1, MAX_CLIENTS, &value) < 0) {
				fprintf(stderr, "Error: -n wants a number of clients from 1 to %d, not '%s'\n",
					MAX_CLIENTS, optarg);
				goto usage;
			}
			args->num_clients = value;
			break;
		case OPT_FLOW_HASH:
			args->flow_hash = 1;
			break;
		case OPT_NO_WAIT:
			args->no_wait = 1;
			break;
		case OPT_STATS_INTERVAL:
			if (parse_number(optarg, 10, 0, 3600, &value) < 0) {
				fprintf(stderr, "Error: --stats-interval wants seconds from 0 to 3600, not '%s'\n",
					optarg);
				goto usage;
			}
			args->stats_interval = value;
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
	if (args->port_mask == 0 || args->num_clients == 0) {
		fprintf(stderr, "Error: -p and -n are both required\n");
		goto usage;
	}
	return 0;
usage:
	print_usage(prgname);
	return -1;
}
