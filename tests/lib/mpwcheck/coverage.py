# SPDX-License-Identifier: BSD-3-Clause
"""python3 -m mpwcheck.coverage TOP GCOVR.json EXITS.json LAB...: the branches
of each TODO region of the LABs' solutions, as the checks took them, for make
coverage (scripts/coverage.sh), which makes GCOVR.json (gcovr --json) and
EXITS.json (mpwcheck.exits) first.

A region is the solution's code of TODO N: the lines after its
"/* TODO(N) begin */" comment, up to its "/* TODO(N) skeleton:"
marker (scripts/make_skeleton.awk). Prints each region's branches taken and
total, each branch not taken (FILE:LINE), the processes whose counts were
lost, and a summary: the branches of solutions/ and common/ taken, and
whether every branch of every region was. Exit status 0 whatever the
figures: they are a report, not a verdict.

A branch that nothing here can take says why in the source: a comment
that ends on the line above it and starts "Unreachable here:". Its
untaken branches are listed with that reason, apart from the others, and
left out of the figures' totals.
"""

import glob
import json
import os
import re
import sys

BEGIN = re.compile(r"/\* TODO\((\d+)\) begin\b")
UNREACHABLE = re.compile(r"^/?\*+\s*Unreachable here:\s*(.*)$")
# What make coverage aims at, of the branches of solutions/ and common/.
TARGET = 95.0


def regions(path):
    """[(N, first line, last line)] of the solution file PATH, 1-based."""
    out = []
    with open(path) as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        m = BEGIN.search(lines[i])
        if not m:
            i += 1
            continue
        n = m[1]
        while i < len(lines) and "*/" not in lines[i]:
            i += 1
        first = i + 2
        while i < len(lines) and not re.search(rf"TODO\({n}\) skeleton:", lines[i]):
            i += 1
        out.append((int(n), first, i))
        i += 1
    return out


def branches(gcovr):
    """{file: {line: (times the line ran, [count of each branch])}} of
    gcovr's JSON (format 0.x of gcovr 5 to 8: a line may come once per
    function that holds it)."""
    out = {}
    for f in gcovr["files"]:
        lines = out.setdefault(f["file"], {})
        for line in f["lines"]:
            if line.get("gcovr/excluded") or line.get("gcovr/noncode"):
                continue
            ran, counts = lines.get(line["line_number"], (0, []))
            counts = counts + [b["count"] for b in line.get("branches", []) if not b.get("gcovr/excluded")]
            lines[line["line_number"]] = (ran + line.get("count", 0), counts)
    return out


def reason(source, no):
    """Why line NO (1-based) of SOURCE cannot be taken here: the comment
    ending on the line above it, when it starts "Unreachable here:"; else
    None."""
    i = no - 2
    if i < 0 or not source[i].rstrip().endswith("*/"):
        return None
    text = []
    while i >= 0:
        line = source[i].strip()
        text.insert(0, line)
        if line.startswith("/*"):
            break
        i -= 1
    joined = " ".join(t.strip("/* ").strip() for t in text)
    m = UNREACHABLE.match("/* " + joined)
    return m[1].strip() if m else None


def sources(top, data):
    """{file: its lines}, for the files of DATA under TOP."""
    out = {}
    for rel in data:
        try:
            with open(os.path.join(top, rel)) as f:
                out[rel] = f.read().splitlines()
        except OSError:
            out[rel] = []
    return out


def said(data, text):
    """{(file, line): why} of DATA's lines whose branches TEXT says are
    unreachable."""
    out = {}
    for rel, lines in data.items():
        for no in lines:
            why = reason(text.get(rel, []), no)
            if why:
                out[(rel, no)] = why
    return out


def pct(taken, total):
    return f"{100.0 * taken / total:5.1f}%" if total else "  -   "


def report_regions(top, data, labs, excused):
    """Prints each region's figures; returns how many of their branches
    were not taken, and the regions with no counts."""
    print("== branches of each TODO region (the solution's code between its begin comment and its skeleton)")
    print(f"{'lab':18} {'TODO':>4}  {'where':38} {'taken':>5} / {'total':<5} {'cover':>6}")
    missed, blank = [], []
    paths = [p for lab in labs for p in glob.glob(os.path.join(top, "solutions", lab, "*.[ch]"))]
    for path in sorted(paths):
        rel = os.path.relpath(path, top)
        lab = rel.split(os.sep)[1]
        with open(path) as f:
            source = f.read().splitlines()
        for n, first, last in regions(path):
            lines = data.get(rel)
            where = f"{rel.split(os.sep, 2)[2]}:{first}-{last}"
            if lines is None:
                print(f"{lab:18} {n:>4}  {where:38} no counts: no process of the lab wrote them")
                blank.append(f"{lab} TODO {n}")
                continue
            taken = total = 0
            for no in range(first, last + 1):
                ran, counts = lines.get(no, (0, []))
                if (rel, no) in excused:
                    continue
                total += len(counts)
                taken += sum(1 for c in counts if c)
                # Several branches of a line: a condition of several terms, or
                # the code of a DPDK inline function that GCC puts on the calling line.
                untaken = [k for k, c in enumerate(counts) if not c]
                if untaken:
                    why = "the line never ran" if not ran else f"the line ran {ran} times"
                    missed.append((f"{rel}:{no}: TODO {n}, branch{'es' if len(untaken) > 1 else ''} "
                                   f"{','.join(map(str, untaken))} of {len(counts)} never taken ({why}): "
                                   f"{source[no - 1].strip()}", len(untaken)))
            print(f"{lab:18} {n:>4}  {where:38} {taken:>5} / {total:<5} {pct(taken, total)}")
    untaken = sum(k for _, k in missed)
    if missed:
        print(f"== branches not taken inside TODO regions: {untaken}")
        for m, _ in missed:
            print(f"  {m}")
    return untaken, blank


def report_exits(top, path):
    """How the instrumented programs' processes ended: one killed by a
    signal wrote no counts."""
    try:
        with open(path) as f:
            exits = json.load(f)
    except (OSError, ValueError):
        print("== processes: no record of how they ended")
        return
    ours = os.path.join(top, "build", "coverage") + os.sep
    exits = [e for e in exits if e["program"].startswith(ours)]
    lost = [e for e in exits if e["status"] is None or e["status"] > 128]
    print(f"== processes of the instrumented programs: {len(exits)}; "
          f"{len(exits) - len(lost)} exited (counts written), {len(lost)} killed (counts lost)")
    for e in lost:
        how = "still running" if e["status"] is None else f"signal {e['status'] - 128}"
        print(f"  {how}: {os.path.basename(e['program'])} ({e['name']}), log {os.path.relpath(e['log'], top)}")


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__.strip())
    top = os.path.abspath(argv[1])
    with open(argv[2]) as f:
        data = branches(json.load(f))
    text = sources(top, data)
    excused = said(data, text)
    untaken, blank = report_regions(top, data, argv[4:], excused)
    report_exits(top, argv[3])
    unreachable = []
    for (rel, no), why in sorted(excused.items()):
        _, cs = data[rel][no]
        idle = [k for k, c in enumerate(cs) if not c]
        if idle:
            unreachable.append(f"  {rel}:{no}: branch{'es' if len(idle) > 1 else ''} {','.join(map(str, idle))} "
                               f"of {len(cs)}: {why}")
    print(f"== branches that the source says are unreachable here (left out of the totals): {len(unreachable)} lines")
    for line in unreachable:
        print(line)
    counts = [c for rel, lines in data.items() for no, (_, cs) in lines.items() if (rel, no) not in excused
              for c in cs]
    taken = sum(1 for c in counts if c)
    print(f"== branches of solutions/ and common/: {taken} of {len(counts)} taken, "
          f"{pct(taken, len(counts)).strip()} (target {TARGET:.0f}%)")
    print(f"== every branch of every TODO region taken: {'yes' if not untaken and not blank else 'no'}"
          f"{f' ({untaken} untaken)' if untaken else ''}"
          f"{f'; no counts for {len(blank)} region(s): ' + ', '.join(blank) if blank else ''}")


if __name__ == "__main__":
    main(sys.argv)
