# SPDX-License-Identifier: BSD-3-Clause
"""The test suite's pytest plugin (make test: tests/suite/, tests/faults/,
tests/flakes/test_group_sigint.py; make test-faults).

Each row of the suite is a pytest item; pytest-xdist runs them on JOBS
workers. This plugin gives them:

- a title, what the suite prints: `param(TITLE, ...)` or
  `@pytest.mark.row(TITLE, weight=N)`, else the item's own id (a fault
  case: "fault matrix, PART: CASE"); ONLY=REGEX (the --rows option) keeps
  the rows whose titles match; heavier rows are handed out first;
- `@pytest.mark.alone`: no other row runs meanwhile (a lock every row
  takes shared, an alone one exclusive, behind a gate); handed out after
  the others, the alone rows start once those have ended;
  `@pytest.mark.last`: starts once every other row has ended (the chroots);
- the fixture `built` (the build every row uses, made once per run), and
  `batch()`: many rows judged by one run of a script (a lab's mutants,
  its TODO rows);
- `run(TITLE, ARGV)`: a command as a row, its output in build/test/<row>.log,
  under a time bound, Ctrl-C passed on to its process group;
- the report: "PASS  title  (Ns)" per row (a failure with its log's end),
  build/test/results.json (with each row's CPU seconds), a last row that
  finds what the run left behind, the host's time, and the closing line
  "N passed, N failed".
"""
import fcntl
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[3]
LOGS = Path(os.environ.get("SUITE_LOGS", TOP / "build" / "test"))
ALONE_LOCK = LOGS / ".alone.lock"
ALONE_GATE = LOGS / ".alone.gate"
# Held by the controller until every row but the last ones has ended.
HOST_LOCK = LOGS / ".host.lock"
LAST_IDS = LOGS / ".last"
# Held by the controller until every row neither alone nor last has ended.
ROWS_LOCK = LOGS / ".rows.lock"
ALONE_IDS = LOGS / ".alone"
LEFTOVERS = "nothing left behind by the whole suite"
LEFTOVERS_ID = f"tests/suite::{LEFTOVERS}"


def title_of(item):
    """What the suite prints of ITEM: its row's title, else its parameters'
    id or its docstring's first line (a fault case: "fault matrix, PART: ...")."""
    row = item.get_closest_marker("row")
    if row and row.args:
        return row.args[0]
    callspec = getattr(item, "callspec", None)
    text = callspec.id if callspec else ((item.function.__doc__ or "").strip().splitlines() or [item.name])[0]
    part = re.match(r"tests/faults/test_(\w+)\.py::", item.nodeid)
    return f"fault matrix, {part[1]}: {text}" if part else text


def weight_of(item):
    """A row's weight, about its seconds: the heaviest are handed out first."""
    row = item.get_closest_marker("row")
    return row.kwargs.get("weight", 0) if row else 0


def ordered(items):
    """The order in which rows are handed out: heaviest first; the fault
    cases spread evenly among them; then the rows that run alone, then the
    last ones. A fault case mostly waits on processes: run as one block,
    they left the two cores two-thirds idle for 70 s, where beside the
    others they fill the gaps. A row that runs alone waits for every row
    running: among the first, for a minute-long batch of mutants, with one
    core busy; at the end, for the short rows there."""
    def kind(item):
        if item.get_closest_marker("last"):
            return "last"
        if item.get_closest_marker("alone"):
            return "alone"
        return "waiting" if item.nodeid.startswith("tests/faults/") else "row"

    rows = sorted(items, key=weight_of, reverse=True)
    head, waiting, alone, last = ([item for item in rows if kind(item) == k] for k in ("row", "waiting", "alone", "last"))
    # The fault cases' parts mixed, each spread over the whole: a part's
    # cases wait alike (the kills' several seconds each).
    parts, position = {}, {}
    for item in waiting:
        parts.setdefault(item.nodeid.split("::")[0], []).append(item)
    for part in parts.values():
        for i, item in enumerate(part):
            position[item.nodeid] = (i + 0.5) / len(part)
    waiting.sort(key=lambda item: position[item.nodeid])
    out, placed = [], 0
    for k, item in enumerate(head, 1):
        out.append(item)
        # After k of the others, k/len(head) of the fault cases.
        while placed < k * len(waiting) // len(head):
            out.append(waiting[placed])
            placed += 1
    return out + waiting[placed:] + alone + last


def log_path(title):
    safe = re.sub(r"[^A-Za-z0-9]+", "_", title)[:80].strip("_")
    return LOGS / f"{safe}.log"


def tail(path, lines=15):
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("      | " + line for line in text[-lines:])


def run(title, argv, bound=900, env=None, log=None, cwd=TOP):
    """ARGV as the row TITLE: its output in LOG (the row's log file), its
    status 0 or the row fails, with the log's end. A process group of its
    own: on a time-out the whole group is stopped, and Ctrl-C (which this
    worker gets) is passed on to it, then waited for."""
    log = Path(log or log_path(title))
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=cwd, env=None if env is None else {**os.environ, **env},
                                start_new_session=True)
        try:
            status = proc.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            stop(proc, signal.SIGTERM)
            pytest.fail(f"still running after {bound} s, stopped ({rel(log)}):\n{tail(log)}", pytrace=False)
        except BaseException:
            stop(proc, signal.SIGINT)
            raise
    if status != 0:
        pytest.fail(f"exit status {status} ({rel(log)}):\n{tail(log)}", pytrace=False)
    return log


def stop(proc, sig, grace=30):
    """SIG to PROC's group, then SIGKILL after GRACE seconds; waited for."""
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def rel(path):
    try:
        return str(Path(path).relative_to(TOP))
    except ValueError:
        return str(path)


@contextmanager
def locked(path, mode=fcntl.LOCK_EX):
    """PATH's lock (a file of this run's) while the block runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, mode)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


LABS = sorted(p.name for p in (TOP / "solutions").glob("[0-9][0-9]_*") if p.is_dir())
BUILD = "every solution and skeleton builds with -Wall -Wextra -Werror"


def param(title, *values, weight=0, group=None, alone=False, last=False):
    """One row: pytest.param(VALUES) with its title (and xdist group)."""
    marks = [pytest.mark.row(title, weight=weight)]
    if group:
        marks.append(pytest.mark.xdist_group(group))
    if alone:
        marks.append(pytest.mark.alone)
    if last:
        marks.append(pytest.mark.last)
    return pytest.param(*values, marks=marks, id=re.sub(r"\s+", "_", title)[:100])


@pytest.fixture(scope="session")
def built():
    """The build that every row uses, made once per run whichever worker
    asks first (two makes of one program at once would race). Twice as
    many jobs as cores: a lab's links and one-file compiles would leave a
    core idle. The skeletons after the solutions: ccache compiles only
    what differs."""
    status_file = LOGS / ".build.status"
    with locked(LOGS / ".build.lock"):
        if not status_file.exists():
            log = LOGS / "build.log"
            status = 0
            with open(log, "wb") as out:
                for goal in ("solutions", "pristine"):
                    status = status or subprocess.run(["make", "--no-print-directory", f"-j{2 * os.cpu_count()}", goal],
                                                      cwd=TOP, stdout=out, stderr=subprocess.STDOUT,
                                                      stdin=subprocess.DEVNULL).returncode
            status_file.write_text(str(status))
    if status_file.read_text() != "0":
        pytest.fail(f"the build failed: {rel(LOGS / 'build.log')}", pytrace=False)


_batches = {}


def group_of(item):
    """ITEM's xdist group (param's group), or None."""
    mark = item.get_closest_marker("xdist_group")
    return mark.args[0] if mark else None


def batch(request, kind, lab, key, argv, verdicts, env=None):
    """KEY's verdict of a batch: ARGV (the script and the lab) run once per
    worker over every selected row of the same xdist group (which keeps them
    on one worker), each key's verdict in VERDICTS/KEY.verdict, "STATUS
    SECONDS" then what it says."""
    group = group_of(request.node)
    if group not in _batches:
        keys = [item.callspec.params["key"] for item in request.session.items if group_of(item) == group]
        for k in keys:
            Path(verdicts, f"{k}.verdict").unlink(missing_ok=True)
        log = LOGS / f"job-{group}.log"
        try:
            run(f"{kind} of {lab}", argv + keys, bound=1500, log=log, env=env)
        except pytest.fail.Exception:
            pass  # each row reads its own verdict
        _batches[group] = log
    path = Path(verdicts, f"{key}.verdict")
    try:
        status, _, text = path.read_text().partition("\n")
    except OSError:
        pytest.fail(f"no verdict: {rel(argv[0])} stopped before it (its log: {rel(_batches[group])})",
                    pytrace=False)
    if status.split()[0] != "0":
        pytest.fail(f"{text.strip()}\n(the run of the checks: {rel(verdicts)}/check*.log)", pytrace=False)


def pytest_addoption(parser):
    parser.addoption("--rows", default="", help="only the rows whose titles match this regex (make test ONLY=)")


def is_controller(config):
    return not hasattr(config, "workerinput")


def pytest_configure(config):
    config.addinivalue_line("markers", "row(title, weight=0): the row's title; heavier rows start first")
    config.addinivalue_line("markers", "alone: no other row runs beside this one")
    config.addinivalue_line("markers", "last: starts once every other row has ended (the chroots': the host's "
                            "time is the rest)")
    if not is_controller(config):
        return
    # The rows' environment, which the workers inherit: ONLY and make's
    # own variables would reach every make check a row runs.
    for name in ("ONLY", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        os.environ.pop(name, None)
    # Every --file-prefix of this run starts with it: the last row looks
    # for this run's leftovers alone (another user's run has its own).
    os.environ.setdefault("H_PREFIX_BASE", f"mpw{os.getpid()}S")
    # Every check runs, however long a lab takes: a row's verdict must not
    # depend on the machine's speed (mpwcheck.plugin's LAB_BOUND).
    os.environ["MPW_LAB_BOUND"] = "0"
    # One compiler cache for every copy of the tree the rows build.
    os.environ.setdefault("CCACHE_DIR", str(TOP / "build" / "ccache"))
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    if config.getoption("--rows"):
        os.environ["SUITE_ROWS"] = config.getoption("--rows")
    import shutil
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    config._suite = Report(config)
    config.pluginmanager.register(config._suite, "mpw-suite-report")


def pytest_collection_modifyitems(config, items):
    regex = config.getoption("--rows") or os.environ.get("SUITE_ROWS", "")
    if regex:
        keep = [item for item in items if re.search(regex, title_of(item))]
        dropped = [item for item in items if item not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    items[:] = ordered(items)
    # For the controller, which collects nothing under xdist: which rows wait.
    for path, marker in ((LAST_IDS, "last"), (ALONE_IDS, "alone")):
        path.write_text("".join(f"{item.nodeid}\n" for item in items if item.get_closest_marker(marker)))


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # The title travels with the report, from an xdist worker to the
    # controller; with the tear-down's, the CPU seconds of the processes
    # the row started and waited for (a worker runs one row at a time).
    outcome = yield
    report = outcome.get_result()
    report.user_properties.append(("row", title_of(item)))
    if call.when == "teardown":
        report.user_properties.append(("cpu", round(children_cpu() - item.mpw_cpu, 1)))


def pytest_report_teststatus(report, config):
    # The rows' own lines (Report.record), not pytest's dots.
    if report.when == "call" or not report.passed:
        return report.outcome, "", ""


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """An item marked alone waits until no other runs, and none starts
    beside it: every item holds the lock shared, an alone one exclusive,
    behind a gate that stops new items from taking theirs meanwhile. The
    wait is outside pytest-timeout's bound (tryfirst: the outer wrapper).
    Under xdist an alone one first waits for every other row but the last
    ones to end (they are handed out before it): the alone ones then run
    back to back, rather than each waiting for the rows that started
    between them."""
    mode = fcntl.LOCK_EX if item.get_closest_marker("alone") else fcntl.LOCK_SH
    if hasattr(item.config, "workerinput"):
        if item.get_closest_marker("last"):
            with locked(HOST_LOCK, fcntl.LOCK_SH):
                pass
        elif mode == fcntl.LOCK_EX:
            with locked(ROWS_LOCK, fcntl.LOCK_SH):
                pass
    item.mpw_cpu = children_cpu()
    with ExitStack() as gate:
        gate.enter_context(locked(ALONE_GATE, mode))
        with locked(ALONE_LOCK, mode):
            if mode == fcntl.LOCK_SH:
                gate.close()
            yield


class Report:
    """The controller's account of the rows (xdist's reports come here)."""

    def __init__(self, config):
        self.config = config
        self.rows = []
        self.counts = {"passed": 0, "failed": 0, "skipped": 0}
        self.start = time.monotonic()
        self.host_end = None
        # Every row but the last ones, until each has ended; then the lock
        # that the last ones wait for goes.
        self.others = None
        self.host_lock = open(HOST_LOCK, "w")
        fcntl.flock(self.host_lock, fcntl.LOCK_EX)
        # The same for the rows neither alone nor last, and the alone ones.
        self.regular = None
        self.rows_lock = open(ROWS_LOCK, "w")
        fcntl.flock(self.rows_lock, fcntl.LOCK_EX)
        self.selected = bool(config.getoption("--rows"))
        self.pending = {}

    def pytest_xdist_node_collection_finished(self, node, ids):
        if self.others is None:
            last, alone = (set(path.read_text().split("\n")) if path.exists() else set()
                           for path in (LAST_IDS, ALONE_IDS))
            self.others = set(ids) - last
            self.regular = self.others - alone
            self.host_done()

    def host_done(self, nodeid=None):
        """NODEID has ended: when no row but the alone and last ones is left,
        the alone ones may start; when no row but the last ones, the host's
        time ends and the last ones may start."""
        if self.regular is not None and not self.rows_lock.closed:
            self.regular.discard(nodeid)
            if not self.regular:
                self.rows_lock.close()
        if self.others is None or self.host_end is not None:
            return
        self.others.discard(nodeid)
        if not self.others:
            self.host_end = time.monotonic()
            fcntl.flock(self.host_lock, fcntl.LOCK_UN)

    def pytest_runtest_logreport(self, report):
        # One line per row, once its tear-down has ended: the set-up's,
        # call's and tear-down's seconds (the build happens in a set-up),
        # and the first phase that did not pass, else the call's.
        row = self.pending.setdefault(report.nodeid, {"seconds": 0.0, "report": None})
        row["seconds"] += report.duration
        row["cpu"] = dict(report.user_properties).get("cpu", row.get("cpu"))
        if row["report"] is None or (row["report"].passed and (report.when == "call" or not report.passed)):
            row["report"] = report
        # ("???": pytest-xdist's report of an item whose worker crashed.)
        if report.when in ("teardown", "???") or report.nodeid == LEFTOVERS_ID:
            del self.pending[report.nodeid]
            self.host_done(report.nodeid)
            self.record(row["report"], row["seconds"], row.get("cpu"))

    def record(self, report, seconds, cpu=None):
        title = dict(report.user_properties).get("row", report.nodeid)
        outcome = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[report.outcome]
        self.counts[report.outcome] += 1
        secs = round(seconds)
        detail = ""
        if report.failed:
            detail = str(report.longrepr.reprcrash.message if hasattr(report.longrepr, "reprcrash")
                         and report.longrepr.reprcrash else report.longrepr)
        elif report.skipped and isinstance(report.longrepr, tuple):
            detail = report.longrepr[2]
        # When it ended, since the run began, and on which worker: the run's
        # timeline, to find the cores left idle.
        node = getattr(getattr(report, "node", None), "gateway", None)
        self.rows.append({"outcome": outcome, "name": title, "seconds": secs, "cpu": cpu, "detail": detail,
                          "end": round(time.monotonic() - self.start), "worker": getattr(node, "id", None)})
        write = self.config.get_terminal_writer()
        write.line(f"{outcome}  {title}  ({secs}s)")
        if report.failed:
            text = str(report.longrepr)
            lines = text.splitlines()
            write.line("\n".join(lines[-20:]) if lines[0].startswith("      |") else
                       "\n".join("      " + line for line in lines[-20:]))
        elif report.skipped and detail:
            write.line("      " + detail)

    def leftovers(self):
        """The run's own prefixes: no process, no file of them."""
        base = os.environ["H_PREFIX_BASE"]
        procs = subprocess.run(["pgrep", "-f", "--", f"--file-prefix {base}"],
                               capture_output=True, text=True).stdout.split()
        from mpwcheck import prefixes
        files = list(prefixes.prefixes(base))
        return procs, files

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        # The last row, once every other has ended (the whole run only). Not
        # after a Ctrl-C: the rows' processes are still stopping then, and
        # it would blame them (the fault matrix judges that clean-up).
        if self.selected or not self.rows or exitstatus == pytest.ExitCode.INTERRUPTED:
            return
        procs, files = self.leftovers()
        report = pytest.TestReport(nodeid=LEFTOVERS_ID, location=("tests/suite", 0, LEFTOVERS),
                                   keywords={}, outcome="failed" if procs or files else "passed",
                                   longrepr=(f"left behind: processes {procs}, files of the prefixes {files}"
                                             if procs or files else None), when="call",
                                   user_properties=[("row", LEFTOVERS)])
        self.config.hook.pytest_runtest_logreport(report=report)

    def pytest_unconfigure(self, config):
        self.host_lock.close()
        self.rows_lock.close()
        end = time.monotonic()
        host = (self.host_end or end) - self.start
        last = self.host_end is not None and round(end - self.host_end) > 0
        distros = f", then {round(end - self.host_end)} s for the distribution rows" if last else ""
        (LOGS / "results.json").write_text(json.dumps({"rows": self.rows}, indent=1))
        skipped = self.counts["skipped"]
        sys.stdout.write(f"time: {round(host)} s on this machine{distros}\n"
                         f"{self.counts['passed']} passed, {self.counts['failed']} failed"
                         + (f", {skipped} skipped" if skipped else "") + "\n")
        sys.stdout.flush()
