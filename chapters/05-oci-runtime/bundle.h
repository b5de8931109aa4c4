/* SPDX-License-Identifier: MIT */
/*
 * bundle.h - barge's flags as an OCI bundle (bundle.c).
 */
#ifndef BARGE_BUNDLE_H
#define BARGE_BUNDLE_H

#include <jansson.h>

#include "barge.h"

/* c as config.json; rootfs is c->rootfs made absolute. */
json_t *bundle_config(const struct container *c, const char *rootfs);

/* Make dir and write dir/config.json. */
int bundle_write(const struct container *c, const char *dir);
void remove_bundle(const char *dir);

#endif
