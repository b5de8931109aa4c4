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

/* Effective and permitted = caps; inheritable and ambient empty. */
static int set_caps(uint64_t caps)
{
	cap_value_t list[64];
	int cap, n = 0, r = 0;
	cap_t state;

	for (cap = 0; cap < 64; cap++)
		if (caps_has(caps, cap))
			list[n++] = cap;
	state = cap_init(); /* every set empty */
	if (!state)
		return -errno;
	/* cap_set_flag() refuses an empty list: nothing to set then */
	if ((n > 0 &&
	     (cap_set_flag(state, CAP_EFFECTIVE, n, list, CAP_SET) < 0 ||
	      cap_set_flag(state, CAP_PERMITTED, n, list, CAP_SET) < 0)) ||
	    cap_set_proc(state) < 0)
		r = -errno;
	cap_free(state);
	if (r == 0 && CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		r = -errno;
	return r;
}

/*
 * The container's set, plus CAP_SETUID and CAP_SETGID when --user is
 * given: changing user needs them, and it comes after this step.
 */
int caps_set_keeping_setid(const struct container *c)
{
	uint64_t caps = c->sec.caps;

	if (c->sec.user_set)
		caps |= cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID);
	return set_caps(caps);
}

/*
 * After setresuid(2) to a uid other than 0 the kernel has already emptied
 * the permitted and effective sets (see "Effect of user ID changes on
 * capabilities" in capabilities(7)): a non-root user gets no capability,
 * as in Docker. For --user 0:GID, take back what was kept for the change.
 */
int caps_drop_setid(const struct container *c)
{
	if (!c->sec.user_set || c->sec.uid != 0)
		return 0;
	return set_caps(c->sec.caps);
}
