# SPDX-License-Identifier: BSD-3-Clause
"""The check plugin's own test (tests/plugin_selftest.sh): checks that must
pass and checks that must fail in a known way, one for each way a check can
go wrong. Not a lab: its "programs" are sleep and sh."""

import pytest

from mpwcheck.verdict import expect, fail

LAB = "plugin_selftest"
check = pytest.mark.check


@pytest.fixture(scope="module")
def broken_setup():
    """A set-up that fails, blaming TODO 2."""
    fail("a set-up that works", "it did not", 2)


@pytest.fixture(scope="module")
def sleeper(lab):
    """A process of this run: the plugin must stop it at the end."""
    return lab.start("sleeper", ["sh", "-c", "sleep 1000", "sh", "--file-prefix", lab.prefix("sleeper")])


@check("passes: a process starts, prints, and its line is seen", 1)
def test_passes(lab, sleeper):
    p = lab.start("echo", ["sh", "-c", "echo hello; exit 3"])
    expect(p.wait_for("hello") and p.wait_exit() and p.status == 3, "hello, status 3",
           lambda: f"status {p.status}: {p.tail()}")
    expect(sleeper.alive(), "the sleeper running", "it is not")


@check("fails: expect() blames the declared TODO", 1)
def test_expect_fails():
    expect(1 == 2, "one", "two")


@check("fails: fail() blames another TODO", 1)
def test_fail_other_todo():
    fail("one", "two", 2)


@check("fails: a bare assert", 2)
def test_bare_assert():
    assert 1 == 2, "one is not two"


@check("fails: a skipped check has not passed", 1)
def test_skipped():
    pytest.skip("not here")


@check("fails: the check raises", 1)
def test_raises():
    {}["missing"]


@check("fails: the check judges nothing", 1)
def test_no_verdict():
    pass


@check("fails: its set-up fails, blaming TODO 2", 1)
def test_setup_fails(broken_setup):
    expect(True, "", "")


@check("fails: a guard of code outside the TODOs", guards=["check_input"])
def test_guard():
    fail("one", "two")


@pytest.mark.parametrize("n", [pytest.param(1, id="one", marks=check("passes: parameter one")),
                               pytest.param(2, id="two", marks=check("fails: parameter two", 2))])
def test_param(n):
    expect(n == 1, 1, n)


STUB = "TODO 3 (tests/plugin_selftest/src/fake.c:18) is not done yet"


@check("fails: a stub of its own TODO ran, whatever it judged", 3)
def test_stub_own(lab):
    p = lab.start("stub", ["sh", "-c", f"echo '{STUB}' >&2"])
    expect(p.wait_exit(), "an exit", p.tail())


@check("not checked yet: a TODO it needs is not done (it does not run)", 1, needs=[3])
def test_stub_needed():
    fail("never to run", "it ran")


@check("not checked yet: its failure blames a TODO whose stub ran", 1)
def test_stub_blamed():
    fail("one", "two", 3)


@check("fails: a check of TODO 5 alone, which the next two stand on", 5)
def test_todo5_alone():
    fail("five", "six")


@check("not checked yet: a TODO it needs fails its own check (it does not run)", 6, needs=[5])
def test_needs_failing():
    fail("never to run", "it ran")


@check("fails: of the TODOs it judges, the one whose own check failed is named", 6, 5)
def test_known_wrong_named():
    fail("six", "seven", 6)


@check("fails: a program that crashed says of which signal", 2)
def test_crash(lab):
    p = lab.start("segv", ["sh", "-c", "kill -SEGV $$"])
    p.wait_exit()
    expect(p.status == 0, "status 0", p.status)


# Last: once a program could not be loaded, no later check blames a TODO.
@check("fails: a program that cannot be loaded is not the student's", 1)
def test_loader(lab):
    p = lab.start("loader", ["sh", "-c", "echo 'x: error while loading shared libraries: librte_x.so'; exit 127"])
    p.wait_exit()
    expect(p.status == 0, "status 0", p.status)
