#include "x.h"
/* TODO(1) begin: the comment written here, not in the manifest */
x = 2;
/* TODO(1) skeleton:
MPW_TODO_NOT_DONE(1);
 */
/* TODO(1) end */
