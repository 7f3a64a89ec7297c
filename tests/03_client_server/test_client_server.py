# SPDX-License-Identifier: BSD-3-Clause
"""Lab 03 (client_server_mp): a server on two net_pcap ports reads
deterministic traffic (gen_traffic) and hands it to its clients; each client
sends its packets out of the paired port on its own TX queue. The server's
final statistics must equal the figures the traffic gives, for round-robin
and for flow-hash distribution; then late clients, a client killed and
restarted, a dead server, and bad input; the late story also looks at the
server's rings and pool from outside (tools/mp_inspect, a secondary: it
re-opens the ports' files, harmless here, as every TX file is a link to
/dev/null).

The checks follow four stories, one server each (its own --file-prefix and
working directory); each stage is a fixture that the next stage builds on,
so that a check run alone (ONLY=) brings up what it needs. The processes
are started as the demo (scripts/lib/client_server.sh) and the fault matrix
(mpwcheck.vdevs) start them: the server on lcore 0, client ID on lcore
ID + 1 mapped to core 1, in the server's directory, where it re-opens the
ports' files by their names."""

import os
import re
import shutil
import signal
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from mpwcheck import doubles, oracle, prefixes, procs, telemetry, verdict
from mpwcheck.verdict import expect

LAB = "03_client_server"
check = pytest.mark.check

FRAMES = 1000
# Round-robin: frames of ports 0 and 1. Odd numbers, so that the last burst
# of each port is odd and a round-robin that restarts at every burst gives
# client 0 more; unequal, so that a client sending a packet out of the port
# it came in on changes the ports' TX.
RR_FRAMES = (1001, 1003)
RR_SHARE = sum(RR_FRAMES) // 2  # each client's, whatever the bursts
LATE_FRAMES = 2500  # per port: more than a client's ring holds
RING_CAPACITY = 2047  # CLIENT_RING_SIZE - 1
RING_NAMES = ("MProc_Client_0_RX", "MProc_Client_1_RX")  # common.h's CLIENT_RING_NAME
SHARE = LATE_FRAMES  # round-robin: half of 2 x LATE_FRAMES each
READ_BURST = 32  # the client's TX buffer: what its flush sends is less, per port
# The server's pool (server_init.c): full rings, descriptors, caches.
POOL_NAME = "MProc_pktmbuf_pool"
POOL_SIZE = 2 * 2048 + 2 * (1024 + 2 * 1024) + (2 + 1) * 512
READY = "APP: Finished Process Init."
READY_SECS = 20
# The server prints its statistics every second (--stats-interval 1).
PERIODIC_CLIENT0 = "Client  0 - rx:"
STATS_SECS = 3


# -- processes -------------------------------------------------------------------------

def alive(p):
    return p is not None and p.alive()


def tail(p, n=3):
    return "" if p is None else p.tail(n)


def count(p, text):
    return 0 if p is None else p.count(text)


def traffic(lab, out, queues, frames):
    """gen_traffic's files for 2 ports in WORK/OUT: QUEUES RSS queues each,
    FRAMES frames per port."""
    path = lab.path(out)
    lab.tool("gen_traffic", "--out", path, "--ports", 2, "--queues", queues, "--frames", frames)
    return path


def server_vdevs(directory, traffic_dir, n):
    """Links in DIRECTORY and the --vdev options of two net_pcap ports: one RX
    file each (TRAFFIC_DIR/p<p>q0.pcap, traffic made with one queue; or
    TRAFFIC_DIR a list of the two ports' directories) and N TX
    queues, one per client, each a sink (a client is a secondary: it re-opens,
    and would truncate, a real TX file). One-letter names: a secondary
    re-parses at most 63 characters of each --vdev."""
    os.makedirs(directory, exist_ok=True)
    letters = iter("abcdefghijklmnopqrstuvwxyz")

    def link(target):
        name = next(letters)
        path = os.path.join(directory, name)
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)
        return name

    vdevs = []
    dirs = [traffic_dir] * 2 if isinstance(traffic_dir, str) else traffic_dir
    for port in (0, 1):
        args = f",rx_pcap={link(os.path.join(dirs[port], f'p{port}q0.pcap'))}"
        for _ in range(n):
            args += f",tx_pcap={link('/dev/null')}"
        vdevs.append(f"--vdev=net_pcap{port}{args}")
    return vdevs


def start_server(lab, name, directory, prefix, vdevs, *server_args):
    p = lab.start(name, [f"{lab.bin}/mp_server", "-l", "0", "--no-pci", "--file-prefix", prefix,
                         "--proc-type=primary", *vdevs, "--", *server_args], cwd=directory)
    p.ready = p.wait_for(READY, 1, READY_SECS)
    return p


def client_argv(lab, prefix, lcores, client_id):
    return [f"{lab.bin}/mp_client", "--lcores", lcores, "--no-pci", "--file-prefix", prefix,
            "--proc-type=secondary", "--", "-n", str(client_id)]


def start_client(lab, name, directory, prefix, client_id):
    """Client CLIENT_ID on its own lcore (CLIENT_ID + 1, on core 1), in the
    server's DIRECTORY: it re-opens the ports' files by their names."""
    p = lab.start(name, client_argv(lab, prefix, f"{client_id + 1}@1", client_id), cwd=directory)
    p.ready = p.wait_for(READY, 1, READY_SECS)
    return p


def start_clients(lab, names, directory, prefix):
    """Clients 0, 1, ... as NAMES, each only once the one before is ready:
    a list as long as NAMES, None for those never started."""
    clients = []
    for client_id, name in enumerate(names):
        if clients and not clients[-1].ready:
            clients.append(None)
            continue
        clients.append(start_client(lab, name, directory, prefix, client_id))
    return clients


def ready(*clients):
    return all(c is not None and c.ready for c in clients)


def blame_client(client, server, clients=2):
    """A client that did not get going: its own fault (TODO 4) unless the
    server died, or the memzone's client count is not the server's CLIENTS
    (TODO 1), as the client's refusal says."""
    if not alive(server):
        return 1
    refusals = [] if client is None else client.lines("is out of range: the server has ")
    m = re.search(r"the server has ([0-9]+) clients", refusals[-1]) if refusals else None
    return 1 if m and int(m.group(1)) != clients else 4


def figure_after(line, word):
    """The number after WORD in LINE (mp_inspect's), or None."""
    m = re.search(rf"\b{word} ([0-9]+)", line or "")
    return int(m.group(1)) if m else None


# -- telemetry -------------------------------------------------------------------------

def wait_received(prefix, frames, frames1=None):
    """The server read FRAMES frames on port 0 and FRAMES1 (FRAMES) on port 1."""
    waited = telemetry.wait_queue(prefix, 0, "rx", 0, frames)
    return waited and telemetry.wait_queue(prefix, 1, "rx", 0, frames if frames1 is None else frames1)


def waits(*steps):
    """Runs STEPS (functions that wait) until one times out: a wait that
    times out spares the others, the figures tell what went wrong."""
    for step in steps:
        waited = step()
        if not waited:
            return waited
    return waited


def shown(figure):
    return "unanswered" if figure is None else figure


# -- the server's statistics -------------------------------------------------------------

def server_figures(p):
    """The server's final statistics, one line per port and per client:
    "port P rx R tx T", "client C rx R rx_drop D tx T tx_drop X dequeued Q", "pool in_use N"."""
    out = []
    final = False
    c = rx = drop = tx = txd = ""
    for line in p.text().splitlines():
        if not final:
            final = line.startswith("Final statistics")
            if not final:
                continue
        if re.match(r"^Port [0-9]+ - rx:", line):
            f = line.split()
            out.append(f"port {f[1]} rx {field(f, 4)} tx {field(f, 6)}")
            continue
        f = line.replace(",", "").split()  # awk's gsub(/,/, "")
        if re.match(r"^Client +[0-9]+ - rx:", line):
            c, rx, drop = f[1], field(f, 4), field(f, 6)
        elif re.match(r"^ +tx: .*tx_drop:", line):
            tx, txd = field(f, 1), field(f, 3)
        elif re.match(r"^ +dequeued:", line):
            out.append(f"client {c} rx {rx} rx_drop {drop} tx {tx} tx_drop {txd} dequeued {field(f, 1)}")
        elif line.startswith("mbufs in use:"):
            out.append(f"pool in_use {field(f, 3)}")
    return out


def field(fields, i):
    return fields[i] if i < len(fields) else ""


def num(text):
    """TEXT as awk takes it for a number: its leading digits, else 0."""
    m = re.match(r"\s*([0-9]+)", text)
    return int(m.group(1)) if m else 0


def figures_line(c, rx, drop, tx):
    """A client's line of server_figures when TX never refuses."""
    return f"client {c} rx {rx} rx_drop {drop} tx {tx} tx_drop 0 dequeued {tx}"


def client_fields(lines):
    return [line.split() for line in lines if line.split()[:1] == ["client"]]


def blame_figures(want, saw, queues=None):
    """Which TODO a wrong set of figures points at. QUEUES: what each
    client's TX queue sent, by telemetry, when known."""
    want_c, saw_c = client_fields(want), client_fields(saw)
    if [x for x in saw if not x.startswith("pool")] == [x for x in want if not x.startswith("pool")]:
        # Every figure right but the mbufs still in use: refused ones not
        # freed, by the server's enqueue or a client's send or flush.
        return [2, 5, 6]
    if saw_c == want_c:
        return 5  # every client's figures right, the ports' TX wrong: the output port

    def handled(clients):  # what the server handed over or dropped, per client
        return [num(field(f, 3)) + num(field(f, 5)) for f in clients]

    if sum(handled(saw_c)) != sum(handled(want_c)):
        return 2
    if handled(saw_c) != handled(want_c):
        return 3  # every packet accounted for, but given to the wrong clients
    if [(field(f, 3), field(f, 5)) for f in saw_c] != [(field(f, 3), field(f, 5)) for f in want_c]:
        return 2  # the right clients, but enqueued and dropped in the wrong amounts
    if queues and any(num(field(f, 7)) < num(field(f, 11)) == queues[i] for i, f in enumerate(saw_c)):
        # Its queue sent all it dequeued, it counted fewer: the count of
        # the send (5) or of the flush (6), in proportions that timing sets.
        return "5 6"
    if any(num(field(f, 7)) == 0 and num(field(f, 11)) > 0 for f in saw_c):
        return 5
    return 6


def expect_figures(server, want, queues=None):
    """The server's final statistics against WANT (server_figures lines);
    QUEUES as blame_figures takes them."""
    saw = server_figures(server)
    expect(saw, f"final statistics from {server.name}", lambda: f"status {server.status}: {server.tail(2)}")
    expect(saw == want, " | ".join(want), " | ".join(saw), blame_figures(want, saw, queues))


def ports_and_clients(n0, n1, frames=(FRAMES, FRAMES)):
    """FRAMES: received on ports 0 and 1; each port sends what the other
    got; every mbuf back in the pool."""
    return [f"port 0 rx {frames[0]} tx {frames[1]}", f"port 1 rx {frames[1]} tx {frames[0]}",
            figures_line(0, n0, 0, n0), figures_line(1, n1, 0, n1), "pool in_use 0"]


def handed_over(server):
    """What the server's next periodic statistics say it handed client 0
    (its rx), or None."""
    server.wait_for(PERIODIC_CLIENT0, server.count(PERIODIC_CLIENT0) + 1, STATS_SECS)
    lines = [line for line in server.text().splitlines() if re.match(r"^Client +0 - rx:", line)]
    if not lines:
        return None
    return field(lines[-1].replace(",", "").split(), 4) or None


# -- round-robin: 2 clients --------------------------------------------------------------

@pytest.fixture(scope="module")
def traffic1(lab):
    """Serves fixtures flow_run and dead_server: the ports' files (traffic made with 1
    queue, FRAMES frames each)."""
    return traffic(lab, "traffic1", 1, FRAMES)


@pytest.fixture(scope="module")
def traffic_rr(lab):
    """Serves fixture rr_server: the ports' directories (1 queue, RR_FRAMES
    frames: port 0's from the first, port 1's from the second)."""
    return [traffic(lab, f"traffic_rr{port}", 1, RR_FRAMES[port]) for port in (0, 1)]


@pytest.fixture(scope="module")
def rr_server(lab, traffic_rr):
    """Serves check server_starts and the fixture rr_clients: the server, round-robin to 2 clients, waiting
    for them."""
    directory = lab.path("rr")
    prefix = lab.prefix("rr")
    srv = start_server(lab, "srv", directory, prefix, server_vdevs(directory, traffic_rr, 2),
                       "-p", 3, "-n", 2)
    srv.waiting = srv.ready and srv.wait_for("Waiting for clients to attach: 0 1", 1, 5)
    return SimpleNamespace(srv=srv, prefix=prefix, directory=directory)


@pytest.fixture(scope="module")
def rr_clients(lab, rr_server):
    """Serves check clients_attach and the fixture rr_stopped: clients 0 and 1 started; the server receives."""
    s = rr_server
    s.alive_before_clients = s.srv.alive()
    s.c0 = s.c1 = None
    s.attached = False
    if s.alive_before_clients:
        s.c0, s.c1 = start_clients(lab, ["c0", "c1"], s.directory, s.prefix)
        if ready(s.c0, s.c1):
            s.attached = s.srv.wait_for("All 2 clients attached: receiving", 1, 5)
    return s


@pytest.fixture(scope="module")
def rr_stopped(rr_clients):
    """Serves checks round_robin_figures and client_summaries: the traffic through, then SIGINT to the
    clients and the server."""
    s = rr_clients
    s.srv_alive = s.srv.alive()
    s.clients_alive = alive(s.c0) and alive(s.c1)
    s.queues = s.port_tx = None
    if s.srv_alive and s.clients_alive:
        waits(lambda: wait_received(s.prefix, *RR_FRAMES),
              lambda: telemetry.wait_sent(s.prefix, 0, RR_SHARE),
              lambda: telemetry.wait_sent(s.prefix, 1, RR_SHARE))
        s.queues = [telemetry.sent(s.prefix, 0), telemetry.sent(s.prefix, 1)]
        by_port = [[telemetry.sent(s.prefix, q, (p,)) for q in (0, 1)] for p in (0, 1)]
        s.port_tx = [None if None in sent else sum(sent) for sent in by_port]
        procs.sigint(s.c0, s.c1, s.srv)
    return s


# -- --flow-hash -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def flow_run(lab, traffic1):
    """Serves check flow_hash_figures: a server distributing by flow hash to 2 clients, the
    traffic through, then SIGINT to all. TRAFFIC2 holds the same frames
    split by RSS into 2 queues: the figures --flow-hash must give."""
    directory = lab.path("flow")
    prefix = lab.prefix("flow")
    fsrv = start_server(lab, "fsrv", directory, prefix, server_vdevs(directory, traffic1, 2),
                        "-p", 3, "-n", 2, "--flow-hash")
    run = SimpleNamespace(fsrv=fsrv, f0=None, f1=None, n0=None, n1=None)
    if not fsrv.ready:
        return run
    run.f0, run.f1 = start_clients(lab, ["f0", "f1"], directory, prefix)
    if not ready(run.f0, run.f1):
        return run
    # The same Toeplitz hash and table as gen_traffic's RSS queues: client i
    # takes exactly what queue i would get.
    frames = {}
    with open(os.path.join(traffic(lab, "traffic2", 2, FRAMES), "expected.txt")) as f:
        for line in f:
            w = line.split()
            if len(w) >= 6 and w[0] == "port" and w[2] == "queue":
                frames[(int(w[1]), int(w[3]))] = int(w[5])
    run.n0 = frames[(0, 0)] + frames[(1, 0)]
    run.n1 = frames[(0, 1)] + frames[(1, 1)]
    waits(lambda: wait_received(prefix, FRAMES),
          lambda: telemetry.wait_sent(prefix, 0, run.n0),
          lambda: telemetry.wait_sent(prefix, 1, run.n1))
    procs.sigint(run.f0, run.f1, fsrv)
    return run


# -- --no-wait, late clients, client 1 killed --------------------------------------------

@pytest.fixture(scope="module")
def late_run(lab):
    """Serves checks no_wait_late_clients and late_objects_seen_from_outside and the fixture late_restart: a server with --no-wait and no client yet
    reads LATE_FRAMES per port; mp_inspect looks at its rings and pool; then
    clients 0 and 1 start and send what their rings kept. After a first
    failure the rest still runs, so that check 7 can."""
    directory = lab.path("late_run")
    prefix = lab.prefix("late")
    late = traffic(lab, "late", 1, LATE_FRAMES)
    lsrv = start_server(lab, "lsrv", directory, prefix, server_vdevs(directory, late, 2),
                        "-p", 3, "-n", 2, "--no-wait")
    run = SimpleNamespace(lsrv=lsrv, prefix=prefix, directory=directory, l0=None, l1=None)
    if not lsrv.ready:
        return run
    # What each step saw is kept as it failed: the later steps go on.
    run.received = wait_received(prefix, LATE_FRAMES)
    # Client 1's ring fills only by TODO 2's enqueue, of what TODO 3 hands it.
    run.not_drained = lsrv.wait_for("Client 1: ring not drained: no client 1 running", 1, 5,
                                    unless=lab.stubbed(2, 3))
    run.not_drained_saw = lsrv.tail(2)
    # Every frame received, no client: nothing moves until the clients come.
    run.seen = lab.inspect("inspect_late", prefix, "ring:" + RING_NAMES[0], "ring:" + RING_NAMES[1],
                           "pool:" + POOL_NAME, cwd=directory).seen if run.received and lsrv.alive() else {}
    run.l0, run.l1 = start_clients(lab, ["l0", "l1"], directory, prefix)
    run.clients_saw = f"{tail(run.l0, 1)} / {tail(run.l1, 1)}"
    run.clients_blame = blame_client(run.l0, lsrv)
    run.sent = waits(lambda: telemetry.wait_sent(prefix, 0, RING_CAPACITY),
                     lambda: telemetry.wait_sent(prefix, 1, RING_CAPACITY))
    run.sent0, run.sent1 = telemetry.sent(prefix, 0), telemetry.sent(prefix, 1)
    return run


@pytest.fixture(scope="module")
def late_restart(lab, late_run):
    """Serves check client_killed_restarted: client 1 killed with SIGKILL and started again; a
    second client 1 tried; then SIGINT to the clients and the server."""
    run = late_run
    run.alive_before_kill = run.lsrv.alive() and alive(run.l1)
    run.r1 = run.dup = None
    run.dup_refused = False
    if not run.alive_before_kill:
        return run
    run.l1.stop(signal.SIGKILL)
    run.r1 = start_client(lab, "r1", run.directory, run.prefix, 1)
    if not run.r1.ready:
        return run
    run.dup = lab.start("dup", client_argv(lab, run.prefix, "5@1", 1), cwd=run.directory)
    run.dup_refused = run.dup.exits_with("Client 1 is already running")
    if run.dup_refused:
        procs.sigint(run.l0, run.r1, run.lsrv)
    return run


# -- one client, a server that dies -------------------------------------------------------

@pytest.fixture(scope="module")
def dead_server(lab, traffic1):
    """Serves check client_id_out_of_range and the fixture dead_client: a server for 1 client, --no-wait; a client
    with id 1 tried."""
    directory = lab.path("dead")
    prefix = lab.prefix("dead")
    dsrv = start_server(lab, "dsrv", directory, prefix, server_vdevs(directory, traffic1, 1),
                        "-p", 3, "-n", 1, "--no-wait")
    run = SimpleNamespace(dsrv=dsrv, prefix=prefix, directory=directory, far=None, far_refused=False)
    if dsrv.ready:
        run.far = lab.start("far", client_argv(lab, prefix, "5@1", 1), cwd=directory)
        run.far_refused = run.far.exits_with("Client id 1 is out of range")
    return run


@pytest.fixture(scope="module")
def dead_client(lab, dead_server):
    """Serves check single_client_server_death: client 0 sends every packet; then the server is
    killed with SIGKILL and the client must notice. Its files are removed
    at the end, as nothing cleans up after a killed server."""
    run = dead_server
    run.alive_before_client = run.dsrv.alive()
    run.d0 = None
    run.traffic_ok = False
    run.handed = run.client_sent = None
    run.died = False
    if run.alive_before_client:
        run.d0 = start_client(lab, "d0", run.directory, run.prefix, 0)
        run.d0_blame = blame_client(run.d0, run.dsrv, 1)  # before the end of the run stops the server
        if run.d0.ready:
            run.traffic_ok = bool(waits(lambda: wait_received(run.prefix, FRAMES),
                                        lambda: telemetry.wait_sent(run.prefix, 0, 2 * FRAMES))) \
                and telemetry.sent(run.prefix, 0) == 2 * FRAMES
            if not run.traffic_ok:
                # One client, started late (--no-wait): its ring kept all
                # 2000 packets. The server's next periodic statistics say
                # whether it handed them over.
                run.handed = handed_over(run.dsrv)
                run.client_sent = telemetry.sent(run.prefix, 0)
            else:
                run.dsrv.stop(signal.SIGKILL)
                run.died = run.d0.exits_with("The server died", 5)
    lab.finish(run.prefix)
    return run


# -- the oracle: what each client sends, against the solution's clients ------------------

# Three ports, the middle one left out of the mask (0x5): ports 0 and 2 are
# paired, so that "the port next to mine" is not the paired one. Three
# clients, round-robin; few enough frames that no ring fills, so that
# what each client gets, and sends in which order, is set by the server's
# round-robin alone.
ORACLE = {"ports": 3, "mask": "5", "clients": 3, "frames": 300, "seed": 7}
ORACLE_PORTS = (0, 2)
# The same ports, --no-wait and no client yet: more frames than the two
# clients' rings hold; the rings fill to their last slot and the rest is
# dropped, then the clients come and send what the rings kept.
# Three clients: each gets 10 or 11 of a 32-frame burst, so that a client's
# pending slots past this burst's count hold the last burst's mbufs.
ORACLE_FULL = {"ports": 3, "mask": "5", "clients": 3, "frames": 4000, "seed": 7, "no_wait": True}
# ORACLE again, the clients' TX queues refusing the odd-length frames
# (tests/03_client_server/refuse_tx.c).
ORACLE_REFUSE = dict(ORACLE, refuse="1")
REFUSE_TX = (["03_client_server/refuse_tx.c"], ["rte_memzone_lookup"])


def oracle_dirs(lab, work, traffic_dir, clients, ports):
    """The server's and each client's working directory, and the --vdev
    options they all share: the same names, linked otherwise in each. Port
    P's TX queue K is client K's: in its directory a capture file,
    work/cap/pPqK.pcap; /dev/null elsewhere (a secondary re-opens, and
    truncates, every TX file of a port)."""
    dirs = [os.path.join(work, "server")] + [os.path.join(work, f"client{k}") for k in range(clients)]
    os.makedirs(os.path.join(work, "cap"), exist_ok=True)
    for d in dirs:
        os.makedirs(d, exist_ok=True)
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    vdevs = []
    for port in range(ports):
        rx = next(letters)
        for d in dirs:
            os.symlink(os.path.join(traffic_dir, f"p{port}q0.pcap"), os.path.join(d, rx))
        args = f",rx_pcap={rx}"
        for queue in range(clients):
            tx = next(letters)
            for i, d in enumerate(dirs):
                target = os.path.join(work, "cap", f"p{port}q{queue}.pcap") if i == queue + 1 else "/dev/null"
                os.symlink(target, os.path.join(d, tx))
            args += f",tx_pcap={tx}"
        vdevs.append(f"--vdev=net_pcap{port}{args}")
    return dirs, vdevs


def oracle_run(lab, bin_dir, tag, o=ORACLE):
    """The oracle's scenario O on the programs in BIN_DIR: {"frames":
    {"pPqK": the frames port P's queue K sent}, "server": its final figures,
    "status": how it went, "blame": the TODO a start that failed points at}."""
    # Names of its own: each scenario's logs and prefix.
    tag = f"{tag}{o['frames']}c{o['clients']}s{o['seed']}" + ("r" if o.get("refuse") else "")
    work = lab.path(f"oracle_{tag}")
    shutil.rmtree(work, ignore_errors=True)
    traffic_dir = lab.path(f"oracle_traffic{o['frames']}s{o['seed']}")
    if not os.path.isdir(traffic_dir):
        lab.tool("gen_traffic", "--out", traffic_dir, "--ports", o["ports"], "--queues", 1,
                 "--frames", o["frames"], "--seed", o["seed"])
    dirs, vdevs = oracle_dirs(lab, work, traffic_dir, o["clients"], o["ports"])
    prefix = lab.prefix(f"or{tag}")
    # A build of the check's own (test doubles) runs without the sanitized
    # run's wrappers: its processes are told where to map, as they would be.
    eal = doubles.unwrapped_eal() if bin_dir != lab.bin else []
    srv = lab.start(f"{tag}_srv", [f"{bin_dir}/mp_server", "-l", "0", "--no-pci", *eal, "--file-prefix", prefix,
                                   "--proc-type=primary", *vdevs, "--", "-p", o["mask"], "-n", o["clients"],
                                   *(["--no-wait"] if o.get("no_wait") else [])],
                    cwd=dirs[0])
    observed = {"status": "ran", "blame": None}
    clients = []
    total = o["frames"] * len(ORACLE_PORTS)
    if not srv.wait_for(READY, 1, READY_SECS):
        observed.update(status=f"the server did not start: {srv.tail(2)}", blame=1)
    elif o.get("no_wait") and not telemetry.wait_until(
            lambda: sum(telemetry.queue_packets(prefix, p, "rx", 0, gone=True) or 0 for p in ORACLE_PORTS),
            total, "frames received on ports 0 and 2"):
        observed.update(status=f"the server did not receive every frame: {srv.tail(2)}", blame=2)
    else:
        if o.get("no_wait"):
            # Its next statistics come after its last burst was handed over.
            srv.wait_for(PERIODIC_CLIENT0, srv.count(PERIODIC_CLIENT0) + 1, STATS_SECS)
        for k in range(o["clients"]):
            env = ["env", f"MPW_REFUSE_TX={o['refuse']}"] if o.get("refuse") else []
            c = lab.start(f"{tag}_c{k}", [*env, f"{bin_dir}/mp_client", "--lcores", f"{k + 1}@1", "--no-pci", *eal,
                                          "--file-prefix", prefix, "--proc-type=secondary", "--", "-n", str(k)],
                          cwd=dirs[k + 1])
            clients.append(c)
            if not c.wait_for(READY, 1, READY_SECS):
                observed.update(status=f"client {k} did not start: {c.tail(2)}",
                                blame=blame_client(c, srv, o["clients"]))
                break
    if observed["status"] == "ran":
        queues = range(o["clients"])
        # What the rings kept (at most all of it) leaves by the clients;
        # TX queues that refuse the odd-length frames send the others.
        out = min(total, o["clients"] * RING_CAPACITY)
        if o.get("refuse"):
            out = sum(1 for p in ORACLE_PORTS for f in oracle.pcap_frames(lab, os.path.join(traffic_dir, f"p{p}q0.pcap"))
                      if int(f.split()[0]) % 2 == 0)
        waits(lambda: telemetry.wait_until(
                  lambda: sum(telemetry.queue_packets(prefix, p, "rx", 0, gone=True) or 0 for p in ORACLE_PORTS),
                  total, "frames received on ports 0 and 2"),
              lambda: telemetry.wait_until(
                  lambda: sum(telemetry.sent(prefix, q, ORACLE_PORTS, gone=True) or 0 for q in queues),
                  out, "frames sent on ports 0 and 2"))
    procs.sigint(*clients, srv)
    lab.finish(prefix)
    observed["server"] = server_figures(srv)
    observed["frames"] = {f"p{port}q{queue}": oracle.pcap_frames(lab, os.path.join(work, "cap", f"p{port}q{queue}.pcap"))
                          for port in range(o["ports"]) for queue in range(o["clients"])}
    return observed


def oracle_place(place):
    port, queue = place[1:].split("q")
    return f"port {port}, queue {queue} (client {queue}'s)"


def blame_frames(want, saw):
    """Which TODO the frames point at, by reasoning (substitution blames
    first, where it can). The clients given other frames than the
    reference's, by the server's own figures: the distribution (3), or
    fewer handed over in all, the enqueue (2). Else the clients' fault: a
    few frames astray or missing, those a flush sends (6); most of them,
    the send (5)."""
    def handed(figures):
        return [f[3] for f in client_fields(figures)]

    if handed(saw["server"]) != handed(want["server"]):
        given = [num(x) for x in handed(saw["server"])]
        return 3 if sum(given) == sum(num(x) for x in handed(want["server"])) else 2
    every = [Counter(f for frames in x["frames"].values() for f in frames) for x in (want, saw)]
    if every[0] != every[1] and sum(every[0].values()) == sum(every[1].values()):
        # As many frames, not the same: mbufs that a ring still held were
        # freed, and received into again.
        return 2
    wrong = total = 0
    for place in set(want["frames"]) | set(saw["frames"]):
        w, s = Counter(want["frames"].get(place, [])), Counter(saw["frames"].get(place, []))
        wrong += sum((w - s).values()) + sum((s - w).values())
        total += sum(w.values())
    return 6 if wrong * 4 < total else 5


# -- the checks --------------------------------------------------------------------------

@check("the server creates the pool, the memzone and the rings, then waits for its clients", 1)
def test_server_starts(rr_server):
    srv = rr_server.srv
    expect(srv.ready, f"'{READY}'", lambda: srv.tail(2))
    expect(srv.waiting, "'Waiting for clients to attach: 0 1'", lambda: srv.tail(2))


@check("both clients find their ring and the memzone; then the server receives", 4)
def test_clients_attach(rr_clients):
    s = rr_clients
    expect(s.alive_before_clients, "the server running", lambda: s.srv.tail(2), 1)
    expect(ready(s.c0, s.c1), f"'{READY}' from clients 0 and 1",
           lambda: f"{tail(s.c0, 1)} / {tail(s.c1, 1)}", blame_client(s.c0, s.srv))
    expect(s.attached, "'All 2 clients attached: receiving'", lambda: s.srv.tail(2))


@check("round-robin to 2 clients: exact figures, every packet received, handed over and sent", 2, 3, 5, 6)
def test_round_robin_figures(rr_stopped):
    s = rr_stopped
    expect(s.srv_alive, "the server running", lambda: s.srv.tail(2), 1)
    expect(s.clients_alive, "clients 0 and 1 running", lambda: f"{tail(s.c0, 1)} / {tail(s.c1, 1)}", 4)
    # Round-robin over 2004 packets: 1002 each, whatever the port and the
    # bursts (one that restarts at each burst gives client 0 one more for
    # every odd burst); each port sends what the other received.
    expect_figures(s.srv, ports_and_clients(RR_SHARE, RR_SHARE, RR_FRAMES), s.queues)
    # What each port really sent (its TX queues' counters), not what the
    # clients counted: each port sends what the other received. Packets out
    # of another port than the one they are counted under: the send (5) or
    # the idle flush (6), which sends at every pause, in proportions that
    # timing sets: no figure tells which.
    want = [RR_FRAMES[1], RR_FRAMES[0]]
    expect(s.port_tx == want, f"ports 0 and 1 sending {want[0]} and {want[1]} packets (their TX queues' counters)",
           f"ports 0 and 1 sent {s.port_tx}: packets out of another port than the one counted", "5 6")


def summary_blame(server, saw):
    if count(server, READY) == 0:
        return 1
    if not saw:
        return 4
    if f"dequeued {RR_SHARE}," not in saw:
        return "2 3"  # the hand-over
    if "sent 0," in saw:
        return 5
    return 6


@check("each client's own summary on SIGINT agrees", 5, 6, needs=[2, 3])
def test_client_summaries(rr_stopped):
    s = rr_stopped
    for client_id, client in ((0, s.c0), (1, s.c1)):
        want = f"Client {client_id}: dequeued {RR_SHARE}, sent {RR_SHARE}, tx_drop 0"
        prefix = f"Client {client_id}: dequeued"
        saw = "\n".join(line[line.index(prefix):] for line in (client.lines(prefix) if client else []))
        expect(count(client, want) == 1, want, lambda: saw or tail(client, 1), summary_blame(s.srv, saw))


@check("--flow-hash: each client gets exactly the packets of its flows", 3, needs=[2, 5, 6])
def test_flow_hash_figures(flow_run):
    run = flow_run
    expect(run.fsrv.ready, f"'{READY}'", lambda: run.fsrv.tail(2), 1)
    expect(ready(run.f0, run.f1), f"'{READY}' from clients 0 and 1",
           lambda: f"{tail(run.f0, 1)} / {tail(run.f1, 1)}", blame_client(run.f0, run.fsrv))
    expect_figures(run.fsrv, ports_and_clients(run.n0, run.n1))


def late_send_blame(*sent):
    """Which TODO the late clients' TX queues (what each sent, on ports 0
    and 1 together) point at. A client drains a full ring 32 at a time, so
    its TX buffers fill and send all but the last packets, fewer than
    READ_BURST per port, which only its flush sends. Nothing sent: no TX at
    all (5). A queue that sent more than its client's ring kept: a client
    sent on another's queue, most of a ring (5) or only what it flushed (6).
    Else the last ones were never flushed (6)."""
    counts = [c or 0 for c in sent]
    if not any(counts):
        return 5
    excess = max(counts) - RING_CAPACITY
    if excess > 0:
        return 5 if excess >= 2 * READ_BURST else 6
    return 6


@check("--no-wait with no client yet: full rings drop and count the rest; late clients send what was kept", 2, 3,
       needs=[5, 6])
def test_no_wait_late_clients(late_run):
    run = late_run
    expect(run.lsrv.ready, f"'{READY}'", lambda: run.lsrv.tail(2), 1)
    expect(run.received, f"the server receives {LATE_FRAMES} frames per port with no client", run.received)
    expect(run.not_drained, "'Client 1: ring not drained: no client 1 running'", run.not_drained_saw)
    expect(ready(run.l0, run.l1), f"'{READY}' from clients 0 and 1", run.clients_saw, run.clients_blame)
    expect(run.sent, f"each late client sends the {RING_CAPACITY} packets its ring kept",
           f"client 0: {shown(run.sent0)}, client 1: {shown(run.sent1)}", late_send_blame(run.sent0, run.sent1))


@check("client 1 killed with SIGKILL and restarted: a second one is refused, the totals add up", 4,
       needs=[2, 3, 5, 6])
def test_client_killed_restarted(late_restart):
    run = late_restart
    expect(run.alive_before_kill, "the server and client 1 running",
           lambda: f"{run.lsrv.tail(1)} / {tail(run.l1, 1)}", blame_client(run.l1, run.lsrv))
    expect(run.r1.ready, f"'{READY}' from client 1 started again", lambda: run.r1.tail(2),
           blame_client(run.r1, run.lsrv))
    expect(run.dup_refused, "a second client 1 exits non-zero: 'Client 1 is already running'",
           run.dup.ending)
    # Each ring kept 2047 of its 2500 packets and dropped the rest.
    drop = SHARE - RING_CAPACITY
    saw = server_figures(run.lsrv)
    want = [figures_line(0, RING_CAPACITY, drop, RING_CAPACITY),
            figures_line(1, RING_CAPACITY, drop, RING_CAPACITY)]
    clients = [line for line in saw if line.startswith("client")]
    expect(clients == want, "|".join(want), "|".join(clients), blame_figures(want, saw))
    ports = [line for line in saw if line.startswith("port")]
    totals = (sum(num(field(p.split(), 3)) for p in ports), sum(num(field(p.split(), 5)) for p in ports))
    expect(totals == (2 * LATE_FRAMES, 2 * RING_CAPACITY),
           f"ports: rx {2 * LATE_FRAMES} and tx {2 * RING_CAPACITY} in all", "|".join(ports), 2)


@check("a client id at or above the server's client count is refused", 4)
def test_client_id_out_of_range(dead_server):
    run = dead_server
    expect(run.dsrv.ready, f"'{READY}'", lambda: run.dsrv.tail(2), 1)
    message = "Client id 1 is out of range"
    expect(run.far_refused, f"a non-zero exit and '{message}'",
           run.far.ending)


@check("one client gets every packet; it notices that its server died and exits non-zero", 4, needs=[2, 5, 6])
def test_single_client_server_death(dead_client):
    run = dead_client
    expect(run.alive_before_client, "the server running", lambda: run.dsrv.tail(2), 1)
    expect(run.d0.ready, f"'{READY}' from client 0", lambda: run.d0.tail(2), run.d0_blame)
    expect(run.traffic_ok, f"a single client sends all {2 * FRAMES} packets, exactly",
           lambda: f"the server handed over {run.handed or 'nothing'}; the client sent {shown(run.client_sent)}",
           "5 6" if run.handed == str(2 * FRAMES) else "2 3")
    expect(run.died, "within 5 s: 'The server died: stopping client 0', a non-zero exit",
           lambda: f"status {run.d0.status}: {run.d0.tail(2)}")


# -- bad input: code outside the TODOs ("guards" in tests/03_client_server/manifest.toml) -------------

def bad(what, guard, message, program, *args, id):
    return pytest.param(message, program, args, id=id, marks=check(f"bad input: {what}", guards=[guard]))


SERVER_EAL = ("-l", "0", "--no-pci", "--file-prefix", "{bad}", "--vdev", "net_null0", "--vdev", "net_null1", "--")
CLIENTS_WANT = "-n wants a number of clients from 1 to 16"


@pytest.mark.parametrize("message, program, args", [
    bad("mp_server -n 0", "server_parse_args", CLIENTS_WANT, "mp_server", *SERVER_EAL, "-p", "3", "-n", "0",
        id="server_no_clients"),
    bad("mp_server -n 17", "server_parse_args", CLIENTS_WANT, "mp_server", *SERVER_EAL, "-p", "3", "-n", "17",
        id="server_too_many_clients"),
    bad("mp_server with one port (-p 1)", "select_ports", "must select an even number of ports",
        "mp_server", *SERVER_EAL, "-p", "1", "-n", "1", id="server_one_port"),
    # Two that exist and two that do not: refused, not run on the two.
    bad("mp_server with two ports that do not exist beside two that do (-p 0xf)", "select_ports",
        "names ports that do not exist", "mp_server", *SERVER_EAL, "-p", "0xf", "-n", "1", id="server_absent_ports"),
    bad("mp_server without -n", "server_parse_args", "-p and -n are both required", "mp_server", *SERVER_EAL, "-p", "3",
        id="server_without_n"),
    bad("mp_client -n 16", "parse_args", "-n wants a client id from 0 to 15",
        "mp_client", "-l", "1", "--no-pci", "--file-prefix", "{none}", "--", "-n", "16",
        id="client_id_too_high"),
    bad("mp_client with no server", "attach_to_server", "start mp_server first",
        "mp_client", "-l", "1", "--no-pci", "--file-prefix", "{none}", "--proc-type=secondary", "--", "-n", "0",
        id="client_no_server"),
])
def test_bad_input(lab, request, message, program, args):
    prefixes = {"bad": lab.prefix("bad"), "none": lab.prefix("none")}
    argv = [f"{lab.bin}/{program}", *(a.format(**prefixes) for a in args)]
    p = lab.start(f"bad_{request.node.callspec.id}", argv)
    expect(p.exits_with(message), f"a non-zero exit and '{message}'", p.ending)


@check("with no client yet, seen from outside: full single-producer, single-consumer rings; no mbuf astray", 1, 2,
       needs=[3])
def test_late_objects_seen_from_outside(late_run):
    run = late_run
    expect(run.lsrv.ready, f"'{READY}'", lambda: run.lsrv.tail(2), 1)
    expect(run.received, f"the server receives {LATE_FRAMES} frames per port with no client", run.received)
    # Only the server enqueues on a ring, only its client dequeues.
    for ring in RING_NAMES:
        want = f"ring {ring}: producer single, consumer single, size 2048, capacity {RING_CAPACITY}"
        saw = run.seen.get(f"ring:{ring}", "nothing (mp_inspect found no such ring)")
        expect(saw.startswith(want + ","), want, saw, 1)
    # More frames came than the rings hold: each is full to the last slot,
    # what did not fit dropped (a burst refused whole leaves slots free). An
    # empty ring beside one that got packets was never chosen (3).
    counts = {ring: figure_after(run.seen[f"ring:{ring}"], "count") or 0 for ring in RING_NAMES}
    for ring, count in counts.items():
        chosen_elsewhere = count == 0 and any(counts.values())
        expect(count == RING_CAPACITY, f"ring {ring} full: count {RING_CAPACITY}", run.seen[f"ring:{ring}"],
               3 if chosen_elsewhere else 2)
    want = f"pool {POOL_NAME}: size {POOL_SIZE}"
    saw = run.seen.get(f"pool:{POOL_NAME}", "nothing (mp_inspect found no such pool)")
    expect(saw.startswith(want + ","), want, saw, 1)
    # With no client, every mbuf out of the pool sits in a ring: what a
    # full ring refused went back to the pool.
    in_rings = sum(figure_after(run.seen[f"ring:{r}"], "count") or 0 for r in RING_NAMES)
    expect(figure_after(saw, "in use") == in_rings,
           f"the pool's mbufs in use = the {in_rings} in the rings (the refused ones freed)", saw, 2)


@check("three ports, mask 0x5, three clients: each client sends, frame by frame, per port and queue, what the "
       "reference solution's clients send", 2, 3, 5, 6, needs=[1, 4])
def test_frames_as_reference(lab):
    """The oracle (mpwcheck.oracle): the same traffic through the student's
    server and clients and through the solution's; the frames captured per
    port and TX queue (each client's queue is its own file) must be the
    same, in the same order. Timing cannot change them: no ring fills, and
    the server's round-robin alone decides which client gets a frame."""
    # DEEP=1: also 1, 2 and 4 clients, and other traffic.
    scenarios = [ORACLE] + ([dict(ORACLE, clients=c, seed=s) for c in (1, 2, 4) for s in (8, 9)]
                            if oracle.deep() else [])
    for o in scenarios:
        name = "frames_as_reference" if o is ORACLE else f"frames_as_reference_c{o['clients']}s{o['seed']}"
        want = oracle.reference(lab, name, o, lambda bin_dir, tag: oracle_run(lab, bin_dir, tag, o))
        if want is None:
            continue  # a template without solutions/, and nothing recorded of this one
        saw = oracle_run(lab, lab.bin, "mine", o)
        what = f" ({o['clients']} clients, seed {o['seed']})" if o is not ORACLE else ""
        expect(saw["status"] == "ran", f"the server and its {o['clients']} clients start{what}", saw["status"],
               saw["blame"])
        differs = oracle.first_difference(want["frames"], saw["frames"], oracle_place)
        expect(differs is None, f"each client's frames, per port and queue, as the reference's clients send them{what}",
               differs, blame_frames(want, saw))
        pool = [[x for x in o["server"] if x.startswith("pool")] for o in (want, saw)]
        expect(pool[0] == pool[1], f"the mbufs in use at the end, as the reference's: {' '.join(pool[0])}{what}",
               " ".join(pool[1]) or "no such figure", [2, 5, 6])


@check("TX queues that refuse the odd-length frames: the clients send what the reference's clients send, count the "
       "refused in tx_drop and free them", 5, 6, needs=[1, 4])
def test_tx_refused_as_reference(lab):
    """The oracle (mpwcheck.oracle) with every TX queue refusing the frames
    of odd length (refuse_tx.c), as a full queue refuses: each client's
    frames per port and queue, and the server's final figures (each
    client's tx and tx_drop, the mbufs in use at the end), as the
    reference's. Timing cannot change them: the refusals depend on the
    frames alone, and no ring fills."""
    bin_dir, why = doubles.build(lab, "refuse_tx", *REFUSE_TX)
    expect(why is None, "a build with the test double", why, verdict.NOT_YOUR_CODE)
    want = oracle.reference(lab, "tx_refused_as_reference", ORACLE_REFUSE,
                            lambda d, tag: oracle_run(lab, d, tag, ORACLE_REFUSE),
                            build=lambda: doubles.build(lab, "refuse_tx", *REFUSE_TX, reference=True)[0])
    expect(want is not None, "the reference's observation (make reference)", "none recorded", verdict.NOT_YOUR_CODE)
    saw = oracle_run(lab, bin_dir, "mine", ORACLE_REFUSE)
    expect(saw["status"] == "ran", "the server and its 3 clients start, and send every even-length frame",
           saw["status"], saw["blame"] or [5, 6])
    expect(saw["server"] == want["server"], " | ".join(want["server"]), " | ".join(saw["server"]) or "no statistics",
           blame_figures(want["server"], saw["server"]))
    differs = oracle.first_difference(want["frames"], saw["frames"], oracle_place)
    expect(differs is None, "each client's frames, per port and queue, as the reference's clients send them",
           differs, blame_frames(want, saw))


@check("--no-wait, three ports, mask 0x5: the rings fill to their last slot while no client runs; then each "
       "client sends, frame by frame, what the reference solution's clients send", 2, 3, 5, 6, needs=[1, 4])
def test_full_rings_as_reference(lab):
    """The oracle again, on full rings: what a ring kept, and in which
    order, is the reference's only if the enqueue took the front of each
    burst, counted it and freed exactly the rest. Timing cannot change it:
    the clients start once the server's statistics say the last burst was
    handed over."""
    want = oracle.reference(lab, "full_rings_as_reference", ORACLE_FULL,
                            lambda bin_dir, tag: oracle_run(lab, bin_dir, tag, ORACLE_FULL))
    expect(want is not None, "the reference's observation (make reference)", "none recorded", verdict.NOT_YOUR_CODE)
    saw = oracle_run(lab, lab.bin, "mine", ORACLE_FULL)
    expect(saw["status"] == "ran", "the server receives every frame, then its 3 clients start", saw["status"],
           saw["blame"])
    expect(saw["server"] == want["server"], " | ".join(want["server"]), " | ".join(saw["server"]) or "no statistics",
           blame_figures(want["server"], saw["server"]))
    differs = oracle.first_difference(want["frames"], saw["frames"], oracle_place)
    expect(differs is None, "each client's frames, per port and queue, as the reference's clients send them",
           differs, blame_frames(want, saw))


# What no vdev shows: a creation that fails (tests/lib/doubles/fail_create.c).
CREATE_FAILED = "Cannot create the shared objects: Cannot allocate memory"
SHARED_OBJECTS = ["MProc_pktmbuf_pool", "MProc_port_info", "MProc_Client_0_RX", "MProc_Client_1_RX"]


@pytest.fixture(scope="module")
def fail_create(lab):
    """Serves check creation_fails: the lab built with fail_create.c; a server of two
    clients for each object, whose creation fails with ENOMEM."""
    return doubles.failing_creations(
        lab, SHARED_OBJECTS,
        lambda out, prefix: [f"{out}/mp_server", "-l", "0", "--no-pci", "--file-prefix", prefix,
                             "--proc-type=primary", "--vdev", "net_null0", "--vdev", "net_null1", "--",
                             "-p", "3", "-n", "2"], CREATE_FAILED)


@check("a creation that fails (no memory for the pool, the memzone or a ring): the server exits non-zero, "
       "saying why", 1)
def test_creation_fails(fail_create):
    """Each object in turn cannot be created (ENOMEM), as with no hugepage
    memory left: server_create_shared() must return -rte_errno, which
    main() prints."""
    doubles.judge_failing_creations(fail_create, CREATE_FAILED, 1)


@check("a client whose primary is another program (without the server's objects): it exits non-zero, and "
       "does not run on", 4)
def test_client_without_server(lab):
    """tools/mp_stub_primary, a primary of the kit's that creates nothing:
    the memzone's lookup fails, and the client must stop there with a
    message of its own (rte_exit(), status 1), not crash nor run."""
    prefix = lab.prefix("stub")
    stub = doubles.stub_primary(lab, "stub", prefix)
    # The ordered shutdown's lock file, as a server makes it at its start
    # (common/mpw_shutdown.c): else the client stops before it looks up.
    with open(os.path.join(prefixes.runtime_dir(prefix), "mpw_secondaries"), "w"):
        pass
    c = lab.start("stubbed", client_argv(lab, prefix, "1@1", 0))
    ran_on = c.wait_for(READY, 1, 10)
    if ran_on:
        c.stop(signal.SIGKILL)
    else:
        c.wait_exit(1)
    stub.send()
    lab.finish(prefix)
    expect(not ran_on and c.status == 1, "a non-zero exit (rte_exit(): status 1), with no 'APP: Finished Process "
           "Init.'", lambda: f"it ran on: {c.tail(2)}" if ran_on else f"status {c.status}: {c.tail(2)}", 4)
