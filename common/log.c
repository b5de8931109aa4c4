/* SPDX-License-Identifier: MIT */
/*
 * log.c - one-line error messages, printed once by a program's top level.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *program = "barge";

void log_set_program(const char *name)
{
	program = name;
}

bool log_debug_enabled(void)
{
	const char *v = getenv("BARGE_DEBUG");

	return v && *v && strcmp(v, "0") != 0;
}

/* Build the whole line first so that one write(2) carries it: lines from a
 * parent and its child then never interleave mid-line. */
static void vlog(const char *suffix, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "%s: ", program);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	n = strlen(line);
	if (suffix)
		snprintf(line + n, sizeof(line) - n, ": %s", suffix);
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

int log_errno(int r, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(strerror(r < 0 ? -r : r), fmt, ap);
	va_end(ap);
	errno = saved;
	return r < 0 ? r : -r;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_enabled())
		return;
	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}
