# SPDX-License-Identifier: BSD-3-Clause
"""Lab 01 (simple_mp): a primary and secondaries with no device at all
(--no-pci, a private --file-prefix). The checks type at their prompts and
compare what they print with exact expectations. The ring holds
RING_SIZE - 1 = 63 messages and the pool has 1024 buffers
(solutions/01_simple_mp/shared.h).

The checks follow one story; each stage is a fixture that the next stage
builds on, so that a check run alone (ONLY=) brings up what it needs."""

import re
import time

import pytest

from mpwcheck.verdict import expect

LAB = "01_simple_mp"
check = pytest.mark.check

RING_CAPACITY = 63
POOL_TOTAL = 1024
EXTRA = 10  # messages sent to a full ring
BULK = 1000  # messages of the in-order check
CHUNK = 50  # sent at a time, fewer than the ring holds
ROUNDS = 4  # of the multi-lcore drain
READY = "APP: Finished Process Init."
EAL_REFUSAL = "no primary process is running with --file-prefix"
TODO2_REFUSAL = "No primary process is running with this --file-prefix"


def binary(lab):
    return f"{lab.bin}/simple_mp"


def start_primary(lab, name, prefix, *eal):
    p = lab.start(name, [binary(lab), "-l", "0-1", "--no-pci", "--file-prefix", prefix,
                         "--proc-type=primary", *eal])
    p.ready = p.wait_for(READY, 1, 15)
    return p


def start_secondary(lab, name, prefix, lcores="2@0,3@1"):
    p = lab.start(name, [binary(lab), "--lcores", lcores, "--no-pci", "--file-prefix", prefix,
                         "--proc-type=secondary"])
    p.ready = p.wait_for(READY, 1, 15)
    return p


def stats(p):
    """Types "stats" at P's prompt: its answer, or None."""
    before = p.count("Messages: sent")
    p.send("stats")
    if not p.wait_for("Messages: sent", before + 1):
        return None
    return "Messages: sent" + p.lines("Messages: sent")[-1].split("Messages: sent", 1)[1]


def stats_until(p, part, secs=3):
    """P's stats once they contain PART (buffers return to the pool a moment
    after their message arrives), or the last ones after SECS."""
    deadline = time.monotonic() + secs
    while True:
        saw = stats(p)
        if saw is None or part in saw or time.monotonic() >= deadline:
            return saw
        time.sleep(0.05)


def received(p, prefix):
    """The messages starting with PREFIX that P received, in order."""
    out = []
    for line in p.lines(f"Received '{prefix}"):
        text = line.split("Received '", 1)[1]
        out.append(text[:-1] if text.endswith("'") else text)
    return out


def blame_delivery(sender, receiver=None, want=()):
    """A message that did not arrive, or not as sent. Text past its end comes
    from an earlier message: the one the receiving lcore printed before, when
    its copy was not ended (TODO 4), else what the sender's pool buffer held,
    when the NUL was not sent (TODO 3). A message refused by the sender is
    TODO 3; one never taken off the ring is TODO 4, which also shows as "ring
    full"."""
    overlong = receiver is not None and overlong_by(receiver, want)
    if overlong:
        return overlong
    if sender.count("no free message buffer"):
        return 4  # buffers leak where they should return: at the receiver
    refusals = [line for line in sender.lines("Failed to send message") if "ring full" not in line]
    return 3 if refusals else 4


def overlong_by(receiver, want):
    """3 or 4 (see blame_delivery) for the first message of WANT that RECEIVER
    printed with more text after it, or None."""
    wanted = set(want)
    lengths = sorted({len(w) for w in wanted})
    before = {}
    for line in receiver.lines("Received '"):
        m = re.search(r"core (\d+): Received '(.*?)'?$", line)
        if not m:
            continue
        core, text = m.groups()
        sent = next((text[:n] for n in lengths if n < len(text) and text[:n] in wanted), None)
        if sent:
            return 4 if before.get(core, "")[len(sent):] == text[len(sent):] else 3
        before[core] = text
    return None


def first_difference(got, want):
    """What a student needs to see of a long list that is wrong."""
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"{len(got)} messages; message {i + 1} is '{g}', not '{w}'"
    return f"{len(got)} messages, ending {' '.join(got[-3:]) or 'nowhere'}"


def blame_pool(saw):
    """A pool short of buffers: by exactly the refused messages when the
    sender kept them (TODO 3), else the receiver kept what it dequeued (4)."""
    try:
        free = int(saw.split("pool: ", 1)[1].split(" free", 1)[0])
        dropped = int(saw.split("dropped (ring full) ", 1)[1].split(";", 1)[0])
    except (AttributeError, IndexError, ValueError):
        return 4
    return 3 if dropped > 0 and POOL_TOTAL - free == dropped else 4


def expect_pool_full(p):
    """Every buffer back in the pool, as P's stats say."""
    part = f"pool: {POOL_TOTAL} free of {POOL_TOTAL}"
    saw = stats_until(p, part)
    expect(saw is not None and part in saw, part, saw, blame_pool(saw))


def running(p, what, todo):
    """A check that needs P blames the TODO that let it die."""
    expect(p.alive(), f"{what} running", lambda: f"it has exited: {p.tail(2) or 'no output'}", todo)


# -- the story's stages ----------------------------------------------------------------

@pytest.fixture(scope="module")
def prefix(lab):
    return lab.prefix("01")


@pytest.fixture(scope="module")
def primary(lab, prefix):
    """Serves every check but the last: the primary, started."""
    return start_primary(lab, "primary", prefix)


@pytest.fixture(scope="module")
def full_ring(primary):
    """Serves check 2 and after: RING_CAPACITY + EXTRA messages sent, no
    secondary yet."""
    primary.send(*(f"send early-{i:02d}" for i in range(1, RING_CAPACITY + EXTRA + 1)))
    return primary


@pytest.fixture(scope="module")
def secondary(lab, prefix, full_ring):
    """Serves check 3 and after: a secondary on the full ring."""
    return start_secondary(lab, "secondary", prefix)


@pytest.fixture(scope="module")
def drained(secondary):
    """Serves check 4 and after: the secondary has received the queued messages."""
    secondary.wait_for("Received 'early-", RING_CAPACITY)
    return secondary


@pytest.fixture(scope="module")
def ping_pong(primary, drained):
    """Serves check 5 and after: a message each way."""
    primary.send("send ping from the primary")
    drained.send("send pong from the secondary")
    return {"ping": drained.wait_for("Received 'ping from the primary'"),
            "pong": primary.wait_for("Received 'pong from the secondary'")}


@pytest.fixture(scope="module")
def bulk(primary, drained, ping_pong):
    """Serves check 6 and after: BULK messages, CHUNK at a time."""
    for first in range(1, BULK + 1, CHUNK):
        primary.send(*(f"send msg-{i:04d}" for i in range(first, first + CHUNK)))
        if not drained.wait_for("Received 'msg-", first + CHUNK - 1):
            break
    return received(drained, "msg-")


@pytest.fixture(scope="module")
def long_message(primary, drained, bulk):
    """Serves check 7 and after: a message longer than a buffer, then a short one."""
    primary.send("send " + "L" * 200, "send after the long one")
    refusal = "Message too long (200 characters, at most 127) - not sent"
    return {"refusal": refusal, "refused": primary.wait_for(refusal),
            "next": drained.wait_for("Received 'after the long one'")}


@pytest.fixture(scope="module")
def restarted(lab, prefix, primary, drained, long_message):
    """Serves checks 8 and 9: the secondary quits, another starts, a message
    each way."""
    alive_before = drained.alive()
    drained.send("quit")
    quit_ok = drained.wait_exit(10) and drained.status == 0
    again = None
    if quit_ok:
        again = start_secondary(lab, "again", prefix)
        if again.ready:
            primary.send("send hello again")
            again.send("send hello back")
            again.wait_for("Received 'hello again'")
            primary.wait_for("Received 'hello back'")
    return {"alive_before": alive_before, "quit_ok": quit_ok, "again": again}


@pytest.fixture(scope="module")
def multi(lab, prefix, primary, restarted):
    """Serves check 9: each round fills the ring, then starts a secondary
    whose lcores 3 to 6 all dequeue from it at once (lcore 2 runs the prompt)."""
    again = restarted["again"]
    if again is None or not again.alive():
        return None
    again.send("quit")
    again.wait_exit(10)
    rounds = []
    for r in range(1, ROUNDS + 1):
        primary.send(*(f"send multi-{r}-{i:02d}" for i in range(1, RING_CAPACITY + 1)))
        p = lab.start(f"multi{r}", [binary(lab), "--lcores", "2@0,3@1,4@0,5@1,6@0", "--no-pci",
                                    "--file-prefix", prefix, "--proc-type=secondary"])
        done = p.wait_for(f"Received 'multi-{r}-", RING_CAPACITY, 5)
        p.send("quit")
        p.wait_exit(10)
        rounds.append(p)
        if not done:
            break  # the figures tell what went wrong
    return rounds


# -- the checks ----------------------------------------------------------------------

@check("the primary creates both rings and the message pool", 1)
def test_primary_starts(primary):
    expect(primary.ready, f"'{READY}'", lambda: primary.tail(2))


@check("a full ring refuses messages, reports it and returns their buffers", 3)
def test_full_ring_refuses(full_ring):
    running(full_ring, "the primary", 1)
    want = (f"Messages: sent {RING_CAPACITY}, received 0, dropped (ring full) {EXTRA}; "
            f"pool: {POOL_TOTAL - RING_CAPACITY} free of {POOL_TOTAL}; "
            f"rings: {RING_CAPACITY} to send, 0 to receive")
    saw = stats(full_ring)
    expect(saw == want, want, saw)
    refusals = full_ring.count("ring full, message discarded")
    expect(refusals == EXTRA, f"{EXTRA} lines 'Failed to send message - ring full, message discarded'",
           f"{refusals} such lines")


@check("the secondary finds the rings and the pool by name", 2)
def test_secondary_finds_objects(primary, secondary):
    running(primary, "the primary", 1)
    expect(secondary.ready, f"'{READY}'", lambda: secondary.tail(2))
    # Its send ring is SEC_2_PRI, still empty; PRI_2_SEC holds the primary's
    # messages: seen from here, that is the other way round.
    saw = stats(secondary)
    expect(saw is not None and "rings: 0 to send" in saw,
           "the secondary's stats say 'rings: 0 to send' (its send ring is SEC_2_PRI)", saw)


@check(f"the secondary drains the {RING_CAPACITY} queued messages, in order, and frees their buffers", 4)
def test_secondary_drains_in_order(primary, drained):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    got = received(drained, "early-")
    want = [f"early-{i:02d}" for i in range(1, RING_CAPACITY + 1)]
    expect(got == want, f"early-01 ... early-{RING_CAPACITY}", " ".join(got) or "nothing received",
           blame_delivery(primary, drained, want))
    expect_pool_full(primary)


@check("messages go both ways: primary to secondary and back", 3, 4)
def test_both_ways(primary, drained, ping_pong):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    expect(ping_pong["ping"], "the secondary prints: Received 'ping from the primary'",
           lambda: drained.tail(2), blame_delivery(primary))
    expect(ping_pong["pong"], "the primary prints: Received 'pong from the secondary'",
           lambda: primary.tail(2), blame_delivery(drained))


@check(f"{BULK} messages arrive complete and in order; every buffer returns to the pool", 3, 4)
def test_bulk_in_order(primary, drained, bulk):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    want = [f"msg-{i:04d}" for i in range(1, BULK + 1)]
    expect(bulk == want, f"msg-0001 ... msg-{BULK}, {BULK} messages in order",
           lambda: first_difference(bulk, want), blame_delivery(primary, drained, want))
    sent = RING_CAPACITY + 1 + BULK
    want = (f"Messages: sent {sent}, received 1, dropped (ring full) {EXTRA}; "
            f"pool: {POOL_TOTAL} free of {POOL_TOTAL}; rings: 0 to send, 0 to receive")
    saw = stats_until(primary, want)
    expect(saw == want, want, saw)
    want = (f"Messages: sent 1, received {sent}, dropped (ring full) 0; "
            f"pool: {POOL_TOTAL} free of {POOL_TOTAL}; rings: 0 to send, 0 to receive")
    saw = stats_until(drained, want)
    expect(saw == want, want, saw)


@check("a message longer than a buffer is refused, not truncated", 3)
def test_long_message_refused(primary, drained, long_message):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    expect(long_message["refused"], long_message["refusal"], lambda: primary.tail(2))
    expect(long_message["next"], "the next message arrives: Received 'after the long one'",
           lambda: drained.tail(2), blame_delivery(primary))
    parts = received(drained, "LLL")
    expect(not parts, "no part of the long message received", lambda: parts[0][:60])


@check("a secondary restarted after quit resumes messaging", 2, 3, 4)
def test_restarted_secondary(primary, drained, restarted):
    running(primary, "the primary", 1)
    expect(restarted["alive_before"], "the secondary running", lambda: drained.tail(2), 2)
    expect(restarted["quit_ok"], "the secondary exits with status 0 after quit",
           lambda: f"status {drained.status}: {drained.tail(2)}")
    again = restarted["again"]
    expect(again.ready, f"'{READY}' from the restarted secondary", lambda: again.tail(2), 2)
    expect(again.count("Received 'hello again'") > 0,
           "the restarted secondary prints: Received 'hello again'", lambda: again.tail(2),
           blame_delivery(primary))
    expect(primary.count("Received 'hello back'") > 0, "the primary prints: Received 'hello back'",
           lambda: primary.tail(2), blame_delivery(again))
    expect_pool_full(primary)


@check("four lcores draining a full ring at once receive each message exactly once", 1, 4)
def test_multi_consumer_drain(primary, restarted, multi):
    running(primary, "the primary", 1)
    expect(multi is not None, "the restarted secondary running",
           lambda: restarted["again"].tail(2) if restarted["again"] else "it never started", 2)
    want = sorted(f"multi-{r}-{i:02d}" for r in range(1, ROUNDS + 1) for i in range(1, RING_CAPACITY + 1))
    got = sorted(m for p in multi for m in received(p, "multi-"))
    unique = len(set(got))
    expect(got == want, f"{ROUNDS * RING_CAPACITY} messages, each once",
           f"{len(got)} received, {unique} different (duplicates: single-consumer rings?)",
           1 if len(got) > unique else blame_delivery(primary))


@check("a secondary with no primary exits non-zero with a clear error", 2)
def test_no_primary(lab):
    # With no primary ever, EAL itself refuses (main.c says so). With a
    # primary killed by SIGKILL its files remain, and EAL usually attaches
    # to the corpse: then only the lookup's own check (TODO 2) can refuse.
    # EAL does not attach when it must ask the dead primary for memory: a
    # new corpse is tried then.
    lone = start_secondary(lab, "lone", lab.prefix("lone"))
    expect(lone.exits_with(EAL_REFUSAL), f"exit status 1 and '{EAL_REFUSAL}' (no primary ever ran)",
           lambda: f"status {lone.status}: {lone.tail(2)}")
    for attempt in range(1, 6):
        corpse_prefix = lab.prefix(f"corpse{attempt}")
        # All its memory reserved at start (legacy mode): the orphan's EAL
        # then finds room in the heap without asking the dead primary for
        # more, which it cannot (rte_service_init() failed, under load).
        corpse = start_primary(lab, f"corpse{attempt}", corpse_prefix, "--legacy-mem", "-m", "64")
        expect(corpse.ready, f"'{READY}' from a new primary", lambda: corpse.tail(2), 1)
        corpse.stop(9)
        orphan = start_secondary(lab, f"orphan{attempt}", corpse_prefix)
        refused = orphan.exits_with(TODO2_REFUSAL)
        lab.finish(corpse_prefix)  # a dead primary's hugepages, freed at once
        if refused or not orphan.count(EAL_REFUSAL):
            break
    expect(refused, f"exit status 1 and '{TODO2_REFUSAL}' (its primary was killed)",
           lambda: f"status {orphan.status}: {orphan.tail(2)}")


def inspect(lab, prefix, name, *objects):
    """{object: line} as mp_inspect (tools/), a secondary of ours, prints the
    primary's rings and pool: what a DPDK engineer would look at, not a race."""
    p = lab.start(name, [f"{lab.tools()}/mp_inspect", "--lcores", "9@0", "--no-pci", "--file-prefix", prefix,
                         "--proc-type=secondary", "--log-level=lib.eal:error", "--", *objects])
    p.wait_exit(15)
    seen = {}
    for line in p.lines(": "):
        kind, rest = line.split(" ", 1)
        seen[f"{kind}:{rest.split(':', 1)[0]}"] = line
    return seen


@check("the rings and the pool seen from a third process: multi-consumer rings of 63 slots, 1024 buffers", 1)
def test_objects_seen_from_outside(lab, prefix, primary):
    running(primary, "the primary", 1)
    seen = inspect(lab, prefix, "inspect", "ring:PRI_2_SEC", "ring:SEC_2_PRI", "pool:MSG_POOL")
    # Several lcores of a secondary dequeue at once, and the prompt and the
    # receiving lcore both of a process may enqueue: neither end is single.
    for ring in ("PRI_2_SEC", "SEC_2_PRI"):
        want = f"ring {ring}: producer multi, consumer multi, size 64, capacity {RING_CAPACITY}"
        saw = seen.get(f"ring:{ring}", "nothing (mp_inspect found no such ring)")
        expect(saw.startswith(want), want, saw)
    want = f"pool MSG_POOL: size {POOL_TOTAL}"
    saw = seen.get("pool:MSG_POOL", "nothing (mp_inspect found no such pool)")
    expect(saw.startswith(want + ","), want, saw)
