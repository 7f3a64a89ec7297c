/* SPDX-License-Identifier: BSD-3-Clause */
/* A stand-in for a lab's sources: where the selftest's TODOs are. */

/* TODO 1: the first. */
int todo1;

/* TODO 2: the second. */
int todo2;

/* Outside the TODOs: what the guard check names. */
int
check_input(int n)
{
	return n > 0;
}

/* TODO 3: the third, whose stub says so. */
int todo3;
