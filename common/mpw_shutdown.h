/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The ordered shutdown of a primary and its secondaries: no process touches
 * a port after another has stopped or closed it.
 *
 * A secondary holds a shared lock on a file of the runtime directory from
 * its start to its exit, when the kernel drops it, also after a SIGKILL. A
 * primary that stops asks every secondary to stop too (a message over
 * rte_mp, EAL's IPC), then takes that file's lock for itself: once it has
 * it, no secondary runs any more, and the primary may stop and close the
 * ports and clean up the EAL.
 */

#ifndef MPW_SHUTDOWN_H
#define MPW_SHUTDOWN_H

/** How long a primary waits for its secondaries to exit. */
#define MPW_SHUTDOWN_WAIT_MS 3000u

/**
 * Primary, at start-up: make the lock file that the secondaries will hold.
 *
 * @return 0, or a negative errno.
 */
int mpw_primary_prepare(void);

/**
 * Secondary: hold the lock until this process exits, and call @p on_stop
 * when the primary asks the secondaries to stop. @p on_stop runs in EAL's
 * IPC thread: it should only set a flag.
 *
 * @return 0, or a negative errno.
 */
int mpw_secondary_join(void (*on_stop)(void));

/**
 * Primary: ask every secondary to stop, then wait at most @p timeout_ms
 * until none runs.
 *
 * @return 0 when none runs, -ETIMEDOUT when one still does, another
 *   negative errno when the lock could not be taken.
 */
int mpw_secondaries_stop(unsigned int timeout_ms);

#endif /* MPW_SHUTDOWN_H */
