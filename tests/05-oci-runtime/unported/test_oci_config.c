/* SPDX-License-Identifier: MIT */
/*
 * test_oci_config.c - the config.json parser: the corpus in $CONFIGS
 * (every bad-NAME.json refused with the message in bad-NAME.expect, every
 * good-*.json, written by runc, crun, podman and barge-runtime spec,
 * parsed), and what the parsed struct holds.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "oci_config.h"
#include "runtime.h"

#define MAX_FILES 256

static char *bad_files[MAX_FILES], *good_files[MAX_FILES];
static int n_bad, n_good;

static const char *configs_dir(void)
{
	const char *d = getenv("CONFIGS");

	return d ? d : "configs";
}

static char *slurp(const char *name)
{
	char path[4096], *text = NULL;
	size_t size = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", configs_dir(), name);
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
	if (getdelim(&text, &size, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	return text;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus, read once when the suite is made: one loop test per file. */
static void find_corpus(void)
{
	struct dirent *de;
	size_t n;
	DIR *d;

	d = opendir(configs_dir());
	if (!d)
		return;
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		if (!strncmp(de->d_name, "bad-", 4) && n_bad < MAX_FILES)
			bad_files[n_bad++] = strdup(de->d_name);
		else if (!strncmp(de->d_name, "good-", 5) && n_good < MAX_FILES)
			good_files[n_good++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(bad_files, n_bad, sizeof(char *), cmp);
	qsort(good_files, n_good, sizeof(char *), cmp);
}

START_TEST(corpus_is_there)
{
	ck_assert_msg(n_bad >= 20, "%d bad configs in %s", n_bad,
		      configs_dir());
	ck_assert_msg(n_good >= 2, "%d good configs in %s", n_good,
		      configs_dir());
}
END_TEST

START_TEST(bad_config_refused)
{
	char err[1024], expect_name[300], *text, *expect;
	struct oci_config c;
	int r;

	text = slurp(bad_files[_i]);
	snprintf(expect_name, sizeof(expect_name), "%.*s.expect",
		 (int)strlen(bad_files[_i]) - 5, bad_files[_i]);
	expect = slurp(expect_name);
	expect[strcspn(expect, "\n")] = '\0';
	err[0] = '\0';
	r = oci_config_parse(text, "config.json", &c, err, sizeof(err));
	ck_assert_msg(r == -EINVAL, "%s: parsed (r=%d)", bad_files[_i], r);
	ck_assert_msg(strstr(err, expect) != NULL,
		      "%s:\n  got      '%s'\n  expected '%s'", bad_files[_i],
		      err, expect);
	/* One line, and the struct was freed (valgrind checks that). */
	ck_assert_ptr_null(strchr(err, '\n'));
	free(text);
	free(expect);
}
END_TEST

START_TEST(good_config_parsed)
{
	struct oci_config c;
	char err[1024] = "";
	char *text;
	int r;

	text = slurp(good_files[_i]);
	r = oci_config_parse(text, "config.json", &c, err, sizeof(err));
	ck_assert_msg(r == 0, "%s: %s", good_files[_i], err);
	ck_assert_ptr_nonnull(c.oci_version);
	ck_assert_ptr_nonnull(c.root_path);
	oci_config_free(&c);
	free(text);
}
END_TEST

static void load_good(const char *name, struct oci_config *c)
{
	char err[1024] = "";
	char *text = slurp(name);

	ck_assert_msg(
		oci_config_parse(text, "config.json", c, err, sizeof(err)) == 0,
		"%s: %s", name, err);
	free(text);
}

START_TEST(full_config_process)
{
	struct oci_config c;
	struct oci_process *p = &c.process;

	load_good("good-full.json", &c);
	ck_assert_str_eq(c.oci_version, "1.1.0+dev");
	ck_assert(c.has_process);
	ck_assert(!p->terminal);
	ck_assert(p->has_console_size);
	ck_assert_uint_eq(p->console_width, 80);
	ck_assert_uint_eq(p->uid, 1000);
	ck_assert_uint_eq(p->gid, 1000);
	ck_assert(p->has_umask);
	ck_assert_uint_eq(p->umask, 022);
	ck_assert_uint_eq(p->n_additional_gids, 2);
	ck_assert_uint_eq(p->additional_gids[1], 6);
	ck_assert_uint_eq(strv_length(p->args), 3);
	ck_assert_str_eq(p->args[2], "echo hello");
	ck_assert_str_eq(p->env[1], "EMPTY=");
	ck_assert_str_eq(p->cwd, "/home/user");
	ck_assert(p->has_capabilities);
	ck_assert_uint_eq(strv_length(p->caps.bounding), 2);
	/* present and empty is not absent */
	ck_assert_ptr_nonnull(p->caps.inheritable);
	ck_assert_uint_eq(strv_length(p->caps.inheritable), 0);
	ck_assert_ptr_null(p->caps.ambient);
	ck_assert_uint_eq(p->n_rlimits, 2);
	ck_assert_int_eq(p->rlimits[1].resource, RLIMIT_CORE);
	ck_assert(p->rlimits[1].hard == UINT64_MAX);
	ck_assert(p->no_new_privileges);
	ck_assert(p->has_oom_score_adj);
	ck_assert_int_eq(p->oom_score_adj, -500);
	ck_assert_str_eq(c.hostname, "full");
	ck_assert_str_eq(c.domainname, "example.org");
	ck_assert_uint_eq(c.n_annotations, 2);
	oci_config_free(&c);
}
END_TEST

START_TEST(full_config_mounts_and_hooks)
{
	struct oci_config c;
	struct oci_mount *m;

	load_good("good-full.json", &c);
	ck_assert_uint_eq(c.n_mounts, 3);
	m = &c.mounts[1];
	ck_assert_str_eq(m->destination, "/data");
	ck_assert(m->flags & MS_BIND);
	ck_assert(m->flags & MS_RDONLY);
	ck_assert(m->flags & MS_NOSUID);
	ck_assert(m->recursive);
	ck_assert_uint_eq(m->propagation, MS_PRIVATE);
	ck_assert_ptr_null(m->data);
	m = &c.mounts[2];
	ck_assert(!(m->flags & MS_RDONLY));
	ck_assert(m->tmpcopyup);
	ck_assert_str_eq(m->data, "mode=755,size=1m");
	ck_assert_uint_eq(c.hooks[OCI_HOOK_PRESTART].n, 1);
	ck_assert_uint_eq(c.hooks[OCI_HOOK_CREATE_CONTAINER].n, 0);
	ck_assert_int_eq(c.hooks[OCI_HOOK_CREATE_RUNTIME].hooks[0].timeout, 5);
	ck_assert_str_eq(c.hooks[OCI_HOOK_CREATE_RUNTIME].hooks[0].env[0],
			 "A=1");
	ck_assert_str_eq(oci_hook_name(OCI_HOOK_POSTSTOP), "poststop");
	oci_config_free(&c);
}
END_TEST

START_TEST(full_config_linux)
{
	const struct oci_namespace *ns;
	struct oci_config c;
	struct oci_linux *l;

	load_good("good-full.json", &c);
	l = &c.linux_spec;
	ck_assert(c.has_linux_spec);
	ck_assert_uint_eq(l->n_namespaces, 7);
	ns = oci_config_namespace(&c, CLONE_NEWNET);
	ck_assert_ptr_nonnull(ns);
	ck_assert_str_eq(ns->path, "/proc/1/ns/net");
	ck_assert_ptr_null(oci_config_namespace(&c, CLONE_NEWPID)->path);
	ck_assert_uint_eq(l->uid_mappings[0].host_id, 100000);
	ck_assert_uint_eq(l->gid_mappings[0].size, 65536);
	ck_assert_str_eq(l->cgroups_path, "/barge/full");
	ck_assert(l->resources.has_memory_limit);
	ck_assert_int_eq(l->resources.memory_limit, 67108864);
	ck_assert_int_eq(l->resources.memory_swap, -1);
	ck_assert_int_eq(l->resources.cpu_quota, -1);
	ck_assert_uint_eq(l->resources.cpu_shares, 512);
	ck_assert_str_eq(l->resources.cpu_cpus, "0-1");
	ck_assert_int_eq(l->resources.pids_limit, 100);
	ck_assert_uint_eq(l->resources.n_devices, 3);
	ck_assert_int_eq(l->resources.devices[0].type, 'a');
	ck_assert_int_eq(l->resources.devices[2].minor, -1);
	ck_assert_str_eq(l->resources.devices[1].access, "rw");
	ck_assert_str_eq(l->seccomp.default_action, "SCMP_ACT_ERRNO");
	ck_assert_uint_eq(l->seccomp.default_errno_ret, 1);
	ck_assert_uint_eq(l->seccomp.n_syscalls, 3);
	ck_assert(l->seccomp.syscalls[1].args[0].value == 4294967295u);
	ck_assert_uint_eq(l->seccomp.syscalls[2].errno_ret, 38);
	ck_assert_str_eq(l->seccomp.syscalls[2].args[0].op,
			 "SCMP_CMP_MASKED_EQ");
	ck_assert_str_eq(l->masked_paths[0], "/proc/kcore");
	ck_assert_str_eq(l->sysctl[0].key, "net.ipv4.ip_forward");
	ck_assert_uint_eq(l->n_devices, 2);
	ck_assert_uint_eq(l->devices[0].file_mode, 0666);
	ck_assert_int_eq(l->devices[1].type, 'p');
	ck_assert_uint_eq(l->rootfs_propagation, MS_SLAVE | MS_REC);
	oci_config_free(&c);
}
END_TEST

/* podman writes RLIM_INFINITY as 18446744073709551615, past jansson's
 * integers, and a device's fileMode with its type bits. */
START_TEST(podman_config_values)
{
	struct oci_config c;

	load_good("good-podman-options.json", &c);
	ck_assert(c.process.rlimits[1].soft == UINT64_MAX);
	ck_assert_uint_eq(c.process.rlimits[0].hard, 1024);
	ck_assert_uint_eq(c.process.n_additional_gids, 2);
	ck_assert_uint_eq(c.linux_spec.devices[0].file_mode, 020666);
	ck_assert_int_eq(c.linux_spec.resources.memory_limit, 33554432);
	oci_config_free(&c);
}
END_TEST

START_TEST(runc_spec_mount_options)
{
	struct oci_config c;
	struct oci_mount *dev;

	load_good("good-runc.json", &c);
	dev = &c.mounts[1];
	ck_assert_str_eq(dev->destination, "/dev");
	ck_assert_uint_eq(dev->flags, MS_NOSUID | MS_STRICTATIME);
	ck_assert_str_eq(dev->data, "mode=755,size=65536k");
	ck_assert_str_eq(c.mounts[2].data,
			 "newinstance,ptmxmode=0666,mode=0620,gid=5");
	ck_assert(c.root_readonly);
	ck_assert(c.process.terminal);
	oci_config_free(&c);
}
END_TEST

START_TEST(default_spec_parses)
{
	struct oci_config c;
	char err[1024] = "", *text;
	json_t *spec;

	spec = spec_default(false);
	ck_assert_ptr_nonnull(spec);
	text = json_dumps(spec, 0);
	json_decref(spec);
	ck_assert_int_eq(
		oci_config_parse(text, "config.json", &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(strv_length(c.process.caps.bounding), 14);
	ck_assert_ptr_nonnull(oci_config_namespace(&c, CLONE_NEWCGROUP));
	ck_assert_ptr_null(oci_config_namespace(&c, CLONE_NEWUSER));
	oci_config_free(&c);
	free(text);
	spec = spec_default(true);
	text = json_dumps(spec, 0);
	json_decref(spec);
	ck_assert_int_eq(
		oci_config_parse(text, "config.json", &c, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(oci_config_namespace(&c, CLONE_NEWUSER));
	ck_assert_ptr_null(oci_config_namespace(&c, CLONE_NEWNET));
	ck_assert_uint_eq(c.linux_spec.n_uid_mappings, 1);
	oci_config_free(&c);
	free(text);
}
END_TEST

START_TEST(load_names_the_file)
{
	char path[4096], err[1024];
	struct oci_config c;

	ck_assert_int_eq(oci_config_load("/nonexistent/config.json", &c, err,
					 sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err,
			 "/nonexistent/config.json: No such file or directory");
	snprintf(path, sizeof(path), "%s/bad-no-root.json", configs_dir());
	ck_assert_int_eq(oci_config_load(path, &c, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "bad-no-root.json: root: required");
}
END_TEST

START_TEST(small_error_buffer_is_safe)
{
	struct oci_config c;
	char err[8];

	ck_assert_int_eq(
		oci_config_parse("{}", "config.json", &c, err, sizeof(err)),
		-EINVAL);
	ck_assert_str_eq(err, "config.");
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("oci_config");
	TCase *tc = tcase_create("corpus");

	find_corpus();
	tcase_add_test(tc, corpus_is_there);
	tcase_add_loop_test(tc, bad_config_refused, 0, n_bad);
	tcase_add_loop_test(tc, good_config_parsed, 0, n_good);
	suite_add_tcase(s, tc);
	tc = tcase_create("parsed");
	tcase_add_test(tc, full_config_process);
	tcase_add_test(tc, full_config_mounts_and_hooks);
	tcase_add_test(tc, full_config_linux);
	tcase_add_test(tc, podman_config_values);
	tcase_add_test(tc, runc_spec_mount_options);
	tcase_add_test(tc, default_spec_parses);
	tcase_add_test(tc, load_names_the_file);
	tcase_add_test(tc, small_error_buffer_is_safe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed, i;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < n_bad; i++)
		free(bad_files[i]);
	for (i = 0; i < n_good; i++)
		free(good_files[i]);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
