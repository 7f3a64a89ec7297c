/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * mp_layout: where the fields of an rte_mp message lie on the wire, for
 * the DPDK this is built with, for a check that talks rte_mp itself.
 *
 * EAL sends "struct mp_msg_internal" (lib/eal/common/eal_common_proc.c,
 * private: an int type, then struct rte_mp_msg) without the fds array. The
 * layout changed in 25.11 (param aligned to 8, 253 fds); a message of the
 * wrong size is "truncated" and ends the receiver's IPC thread.
 *
 * Prints one line: "type 0 name N len_param N num_fds N param N size N".
 */

#include <stddef.h>
#include <stdio.h>

#include <rte_eal.h>

/** EAL's private mp_msg_internal, field for field. */
struct wire {
	int type;
	struct rte_mp_msg msg;
};

int
main(void)
{
	const size_t msg = offsetof(struct wire, msg);

	printf("type 0 name %zu len_param %zu num_fds %zu param %zu size %zu\n",
		msg + offsetof(struct rte_mp_msg, name),
		msg + offsetof(struct rte_mp_msg, len_param),
		msg + offsetof(struct rte_mp_msg, num_fds),
		msg + offsetof(struct rte_mp_msg, param),
		sizeof(struct wire) - sizeof(((struct rte_mp_msg *)NULL)->fds));
	return 0;
}
