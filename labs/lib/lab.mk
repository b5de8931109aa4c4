# labs/lib/lab.mk - the lab targets, included by the top Makefile (which
# defines TOP, B, ROOTFS, CC, TEST_CFLAGS, CHECK_LIBS, HARNESS and the
# rootfs target). See labs/README.md.
#
#   make lab-start LAB=NN                 the starter of lab NN in work/NN-name
#   make grade LAB=NN [SRC=DIR] [RESULTS=FILE]
#                                         build DIR (work/NN-name), run the
#                                         graded tests, print the score, write
#                                         DIR/results.json (Gradescope format)
#   make lab-check                        every lab graded both ways: the
#                                         reference must score full marks, the
#                                         untouched starter less
#
# LAB is a chapter number (0, 00) or name (00-process).

# The labs: chapters with a points file.
LABS := $(patsubst labs/%/points,%,$(wildcard labs/[0-9][0-9]-*/points))

lab_nn    = $(firstword $(subst -, ,$(LAB)))
LAB_NN   := $(if $(filter 0 1 2 3 4 5 6 7 8 9,$(lab_nn)),0$(lab_nn),$(lab_nn))
LAB_NAME := $(if $(LAB_NN),$(notdir $(firstword $(wildcard chapters/$(LAB_NN)-*))))

GRADE_SRC     = $(abspath $(if $(SRC),$(SRC),work/$(LAB_NAME)))
GRADE_RESULTS = $(abspath $(if $(RESULTS),$(RESULTS),$(GRADE_SRC)/results.json))
GRADER        = $(B)/grade/$(LAB_NAME)

# lab-start and grade need LAB to name a chapter that has a lab: check it
# before anything is built.
ifneq ($(filter lab-start grade,$(MAKECMDGOALS)),)
ifeq ($(LAB),)
$(error usage: make lab-start|grade LAB=NN  (labs: $(or $(LABS),none yet)))
endif
ifeq ($(LAB_NAME),)
$(error no chapter $(LAB) (chapters: $(CHAPTERS)))
endif
ifeq ($(wildcard labs/$(LAB_NAME)/points),)
$(error chapter $(LAB_NAME) has no lab yet (no labs/$(LAB_NAME)/points))
endif
ifneq ($(filter grade,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(GRADE_SRC)/.),)
$(error no $(or $(SRC),work/$(LAB_NAME)) to grade: run 'make lab-start LAB=$(LAB_NN)' first)
endif
endif
endif

lab-start:
	@dest=work/$(LAB_NAME); \
	if [ -e "$$dest" ]; then \
		echo "lab $(LAB_NAME): $$dest already exists; your work there is kept."; \
		echo "To start over, move it aside and start again:"; \
		echo "    mv $$dest $$dest.old && make lab-start LAB=$(LAB_NN)"; \
	else \
		tools/mklab chapters/$(LAB_NAME) "$$dest" || exit 1; \
		echo "lab $(LAB_NAME): your starter is in $$dest."; \
	fi; \
	echo; \
	echo "Next:"; \
	echo "  1. read labs/$(LAB_NAME)/README.md, the assignment;"; \
	echo "  2. edit the TODO(lab ...) places:  grep -n 'TODO(lab' $$dest/*.[ch]"; \
	echo "  3. build and try it:              make -C $$dest && $$dest/barge run ..."; \
	echo "  4. grade it:                      make grade LAB=$(LAB_NN)"

# The grader of one lab: the chapter's tests with grade.c as their main().
.SECONDEXPANSION:
$(B)/grade/%: labs/lib/grade.c $$(wildcard tests/$$*/*.c) \
		$(filter-out %/check_main.c,$(HARNESS)) $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ labs/lib/grade.c $(wildcard tests/$*/*.c) \
		$(filter-out %/check_main.c,$(HARNESS)) $(CHECK_LIBS)

# Build the code under SRC, then grade it. If it does not build, say so,
# show the compiler's words and score 0, with a results.json that says why.
# The student's make gets none of our command-line variables (LAB, SRC,
# ...), only TOP.
grade: rootfs $(GRADER)
	@src=$(GRADE_SRC); log=$(B)/grade/$(LAB_NAME).build.log; \
	echo "== building $$src"; \
	if MAKEFLAGS= MAKELEVEL= $(MAKE) -C "$$src" TOP=$(TOP) >"$$log" 2>&1 && \
	   [ -x "$$src/barge" ]; then \
		echo "== grading $$src/barge (lab $(LAB_NAME); results for Gradescope in $(GRADE_RESULTS))"; \
		BARGE=$$src/barge ROOTFS=$(abspath $(ROOTFS)) \
			$(GRADER) labs/$(LAB_NAME)/points $(GRADE_RESULTS); \
	else \
		cat "$$log"; \
		[ -x "$$src/barge" ] || echo "(no $$src/barge was made)"; \
		echo "== $$src did not build: no test can run (log: $$log; results in $(GRADE_RESULTS))"; \
		$(GRADER) --not-built "$$log" labs/$(LAB_NAME)/points \
			$(GRADE_RESULTS); \
	fi

# Every lab graded both ways. The grading output goes to logs in
# $(B)/lab-check/ and is shown only when a check fails. The last line is a
# Check-style summary, which tools/run-tests adds to its own.
LAB_CHECK := $(B)/lab-check

lab-check: rootfs $(addprefix $(B)/grade/,$(LABS))
	@mkdir -p $(LAB_CHECK); checks=0; failures=0; \
	score() { grep -E '^Score: [0-9]+/[0-9]+$$' "$$1" | tail -1 | cut -d' ' -f2; }; \
	for lab in $(LABS); do \
		nn=$${lab%%-*} ok=1 why=; \
		ref=$(LAB_CHECK)/$$lab.reference starter=$(LAB_CHECK)/$$lab; \
		$(MAKE) --no-print-directory -s grade LAB=$$nn SRC=chapters/$$lab \
			RESULTS=$$ref.json >$$ref.log 2>&1; \
		r=$$(score $$ref.log); \
		if [ -z "$$r" ] || [ "$${r%/*}" != "$${r#*/}" ]; then \
			ok=0 why="the reference must score full marks"; \
			echo "--- $$ref.log"; cat $$ref.log; \
		fi; \
		rm -rf $$starter; s=; \
		if tools/mklab chapters/$$lab $$starter >$$starter.log 2>&1; then \
			$(MAKE) --no-print-directory -s grade LAB=$$nn SRC=$$starter \
				RESULTS=$$starter.json >>$$starter.log 2>&1; \
			s=$$(score $$starter.log); \
		fi; \
		if [ ! -d $$starter ]; then \
			ok=0 why="$${why:+$$why; }tools/mklab could not make the starter"; \
			echo "--- $$starter.log"; cat $$starter.log; \
		elif [ -z "$$s" ] || [ "$${s%/*}" = "$${s#*/}" ]; then \
			ok=0 why="$${why:+$$why; }the untouched starter must score less than full marks"; \
			echo "--- $$starter.log"; cat $$starter.log; \
		elif grep -q 'did not build: no test can run' $$starter.log; then \
			echo "lab $$lab: warning: the starter does not compile (starters should: check its LAB STUB lines); log: $$starter.log"; \
		fi; \
		checks=$$((checks + 2)); \
		[ -n "$$r" ] && [ "$${r%/*}" = "$${r#*/}" ] || failures=$$((failures + 1)); \
		[ -n "$$s" ] && [ "$${s%/*}" != "$${s#*/}" ] || failures=$$((failures + 1)); \
		echo "lab $$lab: reference $${r:-none}, starter $${s:-none}: $$([ $$ok = 1 ] && echo ok || echo "FAILED ($$why)")"; \
	done; \
	pct=100; [ $$checks -gt 0 ] && pct=$$(( (checks - failures) * 100 / checks )); \
	echo "$$pct%: Checks: $$checks, Failures: $$failures, Errors: 0"; \
	[ $$failures -eq 0 ]

.PHONY: lab-start grade lab-check
