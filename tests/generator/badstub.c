/* TODO(1) begin */
/* TODO(1) skeleton:
x = 1; */
/* TODO(1) end */
