/* SPDX-License-Identifier: MIT */
/*
 * proc.c - run a child and wait for it, forwarding signals; see proc.h
 * and chapter 00, where this loop is the lesson. And barge-runtime's
 * sealed copy of itself (chapter 05).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

/* The signals we pass on to the child. */
static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

int proc_block_signals(sigset_t *mask, sigset_t *old)
{
	size_t i;

	/* A parent that ignored SIGCHLD passed that on to us through exec;
	 * the kernel would then reap our child itself and waitpid() could
	 * never report its status. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(mask);
	sigaddset(mask, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(forwarded_signals); i++)
		sigaddset(mask, forwarded_signals[i]);
	if (sigprocmask(SIG_BLOCK, mask, old) < 0)
		return -errno;
	return 0;
}

int proc_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}

int proc_wait(pid_t child, const sigset_t *mask)
{
	siginfo_t info;
	int status, sig;
	pid_t pid;

	/* The child may have exited already, its SIGCHLD gone with a wait
	 * of someone else's: look before waiting. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == child)
			return status;
	for (;;) {
		sig = sigwaitinfo(mask, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (sig == SIGCHLD) {
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == child)
					return status;
			continue;
		}
		/* A key pressed on the terminal (^C) already reached the
		 * child: it is in our process group. Forward only what
		 * another process sent us (si_code <= 0: kill, sigqueue). */
		if (info.si_code <= 0)
			kill(child, sig);
	}
}

/* The signals are blocked before fork: a SIGCHLD that came before
 * sigwaitinfo() would otherwise be lost, and we would wait forever. */
int proc_spawn(char *const argv[])
{
	sigset_t mask, old;
	int status, r;
	pid_t pid;

	r = proc_block_signals(&mask, &old);
	if (r < 0)
		return r;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return r;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execv(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	status = proc_wait(pid, &mask);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status < 0 ? status : proc_exit_code(status);
}

int proc_stat_start(pid_t pid, unsigned long long *ret_start, char *ret_state)
{
	char path[64], buf[1024], *p;
	unsigned long long start;
	char state;
	ssize_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	/* Field 2, the command name, is in parentheses and may hold spaces
	 * and ')': the fields we want come after its last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c", &state) != 1)
		return -EBADMSG;
	/* From field 3, the state, skip to field 22. */
	for (field = 3, p += 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &start) != 1)
		return -EBADMSG;
	*ret_start = start;
	if (ret_state)
		*ret_state = state;
	return 0;
}

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* A read-only clone of the binary's mount, detached (open_tree(2)): no
 * copy, nothing in any mount table. Root only (CAP_SYS_ADMIN). */
static int readonly_clone(void)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int fd;

	fd = open_tree(AT_FDCWD, "/proc/self/exe",
		       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* linux/memfd.h, 6.3 */
#endif

/* A copy in memory, sealed: what an unprivileged user can make. */
static int sealed_copy(int exe)
{
	struct stat st;
	off_t off = 0;
	ssize_t n;
	int mem, r = 0;

	/* MFD_EXEC (Linux 6.3): executable even where vm.memfd_noexec
	 * makes memfds noexec by default; older kernels refuse the flag */
	mem = memfd_create(program_invocation_short_name,
			   MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mem < 0 && errno == EINVAL)
		mem = memfd_create(program_invocation_short_name,
				   MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mem < 0 || fstat(exe, &st) < 0)
		r = -errno;
	while (r == 0 && off < st.st_size) {
		n = sendfile(mem, exe, &off, st.st_size - off);
		if (n <= 0)
			r = n < 0 ? -errno : -EIO;
	}
	if (r == 0 && fcntl(mem, F_ADD_SEALS, SEALS) < 0)
		r = -errno;
	if (r < 0 && mem >= 0)
		close(mem);
	return r < 0 ? r : mem;
}

int proc_reexec_sealed(char **argv)
{
	extern char **environ;
	struct statvfs sv;
	int exe, fd, seals;

	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return -errno;
	/* Done already (or installed so): a read-only mount, or a memfd
	 * with its seals (a file on disk has none: EINVAL). */
	seals = fcntl(exe, F_GET_SEALS);
	if ((seals >= 0 && (seals & SEALS) == SEALS) ||
	    (fstatvfs(exe, &sv) == 0 && (sv.f_flag & ST_RDONLY))) {
		close(exe);
		/* ps would say "memfd:barge-run": the name from argv[0] */
		prctl(PR_SET_NAME, program_invocation_short_name);
		return 0;
	}
	fd = readonly_clone();
	if (fd < 0)
		fd = sealed_copy(exe);
	close(exe);
	if (fd < 0)
		return fd;
	/* close-on-exec is fine for a binary: the kernel holds the file */
	execveat(fd, "", argv, environ, AT_EMPTY_PATH);
	close(fd);
	return -errno;
}
