#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# hw_selftest.sh LAB solutions|labs: the hardware mode of LAB's check
# (make check PORTS=..., tests/NN/test_hw_*.py) run for real, on ports that
# behave like NICs fed from outside. In a network namespace of its own:
#   lab 02: two net_tap ports (multi-queue taps: the kernel spreads the flows
#           over the queues, as RSS would);
#   lab 03: two net_pcap ports on veths (rx_iface_in, tx_iface).
# Traffic of many flows is injected from the kernel side (tools/pcap_inject)
# for as long as the check runs, so the program cannot know the figures.
# The solution must pass; the skeleton must fail, naming a TODO.
# HW_ROOT: where its files go (build/hw_selftest).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
lab=${1:-}
variant=${2:-}
case $lab in
02_symmetric_mp|03_client_server) ;;
*) echo "usage: $0 02_symmetric_mp|03_client_server solutions|labs" >&2; exit 2 ;;
esac
case $variant in solutions|labs) ;; *) echo "usage: $0 LAB solutions|labs" >&2; exit 2 ;; esac

WORK=${HW_ROOT:-$TOP/build/hw_selftest}/$variant/$lab
rm -rf "$WORK"
mkdir -p "$WORK"
TOOLS=$TOP/build/tools
NS=mpwhw$$
INJECTOR=
cleanup() {
	[ -z "$INJECTOR" ] || kill "$INJECTOR" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The skeleton as the generator makes it: labs/ may hold a student's work.
if [ "$variant" = labs ]; then
	src=$TOP/build/pristine/$lab
	bin=$TOP/build/pristine/bin/$lab
	"$TOP/scripts/gen_skeletons.sh" --into "$TOP/build/pristine" "$lab" || exit 2
else
	src=$TOP/solutions/$lab
	bin=$TOP/build/solutions/$lab
fi
make -s -C "$TOP/tools" >/dev/null && make -s -C "$src" TOP="$TOP" BUILD_DIR="$bin" >/dev/null || exit 2
"$TOOLS/gen_traffic" --out "$WORK/traffic" --ports 2 --queues 1 --frames 2000 >/dev/null || exit 2
ip netns add "$NS" || exit 2
in_ns() { ip netns exec "$NS" "$@"; }
# No IPv6: the kernel would send frames of its own.
in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1

if [ "$lab" = 02_symmetric_mp ]; then
	ports="--vdev=net_tap0,iface=hwa --vdev=net_tap1,iface=hwb"
	into=(hwa hwb)	# created by the program, inside the namespace
else
	for pair in a b; do
		in_ns ip link add "${pair}0" type veth peer name "${pair}1" || exit 2
		in_ns ip link set "${pair}0" up && in_ns ip link set "${pair}1" up || exit 2
	done
	# One TX queue per client; only what arrives is received, not what leaves.
	ports="--vdev=net_pcap0,rx_iface_in=a0,tx_iface=a0,tx_iface=a0 --vdev=net_pcap1,rx_iface_in=b0,tx_iface=b0,tx_iface=b0"
	into=(a1 b1)
fi

# inject: once the interfaces are up, send the traffic into them, over and
# over, until killed.
inject() {
	local p
	for _ in $(seq 400); do
		in_ns ip link show "${into[1]}" 2>/dev/null | grep -q ',UP' && break
		sleep 0.05
	done
	while :; do
		for p in 0 1; do
			in_ns "$TOOLS/pcap_inject" "${into[p]}" "$WORK/traffic/p${p}q0.pcap" >>"$WORK/inject.log" 2>&1 ||
				sleep 0.05
		done
	done
}
inject &
INJECTOR=$!

# shellcheck disable=SC2086 # ports is a list of words
in_ns env PORTS="$ports" DURATION=${DURATION:-3} H_CHECK_ROOT="$WORK" \
	"$TOP/tests/run_check.sh" "$lab" "$bin" "$src" >"$WORK/check.log" 2>&1
status=$?
cat "$WORK/check.log"
if [ "$variant" = solutions ]; then
	[ $status = 0 ]
else
	[ $status != 0 ] && grep -qE "look at: +TODO [0-9]+ in build/pristine/$lab/" "$WORK/check.log"
fi
