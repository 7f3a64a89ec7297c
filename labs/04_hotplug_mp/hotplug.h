/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * `attach`, `detach` and `list`: devices probed and removed at run time, in
 * every process of the --file-prefix at once, and the ports this one sees.
 */

#ifndef HOTPLUG_MP_HOTPLUG_H
#define HOTPLUG_MP_HOTPLUG_H

#include <stdbool.h>

/**
 * Attaches (@p attach true) or detaches the device that @p devargs names,
 * in every process, and prints the outcome as upstream's hotplug_mp does:
 * "attached device NAME", "failed to attached device NAME", "detached
 * device NAME", "failed to detach device NAME" or "cannot parse devargs".
 */
void hotplug_change(const char *devargs, bool attach);

/** Prints "list all etherdev", then "PORT\tNAME" for each port. */
void hotplug_list(void);

#endif /* HOTPLUG_MP_HOTPLUG_H */
