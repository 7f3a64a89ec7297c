#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# plugin_selftest.sh: the checks' pytest plugin (tests/lib/mpwcheck) on checks
# that go wrong in each known way (tests/plugin_selftest/): each must fail,
# naming itself and the right TODO (or "not your code"), with its figures in
# results.json and junit.xml; a passing one passes; nothing is left running;
# a check whose TODO's stub ran fails, one that needs it is not checked yet,
# and so is one that needs a TODO whose own check failed; a crash is named;
# ONLY= runs one check alone; copies of a lab are each checked by their own
# check.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=$TOP/build/plugin_selftest
SRC=$TOP/tests/plugin_selftest/src
rm -rf "$WORK"
export H_CHECK_ROOT=$WORK H_PREFIX_BASE=${H_PREFIX_BASE:-mpw}self$$
results() { "$TOP/tests/lib/mpwcheck/results.py" "$@"; }
bad=0
no() { echo "FAIL: $*"; bad=1; }

out=$("$TOP/tests/run_check.sh" plugin_selftest "$SRC" "$SRC")
status=$?
echo "$out"
[ $status = 1 ] || no "status $status, expected 1 (some checks fail)"
[ -s "$WORK/results.json" ] || { no "no results.json"; exit 1; }
want="bare_assert 2
crash 2
expect_fails 1
fail_other_todo 2
guard
known_wrong_named 5
loader loader
needs_failing 5
no_verdict -
param[two] 2
raises -
setup_fails 2
skipped -
stub_blamed 3
stub_needed 3
stub_own 3
todo5_alone 5"
saw=$(results failures "$WORK/results.json" | sort)
[ "$saw" = "$want" ] || no "failures and blames: expected
$want
saw
$saw"
[ "$(results names "$WORK/results.json" | wc -l)" = 19 ] || no "results.json does not hold every check"
[ "$(grep -o '<testcase ' "$WORK/junit.xml" 2>/dev/null | wc -l)" = 19 ] || no "junit.xml does not hold every check"
grep -q '^FAIL  raises: fails: the check raises$' <<<"$out" || no "no FAIL line for the check that raises"
grep -q 'saw:      an error in the check itself: KeyError' <<<"$out" || no "the error is not shown"
grep -q 'saw:      one is not two' <<<"$out" || no "a bare assert's message is not shown"
grep -q 'look at:  TODO 2 in tests/plugin_selftest/src/fake.c:7' <<<"$out" || no "no 'look at' with the TODO's place"
grep -q 'look at:  check_input() in tests/plugin_selftest/src/fake.c:12, outside the TODOs' <<<"$out" ||
	no "a guard's failure does not name its function"
grep -q 'Traceback\|^E  ' <<<"$out" && no "a traceback reached the report without V=1"
grep -q 'saw:      TODO 3 is not done yet: the program ran its stub (tests/plugin_selftest/src/fake.c:18)' <<<"$out" ||
	no "a check whose own TODO's stub ran does not say so"
[ "$(grep -c '^----  stub_\(needed\|blamed\): not checked yet: ' <<<"$out")" = 2 ] || no "no '----' line for each check not checked yet"
[ "$(grep -c '^        not checked yet: do TODO 3 first (tests/plugin_selftest/src/fake.c:17)$' <<<"$out")" = 2 ] ||
	no "a check not checked yet does not say which TODO to do first, and where"
grep -q '^        not checked yet: TODO 5 fails its own check todo5_alone (fails: a check of TODO 5 alone' <<<"$out" ||
	no "a check that needs a TODO whose own check failed does not say so"
grep -q '(TODO 5 fails its own check todo5_alone (.*): start there)' <<<"$out" ||
	no "a check of two TODOs does not name the one whose own check failed"
grep -q '^        crashed:  segv (sh) died of SIGSEGV (status 139); .make check LAB=pl SANITIZE=1. shows where$' <<<"$out" ||
	no "a crashed program is not named with its signal"
grep -q '^== plugin_selftest: 2 passed, 14 failed, 3 not checked yet$' <<<"$out" ||
	no "no closing line '2 passed, 14 failed, 3 not checked yet'"
pgrep -f -- "--file-prefix $H_PREFIX_BASE" >/dev/null && no "a process of the run is still running"

out=$(ONLY=raises "$TOP/tests/run_check.sh" plugin_selftest "$SRC" "$SRC")
[ "$(results names "$WORK/results.json")" = raises ] || no "ONLY=raises ran: $(results names "$WORK/results.json" | paste -sd ' ')"
ONLY=selftest "$TOP/tests/run_check.sh" plugin_selftest "$SRC" "$SRC" >/dev/null 2>&1
[ $? = 2 ] || no "ONLY=selftest (the file's name, no check's) did not end 'no check matches' (status 2)"
# Copies (LAB@COPY@CHECK, the mutants' run): each checked by its own check
# alone (one that uses the lab fixture), its logs apart.
"$TOP/tests/run_check.sh" "plugin_selftest@a@passes" "$SRC" "$SRC" "plugin_selftest@b@stub_own" "$SRC" "$SRC" \
	>/dev/null 2>&1
saw=$(results copies "$WORK/results.json" | cut -d '|' -f 1-3 | paste -sd ' ')
[ "$saw" = "a|passes|PASS b|stub_own|FAIL" ] || no "copies a (passes) and b (stub_own): saw '$saw'"
{ [ -d "$WORK/a" ] && [ -d "$WORK/b" ]; } || no "no log directory of each copy ($WORK/a, $WORK/b)"

out=$(V=1 ONLY=raises "$TOP/tests/run_check.sh" plugin_selftest "$SRC" "$SRC")
grep -q 'KeyError' <<<"$(grep '^        | ' <<<"$out")" || no "V=1 shows no traceback"
[ $bad = 0 ] && echo "the plugin fails each broken check, naming it and its TODO"
exit $bad
