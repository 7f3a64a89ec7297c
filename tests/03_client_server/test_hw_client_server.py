# SPDX-License-Identifier: BSD-3-Clause
"""Lab 03 on real ports (make check LAB=03 PORTS="0000:3b:00.0 0000:3b:00.1").

The traffic comes from outside: what holds for any traffic is checked.
Every packet received was handed to a client or dropped by a full ring, and
each client sent or counted as refused everything it was handed. Send
traffic into the ports while it runs (DURATION seconds, default 10)."""

import os
import time

import pytest

from mpwcheck import procs
from mpwcheck.verdict import expect
from test_client_server import server_figures

LAB = "03_client_server"
check = pytest.mark.check

READY = "APP: Finished Process Init."
CLIENTS = 2
DURATION = float(os.environ.get("DURATION", "10"))


@pytest.fixture(scope="module")
def hw_run(lab):
    """Serves every check: the server and CLIENTS clients for DURATION
    seconds, then SIGINT to the server alone, as its user would stop it: it
    stops receiving, and its clients drain their rings before they exit
    (the ordered shutdown), so the figures add up while traffic arrives."""
    mask = lab.port_mask()
    allow = lab.port_args()
    prefix = lab.prefix("hw")
    server = lab.start("server", [f"{lab.bin}/mp_server", "-l", "0", *allow, "--file-prefix", prefix,
                                  "--proc-type=primary", "--", "-p", mask,
                                  "-n", CLIENTS])
    server.ready = server.wait_for(READY, 1, 30)
    clients = []
    if server.ready:
        for client_id in range(CLIENTS):
            # A secondary takes no -a: the primary's ports are its ports.
            c = lab.start(f"client{client_id}", [
                f"{lab.bin}/mp_client", "--lcores", f"{client_id + 1}@1",
                *(["--no-pci"] if "--no-pci" in allow else []), "--file-prefix", prefix,
                "--proc-type=secondary", "--", "-n", client_id])
            c.ready = c.wait_for(READY, 1, 30)
            clients.append(c)
    if server.ready and all(c.ready for c in clients):
        time.sleep(DURATION)  # not a wait for an event: the window the traffic is measured in
    procs.sigint(server)
    for c in clients:
        c.wait_exit(10)
    return server, clients, server_figures(server)


@check(f"the server and {CLIENTS} clients start on the real ports", 1, 4)
def test_server_and_clients_start(hw_run):
    server, clients, _ = hw_run
    expect(server.ready, f"'{READY}' from the server", lambda: server.tail(3))
    for client_id, c in enumerate(clients):
        expect(c.ready, f"'{READY}' from client {client_id}", lambda: c.tail(3))


@check("every packet received was handed to a client or dropped by a full ring", 2, 3)
def test_received_handed_over(hw_run):
    figures = hw_run[2]
    rx = sum(int(f.split()[3]) for f in figures if f.startswith("port "))
    handed = sum(int(f.split()[3]) + int(f.split()[5]) for f in figures if f.startswith("client "))
    expect(figures and rx == handed, "port RX in all = clients' rx + rx_drop",
           f"{rx} != {handed}: {' | '.join(figures)}")


@check("each client sent or counted as refused everything it was handed", 5, 6)
def test_clients_account(hw_run):
    server, _, figures = hw_run
    lines = [f.split() for f in figures if f.startswith("client ")]
    expect(len(lines) == CLIENTS, f"the server's figures for its {CLIENTS} clients", lambda: server.tail(2), 2, 3)
    for f in lines:
        client_id, crx, tx, txd, deq = f[1], int(f[3]), int(f[7]), int(f[9]), int(f[11])
        expect(crx == deq == tx + txd, f"client {client_id}: rx = dequeued = tx + tx_drop",
               f"rx {crx}, dequeued {deq}, tx {tx}, tx_drop {txd}")
