# SPDX-License-Identifier: BSD-3-Clause
"""Fault matrix, the reservation: every primary with no hugepages reserved.

A machine without hugepages, in a mount namespace of the case's own
(mpwcheck.mountns): the kernel's figures read 0 (a file of "0" bound over
each of sysfs's), and the one hugetlbfs holds no page (size=0), so that
EAL's allocations fail as they would. The machine's reservation is never
changed, unless MACHINE=1 asks for the real thing: it is then taken to 0
for well under a second, when no process holds a hugepage, and put back
whatever happens; those cases run alone."""

import glob
import os

import pytest

from mpwcheck import mountns
from mpwcheck.faults import primaries, with_prefix

pytestmark = pytest.mark.timeout(90)

NR_FILE = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
MESSAGE = "no hugepages are reserved"
MACHINE = os.environ.get("MACHINE") == "1"


def reserved():
    with open(NR_FILE) as f:
        return f.read().strip()


if not MACHINE:
    @pytest.mark.parametrize("message,argv", primaries("no hugepages reserved", MESSAGE))
    def test_no_reservation(case, mount_ns, message, argv):
        zero = case.path("zero")
        with open(zero, "w") as f:
            f.write("0\n")
        figures = " ".join(f"{size}/{name}_hugepages" for size in glob.glob("/sys/kernel/mm/hugepages/hugepages-*")
                           for name in ("nr", "free", "resv", "surplus"))
        done = mount_ns.sh(f"for f in {figures}; do mount --bind {zero} $f || exit 1; done && "
                           f"[ \"$(cat {NR_FILE})\" = 0 ] && {mountns.UNMOUNT_HUGETLBFS} && "
                           "mount -t hugetlbfs -o size=0 nodev /dev/hugepages")
        case.verdict(done is True, "sysfs's figures 0 and a hugetlbfs of size 0, in a private namespace",
                     f"the mounts failed: {done}")
        prefix = case.prefix()
        case.expect_refused(message, prefix, mount_ns.argv(*with_prefix(argv, prefix)), root=mount_ns.root)
else:
    @pytest.mark.alone
    @pytest.mark.parametrize("message,argv", primaries("no hugepages reserved (MACHINE=1)", MESSAGE))
    def test_no_reservation(case, message, argv):
        with open("/proc/meminfo") as f:
            info = {line.split(":")[0]: line.split()[1] for line in f}
        in_use = int(info["HugePages_Total"]) - int(info["HugePages_Free"])
        if in_use:
            pytest.skip(f"{in_use} hugepages in use by processes of others: not run (it would take them "
                        "from under them)")
        saved = reserved()
        try:
            with open(NR_FILE, "w") as f:
                f.write("0\n")
            prefix = case.prefix()
            ok, expected, seen, _ = case.refused(message, prefix, with_prefix(argv, prefix))
        finally:
            with open(NR_FILE, "w") as f:
                f.write(saved + "\n")
        # Memory may have fragmented meanwhile: say so if the pages did not all come back.
        if reserved() != saved:
            case.verdict(False, f"the reservation restored after 'no hugepages reserved': {saved} pages",
                         f"{reserved()} pages")
        case.verdict(ok, expected, seen)
