#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The walkthroughs (docs/*.md, built by `make docs`):
#   1. Doxygen builds them with no warning at all;
#   2. every \snippet names a marker pair "/* [name] */" in its solution file,
#      every marker pair is quoted by some page, every \dotfile exists;
#   3. every link and image of build/docs/html leads to a file (and anchor)
#      that exists: linkchecker, local files only, when it is installed;
#      else a small checker of the href= and src= targets;
#   4. no TODO's code shows unfolded, and no source page of the solutions
#      exists (tests/docs_spoilers.py): the student's docs give nothing away.
# Exit 0 when all hold, 1 otherwise, naming each fault.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
HTML=build/docs/html
SNIPPET_DIR=solutions       # EXAMPLE_PATH of docs/Doxyfile
DOT_DIR=docs/diagrams       # DOTFILE_DIRS of docs/Doxyfile
faults=0

fault() { echo "FAIL  $*"; faults=$((faults + 1)); }
ok() { echo "ok    $*"; }
indent() { sed 's/^/      | /'; }

# 1. The build: make docs fails on the first warning (WARN_AS_ERROR).
build_docs() {
	local out
	rm -rf build/docs
	if ! out=$(make --no-print-directory docs 2>&1); then
		fault "make docs failed (Doxygen warnings are errors):"
		indent <<<"$out"
		return 1
	fi
	if grep -qi 'warning' <<<"$out"; then
		fault "make docs printed warnings:"
		grep -i 'warning' <<<"$out" | indent
		return 1
	fi
	[ -f "$HTML/index.html" ] || { fault "make docs made no $HTML/index.html"; return 1; }
	ok "make docs: no Doxygen warning ($(find "$HTML" -name '*.html' | wc -l) pages)"
}

# marker_lines FILE NAME: the lines of FILE that hold "[NAME]".
marker_lines() { grep -nF -- "[$2]" "$1"; }

# 2. Snippets and diagrams against the sources.
check_snippets() {
	local page line rest file name count first last used=" " before=$faults marker
	while IFS=: read -r page line rest; do
		# rest: \snippet or \snippet{lineno} FILE NAME
		read -r _ file name _ <<<"$rest"
		if [ -z "$name" ]; then
			fault "$page:$line: \\snippet needs a file and a block name: '$rest'"
			continue
		fi
		used+="$file:$name "
		if [ ! -f "$SNIPPET_DIR/$file" ]; then
			fault "$page:$line: \\snippet names $SNIPPET_DIR/$file, which does not exist"
			continue
		fi
		count=$(marker_lines "$SNIPPET_DIR/$file" "$name" | wc -l)
		if [ "$count" != 2 ]; then
			fault "$page:$line: \\snippet $file $name: $count lines of $SNIPPET_DIR/$file hold [$name], expected a pair of /* [$name] */"
			continue
		fi
		if marker_lines "$SNIPPET_DIR/$file" "$name" | grep -vqE ":[[:space:]]*/\\* \\[$name\\] \\*/[[:space:]]*$"; then
			fault "$page:$line: [$name] in $SNIPPET_DIR/$file is not alone on a comment line /* [$name] */"
			continue
		fi
		read -r first last < <(marker_lines "$SNIPPET_DIR/$file" "$name" | cut -d: -f1 | paste -sd' ')
		[ "$last" -gt $((first + 1)) ] ||
			fault "$page:$line: the pair [$name] in $SNIPPET_DIR/$file encloses no code"
	done < <(grep -Hn '\\snippet' docs/*.md)

	# Every marker pair in the solutions is quoted somewhere.
	while IFS=: read -r file marker; do
		file=${file#"$SNIPPET_DIR"/}
		[[ "$used" == *" $file:$marker "* ]] ||
			fault "$SNIPPET_DIR/$file: the marker pair [$marker] is quoted by no page of docs/"
	done < <(grep -oE '/\* \[[A-Za-z0-9_]+\] \*/' -r "$SNIPPET_DIR" --include='*.[ch]' |
		sed -E 's|/\* \[([A-Za-z0-9_]+)\] \*/|\1|' | sort -u)

	while IFS=: read -r page line rest; do
		read -r _ file _ <<<"$rest"
		[ -f "$DOT_DIR/$file" ] || fault "$page:$line: \\dotfile $file is not in $DOT_DIR"
	done < <(grep -Hn '\\dotfile' docs/*.md)

	[ $faults = "$before" ] &&
		ok "every \\snippet has its marker pair, every marker pair is quoted, every \\dotfile exists ($(grep -c '\\snippet' docs/*.md | awk -F: '{ s += $2 } END { print s }') snippets)"
}

# 3a. linkchecker, local files only. As root it drops to user nobody, so
# it reads a world-readable copy of the pages.
links_linkchecker() {
	local copy out config
	copy=$(mktemp -d)
	config=$copy.ini
	cp -r "$HTML" "$copy/html"
	chmod -R a+rX "$copy"
	printf '[AnchorCheck]\n' >"$config"
	chmod a+r "$config"
	# Doxygen's own index pages of globals are checked as targets, not as
	# sources: from 1.9.8 its globals_enum/eval pages link to an "#index_s"
	# they lack, a Doxygen bug in pages that are none of ours.
	out=$(cd "$copy/html" && find . -maxdepth 1 -name '*.html' ! -name 'globals_*' -print0 |
		xargs -0 linkchecker -f "$config" --no-robots --no-status -r 1 -t 1 2>/dev/null)
	local status=$?
	rm -rf "$copy" "$config"
	if [ $status != 0 ] || ! grep -qE ' 0 warnings found.* 0 errors found' <<<"$out"; then
		fault "linkchecker found broken links in $HTML:"
		grep -E '^(URL|Parent URL|Warning|Result)' <<<"$out" | grep -vE '^Result +Valid' |
			sed "s|file://$copy/html/||; s|$copy/html/||" | indent | head -n 60
		grep -E 'links in .* URLs checked' <<<"$out" | indent
		return 1
	fi
	ok "linkchecker: $(grep -oE '[0-9]+ links in [0-9]+ URLs checked' <<<"$out"), no broken link or anchor"
}

# 3b. Without linkchecker: every href= and src= that is not a URL must name
# a file of the directory and, after '#', an id= or name= in that file.
links_awk() {
	local out
	out=$(cd "$HTML" && awk '
		NR == FNR { exists[$0] = 1; next }
		FNR == 1 { file = FILENAME; sub(/^\.\//, "", file) }
		{
			line = $0
			while (match(line, /(id|name)="[^"]*"/)) {
				v = substr(line, RSTART, RLENGTH)
				sub(/^[a-z]+="/, "", v); sub(/"$/, "", v)
				anchor[file "#" v] = 1
				line = substr(line, RSTART + RLENGTH)
			}
			line = $0
			while (match(line, /(href|src)="[^"]*"/)) {
				v = substr(line, RSTART, RLENGTH)
				sub(/^[a-z]+="/, "", v); sub(/"$/, "", v)
				if (v !~ /^[a-z]+:/) link[++n] = file ":" FNR ": " v
				line = substr(line, RSTART + RLENGTH)
			}
		}
		END {
			for (i = 1; i <= n; i++) {
				where = link[i]; sub(/: [^ ]*$/, "", where)
				target = link[i]; sub(/^[^ ]* /, "", target)
				frag = ""
				if (index(target, "#")) {
					frag = substr(target, index(target, "#") + 1)
					target = substr(target, 1, index(target, "#") - 1)
				}
				if (target == "") { target = where; sub(/:.*/, "", target) }
				sub(/^\.\//, "", target)
				if (!(target in exists)) print where ": no file " target
				else if (frag != "" && target ~ /\.html$/ && !((target "#" frag) in anchor))
					print where ": no anchor #" frag " in " target
			}
			print n " links checked" > "/dev/stderr"
		}' <(find . -type f | sed 's|^\./||') ./*.html 2>"$TOP/build/docs/links.count")
	if [ -n "$out" ]; then
		fault "broken links in $HTML:"
		indent <<<"$out" | head -n 60
		return 1
	fi
	ok "links (linkchecker not installed, checked with awk): $(cat "$TOP/build/docs/links.count"), none broken"
}

echo "== the walkthroughs: docs/*.md built into $HTML"
if build_docs; then
	check_snippets
	if command -v linkchecker >/dev/null; then
		links_linkchecker
	else
		links_awk
	fi
	if out=$(tests/docs_spoilers.py "$HTML" 2>&1); then
		ok "$out"
	else
		fault "the student's docs give a solution away:"
		indent <<<"$out"
	fi
else
	check_snippets
	echo "      (links not checked: no HTML)"
fi
# The places that the README and the main page show, as the generator makes
# the skeleton (labs/ may hold a student's work): "TODO N in FILE:LINE" is
# that TODO's comment, "TODO N (FILE:LINE) is not done yet" its stub's line.
places_shown() {
	local doc line file n text bad=0 skeleton=build/docs_places
	scripts/gen_skeletons.sh --into "$skeleton" >/dev/null || { fault "cannot generate the skeletons"; return; }
	for doc in README.md docs/mainpage.md; do
		while read -r n file line; do
			text=$(sed -n "${line}p" "$skeleton/${file#labs/}" 2>/dev/null)
			[[ $text == *"TODO $n:"* || $text == *"MPW_TODO_NOT_DONE($n)"* ]] && continue
			fault "$doc shows TODO $n at $file:$line, where the skeleton has: ${text:-no such line}"
			bad=1
		done < <(grep -oE 'TODO [0-9]+ (in |\()labs/[^:]+:[0-9]+' "$doc" | sed -E 's/TODO ([0-9]+) (in |\()([^:]+):([0-9]+)/\1 \3 \4/')
	done
	[ $bad = 1 ] || ok "the places that README.md and docs/mainpage.md show are the skeleton's"
}
places_shown
if [ $faults = 0 ]; then
	echo "== docs: every check passed"
	exit 0
fi
echo "== docs: $faults check(s) failed"
exit 1
