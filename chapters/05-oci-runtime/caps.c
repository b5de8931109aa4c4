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
 * A container gets Docker's default set, the fourteen capabilities that
 * ordinary software in an image expects of root (chown its files, bind
 * port 80, switch to another user...), and none of those that reach
 * beyond the container: CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE,
 * CAP_SYS_TIME, CAP_NET_ADMIN, CAP_SYS_RAWIO... Inheritable and ambient
 * stay empty, as in Docker since CVE-2022-24769: a capability there could
 * reach a program that was not meant to have it.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "barge.h"
#include "util.h"

/* moby's oci/caps: DefaultCapabilities(). */
static const cap_value_t default_caps[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,	     CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,	     CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

static uint64_t cap_bit(int cap)
{
	return (uint64_t)1 << cap;
}

bool caps_has(uint64_t caps, int cap)
{
	return cap >= 0 && cap < 64 && (caps & cap_bit(cap));
}

/* chapter 05: the default set is also what "barge-runtime spec" writes. */
uint64_t caps_default(void)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(default_caps); i++)
		set |= cap_bit(default_caps[i]);
	return set;
}

/*
 * CAP_SYS_ADMIN -> "CAP_SYS_ADMIN", as config.json names it (chapter 05).
 * libcap's cap_to_name() says "cap_sys_admin", or a number for a
 * capability it does not know: -EINVAL then.
 */
int caps_name(int cap, char *buf, size_t size)
{
	char *name = cap_to_name(cap);
	size_t i;
	int r = 0;

	if (!name)
		return -errno;
	if (strncmp(name, "cap_", 4) != 0 || strlen(name) >= size)
		r = -EINVAL;
	for (i = 0; r == 0 && name[i]; i++)
		buf[i] = toupper((unsigned char)name[i]);
	if (r == 0)
		buf[i] = '\0';
	cap_free(name);
	return r;
}

/* Every capability the running kernel knows. */
static uint64_t kernel_caps(void)
{
	int n = cap_max_bits();

	return n >= 64 ? ~(uint64_t)0 : cap_bit(n) - 1;
}

/* The capabilities barge itself has: it cannot hand out others. */
static int own_caps(uint64_t *ret)
{
	cap_flag_value_t v;
	cap_t state;
	int cap;

	state = cap_get_proc();
	if (!state)
		return -errno;
	*ret = 0;
	for (cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if (cap_get_flag(state, cap, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			*ret |= cap_bit(cap);
	cap_free(state);
	return 0;
}

/*
 * "SYS_ADMIN", "CAP_SYS_ADMIN", "cap_sys_admin" -> CAP_SYS_ADMIN, as Docker
 * takes them; "ALL" -> -1. libcap's cap_from_name() knows the names (it
 * also takes numbers, which Docker does not).
 */
int caps_parse(const char *name, int *ret_cap)
{
	char buf[64] = "cap_";
	cap_value_t cap;
	size_t i, n;

	if (strcasecmp(name, "ALL") == 0) {
		*ret_cap = -1;
		return 0;
	}
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	n = strlen(name);
	if (n == 0 || n + 5 > sizeof(buf))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)name[i]) && name[i] != '_')
			return -EINVAL;
		buf[4 + i] = tolower((unsigned char)name[i]);
	}
	buf[4 + n] = '\0';
	if (cap_from_name(buf, &cap) < 0 || cap < 0 || cap >= 64)
		return -EINVAL;
	*ret_cap = cap;
	return 0;
}

/*
 * The container's set, by Docker's rules (moby's TweakCapabilities):
 * --cap-add ALL gives every capability but those dropped; --cap-drop ALL
 * keeps only those added; otherwise the default set, minus the dropped,
 * plus the added. In a user namespace the container gets its capabilities
 * from the new namespace, which has them all; otherwise from barge. A
 * capability barge cannot give is -EPERM, with its number in s->caps.
 */
int caps_compute(struct security *s)
{
	uint64_t have = kernel_caps(), defaults = caps_default(), set, missing;
	int r;

	if (!s->userns) {
		r = own_caps(&have);
		if (r < 0)
			return r;
	}
	if (s->cap_add_all)
		set = have & ~s->cap_drop;
	else if (s->cap_drop_all)
		set = s->cap_add;
	else
		set = (defaults & ~s->cap_drop) | s->cap_add;
	missing = set & ~have;
	if (missing) {
		s->caps = __builtin_ctzll(missing);
		return -EPERM;
	}
	s->caps = set;
	return 0;
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

/* The capabilities in a mask, as libcap's list. */
static int cap_list(uint64_t caps, cap_value_t *list)
{
	int cap, n = 0;

	for (cap = 0; cap < 64; cap++)
		if (caps_has(caps, cap))
			list[n++] = cap;
	return n;
}

/* cap_set_flag() refuses an empty list: nothing to set then. */
static int set_flag(cap_t state, cap_flag_t flag, uint64_t caps)
{
	cap_value_t list[64];
	int n = cap_list(caps, list);

	if (n > 0 && cap_set_flag(state, flag, n, list, CAP_SET) < 0)
		return -errno;
	return 0;
}

/* Ambient capabilities (chapter 05: config.json may ask for them) pass
 * through exec to a program without file capabilities. */
static int set_ambient(uint64_t caps)
{
	cap_value_t list[64];
	int i, n = cap_list(caps, list);

	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		return -errno;
	for (i = 0; i < n; i++)
		if (cap_set_ambient(list[i], CAP_SET) < 0)
			return -errno;
	return 0;
}

/* Effective and permitted = caps, plus extra; inheritable and ambient
 * empty. Chapter 05: config.json's sets, when it gives them. */
static int set_caps(const struct security *s, uint64_t extra)
{
	uint64_t eff = s->oci_caps ? s->cap_effective : s->caps;
	uint64_t perm = s->oci_caps ? s->cap_permitted : s->caps;
	uint64_t inh = s->oci_caps ? s->cap_inheritable : 0;
	cap_t state;
	int r;

	state = cap_init(); /* every set empty */
	if (!state)
		return -errno;
	r = set_flag(state, CAP_EFFECTIVE, eff | extra);
	if (r == 0)
		r = set_flag(state, CAP_PERMITTED, perm | extra);
	if (r == 0)
		r = set_flag(state, CAP_INHERITABLE, inh);
	if (r == 0 && cap_set_proc(state) < 0)
		r = -errno;
	cap_free(state);
	if (r == 0)
		r = set_ambient(s->oci_caps ? s->cap_ambient : 0);
	return r;
}

/*
 * The container's set, plus CAP_SETUID and CAP_SETGID when --user is
 * given: changing user needs them, and it comes after this step.
 */
int caps_set_keeping_setid(const struct container *c)
{
	uint64_t extra = 0;

	if (c->sec.user_set)
		extra = cap_bit(CAP_SETUID) | cap_bit(CAP_SETGID);
	/* chapter 05: config.json's sets are kept for any user: keep the
	 * permitted set through setresuid(2) to put them back after it. */
	if (c->sec.oci_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	return set_caps(&c->sec, extra);
}

/*
 * After setresuid(2) to a uid other than 0 the kernel has already emptied
 * the permitted and effective sets (see "Effect of user ID changes on
 * capabilities" in capabilities(7)): a non-root user gets no capability,
 * as in Docker. For --user 0:GID, take back what was kept for the change.
 */
int caps_drop_setid(const struct container *c)
{
	if (!c->sec.user_set || (c->sec.uid != 0 && !c->sec.oci_caps))
		return 0;
	return set_caps(&c->sec, 0);
}
