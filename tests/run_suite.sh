#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# make test: every test of the workbook, one row each, and the fault matrix
# (tests/faults/run.sh: its parts run among the rows), then "N passed, N
# failed" over both. No row changes the machine's hugepage reservation.
# A row's full output is in build/test/<row>.log; a failing row shows its end.
# ONLY=REGEX runs only the rows whose names match (no fault matrix then).
set -uo pipefail
# Every DPDK process of the suite loads only the vdev drivers.
[ -n "${MPW_VDEV_DRIVERS:-}" ] || exec "$(dirname "$0")/lib/vdev_drivers.sh" "$0" "$@"
# A check stopped by Ctrl-C exits by itself (its trap cleans up): without
# this trap, bash would go on to the next row.
trap 'echo "interrupted" >&2; exit 130' INT TERM
# The rows' regex, out of the rows' environment: there ONLY selects checks.
# Out of MAKEFLAGS too, where make test's ONLY= would reach every make check
# that a row runs, as a command line's variable.
ROWS_ONLY=${ONLY:-}
unset ONLY MAKEFLAGS MFLAGS MAKELEVEL
# Every --file-prefix of this run starts with it (the checks, the harness
# and the fault matrix extend it): leftovers() looks for this run's alone.
export H_PREFIX_BASE=${H_PREFIX_BASE:-mpw}$$S
# Every check runs, however long a lab takes: a row's verdict must not
# depend on the machine's speed (mpwcheck.plugin's LAB_BOUND).
export MPW_LAB_BOUND=0

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
# SUITE_LOGS: elsewhere than build/test (a suite run inside the suite's own test).
LOGS=${SUITE_LOGS:-$TOP/build/test}
rm -rf "$LOGS"
mkdir -p "$LOGS"
: >"$LOGS/rows.tsv"
passed=0
failed=0
skipped=0
rows=0

# JOBS: how many rows of the pool run at once.
JOBS=${JOBS:-4}

# row_log NAME: a new row; its log file in ROW_LOG.
row_log() {
	rows=$((rows + 1))
	log_name $rows "$1"
	ROW_LOG=$LOG_NAME
}

# log_name N NAME: the log file of row N, NAME, in LOG_NAME. Without a
# process: make test queues some 200 rows before the pool starts, and a
# process costs milliseconds on a small VM.
log_name() {
	local LC_ALL=C safe
	safe=${2//[^A-Za-z0-9]/_}
	printf -v LOG_NAME '%s/%02d-%s.log' "$LOGS" "$1" "${safe:0:60}"
}

# record OUTCOME NAME SECONDS DETAIL: a row for build/test/results.json.
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4//[$'\t\n']/ }" >>"$LOGS/rows.tsv"
}

# report NAME STATUS SECONDS LOG: count and print a finished row.
report() {
	record "$([ "$2" = 0 ] && echo PASS || echo FAIL)" "$1" "$3" "${4#"$TOP"/}"
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %s  (%ds)\n' "$1" "$3"
	else
		failed=$((failed + 1))
		printf 'FAIL  %s  (%ds, %s)\n' "$1" "$3" "${4#"$TOP"/}"
		tail -n 15 "$4" | sed 's/^/      | /'
	fi
}

# row NAME CMD...: run CMD, its status decides the row.
row() {
	local name=$1 start status=0
	shift
	[[ "$name" =~ ${ROWS_ONLY:-.} ]] || return 0
	row_log "$name"
	start=$SECONDS
	"$@" >"$ROW_LOG" 2>&1 </dev/null || status=$?
	report "$name" $status $((SECONDS - start)) "$ROW_LOG"
}

# queue NAME CMD...: a row for parallel_rows, which runs the queued rows
# JOBS at a time and reports them in order.
Q_NAMES=()
Q_LOGS=()
Q_ROWS=() # 1: a row, 0: a job (reported elsewhere), 2: a row that a job runs (later)
queue() {
	local name=$1
	shift
	[[ "$name" =~ ${ROWS_ONLY:-.} ]] || return 0
	row_log "$name"
	queue_cmd "$name" 1 "$@"
}

# job NAME CMD...: a command of the pool that is no row of its own (what it
# finds becomes rows later); its log is $LOGS/job-NAME.log.
job() {
	local name=$1
	shift
	ROW_LOG=$LOGS/job-$name.log
	queue_cmd "$name" 0 "$@"
}

# later NAME: a row of the pool that the row queued just before it runs,
# into the files that parallel_rows reads (its log, and the log's .status).
later() {
	[[ "$1" =~ ${ROWS_ONLY:-.} ]] || return 0
	row_log "$1"
	Q_NAMES+=("$1")
	Q_LOGS+=("$ROW_LOG")
	Q_ROWS+=(2)
}

queue_cmd() {
	local name=$1 is_row=$2
	shift 2
	# A function of this script goes with its definition.
	{
		printf 'LOGS=%q\n' "$LOGS"
		declare -f "$1" || true
		printf '%q ' "$@"
	} >"$ROW_LOG.cmd"
	Q_NAMES+=("$name")
	Q_LOGS+=("$ROW_LOG")
	Q_ROWS+=("$is_row")
}

parallel_rows() {
	local i status secs
	[ ${#Q_LOGS[@]} != 0 ] || return 0
	# Children of xargs, in this process group: Ctrl-C reaches every check.
	# shellcheck disable=SC2016 # $1 and $SECONDS are the inner shell's
	for i in "${!Q_LOGS[@]}"; do
		[ "${Q_ROWS[i]}" = 2 ] || printf '%s\n' "${Q_LOGS[i]}"
	done | xargs -P "$JOBS" -I{} bash -c \
		's=$SECONDS; bash "$1.cmd" >"$1" 2>&1 </dev/null; echo "$? $((SECONDS - s))" >"$1.status"' _ {}
	for i in "${!Q_LOGS[@]}"; do
		[ "${Q_ROWS[i]}" != 0 ] || continue
		read -r status secs <"${Q_LOGS[i]}.status" 2>/dev/null || { status=1; secs=0; }
		report "${Q_NAMES[i]}" "$status" "$secs" "${Q_LOGS[i]}"
	done
	Q_NAMES=()
	Q_LOGS=()
	Q_ROWS=()
}

# What this run left: processes and files of the --file-prefixes under its
# base (every row's prefixes extend it; another user's run or job has its own).
leftovers() {
	local procs files
	procs=$(pgrep -f -- "--file-prefix $H_PREFIX_BASE" || true)
	files=$(/usr/bin/python3 tests/lib/mpwcheck/prefixes.py list "$H_PREFIX_BASE" | paste -sd ' ')
	[ -z "$procs$files" ] && return 0
	echo "left behind: processes [$procs], files of the prefixes [$files]"
	return 1
}

# docs_rows BROWSER_LOG: the walkthroughs' row; then, into BROWSER_LOG as
# parallel_rows would, the browser's row, which reads what the first built.
docs_rows() {
	local status=0 start
	tests/docs_test.sh || status=$?
	[ -n "$1" ] || return $status
	start=$SECONDS
	tests/docs_browser_test.sh >"$1" 2>&1 </dev/null
	echo "$? $((SECONDS - start))" >"$1.status"
	return $status
}

# queue_batch SCRIPT DIR LAB: a job of batch_rows for the lines "NAME\tROW"
# on stdin whose ROW matches, then their rows.
queue_batch() {
	local script=$1 dir=$2 lab=$3 name what pairs=() whats=()
	while IFS=$'\t' read -r name what; do
		[[ "$what" =~ ${ROWS_ONLY:-.} ]] || continue
		log_name $((rows + ${#pairs[@]} + 1)) "$what"
		pairs+=("$name=$LOG_NAME")
		whats+=("$what")
	done
	[ ${#pairs[@]} = 0 ] && return
	name=${script##*/}
	job "${name%.sh}_$lab" batch_rows "$dir" "$script" "$lab" "${pairs[@]}"
	for what in "${whats[@]}"; do
		later "$what"
	done
}

# batch_rows DIR SCRIPT LAB NAME=LOG...: SCRIPT LAB NAME... checks them
# all in one run (tests/mutant_test.sh, tests/todo_tests.sh), each one's
# verdict in DIR/NAME.verdict ("STATUS SECONDS", then what it says); each
# verdict becomes the log and status of NAME's row, as parallel_rows reads them.
batch_rows() {
	local dir=$1 script=$2 lab=$3 arg verdict status secs
	shift 3
	for arg; do
		rm -f "$dir/${arg%%=*}.verdict"
	done
	"$script" "$lab" "${@%%=*}"
	for arg; do
		verdict=$dir/${arg%%=*}.verdict
		if read -r status secs <"$verdict"; then
			{ tail -n +2 "$verdict"; echo "(the run of the checks: $dir/check.log)"; } >"${arg#*=}"
		else
			status=1 secs=0
			echo "no verdict: $script stopped before it (its log: $LOGS/job-$(basename "$script" .sh)_$lab.log)" >"${arg#*=}"
		fi
		echo "$status $secs" >"${arg#*=}.status"
	done
}

lint_scripts() {
	command -v shellcheck >/dev/null ||
		{ echo "shellcheck is not installed: run scripts/install_deps.sh"; return 1; }
	shellcheck scripts/*.sh scripts/*/*.sh tests/*.sh tests/*/*.sh .ci/run
}

# The solution's check must pass every check it has; run as the README says,
# its results apart ($LOGS/check-LAB) for every_check_can_fail.
solution_passes() {
	ONLY='' H_CHECK_ROOT=$LOGS/check-$1 make --no-print-directory check LAB="${1%%_*}" SOLUTION=1
}

# Every check of the lab fails under some line of its expect file, and each
# TODO comment cites the checks that judge it (scripts/cite_checks.py).
every_check_can_fail() {
	local lab=$1 all covered name missing=()
	all=$(tests/lib/mpwcheck/results.py names "$LOGS/check-$lab/results.json") ||
		{ echo "no results of the solution's check ($LOGS/check-$lab/results.json)"; return 1; }
	covered=" $(sed -n 's/^[0-9a-z]*: *//p' "tests/$lab/expect" | paste -sd ' ') "
	for name in $all; do
		[[ "$covered" == *" $name "* ]] || missing+=("$name")
	done
	[ ${#missing[@]} = 0 ] ||
		{ echo "checks of $lab that fail under no TODO (tests/$lab/expect): ${missing[*]}"; return 1; }
	echo "the $(wc -w <<<"$all") checks of $lab can each fail (under a TODO, or listed as guards of bad input)"
	# What a student reads in each TODO comment: the checks to run alone.
	scripts/cite_checks.py "$LOGS/check-$lab/results.json" "$lab"
}

# The fault matrix's parts (tests/faults/run.sh), in its order, each run in
# the pool into a matrix of its own.
FAULT_PARTS=(bad_input machine reservation kills interrupts refusals)
fault_part() {
	F_MATRIX=build/faults/matrix-$1.tsv tests/faults/run.sh "$1"
}

# faults: the fault matrix, each of its rows one row of this suite.
faults() {
	local result part case expected seen matrix=build/faults/matrix.tsv
	rm -f "$matrix"
	for part in "${FAULT_PARTS[@]}"; do
		[ -s "build/faults/matrix-$part.tsv" ] ||
			row "the fault matrix's $part part runs (tests/faults/run.sh $part)" false
		cat "build/faults/matrix-$part.tsv" >>"$matrix" 2>/dev/null
	done
	while IFS=$'\t' read -r result part case expected seen; do
		rows=$((rows + 1))
		record "$result" "fault matrix, $part: $case" 0 "expected: $expected; seen: $seen"
		if [ "$result" = PASS ]; then
			passed=$((passed + 1))
		elif [ "$result" = SKIP ]; then
			skipped=$((skipped + 1))
			printf 'SKIP  fault matrix, %s: %s\n      %s\n' "$part" "$case" "$seen"
		else
			failed=$((failed + 1))
			printf 'FAIL  fault matrix, %s: %s\n      expected: %s\n      seen:     %s\n' \
				"$part" "$case" "$expected" "$seen"
		fi
	done <"$matrix"
}

# distros: the demo and every lab's checks in fresh chroots of other Debian
# releases (tests/distros/run.sh), one row each. DISTROS="trixie forky" by
# default; DISTROS= runs none (as inside those chroots).
distros() {
	local list=${DISTROS-trixie forky} d wanted='' result name what secs log
	[ -n "$list" ] || return 0
	# shellcheck source=distros/lib.sh
	. tests/distros/lib.sh
	for d in $list; do
		[[ "$d ($(distro_version "$d")): " =~ ${ROWS_ONLY:-.} ]] && wanted+=" $d"
	done
	[ -n "$wanted" ] || return 0
	if ! distro_mirror >/dev/null 2>&1; then
		echo "skipped: the distribution rows ($wanted): this host's apt sources name no Debian archive; DISTRO_MIRROR=URL names one"
		return 0
	fi
	rm -f "$LOGS/distros/rows.tsv"
	# shellcheck disable=SC2086 # a list of names
	DISTRO_LOGS=$LOGS/distros tests/distros/run.sh $wanted >"$LOGS/distros.log" 2>&1 </dev/null
	[ -s "$LOGS/distros/rows.tsv" ] || row "the distribution rows run (tests/distros/run.sh)" false
	while IFS=$'\t' read -r result name what secs log; do
		rows=$((rows + 1))
		report "$name: $what" "$([ "$result" = PASS ]; echo $?)" "$secs" "$log"
	done <"$LOGS/distros/rows.tsv"
}

LABS=$(find solutions -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9]_*' -printf '%f\n' | sort | paste -sd ' ')

# First the build that every check uses (two makes of one program at once
# would race). Twice as many jobs as cores: a lab's links and one-file
# compiles would leave a core idle.
row "every solution and skeleton builds with -Wall -Wextra -Werror" make --no-print-directory -j"$(($(nproc) * 2))" solutions pristine

# fault_job PART: a part of the fault matrix in the pool (its rows are
# reported with the matrix), with the whole suite only.
[ -n "$ROWS_ONLY" ] || rm -f build/faults/matrix*.tsv
fault_job() {
	[ -n "$ROWS_ONLY" ] || job "faults_$1" fault_part "$1"
}

# Then one pool, JOBS rows at a time, the longest first so that it ends with
# short ones: the analysers, the autograding, Doxygen, each lab's mutants,
# the sanitized checks, then the labs' checks, each with its own prefixes,
# logs and results. The fault matrix's parts, long but mostly waiting, go
# between the first, whose CPU they leave to them. The pool keeps both cores
# busy: cut CPU time, not waits, to make it shorter.
queue "the solutions pass clang-tidy (.clang-tidy)" tests/static_analysis.sh clang-tidy
# Its make test inside builds lab 01's TODO rows in a directory of its own.
fault_job interrupts
# The skeleton alone: the solved labs' full marks by the same workflow are
# the template row's (its student's copy), which would repeat them.
queue "the instructor's autograding (autograding/) runs here: TODO 1 named on the skeleton (full marks solved: the template row)" \
	tests/autograde_test.sh --skeleton
queue "make template: a student's copy without solution code (its scan); there docs and hints work, what needs the solutions says so, its workflow names TODO 1 on the skeletons and gives full marks solved" \
	tests/template_test.sh
# The other long rows early too: started last, they would end last.
queue "a failure's TODO found by substitution (each TODO alone in the solution), or the function outside them; a guess said so" \
	tests/substitute_test.sh
queue "two accounts without root, on a hugetlbfs of their group's, check the solutions at once: full marks; the skeleton names TODO 1" \
	tests/nonroot_test.sh
fault_job kills
queue "the solutions pass cppcheck (tests/static/cppcheck-suppressions.txt)" tests/static_analysis.sh cppcheck
fault_job bad_input
fault_job refusals
docs="the walkthroughs build without a Doxygen warning; their snippets and links resolve"
browser="the walkthroughs render in headless Chromium (skipped without it)"
if [[ "$docs" =~ ${ROWS_ONLY:-.} ]]; then
	# The browser's row is the next: docs_rows runs it.
	if [[ "$browser" =~ ${ROWS_ONLY:-.} ]]; then
		log_name $((rows + 2)) "$browser"
		queue "$docs" docs_rows "$LOG_NAME"
		later "$browser"
	else
		queue "$docs" docs_rows ""
	fi
else
	queue "$browser" tests/docs_browser_test.sh
fi
fault_job machine
fault_job reservation
# Each lab's TODO rows (a TODO left undone, or the skeleton) and mutants:
# for each, one job builds the copies and checks them all in one run of the
# lab's checks; a row each, whose log and status the job writes.
todo_rows() {
	local key
	while read -r key; do
		if [ "$key" = all ]; then
			printf '%s\t%s\n' all "the skeleton of $1, as generated, fails its check, each failure naming a TODO"
		else
			printf '%s\t%s\n' "$key" "$1 with TODO $key undone fails the expected checks, naming TODO $key"
		fi
	done < <(sed -n 's/^\([0-9]*\|all\):.*/\1/p' "tests/$1/expect")
}
mutant_rows() {
	local name check todo blamed
	while IFS=$'\t' read -r name check todo; do
		blamed="TODO $todo"
		[ "$todo" != outside ] || blamed="no TODO"
		if [ "$todo" = none ]; then
			printf '%s\tcorrect variant %s/%s: every check passes\n' "$name" "${1%%_*}" "$name"
			continue
		fi
		printf '%s\tmutant %s/%s: check %s fails, naming %s\n' "$name" "${1%%_*}" "$name" "$check" "$blamed"
	done < <(tests/mutant_test.sh --list "$1")
}
# The mutants' jobs first: the longest.
for lab in $LABS; do
	queue_batch tests/mutant_test.sh "build/mutants/kit/$lab" "$lab" < <(mutant_rows "$lab")
done
for lab in $LABS; do
	queue_batch tests/todo_tests.sh "${TODO_ROOT:-build/todo}/$lab" "$lab" < <(todo_rows "$lab")
done
for lab in $LABS; do
	queue "ASan and UBSan: the check of $lab on its sanitized solution, no report" tests/sanitize_test.sh "$lab"
done
queue "scripts pass shellcheck" lint_scripts
queue "the checks' pytest plugin fails each broken check, naming it and its TODO" tests/plugin_selftest.sh
queue "the skeleton generator on its fixtures" tests/generator_test.sh
queue "common/'s unit tests: prefixes, runtime directories, hugepage files, EAL start-up explanations, the ordered shutdown's lock" tests/common/run.sh
queue "the recorded reference observations (tests/NN_name/reference/, for a template) are the solutions' own" \
	tests/reference_test.sh
queue "the generator never overwrites a student's labs/ (FORCE=1 backs them up)" tests/generator_keeps_work.sh
queue "every TODO has three levels of hints (make hint), none of them the code" tests/hints_test.sh
queue "labs/ is what the generator makes of solutions/" scripts/gen_skeletons.sh --check
for lab in $LABS; do
	queue "solutions_$lab passes its check" solution_passes "$lab"
done
for lab in 02_symmetric_mp 03_client_server; do
	queue "the hardware mode of $lab (PORTS=) on NIC-like ports fed from outside: the solution passes" \
		tests/hw_selftest.sh "$lab" solutions
	queue "the hardware mode of $lab on the same ports: the skeleton fails, naming a TODO" \
		tests/hw_selftest.sh "$lab" labs
done
# The rows above that judge skeletons again, over a solved and a half-done
# labs/: a student's work must not change what they see.
queue "the rows that judge skeletons ignore the working tree's labs/ (solved)" \
	tests/labs_ignored_test.sh
queue "a check short of hugepages (others hold them) blames no TODO and counts nothing as failed" \
	tests/hugepage_shortage_test.sh
# Last in the pool, as its load falls: one Ctrl-C must work under load too
# (make test-flakes LOAD=N repeats them).
for lab in $LABS; do
	queue "one Ctrl-C to a process group of ${lab}: every process prints its figures and exits 0, 5 times in 5" \
		tests/flakes/group_sigint.py "${lab%%_*}" 5
done
parallel_rows
for lab in $LABS; do
	row "every check of $lab can fail; its TODO comments cite, by name, the checks that judge them" every_check_can_fail "$lab"
done
if [ -z "$ROWS_ONLY" ]; then
	faults
	row "nothing left behind by the whole suite" leftovers
	tests/faults/run.sh --table | sed '$d'
fi
here=$SECONDS
distros
echo "time: $here s on this machine$([ $SECONDS = "$here" ] || echo ", then $((SECONDS - here)) s for the distribution rows")"

# The rows for machines, as the checks' results.json: outcome, name, seconds, log or detail.
/usr/bin/python3 -c 'import csv, json, sys
rows = [dict(zip(("outcome", "name", "seconds", "detail"), r)) for r in csv.reader(open(sys.argv[1]), delimiter="\t", quoting=csv.QUOTE_NONE)]
json.dump({"rows": rows}, open(sys.argv[2], "w"), indent=1)' "$LOGS/rows.tsv" "$LOGS/results.json" 2>/dev/null
echo "$passed passed, $failed failed$([ $skipped = 0 ] || echo ", $skipped skipped")"
[ $failed = 0 ]
