/* SPDX-License-Identifier: MIT */
/*
 * test_log_json.c - log_sink: runc's text and JSON log lines, escaped, and
 * a --log file that a JSON parser (conmon's) can read back.
 *
 * Written to move to tests/unit/ with log_sink.c if it goes to common/.
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log_sink.h"

START_TEST(json_line)
{
	char buf[512];
	int n;

	n = log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON, LOG_LEVEL_ERROR,
			    "container \"x\" does not exist", 0);
	ck_assert_int_eq(n, strlen(buf));
	ck_assert_str_eq(buf, "{\"level\":\"error\",\"msg\":\"container "
			      "\\\"x\\\" does not exist\",\"time\":"
			      "\"1970-01-01T00:00:00Z\"}\n");
}
END_TEST

START_TEST(text_line)
{
	char buf[512];

	log_format_line(buf, sizeof(buf), LOG_FORMAT_TEXT, LOG_LEVEL_WARNING,
			"a\\b", 86400);
	ck_assert_str_eq(buf, "time=\"1970-01-02T00:00:00Z\" level=warning "
			      "msg=\"a\\\\b\"\n");
}
END_TEST

START_TEST(control_characters_escaped)
{
	char buf[512];
	json_t *j;

	log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON, LOG_LEVEL_ERROR,
			"two\nlines\tand\x01", 0);
	ck_assert_ptr_null(strchr(buf, '\n') == buf + strlen(buf) - 1
				   ? NULL
				   : strchr(buf, '\n'));
	j = json_loads(buf, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "msg")),
			 "two\nlines\tand\x01");
	json_decref(j);
}
END_TEST

START_TEST(too_long_is_refused)
{
	char buf[16];

	ck_assert_int_eq(log_format_line(buf, sizeof(buf), LOG_FORMAT_JSON,
					 LOG_LEVEL_ERROR, "hello", 0),
			 -ENOSPC);
}
END_TEST

START_TEST(log_file_is_json_lines)
{
	char path[] = "/tmp/barge-log-XXXXXX", line[1024];
	json_t *j;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(log_sink_open(path, LOG_FORMAT_JSON), 0);
	log_sink(LOG_LEVEL_DEBUG, "not shown without debug");
	log_sink(LOG_LEVEL_WARNING, "first");
	ck_assert_int_eq(
		log_sink_errno(LOG_LEVEL_ERROR, -ENOENT, "open %s", "/x"),
		-ENOENT);
	log_sink_close();
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	j = json_loads(line, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "level")),
			 "warning");
	json_decref(j);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	j = json_loads(line, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(j, "msg")),
			 "open /x: No such file or directory");
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "time"))),
			  20);
	json_decref(j);
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
}
END_TEST

START_TEST(formats_by_name)
{
	enum log_format f;

	ck_assert_int_eq(log_parse_format("json", &f), 0);
	ck_assert_int_eq(f, LOG_FORMAT_JSON);
	ck_assert_int_eq(log_parse_format("text", &f), 0);
	ck_assert_int_eq(f, LOG_FORMAT_TEXT);
	ck_assert_int_eq(log_parse_format("xml", &f), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log_json");
	TCase *tc = tcase_create("log_json");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, json_line);
	tcase_add_test(tc, text_line);
	tcase_add_test(tc, control_characters_escaped);
	tcase_add_test(tc, too_long_is_refused);
	tcase_add_test(tc, log_file_is_json_lines);
	tcase_add_test(tc, formats_by_name);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
