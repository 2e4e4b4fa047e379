// SPDX-License-Identifier: MIT
/*
 * Domain XML builder. Element names follow libvirt's domain format
 * (formatdomain: launchSecurity, memoryBacking, devices/serial) and QEMU's
 * option names for IGVM (docs/system/igvm.rst: -object igvm-cfg,id=,file=
 * referenced by -machine igvm-cfg=).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain-xml.h"

#define X(s) ((const xmlChar *)(s))

static xmlNodePtr child(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, X(name), text ? X(text) : NULL);
}

static void attr(xmlNodePtr node, const char *name, const char *value)
{
	xmlNewProp(node, X(name), X(value));
}

char *svsm_igvm_object_arg(const char *igvm_path)
{
	static const char prefix[] = "igvm-cfg,id=igvm0,file=";
	size_t len = sizeof(prefix) + 2 * strlen(igvm_path);
	char *out = malloc(len), *p;

	if (out == NULL)
		return NULL;
	memcpy(out, prefix, sizeof(prefix) - 1);
	p = out + sizeof(prefix) - 1;
	for (const char *s = igvm_path; *s; s++) {
		*p++ = *s;
		if (*s == ',')
			*p++ = ','; /* QEMU option syntax: ",," is a literal comma */
	}
	*p = '\0';
	return out;
}

static void add_launch_security(xmlNodePtr dom, const struct svsm_domain_config *cfg,
				const struct svsm_blobs *blobs)
{
	char num[32];
	xmlNodePtr ls = child(dom, "launchSecurity", NULL);

	attr(ls, "type", "sev-snp");
	if (cfg->author_key)
		attr(ls, "authorKey", "yes");
	/* Absent cbitpos/reducedPhysBits: libvirt fills them from the host's
	 * domain capabilities when it builds QEMU's command line. */
	if (cfg->have_cbitpos) {
		snprintf(num, sizeof(num), "%u", cfg->cbitpos);
		child(ls, "cbitpos", num);
	}
	if (cfg->have_reduced_phys_bits) {
		snprintf(num, sizeof(num), "%u", cfg->reduced_phys_bits);
		child(ls, "reducedPhysBits", num);
	}
	/* libvirt's hexuint pattern is lower-case. */
	snprintf(num, sizeof(num), "0x%" PRIx64, cfg->policy);
	child(ls, "policy", num);
	if (blobs->id_block_b64 != NULL) {
		child(ls, "idBlock", blobs->id_block_b64);
		child(ls, "idAuth", blobs->id_auth_b64);
	}
	if (cfg->host_data != NULL)
		child(ls, "hostData", cfg->host_data);
}

static void add_qemu_arg(xmlNodePtr cmdline, xmlNsPtr ns, const char *value)
{
	xmlNodePtr arg = xmlNewChild(cmdline, ns, X("arg"), NULL);
	attr(arg, "value", value);
}

static void add_igvm(xmlNodePtr dom, xmlNodePtr os, const struct svsm_domain_config *cfg,
		     const struct svsm_igvm_native *native)
{
	if (native != NULL) {
		xmlNodePtr parent = strcmp(native->parent, "os") == 0 ? os : NULL;
		for (xmlNodePtr n = dom->children; parent == NULL && n != NULL; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    xmlStrcmp(n->name, X(native->parent)) == 0)
				parent = n;
		if (parent == NULL)
			parent = child(dom, native->parent, NULL);
		if (native->attr[0] != '\0')
			attr(child(parent, "igvm", NULL), native->attr, cfg->igvm);
		else
			child(parent, "igvm", cfg->igvm);
		return;
	}
	/* libvirt 11.3 has no IGVM element: pass QEMU's own options through. QEMU
	 * merges repeated -machine options, so igvm-cfg joins libvirt's -machine. */
	xmlNsPtr ns = xmlSearchNsByHref(dom->doc, dom, X(SVSM_QEMU_NS));
	xmlNodePtr cmdline = xmlNewChild(dom, ns, X("commandline"), NULL);
	char *obj = svsm_igvm_object_arg(cfg->igvm);
	add_qemu_arg(cmdline, ns, "-object");
	add_qemu_arg(cmdline, ns, obj ? obj : "");
	add_qemu_arg(cmdline, ns, "-machine");
	add_qemu_arg(cmdline, ns, "igvm-cfg=igvm0");
	free(obj);
}

static void add_devices(xmlNodePtr dom, const struct svsm_domain_config *cfg)
{
	xmlNodePtr dev = child(dom, "devices", NULL), n;

	child(dev, "emulator", cfg->emulator);
	if (cfg->disk != NULL) {
		n = child(dev, "disk", NULL);
		attr(n, "type", "file");
		attr(n, "device", "disk");
		attr(child(n, "source", NULL), "file", cfg->disk);
		xmlNodePtr t = child(n, "target", NULL);
		attr(t, "dev", "vda");
		attr(t, "bus", "virtio");
	}
	/* Nothing the SVSM does not use: no USB, no balloon, no graphics. */
	n = child(dev, "controller", NULL);
	attr(n, "type", "usb");
	attr(n, "model", "none");

	n = child(dev, "serial", NULL);
	if (cfg->serial == SVSM_SERIAL_FILE) {
		attr(n, "type", "file");
		xmlNodePtr src = child(n, "source", NULL);
		attr(src, "path", cfg->serial_log);
		attr(src, "append", "off");
		attr(child(n, "target", NULL), "port", "0");
	} else {
		attr(n, "type", "pty");
		attr(child(n, "target", NULL), "port", "0");
		xmlNodePtr con = child(dev, "console", NULL);
		attr(con, "type", "pty");
		xmlNodePtr t = child(con, "target", NULL);
		attr(t, "type", "serial");
		attr(t, "port", "0");
	}
	attr(child(dev, "memballoon", NULL), "model", "none");
}

xmlDocPtr svsm_domain_xml(const struct svsm_domain_config *cfg, const struct svsm_blobs *blobs,
			  const struct svsm_igvm_native *native)
{
	char num[32];
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr dom = xmlNewNode(NULL, X("domain"));

	xmlDocSetRootElement(doc, dom);
	attr(dom, "type", cfg->variant == SVSM_VARIANT_SNP_KVM ? "kvm" : "qemu");
	if (cfg->igvm != NULL && native == NULL)
		xmlNewNs(dom, X(SVSM_QEMU_NS), X("qemu"));

	child(dom, "name", cfg->name);
	snprintf(num, sizeof(num), "%lu", cfg->memory_mib);
	attr(child(dom, "memory", num), "unit", "MiB");
	/* SNP needs no memoryBacking: private memory comes from guest_memfd, which
	 * pins it itself (QEMU target/i386/sev.c); shared memory stays ordinary RAM.
	 * Under TCG the emulated platform keeps private memory in ordinary RAM. */
	snprintf(num, sizeof(num), "%u", cfg->vcpus);
	attr(child(dom, "vcpu", num), "placement", "static");

	xmlNodePtr os = child(dom, "os", NULL);
	xmlNodePtr type = child(os, "type", "hvm");
	attr(type, "arch", "x86_64");
	attr(type, "machine", cfg->machine);
	if (cfg->kernel != NULL)
		child(os, "kernel", cfg->kernel);

	xmlNodePtr feat = child(dom, "features", NULL);
	child(feat, "acpi", NULL);
	child(feat, "apic", NULL);
	if (cfg->variant == SVSM_VARIANT_SNP_KVM)
		attr(child(dom, "cpu", NULL), "mode", "host-passthrough");
	else if (cfg->variant == SVSM_VARIANT_SNP_EMULATED)
		attr(child(dom, "cpu", NULL), "mode", "maximum"); /* QEMU -cpu max */
	attr(child(dom, "clock", NULL), "offset", "utc");
	/* Every exit ends the domain: a reboot of an SNP guest needs a new launch. */
	child(dom, "on_poweroff", "destroy");
	child(dom, "on_reboot", "destroy");
	child(dom, "on_crash", "destroy");

	add_devices(dom, cfg);
	if (svsm_variant_is_snp(cfg->variant))
		add_launch_security(dom, cfg, blobs);
	if (cfg->igvm != NULL)
		add_igvm(dom, os, cfg, native);
	return doc;
}
