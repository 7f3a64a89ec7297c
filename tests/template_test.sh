#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# template_test.sh: make template (scripts/template.sh), and the student's
# copy it writes, in TEMPLATE_TEST_DIR (build/template-test):
#  1. make template writes it into an empty directory; its scan finds no
#     TODO code, and finds a solution file planted in a copy (it looks);
#     asked again over the copy, it refuses and changes nothing;
#  2. there, without solutions/: make docs builds without a warning and its
#     pages show no TODO code (tests/docs_spoilers.py), make hint answers,
#     and what needs the solutions stops with one line that says so;
#  3. the steps of its workflow (.github/workflows/grade.yml) on its labs/,
#     the skeletons: a non-zero exit, and the first check of each lab not
#     passed names TODO 1 (failed, or not checked yet for it); make
#     progress: no TODO done;
#  4. the same steps with the solutions' files copied into labs/: exit 0,
#     full marks.
# About 40 s on two busy cores, most of it the checks of step 4.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${TEMPLATE_TEST_DIR:-$TOP/build/template-test}
TREE=$OUT/tree
faults=0
fault() { echo "FAIL  $*"; faults=$((faults + 1)); }
ok() { echo "ok    $*"; }
indent() { sed 's/^/      | /'; }

# The copy compiles what the workbook's tree compiled before it (its own
# TOP, the same relative paths): ccache's hits, from the tree's cache.
export CCACHE_DIR=${CCACHE_DIR:-$TOP/build/ccache}
rm -rf "$OUT"
mkdir -p "$TREE"

# 1. Written, scanned; the scan looks; no second write over it.
if make --no-print-directory -C "$TOP" template DIR="$TREE" >"$OUT/template.log" 2>&1; then
	ok "make template: $(tail -n 1 "$OUT/template.log")"
else
	fault "make template failed:"
	indent <"$OUT/template.log"
	exit 1
fi
grep -q '^scan: none of ' "$OUT/template.log" || fault "make template ran no scan"
mkdir -p "$OUT/planted"
cp -r "$TREE/." "$OUT/planted/"
cp "$TOP/solutions/01_simple_mp/messages.c" "$OUT/planted/docs/"
if "$TOP/scripts/template/scan.py" "$TOP/solutions" "$OUT/planted" >"$OUT/planted.log"; then
	fault "the scan passed a copy holding solutions/01_simple_mp/messages.c"
else
	ok "the scan finds a planted solution file: $(grep -c 'docs/messages.c' "$OUT/planted.log") lines of it"
fi
head=$(git -C "$TREE" rev-parse HEAD)
if make --no-print-directory -C "$TOP" template DIR="$TREE" >"$OUT/again.log" 2>&1; then
	fault "make template wrote over a directory that is not empty"
elif [ "$(git -C "$TREE" rev-parse HEAD)" = "$head" ] && [ -z "$(git -C "$TREE" status --porcelain)" ] &&
	! compgen -G "$OUT/.template.*" >/dev/null; then
	ok "over a directory that is not empty: $(grep -o 'template: .*' "$OUT/again.log" | head -n 1)"
else
	fault "make template, refused, changed the directory or left a copy beside it"
fi
[ "$(git -C "$TREE" rev-list --count HEAD)" = 1 ] || fault "the copy's repository has more than one commit"

# 2. What works there, and what says that it cannot.
if out=$(make --no-print-directory -C "$TREE" docs 2>&1) && ! grep -qi warning <<<"$out"; then
	if spoilers=$("$TOP/tests/docs_spoilers.py" "$TREE/build/docs/html"); then
		ok "make docs, no warning: $spoilers"
	else
		fault "the copy's docs show TODO code: $spoilers"
	fi
else
	fault "make docs in the copy: $out"
fi
if make --no-print-directory -C "$TREE" hint LAB=01 TODO=1 LEVEL=3 >/dev/null 2>&1; then
	ok "make hint LAB=01 TODO=1 LEVEL=3"
else
	fault "make hint in the copy fails"
fi
refused=0
for cmd in "make check SOLUTION=1" "make check LAB=01 SOLUTION=1" "make skeletons" "make demo" "make test" \
	"make bench" "make -C labs/01_simple_mp check SOLUTION=1" "scripts/run.sh demo" "scripts/run.sh test"; do
	if out=$(cd "$TREE" && $cmd 2>&1 </dev/null); then
		fault "$cmd in the copy: exit 0"
	elif ! grep -q "this is a student's copy of the workbook" <<<"$out" || grep -qE 'No such file|No rule' <<<"$out"; then
		fault "$cmd in the copy does not say why it stops: $(tail -n 2 <<<"$out" | paste -sd ' ')"
	else
		refused=$((refused + 1))
	fi
done
ok "what needs the solutions stops, saying so: $refused commands"

# The workflow's run: lines, as a shell runs them. This is root already.
mapfile -t steps < <(sed -n 's/^ *run: *//p' "$TREE/.github/workflows/grade.yml" |
	sed 's/^sudo --preserve-env=GITHUB_STEP_SUMMARY //')
[ ${#steps[@]} -gt 0 ] || { fault "no run: step in the copy's workflow"; exit 1; }
# grade NAME: the steps in the copy; their status. Summary and log in OUT.
grade() {
	local step status=0
	: >"$OUT/summary-$1.md"
	for step in "${steps[@]}"; do
		(cd "$TREE" && GITHUB_STEP_SUMMARY=$OUT/summary-$1.md bash -c "$step") >>"$OUT/grade-$1.log" 2>&1 || status=$?
	done
	cp "$TREE/build/check/results.json" "$OUT/results-$1.json" 2>/dev/null
	return $status
}

# 3. The skeletons: TODO 1 first in every lab.
if grade skeleton; then
	fault "the skeletons: the workflow's steps passed"
fi
first=$(/usr/bin/python3 -c 'import json, sys
first = {}
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["outcome"] != "PASS" and c["lab"] not in first:
        first[c["lab"]] = c
for lab, c in sorted(first.items()):
    print(lab, c["name"], c["outcome"], *c["blamed"])' "$OUT/results-skeleton.json" 2>&1)
bad=$(awk '$3 !~ /^(FAIL|NOT_CHECKED)$/ || $4 != 1 || NF != 4' <<<"$first")
if [ -z "$first" ] || [ -n "$bad" ] || [ "$(wc -l <<<"$first")" != "$(find "$TREE/labs" -mindepth 1 -maxdepth 1 -type d | wc -l)" ]; then
	fault "the skeletons: the first check not passed of each lab should name TODO 1 alone; lab, check, outcome, TODOs:"
	indent <<<"$first"
else
	ok "the skeletons: a non-zero exit; the first check not passed of each lab names TODO 1: $(awk '{ printf "%s%s check %s %s", sep, $1, $2, $3; sep = ", " }' <<<"$first")"
fi
# One lab: the workflow's run above has just checked them all.
progress=$(make --no-print-directory -C "$TREE" progress LAB=01 2>&1 | grep '^== progress:')
if [[ $progress == "== progress: 0 of "[1-9]*" TODOs done;"* ]]; then
	ok "make progress LAB=01 on the skeleton: ${progress#== progress: }"
else
	fault "make progress LAB=01 on the skeleton: ${progress:-no total}"
fi

# 4. Solved: full marks.
for f in "$TOP"/solutions/*/*; do
	lab=$(basename "$(dirname "$f")")
	cp "$f" "$TREE/labs/$lab/"
done
if grade solved; then
	score=$(sed -n 's/^## Score: //p' "$OUT/summary-solved.md")
	if [ -n "$score" ] && [ "${score%/*}" = "${score#*/}" ] && [ "${score%/*}" -gt 0 ]; then
		ok "solved labs/: the workflow's steps exit 0, score $score"
	else
		fault "solved labs/: exit 0 but the summary says '${score:-no score}' ($OUT/summary-solved.md)"
	fi
else
	fault "solved labs/: the workflow's steps failed ($OUT/grade-solved.log):"
	tail -n 15 "$OUT/grade-solved.log" | indent
fi

[ $faults = 0 ] && echo "== template: every check passed"
[ $faults = 0 ]
