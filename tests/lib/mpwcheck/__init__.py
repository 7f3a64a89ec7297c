# SPDX-License-Identifier: BSD-3-Clause
"""The lab checks' own library on pytest: DPDK processes (procs), telemetry,
verdicts (expect, fail and the TODOs they blame) and the report (plugin)."""
