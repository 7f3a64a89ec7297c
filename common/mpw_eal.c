/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Start-up shared by every program: see mpw_eal.h. When rte_eal_init()
 * fails, EAL has printed its own reasons, some of them misleading (a missing
 * hugetlbfs mount shows as "rte_service_init() failed"); this file looks at
 * the machine to name the one cause a student can act on.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>

#include "mpw_eal.h"
#include "mpw_prefix.h"

#define HUGEPAGES_SYSFS "/sys/kernel/mm/hugepages" /**< One directory per page size. */
#define SETUP_HINT "run 'sudo scripts/setup_hugepages.sh'" /**< The fix for most machine problems. */

static char primary_runtime_dir[PATH_MAX]; /**< Removed if start-up fails. */
static int start_up_over;                  /**< Set by mpw_eal_ready(). */

/** The value of the EAL option NAME (before "--"), or NULL. */
static const char *
eal_option(int argc, char **argv, const char *name)
{
	size_t len = strlen(name);
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], name) == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=')
			return argv[i] + len + 1;
	}
	return NULL;
}

/** The pid holding a primary's lock on DIR/config, or 0 when none does. */
static pid_t
primary_holding(const char *dir)
{
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET }; /* whole file */
	char path[PATH_MAX + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &lock) < 0)
		lock.l_type = F_UNLCK;
	close(fd);
	return lock.l_type == F_UNLCK ? 0 : lock.l_pid;
}

/**
 * NAME ("nr_hugepages", "free_hugepages") summed over every hugepage size:
 * the kernel's figures that EAL reads, or -1 when none can be read.
 */
static long
hugepages(const char *name)
{
	char path[PATH_MAX * 2], line[32];
	const struct dirent *e;
	long total = -1;
	DIR *d;
	FILE *f;

	d = opendir(HUGEPAGES_SYSFS);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "hugepages-", 10) != 0)
			continue;
		snprintf(path, sizeof(path), HUGEPAGES_SYSFS "/%s/%s", e->d_name, name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL)
			total = (total < 0 ? 0 : total) + strtol(line, NULL, 10);
		fclose(f);
	}
	closedir(d);
	return total;
}

/** What a failed rte_eal_init() is explained with. */
static struct {
	const char *prog;    /**< This program's name. */
	const char *primary; /**< What to start first, for a secondary. */
	const char *prefix;  /**< --file-prefix. */
	char dir[PATH_MAX];  /**< Its runtime directory. */
	int existed;         /**< That directory was there before. */
	int secondary;       /**< --proc-type=secondary. */
	int inside;          /**< rte_eal_init() is running. */
} eal_start;

/** atexit() handler of a primary: a failed start-up leaves nothing behind. */
static void
remove_files_unless_started(void)
{
	if (!start_up_over)
		mpw_prefix_remove(eal_start.prefix, primary_runtime_dir);
}

/** Prints why rte_eal_init() failed, as one line with the fix. */
static void
explain_failure(const char *prog, const char *primary, const char *prefix,
		const char *dir, int wants_secondary)
{
	long total = hugepages("nr_hugepages");
	long free_pages = hugepages("free_hugepages");
	pid_t holder = primary_holding(dir);
	char parent[PATH_MAX];
	int mounts, writable;

	mounts = mpw_for_each_hugetlbfs(NULL, NULL, &writable);
	/* Where EAL makes DIR: /tmp/dpdk belongs to the first user who ran DPDK. */
	snprintf(parent, sizeof(parent), "%s", dir);
	if (strrchr(parent, '/') != NULL)
		*strrchr(parent, '/') = '\0';
	if (access(parent, F_OK) == 0 && access(parent, W_OK | X_OK) != 0)
		fprintf(stderr, "%s: cannot make the runtime directory %s: %s is another user's; set XDG_RUNTIME_DIR to a directory of your own (a login session has one)\n",
			prog, dir, parent);
	else if (wants_secondary && holder == 0)
		fprintf(stderr, "%s: no primary process is running with --file-prefix %s: start %s first\n",
			prog, prefix, primary);
	else if (!wants_secondary && holder != 0)
		fprintf(stderr, "%s: a primary process (pid %d) is already running with --file-prefix %s: stop it, or give this one another --file-prefix\n",
			prog, (int)holder, prefix);
	else if (total == 0)
		fprintf(stderr, "%s: no hugepages are reserved: " SETUP_HINT "\n",
			prog);
	else if (mounts == 0)
		fprintf(stderr, "%s: no hugetlbfs is mounted, so EAL cannot map the hugepages: " SETUP_HINT "\n",
			prog);
	else if (getuid() != 0 && writable == 0)
		fprintf(stderr, "%s: not root, and no hugetlbfs mount is writable by this user: run with sudo, or have the administrator run 'sudo scripts/setup_hugepages.sh --group GROUP' for a group of yours\n",
			prog);
	else if (free_pages == 0)
		fprintf(stderr, "%s: every hugepage is in use: stop other DPDK processes, or reserve more with 'sudo scripts/setup_hugepages.sh COUNT'\n",
			prog);
	else
		fprintf(stderr, "%s: the EAL refused its options (its messages above say which): check the options before '--'\n",
			prog);
}

/** Explains the failed start and removes only what it made. */
static void
fail_start(void)
{
	explain_failure(eal_start.prog, eal_start.primary, eal_start.prefix,
		eal_start.dir, eal_start.secondary);
	/* Only what this failed start made, and only what nobody holds. */
	if (!eal_start.existed)
		mpw_prefix_remove(eal_start.prefix, eal_start.dir);
}

/** atexit(): EAL may exit by itself inside rte_eal_init() (from DPDK 25.11
 * it does on an unknown option): the same explanation as a failed return. */
static void
explain_exit_in_eal_init(void)
{
	if (eal_start.inside)
		fail_start();
}

int
mpw_eal_init(int argc, char **argv, const char *prog, const char *primary)
{
	const char *proc_type = eal_option(argc, argv, "--proc-type");
	struct stat st;
	int ret;

	eal_start.prog = prog;
	eal_start.primary = primary;
	eal_start.prefix = mpw_prefix_of(argc, argv, prog);
	if (eal_start.prefix == NULL)
		exit(EXIT_FAILURE);
	eal_start.secondary = proc_type != NULL && strcmp(proc_type, "secondary") == 0;
	mpw_runtime_dir(eal_start.prefix, eal_start.dir, sizeof(eal_start.dir));
	eal_start.existed = stat(eal_start.dir, &st) == 0;

	atexit(explain_exit_in_eal_init);
	eal_start.inside = 1;
	ret = rte_eal_init(argc, argv);
	eal_start.inside = 0;
	if (ret < 0) {
		fail_start();
		exit(EXIT_FAILURE);
	}
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		snprintf(primary_runtime_dir, sizeof(primary_runtime_dir), "%s",
			rte_eal_get_runtime_dir());
		atexit(remove_files_unless_started);
	}
	return ret;
}

void
mpw_eal_ready(void)
{
	start_up_over = 1;
}
