/* SPDX-License-Identifier: MIT */
/*
 * Launch digest of a stock QEMU + OVMF SEV-SNP launch under KVM.
 *
 * QEMU (target/i386/sev.c) queues SNP_LAUNCH_UPDATE requests in this order and KVM
 * measures 4 KiB pages (ABI 56860 SNP_LAUNCH_UPDATE / PAGE_INFO):
 *   1. the OVMF flash image, NORMAL pages at 4 GiB - size;
 *   2. the OVMF SEV metadata sections, in table order: SNP_SEC_MEM -> ZERO, SECRETS ->
 *      SECRETS, CPUID -> CPUID, SNP_KERNEL_HASHES -> NORMAL page holding the SEV hash
 *      table when kernel hashes are on (else ZERO), anything else (SVSM_CAA) -> ZERO;
 *   3. at SNP_LAUNCH_FINISH, one VMSA page per vCPU at the KVM VMSA GPA: the BSP starts
 *      at the reset vector 0xfffffff0, APs at the SEV-ES reset block address.
 * The VMSA register values are the x86 reset state as QEMU/KVM set them for SEV-ES/SNP
 * guests (APM vol 2 "Initial state" table 14-1; KVM sets EFER.SVME and CR4.MCE, syncs
 * the default FPU state: FCW 0x37f, MXCSR 0x1f80; RDX holds the CPUID(1).EAX signature).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <sev/snp-firmware.h>
#include <sev/vmsa.h>

#include "guid.h"
#include "internal.h"

/* SEV hash table (QEMU target/i386/sev.c SevHashTable, PaddedSevHashTable). */
#define SEV_HASH_TABLE_HEADER_GUID "9438d606-4f22-4cc9-b479-a793d411fd21"
#define SEV_CMDLINE_ENTRY_GUID	   "97d02dd8-bd20-4c94-aa78-e7714d36ab2a"
#define SEV_INITRD_ENTRY_GUID	   "44baf731-3a2f-4bd7-9af1-41e29169781d"
#define SEV_KERNEL_ENTRY_GUID	   "4de79437-abd2-427f-b835-d5b172d2045b"

struct sev_hash_entry {
	uint8_t guid[16];
	uint16_t len;	  /* sizeof(struct sev_hash_entry) */
	uint8_t hash[32]; /* SHA-256 */
} __attribute__((packed));

struct sev_hash_table {
	uint8_t guid[16];
	uint16_t len; /* sizeof(struct sev_hash_table), unpadded */
	struct sev_hash_entry cmdline, initrd, kernel;
} __attribute__((packed));
_Static_assert(sizeof(struct sev_hash_entry) == 50, "SEV hash entry");
_Static_assert(sizeof(struct sev_hash_table) == 168, "SEV hash table");
#define SEV_HASH_TABLE_PADDED 176u /* rounded up to 16 bytes */

static int sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned int len = 0;

	return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static int hash_entry(struct sev_hash_entry *e, const char *guid, const void *p, size_t n)
{
	cigvm_guid_parse(guid, e->guid);
	e->len = sizeof(*e);
	return sha256(p ? p : "", n, e->hash);
}

static int build_hash_table(const struct cigvm_qemu_launch *l, uint8_t out[SEV_HASH_TABLE_PADDED])
{
	struct sev_hash_table t;
	const char *cmd = l->cmdline ? l->cmdline : "";

	memset(&t, 0, sizeof(t));
	cigvm_guid_parse(SEV_HASH_TABLE_HEADER_GUID, t.guid);
	t.len = sizeof(t);
	/* The command line is hashed with its terminating NUL. */
	if (hash_entry(&t.cmdline, SEV_CMDLINE_ENTRY_GUID, cmd, strlen(cmd) + 1) ||
	    hash_entry(&t.initrd, SEV_INITRD_ENTRY_GUID, l->initrd, l->initrd_len) ||
	    hash_entry(&t.kernel, SEV_KERNEL_ENTRY_GUID, l->kernel, l->kernel_len))
		return -1;
	memset(out, 0, SEV_HASH_TABLE_PADDED);
	memcpy(out, &t, sizeof(t));
	return 0;
}

static void seg(struct sev_vmsa_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit,
		uint64_t base)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

void cigvm_qemu_reset_vmsa(void *page, uint32_t eip, uint32_t vcpu_sig, uint64_t sev_features)
{
	struct sev_vmsa *v = page;

	memset(v, 0, sizeof(*v));
	/* Segment attributes: present data RW accessed (0x93), code RX accessed (0x9b),
	 * LDT (0x82), busy 32-bit TSS (0x8b); limits 0xffff (APM vol 2 14.1.3). */
	seg(&v->es, 0, 0x93, 0xffff, 0);
	seg(&v->cs, 0xf000, 0x9b, 0xffff, eip & 0xffff0000u);
	seg(&v->ss, 0, 0x93, 0xffff, 0);
	seg(&v->ds, 0, 0x93, 0xffff, 0);
	seg(&v->fs, 0, 0x93, 0xffff, 0);
	seg(&v->gs, 0, 0x93, 0xffff, 0);
	seg(&v->gdtr, 0, 0, 0xffff, 0);
	seg(&v->idtr, 0, 0, 0xffff, 0);
	seg(&v->ldtr, 0, 0x82, 0xffff, 0);
	seg(&v->tr, 0, 0x8b, 0xffff, 0);
	v->efer = 0x1000; /* EFER.SVME, set by KVM for SEV-ES guests */
	v->cr4 = 0x40;	  /* CR4.MCE, set by KVM */
	v->cr0 = 0x10;	  /* CR0.ET */
	v->dr7 = 0x400;
	v->dr6 = 0xffff0ff0;
	v->rflags = 0x2;
	v->rip = eip & 0xffff;
	v->g_pat = 0x0007040600070406ull; /* PAT reset value (APM vol 2 A.3) */
	v->rdx = vcpu_sig;
	v->sev_features = sev_features;
	v->xcr0 = 0x1;
	v->mxcsr = 0x1f80;
	v->x87_fcw = 0x37f;
}

static int add_range(struct cigvm_ld *ld, uint64_t gpa, uint64_t size, uint8_t type,
		     const uint8_t *data, struct cigvm_error *err)
{
	int rc = CIGVM_OK;

	for (uint64_t off = 0; off < size && !rc; off += IGVM_PAGE_SIZE_4K)
		rc = cigvm_ld_update(ld, gpa + off, type, data ? data + off : NULL, err);
	return rc;
}

static int add_kernel_hashes(struct cigvm_ld *ld, const struct cigvm_qemu_launch *l,
			     const struct cigvm_ovmf_info *info, const struct cigvm_ovmf_section *s,
			     struct cigvm_error *err)
{
	uint32_t off = info->hashes_table_gpa & (IGVM_PAGE_SIZE_4K - 1);
	uint8_t *area;
	int rc;

	if (!info->has_hashes_table)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF has a kernel hashes section but no SEV hash table entry");
	if ((uint64_t)off + SEV_HASH_TABLE_PADDED > s->size)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "SEV hash table does not fit the kernel hashes section");
	area = calloc(1, s->size);
	if (!area)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	if (build_hash_table(l, area + off)) {
		free(area);
		return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "SHA-256 failed");
	}
	rc = add_range(ld, s->gpa, s->size, SNP_PAGE_TYPE_NORMAL, area, err);
	free(area);
	return rc;
}

int cigvm_measure_qemu_ovmf(const struct cigvm_qemu_launch *l, uint8_t digest[CIGVM_DIGEST_SIZE],
			    struct cigvm_error *err)
{
	struct cigvm_ovmf_info info;
	struct cigvm_ld ld;
	struct sev_vmsa vmsa;
	int rc;

	if (!l || !digest || !l->ovmf || l->vcpus == 0)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "an OVMF image and at least one vCPU are required");
	rc = cigvm_ovmf_parse(l->ovmf, l->ovmf_len, &info, err);
	if (rc)
		return rc;
	if (l->vcpus > 1 && !info.has_reset_eip)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF has no SEV-ES reset block: APs cannot be started");
	cigvm_ld_init(&ld);
	ld.cb = l->cb;
	ld.cb_ctx = l->cb_ctx;
	rc = add_range(&ld, info.gpa, info.size, SNP_PAGE_TYPE_NORMAL, l->ovmf, err);
	for (uint32_t i = 0; i < info.n_sections && !rc; i++) {
		const struct cigvm_ovmf_section *s = &info.sections[i];
		uint8_t type = SNP_PAGE_TYPE_ZERO;

		if (s->gpa % IGVM_PAGE_SIZE_4K || s->size % IGVM_PAGE_SIZE_4K)
			return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
					  "OVMF section %u (0x%x+0x%x) is not page aligned", i,
					  s->gpa, s->size);
		if (s->type == CIGVM_OVMF_SECTION_SNP_SECRETS)
			type = SNP_PAGE_TYPE_SECRETS;
		else if (s->type == CIGVM_OVMF_SECTION_CPUID)
			type = SNP_PAGE_TYPE_CPUID;
		if (s->type == CIGVM_OVMF_SECTION_SNP_KERNEL_HASHES && l->kernel)
			rc = add_kernel_hashes(&ld, l, &info, s, err);
		else
			rc = add_range(&ld, s->gpa, s->size, type, NULL, err);
	}
	for (unsigned i = 0; i < l->vcpus && !rc; i++) {
		cigvm_qemu_reset_vmsa(&vmsa, i == 0 ? CIGVM_BSP_RESET_EIP : info.sev_es_reset_eip,
				      l->vcpu_sig, l->sev_features);
		rc = cigvm_ld_update(&ld, SNP_PAGE_INFO_KVM_VMSA_GPA, SNP_PAGE_TYPE_VMSA, &vmsa,
				     err);
	}
	if (!rc)
		memcpy(digest, ld.digest, CIGVM_DIGEST_SIZE);
	return rc;
}
