/* SPDX-License-Identifier: MIT */
/*
 * log.c - one-line messages, printed once by a program's top level, to
 * stderr or to a log file; see log.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static const char *program = "barge";
static int log_fd = -1; /* the --log file, or -1: stderr */
static enum log_format log_file_format = LOG_FORMAT_TEXT;
static bool debug_on;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_DEBUG] = "debug",
};

void log_set_program(const char *name)
{
	program = name;
}

int log_parse_format(const char *s, enum log_format *ret)
{
	if (streq(s, "text"))
		*ret = LOG_FORMAT_TEXT;
	else if (streq(s, "json"))
		*ret = LOG_FORMAT_JSON;
	else
		return -EINVAL;
	return 0;
}

int log_open(const char *path, enum log_format format)
{
	int fd;

	/* O_APPEND: conmon, or a second runtime, may write there too. */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	log_close();
	log_fd = fd;
	log_file_format = format;
	return 0;
}

int log_fileno(void)
{
	return log_fd;
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

void log_set_debug(bool on)
{
	debug_on = on;
}

bool log_debug_enabled(void)
{
	const char *v = getenv("BARGE_DEBUG");

	return debug_on || (v && *v && strcmp(v, "0") != 0);
}

/* s as the inside of a JSON (or logfmt) string: quote, backslash and
 * control characters escaped. Returns the length, or -ENOSPC. */
static int escape(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	int w;

	buf[0] = '\0'; /* an empty message is an empty string */
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			w = snprintf(buf + n, size - n, "\\%c", c);
		else if (c == '\n')
			w = snprintf(buf + n, size - n, "\\n");
		else if (c < 0x20)
			w = snprintf(buf + n, size - n, "\\u%04x", c);
		else
			w = snprintf(buf + n, size - n, "%c", c);
		if (w < 0 || (size_t)w >= size - n)
			return -ENOSPC;
		n += w;
	}
	return n;
}

int log_format_line(char *buf, size_t size, enum log_format format,
		    enum log_level level, const char *msg, time_t when)
{
	char esc[8192], ts[32];
	struct tm tm;
	int n;

	if (escape(esc, sizeof(esc), msg) < 0)
		return -ENOSPC;
	/* RFC 3339, in UTC, as Go's time.RFC3339 prints it. */
	gmtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (format == LOG_FORMAT_JSON)
		n = snprintf(
			buf, size,
			"{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
			level_names[level], esc, ts);
	else
		n = snprintf(buf, size, "time=\"%s\" level=%s msg=\"%s\"\n", ts,
			     level_names[level], esc);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

/* Build the whole line first so that one write(2) carries it: lines from a
 * parent and its child then never interleave mid-line. */
static void vlog(enum log_level level, const char *suffix, const char *fmt,
		 va_list ap)
{
	char msg[1024], line[8192];
	size_t n;
	int w;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (suffix)
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	if (log_fd >= 0) {
		w = log_format_line(line, sizeof(line), log_file_format, level,
				    msg, time(NULL));
		if (w > 0)
			write_full(log_fd, line, w);
		/* an error on stderr too, as runc prints it: containerd's
		 * shim reads it there */
		if (level != LOG_LEVEL_ERROR)
			return;
	}
	if (level == LOG_LEVEL_ERROR)
		w = snprintf(line, sizeof(line), "%s: %s\n", program, msg);
	else
		w = snprintf(line, sizeof(line), "%s: %s: %s\n", program,
			     level_names[level], msg);
	if (w > (int)sizeof(line) - 1) { /* cut: keep the newline */
		w = sizeof(line) - 1;
		line[w - 1] = '\n';
	}
	if (w > 0)
		write_full(STDERR_FILENO, line, w);
}

int log_errno(int r, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, strerror(r < 0 ? -r : r), fmt, ap);
	va_end(ap);
	errno = saved;
	return r < 0 ? r : -r;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
}

void log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_enabled())
		return;
	va_start(ap, fmt);
	vlog(LOG_LEVEL_DEBUG, NULL, fmt, ap);
	va_end(ap);
}
