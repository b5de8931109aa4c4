/* SPDX-License-Identifier: MIT */
/*
 * cgroup_check.c - see cgroup_check.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_check.h"
#include "harness.h"

#define CG_ROOT "/sys/fs/cgroup"

/* Print every subdirectory of parent/barge to m. */
static void list_children(FILE *m, const char *parent)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/barge", parent);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.')
			fprintf(m, "%s/%s\n", dir, d->d_name);
	closedir(dp);
}

char *barge_cgroups(void)
{
	char path[PATH_MAX], *buf = NULL;
	struct dirent *d;
	size_t len = 0;
	FILE *m;
	DIR *dp;

	m = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(m);
	list_children(m, CG_ROOT); /* v2 */
	dp = opendir(CG_ROOT);	   /* v1: one hierarchy per directory */
	while (dp && (d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.' ||
		    strcmp(d->d_name, "barge") == 0)
			continue;
		snprintf(path, sizeof(path), CG_ROOT "/%s", d->d_name);
		list_children(m, path);
	}
	if (dp)
		closedir(dp);
	fclose(m);
	return buf;
}

void remove_barge_cgroups(void)
{
	char *list = barge_cgroups(), *line, *save;

	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		rmdir(line);
	free(list);
}

void assert_no_barge_cgroups(void)
{
	char *left = barge_cgroups();

	if (*left)
		remove_barge_cgroups();
	ck_assert_msg(*left == '\0', "container cgroups left behind:\n%s",
		      left);
	free(left);
}

char *barge_cgroup_file(const char *file, char *buf, size_t size)
{
	char *list = barge_cgroups(), *line, *save, path[PATH_MAX];
	char *found = NULL;
	ssize_t n;
	int fd;

	for (line = strtok_r(list, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "%s/%s", line, file);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, size - 1);
		close(fd);
		if (n < 0)
			continue;
		buf[n] = '\0';
		found = chomp(buf);
	}
	free(list);
	return found;
}

bool host_accounts_swap(void)
{
	char path[PATH_MAX];
	struct dirent *d;
	bool found;
	DIR *dp;

	found = access(CG_ROOT "/memory/memory.memsw.limit_in_bytes", F_OK) ==
		0;
	dp = opendir(CG_ROOT);
	while (!found && dp && (d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), CG_ROOT "/%s/memory.swap.max",
			 d->d_name);
		found = access(path, F_OK) == 0;
	}
	if (dp)
		closedir(dp);
	return found;
}
