#include "x.h"
/* TODO(3) begin */
x = 2;
/* TODO(3) skeleton:
MPW_TODO_NOT_DONE(3);
 */
/* TODO(3) end */
