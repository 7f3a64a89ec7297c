# SPDX-License-Identifier: BSD-3-Clause
"""Lab 02 on real ports (make check LAB=02 PORTS="0000:3b:00.0 0000:3b:00.1").

The traffic comes from outside, so no figure can be known in advance. What
holds for any traffic is checked instead, per process and port pair:
RX(p) = TX(p^1) + Drop(p^1) + bad checksums(p), and every process received
something (RSS used every queue). Send traffic of many flows into the ports
while it runs (DURATION seconds, default 10)."""

import os
import re
import time

import pytest

from mpwcheck import procs
from mpwcheck.verdict import expect

LAB = "02_symmetric_mp"
check = pytest.mark.check

READY = "APP: Finished Process Init."
NPROCS = 2
DURATION = float(os.environ.get("DURATION", "10"))


@pytest.fixture(scope="module")
def hw_run(lab):
    """Serves every check: NPROCS processes on the ports for DURATION
    seconds (the time the user's traffic has), then SIGINT to each, the
    secondaries first."""
    mask = lab.port_mask()
    allow = lab.port_args()
    # A secondary creates no vdev: it finds the primary's.
    secondary_allow = [a for a in allow if not a.startswith("--vdev=")]
    prefix = lab.prefix("hw")
    started = []
    for proc_id in range(NPROCS):
        p = lab.start(f"proc{proc_id}", [
            f"{lab.bin}/symmetric_mp", "--lcores", f"{2 * proc_id}@0,{2 * proc_id + 1}@1",
            *(allow if proc_id == 0 else secondary_allow), "--file-prefix", prefix, "--proc-type=auto",
            "--", "-p", mask, "--num-procs", NPROCS, "--proc-id", proc_id])
        p.ready = p.wait_for(READY, 1, 30)
        started.append(p)
        if not p.ready:
            break
    if all(p.ready for p in started):
        time.sleep(DURATION)  # not a wait for an event: the window the traffic is measured in
    for p in reversed(started):
        procs.sigint(p)
    return started


def port_table(p):
    """{port: (rx, tx, drop, bad checksums)} from P's statistics."""
    counts, bad = {}, {}
    for line in p.text().splitlines():
        m = re.match(r"^Port (\d+): RX - (\d+), TX - (\d+), Drop - (\d+)", line)
        if m:
            counts[int(m[1])] = tuple(map(int, m.groups()[1:]))
        m = re.match(r"^Port (\d+): Bad IP checksum - (\d+), Bad L4 checksum - (\d+)", line)
        if m:
            bad[int(m[1])] = int(m[2]) + int(m[3])
    return {port: (*c, bad.get(port, 0)) for port, c in counts.items()}


@check(f"{NPROCS} processes start on the real ports", 1, 2, 3)
def test_processes_start(hw_run):
    for proc_id, p in enumerate(hw_run):
        expect(p.ready, f"'{READY}' from process {proc_id}", lambda: p.tail(3))
    expect(len(hw_run) == NPROCS, f"{NPROCS} processes", f"{len(hw_run)} started")


def per_process(kind, title, *todos):
    return [pytest.param(proc_id, kind, id=f"{kind}{proc_id}", marks=check(f"process {proc_id}: {title}", *todos))
            for proc_id in range(NPROCS)]


@pytest.mark.parametrize("proc_id, kind", [
    param for pair in zip(
        per_process("balance", "every frame received was sent, refused or dropped for its checksum", 4, 5),
        per_process("traffic", "its queue received traffic (RSS spreads flows over every queue)", 2, 3))
    for param in pair])
def test_process_figures(hw_run, proc_id, kind):
    expect(proc_id < len(hw_run), f"process {proc_id} started", "it did not", 1, 2, 3)
    p = hw_run[proc_id]
    table = port_table(p)
    expect(table, "statistics on SIGINT", lambda: p.tail(2), 1, 2, 3)
    if kind == "traffic":
        total = sum(rx for rx, _, _, _ in table.values())
        expect(total > 0, f"frames received on queue {proc_id}", "none: send traffic of many flows, or RSS is off")
        return
    for a in sorted(table)[::2]:
        b = a ^ 1
        rxa, txa, dropa, bada = table[a]
        rxb, txb, dropb, badb = table.get(b, (0, 0, 0, 0))
        expect(rxa == txb + dropb + bada, f"port {a}: RX = port {b} TX + Drop + bad checksums",
               f"{rxa} != {txb} + {dropb} + {bada}")
        expect(rxb == txa + dropa + badb, f"port {b}: RX = port {a} TX + Drop + bad checksums",
               f"{rxb} != {txa} + {dropa} + {badb}")
