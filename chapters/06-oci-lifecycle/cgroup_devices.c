/* SPDX-License-Identifier: MIT */
/*
 * cgroup_devices.c - which device nodes the container may create (m),
 * read (r) and write (w): the devices cgroup.
 *
 * A device node is only a name for a (type, major, minor) triple: a root
 * process that may mknod can make "b 8:0", the host's first disk, or
 * "c 1:1", its memory, anywhere it can write. So the kernel checks the
 * triple itself, at mknod and at open, against the rules of the
 * process's cgroup: a list, each rule {allow, type a|b|c, major, minor,
 * access}, where a later rule wins over an earlier one and a rule of type
 * "a" (every device) starts the list over. A container gets "deny all",
 * then the devices every container needs (cg_device_rules), as in Docker,
 * runc and crun: /dev/null yes, the host's disks no.
 *
 * cgroup v1 has a controller for it, with two files (cgroup_v1.c writes
 * the rules to them one by one). cgroup v2 has no devices controller:
 * the check is an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE,
 * attached to the cgroup, that the kernel runs at each mknod and open and
 * that answers 1 (allow) or 0 (deny). This file writes that program.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups.h"
#include "util.h"

/* runc's and crun's list: mknod of any node (what is made still cannot
 * be opened without a rule that allows it), and the nodes chapter 02
 * makes in /dev, plus the terminals. */
static const struct cg_device_rule default_rules[] = {
	{ true, 'c', -1, -1, "m" },   { true, 'b', -1, -1, "m" },
	{ true, 'c', 1, 3, "rwm" },   /* /dev/null */
	{ true, 'c', 1, 5, "rwm" },   /* /dev/zero */
	{ true, 'c', 1, 7, "rwm" },   /* /dev/full */
	{ true, 'c', 1, 8, "rwm" },   /* /dev/random */
	{ true, 'c', 1, 9, "rwm" },   /* /dev/urandom */
	{ true, 'c', 5, 0, "rwm" },   /* /dev/tty */
	{ true, 'c', 5, 1, "rwm" },   /* /dev/console */
	{ true, 'c', 5, 2, "rwm" },   /* /dev/ptmx */
	{ true, 'c', 136, -1, "rwm" } /* /dev/pts/N */
};

int cg_device_rules(const struct cg_device_rule *rules, size_t n,
		    struct cg_device_rule **ret, size_t *ret_n)
{
	size_t total = n + ARRAY_SIZE(default_rules);

	*ret = calloc(total, sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	memcpy(*ret, rules, n * sizeof(*rules));
	memcpy(*ret + n, default_rules, sizeof(default_rules));
	*ret_n = total;
	return 0;
}

/* "rwm" as the kernel's BPF_DEVCG_ACC_* bits. */
static int access_bits(const char *access)
{
	return (strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0) |
	       (strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0) |
	       (strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0);
}

struct prog {
	struct bpf_insn *insns;
	size_t n;
};

static void emit(struct prog *p, __u8 code, __u8 dst, __u8 src, __s16 off,
		 __s32 imm)
{
	p->insns[p->n++] = (struct bpf_insn){ .code = code,
					      .dst_reg = dst,
					      .src_reg = src,
					      .off = off,
					      .imm = imm };
}

/*
 * One rule, as a block that ends in "return allow" and that every test
 * which fails jumps over ("goto next": the offset counts the instructions
 * to skip, patched once the block's length is known). The registers hold
 * what the prologue loaded: r2 the type, r3 the access asked, r4 major,
 * r5 minor. An allow rule matches when it grants all the access asked
 * (open O_RDWR asks r and w at once); a deny rule when it forbids any.
 */
static void emit_rule(struct prog *p, const struct cg_device_rule *d)
{
	int acc = access_bits(d->access), jumps[4], nj = 0, i;

	emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0,
	     d->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
	jumps[nj++] = p->n - 1;
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_3, 0, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_6, 0, 0,
	     d->allow ? ~acc & 7 : acc);
	emit(p, BPF_JMP | (d->allow ? BPF_JNE : BPF_JEQ) | BPF_K, BPF_REG_6, 0,
	     0, 0);
	jumps[nj++] = p->n - 1;
	if (d->major >= 0) {
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, d->major);
		jumps[nj++] = p->n - 1;
	}
	if (d->minor >= 0) {
		emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, d->minor);
		jumps[nj++] = p->n - 1;
	}
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, d->allow);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (i = 0; i < nj; i++)
		p->insns[jumps[i]].off = p->n - jumps[i] - 1;
}

/*
 * The program's shape, for rules R1..Rn:
 *
 *	r2 = ctx->access_type & 0xffff		the type: block or char
 *	r3 = ctx->access_type >> 16		the access: m, r, w bits
 *	r4 = ctx->major; r5 = ctx->minor
 *	if Rn matches: return Rn.allow
 *	...
 *	if Rk+1 matches: return Rk+1.allow
 *	return Rk.allow				(Rk the last rule of type a)
 *
 * The rules are tested from the last, so the first that matches is the
 * one written last: the later rule wins, as in v1. Rules before the last
 * "a" never matter: it matches everything. Without one, the default is
 * to allow, as a new v1 cgroup inherits "a *:* rwm" from the root.
 */
static int build_program(const struct cg_device_rule *rules, size_t n,
			 struct prog *p)
{
	size_t first = 0, i;
	int deflt = 1;

	for (i = 0; i < n; i++)
		if (rules[i].type == 'a') {
			first = i + 1;
			deflt = rules[i].allow;
		}
	p->n = 0;
	p->insns = calloc(6 + 8 * (n - first) + 2, sizeof(*p->insns));
	if (!p->insns)
		return -ENOMEM;
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_1, 0, 0);
	emit(p, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0);
	for (i = n; i > first; i--)
		emit_rule(p, &rules[i - 1]);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, deflt);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return 0;
}

/* glibc has no wrapper for bpf(2). */
static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* A file descriptor for the program, or -errno (the verifier's). */
static int load_program(const struct prog *p)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (__u64)(unsigned long)p->insns;
	attr.insn_cnt = p->n;
	/* Only programs that call GPL-only helpers need "GPL"; this one
	 * calls none. */
	attr.license = (__u64)(unsigned long)"MIT";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

/*
 * Load the program and attach it to the cgroup dir. The attachment holds
 * the program: our file descriptors can go, and it lives until rmdir.
 * BPF_F_ALLOW_MULTI: the programs of the cgroups above, if any (systemd
 * attaches some), still run, and a device must pass all of them.
 */
int cg_device_program(struct cgroup *cg, const char *dir,
		      const struct cg_device_rule *rules, size_t n)
{
	union bpf_attr attr;
	struct prog p;
	int dir_fd, prog_fd, r;

	snprintf(cg->failed, sizeof(cg->failed), "%s", dir);
	r = build_program(rules, n, &p);
	if (r < 0)
		return r;
	prog_fd = load_program(&p);
	free(p.insns);
	if (prog_fd < 0)
		return prog_fd;
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		r = -errno;
		goto out_close_prog;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = dir_fd;
	attr.attach_bpf_fd = prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	r = sys_bpf(BPF_PROG_ATTACH, &attr) < 0 ? -errno : 0;
	close(dir_fd);
out_close_prog:
	close(prog_fd);
	return r;
}
