/* SPDX-License-Identifier: MIT */
/*
 * signals.c - a signal as kill(1) and runc take it: a number, or a name
 * with or without "SIG", in any case. podman sends numbers ("kill ID 15");
 * people type names ("kill ID TERM").
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>

#include "runtime.h"
#include "util.h"

int parse_signal(const char *s)
{
	const char *abbrev;
	int sig;

	if (isdigit((unsigned char)s[0]))
		return parse_int(s, 1, NSIG - 1, &sig) < 0 ? -EINVAL : sig;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	/* sigabbrev_np(3): "TERM" for SIGTERM (glibc 2.32). */
	for (sig = 1; sig < NSIG; sig++) {
		abbrev = sigabbrev_np(sig);
		if (abbrev && strcasecmp(s, abbrev) == 0)
			return sig;
	}
	return -EINVAL;
}
