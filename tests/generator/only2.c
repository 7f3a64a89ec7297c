int
first(void)
{
	return 1;
}

int
second(int x)
{
	/* TODO 2: two
	 * lines
	 */
}
