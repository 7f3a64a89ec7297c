#include "x.h"
/* TODO(1) begin: no skeleton code at all */
x = 2;
/* TODO(1) end */
