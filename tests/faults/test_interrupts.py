# SPDX-License-Identifier: BSD-3-Clause
"""Fault matrix, interrupts: Ctrl-C (SIGINT to the whole process group, as a
terminal sends it) in the middle of `make check` and of `make test`, and
SIGTERM (as a CI's time-out sends it) in the middle of a check. Each must
stop every process it started, remove their files and exit non-zero,
promptly.

Each case gives the command it interrupts a prefix base of its own
(H_PREFIX_BASE): it judges only what that run made, whatever else runs on
the machine. `make test` is judged by what any suite runner shows from
outside: a DPDK process of its own at work (by that base, or below make),
then, after the signal, its exit status, the processes and the files of
every prefix it was seen using."""

import os
import signal
import subprocess
import time

import pytest

from mpwcheck import prefixes, procs
from mpwcheck.faults import TOP

# How long a command may take to exit after the signal.
STOP_S = 20
# The rows of `make test` interrupted: one row (it builds one copy of a
# lab, then checks it), whose name a suite keeps.
SUITE_ONLY = os.environ.get("F_SUITE_ONLY", "01_simple_mp with TODO 1 undone")


def at_work(pid, base, seen):
    """A DPDK process of the command's (PID) at work, or None: one whose
    --file-prefix starts with BASE, or one below it (a runner that names
    its prefixes otherwise). The prefixes of those below it go into SEEN."""
    table = procs.processes()
    found = None
    for _, _, argv in procs.descendants(pid, table):
        prefix = procs.file_prefix(argv)
        if prefix:
            seen.add(prefix)
            found = found or argv
    return found or next((argv for _, _, argv in table if (procs.file_prefix(argv) or "").startswith(base)), None)


def left_behind(base, seen):
    """The prefixes that start with BASE, or are among SEEN, that have a
    runtime dir, hugepage files or processes now."""
    def ours(prefix):
        return prefix.startswith(base) or prefix in seen

    left = {p for p in prefixes.prefixes() if ours(p)}
    left.update(p for p in (procs.file_prefix(argv) for _, _, argv in procs.processes()) if p and ours(p))
    return sorted(left)


def kill_left(base, seen):
    """What the command left running, and its files: gone."""
    for pid, _, argv in procs.processes():
        prefix = procs.file_prefix(argv)
        if prefix and (prefix.startswith(base) or prefix in seen):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for prefix in [base, *seen]:
        procs.remove_prefix(prefix)


def interrupt(case, sig, argv, ready_s):
    """ARGV started in a process group of its own; once it has DPDK processes
    at work (within READY_S), SIG to the group: it must exit non-zero
    within STOP_S and leave no prefix, process or file."""
    base = f"{case.base}int_"
    seen = set()
    env = dict(os.environ, H_PREFIX_BASE=base)
    # Its own run of everything: not this run's "alone" lock, nor the
    # ONLY= or make's flags that this run may have been given.
    for name in ("MPW_FAULTS_RUN", "PYTEST_XDIST_WORKER", "ONLY", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    with open(case.path("run.log"), "wb") as log:
        # SIGINT as a terminal gives it, even when this run inherited it
        # ignored (nohup, a background job, some CI runners).
        p = subprocess.Popen(["env", "--default-signal=INT", *argv], stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, env=env, process_group=0)
    try:
        deadline = time.monotonic() + ready_s
        while not (working := at_work(p.pid, base, seen)):
            if time.monotonic() > deadline or p.poll() is not None:
                with open(case.path("run.log"), errors="replace") as f:
                    tail = " ".join(f.read().splitlines()[-2:])
                case.verdict(False, "it gets going", f"nothing to interrupt after {ready_s} s: {tail}")
            time.sleep(0.1)
        with open(case.path("interrupted.txt"), "w") as f:
            f.write(f"interrupted while this ran: {' '.join(working)}\n")
        os.killpg(p.pid, sig)
        t0 = time.monotonic()
        # Until the whole group is gone: make may exit before the check it
        # ran has finished cleaning up.
        while time.monotonic() - t0 < STOP_S:
            p.poll()
            try:
                os.killpg(p.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            case.verdict(False, f"it stops within {STOP_S} s", f"still running after {STOP_S} s")
        status = p.wait()
        status = 128 - status if status < 0 else status
        secs = int(time.monotonic() - t0)
        # A process of another group (a check's own session) may still be
        # exiting: what is left 3 s on is left behind.
        for _ in range(30):
            left = left_behind(base, seen)
            if not left:
                break
            time.sleep(0.1)
        expected = f"a non-zero exit within {STOP_S} s; no process, no file left"
        if status != 0 and not left:
            case.verdict(True, expected, f"status {status} after {secs} s; nothing left")
        else:
            case.verdict(False, expected, f"status {status}; left: {' '.join(left) or 'nothing'}")
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        kill_left(base, seen)


@pytest.mark.timeout(120)
def test_ctrl_c_make_check(case):
    """Ctrl-C during make check (lab 01)"""
    interrupt(case, signal.SIGINT, ["make", "--no-print-directory", "-C", f"{TOP}/solutions/01_simple_mp", "check"],
              30)


@pytest.mark.timeout(120)
def test_sigterm_make_check(case):
    """SIGTERM during make check (lab 03)"""
    interrupt(case, signal.SIGTERM, ["make", "--no-print-directory", "-C", f"{TOP}/solutions/03_client_server",
                                     "check"], 30)


@pytest.mark.alone
@pytest.mark.timeout(300)
def test_ctrl_c_make_test(case):
    """Ctrl-C during make test (lab 01's TODO 1 row)"""
    # One row: the suite must stop there, as a whole. Its logs go under the
    # case's (SUITE_LOGS, TODO_ROOT: where today's runner keeps them; one
    # that reads neither ignores them), never over those of a make test
    # that runs this case.
    interrupt(case, signal.SIGINT, ["make", "--no-print-directory", "-C", TOP, "test", f"ONLY={SUITE_ONLY}",
                                    f"SUITE_LOGS={case.path('suite')}", f"TODO_ROOT={case.path('todo')}"], 180)
