/* SPDX-License-Identifier: MIT */
/*
 * libvirt domain XML for an SVSM guest, built with libxml2's tree API.
 */
#ifndef SVSM_VIRT_DOMAIN_XML_H
#define SVSM_VIRT_DOMAIN_XML_H

#include <libxml/tree.h>

#include "domain-config.h"

/* libvirt's namespace for QEMU pass-through (formatdomain "QEMU command-line
 * passthrough"). */
#define SVSM_QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/* Where a native IGVM element lives and how it names the file, as read from
 * the installed schema (schema.c). */
struct svsm_igvm_native {
	char parent[32]; /* element that contains it, e.g. "os" */
	char attr[32];	 /* attribute holding the path; empty: element text */
};

/* The QEMU "-object" value for the IGVM file (commas doubled as QEMU's option
 * syntax requires). Caller frees. */
char *svsm_igvm_object_arg(const char *igvm_path);

/* Build the document. native == NULL puts the IGVM file on QEMU's command line
 * through <qemu:commandline>. */
xmlDocPtr svsm_domain_xml(const struct svsm_domain_config *cfg, const struct svsm_blobs *blobs,
			  const struct svsm_igvm_native *native);

#endif
