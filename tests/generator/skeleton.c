int
first(void)
{
	/* TODO 1: one line */
	return 0;
}

int
second(int x)
{
	/* TODO 2: two
	 * lines
	 */
}
