/* SPDX-License-Identifier: MIT */
/*
 * rootfs.c - give the container a directory of its own as "/".
 *
 * chroot(2) changes one thing: where the process's path lookups start.
 * After chroot(DIR), "/bin/sh" means DIR/bin/sh. Programs inside also
 * expect a /proc, so the parent mounts one at DIR/proc before the child
 * starts and unmounts it after the child ends.
 *
 * That is all chroot does. The process still sees every other process (in
 * /proc), the host's hostname, network and users, and a root process can
 * walk back out (see the chapter's demo). Chapter 02 fixes this with
 * namespaces.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "barge.h"
#include "log.h"
#include "util.h"

#define DEFAULT_PATH \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int rootfs_mount_proc(const char *rootfs)
{
	char proc[PATH_MAX];
	int r;

	r = path_join(proc, sizeof(proc), rootfs, "proc");
	if (r < 0)
		return r;
	r = mkdir_p(proc, 0555);
	if (r < 0)
		return r;
	/* LAB(mount-proc): mount a proc filesystem on DIR/proc */
	/* No setuid binaries, device nodes or programs on /proc. */
	if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return -errno;
	/* LAB STUB: (void)proc; */
	/* LAB END */
	return 0;
}

void rootfs_umount_proc(const char *rootfs)
{
	char proc[PATH_MAX];

	if (path_join(proc, sizeof(proc), rootfs, "proc") < 0)
		return;
	/* MNT_DETACH: a process the command left behind may still have its
	 * cwd in there; detach now, the kernel frees it when unused. */
	if (umount2(proc, MNT_DETACH) < 0)
		log_errno(-errno, "umount %s", proc);
}

int rootfs_enter(const char *rootfs)
{
	/* LAB(chroot): make rootfs the root directory, and go there */
	if (chroot(rootfs) < 0)
		return -errno;
	/* chroot does not move the current directory: without this chdir
	 * the process would still be outside its new root. */
	if (chdir("/") < 0)
		return -errno;
	/* LAB STUB: (void)rootfs; */
	/* LAB STUB: return -ENOSYS; */
	/* LAB END */
	return 0;
}

/* The host's environment (SSH_AUTH_SOCK, LD_PRELOAD, ...) is none of the
 * container's business: start from nothing, as docker run does. */
int rootfs_clean_environment(void)
{
	const char *term = getenv("TERM");
	char host[HOST_NAME_MAX + 1] = "";
	char saved_term[64] = "xterm";

	if (term && *term && strlen(term) < sizeof(saved_term))
		strcpy(saved_term, term);
	gethostname(host, sizeof(host) - 1);
	if (clearenv() != 0)
		return -ENOMEM;
	if (setenv("PATH", DEFAULT_PATH, 1) < 0 ||
	    setenv("HOME", "/root", 1) < 0 ||
	    setenv("TERM", saved_term, 1) < 0 ||
	    setenv("HOSTNAME", host, 1) < 0)
		return -errno;
	return 0;
}
