# SPDX-License-Identifier: BSD-3-Clause
"""The reference solution as the oracle: a check runs a scenario on the
student's programs and, the same way, on the solution's, and compares what
a user could observe (the frames each port sent, per TX queue).

The solution's observation of a scenario is kept in
build/oracle/LAB/NAME-KEY.json, KEY a hash of the solution's programs and
the scenario's parameters: it is run once per build of the solution. A copy
of the kit without solutions/ (a graded class's template) reads the
observations recorded in tests/LAB/reference/NAME.json instead (`make
reference` writes them: MPW_RECORD=1 on a check of the solution; the
suite's tests/reference_test.sh fails when they are not the solution's)."""

import hashlib
import json
import os
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def solution_bin(lab):
    """The solution's programs, built (build/solutions/LAB, never
    sanitized) under the lock that make solutions takes; None without
    solutions/."""
    src = os.path.join(TOP, "solutions", lab.name)
    if not os.path.isdir(src):
        return None
    with lab.lock(os.path.join(TOP, "build", "solutions", lab.name)):
        out = subprocess.run(["make", "-s", "-C", src, "SANITIZE=", "COVERAGE=", f"BUILD_DIR={TOP}/build/solutions/{lab.name}"],
                             capture_output=True, text=True, check=False, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"the reference solution does not build: {out.stderr[-300:]}")
    return os.path.join(TOP, "build", "solutions", lab.name)


def recorded(lab, name):
    return os.path.join(TOP, "tests", lab.name, "reference", f"{name}.json")


def reference(lab, name, params, run, build=None):
    """What the solution's programs observe in scenario NAME (PARAMS, a
    dict of what sets it), run as RUN(bin_dir, tag) runs it: cached per
    build of the solution; recorded in tests/LAB/reference/ with
    MPW_RECORD=1. BUILD(): the build of the solution to run, where not the
    plain one (with the lab's test doubles, say). None: no solutions/ and
    nothing recorded of NAME."""
    bin_dir = solution_bin(lab)
    if bin_dir is not None and build is not None:
        bin_dir = build()
    if bin_dir is None:
        # A copy without solutions/: what make reference recorded, if it did.
        if not os.path.exists(recorded(lab, name)):
            return None
        with open(recorded(lab, name)) as f:
            saved = json.load(f)
        return saved["observed"]
    # The scenario, the solution's programs and the tools that make the
    # traffic and read the captures.
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode())
    for directory in (bin_dir, lab.tools()):
        for program in sorted(os.listdir(directory)):
            path = os.path.join(directory, program)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                with open(path, "rb") as f:
                    key.update(f.read())
    cache = os.path.join(TOP, "build", "oracle", lab.name, f"{name}-{key.hexdigest()[:16]}.json")
    observed = None
    if os.path.exists(cache):
        with open(cache) as f:
            observed = json.load(f)
    if observed is None:
        observed = run(bin_dir, "ref")
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache + ".new", "w") as f:
            json.dump(observed, f)
        os.replace(cache + ".new", cache)
    if os.environ.get("MPW_RECORD"):
        # MPW_RECORD=1: into tests/LAB/reference/; MPW_RECORD=DIR: into DIR/LAB/.
        record = os.environ["MPW_RECORD"]
        path = recorded(lab, name) if record == "1" else os.path.join(record, lab.name, f"{name}.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump({"params": params, "observed": observed}, f, indent=0, sort_keys=True)
            f.write("\n")
    return observed


def pcap_frames(lab, path):
    """The frames of a pcap file as pcap_frames -d describes them, one
    string each ("LEN HASH UDP 10.0.0.3:1024 -> 10.1.0.7:53"); [] when the
    file is missing or empty."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    return lab.tool("pcap_frames", "-d", path).splitlines()


def first_difference(want, saw, what):
    """The first way SAW ({place: [frames]}) differs from WANT, said for a
    person, or None. WHAT(place) names a place ("port 2, queue 1")."""
    for place in sorted(set(want) | set(saw)):
        w, s = want.get(place, []), saw.get(place, [])
        if w == s:
            continue
        for i, (a, b) in enumerate(zip(w, s)):
            if a != b:
                a, b = (a, b) if describe(a) == describe(b) else (describe(a), describe(b))
                return (f"frame {i + 1} out of {what(place)}: expected {a}, saw {b} "
                        f"({len(w)} frames expected there, {len(s)} sent)")
        if len(s) < len(w):
            return (f"{what(place)}: {len(w)} frames expected, {len(s)} sent; the first missing, frame "
                    f"{len(s) + 1}: {describe(w[len(s)])}")
        return f"{what(place)}: {len(w)} frames expected, {len(s)} sent; the first extra: {describe(s[len(w)])}"
    return None


def describe(frame):
    """A frame of pcap_frames -d without its hash: "64 bytes, UDP ..."."""
    f = frame.split(" ", 2)
    return f"{f[0]} bytes, {f[2]}" if len(f) == 3 else frame


def deep():
    """make check DEEP=1: the oracle's checks run more scenarios."""
    return os.environ.get("DEEP", "") not in ("", "0")
