/* TODO(1) begin: a */
/* TODO(1) end */
/* TODO(1) begin: again */
/* TODO(1) end */
