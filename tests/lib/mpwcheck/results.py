# SPDX-License-Identifier: BSD-3-Clause
"""results.py COMMAND RESULTS.json...: what the shell tools read of the
checks' results (written by the plugin), one line per check.

  names       every check: NAME
  failures    every failed check: NAME BLAMED... (TODO numbers, "-" for
              not your code, "loader" for a program that could not load)
  progress    every check: OUTCOME NAME DECLARED-TODOS (comma-separated)
  total       "N passed, N failed" over every file given
"""

import json
import sys


def checks(paths):
    for path in paths:
        with open(path) as f:
            yield from json.load(f)["checks"]


def main(argv):
    if len(argv) < 3 or argv[1] not in ("names", "failures", "progress", "total"):
        sys.exit(__doc__.strip())
    command, paths = argv[1], argv[2:]
    if command == "total":
        outcomes = [c["outcome"] for c in checks(paths)]
        print(f"{outcomes.count('PASS')} passed, {len(outcomes) - outcomes.count('PASS')} failed")
        return
    for c in checks(paths):
        if command == "names":
            print(c["name"])
        elif command == "failures" and c["outcome"] != "PASS":
            print(c["name"], *c["blamed"])
        elif command == "progress":
            print(c["outcome"], c["name"], ",".join(map(str, c["todos"])) or "-")


if __name__ == "__main__":
    main(sys.argv)
