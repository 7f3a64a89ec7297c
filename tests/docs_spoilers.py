#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The student's walkthroughs give no TODO's code away unfolded.

docs_spoilers.py HTML_DIR

Reads every page of the Doxygen output: no source page of the solutions
(*_source.html) may exist, and outside the folded "Show the solution"
blocks (<details class="solution">) no line of a TODO region's code
(20 characters or more, spaces folded, comments left out, and not also a
line of the code outside the TODOs) may stand in the text. Exits 1 naming the page and the line.
"""

import glob
import html
import os
import re
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def todo_code_lines():
    """Lines of code of the TODO regions that no code outside them has."""
    inside_lines, outside_lines = set(), set()
    for path in glob.glob(os.path.join(TOP, "solutions", "*", "*.[ch]")):
        inside = False
        for line in open(path, errors="replace"):
            if re.search(r"TODO\(\d+\) begin", line):
                inside = True
                continue
            if re.search(r"TODO\(\d+\) (skeleton|end)", line):
                inside = False
            code = re.sub(r"/\*.*?\*/", "", line).strip()
            code = re.sub(r"\s+", " ", code).rstrip(" {")
            if len(code) >= 20 and not code.startswith(("*", "/*")):
                (inside_lines if inside else outside_lines).add(code)
    return inside_lines - outside_lines


def visible_text(page):
    """The page's text, the folded solutions cut out."""
    page = re.sub(r'<details class="solution">.*?</details>', "", page, flags=re.S)
    # A code fragment is one <div class="line"> per line of code.
    page = re.sub(r'</div>', "\n", page)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return "\n".join(re.sub(r"\s+", " ", l).strip() for l in text.split("\n"))


def main():
    htmldir = sys.argv[1]
    problems = []
    sources = glob.glob(os.path.join(htmldir, "*_source.html"))
    problems += ["a source page: %s" % os.path.basename(s) for s in sources]
    code = todo_code_lines()
    if not code:
        problems.append("no TODO code found in solutions/: nothing was checked")
    pages = glob.glob(os.path.join(htmldir, "*.html"))
    for page in pages:
        text = visible_text(open(page, errors="replace").read())
        for line in code:
            if line in text:
                problems.append("%s shows unfolded: %s" % (os.path.basename(page), line))
    for p in problems:
        print("docs: " + p)
    if not problems:
        print("no TODO code unfolded in %d pages, no source page" % len(pages))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
