# SPDX-License-Identifier: BSD-3-Clause
"""The fault matrix (tests/faults/run.sh), a row per part."""

import pytest

from mpwcheck.suite import TOP, param, run, title_of

PARTS = ("bad_input", "machine", "reservation", "kills", "interrupts", "refusals")


@pytest.mark.parametrize("part", [param(f"the fault matrix's {part} part: every case as expected", part, weight=90)
                                  for part in PARTS])
def test_fault_part(built, request, part):
    run(title_of(request.node), ["tests/faults/run.sh", part], bound=1200,
        env={"F_MATRIX": str(TOP / f"build/faults/matrix-{part}.tsv")})
