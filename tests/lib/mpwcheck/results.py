#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""results.py COMMAND RESULTS.json...: what the shell tools read of the
checks' results (written by the plugin), one line per check. Run as it is:
Debian's python3, as pytest's, not the first on PATH (a pyenv shim takes
0.3 s a start).

  names       every check: NAME
  failures    every check not passed: NAME BLAMED... (TODO numbers, "-"
              for not your code, "loader" for a program that could not
              load; for one not checked yet, the TODO to do first)
  progress    every check: OUTCOME NAME DECLARED-TODOS (comma-separated)
  total       "N passed, N failed[, N not checked yet]" over every file given
  copies      every check of a copy (run_check.sh's LAB@COPY@CHECK):
              COPY|NAME|OUTCOME|SECONDS|BLAMED...|SAW (its first line)
  summary     a Markdown report for a CI's job summary: the score, each
              lab's, and each check not passed with the TODO it names
"""

import json
import sys


def checks(paths):
    for path in paths:
        with open(path) as f:
            yield from json.load(f)["checks"]


def main(argv):
    if len(argv) < 3 or argv[1] not in ("names", "failures", "progress", "total", "copies", "summary"):
        sys.exit(__doc__.strip())
    command, paths = argv[1], argv[2:]
    if command == "total":
        outcomes = [c["outcome"] for c in checks(paths)]
        waiting, short = outcomes.count("NOT_CHECKED"), outcomes.count("NO_HUGEPAGES")
        print(f"{outcomes.count('PASS')} passed, {outcomes.count('FAIL')} failed"
              + (f", {waiting} not checked yet" if waiting else "")
              + (f", {short} not judged (too few free hugepages)" if short else ""))
        return
    if command == "summary":
        summary(list(checks(paths)))
        return
    for c in checks(paths):
        if command == "copies" and c.get("copy"):
            saw = (c["saw"].splitlines() or [""])[0]
            print(c["copy"], c["name"], c["outcome"], round(c["seconds"]), " ".join(map(str, c["blamed"])), saw,
                  sep="|")
        elif command == "names":
            print(c["name"])
        elif command == "failures" and c["outcome"] != "PASS":
            print(c["name"], *c["blamed"])
        elif command == "progress":
            print(c["outcome"], c["name"], ",".join(map(str, c["todos"])) or "-")


def summary(results):
    passed = [c for c in results if c["outcome"] == "PASS"]
    print(f"## Score: {len(passed)}/{len(results)}\n")
    print("| lab | checks passed |\n|---|---|")
    for lab in sorted({c["lab"] for c in results}):
        mine = [c for c in results if c["lab"] == lab]
        print(f"| {lab} | {sum(c['outcome'] == 'PASS' for c in mine)}/{len(mine)} |")
    failed = [c for c in results if c["outcome"] != "PASS"]
    if failed:
        print("\n| check not passed | look at |\n|---|---|")
    for c in failed:
        if c["outcome"] == "NOT_CHECKED":
            print(f"| {c['lab'][:2]} {c['name']}: {c['title']} | not checked yet: do TODO {c['blamed'][0]} first |")
            continue
        if c["outcome"] == "NO_HUGEPAGES":
            print(f"| {c['lab'][:2]} {c['name']}: {c['title']} | not judged: too few free hugepages, run it again |")
            continue
        blamed = ", ".join(f"TODO {b}" if isinstance(b, int) else
                           "a program that cannot be loaded" if b == "loader" else "not your code"
                           for b in c["blamed"])
        print(f"| {c['lab'][:2]} {c['name']}: {c['title']} | {blamed or 'outside the TODOs'} |")


if __name__ == "__main__":
    main(sys.argv)
