# SPDX-License-Identifier: BSD-3-Clause
"""In fresh chroots of other Debian releases (tests/distros/run.sh): the demo,
every lab's check on the solutions (must pass) and on each skeleton (must
fail, naming a TODO). DISTROS="trixie forky" by default; DISTROS= none (as
inside those chroots). Alone, and last: the host's time is the rest."""

import os
import subprocess

import pytest

from mpwcheck.suite import LABS, LOGS, TOP, param, rel, run

VERSIONS = {"bookworm": "Debian 12", "trixie": "Debian 13", "forky": "Debian testing"}
DISTROS = os.environ.get("DISTROS", "trixie forky").split()
ROWS = [("demo", "the README's demo command (scripts/run.sh demo)"),
        ("solutions", "every lab's check passes on the solutions")] + \
       [(lab, f"the skeleton labs/{lab} fails its check, naming a TODO") for lab in LABS]

_runs = {}


ITEMS = [param(f"{d} ({VERSIONS.get(d, '?')}): {what}", d, key, weight=-1, group=f"distro-{d}", alone=True,
               last=True)
         for d in DISTROS for key, what in ROWS]


def distro_row(distro, key):
    if distro not in VERSIONS:
        pytest.fail(f"unknown distribution '{distro}' ({', '.join(VERSIONS)})", pytrace=False)
    mirror = subprocess.run(["bash", "-c", ". tests/distros/lib.sh && distro_mirror"], cwd=TOP,
                            capture_output=True, text=True)
    if mirror.returncode != 0:
        pytest.skip("this host's apt sources name no Debian archive; DISTRO_MIRROR=URL names one")
    logs = LOGS / "distros" / distro
    if distro not in _runs:
        try:
            run(f"{distro} chroot", ["tests/distros/run.sh", distro], bound=1800, log=LOGS / f"distros-{distro}.log",
                env={"DISTRO_LOGS": str(logs)})
        except pytest.fail.Exception:
            pass  # each row reads its own line
        _runs[distro] = [line.split("\t") for line in (logs / "rows.tsv").read_text().splitlines()] \
            if (logs / "rows.tsv").exists() else []
    what = dict(ROWS)[key]
    mine = [r for r in _runs[distro] if r[2].startswith(what.split(" (")[0])]
    trouble = [r for r in _runs[distro] if r[0] == "FAIL" and "chroot" in r[2]]
    if not mine:
        pytest.fail(f"the chroot's run reported no such row ({rel(LOGS)}/distros-{distro}.log)"
                    + "".join(f"\n{r[2]}: {r[4]}" for r in trouble), pytrace=False)
    result, _, said, _, log = mine[0][:5]
    assert result == "PASS", f"{said} ({rel(log)})"


# No item at all without a distribution (DISTROS=), rather than a skipped one.
if ITEMS:
    test_distro = pytest.mark.parametrize("distro,key", ITEMS)(distro_row)
