/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Hotplug from any process. rte_dev_probe() and rte_eal_hotplug_remove()
 * called in a secondary send the request to the primary over rte_mp; the
 * primary probes or removes the device, asks every secondary to do the same
 * and answers. Called in the primary, they do it first there, then in
 * every secondary. Either way, a device is in every process or in none.
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>

#include "hotplug.h"

void
hotplug_change(__rte_unused const char *devargs, __rte_unused bool attach)
{
	/* TODO(4) begin */
	struct rte_devargs da;
	int ret;

	/* [hotplug] */
	if (rte_devargs_parse(&da, devargs) < 0) {
		printf("cannot parse devargs\n");
		return;
	}
	/* A class alone ("class=eth") parses, but names no device to probe. */
	if (da.bus == NULL) {
		printf("cannot parse devargs\n");
		rte_devargs_reset(&da);
		return;
	}
	if (attach) {
		ret = rte_dev_probe(devargs);
		printf(ret == 0 ? "attached device %s\n" :
				"failed to attached device %s\n", da.name);
	} else {
		printf("detaching...\n");
		ret = rte_eal_hotplug_remove(rte_bus_name(da.bus), da.name);
		printf(ret == 0 ? "detached device %s\n" :
				"failed to detach device %s\n", da.name);
	}
	rte_devargs_reset(&da);
	/* [hotplug] */
	/* TODO(4) skeleton:
	MPW_TODO_NOT_DONE(4);
	 */
	/* TODO(4) end */
}

void
hotplug_list(void)
{
	/* TODO(5) begin */
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t port_id;

	/* [list] */
	printf("list all etherdev\n");
	RTE_ETH_FOREACH_DEV(port_id) {
		/* Unreachable here: it fails only for a port that another
		 * process detached since the loop found it. */
		if (rte_eth_dev_get_name_by_port(port_id, name) == 0)
			printf("%u\t%s\n", port_id, name);
	}
	/* [list] */
	/* TODO(5) skeleton:
	MPW_TODO_NOT_DONE(5);
	 */
	/* TODO(5) end */
}
