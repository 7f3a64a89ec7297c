# SPDX-License-Identifier: BSD-3-Clause
"""Lab 01 at volume: its message layer (the checked copy's messages.c) with
several lcores at each end of PRI_2_SEC at once, as the lab's rings allow.

tests/01_simple_mp/msg_volume.c, built with the copy's messages.c, runs as a
primary that sends and a secondary that receives with the lab's
msg_receive(), in rounds: phase A, two lcores send at once with msg_send(),
offering one message more than the ring holds, so that they race for its
last slot and one is refused, and one receives; phase B, one sends with
msg_send_wait() and two receive at once. Each message is
unique, so the secondary counts what was lost, repeated or corrupted, and
in which phase: A's losses are the sending side's, B's the receiving
side's. Real rings and a real pool; the lab's pool calls are counted, and
each buffer put back is marked, so that a copy made after the put shows."""

import glob
import os
import re
import shutil
import subprocess

import pytest

from mpwcheck import verdict
from mpwcheck.verdict import expect

LAB = "01_simple_mp"
check = pytest.mark.check

VOLUME = 50000  # messages per sender; 150000 in all
SAFE = ("multi", "rts", "hts")  # the ring's ends that several lcores may share
READY = "volume: ready"
DONE = "volume: done"
COUNTS = re.compile(r"volume: phase ([AB]): sent (\d+), received (\d+), lost (\d+), repeated (\d+), unsent (\d+), "
                    r"corrupted (\d+) \(marked by the sending process (\d+), by the receiving process (\d+)\)")
BUFFERS = re.compile(r"volume: buffers: the sending process took (\d+) and put back (\d+); the receiving process "
                     r"received (\d+) and put back (\d+); pool (\d+) free of (\d+)")
STOPPED = re.compile(r"volume: stopped early: (\w+)(?: in phase ([AB]), round (\d+); the ring held (\d+))?")


def volume_make(lab, build_dir, src):
    """make's command for msg_volume built with SRC's messages.c into BUILD_DIR
    (tests/01_simple_mp/Makefile), never sanitized: the lab's own programs are."""
    return ["make", "-s", "-C", os.path.join(lab.top, "tests", LAB), f"TOP={lab.top}", f"BUILD_DIR={build_dir}",
            f"LAB_SRC={src}", "SANITIZE="]


def volume_objects(lab):
    """The objects of msg_volume that no copy of the lab changes (all but
    volume_lab.o), compiled once for every run, with the solution."""
    shared = os.path.join(lab.top, "build", "tests", LAB, "volume")
    with lab.lock(shared):
        subprocess.run(volume_make(lab, shared, os.path.join(lab.top, "solutions", LAB)),
                       capture_output=True, check=False, timeout=300)
    return [o for o in glob.glob(os.path.join(shared, "obj", "*.o")) if not o.endswith("/volume_lab.o")]


@pytest.fixture(scope="module")
def volume_build(lab):
    """msg_volume with this copy's messages.c: {"path"} or {"error"}. It
    starts from volume_objects() (their times kept), so make compiles
    volume_lab.c, and links."""
    out = lab.path("volume")
    os.makedirs(os.path.join(out, "obj"), exist_ok=True)
    for o in volume_objects(lab):
        shutil.copy2(o, os.path.join(out, "obj"))
    build = subprocess.run(volume_make(lab, out, lab.src), capture_output=True, text=True, check=False, timeout=300)
    if build.returncode != 0:
        return {"error": "cannot build it: " + " | ".join((build.stdout + build.stderr).splitlines()[-2:])}
    return {"path": f"{out}/msg_volume"}


@pytest.fixture(scope="module")
def volume(lab, volume_build):
    """The primary (senders) and the secondary (receivers) of msg_volume, run
    to their end on a prefix of their own."""
    if "path" not in volume_build:
        return volume_build
    prefix = lab.prefix("volume")
    eal = ["--no-pci", "--file-prefix", prefix, "--log-level=lib.eal:error"]
    p = lab.start("volume_primary", [volume_build["path"], "--lcores", "0@0,1@1", *eal, "--proc-type=primary",
                                     "--", str(VOLUME)])
    s = None
    if p.wait_for(READY, 1, 15, unless=lab.stubbed(1)):
        s = lab.start("volume_secondary", [volume_build["path"], "--lcores", "2@0,3@0,4@1", *eal,
                                           "--proc-type=secondary"])
        # The primary exits once the secondary has reported: else it waits in vain.
        if s.wait_for(DONE, 1, 30, unless=lab.stubbed(2)):
            p.wait_exit(5)
    lab.finish(prefix)
    return {"primary": p, "secondary": s}


def line(p, pattern):
    """The first match of PATTERN in P's output, or None."""
    for text in p.lines("volume: "):
        m = pattern.search(text)
        if m:
            return m
    return None


def ends(p):
    """The producer and the consumer ends of PRI_2_SEC, as the primary found them."""
    m = line(p, re.compile(r"volume: ring PRI_2_SEC: producer (\w+), consumer (\w+)"))
    return (m[1], m[2]) if m else ("?", "?")


def examples(s, phase):
    """What the secondary showed of PHASE's first lost, repeated and corrupted messages."""
    return "; ".join(text.split(": ", 2)[2] for text in s.lines(f"volume: phase {phase}: first "))


def phase_saw(s, name, c, stopped, senders):
    """One phase's figures, as a student reads them."""
    sent, received, lost, repeated, unsent, corrupted = (int(c[i]) for i in range(2, 8))
    parts = [f"{received} received of {sent} sent"]
    if lost:
        parts.append(f"lost {lost}")
    if repeated:
        parts.append(f"{repeated} received again")
    if unsent:
        parts.append(f"{unsent} received though their send failed")
    if corrupted:
        parts.append(f"{corrupted} texts corrupted")
    if stopped and stopped[2] == name:
        parts.append({"flood": f"round {stopped[3]} received more than the ring held: its indexes are broken",
                      "still_full": f"in round {stopped[3]} the receivers found nothing while PRI_2_SEC held "
                                    f"{stopped[4]} message{'' if stopped[4] == '1' else 's'}",
                      "send": f"a send failed in round {stopped[3]}: {senders}",
                      "timeout": f"in round {stopped[3]} the other process did not come within 10 s"
                      }.get(stopped[1], stopped[1]))
    more = examples(s, name)
    return ", ".join(parts) + (f" ({more})" if more else "")


SHORT_SIZE = 16  # msg_volume.c's
SHORT_TEXT = "a message longer than the sixteen bytes given for it"


def blame_end(end, todo):
    """The ring's END as TODO 1 made it, when several lcores cannot share it;
    else the code that uses it (TODO)."""
    return 1 if end not in SAFE else todo


@check(f"{3 * VOLUME} messages on PRI_2_SEC: two lcores send at once, then two receive at once; each arrives "
       "once, intact, and every buffer returns; one received into 16 bytes is cut there, its NUL last", 1, 3, 4, needs=[2])
def test_messages_at_volume(volume):
    expect("error" not in volume, "msg_volume (tests/01_simple_mp/msg_volume.c) built with this messages.c",
           lambda: volume.get("error"), verdict.NOT_YOUR_CODE)
    p, s = volume["primary"], volume["secondary"]
    expect(p.count(READY), "msg_volume's primary: the rings and the pool created ('volume: ready')",
           lambda: p.tail(2), 1)
    expect(s is not None and s.count("volume: attached"),
           "msg_volume's secondary: the rings and the pool found ('volume: attached')",
           lambda: s.tail(2) if s else "it was not started", 2)
    # A process that died or hung in the middle: whatever ran in it, a guess.
    expect(s.count(DONE), f"'{DONE}' from msg_volume's secondary",
           lambda: f"status {s.status}, primary status {p.status}: {s.tail(2)}", [3, 4], guess=True)
    producer, consumer = ends(p)
    senders = "; ".join(t.split("volume: ", 1)[1] for t in p.lines("volume: sender "))

    # The buffers each process took and put back, counted in the lab's pool calls.
    b = line(s, BUFFERS)
    expect(b is not None, "the secondary's count of the buffers ('volume: buffers: ...')", lambda: s.tail(2),
           verdict.NOT_YOUR_CODE)
    took, put_back, received, returned, free, total = (int(b[i]) for i in range(1, 7))
    sent = sum(int(m) for m in re.findall(r"sent (\d+) of", senders))
    expect(returned == received, "the receiving process puts back one buffer for each message it receives",
           f"it received {received} and put back {returned}", 4)
    expect(took - put_back == sent, "the sending process keeps one buffer for each message sent, no more, no less",
           f"it took {took} buffers, put back {put_back} and sent {sent} messages", 3)
    # Each buffer, right after its enqueue: one that still holds the mark
    # of a buffer just taken went out before its text, for a receiver to
    # read first.
    early = p.lines("volume: enqueued before their text was written:")
    expect(early and early[-1].rsplit(":", 1)[1].strip() == "0",
           "every text written into its buffer before the buffer is enqueued",
           lambda: (early[-1].split("volume: ", 1)[1] + " messages") if early else p.tail(1), 3)

    counts = {m[1]: m for m in (COUNTS.search(t) for t in s.lines("volume: phase ")) if m}
    a, bb = counts.get("A"), counts.get("B")
    stopped = line(s, STOPPED)
    pool = f"; the pool lost {total - free} buffers" if free != total else ""
    # A buffer read after it went back holds the marker of whoever put it back.
    # Most texts of a phase that ran to its end so: every message, not a race.
    for c in (a, bb):
        if c is None or (stopped and stopped[2] == c[1]):
            continue
        sent_here, by_sender, by_receiver = int(c[2]), int(c[8]), int(c[9])
        expect(not 0 < sent_here <= 2 * by_receiver, "the receiver copies each text out, then puts its buffer back",
               f"{by_receiver} of the {sent_here} messages of phase {c[1]} read "
               "'<put back by the receiving process>': copied after the put", 4)
        expect(not 0 < sent_here <= 2 * by_sender, "the sender lets go of a buffer once it is enqueued, not before",
               f"{by_sender} of the {sent_here} messages of phase {c[1]} read "
               "'<put back by the sending process>': put back after the enqueue", 3)

    def clean(c, phase):
        return c is not None and all(int(c[i]) == 0 for i in (4, 5, 6, 7)) and int(c[3]) == int(c[2]) == \
            (2 if phase == "A" else 1) * VOLUME and not (stopped and stopped[2] == phase)

    # Phase A: two senders race, one receiver: what goes wrong is the sending
    # side's, unless the receiver left messages in the ring.
    took_nothing = stopped is not None and stopped[1] == "still_full" and stopped[2] == "A"
    expect(clean(a, "A"), f"phase A, two lcores sending at once: {2 * VOLUME} messages, each received once, intact",
           lambda: phase_saw(s, "A", a, stopped, senders) + pool if a else s.tail(2),
           4 if took_nothing else blame_end(producer, 3))
    # ... phase B: one sender, two receivers race: the receiving side's.
    expect(clean(bb, "B"), f"phase B, two lcores receiving at once: {VOLUME} messages, each received once, intact",
           lambda: phase_saw(s, "B", bb, stopped, senders) + pool if bb else s.tail(2), blame_end(consumer, 4))
    want = f"volume: short receive: returned 1, '{SHORT_TEXT[:SHORT_SIZE - 1]}', 8 of 8 bytes past them untouched"
    saw = s.lines("volume: short receive:")
    expect(saw == [want], f"a message received into {SHORT_SIZE} bytes: its first {SHORT_SIZE - 1} characters and a "
           "NUL, nothing written past them", saw[0] if saw else s.tail(1), 4)
    expect(free == total, f"every buffer back in the pool: {total} free of {total}",
           f"{free} free of {total}: the pool lost {total - free}", [3, 4])
    # No message suffered this time, but the ring cannot take two lcores at an end.
    expect(producer in SAFE and consumer in SAFE,
           "PRI_2_SEC multi-producer and multi-consumer (or rts, hts): two lcores at each end",
           f"producer {producer}, consumer {consumer}, though every message arrived this time", 1)
