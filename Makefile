# SPDX-License-Identifier: BSD-3-Clause
#
# The DPDK multi-process workbook. Start with README.md.
#
#   make                        build every lab (your code) and every solution
#   make check LAB=01           build lab 01 and run its check on your code
#   make hint LAB=01 TODO=1 [LEVEL=2|3]   a hint: the idea, the DPDK calls, the shape
#   make progress [LAB=01]      which TODOs of your labs are done
#   make check LAB=01 ONLY=full_ring   only the checks whose names match
#   make check LAB=01 SOLUTION=1    the same check on the solution
#   make check LAB=03 DEEP=1    the checks that compare with the solution, on more scenarios
#   make check LAB=02 PORTS="0000:3b:00.0 0000:3b:00.1"   lab 02 on real ports
#   make demo                   the solutions at work on vdevs (no NIC needed)
#   make bench [ROUNDS=3]       ours against DPDK's upstream examples, as ratios
#   make test                   the whole test suite, ending "N passed, N failed"
#   make test-faults            only its fault matrix: kills, bad input, the machine, Ctrl-C, refusals
#   make test-distros [DISTROS="bookworm trixie forky"]   the whole suite in fresh chroots
#   make test-flakes [RUNS=20] [LOAD=N]   repeat what can fail now and then; failure rates
#   make coverage [LAB=01]      the solutions' branches that the checks take (gcov, gcovr), per TODO
#   make skeletons              regenerate labs/ from solutions/ (maintainers)
#   make reference              record what the solutions' programs do in the checks' oracle
#                               scenarios (tests/NN_name/reference/), for a template without them
#   make docs                   the walkthroughs, into build/docs/html (Doxygen)
#   make docs-full              the same with the solutions' sources (maintainers)
#   make test-docs-browser      open them in headless Chromium, if installed
#   make template DIR=PATH      a graded class's repository: no solutions (maintainers)
#   make deps hugepages         install packages; reserve hugepages (root)

TOP := $(CURDIR)
include mk/solutions.mk
# The labs are the solutions' (make skeletons writes labs/ from them), or in
# a student's copy the labs'.
LABS := $(notdir $(wildcard $(if $(HAVE_SOLUTIONS),solutions,labs)/[0-9][0-9]_*))
# What a student's copy cannot do stops before anything runs.
NEEDS_SOLUTIONS := solutions pristine test test-mutants test-faults test-distros test-flakes coverage demo bench \
	skeletons docs-full test-docs-browser template reference
ifeq ($(HAVE_SOLUTIONS),)
$(foreach goal,$(filter $(NEEDS_SOLUTIONS),$(MAKECMDGOALS)),$(call no_solutions,make $(goal)))
$(if $(filter 1,$(SOLUTION)),$(call no_solutions,SOLUTION=1))
endif

# LAB=01 or LAB=01_simple_mp, or several (LAB="01 03"); all labs when empty.
lab_dir = $(or $(firstword $(sort $(notdir $(wildcard $(foreach d,labs solutions,$(d)/$(1) $(d)/$(1)_*))))),$(error no lab matches LAB=$(1); the labs are: $(LABS)))
lab_dirs = $(if $(LAB),$(foreach lab,$(LAB),$(call lab_dir,$(lab))),$(LABS))

.PHONY: all solutions pristine check hint progress doctor test test-mutants test-faults test-distros test-flakes coverage demo bench skeletons docs docs-full test-docs-browser template reference deps hugepages clean
all:
	@$(MAKE) -s --no-print-directory -C tools
	@for lab in $(LABS); do \
		$(if $(HAVE_SOLUTIONS),$(MAKE) --no-print-directory -C solutions/$$lab || exit 1;) \
		$(MAKE) --no-print-directory -C labs/$$lab || exit 1; \
	done

# What the demo, the bench and the suite run: never a student's labs/.
solutions:
	@$(MAKE) -s --no-print-directory -C tools
	@for lab in $(LABS); do \
		$(MAKE) -s --no-print-directory -C solutions/$$lab || exit 1; \
	done

# The skeletons as the generator makes them, built in build/pristine (ccache
# compiles only what differs from the solutions).
pristine:
	@for lab in $(LABS); do \
		scripts/gen_skeletons.sh --into build/pristine $$lab && \
		$(MAKE) --no-print-directory -C build/pristine/$$lab TOP=$(CURDIR) \
			BUILD_DIR=$(CURDIR)/build/pristine/bin/$$lab || exit 1; \
	done

# One pytest run over the labs asked for (tests/run_check.sh): one report,
# one build/check/results.json and junit.xml. A lab that does not build is
# left out, with its compiler's errors. ONLY=TEXT: only the checks whose
# names match. SANITIZE=1: each lab's own sanitized check (mk/lab.mk).
check_variant = $(if $(filter 1,$(SOLUTION)),solutions,labs)

# The checks that compare with the solution (tests/lib/mpwcheck/oracle.py),
# on the solution: what it observed goes to tests/NN_name/reference/.
reference:
	@MPW_RECORD=1 $(MAKE) --no-print-directory check SOLUTION=1 ONLY=as_reference DEEP=$(DEEP)
check:
ifeq ($(SANITIZE),1)
	$(if $(PORTS),$(error SANITIZE=1 checks run on vdevs only, not on PORTS: see tests/sanitize_test.sh))
	@status=0; for lab in $(lab_dirs); do \
		tests/sanitize_test.sh $(if $(filter labs,$(check_variant)),--labs) $$lab || status=1; \
	done; exit $$status
else
	@$(MAKE) -s --no-print-directory -C tools
	@status=0; checked=; for lab in $(lab_dirs); do \
		if $(MAKE) --no-print-directory -C $(check_variant)/$$lab all; then \
			checked="$$checked $$lab build/$(check_variant)/$$lab $(check_variant)/$$lab"; \
		else \
			echo "== $$lab: does not build (above): not checked"; status=1; \
		fi; \
	done; \
	if [ -n "$$checked" ]; then PORTS="$(PORTS)" ONLY="$(ONLY)" DEEP="$(DEEP)" tests/run_check.sh $$checked || status=1; fi; \
	exit $$status
endif

hint:
	@scripts/hint.sh "$(LAB)" "$(TODO)" $(LEVEL)

progress: all
	@scripts/progress.sh $(LAB)

# ONLY=REGEX: only the rows whose names match (no fault matrix then).
# What stops a lab's program here, for this user, and the fix of each.
doctor:
	@scripts/doctor.py

# One pytest run (tests/suite/, the plugin tests/lib/mpwcheck/suite.py), its
# rows on JOBS pytest-xdist workers (6 on two cores: the rows wait about as
# much as they compute; 4 left a core idle a third of the time); every
# DPDK process of it loads only the vdev drivers.
JOBS ?= 6
SUITE = PYTHONPATH=$(CURDIR)/tests/lib PYTHONDONTWRITEBYTECODE=1 tests/lib/vdev_drivers.sh \
	/usr/bin/python3 -m pytest -c tests/suite/pytest.ini --rootdir=$(CURDIR) -n $(JOBS) --dist loadgroup \
	--junitxml=$(or $(SUITE_LOGS),build/test)/junit.xml
test:
	@$(SUITE) $(if $(ONLY),--rows='$(ONLY)') tests/suite tests/faults tests/flakes/test_group_sigint.py

# The kit's own mutants (tests/mutants/LAB/*.patch): every one killed.
test-mutants: solutions
	@tests/mutant_test.sh --all $(LAB)

# The fault matrix alone, its logs apart from make test's; its table in
# build/faults/matrix.tsv.
test-faults: export SUITE_LOGS = $(CURDIR)/build/faults/run
test-faults: solutions
	@$(SUITE) $(if $(ONLY),--rows='$(ONLY)') tests/faults

# RUNS (20), LOAD (busy loops beside them, 0), ONLY (a regex of rows): one
# row at a time, as a student's machine runs them.
test-flakes: solutions
	@RUNS=$(or $(RUNS),20) LOAD=$(or $(LOAD),0) FLAKES_ONLY="$(ONLY)" PYTHONPATH=$(CURDIR)/tests/lib \
		PYTHONDONTWRITEBYTECODE=1 tests/lib/vdev_drivers.sh /usr/bin/python3 -m pytest -p no:cacheprovider \
		--rootdir=$(CURDIR) -o 'python_files=test_*.py' tests/flakes

# Every solution's check on a build with gcov's counters; gcovr's branch
# figures per file, each TODO region's, each branch not taken in one.
coverage:
	@$(MAKE) -s --no-print-directory -C tools
	@scripts/coverage.sh $(if $(LAB),$(lab_dirs))

# Each a fresh Debian chroot (debootstrap, cached in /var/cache/mpw-distros)
# in which the README's test command runs on this commit (HEAD).
test-distros:
	@tests/distros/run.sh --suite $(or $(DISTROS),bookworm trixie forky)

demo: solutions
	@scripts/demo.sh

# Knobs: ROUNDS, DURATION and WARMUP (seconds), ONLY (a regex of workloads);
# see scripts/bench.sh.
bench: solutions
	@scripts/bench.sh

skeletons:
	@scripts/gen_skeletons.sh

# Fails on any Doxygen warning (WARN_AS_ERROR in docs/Doxyfile); a student's
# copy (make template) prints them: its Doxygen reads the student's labs/.
docs:
	@rm -rf build/docs/html
	@mkdir -p build/docs
	@doxygen docs/Doxyfile
	@echo "docs: build/docs/html/index.html"

# The maintainers' build: the same pages, plus the solutions' sources.
docs-full:
	@rm -rf build/docs-full
	@mkdir -p build/docs-full
	@{ cat docs/Doxyfile; echo "SOURCE_BROWSER = YES"; echo "VERBATIM_HEADERS = YES"; \
		echo "OUTPUT_DIRECTORY = build/docs-full"; } | doxygen -
	@echo "docs-full: build/docs-full/html/index.html (with the solutions' sources)"

test-docs-browser: docs
	@tests/docs_browser_test.sh

# The students' repository of a graded class (GitHub Classroom's template):
# everything they need, and no line of the solutions (scripts/template.sh).
template:
	@scripts/template.sh "$(DIR)"

deps:
	@scripts/install_deps.sh

hugepages:
	@scripts/setup_hugepages.sh

clean:
	rm -rf build
