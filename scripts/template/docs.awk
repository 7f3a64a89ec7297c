# SPDX-License-Identifier: BSD-3-Clause
#
# A walkthrough of a student's copy (scripts/template.sh): each folded
# solution, \solution ... \endsolution, becomes one line saying where the
# code is; the main page says what this copy is. Fails on a block left open.

BEGIN {
	note = "*This TODO's code is yours to write: the solution stays in your instructor's copy (`make hint` helps).*"
}

/^\\mainpage / {
	print
	print ""
	print "\\note This is a student's copy of the workbook, for a graded class: the labs,"
	print "their checks, the hints and these pages, without the solutions. Where a page"
	print "would show a TODO's code, it says so; `make demo`, `make test`, `make bench`"
	print "and `SOLUTION=1`, which need the solutions, say so and stop."
	next
}

/^\\solution[ \t]*$/ {
	if (folded)
		fail("a \\solution inside another")
	folded = FNR
	print note
	next
}

/^\\endsolution[ \t]*$/ {
	if (!folded)
		fail("an \\endsolution without its \\solution")
	folded = 0
	next
}

folded { next }

{ print }

END {
	if (failed)
		exit 1
	if (folded)
		fail("the \\solution of line " folded " is never closed")
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
