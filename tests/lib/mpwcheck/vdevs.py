# SPDX-License-Identifier: BSD-3-Clause
"""Traffic (tools/gen_traffic's files and figures) and the net_pcap vdevs
that read it, for what starts the labs' programs outside their own checks:
the fault matrix (tests/faults) and the flakes (tests/flakes). The demos'
bash twin: scripts/lib/pcap_vdevs.sh."""

import os
import subprocess


def figures(directory):
    """gen_traffic's figures in DIRECTORY: {(port, queue): {name: count}}."""
    found = {}
    with open(os.path.join(directory, "expected.txt")) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "port" and w[2] == "queue":
                found[int(w[1]), int(w[3])] = {w[i]: int(w[i + 1]) for i in range(4, len(w) - 1, 2)}
    return found


class Traffic:
    """gen_traffic's files in DIRECTORY for PORTS ports of QUEUES RX queues,
    and its figures (expected.txt: "port P queue Q frames N good N bad_ip N
    bad_l4 N"). FRAMES and ODD: gen_traffic's, when given."""

    def __init__(self, tools, directory, ports=2, queues=1, frames=None, odd=None):
        self.dir = directory
        more = [*(["--frames", str(frames)] if frames is not None else []),
                *(["--odd", str(odd)] if odd is not None else [])]
        subprocess.run([os.path.join(tools, "gen_traffic"), "--out", directory, "--ports", str(ports),
                        "--queues", str(queues), *more], check=True, stdout=subprocess.DEVNULL, timeout=60)
        self.figures = figures(directory)

    def field(self, port, queue, name):
        return self.figures[port, queue][name]

    def stats(self, queue):
        """What the symmetric_mp process polling QUEUE must print."""
        f = self.field
        return [f"Port 0: RX - {f(0, queue, 'frames')}, TX - {f(1, queue, 'good')}, Drop - 0",
                f"Port 1: RX - {f(1, queue, 'frames')}, TX - {f(0, queue, 'good')}, Drop - 0",
                f"Port 0: Bad IP checksum - {f(0, queue, 'bad_ip')}, Bad L4 checksum - {f(0, queue, 'bad_l4')}",
                f"Port 1: Bad IP checksum - {f(1, queue, 'bad_ip')}, Bad L4 checksum - {f(1, queue, 'bad_l4')}"]


def link(target, name):
    if os.path.lexists(name):
        os.unlink(name)
    os.symlink(target, name)


def pcap_vdevs(traffic_dir, directory, n, tx):
    """Short links in DIRECTORY for N queues of ports 0 and 1, and the --vdev
    options. A secondary re-parses at most 63 characters of each, hence
    one-letter names, relative to DIRECTORY. TX "file" keeps what is sent
    (one process only: a secondary truncates tx files); "null" discards."""
    os.makedirs(directory, exist_ok=True)
    letters = iter("abcdefghijklmnop")
    vdevs = []
    for p in range(2):
        args = ""
        for q in range(n):
            name = next(letters)
            link(os.path.join(traffic_dir, f"p{p}q{q}.pcap"), os.path.join(directory, name))
            args += f",rx_pcap={name}"
        for q in range(n):
            name = next(letters)
            if tx == "file":
                if os.path.lexists(os.path.join(directory, name)):
                    os.unlink(os.path.join(directory, name))
            else:
                link("/dev/null", os.path.join(directory, name))
            args += f",tx_pcap={name}"
        vdevs.append(f"--vdev=net_pcap{p}{args}")
    return vdevs


def server_vdevs(traffic_dir, directory, n):
    """Links in DIRECTORY and the --vdev options of lab 03's two net_pcap
    ports: one RX file each (p<P>q0.pcap, traffic of one queue) and N TX
    queues, one per client, each a sink (a client is a secondary: it
    re-opens, and would truncate, a real TX file)."""
    os.makedirs(directory, exist_ok=True)
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    vdevs = []
    for p in range(2):
        name = next(letters)
        link(os.path.join(traffic_dir, f"p{p}q0.pcap"), os.path.join(directory, name))
        args = f",rx_pcap={name}"
        for _ in range(n):
            name = next(letters)
            link("/dev/null", os.path.join(directory, name))
            args += f",tx_pcap={name}"
        vdevs.append(f"--vdev=net_pcap{p}{args}")
    return vdevs


def printed_stats(p):
    """The statistics a symmetric_mp process P printed as it stopped:
    upstream's line, and ours for the checksums."""
    return [line for line in p.text().splitlines()
            if line.startswith("Port ") and (": RX - " in line or ": Bad IP" in line)]


def server_figures(p):
    """The final statistics an mp_server P printed, one line per port and
    per client: "port P rx R tx T", "client C rx R rx_drop D tx T tx_drop X
    dequeued Q"."""
    text = p.text()
    if "Final statistics" not in text:
        return []
    out, client = [], {}
    for line in text[text.index("Final statistics"):].splitlines():
        w = line.replace(",", "").split()
        if line.startswith("Port ") and len(w) > 6 and w[2] == "-" and w[3] == "rx:":
            out.append(f"port {w[1]} rx {w[4]} tx {w[6]}")
        elif line.startswith("Client ") and "rx_drop:" in w:
            client = {"c": w[1], "rx": w[4], "drop": w[6]}
        elif w[:1] == ["tx:"] and "tx_drop:" in w:
            client.update(tx=w[1], txd=w[3])
        elif w[:1] == ["dequeued:"] and client:
            out.append(f"client {client['c']} rx {client['rx']} rx_drop {client['drop']} tx {client.get('tx')} "
                       f"tx_drop {client.get('txd')} dequeued {w[1]}")
    return out
