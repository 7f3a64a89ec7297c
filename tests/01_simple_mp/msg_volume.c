/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * msg_volume: lab 01's message layer, the checked copy's messages.c, under
 * load, for its check "messages_at_volume". Two processes, as the lab's:
 * the primary creates the objects (msg_create_shared_objects()) and sends
 * with msg_send_wait(); the secondary finds them
 * (msg_lookup_shared_objects()) and receives with the lab's msg_receive()
 * (volume_lab.h), all on PRI_2_SEC, in two phases:
 *
 *   A: two lcores send at once, one receives: only the producers race;
 *   B: one lcore sends, two receive at once: only the consumers race.
 *
 * In A each sender offers half a ring more than half the ring's room
 * (msg_send(), no wait), so that both reach its last slot together and
 * one of them is refused (-ENOSPC): that message goes in the next round. A
 * send that says it sent what the ring did not take (a test of room, then
 * an enqueue whose failure is ignored) loses a message there.
 *
 * So a message lost, repeated or corrupted in A is the sending side's
 * (TODO 3, or TODO 1's ring), in B the receiving side's (TODO 4, or 1).
 * Each phase goes in rounds: the ring empty, its senders fill it together
 * (as much as it holds, so that no send waits), then its receivers empty it
 * together; the lcores that race start each round at one instant. Every
 * message is unique (volume_tally.h); the lab's pool calls are counted and
 * every buffer put back is marked (volume_hooks.h).
 *
 *   msg_volume [EAL options] --proc-type=primary -- COUNT   (lcores 0@0,1@1)
 *   msg_volume [EAL options] --proc-type=secondary          (lcores 2@0,3@0,4@1)
 *
 * COUNT: messages per sender. The primary prints the ring's flags, "volume:
 * ready", then what each sender sent; the secondary what came back, the
 * buffers, and "volume: done" (report()). Every wait for the other process
 * ends after VOLUME_WAIT_MS.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "mpw_eal.h"
#include "shared.h"
#include "volume_hooks.h"
#include "volume_lab.h"
#include "volume_sync.h"
#include "volume_tally.h"

/** PRI_2_SEC, as msg_volume finds it itself. */
static const struct rte_ring *ring;

/* -- the primary: senders ---------------------------------------------------- */

/** Every sender's texts, made before the phases: a round's sends follow each other closely. */
static char (*texts)[VOLUME_TEXT_SIZE];
/** Phase A's senders that reached each round's start and end. */
static uint64_t senders_met;

/** The rounds that both phases' senders take: each round fills the ring
 * (in A, each sender gets at least half of its room less one). */
static uint32_t
rounds_of(unsigned int phase)
{
	uint64_t per_round = phase == 0 ? (RING_SIZE - 1) / 2 : RING_SIZE - 1;

	return (volume_ctl->planned + per_round - 1) / per_round;
}

/**
 * Lcore function: sender S (the pointer) sends its messages, round by
 * round: each on an empty ring, both senders of phase A together.
 */
static int
send_all(void *arg)
{
	unsigned int s = (unsigned int)(uintptr_t)arg;
	unsigned int phase = volume_phase_of(s);
	unsigned int senders = phase == 0 ? 2 : 1;
	/* A: 64 offers for 63 slots; B: the ring's room. */
	unsigned int per_round = senders > 1 ? RING_SIZE / senders : RING_SIZE - 1;
	uint32_t first = phase == 0 ? 1 : rounds_of(0) + 1;
	uint32_t round, last = first + rounds_of(phase) - 1;
	uint64_t seq = 0;
	unsigned int i;
	int ret = 0;

	volume_no_timer_slack();
	for (round = first; round <= last; round++) {
		if (volume_wait(&volume_ctl->drained, round - 1, NULL, round, VOLUME_WAIT_MS) < 0)
			break;
		if (senders > 1)
			volume_meet(&senders_met, 2 * (round - first) + 1, round);
		for (i = 0; i < per_round && seq < volume_ctl->planned && !volume_stopped(); i++, seq++) {
			if (senders > 1) {
				ret = msg_send(texts[s * volume_ctl->planned + seq]);
				if (ret == -ENOSPC) {
					ret = 0;	/* full: next round */
					break;
				}
			} else {
				ret = msg_send_wait(texts[s * volume_ctl->planned + seq]);
			}
			if (ret < 0) {
				volume_stop(VOLUME_WHY_SEND, round);
				break;
			}
		}
		if (senders > 1)
			volume_meet(&senders_met, 2 * (round - first) + 2, round);
		if (volume_stopped())
			break;
		/* The round is in the ring: the receivers' turn. */
		if (s != 1)
			volume_store(&volume_ctl->filled, round);
	}
	volume_ctl->sent[s] = seq;
	volume_ctl->error[s] = ret;
	return 0;
}

static void
print_sender(unsigned int s)
{
	char text[VOLUME_TEXT_SIZE];

	printf("volume: sender %u sent %" PRIu64 " of %" PRIu64, s, volume_ctl->sent[s], volume_ctl->planned);
	if (volume_ctl->error[s] < 0) {
		volume_text(text, sizeof(text), s, volume_ctl->sent[s]);
		printf(", then '%s': %s", text, rte_strerror(-volume_ctl->error[s]));
	}
	printf("\n");
}

static const char *
sync_name(enum rte_ring_sync_type type)
{
	switch (type) {
	case RTE_RING_SYNC_MT:
		return "multi";
	case RTE_RING_SYNC_ST:
		return "single";
	case RTE_RING_SYNC_MT_RTS:
		return "rts";
	case RTE_RING_SYNC_MT_HTS:
		return "hts";
	}
	return "unknown";
}

static int
primary(uint64_t planned)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	unsigned int s;
	uint64_t seq;
	int ret;

	if (worker >= RTE_MAX_LCORE) {
		printf("volume: the primary needs two lcores (--lcores 0@0,1@1)\n");
		return 2;
	}
	ret = msg_create_shared_objects();
	if (ret < 0) {
		printf("volume: cannot create the rings and message pool: %s\n", rte_strerror(-ret));
		return 1;
	}
	ring = rte_ring_lookup(PRI_2_SEC);
	texts = malloc(VOLUME_SENDERS * planned * sizeof(*texts));
	if (volume_ctl_create(planned) < 0 || ring == NULL || texts == NULL) {
		printf("volume: no %s\n", volume_ctl == NULL ? "memzone " VOLUME_CTL :
			ring == NULL ? "ring " PRI_2_SEC : "memory");
		return 1;
	}
	for (s = 0; s < VOLUME_SENDERS; s++)
		for (seq = 0; seq < planned; seq++)
			volume_text(texts[s * planned + seq], sizeof(*texts), s, seq);
	printf("volume: ring %s: producer %s, consumer %s\n", PRI_2_SEC,
		sync_name(ring->prod.sync_type), sync_name(ring->cons.sync_type));
	mpw_eal_ready();
	printf("volume: ready\n");

	if (volume_wait(&volume_ctl->ready, 1, NULL, 0, VOLUME_ATTACH_MS) == 0) {
		rte_eal_remote_launch(send_all, (void *)(uintptr_t)1, worker);
		send_all((void *)(uintptr_t)0);
		volume_join(worker);
	}
	volume_store(&volume_ctl->over[0], 1);
	if (!volume_stopped() && volume_wait(&volume_ctl->ready, 2, NULL, 0, VOLUME_WAIT_MS) == 0)
		send_all((void *)(uintptr_t)2);
	for (s = 0; s < VOLUME_SENDERS; s++)
		print_sender(s);
	printf("volume: enqueued before their text was written: %" PRIu64 "\n", volume_unwritten());
	volume_counts(&volume_ctl->took, &volume_ctl->returned);
	volume_store(&volume_ctl->over[1], 1);
	/* Its memory holds the objects: it outlives the secondary's report. */
	volume_wait(&volume_ctl->done, 1, NULL, 0, VOLUME_WAIT_MS);
	return 0;
}

/* -- the secondary: receivers ------------------------------------------------- */

/** What each receiver received, and its phase B partner's meetings. */
static struct volume_seen seen[2];
static uint64_t receivers_met;

/**
 * Lcore function: receiver R (the pointer, 0 or 1) takes the rounds of the
 * current phase off the ring, until the primary says that it is over.
 */
static int
receive_all(void *arg)
{
	unsigned int r = (unsigned int)(uintptr_t)arg;
	unsigned int phase = volume_load(&volume_ctl->ready) == 1 ? 0 : 1;
	unsigned int receivers = phase + 1;
	uint32_t round = volume_load(&volume_ctl->drained) + 1;
	uint64_t met = 0;
	char text[MSG_SIZE];
	unsigned int n;

	volume_no_timer_slack();
	for (;; round++) {
		if (volume_wait(&volume_ctl->filled, round, &volume_ctl->over[phase], round, VOLUME_WAIT_MS) != 0)
			break;
		if (receivers > 1)
			volume_meet(&receivers_met, ++met, round);
		for (n = 0; volume_receive(text, sizeof(text)); n++) {
			if (n == RING_SIZE) {
				/* More than the round put in: the ring's indexes are wrong. */
				volume_stop(VOLUME_WHY_FLOOD, round);
				break;
			}
			volume_seen_add(&seen[r], phase, text);
		}
		if (receivers > 1)
			volume_meet(&receivers_met, ++met, round);
		if (r == 0 && rte_ring_count(ring) > 0 && !volume_stopped()) {
			volume_store(&volume_ctl->held, rte_ring_count(ring));
			volume_stop(VOLUME_WHY_STILL_FULL, round);
		}
		if (volume_stopped())
			break;
		if (r == 0)
			volume_store(&volume_ctl->drained, round);
	}
	return 0;
}

static void
report_phase(char name, const struct volume_phase *p)
{
	printf("volume: phase %c: sent %" PRIu64 ", received %" PRIu64 ", lost %" PRIu64
		", repeated %" PRIu64 ", unsent %" PRIu64 ", corrupted %" PRIu64
		" (marked by the sending process %" PRIu64 ", by the receiving process %" PRIu64 ")\n",
		name, p->sent, p->received, p->lost, p->repeated, p->unsent, p->corrupted,
		p->by_sender, p->by_receiver);
	if (p->lost > 0)
		printf("volume: phase %c: first lost '%s'\n", name, p->first_lost);
	if (p->repeated > 0)
		printf("volume: phase %c: first repeated '%s', received %u times\n", name,
			p->first_repeated, p->first_repeated_times);
	if (p->corrupted > 0)
		printf("volume: phase %c: first corrupted '%s'\n", name, p->first_corrupted);
}

static const char *const why_text[] = {
	[VOLUME_WHY_NONE] = "no",
	[VOLUME_WHY_SEND] = "send",
	[VOLUME_WHY_STILL_FULL] = "still_full",
	[VOLUME_WHY_FLOOD] = "flood",
	[VOLUME_WHY_TIMEOUT] = "timeout",
};

static void
report(uint64_t start)
{
	struct volume_phase phase[VOLUME_PHASES];
	uint64_t took, returned;
	struct msg_stats st;
	uint32_t why = volume_load(&volume_ctl->why);

	volume_count(seen, 2, volume_ctl->sent, phase);
	report_phase('A', &phase[0]);
	report_phase('B', &phase[1]);
	if (why == VOLUME_WHY_NONE)
		printf("volume: stopped early: no\n");
	else
		printf("volume: stopped early: %s in phase %c, round %u; the ring held %u "
			"(rounds filled %u, drained %u; meetings %" PRIu64 ")\n",
			why < RTE_DIM(why_text) ? why_text[why] : "?",
			volume_load(&volume_ctl->why_round) > rounds_of(0) ? 'B' : 'A', volume_load(&volume_ctl->why_round),
			volume_load(&volume_ctl->held), volume_load(&volume_ctl->filled), volume_load(&volume_ctl->drained),
			__atomic_load_n(&receivers_met, __ATOMIC_RELAXED));
	volume_counts(&took, &returned);
	msg_get_stats(&st);
	printf("volume: buffers: the sending process took %" PRIu64 " and put back %" PRIu64
		"; the receiving process received %" PRIu64 " and put back %" PRIu64
		"; pool %u free of %u\n", volume_ctl->took, volume_ctl->returned, st.received, returned,
		msg_pool_free(), msg_pool_total());
	printf("volume: done in %.2f s\n",
		(double)(rte_get_timer_cycles() - start) / rte_get_timer_hz());
}

/** Bytes given to the receive of a longer message (SHORT_TEXT). */
#define SHORT_SIZE 16
#define SHORT_TEXT "a message longer than the sixteen bytes given for it"
/** Bytes after them that it must leave alone. */
#define SHORT_GUARD 8

/**
 * A message received into fewer bytes than it holds: at most SIZE bytes,
 * the last a NUL (TODO 4), and nothing written past them.
 */
static void
short_receive(void)
{
	char out[SHORT_SIZE + SHORT_GUARD];
	unsigned int i, untouched = 0;
	int ret;

	memset(out, '#', sizeof(out));
	ret = volume_short_receive(SHORT_TEXT, out, SHORT_SIZE);
	for (i = SHORT_SIZE; i < sizeof(out); i++)
		untouched += out[i] == '#';
	if (memchr(out, '\0', SHORT_SIZE) != NULL)
		printf("volume: short receive: returned %d, '%s', %u of %d bytes past them untouched\n",
			ret, out, untouched, SHORT_GUARD);
	else
		printf("volume: short receive: returned %d, no NUL in the %d bytes, %u of %d bytes past them untouched\n",
			ret, SHORT_SIZE, untouched, SHORT_GUARD);
}

static int
secondary(void)
{
	unsigned int first = rte_get_next_lcore(-1, 1, 0);
	unsigned int second = rte_get_next_lcore(first, 1, 0);
	uint64_t start = rte_get_timer_cycles();
	int ret;

	if (second >= RTE_MAX_LCORE) {
		printf("volume: the secondary needs three lcores (--lcores 2@0,3@0,4@1)\n");
		return 2;
	}
	ret = msg_lookup_shared_objects();
	if (ret < 0) {
		printf("volume: cannot find the rings and message pool: %s\n", rte_strerror(-ret));
		return 1;
	}
	ring = rte_ring_lookup(PRI_2_SEC);
	if (volume_ctl_lookup() < 0 || ring == NULL) {
		printf("volume: no %s\n", volume_ctl == NULL ? "memzone " VOLUME_CTL : "ring " PRI_2_SEC);
		return 1;
	}
	if (volume_seen_init(&seen[0], volume_ctl->planned) < 0 ||
	    volume_seen_init(&seen[1], volume_ctl->planned) < 0) {
		printf("volume: out of memory\n");
		return 1;
	}
	printf("volume: attached\n");

	/* Phase A: one receiver. */
	volume_store(&volume_ctl->ready, 1);
	rte_eal_remote_launch(receive_all, (void *)(uintptr_t)0, first);
	volume_join(first);
	/* Phase B: two, one on each core. */
	if (!volume_stopped()) {
		volume_store(&volume_ctl->ready, 2);
		rte_eal_remote_launch(receive_all, (void *)(uintptr_t)0, first);
		rte_eal_remote_launch(receive_all, (void *)(uintptr_t)1, second);
		volume_join(first);
		volume_join(second);
	}
	/* The senders' figures are final once the primary says it is over. */
	volume_wait(&volume_ctl->over[1], 1, NULL, 0, VOLUME_WAIT_MS);
	report(start);
	short_receive();
	volume_store(&volume_ctl->done, 1);
	return 0;
}

int
main(int argc, char **argv)
{
	int ret = mpw_eal_init(argc, argv, "msg_volume", "msg_volume --proc-type=primary");
	unsigned long long planned = 0;
	char *end = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		if (ret + 2 == argc)
			planned = strtoull(argv[ret + 1], &end, 10);
		if (end == NULL || *end != '\0' || planned == 0 || planned > 9999999) {
			printf("usage: msg_volume [EAL options] --proc-type=primary -- COUNT (1 to 9999999)\n");
			ret = 2;
		} else {
			ret = primary(planned);
		}
	} else {
		ret = secondary();
	}
	rte_eal_cleanup();
	return ret;
}
