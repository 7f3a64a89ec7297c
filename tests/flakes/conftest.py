# SPDX-License-Identifier: BSD-3-Clause
"""What can fail now and then, repeated (make test-flakes): each row RUNS
times, one item a run ("ROW (run N of RUNS)"), then each row's failures out
of RUNS. Run with:

  PYTHONPATH=tests/lib /usr/bin/python3 -m pytest -p no:cacheprovider --rootdir=. \\
      -o python_files='test_*.py' tests/flakes

RUNS: the runs of each row (5). LOAD=N: N busy-looping processes beside
them, as a loaded machine would have (0). FLAKES_ONLY=REGEX: only the rows
whose names match (make test-flakes ONLY=REGEX). The rows:
test_group_sigint.py, one Ctrl-C to each lab's process group;
test_repeat.py, every lab's check, the demo, the fault matrix's kill cases.
"""

import os
import re
import signal
import subprocess

import pytest

from mpwcheck import procs

RUNS = os.environ.get("RUNS", "5")
LOAD = os.environ.get("LOAD", "0")
# A run's own name: its row's, then " (run N of RUNS)".
RUN = re.compile(r" \(run [0-9]+ of [0-9]+\)$")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def pytest_configure(config):
    for knob, value in (("RUNS", RUNS), ("LOAD", LOAD)):
        if not value.isdigit():
            raise pytest.UsageError(f"flakes: {knob} must be a whole number, not '{value}'")
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    config.flakes_loaders = []
    config.flakes_failures = {}
    if not hasattr(config, "workerinput"):
        # The controller's alone: with xdist, LOAD loops, not LOAD a worker.
        config.flakes_loaders = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(int(LOAD))]


def pytest_unconfigure(config):
    for p in config.flakes_loaders:
        p.kill()
        p.wait()


def ours(nodeid):
    """Whether NODEID is a run of a row here (hooks are global: a run may
    hold other items too)."""
    return "tests/flakes/" in nodeid


def pytest_collection_modifyitems(config, items):
    """FLAKES_ONLY=REGEX: the runs of the rows whose names match."""
    only = os.environ.get("FLAKES_ONLY")
    if not only:
        return
    keep = [item for item in items if not ours(item.nodeid) or re.search(only, row(item.nodeid))]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def row(nodeid):
    name = nodeid[nodeid.index("[") + 1:-1] if nodeid.endswith("]") else nodeid
    return RUN.sub("", name)


def pytest_sessionfinish(session):
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    procs.cleanup()


def pytest_runtest_logreport(report):
    if ours(report.nodeid) and (report.when == "call" or (report.when == "setup" and not report.passed)):
        rows = pytest_runtest_logreport.rows
        runs, failed = rows.get(row(report.nodeid), (0, 0))
        rows[row(report.nodeid)] = (runs + 1, failed + (0 if report.passed or report.skipped else 1))


pytest_runtest_logreport.rows = {}


def pytest_terminal_summary(terminalreporter):
    rows = pytest_runtest_logreport.rows
    if not rows:
        return
    terminalreporter.section(f"flakes: the failures of each row, {LOAD} busy-looping processes beside them")
    for name, (runs, failed) in rows.items():
        terminalreporter.write_line(f"{failed:3d} of {runs} failed ({100 * failed // max(runs, 1)}%)  {name}")
