# SPDX-License-Identifier: BSD-3-Clause
"""One Ctrl-C to a whole process group, RUNS times (5) for each lab.

Starts a lab's processes in one process group, as a terminal's shell
would, with traffic, waits until the traffic has gone through, then sends
one SIGINT to the group. Every process must print its statistics and exit
0 within 10 s. Lab 01: a primary and a secondary that exchanged a message;
lab 02: a primary and a secondary on net_pcap vdevs; lab 03: the server and
two clients on net_pcap vdevs; lab 04: a primary and a secondary at their
prompts, which exchanged a notice (each then says "Exiting on signal").

  PYTHONPATH=tests/lib RUNS=100 /usr/bin/python3 -m pytest -p no:cacheprovider --rootdir=. \\
      -o python_files='test_*.py' tests/flakes/test_group_sigint.py -k 01_simple_mp
"""

import os
import shutil
import signal
import subprocess
import time

import pytest

from mpwcheck import procs, telemetry
from mpwcheck.vdevs import Traffic, pcap_vdevs, server_vdevs

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The programs judged: the solutions' (F_SOL: another build of them).
SOL = os.path.abspath(os.environ.get("F_SOL") or os.path.join(TOP, "build", "solutions"))
TOOLS = os.path.join(TOP, "build", "tools")
WORK = os.path.join(TOP, "build", "flakes", "group_sigint")
READY = procs.READY
FRAMES = 1000
BOUND_S = 10
RUNS = int(os.environ.get("RUNS", "5"))
LABS = ["01_simple_mp", "02_symmetric_mp", "03_client_server", "04_hotplug_mp"]

pytestmark = pytest.mark.timeout(90)


def wait_for(what, predicate, bound=BOUND_S):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError(what)


def log_has(path, text):
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except OSError:
        return False


class Group:
    """Processes in one process group, the first one its leader."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []

    def start(self, name, argv, stdin=subprocess.DEVNULL, ready=READY):
        log = os.path.join(self.workdir, name + ".log")
        pgid = self.procs[0][1].pid if self.procs else 0
        with open(log, "w") as out:
            p = subprocess.Popen(procs.on_own_cores(argv), cwd=self.workdir, stdin=stdin, stdout=out,
                                 stderr=subprocess.STDOUT, process_group=pgid)
        self.procs.append((name, p, log))
        wait_for(f"{name} ready", lambda: log_has(log, ready) or p.poll() is not None, 20)
        if p.poll() is not None:
            raise RuntimeError(f"{name} exited with status {p.returncode} at start")

    def interrupt(self):
        """SIGINT to the group; the statuses, or None for a process killed."""
        os.killpg(self.procs[0][1].pid, signal.SIGINT)
        deadline = time.monotonic() + BOUND_S
        result = {}
        for name, p, _ in self.procs:
            try:
                result[name] = p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                result[name] = None
        return result

    def kill(self):
        for _, p, _ in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            if p.stdin is not None:
                p.stdin.close()


def lab01(group, prefix, traffic):
    del traffic
    binary = os.path.join(SOL, "01_simple_mp", "simple_mp")
    # A prompt whose input stays open: an end of input would be a `quit`.
    group.start("primary", [binary, "-l", "0-1", "--no-pci", "--file-prefix", prefix, "--proc-type=primary"],
                stdin=subprocess.PIPE)
    group.start("secondary", [binary, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", prefix,
                              "--proc-type=secondary"], stdin=subprocess.PIPE)
    primary = group.procs[0][1]
    primary.stdin.write(b"send hello\n")
    primary.stdin.flush()
    log = group.procs[1][2]
    wait_for("the message received", lambda: log_has(log, "Received 'hello'"))
    return {"primary": "Messages: sent 1,", "secondary": "received 1,"}


def lab02(group, prefix, traffic):
    binary = os.path.join(SOL, "02_symmetric_mp", "symmetric_mp")
    vdevs = pcap_vdevs(traffic.dir, group.workdir, 2, "null")
    for proc_id in (0, 1):
        argv = [binary, "--lcores", f"{2 * proc_id}@0,{2 * proc_id + 1}@1", "--no-pci", "--file-prefix", prefix,
                "--proc-type=auto", *(vdevs if proc_id == 0 else []),
                "--", "-p", "3", "--num-procs", "2", "--proc-id", str(proc_id)]
        group.start(f"proc{proc_id}", argv)
    wait_for("the traffic received", lambda: all(
        (telemetry.queue_packets(prefix, port, "rx", q) or -1) >= traffic.field(port, q, "frames")
        for port in (0, 1) for q in (0, 1)))
    return {"proc0": "Port 1: Bad IP checksum", "proc1": "Port 1: Bad IP checksum"}


def lab03(group, prefix, traffic):
    bindir = os.path.join(SOL, "03_client_server")
    vdevs = server_vdevs(traffic.dir, group.workdir, 2)
    group.start("server", [os.path.join(bindir, "mp_server"), "-l", "0", "--no-pci", "--file-prefix", prefix,
                           "--proc-type=primary", *vdevs, "--", "-p", "3", "-n", "2"])
    for client in (0, 1):
        group.start(f"client{client}", [os.path.join(bindir, "mp_client"), "--lcores", f"{client + 1}@1", "--no-pci",
                                        "--file-prefix", prefix, "--proc-type=secondary", "--", "-n", str(client)])
    # Round-robin: each client sends half of the 2 x FRAMES.
    wait_for("the traffic sent", lambda: all((telemetry.sent(prefix, client) or -1) >= FRAMES for client in (0, 1)))
    return {"server": "Final statistics", "client0": "Client 0: dequeued", "client1": "Client 1: dequeued"}


def lab04(group, prefix, traffic):
    del traffic
    binary = os.path.join(SOL, "04_hotplug_mp", "hotplug_mp")
    # Prompts whose input stays open: an end of input would be a `quit`.
    for name, where, kind in (("primary", ["-l", "0"], "primary"), ("secondary", ["--lcores", "1@1"], "secondary")):
        group.start(name, [binary, *where, "--no-pci", "--file-prefix", prefix, "--proc-type=" + kind],
                    stdin=subprocess.PIPE, ready="hotplug_mp: pid ")
    primary = group.procs[0][1]
    primary.stdin.write(b"notify hello\n")
    primary.stdin.flush()
    log = group.procs[1][2]
    wait_for("the notice received", lambda: log_has(log, ": hello"))
    return {"primary": "Exiting on signal", "secondary": "Exiting on signal"}


SETUP = {"01_simple_mp": lab01, "02_symmetric_mp": lab02, "03_client_server": lab03, "04_hotplug_mp": lab04}


@pytest.fixture(scope="module")
def traffic(request):
    """gen_traffic's files, once a worker: two queues a port for lab 02, one for lab 03.
    The solutions and tools first: make test-flakes builds them before, make
    test in its rows' fixture (mpwcheck.suite's built)."""
    if request.config.pluginmanager.has_plugin("mpwcheck.suite"):
        request.getfixturevalue("built")
    out = {}
    for queues in (1, 2):
        directory = os.path.join(WORK, f"traffic{queues}-{os.getpid()}")
        shutil.rmtree(directory, ignore_errors=True)
        out[queues] = Traffic(TOOLS, directory, ports=2, queues=queues, frames=FRAMES)
    yield out
    for t in out.values():
        shutil.rmtree(t.dir, ignore_errors=True)


@pytest.mark.parametrize("lab,run", [
    pytest.param(lab, run, id=f"one Ctrl-C to a process group of {lab}: every process prints its figures and exits 0 "
                           f"(run {run} of {RUNS})")
    for lab in LABS for run in range(1, RUNS + 1)])
def test_group_sigint(traffic, lab, run):
    prefix = f"{procs.PREFIX_BASE}sig{lab[:2]}_{run}"
    group = Group(os.path.join(WORK, lab, f"run{run}"))
    shutil.rmtree(group.workdir, ignore_errors=True)
    os.makedirs(group.workdir)
    problem = None
    try:
        stats_lines = SETUP[lab](group, prefix, traffic[2 if lab == "02_symmetric_mp" else 1])
        statuses = group.interrupt()
        for name, _, log in group.procs:
            status = statuses[name]
            if status is None:
                problem = f"{name} still running {BOUND_S} s after SIGINT"
            elif status != 0:
                problem = f"{name} exited with status {status}"
            elif not log_has(log, stats_lines[name]):
                problem = f"{name} printed no statistics"
            if problem:
                break
    except (TimeoutError, RuntimeError) as e:
        problem = f"not started: {e}"
    finally:
        group.kill()
        # Any primary starting meanwhile may remove this run's files first
        # (EAL's clear_hugedir()): remove_prefix() takes what is left.
        procs.remove_prefix(prefix)
    if problem:
        pytest.fail(f"\n  expected: every process prints its figures and exits 0 within {BOUND_S} s of one SIGINT"
                    f"\n  seen:     {problem} (logs in {os.path.relpath(group.workdir, TOP)})", pytrace=False)
