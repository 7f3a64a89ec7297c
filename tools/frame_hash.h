/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * One line per frame, shared by gen_traffic and pcap_frames.
 *
 * gen_traffic writes the lines it expects (its *.good.txt files) and
 * pcap_frames prints the lines of a capture, so that a check only has to
 * diff the two. Both go through frame_line_print() to be byte-identical.
 */

#ifndef FRAME_HASH_H
#define FRAME_HASH_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FNV1A64_OFFSET_BASIS 0xcbf29ce484222325ULL /**< FNV-1a 64 start. */
#define FNV1A64_PRIME        0x00000100000001b3ULL /**< FNV-1a 64 prime. */

/**
 * FNV-1a 64-bit hash of a buffer: tiny, dependency-free, and good enough to
 * tell frames apart (it is not meant to resist deliberate collisions).
 *
 * @param data  the bytes to hash
 * @param len   their number
 * @return the hash
 */
static inline uint64_t
frame_fnv1a64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t hash = FNV1A64_OFFSET_BASIS;
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= p[i];
		hash *= FNV1A64_PRIME;
	}
	return hash;
}

/**
 * Prints the line of one frame: its captured length and the hash of the
 * captured bytes, e.g. "64 0123456789abcdef".
 *
 * @param out     where to print
 * @param data    the captured bytes
 * @param caplen  their number
 * @return what fprintf() returns: negative on error
 */
static inline int
frame_line_print(FILE *out, const void *data, uint32_t caplen)
{
	return fprintf(out, "%" PRIu32 " %016" PRIx64 "\n", caplen,
			frame_fnv1a64(data, caplen));
}

#endif /* FRAME_HASH_H */
