#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""cite_checks.py RESULTS LAB [--write]: the checks that each TODO comment of
solutions/LAB cites ("Checks NAME, ... and NAME; walkthrough: ...") against
those that judge it, by name: the checks whose TODOs, in RESULTS (a
results.json of LAB's check), hold it. Prints each TODO that cites others and
exits 1; with --write, rewrites those comments (then run make skeletons).

The skeletons carry these comments: a student reads there which checks to
run alone (make check ONLY=NAME).
"""

import json
import re
import sys
import textwrap
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
BEGIN = re.compile(r"(?P<indent>[ \t]*)/\* TODO\((?P<todo>\d+)\) begin:.*?\*/", re.S)
TAIL = re.compile(r"(?P<lead>\n[ \t]*\* )Checks? (?P<cited>.*?);(?P<rest>[\s*]*walkthrough:.*?)(?P<end>\n[ \t]*\*/)$",
                  re.S)
STAR = re.compile(r"\n[ \t]*\* ?")


def flat(text):
    """A comment's TEXT as one line: no line breaks, no leading stars."""
    return " ".join(STAR.sub(" ", text).split())


def listed(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def wanted(results, lab):
    """{TODO: [names of the checks that judge it, in their order]}."""
    with open(results) as f:
        checks = json.load(f)["checks"]
    out = {}
    for c in checks:
        if c["lab"] == lab:
            for t in c["todos"]:
                out.setdefault(t, []).append(c["name"])
    return out


def rewrite(block, names):
    """BLOCK (a TODO's begin comment) citing NAMES, its tail re-flowed; None
    when it cites no check."""
    m = TAIL.search(block)
    if m is None:
        return None
    # "make hint LAB=NN TODO=N" is a command: kept on one line.
    rest = re.sub(r"make hint \S+ \S+", lambda h: h[0].replace(" ", "\0"), flat(m["rest"]))
    words = ("Check " if len(names) == 1 else "Checks ") + listed(names) + "; " + rest
    prefix = m["lead"][1:]
    width = 80 - len(prefix.expandtabs(8))
    lines = textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False)
    return block[:m.start()] + "".join("\n" + prefix + line.replace("\0", " ") for line in lines) + m["end"]


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--write"):
        sys.exit(__doc__)
    results, lab, write = argv[1], argv[2], len(argv) == 4
    want = wanted(results, lab)
    wrong = 0
    for path in sorted((TOP / "solutions" / lab).glob("*.c")):
        text = path.read_text()
        new = text
        for m in reversed(list(BEGIN.finditer(text))):
            todo = int(m["todo"])
            fixed = rewrite(m[0], want.get(todo, []))
            if fixed is None or not want.get(todo):
                print(f"{path.relative_to(TOP)}: TODO {todo} cites no check, or no check judges it")
                wrong += 1
                continue
            if fixed != m[0]:
                cited = flat(TAIL.search(m[0])["cited"])
                print(f"{path.relative_to(TOP)}: TODO {todo} cites {cited}; "
                      f"the checks that judge it: {listed(want[todo])}")
                wrong += 1
                new = new[:m.start()] + fixed + new[m.end():]
        if write and new != text:
            path.write_text(new)
    if wrong and not write:
        print(f"{lab}: {wrong} TODO comments cite other checks than those that judge them: "
              f"scripts/cite_checks.py {results} {lab} --write, then make skeletons")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
