# SPDX-License-Identifier: BSD-3-Clause
"""The fault matrix's library (tests/faults/: its fixtures in conftest.py):
one pytest item a case, each judging "expected" against "seen", each with
prefixes, processes and a work directory of its own, so that pytest-xdist
may run them on any worker in any order.

F_SOL: the solutions' build to judge (build/solutions; make coverage gives
its instrumented one). H_PREFIX_BASE: what every --file-prefix starts with
(procs.PREFIX_BASE).
"""

import contextlib
import fcntl
import itertools
import os
import re
import shutil
import signal

import pytest

from . import prefixes, procs

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SOL = os.path.abspath(os.environ.get("F_SOL") or os.path.join(TOP, "build", "solutions"))
TOOLS = os.path.join(TOP, "build", "tools")
WORK = os.path.join(TOP, "build", "faults")
READY = procs.READY
# Two ports on which nothing arrives (net_ring, whose rings nobody fills): a
# primary that runs beside the refused processes idles instead of taking a
# core, as it would forwarding net_null's endless frames.
IDLE = ["--vdev", "net_ring0", "--vdev", "net_ring1"]
# How long a refused program may take to exit by itself.
REFUSE_S = 20

_cases = itertools.count(1)


def lock(path, exclusive=True):
    """flock() on PATH, held while the context lasts."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    f = open(path, "a")  # pylint: disable=consider-using-with
    fcntl.flock(f, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    return contextlib.closing(f)


def sol(lab, program):
    return os.path.join(SOL, lab, program)


class Case:
    """One case: its work directory, its prefixes (all starting with
    .base), the processes it started, and its verdict."""

    def __init__(self, node):
        self.node = node
        part = os.path.basename(str(node.fspath))[len("test_"):-len(".py")]
        self.work = os.path.join(WORK, part, re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name)[:120])
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.base = f"{procs.PREFIX_BASE}{part[0]}{next(_cases)}_"
        self.procs = []
        self.names = itertools.count(1)
        node.user_properties.append(("case", case_text(node)))

    def prefix(self, tag="p"):
        return self.base + tag

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def start(self, name, argv, cwd=None):
        """ARGV started as NAME (procs.Proc: its own session, under timeout),
        its output in NAME.log."""
        p = procs.Proc(name, argv, self.path(f"{name}.log"), cwd=cwd)
        self.procs.append(p)
        return p

    def verdict(self, ok, expected, seen):
        """The case's row: a failure says what was expected and seen."""
        self.node.user_properties += [("expected", expected), ("seen", seen)]
        if not ok:
            pytest.fail(f"\n  expected: {expected}\n  seen:     {seen}", pytrace=False)

    def refused(self, message, prefix, argv, name=None, root=""):
        """ARGV, given bad input, must exit by itself within REFUSE_S,
        non-zero, without a crash (no signal), print MESSAGE, and leave no
        file of PREFIX that was not there before it started (in the
        hugetlbfs mounts that ROOT, /proc/PID/root, sees): (whether it did,
        what is expected, what was seen, the Proc)."""
        before = set(prefixes.files(prefix, root))
        p = self.start(name or f"r{next(self.names)}", argv)
        p.wait_exit(REFUSE_S)
        status = p.status
        line = next((ln.strip() for ln in p.lines(message)), None)
        new = sorted(set(prefixes.files(prefix, root)) - before)
        bad = True
        # 128 + N: killed by signal N (1 to 64). A status above that is the
        # program's own exit (DPDK 25.11's EAL exits with -EINVAL, 234).
        if status == 0:
            seen = "exited 0"
        elif status == 124:
            seen = f"still running after {REFUSE_S} s (killed)"
        elif status in (125, 126, 127):
            seen = f"could not run (status {status})"
        elif 129 <= status <= 192:
            seen = f"crashed (status {status})"
        else:
            seen, bad = f"status {status}", False
        if line:
            seen += f": {line}"
        else:
            seen += f", no '{message}': {p.tail(1)}"
            bad = True
        if new:
            seen += f"; left {len(new)} file(s) of {prefix}: {os.path.basename(new[0])}, ..."
            bad = True
        return not bad, f"a non-zero exit, '{message}', no file left", seen, p

    def expect_refused(self, message, prefix, argv, name=None, root=""):
        ok, expected, seen, p = self.refused(message, prefix, argv, name, root)
        self.verdict(ok, expected, seen)
        return p

    def finish(self):
        """Its processes gone (their groups killed), then the files of its
        prefixes (what no process holds)."""
        kill_all(self.procs)
        procs.remove_prefix(self.base)


def kill_all(started):
    """Every process group of STARTED killed at once, then each waited for
    (a program with hugepages mapped takes a while to go: in parallel)."""
    for p in started:
        if p.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.popen.pid, signal.SIGKILL)
    for p in reversed(started):
        p.stop(signal.SIGKILL)


def case_text(node):
    """The case as the matrix says it: the parameter's id, or the docstring."""
    callspec = getattr(node, "callspec", None)
    if callspec is not None and callspec.id:
        return callspec.id
    return (node.function.__doc__ or node.name).strip().splitlines()[0]


class Shared:
    """Processes that several cases run against (a live primary), kept for
    the items of one class on one worker: the first item of the class that
    a worker runs starts them, the last stops them."""

    def __init__(self, name):
        self.base = f"{procs.PREFIX_BASE}s{next(_cases)}_"
        # Its own directory: a log is appended to, and two workers may each
        # run the class.
        self.work = os.path.join(WORK, "shared", f"{name}-{self.base}")
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        self.procs = []

    def start(self, name, argv, cwd=None):
        p = procs.Proc(name, argv, os.path.join(self.work, f"{name}.log"), cwd=cwd)
        self.procs.append(p)
        return p

    def finish(self):
        kill_all(self.procs)
        procs.remove_prefix(self.base)


@contextlib.contextmanager
def shared(name):
    s = Shared(name)
    try:
        yield s
    finally:
        s.finish()


def with_prefix(argv, prefix):
    """ARGV with "%P" standing for PREFIX."""
    return [a.replace("%P", prefix) for a in argv]


def live_primary(name, argv, ready=READY, needs=()):
    """A class's fixture: a primary (ARGV, "%P" its prefix) that its cases
    run beside, once the fixtures NEEDS are set up; (its prefix, the Proc
    with .started). started() fails a case when it did not start."""

    @pytest.fixture(scope="class")
    def fixture(self, request):  # pylint: disable=unused-argument  # a method of the class
        for need in needs:
            request.getfixturevalue(need)
        with shared(name) as s:
            prefix = s.base + "p"
            p = s.start(name, with_prefix(argv, prefix))
            p.started = p.wait_for(ready, 1, 15)
            yield prefix, p

    return fixture


def started(case, primary, what):
    """The cases beside a primary need it running."""
    prefix, p = primary
    case.verdict(p.started and p.alive(), what, p.tail(2))
    return prefix


# Two ports of endless frames (net_null), for primaries that must get past them.
NULLS = ["--vdev", "net_null0", "--vdev", "net_null1"]


def primaries(text, message, bin_dir=None):
    """Cases: each lab's primary ("%P": its prefix; programs in BIN_DIR,
    F_SOL's by default) refused with MESSAGE, as "PROGRAM: TEXT"."""
    def at(lab, program):
        return os.path.join(bin_dir, lab, program) if bin_dir else sol(lab, program)

    return [
        pytest.param(message, [at("01_simple_mp", "simple_mp"), "-l", "0-1", "--no-pci", "--file-prefix", "%P"],
                     id=f"simple_mp: {text}"),
        pytest.param(message, [at("02_symmetric_mp", "symmetric_mp"), "-l", "0-1", "--no-pci", "--file-prefix", "%P",
                               *NULLS, "--", "-p", "3", "--num-procs", "1", "--proc-id", "0"],
                     id=f"symmetric_mp: {text}"),
        pytest.param(message, [at("03_client_server", "mp_server"), "-l", "0", "--no-pci", "--file-prefix", "%P",
                               *NULLS, "--", "-p", "3", "-n", "1"],
                     id=f"mp_server: {text}"),
    ]
