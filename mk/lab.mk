# SPDX-License-Identifier: BSD-3-Clause
#
# Build rules shared by every lab and solution, in the style of DPDK's own
# examples: pkg-config libdpdk, one binary per program, built out of tree.
#
# The including Makefile sets APPS (program names), <app>-srcs for each and
# TOP (the workbook's top directory). Targets:
#   all                 build into $(BUILD_DIR)
#   check               the top Makefile's make check LAB=<this lab> (and
#                       SOLUTION=1 in solutions/): SOLUTION=, PORTS=, ONLY=,
#                       SANITIZE=1 as there
#   clean
# With SANITIZE=1, each of them on a build with AddressSanitizer and
# UndefinedBehaviorSanitizer, in build/sanitize/ (see tests/sanitize_test.sh).
# With COVERAGE=1, on a build that counts branches for gcov, in
# build/coverage/ (see scripts/coverage.sh).

TOP := $(abspath $(TOP))
SRC_DIR := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
# override: a LAB=01 given to the top Makefile must not rename this lab.
override LAB := $(notdir $(SRC_DIR))
# "labs" or "solutions", from where this copy lives.
VARIANT ?= $(notdir $(patsubst %/,%,$(dir $(SRC_DIR))))
ifeq ($(SANITIZE),1)
# Out of the way of the normal build, which the other checks use.
BUILD_DIR ?= $(TOP)/build/sanitize/$(VARIANT)/$(LAB)
endif
# gcov's counters in the lab's code and common/'s, never in a check's helpers
# (tests/, EXTRA_SRCS): their objects are shared with the normal builds,
# which would not link them. -O0: the source's own branches. DPDK's
# __rte_always_inline functions (rte_ring_enqueue(), rte_eth_rx_burst()...)
# become calls (at -O0, always_inline spelled unused): their branches, such as the
# ring's switch on a sync mode that our ring has not, are DPDK's, not the
# line's that calls them. Atomic: lcores count at once. Reaches the checks' own builds of the lab (lab 02's doubles)
# by the environment, as SANITIZE=1 does.
COVERAGE_CFLAGS :=
ifeq ($(COVERAGE)$(filter tests,$(VARIANT)),1)
BUILD_DIR ?= $(TOP)/build/coverage/$(VARIANT)/$(LAB)
COVERAGE_CFLAGS := -O0 -Dalways_inline=unused --coverage -fprofile-update=atomic
LDLIBS += --coverage
endif
BUILD_DIR ?= $(TOP)/build/$(VARIANT)/$(LAB)

include $(TOP)/mk/dpdk.mk
include $(TOP)/mk/solutions.mk
include $(TOP)/mk/ccache.mk

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror
# As DPDK builds itself: a message used as a format string does not compile.
CFLAGS += -Wformat-nonliteral -Wformat-security
# __FILE__ from the top, as a student names it: a stub's "TODO N (FILE:LINE)".
CFLAGS += -fmacro-prefix-map=$(TOP)/=
# As upstream's examples: some helpers (checksum verification) are experimental.
CFLAGS += -DALLOW_EXPERIMENTAL_API
CFLAGS += $(DPDK_CFLAGS)
# The checks' own builds add theirs (a hybrid of the blame: -Wno-error).
CFLAGS += $(MPW_CFLAGS)
ifeq ($(SANITIZE),1)
# Every undefined behaviour fatal, as every memory error is; frame pointers
# for whole stack traces. In CFLAGS: they also link the runtimes, even when a
# check's build sets LDFLAGS (lab 02's --wrap).
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
LDLIBS += $(DPDK_LIBS)
# A DPDK outside the loader's paths (built from source, found through
# PKG_CONFIG_PATH): the programs find its libraries without LD_LIBRARY_PATH.
# An RPATH, not a RUNPATH: a RUNPATH serves only the program's own direct
# libraries, and librte_eal's own (kvargs, log, telemetry) would be missed.
ifeq ($(filter /usr/lib%,$(DPDK_LIBDIR)),)
LDLIBS += -Wl,--disable-new-dtags,-rpath,$(DPDK_LIBDIR)
endif

# V=1 shows the compiler's command lines.
Q := $(if $(filter 1,$(V)),,@)

# The start-up code every program shares (common/): clear EAL errors.
# Named ../../common where that is TOP's, from the lab's directory (a lab in
# its tree; a copy the suite makes in build/, beside a link to common/ made
# here): the compile lines of every copy are then the same, and ccache's hits
# (mk/ccache.mk) do not depend on where a copy lives. Elsewhere, and without
# ccache (gcov's names, whole as a report reads them), by TOP.
COMMON_NEAR := $(abspath $(SRC_DIR)/../../common)
ifneq ($(and $(CCACHE),$(filter $(TOP)/build/%,$(SRC_DIR))),)
ifeq ($(wildcard $(COMMON_NEAR)),)
$(shell ln -s $(TOP)/common $(COMMON_NEAR) 2>/dev/null)
endif
endif
COMMON_DIR := $(if $(and $(CCACHE),$(filter $(SRC_DIR),$(CURDIR)),$(filter $(realpath $(TOP)/common),$(realpath $(COMMON_NEAR)))),../../common,$(TOP)/common)
COMMON_SRCS := $(wildcard $(COMMON_DIR)/*.c)
CFLAGS += -I$(COMMON_DIR)

# EXTRA_SRCS: more sources (absolute paths) for every program, e.g. a test's
# wrapper of a DPDK function, linked with LDFLAGS=-Wl,--wrap=<function>.
EXTRA_SRCS ?=

BINS := $(addprefix $(BUILD_DIR)/,$(APPS))

.PHONY: all clean check no-dpdk
all: $(BINS)

# Said when building, not when reading this file: make reads it once more
# after it has asked pkg-config (mk/dpdk.mk).
ifeq ($(DPDK_LIBS),)
$(BINS): no-dpdk
no-dpdk:
	@echo 'DPDK not found by "$(PKGCONF) libdpdk": run scripts/install_deps.sh (Debian/Ubuntu) or install DPDK 22.11 or later and point PKG_CONFIG_PATH at its libdpdk.pc' >&2; exit 1
endif

# One object per source, so that a rebuild compiles only what changed (the
# mutation suite patches one file at a time). Each depends on every header
# of the lab and of common/.
OBJ_DIR := $(BUILD_DIR)/obj
HEADERS := $(wildcard $(SRC_DIR)/*.h $(COMMON_DIR)/*.h)
obj_of = $(addprefix $(OBJ_DIR)/,$(addsuffix .o,$(basename $(notdir $(1)))))
app_srcs = $(addprefix $(SRC_DIR)/,$($(1)-srcs)) $(COMMON_SRCS) $(EXTRA_SRCS)
ALL_SRCS := $(sort $(foreach app,$(APPS),$(call app_srcs,$(app))))

define obj_rule
$(call obj_of,$(1)): $(1) $(HEADERS) $(SRC_DIR)/Makefile $(TOP)/mk/lab.mk
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(CFLAGS) $(if $(filter $(EXTRA_SRCS),$(1)),,$$(COVERAGE_CFLAGS)) -c $(1) -o $$@
endef
$(foreach src,$(ALL_SRCS),$(eval $(call obj_rule,$(src))))

define app_rule
$(BUILD_DIR)/$(1): $(call obj_of,$(call app_srcs,$(1)))
	@echo "  CC      $$(patsubst $(TOP)/%,%,$$@)"
	$$(Q)$$(CC) $$(CFLAGS) $$^ -o $$@ $$(LDFLAGS) $$(LDLIBS)
endef
$(foreach app,$(APPS),$(eval $(call app_rule,$(app))))

# One check, the top Makefile's: this lab's, on this copy's variant.
check:
	@$(MAKE) --no-print-directory -C $(TOP) check LAB=$(LAB) $(if $(filter solutions,$(VARIANT)),SOLUTION=1)

clean:
	rm -f $(BINS)
	rm -rf $(OBJ_DIR)
