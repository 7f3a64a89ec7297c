#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""scan.py SOLUTIONS TREE: no file of TREE, a student's copy (make
template), gives a TODO's code away.

A TODO's code is what a solution file holds between the end of its
"/* TODO(N) begin */" comment and its "/* TODO(N) skeleton:" line, line
by line, comments left out, spaces folded, a trailing "{" dropped. A line
counts when it has 20 characters or more, as tests/hints_test.sh and
tests/docs_spoilers.py count them ("goto fail;" or "return -ENOBUFS;" is in
any C file and tells nothing), and when no line of the skeletons
(TREE/labs, as the generator wrote them) or of the kit's common/ holds it. A file of TREE (.git
aside) that holds such a line, alone or inside a longer one, comments and
prose included, fails the scan; so does a solutions/ directory, the
mutants (tests/mutants/) or any patch. Exits 1 naming each file, line and
code; 0 with one line of what it scanned.
"""

import glob
import os
import re
import sys

MIN_CHARS = 20


def fold(line):
    return re.sub(r"\s+", " ", line).strip()


def code_of(lines):
    """Each line without its comments (which may span lines), folded."""
    in_comment = False
    for line in lines:
        out = ""
        while line:
            if in_comment:
                end = line.find("*/")
                if end < 0:
                    line = ""
                else:
                    line, in_comment = line[end + 2:], False
            else:
                start = line.find("/*")
                if start < 0:
                    out, line = out + line, ""
                else:
                    out, line, in_comment = out + line[:start], line[start + 2:], True
        out = fold(out)
        yield out[:-1].rstrip() if out.endswith("{") else out


def todo_code(path):
    """The lines of path's TODO regions' code, as code_of() gives them."""
    region, state = [], None
    with open(path, errors="replace") as f:
        for line in f:
            if state is None and re.search(r"/\* TODO\(\d+\) begin\b", line):
                state = "code" if "*/" in line.split("begin", 1)[1] else "intro"
            elif state == "intro":
                if "*/" in line:
                    state = "code"
            elif state == "code":
                if re.search(r"TODO\(\d+\) skeleton:", line):
                    state = None
                else:
                    region.append(line)
    return {c for c in code_of(region) if len(c) >= MIN_CHARS}


def text_lines(path):
    """path's lines, folded; none for a binary file."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data[:8192]:
        return []
    return [fold(line) for line in data.decode(errors="replace").splitlines()]


def tree_files(tree):
    for root, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not (root == tree and d == ".git"))
        for name in sorted(files):
            yield os.path.join(root, name)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.strip())
    solutions, tree = argv[1], argv[2].rstrip("/")
    problems = []
    code = set()
    for path in glob.glob(os.path.join(solutions, "*", "*")):
        code |= todo_code(path)
    if not code:
        problems.append(f"no TODO code found in {solutions}: nothing was checked")
    skeleton = [line for path in tree_files(os.path.join(tree, "labs")) for line in text_lines(path)]
    if not skeleton:
        problems.append(f"no skeletons in {tree}/labs to compare with")
    # common/ goes to every student: a line of it tells no TODO's answer
    # (lab 04's request, say, declares a struct rte_mp_msg as its shutdown does).
    common = [line for path in tree_files(os.path.join(tree, "common")) for line in text_lines(path)]
    told = {c for c in code if any(c in line for line in skeleton + common)}
    secret = code - told
    files = list(tree_files(tree))
    for path in files:
        rel = os.path.relpath(path, tree)
        if rel.split(os.sep)[0] == "solutions" or rel.startswith(os.path.join("tests", "mutants", "")) \
                or rel.endswith((".patch", ".diff")):
            problems.append(f"{rel}: should not be here (solutions, mutants and patches stay out)")
        for number, line in enumerate(text_lines(path), 1):
            found = [c for c in secret if c in line]
            if found:
                problems.append(f"{rel}:{number}: a TODO's code: {max(found, key=len)}")
    for p in problems:
        print("scan: " + p)
    if problems:
        return 1
    print(f"scan: none of the {len(secret)} lines of the TODOs' code that the skeletons lack "
          f"(of {len(code)}, {MIN_CHARS} characters or more) in the {len(files)} files scanned")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
