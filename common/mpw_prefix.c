/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * A --file-prefix and its files: see mpw_prefix.h. A live DPDK process
 * holds a shared flock() on each of its hugepage and fbarray files, and a
 * primary an fcntl() lock on its runtime directory's config: whatever can
 * be locked exclusively belongs to no running process.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mpw_prefix.h"

#define PREFIX_OPTION "--file-prefix" /**< The EAL option, as getopt_long() knows it. */
#define PREFIX_MAX 200 /**< Leaves room for "map_N" in a file name. */

const char *
mpw_prefix_of(int argc, char **argv, const char *prog)
{
	const size_t full = strlen(PREFIX_OPTION);
	const char *prefix = "rte";
	int i, given = 0;
	size_t len;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		len = strcspn(argv[i], "=");
		/* getopt_long() takes any unique abbreviation: "--fi" and on. */
		if (len < 4 || len > full || strncmp(argv[i], PREFIX_OPTION, len) != 0)
			continue;
		if (len < full) {
			fprintf(stderr, "%s: write " PREFIX_OPTION " in full, not '%.*s': the workbook reads the prefix as EAL does\n",
				prog, (int)len, argv[i]);
			return NULL;
		}
		if (argv[i][len] == '=')
			prefix = argv[i] + len + 1;
		else if (i + 1 < argc)
			prefix = argv[++i];
		else
			return prefix; /* EAL says that the value is missing */
		given++;
	}
	if (given > 1)
		fprintf(stderr, "%s: " PREFIX_OPTION " is given %d times: give it once\n",
			prog, given);
	else if (prefix[0] == '\0' || strcmp(prefix, ".") == 0 || strcmp(prefix, "..") == 0 ||
			strpbrk(prefix, "/%") != NULL)
		fprintf(stderr, "%s: " PREFIX_OPTION " '%s' is no plain name: EAL would take it for a path, or refuse it; give one such as lab01\n",
			prog, prefix);
	else if (strlen(prefix) > PREFIX_MAX)
		fprintf(stderr, "%s: " PREFIX_OPTION " is longer than %d characters: give a shorter one\n",
			prog, PREFIX_MAX);
	else
		return prefix;
	return NULL;
}

void
mpw_runtime_dir(const char *prefix, char *dir, size_t size)
{
	const char *base = getenv("RUNTIME_DIRECTORY");

	if (base == NULL && getuid() == 0)
		base = "/var/run";
	if (base == NULL)
		base = getenv("XDG_RUNTIME_DIR");
	if (base == NULL)
		base = "/tmp";
	snprintf(dir, size, "%s/dpdk/%s", base, prefix);
}

/**
 * Whether a process other than this one holds, or waits for, a lock on the
 * file of ST, as /proc/locks lists them ("1: [->] FLOCK ADVISORY WRITE pid
 * maj:min:inode ..."); true when it cannot be read.
 */
static int
locked_by_others(const struct stat *st)
{
	unsigned long maj, min, ino;
	char line[256], *p, *end, *save;
	int field, others = 0;
	long pid;
	FILE *f;

	f = fopen("/proc/locks", "r");
	if (f == NULL)
		return 1;
	while (!others && fgets(line, sizeof(line), f) != NULL) {
		pid = -1;
		field = 0;
		for (p = strtok_r(line, " \t\n", &save); p != NULL; p = strtok_r(NULL, " \t\n", &save)) {
			if (strcmp(p, "->") == 0)
				continue; /* a waiter: it wants the lock */
			if (++field == 5)
				pid = strtol(p, NULL, 10);
			else if (field == 6)
				break;
		}
		if (p == NULL)
			continue;
		maj = strtoul(p, &end, 16);
		if (*end != ':')
			continue;
		min = strtoul(end + 1, &end, 16);
		if (*end != ':')
			continue;
		ino = strtoul(end + 1, NULL, 10);
		others = maj == major(st->st_dev) && min == minor(st->st_dev) &&
			ino == st->st_ino && pid != getpid();
	}
	fclose(f);
	return others;
}

/**
 * NAME of directory DIR_FD opened and locked exclusively, without waiting:
 * the descriptor, or -1 when another process holds it or it is no regular
 * file. What only this process holds counts as free: an exiting process
 * keeps EAL's locks through its mappings until its very end.
 */
static int
lock_file(int dir_fd, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
			(flock(fd, LOCK_EX | LOCK_NB) < 0 && locked_by_others(&st))) {
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * Whether entry E of directory DIR_FD is a regular file: its d_type says,
 * or, on a file system that gives none (DT_UNKNOWN), fstatat() does.
 */
static int
is_regular(int dir_fd, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_REG;
	return fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/** Whether NAME is PREFIX "map_" then digits (and '_'): EAL's hugepage file. */
static int
is_hugepage_file(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *n;

	if (strncmp(name, prefix, len) != 0 || strncmp(name + len, "map_", 4) != 0)
		return 0;
	n = name + len + 4;
	return *n != '\0' && n[strspn(n, "0123456789_")] == '\0';
}

/** Unlinks DIR's hugepage files of PREFIX that no process holds. */
static void
remove_hugepage_files(const char *dir, const char *prefix)
{
	const struct dirent *e;
	DIR *d;
	int fd;

	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!is_hugepage_file(e->d_name, prefix))
			continue;
		fd = lock_file(dirfd(d), e->d_name);
		if (fd < 0)
			continue;
		/* Under the lock: nobody maps it between the test and the unlink. */
		unlinkat(dirfd(d), e->d_name, 0);
		close(fd);
	}
	closedir(d);
}

int
mpw_for_each_hugetlbfs(void (*fn)(const char *dir, const char *prefix),
		const char *prefix, int *writable)
{
	char dev[256], dir[PATH_MAX], type[64];
	int mounts = 0;
	FILE *f;

	if (writable != NULL)
		*writable = 0;
	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return 0;
	while (fscanf(f, "%255s %4095s %63s %*[^\n]", dev, dir, type) == 3) {
		if (strcmp(type, "hugetlbfs") != 0)
			continue;
		mounts++;
		if (writable != NULL && access(dir, W_OK | X_OK) == 0)
			(*writable)++;
		if (fn != NULL)
			fn(dir, prefix);
	}
	fclose(f);
	return mounts;
}

/**
 * The primary's lock on DIR_FD's config, taken: the descriptor, -1 when a
 * primary holds it; -2 when there is no config.
 */
static int
lock_config(int dir_fd)
{
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET }; /* whole file */
	int fd;

	fd = openat(dir_fd, "config", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -2 : -1;
	if (fcntl(fd, F_SETLK, &lock) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * Removes runtime directory DIR when every lock in it can be taken: a
 * primary locks config, every process its fbarray files.
 */
static void
remove_runtime_dir(const char *dir)
{
	int *held = NULL, *more, config, fd, n = 0, room = 0, in_use;
	const struct dirent *e = NULL;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		return;
	config = lock_config(dirfd(d));
	in_use = config == -1;
	while (!in_use && (e = readdir(d)) != NULL) {
		if (!is_regular(dirfd(d), e) || strcmp(e->d_name, "config") == 0)
			continue;
		if (n == room) {
			more = realloc(held, (room + 16) * sizeof(*held));
			if (more == NULL)
				break; /* cannot tell: keep it */
			held = more;
			room += 16;
		}
		fd = lock_file(dirfd(d), e->d_name);
		if (fd < 0)
			in_use = 1;
		else
			held[n++] = fd;
	}
	in_use = in_use || e != NULL;
	if (!in_use) {
		rewinddir(d);
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		rmdir(dir);
	}
	while (n > 0)
		close(held[--n]);
	free(held);
	if (config >= 0)
		close(config);
	closedir(d);
}

void
mpw_prefix_remove(const char *prefix, const char *dir)
{
	mpw_for_each_hugetlbfs(remove_hugepage_files, prefix, NULL);
	remove_runtime_dir(dir);
}
