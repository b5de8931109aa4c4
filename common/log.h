/* SPDX-License-Identifier: MIT */
/*
 * log.h - how barge reports errors.
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
 */
#ifndef BARGE_LOG_H
#define BARGE_LOG_H

#include <stdbool.h>

/* Name printed before every message ("barge", "barge-runtime"). */
void log_set_program(const char *name);

/* Print "PROG: MESSAGE: strerror(-r)" to stderr and return r (negative). */
int log_errno(int r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "PROG: MESSAGE" to stderr. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "PROG: MESSAGE" to stderr when BARGE_DEBUG is set in the env. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool log_debug_enabled(void);

#endif
