/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * pcap_frames: list the frames of a pcap file, one line each.
 *
 * Usage: pcap_frames [-d] FILE
 *
 * Each line is "<caplen> <fnv1a-64 of the captured bytes, 16 hex digits>"
 * and nothing else is printed on stdout, so that the output of a capture
 * can be diffed against the *.good.txt files that gen_traffic writes.
 * With -d, each line goes on with what a person reads of the frame, e.g.
 * "UDP 10.0.0.3:1024 -> 10.1.0.7:53": a check says so of a wrong frame.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include "frame_hash.h"

/**
 * Prints the usage text.
 *
 * @param out  stdout for -h, stderr after a usage error
 */
static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: pcap_frames [-d] FILE\n"
		"Print one line per frame of the pcap FILE: its captured length and\n"
		"the FNV-1a 64-bit hash of the captured bytes in 16 hex digits;\n"
		"with -d, then its protocol, addresses and ports.\n");
}

/** Ethernet header, then the IPv4 header's offsets used below. */
#define ETHER_LEN 14
#define IPV4_MIN_LEN 20

/**
 * Prints " PROTO SRC[:PORT] -> DST[:PORT]" for an IPv4 frame, else its
 * EtherType, or what it is too short for.
 */
static void
describe(FILE *out, const u_char *f, uint32_t len)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	unsigned int ihl, proto;
	const char *name;

	if (len < ETHER_LEN) {
		fprintf(out, " (shorter than an Ethernet header)");
		return;
	}
	if (f[12] != 0x08 || f[13] != 0x00) {
		fprintf(out, " EtherType 0x%02x%02x", f[12], f[13]);
		return;
	}
	f += ETHER_LEN;
	len -= ETHER_LEN;
	if (len < IPV4_MIN_LEN || (f[0] >> 4) != 4) {
		fprintf(out, " IPv4, truncated or malformed");
		return;
	}
	ihl = (f[0] & 0x0f) * 4;
	proto = f[9];
	inet_ntop(AF_INET, f + 12, src, sizeof(src));
	inet_ntop(AF_INET, f + 16, dst, sizeof(dst));
	name = proto == 17 ? "UDP" : proto == 6 ? "TCP" : NULL;
	if (name != NULL && ihl >= IPV4_MIN_LEN && len >= ihl + 4)
		fprintf(out, " %s %s:%u -> %s:%u", name, src,
			(unsigned int)(f[ihl] << 8 | f[ihl + 1]), dst,
			(unsigned int)(f[ihl + 2] << 8 | f[ihl + 3]));
	else
		fprintf(out, " IPv4 protocol %u %s -> %s", proto, src, dst);
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	const char *file;
	int describing;
	pcap_t *pcap;
	int ret;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
			strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	describing = argc == 3 && strcmp(argv[1], "-d") == 0;
	if (argc != 2 && !describing) {
		usage(stderr);
		return EXIT_FAILURE;
	}
	file = argv[argc - 1];

	errbuf[0] = '\0';
	pcap = pcap_open_offline(file, errbuf);
	if (pcap == NULL) {
		fprintf(stderr, "pcap_frames: cannot read %s: %s\n", file,
			errbuf);
		return EXIT_FAILURE;
	}

	while ((ret = pcap_next_ex(pcap, &hdr, &data)) == 1) {
		if (!describing) {
			if (frame_line_print(stdout, data, hdr->caplen) < 0)
				break;
			continue;
		}
		fprintf(stdout, "%" PRIu32 " %016" PRIx64, hdr->caplen,
			frame_fnv1a64(data, hdr->caplen));
		describe(stdout, data, hdr->caplen);
		if (fputc('\n', stdout) == EOF)
			break;
	}
	/* -2 is the normal end of the file; -1 a truncated or damaged one. */
	if (ret == -1) {
		fprintf(stderr, "pcap_frames: error reading %s: %s\n", file,
			pcap_geterr(pcap));
		pcap_close(pcap);
		return EXIT_FAILURE;
	}
	pcap_close(pcap);

	/* A full disk or a closed pipe must not pass for a complete list. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pcap_frames: error writing the list: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
