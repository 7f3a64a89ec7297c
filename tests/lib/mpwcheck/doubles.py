# SPDX-License-Identifier: BSD-3-Clause
"""A lab built with tests/lib/doubles/fail_create.c, the creation that
fails: for the checks of labs 01 and 03."""

import os
import subprocess

# Every call that creates an object of the labs: each wrapped (--wrap).
FAIL_WRAPPED = ["rte_ring_create", "rte_ring_create_elem", "rte_mempool_create", "rte_mempool_create_empty",
                "rte_pktmbuf_pool_create", "rte_pktmbuf_pool_create_by_ops", "rte_memzone_reserve",
                "rte_memzone_reserve_aligned"]


def build_fail_create(lab):
    """The lab's programs linked with the double, in lab.path("fail_create");
    (that directory, None) or (None, why the build failed)."""
    out = lab.path("fail_create")
    made = subprocess.run(["make", "-s", "-C", lab.src, f"TOP={lab.top}", f"BUILD_DIR={out}",
                           f"EXTRA_SRCS={os.path.join(lab.top, 'tests', 'lib', 'doubles', 'fail_create.c')}",
                           "LDFLAGS=-Wl," + ",".join(f"--wrap={w}" for w in FAIL_WRAPPED)],
                          capture_output=True, text=True, check=False, timeout=300)
    if made.returncode != 0:
        return None, " | ".join((made.stdout + made.stderr).splitlines()[-2:])
    return out, None
