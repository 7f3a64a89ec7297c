# SPDX-License-Identifier: BSD-3-Clause
#
# ccache (Debian's package), where installed: the suite builds a hundred
# copies of the labs (mutants, TODOs undone, a student's copy) that differ
# from the solutions in a file or two, and ccache compiles only those. Paths
# under TOP are hashed relative to the build's directory, common/ as
# ../../common (mk/lab.mk), so that the same file in another copy (at any
# depth, in another TOP too) is a hit; no hit is ever wrong: a file that
# expands __FILE__ differently misses. CCACHE=: builds without.

CCACHE ?= $(shell command -v ccache 2>/dev/null)
# gcov's notes files are written beside objects that a hit would not make.
ifeq ($(COVERAGE)$(filter tests,$(VARIANT)),1)
CCACHE :=
endif
ifneq ($(CCACHE),)
CC := $(CCACHE) $(CC)
# The workbook's own cache, not the user's: nothing outside TOP is written.
CCACHE_DIR ?= $(TOP)/build/ccache
export CCACHE_DIR
export CCACHE_BASEDIR := $(TOP)
# The compilers' working directory goes into -g's debug information; a
# copy's hit keeps the first copy's, which only a debugger reads.
export CCACHE_NOHASHDIR := 1
endif
