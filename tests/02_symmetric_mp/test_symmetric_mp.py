# SPDX-License-Identifier: BSD-3-Clause
"""Lab 02 (symmetric_mp), on vdevs only. Deterministic traffic from
gen_traffic is split per RX queue as RSS would; each process reads its
queue's pcap file on net_pcap ports, and every process's printed statistics
must equal the figures the traffic gives. Then net_tap in a private network
namespace, a build whose rte_eth_dev_configure() refuses RSS, kill and
restart, and bad input; last, each queue's TX figures, and builds with test
doubles (--wrap) whose TX queues refuse frames, whose queue set-ups are
audited, and whose checksum offload gives no verdict. With PORTS (real
ports): test_hw_symmetric_mp.py instead.

Each run of processes is a module fixture that the checks judge, so that a
check run alone (ONLY=) brings up what it needs."""

import os
import re
import shutil
import subprocess
import time
from types import SimpleNamespace

import pytest

from mpwcheck import netns, oracle, procs, telemetry, verdict
from mpwcheck import vdevs as vdev_files
from mpwcheck.doubles import unwrapped_eal
from mpwcheck.verdict import expect

LAB = "02_symmetric_mp"
check = pytest.mark.check

READY = "APP: Finished Process Init."
FRAMES = 1000
# Odd frames a port (gen_traffic --odd): fragments, ICMP, UDP without a
# checksum, not IPv4, runts, IPv4 header lengths below 20 or past the end,
# cut UDP headers; two of each.
ODD = 16
CKSUM_FALLBACK = "configuration failed. Re-attempting with HW checksum disabled."
RSS_FALLBACK = "configuration failed. Re-attempting with HW RSS disabled."
NULLS = ["--vdev", "net_null0", "--vdev", "net_null1"]


class Traffic(vdev_files.Traffic):
    """gen_traffic's files for QUEUES RX queues per port, made by the
    check's own tool run (a failure is not the student's), and their
    figures; field() and stats() are mpwcheck.vdevs'."""

    def __init__(self, lab, queues, odd=ODD):  # pylint: disable=super-init-not-called
        self.dir = lab.path(f"traffic{queues}" + ("" if odd else "plain"))
        lab.tool("gen_traffic", "--out", self.dir, "--ports", 2, "--queues", queues, "--frames", FRAMES, "--odd", odd)
        self.figures = vdev_files.figures(self.dir)


@pytest.fixture(scope="module")
def traffic(lab, request):
    """Serves every check with traffic: one queue per port (1) and two (2).
    It also sets the build with the test doubles going (doubles_build), when
    a check of this run (ONLY= may leave none) needs it."""
    if any("doubles" in item.fixturenames for item in lab.checks(request.session)):
        request.getfixturevalue("doubles_build")
    # net_tap's verdicts on odd frames are its own: plain traffic for it.
    return {1: Traffic(lab, 1), 2: Traffic(lab, 2), "plain": Traffic(lab, 1, 0)}


def pcap_vdevs(traffic, directory, n, tx):
    """TRAFFIC's net_pcap vdevs for N queues (mpwcheck.vdevs)."""
    return vdev_files.pcap_vdevs(traffic.dir, directory, n, tx)


def lcores(proc_id):
    """Distinct lcore ids for process PROC_ID, on the two cores."""
    return f"{2 * proc_id}@0,{2 * proc_id + 1}@1"


def start_proc(lab, name, directory, prefix, proc_id, n, vdevs=(), binary=None, env=(), unless=None):
    """One symmetric_mp process, started, with ENV ("NAME=value" strings)
    added to its environment; .ready says whether it got going (not waited
    for once UNLESS(p) says that it never will)."""
    p = lab.start(name, [*(["env", *env] if env else []), binary or f"{lab.bin}/symmetric_mp",
                         "--lcores", lcores(proc_id), "--no-pci",
                         "--file-prefix", prefix, "--proc-type=auto", *vdevs, "--",
                         "-p", "3", "--num-procs", n, "--proc-id", proc_id], cwd=directory)
    p.ready = p.wait_for(READY, 1, 20, unless=unless and (lambda: unless(p)))
    return p


def wait_consumed(prefix, port, queue, count):
    """Until COUNT frames were received on that queue, whichever process polls it."""
    return telemetry.wait_queue(prefix, port, "rx", queue, count)


def wait_all_consumed(prefix, traffic, queue, times=1):
    return (wait_consumed(prefix, 0, queue, times * traffic.field(0, queue, "frames"))
            and wait_consumed(prefix, 1, queue, times * traffic.field(1, queue, "frames")))


def blame_start(p):
    """Why a process did not get going or died: no pool (1), configure (2,
    also when ethdev says "invalid rss_hf", or a refusal of RSS is left
    unhandled), queues (3), or a crash once forwarding (queues never set up,
    or mbufs mishandled: 3 or 5)."""
    text = p.text()
    p.alive()
    if "Cannot get memory pool" in text:
        return [1]
    # ethdev's refusal of hash types the device lacks (rss_hf not masked
    # with its flow_type_rss_offloads), on every version.
    if "invalid rss_hf" in text:
        return [2]
    if READY in text and (p.status or 0) > 128:
        return [3, 5]
    if "Error initialising port" in text:
        # -ENOTSUP comes from configure's driver, refusing RSS (after
        # ethdev's own -EINVAL for the checksum offload): a refusal left
        # unhandled. So does an ethdev complaint about rte_eth_dev_configure()
        # after the last fallback: it refused what no fallback drops.
        before = text[:text.index("Error initialising port")].splitlines()
        complaints = [i for i, line in enumerate(before) if "rte_eth_dev_configure()" in line]
        retries = [i for i, line in enumerate(before) if "Re-attempting with HW" in line]
        if "Operation not supported" in text or (complaints and complaints[-1] > max(retries, default=-1)):
            return [2]
    if CKSUM_FALLBACK in text and "Error initialising port" in text:
        return [3]
    return [2]


def blame_secondary(secondary, primary):
    """A secondary that did not start is its own fault, unless its primary
    has died meanwhile."""
    return blame_start(secondary if primary.alive() else primary)


def printed_stats(p):
    """The statistics P printed as it stopped: upstream's line, and ours
    for the checksums."""
    return [line for line in p.text().splitlines()
            if line.startswith("Port ") and (": RX - " in line or ": Bad IP" in line)]


def compare_stats(p, traffic, queue, want=None, blame=None):
    """P's statistics against the traffic's (or WANT): the checksum
    counters are TODO 4's, the rest TODO 5's (or BLAME's, when given)."""
    want = want or traffic.stats(queue)
    saw = printed_stats(p)
    expect(saw, f"{p.name} prints its statistics on SIGINT", lambda: f"status {p.status}: {p.tail(2)}",
           blame_start(p))
    bad = [line for line in want if "Bad" in line] == [line for line in saw if "Bad" in line]
    expect(saw == want, f"{p.name} prints: {' | '.join(want)}", " | ".join(saw),
           blame or (5 if bad else 4 if accounted(saw) else [5, 4]))


def accounted(lines):
    """Whether printed statistics add up: every frame a port received was
    sent or refused by its pair, or dropped for its checksum. A wrong
    verdict alone (TODO 4) keeps the sum; TX code that sends frames it
    freed (TODO 5) does not."""
    rx, out, bad = {}, {}, {}
    for line in lines:
        w = line.replace(",", "").split()
        if len(w) == 11 and w[2] == "RX":
            rx[w[1]], out[w[1]] = int(w[4]), int(w[7]) + int(w[10])
        elif len(w) == 12 and w[2] == "Bad":
            bad[w[1]] = int(w[6]) + int(w[11])
    pairs = (("0:", "1:"), ("1:", "0:"))
    return (all(port in d for d in (rx, out, bad) for port in ("0:", "1:"))
            and all(rx[src] == bad[src] + out[dst] for src, dst in pairs))


# -- N=1 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def n1(lab, traffic):
    """Serves check n1_setup_fallback and the fixture n1_stopped: one process on two net_pcap ports that keep
    what is sent."""
    vdevs = pcap_vdevs(traffic[1], lab.path("n1"), 1, "file")
    return start_proc(lab, "p1", lab.path("n1"), lab.prefix("n1"), 0, 1, vdevs)


@pytest.fixture(scope="module")
def n1_stopped(lab, traffic, n1):
    """Serves checks n1_exact_stats and n1_forwarded_frames: its traffic consumed, then SIGINT."""
    n1.was_alive = n1.alive()
    if n1.was_alive:
        wait_all_consumed(lab.prefix("n1"), traffic[1], 0)
        procs.sigint(n1)
    lab.finish(lab.prefix("n1"))
    return n1


@check("N=1 on net_pcap: the primary sets up both ports, falling back to software checksums", 1, 2, 3)
def test_n1_setup_fallback(n1):
    expect(n1.ready, f"'{READY}'", lambda: n1.tail(2), blame_start(n1))
    fallbacks = n1.count(CKSUM_FALLBACK)
    expect(fallbacks == 2, f"'Port N {CKSUM_FALLBACK}' for ports 0 and 1", f"{fallbacks} such lines", 2)
    # net_pcap takes RSS (it hashes nothing): nothing to fall back from.
    expect(n1.count(RSS_FALLBACK) == 0, f"no '{RSS_FALLBACK}': net_pcap takes RSS",
           lambda: " | ".join(n1.lines(RSS_FALLBACK)), 2)
    # net_pcap hashes nothing (flow_type_rss_offloads 0): upstream's line
    # says so once for each port, rss_hf masked to 0.
    modified = n1.lines("modified RSS hash function")
    expect(len(modified) == 2 and all(re.search(r"configured: *0(x0)?\b", m) for m in modified),
           "'Port N modified RSS hash function based on hardware support,requested:0x... configured:0' "
           "for ports 0 and 1", lambda: " | ".join(modified) or "no such line", 2)
    # The worker lcores print their line as they begin: wait for both.
    n1.wait_for("software checksums", 2)
    expect(n1.count("software checksums") == 2,
           "'Lcore 0 using port N, queue 0, software checksums' for ports 0 and 1",
           lambda: " | ".join(n1.lines("using port")), 2)


@check("N=1: the statistics equal the traffic's figures exactly", 4, 5)
def test_n1_exact_stats(traffic, n1_stopped):
    expect(n1_stopped.was_alive, "the primary running", lambda: n1_stopped.tail(2), blame_start(n1_stopped))
    compare_stats(n1_stopped, traffic[1], 0)


def pcap_frames(lab, path):
    """The frames of a capture, one "length hash" line each."""
    try:
        return lab.tool("pcap_frames", path).splitlines() if os.path.exists(path) else []
    except RuntimeError:
        return []  # not a capture: nothing sent that can be read


def described(lab, path, frame):
    """FRAME ("length hash") as a person reads it, from the capture PATH
    that holds it: "UDP 10.0.0.3:1024 -> 10.100.0.7:53, 64 bytes"."""
    length, digest = frame.split()[:2]
    try:
        lines = lab.tool("pcap_frames", "-d", path).splitlines()
    except RuntimeError:
        lines = []
    for line in lines:
        w = line.split(" ", 2)
        if w[:2] == [length, digest]:
            return f"{w[2] if len(w) > 2 else 'a frame'}, {length} bytes"
    return f"a frame of {length} bytes"


@check("N=1: what port 1 sent is port 0's good frames, byte for byte, in order (and back)", 4, 5)
def test_n1_forwarded_frames(lab, traffic, n1_stopped):
    expect(n1_stopped.status == 0, "the primary forwarded, then exited with status 0",
           lambda: f"status {n1_stopped.status}: {n1_stopped.tail(1)}", blame_start(n1_stopped))
    captures = {0: lab.path("n1", "d"), 1: lab.path("n1", "b")}  # port 0's frames leave by port 1
    expect(any(os.path.getsize(c) if os.path.exists(c) else 0 for c in captures.values()),
           "frames in the TX captures", "no capture written", 5)
    problem = None
    for p, capture in captures.items():
        got = pcap_frames(lab, capture)
        with open(os.path.join(traffic[1].dir, f"p{p}.good.txt")) as f:
            want = f.read().splitlines()
        if got != want:
            k = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
            if k < min(len(got), len(want)):
                sent = described(lab, capture, got[k])
                wanted = described(lab, os.path.join(traffic[1].dir, f"p{p}q0.pcap"), want[k])
                differs = (f"frame {k + 1} out of port {1 - p}: expected {wanted}, saw {sent}"
                           + (" (the same header, other bytes)" if sent == wanted else ""))
            else:
                differs = f"the first {k} match, then {'more were sent' if len(got) > k else 'the rest is missing'}"
            problem = (f"the {len(want)} good frames that port {p} received, sent out of port {1 - p} in order",
                       f"{len(got)} frames; {differs}", 4 if len(got) > len(want) else 5)
            break
    expect(problem is None, *(problem or ("", "")))


# -- N=2 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def n2_vdevs(lab, traffic):
    return pcap_vdevs(traffic[2], lab.path("n2"), 2, "null")


@pytest.fixture(scope="module")
def n2(lab, n2_vdevs):
    """Serves check n2_start and the fixture n2_stopped: a primary (queue 0) and a secondary (queue 1)."""
    q0 = start_proc(lab, "q0", lab.path("n2"), lab.prefix("n2"), 0, 2, n2_vdevs)
    q1 = start_proc(lab, "q1", lab.path("n2"), lab.prefix("n2"), 1, 2) if q0.ready else None
    return q0, q1


@pytest.fixture(scope="module")
def n2_stopped(lab, traffic, n2):
    """Serves checks n2_exact_stats, n2_own_tx_queue and tx_refused_freed and the fixture n2_restart: every queue's traffic consumed (and
    the TX queues' figures read), then SIGINT to both (the secondary
    first), as one Ctrl-C to their group would."""
    for p in n2:
        if p is not None:
            p.was_alive = p.alive()
    q0, q1 = n2
    q0.tx_queues = None
    if q1 is not None and q0.was_alive and q1.was_alive:
        for q in range(2):
            if not wait_all_consumed(lab.prefix("n2"), traffic[2], q):
                break
        q0.tx_queues = tx_queues(lab.prefix("n2"), 2, lambda port, q: traffic[2].field(1 - port, q, "good"))
        procs.sigint(q1, q0)
    return n2


def tx_queues(prefix, n, want):
    """{(port, queue): frames sent} on ports 0 and 1, from telemetry, once
    they add up to WANT(port, queue) summed (or stall)."""
    keys = [(port, q) for port in range(2) for q in range(n)]
    telemetry.wait_until(lambda: sum(telemetry.queue_packets(prefix, port, "tx", q, gone=True) or 0
                                     for port, q in keys), sum(want(*k) for k in keys), "TX on ports 0 and 1")
    return {(port, q): telemetry.queue_packets(prefix, port, "tx", q) for port, q in keys}


def compare_tx_queues(seen, n, want):
    """Each queue's TX, as telemetry saw it, against WANT(port, queue): a
    process sends on its own queue (TODO 5)."""
    expect(seen is not None, "the per-queue TX counters of a run that forwarded", "no run to look at", 5)
    keys = [(port, q) for port in range(2) for q in range(n)]

    def text(figure):
        return ", ".join(f"port {port} tx_q{q}_packets {figure(port, q)}" for port, q in keys)

    expect(all(seen[k] == want(*k) for k in keys), text(want), text(lambda port, q: seen[port, q]), 5)


@check("N=2: the primary creates the pool (65535 mbufs, a cache of 256 per lcore, safe for many lcores); a secondary "
       "finds it", 1)
def test_n2_start(lab, n2):
    q0, q1 = n2
    expect(q0.ready, f"'{READY}' from the primary", lambda: q0.tail(2), blame_start(q0))
    expect(q1.ready, f"'{READY}' from the secondary", lambda: q1.tail(2), blame_secondary(q1, q0))
    # The pool itself, as the primary's telemetry shows it: no later TODO
    # is needed to judge TODO 1.
    # A pktmbuf's element: the mbuf (128 bytes), then RTE_MBUF_DEFAULT_BUF_SIZE.
    info = telemetry.expect_pool(lab.prefix("n2"), MBUF_POOL, {"size": NB_MBUFS, "cache_size": 256,
                                                               "elt_size": 128 + 2048 + 128}, 1)
    # Every process's lcores take and give back mbufs: no single-producer or
    # single-consumer pool, by its flags (RTE_MEMPOOL_F_SP_PUT 0x4,
    # RTE_MEMPOOL_F_SC_GET 0x8) or by its ops (ring_mp_mc is the default).
    flags = info.get("flags")
    expect(isinstance(flags, int) and flags & 0xC == 0, "flags without RTE_MEMPOOL_F_SP_PUT or RTE_MEMPOOL_F_SC_GET",
           f"flags {flags:#x}" if isinstance(flags, int) else flags, 1)
    seen = inspect_pool(lab, lab.prefix("n2"), "n2_pool")
    ops = seen.rsplit(", ops ", 1)[1] if ", ops " in seen else None
    expect(ops is not None and ops not in SINGLE_OPS,
           f"the pool's ops safe for many producers and consumers, as ring_mp_mc (not {', '.join(SINGLE_OPS)})",
           seen, 1)


@check("N=2: each process's statistics equal its queue's figures exactly", 4, 5)
def test_n2_exact_stats(traffic, n2_stopped):
    q0, q1 = n2_stopped
    expect(q0.was_alive, "the primary running", lambda: q0.tail(2), blame_start(q0))
    expect(q1 is not None and q1.was_alive, "the secondary running",
           lambda: q1.tail(2) if q1 else "it never started", blame_start(q1) if q1 else 2)
    compare_stats(q1, traffic[2], 1)
    compare_stats(q0, traffic[2], 0)


@pytest.fixture(scope="module")
def n2_restart(lab, traffic, n2_vdevs, n2_stopped):
    """Serves check n2_secondary_restart and the fixture primary_death: a new primary on the same prefix (the previous
    processes all exited), a secondary killed with SIGKILL and another one
    on its queue. Each new process re-opens queue 1's files from the start
    and reads them once more: the queue's shared counters grow by their
    frames."""
    prefix, d = lab.prefix("n2"), lab.path("n2")
    s0 = start_proc(lab, "s0", d, prefix, 0, 2, n2_vdevs)
    k1 = r1 = None
    if s0.ready:
        k1 = start_proc(lab, "k1", d, prefix, 1, 2)
        if k1.ready:
            wait_all_consumed(prefix, traffic[2], 1)
            k1.stop(9)
            r1 = start_proc(lab, "r1", d, prefix, 1, 2)
            if r1.ready:
                wait_all_consumed(prefix, traffic[2], 1, times=2)
                procs.sigint(r1)
    return s0, k1, r1


@check("N=2: a secondary killed with SIGKILL and started again polls its queue again", 1, 5, needs=[4])
def test_n2_secondary_restart(traffic, n2_restart):
    s0, k1, r1 = n2_restart
    expect(s0.ready, f"'{READY}' from a new primary", lambda: s0.tail(2), blame_start(s0))
    expect(k1.ready, f"'{READY}' from a new secondary", lambda: k1.tail(2), blame_secondary(k1, s0))
    expect(r1.ready, f"'{READY}' from the restarted secondary", lambda: r1.tail(2), blame_secondary(r1, s0))
    compare_stats(r1, traffic[2], 1)


@pytest.fixture(scope="module")
def primary_death(lab, n2_restart):
    """Serves check secondary_sees_primary_death: a secondary, then its primary killed with SIGKILL."""
    s0 = n2_restart[0]
    s0.was_alive = s0.alive()
    w1 = None
    if s0.was_alive:
        w1 = start_proc(lab, "w1", lab.path("n2"), lab.prefix("n2"), 1, 2)
        if w1.ready:
            s0.stop(9)
            w1.noticed = w1.exits_with("The primary process died", 5)
    lab.finish(lab.prefix("n2"))
    return s0, w1


@check("a secondary notices that its primary died and exits non-zero", 1)
def test_secondary_sees_primary_death(primary_death):
    s0, w1 = primary_death
    expect(s0.was_alive, "the primary running", lambda: s0.tail(2), blame_start(s0))
    expect(w1.ready, f"'{READY}' from a secondary", lambda: w1.tail(2), blame_secondary(w1, s0))
    # A secondary that crashed meanwhile did not notice anything: why it
    # crashed is blame_start's.
    crashed = not w1.noticed and (w1.status or 0) > 128
    expect(w1.noticed, "within 5 s: 'The primary process died: stopping', a non-zero exit",
           lambda: f"status {w1.status}: {w1.tail(2)}", *([blame_start(w1)] if crashed else []))


# -- a device that refuses RSS -----------------------------------------------------------

# The lab built with every test double of tests/02_symmetric_mp/ linked in
# (--wrap): each acts only where the environment asks for it.
DOUBLES = ["refuse_rss.c", "refuse_tx.c"]
WRAPPED = ["rte_eth_dev_configure", "rte_eth_dev_conf_get", "rte_eth_dev_info_get", "rte_eth_rx_queue_setup",
           "rte_eth_tx_queue_setup", "rte_eal_mp_remote_launch", "rte_eth_dev_adjust_nb_rx_tx_desc"]


def doubles_make(lab, src, build_dir, *targets):
    return ["make", "-s", "-C", src, f"TOP={lab.top}", f"BUILD_DIR={build_dir}",
            "EXTRA_SRCS=" + " ".join(f"{lab.top}/tests/02_symmetric_mp/{d}" for d in DOUBLES),
            "LDFLAGS=-Wl," + ",".join(f"--wrap={w}" for w in WRAPPED), *targets]


def doubles_objects(lab):
    """The doubles' objects, compiled once for every run (make test runs
    many at once), sanitized or not: they include DPDK's headers alone, so
    the solution's build of them serves any copy of the lab (in a student's
    copy, without solutions/, the lab's own build)."""
    shared = os.path.join(lab.top, "build", "tests", LAB, "doubles" + ("-sanitize" if os.environ.get("SANITIZE") == "1" else ""))
    objects = [os.path.join(shared, "obj", d.replace(".c", ".o")) for d in DOUBLES]
    solution = os.path.join(lab.top, "solutions", LAB)
    with lab.lock(shared):
        subprocess.run(doubles_make(lab, solution if os.path.isdir(solution) else lab.src, shared, *objects),
                       capture_output=True, check=False, timeout=300)
    return [o for o in objects if os.path.exists(o)]


@pytest.fixture(scope="module")
def doubles_build(lab):
    """The build with the test doubles, started in the background by the
    first check that needs traffic: it links while the checks before fixture doubles
    wait on their processes. It starts from the checked build's objects and
    the doubles' (their times kept): make only links, unless the copy
    changed a header (then it compiles the doubles too)."""
    objects = os.path.join(lab.path("doubles"), "obj")
    os.makedirs(objects, exist_ok=True)
    if os.path.isdir(os.path.join(lab.bin, "obj")):
        shutil.copytree(os.path.join(lab.bin, "obj"), objects, dirs_exist_ok=True)
    for o in doubles_objects(lab):
        shutil.copy2(o, objects)
    build = subprocess.Popen(doubles_make(lab, lab.src, lab.path("doubles")),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield build
    if build.poll() is None:
        build.kill()
        build.communicate()


@pytest.fixture(scope="module")
def doubles(doubles_build):
    """Serves checks verdicts_as_reference, tx_bursts_as_reference and queue_setup_fails and the fixtures refuse_rss, refuse_tx and unknown_cksum: None once the build with the test
    doubles is done, else why it failed."""
    try:
        out, _ = doubles_build.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        doubles_build.kill()
        return "the build took more than 300 s"
    return " | ".join((out or "").splitlines()[-2:]) if doubles_build.returncode != 0 else None


@pytest.fixture(scope="module")
def refuse_rss(lab, traffic, doubles):
    """Serves check rss_refused_fallback: a build whose rte_eth_dev_configure() refuses RSS
    (tests/02_symmetric_mp/refuse_rss.c, linked with --wrap), one process;
    process 0 of two (two queues a port without RSS), started only; then
    a device that refuses every configuration."""
    if doubles is not None:
        return {"build": doubles}
    prefix = lab.prefix("rss")
    vdevs = pcap_vdevs(traffic[1], lab.path("rss"), 1, "null")
    # A device without RSS refuses it every time: one fallback a port, or
    # the program asks again and again.
    nr = start_proc(lab, "nr", lab.path("rss"), prefix, 0, 1, vdevs, binary=f"{lab.path('doubles')}/symmetric_mp",
                    env=["MPW_REFUSE_RSS=1"], unless=lambda p: p.count(RSS_FALLBACK) > 2)
    if nr.ready and nr.count(RSS_FALLBACK) == 2 and nr.count(CKSUM_FALLBACK) == 2:
        wait_all_consumed(prefix, traffic[1], 0)
        procs.sigint(nr)
    lab.finish(prefix)
    prefix = lab.prefix("rss2")
    vdevs = pcap_vdevs(traffic[2], lab.path("rss2"), 2, "null")
    n2 = start_proc(lab, "n2", lab.path("rss2"), prefix, 0, 2, vdevs, binary=f"{lab.path('doubles')}/symmetric_mp",
                    env=["MPW_REFUSE_RSS=1"], unless=lambda p: p.count(RSS_FALLBACK) > 2)
    procs.sigint(n2)
    lab.finish(prefix)
    prefix = lab.prefix("rssall")
    vdevs = pcap_vdevs(traffic[1], lab.path("rssall"), 1, "null")
    na = start_proc(lab, "na", lab.path("rssall"), prefix, 0, 1, vdevs, binary=f"{lab.path('doubles')}/symmetric_mp",
                    env=["MPW_REFUSE_RSS=always"], unless=lambda p: True)
    na.refused = na.exits_with(PORT_INIT_FAILED, 8)
    lab.finish(prefix)
    # A device with the RX checksum offload that refuses RSS: only RSS goes.
    prefix = lab.prefix("rsscs")
    vdevs = pcap_vdevs(traffic[1], lab.path("rsscs"), 1, "null")
    nc = start_proc(lab, "nc", lab.path("rsscs"), prefix, 0, 1, vdevs, binary=f"{lab.path('doubles')}/symmetric_mp",
                    env=["MPW_REFUSE_RSS=1", "MPW_FAKE_RX_CKSUM=1"], unless=lambda p: p.count(RSS_FALLBACK) > 2)
    if nc.ready:
        nc.wait_for(" checksums", 2, 5)  # its lcores say how they poll after READY
    procs.sigint(nc)
    lab.finish(prefix)
    return {"build": None, "proc": nr, "two": n2, "always": na, "cksum": nc}


PORT_INIT_FAILED = "Error initialising port 0"


@check("a device that refuses RSS (-ENOTSUP): upstream's RSS fallback, then exact figures; one with the checksum "
       "offload keeps it; one that refuses every configuration: one fallback, then a non-zero exit", 2, needs=[4, 5])
def test_rss_refused_fallback(traffic, refuse_rss):
    expect(refuse_rss["build"] is None, "a build with the test doubles", refuse_rss["build"])
    nr = refuse_rss["proc"]
    expect(nr.ready, f"'{READY}'", lambda: nr.tail(2), blame_start(nr))
    rss, cksum = nr.count(RSS_FALLBACK), nr.count(CKSUM_FALLBACK)
    expect(rss == 2 and cksum == 2, f"for ports 0 and 1: 'Port N {RSS_FALLBACK}' and 'Port N {CKSUM_FALLBACK}'",
           f"{rss} RSS and {cksum} checksum fallbacks")
    compare_stats(nr, traffic[1], 0)
    n2 = refuse_rss["two"]
    expect(n2.ready and n2.count(RSS_FALLBACK) == 2, f"process 0 of two: '{READY}' after 'Port N {RSS_FALLBACK}' "
           "for ports 0 and 1", lambda: f"{n2.count(RSS_FALLBACK)} RSS fallbacks; {n2.tail(2)}", 2)
    na = refuse_rss["always"]
    expect(na.refused and na.count(RSS_FALLBACK) == 1,
           f"a device that refuses every configuration (-ENOTSUP): one 'Port 0 {RSS_FALLBACK}', then a non-zero exit "
           f"and '{PORT_INIT_FAILED}' (nothing else to drop)", lambda: f"{na.count(RSS_FALLBACK)} RSS fallbacks; "
           + na.ending(), 2)
    nc = refuse_rss["cksum"]
    rss, cksum, hw = nc.count(RSS_FALLBACK), nc.count(CKSUM_FALLBACK), nc.count("hardware checksums")
    expect(nc.ready and rss == 2 and cksum == 0 and hw == 2,
           f"a device with the RX checksum offload that refuses RSS: 'Port N {RSS_FALLBACK}' for ports 0 and 1, no "
           "checksum fallback, 'hardware checksums' on both", f"{rss} RSS and {cksum} checksum fallbacks, {hw} ports "
           f"with hardware checksums; {nc.tail(1)}", 2)


# -- net_tap ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tap(lab, traffic):
    """Serves checks tap_hw_checksums and ports_promiscuous: net_tap ports whose kernel ends are in a network
    namespace of this run's (netns.private(): with or without root), fed
    from there (pcap_inject)."""
    taps = [f"mpw{os.getpid()}a", f"mpw{os.getpid()}b"]
    with netns.private() as ns:
        if isinstance(ns, str):
            yield {"netns": ns}
            return
        # No IPv6 in there, so that the kernel adds no frames of its own.
        ns.run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
        prefix = lab.prefix("tap")
        os.makedirs(lab.path("tap"), exist_ok=True)
        p = lab.start("tap", ns.argv(f"{lab.bin}/symmetric_mp", "-l", "0-1", "--no-pci",
                                     "--file-prefix", prefix, "--proc-type=auto",
                                     "--vdev", f"net_tap0,iface={taps[0]}", "--vdev", f"net_tap1,iface={taps[1]}",
                                     "--", "-p", "3", "--num-procs", "1", "--proc-id", "0"), cwd=lab.path("tap"))
        p.ready = p.wait_for(READY, 1, 20)
        if p.ready:
            p.wait_for(" checksums", 2, 5)  # its lcores say how they poll after READY
        p.port_info = [(telemetry.query(prefix, f"/ethdev/info,{port}") or {}).get("/ethdev/info") or {}
                       for port in range(2)] if p.ready else []
        injected = None
        if p.ready and not p.count("Re-attempting") and p.count("hardware checksums") == 2:
            # The kernel drops what is sent on a tap whose link is not up
            # yet; a port with no queues set up (TODO 3's stub) never is.
            for tap in taps:
                wait_link_up(ns, tap, unless=lab.stubbed(3))
            for port in range(2):
                out = ns.run(os.path.join(lab.tools(), "pcap_inject"), taps[port],
                             os.path.join(traffic["plain"].dir, f"p{port}q0.pcap"), timeout=60)
                # A program that died took its taps with it: that is judged
                # below. Its taps go before its parents (nsenter, then
                # timeout) are seen to exit.
                if out.returncode != 0 and not p.exits_within(2):
                    injected = f"pcap_inject {taps[port]}: {(out.stderr or out.stdout).strip()[-200:]}"
            wait_all_consumed(prefix, traffic["plain"], 0)
            procs.sigint(p)
        lab.finish(prefix)
        yield {"netns": None, "proc": p, "injected": injected}


def wait_link_up(ns, iface, secs=5, unless=None):
    """Until IFACE in NS says LOWER_UP (DPDK's port started and its link up),
    or UNLESS() says that it never will."""
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline and not (unless and unless()):
        if "LOWER_UP" in ns.run("ip", "link", "show", iface, timeout=10).stdout:
            return True
        time.sleep(0.05)
    return False


@check("net_tap in a private network namespace: no fallback, hardware checksums, the same figures", 4, 5)
def test_tap_hw_checksums(traffic, tap):
    expect(tap["netns"] is None, "a network namespace (unshare --net)", tap["netns"], verdict.NOT_YOUR_CODE)
    p = tap["proc"]
    expect(p.ready, f"'{READY}'", lambda: p.tail(2), blame_start(p))
    expect(not p.count("Re-attempting") and p.count("hardware checksums") == 2,
           "no fallback and 'hardware checksums' on both ports",
           lambda: " | ".join(p.lines("Re-attempting") + p.lines("using port")), 2)
    expect(tap["injected"] is None, "the traffic injected into the taps", tap["injected"], verdict.NOT_YOUR_CODE)
    compare_stats(p, traffic["plain"], 0)


# -- bad input: code outside the TODOs ("guards" in tests/02_symmetric_mp/manifest.toml) -------------

def bad(what, guard, message, options, proc_id=0, proc_type="auto", vdevs=True, prefix="bad", **kw):
    return pytest.param(message, options, proc_id, proc_type, vdevs, prefix,
                        marks=check(f"bad input: {what}", guards=[guard]), **kw)


@pytest.mark.parametrize("message, options, proc_id, proc_type, vdevs, prefix", [
    bad("one port (-p 1)", "select_ports", "even number of ports", ["-p", "1", "--num-procs", "1", "--proc-id", "0"],
        id="one_port"),
    bad("a mask with no port (-p 0)", "smp_parse_args", "non-zero hexadecimal port mask",
        ["-p", "0", "--num-procs", "1", "--proc-id", "0"], id="empty_mask"),
    # Two that exist and two that do not: refused, not run on the two.
    bad("ports that do not exist beside two that do (-p 0x33)", "select_ports", "names ports that do not exist",
        ["-p", "0x33", "--num-procs", "1", "--proc-id", "0"], id="absent_ports"),
    bad("garbage for --num-procs", "smp_parse_args", "--num-procs wants a number from 1",
        ["-p", "3", "--num-procs", "two", "--proc-id", "0"], id="garbage_num_procs"),
    bad("an overflowing --proc-id", "smp_parse_args", "--proc-id wants a number from 0",
        ["-p", "3", "--num-procs", "2", "--proc-id", "99999999999999999999"], id="overflowing_proc_id"),
    bad("--proc-id not below --num-procs", "smp_parse_args", "must be less than --num-procs",
        ["-p", "3", "--num-procs", "2", "--proc-id", "2"], id="proc_id_too_big"),
    bad("no --proc-id", "smp_parse_args", "are all required", ["-p", "3", "--num-procs", "2"], id="no_proc_id"),
    bad("a secondary and no primary", "main", "start the primary first",
        ["-p", "3", "--num-procs", "2", "--proc-id", "1"], proc_id=1, proc_type="secondary", vdevs=False,
        prefix="none", id="no_primary"),
])
def test_bad_input(lab, request, message, options, proc_id, proc_type, vdevs, prefix):
    name = f"bad_{request.node.callspec.id}"
    p = lab.start(name, [f"{lab.bin}/symmetric_mp", "--lcores", lcores(proc_id), "--no-pci",
                         "--file-prefix", lab.prefix(prefix), f"--proc-type={proc_type}",
                         *(NULLS if vdevs else []), "--", *options], cwd=lab.work)
    expect(p.exits_with(message), f"a non-zero exit and '{message}'", p.ending)


@check("bad input: a secondary whose --num-procs disagrees with the primary's", 1, 3,
       guards=["smp_port_check_queues"])
def test_num_procs_disagree(lab):
    prefix = lab.prefix("bad")
    m0 = start_proc(lab, "m0", lab.work, prefix, 0, 2, NULLS)
    expect(m0.ready, f"'{READY}' from a primary on net_null", lambda: m0.tail(2), blame_start(m0))
    # A primary that forwards: one whose queues are not set up cannot judge
    # the secondary (on DPDK 22.11 it crashes here, on 25.11 its secondary
    # finds no port), on every version alike.
    receiving = wait_consumed(prefix, 0, 0, 1)
    # Alive and set up but receiving nothing: its RX queues (TODO 3).
    expect(receiving, "a primary that receives on net_null", lambda: f"{receiving}; {m0.tail(1)}",
           3 if m0.alive() else blame_start(m0))
    m1 = lab.start("m1", [f"{lab.bin}/symmetric_mp", "--lcores", lcores(1), "--no-pci", "--file-prefix", prefix,
                          "--proc-type=auto", "--", "-p", "3", "--num-procs", "3", "--proc-id", "1"], cwd=lab.work)
    message = "give every process the primary's --num-procs"
    refused = m1.exits_with(message)
    lab.finish(prefix)
    expect(refused, f"a non-zero exit and '{message}'", m1.ending)


# -- checks added later ------------------------------------------------------------------

@check("N=2: each process's frames leave on its own TX queue, exactly", 5, needs=[4])
def test_n2_own_tx_queue(traffic, n2_stopped):
    q0, q1 = n2_stopped
    expect(q0.was_alive, "the primary running", lambda: q0.tail(2), blame_start(q0))
    expect(q1 is not None and q1.was_alive, "the secondary running",
           lambda: q1.tail(2) if q1 else "it never started", blame_start(q1) if q1 else 2)
    # Both forwarded every good frame, whichever queue they sent it on; a
    # wrong figure there is not a matter of queues.
    compare_stats(q1, traffic[2], 1)
    compare_stats(q0, traffic[2], 0)
    # Port 1 sends what port 0 received on the same queue, and back.
    compare_tx_queues(q0.tx_queues, 2, lambda port, q: traffic[2].field(1 - port, q, "good"))


MBUF_POOL = "SMP_MBUF_POOL"
SINGLE_OPS = ("ring_sp_sc", "ring_mp_sc", "ring_sp_mc")  # mempool ops unsafe for many lcores
NB_MBUFS = 64 * 1024 - 1


def odd_good(traffic, port, queue):
    """The good frames of odd length received on that queue: the ones
    refuse_tx.c's TX callback refuses once they are forwarded."""
    with open(os.path.join(traffic.dir, f"p{port}q{queue}.good.txt")) as f:
        return sum(int(line.split()[0]) & 1 for line in f if line.strip())


def inspect_pool(lab, prefix, name):
    """mp_inspect's (tools/) line on the packet pool, or why there is none.
    It attaches as a secondary: harmless here, as no TX file is judged."""
    p = lab.inspect(name, prefix, f"pool:{MBUF_POOL}")
    return p.seen.get(f"pool:{MBUF_POOL}", f"nothing (mp_inspect: {p.tail(1)})")


@pytest.fixture(scope="module")
def refuse_tx(lab, traffic, doubles):
    """Serves checks tx_refused_freed and queue_setup_audit: N=2 on net_pcap (TX to /dev/null) with a
    build whose TX queues refuse every odd-length frame and whose queue
    set-ups say what they were asked (tests/02_symmetric_mp/refuse_tx.c)."""
    if doubles is not None:
        return {"build": doubles}
    prefix, d, t = lab.prefix("rtx"), lab.path("rtx"), traffic[2]
    # A sanitized build (tests/sanitize_test.sh) maps DPDK's memory where a
    # secondary may find it taken, unless told where (as its wrappers do).
    eal = unwrapped_eal()
    binary, env = f"{lab.path('doubles')}/symmetric_mp", ["MPW_REFUSE_TX=1"]
    r0 = start_proc(lab, "t0", d, prefix, 0, 2, [*eal, *pcap_vdevs(t, d, 2, "null")], binary=binary, env=env)
    r1 = start_proc(lab, "t1", d, prefix, 1, 2, eal, binary=binary, env=env) if r0.ready else None
    for p in (r0, r1):
        if p is not None:
            p.was_alive = p.alive()
    sent, pool = None, None
    if r1 is not None and r0.was_alive and r1.was_alive:
        if wait_all_consumed(prefix, t, 0) and wait_all_consumed(prefix, t, 1):
            sent = tx_queues(prefix, 2, lambda port, q: t.field(1 - port, q, "good") - odd_good(t, 1 - port, q))
            pool = inspect_pool(lab, prefix, "t_pool")
            # A leak stays; a free that was a moment late does not.
            if not pool.startswith(f"pool {MBUF_POOL}: size {NB_MBUFS}, in use 0,"):
                pool = inspect_pool(lab, prefix, "t_pool2")
        procs.sigint(r1, r0)
    lab.finish(prefix)
    return {"build": None, "procs": (r0, r1), "sent": sent, "pool": pool}


@check("TX queues that refuse the odd-length frames: exact TX and Drop figures, every refused mbuf freed", 5,
       needs=[4])
def test_tx_refused_freed(traffic, refuse_tx, n2_stopped):
    expect(refuse_tx["build"] is None, "a build with the test doubles", refuse_tx["build"])
    r0, r1 = refuse_tx["procs"]
    t = traffic[2]
    expect(r0.ready, f"'{READY}' from the primary", lambda: r0.tail(2), blame_start(r0))
    expect(r1.ready, f"'{READY}' from the secondary", lambda: r1.tail(2), blame_secondary(r1, r0))
    expect(r0.was_alive and r1.was_alive, "both running", lambda: f"{r0.tail(1)} | {r1.tail(1)}",
           blame_start(r1 if r0.was_alive else r0))
    # Each process has added the test double's callback to the 4 TX queues.
    added = "AUDIT TX callbacks on 4 queues"
    expect(r0.count(added) == 1 and r1.count(added) == 1, f"'{added}' from both",
           lambda: " | ".join(r0.lines("AUDIT TX") + r1.lines("AUDIT TX")) or "no such line", verdict.NOT_YOUR_CODE)
    saw = refuse_tx["pool"]
    if saw is not None:
        want = f"pool {MBUF_POOL}: size {NB_MBUFS}, in use 0,"
        expect(saw.startswith(f"pool {MBUF_POOL}: size {NB_MBUFS},"), want, saw, 1)
        expect(saw.startswith(want), f"{want} once the traffic is through (the refused mbufs freed, once)",
               saw, 5)
    # The same traffic without refusals (check 5) gave the right figures:
    # whatever differs here comes of the refusals, TX's (TODO 5). Freeing
    # frames that the driver owns lets RX reuse mbufs in flight, and then
    # the checksum figures are wrong too.
    plain = all(p is not None and printed_stats(p) == t.stats(q) for q, p in enumerate(n2_stopped))
    f = t.field
    for q, p in enumerate((r0, r1)):
        sent = {port: f(1 - port, q, "good") - odd_good(t, 1 - port, q) for port in range(2)}
        compare_stats(p, t, q, blame=5 if plain else None, want=[
            f"Port 0: RX - {f(0, q, 'frames')}, TX - {sent[0]}, Drop - {odd_good(t, 1, q)}",
            f"Port 1: RX - {f(1, q, 'frames')}, TX - {sent[1]}, Drop - {odd_good(t, 0, q)}",
            *t.stats(q)[2:]])
    compare_tx_queues(refuse_tx["sent"], 2, lambda port, q: f(1 - port, q, "good") - odd_good(t, 1 - port, q))


@check("the queue set-up asks for one RX queue per process that drops when full, the descriptors wanted", 3)
def test_queue_setup_audit(refuse_tx):
    expect(refuse_tx["build"] is None, "a build with the test doubles", refuse_tx["build"])
    r0 = refuse_tx["procs"][0]
    expect(r0.ready, f"'{READY}' from the primary", lambda: r0.tail(2), blame_start(r0))
    # On net_pcap: no RX offload is left after the checksum fallback, and
    # rte_eth_dev_adjust_nb_rx_tx_desc() keeps 1024.
    want = [f"AUDIT rx_queue_setup port {port} queue {q} desc 1024 conf given drop_en 1 offloads 0 pool given"
            for port in range(2) for q in range(2)]
    saw = r0.lines("AUDIT rx_queue_setup")
    expect(saw == want, " | ".join(want), " | ".join(saw) or "no rte_eth_rx_queue_setup() call", 3)
    want = [f"AUDIT tx_queue_setup port {port} queue {q} desc 1024" for port in range(2) for q in range(2)]
    saw = [" ".join(line.split()[:8]) for line in r0.lines("AUDIT tx_queue_setup")]
    expect(saw == want, " | ".join(want), " | ".join(saw) or "no rte_eth_tx_queue_setup() call", 3)


@pytest.fixture(scope="module")
def unknown_cksum(lab, traffic, doubles):
    """Serves checks unknown_verdict, configure_audit and adjusted_descriptors: N=1 on net_pcap (TX to /dev/null), whose RX
    checksum offload refuse_rss.c fakes: the program gets it, net_pcap leaves
    every frame's checksum flags UNKNOWN; and which says that it hashes IPv4,
    IPv6 and IPv4 TCP and offers fast free (MPW_FAKE_CAPA)."""
    if doubles is not None:
        return {"build": doubles}
    prefix = lab.prefix("unk")
    vdevs = pcap_vdevs(traffic[1], lab.path("unk"), 1, "null")
    u = start_proc(lab, "u0", lab.path("unk"), prefix, 0, 1, vdevs, binary=f"{lab.path('doubles')}/symmetric_mp",
                   env=["MPW_FAKE_RX_CKSUM=1", "MPW_FAKE_CAPA=1"])
    if u.ready:
        u.wait_for(" checksums", 2, 5)  # its lcores say how they poll after READY
        wait_all_consumed(prefix, traffic[1], 0)
        procs.sigint(u)
    lab.finish(prefix)
    return {"build": None, "proc": u}


@check("the RX checksum offload on, but no verdict from the driver (UNKNOWN): software decides, exact figures", 4,
       needs=[5])
def test_unknown_verdict(traffic, unknown_cksum):
    expect(unknown_cksum["build"] is None, "a build with the test doubles", unknown_cksum["build"])
    u = unknown_cksum["proc"]
    expect(u.ready, f"'{READY}'", lambda: u.tail(2), blame_start(u))
    expect(not u.count("Re-attempting") and u.count("hardware checksums") == 2,
           "no fallback and 'hardware checksums' on both ports (the offload faked)",
           lambda: " | ".join(u.lines("Re-attempting") + u.lines("using port")), 2)
    compare_stats(u, traffic[1], 0)


@check("a device that hashes some IP types and frees fast: configure asks for RSS over those, fast free, checksums", 2)
def test_configure_audit(unknown_cksum):
    expect(unknown_cksum["build"] is None, "a build with the test doubles", unknown_cksum["build"])
    u = unknown_cksum["proc"]
    expect(u.ready, f"'{READY}'", lambda: u.tail(2), blame_start(u))
    # Of RTE_ETH_RSS_IP (0xa38c) the device hashes IPv4 and IPv6 (0x104);
    # nothing refuses, so one rte_eth_dev_configure() a port.
    for port in range(2):
        saw = u.lines(f"AUDIT dev_configure port {port} ")
        fields = saw[0].split() if len(saw) == 1 else []
        got = dict(zip(fields[4::2], fields[5::2]))
        right = (got.get("mq_mode") == "1" and got.get("rss_hf") == "0x104" and got.get("rx_offloads") == "0xe"
                 and int(got.get("tx_offloads", "0"), 16) & 0x10000 != 0)
        expect(right, f"one rte_eth_dev_configure() of port {port}: RSS (mq_mode 1) over rss_hf 0x104, "
               "the RX checksum offloads (0xe), fast free (tx_offloads with 0x10000)",
               " | ".join(saw) or "no such call")
    modified = u.lines("modified RSS hash function")
    expect(len(modified) == 2, "'Port N modified RSS hash function ... configured:0x104' for ports 0 and 1",
           lambda: " | ".join(modified) or "no such line")


# -- the oracle: the driver's verdicts of every kind, against the solution -----------------

# More bad frames than elsewhere, so that each of the 16 verdict pairs of
# MPW_FAKE_VERDICTS falls on good frames and on bad ones.
VERDICTS = {"frames": 600, "bad_ip": 100, "bad_l4": 100, "odd": 40, "seed": 11, "env": ["MPW_FAKE_RX_CKSUM=1", "MPW_FAKE_VERDICTS=1"]}
# TX queues that refuse odd-length frames, and whole bursts that begin
# with one (refuse_tx.c).
TX_BURSTS = {"frames": 600, "bad_ip": 10, "bad_l4": 10, "seed": 12, "env": ["MPW_REFUSE_TX=bursts"]}


def solution_doubles(lab):
    """The solution built with the test doubles (build/tests/LAB/doubles-ref),
    never sanitized: the reference is the plain solution."""
    out = os.path.join(lab.top, "build", "tests", LAB, "doubles-ref")
    with lab.lock(out):
        made = subprocess.run([*doubles_make(lab, os.path.join(lab.top, "solutions", LAB), out), "SANITIZE=", "COVERAGE="],
                              capture_output=True, text=True, check=False, timeout=300)
    if made.returncode != 0:
        raise RuntimeError(f"the solution does not build with the test doubles: {made.stdout[-300:]}")
    return out


def doubles_run(lab, bin_dir, tag, v):
    """One process with the test doubles that scenario V's environment asks
    for, on two net_pcap ports that keep what they send: {"frames": {"pP":
    what port P sent}, "stats": what it printed, "status"}."""
    tag = f"{tag}{v['seed']}"  # names of its own: each scenario's files and prefix
    traffic_dir = lab.path(f"doubles_traffic{v['seed']}")
    if not os.path.isdir(traffic_dir):
        lab.tool("gen_traffic", "--out", traffic_dir, "--ports", 2, "--queues", 1, "--frames", v["frames"],
                 "--bad-ip", v["bad_ip"], "--bad-l4", v["bad_l4"], "--odd", v.get("odd", 0), "--seed", v["seed"])
    directory = lab.path(f"doubles_{tag}")
    shutil.rmtree(directory, ignore_errors=True)
    vdevs = pcap_vdevs(SimpleNamespace(dir=traffic_dir), directory, 1, "file")  # all it reads of a Traffic
    prefix = lab.prefix(f"v{tag}")
    p = start_proc(lab, f"{tag}_v", directory, prefix, 0, 1, vdevs, binary=f"{bin_dir}/symmetric_mp", env=v["env"])
    status = "ran" if p.ready else f"did not start: {p.tail(2)}"
    if p.ready:
        p.wait_for(" checksums", 2, 5)
        waits = [wait_consumed(prefix, port, 0, v["frames"]) for port in (0, 1)]
        if not all(waits):
            status = f"did not receive every frame: {' '.join(str(w) for w in waits)}"
        procs.sigint(p)
    lab.finish(prefix)
    # Port 0's frames leave by port 1, whose TX file is "d"; port 1's by port 0's, "b".
    return {"status": status, "blame": None if p.ready else blame_start(p), "stats": printed_stats(p),
            "frames": {f"p{port}": oracle.pcap_frames(lab, os.path.join(directory, name))
                       for port, name in ((0, "b"), (1, "d"))}}


@check("a driver whose checksum verdicts take every value, some against the bytes: each frame forwarded or "
       "dropped, and counted, as the reference solution does", 4, needs=[1, 2, 3, 5])
def test_verdicts_as_reference(lab, doubles):
    """The oracle (mpwcheck.oracle): the same traffic and the same driver
    verdicts (refuse_rss.c's MPW_FAKE_VERDICTS: each frame's pair of IP and
    L4 verdicts, UNKNOWN, BAD, GOOD or NONE, from a hash of its bytes) through
    the student's program and the solution's; what each port sends, in
    order, and the statistics printed must be the same. One process reads
    each port's file in order: timing changes nothing."""
    expect(doubles is None, "a build with the test doubles", doubles)
    # DEEP=1: other traffic too.
    for v in [VERDICTS] + ([dict(VERDICTS, seed=s) for s in (21, 22, 23)] if oracle.deep() else []):
        name = "verdicts_as_reference" + ("" if v is VERDICTS else f"_s{v['seed']}")
        want = oracle.reference(lab, name, v, lambda bin_dir, tag: doubles_run(lab, bin_dir, tag, v),
                                build=lambda: solution_doubles(lab))
        expect(want is not None or v is not VERDICTS, "the reference's observation (make reference)",
               "none recorded", verdict.NOT_YOUR_CODE)
        if want is None:
            continue
        saw = doubles_run(lab, lab.path("doubles"), "mine", v)
        expect(saw["status"] == "ran", "the process forwards every frame", saw["status"], saw["blame"] or [4, 5])
        bad_lines = [line for line in want["stats"] if "Bad" in line] != [line for line in saw["stats"] if "Bad" in line]
        expect(saw["stats"] == want["stats"], " | ".join(want["stats"]), " | ".join(saw["stats"]) or "no statistics",
               4 if bad_lines else 5)
        differs = oracle.first_difference(want["frames"], saw["frames"], lambda place: f"port {1 - int(place[1:])}")
        expect(differs is None, "the frames each port sends, as the reference's", differs, 4)


@check("a device of at most 512 descriptors a queue: the queues are set up with the counts "
       "rte_eth_dev_adjust_nb_rx_tx_desc() gives", 3, needs=[1, 2])
def test_adjusted_descriptors(unknown_cksum):
    expect(unknown_cksum["build"] is None, "a build with the test doubles", unknown_cksum["build"])
    u = unknown_cksum["proc"]
    want = [f"AUDIT {kind}_queue_setup port {port} queue 0 desc 512" for port in range(2) for kind in ("rx", "tx")]
    saw = [" ".join(line.split()[:8]) for line in u.lines("AUDIT ") if "_queue_setup" in line]
    # No set-up at all: the start failed before it (the pool, configure).
    expect(saw, " | ".join(want), lambda: f"no queue set-up: {u.tail(2)}", blame_start(u))
    expect(sorted(saw) == sorted(want), " | ".join(want), " | ".join(saw), 3)
    expect(u.ready, f"'{READY}'", lambda: u.tail(2), blame_start(u))


@check("TX queues that refuse odd-length frames, and now and then a whole burst: each frame sent or dropped, "
       "and counted, as the reference solution does", 5, needs=[1, 2, 3, 4])
def test_tx_bursts_as_reference(lab, doubles):
    """The oracle (mpwcheck.oracle) with refuse_tx.c's MPW_REFUSE_TX=bursts:
    a burst that rte_eth_tx_burst() refuses whole (it returns 0) must be
    counted and freed like a partial refusal."""
    expect(doubles is None, "a build with the test doubles", doubles)
    want = oracle.reference(lab, "tx_bursts_as_reference", TX_BURSTS,
                            lambda bin_dir, tag: doubles_run(lab, bin_dir, tag, TX_BURSTS),
                            build=lambda: solution_doubles(lab))
    expect(want is not None, "the reference's observation (make reference)", "none recorded", verdict.NOT_YOUR_CODE)
    saw = doubles_run(lab, lab.path("doubles"), "mine", TX_BURSTS)
    expect(saw["status"] == "ran", "the process forwards every frame", saw["status"], saw["blame"] or 5)
    expect(saw["stats"] == want["stats"], " | ".join(want["stats"]), " | ".join(saw["stats"]) or "no statistics", 5)
    differs = oracle.first_difference(want["frames"], saw["frames"], lambda place: f"port {1 - int(place[1:])}")
    expect(differs is None, "the frames each port sends, as the reference's", differs, 5)


def refused_start(lab, traffic, tag, binary, n, env):
    """Starts a primary for N processes, on ports of one queue each (the
    fixture's traffic, which the start never reads), with ENV: its prefix
    and its Proc."""
    prefix, d = lab.prefix(tag), lab.path(tag)
    vdevs = pcap_vdevs(traffic[1], d, 1, "null")
    p = lab.start(tag, [*(["env", *env] if env else []), binary, "--lcores", lcores(0), "--no-pci",
                        "--file-prefix", prefix, "--proc-type=auto", *vdevs, "--",
                        "-p", "3", "--num-procs", n, "--proc-id", 0], cwd=d)
    return prefix, p


@check("ports of one queue each for two processes: configure refuses, with the checksum offload and without; the "
       "primary exits non-zero, saying why", 2, needs=[1])
def test_too_few_queues(lab, traffic):
    """net_pcap has as many RX queues as rx_pcap files: one, for
    --num-procs 2. ethdev refuses (-EINVAL) before any driver is asked,
    with and without the checksum offload: the error is returned, not
    retried for ever, and the primary stops."""
    prefix, p = refused_start(lab, traffic, "fewq", f"{lab.bin}/symmetric_mp", 2, [])
    want = "Error initialising port 0: Invalid argument"
    refused = p.exits_with(want, 15)
    lab.finish(prefix)
    expect(refused, f"a non-zero exit and '{want}'", p.ending, blame_start(p) if not p.count("Error initialising") else 2)


@check("an RX queue set-up, then a TX one, that fails (-ENOMEM): the primary exits non-zero, saying why", 3,
       needs=[1, 2])
def test_queue_setup_fails(lab, traffic, doubles):
    expect(doubles is None, "a build with the test doubles", doubles)
    for kind in ("rx", "tx"):
        prefix, p = refused_start(lab, traffic, f"q{kind}", f"{lab.path('doubles')}/symmetric_mp", 1,
                                  [f"MPW_REFUSE_QUEUE={kind}"])
        want = "Error initialising port 0: Cannot allocate memory"
        refused = p.exits_with(want, 15)
        lab.finish(prefix)
        expect(refused, f"with every {kind.upper()} queue set-up refused: a non-zero exit and '{want}'", p.ending,
               3 if p.count(f"AUDIT {kind}_queue_setup") else blame_start(p))



@check("net_tap: the primary's ports are started and promiscuous (telemetry's /ethdev/info): forwarded frames keep "
       "their destination addresses", 1, 2, 3, guards=["smp_port_init"])
def test_ports_promiscuous(tap):
    """On net_tap, whose ports start out of promiscuous mode (net_null and
    net_ring start in it, net_pcap has none to give): a port that stayed
    out would drop on a NIC every frame not addressed to it, which no
    vdev's traffic shows."""
    expect(tap["netns"] is None, "a network namespace (unshare --net)", tap["netns"], verdict.NOT_YOUR_CODE)
    p = tap["proc"]
    expect(p.ready, f"'{READY}'", lambda: p.tail(2), blame_start(p))
    seen = "; ".join(f"port {port}: dev_started {info.get('dev_started')}, promiscuous {info.get('promiscuous')}"
                     for port, info in enumerate(p.port_info))
    expect(all(info.get("dev_started") == 1 for info in p.port_info), "both ports started", seen, blame_start(p))
    expect(all(info.get("promiscuous") == 1 for info in p.port_info), "both ports promiscuous", seen)
