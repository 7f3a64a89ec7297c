/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * `notify TEXT`: a one-way message over rte_mp. The primary's reaches every
 * secondary, a secondary's the primary; the receiver prints "notice from
 * PID: TEXT".
 */

#ifndef HOTPLUG_MP_NOTICE_H
#define HOTPLUG_MP_NOTICE_H

/**
 * Registers the receiving action with EAL's IPC and makes the pipe through
 * which it hands the notices to the main thread.
 *
 * @return 0, or a negative errno.
 */
int notice_start(void);

/** Unregisters the action; the pipe stays open until the process exits. */
void notice_stop(void);

/**
 * The read end of the pipe: readable when a notice waits. The prompt polls
 * it beside its input.
 */
int notice_fd(void);

/**
 * Prints the notices that wait, one line each.
 *
 * @return how many it printed.
 */
int notice_print_pending(void);

/** Sends TEXT to the peers and prints the outcome, one line. */
void notice_send(const char *text);

#endif /* HOTPLUG_MP_NOTICE_H */
