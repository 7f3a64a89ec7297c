int f(void)
{
	/* TODO(1) begin: never closed */
	return 1;
}
