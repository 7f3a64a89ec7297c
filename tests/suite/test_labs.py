# SPDX-License-Identifier: BSD-3-Clause
"""Each lab's rows: its check on the solution (must pass) and on copies that
must fail (the skeleton, each TODO left undone alone, the kit's mutants),
sanitized, and on NIC-like ports. (One Ctrl-C to its process group:
tests/flakes/test_group_sigint.py, also a part of make test.)"""

import os
import sys
from pathlib import Path

import pytest

from mpwcheck import manifest
from mpwcheck.suite import LABS, LOGS, TOP, batch, group_of, param, rel, run, title_of


def todo_rows():
    for lab in LABS:
        for key in manifest.load(lab).keys():
            if key == "all":
                yield param(f"the skeleton of {lab}, as generated, fails its check, each failure naming a TODO",
                            "todo", lab, key, weight=80, group=f"todo-{lab}")
            else:
                yield param(f"{lab} with TODO {key} undone fails the expected checks, naming TODO {key}",
                            "todo", lab, key, weight=80, group=f"todo-{lab}")


# A lab's mutants, checked a dozen at a time: lab 01's 46 in one run of its
# checks took the longest row of the suite.
MUTANTS_A_RUN = 12


def mutant_rows():
    for lab in LABS:
        for i, (name, check, todo) in enumerate(manifest.load(lab).mutants()):
            short = lab.split("_")[0]
            if todo == "none":
                title = f"correct variant {short}/{name}: every check passes"
            else:
                blamed = "no TODO" if todo == "outside" else f"TODO {todo}"
                title = f"mutant {short}/{name}: check {check} fails, naming {blamed}"
            yield param(title, "mutant", lab, name, weight=100, group=f"mutants-{lab}-{i // MUTANTS_A_RUN}")


@pytest.mark.parametrize("kind,lab,key", list(mutant_rows()) + list(todo_rows()))
def test_fails_where_it_should(request, built, kind, lab, key):
    if kind == "mutant":
        batch(request, kind, lab, key, [str(TOP / "tests/mutant_test.sh"), lab], TOP / "build/mutants/kit" / lab,
              env={"MUTANT_BATCH": group_of(request.node).rsplit("-", 1)[1]})
    else:
        # TODO_ROOT: elsewhere, for a make test run inside a row.
        todo_root = Path(os.environ.get("TODO_ROOT", TOP / "build/todo"))
        batch(request, kind, lab, key, [str(TOP / "tests/todo_tests.sh"), lab], todo_root / lab)


@pytest.mark.parametrize("lab", [param(f"ASan and UBSan: the check of {lab} on its sanitized solution, no report",
                                       lab, weight=60) for lab in LABS])
def test_sanitized(built, request, lab):
    run(title_of(request.node), ["tests/sanitize_test.sh", lab])


@pytest.mark.parametrize("lab,step", [p for lab in LABS for p in (
    param(f"solutions_{lab} passes its check", lab, "check", weight=20, group=f"solution-{lab}"),
    param(f"every check of {lab} can fail (its manifest: tests/{lab}/manifest.toml); its TODO comments cite, by "
          "name, checks that judge them",
          lab, "can_fail", weight=20, group=f"solution-{lab}"))])
def test_solution(built, request, lab, step):
    title = title_of(request.node)
    results = LOGS / f"check-{lab}"
    if step == "check":
        run(title, ["make", "--no-print-directory", "check", f"LAB={lab[:2]}", "SOLUTION=1"],
            env={"ONLY": "", "H_CHECK_ROOT": str(results)})
        return
    # Each check fails under some TODO (or guards code outside them), and
    # each TODO comment cites checks that judge it: the manifest's check.
    results_json = results / "results.json"
    if not results_json.exists():
        pytest.fail(f"no results of the solution's check ({rel(results_json)})", pytrace=False)
    run(title, [sys.executable, "tests/lib/mpwcheck/manifest.py", "check", lab, str(results_json)])


@pytest.mark.parametrize("lab,variant", [p for lab in ("02_symmetric_mp", "03_client_server") for p in (
    param(f"the hardware mode of {lab} (PORTS=) on NIC-like ports fed from outside: the solution passes",
          lab, "solutions", weight=30),
    param(f"the hardware mode of {lab} on the same ports: the skeleton fails, naming a TODO",
          lab, "labs", weight=30))])
def test_hardware_mode(built, request, lab, variant):
    run(title_of(request.node), ["tests/hw_selftest.sh", lab, variant])
