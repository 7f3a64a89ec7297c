/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * pcap_frames: list the frames of a pcap file, one line each.
 *
 * Usage: pcap_frames FILE
 *
 * Each line is "<caplen> <fnv1a-64 of the captured bytes, 16 hex digits>"
 * and nothing else is printed on stdout, so that the output of a capture
 * can be diffed against the *.good.txt files that gen_traffic writes.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		"Usage: pcap_frames FILE\n"
		"Print one line per frame of the pcap FILE: its captured length and\n"
		"the FNV-1a 64-bit hash of the captured bytes in 16 hex digits.\n");
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *pcap;
	int ret;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
			strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	if (argc != 2) {
		usage(stderr);
		return EXIT_FAILURE;
	}

	errbuf[0] = '\0';
	pcap = pcap_open_offline(argv[1], errbuf);
	if (pcap == NULL) {
		fprintf(stderr, "pcap_frames: cannot read %s: %s\n", argv[1],
			errbuf);
		return EXIT_FAILURE;
	}

	while ((ret = pcap_next_ex(pcap, &hdr, &data)) == 1) {
		if (frame_line_print(stdout, data, hdr->caplen) < 0)
			break;
	}
	/* -2 is the normal end of the file; -1 a truncated or damaged one. */
	if (ret == -1) {
		fprintf(stderr, "pcap_frames: error reading %s: %s\n", argv[1],
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
