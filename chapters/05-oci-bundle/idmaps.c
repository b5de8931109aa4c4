/* SPDX-License-Identifier: MIT */
/*
 * idmaps.c - which ids a user namespace maps (user_namespaces(7)), decided
 * in the parent before anything is created.
 *
 * With --userns the container's uids 0-65535 are 65536 host uids that no
 * user has: root's range in /etc/subuid and /etc/subgid, or else a range
 * above every range listed there (1048576-1114111 on a host that lists
 * none). An ordinary user (rootless) maps their own uid to 0, and with
 * newuidmap(1) and a range of theirs in /etc/subuid, more. userns.c then
 * writes the maps chosen here.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "barge.h"
#include "util.h"

#define DEFAULT_COUNT 65536UL /* ids 0-65535 inside, as Docker and podman */
/* Where barge looks for a free range when root has none: above every
 * range listed, and not below this (useradd hands out ranges from
 * 100000 on). */
#define FREE_BASE_MIN 1000000UL
#define MAX_ID	      0xfffffffeUL /* (uid_t)-1 means "unchanged" */

/*
 * The first range of a user in /etc/subuid or /etc/subgid, whose lines
 * are NAME:START:COUNT (NAME may be the numeric id): -ENOENT if none.
 */
static int subid_range(const char *file, const char *name, unsigned long id,
		       struct id_map *ret)
{
	char line[256], who[128], num[32];
	unsigned long start, count;
	int r = -ENOENT;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return -ENOENT;
	snprintf(num, sizeof(num), "%lu", id);
	while (r == -ENOENT && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127[^:]:%lu:%lu", who, &start, &count) ==
			    3 &&
		    count > 0 && (streq(who, name) || streq(who, num))) {
			*ret = (struct id_map){ 0, start, count };
			r = 0;
		}
	fclose(f);
	return r;
}

/* The end (START + COUNT) of the highest range in file; 0 if none. */
static unsigned long subid_highest_end(const char *file)
{
	unsigned long start, count, end = 0;
	char line[256];
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*[^:]:%lu:%lu", &start, &count) == 2 &&
		    start + count > end)
			end = start + count;
	fclose(f);
	return end;
}

/*
 * 65536 ids that no range of /etc/subuid or /etc/subgid overlaps: the
 * first multiple of 65536 at or above both FREE_BASE_MIN and the end of
 * the highest range. Nothing records it: a user added later could be
 * given it, which is why root's own ranges, when it has some, come first.
 */
static int free_range(struct id_map *ret)
{
	unsigned long end = FREE_BASE_MIN, e;

	e = subid_highest_end("/etc/subuid");
	if (e > end)
		end = e;
	e = subid_highest_end("/etc/subgid");
	if (e > end)
		end = e;
	end = (end + DEFAULT_COUNT - 1) / DEFAULT_COUNT * DEFAULT_COUNT;
	if (end > MAX_ID + 1 - DEFAULT_COUNT)
		return -ERANGE;
	*ret = (struct id_map){ 0, end, DEFAULT_COUNT };
	return 0;
}

static bool have_map_helpers(void)
{
	return access(NEWUIDMAP, X_OK) == 0 && access(NEWGIDMAP, X_OK) == 0;
}

/*
 * Root with --userns: container ids 0-65535 on root's first ranges in
 * /etc/subuid and /etc/subgid (Debian's useradd gives its first user
 * 100000:65536: a range of root's own is the only one known to be
 * nobody else's), or on a free range. One file with a range for root
 * and the other without is a mistake: -ENOENT, not a guess.
 */
static int choose_root_maps(struct security *s)
{
	int ru, rg, r;

	ru = subid_range("/etc/subuid", "root", 0, &s->uid_map[0]);
	rg = subid_range("/etc/subgid", "root", 0, &s->gid_map[0]);
	if ((ru == 0) != (rg == 0))
		return -ENOENT;
	if (ru < 0) {
		r = free_range(&s->uid_map[0]);
		if (r < 0)
			return r;
		s->gid_map[0] = s->uid_map[0];
	}
	if (s->gid_map[0].count < s->uid_map[0].count)
		s->uid_map[0].count = s->gid_map[0].count;
	s->gid_map[0].count = s->uid_map[0].count;
	s->n_maps = s->n_gid_maps = 1;
	return 0;
}

/*
 * Rootless: our own uid (and gid) is root inside. With newuidmap and
 * newgidmap, and ranges of ours in /etc/subuid and /etc/subgid, they map
 * 1..COUNT inside onto the range too; without, the container has a single
 * uid and a single gid, 0.
 */
static void choose_rootless_maps(struct security *s)
{
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw ? pw->pw_name : "";

	s->uid_map[0] = (struct id_map){ 0, getuid(), 1 };
	s->gid_map[0] = (struct id_map){ 0, getgid(), 1 };
	s->n_maps = s->n_gid_maps = 1;
	if (!have_map_helpers() ||
	    subid_range("/etc/subuid", name, getuid(), &s->uid_map[1]) < 0 ||
	    subid_range("/etc/subgid", name, getuid(), &s->gid_map[1]) < 0)
		return;
	s->uid_map[1].inside = s->gid_map[1].inside = 1;
	s->n_maps = s->n_gid_maps = 2;
	s->map_with_helpers = true;
}

int idmaps_choose(struct security *s)
{
	if (s->rootless)
		choose_rootless_maps(s);
	else if (s->userns)
		return choose_root_maps(s);
	return 0;
}

/* Does a uid (or gid) exist in the container? */
bool idmaps_maps_id(const struct security *s, unsigned long id, bool gid)
{
	const struct id_map *m = gid ? s->gid_map : s->uid_map;
	size_t i;

	if (!s->userns)
		return true;
	for (i = 0; i < s->n_maps; i++)
		if (id >= m[i].inside && id - m[i].inside < m[i].count)
			return true;
	return false;
}
