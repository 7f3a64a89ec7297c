# SPDX-License-Identifier: BSD-3-Clause
#
# Turns one solution file into its skeleton. A marked region
#
#	/* TODO(N) begin */
#	... the solution's code ...
#	/* TODO(N) skeleton:
#	... code the skeleton keeps instead, so that it still compiles ...
#	 */
#	/* TODO(N) end */
#
# becomes TODO N's comment, the skeleton's code and a line "/* end of TODO
# N */": the two lines between which a student writes, and by which the
# checks cut a student's TODO out (tests/lib/mpwcheck/substitute.py). The
# comment ("/* TODO N: what to do ... */") is not in the solution: it comes
# from the lab's manifest (tests/LAB/manifest.toml), composed by
# "manifest.py comments LAB FILE..." into the file named by -v comments=FILE,
# lines "N<TAB>line" (scripts/gen_skeletons.sh makes it).
# The skeleton's code starts with MPW_TODO_NOT_DONE(N) (common/mpw_todo.h),
# which says at run time that the TODO is not done yet; a file that gets one
# also gets that header, among its local #includes.
# A line that is only a Doxygen snippet marker, "/* [name] */", is the
# walkthroughs' (docs/, \snippet reads solutions/): no output has it, but
# with -v markers=1 (the snippets of a student's copy, scripts/template.sh).
# With -v only=N, only region N is replaced and the others keep the
# solution's code (their markers removed): the mutants of the TODO tests.
# With -v done=N, every region but N is replaced, and N is written as a
# student would: its comment, the solution's code, its end line (a lab half
# done: the suite's decoy labs/, tests/labs_ignored_test.sh). With -v solved=1,
# every region so: a lab finished with the solution's code.

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# Every line out goes through out(): the header's #include is placed once
# the whole file is known.
function out(text) {
	lines[++nlines] = text
	if (text ~ /^#include "/) {
		last_include = nlines
		# The local headers are sorted: mpw_todo.h goes before the first
		# that sorts after it.
		if (todo_before == 0 && text > "#include \"mpw_todo.h\"")
			todo_before = nlines
	}
}

function replacing(n) {
	return n != done && !solved && (only == "" || only == n)
}

# A region written as a student would: the skeleton's lines around the solution's code.
function as_student(n) {
	return n == done || solved
}

BEGIN {
	state = "code"
	# Each TODO's comment, its lines as the manifest composed them.
	while (comments != "" && (getline entry < comments) > 0) {
		tab = index(entry, "\t")
		k = substr(entry, 1, tab - 1)
		comment[k] = comment[k] substr(entry, tab + 1) "\n"
	}
}

# Snippet markers stay in the solutions, for the walkthroughs.
!markers && /^[ \t]*\/\* \[[A-Za-z0-9_]+\] \*\/[ \t]*$/ && (state == "code" || state == "solution") {
	next
}

state == "code" && /TODO\([0-9]+\) (skeleton:|end)/ {
	fail("TODO marker outside a region: " $0)
}

state == "code" && /TODO\([0-9]+\) begin/ {
	n = $0
	sub(/.*TODO\(/, "", n)
	sub(/\).*/, "", n)
	if ($0 !~ /^[ \t]*\/\* TODO\([0-9]+\) begin \*\/[ \t]*$/)
		fail("expected /* TODO(" n ") begin */ alone on its line: the comment comes from the manifest")
	if (n in seen)
		fail("TODO(" n ") begins twice")
	seen[n] = 1
	if (!(n in comment))
		fail("the manifest has no comment for TODO(" n ")")
	indent = $0
	sub(/[^ \t].*/, "", indent)
	if (replacing(n) || as_student(n)) {
		k = split(comment[n], text, "\n")
		for (i = 1; i < k; i++)
			out(text[i])
	}
	state = "solution"
	next
}

state == "solution" {
	if ($0 ~ /TODO\([0-9]+\) begin/)
		fail("TODO(" n ") has no end before the next begin")
	if ($0 ~ "TODO\\(" n "\\) skeleton:") {
		state = "stub"
		next
	}
	if ($0 ~ "TODO\\(" n "\\) end")
		fail("TODO(" n ") has no skeleton code: it must at least say MPW_TODO_NOT_DONE(" n ");")
	if ($0 ~ /TODO\([0-9]+\) (skeleton:|end)/)
		fail("marker of another TODO inside TODO(" n "): " $0)
	if (!replacing(n))
		out($0)
	next
}

state == "stub" {
	if ($0 ~ /^[ \t]*\*\/[ \t]*$/) {
		state = "after_stub"
		next
	}
	if ($0 ~ /\*\//)
		fail("the skeleton code of TODO(" n ") may not contain a comment end")
	if (!(n in said) && $0 !~ /^[ \t]*$/) {
		if ($0 !~ "^[ \t]*MPW_TODO_NOT_DONE\\(" n "\\);")
			fail("the skeleton code of TODO(" n ") must start with MPW_TODO_NOT_DONE(" n ");")
		said[n] = 1
	}
	if (replacing(n)) {
		out($0)
		if ($0 ~ /MPW_TODO_NOT_DONE/)
			todo_header = 1
	}
	next
}

state == "after_stub" {
	if ($0 !~ "TODO\\(" n "\\) end")
		fail("expected /* TODO(" n ") end */ right after the skeleton code")
	if (!(n in said))
		fail("the skeleton code of TODO(" n ") must start with MPW_TODO_NOT_DONE(" n ");")
	if (replacing(n) || as_student(n))
		out(indent "/* end of TODO " n " */")
	state = "code"
	next
}

{ out($0) }

END {
	if (failed)
		exit 1
	if (state != "code")
		fail("TODO(" n ") is not closed at the end of the file")
	if (todo_header && last_include == 0)
		fail("a stub calls MPW_TODO_NOT_DONE, but the file has no local #include to put mpw_todo.h after")
	for (i = 1; i <= nlines; i++) {
		if (todo_header && i == todo_before)
			print "#include \"mpw_todo.h\""
		print lines[i]
		if (todo_header && todo_before == 0 && i == last_include)
			print "#include \"mpw_todo.h\""
	}
}
