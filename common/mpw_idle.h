/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * A polling loop that backs off when idle. A poll-mode lcore burns its core
 * whether frames come or not; on a machine with fewer cores than polling
 * lcores (a laptop running a primary and two secondaries), the idle ones
 * starve the busy ones. After IDLE_SPIN_US without work, the loop sleeps
 * IDLE_SLEEP_US between polls; under steady traffic it never sleeps.
 */

#ifndef MPW_IDLE_H
#define MPW_IDLE_H

#include <stdint.h>

#include <rte_cycles.h>

/** How long a loop polls in vain before it starts to sleep. */
#define MPW_IDLE_SPIN_US 1000
/** Each sleep while nothing comes, short against an RX ring's worth of
 * frames; 0: poll without a pause, as upstream does. */
#ifndef MPW_IDLE_SLEEP_US
#define MPW_IDLE_SLEEP_US 50
#endif

/** One loop's idle state. */
struct mpw_idle {
	uint64_t idle_since; /**< TSC of the first vain poll since work; 0: busy. */
	uint64_t spin;       /**< MPW_IDLE_SPIN_US in TSC cycles. */
};

/** Starts the idle clock of a loop. */
static inline void
mpw_idle_init(struct mpw_idle *idle)
{
	idle->spin = rte_get_timer_hz() * MPW_IDLE_SPIN_US / 1000000;
	idle->idle_since = 0;
}

/**
 * After each round of polls: work says whether any found something. A busy
 * loop reads no clock here; only vain polls do.
 */
static inline void
mpw_idle_after_poll(struct mpw_idle *idle, int work)
{
	uint64_t now;

	if (work) {
		idle->idle_since = 0;
		return;
	}
	now = rte_get_timer_cycles();
	if (idle->idle_since == 0)
		idle->idle_since = now;
	else if (MPW_IDLE_SLEEP_US > 0 && now - idle->idle_since > idle->spin)
		rte_delay_us_sleep(MPW_IDLE_SLEEP_US);
}

#endif /* MPW_IDLE_H */
