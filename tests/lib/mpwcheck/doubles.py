# SPDX-License-Identifier: BSD-3-Clause
"""What no vdev shows, for the checks of labs 01 and 03: a lab built with
test doubles (build(); tests/lib/doubles/fail_create.c: a creation that
fails), and a primary that is not the lab's (tools/mp_stub_primary)."""

import os
import shutil
import subprocess

from mpwcheck import verdict
from mpwcheck.verdict import expect

# Every call that creates an object of the labs: each wrapped (--wrap).
FAIL_WRAPPED = ["rte_ring_create", "rte_ring_create_elem", "rte_mempool_create", "rte_mempool_create_empty",
                "rte_pktmbuf_pool_create", "rte_pktmbuf_pool_create_by_ops", "rte_memzone_reserve",
                "rte_memzone_reserve_aligned"]


def unwrapped_eal():
    """EAL options for a program that tests/sanitize_test.sh's wrappers do
    not start (a build with test doubles, a tool): a sanitized secondary
    maps the primary's memory only where ASan leaves room, and the
    wrappers tell every program where."""
    return ["--base-virtaddr=0x200000000000"] if os.environ.get("SANITIZE") == "1" else []


def build(lab, name, sources, wrapped, reference=False, more=()):
    """The lab's programs linked with the test doubles SOURCES (paths under
    tests/), each function of WRAPPED wrapped, in lab.path(NAME); with
    REFERENCE, the solution's, in build/tests/LAB/NAME-ref (never
    sanitized: the reference is the plain solution); MORE: make's own
    arguments besides. (that directory, None) or (None, why the build
    failed)."""
    if reference:
        src, out, more = os.path.join(lab.top, "solutions", lab.name), \
            os.path.join(lab.top, "build", "tests", lab.name, f"{name}-ref"), [*more, "SANITIZE=", "COVERAGE="]
    else:
        src, out = lab.src, lab.path(name)
        # From the checked build's objects (their times kept), as lab 02's
        # doubles: make compiles the double alone, and links.
        if os.path.isdir(os.path.join(lab.bin, "obj")):
            shutil.copytree(os.path.join(lab.bin, "obj"), os.path.join(out, "obj"), dirs_exist_ok=True)
    with lab.lock(out):
        made = subprocess.run(["make", "-s", "-C", src, f"TOP={lab.top}", f"BUILD_DIR={out}",
                               "EXTRA_SRCS=" + " ".join(os.path.join(lab.top, "tests", s) for s in sources),
                               "LDFLAGS=-Wl," + ",".join(f"--wrap={w}" for w in wrapped), *more],
                              capture_output=True, text=True, check=False, timeout=300)
    if made.returncode != 0:
        return None, " | ".join((made.stdout + made.stderr).splitlines()[-2:])
    return out, None


def build_fail_create(lab):
    """The lab's programs linked with fail_create.c, in lab.path("fail_create");
    (that directory, None) or (None, why the build failed)."""
    return build(lab, "fail_create", ["lib/doubles/fail_create.c"], FAIL_WRAPPED)


def failing_creations(lab, names, argv, message):
    """For each object NAME in turn, a run of the program that ARGV(build
    directory, prefix) starts, built with the double, whose creation of NAME
    fails with ENOMEM; p.refused: it exits non-zero saying MESSAGE."""
    out, why = build_fail_create(lab)
    if why is not None:
        return {"build": why}
    runs = {}
    for k, name in enumerate(names):
        prefix = lab.prefix(f"fail{k}")
        p = lab.start(f"fail_{name}", ["env", f"MPW_FAIL_CREATE={name}", *argv(out, prefix)])
        p.refused = p.exits_with(message, 15)
        lab.finish(prefix)
        runs[name] = p
    return {"build": None, "runs": runs}


def judge_failing_creations(runs, message, todo):
    """The verdict on failing_creations()'s RUNS, blaming TODO. An object
    made by other calls than those the double wraps is not judged: what it
    cannot see it does not fail."""
    expect(runs["build"] is None, "a build with the test double", runs["build"], verdict.NOT_YOUR_CODE)
    for name, p in runs["runs"].items():
        if p.count(f"AUDIT create {name}"):
            expect(p.refused, f"with {name} not created: a non-zero exit and '{message}'", p.ending, todo)


def stub_primary(lab, name, prefix, objects=(), eal=()):
    """tools/mp_stub_primary on PREFIX (more EAL options: EAL), creating
    only OBJECTS ("ring:NAME", "pool:NAME"), once they exist; stub.send()
    ends it."""
    eal = [*eal, *unwrapped_eal()]
    stub = lab.start(name, [f"{lab.tools()}/mp_stub_primary", "-l", "0", "--no-pci", *eal, "--file-prefix", prefix,
                            "--proc-type=primary", "--", *objects])
    expect(stub.wait_for(f"created {len(objects)} objects", 1, 15), f"the stub primary creates {list(objects)}",
           lambda: stub.tail(2), verdict.NOT_YOUR_CODE)
    return stub
