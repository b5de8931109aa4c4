/* SPDX-License-Identifier: MIT */
/*
 * util.h - small file and string helpers shared by every chapter.
 *
 * Nothing here is the lesson of a chapter; it is the plumbing that would
 * otherwise be copied into each one. Every function that can fail returns a
 * negative errno and prints nothing (see log.h).
 */
#ifndef BARGE_UTIL_H
#define BARGE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline bool streq(const char *a, const char *b)
{
	return a && b && __builtin_strcmp(a, b) == 0;
}

bool startswith(const char *s, const char *prefix);

/* "a" + "/" + "b" into buf; -ENAMETOOLONG if it does not fit. */
int path_join(char *buf, size_t size, const char *a, const char *b);

/* Parse a whole decimal string into an int in [min, max]; -EINVAL or
 * -ERANGE otherwise. */
int parse_int(const char *s, int min, int max, int *ret);

/* Parse a size in bytes: a whole decimal number with an optional suffix
 * b, k, m or g (either case; k = 1024), as docker's --memory takes it:
 * "512m", "1g", "65536". -EINVAL if malformed, -ERANGE past INT64_MAX. */
int parse_size(const char *s, int64_t *ret);

/* write(2) and read(2) until done, retrying on EINTR. read_full returns the
 * number of bytes read, fewer than n only at end of file. */
int write_full(int fd, const void *buf, size_t n);
ssize_t read_full(int fd, void *buf, size_t n);

/* Replace a file's content with a string (created 0644 if missing). */
int write_file(const char *path, const char *data);

/* Read at most size-1 bytes of a file into buf, NUL-terminated; returns the
 * length. */
ssize_t read_file(const char *path, char *buf, size_t size);

/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode);

/* Create an empty file if nothing exists at path (a mount target). */
int touch(const char *path, mode_t mode);

/* size-1 random lowercase hex digits and a NUL into buf (getrandom(2)):
 * a container id. */
int random_hex(char *buf, size_t size);

/* 1 if path is a directory, 0 if it is something else, negative errno if
 * it cannot be looked up. */
int is_dir(const char *path);

/* Why the calling process cannot reach path, once a lookup of it failed
 * with EACCES: the first directory on the way that its effective uid and
 * groups may not search, written into buf as "uid 1000 cannot search
 * /root (mode 0700, owner 0:0)". Returns 1 if one blocks the way, 0 if
 * none does (buf is then empty). */
int path_blocked_at(const char *path, char *buf, size_t size);

/* Whether one of path's components is "..": a path inside a root
 * filesystem that would leave it, before it is even entered. */
bool path_has_dotdot(const char *path);

/* Open path as if rootfd were "/" (openat2(2), RESOLVE_IN_ROOT): no
 * symlink, absolute or relative, and no ".." leads out of rootfd, and a
 * /proc magic link (/proc/self/fd/N, /proc/PID/root) is refused with
 * -ELOOP. flags as open(2)'s; O_CLOEXEC is always added. The fd, or a
 * negative errno. */
int open_in_root(int rootfd, const char *path, int flags);

/* Open path inside rootfd as open_in_root() does, making what is missing
 * on the way: the directories (0755), and the last component a directory
 * of mode, or, if file, an empty file of mode. A symlink on the way is
 * resolved inside rootfd, a dangling one made where it points inside it
 * (runc's securejoin.MkdirAll). An O_PATH descriptor, or a negative
 * errno. */
int make_in_root(int rootfd, const char *path, bool file, mode_t mode);

/* mount(2) onto path, resolved inside rootfd (open_in_root()) and
 * reached through /proc/self/fd/N: never a path the kernel looks up
 * again, through symlinks a container may have put there. */
int mount_in_root(int rootfd, const char *source, const char *path,
		  const char *type, unsigned long flags, const void *data);

/* Close every descriptor from lo up but the n in keep[] (a -1 there keeps
 * nothing): close_range(2) over the gaps between them. */
int close_fds_from(int lo, const int *keep, size_t n);

/* A signal as kill(1) and runc take it: a number, or a name with or
 * without "SIG", in any case ("KILL", "SIGKILL", "kill", "9"). Returns
 * the signal, or -EINVAL. */
int parse_signal(const char *s);

/* getrlimit(2)'s resources by their names in config.json:
 * "RLIMIT_NOFILE" <-> RLIMIT_NOFILE. -EINVAL or NULL if unknown. */
int rlimit_by_name(const char *name);
const char *rlimit_name(int resource);

#endif
