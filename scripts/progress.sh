#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make progress [LAB=01]: check your code in labs/ and show, lab by lab,
# which TODOs are done. A TODO is done when every check that is about it
# passes (each check declares its TODOs: build/progress/LAB/results.json).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
labs=$(find labs -mindepth 1 -maxdepth 1 -type d -name "${1:-}*" -printf '%f\n' | sort)
[ -n "$labs" ] || { echo "progress: no lab matches '${1:-}'" >&2; exit 2; }

done_all=0 todo_all=0 passed_all=0 checks_all=0
for lab in $labs; do
	work=$TOP/build/progress/$lab
	results=$work/results.json
	rm -f "$results"
	echo "== $lab: checking your code (labs/$lab) ..."
	if ! make -s -C "labs/$lab" >"$TOP/build/progress-$lab.log" 2>&1; then
		echo "   it does not build: make -C labs/$lab shows why"
		continue
	fi
	H_CHECK_ROOT=$work ONLY='' "$TOP/tests/run_check.sh" "$lab" "$TOP/build/labs/$lab" "$TOP/labs/$lab" >"$TOP/build/progress-$lab.log" 2>&1
	[ -s "$results" ] || { echo "   the check did not run: $(tail -n 1 "$TOP/build/progress-$lab.log")"; continue; }
	# OUTCOME NAME TODO,TODO... for each check.
	checks=$("$TOP/tests/lib/mpwcheck/results.py" progress "$results")
	# The lab's TODOs, as its manifest lists them (manifest.py check: every
	# one, and no other): a student's copy has no solutions/ to count them in.
	todos=$("$TOP/tests/lib/mpwcheck/manifest.py" todos "$lab" | grep -v '^all$')
	line=""
	for n in $todos; do
		# The checks about TODO n, and those of them that did not pass.
		about=$(awk -v n="$n" '{ split($3, t, ","); for (i in t) if (t[i] == n) { print $2; break } }' <<<"$checks" | wc -l)
		open=$(awk -v n="$n" '$1 != "PASS" { split($3, t, ","); for (i in t) if (t[i] == n) { print $2; break } }' <<<"$checks" | paste -sd ',')
		todo_all=$((todo_all + 1))
		if [ "$about" -gt 0 ] && [ -z "$open" ]; then
			line+=$(printf '  TODO %s done ' "$n")
			done_all=$((done_all + 1))
		else
			line+=$(printf '  TODO %s to do' "$n")
		fi
	done
	passed=$(grep -c '^PASS' <<<"$checks")
	total=$(grep -c . <<<"$checks")
	passed_all=$((passed_all + passed))
	checks_all=$((checks_all + total))
	echo "$line   (checks: $passed of $total pass)"
done
echo "== progress: $done_all of $todo_all TODOs done; $passed_all of $checks_all checks pass"
echo "   the first failure of a lab: make check LAB=NN; a hint: make hint LAB=NN TODO=N"
