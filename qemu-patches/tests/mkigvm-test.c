// SPDX-License-Identifier: MIT
/*
 * mkigvm-test: writes small IGVM files that exercise QEMU's IGVM launch
 * (qemu-patches 0003) without any firmware: a 32-bit protected-mode guest
 * that prints a line on COM1 and reports what the loader gave it through
 * the isa-debug-exit device, plus broken variants for the error paths.
 *
 *   mkigvm-test good|reboot|overlap|tdx-only|no-vmsa|bad-area OUT.igvm
 *
 * The guest's exit value (QEMU exits with value * 2 + 1) is
 *   bits 1:0  VP count from the VP_COUNT parameter
 *   bit  2    ENVIRONMENT_INFO "memory is shared"
 *   bits 6:3  page count of the first MEMORY_MAP entry >> 12 (4 for 64 MiB)
 * so a test can check the parameter areas, not only that the guest ran.
 *
 * The "reboot" guest instead counts its boots in RAM the file does not
 * import, overwrites a marker byte of its own page on the first boot and
 * resets the machine (port 0xCF9); on the second boot it exits with the
 * marker, which is the file's value again only if the loader re-imported
 * the page at reset.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <cigvm.h>
#include <sev/vmsa.h>

/* Guest layout (all below 16 MiB). */
#define CODE_GPA  0x100000u /* code, then the message */
#define PARAM_GPA 0x200000u /* parameter area 0 */
#define VMSA_GPA  0x300000u /* where the VMSA page belongs */
#define MSG_OFF	  0x80u	    /* message offset in the code page */
#define MARK_OFF  0x100u    /* reboot guest: marker byte in the code page */
#define COUNT_GPA 0x500000u /* reboot guest: boot counter, RAM not in the file */
#define MARK_FILE 0x2au	    /* marker as the file has it */
#define MARK_RUN  0x55u	    /* marker as the first boot leaves it */

/* Offsets inside parameter area 0. */
#define PARAM_VP_COUNT 0x0u
#define PARAM_ENV_INFO 0x4u
#define PARAM_MEM_MAP  0x100u

#define COM1_PORT	0x3f8u /* 16550 UART data register */
#define DEBUG_EXIT_PORT 0xf4u  /* isa-debug-exit iobase used by the tests */
#define RESET_PORT	0xcf9u /* PIIX3 / ICH9 reset control register */
#define RESET_CPU_HARD	0x06u  /* reset control: hard reset, reset CPU */

#define MASK_SNP 0x1u
#define MASK_TDX 0x2u

static const char guest_msg[] = "IGVM test guest: running\n";

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* 32-bit code; each line is one instruction (Intel SDM vol. 2 encodings). */
static size_t build_code(uint8_t *page)
{
	size_t n = 0;
	const uint8_t print_loop[] = {
		0xac,	    /* lodsb */
		0x84, 0xc0, /* test al, al */
		0x74, 0x03, /* jz +3 (past the loop) */
		0xee,	    /* out dx, al */
		0xeb, 0xf8, /* jmp -8 (lodsb) */
	};

	page[n++] = 0xbe; /* mov esi, imm32: the message */
	put32(&page[n], CODE_GPA + MSG_OFF);
	n += 4;
	page[n++] = 0x66; /* mov dx, imm16: COM1 */
	page[n++] = 0xba;
	page[n++] = (uint8_t)COM1_PORT;
	page[n++] = (uint8_t)(COM1_PORT >> 8);
	memcpy(&page[n], print_loop, sizeof(print_loop));
	n += sizeof(print_loop);

	page[n++] = 0xa1; /* mov eax, [imm32]: VP count */
	put32(&page[n], PARAM_GPA + PARAM_VP_COUNT);
	n += 4;
	page[n++] = 0x83; /* and eax, 3 */
	page[n++] = 0xe0;
	page[n++] = 0x03;
	page[n++] = 0x8b; /* mov ebx, [imm32]: environment info */
	page[n++] = 0x1d;
	put32(&page[n], PARAM_GPA + PARAM_ENV_INFO);
	n += 4;
	page[n++] = 0x83; /* and ebx, 1 */
	page[n++] = 0xe3;
	page[n++] = 0x01;
	page[n++] = 0xc1; /* shl ebx, 2 */
	page[n++] = 0xe3;
	page[n++] = 0x02;
	page[n++] = 0x09; /* or eax, ebx */
	page[n++] = 0xd8;
	page[n++] = 0x8b; /* mov ebx, [imm32]: low half of map[0].number_of_pages */
	page[n++] = 0x1d;
	put32(&page[n], PARAM_GPA + PARAM_MEM_MAP + 8);
	n += 4;
	page[n++] = 0xc1; /* shr ebx, 12 */
	page[n++] = 0xeb;
	page[n++] = 0x0c;
	page[n++] = 0x83; /* and ebx, 15 */
	page[n++] = 0xe3;
	page[n++] = 0x0f;
	page[n++] = 0xc1; /* shl ebx, 3 */
	page[n++] = 0xe3;
	page[n++] = 0x03;
	page[n++] = 0x09; /* or eax, ebx */
	page[n++] = 0xd8;
	page[n++] = 0x66; /* mov dx, imm16: isa-debug-exit */
	page[n++] = 0xba;
	page[n++] = (uint8_t)DEBUG_EXIT_PORT;
	page[n++] = 0x00;
	page[n++] = 0xee; /* out dx, al */
	page[n++] = 0xf4; /* hlt */
	page[n++] = 0xeb; /* jmp -3 (hlt) */
	page[n++] = 0xfd;

	memcpy(&page[MSG_OFF], guest_msg, sizeof(guest_msg));
	return n;
}

static size_t emit_out_imm8(uint8_t *page, size_t n, uint16_t port, uint8_t val)
{
	page[n++] = 0x66; /* mov dx, imm16 */
	page[n++] = 0xba;
	page[n++] = (uint8_t)port;
	page[n++] = (uint8_t)(port >> 8);
	page[n++] = 0xb0; /* mov al, imm8 */
	page[n++] = val;
	page[n++] = 0xee; /* out dx, al */
	return n;
}

/* The "reboot" guest (see the file comment). */
static size_t build_reboot_code(uint8_t *page)
{
	size_t n = 0, jump;

	page[n++] = 0xa1; /* mov eax, [imm32]: boot count */
	put32(&page[n], COUNT_GPA);
	n += 4;
	page[n++] = 0x40; /* inc eax */
	page[n++] = 0xa3; /* mov [imm32], eax */
	put32(&page[n], COUNT_GPA);
	n += 4;
	page[n++] = 0x83; /* cmp eax, 2 */
	page[n++] = 0xf8;
	page[n++] = 0x02;
	page[n++] = 0x74; /* je second_boot (rel8 patched below) */
	jump = n++;
	page[n++] = 0xc6; /* mov byte [imm32], imm8: spoil the marker */
	page[n++] = 0x05;
	put32(&page[n], CODE_GPA + MARK_OFF);
	n += 4;
	page[n++] = MARK_RUN;
	n = emit_out_imm8(page, n, RESET_PORT, RESET_CPU_HARD);
	page[n++] = 0xf4; /* hlt */
	page[n++] = 0xeb; /* jmp -3 (hlt) */
	page[n++] = 0xfd;
	page[jump] = (uint8_t)(n - (jump + 1));
	page[n++] = 0xa0; /* second_boot: mov al, [imm32]: the marker */
	put32(&page[n], CODE_GPA + MARK_OFF);
	n += 4;
	page[n++] = 0x66; /* mov dx, imm16: isa-debug-exit */
	page[n++] = 0xba;
	page[n++] = (uint8_t)DEBUG_EXIT_PORT;
	page[n++] = 0x00;
	page[n++] = 0xee; /* out dx, al */
	page[n++] = 0xf4; /* hlt */
	page[n++] = 0xeb; /* jmp -3 (hlt) */
	page[n++] = 0xfd;
	page[MARK_OFF] = MARK_FILE;
	return n;
}

/*
 * Flat 32-bit protected mode, paging off (APM vol. 2, 14.4 / 14.6): CS is
 * a 4 GiB execute/read code segment, the data segments 4 GiB read/write.
 * Attributes in the VMSA's compressed form (APM vol. 2, Appendix B).
 */
static void build_vmsa(struct sev_vmsa *v)
{
	const uint16_t code =
		SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | 0xb | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G;
	const uint16_t data =
		SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | 0x3 | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G;
	struct sev_vmsa_seg *segs[] = {&v->es, &v->ss, &v->ds, &v->fs, &v->gs};

	memset(v, 0, sizeof(*v));
	v->cs = (struct sev_vmsa_seg){.selector = 0x8, .attrib = code, .limit = 0xffffffffu};
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		*segs[i] = (struct sev_vmsa_seg){
			.selector = 0x10, .attrib = data, .limit = 0xffffffffu};
	}
	/* 32-bit busy TSS and LDT descriptor types (APM vol. 2, Table 4-6). */
	v->tr = (struct sev_vmsa_seg){.attrib = SEV_SEG_ATTR_P | 0xb, .limit = 0xffff};
	v->ldtr = (struct sev_vmsa_seg){.attrib = SEV_SEG_ATTR_P | 0x2, .limit = 0xffff};
	v->gdtr.limit = 0xffff;
	v->idtr.limit = 0xffff;
	v->cr0 = 0x11; /* PE | ET */
	v->rflags = 0x2;
	v->rip = CODE_GPA;
	v->dr7 = 0x400;
	v->dr6 = 0xffff0ff0;
	v->g_pat = 0x0007040600070406ull; /* power-on PAT (APM vol. 2, 7.8.2) */
	v->xcr0 = 0x1;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
}

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static int fail(const char *what, const struct cigvm_error *err)
{
	fprintf(stderr, "mkigvm-test: %s: %s\n", what, err->message);
	return 1;
}

/* Body of the first variable header of `type` in a serialized file, or NULL. */
static uint8_t *find_header(uint8_t *file, size_t len, uint32_t type)
{
	const struct igvm_fixed_header *fh = (const struct igvm_fixed_header *)file;
	size_t off = fh->variable_header_offset;
	size_t end = off + fh->variable_header_size;

	while (end <= len && off + sizeof(struct igvm_vhs_variable_header) <= end) {
		struct igvm_vhs_variable_header vh;

		memcpy(&vh, file + off, sizeof(vh));
		if ((vh.type & ~IGVM_VHT_IGNORABLE_BIT) == type) {
			return file + off + sizeof(vh);
		}
		/* Entries are 8-byte aligned (IGVM spec, "Structure"). */
		off += sizeof(vh) + ((vh.length + 7u) & ~7u);
	}
	return NULL;
}

/* CRC-32 over the fixed and variable headers, checksum field as zero. */
static void fix_checksum(uint8_t *file)
{
	struct igvm_fixed_header *fh = (struct igvm_fixed_header *)file;

	fh->checksum = 0;
	fh->checksum =
		(uint32_t)crc32(0L, file, fh->variable_header_offset + fh->variable_header_size);
}

/*
 * Variants the builder refuses to write (it validates like the parser), made
 * by editing a good file: the loader must reject them on its own.
 */
static int mutate(const char *variant, uint8_t *file, size_t len)
{
	uint8_t *body;

	if (is(variant, "overlap")) {
		/* The parameter page lands on the code page. */
		struct igvm_vhs_parameter_insert pi;

		body = find_header(file, len, IGVM_VHT_PARAMETER_INSERT);
		if (!body) {
			return -1;
		}
		memcpy(&pi, body, sizeof(pi));
		pi.gpa = CODE_GPA;
		memcpy(body, &pi, sizeof(pi));
	} else if (is(variant, "bad-area")) {
		/* A parameter in an area that was never declared. */
		struct igvm_vhs_parameter p;

		body = find_header(file, len, IGVM_VHT_ENVIRONMENT_INFO_PARAMETER);
		if (!body) {
			return -1;
		}
		memcpy(&p, body, sizeof(p));
		p.parameter_area_index = 7;
		memcpy(body, &p, sizeof(p));
	} else {
		return 0;
	}
	fix_checksum(file);
	return 0;
}

static int write_out(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		perror(path);
		return 1;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t code[4096];
	static struct sev_vmsa vmsa;
	struct cigvm_error err = {0};
	cigvm_builder *b;
	const char *variant;
	uint32_t mask = MASK_SNP;
	void *file = NULL;
	size_t len = 0;
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr,
			"usage: mkigvm-test good|reboot|overlap|tdx-only|no-vmsa|bad-area OUT\n");
		return 2;
	}
	variant = argv[1];
	if (!is(variant, "good") && !is(variant, "reboot") && !is(variant, "overlap") &&
	    !is(variant, "tdx-only") && !is(variant, "no-vmsa") && !is(variant, "bad-area")) {
		fprintf(stderr, "mkigvm-test: unknown variant '%s'\n", variant);
		return 2;
	}
	if (is(variant, "tdx-only")) {
		mask = MASK_TDX;
	}
	if (is(variant, "reboot")) {
		build_reboot_code(code);
	} else {
		build_code(code);
	}
	build_vmsa(&vmsa);

	b = cigvm_builder_new(IGVM_FORMAT_VERSION_1);
	if (!b) {
		fprintf(stderr, "mkigvm-test: out of memory\n");
		return 1;
	}
	if (cigvm_builder_add_platform(
		    b, mask, is(variant, "tdx-only") ? IGVM_PLATFORM_TDX : IGVM_PLATFORM_SEV_SNP, 0,
		    0, &err) ||
	    cigvm_builder_add_pages(b, CODE_GPA, mask, 0, IGVM_PAGE_DATA_TYPE_NORMAL, code,
				    sizeof(code), &err) ||
	    cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, &err) ||
	    cigvm_builder_add_parameter(b, IGVM_VHT_VP_COUNT_PARAMETER, 0, PARAM_VP_COUNT, &err) ||
	    cigvm_builder_add_parameter(b, IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, 0, PARAM_ENV_INFO,
					&err) ||
	    cigvm_builder_add_parameter(b, IGVM_VHT_MEMORY_MAP, 0, PARAM_MEM_MAP, &err) ||
	    cigvm_builder_add_parameter_insert(b, PARAM_GPA, mask, 0, &err)) {
		goto out_err;
	}
	if (!is(variant, "no-vmsa") &&
	    cigvm_builder_add_vp_context(b, VMSA_GPA, mask, 0, &vmsa, sizeof(vmsa), &err)) {
		goto out_err;
	}
	if (cigvm_builder_write_buffer(b, &file, &len, &err)) {
		goto out_err;
	}
	if (mutate(variant, file, len)) {
		fprintf(stderr, "mkigvm-test: %s: header to edit not found\n", variant);
		goto out;
	}
	rc = write_out(argv[2], file, len);
	goto out;
out_err:
	rc = fail(variant, &err);
out:
	free(file);
	cigvm_builder_free(b);
	return rc;
}
