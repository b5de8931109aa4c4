/* SPDX-License-Identifier: MIT */
/*
 * caps.c - root, cut down to what a container needs (capabilities(7)).
 *
 * Since Linux 2.2 root's power is split into some forty capabilities, each
 * checked on its own: CAP_CHOWN for chown(2), CAP_SYS_ADMIN for mount(2),
 * CAP_SYS_MODULE for loading a kernel module, and so on. A process has
 * five sets of them:
 *
 *	bounding     the most it can ever get: no exec adds one outside it
 *	permitted    what it may make effective
 *	effective    what the kernel checks, call by call
 *	inheritable  what exec keeps for programs whose file has it too
 *	ambient      what exec keeps for any program (not set-user-ID ones)
 *
 * The container's set (c->sec.caps) was chosen in the parent (policy.c:
 * Docker's default set, changed by --cap-add and --cap-drop). Here the
 * child takes every other capability away. Inheritable and ambient stay
 * empty, as in Docker since CVE-2022-24769: a capability there could
 * reach a program that was not meant to have it.
 */
#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "barge.h"
#include "util.h"

static uint64_t cap_bit(int cap)
{
	return (uint64_t)1 << cap;
}

/*
 * The bounding set first, while we still have CAP_SETPCAP to drop from it
 * (PR_CAPBSET_DROP in prctl(2)): whatever exec the container does later,
 * set-user-ID root programs and files with capabilities included, it can
 * never get a capability back.
 */
int caps_drop_bounding(const struct container *c)
{
	/* LAB(drop-bounding): drop every capability not in c->sec.caps from the bounding set */
	int cap;

	for (cap = 0; cap < cap_max_bits(); cap++)
		if (!caps_has(c->sec.caps, cap) && cap_drop_bound(cap) < 0)
			return -errno;
	/* LAB STUB: (void)c; */
	/* LAB END */
	return 0;
}

/* Add the capabilities of caps to a set of state. */
static int add_caps(cap_t state, cap_flag_t set, uint64_t caps)
{
	cap_value_t list[64];
	int cap, n = 0;

	for (cap = 0; cap < 64; cap++)
		if (caps_has(caps, cap))
			list[n++] = cap;
	/* cap_set_flag() refuses an empty list: nothing to set then */
	if (n > 0 && cap_set_flag(state, set, n, list, CAP_SET) < 0)
		return -errno;
	return 0;
}

/* Effective and permitted = caps; inheritable and ambient empty.
 * Chapter 05: each of config.json's sets as it says. */
static int set_caps(uint64_t effective, uint64_t permitted,
		    uint64_t inheritable)
{
	cap_t state;
	int r;

	state = cap_init(); /* every set empty */
	if (!state)
		return -errno;
	r = add_caps(state, CAP_EFFECTIVE, effective);
	if (r == 0)
		r = add_caps(state, CAP_PERMITTED, permitted);
	if (r == 0)
		r = add_caps(state, CAP_INHERITABLE, inheritable);
	if (r == 0 && cap_set_proc(state) < 0)
		r = -errno;
	cap_free(state);
	if (r == 0 && CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		r = -errno;
	return r;
}

/*
 * The container's set, plus CAP_SETUID and CAP_SETGID when --user is
 * given: changing user needs them, and it comes after this step.
 *
 * Chapter 05: config.json may give a user other than root capabilities,
 * which setresuid(2) would empty: PR_SET_KEEPCAPS keeps the permitted
 * set through it, as runc does, and caps_drop_setid() sets them all.
 */
int caps_set_keeping_setid(const struct container *c)
{
	uint64_t caps = c->sec.cap_permitted;

	if (c->sec.user_set)
		caps |= cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	return set_caps(caps, caps, c->sec.cap_inheritable);
}

/*
 * After the user change, the sets config.json gives, which no longer hold
 * the CAP_SETUID and CAP_SETGID kept for it (barge gives a user other than
 * root none at all, as Docker does). Then the ambient set: raising one
 * needs it permitted and inheritable, and where it is not, runc and crun
 * leave it out, and so does barge-runtime.
 */
int caps_drop_setid(const struct container *c)
{
	const struct security *s = &c->sec;
	int cap, r;

	r = set_caps(s->cap_effective, s->cap_permitted, s->cap_inheritable);
	if (r < 0)
		return r;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -errno;
	for (cap = 0; cap < 64; cap++)
		if (caps_has(s->cap_ambient, cap) &&
		    cap_set_ambient(cap, CAP_SET) < 0 && errno != EPERM)
			return -errno;
	return 0;
}
