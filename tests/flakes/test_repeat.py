# SPDX-License-Identifier: BSD-3-Clause
"""Rows that make test-flakes repeats RUNS times (5) on the solutions: every
lab's check, the demo, and the fault matrix's kill cases
(tests/faults/test_kills.py), each run a command of its own; the log of a
failed run stays in build/flakes/ROW/runN.log. (One Ctrl-C to each lab's
process group: test_group_sigint.py.)"""

import os
import re
import signal
import subprocess
import sys

import pytest

from mpwcheck import procs

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(TOP, "build", "flakes")
RUNS = int(os.environ.get("RUNS", "5"))
BOUND_S = 600

pytestmark = pytest.mark.timeout(BOUND_S + 60)

PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--rootdir={TOP}", "-o", "python_files=test_*.py",
          "-q"]
ROWS = {
    **{f"lab {lab} check": ["make", "--no-print-directory", "-C", TOP, "check", f"LAB={lab}", "SOLUTION=1"]
       for lab in ("01", "02", "03", "04")},
    "the demo": [os.path.join(TOP, "scripts", "demo.sh")],
    "the fault matrix's kill cases": [*PYTEST, os.path.join(TOP, "tests", "faults", "test_kills.py")],
}


@pytest.mark.parametrize("name,run", [pytest.param(name, run, id=f"{name} (run {run} of {RUNS})")
                                      for name in ROWS for run in range(1, RUNS + 1)])
def test_row(name, run):
    directory = os.path.join(WORK, re.sub(r"[^A-Za-z0-9]", "_", name))
    os.makedirs(directory, exist_ok=True)
    log = os.path.join(directory, f"run{run}.log")
    # A run of its own: its logs and results (H_CHECK_ROOT, F_MATRIX), its prefixes
    # under this run's, and none of the ONLY= or make's flags that
    # picked the rows (make check would take ONLY= for its checks').
    env = dict(os.environ, H_CHECK_ROOT=os.path.join(directory, f"check{run}"),
               F_MATRIX=os.path.join(directory, f"matrix{run}.tsv"),
               H_PREFIX_BASE=f"{procs.PREFIX_BASE}r{run}_", PYTHONPATH=os.path.join(TOP, "tests", "lib"))
    for knob in ("ONLY", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MPW_FAULTS_RUN", "PYTEST_XDIST_WORKER"):
        env.pop(knob, None)
    with open(log, "wb") as out:
        p = subprocess.Popen(ROWS[name], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                             cwd=TOP, process_group=0)
    try:
        status = p.wait(BOUND_S)
    except subprocess.TimeoutExpired:
        status = f"still running after {BOUND_S} s"
    finally:
        # Its whole group, on a time-out or an interrupt (its DPDK
        # processes, in sessions of their own, go at the session's end).
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    if status != 0:
        with open(log, errors="replace") as f:
            tail = " | ".join(f.read().strip().splitlines()[-2:])
        pytest.fail(f"\n  expected: status 0\n  seen:     status {status}: {tail} (log: {os.path.relpath(log, TOP)})",
                    pytrace=False)
    os.unlink(log)
