# SPDX-License-Identifier: BSD-3-Clause
"""How each process of a check run ended, for make coverage
(scripts/coverage.sh): a program writes its gcov counts as it exits, so
one killed by a signal (SIGKILL after a SIGINT it did not answer in time,
or on purpose) loses them.

A pytest plugin beside mpwcheck.plugin: -p mpwcheck.exits --exits FILE
(scripts/coverage.sh passes them in PYTEST_ADDOPTS). FILE: a JSON list of
{"name", "program", "log", "status"}, status as procs.Proc has it (128+N:
killed by signal N), null for one still running.
"""

import json
import os

from . import procs


def pytest_addoption(parser):
    parser.addoption("--exits", default="", metavar="FILE", help="write how each process ended into FILE (JSON)")


def pytest_unconfigure(config):
    path = config.getoption("exits", default="")
    if not path:
        return
    out = []
    for p in procs.STARTED:
        p.alive()  # reaps it, sets its status
        out.append({"name": p.name, "program": p.argv[0], "log": p.log, "status": p.status})
    with open(path + ".new", "w") as f:
        json.dump(out, f, indent=1)
    os.replace(path + ".new", path)
