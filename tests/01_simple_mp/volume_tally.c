/* SPDX-License-Identifier: BSD-3-Clause */

/* volume_tally.h: the messages' texts and the count of what came back. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "volume_hooks.h"
#include "volume_tally.h"

unsigned int
volume_phase_of(unsigned int s)
{
	return s < 2 ? 0 : 1;
}

/** A hash of sender and number: a text made of two messages' parts fails it. */
static uint32_t
text_hash(unsigned int s, uint64_t seq)
{
	uint32_t h = (uint32_t)seq * 2654435761u ^ (s + 1) * 0x9e3779b9u;

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

void
volume_text(char *buf, size_t size, unsigned int s, uint64_t seq)
{
	snprintf(buf, size, "%c%u-%07lu-%08x", volume_phase_of(s) == 0 ? 'A' : 'B',
		s == 1 ? 1u : 0u, (unsigned long)seq, text_hash(s, seq));
}

/** Sender and number of TEXT, or -1 when it is no message's. */
static int
parse(const char *text, unsigned int *s, uint64_t *seq)
{
	char again[VOLUME_TEXT_SIZE];
	unsigned long n;
	unsigned int id;
	char phase;

	if (sscanf(text, "%c%1u-%7lu-", &phase, &id, &n) != 3)
		return -1;
	if (phase == 'A' && id <= 1)
		*s = id;
	else if (phase == 'B' && id == 0)
		*s = 2;
	else
		return -1;
	*seq = n;
	volume_text(again, sizeof(again), *s, n);
	return strcmp(again, text) == 0 ? 0 : -1;
}

/** TEXT as printable ASCII into OUT. */
static void
show(char *out, size_t size, const char *text)
{
	size_t used = 0;

	for (; *text != '\0' && used + 5 < size; text++) {
		unsigned char c = *text;

		if (isprint(c) && c != '\\')
			out[used++] = c;
		else
			used += snprintf(out + used, size - used, "\\x%02x", c);
	}
	out[used] = '\0';
}

int
volume_seen_init(struct volume_seen *seen, uint64_t planned)
{
	memset(seen, 0, sizeof(*seen));
	seen->planned = planned;
	seen->times = calloc(VOLUME_SENDERS * planned, 1);
	return seen->times == NULL ? -1 : 0;
}

void
volume_seen_add(struct volume_seen *seen, unsigned int phase, const char *text)
{
	unsigned int s;
	uint64_t seq;

	if (parse(text, &s, &seq) == 0 && seq < seen->planned) {
		uint8_t *t = &seen->times[s * seen->planned + seq];

		if (*t < UINT8_MAX)
			(*t)++;
		return;
	}
	if (seen->corrupted[phase]++ == 0)
		show(seen->first_corrupted[phase], sizeof(seen->first_corrupted[phase]), text);
	if (strcmp(text, VOLUME_FREED_BY_SENDER) == 0)
		seen->by_sender[phase]++;
	else if (strcmp(text, VOLUME_FREED_BY_RECEIVER) == 0)
		seen->by_receiver[phase]++;
}

void
volume_count(const struct volume_seen *seen, unsigned int n, const uint64_t *sent,
		struct volume_phase phase[VOLUME_PHASES])
{
	uint64_t planned = seen[0].planned, seq;
	unsigned int s, i, p;

	memset(phase, 0, sizeof(*phase) * VOLUME_PHASES);
	for (p = 0; p < VOLUME_PHASES; p++) {
		for (i = 0; i < n; i++) {
			phase[p].corrupted += seen[i].corrupted[p];
			phase[p].by_sender += seen[i].by_sender[p];
			phase[p].by_receiver += seen[i].by_receiver[p];
			if (phase[p].first_corrupted[0] == '\0')
				memcpy(phase[p].first_corrupted, seen[i].first_corrupted[p],
					sizeof(phase[p].first_corrupted));
		}
	}
	for (s = 0; s < VOLUME_SENDERS; s++) {
		struct volume_phase *own = &phase[volume_phase_of(s)];

		own->sent += sent[s];
		for (seq = 0; seq < planned; seq++) {
			unsigned int times = 0;

			for (i = 0; i < n; i++)
				times += seen[i].times[s * planned + seq];
			own->received += times;
			if (seq >= sent[s]) {
				own->unsent += times;
			} else if (times == 0) {
				if (own->lost++ == 0)
					volume_text(own->first_lost, sizeof(own->first_lost), s, seq);
			} else if (times > 1) {
				if (own->repeated == 0) {
					volume_text(own->first_repeated, sizeof(own->first_repeated), s, seq);
					own->first_repeated_times = times;
				}
				own->repeated += times - 1;
			}
		}
	}
}
