#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""One Ctrl-C to a whole process group, RUNS times.

group_sigint.py LAB RUNS [--bin-dir DIR]

Starts a lab's processes in one process group, as a terminal's shell
would, with traffic, waits until the traffic has gone through, then sends
one SIGINT to the group. Every process must print its statistics and exit
0 within 10 s. Lab 01: a primary and a secondary that exchanged a message;
lab 02: a primary and a secondary on net_pcap vdevs; lab 03: the server and
two clients on net_pcap vdevs; lab 04: a primary and a secondary at their
prompts, which exchanged a notice (each then says "Exiting on signal"). Prints one line per failed run and
"LAB: N of RUNS runs failed"; exits 1 when any did.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
# Any primary starting meanwhile may remove this run's files first (EAL's
# clear_hugedir()): remove_prefix() takes what is left.
from mpwcheck.prefixes import runtime_dir  # noqa: E402
from mpwcheck.procs import remove_prefix  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOLS = os.path.join(TOP, "build", "tools")
READY = "APP: Finished Process Init."
FRAMES = 1000
BOUND_S = 10


def telemetry(prefix, command):
    """One telemetry command to the primary of prefix, as a dict (or {})."""
    path = "%s/dpdk_telemetry.v2" % runtime_dir(prefix)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
            s.settimeout(2)
            s.connect(path)
            s.recv(1024)
            s.send(command.encode())
            return json.loads(s.recv(64 * 1024).decode()).get(command.split(",")[0], {})
    except (OSError, ValueError):
        return {}


def queue_packets(prefix, port, direction, queue):
    """What queue of port received (direction rx) or sent (tx); -1 unanswered."""
    return telemetry(prefix, "/ethdev/xstats,%d" % port).get(
        "%s_q%d_packets" % (direction, queue), -1)


def wait_for(what, predicate, bound=BOUND_S):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    raise TimeoutError(what)


def log_has(path, text):
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except OSError:
        return False


def links(workdir, names):
    """One-letter links in workdir (net_pcap re-parses 63 characters)."""
    os.makedirs(workdir, exist_ok=True)
    for letter, target in names.items():
        path = os.path.join(workdir, letter)
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)


class Group:
    """Processes in one process group, the first one its leader."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []

    def start(self, name, argv, stdin=subprocess.DEVNULL, ready=READY):
        log = os.path.join(self.workdir, name + ".log")
        pgid = self.procs[0][1].pid if self.procs else 0
        p = subprocess.Popen(argv, cwd=self.workdir, stdin=stdin,
                             stdout=open(log, "w"), stderr=subprocess.STDOUT,
                             process_group=pgid)
        self.procs.append((name, p, log))
        wait_for("%s ready" % name, lambda: log_has(log, ready) or p.poll() is not None, 20)
        if p.poll() is not None:
            raise RuntimeError("%s exited with status %d at start" % (name, p.returncode))

    def interrupt(self):
        """SIGINT to the group; the statuses, or None for a process killed."""
        os.killpg(self.procs[0][1].pid, signal.SIGINT)
        deadline = time.monotonic() + BOUND_S
        result = {}
        for name, p, log in self.procs:
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


def lab01(args, group, prefix, traffic):
    del traffic
    binary = os.path.join(args.bin_dir, "01_simple_mp", "simple_mp")
    # A prompt whose input stays open: an end of input would be a `quit`.
    group.start("primary", [binary, "-l", "0-1", "--no-pci", "--file-prefix", prefix,
                            "--proc-type=primary"], stdin=subprocess.PIPE)
    group.start("secondary", [binary, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix",
                              prefix, "--proc-type=secondary"], stdin=subprocess.PIPE)
    primary = group.procs[0][1]
    primary.stdin.write(b"send hello\n")
    primary.stdin.flush()
    log = group.procs[1][2]
    wait_for("the message received", lambda: log_has(log, "Received 'hello'"))
    return {"primary": "Messages: sent 1,", "secondary": "received 1,"}


def lab02(args, group, prefix, traffic):
    binary = os.path.join(args.bin_dir, "02_symmetric_mp", "symmetric_mp")
    names, vdevs = {}, []
    letters = iter("abcdefgh")
    for port in (0, 1):
        rx = [next(letters) for _ in (0, 1)]
        tx = [next(letters) for _ in (0, 1)]
        for q, letter in enumerate(rx):
            names[letter] = "%s/p%dq%d.pcap" % (traffic, port, q)
        for letter in tx:
            names[letter] = "/dev/null"
        vdevs.append("--vdev=net_pcap%d,%s,%s" % (
            port, ",".join("rx_pcap=" + x for x in rx), ",".join("tx_pcap=" + x for x in tx)))
    links(group.workdir, names)
    for proc_id in (0, 1):
        argv = [binary, "--lcores", "%d@0,%d@1" % (2 * proc_id, 2 * proc_id + 1), "--no-pci",
                "--file-prefix", prefix, "--proc-type=auto"]
        argv += vdevs if proc_id == 0 else []
        argv += ["--", "-p", "3", "--num-procs", "2", "--proc-id", str(proc_id)]
        group.start("proc%d" % proc_id, argv)
    wait_for("the traffic received", lambda: all(
        queue_packets(prefix, port, "rx", q) >= expected(traffic, port, q)
        for port in (0, 1) for q in (0, 1)))
    return {"proc0": "Port 1: Bad IP checksum", "proc1": "Port 1: Bad IP checksum"}


def lab03(args, group, prefix, traffic):
    bindir = os.path.join(args.bin_dir, "03_client_server")
    names = {"a": traffic + "/p0q0.pcap", "b": "/dev/null", "c": "/dev/null",
             "d": traffic + "/p1q0.pcap", "e": "/dev/null", "f": "/dev/null"}
    links(group.workdir, names)
    group.start("server", [os.path.join(bindir, "mp_server"), "-l", "0", "--no-pci",
                           "--file-prefix", prefix, "--proc-type=primary",
                           "--vdev=net_pcap0,rx_pcap=a,tx_pcap=b,tx_pcap=c",
                           "--vdev=net_pcap1,rx_pcap=d,tx_pcap=e,tx_pcap=f",
                           "--", "-p", "3", "-n", "2"])
    for client in (0, 1):
        group.start("client%d" % client, [os.path.join(bindir, "mp_client"), "--lcores",
                                          "%d@1" % (client + 1), "--no-pci", "--file-prefix",
                                          prefix, "--proc-type=secondary", "--", "-n", str(client)])
    # Round-robin: each client sends half of the 2 x FRAMES.
    wait_for("the traffic sent", lambda: all(
        sum(queue_packets(prefix, port, "tx", client) for port in (0, 1)) >= FRAMES
        for client in (0, 1)))
    return {"server": "Final statistics", "client0": "Client 0: dequeued",
            "client1": "Client 1: dequeued"}


def lab04(args, group, prefix, traffic):
    del traffic
    binary = os.path.join(args.bin_dir, "04_hotplug_mp", "hotplug_mp")
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


def expected(traffic, port, queue):
    with open(os.path.join(traffic, "expected.txt")) as f:
        for line in f:
            w = line.split()
            if w[:4] == ["port", str(port), "queue", str(queue)]:
                return int(w[w.index("frames") + 1])
    raise ValueError("no figures for port %d queue %d" % (port, queue))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab", choices=["01", "02", "03", "04"])
    parser.add_argument("runs", type=int)
    parser.add_argument("--bin-dir", default=os.path.join(TOP, "build", "solutions"))
    args = parser.parse_args()
    work = os.path.join(TOP, "build", "flakes", "group_sigint", args.lab)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    queues = 2 if args.lab == "02" else 1
    traffic = os.path.join(work, "traffic")
    subprocess.run([os.path.join(TOOLS, "gen_traffic"), "--out", traffic, "--ports", "2",
                    "--queues", str(queues), "--frames", str(FRAMES)],
                   check=True, stdout=subprocess.DEVNULL)
    setup = {"01": lab01, "02": lab02, "03": lab03, "04": lab04}[args.lab]
    failed = 0
    base = "mpwsig%d_" % os.getpid()
    for run in range(args.runs):
        prefix = "%s%d" % (base, run)
        group = Group(os.path.join(work, "run%d" % run))
        os.makedirs(group.workdir)
        problem = None
        try:
            stats_lines = setup(args, group, prefix, traffic)
            statuses = group.interrupt()
            for name, _, log in group.procs:
                status = statuses[name]
                if status is None:
                    problem = "%s still running %d s after SIGINT" % (name, BOUND_S)
                elif status != 0:
                    problem = "%s exited with status %d" % (name, status)
                elif not log_has(log, stats_lines[name]):
                    problem = "%s printed no statistics" % name
                if problem:
                    break
        except (TimeoutError, RuntimeError) as e:
            problem = "not started: %s" % e
        finally:
            group.kill()
            remove_prefix(prefix)
        if problem:
            failed += 1
            print("run %d: %s (logs in %s)" % (run, problem, os.path.relpath(group.workdir, TOP)))
    print("%s: %d of %d runs failed" % (args.lab, failed, args.runs))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
