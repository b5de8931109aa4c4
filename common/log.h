/* SPDX-License-Identifier: MIT */
/*
 * log.h - how barge reports errors: one channel for every message.
 *
 * The convention (after systemd and crun): a function that fails returns a
 * negative errno and prints nothing; the top of the program reports the
 * failure once, naming what failed, on which object, and why:
 *
 *	r = mount_proc(rootfs);
 *	if (r < 0)
 *		return log_errno(r, "mount /proc in %s", rootfs);
 *
 * prints "barge: mount /proc in /tmp/rootfs: Permission denied".
 *
 * Messages go to stderr, unless the program was given a log file
 * (barge-runtime --log FILE, as runc takes it): then to that file, as
 * text or JSON lines in runc's formats, because the program that ran the
 * runtime (conmon) reads them there; errors go to stderr as well, where
 * containerd's shim reads them, as runc does:
 *
 *	time="2026-11-28T06:31:15Z" level=error msg="no such container"
 *	{"level":"error","msg":"no such container","time":"2026-11-28T06:31:15Z"}
 */
#ifndef BARGE_LOG_H
#define BARGE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* Name printed before every message on stderr ("barge", "barge-runtime"). */
void log_set_program(const char *name);

/* "text" or "json"; -EINVAL for anything else. */
int log_parse_format(const char *s, enum log_format *ret);

/* Send further messages to path (appended to, created 0644); only errors
 * still go to stderr too. log_close() goes back to stderr alone. */
int log_open(const char *path, enum log_format format);

/* The --log file's descriptor, or -1: the one a child that closes what it
 * inherited keeps, to go on logging. */
int log_fileno(void);
void log_close(void);

/* Debug messages are printed when this was called with true, or when
 * BARGE_DEBUG is set in the environment. */
void log_set_debug(bool on);
bool log_debug_enabled(void);

/* "PROG: MESSAGE: strerror(-r)"; returns r (negative). */
int log_errno(int r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "PROG: MESSAGE" */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: warning: MESSAGE" */
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: debug: MESSAGE", only when debugging is on. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line of a log file, with its newline, into buf (the formats above).
 * Returns its length, or -ENOSPC if it does not fit. */
int log_format_line(char *buf, size_t size, enum log_format format,
		    enum log_level level, const char *msg, time_t when);

#endif
