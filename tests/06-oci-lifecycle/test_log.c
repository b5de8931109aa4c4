/* SPDX-License-Identifier: MIT */
/*
 * test_log.c - chapter 06: barge-runtime --log FILE, as conmon reads it:
 * runc's JSON lines (--log-format json) or logfmt text, escaped so that
 * every message stays one line; errors on stderr too, once, as runc
 * prints them for containerd's shim.
 */
#include <stdio.h>
#include <string.h>

#include "runtime_util.h"

/* A line "PREFIX<time>SUFFIX\n" with an RFC 3339 UTC time in the middle,
 * as Go's time.RFC3339 prints it: 2026-11-28T06:31:15Z. */
static void expect_line(const char *line, const char *prefix,
			const char *suffix)
{
	size_t p = strlen(prefix), n = strlen(line);
	int y, mo, d, h, mi, s, end = 0;

	ck_assert_msg(strncmp(line, prefix, p) == 0,
		      "\"%s\" does not start "
		      "with \"%s\"",
		      line, prefix);
	ck_assert_msg(sscanf(line + p, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo,
			     &d, &h, &mi, &s, &end) == 6 &&
			      end == 20,
		      "no time in \"%s\"", line);
	ck_assert_msg(n == p + 20 + strlen(suffix) &&
			      strcmp(line + p + 20, suffix) == 0,
		      "\"%s\" does not end with \"%s\"", line, suffix);
}

static void read_log(const char *path, char *buf, size_t size)
{
	ck_assert_int_ge(slurp(path, buf, size), 0);
}

/* conmon's way: --log FILE --log-format json; podman shows the user the
 * msg of the last error line. */
START_TEST(log_json_lines)
{
	char path[128], text[4096];
	struct run_result r;

	rt_setup();
	snprintf(path, sizeof(path), "%s/log.json", t_bundle);
	rt_run(&r, "--log", path, "--log-format", "json", "kill", "gone", "15",
	       NULL);
	ck_assert_int_eq(r.code, 1);
	/* once in the log, once on stderr (containerd's shim reads it) */
	ck_assert_str_eq(
		r.err,
		"barge-runtime: kill: container \"gone\" does not exist\n");
	read_log(path, text, sizeof(text));
	expect_line(text,
		    "{\"level\":\"error\",\"msg\":\"kill: container "
		    "\\\"gone\\\" does not exist\",\"time\":\"",
		    "\"}\n");
	rt_teardown();
}
END_TEST

/* The default format is runc's logfmt; the file is appended to. */
START_TEST(log_text_lines_appended)
{
	char path[128], text[4096], *second;
	struct run_result r;

	rt_setup();
	snprintf(path, sizeof(path), "%s/log.txt", t_bundle);
	rt_run(&r, "--log", path, "state", "gone", NULL);
	ck_assert_int_eq(r.code, 1);
	rt_run(&r, "--log", path, "start", "gone", NULL);
	ck_assert_int_eq(r.code, 1);
	ck_assert_str_eq(
		r.err,
		"barge-runtime: start: container \"gone\" does not exist\n");
	read_log(path, text, sizeof(text));
	second = strchr(text, '\n');
	ck_assert_ptr_nonnull(second);
	*second++ = '\0';
	expect_line(text, "time=\"",
		    "\" level=error msg=\"state: container \\\"gone\\\" does "
		    "not exist\"");
	expect_line(second, "time=\"",
		    "\" level=error msg=\"start: container \\\"gone\\\" does "
		    "not exist\"\n");
	rt_teardown();
}
END_TEST

/* A message with a newline in it (here from the id) is still one JSON
 * line; --debug adds debug lines, which are not there without it. */
START_TEST(log_escapes_and_levels)
{
	char path[128], text[4096];
	struct run_result r;

	rt_setup();
	snprintf(path, sizeof(path), "%s/log.json", t_bundle);
	rt_run(&r, "--log", path, "--log-format", "json", "state", "a\"b\nc",
	       NULL);
	ck_assert_int_eq(r.code, 1);
	read_log(path, text, sizeof(text));
	ck_assert_msg(strstr(text, "invalid container id \\\"a\\\"b\\nc\\\"") &&
			      strchr(text, '\n') == text + strlen(text) - 1,
		      "log: %s", text);
	ck_assert_ptr_null(strstr(text, "\"level\":\"debug\""));
	rt_run(&r, "--log", path, "--log-format", "json", "--debug", "delete",
	       "--force", "gone", NULL);
	ck_assert_int_eq(r.code, 0);
	read_log(path, text, sizeof(text));
	ck_assert_msg(
		strstr(text, "{\"level\":\"debug\",\"msg\":\"delete, root "),
		"log: %s", text);
	rt_run(&r, "--log-format", "xml", "state", "gone", NULL);
	rt_expect_error(&r, "--log-format: 'xml' is not text or json");
	rt_teardown();
}
END_TEST

void add_log_tests(Suite *s)
{
	add_test(s, log_json_lines, 30);
	add_test(s, log_text_lines_appended, 30);
	add_test(s, log_escapes_and_levels, 30);
}
