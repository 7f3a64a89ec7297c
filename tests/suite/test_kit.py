# SPDX-License-Identifier: BSD-3-Clause
"""The kit's own rows: the build, the analysers, the generator, the hints,
the walkthroughs, the checks' plugin and library, and the student's and the
instructor's workflows."""

import sys

import pytest

from mpwcheck.suite import BUILD, TOP, param, run, title_of

PYTHON = sys.executable


def shell_scripts():
    return sorted(str(p.relative_to(TOP)) for pattern in ("scripts/*.sh", "scripts/*/*.sh", "tests/*.sh",
                                                          "tests/*/*.sh", ".ci/run") for p in TOP.glob(pattern))


# Each: title, command, weight (about its seconds: the heavy start first).
ROWS = [
    param(BUILD, [], weight=1000),
    param("make template: a student's copy without solution code (its scan); there docs and hints work, "
          "what needs the solutions says so, its workflow names TODO 1 on the skeletons and gives full marks "
          "solved", ["tests/template_test.sh"], weight=150),
    # The blame by substitution, on lab 01 finished as a student would.
    param("substitution: a mistake in TODO 2 beside a right TODO 4 written otherwise: every failure names TODO 2, "
          "found with each TODO alone in the solution", ["tests/substitute_test.sh", "two"], weight=40),
    param("substitution: a mistake outside the TODOs: every failure names that function",
          ["tests/substitute_test.sh", "outside"], weight=40),
    param("substitution: a mistake in TODO 3 and an end line removed: the check's reasoning names TODO 3, said as "
          "a guess", ["tests/substitute_test.sh", "unmarked"], weight=40),
    param("substitution: every TODO right, written otherwise: full marks", ["tests/substitute_test.sh", "variants"],
          weight=40),
    param("two accounts without root, on a hugetlbfs of their group's, check the solutions of labs 02 and 03 at "
          "once: full marks; the skeleton names TODO 1", ["tests/nonroot_test.sh"], weight=95),
    param("the solutions pass clang-tidy (.clang-tidy)", ["tests/static_analysis.sh", "clang-tidy"], weight=75),
    # The skeleton alone: the solved labs' full marks by the same workflow
    # are the template row's (its student's copy), which would repeat them.
    param("the instructor's autograding (autograding/) runs here: TODO 1 named on the skeleton (full marks "
          "solved: the template row)", ["tests/autograde_test.sh", "--skeleton"], weight=70),
    param("the walkthroughs build without a Doxygen warning; their snippets and links resolve",
          ["tests/docs_test.sh"], weight=50, group="docs"),
    param("the walkthroughs render in headless Chromium (skipped without it)", ["tests/docs_browser_test.sh"],
          weight=50, group="docs"),
    param("the solutions pass cppcheck (tests/static/cppcheck-suppressions.txt)",
          ["tests/static_analysis.sh", "cppcheck"], weight=40),
    param("scripts pass shellcheck", ["shellcheck", *shell_scripts()], weight=10),
    param("the checks' pytest plugin fails each broken check, naming it and its TODO",
          ["tests/plugin_selftest.sh"], weight=10),
    param("the skeleton generator on its fixtures", ["tests/generator_test.sh"], weight=5),
    param("common/'s unit tests: prefixes, runtime directories, hugepage files, EAL start-up explanations, the "
          "ordered shutdown's lock", ["tests/common/run.sh"], weight=5),
    param("the recorded reference observations (tests/NN_name/reference/, for a template) are the solutions' own",
          ["tests/reference_test.sh"], weight=15),
    param("the generator never overwrites a student's labs/ (FORCE=1 backs them up)",
          ["tests/generator_keeps_work.sh"], weight=5),
    param("every TODO has three levels of hints (make hint), none of them the code", ["tests/hints_test.sh"],
          weight=5),
    param("labs/ is what the generator makes of solutions/", ["scripts/gen_skeletons.sh", "--check"], weight=5),
    # Over a solved and a half-done labs/: a student's work must not change
    # what the rows that judge skeletons see.
    param("the rows that judge skeletons ignore the working tree's labs/ (solved)", ["tests/labs_ignored_test.sh"],
          weight=20),
    param("a check short of hugepages (others hold them) blames no TODO and counts nothing as failed",
          ["tests/hugepage_shortage_test.sh"], weight=10),
]


@pytest.mark.parametrize("argv", ROWS)
def test_row(built, request, argv):
    if argv:
        run(title_of(request.node), argv)
