# SPDX-License-Identifier: BSD-3-Clause
"""Fault matrix, the machine: every primary on a machine with no hugetlbfs
mounted, or run by a user who is not root; the non-root set-up that makes
it work; and scripts/setup_hugepages.sh given bad arguments, no root, no
mount, and dead processes' files. (No hugepages reserved: test_reservation.py.)

Each case that unmounts or mounts does it in a mount namespace of its own
(mpwcheck.mountns): nothing changes for the rest of the machine, and it
may run beside other DPDK work."""

import grp
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile

import pytest

from mpwcheck import mountns, prefixes
from mpwcheck.faults import READY, SOL, TOP, primaries, sol, with_prefix

pytestmark = pytest.mark.timeout(120)

NR_FILE = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
SETUP = os.path.join(TOP, "scripts", "setup_hugepages.sh")
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def reserved():
    with open(NR_FILE) as f:
        return f.read().strip()


@pytest.fixture(scope="session")
def ro():
    """The programs and scripts where nobody may read them (a clone under
    /root is not): a copy in /tmp, with a runtime directory of nobody's own
    (EAL's fallback, /tmp/dpdk, would stay nobody's, and no other account
    without one could run DPDK)."""
    top = tempfile.mkdtemp(prefix="mpw_faults.")
    try:
        for lab in os.listdir(SOL):
            src = os.path.join(SOL, lab)
            if not os.path.isdir(src):
                continue
            os.makedirs(os.path.join(top, "solutions", lab))
            for name in os.listdir(src):
                path = os.path.join(src, name)
                if os.path.isfile(path) and os.access(path, os.X_OK):
                    shutil.copy2(path, os.path.join(top, "solutions", lab, name))
        os.makedirs(os.path.join(top, "scripts"))
        shutil.copy2(SETUP, os.path.join(top, "scripts"))
        os.makedirs(os.path.join(top, "tests", "lib", "mpwcheck"))
        shutil.copy2(prefixes.__file__, os.path.join(top, "tests", "lib", "mpwcheck"))
        os.makedirs(os.path.join(top, "run"))
        for where, dirs, names in os.walk(top):
            for name in dirs + names + [""]:
                path = os.path.join(where, name)
                os.chmod(path, os.stat(path).st_mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
                         | (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH if os.path.isdir(path) else 0))
        os.chmod(os.path.join(top, "run"), 0o777)
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def ns_ready(case, ns, script, what):
    done = ns.sh(script)
    case.verdict(done is True, what, done)


# -- no hugetlbfs mounted, then a fresh mount with root's default mode -----------------
@pytest.mark.parametrize("message,argv", primaries("no hugetlbfs mounted", "no hugetlbfs is mounted"))
def test_no_hugetlbfs(case, mount_ns, message, argv):
    ns_ready(case, mount_ns, mountns.UNMOUNT_HUGETLBFS, "hugetlbfs unmounted in a private namespace")
    prefix = case.prefix()
    case.expect_refused(message, prefix, mount_ns.argv(*with_prefix(argv, prefix)), root=mount_ns.root)


def test_setup_mounts(case, mount_ns):
    """setup_hugepages.sh: no hugetlbfs mounted"""
    ns_ready(case, mount_ns, mountns.UNMOUNT_HUGETLBFS, "hugetlbfs unmounted in a private namespace")
    out = mount_ns.run(SETUP)
    text = out.stdout + out.stderr
    mounted = mount_ns.hugetlbfs_mounts()
    ok = "mounted hugetlbfs on /dev/hugepages" in text and mounted == ["/dev/hugepages"]
    case.verdict(ok, "it mounts one on /dev/hugepages",
                 text.strip().splitlines()[-1] if ok else f"{text.strip()}; mounts: {' '.join(mounted)}")


# -- not root ---------------------------------------------------------------------------
@pytest.mark.parametrize("message,argv", primaries("run by nobody, without the non-root set-up",
                                                   "not root, and no hugetlbfs mount is writable", bin_dir="RO"))
def test_nobody(case, mount_ns, ro, message, argv):
    # A fresh hugetlbfs with root's default mode, whatever the machine's is.
    ns_ready(case, mount_ns, f"{mountns.UNMOUNT_HUGETLBFS} && mount -t hugetlbfs nodev /dev/hugepages",
             "a hugetlbfs of root's, in a private namespace")
    prefix = case.prefix()
    argv = [a.replace("RO/", f"{ro}/solutions/", 1) if a.startswith("RO/") else a for a in with_prefix(argv, prefix)]
    case.expect_refused(message, prefix, mount_ns.argv(*NOBODY, "env", f"XDG_RUNTIME_DIR={ro}/run", *argv),
                        root=mount_ns.root)


def test_nobody_with_setup(case, mount_ns, ro):
    """simple_mp: run by nobody, with the non-root set-up (a hugetlbfs of its group's, mode 1770)"""
    # With the set-up (a hugetlbfs this user may write, IOVA as virtual
    # addresses, a runtime dir of its own), a primary and a secondary work.
    huge = tempfile.mkdtemp(prefix="mpw_huge.")
    run = tempfile.mkdtemp(prefix="mpw_run.")
    try:
        os.chmod(run, 0o777)
        ns_ready(case, mount_ns, f"mount -t hugetlbfs -o gid={grp.getgrnam('nogroup').gr_gid},mode=1770 nodev {huge}",
                 "a hugetlbfs mount of group nogroup, mode 1770")
        prefix = case.prefix()
        common = ["--no-pci", "--file-prefix", prefix, "--huge-dir", huge, "--iova-mode=va"]
        smp = [*NOBODY, "env", f"XDG_RUNTIME_DIR={run}", f"{ro}/solutions/01_simple_mp/simple_mp"]
        user1 = case.start("user1", mount_ns.argv(*smp, "-l", "0-1", *common, "--proc-type=primary"))
        # The secondary only once the primary is up: one started at the same
        # time finds no primary, and its exit removes the runtime directory
        # that the primary is creating (both then fail: "Cannot init config").
        user2 = None
        if user1.wait_for(READY, 1, 15):
            user2 = case.start("user2", mount_ns.argv(*smp, "--lcores", "2@0,3@1", *common, "--proc-type=secondary"))
        case.verdict(user2 is not None and user2.wait_for(READY, 1, 15), "both start",
                     f"{user1.tail(1)} / {user2.tail(1) if user2 else 'no secondary started'}")
        user1.send("send from nobody")
        ok = user2.wait_for("Received 'from nobody'", 1, 5)
        case.verdict(ok, "the secondary receives 'from nobody'", "Received 'from nobody'" if ok else user2.tail(1))
        for p in (user2, user1):
            p.send("quit")
            p.wait_exit(10)
    finally:
        case.finish()  # its files hold hugepages until the mount goes
        subprocess.run(mount_ns.argv("umount", huge), capture_output=True, check=False, timeout=30)
        shutil.rmtree(huge, ignore_errors=True)
        shutil.rmtree(run, ignore_errors=True)


# -- setup_hugepages.sh -----------------------------------------------------------------------
def setup_case(text, message, *argv):
    return pytest.param(message, argv, id=f"setup_hugepages.sh {text}")


@pytest.mark.parametrize("message,argv", [
    setup_case("lots", "unknown argument 'lots'", SETUP, "lots"),
    setup_case("-5", "unknown argument '-5'", SETUP, "-5"),
    setup_case("0", "the page count must be at least 1", SETUP, "0"),
    setup_case("99999999999999999999 (overflowing)", "is more than any machine has", SETUP, "99999999999999999999"),
    setup_case("99999999 (more than memory)", "but only", SETUP, "99999999"),
    setup_case("99999, by nobody", "reserving hugepages needs root", *NOBODY, "bash", "RO/scripts/setup_hugepages.sh",
          "99999"),
])
def test_setup_refuses(case, mount_ns, ro, message, argv):
    """Refused, and the reservation left as it was."""
    before = reserved()
    argv = [a.replace("RO/", f"{ro}/", 1) if a.startswith("RO/") else a for a in argv]
    ok, expected, seen, _ = case.refused(message, "none", mount_ns.argv(*argv))
    if ok and reserved() != before:
        case.verdict(False, f"the reservation is unchanged: {before} pages", f"{reserved()} pages")
    case.verdict(ok, expected, seen)


def test_setup_twice(case, mount_ns):
    """setup_hugepages.sh run twice"""
    out = mount_ns.run(SETUP)
    out2 = mount_ns.run(SETUP) if out.returncode == 0 else None
    text = out2.stdout + out2.stderr if out2 else ""
    ok = re.search(r"already reserved.*already mounted", text, re.S) is not None
    case.verdict(ok, "the second run changes nothing", " ".join(text.split("\n")).strip() if ok
                 else f"{out.stdout}{out.stderr} / {text}")


def test_setup_status_nobody(case, ro):
    """setup_hugepages.sh --status, by nobody"""
    out = subprocess.run([*NOBODY, "bash", f"{ro}/scripts/setup_hugepages.sh", "--status"], capture_output=True,
                         text=True, check=False, timeout=60)
    text = out.stdout + out.stderr
    ok = out.returncode == 0 and text.startswith("2 MiB hugepages: ")
    case.verdict(ok, "status 0 and the reservation", text.splitlines()[0] if ok else text)


def dead_and_live(case):
    """Two primaries: one killed with SIGKILL (its files left), one running;
    (dead prefix, live prefix), or the case fails."""
    dead, live = case.prefix("dead"), case.prefix("live")
    d = case.start("dead", [sol("01_simple_mp", "simple_mp"), "-l", "0", "--no-pci", "--file-prefix", dead])
    v = case.start("live", [sol("01_simple_mp", "simple_mp"), "-l", "1", "--no-pci", "--file-prefix", live])
    case.verdict(d.wait_for(READY, 1, 15) and v.wait_for(READY, 1, 15), "two primaries start",
                 f"{d.tail(1)} / {v.tail(1)}")
    d.stop(signal.SIGKILL)
    return dead, live


def test_clean_by_nobody(case, ro):
    """setup_hugepages.sh --clean, by nobody"""
    # Another account's --clean: it may open none of root's files, and keeps them all.
    dead, live = dead_and_live(case)
    out = subprocess.run([*NOBODY, "bash", f"{ro}/scripts/setup_hugepages.sh", "--clean"], capture_output=True,
                         text=True, check=False, timeout=60)
    text = (out.stdout + out.stderr).strip()
    left_dead, left_live = len(prefixes.files(dead)), len(prefixes.files(live))
    ok = left_dead > 0 and left_live > 0
    case.verdict(ok, "root's files kept, dead and live", text.splitlines()[-1] if ok and text
                 else f"{left_dead} files of the dead prefix, {left_live} of the live one: {text}")


def test_clean_prefix(case):
    """setup_hugepages.sh --clean PREFIX"""
    # A killed primary's files removed, a live one's kept: of this case's
    # prefixes only, as others may be starting.
    dead, live = dead_and_live(case)
    out = subprocess.run([SETUP, "--clean", case.base], capture_output=True, text=True, check=False, timeout=60)
    text = (out.stdout + out.stderr).strip()
    left_dead, left_live = len(prefixes.files(dead)), len(prefixes.files(live))
    ok = left_dead == 0 and left_live > 0 and f"keeping prefix {live}" in text
    case.verdict(ok, "a killed primary's files removed, a live one's kept",
                 " ".join(line for line in text.splitlines() if dead in line or live in line) if ok
                 else f"{left_dead} files of the dead prefix, {left_live} of the live one: {text}")

