/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * pcap_inject: send every frame of a pcap file out of a network interface.
 *
 * Usage: pcap_inject IFACE FILE [FIRST COUNT]
 *
 * Used on the kernel side of a net_tap port: what the kernel sends out of
 * the tap interface is what the DPDK port receives. Frames go out as they
 * are, bad checksums included, one after the other. FIRST and COUNT send
 * only COUNT frames from frame FIRST (0 is the first): a receiver whose
 * ring holds fewer than the whole file (net_pcap's rx_iface) is fed a part
 * at a time.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

/** Prints the usage text on @p out. */
static void
usage(FILE *out)
{
	fprintf(out, "Usage: pcap_inject IFACE FILE [FIRST COUNT]\n"
		"  send every frame of the pcap FILE out of the interface IFACE,\n"
		"  or COUNT of them from frame FIRST (0 is the first)\n");
}

/** A whole number from text, or -1. */
static long
number(const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	return errno != 0 || end == text || *end != '\0' || n < 0 ? -1 : n;
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const unsigned char *data;
	pcap_t *in, *out;
	unsigned long sent = 0;
	long first = 0, count = -1, frame = 0;
	int ret;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc == 5) {
		first = number(argv[3]);
		count = number(argv[4]);
	}
	if ((argc != 3 && argc != 5) || first < 0 || (argc == 5 && count < 0)) {
		usage(stderr);
		return 1;
	}
	in = pcap_open_offline(argv[2], errbuf);
	if (in == NULL) {
		fprintf(stderr, "pcap_inject: cannot read %s: %s\n", argv[2], errbuf);
		return 1;
	}
	out = pcap_open_live(argv[1], 65535, 0, 100, errbuf);
	if (out == NULL) {
		fprintf(stderr, "pcap_inject: cannot open interface %s: %s\n", argv[1], errbuf);
		pcap_close(in);
		return 1;
	}
	while ((ret = pcap_next_ex(in, &hdr, &data)) == 1) {
		if (frame++ < first)
			continue;
		if (count >= 0 && (long)sent == count) {
			ret = -2; /* the part asked for is sent: as the file's end */
			break;
		}
		if (pcap_inject(out, data, hdr->caplen) != (int)hdr->caplen) {
			fprintf(stderr, "pcap_inject: frame %lu not sent on %s: %s\n",
				sent + 1, argv[1], pcap_geterr(out));
			break;
		}
		sent++;
	}
	if (ret == -1)
		fprintf(stderr, "pcap_inject: %s: %s\n", argv[2], pcap_geterr(in));
	printf("pcap_inject: %lu frames sent on %s\n", sent, argv[1]);
	pcap_close(out);
	pcap_close(in);
	return ret == -2 ? 0 : 1;
}
