/* SPDX-License-Identifier: MIT */
/*
 * test_log.c - unit tests of common/log.c: one-line messages on stderr,
 * or, after log_open(), in a log file as runc's text or JSON lines and
 * nothing on stderr.
 *
 * The tests catch what the log writes to fd 2 in a file (capture_begin,
 * capture_end); the fixture puts fd 2 back and closes the log sink even
 * when a test fails half-way.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"
#include "util.h"

/* 2001-09-09T01:46:40Z */
#define WHEN ((time_t)1000000000)

static char stderr_path[64], log_path[64], captured[8192];
static int saved_stderr = -1;

/* Send fd 2 to a scratch file until capture_end(). */
static void capture_begin(void)
{
	int fd;

	strcpy(stderr_path, "/tmp/barge-unit-stderr-XXXXXX");
	fd = mkstemp(stderr_path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	ck_assert_int_ge(saved_stderr, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

static void restore_stderr(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}

/* Put fd 2 back; what was written to it meanwhile. */
static const char *capture_end(void)
{
	restore_stderr();
	ck_assert_int_ge(read_file(stderr_path, captured, sizeof(captured)), 0);
	unlink(stderr_path);
	stderr_path[0] = '\0';
	return captured;
}

/* An empty log file, named in log_path. */
static void make_log_file(void)
{
	int fd;

	strcpy(log_path, "/tmp/barge-unit-log-XXXXXX");
	fd = mkstemp(log_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static const char *read_log_file(void)
{
	static char buf[8192];

	ck_assert_int_ge(read_file(log_path, buf, sizeof(buf)), 0);
	return buf;
}

static void setup(void)
{
	log_set_program("barge-test");
	log_set_debug(false);
	unsetenv("BARGE_DEBUG");
	stderr_path[0] = log_path[0] = '\0';
}

static void teardown(void)
{
	restore_stderr();
	log_close();
	log_set_debug(false);
	unsetenv("BARGE_DEBUG");
	if (stderr_path[0])
		unlink(stderr_path);
	if (log_path[0])
		unlink(log_path);
}

/* The line of a text log without its time, after checking the time is
 * RFC 3339 in UTC: time="2001-09-09T01:46:40Z" level=... */
static const char *after_text_time(const char *line)
{
	int y, mo, d, h, mi, s;
	char z;

	ck_assert_msg(strncmp(line, "time=\"", 6) == 0, "line: %s", line);
	ck_assert_msg(sscanf(line + 6, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d,
			     &h, &mi, &s, &z) == 7 &&
			      z == 'Z' && line[26] == '"',
		      "no RFC 3339 time in: %s", line);
	return line + 27;
}

START_TEST(log_format_line_writes_runc_text)
{
	char buf[256];
	int n;

	n = log_format_line(buf, sizeof(buf), LOG_FORMAT_TEXT, LOG_LEVEL_ERROR,
			    "no such container", WHEN);
	ck_assert_str_eq(buf, "time=\"2001-09-09T01:46:40Z\" level=error "
			      "msg=\"no such container\"\n");
	ck_assert_int_eq(n, strlen(buf));
	log_format_line(buf, sizeof(buf), LOG_FORMAT_TEXT, LOG_LEVEL_WARNING,
			"w", 0);
	ck_assert_str_eq(
		buf, "time=\"1970-01-01T00:00:00Z\" level=warning msg=\"w\"\n");
	log_format_line(buf, sizeof(buf), LOG_FORMAT_TEXT, LOG_LEVEL_DEBUG, "",
			WHEN);
	ck_assert_str_eq(
		buf, "time=\"2001-09-09T01:46:40Z\" level=debug msg=\"\"\n");
}
END_TEST

START_TEST(log_format_line_writes_runc_json)
{
	char buf[256];
	int n;

	n = log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON, LOG_LEVEL_ERROR,
			    "no such container", WHEN);
	ck_assert_str_eq(buf, "{\"level\":\"error\",\"msg\":\"no such "
			      "container\",\"time\":\"2001-09-09T01:46:40Z\"}"
			      "\n");
	ck_assert_int_eq(n, strlen(buf));
	log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON, LOG_LEVEL_WARNING,
			"w", WHEN);
	ck_assert_str_eq(buf, "{\"level\":\"warning\",\"msg\":\"w\","
			      "\"time\":\"2001-09-09T01:46:40Z\"}\n");
}
END_TEST

/* Quotes, backslashes and control characters are escaped, so that a
 * line stays one line and JSON stays JSON: jansson reads the message
 * back as it was. */
START_TEST(log_format_line_escapes_quotes_backslashes_and_controls)
{
	const char *msg = "say \"hi\" C:\\dir\nnext\tline\x01\x1f end";
	char buf[512];
	json_error_t e;
	json_t *j;

	log_format_line(buf, sizeof(buf), LOG_FORMAT_TEXT, LOG_LEVEL_ERROR, msg,
			WHEN);
	ck_assert_str_eq(buf, "time=\"2001-09-09T01:46:40Z\" level=error "
			      "msg=\"say \\\"hi\\\" C:\\\\dir\\nnext\\u0009"
			      "line\\u0001\\u001f end\"\n");
	ck_assert_int_gt(log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON,
					 LOG_LEVEL_ERROR, msg, WHEN),
			 0);
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + strlen(buf) - 1);
	j = json_loads(buf, 0, &e);
	ck_assert_msg(j, "not JSON: %s: %s", buf, e.text);
	ck_assert_str_eq(json_string_value(json_object_get(j, "msg")), msg);
	ck_assert_str_eq(json_string_value(json_object_get(j, "level")),
			 "error");
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")),
			 "2001-09-09T01:46:40Z");
	ck_assert_uint_eq(json_object_size(j), 3);
	json_decref(j);
}
END_TEST

START_TEST(log_format_line_refuses_a_short_buffer)
{
	const char *want = "time=\"2001-09-09T01:46:40Z\" level=error "
			   "msg=\"m\"\n";
	size_t len = strlen(want);
	char buf[128];

	ck_assert_int_eq(log_format_line(buf, len, LOG_FORMAT_TEXT,
					 LOG_LEVEL_ERROR, "m", WHEN),
			 -ENOSPC);
	ck_assert_int_eq(log_format_line(buf, 10, LOG_FORMAT_JSON,
					 LOG_LEVEL_ERROR, "m", WHEN),
			 -ENOSPC);
	ck_assert_int_eq(log_format_line(buf, len + 1, LOG_FORMAT_TEXT,
					 LOG_LEVEL_ERROR, "m", WHEN),
			 len);
	ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(log_parse_format_takes_text_and_json)
{
	enum log_format f = LOG_FORMAT_JSON;

	ck_assert_int_eq(log_parse_format("text", &f), 0);
	ck_assert_int_eq(f, LOG_FORMAT_TEXT);
	ck_assert_int_eq(log_parse_format("json", &f), 0);
	ck_assert_int_eq(f, LOG_FORMAT_JSON);
	ck_assert_int_eq(log_parse_format("JSON", &f), -EINVAL);
	ck_assert_int_eq(log_parse_format("xml", &f), -EINVAL);
	ck_assert_int_eq(log_parse_format("", &f), -EINVAL);
	ck_assert_int_eq(f, LOG_FORMAT_JSON);
}
END_TEST

/* log_errno prints one line naming the object and the errno text. */
START_TEST(log_errno_prints_one_line)
{
	capture_begin();
	ck_assert_int_eq(log_errno(-ENOENT, "open %s", "/x"), -ENOENT);
	log_error("plain %d", 7);
	ck_assert_str_eq(capture_end(),
			 "barge-test: open /x: No such file or directory\n"
			 "barge-test: plain 7\n");
}
END_TEST

START_TEST(log_warning_and_errno_forms_on_stderr)
{
	capture_begin();
	log_warning("careful %s", "now");
	errno = EBUSY;
	/* A positive errno is taken too; the result is negative and errno
	 * is kept for the caller. */
	ck_assert_int_eq(log_errno(EACCES, "mount %s", "/proc"), -EACCES);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_str_eq(capture_end(),
			 "barge-test: warning: careful now\n"
			 "barge-test: mount /proc: Permission denied\n");
}
END_TEST

START_TEST(log_open_writes_text_lines_and_errors_to_stderr)
{
	const char *want[] = {
		" level=error msg=\"no such container c1\"",
		" level=error msg=\"open /x: No such file or directory\"",
		" level=warning msg=\"say \\\"hi\\\"\"",
		" level=debug msg=\"debug 1\"",
	};
	char log[8192], *line, *save = NULL;
	size_t i;

	make_log_file();
	capture_begin();
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_TEXT), 0);
	log_error("no such container %s", "c1");
	ck_assert_int_eq(log_errno(-ENOENT, "open %s", "/x"), -ENOENT);
	log_warning("say \"%s\"", "hi");
	log_set_debug(true);
	log_debug("debug %d", 1);
	log_close();
	/* errors on stderr as well, once each, as runc prints them */
	ck_assert_str_eq(capture_end(),
			 "barge-test: no such container c1\n"
			 "barge-test: open /x: No such file or directory\n");

	strcpy(log, read_log_file());
	ck_assert_int_eq(log[strlen(log) - 1], '\n');
	line = strtok_r(log, "\n", &save);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(line, "line %zu is missing", i);
		ck_assert_str_eq(after_text_time(line), want[i]);
		line = strtok_r(NULL, "\n", &save);
	}
	ck_assert_ptr_null(line);
}
END_TEST

START_TEST(log_open_writes_json_lines_and_errors_to_stderr)
{
	const char *want[][2] = {
		{ "error", "no such container c1" },
		{ "error", "open /x: No such file or directory" },
		{ "warning", "careful" },
	};
	const char *line, *time;
	json_error_t e;
	json_t *j;
	size_t i;

	make_log_file();
	capture_begin();
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_JSON), 0);
	log_error("no such container %s", "c1");
	log_errno(-ENOENT, "open %s", "/x");
	log_warning("careful");
	log_debug("not shown: debugging is off");
	log_close();
	ck_assert_str_eq(capture_end(),
			 "barge-test: no such container c1\n"
			 "barge-test: open /x: No such file or directory\n");

	line = read_log_file();
	for (i = 0; i < 3; i++) {
		ck_assert_ptr_nonnull(strchr(line, '\n'));
		j = json_loadb(line, strchr(line, '\n') - line, 0, &e);
		ck_assert_msg(j, "line %zu is not JSON: %s", i, e.text);
		ck_assert_str_eq(json_string_value(json_object_get(j, "level")),
				 want[i][0]);
		ck_assert_str_eq(json_string_value(json_object_get(j, "msg")),
				 want[i][1]);
		time = json_string_value(json_object_get(j, "time"));
		ck_assert_msg(time && strlen(time) == 20 && time[10] == 'T' &&
				      time[19] == 'Z',
			      "time: %s", time ? time : "(none)");
		json_decref(j);
		line = strchr(line, '\n') + 1;
	}
	ck_assert_str_eq(line, "");
}
END_TEST

/* After log_close() messages are on stderr again, in the plain form. */
START_TEST(log_close_goes_back_to_stderr)
{
	make_log_file();
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_TEXT), 0);
	log_close();
	capture_begin();
	log_error("back %s", "here");
	log_warning("and here");
	ck_assert_str_eq(
		capture_end(),
		"barge-test: back here\nbarge-test: warning: and here\n");
	ck_assert_str_eq(read_log_file(), "");
	log_close(); /* twice is harmless */
}
END_TEST

/* The file is appended to (conmon may write there too); a file that
 * cannot be opened changes nothing. */
START_TEST(log_open_appends_and_a_failed_open_keeps_the_sink)
{
	const char *log;

	make_log_file();
	ck_assert_int_eq(write_file(log_path, "older line\n"), 0);
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_JSON), 0);
	log_error("first");
	ck_assert_int_eq(log_open("/nonexistent/barge/log", LOG_FORMAT_TEXT),
			 -ENOENT);
	capture_begin();
	log_error("second");
	log_close();
	ck_assert_str_eq(capture_end(), "barge-test: second\n");
	log = read_log_file();
	ck_assert_msg(startswith(log, "older line\n"
				      "{\"level\":\"error\",\"msg\":\"first\""),
		      "log: %s", log);
	ck_assert_msg(strstr(log, "}\n{\"level\":\"error\",\"msg\":\"second\""),
		      "log: %s", log);

	capture_begin();
	ck_assert_int_eq(log_open("/nonexistent/barge/log", LOG_FORMAT_TEXT),
			 -ENOENT);
	log_error("third");
	ck_assert_str_eq(capture_end(), "barge-test: third\n");
}
END_TEST

/* How many files this process has open. */
static int count_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(dir);
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* A second log_open() closes the first file; log_close() the second. */
START_TEST(log_open_again_closes_the_previous_file)
{
	int before = count_fds();

	make_log_file();
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_TEXT), 0);
	ck_assert_int_eq(count_fds(), before + 1);
	ck_assert_int_eq(log_open(log_path, LOG_FORMAT_JSON), 0);
	ck_assert_int_eq(count_fds(), before + 1);
	log_error("json now");
	log_close();
	ck_assert_int_eq(count_fds(), before);
	ck_assert_msg(startswith(read_log_file(), "{\"level\":\"error\""),
		      "log: %s", read_log_file());
}
END_TEST

START_TEST(log_debug_only_when_enabled)
{
	capture_begin();
	log_debug("hidden %d", 1);
	ck_assert(!log_debug_enabled());
	log_set_debug(true);
	ck_assert(log_debug_enabled());
	log_debug("shown %d", 2);
	log_set_debug(false);
	log_debug("hidden %d", 3);
	setenv("BARGE_DEBUG", "1", 1);
	ck_assert(log_debug_enabled());
	log_debug("shown %d", 4);
	setenv("BARGE_DEBUG", "0", 1);
	ck_assert(!log_debug_enabled());
	log_debug("hidden %d", 5);
	setenv("BARGE_DEBUG", "", 1);
	ck_assert(!log_debug_enabled());
	log_debug("hidden %d", 6);
	unsetenv("BARGE_DEBUG");
	ck_assert_str_eq(capture_end(), "barge-test: debug: shown 2\n"
					"barge-test: debug: shown 4\n");
}
END_TEST

Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, log_format_line_writes_runc_text);
	tcase_add_test(tc, log_format_line_writes_runc_json);
	tcase_add_test(tc,
		       log_format_line_escapes_quotes_backslashes_and_controls);
	tcase_add_test(tc, log_format_line_refuses_a_short_buffer);
	tcase_add_test(tc, log_parse_format_takes_text_and_json);
	tcase_add_test(tc, log_errno_prints_one_line);
	tcase_add_test(tc, log_warning_and_errno_forms_on_stderr);
	tcase_add_test(tc, log_open_writes_text_lines_and_errors_to_stderr);
	tcase_add_test(tc, log_open_writes_json_lines_and_errors_to_stderr);
	tcase_add_test(tc, log_close_goes_back_to_stderr);
	tcase_add_test(tc, log_open_appends_and_a_failed_open_keeps_the_sink);
	tcase_add_test(tc, log_open_again_closes_the_previous_file);
	tcase_add_test(tc, log_debug_only_when_enabled);
	suite_add_tcase(s, tc);
	return s;
}
