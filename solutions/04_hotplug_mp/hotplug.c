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
hotplug_change(const char *devargs, bool attach)
{
	/* TODO(4) begin: Parse devargs with rte_devargs_parse() into a struct
	 * rte_devargs; when that fails, or names no bus, print "cannot parse
	 * devargs" and return. To attach, rte_dev_probe(devargs), then print
	 * "attached device NAME" or, on failure, "failed to attached device
	 * NAME" (upstream's wording, typo included). To detach, print
	 * "detaching..." first, then rte_eal_hotplug_remove() with the bus's
	 * name (rte_bus_name()) and the device's name, then "detached device
	 * NAME" or "failed to detach device NAME". NAME is the parsed name. Last,
	 * rte_devargs_reset(): the parse allocated the arguments.
	 * Checks hotplug_in_every_process and bad_devargs_keep_prompt;
	 * walkthrough: "Hotplug rides on the same IPC";
	 * make hint LAB=04 TODO=4.
	 */
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
	(void)devargs;
	(void)attach;
	 */
	/* TODO(4) end */
}

void
hotplug_list(void)
{
	/* TODO(5) begin: Print "list all etherdev", then one line "%u\t%s" per
	 * port that this process sees (RTE_ETH_FOREACH_DEV): its id and its name
	 * (rte_eth_dev_get_name_by_port()). A port attached by another process
	 * shows here too: EAL probed it in every process.
	 * Checks list_without_devices and hotplug_in_every_process;
	 * walkthrough: "Listing the ports"; make hint LAB=04 TODO=5.
	 */
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
