/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for a call that fails where no vdev fails: a device whose
 * start, queue set-up or information is refused (a real NIC's driver can
 * refuse each, net_null and net_ring never do), an allocation or an IPC
 * registration that finds no memory, a file descriptor table that is full.
 * Linked with -Wl,--wrap= each call below (FAIL_CALLS in
 * tests/faults/test_refusals.py) into a build of a lab of the test's own; the
 * calls of DPDK's libraries themselves are not wrapped.
 *
 * MPW_FAIL_CALL=NAME[:N] makes the N-th call of NAME (the first by default;
 * 0: every call) fail as the real one does, and say so on stderr ("DOUBLE:
 * NAME fails"): the ethdev calls return -EIO (a driver's error passed on;
 * MPW_FAIL_ERRNO=N another errno, such as a driver's -ENOTSUP), the
 * allocations NULL with rte_errno ENOMEM, rte_mp_action_register() -1 with
 * rte_errno ENOMEM, pipe() and flock() -1 with errno EMFILE and ENOLCK.
 * MPW_LINK_DOWN=N: the first N links read are down, as a NIC's is until
 * its peer comes up (a vdev's link is up once started). Every other call
 * is the real one.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

/** True when this call of NAME is the one to fail (and says so). */
static int
failing(const char *name)
{
	static unsigned int calls;
	const char *victim = getenv("MPW_FAIL_CALL");
	size_t len = strlen(name);
	unsigned long nth = 1;

	if (victim == NULL || strncmp(victim, name, len) != 0 ||
	    (victim[len] != '\0' && victim[len] != ':'))
		return 0;
	if (victim[len] == ':')
		nth = strtoul(victim + len + 1, NULL, 10);
	if (++calls != nth && nth != 0)
		return 0;
	fprintf(stderr, "DOUBLE: %s fails (call %u)\n", name, calls);
	return 1;
}

/** The negative errno that a failing ethdev call returns. */
static int
ethdev_error(void)
{
	const char *e = getenv("MPW_FAIL_ERRNO");

	return e != NULL ? -atoi(e) : -EIO;
}

/** An int-returning ethdev call: ethdev_error() when it fails, else the real one. */
#define WRAP_ETHDEV(name, params, args) \
	int __real_##name params; \
	int __wrap_##name params; \
	int __wrap_##name params \
	{ \
		if (failing(#name)) \
			return ethdev_error(); \
		return __real_##name args; \
	}

WRAP_ETHDEV(rte_eth_dev_info_get, (uint16_t port, struct rte_eth_dev_info *info), (port, info))
WRAP_ETHDEV(rte_eth_dev_configure, (uint16_t port, uint16_t nb_rx, uint16_t nb_tx,
	const struct rte_eth_conf *conf), (port, nb_rx, nb_tx, conf))
WRAP_ETHDEV(rte_eth_dev_adjust_nb_rx_tx_desc, (uint16_t port, uint16_t *nb_rxd, uint16_t *nb_txd),
	(port, nb_rxd, nb_txd))
WRAP_ETHDEV(rte_eth_rx_queue_setup, (uint16_t port, uint16_t queue, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_rxconf *conf, struct rte_mempool *pool),
	(port, queue, nb_desc, socket, conf, pool))
WRAP_ETHDEV(rte_eth_tx_queue_setup, (uint16_t port, uint16_t queue, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_txconf *conf), (port, queue, nb_desc, socket, conf))
WRAP_ETHDEV(rte_eth_promiscuous_enable, (uint16_t port), (port))
WRAP_ETHDEV(rte_eth_dev_start, (uint16_t port), (port))
WRAP_ETHDEV(rte_eth_dev_conf_get, (uint16_t port, struct rte_eth_conf *conf), (port, conf))

int __real_rte_eth_link_get_nowait(uint16_t port, struct rte_eth_link *link);
int __wrap_rte_eth_link_get_nowait(uint16_t port, struct rte_eth_link *link);
int
__wrap_rte_eth_link_get_nowait(uint16_t port, struct rte_eth_link *link)
{
	static unsigned long reads;
	const char *down = getenv("MPW_LINK_DOWN");
	int ret;

	if (failing("rte_eth_link_get_nowait"))
		return ethdev_error();
	ret = __real_rte_eth_link_get_nowait(port, link);
	if (ret == 0 && down != NULL && reads++ < strtoul(down, NULL, 10)) {
		fprintf(stderr, "DOUBLE: rte_eth_link_get_nowait says down\n");
		link->link_status = RTE_ETH_LINK_DOWN;
	}
	return ret;
}

void *__real_rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *__wrap_rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket);
void *
__wrap_rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	if (failing("rte_zmalloc_socket")) {
		rte_errno = ENOMEM;
		return NULL;
	}
	return __real_rte_zmalloc_socket(type, size, align, socket);
}

struct rte_mempool *__real_rte_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket);
struct rte_mempool *__wrap_rte_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket);
struct rte_mempool *
__wrap_rte_pktmbuf_pool_create(const char *name, unsigned int n, unsigned int cache_size,
		uint16_t priv_size, uint16_t data_room_size, int socket)
{
	if (failing("rte_pktmbuf_pool_create")) {
		rte_errno = ENOMEM;
		return NULL;
	}
	return __real_rte_pktmbuf_pool_create(name, n, cache_size, priv_size, data_room_size, socket);
}

int __real_rte_mp_action_register(const char *name, rte_mp_t action);
int __wrap_rte_mp_action_register(const char *name, rte_mp_t action);
int
__wrap_rte_mp_action_register(const char *name, rte_mp_t action)
{
	if (failing("rte_mp_action_register")) {
		rte_errno = ENOMEM;
		return -1;
	}
	return __real_rte_mp_action_register(name, action);
}

struct cmdline *__real_cmdline_stdin_new(cmdline_parse_ctx_t *ctx, const char *prompt);
struct cmdline *__wrap_cmdline_stdin_new(cmdline_parse_ctx_t *ctx, const char *prompt);
struct cmdline *
__wrap_cmdline_stdin_new(cmdline_parse_ctx_t *ctx, const char *prompt)
{
	if (failing("cmdline_stdin_new"))
		return NULL;
	return __real_cmdline_stdin_new(ctx, prompt);
}

int __real_pipe(int fds[2]);
int __wrap_pipe(int fds[2]);
int
__wrap_pipe(int fds[2])
{
	if (failing("pipe")) {
		errno = EMFILE;
		return -1;
	}
	return __real_pipe(fds);
}

int __real_flock(int fd, int op);
int __wrap_flock(int fd, int op);
int
__wrap_flock(int fd, int op)
{
	if (failing("flock")) {
		errno = ENOLCK;
		return -1;
	}
	return __real_flock(fd, op);
}
