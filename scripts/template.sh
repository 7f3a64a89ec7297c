#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# template.sh DIR (make template DIR=...): the students' repository of a
# graded class, to push as a GitHub Classroom template: DIR, new or empty,
# becomes a git repository of its own with one commit. It holds what a
# student works with: the skeletons in labs/ (as the generator makes them,
# never this tree's labs/), each lab's checks and their library, the hints,
# the walkthroughs, common/, mk/, tools/, the scripts a student runs, and
# the autograding workflow as .github/workflows/grade.yml. It holds no
# solutions/, no mutants and none of the suite's rows. In the walkthroughs
# each folded solution becomes a line (template/docs.awk); the README keeps
# the student's part (template/readme.sed). Last, template/scan.py proves
# that no file holds a line of a TODO's code that the skeletons lack: if
# one does, nothing is written. DIR is written only once all this passed.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
HERE=$TOP/scripts/template
die() { echo "template: $*" >&2; exit 1; }

{ [ $# = 1 ] && [ -n "$1" ]; } || die "usage: make template DIR=PATH (a new or empty directory)"
dir=$1
# Nothing of anyone's is overwritten.
if [ -e "$dir" ] || [ -L "$dir" ]; then
	{ [ -d "$dir" ] && [ ! -L "$dir" ]; } || die "$dir exists and is no directory: give a new or empty one"
	[ -z "$(ls -A "$dir")" ] || die "$dir exists and is not empty: give a new or empty directory (nothing was written)"
fi
parent=$(dirname "$dir")
[ -d "$parent" ] || die "$parent does not exist"

# What goes in, as paths of this tree (ERE, whole paths), then what of it
# stays out: the demo's process helpers. Each lab's manifest
# (tests/NN_name/manifest.toml) goes in: make hint and make progress read it.
INCLUDE='Makefile|\.gitignore|common/.*|mk/.*|tools/.*|docs/.*'
INCLUDE+='|scripts/(hint\.sh|progress\.sh|run\.sh|install_deps\.sh|setup_hugepages\.sh|doctor\.py)'
INCLUDE+='|tests/(pytest\.ini|run_check\.sh|sanitize_test\.sh|sanitize/.*|lib/vdev_drivers\.sh|lib/mpwcheck/.*|lib/doubles/.*)'
INCLUDE+='|tests/[0-9][0-9]_[^/]+/.*'
EXCLUDE='tests/[0-9][0-9]_[^/]+/procs\.sh'

# kit_files: this tree's files, committed or not (not what git ignores).
kit_files() {
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$TOP" ls-files -co --exclude-standard
	else
		(cd "$TOP" && find . -path ./build -prune -o -type f -printf '%P\n')
	fi
}

# filter FILE: FILE as a student's copy has it, on stdout.
filter() {
	case $1 in
	docs/*.md) awk -f "$HERE/docs.awk" "$TOP/$1" ;;
	docs/Doxyfile) sed -f "$HERE/doxyfile.sed" "$TOP/$1" ;;
	*) cat "$TOP/$1" ;;
	esac
}

# Built beside DIR, then moved into place: a failure leaves nothing.
stage=$(mktemp -d "$parent/.template.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# As a directory made by mkdir would be, not mktemp's 0700.
chmod "$(umask -S)" "$stage"

count=0
while IFS= read -r f; do
	[[ $f =~ ^($INCLUDE)$ ]] || continue
	[[ $f =~ ^($EXCLUDE)$ ]] && continue
	[ -f "$TOP/$f" ] || continue
	mkdir -p "$stage/$(dirname "$f")"
	filter "$f" >"$stage/$f"
	chmod --reference="$TOP/$f" "$stage/$f"
	count=$((count + 1))
done < <(kit_files)
[ "$count" -gt 0 ] || die "no file of $TOP was taken"
"$TOP/scripts/gen_skeletons.sh" --into "$stage/labs"
# The skeletons have no snippet markers: the walkthroughs quote their code
# outside the TODOs from a copy that keeps them (template/doxyfile.sed).
MARKERS=1 "$TOP/scripts/gen_skeletons.sh" --into "$stage/docs/snippets"
mkdir -p "$stage/.github/workflows"
cp "$TOP/autograding/github-classroom.yml" "$stage/.github/workflows/grade.yml"
sed -f "$HERE/readme.sed" "$TOP/README.md" >"$stage/README.md"

# What the filters are to take out, and what no longer matches them.
leftover=$(grep -nE "solutions|SOLUTION=|run\.sh (demo|test)|make (test|demo|bench|skeletons)|maintainers'|test suite" \
	"$stage/README.md" || true)
[ -z "$leftover" ] || die "README.md still names what a student's copy lacks (update scripts/template/readme.sed):
$leftover"
leftover=$(grep -nE '^[^#]*solutions' "$stage/docs/Doxyfile" || true)
[ -z "$leftover" ] || die "docs/Doxyfile still reads solutions/ (update scripts/template/doxyfile.sed): $leftover"
leftover=$(grep -nE '^[[:space:]]*\\(end)?solution' "$stage"/docs/*.md || true)
[ -z "$leftover" ] || die "a folded solution is left in the walkthroughs (see scripts/template/docs.awk):
$leftover"

"$HERE/scan.py" "$TOP/solutions" "$stage" || die "the copy gives solution code away (above): nothing was written"

source=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo "a tree outside git")
# The caller's name in the commit, or the workbook's when git has none.
ident=()
git -C "$stage" config user.email >/dev/null 2>&1 ||
	ident=(-c user.name="DPDK multi-process workbook" -c user.email="workbook@invalid")
git -C "$stage" init -q -b main
git -C "$stage" add -A
git -C "$stage" "${ident[@]}" commit -q -m "The DPDK multi-process workbook, a student's copy (from $source)"
rmdir "$dir" 2>/dev/null || true
mv "$stage" "$dir"
trap - EXIT
echo "template: $dir: $(git -C "$dir" ls-files | wc -l) files in one commit ($(git -C "$dir" rev-parse --short HEAD)), no solution code; push it as the class's template"
