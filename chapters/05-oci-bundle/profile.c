/* SPDX-License-Identifier: MIT */
/*
 * profile.c - a seccomp profile compiled into a filter, and the filter
 * loaded: the end of the road for every system call rule.
 *
 * A filter is a small BPF program the kernel runs on every system call
 * the process makes: it sees the call's number and its six arguments
 * (never what pointers point to) and answers ALLOW, ERRNO(n), KILL...
 * Nobody writes it by hand: libseccomp compiles rules written with names
 * ("mount", arg 0 equal to 8) into it, for each architecture the process
 * could use (an x86-64 process can also make 32-bit calls, whose numbers
 * differ).
 *
 * The profile, barge's own (syscalls.c) or one in Docker's format
 * (common/seccomp_profile.c reads it), was decided in the parent; it is
 * compiled there too, before clone, so that a mistake in it is reported
 * before anything exists. The child loads it last of all (security.c).
 */
#include <errno.h>
#include <seccomp.h>

#include "barge.h"
#include "util.h"

/*
 * One rule, for one system call. As runc does: the conditions of a rule
 * must all hold (AND), unless two of them test the same argument, which
 * could never both hold; then each condition is a rule of its own (OR).
 */
static int add_rule(scmp_filter_ctx ctx, int nr, uint32_t action,
		    const struct seccomp_rule *sr)
{
	struct scmp_arg_cmp args[6];
	unsigned int i, n = 0, seen = 0;
	bool same_arg = false;
	int r;

	for (i = 0; i < sr->n_args && i < 6; i++) {
		args[n++] =
			(struct scmp_arg_cmp){ .arg = sr->args[i].index,
					       .op = sr->args[i].op,
					       .datum_a = sr->args[i].value,
					       .datum_b =
						       sr->args[i].value_two };
		same_arg |= seen & (1u << sr->args[i].index);
		seen |= 1u << sr->args[i].index;
	}
	/* LAB(seccomp-rule): the call nr gets action when the n conditions in args hold (each its own rule when two test the same argument) */
	if (!same_arg)
		return seccomp_rule_add_array(ctx, action, nr, n, args);
	for (i = 0, r = 0; r == 0 && i < n; i++)
		r = seccomp_rule_add_array(ctx, action, nr, 1, &args[i]);
	return r;
	/* LAB STUB: (void)ctx; */
	/* LAB STUB: (void)args; */
	/* LAB STUB: (void)nr; */
	/* LAB STUB: (void)action; */
	/* LAB STUB: (void)same_arg; */
	/* LAB STUB: (void)r; */
	/* LAB STUB: return 0; */
	/* LAB END */
}

static int add_rules(scmp_filter_ctx ctx, const struct seccomp_profile *sp,
		     const struct seccomp_rule *sr)
{
	char **name;
	int nr, r;

	/* libseccomp refuses a rule that does what the default does */
	if (sr->action == sp->default_action)
		return 0;
	for (name = sr->names; name && *name; name++) {
		nr = seccomp_syscall_resolve_name(*name);
		/* Unknown to libseccomp: no kernel it knows has the call,
		 * or not on this architecture. Skipped, as in Docker. */
		if (nr == __NR_SCMP_ERROR)
			continue;
		r = add_rule(ctx, nr, sr->action, sr);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * no_new_privs is the pipeline's own step, not a side effect of loading
 * (libseccomp sets it by default: SCMP_FLTATR_CTL_NNP). Without it, and
 * without CAP_SYS_ADMIN, the kernel refuses the filter (EACCES).
 */
int profile_compile(const struct seccomp_profile *sp, void **ret_filter)
{
	scmp_filter_ctx ctx;
	size_t i;
	int r;

	ctx = seccomp_init(sp->default_action);
	if (!ctx)
		return -EINVAL;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* the kernel's own errno (EACCES...), not libseccomp's ECANCELED */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	for (i = 0; r == 0 && i < sp->n_arches; i++) {
		r = seccomp_arch_add(ctx, sp->arches[i]);
		if (r == -EEXIST)
			r = 0;
	}
	for (i = 0; r == 0 && i < sp->n_rules; i++)
		r = add_rules(ctx, sp, &sp->rules[i]);
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*ret_filter = ctx;
	return 0;
}

/*
 * The last step before exec. From here on the filter applies to this
 * process and to every process it makes; no one can remove it.
 */
int profile_install(const struct container *c)
{
	if (!c->sec.seccomp || !c->sec.no_new_privs)
		return 0; /* --security-opt seccomp=unconfined, or done */
	return seccomp_load(c->sec.seccomp);
}

/* Chapter 05: without no_new_privs, while we still have CAP_SYS_ADMIN. */
int profile_install_early(const struct container *c)
{
	if (!c->sec.seccomp || c->sec.no_new_privs)
		return 0;
	return seccomp_load(c->sec.seccomp);
}
