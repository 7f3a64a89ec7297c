# SPDX-License-Identifier: BSD-3-Clause
"""A check's verdict: what it expected, what it saw, and the TODOs at fault.

A check judges through expect() and fail(). The plugin fails a check that
returns without having judged anything, so that no check passes without
reaching its assertions."""

import glob
import os
import re

NOT_YOUR_CODE = "-"  # a blame: the check itself could not judge
judged = 0  # expect() calls of the running check (reset by the plugin)


class Outside:
    """A blame: no TODO, but code outside them, in FUNCTIONS (names)."""

    def __init__(self, *functions):
        self.functions = functions


outside = Outside


def guards_of(*blames):
    """The functions that Outside blames among BLAMES name."""
    out = []
    for b in blames:
        if isinstance(b, (list, tuple)):
            out += guards_of(*b)
        elif isinstance(b, Outside):
            out += b.functions
    return out


def todos_of(*blames):
    """TODO numbers from ints, strings "3 5" and lists of them."""
    out = []
    for b in blames:
        if b is None or isinstance(b, Outside):
            continue
        if isinstance(b, (list, tuple)):
            out += todos_of(*b)
        elif isinstance(b, str) and b != NOT_YOUR_CODE:
            out += [int(t) for t in b.split()]
        else:
            out.append(b)
    return out


class Undone(Exception):
    """Raised before a check starts whose outcome the stubs that ran decide."""


class CheckFailure(Exception):
    """The check failed: EXPECTED, SAW, and the TODOs it blames (None: those
    that the check declares)."""

    def __init__(self, expected, saw, todos=None, guards=(), guess=False):
        super().__init__(f"expected {expected}, saw {saw}")
        self.expected = str(expected)
        self.saw = str(saw) if saw not in (None, "") else "nothing"
        self.todos = todos
        self.guards = list(guards)
        self.guess = guess


def fail(expected, saw, *todos, guess=False):
    """GUESS: the TODOs are inferred (a process that died, whatever killed
    it), not seen wrong: no other check takes them as known wrong."""
    blamed = None
    if todos == (NOT_YOUR_CODE,):
        blamed = [NOT_YOUR_CODE]
    elif todos:
        blamed = todos_of(*todos)
    raise CheckFailure(expected, saw, blamed, guards_of(*todos), guess)


def expect(condition, expected, saw, *todos, guess=False):
    """Passes on when CONDITION holds; else fails with the rest. SAW may be a
    function, called only then."""
    global judged
    judged += 1
    if not condition:
        fail(expected, saw() if callable(saw) else saw, *todos, guess=guess)


def first_line(src, pattern, top):
    """"FILE:LINE" of the first line of the copy being checked (SRC's C
    files) that PATTERN (a regex) matches, or None."""
    for path in sorted(glob.glob(os.path.join(src, "*.[ch]"))):
        with open(path, errors="replace") as f:
            for number, line in enumerate(f, 1):
                if pattern.search(line):
                    shown = os.path.relpath(path, top) if path.startswith(top + os.sep) else path
                    return f"{shown}:{number}"
    return None


def function_where(src, name, top):
    """"NAME() in FILE:LINE": where the copy being checked defines NAME (DPDK's
    style starts a definition's line with its name)."""
    where = first_line(src, re.compile(rf"^{re.escape(name)}\("), top)
    return f"{name}() in {where}" if where else f"{name}()"


def todo_line(src, n, top):
    """"FILE:LINE" of TODO N in the copy being checked, or None."""
    return first_line(src, re.compile(rf"TODO(\({n}\) begin| {n}:)"), top)


def todo_where(src, n, top):
    """"TODO N in FILE:LINE" for the copy being checked."""
    where = todo_line(src, n, top)
    return f"TODO {n} in {where}" if where else f"TODO {n}"
