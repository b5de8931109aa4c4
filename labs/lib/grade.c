/* SPDX-License-Identifier: MIT */
/*
 * grade.c - the lab grader: run a chapter's integration tests, score them
 * with the lab's points file, and write Gradescope's results.json.
 *
 *	grade [--not-built BUILD_LOG] POINTS_FILE RESULTS_JSON
 *
 * It is linked with one chapter's tests (the .c files of tests/NN-name/)
 * and the harness, in place of check_main.c, and finds barge and the
 * rootfs the way the tests do: through BARGE and ROOTFS in the environment.
 *
 * POINTS_FILE has one graded test a line, "test_name points description",
 * with # comments and blank lines. Each test runs on its own, in the order
 * of the points file, in a forked child: a crash or a hang fails only that
 * test, and Check kills whatever the test left running in its process
 * group. Its line is printed as soon as it is done; the last line is
 * "Score: N/M". With --not-built the student's code did not compile: no
 * test runs, every one scores 0 and the results say why.
 *
 * Exit status: 0 full marks, 1 less, 2 the grader itself could not run.
 */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

Suite *chapter_suite(void);

/* One line of the points file, and how its test did. */
struct entry {
	char name[128];
	char desc[256];
	int points;
	int line;  /* in the points file */
	int score; /* points, or 0 */
	bool passed;
	char *output; /* why it failed, one message a line; NULL if passed */
};

struct grading {
	const char *points; /* the points file */
	struct entry *e;
	int n;
	int total;
	int score;
};

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "grade: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static bool is_test_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Parse "test_name points description..." into *e; false if malformed. */
static bool parse_entry(char *s, struct entry *e)
{
	char *name, *pts, *desc, *end, *save;
	long v;

	name = strtok_r(s, " \t", &save);
	pts = strtok_r(NULL, " \t", &save);
	desc = strtok_r(NULL, "", &save);
	if (!name || !pts || !is_test_name(name) ||
	    strlen(name) >= sizeof(e->name))
		return false;
	errno = 0;
	v = strtol(pts, &end, 10);
	if (*end || end == pts || errno || v < 0 || v > 1000)
		return false;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->points = v;
	while (desc && isspace((unsigned char)*desc))
		desc++;
	snprintf(e->desc, sizeof(e->desc), "%s", desc ? desc : "");
	return true;
}

static void read_points(const char *path, struct grading *g)
{
	char buf[1024], *s;
	FILE *f = fopen(path, "re");
	int lineno = 0, i;
	struct entry e;

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		if (!strchr(buf, '\n') && !feof(f))
			die("%s:%d: line too long", path, lineno);
		buf[strcspn(buf, "\r\n")] = '\0';
		for (s = buf; isspace((unsigned char)*s); s++)
			;
		if (*s == '\0' || *s == '#')
			continue;
		memset(&e, 0, sizeof(e));
		if (!parse_entry(s, &e))
			die("%s:%d: want \"test_name points description\" "
			    "(points a whole number, 0 to 1000)",
			    path, lineno);
		for (i = 0; i < g->n; i++)
			if (strcmp(g->e[i].name, e.name) == 0)
				die("%s:%d: %s is already graded on line %d",
				    path, lineno, e.name, g->e[i].line);
		e.line = lineno;
		g->e = realloc(g->e, (g->n + 1) * sizeof(*g->e));
		if (!g->e)
			die("out of memory");
		g->e[g->n++] = e;
		g->total += e.points;
	}
	fclose(f);
	if (g->total == 0)
		die("%s: no points to grade", path);
}

/* Append "file:line: message" to a growing output string. */
static void add_message(char **out, const char *fmt, ...)
{
	char *old = *out, *msg;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		die("out of memory");
	if (old) {
		r = asprintf(out, "%s\n%s", old, msg);
		if (r < 0)
			die("out of memory");
		free(old);
		free(msg);
	} else {
		*out = msg;
	}
}

/* Run the test case named e->name on its own and record how it did. */
static void run_test(const struct grading *g, struct entry *e)
{
	SRunner *sr = srunner_create(chapter_suite());
	TestResult **res;
	int i, n;

	srunner_add_suite(sr, leftovers_suite());
	srunner_set_fork_status(sr, CK_FORK);
	/* The forked test would write out our buffered output again. */
	fflush(stdout);
	fflush(stderr);
	srunner_run(sr, NULL, e->name, CK_SILENT);
	n = srunner_ntests_run(sr);
	res = srunner_results(sr);
	e->passed = n > 0;
	for (i = 0; i < n; i++) {
		if (tr_rtype(res[i]) == CK_PASS)
			continue;
		e->passed = false;
		add_message(&e->output, "%s:%d: %s", tr_lfile(res[i]),
			    tr_lno(res[i]), tr_msg(res[i]));
	}
	if (n == 0)
		add_message(&e->output,
			    "error in the points file: %s:%d: this chapter "
			    "has no test named %s",
			    g->points, e->line, e->name);
	e->score = e->passed ? e->points : 0;
	free(res);
	srunner_free(sr);
}

static int digits(int v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/* The entry's line; then, if why, its failure messages, indented. */
static void print_entry(const struct grading *g, const struct entry *e,
			bool why)
{
	int pw = 1, nw = 0, i;
	const char *s, *nl;

	/* Columns as wide as the widest points and name. */
	for (i = 0; i < g->n; i++) {
		if (digits(g->e[i].points) > pw)
			pw = digits(g->e[i].points);
		if ((int)strlen(g->e[i].name) > nw)
			nw = strlen(g->e[i].name);
	}
	printf("  [%s]  %*d/%-*d  %-*s%s%s\n", e->passed ? "PASS" : "FAIL", pw,
	       e->score, pw, e->points, nw, e->name, *e->desc ? "  - " : "",
	       e->desc);
	for (s = why ? e->output : NULL; s && *s; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		printf("          %.*s\n", nl ? (int)(nl - s) : (int)strlen(s),
		       s);
		if (!nl)
			break;
	}
	fflush(stdout);
}

/* The length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
	int len, i;

	if (*s >= 0xc2 && *s <= 0xdf)
		len = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		len = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		len = 4;
	else
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Write str as a JSON string: quotes, backslashes and control characters
 * escaped, and bytes that are not UTF-8 (a test's message may quote
 * anything barge printed) replaced by U+FFFD, as JSON must be UTF-8. */
static void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	int len;

	fputc('"', f);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
		} else if (*s == '\n') {
			fputs("\\n", f);
			s++;
		} else if (*s == '\t') {
			fputs("\\t", f);
			s++;
		} else if (*s < 0x20) {
			fprintf(f, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, f);
		} else if ((len = utf8_len(s)) > 0) {
			fwrite(s, 1, len, f);
			s += len;
		} else {
			fputs("\\ufffd", f);
			s++;
		}
	}
	fputc('"', f);
}

/* Gradescope's autograder results format: a top-level score, and one
 * object per test with its name, score, max_score, status and output. */
static void write_results(const char *path, const struct grading *g,
			  const char *output, long seconds)
{
	char tmp[4096], name[512];
	const struct entry *e;
	FILE *f;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	fprintf(f, "{\n  \"score\": %d,\n  \"execution_time\": %ld,\n",
		g->score, seconds);
	fprintf(f, "  \"output\": ");
	json_string(f, output);
	fprintf(f, ",\n  \"tests\": [");
	for (i = 0; i < g->n; i++) {
		e = &g->e[i];
		snprintf(name, sizeof(name), "%s%s%s", e->name,
			 *e->desc ? " - " : "", e->desc);
		fprintf(f, "%s\n    {\n      \"name\": ", i ? "," : "");
		json_string(f, name);
		fprintf(f,
			",\n      \"number\": \"%d\",\n      \"score\": %d,\n"
			"      \"max_score\": %d,\n      \"status\": \"%s\",\n"
			"      \"output\": ",
			i + 1, e->score, e->points,
			e->passed ? "passed" : "failed");
		json_string(f, e->output);
		fprintf(f, "\n    }");
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		die("%s: %s", path, strerror(errno));
}

/* The last size bytes of a file (the compiler's verdict is at the end). */
static char *file_tail(const char *path, long size)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (!f)
		return xstrdup("(no build log)");
	if (fseek(f, -size, SEEK_END) < 0)
		rewind(f);
	buf = calloc(1, size + 1);
	if (!buf)
		die("out of memory");
	n = fread(buf, 1, size, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: grade [--not-built BUILD_LOG] POINTS_FILE "
			"RESULTS_JSON\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct grading g = { 0 };
	const char *build_log = NULL;
	char *output = NULL, *log;
	time_t start = time(NULL);
	int i;

	if (argc == 5 && strcmp(argv[1], "--not-built") == 0) {
		build_log = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 3 || argv[1][0] == '-')
		usage();
	g.points = argv[1];
	read_points(argv[1], &g);
	/* Grade exactly what the points file names, whatever the caller's
	 * Check variables say. */
	unsetenv("CK_RUN_SUITE");
	unsetenv("CK_RUN_CASE");
	unsetenv("CK_INCLUDE_TAGS");
	unsetenv("CK_EXCLUDE_TAGS");

	if (!build_log)
		leftovers_snapshot();
	for (i = 0; i < g.n; i++) {
		if (build_log)
			g.e[i].output =
				xstrdup("not run: the code did not build");
		else
			run_test(&g, &g.e[i]);
		g.score += g.e[i].score;
		print_entry(&g, &g.e[i], !build_log);
	}

	if (build_log) {
		log = file_tail(build_log, 8192);
		if (asprintf(&output,
			     "Score: 0/%d\nThe code did not build, so no test "
			     "ran. The end of the build log:\n\n%s",
			     g.total, log) < 0)
			die("out of memory");
		free(log);
	} else if (asprintf(&output, "Score: %d/%d", g.score, g.total) < 0) {
		die("out of memory");
	}
	write_results(argv[2], &g, output, (long)(time(NULL) - start));
	printf("Score: %d/%d\n", g.score, g.total);

	for (i = 0; i < g.n; i++)
		free(g.e[i].output);
	free(g.e);
	free(output);
	return g.score == g.total ? 0 : 1;
}
