# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK's flags, from pkg-config, for mk/lab.mk, tools/Makefile and the top
# Makefile: asked once and kept in build/dpdk.mk, which make writes again
# when libdpdk.pc changes or PKG_CONFIG_PATH names another DPDK (make test
# runs some 400 makes: each ask costs a shell and a pkg-config).

PKGCONF ?= pkg-config
DPDK_MK := $(TOP)/build/dpdk.mk
-include $(DPDK_MK)
# Another PKG_CONFIG_PATH than the cached answer's, or no DPDK found: ask
# again, once (make reads its makefiles again after remaking one).
mpw_dpdk_stale := $(if $(MAKE_RESTARTS),,$(if $(filter $(MPW_DPDK_PKG_CONFIG_PATH)|found,$(PKG_CONFIG_PATH)|$(if $(MPW_DPDK_PC),found)),,mpw-dpdk-stale))
.PHONY: mpw-dpdk-stale
# Written aside, then renamed: makes at once each read a whole file. Not
# the default goal of the Makefile that includes this one.
mpw_default_goal := $(.DEFAULT_GOAL)
$(DPDK_MK): $(MPW_DPDK_PC) $(mpw_dpdk_stale)
	@mkdir -p $(@D)
	@{ echo 'MPW_DPDK_PKG_CONFIG_PATH := $(PKG_CONFIG_PATH)'; \
	  echo "MPW_DPDK_PC := $$($(PKGCONF) --path libdpdk 2>/dev/null)"; \
	  echo "MPW_DPDK_CFLAGS := $$($(PKGCONF) --cflags libdpdk 2>/dev/null)"; \
	  echo "MPW_DPDK_LIBS := $$($(PKGCONF) --libs libdpdk 2>/dev/null)"; \
	  echo "MPW_DPDK_LIBDIR := $$($(PKGCONF) --variable=libdir libdpdk 2>/dev/null)"; \
	} >$@.$$$$ && mv -f $@.$$$$ $@
.DEFAULT_GOAL := $(mpw_default_goal)

DPDK_CFLAGS := $(MPW_DPDK_CFLAGS)
DPDK_LIBS := $(MPW_DPDK_LIBS)
DPDK_LIBDIR := $(MPW_DPDK_LIBDIR)
