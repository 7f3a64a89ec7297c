# SPDX-License-Identifier: BSD-3-Clause
#
# A student's copy of the workbook (make template) has no solutions/. What
# needs them, or the maintainers' test suite, stops at once with
# $(call no_solutions,WHAT): one line that says why, not make's own errors
# about missing files. TOP: the workbook's top directory.

HAVE_SOLUTIONS := $(wildcard $(TOP)/solutions)
no_solutions = $(error $(1): this is a student's copy of the workbook (made by make template), without the solutions and the test suite; the instructor's copy has them)
