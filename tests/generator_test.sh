#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The skeleton generator on small fixtures (comments.txt: the TODO comments,
# as manifest.py composes them): what it writes, and that it refuses
# malformed markers instead of writing a broken skeleton.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
DIR=$TOP/tests/generator
AWK_SCRIPT=$TOP/scripts/make_skeleton.awk
failed=0

expect_output() {
	local what=$1 want=$2
	shift 2
	if ! diff -u "$want" <(awk -v comments="$DIR/comments.txt" "$@" -f "$AWK_SCRIPT" "$DIR/input.c"); then
		echo "generator: $what differs from ${want##*/}"
		failed=1
	fi
}

expect_refusal() {
	local file=$1 why=$2
	if awk -v comments="$DIR/comments.txt" -f "$AWK_SCRIPT" "$DIR/$file" >/dev/null 2>&1; then
		echo "generator: accepted $file ($why)"
		failed=1
	fi
}

expect_output "the skeleton" "$DIR/skeleton.c"
expect_output "the mutant of TODO 2" "$DIR/only2.c" -v only=2
expect_output "a lab solved as a student would" "$DIR/solved.c" -v solved=1
expect_output "the skeleton with its snippet markers" "$DIR/markers.c" -v markers=1
expect_refusal unclosed.c "a region with no end"
expect_refusal twice.c "a TODO number used twice"
expect_refusal badstub.c "a comment end inside the skeleton code"
expect_refusal nostub.c "skeleton code that does not start with MPW_TODO_NOT_DONE(N)"
expect_refusal noskeleton.c "a region with no skeleton code"
expect_refusal noinclude.c "a stub in a file with no local #include"
expect_refusal oldstyle.c "a comment written in the solution, not in the manifest"
expect_refusal nocomment.c "a TODO the manifest has no comment for"
[ $failed = 0 ] && echo "generator: every fixture as expected"
exit $failed
