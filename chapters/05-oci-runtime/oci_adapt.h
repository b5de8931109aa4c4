/* SPDX-License-Identifier: MIT */
/*
 * oci_adapt.h - a config.json (struct oci_config) as chapter 04's struct
 * container: see oci_adapt.c.
 */
#ifndef BARGE_OCI_ADAPT_H
#define BARGE_OCI_ADAPT_H

#include <stddef.h>

#include "barge.h"
#include "oci_config.h"

/* Fill c from oc, which must outlive c. bundle is the bundle directory
 * (root.path is relative to it), config_path its config.json. Returns 0,
 * or -EINVAL with "PATH: what is wrong" in err: nothing is created. */
int oci_adapt(struct container *c, const struct oci_config *oc,
	      const char *bundle, const char *config_path, char *err,
	      size_t size);

#endif
