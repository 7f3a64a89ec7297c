#include <stdio.h>

#include "input.h"

#define ANSWER 42

int
first(void)
{
	/* TODO 1: one line */
	return 1;
	/* end of TODO 1 */
}

int
second(int x)
{
	/* TODO 2: two
	 * lines
	 */
	x += 2;
	return x;
	/* end of TODO 2 */
}
