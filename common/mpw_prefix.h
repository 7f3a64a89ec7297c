/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * A --file-prefix and what it names on this machine: its runtime directory
 * and its hugepage files. The prefix is read as EAL will read it, or refused
 * before EAL starts; its files are removed only when no process holds them,
 * the test EAL's own clear_hugedir() makes, so that a clean-up never takes
 * the memory of a process that another user or job is running.
 */

#ifndef MPW_PREFIX_H
#define MPW_PREFIX_H

#include <stddef.h>

/**
 * The --file-prefix of ARGC/ARGV (the EAL options, before "--"): "rte"
 * when there is none. Returns NULL, after a line "PROG: ..." on stderr,
 * for one that EAL would read otherwise than this function, or that would
 * name another directory: given twice or abbreviated (EAL takes the last,
 * getopt the abbreviation), empty, ".", "..", or holding '/' or '%'.
 */
const char *mpw_prefix_of(int argc, char **argv, const char *prog);

/**
 * Where EAL keeps PREFIX's runtime files, as eal_create_runtime_dir()
 * chooses: $RUNTIME_DIRECTORY, else /var/run for root, $XDG_RUNTIME_DIR or
 * /tmp for others, then /dpdk/PREFIX.
 */
void mpw_runtime_dir(const char *prefix, char *dir, size_t size);

/**
 * Calls FN(DIR, PREFIX) on every hugetlbfs mount point DIR; returns how
 * many there are, and in *WRITABLE (when not NULL) how many this process
 * may create files in.
 */
int mpw_for_each_hugetlbfs(void (*fn)(const char *dir, const char *prefix),
		const char *prefix, int *writable);

/**
 * Removes PREFIX's files that no process holds: each hugepage file
 * (PREFIX "map_" N, in every hugetlbfs mount) that can be locked
 * exclusively, unlinked under that lock; and the runtime directory DIR,
 * whole, only when its config lock and every one of its files can be taken
 * (no primary, no secondary, no process starting on it). Only other
 * processes' locks count: this one's (EAL's, of a start that failed) end
 * with it.
 */
void mpw_prefix_remove(const char *prefix, const char *dir);

#endif /* MPW_PREFIX_H */
