/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * A polling loop that backs off when idle. A poll-mode lcore burns its core
 * whether frames come or not; on a machine with fewer cores than polling
 * lcores (a laptop running a primary and two secondaries), the idle ones
 * starve the busy ones. After MPW_IDLE_SPIN_US without work, the loop sleeps
 * between polls, longer the longer it idles; under steady traffic it never
 * sleeps.
 */

#ifndef MPW_IDLE_H
#define MPW_IDLE_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>

/** How long a loop polls in vain before it starts to sleep. */
#define MPW_IDLE_SPIN_US 1000
/** Each sleep while nothing comes is this share of the time the loop has
 * been idle: the first frame after a gap waits at most 1/16 of the gap. */
#define MPW_IDLE_SLEEP_SHARE 16
/** The longest sleep; 0: poll without a pause, as upstream does. Each
 * wake-up costs the machine a context switch: 10,000 a second, as a fixed
 * 50 us sleep gave, took 13% of a core per idle lcore in a VM. */
#ifndef MPW_IDLE_SLEEP_MAX_US
#define MPW_IDLE_SLEEP_MAX_US 1000
#endif

/** One loop's idle state. */
struct mpw_idle {
	uint64_t idle_since; /**< TSC of the first vain poll since work; 0: busy. */
	uint64_t spin;       /**< MPW_IDLE_SPIN_US in TSC cycles. */
	uint64_t us;         /**< TSC cycles in a microsecond. */
};

/** Starts the idle clock of a loop. */
static inline void
mpw_idle_init(struct mpw_idle *idle)
{
	idle->us = rte_get_timer_hz() / 1000000;
	idle->spin = idle->us * MPW_IDLE_SPIN_US;
	idle->idle_since = 0;
}

/**
 * After each round of polls: work says whether any found something. A busy
 * loop reads no clock here; only vain polls do. Past MPW_IDLE_SPIN_US of
 * them, it sleeps 1/MPW_IDLE_SLEEP_SHARE of its idle time (62 us at first),
 * at most MPW_IDLE_SLEEP_MAX_US.
 */
static inline void
mpw_idle_after_poll(struct mpw_idle *idle, int work)
{
	uint64_t now, idle_us;

	if (work) {
		idle->idle_since = 0;
		return;
	}
	now = rte_get_timer_cycles();
	if (idle->idle_since == 0) {
		idle->idle_since = now;
		return;
	}
	if (MPW_IDLE_SLEEP_MAX_US == 0 || now - idle->idle_since <= idle->spin)
		return;
	idle_us = (now - idle->idle_since) / idle->us;
	rte_delay_us_sleep(RTE_MIN(idle_us / MPW_IDLE_SLEEP_SHARE,
				   (uint64_t)MPW_IDLE_SLEEP_MAX_US));
}

#endif /* MPW_IDLE_H */
