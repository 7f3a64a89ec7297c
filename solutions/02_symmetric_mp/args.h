/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The application's own options, after EAL's: the same as upstream's
 * symmetric_mp, `-p PORTMASK --num-procs N --proc-id I`.
 */

#ifndef SYMMETRIC_MP_ARGS_H
#define SYMMETRIC_MP_ARGS_H

#include <stdint.h>

/** What the command line asked for. */
struct smp_args {
	uint64_t port_mask;     /**< Ports to use, bit N for port N. */
	unsigned int num_procs; /**< Processes sharing the ports: queues per port. */
	unsigned int proc_id;   /**< This process: the queue it polls. */
};

/**
 * Parse the options after EAL's; on an error print it with the usage.
 * @return 0, or -1 after printing what is wrong.
 */
int smp_parse_args(int argc, char **argv, struct smp_args *args);

#endif /* SYMMETRIC_MP_ARGS_H */
