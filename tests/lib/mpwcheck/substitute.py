# SPDX-License-Identifier: BSD-3-Clause
"""The TODO at fault, found by substitution.

When a check fails on a student's copy of a lab, each TODO the student wrote
is tried alone: a hybrid is the student's files with every other TODO region
replaced by the reference solution's code, built and checked by the failing
check. The TODOs whose hybrid fails too are those at fault. First, when code
outside the TODO regions differs from the skeleton's, the hybrid with every
region the solution's: if it fails, the fault lies outside the TODOs.

A region is cut out by its lines, as the skeleton has them:

    /* TODO N: ...         (the comment the skeleton opens it with)
    ... the student's code ...
    /* end of TODO N */

or as a solution has them (a mutant of the kit's): the code between the
comment "TODO(N) begin" and "TODO(N) skeleton:". A copy whose lines are
not so (a marker removed, a region that the solution has not) has no
substitution: the check's own reasoning blames, said as a guess.
"""

import difflib
import json
import os
import re
import shutil
import subprocess

STUDENT_BEGIN = re.compile(r"^\s*/\*\s*TODO (\d+):")
STUDENT_END = re.compile(r"^\s*/\*\s*end of TODO (\d+)\s*\*/\s*$")
SOLUTION_BEGIN = re.compile(r"/\*\s*TODO\((\d+)\) begin\b")
SOLUTION_STUB = re.compile(r"TODO\((\d+)\) skeleton:")
SOLUTION_END = re.compile(r"TODO\((\d+)\) end")
NOT_DONE = "MPW_TODO_NOT_DONE("
TODO_HEADER = '#include "mpw_todo.h"'
FUNCTION = re.compile(r"^([A-Za-z_]\w*)\(")


class Unsplittable(Exception):
    """A file whose TODO regions cannot be cut out."""


def split(lines, name):
    """LINES of a file as [("code", [lines]), (N, [lines of region N])]. A
    student's region keeps its comment and end line; a solution's is its code
    alone (its comment, skeleton and markers dropped)."""
    parts, code = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = SOLUTION_BEGIN.search(line)
        if m:
            n = int(m.group(1))
            while "*/" not in lines[i]:
                i += 1
                if i == len(lines):
                    raise Unsplittable(f"{name}: TODO({n})'s comment has no end")
            body = []
            i += 1
            while i < len(lines) and not SOLUTION_STUB.search(lines[i]):
                body.append(lines[i])
                i += 1
            while i < len(lines) and not SOLUTION_END.search(lines[i]):
                i += 1
            if i == len(lines):
                raise Unsplittable(f"{name}: TODO({n}) has no end marker")
            parts += [("code", code), (n, body)]
            code = []
            i += 1
            continue
        m = STUDENT_BEGIN.match(line)
        if m:
            n = int(m.group(1))
            body = [line]
            i += 1
            while i < len(lines) and not STUDENT_END.match(lines[i]):
                if STUDENT_BEGIN.match(lines[i]):
                    raise Unsplittable(f"{name}: TODO {n} has no 'end of TODO {n}' line before TODO "
                                       f"{STUDENT_BEGIN.match(lines[i]).group(1)}")
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise Unsplittable(f"{name}: TODO {n} has no '/* end of TODO {n} */' line")
            if int(STUDENT_END.match(lines[i]).group(1)) != n:
                raise Unsplittable(f"{name}: TODO {n} ends with {lines[i].strip()}")
            body.append(lines[i])
            parts += [("code", code), (n, body)]
            code = []
            i += 1
            continue
        if STUDENT_END.match(line):
            raise Unsplittable(f"{name}: '{line.strip()}' without its TODO's first line")
        code.append(line)
        i += 1
    parts.append(("code", code))
    return parts


def read_parts(path):
    with open(path, errors="replace") as f:
        return split(f.read().splitlines(keepends=True), os.path.basename(path))


def tokens(lines):
    """The C of LINES without comments and spacing: two texts that differ
    only there are one code."""
    text = "".join(lines)
    text = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'|/\*.*?\*/|//[^\n]*',
                  lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", text, flags=re.S)
    return " ".join(re.findall(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|\w+|[^\s\w]', text))


def outside(parts):
    """The lines outside the regions, without the skeleton's own #include."""
    return [line for kind, lines in parts if kind == "code" for line in lines if line.strip() != TODO_HEADER]


def functions_of(lines, changed):
    """The functions (DPDK's style: a definition's line starts with its name)
    holding the line numbers CHANGED of LINES; "file scope" for the others."""
    names, current = [], "file scope"
    for i, line in enumerate(lines):
        m = FUNCTION.match(line)
        if m:
            current = m.group(1)
        elif line.startswith("}"):
            current = "file scope"
        if i in changed and current not in names:
            names.append(current)
    return names


class Plan:
    """What differs between a student's copy SRC of a lab and its solution
    SOLUTION: .done, the TODOs written and unlike the solution's; .outside,
    (FILE, FUNCTION) where code outside the regions differs; .why, when
    nothing can be substituted."""

    def __init__(self, src, solution):
        self.src, self.solution = src, solution
        self.files = {}  # name -> (student's parts, solution's {N: code}) of the files with regions
        self.done, self.outside, self.why = [], [], None
        if not os.path.isdir(solution):
            self.why = "the reference solution is not here to try them with"
            return
        try:
            self._compare()
        except (Unsplittable, OSError) as e:
            self.why = str(e)

    def _compare(self):
        mine = sorted(f for f in os.listdir(self.src) if os.path.isfile(os.path.join(self.src, f)))
        ref = sorted(f for f in os.listdir(self.solution) if os.path.isfile(os.path.join(self.solution, f)))
        if [f for f in ref if f.endswith((".c", ".h")) and f not in mine]:
            raise Unsplittable(f"files of the lab are missing: {', '.join(f for f in ref if f not in mine)}")
        todos = set()
        for name in mine:
            path = os.path.join(self.src, name)
            if name.endswith("~") or not name.endswith((".c", ".h", "Makefile")):
                continue
            parts = read_parts(path)
            sol_path = os.path.join(self.solution, name)
            sol = read_parts(sol_path) if os.path.exists(sol_path) else [("code", [])]
            regions = {n: body for n, body in parts if n != "code"}
            sol_regions = {n: body for n, body in sol if n != "code"}
            if sorted(regions) != sorted(sol_regions):
                raise Unsplittable(f"{name}: TODO regions {sorted(regions) or 'none'}, the skeleton has "
                                   f"{sorted(sol_regions) or 'none'}")
            todos |= set(regions)
            if regions:
                self.files[name] = (parts, sol_regions)
            for n, body in regions.items():
                if NOT_DONE not in "".join(body) and tokens(body) != tokens(sol_regions[n]):
                    self.done.append(n)
            a, b = outside(parts), outside(sol)
            if tokens(a) != tokens(b):
                changed = self._changed_lines(a, b)
                self.outside += [(name, f) for f in functions_of(a, changed)]
        self.done.sort()

    @staticmethod
    def _changed_lines(mine, ref):
        """The indexes of MINE's lines whose code differs from REF's. Lines
        without code count for nothing: blank ones, and comments such as the
        solutions' snippet markers, which the skeletons lack."""
        code = [(i, tokens([x])) for i, x in enumerate(mine)]
        code = [(i, t) for i, t in code if t]
        theirs = [t for t in (tokens([x]) for x in ref) if t]
        changed = set()
        matcher = difflib.SequenceMatcher(None, [t for _, t in code], theirs, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag != "equal":
                changed |= {code[k][0] for k in range(i1, min(max(i2, i1 + 1), len(code)))}
        return changed

    def hybrid(self, todo, dest):
        """Writes into DEST the student's files with every region but TODO's
        (TODO None: every region) the solution's."""
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        for name in os.listdir(self.src):
            path = os.path.join(self.src, name)
            if not os.path.isfile(path):
                continue
            if name not in self.files:
                shutil.copy(path, dest)
                continue
            parts, sol = self.files[name]
            with open(os.path.join(dest, name), "w") as f:
                for kind, lines in parts:
                    f.writelines(lines if kind in ("code", todo) else sol[kind])


def build(top, src, bin_dir, log):
    """Builds the lab in SRC into BIN_DIR, its output in LOG; True if it built.
    Warnings are not errors: a helper of the student's that only the
    replaced region called is unused in a hybrid."""
    with open(log, "w") as out:
        r = subprocess.run(["make", "-s", "-C", src, f"TOP={top}", f"BUILD_DIR={bin_dir}", "MPW_CFLAGS=-Wno-error"],
                           stdout=out, stderr=subprocess.STDOUT, timeout=300, check=False)
    return r.returncode == 0


def check(top, lab, bin_dir, src, name, work):
    """The outcome ("PASS", "FAIL", ...) of check NAME of LAB on the programs
    in BIN_DIR, built from SRC: a run of its own (tests/run_check.sh), its
    report and results in WORK."""
    # MPW_CFLAGS: every build of the run (the checks' own, with doubles) takes warnings as warnings.
    env = dict(os.environ, MPW_NAMES=name, MPW_SUBSTITUTED="1", H_CHECK_ROOT=work, ONLY="", PORTS="",
               MPW_CFLAGS="-Wno-error")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "report.txt"), "w") as out:
        subprocess.run([os.path.join(top, "tests", "run_check.sh"), lab, bin_dir, src], env=env, stdout=out,
                       stderr=subprocess.STDOUT, timeout=300, check=False)
    try:
        with open(os.path.join(work, "results.json")) as f:
            results = json.load(f)["checks"]
    except (OSError, ValueError, KeyError):
        return "ERROR"
    return results[0]["outcome"] if len(results) == 1 else "ERROR"


class Blame:
    """The substitutions of one checked copy of a lab: its plan, made once,
    and its hybrids, each built once, in WORK/hN (N: the TODO; h0: every
    region the solution's)."""

    def __init__(self, top, lab, src, work):
        self.top, self.lab, self.work = top, lab, work
        self.plan = Plan(src, os.path.join(top, "solutions", lab))
        self.bins = {}
        self.runs = 0
        self.guilty = {}  # TODO -> the check its code alone failed (the plugin's)

    def _bin(self, todo):
        if todo not in self.bins:
            tag = f"h{todo or 0}"
            src, bin_dir = os.path.join(self.work, tag, self.lab), os.path.join(self.work, tag, "bin")
            self.plan.hybrid(todo, src)
            os.makedirs(bin_dir, exist_ok=True)
            built = build(self.top, src, bin_dir, os.path.join(self.work, tag, "build.log"))
            self.bins[todo] = (bin_dir, src) if built else None
        return self.bins[todo]

    def _fails(self, todo, name):
        """Whether the hybrid of TODO fails check NAME: True, False, or None
        (it did not build, or the run reached no verdict)."""
        built = self._bin(todo)
        if built is None:
            return None
        self.runs += 1
        outcome = check(self.top, self.lab, *built, name,
                        os.path.join(self.work, f"h{todo or 0}", "check", f"{self.runs}"))
        return {"FAIL": True, "PASS": False}.get(outcome)

    def find(self, name, first=(), then=()):
        """Who is at fault for the failure of check NAME: (TODOs, outside,
        how), outside the list of (FILE, FUNCTION) when the fault lies
        outside the TODOs; or (None, None, why not) when substitution cannot
        tell. The TODOs are tried in the order of FIRST (those the check's
        own reasoning blames), THEN (those it judges and needs), the others,
        up to the first whose code alone fails it: that one is wrong, whatever
        else is."""
        plan = self.plan
        if plan.why:
            return None, None, f"the TODOs cannot be tried one by one: {plan.why}"
        if not plan.done and not plan.outside:
            return None, None, "your code is the reference solution's"
        if not plan.outside and len(plan.done) == 1:
            return plan.done, [], f"TODO {plan.done[0]} is the only TODO whose code differs from the reference solution's"
        if not plan.done:
            return [], plan.outside, "only code outside the TODOs differs from the skeleton's"
        if plan.outside and self._fails(None, name):
            return [], plan.outside, "with every TODO the reference solution's, your code outside them still fails it"
        order = [t for t in list(first) + list(then) + plan.done if t in plan.done]
        results = {}
        for t in dict.fromkeys(order):
            results[t] = self._fails(t, name)
            if results[t]:
                return [t], [], f"TODO {t}'s code alone, in the reference solution, fails it too"
        if any(r is None for r in results.values()):
            return None, None, "a TODO's code alone, in the reference solution, did not build or run"
        return None, None, "no TODO's code alone, in the reference solution, fails it"
