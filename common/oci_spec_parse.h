/* SPDX-License-Identifier: MIT */
/*
 * oci_spec_parse.h - what the three files of the config.json parser share:
 * oci_spec.c reads the top level and calls the other two.
 */
#ifndef BARGE_OCI_SPEC_PARSE_H
#define BARGE_OCI_SPEC_PARSE_H

#include "json.h"
#include "oci_spec.h"

/* oci_spec_linux.c: the "linux" object. */
int oci_parse_linux(struct jp *p, json_t *obj, struct oci_linux *l);
void oci_linux_free(struct oci_linux *l);

/* oci_spec_mounts.c: "mounts", with their options split for mount(2). */
int oci_parse_mounts(struct jp *p, json_t *root, struct oci_config *c);
void oci_mounts_free(struct oci_mount *m, size_t n);

#endif
