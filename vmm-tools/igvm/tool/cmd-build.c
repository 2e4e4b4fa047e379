/* SPDX-License-Identifier: MIT */
/*
 * igvmtool build: pack an SVSM image (ELF or flat), an optional OVMF and an optional
 * payload into an SEV-SNP IGVM file, with a CPUID page, a secrets page, parameter pages
 * and the VMPL0 VMSA at the GPA KVM requires (SNP_PAGE_INFO_KVM_VMSA_GPA: KVM places
 * every VMSA there, so a file measured for KVM must use it).
 */
#include <elf.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sev/snp-firmware.h>
#include <sev/vmsa.h>

#include "tool.h"

#define SNP_MASK 0x1u

struct build_cfg {
	const char *out, *svsm, *ovmf, *payload;
	uint64_t svsm_addr, payload_addr, cpuid_addr, secrets_addr, param_addr, entry, rsp;
	uint64_t policy, sev_features, shared_gpa_boundary, format_version;
	bool svsm_elf, have_entry, have_svsm_addr, real_mode;
};

/* Load an ELF64 image's PT_LOAD segments at their physical addresses. */
static int add_elf(cigvm_builder *b, const uint8_t *img, size_t len, struct build_cfg *c,
		   struct cigvm_error *err)
{
	Elf64_Ehdr eh;

	if (len < sizeof(eh))
		return tool_error("build", "%s: too short for an ELF header", c->svsm);
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return tool_error("build", "%s: not a valid ELF64 file", c->svsm);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *seg;
		uint64_t start, size;

		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset || ph.p_memsz > (1ull << 32))
			return tool_error("build", "%s: segment %u is out of bounds", c->svsm, i);
		start = ph.p_paddr & ~(uint64_t)(IGVM_PAGE_SIZE_4K - 1);
		size = ph.p_paddr - start + ph.p_memsz;
		seg = calloc(1, size);
		if (!seg)
			return tool_error("build", "out of memory");
		memcpy(seg + (ph.p_paddr - start), img + ph.p_offset, ph.p_filesz);
		if (cigvm_builder_add_pages(b, start, SNP_MASK, 0, IGVM_PAGE_DATA_TYPE_NORMAL, seg,
					    size, err)) {
			free(seg);
			return tool_cigvm_error("build", err);
		}
		free(seg);
	}
	if (!c->have_entry) {
		c->entry = eh.e_entry;
		c->have_entry = true;
	}
	return 0;
}

static int add_file_pages(cigvm_builder *b, const char *path, uint64_t gpa, struct cigvm_error *err)
{
	size_t len = 0;
	uint8_t *buf = tool_read_file("build", path, &len);
	int rc;

	if (!buf)
		return 1;
	rc = cigvm_builder_add_pages(b, gpa, SNP_MASK, 0, IGVM_PAGE_DATA_TYPE_NORMAL, buf, len,
				     err);
	free(buf);
	return rc ? tool_cigvm_error("build", err) : 0;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return b && a < b + blen && b < a + alen;
}

/* OVMF image at 4 GiB - size plus its SEV metadata sections (zero, secrets, CPUID pages),
 * skipping pages the SVSM provides itself. */
static int add_ovmf(cigvm_builder *b, const struct build_cfg *c, struct cigvm_error *err)
{
	struct cigvm_ovmf_info info;
	size_t len = 0;
	uint8_t *img = tool_read_file("build", c->ovmf, &len);
	int rc = 0;

	if (!img)
		return 1;
	if (cigvm_ovmf_parse(img, len, &info, err)) {
		free(img);
		return tool_cigvm_error("build", err);
	}
	if (cigvm_builder_add_pages(b, info.gpa, SNP_MASK, 0, IGVM_PAGE_DATA_TYPE_NORMAL, img, len,
				    err))
		rc = tool_cigvm_error("build", err);
	free(img);
	for (uint32_t i = 0; i < info.n_sections && !rc; i++) {
		const struct cigvm_ovmf_section *s = &info.sections[i];
		uint16_t type = IGVM_PAGE_DATA_TYPE_NORMAL;

		if (overlaps(s->gpa, s->size, c->secrets_addr, IGVM_PAGE_SIZE_4K) ||
		    overlaps(s->gpa, s->size, c->cpuid_addr, IGVM_PAGE_SIZE_4K))
			continue;
		if (s->type == CIGVM_OVMF_SECTION_SNP_SECRETS)
			type = IGVM_PAGE_DATA_TYPE_SECRETS;
		else if (s->type == CIGVM_OVMF_SECTION_CPUID)
			type = IGVM_PAGE_DATA_TYPE_CPUID_DATA;
		for (uint64_t off = 0; off < s->size && !rc; off += IGVM_PAGE_SIZE_4K)
			if (cigvm_builder_add_pages(b, s->gpa + off, SNP_MASK, 0, type, NULL, 0,
						    err))
				rc = tool_cigvm_error("build", err);
	}
	return rc;
}

static void seg(struct sev_vmsa_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

/* VMPL0 VMSA: 32-bit flat protected mode at `entry` (or the real-mode reset state).
 * Values KVM recomputes when it syncs the VMSA are set to what it writes, so that the
 * file's VMSA page equals the measured one: CR0 with PE|ET|NE, CR4.MCE, EFER.SVME, the
 * default FPU state (FCW 0x37f, MXCSR 0x1f80), XCR0 = 1, DR6/DR7/RFLAGS/PAT reset values.
 * Only fields QEMU's IGVM loader transfers to KVM are non-zero (segments, control and
 * debug registers, EFER, XCR0, PAT, RIP, RFLAGS, FCW, MXCSR, SEV_FEATURES). */
static void build_vmsa(struct sev_vmsa *v, const struct build_cfg *c)
{
	memset(v, 0, sizeof(*v));
	if (c->real_mode) {
		seg(&v->cs, 0xf000, 0x9b, 0xffff);
		v->cs.base = c->entry & 0xffff0000u;
		seg(&v->ds, 0, 0x93, 0xffff);
		v->es = v->ss = v->fs = v->gs = v->ds;
		v->cr0 = 0x10;
		v->rip = c->entry & 0xffff;
	} else {
		/* Flat 4 GiB segments: code 0xc9b (G, D, P, S, type RX accessed), data 0xc93. */
		seg(&v->cs, 0x8, 0xc9b, 0xffffffff);
		seg(&v->ds, 0x10, 0xc93, 0xffffffff);
		v->es = v->ss = v->fs = v->ds;
		seg(&v->gs, 0, 0x93, 0xffff);
		v->cr0 = 0x31; /* PE | ET | NE */
		v->rip = c->entry;
	}
	seg(&v->gdtr, 0, 0, 0xffff);
	seg(&v->idtr, 0, 0, 0xffff);
	seg(&v->ldtr, 0, 0x82, 0xffff);
	seg(&v->tr, 0, 0x8b, 0xffff);
	v->efer = 0x1000; /* EFER.SVME: required in every SEV-ES/SNP VMSA */
	v->cr4 = 0x40;	  /* CR4.MCE: KVM ORs the host's MCE into the guest CR4 */
	v->dr7 = 0x400;
	v->dr6 = 0xffff0ff0;
	v->rsp = c->rsp; /* 0 unless --rsp: the loader's stack pointer, if the entry wants one */
	v->rflags = 0x2;
	v->g_pat = 0x0007040600070406ull;
	v->sev_features = c->sev_features | SEV_FEAT_SNP_ACTIVE;
	v->xcr0 = 0x1;
	v->mxcsr = 0x1f80;
	v->x87_fcw = 0x37f;
	v->vmpl = 0;
}

static int do_build(struct build_cfg *c)
{
	struct cigvm_error err;
	struct sev_vmsa vmsa;
	cigvm_builder *b = cigvm_builder_new((uint32_t)c->format_version);
	int rc = 1;

	if (!b)
		return tool_error("build", "format version must be 1 or 2");
	if (cigvm_builder_add_platform(b, SNP_MASK, IGVM_PLATFORM_SEV_SNP, 0,
				       c->shared_gpa_boundary, &err) ||
	    cigvm_builder_add_guest_policy(b, SNP_MASK, c->policy, &err)) {
		rc = tool_cigvm_error("build", &err);
		goto out;
	}
	if (c->svsm) {
		size_t len = 0;
		uint8_t *img = tool_read_file("build", c->svsm, &len);

		if (!img)
			goto out;
		if (c->svsm_elf || (len >= 4 && memcmp(img, ELFMAG, SELFMAG) == 0))
			rc = add_elf(b, img, len, c, &err);
		else if (!c->have_svsm_addr)
			rc = tool_error("build", "a flat SVSM image needs --svsm-addr");
		else
			rc = add_file_pages(b, c->svsm, c->svsm_addr, &err);
		free(img);
		if (rc)
			goto out;
		if (!c->have_entry) {
			c->entry = c->svsm_addr;
			c->have_entry = true;
		}
		rc = 1;
	}
	if (c->payload && add_file_pages(b, c->payload, c->payload_addr, &err))
		goto out;
	if (c->ovmf && add_ovmf(b, c, &err))
		goto out;
	if (c->secrets_addr && cigvm_builder_add_pages(b, c->secrets_addr, SNP_MASK, 0,
						       IGVM_PAGE_DATA_TYPE_SECRETS, NULL, 0, &err))
		goto fail;
	if (c->cpuid_addr && cigvm_builder_add_pages(b, c->cpuid_addr, SNP_MASK, 0,
						     IGVM_PAGE_DATA_TYPE_CPUID_DATA, NULL, 0, &err))
		goto fail;
	if (c->param_addr) {
		/* Area 0: VP count (u32 at 0) and environment info (u32 at 4); area 1: memory
		 * map entries. Both inserted as unmeasured pages. */
		if (cigvm_builder_add_parameter_area(b, 0, IGVM_PAGE_SIZE_4K, NULL, 0, &err) ||
		    cigvm_builder_add_parameter(b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0, &err) ||
		    cigvm_builder_add_parameter(b, IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, 0, 4,
						&err) ||
		    cigvm_builder_add_parameter_insert(b, c->param_addr, SNP_MASK, 0, &err) ||
		    cigvm_builder_add_parameter_area(b, 1, IGVM_PAGE_SIZE_4K, NULL, 0, &err) ||
		    cigvm_builder_add_parameter(b, IGVM_VHT_MEMORY_MAP, 1, 0, &err) ||
		    cigvm_builder_add_parameter_insert(b, c->param_addr + IGVM_PAGE_SIZE_4K,
						       SNP_MASK, 1, &err))
			goto fail;
	}
	if (!c->have_entry) {
		rc = tool_error("build", "no entry point: give --svsm or --entry");
		goto out;
	}
	build_vmsa(&vmsa, c);
	if (cigvm_builder_add_vp_context(b, SNP_PAGE_INFO_KVM_VMSA_GPA, SNP_MASK, 0, &vmsa,
					 sizeof(vmsa), &err) ||
	    cigvm_builder_write_file(b, c->out, &err))
		goto fail;
	rc = 0;
	goto out;
fail:
	rc = tool_cigvm_error("build", &err);
out:
	cigvm_builder_free(b);
	return rc;
}

static void build_usage(FILE *out)
{
	fprintf(out,
		"usage: igvmtool build -o OUT.igvm [options]\n"
		"       igvmtool build -o OUT.igvm --manifest FILE.json\n"
		"  --svsm FILE          SVSM image: ELF64 (PT_LOAD at p_paddr) or flat binary\n"
		"  --svsm-addr ADDR     load address of a flat SVSM image\n"
		"  --entry ADDR         VMSA RIP (default: ELF entry or --svsm-addr)\n"
		"  --real-mode          start the VMSA in the real-mode reset state\n"
		"  --rsp ADDR           VMSA RSP (default 0)\n"
		"  --ovmf FILE          OVMF image, placed below 4 GiB with its SEV metadata "
		"pages\n"
		"  --payload FILE --payload-addr ADDR   extra guest payload (flat)\n"
		"  --cpuid-addr ADDR    CPUID page        --secrets-addr ADDR   secrets page\n"
		"  --param-addr ADDR    two parameter pages (VP count/env info, memory map)\n"
		"  --policy X           SNP guest policy (default 0x30000)\n"
		"  --sev-features X     VMSA SEV_FEATURES (SNP_ACTIVE always set)\n"
		"  --shared-gpa-boundary X   --format-version 1|2\n"
		"  --manifest FILE      JSON object with the same keys (underscores for dashes)\n");
}

static const struct option build_opts[] = {{"output", required_argument, NULL, 'o'},
					   {"svsm", required_argument, NULL, 1},
					   {"svsm-addr", required_argument, NULL, 2},
					   {"entry", required_argument, NULL, 3},
					   {"real-mode", no_argument, NULL, 4},
					   {"ovmf", required_argument, NULL, 5},
					   {"payload", required_argument, NULL, 6},
					   {"payload-addr", required_argument, NULL, 7},
					   {"cpuid-addr", required_argument, NULL, 8},
					   {"secrets-addr", required_argument, NULL, 9},
					   {"param-addr", required_argument, NULL, 10},
					   {"policy", required_argument, NULL, 11},
					   {"sev-features", required_argument, NULL, 12},
					   {"shared-gpa-boundary", required_argument, NULL, 13},
					   {"format-version", required_argument, NULL, 14},
					   {"svsm-elf", no_argument, NULL, 15},
					   {"manifest", required_argument, NULL, 16},
					   {"rsp", required_argument, NULL, 17},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};

static int apply(struct build_cfg *c, int id, const char *val)
{
	uint64_t *num = NULL;

	switch (id) {
	case 'o':
		c->out = val;
		return 0;
	case 1:
		c->svsm = val;
		return 0;
	case 2:
		c->have_svsm_addr = true;
		num = &c->svsm_addr;
		break;
	case 3:
		c->have_entry = true;
		num = &c->entry;
		break;
	case 4:
		c->real_mode = true;
		return 0;
	case 5:
		c->ovmf = val;
		return 0;
	case 6:
		c->payload = val;
		return 0;
	case 7:
		num = &c->payload_addr;
		break;
	case 8:
		num = &c->cpuid_addr;
		break;
	case 9:
		num = &c->secrets_addr;
		break;
	case 10:
		num = &c->param_addr;
		break;
	case 11:
		num = &c->policy;
		break;
	case 12:
		num = &c->sev_features;
		break;
	case 13:
		num = &c->shared_gpa_boundary;
		break;
	case 14:
		num = &c->format_version;
		break;
	case 15:
		c->svsm_elf = true;
		return 0;
	case 17:
		num = &c->rsp;
		break;
	default:
		return -1;
	}
	if (!tool_parse_u64(val, num))
		return tool_error("build", "'%s' is not a number", val);
	return 0;
}

/* Manifest: {"svsm": "...", "svsm_addr": "0x...", "real_mode": true, ...}. Paths are used
 * as given (relative to the current directory). */
static int load_manifest(struct build_cfg *c, const char *path, struct json_object **keep)
{
	struct json_object *root = json_object_from_file(path);

	if (!root || !json_object_is_type(root, json_type_object))
		return tool_error("build", "%s: not a JSON object", path);
	*keep = root;
	json_object_object_foreach(root, key, val)
	{
		char name[64];
		const char *s;
		size_t k;

		snprintf(name, sizeof(name), "%s", key);
		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = '-';
		for (k = 0; build_opts[k].name; k++)
			if (strcmp(build_opts[k].name, name) == 0 &&
			    strcmp(name, "manifest") != 0 && strcmp(name, "help") != 0)
				break;
		if (!build_opts[k].name)
			return tool_error("build", "%s: unknown key \"%s\"", path, key);
		if (build_opts[k].has_arg == no_argument) {
			if (!json_object_is_type(val, json_type_boolean))
				return tool_error("build", "%s: \"%s\" must be true/false", path,
						  key);
			if (json_object_get_boolean(val) && apply(c, build_opts[k].val, NULL))
				return 1;
			continue;
		}
		s = json_object_get_string(val);
		if (!s || apply(c, build_opts[k].val, s))
			return tool_error("build", "%s: bad value for \"%s\"", path, key);
	}
	return 0;
}

int cmd_build(int argc, char **argv)
{
	struct build_cfg c = {.policy = 0x30000, .format_version = 1};
	struct json_object *manifest = NULL;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", build_opts, NULL)) != -1) {
		if (opt == 'h') {
			build_usage(stdout);
			return 0;
		}
		if (opt == 16) {
			if (load_manifest(&c, optarg, &manifest)) {
				json_object_put(manifest);
				return 1;
			}
			continue;
		}
		if (opt == '?' || apply(&c, opt, optarg)) {
			json_object_put(manifest);
			if (opt == '?')
				build_usage(stderr);
			return opt == '?' ? 2 : 1;
		}
	}
	if (optind != argc || !c.out) {
		json_object_put(manifest);
		build_usage(stderr);
		return 2;
	}
	rc = do_build(&c);
	json_object_put(manifest);
	return rc;
}
