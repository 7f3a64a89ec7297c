/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * How msg_volume's two processes, and the lcores of each, take turns: a
 * control block in a memzone of the primary's, and waits that end.
 *
 * Waits for the other process sleep between looks (the two processes share
 * two cores, and a sleeping lcore lets the other's run); two lcores of one
 * process, on a core each, meet spinning, so that they leave together.
 */

#ifndef VOLUME_SYNC_H
#define VOLUME_SYNC_H

#include <stdint.h>

#include "volume_tally.h"

/** The control block's memzone. */
#define VOLUME_CTL "MPW_VOLUME"
/** The longest that one side waits for the other's next step... */
#define VOLUME_WAIT_MS 10000
/** ...but the secondary's start, on a busy machine, can take longer. */
#define VOLUME_ATTACH_MS 30000

/** Why a phase stopped early, in volume_ctl.why. */
enum volume_why {
	VOLUME_WHY_NONE,
	VOLUME_WHY_SEND,       /**< msg_send_wait() failed: volume_ctl.error. */
	VOLUME_WHY_STILL_FULL, /**< The receivers found nothing while the ring held messages. */
	VOLUME_WHY_FLOOD,      /**< A round received more than the ring holds. */
	VOLUME_WHY_TIMEOUT,    /**< The other side did not come within VOLUME_WAIT_MS. */
};

/** Between the two processes. */
struct volume_ctl {
	uint32_t ready;       /**< Secondary: 1 when receiving, 2 when phase B's receivers run. */
	uint32_t done;        /**< Secondary: 1 when it has reported. */
	uint32_t filled;      /**< The last round that the senders filled. */
	uint32_t drained;     /**< The last round that the receivers emptied. */
	uint32_t over[VOLUME_PHASES]; /**< 1 once a phase's senders are done. */
	uint32_t why;         /**< enum volume_why: the first reason to stop. */
	uint32_t why_round;   /**< In which round (0: between rounds). */
	uint32_t held;        /**< VOLUME_WHY_STILL_FULL: messages in the ring. */
	uint64_t planned;     /**< Messages per sender. */
	uint64_t sent[VOLUME_SENDERS];
	int32_t error[VOLUME_SENDERS]; /**< What msg_send_wait() said last. */
	uint64_t took, returned;       /**< The sending process's buffers. */
};

/** This process's view of the control block, once made or found. */
extern struct volume_ctl *volume_ctl;

/** Primary: makes the control block. @return 0, or -1 (rte_errno). */
int volume_ctl_create(uint64_t planned);

/** Secondary: finds it. @return 0, or -1. */
int volume_ctl_lookup(void);

uint32_t volume_load(const uint32_t *word);
void volume_store(uint32_t *word, uint32_t value);

/** Stops the phases for WHY, in ROUND; the first reason given wins. */
void volume_stop(enum volume_why why, uint32_t round);

/** Whether the phases were stopped. */
int volume_stopped(void);

/**
 * Waits until *@p word reaches @p want (0), or *@p end (if not NULL) is
 * set first (1), or for @p ms (-1; in a round, the phases then stop). In a
 * phase's @p round (not 0), it also ends (-1) once the phases stopped.
 */
int volume_wait(const uint32_t *word, uint32_t want, const uint32_t *end, uint32_t round,
		uint64_t ms);

/**
 * Two lcores of this process meet for the @p nth time (from 1), counted
 * in @p arrived, in @p round: each waits for the other.
 */
void volume_meet(uint64_t *arrived, uint64_t nth, uint32_t round);

/** Waits, sleeping, for @p lcore's function to return (rte_eal_wait_lcore() spins). */
void volume_join(unsigned int lcore);

/** This thread's sleeps end when asked: a round waits no longer than it must. */
void volume_no_timer_slack(void);

#endif /* VOLUME_SYNC_H */
