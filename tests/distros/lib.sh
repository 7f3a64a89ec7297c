#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Minimal Debian chroots, as a newcomer's machine: built with debootstrap,
# cached as tarballs, entered in private mount and PID namespaces so that
# every mount and process made inside goes when the run ends.
# Sourced by tests/distros/run.sh.

DISTRO_CACHE=${DISTRO_CACHE:-/var/cache/mpw-distros}
# A cached chroot older than this is built again, to follow the archive.
DISTRO_MAX_AGE_DAYS=${DISTRO_MAX_AGE_DAYS:-7}

# distro_version NAME: what the distribution is, for the tables.
distro_version() {
	case $1 in
	bookworm) echo "Debian 12" ;;
	trixie) echo "Debian 13" ;;
	forky) echo "Debian testing" ;;
	*) return 1 ;;
	esac
}

# distro_mirror: the Debian archive this host's own apt uses (deb822 or
# one-line sources), so that the chroots reach what the host reaches;
# DISTRO_MIRROR when set.
distro_mirror() {
	local url=${DISTRO_MIRROR:-}
	[ -n "$url" ] || url=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' |
		grep -m1 '/debian/\?$')
	[ -n "$url" ] || url=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -v security |
		grep -m1 '/debian/\?$')
	[ -n "$url" ] || { echo "distros: no Debian archive in this host's apt sources" >&2; return 1; }
	echo "${url%/}"
}

# distro_tarball NAME: the cached chroot of NAME (minbase and git, as a new
# user's machine has), built when missing or too old. Prints its path.
distro_tarball() {
	local name=$1 tarball script="" root mirror
	tarball=$DISTRO_CACHE/$name.tar
	if [ -s "$tarball" ] && [ -z "$(find "$tarball" -mtime +"$DISTRO_MAX_AGE_DAYS")" ]; then
		echo "$tarball"
		return 0
	fi
	command -v debootstrap >/dev/null || {
		echo "distros: debootstrap is missing: apt-get install debootstrap" >&2
		return 1
	}
	mirror=$(distro_mirror) || return 1
	# A debootstrap older than the release has no script for it: sid's serves.
	[ -e "/usr/share/debootstrap/scripts/$name" ] || script=/usr/share/debootstrap/scripts/sid
	mkdir -p "$DISTRO_CACHE"
	root=$(mktemp -d "$DISTRO_CACHE/build-$name.XXXXXX")
	echo "distros: building the $name chroot from $mirror (about a minute)" >&2
	# debootstrap mounts /proc and /sys in the target: keep them off the host.
	if ! unshare -m sh -c 'mount --make-rprivate / && exec "$@"' sh \
		debootstrap --variant=minbase --include=git,ca-certificates \
		"$name" "$root" "$mirror" $script >"$root.log" 2>&1; then
		echo "distros: debootstrap $name failed; its log: $root.log" >&2
		rm -rf --one-file-system "$root"
		return 1
	fi
	# mktemp made it 0700: as the chroot's /, nobody but root could read it.
	chmod 755 "$root"
	# The testing suite's Release can be past its Valid-Until here.
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99mpw-valid-until"
	tar -C "$root" -cf "$tarball.new" . && mv "$tarball.new" "$tarball"
	rm -rf --one-file-system "$root" "$root.log"
	[ -s "$tarball" ] && echo "$tarball"
}
