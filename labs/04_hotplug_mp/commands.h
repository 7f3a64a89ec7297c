/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The prompt of hotplug_mp, built on DPDK's cmdline library: upstream
 * hotplug_mp's commands (attach, detach, list, help, quit) and the lab's
 * own (peers, notify).
 */

#ifndef HOTPLUG_MP_COMMANDS_H
#define HOTPLUG_MP_COMMANDS_H

#include <stdbool.h>

#include <cmdline_parse.h>

/** The commands. */
extern cmdline_parse_ctx_t hotplug_mp_ctx[];

/** True once `quit` was typed at the prompt. */
bool hotplug_mp_quit_requested(void);

#endif /* HOTPLUG_MP_COMMANDS_H */
