# barge - build a container runtime in C, chapter by chapter.
#
#   make            build common/ and every chapter
#   make run        the main job: a shell in a container of the newest chapter
#   make test       unit tests, every chapter's integration tests, lab checks
#   make deps       install the Debian packages all of this needs
#
# See README.md for the rest (lab-start, grade, diff, slides, diagrams,
# memcheck, rootfs).

SHELL    := /bin/bash
TOP      := $(CURDIR)
B        := $(TOP)/build
CHAPTERS := $(notdir $(wildcard chapters/[0-9][0-9]-*))
LATEST   := $(lastword $(CHAPTERS))
ROOTFS   := $(B)/rootfs

CC       ?= gcc
CFLAGS   ?= -O2 -g
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
# Chapter 05's tests read the config.json files barge writes with jansson.
CHECK_LIBS += $(shell pkg-config --libs jansson)
TEST_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(TOP)/tests/lib -I$(TOP)/common

all: common chapters

common:
	$(MAKE) -C common

chapters: common
	@set -e; for c in $(CHAPTERS); do $(MAKE) -C chapters/$$c; done

# ---- the embedded default root filesystem -------------------------------
$(B)/probe: tests/helpers/probe.c
	@mkdir -p $(B)
	$(CC) -static -O2 -std=gnu11 -Wall -Wextra -Werror -o $@ $<

$(ROOTFS)/.stamp: $(B)/probe tools/mkrootfs
	tools/mkrootfs $(ROOTFS) $(B)/probe
	@touch $@

rootfs: $(ROOTFS)/.stamp

# ---- the main job ---------------------------------------------------------
CMD ?=
run: all rootfs
	chapters/$(LATEST)/barge run $(RUN_FLAGS) --rootfs $(ROOTFS) -- $(if $(CMD),sh -c '$(CMD)',sh)

# ---- tests ----------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/*.c)
HARNESS   := tests/lib/harness.c tests/lib/container_cases.c \
	tests/lib/escape_cases.c tests/lib/check_main.c

# What common/libbarge.a needs: jansson (json.c, oci_spec*.c), libseccomp
# and libcap (seccomp_profile.c), libm (json.c's floor and fabs).
COMMON_LIBS := $(shell pkg-config --libs jansson libseccomp libcap) -lm

$(B)/tests/unit: $(UNIT_SRCS) common
	@mkdir -p $(B)/tests
	$(CC) $(TEST_CFLAGS) -o $@ $(UNIT_SRCS) common/libbarge.a \
		$(COMMON_LIBS) $(CHECK_LIBS)

# build/tests/NN-name: the integration tests of one chapter
.SECONDEXPANSION:
$(B)/tests/%: $$(wildcard tests/$$*/*.c) $(HARNESS) $(wildcard tests/lib/*.h)
	@mkdir -p $(B)/tests
	$(CC) $(TEST_CFLAGS) -o $@ $(wildcard tests/$*/*.c) $(HARNESS) $(CHECK_LIBS)

TEST_BINS := $(B)/tests/unit $(addprefix $(B)/tests/,$(CHAPTERS))

# "make build/tests/unit" (or build/tests/NN-name) names the same file as
# $(B)/tests/..., which make spells with an absolute path.
build/tests/%: $(B)/tests/% ;

test-build: all rootfs $(TEST_BINS)

# Run every suite, then the lab checks; print one Check-style summary.
test: test-build format-check
	tools/run-tests $(B) $(ROOTFS) $(CHAPTERS)

# The same tests with barge and the unit tests under valgrind.
memcheck: test-build
	MEMCHECK=1 tools/run-tests $(B) $(ROOTFS) $(CHAPTERS)

# ---- the inner loop: one suite, or one test of it, in seconds ---------------
#   make suite CH=04                  chapter 04's integration tests
#   make suite CH=04 CASE=NAME        one test of them (Check's CK_RUN_CASE)
#   make suite CH=04 VM=1 [CASE=...]  the same in the cgroup v2 VM
#   make suite CH=unit [CASE=util]    the unit tests of common/ (a module)
# It builds only what the suite needs: common/, that chapter, its test
# program and the rootfs. CH is a number or a directory name.
SUITE := $(if $(filter unit,$(CH)),unit,$(firstword \
	$(filter $(CH) $(CH)-%,$(CHAPTERS))))
SUITE_ENV := BARGE=$(TOP)/chapters/$(SUITE)/barge ROOTFS=$(ROOTFS) \
	$(if $(CASE),CK_RUN_CASE=$(CASE))

suite: common rootfs $(if $(SUITE),$(B)/tests/$(SUITE))
	@test -n "$(SUITE)" || { echo "usage: make suite CH=NN [CASE=test_name]" \
		"[VM=1]; CH is unit or one of: $(CHAPTERS)"; exit 2; }
	@[ $(SUITE) = unit ] || $(MAKE) -s -C chapters/$(SUITE)
ifeq ($(VM),1)
	@$(MAKE) -s test-vm VM_TESTS=$(SUITE) \
		VM_ENV="$(VM_ENV) $(if $(CASE),CK_RUN_CASE=$(CASE))"
else
	$(SUITE_ENV) $(B)/tests/$(SUITE)
endif

.PHONY: suite
# ---- end of the inner loop -------------------------------------------------

# ---- test-vm: the tests on a pure cgroup v2 kernel (tools/vm/) ---------------
# The build host may be cgroup v1 or hybrid, so make test-vm boots a small
# qemu VM (Debian's cloud kernel, cgroup_no_v1=all, no network device) and
# runs the integration tests of the chapters in VM_TESTS inside it, each with
# its own barge; what they print, Check's summary lines included, is shown
# here. VM_SHOW runs first and proves the hierarchy is pure v2. Add a
# chapter to VM_TESTS to run its tests there too.
VM_TESTS := 03-cgroups 04-security 05-oci-bundle 06-oci-lifecycle
VM_SHOW  := 'grep cgroup2 /proc/self/mountinfo' \
	'cat /sys/fs/cgroup/cgroup.controllers'
# In the VM the tests that need podman say so and pass: it is not copied in.
VM_ENV   := BARGE_TESTS_IN_VM=1
# 04's tests use the seccomp profile and setpriv, 05 and 06's the config.json
# corpus; VM_OPTIONAL_FILES are
# copied when installed: 05's proof runs runc and crun (each file goes in
# with its shared libraries).
VM_FILES := /usr/share/containers/seccomp.json /usr/bin/setpriv \
	$(TOP)/tests/oci-configs
VM_OPTIONAL_FILES := /usr/sbin/runc /usr/bin/crun
VM_MODULES :=		# kernel modules to load, e.g. overlay veth
# The programs of a chapter: barge, and from chapter 05 on barge-runtime
# and barge-init (in Part II, links to chapter 06's, copied in too).
VM_PROGRAMS := barge barge-runtime barge-init

# Only the chapters in VM_TESTS are built: a chapter being written elsewhere
# in the tree does not stop this target.
test-vm: common rootfs $(addprefix $(B)/tests/,$(VM_TESTS))
	@set -e; for c in $(VM_TESTS); do $(MAKE) -s -C chapters/$$c; done
	@files=(); for c in $(VM_TESTS); do for p in $(VM_PROGRAMS); do \
		f=$(TOP)/chapters/$$c/$$p; [ -e $$f ] || continue; \
		files+=(-f $$f); [ ! -L $$f ] || files+=(-f $$(readlink -f $$f)); \
	done; done; \
	for f in $(VM_OPTIONAL_FILES); do [ ! -e $$f ] || files+=(-f $$f); done; \
	tools/vm/run -r $(ROOTFS) "$${files[@]}" \
		$(foreach c,$(VM_TESTS),-f $(B)/tests/$c) \
		$(addprefix -f ,$(VM_FILES)) $(addprefix -e ,$(VM_ENV)) \
		$(addprefix -m ,$(VM_MODULES)) \
		-- $(VM_SHOW) \
		$(foreach c,$(VM_TESTS),'BARGE=$(TOP)/chapters/$c/barge $(B)/tests/$c')

.PHONY: test-vm
# ---- end of test-vm -----------------------------------------------------------

# ---- bench: barge-runtime against runc and crun (tools/bench-runtime) --------
# BENCH_N containers (default 100) running /bin/true, one after the other,
# for barge-runtime and for each of runc and crun that is installed: one
# bundle (the rootfs above), one config.json, the same "run" for all. It
# prints the time per container and barge-runtime's as a fraction of the
# others'. A measurement, so never part of make test.
BENCH_CHAPTER := 06-oci-lifecycle

bench: common rootfs
	@$(MAKE) -s -C chapters/$(BENCH_CHAPTER) barge-runtime
	tools/bench-runtime chapters/$(BENCH_CHAPTER)/barge-runtime $(ROOTFS)

.PHONY: bench
# ---- end of bench -------------------------------------------------------------

# ---- labs -------------------------------------------------------------------
include labs/lib/lab.mk

# ---- chapter diffs, slides, diagrams ----------------------------------------
diff:
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make diff FROM=01 TO=02"; exit 2; }
	tools/chapter-diff $(FROM) $(TO)

DOTS   := $(wildcard diagrams/*.dot)
SVGS   := $(patsubst diagrams/%.dot,$(B)/diagrams/%.svg,$(DOTS))
DECKS  := $(patsubst slides/%.md,$(B)/slides/%.html,$(wildcard slides/*.md))

$(B)/diagrams/%.svg: diagrams/%.dot
	@mkdir -p $(dir $@)
	dot -Tsvg $< -o $@

$(B)/slides/%.html: slides/%.md slides/style.html $(SVGS)
	@mkdir -p $(dir $@)
	pandoc -t dzslides -s --self-contained -H slides/style.html --resource-path=$(TOP) -o $@ $<

diagrams: $(SVGS)
slides: $(DECKS)

# ---- style --------------------------------------------------------------------
# Kernel style, as .clang-format says; make test refuses code that is not.
C_FILES = $(wildcard common/*.[ch] chapters/*/*.[ch] tests/*/*.[ch] labs/lib/*.c)

format:
	clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run -Werror $(C_FILES) || \
		{ echo "format-check: run 'make format'"; exit 1; }

# ---- setup ------------------------------------------------------------------
deps:
	tools/deps

clean:
	rm -rf $(B)
	$(MAKE) -C common clean
	@for c in $(CHAPTERS); do $(MAKE) -s -C chapters/$$c clean; done

.PHONY: all common chapters rootfs run test test-build memcheck diff \
	diagrams slides deps clean format format-check
