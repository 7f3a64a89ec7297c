/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * telemetry_query: send one command to a DPDK telemetry socket.
 *
 * Usage: telemetry_query SOCKET_PATH COMMAND
 * e.g.   telemetry_query /var/run/dpdk/rte/dpdk_telemetry.v2 /ethdev/stats,0
 *
 * The v2 telemetry protocol is one JSON message per SOCK_SEQPACKET packet:
 * the server greets each new client with its version and limits, then
 * answers each command packet with one JSON packet. This tool does what
 * usertools/dpdk-telemetry.py does for one command, without Python, and
 * prints the reply on stdout.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* Larger than the server's own limit (16 KiB in DPDK 22.11). */
#define REPLY_MAX (64 * 1024)
/* The server reads commands into a 1 KiB buffer and cuts what is longer. */
#define COMMAND_MAX 1023
/* Per blocking call, so that a stuck or absent server cannot hang us. */
#define TIMEOUT_S 2
#define STR(x) #x
#define XSTR(x) STR(x)

static char reply[REPLY_MAX]; /**< Greeting, then the reply. */

/**
 * Prints the usage text.
 *
 * @param out  stdout for -h, stderr after a usage error
 */
static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: telemetry_query SOCKET_PATH COMMAND\n"
		"Send COMMAND to the DPDK telemetry socket SOCKET_PATH and print the\n"
		"JSON reply, e.g.\n"
		"  telemetry_query /var/run/dpdk/rte/dpdk_telemetry.v2 /ethdev/list\n"
		"  telemetry_query /var/run/dpdk/rte/dpdk_telemetry.v2 /ethdev/stats,0\n"
		"The socket lives in the runtime directory of the primary process:\n"
		"/var/run/dpdk/<file-prefix>/ when run as root.\n");
}

/**
 * Prints an error message after a failed socket call and exits.
 *
 * @param what  what was being done, e.g. "connecting to /x"
 * @param err   the errno of the failure
 */
static void __attribute__((noreturn))
die_errno(const char *what, int err)
{
	const char *hint = "";

	/* Name the likely cause of the errors a user will actually meet. */
	if (err == ENOENT)
		hint = " (is the DPDK process running, with this --file-prefix?)";
	else if (err == ECONNREFUSED)
		hint = " (nobody listens: a socket left by a process that died?)";
	else if (err == EAGAIN || err == EWOULDBLOCK)
		hint = " (no answer within " XSTR(TIMEOUT_S) " s)";
	else if (err == EPROTOTYPE)
		hint = " (not a SOCK_SEQPACKET socket: not DPDK telemetry v2?)";
	else if (err == EACCES)
		hint = " (run as the user of the DPDK process, e.g. root)";
	fprintf(stderr, "telemetry_query: error %s: %s%s\n", what,
		strerror(err), hint);
	exit(EXIT_FAILURE);
}

/**
 * Receives one packet into the reply buffer, or exits.
 *
 * @param fd    the connected socket
 * @param what  what is expected, for the error messages
 * @return the length of the packet
 */
static size_t
recv_packet(int fd, const char *what)
{
	char doing[64];
	ssize_t len;

	snprintf(doing, sizeof(doing), "waiting for the %s", what);
	/* With MSG_TRUNC, the real length even when it does not fit. */
	do {
		len = recv(fd, reply, sizeof(reply), MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		die_errno(doing, errno);
	if (len == 0) {
		/* DPDK accepts then closes clients beyond its limit. */
		fprintf(stderr,
			"telemetry_query: the server closed the connection instead of sending the %s (too many telemetry clients connected?)\n",
			what);
		exit(EXIT_FAILURE);
	}
	if ((size_t)len > sizeof(reply)) {
		fprintf(stderr,
			"telemetry_query: the %s is %zd bytes, more than the %d this tool reads\n",
			what, len, REPLY_MAX);
		exit(EXIT_FAILURE);
	}
	return (size_t)len;
}

int
main(int argc, char **argv)
{
	struct timeval timeout = { .tv_sec = TIMEOUT_S, .tv_usec = 0 };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	const char *path, *command;
	char doing[sizeof(addr.sun_path) + 32];
	size_t len;
	ssize_t sent;
	int fd;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
			strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	if (argc != 3) {
		usage(stderr);
		return EXIT_FAILURE;
	}
	path = argv[1];
	command = argv[2];

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr,
			"telemetry_query: socket path too long (%zu bytes, at most %zu): %s\n",
			strlen(path), sizeof(addr.sun_path) - 1, path);
		return EXIT_FAILURE;
	}
	if (command[0] == '\0' || strlen(command) > COMMAND_MAX) {
		fprintf(stderr,
			"telemetry_query: the command must have 1 to %d bytes, e.g. /ethdev/list\n",
			COMMAND_MAX);
		return EXIT_FAILURE;
	}
	/* connect() would say "Connection refused" for a regular file. */
	if (stat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "telemetry_query: %s is not a socket\n", path);
		return EXIT_FAILURE;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("creating a socket", errno);
	/*
	 * The send timeout also bounds connect(): the server listens with a
	 * backlog of 1, so a connect can block while its thread is busy.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout,
			sizeof(timeout)) < 0 ||
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout,
			sizeof(timeout)) < 0)
		die_errno("setting the socket timeouts", errno);

	snprintf(doing, sizeof(doing), "connecting to %s", path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die_errno(doing, errno);

	/* The greeting ({"version":...,"max_output_len":...}) is not asked for. */
	recv_packet(fd, "greeting");

	do {
		sent = send(fd, command, strlen(command), MSG_NOSIGNAL);
	} while (sent < 0 && errno == EINTR);
	if (sent < 0)
		die_errno("sending the command", errno);

	len = recv_packet(fd, "reply");
	close(fd);

	fwrite(reply, 1, len, stdout);
	putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "telemetry_query: error writing the reply: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
