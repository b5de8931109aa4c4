/* SPDX-License-Identifier: MIT */
/*
 * hooks.h - run a list of config.json's hooks (config.md, "POSIX-platform
 * Hooks"), the way podman's network setup or an NVIDIA GPU are plugged
 * into a container without the runtime knowing about either.
 *
 * A hook is a program: the runtime runs it with the hook's args and env
 * (and nothing else of its own environment), writes the container's state
 * (state_to_json()) on its stdin, and waits for it, at most its timeout.
 * Exiting non-zero is failing. When they run (runtime.md, "Lifecycle"):
 *
 *	createRuntime    during create, namespaces made, before pivot_root;
 *	                 in the runtime's namespaces
 *	createContainer  during create, after createRuntime; in the
 *	                 container's mount namespace (path in the runtime's)
 *	prestart         deprecated: as createRuntime
 *	startContainer   during start, in the container, before its exec
 *	poststart        after start, in the runtime's namespaces
 *	poststop         during delete, after the container is gone
 *
 * A failing prestart, createRuntime, createContainer or startContainer
 * hook fails the operation (and a failed create stops and deletes the
 * container); a failing poststart or poststop hook is only a warning.
 */
#ifndef BARGE_HOOKS_H
#define BARGE_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "oci_spec.h"

/* Run the hooks of one kind (hooks: config.json's, by kind) in order, stopping at the first that fails.
 * Returns 0, or a negative errno with the failed hook and why in errbuf:
 *	hook createRuntime[1] /usr/libexec/net-setup: exited with status 3
 * -ECANCELED for a non-zero exit or a death by signal, -ETIMEDOUT when the
 * timeout killed it, or the errno of a failed fork or exec. */
int hooks_run(const struct oci_hook_list *hooks, enum oci_hook_kind kind,
	      const char *state_json, char *errbuf, size_t errsize);

/* Whether a failing hook of this kind fails the operation (see above). */
bool hooks_failure_is_fatal(enum oci_hook_kind kind);

#endif
