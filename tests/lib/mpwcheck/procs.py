# SPDX-License-Identifier: BSD-3-Clause
"""DPDK processes for the checks.

Each runs in its own session (so its own process group) under `timeout`,
its stdin a pipe that send() writes to, its output in a log file that the
waits read. stop_all() stops whatever is left, secondaries (the later
ones) before their primary, and remove_prefix() removes the hugepage files
and runtime directories that a run's --file-prefixes left and that no
process holds (prefixes.py).
"""

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import time

from . import prefixes

# Every process dies after this many seconds, whatever happens.
PROC_TIMEOUT = int(os.environ.get("H_PROC_TIMEOUT", "120"))
# How long to wait for an expected line before a check fails.
WAIT = float(os.environ.get("H_WAIT", "3"))
# Every --file-prefix of this run starts with it: the base (H_PREFIX_BASE,
# "mpw" by default) and this run's pid, so that parallel runs of one family
# never remove each other's files.
PREFIX_BASE = os.environ.get("H_PREFIX_BASE", "mpw") + f"{os.getpid()}_"
POLL = 0.02
PROMPT = re.compile(r"^[a-z_]* > ")
# What a skeleton's stub prints when it runs (common/mpw_todo.h): at a line's
# start, or after a prompt that waits for input when another thread's stub
# prints (lab 04's rte_mp actions run on EAL's IPC thread).
NOT_DONE = re.compile(r"^(?:[a-z_]* ?> )?TODO (\d+) \((\S+):(\d+)\) is not done yet$", re.M)
# What every lab's program prints once it is set up: past every check of its
# input and of its peers.
READY = "APP: Finished Process Init."

STARTED = []  # every Proc of this run, in the order started


def own_cores():
    """The two CPUs that stand for the checks' cores 0 and 1: the first two
    of this process's affinity (taskset, a cgroup's cpuset), one when it
    has one."""
    cpus = sorted(os.sched_getaffinity(0))
    return cpus[0], cpus[min(1, len(cpus) - 1)]


def on_own_cores(argv):
    """ARGV with its EAL core options on own_cores(): the checks write
    "-l 0-1" and "--lcores 2@0,3@1", where cores 0 and 1 name the caller's
    two, not the machine's first two. "-l" of cores 0 and 1 becomes
    "--lcores" (lcore N on core N); any other core number is left as
    written (bad input on purpose)."""
    cores = own_cores()
    out, i = [], 0
    while i < len(argv):
        arg, value = argv[i], argv[i + 1] if i + 1 < len(argv) else None
        if arg == "--":
            return out + argv[i:]
        if arg == "-l" and value is not None and re.fullmatch(r"[01]([-,][01])*", value):
            lcores = sorted({int(n) for n in re.findall(r"[01]", value)})
            arg, value = "--lcores", ",".join(f"{n}@{n}" for n in lcores)
        if arg == "--lcores" and value is not None:
            out += [arg, re.sub(r"@([01])(?![0-9])", lambda m: f"@{cores[int(m[1])]}", value)]
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def hugepages_left():
    """The hugepages that this run's processes could have now: those free
    for this user, and those they hold; others' processes hold the rest."""
    return prefixes.hugepages_free()[0] + prefixes.pages_of(PREFIX_BASE)


class Proc:
    """One program under `timeout`, in a session of its own."""

    def __init__(self, name, argv, log, cwd=None):
        self.name = name
        self.argv = on_own_cores([str(a) for a in argv])
        self.log = log
        self.ran_on = False  # set up where it should have refused (exits_with)
        # The fewest hugepages left for this run while it ran (plugin.HugepageWatch).
        self.low_hugepages = hugepages_left()
        self.status = None  # once exited: 0-255, 128+N when killed by signal N
        self._stubs = {}  # TODO -> "FILE:LINE" of the stubs it ran, read up to _stubs_read
        self._stubs_read = 0
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(
                ["timeout", "-k", "5", str(PROC_TIMEOUT), *self.argv],
                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                cwd=cwd, start_new_session=True)
        STARTED.append(self)

    def __repr__(self):
        return f"<Proc {self.name} pid {self.popen.pid}>"

    def text(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode(errors="replace").replace("\r", "")
        except OSError:
            return ""

    def lines(self, containing=""):
        return [line for line in self.text().splitlines() if containing in line]

    def stubs(self):
        """{TODO: "FILE:LINE"} of the skeleton's stubs that it ran so far."""
        try:
            with open(self.log, "rb") as f:
                f.seek(self._stubs_read)
                new = f.read()
        except OSError:
            return self._stubs
        end = new.rfind(b"\n") + 1  # whole lines only: the rest is still being written
        self._stubs_read += end
        for m in NOT_DONE.finditer(new[:end].decode(errors="replace").replace("\r", "")):
            self._stubs.setdefault(int(m[1]), f"{m[2]}:{m[3]}")
        return self._stubs

    def count_re(self, pattern):
        """The lines of its output that PATTERN (a compiled regex) matches."""
        return sum(1 for line in self.text().splitlines() if pattern.search(line))

    def count(self, text):
        """The lines of its output that contain TEXT."""
        return len(self.lines(text))

    def alive(self):
        return self._reap() is None

    def _reap(self):
        if self.status is None and self.popen.poll() is not None:
            rc = self.popen.returncode
            # timeout dies of its program's signal: report it as a shell would.
            self.status = 128 - rc if rc < 0 else rc
            self._close()
        return self.status

    def _close(self):
        try:
            self.popen.stdin.close()
        except OSError:
            pass

    def send(self, *lines):
        """Types LINES at its prompt."""
        try:
            self.popen.stdin.write("".join(f"{line}\n" for line in lines).encode())
            self.popen.stdin.flush()
        except (OSError, ValueError):
            pass  # it has exited: the waits say so

    def wait_for(self, text, n=1, secs=WAIT, unless=None):
        """True once TEXT appears on N lines, false after SECS, when it
        exits without, or as soon as UNLESS (a function) says that it never
        will."""
        deadline = time.monotonic() + secs
        while True:
            if self.count(text) >= n:
                return True
            if not self.alive():
                return self.count(text) >= n  # it may have printed and exited
            if time.monotonic() >= deadline or (unless is not None and unless()):
                return self.count(text) >= n
            time.sleep(POLL)

    def exits_within(self, secs):
        """True once it exits within SECS; else false, and it runs on."""
        deadline = time.monotonic() + secs
        while self.alive():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        return True

    def wait_exit(self, secs=WAIT):
        """True when it exits within SECS; else it is stopped, status 124."""
        try:
            self.popen.wait(timeout=secs)
        except subprocess.TimeoutExpired:
            self.stop(signal.SIGKILL)
            self.status = 124
            return False
        self._reap()
        return True

    def exits_with(self, message, secs=20):
        """True when it exits non-zero by itself within SECS after printing
        MESSAGE. False at once when it prints a READY line (one more than it
        had): it got past the refusal, and is stopped (ran_on)."""
        if self.wait_for(READY, self.count(READY) + 1, secs):
            self.ran_on = True
            self.stop(signal.SIGKILL)
            return False
        return (self.wait_exit(1) and self.status != 0 and self.status != 124
                and self.count(message) > 0)

    def ending(self, n=2):
        """How it ended, for a "saw:" after exits_with()."""
        if self.ran_on:
            return f"it ran on, set up ('{READY}'): {self.tail(n)}"
        return f"status {self.status}: {self.tail(n)}"

    def program_pid(self):
        """The program's pid: timeout's child."""
        pid = self.popen.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = f.read().split()
            return int(children[0]) if children else None
        except OSError:
            pass
        # A kernel without CONFIG_PROC_CHILDREN: the process whose parent it is.
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        return int(entry)
            except (OSError, ValueError, IndexError):
                continue
        return None

    def signal_program(self, sig):
        """SIG to the program itself, as a terminal's Ctrl-C gives it."""
        pid = self.program_pid()
        if pid is not None and self.alive():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, sig=signal.SIGTERM, secs=5):
        """SIG to its process group, then SIGKILL after SECS; back once none
        of the group is left: `timeout` is reaped before its program is
        gone, and a program killed holds its locks until then (lab 03's
        "Client 1 is already running")."""
        if self.popen.returncode is not None:
            return
        for s in (sig, signal.SIGKILL):
            try:
                os.killpg(self.popen.pid, s)
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=secs)
                break
            except subprocess.TimeoutExpired:
                continue
        self.popen.wait()
        self._reap()
        deadline = time.monotonic() + secs
        while time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(POLL)

    def tail(self, n=3):
        """Its last lines for a "saw:", without EAL's chatter and prompts."""
        out = []
        for line in self.text().splitlines():
            if line.startswith(("EAL: ", "TELEMETRY: ")):
                continue
            line = PROMPT.sub("", line).strip()
            if line:
                out.append(line)
        return " | ".join(out[-n:])


def sigint(*procs, secs=10):
    """SIGINT to each program, as Ctrl-C would; then wait, SECS for all of
    them together (they stop at once), for each to print its last words and
    exit: a program that ignores it costs SECS once, not once per process."""
    for p in procs:
        p.signal_program(signal.SIGINT)
    deadline = time.monotonic() + secs
    for p in procs:
        p.wait_exit(max(0.1, deadline - time.monotonic()))


def stop_all(procs=None, secs=1.0):
    """Stops PROCS (every one started), the later ones first: SIGINT to the
    program, SIGKILL to its group SECS later."""
    for p in reversed(list(STARTED if procs is None else procs)):
        if p.alive():
            p.signal_program(signal.SIGINT)
            if not p.wait_exit(secs):
                p.stop(signal.SIGKILL)
        p._close()


def remove_prefix(start):
    """The hugepage files and runtime directories of every --file-prefix
    that starts with START, but what a process holds."""
    prefixes.remove(start)


@contextlib.contextmanager
def hugepages_held(prefix):
    """PREFIX's hugepage files locked shared, as a live DPDK process locks its
    own. Every primary that starts on this machine, whatever its prefix,
    removes the hugepage files that no process holds (EAL's clear_hugedir()
    matches "*map_*"): a killed primary's memory outlives it only while
    someone holds its files."""
    held = []
    try:
        for path, _ in prefixes.hugepage_files(lambda p: p == prefix):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            held.append(fd)
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        for fd in held:
            os.close(fd)


def cleanup():
    """Every process of this run gone, then its files: also what started as
    an interrupt came, found by its prefix."""
    stop_all()
    for _ in range(20):
        if subprocess.run(["pkill", "-KILL", "-f", "--", f"--file-prefix {PREFIX_BASE}"],
                          check=False).returncode != 0:
            break
        time.sleep(0.1)
    remove_prefix(PREFIX_BASE)


def processes():
    """Every process now: (pid, parent's pid, argv), read from /proc (one
    pass, no fork: the fault matrix polls it)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")[:-1]
        except (OSError, ValueError, IndexError):
            continue
        out.append((int(entry), ppid, argv))
    return out


def file_prefix(argv):
    """The --file-prefix of ARGV (a DPDK program's), or None."""
    for i, arg in enumerate(argv[:-1]):
        if arg == "--file-prefix":
            return argv[i + 1]
    return None


def descendants(pid, table=None):
    """The processes (as processes() gives them) below PID."""
    table = processes() if table is None else table
    children = {}
    for entry in table:
        children.setdefault(entry[1], []).append(entry)
    out, todo = [], [pid]
    while todo:
        for entry in children.get(todo.pop(), []):
            out.append(entry)
            todo.append(entry[0])
    return out
