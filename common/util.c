/* SPDX-License-Identifier: MIT */
/*
 * util.c - file and string helpers; see util.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

bool startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int path_join(char *buf, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a);
	int n;

	/* Avoid "dir//name" when a ends in a slash (or is "/"). */
	while (la > 0 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	n = snprintf(buf, size, "%.*s/%s", (int)la, a, b);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int parse_int(const char *s, int min, int max, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int parse_size(const char *s, int64_t *ret)
{
	static const char units[] = "bkmg";
	const char *u;
	unsigned long long v;
	char *end;
	int shift;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	shift = 0;
	if (*end != '\0') {
		u = strchr(units, tolower((unsigned char)*end));
		if (!u || end[1] != '\0')
			return -EINVAL;
		shift = 10 * (int)(u - units);
	}
	if (v > (unsigned long long)INT64_MAX >> shift)
		return -ERANGE;
	*ret = (int64_t)(v << shift);
	return 0;
}

int write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

ssize_t read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

int write_file(const char *path, const char *data)
{
	int fd, r;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	r = write_full(fd, data, strlen(data));
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read_full(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	/* Create each parent in turn: "a", "a/b", then "a/b/c". */
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return is_dir(buf) == 1 ? 0 : -ENOTDIR;
}

/* An existing file is left alone, even one we may not write (a rootfs
 * file seen from a user namespace); a symlink is refused (ELOOP): a mount
 * on it would land wherever it points. */
int touch(const char *path, mode_t mode)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0)
		return S_ISLNK(st.st_mode) ? -ELOOP : 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  mode);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 1 : 0;
}

bool path_has_dotdot(const char *path)
{
	const char *p = path;

	while ((p = strstr(p, ".."))) {
		if ((p == path || p[-1] == '/') &&
		    (p[2] == '\0' || p[2] == '/'))
			return true;
		p += 2;
	}
	return false;
}

int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN); /* a rename raced the lookup */
	return fd < 0 ? -errno : fd;
}

/* depth: how many dangling symlinks were followed, as the kernel's limit
 * of 40 (ELOOP). */
static int make_in(int rootfd, const char *path, bool file, mode_t mode,
		   int depth)
{
	char parent[PATH_MAX], link[PATH_MAX], next[PATH_MAX], *name;
	int fd, dir, r;
	ssize_t n;

	fd = open_in_root(rootfd, path, O_PATH);
	if (fd != -ENOENT)
		return fd;
	if (snprintf(parent, sizeof(parent), "%s", path) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	while ((name = strrchr(parent, '/')) && name[1] == '\0' &&
	       name != parent)
		*name = '\0'; /* "a/b/" is "a/b" */
	/* The parent first, then the last component in it. */
	name = strrchr(parent, '/');
	if (name) {
		*name++ = '\0';
		dir = make_in(rootfd, *parent ? parent : "/", false, 0755,
			      depth);
	} else {
		name = parent;
		dir = open_in_root(rootfd, ".", O_PATH | O_DIRECTORY);
	}
	if (dir < 0)
		return dir;
	/* One component in a directory inside the root: O_NOFOLLOW and
	 * mkdirat never follow a symlink there (EEXIST) */
	if (file) {
		fd = openat(dir, name,
			    O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW |
				    O_CLOEXEC,
			    mode);
		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
	} else {
		r = mkdirat(dir, name, mode) < 0 ? -errno : 0;
	}
	/* EEXIST where open_in_root() found nothing: a dangling symlink.
	 * Make its target instead, resolved inside the root as well. */
	n = r == -EEXIST ? readlinkat(dir, name, link, sizeof(link) - 1) : -1;
	close(dir);
	if (r == -EEXIST && n > 0) {
		link[n] = '\0';
		if (depth >= 40)
			return -ELOOP;
		if (link[0] == '/')
			r = snprintf(next, sizeof(next), "%s", link);
		else
			r = snprintf(next, sizeof(next), "%s/%s",
				     name > parent ? parent : ".", link);
		if (r >= (int)sizeof(next))
			return -ENAMETOOLONG;
		r = make_in(rootfd, next, file, mode, depth + 1);
		if (r < 0)
			return r;
		close(r);
	} else if (r < 0 && r != -EEXIST) {
		return r;
	}
	return open_in_root(rootfd, path, O_PATH);
}

int make_in_root(int rootfd, const char *path, bool file, mode_t mode)
{
	return make_in(rootfd, path, file, mode, 0);
}

int mount_in_root(int rootfd, const char *source, const char *path,
		  const char *type, unsigned long flags, const void *data)
{
	char target[32];
	int fd, r;

	fd = open_in_root(rootfd, path, O_PATH);
	if (fd < 0)
		return fd;
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	r = mount(source, target, type, flags, data) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int close_fds_from(int lo, const int *keep, size_t n)
{
	size_t i;
	int next;

	for (;;) {
		next = INT_MAX; /* the lowest kept descriptor from lo up */
		for (i = 0; i < n; i++)
			if (keep[i] >= lo && keep[i] < next)
				next = keep[i];
		if (next == INT_MAX)
			break;
		if (next > lo && close_range(lo, next - 1, 0) < 0)
			return -errno;
		lo = next + 1;
	}
	return close_range(lo, ~0U, 0) < 0 ? -errno : 0;
}

/* Each directory from / down to path itself, in turn: the first that
 * faccessat(X_OK, AT_EACCESS) refuses is where the walk stops, and stat()
 * still works on it, since every directory above it could be searched. */
int path_blocked_at(const char *path, char *buf, size_t size)
{
	char dir[PATH_MAX];
	struct stat st;
	size_t len = strlen(path), i;

	if (size)
		buf[0] = '\0';
	if (path[0] != '/' || len >= sizeof(dir))
		return 0;
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		/* "/" itself, then "/a", "/a/b", ... and path */
		snprintf(dir, sizeof(dir), "%.*s", i == 1 ? 1 : (int)i, path);
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			return 0;
		if (faccessat(AT_FDCWD, dir, X_OK, AT_EACCESS) == 0)
			continue;
		if (errno != EACCES)
			return 0;
		snprintf(buf, size,
			 "uid %u cannot search %s (mode %04o, owner %u:%u)",
			 (unsigned)geteuid(), dir,
			 (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
			 (unsigned)st.st_gid);
		return 1;
	}
	return 0;
}

int random_hex(char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char bytes[64];
	size_t i, n = size ? size - 1 : 0;

	if (size == 0 || n > 2 * sizeof(bytes))
		return -EINVAL;
	if (getrandom(bytes, (n + 1) / 2, 0) != (ssize_t)((n + 1) / 2))
		return -EIO;
	for (i = 0; i < n; i++)
		buf[i] = digits[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	buf[n] = '\0';
	return 0;
}

int parse_signal(const char *s)
{
	const char *abbrev;
	int sig;

	if (isdigit((unsigned char)s[0]))
		return parse_int(s, 1, NSIG - 1, &sig) < 0 ? -EINVAL : sig;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	/* sigabbrev_np(3): "TERM" for SIGTERM (glibc 2.32). */
	for (sig = 1; sig < NSIG; sig++) {
		abbrev = sigabbrev_np(sig);
		if (abbrev && strcasecmp(s, abbrev) == 0)
			return sig;
	}
	return -EINVAL;
}

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

int rlimit_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rlimits); i++)
		if (streq(name, rlimits[i].name))
			return rlimits[i].resource;
	return -EINVAL;
}

const char *rlimit_name(int resource)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rlimits); i++)
		if (rlimits[i].resource == resource)
			return rlimits[i].name;
	return NULL;
}
