# SPDX-License-Identifier: BSD-3-Clause
#
# The README of a student's copy (scripts/template.sh): the student's part
# of README.md, without what names the solutions, the suite or the
# maintainers' part. Each line is matched whole: when README.md changes,
# template.sh finds what this no longer takes out and fails, naming it.

1a\
\
Your copy of the workbook for a graded class: the labs, their checks, the\
hints and the walkthroughs; your instructor keeps the solution code. Every\
push runs every lab's check (`.github/workflows/grade.yml`), and the run's\
summary gives your score and, for each check not passed, the TODO it names.
s|^scripts/run.sh demo .*|scripts/run.sh grade   # every lab's check on your labs/, as the grading runs it|
/^scripts\/run\.sh test /d
s|^Each installs the missing packages|It installs the missing packages|
s|^packages, the hugepages, the test suite's chroots and namespaces)\.$|packages and the hugepages).|
s|^solution in `solutions/NN_name/`\. The walkthroughs|solution in your instructor's copy. The walkthroughs|
/^make check LAB=01 SOLUTION=1 /d
/^Your work in `labs\/` is yours: /,/ not yours\.$/c\
Your work in `labs/` is yours: nothing in the kit writes over it.
s|^programs, `build/solutions/` the solutions':$|programs:|
s|(see "On a shared lab server")|(an instructor's set-up of a shared lab server)|
s|builds every lab and solution into `build/`|builds every lab into `build/`|
s|^The two commands at the top do all of this;|The command at the top does all of this;|
s|and the solutions' comments into `build/docs/html` (open `index.html`); any warning fails it|and your labs' comments into `build/docs/html` (open `index.html`)|
/^# For maintainers and instructors$/,$d
