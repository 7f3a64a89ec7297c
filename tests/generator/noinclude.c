/* TODO(1) begin */
x = 2;
/* TODO(1) skeleton:
MPW_TODO_NOT_DONE(1);
 */
/* TODO(1) end */
