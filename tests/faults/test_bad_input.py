# SPDX-License-Identifier: BSD-3-Clause
"""Fault matrix, bad input: every program of the solutions given wrong,
missing, garbage or overflowing options, ports that do not exist, ids out
of range, the wrong process type or order. Each case: a non-zero exit by
itself, the line that says what is wrong, no crash, no file left behind."""

import fcntl
import os
import subprocess
import time

import pytest

from mpwcheck import prefixes
from mpwcheck.faults import IDLE, READY, TOP, live_primary, sol, started, with_prefix

pytestmark = pytest.mark.timeout(90)

SMP = sol("01_simple_mp", "simple_mp")
SYM = sol("02_symmetric_mp", "symmetric_mp")
SRV = sol("03_client_server", "mp_server")
CLI = sol("03_client_server", "mp_client")
HOT = sol("04_hotplug_mp", "hotplug_mp")
HUGE = "99999999999999999999"  # more than 64 bits
MASK65 = "0x10000000000000000"  # a 65-bit mask


def refused(case_text, message, *argv):
    """A case: ARGV ("%P" stands for the case's own prefix) refused with MESSAGE."""
    return pytest.param(message, argv, id=case_text)


def sym(text, message, *options):
    """A primary on two idle ports given OPTIONS after --."""
    return refused(f"symmetric_mp: {text}", message, SYM, "--lcores", "0@0,1@1", "--no-pci", "--file-prefix", "%P",
                   "--proc-type=auto", *IDLE, "--", *options)


def srv(text, message, *options):
    """A server on two idle ports given OPTIONS after --."""
    return refused(f"mp_server: {text}", message, SRV, "-l", "0", "--no-pci", "--file-prefix", "%P", *IDLE,
                   "--", *options)


ALONE = [
    refused("simple_mp: an option of its own after --", "has no options of its own",
            SMP, "-l", "0-1", "--no-pci", "--file-prefix", "%P", "--", "--bogus"),
    refused("simple_mp: an unknown EAL option", "the EAL refused its options",
            SMP, "-l", "0-1", "--no-pci", "--file-prefix", "%P", "--bogus"),
    refused("simple_mp: lcores this machine does not have (-l 0-99)", "the EAL refused its options",
            SMP, "-l", "0-99", "--no-pci", "--file-prefix", "%P"),
    refused("simple_mp: a secondary started first", "no primary process is running with --file-prefix",
            SMP, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", "%P", "--proc-type=secondary"),
    sym("no options", "are all required"),
    sym("-p without its value", "unknown option or missing value", "--num-procs", "1", "--proc-id", "0", "-p"),
    sym("-p garbage (zz)", "-p wants a non-zero hexadecimal port mask, not 'zz'",
        "-p", "zz", "--num-procs", "1", "--proc-id", "0"),
    sym("-p overflowing 64 bits", "-p wants a non-zero hexadecimal port mask",
        "-p", MASK65, "--num-procs", "1", "--proc-id", "0"),
    sym("-p 0", "-p wants a non-zero hexadecimal port mask, not '0'", "-p", "0", "--num-procs", "1", "--proc-id", "0"),
    sym("-p naming absent ports (0x30)", "names ports that do not exist (0x30)",
        "-p", "0x30", "--num-procs", "1", "--proc-id", "0"),
    sym("-p with an odd number of ports (1)", "must use an even number of ports",
        "-p", "1", "--num-procs", "1", "--proc-id", "0"),
    sym("--num-procs garbage (two)", "--num-procs wants a number from 1 to 1024, not 'two'",
        "-p", "3", "--num-procs", "two", "--proc-id", "0"),
    sym("--num-procs 0", "--num-procs wants a number from 1 to 1024, not '0'",
        "-p", "3", "--num-procs", "0", "--proc-id", "0"),
    sym("--num-procs overflowing", "--num-procs wants a number from 1 to 1024",
        "-p", "3", "--num-procs", HUGE, "--proc-id", "0"),
    sym("--proc-id negative", "--proc-id wants a number from 0 to 1023, not '-1'",
        "-p", "3", "--num-procs", "2", "--proc-id", "-1"),
    sym("-p empty", "-p wants a non-zero hexadecimal port mask, not ''",
        "-p", "", "--num-procs", "1", "--proc-id", "0"),
    sym("--num-procs with a tail (2x)", "--num-procs wants a number from 1 to 1024, not '2x'",
        "-p", "3", "--num-procs", "2x", "--proc-id", "0"),
    sym("--num-procs above 1024", "--num-procs wants a number from 1 to 1024, not '1025'",
        "-p", "3", "--num-procs", "1025", "--proc-id", "0"),
    sym("no --num-procs", "are all required", "-p", "3", "--proc-id", "0"),
    sym("no --proc-id", "are all required", "-p", "3", "--num-procs", "1"),
    sym("--proc-id not below --num-procs", "--proc-id 2 must be less than --num-procs 2",
        "-p", "3", "--num-procs", "2", "--proc-id", "2"),
    sym("an unknown option", "unknown option or missing value: '--frobnicate'",
        "-p", "3", "--num-procs", "1", "--proc-id", "0", "--frobnicate"),
    sym("a stray argument", "unexpected argument 'extra'", "-p", "3", "--num-procs", "1", "--proc-id", "0", "extra"),
    refused("symmetric_mp: no port at all (no --vdev)", "No Ethernet ports",
            SYM, "--lcores", "0@0,1@1", "--no-pci", "--file-prefix", "%P", "--", "-p", "3", "--num-procs", "1",
            "--proc-id", "0"),
    refused("symmetric_mp: a secondary started first", "no primary process is running with --file-prefix",
            SYM, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", "%P", "--proc-type=secondary", "--",
            "-p", "3", "--num-procs", "2", "--proc-id", "1"),
    srv("no options", "-p and -n are both required"),
    srv("-n without its value", "unknown option or missing value", "-p", "3", "-n"),
    srv("-p garbage (zz)", "-p wants a non-zero hexadecimal port mask, not 'zz'", "-p", "zz", "-n", "1"),
    srv("-p overflowing 64 bits", "-p wants a non-zero hexadecimal port mask", "-p", MASK65, "-n", "1"),
    srv("-p naming absent ports (0xc)", "names ports that do not exist (0xc)", "-p", "0xc", "-n", "1"),
    srv("-p with an odd number of ports (1)", "must select an even number of ports", "-p", "1", "-n", "1"),
    srv("-n garbage (two)", "-n wants a number of clients from 1 to 16, not 'two'", "-p", "3", "-n", "two"),
    srv("-n 0", "-n wants a number of clients from 1 to 16, not '0'", "-p", "3", "-n", "0"),
    srv("-n 17, above the 16 rings it can make", "-n wants a number of clients from 1 to 16, not '17'",
        "-p", "3", "-n", "17"),
    srv("-n overflowing", "-n wants a number of clients from 1 to 16", "-p", "3", "-n", HUGE),
    srv("-p empty", "-p wants a non-zero hexadecimal port mask, not ''", "-p", "", "-n", "1"),
    srv("-n negative", "-n wants a number of clients from 1 to 16, not '-2'", "-p", "3", "-n", "-2"),
    srv("--stats-interval above an hour", "--stats-interval wants seconds from 0 to 3600",
        "-p", "3", "-n", "1", "--stats-interval", "3601"),
    srv("--stats-interval garbage", "--stats-interval wants seconds from 0 to 3600",
        "-p", "3", "-n", "1", "--stats-interval", "soon"),
    srv("an unknown option", "unknown option or missing value: '--frobnicate'", "-p", "3", "-n", "1", "--frobnicate"),
    srv("a stray argument", "unexpected argument 'extra'", "-p", "3", "-n", "1", "extra"),
    refused("mp_client: started before any server", "start mp_server first",
            CLI, "--lcores", "1@1", "--no-pci", "--file-prefix", "%P", "--proc-type=secondary", "--", "-n", "0"),
    refused("mp_client: started as a primary (no --proc-type=secondary)", "mp_client must be a secondary process",
            CLI, "--lcores", "1@1", "--no-pci", "--file-prefix", "%P", "--", "-n", "0"),
    refused("hotplug_mp: an option of its own after --", "has no options of its own",
            HOT, "-l", "0", "--no-pci", "--file-prefix", "%P", "--", "--bogus"),
    refused("hotplug_mp: --in-memory, which turns EAL's IPC off", "talks over EAL's IPC, which --in-memory",
            HOT, "-l", "0", "--no-pci", "--file-prefix", "%P", "--in-memory"),
    refused("hotplug_mp: a secondary started first", "no primary process is running with --file-prefix",
            HOT, "-l", "0", "--no-pci", "--file-prefix", "%P", "--proc-type=secondary"),
]


@pytest.mark.parametrize("message,argv", ALONE)
def test_refused(case, message, argv):
    """Each on a new prefix: a refused primary must leave none of its files."""
    prefix = case.prefix()
    case.expect_refused(message, prefix, with_prefix(argv, prefix))


# -- beside a live simple_mp primary ---------------------------------------------------
# Every --file-prefix that names the live primary's files otherwise (as a
# path, or in a way EAL reads differently) is refused before EAL starts,
# and its clean-up takes nothing of the primary's.
BAD_PREFIXES = ["x/%P", "./%P", "%P/", "", ".", "..", "%s%P"]


def smp_beside(text, message, *argv):
    return pytest.param(message, argv, id=f"simple_mp: {text}")


BESIDE_SMP = [
    *(smp_beside(f"--file-prefix '{bad.replace('%P', 'PREFIX')}' beside a live primary", "is no plain name",
                 SMP, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", bad, "--proc-type=primary")
      for bad in BAD_PREFIXES),
    smp_beside("--file-prefix given twice beside a live primary", "is given 2 times",
               SMP, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", "other", "--file-prefix", "%P",
               "--proc-type=primary"),
    smp_beside("--file-prefix abbreviated beside a live primary", "write --file-prefix in full",
               SMP, "--lcores", "2@0,3@1", "--no-pci", "--file-pre", "%P", "--proc-type=primary"),
]
SECOND_SMP = ["--lcores", "2@0,3@1", "--no-pci", "--file-prefix", "%P", "--proc-type=primary"]


class TestBesideSimpleMp:
    smp_primary = live_primary("smp_primary", [SMP, "-l", "0-1", "--no-pci", "--file-prefix", "%P",
                                               "--proc-type=primary"])

    def test_second_primary(self, case, smp_primary):
        """simple_mp: a second primary on the same --file-prefix"""
        prefix = started(case, smp_primary, "a first primary starts")
        case.expect_refused("is already running with --file-prefix", prefix, [SMP, *with_prefix(SECOND_SMP, prefix)])

    @pytest.mark.parametrize("message,argv", BESIDE_SMP)
    def test_bad_prefix(self, case, smp_primary, message, argv):
        prefix = started(case, smp_primary, "a first primary starts")
        # Its files are the live primary's: "none", a prefix of nobody's, says no new ones.
        case.expect_refused(message, "none", with_prefix(argv, prefix))

    def test_files_unchanged(self, case, smp_primary):
        """simple_mp: a live primary's files after every bad --file-prefix and a second start"""
        prefix, p = smp_primary
        started(case, smp_primary, "a first primary starts")
        live = prefixes.files(prefix)
        for param in BESIDE_SMP:
            case.refused(param.values[0], "none", with_prefix(param.values[1], prefix))
        case.refused("is already running", prefix, [SMP, *with_prefix(SECOND_SMP, prefix)])
        left = prefixes.files(prefix)
        expected = "all there, the primary running"
        if left == live and left and p.alive():
            case.verdict(True, expected, f"{len(left)} files, unchanged")
        else:
            case.verdict(False, expected, f"{len(live)} files before, {len(left)} after")


# -- a file held elsewhere -----------------------------------------------------------
# A file of a prefix that another process holds (flock -s, as a live DPDK
# process holds its hugepage files) outlives every clean-up: a start that
# fails after EAL set up (common/mpw_prefix.c), the test library's
# (prefixes.py), and setup_hugepages.sh --clean; what nobody holds goes.
def hold(case, prefix):
    """A file of PREFIX in the first hugetlbfs, held shared by another
    process (flock -s): its path."""
    held = os.path.join(prefixes.hugetlbfs_mounts()[0], f"{prefix}map_7_7")
    open(held, "w").close()  # pylint: disable=consider-using-with
    case.start("holder", ["flock", "-s", held, "sleep", "60"])
    # Until it holds it: an exclusive try fails from then on. On two busy
    # cores flock(1) may take seconds to start; a case that went on before
    # would test nothing and lose the file.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with open(held) as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return held
        time.sleep(0.01)
    os.unlink(held)
    raise AssertionError(f"flock -s {held} did not take the lock within 30 s")


FAILED_START = "has no options of its own"


class TestHeldFile:
    def test_failed_start(self, case):
        """simple_mp: a start that fails after EAL set up, a file of its prefix held elsewhere"""
        prefix = case.prefix()
        held = hold(case, prefix)
        try:
            case.expect_refused(FAILED_START, "none",
                                [SMP, "-l", "0", "--no-pci", "--file-prefix", prefix, "--", "--bogus"])
        finally:
            os.unlink(held)

    def test_every_cleanup(self, case):
        """a held file of a prefix outlives every clean-up; the rest goes"""
        prefix = case.prefix()
        held = hold(case, prefix)
        try:
            kept = []
            case.refused(FAILED_START, "none", [SMP, "-l", "0", "--no-pci", "--file-prefix", prefix, "--", "--bogus"])
            if os.path.exists(held):
                kept.append("the failed start's")
            prefixes.remove(prefix)
            if os.path.exists(held):
                kept.append("prefixes.py's")
            cleaned = subprocess.run([os.path.join(TOP, "scripts", "setup_hugepages.sh"), "--clean", prefix],
                                     capture_output=True, check=False, timeout=60)
            if cleaned.returncode == 0 and os.path.exists(held):
                kept.append("--clean's")
            others = [f for f in prefixes.files(prefix) if not f.endswith("map_7_7")]
            expected = "kept by all three, nothing else left"
            if len(kept) == 3 and not others:
                case.verdict(True, expected, f"kept by {' '.join(kept)} clean-ups; nothing else left")
            else:
                case.verdict(False, expected, f"kept by: {' '.join(kept) or 'none'}; {len(others)} other file(s) left")
        finally:
            os.unlink(held)


def test_primary_race(case):
    """simple_mp: two primaries started at once on one --file-prefix"""
    # One runs, the other is refused, and its clean-up takes nothing of the one that runs.
    prefix = case.prefix()
    race = [case.start(f"race{i}", [SMP, "-l", str(i), "--no-pci", "--file-prefix", prefix, "--proc-type=primary"])
            for i in (0, 1)]
    race[0].wait_for(READY, 1, 15)
    race[1].wait_for(READY, 1, 2)
    ready = sum(p.count(READY) for p in race)
    winner, loser = race if race[0].count(READY) == 1 else race[::-1]
    loser.wait_exit(15)
    files = len([f for f in prefixes.files(prefix) if "map_" in os.path.basename(f)])
    expected = "one runs, its files whole; the other refused"
    ok = (ready == 1 and loser.status != 0 and winner.alive() and files > 0
          and os.path.exists(os.path.join(prefixes.runtime_dir(prefix), "config")))
    case.verdict(ok, expected, f"one ready, the other status {loser.status}; {files} files of the one that runs" if ok
                 else f"{ready} ready, the other status {loser.status}, {files} files: "
                 f"{race[0].tail(1)} / {race[1].tail(1)}")


# -- beside a live symmetric_mp primary ------------------------------------------------
class TestBesideSymmetricMp:
    sym_primary = live_primary("sym_primary", [SYM, "--lcores", "0@0,1@1", "--no-pci", "--file-prefix", "%P",
                                               "--proc-type=auto", *IDLE, "--", "-p", "3", "--num-procs", "2",
                                               "--proc-id", "0"])

    def test_num_procs_disagree(self, case, sym_primary):
        """symmetric_mp: a secondary whose --num-procs disagrees with the primary's"""
        prefix = started(case, sym_primary, "a primary starts")
        case.expect_refused("give every process the primary's --num-procs", prefix,
                            [SYM, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", prefix, "--proc-type=auto",
                             "--", "-p", "3", "--num-procs", "3", "--proc-id", "1"])

    def test_second_primary(self, case, sym_primary):
        """symmetric_mp: a second primary on the same --file-prefix"""
        prefix = started(case, sym_primary, "a primary starts")
        case.expect_refused("is already running with --file-prefix", prefix,
                            [SYM, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", prefix, "--proc-type=primary",
                             *IDLE, "--", "-p", "3", "--num-procs", "2", "--proc-id", "1"])


# -- mp_client, and a second server, against a running server --------------------------
def cli(text, message, *options):
    """A client of the running server."""
    return pytest.param(message, options, id=f"mp_client: {text}")


CLIENTS = [
    cli("no options", "-n CLIENT_ID is required"),
    cli("-n garbage (one)", "-n wants a client id from 0 to 15, not 'one'", "-n", "one"),
    cli("an unknown option (-x)", "unknown option or missing value: '-x'", "-x", "1"),
    cli("-n empty", "-n wants a client id from 0 to 15, not ''", "-n", ""),
    cli("-n with a tail (1x)", "-n wants a client id from 0 to 15, not '1x'", "-n", "1x"),
    cli("-n negative", "-n wants a client id from 0 to 15, not '-1'", "-n", "-1"),
    cli("-n overflowing", "-n wants a client id from 0 to 15", "-n", HUGE),
    cli("-n 16, above any server's clients", "-n wants a client id from 0 to 15, not '16'", "-n", "16"),
    cli("-n 2 when the server has 2 clients", "Client id 2 is out of range: the server has 2 clients", "-n", "2"),
    cli("a stray argument", "Invalid arguments", "-n", "0", "extra"),
]


def client(prefix, *options, lcores="1@1"):
    return [CLI, "--lcores", lcores, "--no-pci", "--file-prefix", prefix, "--proc-type=secondary", "--", *options]


class TestBesideServer:
    server = live_primary("server", [SRV, "-l", "0", "--no-pci", "--file-prefix", "%P", *IDLE,
                                     "--", "-p", "3", "-n", "2", "--no-wait"])

    @pytest.mark.parametrize("message,options", CLIENTS)
    def test_client(self, case, server, message, options):
        prefix = started(case, server, "a server starts")
        case.expect_refused(message, prefix, client(prefix, *options))

    def test_second_client(self, case, server):
        """mp_client: a second client with a running client's id"""
        prefix = started(case, server, "a server starts")
        client0 = case.start("client0", client(prefix, "-n", "0", lcores="2@1"))
        case.verdict(client0.wait_for(READY, 1, 15), "client 0 starts", client0.tail(2))
        case.expect_refused("Client 0 is already running", prefix, client(prefix, "-n", "0"))

    def test_second_server(self, case, server):
        """mp_server: a second server on the same --file-prefix"""
        prefix = started(case, server, "a server starts")
        case.expect_refused("is already running with --file-prefix", prefix,
                            [SRV, "-l", "1", "--no-pci", "--file-prefix", prefix, *IDLE, "--", "-p", "3", "-n", "1"])

    def test_server_as_secondary(self, case, server):
        """mp_server: started as a secondary of a running server"""
        prefix = started(case, server, "a server starts")
        case.expect_refused("mp_server must be the primary process", prefix,
                            [SRV, "--lcores", "3@1", "--no-pci", "--file-prefix", prefix, "--proc-type=secondary",
                             "--", "-p", "3", "-n", "1"])
