# SPDX-License-Identifier: BSD-3-Clause
"""A network namespace of a check's own, for root and for a student
without root alike: a holder process that unshare(1) starts in a new
network namespace (and, when not root, in a user namespace of its own
whose root is this user, so that it may make taps and send raw frames
there), entered with nsenter(1). Nothing of it is named on the machine,
and it goes with its holder."""

import contextlib
import os
import subprocess
import time

from . import prefixes


class Netns:
    def __init__(self, holder, user):
        self.holder = holder
        self.user = user

    def argv(self, *argv):
        """ARGV run inside. In a user namespace a DPDK program is root there,
        and would take /var/run for its runtime directory: it is told this
        user's (RUNTIME_DIRECTORY), so that the checks find its files."""
        enter = ["nsenter", "-t", str(self.holder.pid), "-n"]
        if not self.user:
            return [*enter, *argv]
        return [*enter, "-U", "--preserve-credentials",
                "env", f"RUNTIME_DIRECTORY={os.path.dirname(prefixes.runtime_root())}", *argv]

    def run(self, *argv, timeout=30):
        return subprocess.run(self.argv(*argv), capture_output=True, text=True, check=False, timeout=timeout)


@contextlib.contextmanager
def holder(options, kind):
    """A process (sleep) in new namespaces (unshare OPTIONS), once its KIND
    namespace ("net", "mnt") is no longer ours: yields it, or the reason why
    none could be made (a str). Killed and waited for at the end."""
    proc = subprocess.Popen(["unshare", *options, "sleep", "600"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        ours, inside = os.readlink(f"/proc/self/ns/{kind}"), False
        deadline = time.monotonic() + 5
        while not inside and proc.poll() is None and time.monotonic() < deadline:
            try:
                inside = os.readlink(f"/proc/{proc.pid}/ns/{kind}") != ours
            except OSError:
                pass
            time.sleep(0.01)
        if not inside:
            proc.kill()
            why = proc.communicate()[1].decode(errors="replace").strip()[-200:]
            yield f"unshare {options[0]}: {why or 'no namespace'}"
            return
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


@contextlib.contextmanager
def private():
    """Yields a Netns, or the reason why none could be made (a str)."""
    user = os.getuid() != 0
    with holder(["--net", *(["--user", "--map-root-user"] if user else [])], "net") as proc:
        yield proc if isinstance(proc, str) else Netns(proc, user)
