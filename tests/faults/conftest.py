# SPDX-License-Identifier: BSD-3-Clause
"""The fault matrix's hooks and fixtures (tests/faults/test_*.py; their
library: mpwcheck.faults). Run by make test-faults
(alone) and make test (among the suite's rows), on the suite's plugin
mpwcheck.suite, which runs an item marked alone with no other beside it.

F_MATRIX: where the table goes (build/faults/matrix.tsv: result, part,
case, expected, seen; one line a case).
"""

import os
import re
import shutil
import signal

import pytest

from mpwcheck import mountns, procs
from mpwcheck.faults import WORK, Case

MATRIX = os.environ.get("F_MATRIX") or os.path.join(WORK, "matrix.tsv")


# -- the run -----------------------------------------------------------------------
def _interrupt(signum, frame):
    raise KeyboardInterrupt


def pytest_configure(config):
    # SIGTERM (a CI's time-out) and SIGHUP stop a run as Ctrl-C does: its
    # processes and files go (pytest_sessionfinish).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    if not hasattr(config, "workerinput"):
        # The last run's shared processes' logs (each run's own directories).
        shutil.rmtree(os.path.join(WORK, "shared"), ignore_errors=True)
        os.makedirs(os.path.dirname(MATRIX), exist_ok=True)
        open(MATRIX, "w").close()  # pylint: disable=consider-using-with


def pytest_sessionfinish(session):
    # A second Ctrl-C must not cut the clean-up short.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    procs.cleanup()


def pytest_runtest_logreport(report):
    """A line of the matrix per case, by the process that reports (the
    controller under xdist): result, part, case, expected, seen."""
    # (A global hook: a run may hold other items than the matrix's.)
    if os.environ.get("PYTEST_XDIST_WORKER") or "tests/faults/" not in report.nodeid or not (
            report.when == "call" or (report.when == "setup" and not report.passed)):
        return
    props = dict(report.user_properties)
    result = "PASS" if report.passed else "SKIP" if report.skipped else "FAIL"
    seen = props.get("seen")
    if seen is None:  # an error before the case's verdict: its last line
        if report.skipped and isinstance(report.longrepr, tuple):
            seen = report.longrepr[2]
        else:
            seen = (str(report.longrepr or "").strip().splitlines() or [""])[-1]
    part = report.nodeid.split("::")[0].rsplit("/", 1)[-1][len("test_"):-len(".py")]
    nodeid = report.nodeid
    text = props.get("case") or (nodeid[nodeid.index("[") + 1:-1] if nodeid.endswith("]") else nodeid)
    fields = [result, part, text, props.get("expected", ""), seen or ""]
    with open(MATRIX, "a") as f:
        f.write("\t".join(re.sub(r"[\t\n]", " ", str(x)) for x in fields) + "\n")


# -- the fixtures ----------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def solutions_built(built):
    """The solutions and the traffic tools: the suite's build (mpwcheck.suite's
    built, once a run), never a make of them of a case's own, which would race
    with it (a fault case among make test's first rows linked a half-written
    object once)."""


@pytest.fixture
def mount_ns(case):
    """A mount namespace of the case's own (mpwcheck.mountns)."""
    with mountns.private() as ns:
        if isinstance(ns, str):
            case.verdict(False, "a private mount namespace", ns)
        yield ns


@pytest.fixture
def case(request):
    c = Case(request.node)
    try:
        yield c
    finally:
        c.finish()


