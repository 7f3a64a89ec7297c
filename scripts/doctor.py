#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""make doctor: what a student or an instructor runs when a lab's program
does not start. It shows what DPDK will meet on this machine for this user,
and for each problem one line "problem: what is wrong: the command that
fixes it", in the words of the programs' own start-up errors
(common/mpw_eal.c). Exit status 1 when a problem stops the labs."""

import glob
import os
import grp
import pwd
import stat
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
from mpwcheck import prefixes  # noqa: E402

problems = []


def show(what, value):
    print(f"{what + ':':34} {value}")


def problem(text):
    problems.append(text)


def user(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group(gid):
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def read(path, default="?"):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def main():
    me = user(os.getuid())
    groups = {group(g) for g in os.getgroups()} | {group(os.getgid())}
    show("you", f"{me} (uid {os.getuid()}; groups {', '.join(sorted(groups))})")

    free, total = prefixes.hugepages_free()
    sizes = sorted(os.path.basename(d) for d in glob.glob("/sys/kernel/mm/hugepages/hugepages-*"))
    show("hugepages reserved", f"{total} ({', '.join(sizes) or 'no hugepage sizes'})")
    show("hugepages free for you", f"{free} (a check needs up to {prefixes.PAGES_PER_CHECK})")
    if total == 0:
        problem("no hugepages are reserved: run 'sudo scripts/setup_hugepages.sh'")
    elif free < prefixes.PAGES_PER_CHECK:
        problem(f"every hugepage is in use, or nearly ({free} free): stop other DPDK processes, or reserve more "
                "with 'sudo scripts/setup_hugepages.sh --group GROUP --students N'")

    mounts = prefixes.hugetlbfs_mounts()
    writable = [m for m in mounts if os.access(m, os.W_OK | os.X_OK)]
    for m in mounts:
        st = os.stat(m)
        owner = f"{user(st.st_uid)}:{group(st.st_gid)}"
        show("hugetlbfs", f"{m} ({owner}, mode {stat.S_IMODE(st.st_mode):o}; "
                          f"{'you may write it' if m in writable else 'not writable by you'})")
    if not mounts:
        problem("no hugetlbfs is mounted, so EAL cannot map the hugepages: run 'sudo scripts/setup_hugepages.sh'")
    elif not writable:
        problem("not root, and no hugetlbfs mount is writable by this user: run with sudo, or have the "
                "administrator run 'sudo scripts/setup_hugepages.sh --group GROUP' for a group of yours")
    elif mounts[0] not in writable:
        problem(f"EAL takes the first hugetlbfs mount, {mounts[0]}, which you may not write: give the programs "
                f"--huge-dir {writable[0]}")

    root = prefixes.runtime_root()
    show("your runtime directory", f"{root}/PREFIX (rte_eal_get_runtime_dir())")
    parent = os.path.dirname(root)
    if os.path.isdir(root) and not os.access(root, os.W_OK | os.X_OK):
        problem(f"cannot make the runtime directory {root}/PREFIX: {root} is another user's; set XDG_RUNTIME_DIR to "
                "a directory of your own (a login session has one)")
    elif not os.path.isdir(root) and not os.access(parent, os.W_OK | os.X_OK):
        problem(f"cannot make the runtime directory {root}: {parent} is not writable by you; set XDG_RUNTIME_DIR")
    mine = [p for p in prefixes.prefixes() if os.path.isdir(prefixes.runtime_dir(p))]
    dead = [p for p in mine if not prefixes.in_use(p)]
    show("your prefixes", ", ".join(f"{p} ({'dead' if p in dead else 'in use'})" for p in mine) or "none")
    if dead:
        problem(f"{len(dead)} prefix(es) of yours left by dead processes: run 'scripts/setup_hugepages.sh --clean'")

    aslr = read("/proc/sys/kernel/randomize_va_space")
    show("ASLR (randomize_va_space)", f"{aslr}{' (a secondary may now and then fail to map the primary’s memory at the same address; rerun it)' if aslr != '0' else ''}")
    show("secondaries", "need the primary started without --no-huge, --in-memory or --no-shconf")
    cpus = sorted(os.sched_getaffinity(0))
    show("cores you may use", f"{','.join(map(str, cpus))} (the checks take the first two)")

    def pkg(*args):
        out = subprocess.run(["pkg-config", *args, "libdpdk"], capture_output=True, text=True, check=False)
        return out.stdout.strip() if out.returncode == 0 else None

    version = pkg("--modversion")
    show("DPDK", f"{version} (drivers in {pkg('--variable=libdir')}/dpdk)" if version else "not found")
    if not version:
        problem("DPDK not found by pkg-config: run 'scripts/install_deps.sh', or point PKG_CONFIG_PATH at libdpdk.pc")

    print()
    for text in problems:
        print(f"problem: {text}")
    if not problems:
        print("no problem found: the labs' programs can start here")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
