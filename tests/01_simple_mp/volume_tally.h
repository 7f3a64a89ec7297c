/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * msg_volume's messages, each unique, and the count of what came back: a
 * text names its sender and number, with a hash of both, so that a message
 * lost, received twice or corrupted is seen as such.
 */

#ifndef VOLUME_TALLY_H
#define VOLUME_TALLY_H

#include <stddef.h>
#include <stdint.h>

/** Senders: 0 and 1 send together in phase A, 2 alone in phase B. */
#define VOLUME_SENDERS 3
/** Phases: A (two senders, one receiver), B (one sender, two receivers). */
#define VOLUME_PHASES 2
/** Room for a text, "A1-0001234-5f3e9a01", and its NUL. */
#define VOLUME_TEXT_SIZE 24
/** Room for a corrupted text, shown as printable ASCII. */
#define VOLUME_SHOWN 72

/** The phase (0: A, 1: B) of sender @p s. */
unsigned int volume_phase_of(unsigned int s);

/** Writes the text of message @p seq of sender @p s. */
void volume_text(char *buf, size_t size, unsigned int s, uint64_t seq);

/** What one receiver received. */
struct volume_seen {
	uint64_t planned;     /**< Messages per sender. */
	uint8_t *times;       /**< Times each message arrived (saturating), by sender and number. */
	uint64_t corrupted[VOLUME_PHASES];   /**< Texts of no message, by the phase they came in. */
	uint64_t by_sender[VOLUME_PHASES];   /**< Of those, the sending process's marker. */
	uint64_t by_receiver[VOLUME_PHASES]; /**< Of those, the receiving process's marker. */
	char first_corrupted[VOLUME_PHASES][VOLUME_SHOWN];
};

/** @return 0, or -1 when out of memory. */
int volume_seen_init(struct volume_seen *seen, uint64_t planned);

/** Counts @p text, received in @p phase. */
void volume_seen_add(struct volume_seen *seen, unsigned int phase, const char *text);

/** What came back of one phase's messages, over all its receivers. */
struct volume_phase {
	uint64_t sent;        /**< Messages that its senders were told were sent. */
	uint64_t received;    /**< Its messages received, repeats included. */
	uint64_t lost;        /**< Sent, never received. */
	uint64_t repeated;    /**< Received once more than sent, each time. */
	uint64_t unsent;      /**< Received, though their send failed or never ran. */
	uint64_t corrupted;   /**< Texts of no message received in this phase. */
	uint64_t by_sender;   /**< Of those, the sending process's marker. */
	uint64_t by_receiver; /**< Of those, the receiving process's marker. */
	char first_lost[VOLUME_TEXT_SIZE];
	char first_repeated[VOLUME_TEXT_SIZE];
	unsigned int first_repeated_times;
	char first_corrupted[VOLUME_SHOWN];
};

/** Sums what the @p n receivers of @p seen received, for senders that sent @p sent. */
void volume_count(const struct volume_seen *seen, unsigned int n, const uint64_t *sent,
		struct volume_phase phase[VOLUME_PHASES]);

#endif /* VOLUME_TALLY_H */
