#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# run_check.sh LAB BIN_DIR SRC_DIR [LAB BIN_DIR SRC_DIR]...: the checks of
# each LAB (tests/LAB/test_*.py, on pytest) on the programs in BIN_DIR, built
# from SRC_DIR (a lab, a solution, or a mutant of the TODO tests), in one run.
# LAB@COPY@CHECK: a copy of LAB (a mutant), checked by CHECK alone; several
# copies of one lab run one after the other, their logs in H_CHECK_ROOT/COPY.
#
#   ONLY=TEXT      only the checks whose names contain TEXT
#   V=1            a failure also shows the check's traceback
#   H_CHECK_ROOT   where logs (H_CHECK_ROOT/<variant>/LAB) and the results
#                  (results.json, junit.xml) go: build/check by default
#   PORTS="..."    real ports: each lab's test_hw_*.py instead, where it has one
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 3 ] || [ $(($# % 3)) != 0 ]; then
	echo "usage: $0 LAB BIN_DIR SRC_DIR [LAB BIN_DIR SRC_DIR]..." >&2
	exit 2
fi
WORK=${H_CHECK_ROOT:-$TOP/build/check}
args=()
files=()
while [ $# -gt 0 ]; do
	# LAB, or LAB@COPY@CHECK: copy COPY of LAB, checked by CHECK alone.
	IFS=@ read -r lab copy check <<<"$1"
	# The vdev checks, or with PORTS the hardware ones where the lab has them.
	mapfile -t tests < <(find "$TOP/tests/$lab" -maxdepth 1 -name 'test_*.py' ! -name 'test_hw_*' | sort)
	if [ -n "${PORTS:-}" ] && compgen -G "$TOP/tests/$lab/test_hw_*.py" >/dev/null; then
		mapfile -t tests < <(find "$TOP/tests/$lab" -maxdepth 1 -name 'test_hw_*.py' | sort)
	fi
	[ ${#tests[@]} -gt 0 ] || { echo "run_check: no check for lab '$lab' (tests/$lab/test_*.py)" >&2; exit 2; }
	bin=$(cd "$2" && pwd) || exit 2
	src=$(cd "$3" && pwd) || exit 2
	shift 3
	if [ -n "$copy" ]; then
		args+=(--copy "$copy:$check:$lab:$bin:$src")
	else
		args+=(--lab "$lab:$bin:$src")
	fi
	# Each lab's files once, whatever its copies.
	[[ " ${files[*]} " == *" ${tests[0]} "* ]] || files+=("${tests[@]}")
done

# Debian's pytest (python3-pytest): pytest-3, or its module under Debian's python3.
# (Asking it its version took a quarter of a second, each check run.)
if command -v pytest-3 >/dev/null; then
	pytest=(pytest-3)
elif /usr/bin/python3 -c 'import pytest' 2>/dev/null; then
	pytest=(/usr/bin/python3 -m pytest)
else
	echo "error: pytest is not installed: run scripts/install_deps.sh" >&2
	exit 2
fi
mkdir -p "$WORK"
# Never a previous run's results for this one's (a run refused at its start writes none).
rm -f "$WORK/results.json" "$WORK/junit.xml"
# On vdevs, DPDK loads only their drivers (tests/lib/vdev_drivers.sh); real
# ports need their NICs'.
drivers=()
[ -n "${PORTS:-}" ] || drivers=("$TOP/tests/lib/vdev_drivers.sh")
# No pytest report of its own: the plugin prints the student's.
PYTHONPATH=$TOP/tests/lib${PYTHONPATH:+:$PYTHONPATH} PYTHONDONTWRITEBYTECODE=1 \
	"${drivers[@]}" "${pytest[@]}" -c "$TOP/tests/pytest.ini" --rootdir "$TOP/tests" -p mpwcheck.plugin -p no:cacheprovider \
	-s --junitxml="$WORK/junit.xml" --work "$WORK" "${args[@]}" --only "${ONLY:-}" --ports "${PORTS:-}" "${files[@]}"
rc=$?
exit $rc
