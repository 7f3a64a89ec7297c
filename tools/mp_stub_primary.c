/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * mp_stub_primary: a primary that creates only the objects it is given, as
 * another program on the same --file-prefix would, and waits until its
 * stdin ends: what a secondary finds when the primary is not the one it
 * expects.
 *
 *   mp_stub_primary [EAL options] -- [ring:NAME | pool:NAME]...
 *
 * A ring has 64 slots, a pool 1024 buffers of 128 bytes. Prints "created
 * N objects" once they exist, "bye" at the end.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

int
main(int argc, char **argv)
{
	int ret, i, made = 0;
	char c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "mp_stub_primary: cannot start the EAL: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	for (i = ret + 1; i < argc; i++) {
		if (strncmp(argv[i], "ring:", 5) == 0 &&
				rte_ring_create(argv[i] + 5, 64, rte_socket_id(), 0) != NULL)
			made++;
		else if (strncmp(argv[i], "pool:", 5) == 0 &&
				rte_mempool_create(argv[i] + 5, 1024, 128, 32, 0, NULL, NULL,
					NULL, NULL, rte_socket_id(), 0) != NULL)
			made++;
		else
			fprintf(stderr, "mp_stub_primary: cannot create '%s': %s\n", argv[i],
				rte_strerror(rte_errno));
	}
	printf("created %d objects\n", made);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	printf("bye\n");
	rte_eal_cleanup();
	return 0;
}
