# SPDX-License-Identifier: BSD-3-Clause
"""Fault matrix, refusals: every program of the solutions when a call that
no vdev fails does fail (a driver that refuses to start, a queue set-up or
its information; an allocation or an IPC registration without memory; a
full descriptor table; a lock the kernel refuses), through the test double
tests/lib/doubles/fail_call.c. Each case: the call is made and fails, and
the program exits non-zero by itself saying why, without a crash and
without leaving a file; or, where the program can do without, it starts."""

import glob
import os
import re

import pytest

from mpwcheck import doubles
from mpwcheck.faults import IDLE, READY, SOL, TOP, WORK, live_primary, lock, started, with_prefix

pytestmark = pytest.mark.timeout(90)

# Every call that the double can fail: each wrapped (--wrap).
FAIL_CALLS = ["rte_eth_dev_info_get", "rte_eth_dev_configure", "rte_eth_dev_adjust_nb_rx_tx_desc",
              "rte_eth_rx_queue_setup", "rte_eth_tx_queue_setup", "rte_eth_promiscuous_enable", "rte_eth_dev_start",
              "rte_eth_link_get_nowait", "rte_eth_dev_conf_get", "rte_zmalloc_socket", "rte_pktmbuf_pool_create",
              "rte_mp_action_register", "cmdline_stdin_new", "pipe", "flock"]
LABS = ["01_simple_mp", "02_symmetric_mp", "03_client_server", "04_hotplug_mp"]
# The builds with the double: one directory for each build of the solutions
# judged (F_SOL), so that make coverage's do not mix with the plain ones.
TAG = "solutions" if SOL == os.path.join(TOP, "build", "solutions") else re.sub(r"[^A-Za-z0-9]+", "_",
                                                                                  os.path.relpath(SOL, TOP))
BIN = os.path.join(WORK, "doubles", TAG)
SMP = os.path.join(BIN, "01_simple_mp", "simple_mp")
SYM = os.path.join(BIN, "02_symmetric_mp", "symmetric_mp")
SRV = os.path.join(BIN, "03_client_server", "mp_server")
CLI = os.path.join(BIN, "03_client_server", "mp_client")
HOT = os.path.join(BIN, "04_hotplug_mp", "hotplug_mp")
PORT_SETUP = ["rte_eth_dev_info_get", "rte_eth_dev_configure", "rte_eth_dev_adjust_nb_rx_tx_desc",
              "rte_eth_rx_queue_setup", "rte_eth_tx_queue_setup", "rte_eth_promiscuous_enable", "rte_eth_dev_start"]


class Lab:
    """What doubles.build() needs of a lab: the solution's sources, the
    build judged (its objects, times kept: make compiles the double alone,
    and links; in make coverage they count as the instrumented build's)."""

    def __init__(self, name):
        self.name, self.top = name, TOP
        self.src = os.path.join(TOP, "solutions", name)
        self.bin = os.path.join(SOL, name)

    def path(self, name):
        del name
        return os.path.join(BIN, self.name)

    @staticmethod
    def lock(path):
        return lock(path + ".lock")


@pytest.fixture(scope="session")
def fail_call():
    """Every lab linked with the double, once: the first worker builds, the
    other waits for it, and finds it done."""
    with lock(os.path.join(BIN, "build.lock")):
        for name in LABS:
            lab = Lab(name)
            coverage = ["COVERAGE=1"] if glob.glob(os.path.join(lab.bin, "obj", "*.gcno")) else []
            _, why = doubles.build(lab, "fail_call", ["lib/doubles/fail_call.c"], FAIL_CALLS, more=coverage)
            if why is not None:
                pytest.fail(f"cannot build {name} with the double: {why}", pytrace=False)


def fails(call, text, message, *argv):
    """A case: ARGV ("%P": its prefix) with CALL failing (CALL:N, its N-th
    call) is refused with MESSAGE; the call must have been made."""
    return pytest.param(call, message, argv, id=f"{text} ({call} fails)")


def judge_fails(case, call, message, prefix, argv):
    ok, expected, seen, p = case.refused(message, prefix, ["env", f"MPW_FAIL_CALL={call}", *argv])
    name = call.split(":")[0]
    if ok and not p.count(f"DOUBLE: {name} fails"):
        case.verdict(False, f"'DOUBLE: {name} fails'", f"never called: {p.tail(1)}")
    case.verdict(ok, expected, seen)


SYM_PRIMARY = [SYM, "--lcores", "0@0,1@1", "--no-pci", "--file-prefix", "%P", "--proc-type=auto", *IDLE,
               "--", "-p", "3", "--num-procs", "2", "--proc-id", "0"]
SRV_EAL = [SRV, "-l", "0", "--no-pci", "--file-prefix", "%P", *IDLE, "--"]
HOT_EAL = ["--no-pci", "--file-prefix", "%P"]

REFUSED = [
    fails("cmdline_stdin_new", "simple_mp: the prompt cannot be made", "Cannot create the command line",
          SMP, "-l", "0-1", "--no-pci", "--file-prefix", "%P"),
    # symmetric_mp: the primary sets up the ports, a secondary checks them.
    *(fails(call, "symmetric_mp: a port the driver refuses to set up",
            "Error initialising port 0: Input/output error", *SYM_PRIMARY) for call in PORT_SETUP),
    fails("rte_pktmbuf_pool_create", "symmetric_mp: no memory for the mbuf pool",
          "Cannot get memory pool for buffers: Cannot allocate memory", *SYM_PRIMARY),
    *(fails(call, "mp_server: a port the driver refuses to set up", "Error initialising port 0: Input/output error",
            *SRV_EAL, "-p", "3", "-n", "1") for call in PORT_SETUP),
    fails("rte_mp_action_register", "hotplug_mp: a primary without the peers' action",
          "Cannot register the rte_mp actions: Cannot allocate memory", HOT, "-l", "0", *HOT_EAL),
    fails("rte_mp_action_register:2", "hotplug_mp: a primary without the notice's action",
          "Cannot register the rte_mp actions: Cannot allocate memory", HOT, "-l", "0", *HOT_EAL),
    fails("pipe", "hotplug_mp: a primary without a pipe for the notices",
          "Cannot register the rte_mp actions: Too many open files", HOT, "-l", "0", *HOT_EAL),
    fails("cmdline_stdin_new", "hotplug_mp: the prompt cannot be made", "Cannot create the command line",
          HOT, "-l", "0", *HOT_EAL),
]


@pytest.mark.parametrize("call,message,argv", REFUSED)
def test_fails(case, fail_call, call, message, argv):
    del fail_call
    prefix = case.prefix()
    judge_fails(case, call, message, prefix, with_prefix(argv, prefix))


def starts(call, text, *argv, env=()):
    """A case: ARGV with CALL failing (or what ENV asks of the double) still starts."""
    return pytest.param(call, env, argv, id=text if call == "none" else f"{text} ({call} fails)")


SYM1 = [SYM, "--lcores", "0@0,1@1", "--no-pci", "--file-prefix", "%P", "--proc-type=auto", *IDLE,
        "--", "-p", "3", "--num-procs", "1", "--proc-id", "0"]
STARTS = [
    starts("rte_eth_link_get_nowait", "symmetric_mp: a link that cannot be read at first", *SYM1),
    starts("rte_eth_dev_conf_get:0", "symmetric_mp: a configuration that cannot be read back (software checksums)",
           *SYM1),
    starts("rte_eth_promiscuous_enable", "symmetric_mp: a device without promiscuous mode (-ENOTSUP)", *SYM1,
           env=["MPW_FAIL_ERRNO=95"]),
    starts("none", "symmetric_mp: links down for a moment", *SYM1, env=["MPW_LINK_DOWN=3"]),
    starts("none", "symmetric_mp: links down for good (it starts after LINK_WAIT_MS)", *SYM1,
           env=["MPW_LINK_DOWN=1000"]),
    starts("rte_eth_promiscuous_enable", "mp_server: a device without promiscuous mode (-ENOTSUP)",
           *SRV_EAL, "-p", "3", "-n", "1", "--no-wait", env=["MPW_FAIL_ERRNO=95"]),
]


@pytest.mark.parametrize("call,env,argv", STARTS)
def test_starts(case, fail_call, call, env, argv):
    del fail_call
    p = case.start("s", ["env", f"MPW_FAIL_CALL={call}", *env, *with_prefix(argv, case.prefix())])
    ok = p.wait_for(READY, 1, 15) and p.wait_for("DOUBLE: ", 1, 5)
    case.verdict(ok, "it starts all the same", "started" if ok else p.tail(2))


SECOND_SYM = [SYM, "--lcores", "2@0,3@1", "--no-pci", "--file-prefix", "%P", "--proc-type=auto",
              "--", "-p", "3", "--num-procs", "2", "--proc-id", "1"]


class TestBesideSymmetricMp:
    sym_primary = live_primary("sym_primary", SYM_PRIMARY, needs=["fail_call"])

    @pytest.mark.parametrize("call,message,argv", [
        fails("rte_eth_dev_info_get", "symmetric_mp: a secondary that cannot read a port's queues",
              "Input/output error", *SECOND_SYM),
        fails("flock", "symmetric_mp: a secondary that cannot join the shutdown",
              "Cannot set up the ordered shutdown: No locks available", *SECOND_SYM),
        fails("rte_mp_action_register", "symmetric_mp: a secondary that cannot hear the primary's stop",
              "Cannot set up the ordered shutdown: Cannot allocate memory", *SECOND_SYM),
    ])
    def test_secondary(self, case, sym_primary, call, message, argv):
        prefix = started(case, sym_primary, "a primary starts")
        judge_fails(case, call, message, prefix, with_prefix(argv, prefix))


CLIENT = [CLI, "--lcores", "1@1", "--no-pci", "--file-prefix", "%P", "--proc-type=secondary", "--", "-n", "0"]


class TestBesideServer:
    server = live_primary("server", [*SRV_EAL, "-p", "3", "-n", "2", "--no-wait"], needs=["fail_call"])

    @pytest.mark.parametrize("call,message,argv", [
        fails("rte_zmalloc_socket", "mp_client: no memory for its TX buffers", "Cannot allocate a TX buffer for port 0",
              *CLIENT),
        fails("flock", "mp_client: a client that cannot join the shutdown",
              "Cannot join the server's shutdown: No locks available", *CLIENT),
    ])
    def test_client(self, case, server, call, message, argv):
        prefix = started(case, server, "a server starts")
        judge_fails(case, call, message, prefix, with_prefix(argv, prefix))


class TestBesideHotplugMp:
    hot_primary = live_primary("hot_primary", [HOT, "-l", "0", *HOT_EAL], ready="hotplug_mp: pid", needs=["fail_call"])

    @pytest.mark.parametrize("call,message,argv", [
        fails("flock", "hotplug_mp: a secondary that cannot join the shutdown",
              "Cannot set up the ordered shutdown: No locks available",
              HOT, "--lcores", "1@1", *HOT_EAL, "--proc-type=secondary"),
    ])
    def test_secondary(self, case, hot_primary, call, message, argv):
        prefix = started(case, hot_primary, "a primary starts")
        judge_fails(case, call, message, prefix, with_prefix(argv, prefix))
