# SPDX-License-Identifier: BSD-3-Clause
"""A primary's counters from DPDK's telemetry socket, for checks that wait
until traffic has gone through. The primary's socket answers for every
process: the per-queue counters of ethdev ports sit in shared memory."""

import json
import socket
import time

from . import prefixes, procs, verdict

WAIT = 5  # the traffic of a check passes in well under a second
# A figure that has not moved for this long will not: the traffic comes from
# files that a polling lcore reads in milliseconds.
STALL = 1.5


class Gone(Exception):
    """No primary listens on the prefix's socket: it has exited or died."""


def query(prefix, command, gone=False):
    """The reply to COMMAND, a dict, or None when nothing answers. With
    GONE, a socket that nobody listens on raises Gone instead."""
    path = f"{prefixes.runtime_dir(prefix)}/dpdk_telemetry.v2"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
            s.settimeout(2)
            s.connect(path)
            greeting = json.loads(s.recv(1024))
            s.send(command.encode())
            return json.loads(s.recv(greeting.get("max_output_len", 16384) * 4))
    except (ConnectionRefusedError, FileNotFoundError):
        if gone:
            raise Gone() from None
        return None
    except (OSError, ValueError):
        return None


def expect_pool(prefix, pool, want, todo):
    """Judges POOL as the primary's telemetry shows it (/mempool/info): the
    fields of WANT ({field: value}) must be as given, else TODO is blamed.
    Returns the whole info, for what else a check judges of it."""
    reply = query(prefix, f"/mempool/info,{pool}")
    verdict.expect(reply is not None, "an answer from the primary's telemetry socket", "none", verdict.NOT_YOUR_CODE)
    info = reply.get("/mempool/info")
    verdict.expect(isinstance(info, dict), f"{pool} in telemetry's /mempool/info", info, todo)
    got = {k: info.get(k) for k in want}
    verdict.expect(got == want, ", ".join(f"{k} {v}" for k, v in want.items()),
                   ", ".join(f"{k} {v}" for k, v in got.items()), todo)
    return info


def queue_packets(prefix, port, direction, queue, gone=False):
    """What QUEUE of PORT received (DIRECTION "rx") or sent ("tx"), from
    /ethdev/xstats,PORT (/ethdev/stats lost its per-queue arrays in DPDK
    25.11); None when unanswered."""
    reply = query(prefix, f"/ethdev/xstats,{port}", gone) or {}
    value = (reply.get("/ethdev/xstats") or {}).get(f"{direction}_q{queue}_packets")
    return value if isinstance(value, int) else None


def sent(prefix, queue, ports=(0, 1), gone=False):
    """What QUEUE sent on PORTS together; None when a counter is missing."""
    counts = [queue_packets(prefix, p, "tx", queue, gone) for p in ports]
    return None if None in counts else sum(counts)


class Waited:
    """The end of a wait: true when the figure was reached; says what it was."""

    def __init__(self, reached, what, got, want):
        self.reached, self.what, self.got, self.want = reached, what, got, want

    def __bool__(self):
        return self.reached

    def __str__(self):
        got = "unanswered" if self.got is None else self.got
        return f"telemetry: {self.what} is {got}, expected {self.want}"


def wait_until(figure, want, what, secs=WAIT):
    """Polls FIGURE() until it reaches WANT, SECS pass, it stalls for
    STALL seconds, or the primary is gone (FIGURE raises Gone)."""
    now = time.monotonic()
    deadline = now + secs
    got = None
    moved = now  # when the figure last changed
    while True:
        try:
            latest = figure()
        except Gone:
            return Waited(False, what + " (the primary is gone)", got, want)
        now = time.monotonic()
        if latest != got:
            got, moved = latest, now
        if got is not None and got >= want:
            return Waited(True, what, got, want)
        if now >= deadline or now - moved >= STALL:
            return Waited(False, what, got, want)
        time.sleep(0.05)


def wait_queue(prefix, port, direction, queue, want, secs=WAIT):
    return wait_until(lambda: queue_packets(prefix, port, direction, queue, gone=True), want,
                      f"port {port} {direction}_q{queue}_packets", secs)


def wait_sent(prefix, queue, want, secs=WAIT):
    return wait_until(lambda: sent(prefix, queue, gone=True), want, f"queue {queue}'s TX on ports 0 and 1", secs)
