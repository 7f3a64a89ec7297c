/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * `peers`: every process answers PEERS_ACTION with its pid, its type and its
 * ports; the primary asks every secondary, a secondary asks the primary.
 */

#ifndef HOTPLUG_MP_PEERS_H
#define HOTPLUG_MP_PEERS_H

/**
 * Registers the answer to PEERS_ACTION with EAL's IPC.
 *
 * @return 0, or -rte_errno (ENOTSUP: --in-memory or --no-shconf turned the
 *   IPC off).
 */
int peers_start(void);

/** Unregisters it. */
void peers_stop(void);

/**
 * Asks the peers and prints one line per answer: "peer PID TYPE ports N:
 * IDS", then "K of M did not answer in time" when some did not.
 */
void peers_ask(void);

#endif /* HOTPLUG_MP_PEERS_H */
