# SPDX-License-Identifier: BSD-3-Clause
#
# DPDK's flags, from pkg-config, for mk/lab.mk, tools/Makefile and the top
# Makefile. Asked once (:=) and passed on in the environment (MPW_DPDK_*) to
# the makes below, and to those of the scripts they run: each ask costs a
# shell and a pkg-config, and make test runs some 360 makes.

PKGCONF ?= pkg-config
ifeq ($(MPW_DPDK_LIBS),)
MPW_DPDK_CFLAGS := $(shell $(PKGCONF) --cflags libdpdk 2>/dev/null)
MPW_DPDK_LIBS := $(shell $(PKGCONF) --libs libdpdk 2>/dev/null)
MPW_DPDK_LIBDIR := $(shell $(PKGCONF) --variable=libdir libdpdk 2>/dev/null)
endif
export MPW_DPDK_CFLAGS MPW_DPDK_LIBS MPW_DPDK_LIBDIR

DPDK_CFLAGS := $(MPW_DPDK_CFLAGS)
DPDK_LIBS := $(MPW_DPDK_LIBS)
DPDK_LIBDIR := $(MPW_DPDK_LIBDIR)
