/* SPDX-License-Identifier: MIT */
/*
 * syscalls.c - seccomp: the system calls a container may not make, as a
 * profile (seccomp_profile.h) that profile.c compiles into a filter.
 *
 * Capabilities decide what root may do with a system call; seccomp(2)
 * decides which calls reach the kernel at all. A filter is a small BPF
 * program the kernel runs on every system call the process makes: it sees
 * the call's number and its six arguments (never what pointers point to)
 * and answers ALLOW, ERRNO(n), KILL... libseccomp compiles rules written
 * with names into that program, for each architecture the process could
 * use (an x86-64 process can also make 32-bit calls).
 *
 * Why these calls: they reach parts of the kernel that are not namespaced
 * (the keyring, the clock, kernel modules, swap, accounting) or that are
 * frequent ways into kernel exploits (bpf, userfaultfd, perf_event_open,
 * io_uring, open_by_handle_at's "shocker" escape), or they are relics no
 * container needs (_sysctl, uselib, vm86...). Most need a capability the
 * container has not got: seccomp is the second wall, which still stands
 * when the first has a hole (a kernel bug behind a capability check). As
 * in Docker, a call comes back with the capability that governs it:
 * --cap-add SYS_ADMIN gives mount and unshare back.
 *
 * Docker's default profile does the same the other way round: it lists
 * the ~370 calls a container may make, and refuses the rest. barge refuses
 * the dangerous ones and lets the others through: shorter to read, but a
 * call added by a future kernel gets through barge's filter, not Docker's.
 * --security-opt seccomp=/usr/share/containers/seccomp.json loads such a
 * profile instead (policy.c).
 */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/capability.h>

#include "barge.h"
#include "util.h"

#define NEVER (-1) /* no capability allows the call again */

static const struct denied {
	const char *name;
	int cap; /* the capability that allows it again, or NEVER */
	int err; /* what the call returns instead */
} denied[] = {
	/* mounts and namespaces: the container's view is set up for good */
	{ "mount", CAP_SYS_ADMIN, EPERM },
	{ "umount", CAP_SYS_ADMIN, EPERM },
	{ "umount2", CAP_SYS_ADMIN, EPERM },
	{ "pivot_root", CAP_SYS_ADMIN, EPERM },
	{ "fsopen", CAP_SYS_ADMIN, EPERM },
	{ "fsconfig", CAP_SYS_ADMIN, EPERM },
	{ "fsmount", CAP_SYS_ADMIN, EPERM },
	{ "fspick", CAP_SYS_ADMIN, EPERM },
	{ "move_mount", CAP_SYS_ADMIN, EPERM },
	{ "open_tree", CAP_SYS_ADMIN, EPERM },
	{ "mount_setattr", CAP_SYS_ADMIN, EPERM },
	{ "unshare", CAP_SYS_ADMIN, EPERM },
	{ "setns", CAP_SYS_ADMIN, EPERM },
	/* clone3's flags are in a struct the filter cannot read: ENOSYS
	 * makes the C library fall back to clone, filtered below. */
	{ "clone3", CAP_SYS_ADMIN, ENOSYS },
	/* global state of the kernel, not namespaced */
	{ "sethostname", CAP_SYS_ADMIN, EPERM },
	{ "setdomainname", CAP_SYS_ADMIN, EPERM },
	{ "quotactl", CAP_SYS_ADMIN, EPERM },
	{ "quotactl_fd", CAP_SYS_ADMIN, EPERM },
	{ "lookup_dcookie", CAP_SYS_ADMIN, EPERM },
	{ "fanotify_init", CAP_SYS_ADMIN, EPERM },
	{ "syslog", CAP_SYSLOG, EPERM },
	{ "swapon", NEVER, EPERM },
	{ "swapoff", NEVER, EPERM },
	{ "acct", CAP_SYS_PACCT, EPERM },
	{ "settimeofday", CAP_SYS_TIME, EPERM },
	{ "clock_settime", CAP_SYS_TIME, EPERM },
	{ "clock_settime64", CAP_SYS_TIME, EPERM }, /* 32-bit x86 */
	{ "stime", CAP_SYS_TIME, EPERM },
	{ "adjtimex", CAP_SYS_TIME, EPERM },
	{ "clock_adjtime", CAP_SYS_TIME, EPERM },
	{ "clock_adjtime64", CAP_SYS_TIME, EPERM },
	{ "add_key", NEVER, EPERM },
	{ "keyctl", NEVER, EPERM },
	{ "request_key", NEVER, EPERM },
	/* the kernel itself */
	{ "reboot", CAP_SYS_BOOT, EPERM },
	{ "kexec_load", NEVER, EPERM },
	{ "kexec_file_load", NEVER, EPERM },
	{ "init_module", CAP_SYS_MODULE, EPERM },
	{ "finit_module", CAP_SYS_MODULE, EPERM },
	{ "delete_module", CAP_SYS_MODULE, EPERM },
	{ "iopl", CAP_SYS_RAWIO, EPERM },
	{ "ioperm", CAP_SYS_RAWIO, EPERM },
	{ "vhangup", CAP_SYS_TTY_CONFIG, EPERM },
	/* obsolete calls no container needs, some never namespaced */
	{ "_sysctl", NEVER, EPERM },
	{ "sysfs", NEVER, EPERM },
	{ "ustat", NEVER, EPERM },
	{ "uselib", NEVER, EPERM },
	{ "nfsservctl", NEVER, EPERM },
	{ "create_module", NEVER, EPERM },
	{ "get_kernel_syms", NEVER, EPERM },
	{ "query_module", NEVER, EPERM },
	{ "vm86", NEVER, EPERM },
	{ "vm86old", NEVER, EPERM },
	/* NUMA memory placement: with CAP_SYS_NICE, other processes' too */
	{ "mbind", CAP_SYS_NICE, EPERM },
	{ "set_mempolicy", CAP_SYS_NICE, EPERM },
	{ "set_mempolicy_home_node", CAP_SYS_NICE, EPERM },
	{ "get_mempolicy", CAP_SYS_NICE, EPERM },
	{ "move_pages", CAP_SYS_NICE, EPERM },
	/* frequent ways into kernel exploits (Docker also takes CAP_BPF
	 * and CAP_PERFMON for the first two) */
	{ "bpf", CAP_SYS_ADMIN, EPERM },
	{ "perf_event_open", CAP_SYS_ADMIN, EPERM },
	{ "userfaultfd", NEVER, EPERM },
	{ "open_by_handle_at", CAP_DAC_READ_SEARCH, EPERM },
	{ "name_to_handle_at", NEVER, EPERM },
	/* io_uring runs reads, writes, opens... inside the kernel, where
	 * no seccomp filter sees them; a rich source of kernel bugs too
	 * (refused by Docker since 25.0) */
	{ "io_uring_setup", NEVER, EPERM },
	{ "io_uring_enter", NEVER, EPERM },
	{ "io_uring_register", NEVER, EPERM },
	/* other processes' memory. ptrace itself stays allowed, as in
	 * Docker since kernel 4.8 fixed its seccomp bypass. */
	{ "process_madvise", CAP_SYS_PTRACE, EPERM },
	{ "pidfd_getfd", CAP_SYS_PTRACE, EPERM },
	{ "process_vm_readv", CAP_SYS_PTRACE, EPERM },
	{ "process_vm_writev", CAP_SYS_PTRACE, EPERM },
	{ "kcmp", CAP_SYS_PTRACE, EPERM },
};

/*
 * personality(2) values Docker allows: PER_LINUX, PER_LINUX32, each with
 * or without UNAME26, and 0xffffffff, which only asks for the current
 * one. The others switch off address space randomisation
 * (ADDR_NO_RANDOMIZE), map page zero (MMAP_PAGE_ZERO, a help to NULL
 * pointer exploits), make data executable (READ_IMPLIES_EXEC)...
 */
#define PER_BITS_ALLOWED (0x8 | 0x20000) /* bits 3 and 17 */

/* The namespace flags of clone(2): CLONE_NEWNS ... CLONE_NEWNET. */
static const unsigned long clone_ns_flags[] = {
	CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,	CLONE_NEWNET,
};

/* Make the call fail with d->err. */
static int deny(struct seccomp_profile *sp, const struct denied *d)
{
	return seccomp_profile_add(sp, d->name, SCMP_ACT_ERRNO(d->err), NULL,
				   0);
}

/*
 * clone(2) is how every process is made, so it cannot go; but with one of
 * the CLONE_NEW* flags it is unshare(2) in another form. One rule per
 * flag: EPERM when (flags & flag) == flag. The flags are clone's first
 * argument (its second on s390, which barge does not handle).
 */
static int deny_clone_namespaces(struct seccomp_profile *sp)
{
	struct seccomp_arg arg = { .index = 0, .op = SCMP_CMP_MASKED_EQ };
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(clone_ns_flags); i++) {
		arg.value = arg.value_two = clone_ns_flags[i];
		r = seccomp_profile_add(sp, "clone", SCMP_ACT_ERRNO(EPERM),
					&arg, 1);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Refuse personality(x) unless x is one of the values above. "x is none
 * of them" is an AND of five comparisons of the same argument, which
 * libseccomp does not take (one comparison per argument and rule,
 * seccomp_rule_add(3)); nor does it take ALLOW rules in a filter whose
 * default is ALLOW. So the refusal is an OR of rules of one comparison
 * each: x above 32 bits; or, reading x's 32 bits as a ring, a run of 1s
 * that ends at some bit b (bit b set, bit b+1 clear), except that a run
 * ending at bit 3 or 17 is refused only if it is longer than that one bit
 * (bit b-1 set too). The five values have no such run; every other value
 * has one.
 */
static int deny_personality(struct seccomp_profile *sp)
{
	struct seccomp_arg arg = { .index = 0,
				   .op = SCMP_CMP_GT,
				   .value = 0xffffffffULL };
	uint64_t set;
	int b, r;

	r = seccomp_profile_add(sp, "personality", SCMP_ACT_ERRNO(EPERM), &arg,
				1);
	arg.op = SCMP_CMP_MASKED_EQ;
	for (b = 0; r == 0 && b < 32; b++) {
		set = 1ULL << b;
		if (set & PER_BITS_ALLOWED)
			set |= 1ULL << (b - 1);
		arg.value = set | 1ULL << ((b + 1) % 32); /* the mask */
		arg.value_two = set;
		r = seccomp_profile_add(sp, "personality",
					SCMP_ACT_ERRNO(EPERM), &arg, 1);
	}
	return r;
}

/*
 * barge's default profile, for a container with the capabilities caps:
 * everything allowed but the calls above, on this machine's architecture
 * and the 32-bit ones it also runs (a call of an architecture the filter
 * does not know kills the process).
 */
int syscalls_default_profile(uint64_t caps, struct seccomp_profile *ret)
{
	size_t i;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	ret->default_action = SCMP_ACT_ALLOW;
	seccomp_profile_add_native_arches(ret);
	for (i = 0; r == 0 && i < ARRAY_SIZE(denied); i++)
		if (!caps_has(caps, denied[i].cap))
			r = deny(ret, &denied[i]);
	if (r == 0 && !caps_has(caps, CAP_SYS_ADMIN))
		r = deny_clone_namespaces(ret);
	if (r == 0)
		r = deny_personality(ret);
	if (r < 0)
		seccomp_profile_free(ret);
	return r;
}
