#include "x.h"
/* TODO(1) begin: a stub that does not say so */
x = 2;
/* TODO(1) skeleton:
x = 1;
 */
/* TODO(1) end */
