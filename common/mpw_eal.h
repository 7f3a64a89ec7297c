/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Start-up shared by every program of the workbook: rte_eal_init() with an
 * error that says what is wrong with this machine or command line and how to
 * fix it, and a primary that leaves nothing behind when its start fails.
 */

#ifndef MPW_EAL_H
#define MPW_EAL_H

/**
 * Runs rte_eal_init(). On failure, prints one line "PROG: <cause>: <fix>"
 * (no hugepages, hugetlbfs not mounted, not root, a primary already running,
 * no primary for a secondary: "start PRIMARY first", a --file-prefix that
 * EAL would read otherwise, ...), removes what the failed start created and
 * no process holds (mpw_prefix_remove()) and exits with status 1.
 *
 * In a primary it also arranges that an exit before mpw_eal_ready() (such as
 * rte_exit() on a bad option) removes the primary's hugepage files and
 * runtime directory that no process holds: rte_exit() releases its own.
 *
 * @return what rte_eal_init() returns: the number of arguments it consumed.
 */
int mpw_eal_init(int argc, char **argv, const char *prog, const char *primary);

/**
 * Start-up is over: from now on the primary's files are shared with its
 * secondaries and an exit keeps them, as DPDK does.
 */
void mpw_eal_ready(void);

#endif /* MPW_EAL_H */
