/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * gen_traffic: deterministic pcap traffic, split per RX queue as RSS would.
 *
 * Usage: gen_traffic --out DIR --ports P --queues Q [--frames N]
 *                    [--bad-ip B] [--bad-l4 L] [--odd K] [--seed S]
 *
 * For each of P ports, N Ethernet/IPv4/UDP-or-TCP frames are generated from
 * a seeded PRNG; B of them carry a wrong IPv4 header checksum and L a wrong
 * UDP/TCP checksum; K are odd, one of ODD_KINDS in turn: a first fragment, ICMP,
 * UDP without a checksum, not IPv4, a runt shorter than an IPv4 header (all
 * good: forwarded), an IPv4 header length below 20 or past the frame's end
 * (bad IP), a UDP header cut short (bad L4). Each frame goes to the queue that a NIC doing RSS on
 * the IPv4 addresses (RTE_ETH_RSS_IP, default Toeplitz key, 128-entry
 * round-robin redirection table) would pick, one pcap file per port and
 * queue, to be fed to net_pcap vdevs (rx_pcap=...). Next to them:
 * expected.txt (the counts a correct application must report) and
 * *.good.txt (the frames it must forward, as pcap_frames prints them).
 *
 * The same arguments always produce byte-identical files: nothing depends
 * on the time, the host or the environment.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <pcap/pcap.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_thash.h>
#include <rte_udp.h>

#include "frame_hash.h"

#define PORTS_MAX 16
#define QUEUES_MAX 8
/* Bounds the output at about 2 GB per port. */
#define FRAMES_MAX 10000000
#define FRAME_LEN_MIN 64
#define FRAME_LEN_MAX 300
/* Like a NIC's: ixgbe and i40e VFs, among others, have 128 entries. */
#define RETA_SIZE 128
/* What a wrong checksum is: the right one with these bits flipped. */
#define BAD_CKSUM_XOR 0x5a5a

/**
 * The default RSS key of many NICs and of testpmd, from Microsoft's RSS
 * specification. rte_softrss() reads it as 32-bit words, hence the
 * alignment.
 */
static const uint8_t rss_key[40] __rte_aligned(4) = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct rte_ether_addr src_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr dst_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

/** The command line, checked. */
struct options {
	const char *out_dir;  /**< --out */
	unsigned int ports;   /**< --ports */
	unsigned int queues;  /**< --queues */
	uint32_t frames;      /**< --frames, per port */
	uint32_t bad_ip;      /**< --bad-ip, per port */
	uint32_t bad_l4;      /**< --bad-l4, per port */
	uint32_t odd;         /**< --odd, per port */
	uint64_t seed;        /**< --seed */
};

/** What is wrong with a frame, if anything. */
enum frame_kind {
	FRAME_GOOD,
	FRAME_BAD_IP,  /**< Wrong IPv4 header checksum. */
	FRAME_BAD_L4,  /**< Wrong UDP or TCP checksum. */
	/* The odd ones, ODD_KINDS of them: */
	FRAME_FRAGMENT,     /**< A first fragment, its L4 checksum not checkable. */
	FRAME_ICMP,         /**< No L4 checksum that a receiver verifies. */
	FRAME_UDP_NO_CKSUM, /**< A UDP checksum of 0: none computed. */
	FRAME_NOT_IP,       /**< Another EtherType: no checksum to verify. */
	FRAME_RUNT,         /**< IPv4, but shorter than an IPv4 header. */
	FRAME_SHORT_IHL,    /**< An IPv4 header length of 16 bytes: bad IP. */
	FRAME_LONG_IHL,     /**< A header of 60 bytes in a shorter frame: bad IP. */
	FRAME_CUT_UDP,      /**< The frame ends inside the UDP header: bad L4. */
	FRAME_KINDS,
};

#define ODD_KINDS (FRAME_KINDS - FRAME_FRAGMENT)

/** Frame counts of one queue or one port, as in expected.txt. */
struct counts {
	uint32_t frames;
	uint32_t good;
	uint32_t bad_ip;
	uint32_t bad_l4;
};

/** The output files of one queue of the port being generated. */
struct queue_out {
	char pcap_path[PATH_MAX];
	char good_path[PATH_MAX];
	pcap_dumper_t *dumper;  /**< p<p>q<q>.pcap */
	FILE *good;             /**< p<p>q<q>.good.txt */
	struct counts counts;
};

/**
 * Prints an error message and exits with a failure status.
 *
 * @param fmt  printf format of the message, without the final newline
 */
static void __attribute__((format(printf, 1, 2), noreturn))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen_traffic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

/**
 * Prints the usage text.
 *
 * @param out  stdout for -h, stderr after a usage error
 */
static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: gen_traffic --out DIR --ports P --queues Q [--frames N]\n"
		"                   [--bad-ip B] [--bad-l4 L] [--odd K] [--seed S]\n"
		"Write deterministic Ethernet/IPv4/UDP+TCP traffic into DIR, one pcap\n"
		"file per port and RX queue (p<port>q<queue>.pcap), split the way a\n"
		"NIC's RSS on the IPv4 addresses would split it, plus expected.txt\n"
		"and the good frames of each port and queue (*.good.txt).\n"
		"  --out DIR     output directory, created if missing\n"
		"  --ports P     number of ports, 1..%d\n"
		"  --queues Q    RX queues per port, 1..%d\n"
		"  --frames N    frames per port, 1..%d (default 1000)\n"
		"  --bad-ip B    frames per port with a wrong IPv4 checksum (default 10)\n"
		"  --bad-l4 L    frames per port with a wrong UDP/TCP checksum (default 10)\n"
		"  --odd K       odd frames per port: fragments, ICMP, no UDP checksum, not\n"
		"                IPv4, runts, bad IPv4 header lengths, cut UDP (default 0)\n"
		"  --seed S      PRNG seed, 0..2^64-1 (default 1)\n"
		"  -h, --help    this text\n"
		"B + L + K must not exceed N. The same arguments give the same files.\n",
		PORTS_MAX, QUEUES_MAX, FRAMES_MAX);
}

/**
 * Parses a decimal option value, or exits with a message saying why not.
 *
 * @param option  the option's name, for the messages
 * @param arg     its value as given
 * @param min     smallest value accepted
 * @param max     largest value accepted
 * @return the value
 */
static uint64_t
parse_number(const char *option, const char *arg, uint64_t min, uint64_t max)
{
	unsigned long long value;
	char *end;

	/* strtoull() skips blanks and takes a sign: "-1" would wrap around. */
	if (!isdigit((unsigned char)arg[0]))
		die("--%s: '%s' is not a decimal number", option, arg);
	errno = 0;
	value = strtoull(arg, &end, 10);
	if (*end != '\0')
		die("--%s: '%s' is not a decimal number", option, arg);
	if (errno == ERANGE || value > max)
		die("--%s: %s is too large (at most %" PRIu64 ")", option, arg,
			max);
	if (value < min)
		die("--%s: %s is too small (at least %" PRIu64 ")", option, arg,
			min);
	return value;
}

/**
 * Parses and checks the command line, or exits.
 *
 * @param argc  as given to main()
 * @param argv  as given to main()
 * @param opts  filled in
 */
static void
parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option longopts[] = {
		{ "out",    required_argument, NULL, 'o' },
		{ "ports",  required_argument, NULL, 'p' },
		{ "queues", required_argument, NULL, 'q' },
		{ "frames", required_argument, NULL, 'n' },
		{ "bad-ip", required_argument, NULL, 'b' },
		{ "bad-l4", required_argument, NULL, 'l' },
		{ "odd",    required_argument, NULL, 'k' },
		{ "seed",   required_argument, NULL, 's' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*opts = (struct options){
		.frames = 1000, .bad_ip = 10, .bad_l4 = 10, .seed = 1,
	};
	/* Only long options: the short letters above are just return codes. */
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (optarg[0] == '\0')
				die("--out: the directory name is empty");
			opts->out_dir = optarg;
			break;
		case 'p':
			opts->ports = parse_number("ports", optarg, 1, PORTS_MAX);
			break;
		case 'q':
			opts->queues = parse_number("queues", optarg, 1,
					QUEUES_MAX);
			break;
		case 'n':
			opts->frames = parse_number("frames", optarg, 1,
					FRAMES_MAX);
			break;
		case 'b':
			opts->bad_ip = parse_number("bad-ip", optarg, 0,
					FRAMES_MAX);
			break;
		case 'l':
			opts->bad_l4 = parse_number("bad-l4", optarg, 0,
					FRAMES_MAX);
			break;
		case 'k':
			opts->odd = parse_number("odd", optarg, 0, FRAMES_MAX);
			break;
		case 's':
			opts->seed = parse_number("seed", optarg, 0, UINT64_MAX);
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			/* getopt_long() has said what is wrong. */
			fprintf(stderr, "Try 'gen_traffic --help'.\n");
			exit(EXIT_FAILURE);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (try --help)", argv[optind]);
	if (opts->out_dir == NULL)
		die("missing --out DIR (try --help)");
	if (opts->ports == 0)
		die("missing --ports P (try --help)");
	if (opts->queues == 0)
		die("missing --queues Q (try --help)");
	/* Both are at most FRAMES_MAX, so the sum cannot overflow. */
	if ((uint64_t)opts->bad_ip + opts->bad_l4 + opts->odd > opts->frames)
		die("--bad-ip %" PRIu32 " + --bad-l4 %" PRIu32 " + --odd %" PRIu32
			" is more than --frames %" PRIu32 " (a frame has one fault at most)",
			opts->bad_ip, opts->bad_l4, opts->odd, opts->frames);
}

/**
 * Creates a directory and its missing parents, like mkdir -p, or exits.
 *
 * @param dir  the directory
 */
static void
make_dirs(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);
	size_t i;

	if (len >= sizeof(path))
		die("--out: path too long: %s", dir);
	memcpy(path, dir, len + 1);
	/* Each prefix ending before a '/', then the whole path. */
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("cannot create directory %s: %s", path,
				strerror(errno));
		path[i] = dir[i];
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die("--out: %s exists and is not a directory", dir);
}

/**
 * Formats the path of an output file, or exits if it does not fit.
 *
 * @param buf   where to write the path, PATH_MAX bytes
 * @param dir   the output directory
 * @param fmt   printf format of the file name
 */
static void __attribute__((format(printf, 3, 4)))
make_path(char *buf, const char *dir, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	int len;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	len = snprintf(buf, PATH_MAX, "%s/%s", dir, name);
	if (len < 0 || len >= PATH_MAX)
		die("--out: path too long: %s/%s", dir, name);
}

/**
 * Opens a text file for writing, or exits.
 *
 * @param path  the file
 * @return the open file
 */
static FILE *
open_text(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	return f;
}

/**
 * Closes a text file, or exits if anything written to it was lost.
 *
 * @param f     the file
 * @param path  its path, for the message
 */
static void
close_text(FILE *f, const char *path)
{
	/* ferror() catches a failed write that a later fflush() would hide. */
	if (ferror(f) | fclose(f))
		die("error writing %s: %s", path, strerror(errno));
}

/**
 * Next number of a 64-bit xorshift PRNG (Marsaglia's 13/7/17 triple):
 * tiny, and the same on every host, unlike rand().
 *
 * @param state  the PRNG's state, never 0
 * @return the next pseudo-random number
 */
static uint64_t
xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/**
 * The initial PRNG state of a port: a splitmix64 step scatters nearby
 * seeds and ports, so each port has its own stream (adding ports leaves
 * the frames of the others unchanged) and no seed gives the dead state 0.
 *
 * @param seed  --seed
 * @param port  the port
 * @return a non-zero state
 */
static uint64_t
port_rng_state(uint64_t seed, unsigned int port)
{
	uint64_t z = seed + (port + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z != 0 ? z : 1;
}

/**
 * Chooses which frames of a port are bad: the B + L faulty frames are
 * spread evenly over the N frames, and the B bad-IP ones evenly among
 * those, so that every stretch of the capture has some of each.
 *
 * @param kinds   N entries, filled in
 * @param frames  N
 * @param bad_ip  B
 * @param bad_l4  L, with B + L <= N
 */
static void
spread_bad_frames(uint8_t *kinds, uint32_t frames, uint32_t bad_ip,
		uint32_t bad_l4)
{
	uint64_t bad = (uint64_t)bad_ip + bad_l4;
	uint64_t k, pos;

	memset(kinds, FRAME_GOOD, frames);
	for (k = 0; k < bad; k++) {
		/* The middle of the k-th of `bad` equal slices: N/bad >= 1 apart. */
		pos = ((2 * k + 1) * frames) / (2 * bad);
		/* Bresenham: exactly bad_ip of the `bad` slots are bad-IP. */
		if ((k + 1) * bad_ip / bad > k * bad_ip / bad)
			kinds[pos] = FRAME_BAD_IP;
		else
			kinds[pos] = FRAME_BAD_L4;
	}
}

/**
 * Makes K of the good frames odd, one kind after the other, spread evenly:
 * the good frame at or after the middle of each of K equal slices.
 *
 * @param kinds   N entries, from spread_bad_frames()
 * @param frames  N
 * @param odd     K, with K good frames at least
 */
static void
spread_odd_frames(uint8_t *kinds, uint32_t frames, uint32_t odd)
{
	uint64_t k, pos;

	for (k = 0; k < odd; k++) {
		pos = ((2 * k + 1) * frames) / (2 * odd);
		while (kinds[pos] != FRAME_GOOD)
			pos = (pos + 1) % frames;
		kinds[pos] = FRAME_FRAGMENT + k % ODD_KINDS;
	}
}

/**
 * The RX queue a NIC would choose for a frame with RSS on IPv4 addresses.
 *
 * @param ip      the frame's IPv4 header
 * @param queues  Q
 * @return the queue, 0..Q-1
 */
static unsigned int
rss_queue(const struct rte_ipv4_hdr *ip, unsigned int queues)
{
	struct rte_ipv4_tuple tuple;
	uint32_t hash;
	unsigned int reta_index;

	/*
	 * rte_softrss() wants the tuple in CPU byte order (see rte_thash.h):
	 * it walks the bits of each 32-bit word from the most significant,
	 * which is the first bit on the wire only once converted.
	 */
	tuple.src_addr = rte_be_to_cpu_32(ip->src_addr);
	tuple.dst_addr = rte_be_to_cpu_32(ip->dst_addr);
	/* RTE_THASH_V4_L3_LEN: the two addresses, what RTE_ETH_RSS_IP hashes. */
	hash = rte_softrss((uint32_t *)&tuple, RTE_THASH_V4_L3_LEN, rss_key);
	/* A NIC indexes its table with the low bits of the hash. */
	reta_index = hash % RETA_SIZE;
	/* The default table, filled round-robin: reta[i] = i % Q. */
	return reta_index % queues;
}

/**
 * Writes one frame: Ethernet, IPv4, UDP or TCP, payload, all fields drawn
 * from the port's PRNG, with the checksums its kind calls for.
 *
 * @param buf    FRAME_LEN_MAX bytes
 * @param port   the port, in the IPv4 addresses
 * @param index  the frame's number in its port, in the IPv4 packet id
 * @param rng    the port's PRNG state
 * @param kind   which checksum to spoil, if any
 * @return the frame's length, FRAME_LEN_MIN..FRAME_LEN_MAX
 */
static uint16_t
build_frame(uint8_t *buf, unsigned int port, uint32_t index, uint64_t *rng,
		enum frame_kind kind)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	/* One of the two, depending on is_udp. */
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	uint64_t addrs = xorshift64(rng);
	uint64_t shape = xorshift64(rng);
	int is_udp = shape & 1;
	uint16_t len = FRAME_LEN_MIN + (shape >> 1) % (FRAME_LEN_MAX -
			FRAME_LEN_MIN + 1);
	uint16_t sport = 1024 + (shape >> 16) % (65536 - 1024);
	uint16_t dport = 1 + (shape >> 32) % 65535;
	size_t l4_hdr_len = is_udp ? sizeof(struct rte_udp_hdr) :
			sizeof(struct rte_tcp_hdr);
	size_t hdrs_len = sizeof(*eth) + sizeof(*ip) + l4_hdr_len;
	uint16_t cksum;
	size_t i;

	eth->dst_addr = dst_mac;
	eth->src_addr = src_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eth));
	ip->packet_id = rte_cpu_to_be_16((uint16_t)index);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = is_udp ? IPPROTO_UDP : IPPROTO_TCP;
	ip->hdr_checksum = 0;
	/* 10.<port>.x.y -> 10.<100+port>.x.y, y never 0 or 255. */
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, port, addrs & 0xff,
			1 + (addrs >> 8) % 254));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 100 + port,
			(addrs >> 16) & 0xff, 1 + (addrs >> 24) % 254));

	if (is_udp) {
		udp->src_port = rte_cpu_to_be_16(sport);
		udp->dst_port = rte_cpu_to_be_16(dport);
		udp->dgram_len = rte_cpu_to_be_16(len - sizeof(*eth) -
				sizeof(*ip));
		udp->dgram_cksum = 0;
	} else {
		tcp->src_port = rte_cpu_to_be_16(sport);
		tcp->dst_port = rte_cpu_to_be_16(dport);
		tcp->sent_seq = rte_cpu_to_be_32((uint32_t)(addrs >> 32));
		tcp->recv_ack = rte_cpu_to_be_32((uint32_t)shape);
		/* A 20-byte header: data offset 5 words, no options. */
		tcp->data_off = (sizeof(*tcp) / 4) << 4;
		tcp->tcp_flags = RTE_TCP_ACK_FLAG;
		tcp->rx_win = rte_cpu_to_be_16(65535);
		tcp->cksum = 0;
		tcp->tcp_urp = 0;
	}

	/* Byte by byte, low byte first: the same payload on any endianness. */
	for (i = hdrs_len; i < len; i += sizeof(uint64_t)) {
		uint64_t r = xorshift64(rng);
		size_t j;

		for (j = 0; j < sizeof(r) && i + j < len; j++)
			buf[i + j] = (uint8_t)(r >> (8 * j));
	}

	/* Both checksum fields are 0 here, as the two helpers require. */
	cksum = rte_ipv4_udptcp_cksum(ip, ip + 1);
	if (kind == FRAME_BAD_L4) {
		cksum ^= BAD_CKSUM_XOR;
		/* A UDP checksum of 0 means "none": it would not count as bad. */
		if (is_udp && cksum == 0)
			cksum = 0xffff;
	}
	/* The helpers return the field as stored, in network byte order. */
	if (is_udp)
		udp->dgram_cksum = cksum;
	else
		tcp->cksum = cksum;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (kind == FRAME_BAD_IP)
		ip->hdr_checksum ^= BAD_CKSUM_XOR;
	return len;
}

/**
 * Turns a good frame from build_frame() into an odd one of KIND.
 *
 * @param buf   the frame
 * @param len   its length
 * @param kind  FRAME_FRAGMENT or after
 * @return its new length
 */
static uint16_t
make_odd(uint8_t *buf, uint16_t len, enum frame_kind kind)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	const uint16_t l4_off = sizeof(*eth) + sizeof(*ip);

	switch (kind) {
	case FRAME_FRAGMENT:
		/* The rest of the datagram never comes: its L4 checksum cannot
		 * be verified, so it may as well be wrong. */
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
		buf[len - 1] ^= 0xff;
		break;
	case FRAME_ICMP:
		ip->next_proto_id = IPPROTO_ICMP;
		break;
	case FRAME_UDP_NO_CKSUM:
		ip->next_proto_id = IPPROTO_UDP;
		udp->dgram_len = rte_cpu_to_be_16(len - l4_off);
		udp->dgram_cksum = 0;
		break;
	case FRAME_NOT_IP:
		eth->ether_type = rte_cpu_to_be_16(0x88b5); /* IEEE's local experimental */
		return len;
	case FRAME_RUNT:
		return sizeof(*eth) + sizeof(*ip) - 4;
	case FRAME_SHORT_IHL:
		/* Bad whatever its checksum: no header is shorter than 20 bytes. */
		ip->version_ihl = (RTE_IPV4_VHL_DEF & 0xf0) | 4;
		return len;
	case FRAME_LONG_IHL:
		ip->version_ihl = (RTE_IPV4_VHL_DEF & 0xf0) | 15;
		return RTE_MIN(len, sizeof(*eth) + 15 * 4 - 1);
	case FRAME_CUT_UDP:
		ip->next_proto_id = IPPROTO_UDP;
		len = l4_off + sizeof(*udp) / 2;
		break;
	default:
		break;
	}
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return len;
}

/** What a receiver must find of a frame of KIND: FRAME_GOOD (forwarded),
 * FRAME_BAD_IP or FRAME_BAD_L4. */
static enum frame_kind
verdict_of(enum frame_kind kind)
{
	switch (kind) {
	case FRAME_BAD_IP:
	case FRAME_SHORT_IHL:
	case FRAME_LONG_IHL:
		return FRAME_BAD_IP;
	case FRAME_BAD_L4:
	case FRAME_CUT_UDP:
		return FRAME_BAD_L4;
	default:
		return FRAME_GOOD;
	}
}

/**
 * Adds one frame to the counts of a queue or a port.
 *
 * @param c     the counts
 * @param kind  the frame's kind
 */
static void
count_frame(struct counts *c, enum frame_kind kind)
{
	c->frames++;
	if (verdict_of(kind) == FRAME_BAD_IP)
		c->bad_ip++;
	else if (verdict_of(kind) == FRAME_BAD_L4)
		c->bad_l4++;
	else
		c->good++;
}

/**
 * Generates the frames of one port into its queue files and adds its lines
 * to expected.txt, or exits.
 *
 * @param opts      the command line
 * @param port      the port
 * @param pcap      a dead pcap handle, for the link type of the files
 * @param expected  expected.txt
 * @param total     counts of all ports, added to
 */
static void
generate_port(const struct options *opts, unsigned int port, pcap_t *pcap,
		FILE *expected, struct counts *total)
{
	struct queue_out queues[QUEUES_MAX];
	uint8_t frame[FRAME_LEN_MAX] __rte_aligned(8);
	struct counts port_counts = { 0 };
	char good_path[PATH_MAX];
	uint64_t rng = port_rng_state(opts->seed, port);
	uint8_t *kinds;
	FILE *port_good;
	unsigned int q;
	uint32_t i;

	kinds = malloc(opts->frames);
	if (kinds == NULL)
		die("out of memory for %" PRIu32 " frames", opts->frames);
	spread_bad_frames(kinds, opts->frames, opts->bad_ip, opts->bad_l4);
	spread_odd_frames(kinds, opts->frames, opts->odd);

	make_path(good_path, opts->out_dir, "p%u.good.txt", port);
	port_good = open_text(good_path);
	for (q = 0; q < opts->queues; q++) {
		struct queue_out *qo = &queues[q];

		memset(&qo->counts, 0, sizeof(qo->counts));
		make_path(qo->pcap_path, opts->out_dir, "p%uq%u.pcap", port, q);
		make_path(qo->good_path, opts->out_dir, "p%uq%u.good.txt",
			port, q);
		/* Opened even if no frame comes: a queue's file always exists. */
		qo->dumper = pcap_dump_open(pcap, qo->pcap_path);
		if (qo->dumper == NULL)
			die("cannot create %s: %s", qo->pcap_path,
				pcap_geterr(pcap));
		qo->good = open_text(qo->good_path);
	}

	for (i = 0; i < opts->frames; i++) {
		enum frame_kind kind = kinds[i];
		uint16_t len = build_frame(frame, port, i, &rng,
				kind >= FRAME_FRAGMENT ? FRAME_GOOD : kind);
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)
				(frame + sizeof(struct rte_ether_hdr));
		/* RSS hashes IPv4 frames; the others go to queue 0, as a NIC's. */
		unsigned int queue = kind == FRAME_NOT_IP || kind == FRAME_RUNT ? 0 :
				rss_queue(ip, opts->queues);
		struct queue_out *qo;

		if (kind >= FRAME_FRAGMENT)
			len = make_odd(frame, len, kind);
		qo = &queues[queue];
		/* Frame i at i microseconds: fixed, so the files are too. */
		struct pcap_pkthdr hdr = {
			.ts = { .tv_sec = i / 1000000, .tv_usec = i % 1000000 },
			.caplen = len,
			.len = len,
		};

		pcap_dump((u_char *)qo->dumper, &hdr, frame);
		if (verdict_of(kind) == FRAME_GOOD) {
			frame_line_print(qo->good, frame, len);
			frame_line_print(port_good, frame, len);
		}
		count_frame(&qo->counts, kind);
		count_frame(&port_counts, kind);
	}
	free(kinds);

	for (q = 0; q < opts->queues; q++) {
		struct queue_out *qo = &queues[q];
		const struct counts *c = &qo->counts;

		/* pcap_dump() reports nothing: look for errors once, here. */
		if (pcap_dump_flush(qo->dumper) < 0 ||
				ferror(pcap_dump_file(qo->dumper)))
			die("error writing %s", qo->pcap_path);
		pcap_dump_close(qo->dumper);
		close_text(qo->good, qo->good_path);
		fprintf(expected, "port %u queue %u frames %" PRIu32 " good %"
			PRIu32 " bad_ip %" PRIu32 " bad_l4 %" PRIu32 "\n",
			port, q, c->frames, c->good, c->bad_ip, c->bad_l4);
	}
	close_text(port_good, good_path);
	fprintf(expected, "port %u total frames %" PRIu32 " good %" PRIu32
		" bad_ip %" PRIu32 " bad_l4 %" PRIu32 "\n", port,
		port_counts.frames, port_counts.good, port_counts.bad_ip,
		port_counts.bad_l4);

	total->frames += port_counts.frames;
	total->good += port_counts.good;
	total->bad_ip += port_counts.bad_ip;
	total->bad_l4 += port_counts.bad_l4;
}

int
main(int argc, char **argv)
{
	char expected_path[PATH_MAX];
	struct counts total = { 0 };
	struct options opts;
	FILE *expected;
	pcap_t *pcap;
	unsigned int port;

	parse_options(argc, argv, &opts);
	make_dirs(opts.out_dir);

	/* A dead handle is all pcap_dump_open() needs: no capture device. */
	pcap = pcap_open_dead(DLT_EN10MB, 65535);
	if (pcap == NULL)
		die("pcap_open_dead() failed");

	make_path(expected_path, opts.out_dir, "expected.txt");
	expected = open_text(expected_path);
	for (port = 0; port < opts.ports; port++)
		generate_port(&opts, port, pcap, expected, &total);
	close_text(expected, expected_path);
	pcap_close(pcap);

	printf("gen_traffic: %u port(s) x %u queue(s), %" PRIu32
		" frames per port (%" PRIu32 " good, %" PRIu32 " bad IP, %"
		PRIu32 " bad L4 in all), seed %" PRIu64 ", in %s\n",
		opts.ports, opts.queues, opts.frames, total.good,
		total.bad_ip, total.bad_l4, opts.seed, opts.out_dir);
	return EXIT_SUCCESS;
}
