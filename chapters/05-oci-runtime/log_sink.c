/* SPDX-License-Identifier: MIT */
/*
 * log_sink.c - barge-runtime's messages, to stderr or to a --log file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "log_sink.h"
#include "util.h"

static int sink_fd = -1;
static enum log_format sink_format = LOG_FORMAT_TEXT;
static bool sink_debug;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_DEBUG] = "debug",
};

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

int log_sink_open(const char *path, enum log_format format)
{
	int fd;

	/* O_APPEND: conmon, or a second runtime, may write there too. */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	log_sink_close();
	sink_fd = fd;
	sink_format = format;
	return 0;
}

void log_sink_close(void)
{
	if (sink_fd >= 0)
		close(sink_fd);
	sink_fd = -1;
}

void log_sink_set_debug(bool on)
{
	sink_debug = on;
}

/* s as the inside of a JSON (or logfmt) string: quote, backslash and
 * control characters escaped. Returns the length, or -ENOSPC. */
static int escape(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	int w;

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
	char esc[2048], ts[32];
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

static void vsink(enum log_level level, const char *suffix, const char *fmt,
		  va_list ap)
{
	char msg[1024], line[4096];
	int n;

	if (level == LOG_LEVEL_DEBUG && !sink_debug)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix) {
		n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	}
	if (sink_fd < 0) {
		/* log.c's form; one write, so lines never interleave. */
		if (level == LOG_LEVEL_ERROR)
			log_error("%s", msg);
		else
			log_error("%s: %s", level_names[level], msg);
		return;
	}
	n = log_format_line(line, sizeof(line), sink_format, level, msg,
			    time(NULL));
	if (n > 0)
		write_full(sink_fd, line, n);
}

void log_sink(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsink(level, NULL, fmt, ap);
	va_end(ap);
}

int log_sink_errno(enum log_level level, int r, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsink(level, strerror(r < 0 ? -r : r), fmt, ap);
	va_end(ap);
	errno = saved;
	return r < 0 ? r : -r;
}
