#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Install what the workbook needs, where it is missing. On Debian and Ubuntu
# it uses apt-get (root); elsewhere it lists what to install.
set -euo pipefail

# Debian/Ubuntu package names, and what each one is for.
PACKAGES=(
	dpdk            # the DPDK libraries and drivers (22.11 on Debian 12, 24.11 on 13, 25.11 on testing; 23.11 on Ubuntu 24.04)
	libdpdk-dev     # headers and libdpdk.pc for pkg-config
	dpdk-doc        # the upstream examples our labs are compared with
	pkg-config make gcc libc6-dev
	libpcap-dev     # pcap files, the traffic of labs 02 and 03
	doxygen graphviz  # the walkthroughs (make docs)
	linkchecker     # tests/docs_test.sh checks the walkthroughs' links
	shellcheck      # make test lints every script
	cppcheck clang-tidy  # make test analyses the solutions (tests/static_analysis.sh)
	# ASan's and UBSan's runtimes (tests/sanitize_test.sh) come with gcc.
	python3-pytest python3-pytest-timeout  # the lab checks (tests/run_check.sh), from Debian, not pip
	python3-pytest-xdist  # make test runs its rows on pytest-xdist's workers (tests/suite/)
	ccache          # the suite's hundred copies of the labs compile only what differs (mk/ccache.mk)
	patch           # make test applies the kit's mutants (tests/mutants/) to the solutions
	procps          # pgrep: the checks look for leftover processes
	iproute2        # ip netns: lab 02 runs net_tap ports in a namespace of its own
	debootstrap     # make test also runs the labs in fresh chroots of other Debian releases
	gcovr           # make coverage: the solutions' branches that the checks take
)
# Wanted, not required: installed along with the others where the
# distribution has them (Ubuntu ships Chromium as a snap instead).
OPTIONAL=(
	chromium        # make test-docs-browser opens the walkthroughs in it
)

say() { echo "install_deps: $*"; }

# missing_packages [NAME...]: those of NAMEs (default: PACKAGES) not installed.
missing_packages() {
	local p
	[ $# -gt 0 ] || set -- "${PACKAGES[@]}"
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			echo "$p"
	done
}

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
	say "this is not Debian or Ubuntu: install by hand DPDK 22.11 or later with its"
	say "pkg-config file (libdpdk.pc), GNU Make, a C11 compiler, libpcap, Doxygen,"
	say "Graphviz, LinkChecker, Chromium, ShellCheck, cppcheck and clang-tidy, and the"
	say "compiler's ASan and UBSan runtimes; then 'pkg-config --modversion libdpdk' must work."
	exit 1
fi

mapfile -t missing < <(missing_packages)
mapfile -t optional < <(missing_packages "${OPTIONAL[@]}")
if [ ${#missing[@]} = 0 ]; then
	say "every package is installed"
	[ ${#optional[@]} = 0 ] || say "optional, not installed: ${optional[*]} (make test-docs-browser is skipped without it)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	say "missing: ${missing[*]}; installing them needs root: run 'sudo $0'"
	exit 1
fi
say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
say "installed: ${missing[*]}"
for p in "${optional[@]}"; do
	apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
		say "optional $p is not available here: make test-docs-browser will be skipped"
done
pkg-config --modversion libdpdk >/dev/null ||
	{ say "DPDK is installed but pkg-config cannot find libdpdk"; exit 1; }
