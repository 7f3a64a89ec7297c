# SPDX-License-Identifier: BSD-3-Clause
#
# docs/Doxyfile of a student's copy (scripts/template.sh): Doxygen reads the
# skeletons in labs/, not solutions/, and quotes them from docs/snippets/
# (the skeletons with the snippet markers that labs/ lacks); a warning does
# not stop the build: a student's own helper without a comment is not the
# walkthroughs' fault.

s|^STRIP_FROM_INC_PATH\( *\)= solutions$|STRIP_FROM_INC_PATH\1= labs|
s|^\( *\)solutions \\$|\1labs \\|
s|^EXAMPLE_PATH\( *\)= solutions$|EXAMPLE_PATH\1= docs/snippets|
/^WARN_AS_ERROR *= YES$/i\
# A student's copy: the comments of a student's own code are not judged here.
s|^WARN_AS_ERROR\( *\)= YES$|WARN_AS_ERROR\1= NO|
