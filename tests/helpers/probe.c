// SPDX-License-Identifier: MIT
/*
 * probe - report facts from inside a container, for the integration tests.
 *
 * The tests copy this program, statically linked, into the busybox root
 * filesystem (tools/mkrootfs puts it at /bin/probe) and run it as the
 * container's command:
 *
 *	barge run ROOTFS probe caps
 *
 * Each command prints plain text, one fact per line, so that a test can
 * compare the output with a string: "ok", "EPERM", "CapEff=0000000000000000".
 *
 * Exit status: 0 when the command did what it was asked, 1 when the
 * operation itself failed (the reason is on stderr, or, for "write", the
 * errno name on stdout), 2 on a usage error (message on stderr). Some
 * commands use other codes on purpose: "exit N", "kill-self", and
 * "wait-signal" (3 on timeout).
 *
 * The probe must be safe to run on a host by mistake: every privileged call
 * is chosen so that it either fails harmlessly or undoes itself (see the
 * comments in the "syscall" section). It never reboots, never loads a module
 * and never stops another process.
 *
 * Build: gcc -static -O2 -Wall -Wextra -Werror -std=gnu11 -o probe probe.c
 */
#define _GNU_SOURCE /* strerrorname_np, setns, open_by_handle_at, ... */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>

#define EXIT_OK	     0
#define EXIT_FAILED  1
#define EXIT_USAGE   2
#define EXIT_TIMEOUT 3

#define MIB		   (1024 * 1024)
#define WAIT_SIGNAL_SECS   30
#define ESCAPE_DOTDOT_HOPS 64

extern char **environ;

/* ---------------------------------------------------------------------- */
/* Small helpers: errors, names, numbers                                   */
/* ---------------------------------------------------------------------- */

/* Print "probe: <what>: <reason>" once, and return the exit status. */
static int fail(int r, const char *fmt, ...)
{
	va_list ap;

	fputs("probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(-r));
	return EXIT_FAILED;
}

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try 'probe help')\n", stderr);
	return EXIT_USAGE;
}

/* "EPERM" for EPERM: tests compare names, which are the same everywhere. */
static const char *errno_name(int err)
{
	static char unknown[32];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(unknown, sizeof(unknown), "errno%d", err);
	return unknown;
}

/* Turn a libc-style return (-1 and errno) into a negative errno. */
static int neg_errno(long rc)
{
	return rc < 0 ? -errno : 0;
}

static int parse_long(const char *s, long min, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_seconds(const char *s, struct timespec *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 1e9)
		return -EINVAL;
	ret->tv_sec = (time_t)v;
	ret->tv_nsec = (long)((v - (double)ret->tv_sec) * 1e9);
	return 0;
}

static double now_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep the whole interval, even if signals interrupt it. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Accepts "TERM", "SIGTERM", "term" or "15". */
static int parse_signal(const char *s, int *ret)
{
	long num;
	int sig;

	if (parse_long(s, 1, NSIG - 1, &num) == 0) {
		*ret = (int)num;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (sig = 1; sig < NSIG; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev && strcasecmp(s, abbrev) == 0) {
			*ret = sig;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *signal_name(int sig)
{
	static char name[32];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(name, sizeof(name), "SIG%s", abbrev);
	else
		snprintf(name, sizeof(name), "signal %d", sig);
	return name;
}

/* ---------------------------------------------------------------------- */
/* Files and directories                                                   */
/* ---------------------------------------------------------------------- */

/* Copy a file to stdout as it is: /proc files may be large and have no size. */
static int cat_file(const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	if (n < 0)
		r = -errno;
	close(fd);
	return r;
}

/*
 * Find "Field:\tvalue" in a /proc "key: value" file such as /proc/self/status
 * and copy the value, trimmed, into ret (at most size bytes).
 */
static int proc_field(const char *path, const char *field, char *ret,
		      size_t size)
{
	size_t flen = strlen(field), vlen;
	char *line = NULL, *v;
	size_t cap = 0;
	int r = -ENOENT;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (r == -ENOENT && getline(&line, &cap, f) > 0) {
		if (strncmp(line, field, flen) != 0 || line[flen] != ':')
			continue;
		for (v = line + flen + 1; isspace((unsigned char)*v); v++)
			;
		vlen = strcspn(v, "\n");
		while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
			vlen--;
		snprintf(ret, size, "%.*s", (int)vlen, v);
		r = 0;
	}
	free(line);
	fclose(f);
	return r;
}

static int not_dot(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Print a directory's entries, sorted bytewise, one per line. */
static int list_dir(const char *path)
{
	struct dirent **names;
	int i, n;

	n = scandir(path, &names, not_dot, by_name);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		puts(names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int is_pid_entry(const struct dirent *d)
{
	const char *c = d->d_name;

	for (; *c; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	return c != d->d_name;
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	long x = atol((*a)->d_name), y = atol((*b)->d_name);

	return (x > y) - (x < y);
}

/* The state letter of /proc/PID/stat: the field after "(comm)". */
static char proc_state(const char *pid)
{
	char path[64], buf[512], *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	/* comm may itself contain ") ", so look for the last parenthesis */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

/* Count zombies among the processes this /proc shows. */
static int count_zombies(void)
{
	struct dirent *d;
	int count = 0;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		if (is_pid_entry(d) && proc_state(d->d_name) == 'Z')
			count++;
	closedir(dir);
	return count;
}

/* ---------------------------------------------------------------------- */
/* Commands: identity and environment                                      */
/* ---------------------------------------------------------------------- */

static int cmd_pid(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("%d\n", getpid());
	return EXIT_OK;
}

static int cmd_ppid(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("%d\n", getppid());
	return EXIT_OK;
}

static int cmd_hostname(int argc, char **argv)
{
	struct utsname u;

	(void)argc, (void)argv;
	if (uname(&u) < 0)
		return fail(-errno, "uname");
	puts(u.nodename);
	return EXIT_OK;
}

static int cmd_ids(int argc, char **argv)
{
	gid_t groups[NGROUPS_MAX];
	int i, n;

	(void)argc, (void)argv;
	n = getgroups(NGROUPS_MAX, groups);
	if (n < 0)
		return fail(-errno, "getgroups");
	printf("uid=%u gid=%u euid=%u egid=%u groups=", getuid(), getgid(),
	       geteuid(), getegid());
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", groups[i]);
	putchar('\n');
	return EXIT_OK;
}

static int cmd_cwd(int argc, char **argv)
{
	char buf[PATH_MAX];

	(void)argc, (void)argv;
	if (!getcwd(buf, sizeof(buf)))
		return fail(-errno, "getcwd");
	puts(buf);
	return EXIT_OK;
}

static int cmd_env(int argc, char **argv)
{
	char **e;

	(void)argc, (void)argv;
	for (e = environ; *e; e++)
		puts(*e);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: files, /proc, mounts                                          */
/* ---------------------------------------------------------------------- */

static int cmd_file(int argc, char **argv)
{
	int r;

	(void)argc;
	r = cat_file(argv[0]);
	if (r < 0)
		return fail(r, "read %s", argv[0]);
	return EXIT_OK;
}

static int cmd_ls(int argc, char **argv)
{
	int r;

	(void)argc;
	r = list_dir(argv[0]);
	if (r < 0)
		return fail(r, "list %s", argv[0]);
	return EXIT_OK;
}

/* Write TEXT as is (no newline added): cgroup and /proc files accept that. */
static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, r;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	r = n < 0 ? -errno : (size_t)n < len ? -EIO : 0;
	/* close can report a deferred write error, e.g. on a full disk */
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static int cmd_write(int argc, char **argv)
{
	int r;

	(void)argc;
	r = write_file(argv[0], argv[1]);
	puts(r < 0 ? errno_name(-r) : "ok");
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

static int cmd_status(int argc, char **argv)
{
	char value[512];
	int r;

	(void)argc;
	r = proc_field("/proc/self/status", argv[0], value, sizeof(value));
	if (r < 0)
		return fail(r, "field %s of /proc/self/status", argv[0]);
	puts(value);
	return EXIT_OK;
}

static int cmd_caps(int argc, char **argv)
{
	static const char *const sets[] = { "CapInh", "CapPrm", "CapEff",
					    "CapBnd", "CapAmb" };
	char value[64];
	size_t i;
	int r;

	(void)argc, (void)argv;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		r = proc_field("/proc/self/status", sets[i], value,
			       sizeof(value));
		if (r < 0)
			return fail(r, "field %s of /proc/self/status",
				    sets[i]);
		printf("%s=%s\n", sets[i], value);
	}
	return EXIT_OK;
}

static int cmd_cgroup(int argc, char **argv)
{
	int r;

	(void)argc, (void)argv;
	r = cat_file("/proc/self/cgroup");
	if (r < 0)
		return fail(r, "read /proc/self/cgroup");
	return EXIT_OK;
}

static int cmd_mountinfo(int argc, char **argv)
{
	int r;

	(void)argc, (void)argv;
	r = cat_file("/proc/self/mountinfo");
	if (r < 0)
		return fail(r, "read /proc/self/mountinfo");
	return EXIT_OK;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo (octal). */
static void put_unescaped(const char *s)
{
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] &&
		    s[3]) {
			putchar((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				(s[3] - '0'));
			s += 3;
		} else {
			putchar(*s);
		}
	}
	putchar('\n');
}

/* Field 5 of each mountinfo line is the mount point (see proc(5)). */
static int cmd_mounts(int argc, char **argv)
{
	char *line = NULL, *field, *save;
	size_t cap = 0;
	FILE *f;
	int i;

	(void)argc, (void)argv;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return fail(-errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		field = strtok_r(line, " \n", &save);
		for (i = 1; field && i < 5; i++)
			field = strtok_r(NULL, " \n", &save);
		if (field)
			put_unescaped(field);
	}
	free(line);
	fclose(f);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: processes                                                     */
/* ---------------------------------------------------------------------- */

static int cmd_ps(int argc, char **argv)
{
	struct dirent **names;
	int i, n;

	(void)argc, (void)argv;
	n = scandir("/proc", &names, is_pid_entry, by_number);
	if (n < 0)
		return fail(-errno, "list /proc");
	for (i = 0; i < n; i++) {
		puts(names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return EXIT_OK;
}

static int cmd_zombies(int argc, char **argv)
{
	int n;

	(void)argc, (void)argv;
	n = count_zombies();
	if (n < 0)
		return fail(n, "list /proc");
	printf("%d\n", n);
	return EXIT_OK;
}

/*
 * Leave a grandchild whose parent is gone. The kernel re-parents it to the
 * PID namespace's init (or a subreaper); when it exits it stays a zombie
 * until that process calls wait(). An init that never reaps (a shell, or
 * the application itself as PID 1) piles them up.
 */
static int cmd_orphan_zombie(int argc, char **argv)
{
	pid_t child;
	int n;

	(void)argc, (void)argv;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return fail(-errno, "fork");
	if (child == 0) {
		if (fork() == 0) {
			sleep_ms(200);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(child, NULL, 0);
	sleep_ms(1000);
	n = count_zombies();
	if (n < 0)
		return fail(n, "list /proc");
	printf("%d\n", n);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: network                                                       */
/* ---------------------------------------------------------------------- */

static int cmd_netdevs(int argc, char **argv)
{
	struct if_nameindex *ifs, *i;
	struct ifreq ifr;
	int sock, up;

	(void)argc, (void)argv;
	ifs = if_nameindex();
	if (!ifs)
		return fail(-errno, "if_nameindex");
	/* any socket will do for the interface ioctls; it stays unbound */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		if_freenameindex(ifs);
		return fail(-errno, "socket");
	}
	for (i = ifs; i->if_index; i++) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		up = ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 &&
		     (ifr.ifr_flags & IFF_UP);
		printf("%s %s\n", i->if_name, up ? "up" : "down");
	}
	close(sock);
	if_freenameindex(ifs);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: privileged system calls                                       */
/*                                                                         */
/* Each try_* function makes one call that a container should (or should   */
/* not) be allowed to make, and returns 0 or the negative errno. The       */
/* arguments are picked so that success changes nothing that outlives the  */
/* probe; where the call cannot succeed harmlessly, they are picked to     */
/* fail *after* the kernel's permission check: EPERM then means "denied",  */
/* and EINVAL, E2BIG, ENOENT, ENOEXEC, ESTALE mean "allowed, but the      */
/* arguments were bad". ENOSYS: the kernel lacks the call (or seccomp     */
/* says so).                                                               */
/* ---------------------------------------------------------------------- */

/* A fresh empty directory to mount on or create a node in. */
static int make_scratch_dir(char *buf, size_t size)
{
	static const char *const parents[] = { "/tmp", "/dev/shm", "/dev",
					       "/run", "/var/tmp", "." };
	size_t i;
	int r = -ENOENT;

	for (i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		snprintf(buf, size, "%s/.probe-XXXXXX", parents[i]);
		if (mkdtemp(buf))
			return 0;
		r = -errno;
	}
	fprintf(stderr, "probe: no writable directory for a scratch dir\n");
	return r;
}

static int mount_scratch_tmpfs(const char *dir)
{
	return neg_errno(mount("probe", dir, "tmpfs",
			       MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k"));
}

static int try_mount(void)
{
	char dir[64];
	int r;

	r = make_scratch_dir(dir, sizeof(dir));
	if (r < 0)
		return r;
	r = mount_scratch_tmpfs(dir);
	if (r == 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	return r;
}

/*
 * Unmount a tmpfs we mounted ourselves. If we could not mount one, the
 * directory is not a mount point: the kernel checks permission first
 * (EPERM), and only then that the path is a mount point (EINVAL).
 */
static int try_umount(void)
{
	char dir[64];
	int r;

	r = make_scratch_dir(dir, sizeof(dir));
	if (r < 0)
		return r;
	mount_scratch_tmpfs(dir);
	r = neg_errno(umount2(dir, 0));
	rmdir(dir);
	return r;
}

/*
 * CAD_OFF only makes Ctrl-Alt-Del send SIGINT to init instead of rebooting
 * (systemd sets this at boot anyway). Inside a PID namespace the kernel
 * accepts only restart/halt/power-off, so a permitted call gives EINVAL.
 */
static int try_reboot(void)
{
	return neg_errno(reboot(RB_DISABLE_CAD));
}

/* Only the probe moves to the new namespace, and it exits right after. */
static int try_unshare(void)
{
	return neg_errno(unshare(CLONE_NEWUTS));
}

/* Join the UTS namespace we are already in: needs CAP_SYS_ADMIN anyway. */
static int try_setns(void)
{
	int fd, r;

	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = neg_errno(setns(fd, CLONE_NEWUTS));
	close(fd);
	return r;
}

static int try_keyctl(void)
{
	return neg_errno(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
				 KEY_SPEC_SESSION_KEYRING, 0));
}

/* The process keyring dies with the probe, so the key does too. */
static int try_add_key(void)
{
	return neg_errno(syscall(SYS_add_key, "user", "barge-probe", "x",
				 (size_t)1, KEY_SPEC_PROCESS_KEYRING));
}

/* An empty program: E2BIG if loading is permitted, EPERM if not. */
static int try_bpf(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insn_cnt = 0;
	attr.license = (uintptr_t) "GPL";
	return neg_errno(syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)));
}

/* Count our own CPU clock: may succeed, depending on perf_event_paranoid. */
static int try_perf_event_open(void)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

static int try_userfaultfd(void)
{
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

/* A zero-length image is rejected (ENOEXEC) after the permission check. */
static int try_init_module(void)
{
	return neg_errno(syscall(SYS_init_module, NULL, 0UL, ""));
}

/* O_NONBLOCK: never wait for a module's users, even if the name existed. */
static int try_delete_module(void)
{
	return neg_errno(syscall(SYS_delete_module,
				 "barge_probe_no_such_module", O_NONBLOCK));
}

/*
 * Zero segments would *unload* the loaded kernel, so ask for one segment
 * more than the maximum: EPERM if denied, EINVAL if permitted.
 */
static int try_kexec_load(void)
{
	return neg_errno(syscall(SYS_kexec_load, 0UL,
				 (unsigned long)KEXEC_SEGMENT_MAX + 1, NULL,
				 (unsigned long)KEXEC_ARCH_DEFAULT));
}

/*
 * The "shocker" escape used this call to open host files by inode number.
 * Open "/" by its own handle (read-only, then closed); if "/" has no
 * handle, use a bogus one: ESTALE if permitted, EPERM if not.
 */
static int try_open_by_handle_at(void)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[MAX_HANDLE_SZ];
	} h;
	int mount_fd, mount_id, fd;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) {
		h.fh.handle_bytes = 8;
		h.fh.handle_type = 1;
	}
	mount_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mount_fd < 0)
		return -errno;
	fd = open_by_handle_at(mount_fd, &h.fh, O_RDONLY | O_CLOEXEC);
	close(mount_fd);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* No entries: EINVAL once the call is permitted, before any ring exists
 * (io_uring_params is 120 bytes; zeroes are fine). */
static int try_io_uring_setup(void)
{
	unsigned char params[120];

	memset(params, 0, sizeof(params));
	return neg_errno(syscall(SYS_io_uring_setup, 0U, params));
}

/* Switch to persona, then back: it only ever lasts for the probe. */
static int switch_persona(unsigned long persona)
{
	int old = personality(0xffffffff), r;

	if (old < 0)
		return -errno;
	r = neg_errno(personality(persona));
	if (r == 0)
		personality((unsigned long)old);
	return r;
}

/* ADDR_NO_RANDOMIZE, which Docker's profile refuses (ASLR off). */
static int try_personality(void)
{
	return switch_persona(PER_LINUX | ADDR_NO_RANDOMIZE);
}

/* PER_LINUX32, which Docker's profile allows (setarch i386). */
static int try_personality_linux32(void)
{
	return switch_persona(PER_LINUX32);
}

static int try_chroot(void)
{
	return neg_errno(chroot("/"));
}

static int try_sethostname(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return -errno;
	return neg_errno(sethostname(u.nodename, strlen(u.nodename)));
}

/*
 * PTRACE_SEIZE attaches without stopping the tracee (PTRACE_ATTACH would
 * send it SIGSTOP, and PID 1 could stay stopped if the probe died). The
 * kernel detaches a seized, running tracee when the tracer exits.
 */
static int try_ptrace(void)
{
	return neg_errno(ptrace(PTRACE_SEIZE, 1, NULL, NULL));
}

/*
 * clone(2) itself, not unshare(2): seccomp profiles filter clone's flags.
 * With no new stack the child runs on a copy of ours, like fork().
 */
static int clone_with(unsigned long flags)
{
	int status;
	long pid;

	fflush(stdout);
	pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0UL);
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	if (waitpid((pid_t)pid, &status, 0) < 0)
		return -errno;
	return 0;
}

static int try_clone_newns(void)
{
	return clone_with(CLONE_NEWNS);
}

static int try_clone_newuser(void)
{
	return clone_with(CLONE_NEWUSER);
}

/* /dev/null's numbers, in a scratch directory, removed right away. */
static int try_mknod(void)
{
	char dir[64], node[80];
	int r;

	r = make_scratch_dir(dir, sizeof(dir));
	if (r < 0)
		return r;
	snprintf(node, sizeof(node), "%s/null", dir);
	r = neg_errno(mknod(node, S_IFCHR | 0600, makedev(1, 3)));
	unlink(node);
	rmdir(dir);
	return r;
}

static int try_setuid0(void)
{
	return neg_errno(setuid(0));
}

struct syscall_try {
	const char *name;
	int (*try)(void);
};

static const struct syscall_try syscall_tries[] = {
	{ "mount", try_mount },
	{ "umount", try_umount },
	{ "reboot", try_reboot },
	{ "unshare", try_unshare },
	{ "setns", try_setns },
	{ "keyctl", try_keyctl },
	{ "add_key", try_add_key },
	{ "bpf", try_bpf },
	{ "perf_event_open", try_perf_event_open },
	{ "userfaultfd", try_userfaultfd },
	{ "init_module", try_init_module },
	{ "delete_module", try_delete_module },
	{ "kexec_load", try_kexec_load },
	{ "open_by_handle_at", try_open_by_handle_at },
	{ "io_uring_setup", try_io_uring_setup },
	{ "personality", try_personality },
	{ "personality_linux32", try_personality_linux32 },
	{ "chroot", try_chroot },
	{ "sethostname", try_sethostname },
	{ "ptrace", try_ptrace },
	{ "clone_newns", try_clone_newns },
	{ "clone_newuser", try_clone_newuser },
	{ "mknod", try_mknod },
	{ "setuid0", try_setuid0 },
};

#define N_SYSCALL_TRIES (sizeof(syscall_tries) / sizeof(syscall_tries[0]))

static int cmd_syscall(int argc, char **argv)
{
	size_t i;
	int r;

	(void)argc;
	for (i = 0; i < N_SYSCALL_TRIES; i++) {
		if (strcmp(argv[0], syscall_tries[i].name) != 0)
			continue;
		r = syscall_tries[i].try();
		puts(r < 0 ? errno_name(-r) : "ok");
		return EXIT_OK;
	}
	return usage_error("unknown syscall '%s'", argv[0]);
}

/* ---------------------------------------------------------------------- */
/* Commands: System V shared memory (IPC namespace)                        */
/* ---------------------------------------------------------------------- */

/* The segment outlives the probe: it lives as long as the IPC namespace. */
static int cmd_shm_create(int argc, char **argv)
{
	long key;
	int id;

	(void)argc;
	if (parse_long(argv[0], INT_MIN, UINT_MAX, &key) < 0)
		return usage_error("bad key '%s'", argv[0]);
	id = shmget((key_t)key, 4096, IPC_CREAT | 0600);
	if (id < 0)
		return fail(-errno, "shmget key %s", argv[0]);
	printf("%d\n", id);
	return EXIT_OK;
}

/* The first column of /proc/sysvipc/shm, after its header, is the key. */
static int cmd_shm_list(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	long long key;
	int header = 1;
	FILE *f;

	(void)argc, (void)argv;
	f = fopen("/proc/sysvipc/shm", "re");
	if (!f)
		return fail(-errno, "open /proc/sysvipc/shm");
	while (getline(&line, &cap, f) > 0) {
		if (!header && sscanf(line, "%lld", &key) == 1)
			printf("%lld\n", key);
		header = 0;
	}
	free(line);
	fclose(f);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: exit status and signals                                       */
/* ---------------------------------------------------------------------- */

static int cmd_exit(int argc, char **argv)
{
	long code;

	(void)argc;
	if (parse_long(argv[0], 0, 255, &code) < 0)
		return usage_error("bad exit code '%s'", argv[0]);
	return (int)code;
}

/*
 * Die of a signal, so the runtime sees "killed by SIGx". If we are still
 * alive, the signal's default action was to ignore it (SIGCHLD, ...) or
 * we are PID 1: the kernel drops signals sent to a namespace's init from
 * inside that namespace unless init has a handler.
 */
static int cmd_kill_self(int argc, char **argv)
{
	sigset_t set;
	int sig;

	(void)argc;
	if (parse_signal(argv[0], &sig) < 0)
		return usage_error("bad signal '%s'", argv[0]);
	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	fprintf(stderr, "probe: still alive after %s (pid %d)\n",
		signal_name(sig), getpid());
	return EXIT_FAILED;
}

static int cmd_sleep(int argc, char **argv)
{
	struct timespec ts;

	(void)argc;
	if (parse_seconds(argv[0], &ts) < 0)
		return usage_error("bad duration '%s'", argv[0]);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return EXIT_OK;
}

static void ignore_signal(int sig)
{
	(void)sig;
}

/*
 * Block the signals before saying "ready", then wait for one with
 * sigtimedwait: no signal can slip in between the two. The (empty)
 * handlers matter when the probe is PID 1: the kernel drops a signal sent
 * to init from inside its namespace if init left it at SIG_DFL.
 */
static int cmd_wait_signal(int argc, char **argv)
{
	static const int sigs[] = { SIGINT,  SIGTERM, SIGHUP,
				    SIGUSR1, SIGUSR2, SIGQUIT };
	struct timespec timeout = { WAIT_SIGNAL_SECS, 0 };
	struct sigaction sa = { .sa_handler = ignore_signal };
	sigset_t set;
	size_t i;
	int sig;

	(void)argc, (void)argv;
	sigemptyset(&set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &set, NULL);
	puts("ready");
	fflush(stdout);
	do {
		sig = sigtimedwait(&set, NULL, &timeout);
	} while (sig < 0 && errno == EINTR);
	if (sig < 0) {
		fprintf(stderr, "probe: no signal in %d s\n", WAIT_SIGNAL_SECS);
		return EXIT_TIMEOUT;
	}
	printf("got %s\n", signal_name(sig));
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: resource use (cgroup limits)                                  */
/* ---------------------------------------------------------------------- */

/* Chained through the chunks themselves, so the compiler cannot drop them. */
static void *volatile hog_head;

static int cmd_hog_memory(int argc, char **argv)
{
	long mb, i;
	char *chunk;

	(void)argc;
	if (parse_long(argv[0], 0, 1L << 20, &mb) < 0)
		return usage_error("bad size '%s'", argv[0]);
	for (i = 0; i < mb; i++) {
		chunk = malloc(MIB);
		if (!chunk)
			return fail(-ENOMEM, "allocate MiB number %ld", i + 1);
		/* non-zero, so every page is really backed by memory */
		memset(chunk, 0x5a, MIB);
		*(void **)chunk = hog_head;
		hog_head = chunk;
	}
	puts("done");
	return EXIT_OK;
}

/* A fork-loop child: wait to be killed, or die with the probe. */
static void idle_child(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
}

static int cmd_fork_loop(int argc, char **argv)
{
	long n, k, i;
	pid_t *pids;
	int err = 0;

	(void)argc;
	if (parse_long(argv[0], 0, 1000000, &n) < 0)
		return usage_error("bad count '%s'", argv[0]);
	pids = calloc((size_t)n + 1, sizeof(*pids));
	if (!pids)
		return fail(-ENOMEM, "allocate %ld pids", n);
	fflush(stdout);
	for (k = 0; k < n; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			idle_child();
		if (pids[k] < 0) {
			err = errno;
			break;
		}
	}
	for (i = 0; i < k; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < k; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	printf("forked=%ld\n", k);
	if (err)
		printf("errno=%s\n", errno_name(err));
	return EXIT_OK;
}

/* Burn CPU for a wall-clock time; a cpu.max limit shows as cpu_ms < wall. */
static int cmd_spin(int argc, char **argv)
{
	struct timespec ts;
	double wall, end;

	(void)argc;
	if (parse_seconds(argv[0], &ts) < 0)
		return usage_error("bad duration '%s'", argv[0]);
	wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	end = now_seconds(CLOCK_MONOTONIC) + wall;
	while (now_seconds(CLOCK_MONOTONIC) < end)
		;
	printf("cpu_ms=%.0f\n", now_seconds(CLOCK_PROCESS_CPUTIME_ID) * 1000.0);
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Commands: breaking out of chroot                                        */
/* ---------------------------------------------------------------------- */

/*
 * chroot(2) changes only where "/" starts a path lookup; it does not move
 * the current directory. And ".." stops only at the process's own root:
 * the kernel compares each directory on the way up with that one root.
 *
 * So: chroot into a fresh subdirectory while staying where we are. The
 * current directory is now *outside* the root, where ".." never meets the
 * root and climbs to the real "/" (".." of the real "/" is itself, so 64
 * hops is enough for any depth that matters). chroot(".") there makes it
 * our root again. This needs CAP_SYS_CHROOT, which a chroot-only
 * "container" keeps; pivot_root in a mount namespace, and dropping
 * CAP_SYS_CHROOT, are the fixes.
 */
static int escape_from(const char *dir, const char **ret_call)
{
	int i;

	*ret_call = "chroot";
	if (chroot(dir) < 0)
		return -errno;
	*ret_call = "chdir";
	for (i = 0; i < ESCAPE_DOTDOT_HOPS; i++)
		if (chdir("..") < 0)
			return -errno;
	*ret_call = "chroot";
	if (chroot(".") < 0)
		return -errno;
	*ret_call = "chdir";
	return neg_errno(chdir("/"));
}

/* A scratch dir whose parent is open as *ret_fd: usable after chroot. */
static int make_escape_dir(char *buf, size_t size, int *ret_fd)
{
	static const char *const parents[] = { ".", "/tmp" };
	size_t i;
	int r = -ENOENT;

	for (i = 0; i < sizeof(parents) / sizeof(parents[0]); i++) {
		snprintf(buf, size, "%s/.escape-XXXXXX", parents[i]);
		if (!mkdtemp(buf)) {
			r = -errno;
			continue;
		}
		*ret_fd = open(parents[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (*ret_fd >= 0)
			return 0;
		r = -errno;
		rmdir(buf);
	}
	return r;
}

static int cmd_escape_chroot(int argc, char **argv)
{
	const char *call = "mkdtemp";
	char dir[64];
	int parent_fd = -1, r;

	r = make_escape_dir(dir, sizeof(dir), &parent_fd);
	if (r == 0) {
		r = escape_from(dir, &call);
		/*
		 * Whether we got out or not, "dir" may no longer name the
		 * scratch dir; its parent's fd still does.
		 */
		unlinkat(parent_fd, strrchr(dir, '/') + 1, AT_REMOVEDIR);
		close(parent_fd);
	}
	if (r < 0) {
		printf("contained: %s: %s\n", call, errno_name(-r));
		return EXIT_FAILED;
	}
	puts("escaped");
	if (argc == 0) {
		r = list_dir("/");
		return r < 0 ? fail(r, "list /") : EXIT_OK;
	}
	fflush(stdout);
	execvp(argv[0], argv);
	return fail(-errno, "exec %s", argv[0]);
}

/* ---------------------------------------------------------------------- */
/* Dispatch                                                                */
/* ---------------------------------------------------------------------- */

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	int min_args;
	int max_args; /* -1: any number */
	const char *usage;
	const char *help;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "help", cmd_help, 0, 0, "", "list the commands" },
	{ "pid", cmd_pid, 0, 0, "", "getpid()" },
	{ "ppid", cmd_ppid, 0, 0, "", "getppid()" },
	{ "hostname", cmd_hostname, 0, 0, "", "uname nodename" },
	{ "ids", cmd_ids, 0, 0, "", "uid= gid= euid= egid= groups=a,b" },
	{ "cwd", cmd_cwd, 0, 0, "", "current directory" },
	{ "env", cmd_env, 0, 0, "", "environment, one per line" },
	{ "file", cmd_file, 1, 1, "PATH", "print a file" },
	{ "ls", cmd_ls, 1, 1, "DIR", "names in DIR, sorted" },
	{ "write", cmd_write, 2, 2, "PATH TEXT", "write TEXT: ok or ERRNO" },
	{ "status", cmd_status, 1, 1, "FIELD", "a /proc/self/status field" },
	{ "caps", cmd_caps, 0, 0, "", "the five capability sets" },
	{ "cgroup", cmd_cgroup, 0, 0, "", "/proc/self/cgroup" },
	{ "mounts", cmd_mounts, 0, 0, "", "mount points, one per line" },
	{ "mountinfo", cmd_mountinfo, 0, 0, "", "/proc/self/mountinfo" },
	{ "ps", cmd_ps, 0, 0, "", "pids in /proc, sorted" },
	{ "zombies", cmd_zombies, 0, 0, "", "number of zombies" },
	{ "orphan-zombie", cmd_orphan_zombie, 0, 0, "",
	  "orphan a child, then count zombies" },
	{ "netdevs", cmd_netdevs, 0, 0, "", "interfaces: NAME up|down" },
	{ "syscall", cmd_syscall, 1, 1, "NAME", "try a call: ok or ERRNO" },
	{ "shm-create", cmd_shm_create, 1, 1, "KEY", "SysV shm segment id" },
	{ "shm-list", cmd_shm_list, 0, 0, "", "SysV shm keys (decimal)" },
	{ "exit", cmd_exit, 1, 1, "N", "exit with status N" },
	{ "kill-self", cmd_kill_self, 1, 1, "SIG", "die of signal SIG" },
	{ "sleep", cmd_sleep, 1, 1, "SECONDS", "sleep (fractions ok)" },
	{ "wait-signal", cmd_wait_signal, 0, 0, "",
	  "ready, then got SIGxxx (30 s max)" },
	{ "hog-memory", cmd_hog_memory, 1, 1, "MB", "allocate and touch MB" },
	{ "fork-loop", cmd_fork_loop, 1, 1, "N", "forked=K [errno=E]" },
	{ "spin", cmd_spin, 1, 1, "SECONDS", "busy loop: cpu_ms=N" },
	{ "escape-chroot", cmd_escape_chroot, 0, -1, "[CMD...]",
	  "break out of a chroot" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc, (void)argv;
	puts("usage: probe COMMAND [ARGS]");
	for (i = 0; i < N_COMMANDS; i++)
		printf("  %-14s %-10s %s\n", commands[i].name,
		       commands[i].usage, commands[i].help);
	puts("syscall NAMEs:");
	for (i = 0; i < N_SYSCALL_TRIES; i++)
		printf("  %s\n", syscall_tries[i].name);
	return EXIT_OK;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int nargs, status;

	if (argc < 2)
		return usage_error("usage: probe COMMAND [ARGS]");
	cmd = find_command(argv[1]);
	if (!cmd)
		return usage_error("unknown command '%s'", argv[1]);
	nargs = argc - 2;
	if (nargs < cmd->min_args ||
	    (cmd->max_args >= 0 && nargs > cmd->max_args))
		return usage_error("usage: probe %s%s%s", cmd->name,
				   *cmd->usage ? " " : "", cmd->usage);
	status = cmd->run(nargs, argv + 2);
	if (fflush(stdout) != 0 && status == EXIT_OK)
		status = fail(-errno, "write stdout");
	return status;
}
