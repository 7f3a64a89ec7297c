/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * What a skeleton's stub says when it runs: the TODO it stands in for is not
 * done yet. A student sees where to start; a check sees that what follows is
 * the stub's doing, not the student's, and says "do TODO N first" rather than
 * blaming the TODO it judges. Only the skeletons use it: the generator
 * (scripts/make_skeleton.awk) includes this header where a stub calls it.
 */

#ifndef MPW_TODO_H
#define MPW_TODO_H

#include <stdio.h>

/**
 * Prints "TODO n (FILE:LINE) is not done yet" on stderr, once per call site
 * and process: a stub on the data path runs for every packet.
 */
#define MPW_TODO_NOT_DONE(n) do { \
	static int mpw_todo_said; \
	if (!__atomic_exchange_n(&mpw_todo_said, 1, __ATOMIC_RELAXED)) \
		fprintf(stderr, "TODO %d (%s:%d) is not done yet\n", \
			(n), __FILE__, __LINE__); \
} while (0)

#endif /* MPW_TODO_H */
