#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make test-docs-browser: open the built walkthroughs (build/docs/html, from
# `make docs`) in headless Chromium, straight from file:// (no server): the
# main page and a lab page must render their title and show a diagram that
# Graphviz made. Screenshots go to build/docs/screenshots/ for a human to
# look at. Skipped, exit 0, when /usr/bin/chromium is not installed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
HTML=$TOP/build/docs/html
SHOTS=$TOP/build/docs/screenshots
CHROMIUM=/usr/bin/chromium
faults=0

fault() { echo "FAIL  $*"; faults=$((faults + 1)); }
ok() { echo "ok    $*"; }

if [ ! -x "$CHROMIUM" ]; then
	echo "skipped: $CHROMIUM is not installed (apt-get install chromium)"
	exit 0
fi
[ -f "$HTML/index.html" ] || { echo "FAIL  no $HTML/index.html: run 'make docs' first"; exit 1; }

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
mkdir -p "$SHOTS"

# chromium ARGS...: headless, no network of its own, a throw-away profile.
chromium() {
	timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$PROFILE" "$@"
}

# png_size FILE: "WIDTHxHEIGHT" from a PNG's header, or nothing.
png_size() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || return 0
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n", $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }'
}

# check_page FILE TITLE: FILE (in build/docs/html) renders TITLE and an
# image of a Graphviz diagram that exists.
check_page() {
	local file=$1 title=$2 name=${1%.html} dom log img size
	dom=$SHOTS/$name.dom.html
	log=$SHOTS/$name.chromium.log
	rm -f "$SHOTS/$name.png"
	# One start for both: the DOM once loaded, then the screenshot.
	if ! chromium --dump-dom --screenshot="$SHOTS/$name.png" --window-size=1280,2000 \
			"file://$HTML/$file" >"$dom" 2>"$log"; then
		fault "$file: chromium --dump-dom --screenshot failed (see ${log#"$TOP"/})"
		return
	fi
	if ! grep -qF "<div class=\"title\">$title" "$dom"; then
		fault "$file: the rendered page has no title '$title' (DOM in ${dom#"$TOP"/})"
		return
	fi
	img=$(grep -oE '<(img|object)[^>]*(src|data)="dot_[^"]*\.(png|svg)"' "$dom" | head -n 1 |
		grep -oE 'dot_[^"]*\.(png|svg)')
	if [ -z "$img" ]; then
		fault "$file: no <img> or <object> of a generated diagram (dot_*.png|svg) in the rendered page"
		return
	fi
	[ -s "$HTML/$img" ] || { fault "$file: the diagram $img is missing or empty"; return; }
	size=$(png_size "$SHOTS/$name.png")
	if [ "$size" != 1280x2000 ]; then
		fault "$file: the screenshot is not a 1280x2000 PNG (${size:-not a PNG})"
		return
	fi
	ok "$file: title '$title', diagram $img, screenshot ${SHOTS#"$TOP"/}/$name.png"
}

echo "== the walkthroughs in headless Chromium ($("$CHROMIUM" --version 2>/dev/null | head -n 1))"
check_page index.html "DPDK multi-process workbook"
lab_page=$(grep -lF '<div class="title">Lab 02:' "$HTML"/*.html | head -n 1)
if [ -n "$lab_page" ]; then
	check_page "${lab_page##*/}" "Lab 02: symmetric_mp"
else
	fault "no page titled 'Lab 02: ...' in $HTML"
fi
if [ $faults = 0 ]; then
	echo "== docs in a browser: every check passed"
	exit 0
fi
echo "== docs in a browser: $faults check(s) failed"
exit 1
