#include "x.h"
/* TODO(1) begin */
x = 2;
/* TODO(1) end */
