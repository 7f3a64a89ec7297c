#include <stdio.h>

#include "input.h"

/* [answer] */
#define ANSWER 42
/* [answer] */

int
first(void)
{
	/* TODO(1) begin */
	/* [one] */
	return 1;
	/* [one] */
	/* TODO(1) skeleton:
	MPW_TODO_NOT_DONE(1);
	return 0;
	 */
	/* TODO(1) end */
}

int
second(int x)
{
	/* TODO(2) begin */
	x += 2;
	return x;
	/* TODO(2) skeleton:
	MPW_TODO_NOT_DONE(2);
	return x;
	 */
	/* TODO(2) end */
}
