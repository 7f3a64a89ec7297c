# SPDX-License-Identifier: BSD-3-Clause
"""A mount namespace of a test's own (root only), as netns.py makes network
namespaces: a holder process that unshare(1) starts in it, entered with
nsenter(1). What is unmounted or mounted there (hugetlbfs, sysfs's figures)
changes nothing for the rest of the machine, so a test of "no hugetlbfs"
may run beside other DPDK work; it goes with its holder."""

import contextlib
import subprocess

from . import netns


class Mountns:
    def __init__(self, holder):
        self.holder = holder
        # Paths inside, seen from here: the holder's root.
        self.root = f"/proc/{holder.pid}/root"

    def argv(self, *argv):
        """ARGV run inside."""
        return ["nsenter", "-t", str(self.holder.pid), "-m", *map(str, argv)]

    def run(self, *argv, timeout=60, **kwargs):
        return subprocess.run(self.argv(*argv), capture_output=True, text=True, check=False,
                              timeout=timeout, **kwargs)

    def sh(self, script, timeout=60):
        """SCRIPT run by sh inside; true when it succeeds, else its output."""
        out = self.run("sh", "-c", script, timeout=timeout)
        return True if out.returncode == 0 else (out.stdout + out.stderr).strip() or f"status {out.returncode}"

    def hugetlbfs_mounts(self):
        """The hugetlbfs mount points inside, as paths inside."""
        with open(f"/proc/{self.holder.pid}/mounts") as f:
            return [fields[1] for fields in (line.split() for line in f) if fields[2] == "hugetlbfs"]


# Unmounts every hugetlbfs, the deepest first.
UNMOUNT_HUGETLBFS = ("awk '$3 == \"hugetlbfs\" { print $2 }' /proc/mounts | sort -r | "
                     "while read -r d; do umount \"$d\" || exit 1; done")


@contextlib.contextmanager
def private():
    """Yields a Mountns whose mounts are private copies of ours, or the
    reason why none could be made (a str)."""
    with netns.holder(["--mount", "--propagation", "private"], "mnt") as proc:
        yield proc if isinstance(proc, str) else Mountns(proc)
