#include <stdio.h>

#include "input.h"
#include "mpw_todo.h"

#define ANSWER 42

int
first(void)
{
	/* TODO 1: one line */
	MPW_TODO_NOT_DONE(1);
	return 0;
	/* end of TODO 1 */
}

int
second(int x)
{
	/* TODO 2: two
	 * lines
	 */
	MPW_TODO_NOT_DONE(2);
	return x;
	/* end of TODO 2 */
}
