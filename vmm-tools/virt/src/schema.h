/* SPDX-License-Identifier: MIT */
/*
 * libvirt's own domain schema (RELAX NG, installed by libvirt-daemon-common /
 * libvirt-clients under /usr/share/libvirt/schemas): validation in-process, as
 * `virt-xml-validate FILE domain` does, and detection of a native IGVM element.
 */
#ifndef SVSM_VIRT_SCHEMA_H
#define SVSM_VIRT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "domain-xml.h"

#define SVSM_SCHEMA_DIR_DEFAULT "/usr/share/libvirt/schemas"

/* The schema directory: $SVSM_VIRT_SCHEMA_DIR, else the default. */
const char *svsm_schema_dir(void);

/* Validate doc against DIR/domain.rng. false with the first error in err. */
bool svsm_schema_validate(xmlDocPtr doc, const char *dir, char *err, size_t errlen);

/* Does the schema define an <igvm> element? Fills where it goes and which
 * attribute names the file. false when there is none (libvirt <= 11.3). */
bool svsm_schema_igvm_element(const char *dir, struct svsm_igvm_native *out);

#endif
