/* SPDX-License-Identifier: BSD-3-Clause */

/* volume_sync.h: the turns of msg_volume's processes and lcores. */

#include <string.h>
#include <sys/prctl.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "volume_sync.h"

/** How often a wait for the other process looks again, sleeping in between. */
#define POLL_US 10
/** How long two lcores of a process wait for each other spinning, before they sleep. */
#define SPIN_US 1000

struct volume_ctl *volume_ctl;

static uint64_t
us_cycles(uint64_t us)
{
	return rte_get_timer_hz() * us / 1000000;
}

int
volume_ctl_create(uint64_t planned)
{
	const struct rte_memzone *mz = rte_memzone_reserve(VOLUME_CTL, sizeof(*volume_ctl),
			SOCKET_ID_ANY, 0);

	if (mz == NULL)
		return -1;
	volume_ctl = mz->addr;
	memset(volume_ctl, 0, sizeof(*volume_ctl));
	volume_ctl->planned = planned;
	return 0;
}

int
volume_ctl_lookup(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(VOLUME_CTL);

	if (mz == NULL)
		return -1;
	volume_ctl = mz->addr;
	return 0;
}

uint32_t
volume_load(const uint32_t *word)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

void
volume_store(uint32_t *word, uint32_t value)
{
	__atomic_store_n(word, value, __ATOMIC_RELEASE);
}

void
volume_stop(enum volume_why why, uint32_t round)
{
	uint32_t none = VOLUME_WHY_NONE;

	if (__atomic_compare_exchange_n(&volume_ctl->why, &none, why, 0, __ATOMIC_ACQ_REL,
			__ATOMIC_ACQUIRE))
		volume_store(&volume_ctl->why_round, round);
}

int
volume_stopped(void)
{
	return volume_load(&volume_ctl->why) != VOLUME_WHY_NONE;
}

int
volume_wait(const uint32_t *word, uint32_t want, const uint32_t *end, uint32_t round,
		uint64_t ms)
{
	uint64_t deadline = rte_get_timer_cycles() + us_cycles(ms * 1000);

	while (volume_load(word) < want) {
		/* *WORD is set before *END: look at it again. */
		if (end != NULL && volume_load(end) != 0)
			return volume_load(word) < want ? 1 : 0;
		if (round != 0 && volume_stopped())
			return -1;
		if (rte_get_timer_cycles() > deadline) {
			if (round != 0)
				volume_stop(VOLUME_WHY_TIMEOUT, round);
			return -1;
		}
		rte_delay_us_sleep(POLL_US);
	}
	return 0;
}

void
volume_meet(uint64_t *arrived, uint64_t nth, uint32_t round)
{
	uint64_t now = rte_get_timer_cycles();
	uint64_t spin_end = now + us_cycles(SPIN_US);
	uint64_t deadline = now + us_cycles(VOLUME_WAIT_MS * 1000);

	__atomic_fetch_add(arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(arrived, __ATOMIC_ACQUIRE) < 2 * nth && !volume_stopped()) {
		now = rte_get_timer_cycles();
		if (now < spin_end)
			rte_pause();
		else if (now > deadline)
			volume_stop(VOLUME_WHY_TIMEOUT, round);
		else
			/* The other's core is busy with something else: let it be. */
			rte_delay_us_sleep(POLL_US);
	}
}

void
volume_join(unsigned int lcore)
{
	while (rte_eal_get_lcore_state(lcore) == RUNNING)
		rte_delay_us_sleep(1000);
	rte_eal_wait_lcore(lcore);
}

void
volume_no_timer_slack(void)
{
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}
