/* SPDX-License-Identifier: MIT */
/*
 * cgroup_fs.c - the cgroup filesystem, as both drivers use it.
 *
 * A cgroup is a directory and everything about it is a file: mkdir
 * creates one, rmdir removes it, a limit is a number written to a file,
 * a process joins by writing its pid. The kernel checks each value at
 * write(2) and answers with an errno: EINVAL for a bad value, EBUSY for a
 * cgroup still in use. Each function here puts the path it works on in
 * cg->failed, so that the error message can name it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"
#include "util.h"

/* cg->failed names the file we are about to touch: if it fails, that is
 * the path the error message needs. */
static int cg_path(struct cgroup *cg, const char *dir, const char *file)
{
	return path_join(cg->failed, sizeof(cg->failed), dir, file);
}

int cg_write(struct cgroup *cg, const char *dir, const char *file,
	     const char *fmt, ...)
{
	char value[64];
	va_list ap;
	int fd, r;

	r = cg_path(cg, dir, file);
	if (r < 0)
		return r;
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	/* No O_CREAT: a missing cgroup file means a missing controller,
	 * and the kernel checks the value at write(2), not at open. */
	fd = open(cg->failed, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write_full(fd, value, strlen(value));
	close(fd);
	return r;
}

/* A file that holds one number: memory.peak, pids.peak, cpuacct.usage. */
int cg_read_number(struct cgroup *cg, const char *dir, const char *file,
		   int64_t *ret)
{
	char buf[64];
	ssize_t n;

	n = cg_path(cg, dir, file);
	if (n >= 0)
		n = read_file(cg->failed, buf, sizeof(buf));
	if (n < 0)
		return n;
	return sscanf(buf, "%" SCNd64, ret) == 1 ? 0 : -EBADMSG;
}

/* A "key value" line of a flat-keyed file: cpu.stat, memory.events. */
int cg_read_key(struct cgroup *cg, const char *dir, const char *file,
		const char *key, int64_t *ret)
{
	char buf[4096], name[64], *line, *next;
	int64_t v;
	ssize_t n;

	n = cg_path(cg, dir, file);
	if (n >= 0)
		n = read_file(cg->failed, buf, sizeof(buf));
	if (n < 0)
		return n;
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%63s %" SCNd64, name, &v) == 2 &&
		    streq(name, key)) {
			*ret = v;
			return 0;
		}
	}
	return -ENOENT;
}

/* Move process pid, all its threads, into the cgroup dir. Its children
 * are born where it is: the whole container follows its first process. */
int cg_write_pid(struct cgroup *cg, const char *dir, pid_t pid)
{
	/* LAB(cg-attach): move process pid into dir: write it to cgroup.procs */
	return cg_write(cg, dir, "cgroup.procs", "%d", (int)pid);
	/* LAB STUB: (void)cg; */
	/* LAB STUB: (void)dir; */
	/* LAB STUB: (void)pid; */
	/* LAB STUB: return 0; */
	/* LAB END */
}

/* mkdir in a cgroup filesystem creates a cgroup, its files and all. */
int cg_mkdir(struct cgroup *cg, const char *dir)
{
	snprintf(cg->failed, sizeof(cg->failed), "%s", dir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* rmdir removes a cgroup; the kernel refuses (EBUSY) while a process is
 * in it, and the container's last processes can still be on their way
 * out just after its init was reaped: try again for up to 2 seconds. */
int cg_rmdir(struct cgroup *cg, const char *dir)
{
	int tries;

	snprintf(cg->failed, sizeof(cg->failed), "%s", dir);
	for (tries = 0; tries < 200; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

bool cg_file_exists(const char *dir, const char *file)
{
	char path[PATH_MAX];

	return path_join(path, sizeof(path), dir, file) == 0 &&
	       access(path, F_OK) == 0;
}

/* Chapter 05: root/cg->path, one directory at a time (cgroupsPath may be
 * several deep); prepare, if given, runs on each parent before its child
 * is made (v2: let the child use the controllers). */
int cg_mkdir_path(struct cgroup *cg, const char *root, char *ret_dir,
		  int (*prepare)(struct cgroup *cg, const char *dir))
{
	char rel[PATH_MAX], parent[PATH_MAX], *part, *save;
	int r;

	snprintf(rel, sizeof(rel), "%s", cg->path);
	snprintf(ret_dir, PATH_MAX, "%s", root);
	for (part = strtok_r(rel, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		r = prepare ? prepare(cg, ret_dir) : 0;
		snprintf(parent, sizeof(parent), "%s", ret_dir);
		if (r >= 0)
			r = path_join(ret_dir, PATH_MAX, parent, part);
		if (r >= 0)
			r = cg_mkdir(cg, ret_dir);
		if (r < 0)
			return r;
	}
	return 0;
}
