int f(void)
{
	/* TODO(1) begin */
	return 1;
}
