#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A lab's manifest, tests/NN_name/manifest.toml: what the kit knows of each
TODO, in one place (after rustlings' info.toml). The schema is documented at
the top of tests/01_simple_mp/manifest.toml. Python 3.11's tomllib, nothing
else: run as it is (Debian's /usr/bin/python3).

The Python API (stable):

  load(lab, top=None) -> Manifest
      lab: "02" or "02_symmetric_mp"; top: the kit's top directory (default:
      the one this file is in). Raises LookupError when no lab matches, and
      ValueError when the manifest breaks the schema.
  Manifest
      .lab        "02_symmetric_mp"
      .path       its manifest.toml (a pathlib.Path)
      .todos      [Todo], in the order of their numbers, 1, 2, ... without gaps
      .all        the checks that fail on the skeleton (each naming a TODO)
      .guards     the checks of code outside the TODOs (no undone TODO fails them)
      .outside    the mutants of code outside the TODOs
      .variants   the correct variants (every check passes on them)
      .todo(n)    the Todo numbered n (KeyError when none)
      .keys()     ["1", ..., "N", "all"]: what todo_tests.sh takes
      .fails(key) the checks that must fail: key "N", "all" or "guard"
      .mutants()  [(name, check, todo)] of every tests/mutants/LAB/*.patch, by
                  name: check from the patch's "# check:" line, todo "N",
                  "outside" or "none" (a variant) from the manifest, "" when
                  the manifest lists it nowhere
      .comment(n, indent) the skeleton's comment of TODO n, its lines
                  indented by indent (the generator writes it)
  Todo
      .n, .title, .goal (the comment's text: lines, no comment marks),
      .section, .cites, .fails, .mutants, .hints (three texts: levels 1-3)

The command line (the same, stable):

  manifest.py todos LAB            the keys, one a line: 1 2 ... all
  manifest.py fails LAB KEY        the checks that must fail (KEY: N, all or
                                   guard), space separated
  manifest.py mutants LAB          NAME<TAB>CHECK<TAB>TODO, one mutant a line
                                   (tests/mutant_test.sh --list)
  manifest.py hint LAB N LEVEL     the text of TODO N's hint LEVEL (1-3)
  manifest.py title LAB N          TODO N's one-line goal
  manifest.py comments LAB FILE... for each "TODO(N) begin" marker of the
                                   solution FILEs: N<TAB>LINE, one line of the
                                   skeleton's comment each (for the generator;
                                   a TODO has one marker in its lab)
  manifest.py check LAB RESULTS    the manifest against the lab: every check it
                                   names is in RESULTS (a results.json of the
                                   solution's check), every check there fails
                                   under some TODO or is a guard, each TODO
                                   cites some of the checks that fail under it,
                                   every mutant patch is listed once, every
                                   TODO of the solution has an entry, every
                                   section is a heading of docs/LAB.md; exit 1
                                   naming each fault

Exit status 2 for a bad argument or a manifest that cannot be read.
"""

import json
import re
import sys
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
BEGIN = re.compile(r"^(?P<indent>[ \t]*)/\* TODO\((?P<n>\d+)\) begin\b")
# A comment's lines fit in this many columns (tabs at 8), as the kit's C does.
WIDTH = 80
TODO_KEYS = {"n", "title", "goal", "section", "cites", "fails", "mutants", "hints"}
LAB_KEYS = {"lab", "all", "guards", "outside", "variants", "todo"}


@dataclass(frozen=True)
class Todo:
    n: int
    title: str
    goal: tuple
    section: str
    cites: tuple
    fails: tuple
    mutants: tuple
    hints: tuple


def listed(names):
    """NAMES as English: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Manifest:
    def __init__(self, lab, path, data):
        self.lab, self.path = lab, path
        unknown = set(data) - LAB_KEYS
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        if data.get("lab") != lab:
            raise ValueError(f"{path}: lab = {data.get('lab')!r}, expected {lab!r}")
        self.all = tuple(data.get("all", ()))
        self.guards = tuple(data.get("guards", ()))
        self.outside = tuple(data.get("outside", ()))
        self.variants = tuple(data.get("variants", ()))
        todos = []
        for i, t in enumerate(data.get("todo", ()), 1):
            unknown = set(t) - TODO_KEYS
            missing = TODO_KEYS - set(t)
            if unknown or missing:
                raise ValueError(f"{path}: TODO entry {i}: unknown keys {sorted(unknown)}, "
                                 f"missing {sorted(missing)}")
            if t["n"] != i:
                raise ValueError(f"{path}: TODO entry {i} is numbered {t['n']}: they run 1, 2, ... in order")
            if len(t["hints"]) != 3 or not all(h.strip() for h in t["hints"]):
                raise ValueError(f"{path}: TODO {i} needs three hint levels, none empty")
            todos.append(Todo(t["n"], t["title"], tuple(t["goal"].strip("\n").split("\n")), t["section"],
                              tuple(t["cites"]), tuple(t["fails"]), tuple(t["mutants"]),
                              tuple(h.strip("\n") for h in t["hints"])))
        self.todos = tuple(todos)

    def todo(self, n):
        n = int(n)
        if not 1 <= n <= len(self.todos):
            raise KeyError(f"{self.lab} has no TODO {n}")
        return self.todos[n - 1]

    def keys(self):
        return [str(t.n) for t in self.todos] + ["all"]

    def fails(self, key):
        if key == "all":
            return self.all
        if key == "guard":
            return self.guards
        if not str(key).isdigit():
            raise KeyError(f"{self.lab}: no key {key!r} (N, all or guard)")
        return self.todo(key).fails

    def todo_of(self, mutant):
        """A mutant's TODO: "N", "outside", "none" (a variant), or ""."""
        for t in self.todos:
            if mutant in t.mutants:
                return str(t.n)
        if mutant in self.outside:
            return "outside"
        if mutant in self.variants:
            return "none"
        return ""

    def patches(self):
        """{name: path} of tests/mutants/LAB/*.patch."""
        return {p.name[:-len(".patch")]: p for p in sorted((self.path.parents[1] / "mutants" / self.lab)
                                                            .glob("*.patch"))}

    def mutants(self):
        out = []
        for name, path in sorted(self.patches().items()):
            out.append((name, patch_header(path).get("check", ""), self.todo_of(name)))
        return out

    def comment(self, n, indent=""):
        """TODO n's comment as the skeleton has it: the goal, then which checks
        to run alone, the walkthrough's section and the hint command, these
        re-flowed to WIDTH columns, the command kept on one line."""
        t = self.todo(n)
        star = indent + " * "
        lines = [f"{indent}/* TODO {t.n}: {t.goal[0]}"]
        lines += [(star + line).rstrip() for line in t.goal[1:]]
        command = f"make hint LAB={self.lab[:2]} TODO={t.n}."
        tail = (f"{'Check' if len(t.cites) == 1 else 'Checks'} {listed(t.cites)}; "
                f"walkthrough: \"{t.section}\"; {command.replace(' ', chr(0))}")
        width = WIDTH - len(star.expandtabs(8))
        lines += [star + line.replace("\0", " ")
                  for line in textwrap.wrap(tail, width, break_long_words=False, break_on_hyphens=False)]
        lines.append(indent + " */")
        return lines


def patch_header(path):
    """{key: value} of a patch's leading "# key: value" lines (the first of each)."""
    out = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*([a-z]+):\s*(.*?)\s*$", line)
            if m:
                out.setdefault(m[1], m[2])
    return out


def lab_dir(lab, top):
    """tests/NN_name of LAB: its whole name, or a prefix of one ("02")."""
    found = sorted(p.parent for p in (top / "tests").glob("[0-9][0-9]_*/manifest.toml"))
    for d in found:
        if d.name == lab:
            return d
    for d in found:
        if lab and d.name.startswith(lab):
            return d
    raise LookupError(f"no lab '{lab}': the labs are {' '.join(d.name for d in found)}")


def load(lab, top=None):
    top = Path(top) if top is not None else TOP
    d = lab_dir(lab, top)
    path = d / "manifest.toml"
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path}: {e}") from None
    return Manifest(d.name, path, data)


def check(m, results):
    """The faults of manifest M against RESULTS (a results.json path) and
    the kit's tree: a list of sentences, empty when none."""
    faults = []
    with open(results) as f:
        checks = json.load(f)["checks"]
    names = {c["name"] for c in checks if c.get("lab", m.lab) == m.lab}
    if not names:
        return [f"{results} holds no check of {m.lab}"]

    def known(where, listed_names):
        for name in listed_names:
            if name not in names:
                faults.append(f"{where} names {name}, which is no check of {m.lab} in {results}")
        for name in {n for n in listed_names if list(listed_names).count(n) > 1}:
            faults.append(f"{where} names {name} twice")

    known("all", m.all)
    known("guards", m.guards)
    for t in m.todos:
        known(f"TODO {t.n}'s fails", t.fails)
        known(f"TODO {t.n}'s cites", t.cites)
        if not t.cites:
            faults.append(f"TODO {t.n} cites no check: its comment should name the ones to run alone")
        for name in t.cites:
            if name in names and name not in t.fails:
                faults.append(f"TODO {t.n} cites {name}, which does not fail when TODO {t.n} alone is undone")
    covered = set(m.guards).union(*(t.fails for t in m.todos))
    for name in sorted(names - covered):
        faults.append(f"check {name} fails under no TODO and is no guard: add it to the fails of the TODOs "
                      "whose undoing fails it, or to guards")

    # Every mutant patch listed once; each names a check that exists.
    where = {}
    for t in m.todos:
        for name in t.mutants:
            where.setdefault(name, []).append(f"TODO {t.n}")
    for name in m.outside:
        where.setdefault(name, []).append("outside")
    for name in m.variants:
        where.setdefault(name, []).append("variants")
    patches = m.patches()
    if (m.path.parents[1] / "mutants").is_dir():
        for name, path in patches.items():
            header = patch_header(path)
            if name not in where:
                faults.append(f"mutant {name} ({path.name}) is listed nowhere in the manifest")
            elif len(where[name]) > 1:
                faults.append(f"mutant {name} is listed {len(where[name])} times: {', '.join(where[name])}")
            variant = "variants" in where.get(name, [])
            if variant and (header.get("check") != "all" or "variant" not in header):
                faults.append(f"variant {name}: its patch needs '# variant:' and '# check: all'")
            if not variant and header.get("check") not in names:
                faults.append(f"mutant {name}: its '# check: {header.get('check', '')}' is no check of {m.lab}")
            if "todo" in header:
                faults.append(f"mutant {name}: its patch has a '# todo:' line; the manifest says which TODO")
        for name in sorted(set(where) - set(patches)):
            faults.append(f"the manifest lists mutant {name}, but there is no tests/mutants/{m.lab}/{name}.patch")

    # Every TODO of the solution, and no other, has an entry.
    top = m.path.parents[2]
    solution = top / "solutions" / m.lab
    if solution.is_dir():
        numbers = sorted(int(mm["n"]) for p in solution.iterdir() if p.is_file()
                         for line in p.read_text(errors="replace").splitlines() if (mm := BEGIN.match(line)))
        if numbers != [t.n for t in m.todos]:
            faults.append(f"solutions/{m.lab} has TODOs {numbers}, the manifest {[t.n for t in m.todos]}")

    # The sections are the walkthrough's headings.
    doc = top / "docs" / f"{m.lab}.md"
    if doc.is_file():
        headings = set(re.findall(r"^#+ (.*?)(?: \{#\w+\})?$", doc.read_text(), re.M))
        for t in m.todos:
            if t.section not in headings:
                faults.append(f"TODO {t.n}'s section \"{t.section}\" is no heading of docs/{m.lab}.md")
    return faults


def comments(m, path):
    """N<TAB>LINE lines: the comment of each TODO that the solution file PATH marks."""
    out = []
    for line in Path(path).read_text().splitlines():
        mm = BEGIN.match(line)
        if mm:
            out += [f"{mm['n']}\t{c}" for c in m.comment(int(mm["n"]), mm["indent"])]
    return out


USAGE = __doc__[__doc__.index("The command line"):__doc__.index("Exit status")].rstrip()


def main(argv):
    # comments: one or more files (-2: at least 2 arguments).
    arities = {"todos": 1, "fails": 2, "mutants": 1, "hint": 3, "title": 2, "comments": -2, "check": 2}
    if len(argv) < 2 or argv[1] not in arities or not (
            len(argv) - 2 == arities[argv[1]] or 0 < -arities[argv[1]] <= len(argv) - 2):
        print(USAGE, file=sys.stderr)
        return 2
    command, lab, args = argv[1], argv[2], argv[3:]
    try:
        m = load(lab)
        if command == "todos":
            print("\n".join(m.keys()))
        elif command == "fails":
            print(" ".join(m.fails(args[0])))
        elif command == "mutants":
            for row in m.mutants():
                print("\t".join(row))
        elif command == "hint":
            if args[1] not in ("1", "2", "3"):
                raise KeyError(f"LEVEL is 1, 2 or 3, not '{args[1]}'")
            print(m.todo(args[0]).hints[int(args[1]) - 1])
        elif command == "title":
            print(m.todo(args[0]).title)
        elif command == "comments":
            print("\n".join(line for path in args for line in comments(m, path)))
        elif command == "check":
            faults = check(m, args[0])
            for fault in faults:
                print(f"{m.path.relative_to(m.path.parents[2])}: {fault}")
            if faults:
                return 1
            print(f"{m.lab}: the manifest holds: {len(m.todos)} TODOs, every check and mutant placed")
    except KeyError as e:
        print(f"manifest: {e.args[0]}", file=sys.stderr)
        return 2
    except (LookupError, ValueError, OSError) as e:
        print(f"manifest: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
