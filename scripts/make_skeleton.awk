# SPDX-License-Identifier: BSD-3-Clause
#
# Turns one solution file into its skeleton. A marked region
#
#	/* TODO(N) begin: what to do, for the student
#	 * (more lines of explanation)
#	 */
#	... the solution's code ...
#	/* TODO(N) skeleton:
#	... code the skeleton keeps instead, so that it still compiles ...
#	 */
#	/* TODO(N) end */
#
# becomes "/* TODO N: what to do ... */" followed by the skeleton's code.
# With -v only=N, only region N is replaced and the others keep the
# solution's code (their markers removed): the mutants of the TODO tests.

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

function replacing(n) {
	return only == "" || only == n
}

BEGIN { state = "code" }

state == "code" && /TODO\([0-9]+\) (skeleton:|end)/ {
	fail("TODO marker outside a region: " $0)
}

state == "code" && /\/\* TODO\([0-9]+\) begin:/ {
	n = $0
	sub(/.*TODO\(/, "", n)
	sub(/\).*/, "", n)
	if (n in seen)
		fail("TODO(" n ") begins twice")
	seen[n] = 1
	line = $0
	sub(/TODO\([0-9]+\) begin:/, "TODO " n ":", line)
	if (replacing(n))
		print line
	state = ($0 ~ /\*\//) ? "solution" : "intro"
	next
}

state == "intro" {
	if (replacing(n))
		print
	if ($0 ~ /\*\//)
		state = "solution"
	next
}

state == "solution" {
	if ($0 ~ /TODO\([0-9]+\) begin:/)
		fail("TODO(" n ") has no end before the next begin")
	if ($0 ~ "TODO\\(" n "\\) skeleton:") {
		state = "stub"
		next
	}
	if ($0 ~ "TODO\\(" n "\\) end") {
		state = "code"
		next
	}
	if ($0 ~ /TODO\([0-9]+\) (skeleton:|end)/)
		fail("marker of another TODO inside TODO(" n "): " $0)
	if (!replacing(n))
		print
	next
}

state == "stub" {
	if ($0 ~ /^[ \t]*\*\/[ \t]*$/) {
		state = "after_stub"
		next
	}
	if ($0 ~ /\*\//)
		fail("the skeleton code of TODO(" n ") may not contain a comment end")
	if (replacing(n))
		print
	next
}

state == "after_stub" {
	if ($0 !~ "TODO\\(" n "\\) end")
		fail("expected /* TODO(" n ") end */ right after the skeleton code")
	state = "code"
	next
}

{ print }

END {
	if (!failed && state != "code")
		fail("TODO(" n ") is not closed at the end of the file")
}
