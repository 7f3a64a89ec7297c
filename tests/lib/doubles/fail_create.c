/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Test double for a creation that fails, as one does when no hugepage
 * memory is left: no vdev, and no EAL option, leaves EAL started and the
 * lab's few objects without memory. Linked with -Wl,--wrap= each of the
 * calls below (FAIL_WRAPPED in tests/lib/mpwcheck/doubles.py), into a
 * build of lab 01 or 03 of the check's own.
 *
 * Every call prints "AUDIT create NAME" (the check knows which objects
 * were made by these calls); the one whose NAME is MPW_FAIL_CREATE returns
 * NULL with rte_errno ENOMEM, as the real one does when it finds no memory.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_ring.h>

struct rte_ring *__real_rte_ring_create(const char *name, unsigned int count,
		int socket_id, unsigned int flags);
struct rte_ring *__wrap_rte_ring_create(const char *name, unsigned int count,
		int socket_id, unsigned int flags);
struct rte_ring *__real_rte_ring_create_elem(const char *name, unsigned int esize,
		unsigned int count, int socket_id, unsigned int flags);
struct rte_ring *__wrap_rte_ring_create_elem(const char *name, unsigned int esize,
		unsigned int count, int socket_id, unsigned int flags);
struct rte_mempool *__real_rte_mempool_create(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		rte_mempool_ctor_t *mp_init, void *mp_init_arg, rte_mempool_obj_cb_t *obj_init,
		void *obj_init_arg, int socket_id, unsigned int flags);
struct rte_mempool *__wrap_rte_mempool_create(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		rte_mempool_ctor_t *mp_init, void *mp_init_arg, rte_mempool_obj_cb_t *obj_init,
		void *obj_init_arg, int socket_id, unsigned int flags);
struct rte_mempool *__real_rte_mempool_create_empty(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		int socket_id, unsigned int flags);
struct rte_mempool *__wrap_rte_mempool_create_empty(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		int socket_id, unsigned int flags);

struct rte_mempool *__real_rte_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id);
struct rte_mempool *__wrap_rte_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id);
struct rte_mempool *__real_rte_pktmbuf_pool_create_by_ops(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id,
		const char *ops_name);
struct rte_mempool *__wrap_rte_pktmbuf_pool_create_by_ops(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id,
		const char *ops_name);
const struct rte_memzone *__real_rte_memzone_reserve(const char *name, size_t len,
		int socket_id, unsigned int flags);
const struct rte_memzone *__wrap_rte_memzone_reserve(const char *name, size_t len,
		int socket_id, unsigned int flags);
const struct rte_memzone *__real_rte_memzone_reserve_aligned(const char *name, size_t len,
		int socket_id, unsigned int flags, unsigned int align);
const struct rte_memzone *__wrap_rte_memzone_reserve_aligned(const char *name, size_t len,
		int socket_id, unsigned int flags, unsigned int align);

/** Says the call; true when it is the one to fail (rte_errno set). */
static int
failing(const char *name)
{
	const char *victim = getenv("MPW_FAIL_CREATE");

	printf("AUDIT create %s\n", name);
	fflush(stdout);
	if (victim == NULL || name == NULL || strcmp(name, victim) != 0)
		return 0;
	rte_errno = ENOMEM;
	return 1;
}

struct rte_ring *
__wrap_rte_ring_create(const char *name, unsigned int count, int socket_id,
		unsigned int flags)
{
	if (failing(name))
		return NULL;
	return __real_rte_ring_create(name, count, socket_id, flags);
}

struct rte_ring *
__wrap_rte_ring_create_elem(const char *name, unsigned int esize,
		unsigned int count, int socket_id, unsigned int flags)
{
	if (failing(name))
		return NULL;
	return __real_rte_ring_create_elem(name, esize, count, socket_id, flags);
}

struct rte_mempool *
__wrap_rte_mempool_create(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		rte_mempool_ctor_t *mp_init, void *mp_init_arg, rte_mempool_obj_cb_t *obj_init,
		void *obj_init_arg, int socket_id, unsigned int flags)
{
	if (failing(name))
		return NULL;
	return __real_rte_mempool_create(name, n, elt_size, cache_size,
			private_data_size, mp_init, mp_init_arg, obj_init,
			obj_init_arg, socket_id, flags);
}

struct rte_mempool *
__wrap_rte_mempool_create_empty(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size, unsigned int private_data_size,
		int socket_id, unsigned int flags)
{
	if (failing(name))
		return NULL;
	return __real_rte_mempool_create_empty(name, n, elt_size, cache_size,
			private_data_size, socket_id, flags);
}

struct rte_mempool *
__wrap_rte_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id)
{
	if (failing(name))
		return NULL;
	return __real_rte_pktmbuf_pool_create(name, n, cache_size, priv_size,
			data_room_size, socket_id);
}

struct rte_mempool *
__wrap_rte_pktmbuf_pool_create_by_ops(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size, int socket_id,
		const char *ops_name)
{
	if (failing(name))
		return NULL;
	return __real_rte_pktmbuf_pool_create_by_ops(name, n, cache_size,
			priv_size, data_room_size, socket_id, ops_name);
}

const struct rte_memzone *
__wrap_rte_memzone_reserve(const char *name, size_t len, int socket_id,
		unsigned int flags)
{
	if (failing(name))
		return NULL;
	return __real_rte_memzone_reserve(name, len, socket_id, flags);
}

const struct rte_memzone *
__wrap_rte_memzone_reserve_aligned(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align)
{
	if (failing(name))
		return NULL;
	return __real_rte_memzone_reserve_aligned(name, len, socket_id, flags, align);
}
