#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The cases are functions called by name (below): shellcheck cannot see it.
# shellcheck disable=SC2317
#
# substitute_test.sh [CASE...]: the blame by substitution (tests/lib/mpwcheck/
# substitute.py) on lab 01 finished as a student would (the skeleton's
# markers around each TODO's code), with
#   - a mistake in TODO 2 beside a right TODO 4 written otherwise: every
#     failure names TODO 2, found by substitution (each TODO tried alone);
#   - a mistake outside the TODOs: every failure names that function;
#   - a mistake in TODO 3 and an end line removed: the check's own reasoning
#     names the TODO, said as a guess;
#   - every TODO right, written otherwise: full marks.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LAB=01_simple_mp
WORK=$TOP/build/substitute
export H_PREFIX_BASE=${H_PREFIX_BASE:-mpw}sub$$
bad=0
no() { echo "FAIL: $*"; bad=1; }

# student CASE EDIT...: lab 01 solved as a student would, then each EDIT
# (a Python replace: OLD=>NEW) applied to messages.c; built and checked.
student() {
	local case=$1 dir=$WORK/$1/$LAB f
	shift
	rm -rf "${WORK:?}/$case"
	mkdir -p "$dir"
	# The TODO comments from the lab's manifest, as gen_skeletons.sh has them.
	"$TOP/tests/lib/mpwcheck/manifest.py" comments "$LAB" "$TOP/solutions/$LAB"/* >"$WORK/$case/comments" || return 1
	for f in "$TOP/solutions/$LAB"/*; do
		awk -v solved=1 -v comments="$WORK/$case/comments" -f "$TOP/scripts/make_skeleton.awk" "$f" \
			>"$dir/${f##*/}" || return 1
	done
	python3 - "$dir/messages.c" "$@" <<-'EOF' || return 1
	import sys
	path, edits = sys.argv[1], sys.argv[2:]
	text = open(path).read()
	for edit in edits:
	    old, new = edit.split("=>")
	    old, new = old.replace("\\n", "\n").replace("\\t", "\t"), new.replace("\\n", "\n").replace("\\t", "\t")
	    if old not in text:
	        sys.exit(f"no such text: {old!r}")
	    text = text.replace(old, new)
	open(path, "w").write(text)
	EOF
	make -s -C "$dir" TOP="$TOP" BUILD_DIR="$WORK/$case/bin" >"$WORK/$case/build.log" 2>&1 || return 1
	H_CHECK_ROOT=$WORK/$case/check "$TOP/tests/run_check.sh" "$LAB" "$WORK/$case/bin" "$dir" >"$WORK/$case/report.txt"
	return 0
}

# failures CASE: "NAME BLAMED BLAME_BY OUTSIDE" of each failed check (not
# those not checked yet: they wait for a TODO found wrong).
failures() {
	python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["outcome"] == "FAIL":
        print(c["name"], ",".join(map(str, c["blamed"])) or "none", c.get("blame_by"), ",".join(c.get("outside", [])) or "-")
' "$WORK/$1/check/results.json"
}

# A right TODO 4, unlike the solution's text.
right4='snprintf(text, size, "%s", (const char *)msg);=>strncpy(text, msg, size - 1);\n\ttext[size - 1] = 0;'

case_two() {
	student two 'recv_ring = rte_ring_lookup(PRI_2_SEC);=>recv_ring = rte_ring_lookup(SEC_2_PRI);' "$right4" ||
		no "case two: not built"
	out=$(failures two)
	[ -n "$out" ] || no "a mistake in TODO 2 passed every check"
	if grep -qv ' 2 substitution -$' <<<"$out"; then
		no "a mistake in TODO 2, beside a TODO 4 written otherwise: not every failure names TODO 2 by substitution:
	$out"
	fi
	grep -q "found by: TODO 2's code alone, in the reference solution, fails it too" "$WORK/two/report.txt" ||
		no "the report does not say how TODO 2 was found"
}

case_outside() {
	student outside 'else if (ret == -ENOSPC)\n\t\t__atomic_fetch_add(&stats.dropped=>else if (ret == -ENOBUFS)\n\t\t__atomic_fetch_add(&stats.dropped' \
		"$right4" || no "case outside: not built"
	out=$(failures outside)
	[ -n "$out" ] || no "a mistake outside the TODOs passed every check"
	if grep -qv ' none substitution messages.c:send_message$' <<<"$out"; then
		no "a mistake in send_message(): not every failure names it, outside the TODOs:
	$out"
	fi
	grep -q 'look at:  send_message() in .*messages.c:[0-9]*, outside the TODOs' "$WORK/outside/report.txt" ||
		no "the report does not name send_message()"
}

case_unmarked() {
	student unmarked '\t\trte_mempool_put(message_pool, msg);\n\t\treturn -ENOSPC;=>\t\treturn -ENOSPC;' \
		'\t/* end of TODO 4 */\n=>' || no "case unmarked: not built"
	out=$(failures unmarked)
	grep -q ' 3 reasoning -$' <<<"$out" || no "a mistake in TODO 3 with an end line removed: not named by reasoning:
	$out"
	grep -q "(a guess, by the check's reasoning: the TODOs cannot be tried one by one: messages.c: TODO 4 has no" \
		"$WORK/unmarked/report.txt" || no "the report does not say that it guesses, and why"
}

case_variants() {
	student variants "$right4" \
		'if (rte_mempool_get(message_pool, &msg) < 0)\n\t\treturn -ENOBUFS;=>if (rte_mempool_get(message_pool, &msg) != 0)\n\t\treturn -ENOBUFS;' ||
		no "case variants: not built"
	out=$(failures variants)
	[ -z "$out" ] || no "right TODOs written otherwise failed:
	$out"
}

# Each case, or those named (make test runs them as rows of their own).
cases=("$@")
[ ${#cases[@]} != 0 ] || cases=(two outside unmarked variants)
for c in "${cases[@]}"; do
	declare -F "case_$c" >/dev/null || { echo "no case '$c' (two outside unmarked variants)"; exit 2; }
	"case_$c"
done

[ $bad = 0 ] && echo "substitution names the TODO at fault, or the function outside them, and says when it guesses: ${cases[*]}"
exit $bad
