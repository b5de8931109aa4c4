/* SPDX-License-Identifier: MIT */
/*
 * test_util.c - unit tests of common/util.c: paths, numbers, files,
 * signal and rlimit names.
 */
#include <check.h>
#include <errno.h>
#include <linux/magic.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/barge-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(path_join_joins_with_one_slash)
{
	char buf[32];

	ck_assert_int_eq(path_join(buf, sizeof(buf), "/a", "b"), 0);
	ck_assert_str_eq(buf, "/a/b");
	ck_assert_int_eq(path_join(buf, sizeof(buf), "/a/", "/b"), 0);
	ck_assert_str_eq(buf, "/a/b");
	ck_assert_int_eq(path_join(buf, sizeof(buf), "/", "proc"), 0);
	ck_assert_str_eq(buf, "/proc");
}
END_TEST

START_TEST(path_join_refuses_overflow)
{
	char buf[8];

	ck_assert_int_eq(path_join(buf, sizeof(buf), "/abc", "defg"),
			 -ENAMETOOLONG);
	ck_assert_int_eq(path_join(buf, sizeof(buf), "/ab", "def"), 0);
	ck_assert_str_eq(buf, "/ab/def");
}
END_TEST

START_TEST(parse_int_is_strict)
{
	int v = -1;

	ck_assert_int_eq(parse_int("42", 0, 100, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(parse_int("-3", -5, 5, &v), 0);
	ck_assert_int_eq(v, -3);
	ck_assert_int_eq(parse_int("", 0, 100, &v), -EINVAL);
	ck_assert_int_eq(parse_int("4x", 0, 100, &v), -EINVAL);
	ck_assert_int_eq(parse_int("101", 0, 100, &v), -ERANGE);
	ck_assert_int_eq(parse_int("99999999999999999999", 0, 100, &v),
			 -ERANGE);
	ck_assert_int_eq(v, -3);
}
END_TEST

START_TEST(parse_size_takes_docker_suffixes)
{
	int64_t v = -1;

	ck_assert_int_eq(parse_size("65536", &v), 0);
	ck_assert_int_eq(v, 65536);
	ck_assert_int_eq(parse_size("512b", &v), 0);
	ck_assert_int_eq(v, 512);
	ck_assert_int_eq(parse_size("4k", &v), 0);
	ck_assert_int_eq(v, 4096);
	ck_assert_int_eq(parse_size("32M", &v), 0);
	ck_assert_int_eq(v, 32 << 20);
	ck_assert_int_eq(parse_size("2g", &v), 0);
	ck_assert_int_eq(v, 2LL << 30);
	ck_assert_int_eq(parse_size("", &v), -EINVAL);
	ck_assert_int_eq(parse_size("m", &v), -EINVAL);
	ck_assert_int_eq(parse_size("-1", &v), -EINVAL);
	ck_assert_int_eq(parse_size(" 1", &v), -EINVAL);
	ck_assert_int_eq(parse_size("12x", &v), -EINVAL);
	ck_assert_int_eq(parse_size("1mb", &v), -EINVAL);
	ck_assert_int_eq(parse_size("1.5g", &v), -EINVAL);
	ck_assert_int_eq(parse_size("9999999999g", &v), -ERANGE);
	ck_assert_int_eq(parse_size("99999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(v, 2LL << 30);
}
END_TEST

START_TEST(startswith_and_streq)
{
	ck_assert(startswith("CAP_SYS_ADMIN", "CAP_"));
	ck_assert(!startswith("CA", "CAP_"));
	ck_assert(streq("a", "a"));
	ck_assert(!streq("a", "b"));
	ck_assert(!streq(NULL, "a"));
}
END_TEST

START_TEST(write_then_read_file)
{
	char path[128], buf[16];

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/f", tmpdir);
	ck_assert_int_eq(write_file(path, "hello\n"), 0);
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "hello\n");
	/* A short buffer gets a truncated, terminated string. */
	ck_assert_int_eq(read_file(path, buf, 4), 3);
	ck_assert_str_eq(buf, "hel");
	ck_assert_int_eq(write_file(path, "x"), 0);
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), 1);
	ck_assert_int_eq(read_file("/nonexistent/f", buf, sizeof(buf)),
			 -ENOENT);
	remove_tmpdir();
}
END_TEST

START_TEST(mkdir_p_makes_parents)
{
	char path[128];

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/a/b/c", tmpdir);
	ck_assert_int_eq(mkdir_p(path, 0755), 0);
	ck_assert_int_eq(is_dir(path), 1);
	ck_assert_int_eq(mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	ck_assert_int_eq(touch(path, 0644), 0);
	ck_assert_int_eq(is_dir(path), 0);
	snprintf(path, sizeof(path), "%s/file/sub", tmpdir);
	ck_assert_int_eq(mkdir_p(path, 0755), -ENOTDIR);
	ck_assert_int_eq(is_dir("/nonexistent"), -ENOENT);
	remove_tmpdir();
}
END_TEST

/* path_has_dotdot() finds ".." as a component, and only as one. */
START_TEST(path_has_dotdot_finds_components)
{
	static const char *const yes[] = { "..",    "/..",    "/../etc",
					   "/a/..", "a/../b", "/a/b/../../.." };
	static const char *const no[] = { "/",	    "/a",      "/..a",	 "/a..",
					  "/a/...", "/a..b/c", "/.../x", "" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(path_has_dotdot(yes[i]), "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!path_has_dotdot(no[i]), "%s", no[i]);
}
END_TEST

/* open_in_root() resolves inside its root: symlinks absolute and
 * relative, and "..", stay in it; /proc's magic links are refused. */
START_TEST(open_in_root_stays_inside)
{
	static const char *const paths[] = { "abs", "rel", "/abs/", "../../etc",
					     "/rel/." };
	char path[128], target[128];
	struct stat in, out;
	int root, fd;
	size_t i;

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/etc", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/abs", tmpdir);
	ck_assert_int_eq(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/rel", tmpdir);
	ck_assert_int_eq(symlink("../../../../../etc", path), 0);
	root = open(tmpdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(root, 0);
	snprintf(target, sizeof(target), "%s/etc", tmpdir);
	ck_assert_int_eq(stat(target, &in), 0);
	ck_assert_int_eq(stat("/etc", &out), 0);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		const char *p = paths[i];
		struct stat st;

		fd = open_in_root(root, p, O_PATH | O_DIRECTORY);
		ck_assert_msg(fd >= 0, "%s: %s", p, strerror(-fd));
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert_msg(st.st_ino == in.st_ino && st.st_dev == in.st_dev,
			      "%s left the root", p);
		ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
		close(fd);
	}
	ck_assert_int_eq(open_in_root(root, "missing", O_RDONLY), -ENOENT);
	close(root);
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_eq(open_in_root(root, "/proc/self/fd/0", O_RDONLY),
			 -ELOOP);
	ck_assert_int_eq(open_in_root(root, "/proc/self/cwd", O_PATH), -ELOOP);
	close(root);
	remove_tmpdir();
}
END_TEST

/* make_in_root() makes what is missing, inside the root: through a
 * symlink to a directory of "the host" (tmpdir/host), absolute or
 * relative, and through dangling ones, whose targets it makes inside. */
START_TEST(make_in_root_makes_inside)
{
	static const struct {
		const char *path, *made;
		bool file;
	} cases[] = {
		{ "a/b/c", "root/a/b/c", false },
		{ "abs/sub", "root/HOST/sub", false },
		{ "rel/file", "root/HOST/file", true },
		{ "dangling/x", "root/made/here/x", false },
		{ "danglingfile", "root/made/file", true },
		{ "dot/x/", "root/x", false },
	};
	char path[256], host[128];
	struct stat st;
	size_t i;
	int root, fd;

	make_tmpdir();
	snprintf(host, sizeof(host), "%s/host", tmpdir);
	ck_assert_int_eq(mkdir(host, 0755), 0);
	snprintf(path, sizeof(path), "%s/root", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(root, 0);
	ck_assert_int_eq(symlinkat(host, root, "abs"), 0);
	ck_assert_int_eq(symlinkat("../../../../../../../../..", root, "up"),
			 0);
	snprintf(path, sizeof(path), "up%s", host);
	ck_assert_int_eq(symlinkat(path, root, "rel"), 0);
	ck_assert_int_eq(symlinkat("/made/here", root, "dangling"), 0);
	ck_assert_int_eq(symlinkat("made/file", root, "danglingfile"), 0);
	ck_assert_int_eq(symlinkat(".", root, "dot"), 0);
	ck_assert_int_eq(symlinkat("loop", root, "loop"), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char made[256];

		fd = make_in_root(root, cases[i].path, cases[i].file, 0700);
		ck_assert_msg(fd >= 0, "%s: %s", cases[i].path, strerror(-fd));
		close(fd);
		if (strstr(cases[i].made, "HOST"))
			snprintf(made, sizeof(made), "%s/root%s%s", tmpdir,
				 host, strstr(cases[i].made, "HOST") + 4);
		else
			snprintf(made, sizeof(made), "%s/%s", tmpdir,
				 cases[i].made);
		ck_assert_msg(lstat(made, &st) == 0, "%s: no %s", cases[i].path,
			      made);
		ck_assert_msg(cases[i].file ? S_ISREG(st.st_mode)
					    : S_ISDIR(st.st_mode),
			      "%s: %s is not a %s", cases[i].path, made,
			      cases[i].file ? "file" : "directory");
	}
	ck_assert_int_eq(make_in_root(root, "loop/x", false, 0755), -ELOOP);
	/* the host's directory is as it was: empty */
	ck_assert_int_eq(rmdir(host), 0);
	close(root);
	remove_tmpdir();
}
END_TEST

/* mount_in_root() mounts where the path leads inside the root, not where
 * the symlink points on the host. In a mount namespace of the test's own,
 * in a child. */
START_TEST(mount_in_root_mounts_inside)
{
	char path[256];
	int status;
	pid_t pid;

	ck_assert_msg(geteuid() == 0, "needs root, to mount");
	make_tmpdir();
	snprintf(path, sizeof(path), "%s/root/inside", tmpdir);
	ck_assert_int_eq(mkdir_p(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/evil", tmpdir);
	ck_assert_int_eq(symlink(tmpdir, path), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct statfs fs;
		int root;

		/* the root opened in the new namespace: a descriptor of the
		 * old one names mounts that are not ours (EINVAL) */
		snprintf(path, sizeof(path), "%s/root", tmpdir);
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(2);
		root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			_exit(2);
		/* root/evil -> tmpdir, so root/evil/root/inside is, inside
		 * the root, root/<tmpdir>/root/inside: missing, ENOENT */
		snprintf(path, sizeof(path), "evil/root/inside");
		if (mount_in_root(root, "tmpfs", path, "tmpfs", 0, NULL) !=
		    -ENOENT)
			_exit(3);
		if (mount_in_root(root, "tmpfs", "/inside", "tmpfs", 0, NULL))
			_exit(4);
		snprintf(path, sizeof(path), "%s/root/inside", tmpdir);
		_exit(statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC ? 0
									 : 5);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	remove_tmpdir();
}
END_TEST

/* close_fds_from() closes from lo up, and keeps what it is told to. In a
 * child: Check's own descriptors must survive the test. */
START_TEST(close_fds_from_keeps_only_the_kept)
{
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int keep[] = { 40, -1, 42 }, fd, ok = 1;

		for (fd = 39; fd <= 44; fd++)
			if (dup2(0, fd) < 0)
				_exit(2);
		if (dup2(0, 1000) < 0 || close_fds_from(40, keep, 3) < 0)
			_exit(3);
		for (fd = 39; fd <= 44; fd++)
			ok &= (fcntl(fd, F_GETFD) >= 0) ==
			      (fd == 39 || fd == 40 || fd == 42);
		ok &= fcntl(1000, F_GETFD) < 0;
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
}
END_TEST

/* path_blocked_at() names the first directory an unprivileged uid cannot
 * search: run as root, the test takes that uid as its effective one. */
START_TEST(path_blocked_at_names_the_directory)
{
	char path[128], dir[128], buf[256], want[256];

	ck_assert_msg(geteuid() == 0, "needs root, to become another uid");
	make_tmpdir();
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/a", tmpdir);
	snprintf(path, sizeof(path), "%s/a/b", tmpdir);
	ck_assert_int_eq(mkdir_p(path, 0755), 0);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(path_blocked_at(path, buf, sizeof(buf)), 0);
	ck_assert_int_eq(seteuid(40123), 0);
	ck_assert_int_eq(path_blocked_at(tmpdir, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(path_blocked_at(path, buf, sizeof(buf)), 1);
	ck_assert_int_eq(seteuid(0), 0);
	snprintf(want, sizeof(want),
		 "uid 40123 cannot search %s (mode 0700, owner 0:%u)", dir,
		 (unsigned)getegid());
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(path_blocked_at("relative/a", buf, sizeof(buf)), 0);
	remove_tmpdir();
}
END_TEST

/* touch() makes a mount target: it creates a missing file, leaves an
 * existing one alone even when it may not write it, refuses a symlink. */
START_TEST(touch_creates_keeps_and_refuses_links)
{
	char path[128], link[128], buf[8];

	make_tmpdir();
	snprintf(path, sizeof(path), "%s/f", tmpdir);
	ck_assert_int_eq(touch(path, 0644), 0);
	ck_assert_int_eq(write_file(path, "x"), 0);
	ck_assert_int_eq(chmod(path, 0444), 0);
	ck_assert_int_eq(touch(path, 0644), 0);
	ck_assert_int_eq(read_file(path, buf, sizeof(buf)), 1);
	snprintf(link, sizeof(link), "%s/l", tmpdir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(touch(link, 0644), -ELOOP);
	remove_tmpdir();
}
END_TEST

START_TEST(full_reads_and_writes)
{
	char buf[8];
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write_full(p[1], "abcdef", 6), 0);
	close(p[1]);
	ck_assert_int_eq(read_full(p[0], buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "abcdef", 6), 0);
	ck_assert_int_eq(read_full(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	ck_assert_int_eq(write_full(-1, "x", 1), -EBADF);
}
END_TEST

START_TEST(random_hex_is_hex_and_random)
{
	char a[13], b[13];
	int i;

	ck_assert_int_eq(random_hex(a, sizeof(a)), 0);
	ck_assert_int_eq(random_hex(b, sizeof(b)), 0);
	ck_assert_uint_eq(strlen(a), 12);
	for (i = 0; i < 12; i++)
		ck_assert(strchr("0123456789abcdef", a[i]));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(random_hex(a, 0), -EINVAL);
}
END_TEST

/* kill(1)'s and runc's forms: a name with or without SIG, in any case,
 * or a number of a signal that exists. */
START_TEST(parse_signal_takes_names_and_numbers)
{
	ck_assert_int_eq(parse_signal("KILL"), SIGKILL);
	ck_assert_int_eq(parse_signal("SIGKILL"), SIGKILL);
	ck_assert_int_eq(parse_signal("kill"), SIGKILL);
	ck_assert_int_eq(parse_signal("sigterm"), SIGTERM);
	ck_assert_int_eq(parse_signal("USR1"), SIGUSR1);
	ck_assert_int_eq(parse_signal("9"), SIGKILL);
	ck_assert_int_eq(parse_signal("15"), SIGTERM);
	ck_assert_int_eq(parse_signal("64"), 64);
}
END_TEST

START_TEST(parse_signal_refuses_what_is_no_signal)
{
	ck_assert_int_eq(parse_signal("0"), -EINVAL);
	ck_assert_int_eq(parse_signal("65"), -EINVAL);
	ck_assert_int_eq(parse_signal("9x"), -EINVAL);
	ck_assert_int_eq(parse_signal("-9"), -EINVAL);
	ck_assert_int_eq(parse_signal("FOO"), -EINVAL);
	ck_assert_int_eq(parse_signal("SIGFOO"), -EINVAL);
	ck_assert_int_eq(parse_signal("SIG"), -EINVAL);
	ck_assert_int_eq(parse_signal(""), -EINVAL);
}
END_TEST

START_TEST(rlimit_names_map_both_ways)
{
	ck_assert_int_eq(rlimit_by_name("RLIMIT_NOFILE"), RLIMIT_NOFILE);
	ck_assert_int_eq(rlimit_by_name("RLIMIT_AS"), RLIMIT_AS);
	ck_assert_int_eq(rlimit_by_name("RLIMIT_STACK"), RLIMIT_STACK);
	ck_assert_int_eq(rlimit_by_name("RLIMIT_RTTIME"), RLIMIT_RTTIME);
	ck_assert_str_eq(rlimit_name(RLIMIT_NOFILE), "RLIMIT_NOFILE");
	ck_assert_str_eq(rlimit_name(RLIMIT_CORE), "RLIMIT_CORE");
	ck_assert_str_eq(rlimit_name(RLIMIT_NPROC), "RLIMIT_NPROC");
}
END_TEST

/* Every resource getrlimit(2) knows has a name, and the name leads back
 * to it; config.json spells names in capitals, in full. */
START_TEST(rlimit_names_cover_every_resource_and_nothing_else)
{
	const char *name;
	int res;

	for (res = 0; res < RLIMIT_NLIMITS; res++) {
		name = rlimit_name(res);
		ck_assert_msg(name, "resource %d has no name", res);
		ck_assert_int_eq(rlimit_by_name(name), res);
	}
	ck_assert_ptr_null(rlimit_name(RLIMIT_NLIMITS));
	ck_assert_ptr_null(rlimit_name(-1));
	ck_assert_int_eq(rlimit_by_name("NOFILE"), -EINVAL);
	ck_assert_int_eq(rlimit_by_name("rlimit_nofile"), -EINVAL);
	ck_assert_int_eq(rlimit_by_name("RLIMIT_FOO"), -EINVAL);
	ck_assert_int_eq(rlimit_by_name(""), -EINVAL);
}
END_TEST

Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_test(tc, path_join_joins_with_one_slash);
	tcase_add_test(tc, path_blocked_at_names_the_directory);
	tcase_add_test(tc, path_join_refuses_overflow);
	tcase_add_test(tc, parse_int_is_strict);
	tcase_add_test(tc, parse_size_takes_docker_suffixes);
	tcase_add_test(tc, startswith_and_streq);
	tcase_add_test(tc, write_then_read_file);
	tcase_add_test(tc, mkdir_p_makes_parents);
	tcase_add_test(tc, touch_creates_keeps_and_refuses_links);
	tcase_add_test(tc, full_reads_and_writes);
	tcase_add_test(tc, random_hex_is_hex_and_random);
	tcase_add_test(tc, path_has_dotdot_finds_components);
	tcase_add_test(tc, open_in_root_stays_inside);
	tcase_add_test(tc, close_fds_from_keeps_only_the_kept);
	tcase_add_test(tc, make_in_root_makes_inside);
	tcase_add_test(tc, mount_in_root_mounts_inside);
	tcase_add_test(tc, parse_signal_takes_names_and_numbers);
	tcase_add_test(tc, parse_signal_refuses_what_is_no_signal);
	tcase_add_test(tc, rlimit_names_map_both_ways);
	tcase_add_test(tc, rlimit_names_cover_every_resource_and_nothing_else);
	suite_add_tcase(s, tc);
	return s;
}
