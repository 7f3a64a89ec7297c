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
#include "mpw_todo.h"

void
hotplug_change(__rte_unused const char *devargs, __rte_unused bool attach)
{
	/* TODO 4: Parse devargs with rte_devargs_parse() into a struct
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
	MPW_TODO_NOT_DONE(4);
	/* end of TODO 4 */
}

void
hotplug_list(void)
{
	/* TODO 5: Print "list all etherdev", then one line "%u\t%s" per
	 * port that this process sees (RTE_ETH_FOREACH_DEV): its id and its name
	 * (rte_eth_dev_get_name_by_port()). A port attached by another process
	 * shows here too: EAL probed it in every process.
	 * Checks list_without_devices and hotplug_in_every_process;
	 * walkthrough: "Listing the ports"; make hint LAB=04 TODO=5.
	 */
	MPW_TODO_NOT_DONE(5);
	/* end of TODO 5 */
}
