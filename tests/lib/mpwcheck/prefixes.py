#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's files of a --file-prefix, and their removal: the test library's
twin of common/mpw_prefix.c.

A live DPDK process holds a shared flock() on each of its hugepage files
(PREFIXmap_N in a hugetlbfs mount) and fbarray files (in its runtime
directory), and a primary an fcntl() lock on its runtime directory's
config. What can be locked exclusively belongs to no running process,
whoever runs it and in whatever PID namespace: that is the only test of
"dead" here, as in EAL's own clear_hugedir(). Nothing is removed by a
pattern that a shell expands, and nothing that is held.

As a command:
  prefixes.py remove START     the files of every prefix that starts with
                               START and that no process holds
  prefixes.py list [START]     each prefix (starting with START) with files
  prefixes.py status           each prefix with files: in use, or dead
  prefixes.py clean [START]    remove the dead ones; one line each
  prefixes.py runtime-dir      this user's runtime root (.../dpdk)
  prefixes.py pages-per-check the most hugepages a check holds at once
"""

import atexit
import fcntl
import glob
import os
import re
import shutil
import sys
import tempfile

HUGEPAGE_FILE = re.compile(r"(.*)map_[0-9_]+")


def runtime_root():
    """Where EAL keeps every prefix's runtime directory for this user:
    eal_create_runtime_dir()'s rule (lib/eal/unix/eal_filesystem.c)."""
    base = os.environ.get("RUNTIME_DIRECTORY")
    if base is None:
        base = "/var/run" if os.getuid() == 0 else os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    return os.path.join(base, "dpdk")


def private_runtime_root():
    """For a non-root run with no runtime directory of its own
    (XDG_RUNTIME_DIR, RUNTIME_DIRECTORY): a private one, in XDG_RUNTIME_DIR
    for every process it starts, removed at exit. EAL would fall back on
    /tmp/dpdk, which the first user to make it owns, and others may not
    enter."""
    if os.getuid() == 0 or os.environ.get("RUNTIME_DIRECTORY") or os.environ.get("XDG_RUNTIME_DIR"):
        return
    path = tempfile.mkdtemp(prefix="mpw-run-")
    os.environ["XDG_RUNTIME_DIR"] = path
    atexit.register(shutil.rmtree, path, True)


def runtime_dir(prefix):
    return os.path.join(runtime_root(), prefix)


def hugetlbfs_mounts(root=""):
    """Every hugetlbfs mount point; ROOT: /proc/PID/root, for those of
    PID's mount namespace, as paths that lead into them from here."""
    with open(f"{root.rsplit('/root', 1)[0]}/mounts" if root else "/proc/mounts") as f:
        return [root + fields[1] for fields in (line.split() for line in f) if fields[2] == "hugetlbfs"]


# The most hugepages one student's check holds at once, measured (make
# check SOLUTION=1, lab 02's pool of 65535 mbufs and its processes); also
# scripts/setup_hugepages.sh --students's unit.
PAGES_PER_CHECK = 96


def hugepages_free():
    """(free, reserved): the hugepages that this user's next process could
    still have, and the machine's reservation. A hugetlbfs mount with a
    size limit (the first writable one: EAL takes the first) caps them."""
    free = total = 0
    for d in glob.glob("/sys/kernel/mm/hugepages/hugepages-*"):
        with open(os.path.join(d, "free_hugepages")) as f:
            free += int(f.read())
        with open(os.path.join(d, "nr_hugepages")) as f:
            total += int(f.read())
    for mount in hugetlbfs_mounts():
        if os.access(mount, os.W_OK | os.X_OK):
            st = os.statvfs(mount)
            if st.f_blocks:
                free = min(free, st.f_bavail)
            break
    return free, total


def pages_of(start):
    """The hugepages that the prefixes starting with START hold now: one file
    a page."""
    return sum(1 for _ in hugepage_files(lambda p: p.startswith(start)))


def hugepage_files(wanted=lambda prefix: True, root=""):
    """(path, prefix) of every hugepage file whose prefix WANTED accepts
    (ROOT: as hugetlbfs_mounts())."""
    for mount in hugetlbfs_mounts(root):
        try:
            names = os.listdir(mount)
        except OSError:
            continue
        for name in names:
            m = HUGEPAGE_FILE.fullmatch(name)
            if m and wanted(m[1]):
                yield os.path.join(mount, name), m[1]


def _lock(path, dir_fd=None):
    """PATH opened and flock()ed exclusively without waiting: its fd, or
    None when someone holds it or it is no regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not os.path.stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


def remove_hugepage_file(path):
    """Unlinks PATH under an exclusive lock; False when it is held."""
    fd = _lock(path)
    if fd is None:
        return False
    try:
        os.unlink(path)
    except OSError:
        pass
    os.close(fd)
    return True


def _take_runtime_dir(path):
    """Every lock of runtime directory PATH taken: the fds (the caller
    closes them), or None when a process holds one (or it cannot be read)."""
    try:
        dir_fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    held = [dir_fd]
    try:
        names = os.listdir(dir_fd)
        if "config" in names:
            fd = os.open("config", os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
            held.append(fd)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fcntl(F_SETLK), as EAL's primary
        for name in names:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if name == "config" or not os.path.stat.S_ISREG(st.st_mode):
                continue
            fd = _lock(name, dir_fd)
            if fd is None:
                raise OSError
            held.append(fd)
        return held
    except OSError:
        for fd in held:
            os.close(fd)
        return None


def remove_runtime_dir(path):
    """Removes runtime directory PATH when none of its locks is held;
    False when a process holds one."""
    held = _take_runtime_dir(path)
    if held is None:
        return not os.path.lexists(path)
    try:
        for name in os.listdir(held[0]):
            try:
                os.unlink(name, dir_fd=held[0])
            except OSError:
                pass
        os.rmdir(path)
    except OSError:
        pass
    finally:
        for fd in held:
            os.close(fd)
    return True


def prefixes(start=""):
    """Every prefix starting with START that has hugepage files or a runtime
    directory of this user."""
    found = {prefix for _, prefix in hugepage_files(lambda p: p.startswith(start))}
    try:
        found.update(n for n in os.listdir(runtime_root()) if n.startswith(start))
    except OSError:
        pass
    return sorted(found)


def remove(start, exact=False):
    """The files that no process holds of every prefix that starts with
    START (EXACT: of prefix START alone); returns the prefixes of which a
    process still holds something."""
    wanted = (lambda p: p == start) if exact else (lambda p: p.startswith(start))
    kept = set()
    for path, prefix in list(hugepage_files(wanted)):
        if not remove_hugepage_file(path):
            kept.add(prefix)
    for prefix in filter(wanted, prefixes(start)):
        if not remove_runtime_dir(runtime_dir(prefix)):
            kept.add(prefix)
    return sorted(kept)


def files(prefix, root=""):
    """Every file of PREFIX alone, sorted: its hugepage files and its runtime
    directory with what it holds. ROOT: a path to see the mounts of another
    mount namespace through (/proc/PID/root)."""
    out = [path for path, _ in hugepage_files(lambda p: p == prefix, root)]
    top = runtime_dir(prefix)
    if os.path.lexists(top):
        out.append(top)
        for where, dirs, names in os.walk(top):
            out += [os.path.join(where, n) for n in dirs + names]
    return sorted(out)


def in_use(prefix):
    """Whether a process holds any of PREFIX's files (nothing is removed)."""
    held = _take_runtime_dir(runtime_dir(prefix))
    if held is None and os.path.lexists(runtime_dir(prefix)):
        return True
    for fd in held or []:
        os.close(fd)
    for path, _ in hugepage_files(lambda p: p == prefix):
        fd = _lock(path)
        if fd is None:
            return True
        os.close(fd)
    return False


def main(argv):
    if len(argv) == 3 and argv[1] == "remove":
        kept = remove(argv[2])
        for prefix in kept:
            print(f"kept {prefix}: a process holds its files")
        return 0
    if len(argv) in (2, 3) and argv[1] == "list":
        for prefix in prefixes(argv[2] if len(argv) == 3 else ""):
            print(prefix)
        return 0
    if len(argv) == 2 and argv[1] == "status":
        for prefix in prefixes():
            state = "in use" if in_use(prefix) else "left behind by a dead process (--clean removes it)"
            print(f"DPDK prefix {prefix}: {state}")
        return 0
    if len(argv) in (2, 3) and argv[1] == "clean":
        start = argv[2] if len(argv) == 3 else ""
        removed = 0
        for prefix in prefixes(start):
            if remove(prefix, exact=True):
                print(f"keeping prefix {prefix}: a process still uses it")
            else:
                print(f"removed the files of dead prefix {prefix}")
                removed += 1
        print(f"{removed} dead prefix(es) cleaned")
        return 0
    if len(argv) == 2 and argv[1] == "runtime-dir":
        print(runtime_root())
        return 0
    if len(argv) == 2 and argv[1] == "pages-per-check":
        print(PAGES_PER_CHECK)
        return 0
    print(__doc__.split("As a command:\n", 1)[1], file=sys.stderr, end="")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
