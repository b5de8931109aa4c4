/* SPDX-License-Identifier: MIT */
/*
 * log_sink.h - where barge-runtime's messages go: stderr, or the file its
 * caller gave with --log, as text or as JSON lines.
 *
 * An OCI runtime is run by programs more often than by people. conmon
 * (podman's container monitor) runs "barge-runtime --log FILE --log-format
 * json create ...", and when that fails, podman shows the user the "msg"
 * of the last error line in FILE:
 *
 *	{"level":"error","msg":"container \"x\" does not exist","time":"2026-11-28T06:31:15Z"}
 *
 * So, as runc does, with --log every message goes to the file and nothing
 * to stderr. Without it, messages go to stderr in the project's form
 * ("barge-runtime: MESSAGE").
 *
 * Generic on purpose: this can move into common/ (log.c's vlog would then
 * write through it) for barged's log in chapter 08.
 */
#ifndef BARGE_LOG_SINK_H
#define BARGE_LOG_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* "text" or "json"; -EINVAL for anything else. */
int log_parse_format(const char *s, enum log_format *ret);

/* Send further messages to path (appended to, created 0644). */
int log_sink_open(const char *path, enum log_format format);
void log_sink_close(void);
void log_sink_set_debug(bool on);

/* Report a message once, at a level: "error", "warning" or "debug" (only
 * with log_sink_set_debug(true)). */
void log_sink(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same with ": strerror(-r)" appended; returns r. */
int log_sink_errno(enum log_level level, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One line of the log file, with its newline, into buf: runc's formats,
 *	time="2026-11-28T06:31:15Z" level=error msg="no such container"
 *	{"level":"error","msg":"no such container","time":"2026-11-28T06:31:15Z"}
 * Returns its length, or -ENOSPC if it does not fit. */
int log_format_line(char *buf, size_t size, enum log_format format,
		    enum log_level level, const char *msg, time_t when);

#endif
