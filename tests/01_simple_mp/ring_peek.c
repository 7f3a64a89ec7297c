/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * ring_peek: lab 01's check looks into a running primary's ring without
 * taking anything from it: the text that the sender wrote into the pool
 * buffer of each message waiting there, before any receiver copies it. So
 * a wrong text is the sender's (TODO 3), and a right one that arrives wrong
 * is the receiver's (TODO 4).
 *
 *   ring_peek [EAL options] -- POOL RING...
 *
 * For each RING, a line, then one per message waiting, the oldest first:
 *   ring NAME: count N, capacity N
 *   NAME slot N: 'TEXT'                (bytes other than printable ASCII as \xNN)
 *   NAME slot N: unterminated 'BYTES'  (no NUL in the buffer's elt_size bytes)
 *   NAME slot N: 0xADDR is no buffer of POOL
 * or "ring NAME: not found". Exit status 0 when every object was found. Read
 * only, and only while no process dequeues: the check peeks at full rings
 * with no secondary attached.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_ring.h>

/** Every object of the pool, as rte_mempool_obj_iter() finds them. */
struct objects {
	void **obj;
	unsigned int n;
};

static void
collect(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct objects *o = opaque;

	(void)mp;
	(void)idx;
	o->obj[o->n++] = obj;
}

static int
in_pool(const struct objects *o, const void *p)
{
	unsigned int i;

	for (i = 0; i < o->n; i++)
		if (o->obj[i] == p)
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

/** Prints RING's waiting messages; -1 when there is no such ring. */
static int
show_ring(const char *name, const struct rte_mempool *mp, const struct objects *objects)
{
	const struct rte_ring *r = rte_ring_lookup(name);
	void * const *slots;
	unsigned int i, count;

	if (r == NULL) {
		printf("ring %s: not found\n", name);
		return -1;
	}
	count = rte_ring_count(r);
	printf("ring %s: count %u, capacity %u\n", name, count, rte_ring_get_capacity(r));
	/* A ring of pointers: its slots follow the structure. */
	slots = (void * const *)&r[1];
	for (i = 0; i < count; i++) {
		const unsigned char *msg = slots[(r->cons.tail + i) & r->mask];
		const unsigned char *end;

		printf("%s slot %u: ", name, i + 1);
		if (!in_pool(objects, msg)) {
			printf("%p is no buffer of %s\n", (const void *)msg, mp->name);
			continue;
		}
		end = memchr(msg, '\0', mp->elt_size);
		if (end == NULL)
			printf("unterminated ");
		putchar('\'');
		print_bytes(msg, end != NULL ? (size_t)(end - msg) : mp->elt_size);
		printf("'\n");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct objects objects = { NULL, 0 };
	struct rte_mempool *mp;
	int ret = rte_eal_init(argc, argv);
	int status = 0;
	int i;

	if (ret < 0) {
		fprintf(stderr, "ring_peek: cannot attach: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY || ret + 3 > argc) {
		fprintf(stderr, "usage: ring_peek [EAL options] --proc-type=secondary -- POOL RING...\n");
		rte_eal_cleanup();
		return 2;
	}
	mp = rte_mempool_lookup(argv[ret + 1]);
	if (mp == NULL) {
		printf("pool %s: not found\n", argv[ret + 1]);
		rte_eal_cleanup();
		return 1;
	}
	objects.obj = calloc(mp->size, sizeof(*objects.obj));
	if (objects.obj == NULL) {
		rte_eal_cleanup();
		return 2;
	}
	rte_mempool_obj_iter(mp, collect, &objects);
	for (i = ret + 2; i < argc; i++)
		status |= show_ring(argv[i], mp, &objects);
	free(objects.obj);
	fflush(stdout);
	rte_eal_cleanup();
	return status == 0 ? 0 : 1;
}
