#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# mutant_test.sh LAB NAME...: the kit's own mutants NAME... of LAB must each
# be killed.
#
# tests/mutants/LAB/NAME.patch is a plausible mistake, as a patch on
# solutions/LAB (paths a/FILE, b/FILE), under a header of two lines:
#
#   # mistake: what a student got wrong
#   # check: the check that must fail (its name, as ONLY= takes it)
#
# The lab's manifest (tests/LAB/manifest.toml) says which TODO that check
# must name: the mutant is in that TODO's "mutants", or in "outside": code
# outside the TODOs (the bad-input guards), where the check names no TODO.
# A correct variant (code written otherwise than the solution, and right)
# has "# variant: what differs" and "# check: all", and is in the manifest's
# "variants": every check of the lab must pass on it ("KILLED" then means
# that it passed).
#
# Each mutant is built, then all are checked in one run of the lab's checks,
# each copy by its own check alone (run_check.sh's LAB@NAME@CHECK); a mutant
# is killed when its check fails naming its TODO. One line each, "KILLED"
# or "SURVIVED" and why, also in build/mutants/kit/LAB/NAME.verdict after a
# line "STATUS SECONDS" (0: killed); exit 0 when every one was killed.
#
#   --list LAB        the mutants of LAB: NAME, CHECK, TODO
#   --all [LAB...]    every mutant of every lab (or of each LAB), JOBS (2)
#                     labs at a time, then "N killed, N survived"
#                     (make test-mutants)
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
MANIFEST=$TOP/tests/lib/mpwcheck/manifest.py
if [ "${1:-}" = --list ]; then
	exec "$MANIFEST" mutants "$2"
fi
if [ "${1:-}" = --all ]; then
	shift
	mkdir -p "$TOP/build"
	# LAB as make check takes it: a prefix (01) or a whole name.
	for dir in "$TOP"/tests/mutants/"${1:-}"*/; do
		lab=$(basename "$dir")
		echo "$lab $(for f in "$dir"*.patch; do [ -e "$f" ] && basename "$f" .patch; done | paste -sd ' ')"
	done | xargs -P "${JOBS:-2}" -L 1 "$0" | tee "$TOP/build/mutants-kit.txt"
	survived=$(grep -c '^SURVIVED' "$TOP/build/mutants-kit.txt")
	echo "$(grep -c '^KILLED' "$TOP/build/mutants-kit.txt") killed, $survived survived"
	[ "$survived" = 0 ]
	exit
fi
[ $# -ge 2 ] || { echo "usage: $0 LAB NAME... | --list LAB | --all [LAB...]" >&2; exit 2; }
lab=$1
shift
command -v patch >/dev/null || { echo "patch is not installed: run scripts/install_deps.sh"; exit 2; }
kit=$TOP/build/mutants/kit/$lab
mkdir -p "$kit"

# verdict NAME STATUS SECONDS TEXT: a mutant's line, and its verdict file.
verdict() {
	printf '%s %s\n%s\n' "$2" "$3" "$4" >"$kit/$1.verdict"
	if [ "$2" = 0 ]; then echo "KILLED    $lab/$1: $4"; else echo "SURVIVED  $lab/$1: $4"; fi
}

# Build each mutant; those that build are checked together below.
# Each mutant's check (its patch's header) and TODO (the manifest).
declare -A CHECK TODO BUILT LISTED_CHECK LISTED_TODO
while IFS=$'\t' read -r name check todo; do
	LISTED_CHECK[$name]=$check LISTED_TODO[$name]=$todo
done < <("$MANIFEST" mutants "$lab")
copies=()
for name in "$@"; do
	file=$TOP/tests/mutants/$lab/$name.patch
	dir=$kit/$name
	src=$dir/$lab
	rm -rf "$dir" "$kit/$name.verdict"
	mkdir -p "$dir"
	[ -f "$file" ] || { verdict "$name" 1 0 "no mutant $file"; continue; }
	check=${LISTED_CHECK[$name]:-} todo=${LISTED_TODO[$name]:-}
	if [ -z "$check" ] || [ -z "$todo" ]; then
		verdict "$name" 1 0 "$file: no '# check:' line, or tests/$lab/manifest.toml lists it under no TODO, outside or variants"
		continue
	fi
	CHECK[$name]=$check TODO[$name]=$todo
	[ "$check" != all ] || check=''
	start=$SECONDS
	cp -r "$TOP/solutions/$lab" "$src" || exit 2
	# No fuzz: a mutant that no longer applies exactly must be rewritten, not guessed.
	if ! patch -s -p1 --fuzz=0 --no-backup-if-mismatch -d "$src" -i "$file" >"$dir/build.log" 2>&1; then
		verdict "$name" 1 0 "the mutant does not apply to solutions/$lab"
		continue
	fi
	# ccache (mk/ccache.mk) compiles only the patched files: the others
	# are the solution's build's, with the same flags.
	if ! make -s -C "$src" TOP="$TOP" BUILD_DIR="$dir/bin" >"$dir/build.log" 2>&1; then
		verdict "$name" 1 $((SECONDS - start)) "the mutant does not build: $(tail -n 3 "$dir/build.log" | paste -sd ' ')"
		continue
	fi
	BUILT[$name]=$((SECONDS - start))
	copies+=("$lab@$name@$check" "$dir/bin" "$src")
done
[ ${#copies[@]} != 0 ] || exit 1

# One run of the checks for every copy: one pytest, one start-up.
# MUTANT_BATCH: a name of its own for this run's checks, beside other runs
# of the same lab's mutants (make test splits them).
checks=$kit/check${MUTANT_BATCH:+-$MUTANT_BATCH}
rm -f "$checks/results.json" "$checks.none"
H_CHECK_ROOT=$checks "$TOP/tests/run_check.sh" "${copies[@]}" >"$checks.log" 2>&1
status=$?
[ -s "$checks/results.json" ] ||
	echo "the check wrote no results (status $status): $(tail -n 3 "$checks.log" | paste -sd ' ')" >"$checks.none"
declare -A OUTCOME SECS BLAMED SAW
while IFS='|' read -r copy checked outcome secs blamed saw; do
	if [ "${CHECK[$copy]:-}" = all ]; then
		# A variant: the first of its checks that did not pass, else PASS.
		[ "${OUTCOME[$copy]:-PASS}" = PASS ] || continue
		OUTCOME[$copy]=$outcome SECS[$copy]=$((${SECS[$copy]:-0} + secs)) BLAMED[$copy]=$blamed
		SAW[$copy]="$checked: $saw"
		continue
	fi
	[ "$checked" = "${CHECK[$copy]:-}" ] || continue
	OUTCOME[$copy]=$outcome SECS[$copy]=$secs BLAMED[$copy]=$blamed SAW[$copy]=$saw
done < <("$TOP/tests/lib/mpwcheck/results.py" copies "$checks/results.json" 2>/dev/null)

killed=0
for name in "$@"; do
	[ -n "${BUILT[$name]:-}" ] || continue
	check=${CHECK[$name]} todo=${TODO[$name]} blamed=${BLAMED[$name]:-}
	secs=$((BUILT[$name] + ${SECS[$name]:-0}))
	if [ -z "${OUTCOME[$name]:-}" ]; then
		verdict "$name" 1 "$secs" "no check named '$check' ran$([ ! -e "$checks.none" ] || echo ": $(cat "$checks.none")")"
	elif [ "$todo" = none ] && [ "${OUTCOME[$name]}" = PASS ]; then
		verdict "$name" 0 "$secs" "a correct variant: every check passed"
		killed=$((killed + 1))
	elif [ "$todo" = none ]; then
		verdict "$name" 1 "$secs" "a correct variant failed ${SAW[$name]} (naming '${BLAMED[$name]:-nothing}')"
	elif [ "${OUTCOME[$name]}" != FAIL ]; then
		verdict "$name" 1 "$secs" "survived: check $check: ${OUTCOME[$name]} (${SAW[$name]})"
	elif [ "$todo" = outside ] && [ -n "$blamed" ]; then
		verdict "$name" 1 "$secs" "check $check failed naming '$blamed', expected no TODO (code outside them)"
	elif [ "$todo" != outside ] && [[ " $blamed " != *" $todo "* ]]; then
		verdict "$name" 1 "$secs" "check $check failed naming '${blamed:-nothing}', expected TODO $todo"
	else
		verdict "$name" 0 "$secs" "saw: ${SAW[$name]}"
		killed=$((killed + 1))
	fi
done
[ "$killed" = $# ]
