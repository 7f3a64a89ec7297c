/* TODO(1) begin */
/* TODO(1) end */
/* TODO(1) begin */
/* TODO(1) end */
