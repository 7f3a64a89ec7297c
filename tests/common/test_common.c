/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Unit test of common/: each case calls a function of mpw_prefix.c,
 * mpw_eal.c or mpw_shutdown.c, their static ones too (this file includes
 * them), and checks what it returns, prints or leaves.
 *
 * Without EAL, and without reading or touching the machine's DPDK files:
 * what the functions read of the machine (/proc/mounts, /proc/locks,
 * /sys/kernel/mm/hugepages, the runtime directory) is faked in a directory
 * of this run's own, and the failures that no file can cause are made by
 * the doubles below, linked with -Wl,--wrap=NAME (tests/common/Makefile).
 * A lock held by another process is a child's, forked, then released and
 * reaped within its case.
 *
 * test_common DIR: works in a new DIR/tmp.XXXXXX, removed at the end.
 * Prints "PASS  case" or "FAIL  case: expected ..., got ..." for each case,
 * then "N passed, N failed"; exit status 1 when a case failed.
 */

/* The code under test, first: nothing of this file changes how it compiles. */
#include "mpw_prefix.c"
#include "mpw_eal.c"
#include "mpw_shutdown.c"

#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>

/** What the doubles fake; all off (0, NULL) between cases but the files. */
static struct {
	const char *proc_locks;  /**< Read as /proc/locks; NULL: it cannot be. */
	const char *proc_mounts; /**< Read as /proc/mounts; NULL: it cannot be. */
	const char *sysfs;       /**< Read as HUGEPAGES_SYSFS; NULL: it cannot be. */
	const char *runtime_dir; /**< rte_eal_get_runtime_dir(). */
	const char *no_access;   /**< A path access() refuses, as another user's. */
	int uid_faked;           /**< getuid() is uid, not the real one. */
	uid_t uid;
	int getlk_errno;         /**< fcntl(F_GETLK) fails with it. */
	int flock_errno;         /**< flock() fails with it. */
	int fstat_errno;         /**< fstat() fails with it. */
	int fstatat_errno;       /**< fstatat() fails with it. */
	int realloc_fails;       /**< realloc() finds no memory. */
	int unknown_type;        /**< readdir() gives DT_UNKNOWN for every entry. */
	int register_errno;      /**< rte_mp_action_register() fails with it. */
	unsigned int sent;       /**< rte_mp_sendmsg() calls. */
	rte_mp_t action;         /**< What rte_mp_action_register() was given. */
} fake;

/*
 * The doubles. Only the calls of this program's objects are wrapped (its
 * own, common/'s, libgcov's): DPDK's libraries call the real functions.
 * Each is the real one unless its fake is on.
 */
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
DIR *__real_opendir(const char *path);
DIR *__wrap_opendir(const char *path);
struct dirent *__real_readdir(DIR *d);
struct dirent *__wrap_readdir(DIR *d);
int __real_access(const char *path, int mode);
int __wrap_access(const char *path, int mode);
uid_t __real_getuid(void);
uid_t __wrap_getuid(void);
int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);
int __real_flock(int fd, int op);
int __wrap_flock(int fd, int op);
int __real_fstatat(int dir_fd, const char *path, struct stat *st, int flags);
int __wrap_fstatat(int dir_fd, const char *path, struct stat *st, int flags);
int __real_fstat(int fd, struct stat *st);
int __wrap_fstat(int fd, struct stat *st);
void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);
const char *__wrap_rte_eal_get_runtime_dir(void);
int __wrap_rte_mp_sendmsg(struct rte_mp_msg *msg);
int __wrap_rte_mp_action_register(const char *name, rte_mp_t action);

/**
 * Where PATH is read from: its fake for the machine's files that the code
 * reads (never the machine's own), NULL when that fake is off; else PATH.
 */
static const char *
faked(const char *path, char *buf, size_t size)
{
	const size_t sys = strlen(HUGEPAGES_SYSFS);

	if (strcmp(path, "/proc/locks") == 0)
		return fake.proc_locks;
	if (strcmp(path, "/proc/mounts") == 0)
		return fake.proc_mounts;
	if (strncmp(path, HUGEPAGES_SYSFS, sys) == 0) {
		if (fake.sysfs == NULL)
			return NULL;
		snprintf(buf, size, "%s%s", fake.sysfs, path + sys);
		return buf;
	}
	return path;
}

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	char buf[PATH_MAX * 2];

	path = faked(path, buf, sizeof(buf));
	if (path == NULL) {
		errno = EACCES;
		return NULL;
	}
	return __real_fopen(path, mode);
}

DIR *
__wrap_opendir(const char *path)
{
	char buf[PATH_MAX * 2];

	path = faked(path, buf, sizeof(buf));
	if (path == NULL) {
		errno = ENOENT;
		return NULL;
	}
	return __real_opendir(path);
}

/* Every entry, "." and ".." too, as on a file system without d_type. */
struct dirent *
__wrap_readdir(DIR *d)
{
	static struct dirent copy;
	struct dirent *e = __real_readdir(d);

	if (e == NULL || !fake.unknown_type)
		return e;
	/* The entry's own length: the last one may end its buffer. */
	memcpy(&copy, e, offsetof(struct dirent, d_name) + strlen(e->d_name) + 1);
	copy.d_type = DT_UNKNOWN;
	return &copy;
}

int
__wrap_fstatat(int dir_fd, const char *path, struct stat *st, int flags)
{
	if (fake.fstatat_errno != 0) {
		errno = fake.fstatat_errno;
		return -1;
	}
	return __real_fstatat(dir_fd, path, st, flags);
}

int
__wrap_access(const char *path, int mode)
{
	if (fake.no_access != NULL && strcmp(path, fake.no_access) == 0 && mode != F_OK) {
		errno = EACCES;
		return -1;
	}
	return __real_access(path, mode);
}

uid_t
__wrap_getuid(void)
{
	return fake.uid_faked ? fake.uid : __real_getuid();
}

int
__wrap_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	/* Every command that the code and libgcov use takes a pointer or an
	 * int, passed on as glibc's own fcntl() reads it. */
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (cmd == F_GETLK && fake.getlk_errno != 0) {
		errno = fake.getlk_errno;
		return -1;
	}
	return __real_fcntl(fd, cmd, arg);
}

int
__wrap_flock(int fd, int op)
{
	if (fake.flock_errno != 0) {
		errno = fake.flock_errno;
		return -1;
	}
	return __real_flock(fd, op);
}

int
__wrap_fstat(int fd, struct stat *st)
{
	if (fake.fstat_errno != 0) {
		errno = fake.fstat_errno;
		return -1;
	}
	return __real_fstat(fd, st);
}

void *
__wrap_realloc(void *p, size_t size)
{
	if (fake.realloc_fails) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, size);
}

const char *
__wrap_rte_eal_get_runtime_dir(void)
{
	return fake.runtime_dir;
}

int
__wrap_rte_mp_sendmsg(struct rte_mp_msg *msg)
{
	(void)msg;
	fake.sent++;
	return 0;
}

int
__wrap_rte_mp_action_register(const char *name, rte_mp_t action)
{
	(void)name;
	if (fake.register_errno != 0) {
		rte_errno = fake.register_errno;
		return -1;
	}
	fake.action = action;
	return 0;
}

/* The cases' tools. */

static unsigned int passed, failed;
static char tmp[PATH_MAX];       /**< This run's directory (the working one). */
static char capture_path[PATH_MAX + 16];
static int saved_stderr = -1;

/** One case's line: PASS, or FAIL with FMT ("expected ..., got ..."). */
static void __attribute__((format(printf, 3, 4)))
verdict(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("PASS  %s\n", name);
	} else {
		failed++;
		printf("FAIL  %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	fflush(stdout);
}

static void
expect_long(const char *name, long expected, long got)
{
	verdict(name, expected == got, "expected %ld, got %ld", expected, got);
}

/** A string or NULL, as a FAIL line shows it. */
static const char *
shown(const char *s, char *buf, size_t size)
{
	if (s == NULL)
		return "NULL";
	snprintf(buf, size, "'%s'", s);
	return buf;
}

static void
expect_str(const char *name, const char *expected, const char *got)
{
	char e[512], g[512];
	int ok = expected == NULL ? got == NULL : got != NULL && strcmp(expected, got) == 0;

	verdict(name, ok, "expected %s, got %s", shown(expected, e, sizeof(e)),
		shown(got, g, sizeof(g)));
}

/** TEXT (what was printed) holds PART; or is empty, when PART is "". */
static void
expect_said(const char *name, const char *part, const char *text)
{
	int ok = part[0] == '\0' ? text[0] == '\0' : strstr(text, part) != NULL;

	if (part[0] == '\0')
		verdict(name, ok, "expected nothing on stderr, got '%s'", text);
	else
		verdict(name, ok, "expected a message with '%s', got '%s'", part, text);
}

/** From here on, stderr goes to a file, for captured(). */
static void
capture(void)
{
	int fd;

	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/** What was printed on stderr since capture(), without its last newline. */
static const char *
captured(void)
{
	static char text[4096];
	size_t n = 0;
	FILE *f;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	f = fopen(capture_path, "r");
	if (f != NULL) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return text;
}

static void __attribute__((format(printf, 2, 3)))
put(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/** An empty file PATH. */
static void
touch(const char *path)
{
	put(path, "%s", "");
}

/** Makes every directory of PATH (relative to this run's). */
static void
make_dirs(const char *path)
{
	char part[PATH_MAX];
	char *slash;

	snprintf(part, sizeof(part), "%s", path);
	for (slash = strchr(part, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(part, 0700);
		*slash = '/';
	}
	mkdir(part, 0700);
}

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/** Removes NAME of DIR_FD, a whole tree, never following a link. */
static void
remove_tree(int dir_fd, const char *name)
{
	const struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(dir_fd, name, 0);
		return;
	}
	fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			remove_tree(dirfd(d), e->d_name);
	closedir(d);
	unlinkat(dir_fd, name, AT_REMOVEDIR);
}

/** A child holding a lock, until release(). */
struct holder {
	pid_t pid;
	int go; /**< The write end of the pipe that the child waits on. */
};

/**
 * Forks a child that locks PATH and holds the lock until release():
 * flock(LOCK_SH) as a secondary holds its files, or with BY_FCNTL a
 * primary's fcntl() write lock. Returns 0 once the child holds it.
 */
static int
hold(struct holder *h, const char *path, int by_fcntl)
{
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int ready[2], go[2], fd, ok;
	char c = 0;

	h->pid = -1;
	h->go = -1;
	if (pipe(ready) < 0)
		return -1;
	if (pipe(go) < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	fflush(NULL);
	h->pid = fork();
	if (h->pid == 0) {
		/* Ends by itself should the test hang; _exit(): no gcov counts
		 * of its own, a copy of the parent's. */
		alarm(5);
		close(ready[0]);
		close(go[1]);
		fd = open(path, by_fcntl ? O_RDWR : O_RDONLY);
		ok = fd >= 0 && (by_fcntl ? fcntl(fd, F_SETLK, &lock) : flock(fd, LOCK_SH | LOCK_NB)) == 0;
		if (ok && write(ready[1], "1", 1) == 1)
			(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	h->go = go[1];
	if (h->pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return 0;
}

/** Ends the child of hold() and reaps it. */
static void
release(struct holder *h)
{
	if (h->go >= 0) {
		(void)!write(h->go, "1", 1);
		close(h->go);
	}
	if (h->pid > 0)
		waitpid(h->pid, NULL, 0);
	h->pid = -1;
	h->go = -1;
}

/**
 * A /proc/locks line of the lock of PID on the file of ST, as the kernel
 * prints it (major:minor in hex), into LINE; WAITER: "->", one waiting for it.
 */
static const char *
locks_line(char *line, size_t size, const struct stat *st, long pid, int waiter)
{
	snprintf(line, size, "1: %sFLOCK  ADVISORY  %s %ld %02x:%02x:%lu 0 EOF\n",
		waiter ? "-> " : "", waiter ? "WRITE" : "READ", pid,
		major(st->st_dev), minor(st->st_dev), (unsigned long)st->st_ino);
	return line;
}

/* The cases, by file and function. */

/** mpw_prefix_of() of "unit" then ARGS (to NULL) is EXPECTED, printing MESSAGE. */
static void
prefix_case(const char *name, const char *expected, const char *message, ...)
{
	char *argv[16] = { "unit" };
	const char *got;
	char full[256];
	int argc = 1;
	va_list ap;

	va_start(ap, message);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	capture();
	got = mpw_prefix_of(argc, argv, "unit");
	snprintf(full, sizeof(full), "mpw_prefix_of: %s: the prefix", name);
	expect_str(full, expected, got);
	snprintf(full, sizeof(full), "mpw_prefix_of: %s: what it says", name);
	expect_said(full, message, captured());
}

static void
test_prefix_of(void)
{
	char longest[PREFIX_MAX + 2], option[PREFIX_MAX + 32];

	prefix_case("none given", "rte", "", "-l", "1", NULL);
	prefix_case("given with its value after", "lab01", "", "--file-prefix", "lab01", NULL);
	prefix_case("given with '='", "lab01", "", "-l", "1", "--file-prefix=lab01", NULL);
	prefix_case("given without a value (EAL says so)", "rte", "", "--file-prefix", NULL);
	prefix_case("abbreviated", NULL, "write --file-prefix in full, not '--fi'", "--fi=x", NULL);
	prefix_case("shorter options than an abbreviation are others", "rte", "", "--f", "--fo=x", NULL);
	prefix_case("a longer option is another", "rte", "", "--file-prefixes=x", NULL);
	prefix_case("another option of as many letters", "rte", "", "--file-prefiX=x", "--filex", NULL);
	prefix_case("the application's, after '--'", "rte", "", "--", "--file-prefix=x", NULL);
	prefix_case("given twice", NULL, "is given 2 times", "--file-prefix=a", "--file-prefix", "b", NULL);
	prefix_case("empty", NULL, "'' is no plain name", "--file-prefix=", NULL);
	prefix_case("'.'", NULL, "'.' is no plain name", "--file-prefix=.", NULL);
	prefix_case("'..'", NULL, "'..' is no plain name", "--file-prefix=..", NULL);
	prefix_case("with '/'", NULL, "'a/b' is no plain name", "--file-prefix=a/b", NULL);
	prefix_case("with '%'", NULL, "'a%d' is no plain name", "--file-prefix=a%d", NULL);
	memset(longest, 'p', PREFIX_MAX);
	longest[PREFIX_MAX] = '\0';
	snprintf(option, sizeof(option), "--file-prefix=%s", longest);
	prefix_case("of the longest length", longest, "", option, NULL);
	strcat(option, "p");
	prefix_case("one character longer", NULL, "is longer than 200 characters", option, NULL);
}

/** mpw_runtime_dir() of "p" with these RUNTIME_DIRECTORY, uid and XDG_RUNTIME_DIR. */
static void
runtime_dir_case(const char *name, const char *runtime, uid_t uid, const char *xdg,
		const char *expected)
{
	char dir[PATH_MAX], full[256];

	if (runtime != NULL)
		setenv("RUNTIME_DIRECTORY", runtime, 1);
	else
		unsetenv("RUNTIME_DIRECTORY");
	if (xdg != NULL)
		setenv("XDG_RUNTIME_DIR", xdg, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	fake.uid_faked = 1;
	fake.uid = uid;
	mpw_runtime_dir("p", dir, sizeof(dir));
	fake.uid_faked = 0;
	snprintf(full, sizeof(full), "mpw_runtime_dir: %s", name);
	expect_str(full, expected, dir);
}

static void
test_runtime_dir(void)
{
	char rd[PATH_MAX + 8], xdg[PATH_MAX + 8], want[PATH_MAX * 2];

	/* Only computed: nothing is made there. */
	snprintf(rd, sizeof(rd), "%s/rd", tmp);
	snprintf(xdg, sizeof(xdg), "%s/xdg", tmp);
	snprintf(want, sizeof(want), "%s/dpdk/p", rd);
	runtime_dir_case("RUNTIME_DIRECTORY first, for root too", rd, 0, xdg, want);
	runtime_dir_case("root's without RUNTIME_DIRECTORY", NULL, 0, xdg, "/var/run/dpdk/p");
	snprintf(want, sizeof(want), "%s/dpdk/p", xdg);
	runtime_dir_case("a user's XDG_RUNTIME_DIR", NULL, 1000, xdg, want);
	runtime_dir_case("a user's without XDG_RUNTIME_DIR", NULL, 1000, NULL, "/tmp/dpdk/p");
	unsetenv("RUNTIME_DIRECTORY");
	unsetenv("XDG_RUNTIME_DIR");
}

/** locked_by_others() of the file of ST, /proc/locks holding LINES. */
static void
locks_case(const char *name, const struct stat *st, int expected, const char *lines)
{
	char full[256];

	put("locks", "%s", lines);
	fake.proc_locks = "locks";
	snprintf(full, sizeof(full), "locked_by_others: %s", name);
	expect_long(full, expected, locked_by_others(st));
	fake.proc_locks = NULL;
}

static void
test_locked_by_others(void)
{
	char a[128], b[128], both[256];
	const long other = getpid() + 1;
	struct stat st, moved;

	touch("locked");
	stat("locked", &st);
	expect_long("locked_by_others: /proc/locks unreadable: taken as held", 1,
		locked_by_others(&st));
	locks_case("no lock at all", &st, 0, "");
	locks_case("another process's lock", &st, 1, locks_line(a, sizeof(a), &st, other, 0));
	locks_case("this process's own lock", &st, 0, locks_line(a, sizeof(a), &st, getpid(), 0));
	locks_case("another process waiting for it ('->')", &st, 1,
		locks_line(a, sizeof(a), &st, other, 1));
	locks_case("a line too short", &st, 0, "1: FLOCK  ADVISORY  READ 1\n");
	locks_case("a device without ':'", &st, 0, "1: FLOCK  ADVISORY  READ 1 0801 0 EOF\n");
	locks_case("a device without its inode", &st, 0, "1: FLOCK  ADVISORY  READ 1 08:01 0 EOF\n");
	moved = st;
	moved.st_ino++;
	locks_case("another inode's lock", &st, 0, locks_line(a, sizeof(a), &moved, other, 0));
	moved = st;
	moved.st_dev = makedev(major(st.st_dev), minor(st.st_dev) + 1);
	locks_case("another minor device's lock", &st, 0, locks_line(a, sizeof(a), &moved, other, 0));
	moved.st_dev = makedev(major(st.st_dev) + 1, minor(st.st_dev));
	locks_case("another major device's lock", &st, 0, locks_line(a, sizeof(a), &moved, other, 0));
	snprintf(both, sizeof(both), "%s%s", locks_line(a, sizeof(a), &moved, other, 0),
		locks_line(b, sizeof(b), &st, other, 0));
	locks_case("its lock after another file's", &st, 1, both);
}

static void
test_lock_file(void)
{
	char line[128];
	struct holder h;
	struct stat st;
	int fd, mine, other;

	expect_long("lock_file: no such file", -1, lock_file(AT_FDCWD, "nothing"));
	make_dirs("a_dir");
	expect_long("lock_file: a directory", -1, lock_file(AT_FDCWD, "a_dir"));
	touch("free");
	if (symlink("free", "link") < 0)
		perror("link");
	expect_long("lock_file: a symbolic link (not followed)", -1, lock_file(AT_FDCWD, "link"));
	fake.fstat_errno = EIO;
	expect_long("lock_file: fstat() fails", -1, lock_file(AT_FDCWD, "free"));
	fake.fstat_errno = 0;
	fd = lock_file(AT_FDCWD, "free");
	other = open("free", O_RDONLY | O_CLOEXEC);
	verdict("lock_file: a free file is locked", fd >= 0 && flock(other, LOCK_SH | LOCK_NB) < 0,
		"expected a descriptor that holds the lock, got %d", fd);
	close(other);
	if (fd >= 0)
		close(fd);

	touch("held");
	stat("held", &st);
	if (hold(&h, "held", 0) < 0) {
		verdict("lock_file: a child holds the file", 0, "expected its lock, got none");
	} else {
		/* Its lock in /proc/locks, as the kernel lists it on any file system. */
		put("locks", "%s", locks_line(line, sizeof(line), &st, h.pid, 0));
		fake.proc_locks = "locks";
		expect_long("lock_file: a file another process holds", -1, lock_file(AT_FDCWD, "held"));
		fake.proc_locks = NULL;
	}
	release(&h);

	/* EAL's lock of this very process (a start that failed): free. */
	mine = open("held", O_RDONLY | O_CLOEXEC);
	flock(mine, LOCK_SH);
	put("locks", "%s", locks_line(line, sizeof(line), &st, getpid(), 0));
	fake.proc_locks = "locks";
	fd = lock_file(AT_FDCWD, "held");
	fake.proc_locks = NULL;
	verdict("lock_file: a file only this process holds", fd >= 0,
		"expected a descriptor, got %d", fd);
	if (fd >= 0)
		close(fd);
	close(mine);
}

static void
test_is_hugepage_file(void)
{
	expect_long("is_hugepage_file: PREFIXmap_0", 1, is_hugepage_file("pmap_0", "p"));
	expect_long("is_hugepage_file: PREFIXmap_1_2", 1, is_hugepage_file("pmap_1_2", "p"));
	expect_long("is_hugepage_file: another prefix's", 0, is_hugepage_file("qmap_0", "p"));
	expect_long("is_hugepage_file: no 'map_'", 0, is_hugepage_file("pmbox_0", "p"));
	expect_long("is_hugepage_file: no number", 0, is_hugepage_file("pmap_", "p"));
	expect_long("is_hugepage_file: more after the number", 0, is_hugepage_file("pmap_0.lock", "p"));
}

static int calls;
static char called_with[PATH_MAX];

static void
count_call(const char *dir, const char *prefix)
{
	calls++;
	snprintf(called_with, sizeof(called_with), "%s %s", dir, prefix);
}

static void
test_hugetlbfs(void)
{
	char huge[PATH_MAX + 8], huge2[PATH_MAX + 8], want[PATH_MAX * 2];
	int mounts, writable = -1;

	snprintf(huge, sizeof(huge), "%s/huge", tmp);
	snprintf(huge2, sizeof(huge2), "%s/huge2", tmp);
	make_dirs("huge");
	make_dirs("huge2");
	put("mounts", "proc /proc proc rw,nosuid 0 0\n"
		"hugetlbfs %s hugetlbfs rw,relatime,pagesize=2M 0 0\n"
		"tmpfs /run tmpfs rw 0 0\n"
		"hugetlbfs %s hugetlbfs rw,relatime,pagesize=1024M 0 0\n", huge, huge2);
	fake.proc_mounts = "mounts";
	fake.no_access = huge2;
	calls = 0;
	mounts = mpw_for_each_hugetlbfs(count_call, "p", &writable);
	expect_long("mpw_for_each_hugetlbfs: the hugetlbfs mounts alone", 2, mounts);
	expect_long("mpw_for_each_hugetlbfs: each one called", 2, calls);
	snprintf(want, sizeof(want), "%s p", huge2);
	expect_str("mpw_for_each_hugetlbfs: called with the mount point and the prefix", want,
		called_with);
	expect_long("mpw_for_each_hugetlbfs: those this user may write in", 1, writable);
	calls = 0;
	expect_long("mpw_for_each_hugetlbfs: without a function or a count", 2,
		mpw_for_each_hugetlbfs(NULL, NULL, NULL));
	fake.no_access = NULL;
	fake.proc_mounts = NULL;
	writable = -1;
	mounts = mpw_for_each_hugetlbfs(count_call, "p", &writable);
	verdict("mpw_for_each_hugetlbfs: /proc/mounts unreadable: none", mounts == 0 &&
		writable == 0 && calls == 0, "expected 0 mounts, 0 writable, 0 calls, got %d, %d, %d",
		mounts, writable, calls);
}

static void
test_remove_hugepage_files(void)
{
	char line[128];
	struct holder h;
	struct stat st;

	remove_hugepage_files("no_such_dir", "p");
	expect_long("remove_hugepage_files: no such directory: nothing", 0, exists("no_such_dir"));
	make_dirs("hp/pmap_9");
	touch("hp/pmap_0");
	touch("hp/pmap_1");
	touch("hp/pmap_x");
	touch("hp/qmap_0");
	stat("hp/pmap_1", &st);
	if (hold(&h, "hp/pmap_1", 0) < 0) {
		verdict("remove_hugepage_files: a child holds one", 0, "expected its lock, got none");
	} else {
		put("locks", "%s", locks_line(line, sizeof(line), &st, h.pid, 0));
		fake.proc_locks = "locks";
		remove_hugepage_files("hp", "p");
		fake.proc_locks = NULL;
		expect_long("remove_hugepage_files: a free one is removed", 0, exists("hp/pmap_0"));
		expect_long("remove_hugepage_files: one another process holds is kept", 1,
			exists("hp/pmap_1"));
		expect_long("remove_hugepage_files: another prefix's is kept", 1, exists("hp/qmap_0"));
		expect_long("remove_hugepage_files: no hugepage file's name: kept", 1,
			exists("hp/pmap_x"));
		expect_long("remove_hugepage_files: a directory of that name is kept", 1,
			exists("hp/pmap_9"));
	}
	release(&h);
}

static void
test_lock_config(void)
{
	struct holder h;
	int fd, config;

	make_dirs("lc/none");
	make_dirs("lc/dir/config");
	make_dirs("lc/free");
	touch("lc/free/config");
	make_dirs("lc/held");
	touch("lc/held/config");
	fd = open("lc/none", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	expect_long("lock_config: no config", -2, lock_config(fd));
	close(fd);
	fd = open("lc/dir", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	expect_long("lock_config: a config that cannot be opened (a directory)", -1, lock_config(fd));
	close(fd);
	fd = open("lc/free", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	config = lock_config(fd);
	verdict("lock_config: no primary holds it", config >= 0, "expected a descriptor, got %d", config);
	if (config >= 0)
		close(config);
	close(fd);
	fd = open("lc/held", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (hold(&h, "lc/held/config", 1) < 0)
		verdict("lock_config: a child holds it", 0, "expected its lock, got none");
	else
		expect_long("lock_config: a primary holds it", -1, lock_config(fd));
	release(&h);
	close(fd);
}

/** Makes runtime directory DIR: a config (unless NO_CONFIG), N files, a link. */
static void
runtime_files(const char *dir, int no_config, int n)
{
	char path[PATH_MAX];
	int i;

	make_dirs(dir);
	if (!no_config) {
		snprintf(path, sizeof(path), "%s/config", dir);
		touch(path);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/fbarray_memseg-2048k-0-%d", dir, i);
		touch(path);
	}
	/* Not a regular file: skipped by the locks, removed with the rest. */
	snprintf(path, sizeof(path), "%s/mp_socket", dir);
	if (symlink("nowhere", path) < 0)
		perror(path);
}

static void
test_remove_runtime_dir(void)
{
	char line[128];
	struct holder h;
	struct stat st;

	remove_runtime_dir("rt/none");
	expect_long("remove_runtime_dir: no such directory: nothing", 0, exists("rt/none"));
	runtime_files("rt/free", 0, 20);
	remove_runtime_dir("rt/free");
	expect_long("remove_runtime_dir: config and 20 files, all free: removed", 0, exists("rt/free"));
	runtime_files("rt/noconfig", 1, 2);
	remove_runtime_dir("rt/noconfig");
	expect_long("remove_runtime_dir: no config, files free: removed", 0, exists("rt/noconfig"));
	runtime_files("rt/unknown", 0, 2);
	fake.unknown_type = 1;
	remove_runtime_dir("rt/unknown");
	fake.unknown_type = 0;
	expect_long("remove_runtime_dir: files of no d_type (DT_UNKNOWN) locked too: removed", 0,
		exists("rt/unknown"));
	runtime_files("rt/unknown_gone", 0, 2);
	fake.unknown_type = 1;
	fake.fstatat_errno = ENOENT;
	remove_runtime_dir("rt/unknown_gone");
	fake.fstatat_errno = 0;
	fake.unknown_type = 0;
	expect_long("remove_runtime_dir: no d_type, and no file found by fstatat(): none locked, removed", 0,
		exists("rt/unknown_gone"));

	runtime_files("rt/primary", 0, 2);
	if (hold(&h, "rt/primary/config", 1) < 0) {
		verdict("remove_runtime_dir: a child holds config", 0, "expected its lock, got none");
	} else {
		remove_runtime_dir("rt/primary");
		expect_long("remove_runtime_dir: a primary holds config: kept", 1,
			exists("rt/primary/fbarray_memseg-2048k-0-1"));
	}
	release(&h);

	runtime_files("rt/secondary", 0, 2);
	stat("rt/secondary/fbarray_memseg-2048k-0-1", &st);
	if (hold(&h, "rt/secondary/fbarray_memseg-2048k-0-1", 0) < 0) {
		verdict("remove_runtime_dir: a child holds a file", 0, "expected its lock, got none");
	} else {
		put("locks", "%s", locks_line(line, sizeof(line), &st, h.pid, 0));
		fake.proc_locks = "locks";
		remove_runtime_dir("rt/secondary");
		fake.proc_locks = NULL;
		verdict("remove_runtime_dir: a process holds a file: kept, whole",
			exists("rt/secondary/config") && exists("rt/secondary/fbarray_memseg-2048k-0-0"),
			"expected config and every file, got %s", "some gone");
	}
	release(&h);

	/* Of unknown type, a file is locked as a regular one. */
	runtime_files("rt/unknown_held", 0, 2);
	stat("rt/unknown_held/fbarray_memseg-2048k-0-0", &st);
	if (hold(&h, "rt/unknown_held/fbarray_memseg-2048k-0-0", 0) < 0) {
		verdict("remove_runtime_dir: a child holds a file", 0, "expected its lock, got none");
	} else {
		put("locks", "%s", locks_line(line, sizeof(line), &st, h.pid, 0));
		fake.proc_locks = "locks";
		fake.unknown_type = 1;
		remove_runtime_dir("rt/unknown_held");
		fake.unknown_type = 0;
		fake.proc_locks = NULL;
		expect_long("remove_runtime_dir: a process holds a file of no d_type: kept", 1,
			exists("rt/unknown_held/fbarray_memseg-2048k-0-0"));
	}
	release(&h);

	runtime_files("rt/nomem", 0, 2);
	fake.realloc_fails = 1;
	remove_runtime_dir("rt/nomem");
	fake.realloc_fails = 0;
	expect_long("remove_runtime_dir: no memory to tell: kept", 1,
		exists("rt/nomem/fbarray_memseg-2048k-0-0"));
}

static void
test_prefix_remove(void)
{
	char huge[PATH_MAX + 8];

	snprintf(huge, sizeof(huge), "%s/pr_huge", tmp);
	make_dirs("pr_huge");
	touch("pr_huge/unitmap_0");
	touch("pr_huge/othermap_0");
	put("pr_mounts", "hugetlbfs %s hugetlbfs rw 0 0\n", huge);
	fake.proc_mounts = "pr_mounts";
	runtime_files("pr_rt/dpdk/unit", 0, 2);
	mpw_prefix_remove("unit", "pr_rt/dpdk/unit");
	fake.proc_mounts = NULL;
	verdict("mpw_prefix_remove: the prefix's hugepage files and runtime directory go",
		!exists("pr_huge/unitmap_0") && !exists("pr_rt/dpdk/unit"),
		"expected both gone, got hugepage file %d, directory %d",
		exists("pr_huge/unitmap_0"), exists("pr_rt/dpdk/unit"));
	expect_long("mpw_prefix_remove: another prefix's hugepage file stays", 1,
		exists("pr_huge/othermap_0"));
}

/** eal_option() of "unit" then ARGS (to NULL) for --proc-type. */
static void
option_case(const char *name, const char *expected, ...)
{
	char *argv[16] = { "unit" };
	char full[256];
	int argc = 1;
	va_list ap;

	va_start(ap, expected);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	snprintf(full, sizeof(full), "eal_option: %s", name);
	expect_str(full, expected, eal_option(argc, argv, "--proc-type"));
}

static void
test_eal_option(void)
{
	option_case("not given", NULL, "-l", "1", NULL);
	option_case("its value after", "secondary", "-l", "1", "--proc-type", "secondary", NULL);
	option_case("with '='", "primary", "--proc-type=primary", NULL);
	option_case("without a value", NULL, "--proc-type", NULL);
	option_case("a longer option is another", NULL, "--proc-types=x", "--proc-typex", "y", NULL);
	option_case("the application's, after '--'", NULL, "--", "--proc-type=secondary", NULL);
}

static void
test_primary_holding(void)
{
	struct holder h;
	pid_t got;

	make_dirs("ph/none");
	expect_long("primary_holding: no config", 0, primary_holding("ph/none"));
	make_dirs("ph/free");
	touch("ph/free/config");
	expect_long("primary_holding: a config nobody holds", 0, primary_holding("ph/free"));
	if (hold(&h, "ph/free/config", 1) < 0) {
		verdict("primary_holding: a child holds config", 0, "expected its lock, got none");
	} else {
		got = primary_holding("ph/free");
		expect_long("primary_holding: the pid of the process holding config", h.pid, got);
		fake.getlk_errno = EINVAL;
		expect_long("primary_holding: fcntl(F_GETLK) fails: none", 0, primary_holding("ph/free"));
		fake.getlk_errno = 0;
	}
	release(&h);
}

/** A fake sysfs of hugepage sizes: SIZE's NAME holds TEXT (NULL: no such file). */
static void
sysfs_file(const char *size, const char *name, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/hugepages-%s", fake.sysfs, size);
	make_dirs(path);
	if (text == NULL)
		return;
	snprintf(path, sizeof(path), "%s/hugepages-%s/%s", fake.sysfs, size, name);
	put(path, "%s", text);
}

static void
test_hugepages(void)
{
	expect_long("hugepages: no sysfs", -1, hugepages("nr_hugepages"));
	fake.sysfs = "sys_none";
	make_dirs("sys_none/other");
	expect_long("hugepages: no hugepage size", -1, hugepages("nr_hugepages"));
	fake.sysfs = "sys";
	make_dirs("sys/other");
	sysfs_file("2048kB", "nr_hugepages", "3\n");
	sysfs_file("2048kB", "free_hugepages", "1\n");
	sysfs_file("1048576kB", "nr_hugepages", "2\n");
	sysfs_file("1048576kB", "free_hugepages", NULL);
	sysfs_file("64kB", "nr_hugepages", "");
	sysfs_file("64kB", "free_hugepages", "");
	expect_long("hugepages: summed over the sizes", 5, hugepages("nr_hugepages"));
	expect_long("hugepages: sizes without the file or a figure left out", 1,
		hugepages("free_hugepages"));
	fake.sysfs = NULL;
}

/**
 * explain_failure() of a start on DIR, as a secondary when SECONDARY, on
 * the machine faked: what it says holds EXPECTED.
 */
static void
explain_case(const char *name, const char *dir, int secondary, const char *expected)
{
	char full[256];

	capture();
	explain_failure("unit", "mp_server", "p", dir, secondary);
	snprintf(full, sizeof(full), "explain_failure: %s", name);
	expect_said(full, expected, captured());
}

/** A machine where EAL can start: 4 hugepages, 2 free, a writable hugetlbfs. */
static void
good_machine(void)
{
	char huge[PATH_MAX + 8];

	snprintf(huge, sizeof(huge), "%s/ef_huge", tmp);
	make_dirs("ef_huge");
	fake.sysfs = "ef_sys";
	sysfs_file("2048kB", "nr_hugepages", "4\n");
	sysfs_file("2048kB", "free_hugepages", "2\n");
	put("ef_mounts", "hugetlbfs %s hugetlbfs rw 0 0\n", huge);
	fake.proc_mounts = "ef_mounts";
	fake.uid_faked = 1;
	fake.uid = 0;
}

static void
test_explain_failure(void)
{
	const char *options = "the EAL refused its options";
	char huge[PATH_MAX + 8], pid[64];
	struct holder h;

	snprintf(huge, sizeof(huge), "%s/ef_huge", tmp);
	good_machine();
	make_dirs("ef/dpdk/p");
	explain_case("nothing wrong with the machine: the options", "ef/dpdk/p", 0, options);
	fake.no_access = "ef/dpdk";
	explain_case("the runtime directory's parent is another user's", "ef/dpdk/p", 0,
		"cannot make the runtime directory ef/dpdk/p: ef/dpdk is another user's");
	fake.no_access = NULL;
	explain_case("the runtime directory's parent not there yet", "ef_none/dpdk/p", 0, options);
	explain_case("a runtime directory without '/'", "ef_nowhere", 0, options);
	explain_case("a secondary without a primary", "ef/dpdk/p", 1,
		"no primary process is running with --file-prefix p: start mp_server first");
	touch("ef/dpdk/p/config");
	if (hold(&h, "ef/dpdk/p/config", 1) < 0) {
		verdict("explain_failure: a child holds config", 0, "expected its lock, got none");
	} else {
		explain_case("a secondary with its primary", "ef/dpdk/p", 1, options);
		snprintf(pid, sizeof(pid), "a primary process (pid %d) is already running", (int)h.pid);
		explain_case("a second primary", "ef/dpdk/p", 0, pid);
	}
	release(&h);

	sysfs_file("2048kB", "nr_hugepages", "0\n");
	explain_case("no hugepages reserved", "ef/dpdk/p", 0, "no hugepages are reserved");
	sysfs_file("2048kB", "nr_hugepages", "4\n");
	fake.proc_mounts = "empty";
	touch("empty");
	explain_case("no hugetlbfs mounted", "ef/dpdk/p", 0, "no hugetlbfs is mounted");
	fake.proc_mounts = "ef_mounts";
	fake.uid = 1000;
	explain_case("a user with a writable hugetlbfs", "ef/dpdk/p", 0, options);
	fake.no_access = huge;
	explain_case("a user without a writable hugetlbfs", "ef/dpdk/p", 0,
		"not root, and no hugetlbfs mount is writable by this user");
	fake.uid = 0;
	explain_case("root, whatever the mount's mode", "ef/dpdk/p", 0, options);
	fake.no_access = NULL;
	sysfs_file("2048kB", "free_hugepages", "0\n");
	explain_case("every hugepage in use", "ef/dpdk/p", 0, "every hugepage is in use");
	sysfs_file("2048kB", "free_hugepages", "2\n");
}

static void
test_failed_start(void)
{
	const char *options = "the EAL refused its options";

	/* A start of prefix "unit" that made its runtime directory and a hugepage file. */
	good_machine();
	eal_start.prog = "unit";
	eal_start.primary = "mp_server";
	eal_start.prefix = "unit";
	eal_start.secondary = 0;
	snprintf(eal_start.dir, sizeof(eal_start.dir), "fs/dpdk/unit");
	eal_start.existed = 0;
	runtime_files(eal_start.dir, 0, 1);
	touch("ef_huge/unitmap_0");

	eal_start.inside = 0;
	capture();
	explain_exit_in_eal_init();
	expect_said("explain_exit_in_eal_init: an exit after rte_eal_init(): silent", "", captured());
	expect_long("explain_exit_in_eal_init: an exit after rte_eal_init(): files kept", 1,
		exists("fs/dpdk/unit"));

	eal_start.existed = 1;
	eal_start.inside = 1;
	capture();
	explain_exit_in_eal_init();
	expect_said("explain_exit_in_eal_init: EAL exits inside rte_eal_init(): why", options,
		captured());
	expect_long("explain_exit_in_eal_init: a runtime directory there before is kept", 1,
		exists("fs/dpdk/unit"));

	eal_start.existed = 0;
	capture();
	explain_exit_in_eal_init();
	expect_said("explain_exit_in_eal_init: a new start's exit: why", options, captured());
	verdict("explain_exit_in_eal_init: a new start's files go",
		!exists("fs/dpdk/unit") && !exists("ef_huge/unitmap_0"),
		"expected none, got directory %d, hugepage file %d", exists("fs/dpdk/unit"),
		exists("ef_huge/unitmap_0"));
	eal_start.inside = 0;

	/* A primary's exit before and after mpw_eal_ready(). */
	runtime_files("fs/dpdk/unit", 0, 1);
	snprintf(primary_runtime_dir, sizeof(primary_runtime_dir), "fs/dpdk/unit");
	remove_files_unless_started();
	expect_long("remove_files_unless_started: an exit during start-up removes the files", 0,
		exists("fs/dpdk/unit"));
	runtime_files("fs/dpdk/unit", 0, 1);
	mpw_eal_ready();
	remove_files_unless_started();
	expect_long("remove_files_unless_started: after mpw_eal_ready(): kept", 1,
		exists("fs/dpdk/unit"));
	start_up_over = 0;
}

static int stops;

static void
on_stop(void)
{
	stops++;
}

static void
test_shutdown(void)
{
	struct timespec t0, t1;
	struct holder h;
	long waited;
	int fd, ret;

	make_dirs("sd/free");
	make_dirs("sd/dir/" LOCK_FILE);
	make_dirs("sd/unregistered");
	make_dirs("sd/joined");

	fake.runtime_dir = "sd/none";
	expect_long("open_lock_file: no runtime directory", -ENOENT, open_lock_file(O_CREAT));
	expect_long("mpw_primary_prepare: no runtime directory (--in-memory): nothing to do", 0,
		mpw_primary_prepare());
	expect_long("mpw_secondary_join: no lock file", -ENOENT, mpw_secondary_join(on_stop));
	fake.sent = 0;
	expect_long("mpw_secondaries_stop: no runtime directory: none to wait for", 0,
		mpw_secondaries_stop(50));
	expect_long("mpw_secondaries_stop: asks them to stop all the same", 1, fake.sent);

	fake.runtime_dir = "sd/dir";
	expect_long("mpw_primary_prepare: the lock file cannot be made", -EISDIR,
		mpw_primary_prepare());
	expect_long("mpw_secondaries_stop: the lock file cannot be opened", -EISDIR,
		mpw_secondaries_stop(50));

	fake.runtime_dir = "sd/free";
	fd = open_lock_file(0);
	expect_long("open_lock_file: not made without O_CREAT", -ENOENT, fd);
	expect_long("mpw_primary_prepare: makes the lock file", 0, mpw_primary_prepare());
	expect_long("mpw_primary_prepare: ... there", 1, exists("sd/free/" LOCK_FILE));
	expect_long("mpw_secondaries_stop: no secondary", 0, mpw_secondaries_stop(50));
	if (hold(&h, "sd/free/" LOCK_FILE, 0) < 0) {
		verdict("mpw_secondaries_stop: a child holds the lock file", 0,
			"expected its lock, got none");
	} else {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = mpw_secondaries_stop(50);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		expect_long("mpw_secondaries_stop: a secondary that runs on", -ETIMEDOUT, ret);
		/* Its clock counts whole milliseconds: up to one less. */
		verdict("mpw_secondaries_stop: ... after the time given", waited >= 49 && waited < 2000,
			"expected 49 ms to 2 s, got %ld ms", waited);
	}
	release(&h);
	fake.flock_errno = ENOLCK;
	expect_long("mpw_secondaries_stop: flock() fails otherwise than EWOULDBLOCK", -ENOLCK,
		mpw_secondaries_stop(50));
	expect_long("mpw_secondary_join: flock() fails", -ENOLCK, mpw_secondary_join(on_stop));
	fake.flock_errno = 0;

	/* A joined secondary holds its lock for good: a directory each. */
	fake.runtime_dir = "sd/unregistered";
	mpw_primary_prepare();
	fake.register_errno = ENOMEM;
	expect_long("mpw_secondary_join: rte_mp_action_register() fails", -ENOMEM,
		mpw_secondary_join(on_stop));
	fake.register_errno = 0;
	fake.runtime_dir = "sd/joined";
	mpw_primary_prepare();
	fake.action = NULL;
	expect_long("mpw_secondary_join: joins", 0, mpw_secondary_join(on_stop));
	stops = 0;
	if (fake.action != NULL)
		fake.action(NULL, NULL);
	expect_long("mpw_secondary_join: the primary's message calls on_stop", 1, stops);
	stop_callback = NULL;
	expect_long("on_stop_message: without on_stop: nothing to call", 0,
		on_stop_message(NULL, NULL));
	fake.runtime_dir = NULL;
}

/** The cases' groups, each from every fake off. */
static void (*const groups[])(void) = {
	test_prefix_of, test_runtime_dir, test_locked_by_others, test_lock_file,
	test_is_hugepage_file, test_hugetlbfs, test_remove_hugepage_files, test_lock_config,
	test_remove_runtime_dir, test_prefix_remove, test_eal_option, test_primary_holding,
	test_hugepages, test_explain_failure, test_failed_start, test_shutdown,
};

int
main(int argc, char **argv)
{
	char base[PATH_MAX];
	size_t i;

	if (argc != 2 || realpath(argv[1], base) == NULL) {
		fprintf(stderr, "usage: %s DIR (the test's files in a new DIR/tmp.XXXXXX)\n", argv[0]);
		return 2;
	}
	/* Whatever happens, it ends: SIGALRM kills it. */
	alarm(20);
	if (snprintf(tmp, sizeof(tmp), "%s/tmp.XXXXXX", base) >= (int)sizeof(tmp) - 32 ||
			mkdtemp(tmp) == NULL || chdir(tmp) < 0) {
		perror(tmp);
		return 2;
	}
	snprintf(capture_path, sizeof(capture_path), "%s/stderr", tmp);

	for (i = 0; i < RTE_DIM(groups); i++) {
		memset(&fake, 0, sizeof(fake));
		groups[i]();
	}
	memset(&fake, 0, sizeof(fake));
	if (chdir(base) == 0)
		remove_tree(AT_FDCWD, strrchr(tmp, '/') + 1);
	printf("%u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
