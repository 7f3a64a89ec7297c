/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * mp_inspect: attach to a running primary as a secondary and print its
 * rings and mempools by name, as dpdk-proc-info --show-ring and
 * --show-mempool do, also where proc-info refuses (22.11's, for a primary
 * with no ethdev port).
 *
 *   mp_inspect [EAL options] -- [--slots POOL] ring:NAME | pool:NAME ...
 *
 * One line each:
 *   ring NAME: producer single|multi|rts|hts, consumer ..., size N, capacity N, count N
 *   pool NAME: size N, in use N, available N, ops NAME
 *   ring NAME: not found
 * Exit status 0 when every object was found.
 *
 * --slots POOL: after each ring's line, one line per message waiting in it,
 * the oldest first, read as a text in a buffer of POOL (lab 01's messages).
 * Lab 01's check reads what a sender wrote before any receiver copies it:
 * a wrong text is the sender's, a right one that arrives wrong the
 * receiver's.
 *   NAME slot N: 'TEXT'                (bytes other than printable ASCII as \xNN)
 *   NAME slot N: unterminated 'BYTES'  (no NUL in the buffer's elt_size bytes)
 *   NAME slot N: 0xADDR is no buffer of POOL
 * or, POOL missing, "pool POOL: not found" and nothing else. The slots are
 * read unlocked: right only while no process dequeues (the check looks at
 * full rings with no secondary attached).
 *
 * It touches no port and takes no buffer; give it an lcore id that no other
 * process of the primary's uses.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_ring.h>

/** The pool of --slots and every object of it, as rte_mempool_obj_iter() finds them. */
struct slot_pool {
	const struct rte_mempool *mp;
	void **obj;
	unsigned int n;
};

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

static void
collect(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct slot_pool *pool = opaque;

	(void)mp;
	(void)idx;
	pool->obj[pool->n++] = obj;
}

/* A pointer is a buffer's only if it is an object's start: a pointer into
 * the middle of one, or elsewhere, would be read as a text it is not. */
static int
in_pool(const struct slot_pool *pool, const void *p)
{
	unsigned int i;

	for (i = 0; i < pool->n; i++)
		if (pool->obj[i] == p)
			return 1;
	return 0;
}

static void
print_bytes(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (isprint(s[i]) && s[i] != '\\' && s[i] != '\'')
			putchar(s[i]);
		else
			printf("\\x%02x", s[i]);
	}
}

/* The COUNT messages waiting in R, each as the text in its buffer of POOL. */
static void
show_slots(const char *name, const struct rte_ring *r, unsigned int count,
	const struct slot_pool *pool)
{
	/* A ring of pointers (rte_ring_create()'s): its slots follow the structure. */
	void * const *slots = (void * const *)&r[1];
	unsigned int i;

	for (i = 0; i < count; i++) {
		const unsigned char *msg = slots[(r->cons.tail + i) & r->mask];
		const unsigned char *end;

		printf("%s slot %u: ", name, i + 1);
		if (!in_pool(pool, msg)) {
			printf("%p is no buffer of %s\n", (const void *)msg, pool->mp->name);
			continue;
		}
		end = memchr(msg, '\0', pool->mp->elt_size);
		if (end == NULL)
			printf("unterminated ");
		putchar('\'');
		print_bytes(msg, end != NULL ? (size_t)(end - msg) : pool->mp->elt_size);
		printf("'\n");
	}
}

static int
show_ring(const char *name, const struct slot_pool *pool)
{
	const struct rte_ring *r = rte_ring_lookup(name);
	unsigned int count;

	if (r == NULL) {
		printf("ring %s: not found\n", name);
		return -1;
	}
	/* Read once: the slots shown are the ones counted. */
	count = rte_ring_count(r);
	printf("ring %s: producer %s, consumer %s, size %u, capacity %u, count %u\n",
		name, sync_name(r->prod.sync_type), sync_name(r->cons.sync_type),
		rte_ring_get_size(r), rte_ring_get_capacity(r), count);
	if (pool != NULL)
		show_slots(name, r, count, pool);
	return 0;
}

static int
show_pool(const char *name)
{
	const struct rte_mempool *mp = rte_mempool_lookup(name);

	if (mp == NULL) {
		printf("pool %s: not found\n", name);
		return -1;
	}
	/* The ops by name: their index is this process's table's, the same
	 * in every process of one build, as multi-process requires. */
	printf("pool %s: size %u, in use %u, available %u, ops %s\n", name, mp->size,
		rte_mempool_in_use_count(mp), rte_mempool_avail_count(mp),
		rte_mempool_get_ops(mp->ops_index)->name);
	return 0;
}

/* NAME's objects into POOL: 0, 1 when there is no such pool (said on
 * stdout, as a missing object is), -1 when they cannot be held. */
static int
load_slot_pool(const char *name, struct slot_pool *pool)
{
	struct rte_mempool *mp = rte_mempool_lookup(name);

	if (mp == NULL) {
		printf("pool %s: not found\n", name);
		return 1;
	}
	pool->obj = calloc(mp->size, sizeof(*pool->obj));
	if (pool->obj == NULL) {
		fprintf(stderr, "mp_inspect: no memory for the %u objects of %s\n", mp->size, name);
		return -1;
	}
	pool->mp = mp;
	rte_mempool_obj_iter(mp, collect, pool);
	return 0;
}

int
main(int argc, char **argv)
{
	struct slot_pool slot_pool = { NULL, NULL, 0 };
	const struct slot_pool *pool = NULL;
	int ret = rte_eal_init(argc, argv);
	int status = 0;
	int i;

	if (ret < 0) {
		fprintf(stderr, "mp_inspect: cannot attach: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		fprintf(stderr, "mp_inspect: no primary to look at (pass --proc-type=secondary)\n");
		rte_eal_cleanup();
		return 2;
	}
	i = ret + 1;
	if (i < argc && strcmp(argv[i], "--slots") == 0) {
		if (i + 1 >= argc) {
			fprintf(stderr,
				"usage: mp_inspect [EAL options] -- [--slots POOL] ring:NAME | pool:NAME ...\n");
			rte_eal_cleanup();
			return 2;
		}
		ret = load_slot_pool(argv[i + 1], &slot_pool);
		if (ret != 0) {
			/* Without the pool, no slot can be told from a stray pointer. */
			fflush(stdout);
			rte_eal_cleanup();
			return ret > 0 ? 1 : 2;
		}
		pool = &slot_pool;
		i += 2;
	}
	for (; i < argc; i++) {
		if (strncmp(argv[i], "ring:", 5) == 0)
			status |= show_ring(argv[i] + 5, pool);
		else if (strncmp(argv[i], "pool:", 5) == 0)
			status |= show_pool(argv[i] + 5);
		else {
			fprintf(stderr, "mp_inspect: '%s' is neither ring:NAME nor pool:NAME\n",
				argv[i]);
			status = -1;
		}
	}
	free(slot_pool.obj);
	fflush(stdout);
	rte_eal_cleanup();
	return status == 0 ? 0 : 1;
}
