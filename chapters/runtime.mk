# chapters/runtime.mk - the runtime of a Part II chapter.
#
# From chapter 07 on, a chapter directory holds the engine only (barge,
# later barged). It runs the OCI runtime of Part I, chapter 06's
# barge-runtime, the way dockerd and containerd run runc: as a program
# found beside barge, never as source copied into the chapter. A Part II
# chapter's Makefile includes this file and lists
# $(RUNTIME_PROGRAMS) among what "all" builds:
#
#	include $(TOP)/chapters/runtime.mk
#	all: barge $(RUNTIME_PROGRAMS)
#
# Both are built in chapter 06 and linked here, so that barge, the tests
# and a lab starter copied anywhere (make lab-start passes TOP) find them
# beside barge as in chapters 05 and 06.
RUNTIME_CHAPTER  := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/06-oci-lifecycle
RUNTIME_PROGRAMS := barge-runtime barge-init

$(RUNTIME_PROGRAMS): FORCE
	@$(MAKE) -s -C $(RUNTIME_CHAPTER) $@
	@ln -sfn $(RUNTIME_CHAPTER)/$@ $@

.PHONY: FORCE
