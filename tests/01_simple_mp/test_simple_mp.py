# SPDX-License-Identifier: BSD-3-Clause
"""Lab 01 (simple_mp): a primary and secondaries with no device at all
(--no-pci, a private --file-prefix). The checks type at their prompts and
compare what they print with exact expectations. The ring holds
RING_SIZE - 1 = 63 messages and the pool has 1024 buffers
(solutions/01_simple_mp/shared.h).

The checks follow one story, in the TODOs' order where it allows: the
primary's ring is full (TODO 3) before a secondary (TODO 2) attaches to it.
Each stage is a fixture that the next stage builds on, so that a check run
alone (ONLY=) brings up what it needs."""

import re
import time

import pytest

from mpwcheck import doubles, procs, telemetry, verdict
from mpwcheck.verdict import expect

LAB = "01_simple_mp"
check = pytest.mark.check

RING_CAPACITY = 63
POOL_TOTAL = 1024
EXTRA = 10  # messages sent to a full ring
BULK = 1000  # messages of the in-order check
CHUNK = 50  # sent at a time, fewer than the ring holds
ROUNDS = 4  # of the multi-lcore drain
BURST = 100  # send_burst's count to a ring nobody drains
BURST_FAST = 200  # send_burst's count to a receiving secondary
READY = "APP: Finished Process Init."
EAL_REFUSAL = "no primary process is running with --file-prefix"
TODO2_REFUSAL = "No primary process is running with this --file-prefix"
# What main.c says when the lookup's -ESRCH reaches its generic error: TODO 2 was right.
ESRCH_AS_ERROR = "Cannot find the primary's rings and message pool: No such process"
MSG_SIZE = 128
FILLERS = [f"fill-{i:02d}" for i in range(1, RING_CAPACITY)]  # of the longest_message and reused_buffer_exact checks
LONGEST = "B" * (MSG_SIZE - 1)  # the most a buffer holds, with its NUL
REFUSED = "R" * 100  # refused by the full ring: its buffer is the next one taken
TOO_LONG = "C" * MSG_SIZE


def binary(lab):
    return f"{lab.bin}/simple_mp"


def start_primary(lab, name, prefix, *eal):
    p = lab.start(name, [binary(lab), "-l", "0-1", "--no-pci", "--file-prefix", prefix,
                         "--proc-type=primary", *eal])
    p.ready = p.wait_for(READY, 1, 15)
    return p


def start_secondary(lab, name, prefix, lcores="2@0,3@1", wait=True):
    """A secondary, awaited until READY (p.ready); with WAIT false, not: for
    exits_with(), which wants the READY that means it ran on."""
    p = lab.start(name, [binary(lab), "--lcores", lcores, "--no-pci", "--file-prefix", prefix,
                         "--proc-type=secondary"])
    if wait:
        p.ready = p.wait_for(READY, 1, 15)
    return p


SEND_REFUSED = "Failed to send message"


def send(p, *texts):
    """Types "send TEXT" at P's prompt for each; returns a function that is
    true once P refused one of them (a message never sent never arrives:
    no wait for it need last)."""
    before = p.count(SEND_REFUSED)
    p.send(*(f"send {t}" for t in texts))
    return lambda: p.count(SEND_REFUSED) > before


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


def first_difference(got, want, where="received"):
    """What a student needs to see of a long list that is wrong: how many
    of the WANT sent were seen (WHERE), and the first one that differs."""
    counted = f"{len(got)} messages {where}, of the {len(want)} sent"
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"{counted}; message {i + 1} is '{g}', not '{w}'"
    return f"{counted}, ending {' '.join(got[-3:]) or 'nowhere'}"


def blame_pool(saw):
    """A pool short of buffers: by exactly the refused messages when the
    sender kept them (TODO 3), else the receiver kept what it dequeued (4)."""
    try:
        free = int(saw.split("pool: ", 1)[1].split(" free", 1)[0])
        dropped = int(saw.split("dropped (ring full) ", 1)[1].split(";", 1)[0])
    except (AttributeError, IndexError, ValueError):
        return 4
    return 3 if dropped > 0 and POOL_TOTAL - free == dropped else 4


def blame_rings(rings):
    """Messages where they should not be, or a ring of another capacity:
    the objects as TODO 1 made them; else the sender put them there (3)."""
    if not rings or "error" in rings:
        return 3
    pri, sec = rings.get("PRI_2_SEC"), rings.get("SEC_2_PRI")
    if pri is None or (sec is None and "SEC_2_PRI" in rings.get("asked", ())):
        return 1
    if pri["capacity"] != RING_CAPACITY or (sec is not None and sec["count"] > 0):
        return 1
    return 3


def blame_full_ring(p, saw, rings):
    """full_ring_refuses's figures, wrong: the primary P received its own messages (its
    receiver dequeues from its send ring, TODO 4), a pool of another size or
    rings not as made (TODO 1), else the sending (TODO 3)."""
    if p.count("Received 'early-"):
        return 4
    total = re.search(r"free of (\d+)", saw or "")
    if total and int(total[1]) != POOL_TOTAL:
        return 1
    return blame_rings(rings)


def expect_peeked(rings):
    """RINGS as peek() saw them; fails naming no TODO when mp_inspect itself
    could not run."""
    expect(rings is not None and "error" not in rings, "mp_inspect --slots (tools/mp_inspect.c) to run",
           lambda: (rings or {}).get("error", "it was not run"), verdict.NOT_YOUR_CODE)
    return rings


def slots(rings, ring):
    return (rings.get(ring) or {}).get("slots", [])


def expect_pool_full(p):
    """Every buffer back in the pool, as P's stats say."""
    part = f"pool: {POOL_TOTAL} free of {POOL_TOTAL}"
    saw = stats_until(p, part)
    expect(saw is not None and part in saw, part, saw, blame_pool(saw))


def blame_view(view, rings):
    """A secondary that sees the primary's messages in its send ring: the
    primary put them on SEC_2_PRI (TODO 1), or the lookup swapped the rings (2)."""
    sec = (rings or {}).get("SEC_2_PRI") if isinstance(rings, dict) else None
    return 1 if sec is not None and sec["count"] > 0 else 2


def rings_right_way(secondary, peeked):
    """Messages between the processes need the secondary's rings the right
    way round: a check of them blames the lookup (TODO 2, or 1) first."""
    view = getattr(secondary, "view", None)
    expect(view is not None and "rings: 0 to send" in view,
           "the secondary's stats say 'rings: 0 to send' (its send ring is SEC_2_PRI)", view,
           blame_view(view, peeked))


def running(p, what, todo):
    """A check that needs P running. When it has died, a guess at the TODOs
    whose code it ran: its start-up's (TODO) before it was set up, the
    send's and the receive's (3, 4) after."""
    blamed = [3, 4] if p.count(READY) else [todo]
    expect(p.alive(), f"{what} running", lambda: f"it has exited (status {p.status}): {p.tail(2) or 'no output'}",
           blamed, guess=True)


# -- the story's stages ----------------------------------------------------------------

@pytest.fixture(scope="module")
def prefix(lab):
    return lab.prefix("01")


@pytest.fixture(scope="module")
def primary(lab, prefix):
    """Serves every check but no_primary: the primary, started."""
    return start_primary(lab, "primary", prefix)


@pytest.fixture(scope="module")
def full_ring(primary):
    """Serves check full_ring_refuses and the fixtures peeked and secondary: RING_CAPACITY + EXTRA messages sent, no
    secondary yet."""
    sent = send(primary, *(f"early-{i:02d}" for i in range(1, RING_CAPACITY)))
    # The ring's last slot, then EXTRA messages that a full ring refuses.
    primary.send(*(f"send early-{i:02d}" for i in range(RING_CAPACITY, RING_CAPACITY + EXTRA + 1)))
    primary.early_refused = sent
    return primary


@pytest.fixture(scope="module")
def inspector(lab):
    """The check's own looking glass into the rings (tools/mp_inspect.c,
    --slots), built with the kit's tools (never sanitized: it is not the
    lab's code), once for every check run."""
    try:
        return {"path": f"{lab.tools()}/mp_inspect"}
    except RuntimeError as e:
        return {"error": str(e)}


def peek(lab, prefix, name, tool, *rings):
    """{ring: {"count", "capacity", "slots"}} as mp_inspect --slots, a secondary
    that takes nothing, sees the primary's RINGS: for each waiting message the
    text its sender wrote into its pool buffer, or what is wrong with that
    buffer ("unterminated '...'", "0x... is no buffer of MSG_POOL")."""
    if "path" not in tool:
        return tool
    p = lab.start(name, [tool["path"], "--lcores", "9@0", "--no-pci", "--file-prefix", prefix,
                         "--proc-type=secondary", "--log-level=lib.eal:error", "--", "--slots", "MSG_POOL",
                         *(f"ring:{r}" for r in rings)])
    p.wait_exit(15)
    seen = {"asked": rings}
    for line in p.lines():
        m = re.match(r"ring (\S+): .*, capacity (\d+), count (\d+)$", line)
        if m:
            seen[m[1]] = {"count": int(m[3]), "capacity": int(m[2]), "slots": []}
            continue
        m = re.match(r"(\S+) slot \d+: (.*)$", line)
        if m and m[1] in seen:
            text = m[2]
            if len(text) >= 2 and text[0] == text[-1] == "'":
                text = re.sub(r"\\x([0-9a-f]{2})", lambda h: chr(int(h[1], 16)), text[1:-1])
            seen[m[1]]["slots"].append(text)
    if p.status not in (0, 1):
        seen["error"] = f"status {p.status}: {p.tail(2)}"
    return seen


@pytest.fixture(scope="module")
def peeked(lab, prefix, full_ring, inspector):
    """Serves full_ring_refuses and the checks after it: both rings looked
    into while the primary's messages wait, before any secondary takes one."""
    stats(full_ring)  # once it answers, every line typed before has been handled
    return peek(lab, prefix, "peek", inspector, "PRI_2_SEC", "SEC_2_PRI")


@pytest.fixture(scope="module")
def secondary(lab, prefix, full_ring, peeked):
    """Serves check secondary_finds_objects and the fixtures rings_right_way and drained: a secondary on the full ring, and its first
    stats (its view of the rings)."""
    p = start_secondary(lab, "secondary", prefix)
    p.view = stats(p) if p.ready else None
    p.early_refused = full_ring.early_refused
    return p


@pytest.fixture(scope="module")
def drained(secondary):
    """Serves checks secondary_drains_in_order, both_ways, bulk_in_order, long_message_refused and restarted_secondary and the fixtures ping_pong, bulk, long_message and restarted: the secondary has received the queued messages."""
    secondary.wait_for("Received 'early-", RING_CAPACITY, unless=secondary.early_refused)
    return secondary


@pytest.fixture(scope="module")
def ping_pong(primary, drained):
    """Serves check both_ways and the fixture bulk: a message each way."""
    ping = send(primary, "ping from the primary")
    pong = send(drained, "pong from the secondary")
    return {"ping": drained.wait_for("Received 'ping from the primary'", unless=ping),
            "pong": primary.wait_for("Received 'pong from the secondary'", unless=pong)}


@pytest.fixture(scope="module")
def bulk(primary, drained, ping_pong):
    """Serves check bulk_in_order and the fixture long_message: BULK messages, CHUNK at a time."""
    for first in range(1, BULK + 1, CHUNK):
        chunk = send(primary, *(f"msg-{i:04d}" for i in range(first, first + CHUNK)))
        if not drained.wait_for("Received 'msg-", first + CHUNK - 1, unless=chunk):
            break
    return received(drained, "msg-")


@pytest.fixture(scope="module")
def long_message(primary, drained, bulk):
    """Serves check long_message_refused and the fixture restarted: a message longer than a buffer, then a short one."""
    primary.send("send " + "L" * 200)
    after = send(primary, "after the long one")
    refusal = "Message too long (200 characters, at most 127) - not sent"
    return {"refusal": refusal, "refused": primary.wait_for(refusal),
            "next": drained.wait_for("Received 'after the long one'", unless=after)}


@pytest.fixture(scope="module")
def restarted(lab, prefix, primary, drained, long_message):
    """Serves checks restarted_secondary and multi_consumer_drain and the fixture multi: the secondary quits, another starts, a message
    each way."""
    alive_before = drained.alive()
    drained.send("quit")
    quit_ok = drained.wait_exit(10) and drained.status == 0
    again = None
    if quit_ok:
        again = start_secondary(lab, "again", prefix)
        if again.ready:
            hello = send(primary, "hello again")
            back = send(again, "hello back")
            again.wait_for("Received 'hello again'", unless=hello)
            primary.wait_for("Received 'hello back'", unless=back)
    return {"alive_before": alive_before, "quit_ok": quit_ok, "again": again}


@pytest.fixture(scope="module")
def multi(lab, prefix, primary, restarted):
    """Serves check multi_consumer_drain and the fixture burst: each round fills the ring, then starts a secondary
    whose lcores 3 to 6 all dequeue from it at once (lcore 2 runs the prompt)."""
    again = restarted["again"]
    if again is None or not again.alive():
        return None
    again.send("quit")
    again.wait_exit(10)
    rounds = []
    for r in range(1, ROUNDS + 1):
        sent = send(primary, *(f"multi-{r}-{i:02d}" for i in range(1, RING_CAPACITY + 1)))
        p = lab.start(f"multi{r}", [binary(lab), "--lcores", "2@0,3@1,4@0,5@1,6@0", "--no-pci",
                                    "--file-prefix", prefix, "--proc-type=secondary"])
        done = p.wait_for(f"Received 'multi-{r}-", RING_CAPACITY, 5, unless=sent)
        p.view = stats(p)  # its rings: whichever way round, PRI_2_SEC is full or drained by now
        if r == ROUNDS:
            p.popen.stdin.close()  # Ctrl-D, the end of input, ends it as quit does
        else:
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


@check("the rings and the pool seen from a third process: multi-consumer rings of 63 slots, 1024 buffers", 1)
def test_objects_seen_from_outside(lab, prefix, primary):
    running(primary, "the primary", 1)
    seen = lab.inspect("inspect", prefix, "ring:PRI_2_SEC", "ring:SEC_2_PRI", "pool:MSG_POOL").seen
    # Several lcores of a secondary dequeue at once, and the prompt and the
    # receiving lcore both of a process may enqueue: neither end is single.
    # Any multi-thread-safe end will do: the classic one (multi), or the
    # relaxed or head/tail sync ones (rts, hts: RING_F_MP_RTS_ENQ, ...).
    for ring in ("PRI_2_SEC", "SEC_2_PRI"):
        want = f"ring {ring}: producer and consumer multi, rts or hts, size 64, capacity {RING_CAPACITY}"
        saw = seen.get(f"ring:{ring}", "nothing (mp_inspect found no such ring)")
        shape = re.match(rf"ring {ring}: producer (multi|rts|hts), consumer (multi|rts|hts), "
                         rf"size 64, capacity {RING_CAPACITY}\b", saw)
        expect(shape is not None, want, saw)
    want = f"pool MSG_POOL: size {POOL_TOTAL}"
    saw = seen.get("pool:MSG_POOL", "nothing (mp_inspect found no such pool)")
    expect(saw.startswith(want + ","), want, saw)


@check("the message pool as telemetry shows it: 1024 buffers of 128 bytes, a cache of 32 per lcore", 1)
def test_pool_as_created(prefix, primary):
    running(primary, "the primary", 1)
    info = telemetry.expect_pool(prefix, "MSG_POOL", {"size": POOL_TOTAL, "elt_size": MSG_SIZE, "cache_size": 32}, 1)
    # Both processes' lcores take and return buffers: no single-producer or
    # single-consumer pool (RTE_MEMPOOL_F_SP_PUT 0x4, RTE_MEMPOOL_F_SC_GET 0x8).
    flags = info.get("flags")
    expect(isinstance(flags, int) and flags & 0xC == 0, "flags without RTE_MEMPOOL_F_SP_PUT or RTE_MEMPOOL_F_SC_GET",
           f"flags {flags:#x}" if isinstance(flags, int) else flags, 1)


@check("a full ring refuses messages, reports it and returns their buffers", 3, needs=[1])
def test_full_ring_refuses(full_ring, peeked):
    running(full_ring, "the primary", 1)
    want = (f"Messages: sent {RING_CAPACITY}, received 0, dropped (ring full) {EXTRA}; "
            f"pool: {POOL_TOTAL - RING_CAPACITY} free of {POOL_TOTAL}; "
            f"rings: {RING_CAPACITY} to send, 0 to receive")
    saw = stats(full_ring)
    expect(saw == want, want, saw, blame_full_ring(full_ring, saw, peeked))
    # The figures are right, so msg_send() said -ENOSPC: the words are the prompt's.
    refusals = full_ring.count("ring full, message discarded")
    expect(refusals == EXTRA, f"{EXTRA} lines 'Failed to send message - ring full, message discarded'",
           f"{refusals} such lines", verdict.outside("report_not_sent"))
    rings = expect_peeked(peeked)
    where = {r: (rings.get(r) or {}).get("count") for r in ("PRI_2_SEC", "SEC_2_PRI")}
    expect(where == {"PRI_2_SEC": RING_CAPACITY, "SEC_2_PRI": 0},
           f"the primary's {RING_CAPACITY} messages waiting in PRI_2_SEC, none in SEC_2_PRI (mp_inspect)",
           ", ".join(f"{r}: {'no such ring' if n is None else n}" for r, n in where.items()),
           blame_rings(rings))


@check(f"the {RING_CAPACITY} messages waiting in PRI_2_SEC, read in their buffers by a third process, are as sent", 3,
       needs=[1])
def test_ring_contents(primary, peeked):
    running(primary, "the primary", 1)
    rings = expect_peeked(peeked)
    want = [f"early-{i:02d}" for i in range(1, RING_CAPACITY + 1)]
    got = slots(rings, "PRI_2_SEC")
    expect(got == want, f"'early-01' ... 'early-{RING_CAPACITY}', each in a buffer of MSG_POOL, ended by its NUL",
           lambda: first_difference(got, want, "in the ring"), blame_rings(rings))


@check("the secondary finds the rings and the pool by name", 2, needs=[1, 3])
def test_secondary_finds_objects(primary, secondary, peeked):
    running(primary, "the primary", 1)
    expect(secondary.ready, f"'{READY}'", lambda: secondary.tail(2))
    # Its send ring is SEC_2_PRI, still empty; PRI_2_SEC holds the primary's
    # messages: seen from here, that is the other way round.
    saw = secondary.view
    expect(saw is not None and "rings: 0 to send" in saw,
           "the secondary's stats say 'rings: 0 to send' (its send ring is SEC_2_PRI)", saw,
           blame_view(secondary.view, peeked))


@check("a secondary with no primary exits non-zero with a clear error", 2)
def test_no_primary(lab):
    # With no primary ever, EAL itself refuses (main.c says so). With a
    # primary killed by SIGKILL its files remain, EAL attaches to the corpse,
    # and only the lookup's own check (TODO 2) can refuse.
    lone = start_secondary(lab, "lone", lab.prefix("lone"), wait=False)
    expect(lone.exits_with(EAL_REFUSAL), f"exit status 1 and '{EAL_REFUSAL}' (no primary ever ran)",
           lone.ending)
    corpse_prefix = lab.prefix("corpse")
    # The orphan's EAL allocates from the dead primary's heap, and only a
    # primary can grow a heap: 64 MiB reserved at its start (-m) leave room.
    corpse = start_primary(lab, "corpse", corpse_prefix, "-m", "64")
    expect(corpse.ready, f"'{READY}' from a new primary", lambda: corpse.tail(2), 1)
    stats(corpse)  # killed once idle, not in the middle of its start
    orphan_refused(lab, corpse, corpse_prefix, "orphan", "its primary was killed")
    # A primary killed before it made every object: that it is dead is what
    # the secondary must say (TODO 2 looks first), not what is missing.
    half_prefix = lab.prefix("halfdead")
    stub = doubles.stub_primary(lab, "halfdead", half_prefix, ["ring:PRI_2_SEC"], eal=["-m", "64"])
    orphan_refused(lab, stub, half_prefix, "half_orphan", "its primary, killed, had made PRI_2_SEC alone")


def orphan_refused(lab, primary, prefix, name, why):
    """PRIMARY killed, a secondary NAME started on its PREFIX must exit 1
    saying that no primary lives (TODO 2's -ESRCH), WHY."""
    # Any primary starting meanwhile (other checks, other users) would
    # remove the dead one's hugepage files: the orphan would map new, empty
    # pages in their place and find no heap.
    with procs.hugepages_held(prefix):
        primary.stop(9)
        orphan = start_secondary(lab, name, prefix, wait=False)
        refused = orphan.exits_with(TODO2_REFUSAL)
    lab.finish(prefix)
    # -ESRCH from the lookup, but main.c's generic error: not TODO 2's fault.
    expect(refused, f"exit status 1 and '{TODO2_REFUSAL}' ({why})", orphan.ending,
           verdict.outside("attach_shared_objects") if orphan.count(ESRCH_AS_ERROR) else
           # EAL refused the orphan itself: nothing of TODO 2 ran.
           verdict.NOT_YOUR_CODE if orphan.count(EAL_REFUSAL) else 2)


@check(f"the secondary drains the {RING_CAPACITY} queued messages, in order, and frees their buffers", 4,
       needs=[1, 3])
def test_secondary_drains_in_order(primary, drained, peeked):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    got = received(drained, "early-")
    want = [f"early-{i:02d}" for i in range(1, RING_CAPACITY + 1)]
    # What waited in the ring, as mp_inspect read it, tells whose copy is wrong.
    rings = peeked if peeked is not None and "error" not in peeked else None
    if rings is not None and slots(rings, "PRI_2_SEC") != want:
        blame = blame_rings(rings)
    elif "rings: 0 to send" not in (drained.view or ""):
        blame = blame_view(drained.view, peeked)
    else:
        blame = blame_delivery(primary, drained, want)
    expect(got == want, f"early-01 ... early-{RING_CAPACITY}", " ".join(got) or "nothing received", blame)
    expect_pool_full(primary)


@check("messages go both ways: primary to secondary and back", 3, 4, needs=[1])
def test_both_ways(primary, drained, peeked, ping_pong):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    rings_right_way(drained, peeked)
    expect(ping_pong["ping"], "the secondary prints: Received 'ping from the primary'",
           lambda: drained.tail(2), blame_delivery(primary))
    expect(ping_pong["pong"], "the primary prints: Received 'pong from the secondary'",
           lambda: primary.tail(2), blame_delivery(drained))


@check(f"{BULK} messages arrive complete and in order; every buffer returns to the pool", 3, 4, needs=[1])
def test_bulk_in_order(primary, drained, peeked, bulk):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    rings_right_way(drained, peeked)
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


@check("a message longer than a buffer is refused, not truncated", 3, needs=[1, 4])
def test_long_message_refused(primary, drained, peeked, long_message):
    running(primary, "the primary", 1)
    running(drained, "the secondary", 2)
    rings_right_way(drained, peeked)
    # send_message() refuses it before any TODO's code runs: the guard's words.
    expect(long_message["refused"], long_message["refusal"], lambda: primary.tail(2),
           verdict.outside("send_message", "report_not_sent"))
    expect(long_message["next"], "the next message arrives: Received 'after the long one'",
           lambda: drained.tail(2), blame_delivery(primary))
    parts = received(drained, "LLL")
    expect(not parts, "no part of the long message received", lambda: parts[0][:60])


@check("a secondary restarted after quit resumes messaging", 2, 3, 4, needs=[1])
def test_restarted_secondary(primary, drained, peeked, restarted):
    running(primary, "the primary", 1)
    expect(restarted["alive_before"], "the secondary running", lambda: drained.tail(2), 2)
    rings_right_way(drained, peeked)
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


@check("four lcores draining a full ring at once receive each message exactly once; Ctrl-D ends a secondary as quit "
       "does", 1, 4, needs=[3])
def test_multi_consumer_drain(lab, prefix, primary, restarted, multi):
    running(primary, "the primary", 1)
    expect(multi is not None, "the restarted secondary running",
           lambda: restarted["again"].tail(2) if restarted["again"] else "it never started", 2)
    for p in multi:
        rings_right_way(p, None)
    if len(multi) == ROUNDS:
        last = multi[-1]
        expect(last.status == 0, "the last secondary, given Ctrl-D (the end of its input), exits 0 as on quit",
               lambda: f"status {last.status}: {last.tail(1)}", verdict.outside("run_prompt"))
    want = sorted(f"multi-{r}-{i:02d}" for r in range(1, ROUNDS + 1) for i in range(1, RING_CAPACITY + 1))
    got = sorted(m for p in multi for m in received(p, "multi-"))
    unique = len(set(got))
    expect(got == want, f"{ROUNDS * RING_CAPACITY} messages, each once",
           f"{len(got)} received, {unique} different (duplicates: single-consumer rings, or dequeues?)",
           blame_duplicates(lab, prefix) if len(got) > unique else blame_delivery(primary))


@pytest.fixture(scope="module")
def burst(lab, prefix, primary, multi):
    """Serves the send_burst check: with no secondary, `send_burst` to the
    empty ring (it fills, then a second without room), and one of texts too
    long; then a secondary drains the ring, and a burst goes to it."""
    before = primary.count("Sent ")
    primary.send(f"send_burst {BURST} burst")
    out = {"full": primary.wait_for("Sent ", before + 1, 5) and primary.lines("Sent ")[-1],
           "stopped": primary.count("Stopped: ring full for a second")}
    primary.send(f"send_burst 2 {TOO_LONG}")
    primary.wait_for("Sent 0 of 2", 1, 5)
    out["too_long"] = primary.lines("Message too long")[-1:] + primary.lines("Sent 0 of 2")
    s = out["secondary"] = start_secondary(lab, "burst_rx", prefix)
    if s.ready and s.wait_for("Received 'burst'", RING_CAPACITY, 5):
        primary.send(f"send_burst {BURST_FAST} fast")
        primary.wait_for(f"of {BURST_FAST} messages", 1, 10)
        s.wait_for("Received 'fast'", BURST_FAST, 5)
    out["sent"] = primary.lines(f"of {BURST_FAST} messages")
    s.send("quit")
    s.wait_exit(10)
    return out


@check("send_burst: a full ring takes no more for a second, then it stops and says so; a text too long is "
       "refused; to a receiving secondary every message goes, once", 3, 4, needs=[1, 2])
def test_send_burst(primary, burst):
    running(primary, "the primary", 1)
    want = f"Sent {RING_CAPACITY} of {BURST} messages"
    expect(burst["full"] and burst["full"].startswith(want) and burst["stopped"] == 1,
           f"'Stopped: ring full for a second - ...', then '{want} in ...'", lambda: primary.tail(2), 3)
    want = [f"Message too long ({MSG_SIZE} characters, at most {MSG_SIZE - 1}) - not sent", "Sent 0 of 2"]
    saw = [line.strip() for line in burst["too_long"]]
    expect(len(saw) == 2 and saw[0] == want[0] and saw[1].startswith(want[1]), " then ".join(want),
           lambda: " | ".join(saw) or primary.tail(2), verdict.outside("send_message", "report_not_sent"))
    s = burst["secondary"]
    expect(s.ready, f"'{READY}' from a secondary", lambda: s.tail(2), 2)
    got = received(s, "burst")
    expect(got == ["burst"] * RING_CAPACITY, f"the secondary receives the {RING_CAPACITY} 'burst' the ring held",
           f"{len(got)} of them", blame_delivery(primary, s, ["burst"] * RING_CAPACITY))
    want = f"Sent {BURST_FAST} of {BURST_FAST} messages"
    expect(burst["sent"] and burst["sent"][-1].strip().startswith(want), f"'{want} in ...'",
           lambda: primary.tail(2), 3)
    got = received(s, "fast")
    expect(got == ["fast"] * BURST_FAST, f"the secondary receives {BURST_FAST} 'fast', each once",
           f"{len(got)} of them", blame_delivery(primary, s, ["fast"] * BURST_FAST))


def blame_duplicates(lab, prefix):
    """A message taken twice: a single-consumer ring (TODO 1), or, from a
    multi-consumer one, a single-consumer dequeue (TODO 4)."""
    seen = lab.inspect("inspect_dup", prefix, "ring:PRI_2_SEC").seen
    return 4 if "consumer multi" in seen.get("ring:PRI_2_SEC", "") else 1


@pytest.fixture(scope="module")
def reuse(lab, inspector):
    """Serves the longest_message and reused_buffer_exact checks: a primary of their own fills its ring with
    FILLERS and LONGEST, and the full ring refuses REFUSED, whose buffer goes
    back on top of the sending lcore's cache; mp_inspect reads the ring, then a
    secondary (one receiving lcore) drains it. The next message, "short", then
    goes out in REFUSED's buffer (a cache gives back the last buffer put
    first); the receiving lcore's copy last held LONGEST."""
    prefix = lab.prefix("reuse")
    p = start_primary(lab, "reuse_primary", prefix)
    out = {"primary": p, "peek": None, "secondary": None}
    if not p.ready:
        return out
    filled = send(p, *FILLERS, LONGEST)
    p.send(f"send {REFUSED}")
    stats(p)
    out["peek"] = peek(lab, prefix, "reuse_peek", inspector, "PRI_2_SEC", "SEC_2_PRI")
    s = out["secondary"] = start_secondary(lab, "reuse_secondary", prefix)
    s.view = stats(s) if s.ready else None
    if s.ready and s.wait_for(f"Received '{LONGEST[:64]}", unless=filled):
        p.send("send short", f"send {TOO_LONG}")
        s.wait_for("Received 'after the longest", unless=send(p, "after the longest"))
    return out


@check("a message of 127 characters, the most a buffer holds, arrives whole; one of 128 is refused", 3, 4, needs=[1])
def test_longest_message(reuse):
    p, s = reuse["primary"], reuse["secondary"]
    expect(p.ready, f"'{READY}' from a new primary", lambda: p.tail(2), 1)
    running(p, "the primary", 1)
    # send_message()'s guard, before any TODO's code: 127 characters fit.
    refused = p.lines(f"Message too long ({MSG_SIZE - 1} characters")
    expect(not refused, f"the {MSG_SIZE - 1} B's accepted for sending", lambda: refused[0],
           verdict.outside("send_message"))
    rings = expect_peeked(reuse["peek"])
    want = FILLERS + [LONGEST]
    got = slots(rings, "PRI_2_SEC")
    expect(got == want, f"in PRI_2_SEC's buffers (mp_inspect): fill-01 ... fill-{RING_CAPACITY - 1}, then 127 B's",
           lambda: first_difference(got, want, "in the ring"), blame_rings(rings))
    expect(s is not None and s.ready, f"'{READY}' from a secondary", lambda: s.tail(2) if s else "none", 2)
    rings_right_way(s, rings)
    # Its buffer held the text whole (mp_inspect said so): the receiver's copy.
    got = received(s, "BBB")
    expect(got == [LONGEST], "the secondary prints the 127 B's once, whole",
           lambda: ", ".join(f"{len(g)} characters" for g in got) or "nothing of them", 4)
    refusal = f"Message too long ({MSG_SIZE} characters, at most {MSG_SIZE - 1}) - not sent"
    expect(p.count(refusal) == 1, refusal, lambda: p.tail(2), verdict.outside("send_message", "report_not_sent"))
    parts = received(s, "CCC")
    expect(not parts, f"no part of the {MSG_SIZE} C's received", lambda: f"{len(parts[0])} C's",
           verdict.outside("send_message"))


@check("a short message in a buffer that held a longer one arrives exactly", 3, 4, needs=[1])
def test_reused_buffer_exact(reuse):
    p, s = reuse["primary"], reuse["secondary"]
    expect(p.ready, f"'{READY}' from a new primary", lambda: p.tail(2), 1)
    running(p, "the primary", 1)
    expect(s is not None and s.ready, f"'{READY}' from a secondary", lambda: s.tail(2) if s else "none", 2)
    rings_right_way(s, reuse["peek"])
    got = received(s, "short")
    expect(got == ["short"], "the secondary prints: Received 'short'", lambda: got[0] if got else s.tail(2),
           blame_delivery(p, s, ["short"]))


@pytest.fixture(scope="module")
def empty_pool(lab):
    """Serves the empty_pool check: a new primary whose message pool a third process
    (tools/pool_hold, a secondary) has emptied; one message sent; the pool
    given back; another sent."""
    prefix = lab.prefix("empty")
    p = start_primary(lab, "epri", prefix)
    run = {"primary": p, "held": None, "first": None, "second": None}
    if p.ready:
        hold = lab.start("hold", [f"{lab.tools()}/pool_hold", "--lcores", "9@0", "--no-pci", "--file-prefix",
                                  prefix, "--proc-type=secondary", "--log-level=lib.eal:error", "--", "MSG_POOL"])
        if hold.wait_for("held ", 1, 15):
            run["held"] = hold.lines("held ")[0]
            send(p, "while-empty")
            run["first"] = stats(p)
            p.send("send_burst 3 while-empty")
            p.wait_for("Sent 0 of 3", 1, 5)
            run["burst"] = p.lines("Stopped: ") + p.lines("Sent 0 of 3")
            hold.send()
            hold.popen.stdin.close()
            hold.wait_exit(10)
            send(p, "after-empty")
            run["second"] = stats(p)
            run["refusals"] = p.lines(SEND_REFUSED)
        else:
            run["held"] = f"nothing: {hold.tail(2)}"
    lab.finish(prefix)
    return run


@check("a pool that another process emptied: the send says no free buffer, counts no drop, and works once "
       "the buffers are back", 3, needs=[1])
def test_empty_pool(empty_pool):
    run = empty_pool
    p = run["primary"]
    expect(p.ready, f"'{READY}' from a new primary", lambda: p.tail(2), 1)
    expect(run["held"] and run["held"].startswith(f"held {POOL_TOTAL} of MSG_POOL"),
           f"pool_hold takes the {POOL_TOTAL} free buffers", run["held"], 1)
    refused = run.get("refusals") or []
    want = "Failed to send message - no free message buffer"
    expect(refused[:1] == [want] and len(refused) == 1, want, " | ".join(refused) or "no refusal", 3)
    # Refused for want of a buffer: not sent, and not a drop at a full ring.
    want = "Messages: sent 0, received 0, dropped (ring full) 0"
    expect(run["first"] is not None and run["first"].startswith(want), want, run["first"], 3)
    want = ["Stopped: no free message buffer for a second - is the other process receiving?", "Sent 0 of 3"]
    saw = [line.strip() for line in run.get("burst") or []]
    expect(len(saw) == 2 and saw[0] == want[0] and saw[1].startswith(want[1]), " then ".join(want),
           " | ".join(saw) or p.tail(2), 3)
    want = "Messages: sent 1, received 0, dropped (ring full) 0"
    expect(run["second"] is not None and run["second"].startswith(want), f"{want}, once the buffers are back",
           run["second"], 3)


# What no vdev shows: a creation that fails (tests/lib/doubles/fail_create.c).
CREATE_FAILED = "Cannot create the rings and message pool: Cannot allocate memory"


@pytest.fixture(scope="module")
def fail_create(lab):
    """Serves the creation_fails check: the lab built with fail_create.c; a primary for each
    object, whose creation fails with ENOMEM."""
    return doubles.failing_creations(
        lab, ["PRI_2_SEC", "SEC_2_PRI", "MSG_POOL"],
        lambda out, prefix: [f"{out}/simple_mp", "-l", "0-1", "--no-pci", "--file-prefix", prefix,
                             "--proc-type=primary"], CREATE_FAILED)


@check("a creation that fails (no memory for a ring, or for the pool): the primary exits non-zero, saying why", 1)
def test_creation_fails(fail_create):
    """Each object in turn cannot be created (ENOMEM), as with no hugepage
    memory left."""
    doubles.judge_failing_creations(fail_create, CREATE_FAILED, 1)


LOOKUP_FAILED = "Cannot find the primary's rings and message pool: No such file or directory"


@check("a primary that made only some of the objects (another program on the prefix): the secondary exits "
       "non-zero, saying that they are missing", 2)
def test_objects_missing(lab):
    """tools/mp_stub_primary, a primary of the kit's, creates nothing, then
    only PRI_2_SEC, then both rings and no pool: each time the lookup must
    return -ENOENT, and the secondary stop with main.c's reason, not run on
    with a ring or a pool it does not have."""
    for made in ([], ["ring:PRI_2_SEC"], ["ring:PRI_2_SEC", "ring:SEC_2_PRI"]):
        prefix = lab.prefix(f"stub{len(made)}")
        stub = doubles.stub_primary(lab, f"stub{len(made)}", prefix, made)
        s = start_secondary(lab, f"partial{len(made)}", prefix, wait=False)
        refused = s.exits_with(LOOKUP_FAILED)
        stub.send()
        lab.finish(prefix)
        have = " and ".join(m.split(":")[1] for m in made) or "nothing"
        expect(refused, f"with a primary that has {have}: a non-zero exit and '{LOOKUP_FAILED}'", s.ending, 2)
