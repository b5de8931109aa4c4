/* SPDX-License-Identifier: MIT */
/*
 * test_oci_spec.c - unit tests of common/oci_spec*.c, the config.json
 * parser, over the corpus of tests/oci-configs/:
 *
 *	bad-NAME.json     must be refused (-EINVAL) with a message that
 *	bad-NAME.expect   holds this file's first line
 *	good-NAME.json    must parse
 *
 * Each file of the corpus is an iteration of a loop test, so that each
 * is a check of its own in Check's count and a failure names its file.
 * The files are found when the suite is built: a loop's count must be
 * known then, also with CK_FORK=no.
 */
#include <check.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci_spec.h"
#include "strv.h"
#include "unit.h"

#define CORPUS "tests/oci-configs"

static struct {
	char top[PATH_MAX];	  /* the repository, or "" */
	char why[PATH_MAX + 128]; /* why it was not found */
	glob_t bad, good;
} corpus;

static struct oci_config cfg;
static char err[1024];

/* ---- finding the corpus ----------------------------------------------------- */

static bool has_corpus(const char *top)
{
	char path[PATH_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/" CORPUS, top);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The repository's top: $BARGE_TOP if it is set; else three levels above
 * this program, which make builds as TOP/build/tests/unit; else the
 * current directory (tools/run-tests runs the program from the top).
 * /proc/self/exe also names the program under valgrind.
 */
static void find_top(void)
{
	const char *env = getenv("BARGE_TOP");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	int i;

	if (env && *env) {
		if (has_corpus(env))
			snprintf(corpus.top, sizeof(corpus.top), "%s", env);
		else
			snprintf(corpus.why, sizeof(corpus.why),
				 "BARGE_TOP=%s has no " CORPUS, env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	for (i = 0; i < 3 && (slash = strrchr(exe, '/')); i++)
		*slash = '\0';
	if (i == 3 && has_corpus(exe)) {
		snprintf(corpus.top, sizeof(corpus.top), "%s", exe);
		return;
	}
	if (getcwd(corpus.top, sizeof(corpus.top)) && has_corpus(corpus.top))
		return;
	corpus.top[0] = '\0';
	snprintf(corpus.why, sizeof(corpus.why),
		 "no " CORPUS " three levels above this program nor in the "
		 "current directory; run it from the repository or set "
		 "BARGE_TOP");
}

/* The sorted list of TOP/CORPUS/PATTERN; empty if there is none. */
static void find_files(const char *pattern, glob_t *g)
{
	char path[PATH_MAX + 64];

	memset(g, 0, sizeof(*g));
	if (!corpus.top[0])
		return;
	snprintf(path, sizeof(path), "%s/" CORPUS "/%s", corpus.top, pattern);
	if (glob(path, 0, NULL, g) != 0) {
		globfree(g);
		memset(g, 0, sizeof(*g));
	}
}

static void free_bad_files(void)
{
	globfree(&corpus.bad);
	memset(&corpus.bad, 0, sizeof(corpus.bad));
}

static void free_good_files(void)
{
	globfree(&corpus.good);
	memset(&corpus.good, 0, sizeof(corpus.good));
}

/* A whole file, NUL-terminated, malloc'd. */
static char *slurp(const char *path)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "re");

	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	/* At the end of an empty file getdelim() allocates and writes
	 * nothing. */
	if (getdelim(&text, &size, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	ck_assert_ptr_nonnull(text);
	return text;
}

/* The first line of the .expect file beside a bad-*.json, trimmed. */
static void read_expect(const char *json_path, char *buf, size_t size)
{
	char path[PATH_MAX + 16], *text, *s, *end;
	size_t n = strlen(json_path) - strlen(".json");

	snprintf(path, sizeof(path), "%.*s.expect", (int)n, json_path);
	text = slurp(path);
	s = text + strspn(text, " \t");
	end = s + strcspn(s, "\n");
	while (end > s &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	snprintf(buf, size, "%.*s", (int)(end - s), s);
	free(text);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Load TOP/CORPUS/name into cfg, which the fixture frees. */
static void load_config(const char *name)
{
	char path[PATH_MAX + 64];
	int r;

	ck_assert_msg(corpus.top[0], "%s", corpus.why);
	snprintf(path, sizeof(path), "%s/" CORPUS "/%s", corpus.top, name);
	r = oci_config_load(path, &cfg, err, sizeof(err));
	ck_assert_msg(r == 0, "%s: %s", name, err);
}

static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	err[0] = '\0';
}

static void teardown(void)
{
	oci_config_free(&cfg);
}

static const struct oci_mount *find_mount(const char *destination)
{
	size_t i;

	for (i = 0; i < cfg.n_mounts; i++)
		if (strcmp(cfg.mounts[i].destination, destination) == 0)
			return &cfg.mounts[i];
	ck_abort_msg("no mount on %s", destination);
	return NULL;
}

/* ---- the corpus ---------------------------------------------------------------- */

START_TEST(corpus_is_found)
{
	ck_assert_msg(corpus.top[0], "%s", corpus.why);
	ck_assert_msg(corpus.bad.gl_pathc >= 60,
		      "only %zu bad-*.json in %s/" CORPUS, corpus.bad.gl_pathc,
		      corpus.top);
	ck_assert_msg(corpus.good.gl_pathc >= 9,
		      "only %zu good-*.json in %s/" CORPUS,
		      corpus.good.gl_pathc, corpus.top);
}
END_TEST

START_TEST(bad_config_is_refused_with_its_message)
{
	const char *path = corpus.bad.gl_pathv[_i], *name = base_name(path);
	char expect[1024], *text;
	int r;

	read_expect(path, expect, sizeof(expect));
	ck_assert_msg(expect[0], "%s: its .expect is empty", name);
	text = slurp(path);
	r = oci_config_parse(text, "config.json", &cfg, err, sizeof(err));
	free(text);
	ck_assert_msg(r == -EINVAL, "%s: returned %d, not -EINVAL (%s)", name,
		      r, r == 0 ? "it parsed" : err);
	ck_assert_msg(strstr(err, expect), "%s:\n got \"%s\"\nwant \"%s\"",
		      name, err, expect);
	/* Refused: nothing is left to free. */
	ck_assert_ptr_null(cfg.oci_version);
	ck_assert_ptr_null(cfg.mounts);
	ck_assert_ptr_null(cfg.process.args);
}
END_TEST

START_TEST(good_config_parses)
{
	const char *path = corpus.good.gl_pathv[_i], *name = base_name(path);
	char *text = slurp(path);
	int r;

	r = oci_config_parse(text, "config.json", &cfg, err, sizeof(err));
	free(text);
	ck_assert_msg(r == 0, "%s: %s", name, err);
	ck_assert_msg(cfg.oci_version && cfg.root_path,
		      "%s: no ociVersion or root.path", name);
}
END_TEST

/* ---- what a config says ---------------------------------------------------------- */

/* runc spec's config: the process, its capabilities and rlimits. */
START_TEST(runc_config_process)
{
	const struct oci_process *pr = &cfg.process;
	const char *caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL",
			       "CAP_NET_BIND_SERVICE" };
	char **sets[4];
	size_t i, j;

	load_config("good-runc.json");
	ck_assert_str_eq(cfg.oci_version, "1.0.2-dev");
	ck_assert(cfg.has_process);
	ck_assert(pr->terminal);
	ck_assert_uint_eq(pr->uid, 0);
	ck_assert_uint_eq(pr->gid, 0);
	ck_assert(!pr->has_umask);
	ck_assert_uint_eq(pr->n_additional_gids, 0);
	ck_assert_uint_eq(strv_length(pr->args), 1);
	ck_assert_str_eq(pr->args[0], "sh");
	ck_assert_uint_eq(strv_length(pr->env), 2);
	ck_assert_str_eq(pr->env[1], "TERM=xterm");
	ck_assert_str_eq(pr->cwd, "/");
	ck_assert(pr->no_new_privileges);
	ck_assert(!pr->has_oom_score_adj);
	ck_assert(!pr->has_console_size);

	ck_assert(pr->has_capabilities);
	sets[0] = pr->caps.bounding;
	sets[1] = pr->caps.effective;
	sets[2] = pr->caps.permitted;
	sets[3] = pr->caps.ambient;
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(strv_length(sets[i]), 3);
		for (j = 0; j < 3; j++)
			ck_assert_str_eq(sets[i][j], caps[j]);
	}
	/* Absent is NULL, not empty: the spec tells the two apart. */
	ck_assert_ptr_null(pr->caps.inheritable);

	ck_assert_uint_eq(pr->n_rlimits, 1);
	ck_assert_str_eq(pr->rlimits[0].type, "RLIMIT_NOFILE");
	ck_assert_int_eq(pr->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(pr->rlimits[0].soft, 1024);
	ck_assert_uint_eq(pr->rlimits[0].hard, 1024);

	ck_assert_str_eq(cfg.root_path, "rootfs");
	ck_assert(cfg.root_readonly);
	ck_assert_str_eq(cfg.hostname, "runc");
	ck_assert_ptr_null(cfg.domainname);
	ck_assert_uint_eq(cfg.n_annotations, 0);
	for (i = 0; i < OCI_HOOK_KINDS; i++)
		ck_assert_uint_eq(cfg.hooks[i].n, 0);
}
END_TEST

/* A mount's options, split as mount(2) takes them: flags it knows, and
 * the rest as the filesystem's data, in order. */
START_TEST(runc_config_mount_options_are_split)
{
	const struct oci_mount *m;

	load_config("good-runc.json");
	ck_assert_uint_eq(cfg.n_mounts, 7);
	m = find_mount("/proc");
	ck_assert_str_eq(m->type, "proc");
	ck_assert_str_eq(m->source, "proc");
	ck_assert_ptr_null(m->options);
	ck_assert_uint_eq(m->flags, 0);
	ck_assert_ptr_null(m->data);

	m = find_mount("/dev");
	ck_assert_str_eq(m->type, "tmpfs");
	ck_assert_uint_eq(strv_length(m->options), 4);
	ck_assert_uint_eq(m->flags, MS_NOSUID | MS_STRICTATIME);
	ck_assert_str_eq(m->data, "mode=755,size=65536k");
	ck_assert_uint_eq(m->propagation, 0);
	ck_assert(!m->recursive);
	ck_assert(!m->tmpcopyup);

	m = find_mount("/dev/pts");
	ck_assert_uint_eq(m->flags, MS_NOSUID | MS_NOEXEC);
	ck_assert_str_eq(m->data, "newinstance,ptmxmode=0666,mode=0620,gid=5");

	m = find_mount("/dev/shm");
	ck_assert_uint_eq(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV);
	ck_assert_str_eq(m->data, "mode=1777,size=65536k");

	m = find_mount("/sys");
	ck_assert_uint_eq(m->flags,
			  MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
	ck_assert_ptr_null(m->data);

	m = find_mount("/sys/fs/cgroup");
	ck_assert_uint_eq(m->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV |
					    MS_RELATIME | MS_RDONLY);
}
END_TEST

START_TEST(runc_config_linux)
{
	const int types[] = { CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC,
			      CLONE_NEWUTS, CLONE_NEWNS };
	const struct oci_linux *l = &cfg.linux_spec;
	const struct oci_device_rule *d;
	size_t i;

	load_config("good-runc.json");
	ck_assert(cfg.has_linux_spec);
	ck_assert_uint_eq(l->n_namespaces, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(l->namespaces[i].type, types[i]);
		ck_assert_ptr_null(l->namespaces[i].path);
		ck_assert_ptr_eq(oci_config_namespace(&cfg, types[i]),
				 &l->namespaces[i]);
	}
	ck_assert_ptr_null(oci_config_namespace(&cfg, CLONE_NEWUSER));
	ck_assert_ptr_null(oci_config_namespace(&cfg, CLONE_NEWCGROUP));
	ck_assert_uint_eq(l->n_uid_mappings, 0);
	ck_assert_ptr_null(l->cgroups_path);

	ck_assert(l->has_resources);
	ck_assert(!l->resources.has_memory_limit);
	ck_assert(!l->resources.has_pids_limit);
	ck_assert_uint_eq(l->resources.n_devices, 1);
	d = &l->resources.devices[0];
	ck_assert(!d->allow);
	ck_assert_int_eq(d->type, 'a');
	ck_assert_int_eq(d->major, -1);
	ck_assert_int_eq(d->minor, -1);
	ck_assert_str_eq(d->access, "rwm");

	ck_assert_uint_eq(strv_length(l->masked_paths), 10);
	ck_assert_str_eq(l->masked_paths[0], "/proc/acpi");
	ck_assert_str_eq(l->masked_paths[9], "/proc/scsi");
	ck_assert_uint_eq(strv_length(l->readonly_paths), 5);
	ck_assert_str_eq(l->readonly_paths[4], "/proc/sysrq-trigger");
	ck_assert(!l->has_seccomp);
	ck_assert_uint_eq(l->n_devices, 0);
	ck_assert_uint_eq(l->n_sysctl, 0);
	ck_assert_uint_eq(l->rootfs_propagation, 0);
}
END_TEST

/* podman writes an unlimited rlimit as 2^64-1, too big for jansson's
 * integers; it is UINT64_MAX (RLIM_INFINITY). */
START_TEST(podman_config_unlimited_rlimit_is_uint64_max)
{
	const struct oci_process *pr = &cfg.process;

	load_config("good-podman-options.json");
	ck_assert_uint_eq(pr->n_rlimits, 2);
	ck_assert_int_eq(pr->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(pr->rlimits[0].soft, 1024);
	ck_assert_int_eq(pr->rlimits[1].resource, RLIMIT_NPROC);
	ck_assert_str_eq(pr->rlimits[1].type, "RLIMIT_NPROC");
	ck_assert(pr->rlimits[1].soft == UINT64_MAX);
	ck_assert(pr->rlimits[1].hard == UINT64_MAX);
	ck_assert(pr->rlimits[1].hard == RLIM_INFINITY);

	/* The rest of the file, read with doubles, is still exact. */
	ck_assert_uint_eq(pr->uid, 1000);
	ck_assert_uint_eq(pr->gid, 1000);
	ck_assert(pr->has_umask);
	ck_assert_uint_eq(pr->umask, 022);
	ck_assert_uint_eq(pr->n_additional_gids, 2);
	ck_assert_uint_eq(pr->additional_gids[0], 1000);
	ck_assert_uint_eq(pr->additional_gids[1], 10);
	ck_assert(pr->has_oom_score_adj);
	ck_assert_int_eq(pr->oom_score_adj, 100);
	ck_assert_int_eq(cfg.linux_spec.resources.memory_limit, 33554432);
	ck_assert_uint_eq(cfg.linux_spec.resources.cpu_shares, 512);
	ck_assert_int_eq(cfg.linux_spec.resources.pids_limit, 50);
	ck_assert_uint_eq(cfg.linux_spec.devices[0].file_mode, S_IFCHR | 0666);
}
END_TEST

/* podman's mounts: propagation and rbind apart from the flags, crun's
 * tmpcopyup, and its netns path. */
START_TEST(podman_config_mounts_and_namespaces)
{
	const struct oci_namespace *ns;
	const struct oci_mount *m;

	load_config("good-podman-options.json");
	m = find_mount("/scratch");
	ck_assert_str_eq(m->type, "tmpfs");
	ck_assert_uint_eq(m->flags, MS_NOSUID | MS_NODEV);
	ck_assert_uint_eq(m->propagation, MS_PRIVATE);
	ck_assert(m->recursive);
	ck_assert(m->tmpcopyup);
	ck_assert_str_eq(m->data, "size=1m");

	m = find_mount("/vol");
	ck_assert_str_eq(m->source, "/tmp/barge-oci-w/vol");
	ck_assert_uint_eq(m->flags, MS_BIND | MS_RDONLY);
	ck_assert_uint_eq(m->propagation, MS_PRIVATE);
	ck_assert(m->recursive);
	ck_assert_ptr_null(m->data);

	m = find_mount("/etc/hostname");
	ck_assert_uint_eq(m->flags, MS_BIND);
	ck_assert(m->recursive); /* rprivate */

	ns = oci_config_namespace(&cfg, CLONE_NEWNET);
	ck_assert_ptr_nonnull(ns);
	ck_assert_str_eq(
		ns->path,
		"/run/netns/netns-498a265a-cef2-a5b7-4ebc-3ba0313e6dcb");
	ck_assert_ptr_null(oci_config_namespace(&cfg, CLONE_NEWPID)->path);
	ck_assert_uint_eq(cfg.n_annotations, 8);
	ck_assert_uint_eq(cfg.linux_spec.n_sysctl, 2);
}
END_TEST

/* linux.seccomp is the runtime spec's format of seccomp_profile.h. */
START_TEST(podman_config_seccomp)
{
	const struct seccomp_profile *sp = &cfg.linux_spec.seccomp;
	const struct seccomp_rule *r;

	load_config("good-podman-options.json");
	ck_assert(cfg.linux_spec.has_seccomp);
	ck_assert_uint_eq(sp->default_action, SCMP_ACT_ERRNO(38));
	ck_assert_uint_eq(sp->n_arches, 3);
	ck_assert_uint_eq(sp->arches[0], SCMP_ARCH_X86_64);
	ck_assert_uint_eq(sp->arches[1], SCMP_ARCH_X86);
	ck_assert_uint_eq(sp->arches[2], SCMP_ARCH_X32);
	ck_assert_uint_eq(sp->n_rules, 22);
	ck_assert_uint_eq(strv_length(sp->rules[0].names), 28);
	ck_assert_uint_eq(sp->rules[0].action, SCMP_ACT_ERRNO(1));
	ck_assert_uint_eq(sp->rules[1].action, SCMP_ACT_ALLOW);
	ck_assert(strv_contains(sp->rules[1].names, "write"));
	r = &sp->rules[18];
	ck_assert_str_eq(r->names[0], "socket");
	ck_assert_uint_eq(r->action, SCMP_ACT_ERRNO(22));
	ck_assert_uint_eq(r->n_args, 2);
	ck_assert_uint_eq(r->args[1].index, 2);
	ck_assert_uint_eq(r->args[1].value, 9);
	ck_assert_int_eq(r->args[1].op, SCMP_CMP_EQ);
	ck_assert_uint_eq(sp->rules[6].args[0].value, 4294967295ULL);
}
END_TEST

/* good-full.json: every field barge reads. */
START_TEST(full_config_hooks_and_linux)
{
	const struct oci_linux *l = &cfg.linux_spec;
	const struct oci_hook *h;
	const struct oci_mount *m;

	load_config("good-full.json");
	ck_assert(cfg.process.has_console_size);
	ck_assert_uint_eq(cfg.process.console_height, 25);
	ck_assert_uint_eq(cfg.process.console_width, 80);
	ck_assert_int_eq(cfg.process.oom_score_adj, -500);
	ck_assert(cfg.process.rlimits[1].hard == UINT64_MAX);
	ck_assert_uint_eq(strv_length(cfg.process.caps.inheritable), 0);
	ck_assert_ptr_nonnull(cfg.process.caps.inheritable);
	ck_assert_ptr_null(cfg.process.caps.ambient);
	ck_assert_str_eq(cfg.domainname, "example.org");

	ck_assert_uint_eq(cfg.hooks[OCI_HOOK_PRESTART].n, 1);
	ck_assert_uint_eq(cfg.hooks[OCI_HOOK_CREATE_RUNTIME].n, 1);
	h = &cfg.hooks[OCI_HOOK_CREATE_RUNTIME].hooks[0];
	ck_assert_str_eq(h->path, "/usr/bin/env");
	ck_assert_str_eq(h->args[0], "env");
	ck_assert_str_eq(h->env[0], "A=1");
	ck_assert_int_eq(h->timeout, 5);
	ck_assert_uint_eq(cfg.hooks[OCI_HOOK_CREATE_CONTAINER].n, 0);
	ck_assert_int_eq(cfg.hooks[OCI_HOOK_PRESTART].hooks[0].timeout, 0);
	ck_assert_int_eq(cfg.hooks[OCI_HOOK_POSTSTOP].hooks[0].timeout, 1);

	m = find_mount("/data");
	ck_assert_uint_eq(m->flags, MS_BIND | MS_RDONLY | MS_NOSUID);
	ck_assert(m->recursive);
	ck_assert_uint_eq(m->propagation, MS_PRIVATE);
	m = find_mount("/run");
	ck_assert_uint_eq(m->flags, MS_NODEV);
	ck_assert(m->tmpcopyup);
	ck_assert_str_eq(m->data, "mode=755,size=1m");

	ck_assert_uint_eq(l->n_uid_mappings, 1);
	ck_assert_uint_eq(l->uid_mappings[0].host_id, 100000);
	ck_assert_uint_eq(l->uid_mappings[0].size, 65536);
	ck_assert_int_eq(l->resources.memory_swap, -1);
	ck_assert_int_eq(l->resources.cpu_quota, -1);
	ck_assert_uint_eq(l->resources.cpu_period, 100000);
	ck_assert_str_eq(l->resources.cpu_cpus, "0-1");
	ck_assert_uint_eq(l->resources.n_devices, 3);
	ck_assert_int_eq(l->resources.devices[2].major, 136);
	ck_assert_int_eq(l->resources.devices[2].minor, -1);
	ck_assert_str_eq(l->resources.devices[1].access, "rw");
	ck_assert_uint_eq(l->seccomp.flags, SECCOMP_PROFILE_FLAG_LOG);
	ck_assert_uint_eq(l->seccomp.rules[2].args[0].op, SCMP_CMP_MASKED_EQ);
	ck_assert_uint_eq(l->n_devices, 2);
	ck_assert_int_eq(l->devices[1].type, 'p');
	ck_assert(!l->devices[1].has_file_mode);
	ck_assert_uint_eq(l->rootfs_propagation, MS_SLAVE | MS_REC);
	ck_assert_uint_eq(cfg.n_annotations, 2);
}
END_TEST

/* ---- files and names -------------------------------------------------------------- */

/* Messages name the file: its path when it cannot be read, its name as
 * "config.json" is named when it is wrong. */
START_TEST(oci_config_load_names_the_file)
{
	char path[PATH_MAX + 64];

	ck_assert_int_eq(oci_config_load("/nonexistent/barge/config.json", &cfg,
					 err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/barge/config.json: No such file "
			      "or directory");

	ck_assert_msg(corpus.top[0], "%s", corpus.why);
	snprintf(path, sizeof(path), "%s/" CORPUS "/bad-cwd-relative.json",
		 corpus.top);
	ck_assert_int_eq(oci_config_load(path, &cfg, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "bad-cwd-relative.json: process.cwd: \"tmp\" is "
			      "not an absolute path");

	/* An empty file is empty text (valgrind, in make memcheck, sees a
	 * read of what getdelim() left unwritten). */
	snprintf(path, sizeof(path), "%s/" CORPUS "/bad-empty-file.json",
		 corpus.top);
	ck_assert_int_eq(oci_config_load(path, &cfg, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "bad-empty-file.json:1:0: invalid JSON: '[' or "
			      "'{' expected near end of file");

	snprintf(path, sizeof(path), "%s/" CORPUS, corpus.top);
	ck_assert_int_eq(oci_config_load(path, &cfg, err, sizeof(err)),
			 -EISDIR);
	ck_assert_ptr_nonnull(strstr(err, "Is a directory"));
}
END_TEST

/* The text checked is kept, byte for byte, for a runtime to save. */
START_TEST(oci_config_load_keeps_the_text)
{
	char path[PATH_MAX + 64], *text;

	ck_assert_msg(corpus.top[0], "%s", corpus.why);
	snprintf(path, sizeof(path), "%s/" CORPUS "/good-runc.json",
		 corpus.top);
	text = slurp(path);
	ck_assert_int_eq(oci_config_load(path, &cfg, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(cfg.source);
	ck_assert_str_eq(cfg.source, text);
	free(text);
}
END_TEST

START_TEST(oci_config_parse_names_its_input)
{
	ck_assert_int_eq(oci_config_parse("[]", "bundle/config.json", &cfg, err,
					  sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "bundle/config.json: must be a JSON object");
	ck_assert_int_eq(oci_config_parse("{ \"ociVersion\": \"1.0.0\" }",
					  "x.json", &cfg, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "x.json: root: required");
	ck_assert_int_eq(oci_config_parse("{ \"ociVersion\": \"1.0.0\", "
					  "\"root\": { \"path\": \"r\" } }",
					  "x.json", &cfg, err, sizeof(err)),
			 0);
	ck_assert(!cfg.has_process);
	ck_assert(!cfg.has_linux_spec);
	ck_assert_str_eq(cfg.root_path, "r");
}
END_TEST

START_TEST(oci_names_of_hooks_namespaces_and_propagation)
{
	unsigned long flags = 0;

	ck_assert_str_eq(oci_hook_name(OCI_HOOK_PRESTART), "prestart");
	ck_assert_str_eq(oci_hook_name(OCI_HOOK_CREATE_RUNTIME),
			 "createRuntime");
	ck_assert_str_eq(oci_hook_name(OCI_HOOK_POSTSTOP), "poststop");
	ck_assert_ptr_null(oci_hook_name(OCI_HOOK_KINDS));
	ck_assert_str_eq(oci_namespace_name(CLONE_NEWNET), "network");
	ck_assert_str_eq(oci_namespace_name(CLONE_NEWNS), "mount");
	ck_assert_str_eq(oci_namespace_name(CLONE_NEWUSER), "user");
	ck_assert_ptr_null(oci_namespace_name(0));
	ck_assert_int_eq(oci_propagation_flags("rslave", &flags), 0);
	ck_assert_uint_eq(flags, MS_SLAVE | MS_REC);
	ck_assert_int_eq(oci_propagation_flags("private", &flags), 0);
	ck_assert_uint_eq(flags, MS_PRIVATE);
	ck_assert_int_eq(oci_propagation_flags("rprivat", &flags), -EINVAL);
	ck_assert_uint_eq(flags, MS_PRIVATE);
}
END_TEST

Suite *oci_spec_suite(void)
{
	Suite *s = suite_create("oci_spec");
	TCase *tc;

	find_top();
	find_files("bad-*.json", &corpus.bad);
	find_files("good-*.json", &corpus.good);

	tc = tcase_create("corpus");
	tcase_add_test(tc, corpus_is_found);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_configs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_unchecked_fixture(tc, NULL, free_bad_files);
	tcase_add_loop_test(tc, bad_config_is_refused_with_its_message, 0,
			    corpus.bad.gl_pathc);
	suite_add_tcase(s, tc);

	tc = tcase_create("good_configs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_unchecked_fixture(tc, NULL, free_good_files);
	tcase_add_loop_test(tc, good_config_parses, 0, corpus.good.gl_pathc);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, runc_config_process);
	tcase_add_test(tc, runc_config_mount_options_are_split);
	tcase_add_test(tc, runc_config_linux);
	tcase_add_test(tc, podman_config_unlimited_rlimit_is_uint64_max);
	tcase_add_test(tc, podman_config_mounts_and_namespaces);
	tcase_add_test(tc, podman_config_seccomp);
	tcase_add_test(tc, full_config_hooks_and_linux);
	tcase_add_test(tc, oci_config_load_names_the_file);
	tcase_add_test(tc, oci_config_load_keeps_the_text);
	tcase_add_test(tc, oci_config_parse_names_its_input);
	tcase_add_test(tc, oci_names_of_hooks_namespaces_and_propagation);
	suite_add_tcase(s, tc);
	return s;
}
