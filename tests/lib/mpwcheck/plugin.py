# SPDX-License-Identifier: BSD-3-Clause
"""The lab checks' pytest plugin: which copy of a lab is checked (--lab), the
`lab` fixture that starts its processes, the report a student reads (one
line per check, what was expected and seen, the TODOs to look at), and the
results for machines (results.json beside pytest's junit.xml).

Copies (--copy): several builds of one lab in one run, each checked by one
check of its own (the kit's mutants: tests/mutant_test.sh); the lab's
fixtures are parametrized over them, one copy after the other.

A check is a test marked @check("title", TODO..., needs=[TODO...]) in
tests/NN_name/: the TODOs it judges, and those it cannot judge without.
When a skeleton's stub of one of them has run (it says "TODO N (FILE:LINE)
is not done yet"), the check's outcome is known: it fails (its own TODO) or
is not checked yet (do TODO N first), and a check decided so before it
starts does not run.

A check that fails on a student's copy names the TODO found by substitution
(substitute.py: each TODO the student wrote, alone in the reference
solution, run through the failing check), or the function outside the TODOs;
where that cannot be done, the check's own reasoning, said as a guess.
"""

import contextlib
import fcntl
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

import pytest

from . import prefixes, procs, substitute, verdict

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LOADER_ERROR = "error while loading shared libraries"


def rel(path):
    return os.path.relpath(path, TOP) if path.startswith(TOP + os.sep) else path


class Lab:
    """One lab's programs (BIN), the sources they were built from (SRC) and
    the directory of this run's logs (WORK)."""

    def __init__(self, name, bin_dir, src, work_root, ports=(), copy=None, only=None, tag=""):
        self.name = name
        self.bin = os.path.abspath(bin_dir)
        self.src = os.path.abspath(src)
        # A copy (--copy): its name, the one check it is checked by, and a
        # tag that keeps its prefixes apart from the other copies'.
        self.copy, self.only, self.tag = copy, only, tag
        # Real ports (PORTS=): their logs apart, as their figures are not ours.
        variant = "hardware" if ports else os.path.basename(os.path.dirname(self.src))
        self.work = os.path.join(work_root, copy) if copy else os.path.join(work_root, variant, name)
        self.ports = list(ports)
        self.top = TOP
        self.procs = []
        self.prefixes = set()
        self._tools = None

    def port_args(self):
        """The EAL options that give a program the real ports: "-a ADDR" for
        a PCI address (a NIC bound to a DPDK driver), the word itself for a
        "--vdev=..." (the suite's stand-in for NICs fed from outside), and
        --no-pci when no PCI address is among them."""
        args = []
        for port in self.ports:
            args += [port] if port.startswith("--vdev=") else ["-a", port]
        return args if "-a" in args else args + ["--no-pci"]

    def port_mask(self):
        """The -p mask of every real port, in hex; they must come in pairs."""
        verdict.expect(len(self.ports) % 2 == 0, "an even number of ports", " ".join(self.ports),
                       verdict.NOT_YOUR_CODE)
        return f"{(1 << len(self.ports)) - 1:x}"

    def prefix(self, name):
        """A --file-prefix private to this run and lab: PREFIX_BASE, the
        lab's number, NAME. The lab's end removes what each one left."""
        prefix = f"{procs.PREFIX_BASE}{self.name[:2]}{self.tag}{name}"
        self.prefixes.add(prefix)
        return prefix

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def start(self, name, argv, cwd=None):
        """Starts ARGV as NAME, its output in WORK/NAME.log."""
        p = procs.Proc(name, argv, self.path(f"{name}.log"), cwd=cwd)
        self.procs.append(p)
        return p

    def finish(self, prefix):
        """The end of a run on PREFIX: its processes stopped, its hugepage
        files and runtime directory removed, so that the next runs find the
        machine's hugepages free."""
        procs.stop_all([p for p in self.procs if prefix in p.argv])
        procs.remove_prefix(prefix)

    def not_done(self):
        """{TODO: "FILE:LINE"} of the stubs that its processes ran so far: a
        stub that ran is a TODO not done, in every program of the lab."""
        out = {}
        for p in self.procs:
            for todo, where in p.stubs().items():
                out.setdefault(todo, where)
        return out

    def checks(self, session):
        """The session's checks of this copy of the lab."""
        return [item for item in session.items if getattr(item, "mpw_lab", None) is self]

    def stubbed(self, *todos):
        """A function for the waits' UNLESS: true once a stub of TODOS ran,
        after which what they wait for cannot come."""
        return lambda: not self.not_done().keys().isdisjoint(todos)

    @staticmethod
    @contextlib.contextmanager
    def lock(path):
        """PATH (a build of the checks' own, shared by every run) for one
        run at a time: make test runs many at once."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".lock", "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            yield

    def tools(self):
        """The built traffic tools (build/tools), built on first use."""
        if self._tools is None:
            with self.lock(os.path.join(TOP, "build", "tools")):
                out = subprocess.run(["make", "-s", "-C", os.path.join(TOP, "tools")],
                                     capture_output=True, text=True, check=False, timeout=300)
            if out.returncode != 0:
                raise RuntimeError(f"cannot build the traffic tools: {out.stderr[-300:]}")
            self._tools = os.path.join(TOP, "build", "tools")
        return self._tools

    def inspect(self, name, prefix, *objects, cwd=None):
        """tools/mp_inspect, a read-only secondary of ours, run to its end on
        PREFIX's primary for OBJECTS ("ring:NAME", "pool:NAME"): the Proc,
        with .seen, {object: the line it printed}. CWD: where a secondary must
        run to re-open the primary's port files (net_pcap)."""
        p = self.start(name, [f"{self.tools()}/mp_inspect", "--lcores", "9@0", "--no-pci", "--file-prefix", prefix,
                              "--proc-type=secondary", "--log-level=lib.eal:error", "--", *objects], cwd=cwd)
        p.wait_exit(15)
        p.seen = {}
        for line in p.lines(": "):
            kind, rest = line.split(" ", 1)
            p.seen[f"{kind}:{rest.split(':', 1)[0]}"] = line
        return p

    def tool(self, name, *args, **kwargs):
        """Runs tool NAME; its stdout."""
        out = subprocess.run([os.path.join(self.tools(), name), *map(str, args)],
                             capture_output=True, text=True, check=False, timeout=60, **kwargs)
        if out.returncode != 0:
            raise RuntimeError(f"{name} failed: {(out.stderr or out.stdout)[-300:]}")
        return out.stdout


def pytest_addoption(parser):
    group = parser.getgroup("mpw", "the workbook's lab checks")
    group.addoption("--lab", action="append", default=[], metavar="LAB:BIN_DIR:SRC_DIR",
                    help="check LAB's programs in BIN_DIR, built from SRC_DIR")
    group.addoption("--copy", action="append", default=[], metavar="NAME:CHECK:LAB:BIN_DIR:SRC_DIR",
                    help="check copy NAME of LAB (its programs in BIN_DIR, built from SRC_DIR) with CHECK alone")
    group.addoption("--only", default="", metavar="TEXT",
                    help="only the checks whose names contain TEXT")
    group.addoption("--ports", default="", metavar="PORTS",
                    help="real ports (PCI addresses, or --vdev=... words): the labs' test_hw_*.py")
    group.addoption("--work", default=os.path.join(TOP, "build", "check"),
                    help="logs in WORK/<variant>/LAB, results in WORK/results.json")


def require_machine():
    """Why no check can run here, or None."""
    total = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("HugePages_Total:"):
                total = int(line.split()[1])
    if total == 0 or not prefixes.hugetlbfs_mounts():
        return "no hugepages reserved or no hugetlbfs mounted: run 'sudo scripts/setup_hugepages.sh' first"
    if os.geteuid() != 0 and not any(os.access(m, os.W_OK | os.X_OK) for m in prefixes.hugetlbfs_mounts()):
        return ("not root, and no hugetlbfs mount is writable by you: run the checks with sudo, or have the "
                "machine's administrator run 'sudo scripts/setup_hugepages.sh --group GROUP' for a group of yours")
    return None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    config.addinivalue_line("markers", "check(title, *todos, needs=[], guards=[]): a lab check, the TODOs it "
                            "judges, those it needs done, the functions outside the TODOs it guards")
    work = os.path.abspath(config.getoption("work"))
    labs = {}
    for spec in config.getoption("lab"):
        name, bin_dir, src = spec.split(":", 2)
        labs[name] = Lab(name, bin_dir, src, work, config.getoption("ports").split())
    copies = {}
    for i, spec in enumerate(config.getoption("copy")):
        copy, only, name, bin_dir, src = spec.split(":", 4)
        if name in labs:
            raise pytest.UsageError(f"{name}: --lab or --copy, not both")
        copies.setdefault(name, []).append(Lab(name, bin_dir, src, work, copy=copy, only=only, tag=f"c{i}"))
    labs.update({f"{name}@{c.copy}": c for cs in copies.values() for c in cs})
    config.mpw_labs = labs
    config.mpw_copies = copies
    config.mpw_work = work
    if labs and not config.pluginmanager.hasplugin("timeout"):
        # Without it a hung check would have no bound of its own.
        raise pytest.UsageError("pytest-timeout is not installed: run scripts/install_deps.sh")
    if labs:
        # What a program writes has a bound, as its time has: a loop that
        # prints without end dies of SIGXFSZ at 32 MiB of log, not after
        # filling the disk (and the waits, which read its log, stay quick).
        resource.setrlimit(resource.RLIMIT_FSIZE, (LOG_LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        prefixes.private_runtime_root()
        # pytest's own report gives way to ours: it writes to /dev/null, and
        # stays registered, as pytest's assertion messages need it.
        terminal = config.pluginmanager.getplugin("terminalreporter")
        if terminal is not None:
            config.pluginmanager.unregister(terminal)
            config._mpw_devnull = open(os.devnull, "w")
            config.pluginmanager.register(type(terminal)(config, config._mpw_devnull), "terminalreporter")
        config.pluginmanager.register(Report(config), "mpw-report")
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _interrupt)


def pytest_generate_tests(metafunc):
    copies = getattr(metafunc.config, "mpw_copies", {}).get(getattr(metafunc.module, "LAB", None))
    if copies and "lab" in metafunc.fixturenames:
        metafunc.parametrize("lab", copies, indirect=True, scope="module", ids=[copy_id(c) for c in copies])


def copy_id(lab):
    return f"@{lab.copy}"


def check_name(item):
    """A check's name, as ONLY= takes it: its function's without test_, and
    its parameters' id, without a copy's."""
    name = item.name[len("test_"):] if item.name.startswith("test_") else item.name
    if item.mpw_lab is not None and item.mpw_lab.copy:
        cid = re.escape(copy_id(item.mpw_lab))
        name = re.sub(rf"\[{cid}\]$|(?<=\[){cid}-|-{cid}(?=[-\]])", "", name)
    return name


@pytest.fixture(scope="module")
def lab(request):
    """The checked copy of the module's lab (its LAB, or one of its
    --copy); every process it started is stopped when the module's checks
    of that copy are done."""
    run = getattr(request, "param", None) or request.config.mpw_labs.get(request.module.LAB)
    if run is None:
        pytest.fail(f"no --lab {request.module.LAB}:BIN:SRC given")
    yield run
    procs.stop_all(run.procs)
    for prefix in sorted(run.prefixes):
        run.finish(prefix)


def check_marker(item):
    mark = item.get_closest_marker("check")
    if mark is None or not mark.args:
        raise pytest.UsageError(f"{item.nodeid}: a check needs @check(\"title\", TODO...)")
    return (mark.args[0], list(mark.args[1:]), list(mark.kwargs.get("guards", ())),
            list(mark.kwargs.get("needs", ())))


def not_checked(n):
    return f", {n} not checked yet" if n else ""


LOG_LIMIT = 32 << 20  # bytes: a check's programs' files (their logs, their captures) at most


# Signals that a program gets from its own faults, never from the checks
# (they stop programs with SIGINT, SIGTERM and SIGKILL).
CRASHES = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGFPE, signal.SIGILL}


def crashed(lab, told):
    """(name, program, status) of LAB's processes that died of a fault, not
    yet shown (then in TOLD). The program is the first word of its command
    that is one of the lab's binaries (not nsenter's or env's)."""
    out = []
    for p in lab.procs:
        p.alive()
        if p.status is not None and p.status - 128 in CRASHES and id(p) not in told:
            told.add(id(p))
            program = next((a for a in p.argv if a.startswith(lab.bin)), p.argv[0])
            out.append((p.name, os.path.basename(program), p.status))
    return out


def not_judged(n):
    return f", {n} not judged (too few free hugepages: run it again)" if n else ""


# What a process says when it gets no hugepage memory: the start-up's
# explanation (common/mpw_eal.c), EAL's, or ENOMEM from a pool or ring.
OUT_OF_HUGEPAGES = re.compile(r"every hugepage is in use|Cannot allocate memory|[Nn]ot enough memory")


class HugepageWatch(threading.Thread):
    """Every 20 ms, for each process of this run not yet seen to exit: the
    fewest hugepages that this run's processes could have had while it ran
    (procs.Proc.low_hugepages, also sampled as it starts)."""

    def __init__(self):
        super().__init__(daemon=True)

    def run(self):
        while True:
            alive = [p for p in list(procs.STARTED) if p.popen.returncode is None]
            if alive:
                have = procs.hugepages_left()
                for p in alive:
                    p.low_hugepages = min(p.low_hugepages, have)
            time.sleep(0.02)


def hugepage_shortage(lab):
    """Why a failed check of LAB was the machine's doing, or None: a process
    of its ran out of memory while fewer hugepages were left for this run
    than a check needs (other users' and jobs' processes held the rest)."""
    lows = [p.low_hugepages for p in lab.procs if p.count_re(OUT_OF_HUGEPAGES)]
    low = min(lows, default=None)
    if low is None or low >= prefixes.PAGES_PER_CHECK:
        return None
    return (f"too few free hugepages: at times only {low} were left for this run (others held the rest of "
            f"{prefixes.hugepages_free()[1]}), a check needs up to {prefixes.PAGES_PER_CHECK}; "
            "run it again when other checks are done, or ask for more "
            "(sudo scripts/setup_hugepages.sh --group GROUP --students N)")


FAILS = "fails: "  # what wrong_todos() says of a TODO whose own check failed
# Seconds after which, once a TODO is known wrong, a lab's later checks wait
# for it to be fixed rather than run: code that floods or spins makes every
# check wait out its bounds. MPW_LAB_BOUND=0: never (make test's rows, whose
# verdicts must not depend on the machine's speed).
LAB_BOUND = float(os.environ.get("MPW_LAB_BOUND", "10"))


def undone_of(info, failure, not_done):
    """What the stubs that ran (NOT_DONE) decide of a check: ("FAIL", N,
    where its stub is) when its own TODO N is not done, ("NOT_CHECKED", N,
    ...) when a TODO it needs, or that its failure blames, is not; the
    lowest such N. None: the check decides."""
    todos = {t for t in info["todos"] + info["needs"] if t in not_done}
    if failure is not None:
        todos |= {t for t in failure["blamed"] if isinstance(t, int) and t in not_done}
    if not todos:
        return None
    todo = min(todos)
    return ("FAIL" if todo in info["todos"] else "NOT_CHECKED", todo, not_done[todo])


class Report:
    """The report a student reads, and results.json."""

    def __init__(self, config):
        self.config = config
        self.verbose = os.environ.get("V", "") not in ("", "0")
        self.results = []
        self.current = {}  # nodeid -> what its phases said
        self.last_of_lab = {}
        self.seen_labs = set()
        self.counts = {}
        self.interrupted = False
        self.items = {}
        HugepageWatch().start()
        self.crash_told = set()  # the processes whose crash a failure has shown
        self.failing = {}  # lab key -> {TODO: its own check that failed}
        self.lab_t0 = {}  # lab key -> when its first check started
        self.blames = {}  # lab key -> its substitute.Blame
        # Not within a substitution's own run, nor on real ports.
        self.substituting = not os.environ.get("MPW_SUBSTITUTED") and not config.getoption("ports")

    def wrong_todos(self, item):
        """{TODO: where} of the TODOs known wrong in this run of ITEM's lab:
        those whose stub ran (not done), and, among those that ITEM needs
        without judging them, those of which a check that judges it alone
        failed (FAILS and that check)."""
        wrong = dict(item.mpw_lab.not_done())
        for todo, check in self.failing.get(item.mpw["key"], {}).items():
            if todo in item.mpw["needs"] and todo not in item.mpw["todos"]:
                wrong.setdefault(todo, FAILS + check)
        return wrong

    def out(self, text):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    # -- collection -----------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        labs = self.config.mpw_labs
        for item in items:
            title, todos, guards, needs = check_marker(item)
            lab = item.module.LAB
            callspec = getattr(item, "callspec", None)
            item.mpw_lab = callspec.params["lab"] if callspec and "lab" in callspec.params else labs.get(lab)
            copy = item.mpw_lab.copy if item.mpw_lab else None
            key = f"{lab}@{copy}" if copy else lab
            item.mpw = {"lab": lab, "key": key, "copy": copy, "title": title,
                        "todos": todos, "guards": guards, "needs": needs, "name": check_name(item)}
        # A copy is checked by its own check alone; a check no copy of its
        # lab reaches (it uses no lab) is left out with the copies.
        kept = [i for i in items if i.mpw_lab is not None and i.mpw["name"] == (i.mpw_lab.only or i.mpw["name"])]
        # ONLY: by the checks' own names (pytest's -k would also match the
        # names of their files and directories).
        only = self.config.getoption("only")
        if only:
            kept = [i for i in kept if only in i.mpw["name"]]
        # A substitution's run (substitute.check): those checks by their exact names.
        if os.environ.get("MPW_NAMES"):
            names = os.environ["MPW_NAMES"].split("\n")
            kept = [i for i in kept if i.mpw["name"] in names]
        if len(kept) != len(items):
            self.config.hook.pytest_deselected(items=[i for i in items if i not in kept])
            items[:] = kept

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        self.items = {item.nodeid: item for item in session.items}
        for item in session.items:
            self.last_of_lab[item.mpw["key"]] = item.nodeid

    def pytest_sessionstart(self, session):
        problem = require_machine()
        if problem:
            sys.stderr.write(f"error: {problem}\n")
            pytest.exit(problem, returncode=2)
        for lab in self.config.mpw_labs.values():
            shutil.rmtree(lab.work, ignore_errors=True)
            os.makedirs(lab.work)
        os.makedirs(self.config.mpw_work, exist_ok=True)

    def pytest_collectreport(self, report):
        if report.failed:
            sys.stderr.write(f"error: the checks cannot be loaded ({report.nodeid}):\n{report.longreprtext}\n")

    # -- one check --------------------------------------------------------------
    def pytest_runtest_logstart(self, nodeid, location):
        self.current[nodeid] = {"t0": time.monotonic(), "failure": None, "procs": len(procs.STARTED)}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        verdict.judged = 0
        key = item.mpw["key"]
        run = item.mpw_lab
        if key not in self.seen_labs:
            self.seen_labs.add(key)
            self.lab_t0[key] = time.monotonic()
            self.out(f"== {key}: checking {rel(run.src)} (logs in {rel(run.work)})")
        known = self.failing.get(key)
        if known and LAB_BOUND > 0 and time.monotonic() - self.lab_t0[key] > LAB_BOUND:
            todo = min(known)
            self.current[item.nodeid]["undone"] = ("NOT_CHECKED", todo, FAILS + known[todo])
            raise verdict.Undone()
        # Known before it starts: no process of its is started.
        if undone_of(item.mpw, None, self.wrong_todos(item)):
            raise verdict.Undone()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        rep = outcome.get_result()
        state = self.current.get(item.nodeid)
        if state is None or state["failure"] is not None or "undone" in state:
            return
        if call.excinfo is not None and not call.excinfo.errisinstance(verdict.Undone):
            state["failure"] = self.explain(item, call.excinfo)
            state["traceback"] = rep.longreprtext
        elif call.when == "call" and rep.passed and verdict.judged == 0:
            rep.outcome = "failed"
            rep.longrepr = "the check returned without judging anything"
            state["failure"] = {"expected": "the check to reach a verdict",
                                "saw": "it returned without judging anything",
                                "blamed": [verdict.NOT_YOUR_CODE]}
        if call.when == "call" or call.excinfo is not None:
            undone = undone_of(item.mpw, state["failure"], self.wrong_todos(item))
            if undone:
                state["undone"] = undone
                if rep.passed:
                    rep.outcome = "failed"
                    rep.longrepr = f"TODO {undone[1]} is not done yet"

    def explain(self, item, excinfo):
        """What a failure says: expected, saw, blamed."""
        declared = item.mpw["todos"]
        e = excinfo.value
        if isinstance(e, verdict.CheckFailure):
            return {"expected": e.expected, "saw": e.saw,
                    "blamed": declared if e.todos is None else e.todos,
                    "guards": e.guards or item.mpw["guards"], "guess": e.guess}
        if isinstance(e, AssertionError):
            return {"expected": "the check's assertion to hold", "saw": str(e) or repr(e),
                    "blamed": declared}
        if isinstance(e, pytest.skip.Exception):
            # A check that did not run has not passed.
            return {"expected": "the check to run", "saw": f"it was skipped: {e}",
                    "blamed": [verdict.NOT_YOUR_CODE]}
        if isinstance(e, pytest.fail.Exception) and "Timeout" in str(e):
            return {"expected": "the check to end within its time bound",
                    "saw": str(e).splitlines()[0], "blamed": declared}
        where = traceback.extract_tb(excinfo.tb)[-1]
        return {"expected": "the check to run to its end",
                "saw": f"an error in the check itself: {type(e).__name__}: {e} "
                       f"({rel(where.filename)}:{where.lineno})",
                "blamed": [verdict.NOT_YOUR_CODE]}

    def pytest_runtest_logfinish(self, nodeid, location):
        state = self.current.pop(nodeid, None)
        item = self.items.get(nodeid)
        if state is None or item is None:
            return
        info = item.mpw
        lab = item.mpw_lab
        seconds = time.monotonic() - state["t0"]
        failure = state["failure"]
        took = f" ({seconds:.0f}s)" if seconds >= 2 else ""
        counts = self.counts.setdefault(info["key"], [0, 0, 0, 0])
        record = dict(info, outcome="PASS", blamed=[], expected="", saw="", seconds=round(seconds, 2))
        undone = state.get("undone")
        failed_first = undone is not None and undone[2].startswith(FAILS)
        if undone is not None and undone[0] == "FAIL":
            failure = {"expected": f"TODO {undone[1]} done",
                       "saw": f"TODO {undone[1]} is not done yet: the program ran its stub ({undone[2]})",
                       "blamed": [undone[1]]}
        known = self.failing.get(info["key"], {})
        suspect = [t for t in info["todos"] if t in known]
        found = short = loader = None
        if failure is not None:
            # Asked once: each reads every log of the lab's processes.
            short, loader = hugepage_shortage(lab), self.loader_error(lab)
        if failure is not None and undone is None and failure["blamed"] != [verdict.NOT_YOUR_CODE] and \
                short is None and not loader:
            found = self.substitute(item, failure)
            failure = found.pop("failure")
        by_substitution = found is not None and found["by"] == "substitution"
        if not by_substitution and failure is not None and undone is None and len(info["todos"]) > 1 and \
                suspect and not set(suspect) & set(failure["blamed"]):
            # Of the TODOs it judges, one is known wrong: its own check
            # failed before. That one first, whatever else this saw.
            failure = dict(failure, blamed=[suspect[0]],
                           saw=f"{failure['saw']}\n(TODO {suspect[0]} fails its own check {known[suspect[0]]}: "
                               "start there)")
        if undone is not None and undone[0] == "NOT_CHECKED":
            counts[2] += 1
            todo = undone[1]
            record.update(outcome="NOT_CHECKED", blamed=[todo], expected=f"TODO {todo} done first",
                          saw=f"TODO {todo} is not done yet")
            where = verdict.todo_line(lab.src, todo, TOP)
            self.out(f"----  {info['name']}: {info['title']}{took}")
            if failed_first:
                record.update(expected=f"TODO {todo} right first", saw=f"TODO {todo} fails {undone[2][len(FAILS):]}")
                self.out(f"        not checked yet: TODO {todo} fails its own check {undone[2][len(FAILS):]} first"
                         f"{f' ({where})' if where else ''}")
            else:
                self.out(f"        not checked yet: do TODO {todo} first{f' ({where})' if where else ''}")
        elif failure is None:
            counts[0] += 1
            self.out(f"PASS  {info['name']}: {info['title']}{took}")
        elif short is not None:
            # The machine's fault, not the code's: no TODO is blamed, and
            # it does not count as failed.
            counts[3] += 1
            record.update(outcome="NO_HUGEPAGES", blamed=[], expected="free hugepages for its processes",
                          saw=short)
            self.out(f"----  {info['name']}: {info['title']}{took}")
            self.out(f"        not judged: {record['saw']}")
        else:
            counts[1] += 1
            if loader:
                failure["blamed"] = ["loader"]
            guess = failure.pop("guess", False)
            record.update(outcome="FAIL", **failure)
            own = info["todos"]
            record["blame_by"] = found["by"] if found else "reasoning"
            record["outside"] = [f"{file}:{function}" for file, function in (found or {}).get("outside") or ()]
            if found is not None and found["by"] == "substitution":
                # Its TODO found wrong: the checks that stand on it do not
                # judge until it is right (wrong_todos).
                for todo in verdict.todos_of(failure["blamed"]):
                    self.failing.setdefault(info["key"], {}).setdefault(todo, f"{info['name']} ({info['title']})")
            elif len(own) == 1 and failure["blamed"] == own and not failed_first and not guess:
                # A check of this TODO alone failed: the same.
                self.failing.setdefault(info["key"], {}).setdefault(own[0], f"{info['name']} ({info['title']})")
            self.out(f"FAIL  {info['name']}: {info['title']}{took}")
            self.out(f"        expected: {failure['expected']}")
            saw = failure["saw"].splitlines() or ["nothing"]
            self.out(f"        saw:      {saw[0]}")
            for line in saw[1:8]:
                self.out(f"                  {line}")
            for file, function in (found or {}).get("outside") or ():
                where = verdict.function_where(lab.src, function, TOP) if function != "file scope" else \
                    f"{file}, at file scope"
                self.out(f"        look at:  {where}, outside the TODOs")
            for blame in failure["blamed"]:
                if blame == "loader":
                    self.out(f"        look at:  not your code: a program could not be loaded ({loader}); "
                             "is DPDK installed, and LD_LIBRARY_PATH right?")
                elif blame == verdict.NOT_YOUR_CODE:
                    self.out("        look at:  not your code: the check failed to judge it; please report this")
                else:
                    self.out(f"        look at:  {verdict.todo_where(lab.src, blame, TOP)}")
            if found is not None and found["by"] == "substitution":
                self.out(f"        found by: {found['how']}")
            elif found is not None and found["how"] and failure["blamed"]:
                self.out(f"        (a guess, by the check's reasoning: {found['how']})")
            if guess and failure["blamed"]:
                self.out("        (a guess: a process died, whatever killed it; the first failure, the crash line "
                         "and SANITIZE=1 tell more)")
            if not failure["blamed"] and not (found or {}).get("outside"):
                guards = failure.get("guards") or info["guards"]
                where = " and ".join(verdict.function_where(lab.src, g, TOP) for g in guards)
                self.out(f"        look at:  {where or 'the code'}, outside the TODOs (this check guards it)")
            for name, program, status in crashed(lab, self.crash_told):
                self.out(f"        crashed:  {name} ({program}) died of {signal.Signals(status - 128).name} "
                         f"(status {status}); 'make check LAB={info['lab'][:2]} SANITIZE=1' shows where")
            only = info["name"].split("[", 1)[-1].rstrip("]")  # -k takes a parameter's id, not its brackets
            solution = " SOLUTION=1" if os.path.basename(os.path.dirname(lab.src)) == "solutions" else ""
            self.out(f"        alone:    make check LAB={info['lab'][:2]}{solution} ONLY={only}")
            if self.verbose and state.get("traceback"):
                for line in state["traceback"].splitlines():
                    self.out(f"        | {line}")
        self.results.append(record)
        if self.last_of_lab.get(info["key"]) == nodeid:
            self.footer(info["key"])

    def substitute(self, item, failure):
        """FAILURE of ITEM, its blame found by substitution where it can be:
        {"failure", "by": "substitution" or "reasoning", "how", "outside"}."""
        lab = item.mpw_lab
        plain = {"failure": failure, "by": "reasoning", "how": None, "outside": None}
        solutions = os.path.join(TOP, "solutions")
        if not self.substituting or lab.src.startswith(solutions + os.sep):
            return plain
        key = item.mpw["key"]
        if key not in self.blames:
            self.blames[key] = substitute.Blame(TOP, lab.name, lab.src, lab.path("blame"))
        blame = self.blames[key]
        # A TODO it stands on whose code alone failed an earlier check: that
        # one first, without a run of its own (the student fixes it, then sees).
        for todo in item.mpw["todos"] + item.mpw["needs"]:
            if todo in blame.guilty:
                return {"failure": dict(failure, blamed=[todo], guess=False), "by": "substitution", "outside": [],
                        "how": f"TODO {todo}'s code alone, in the reference solution, fails check "
                               f"{blame.guilty[todo]}: start there"}
        todos, outside, how = blame.find(item.mpw["name"], verdict.todos_of(failure["blamed"]),
                                         item.mpw["todos"] + item.mpw["needs"])
        if todos:
            blame.guilty.setdefault(todos[0], f"{item.mpw['name']} ({item.mpw['title']})")
        if todos is None:
            if how == "your code is the reference solution's":
                return plain
            return dict(plain, how=how)
        return {"failure": dict(failure, blamed=todos, guess=False), "by": "substitution", "how": how,
                "outside": outside}

    def loader_error(self, lab):
        for p in lab.procs:
            for line in p.lines(LOADER_ERROR):
                return line.split(": ", 1)[-1]
        return None

    def footer(self, lab):
        passed, failed, waiting, short = self.counts.get(lab, [0, 0, 0, 0])
        if failed > 1:
            self.out("   (start with the first failure: the later ones often follow from it)")
        cut = " (interrupted: the rest did not run)" if self.interrupted else ""
        self.out(f"== {lab}: {passed} passed, {failed} failed{not_checked(waiting)}{not_judged(short)}{cut}")
        self.counts[lab] = None

    # -- the end ------------------------------------------------------------------
    def pytest_keyboard_interrupt(self, excinfo):
        if excinfo.errisinstance(pytest.exit.Exception):
            return  # pytest.exit(): its reason is already said
        self.interrupted = True
        sys.stderr.write("interrupted: stopping every process it started\n")
        for nodeid, state in self.current.items():
            item = self.items.get(nodeid)
            if item is not None:
                self.results.append(dict(item.mpw, outcome="FAIL", blamed=[verdict.NOT_YOUR_CODE],
                                         expected="the check to run to its end", saw="interrupted",
                                         seconds=round(time.monotonic() - state["t0"], 2)))

    def pytest_sessionfinish(self, session, exitstatus):
        # A second Ctrl-C must not cut the clean-up short.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        try:
            self.finish(session, exitstatus)
        finally:
            procs.cleanup()

    def finish(self, session, exitstatus):
        for lab, counts in self.counts.items():
            if counts is not None:
                self.footer(lab)
        # A point per check, as xv6's make grade counts.
        passed = sum(r["outcome"] == "PASS" for r in self.results)
        waiting = sum(r["outcome"] == "NOT_CHECKED" for r in self.results)
        short = sum(r["outcome"] == "NO_HUGEPAGES" for r in self.results)
        if len(self.counts) > 1:
            self.out(f"== all labs: {passed} passed, {len(self.results) - passed - waiting - short} failed"
                     f"{not_checked(waiting)}{not_judged(short)}; score {passed}/{len(self.results)}")
        path = os.path.join(self.config.mpw_work, "results.json")
        with open(path + ".new", "w") as f:
            json.dump({"interrupted": self.interrupted, "score": {"passed": passed, "total": len(self.results)},
                       "checks": self.results}, f, indent=1)
        os.replace(path + ".new", path)
        if self.interrupted:
            session.exitstatus = 130
        elif exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
            sys.stderr.write("error: no check matches ONLY\n")
            session.exitstatus = 2
