// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the boot-time parsers: multiboot info, ACPI MADT, the multiboot
 * header relocation used by tools/mbpatch, memmap, and the kernel printf (checked against
 * the C library's snprintf).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <acpi/madt.h>
#include <boot/multiboot1.h>
#include "native.h"
#include "svsmk/compiler.h"
#include "svsmk/printf.h"
#include "../../../tools/mb1_relocate.h"

/* Fake guest-physical memory: one buffer covering [0, FAKE_SIZE). */
#define FAKE_SIZE (2u << 20)
static uint8_t *fake;

static int fake_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	if (pa >= FAKE_SIZE || len > FAKE_SIZE - pa)
		return -EFAULT;
	memcpy(buf, fake + pa, len);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	fake = calloc(1, FAKE_SIZE);
	return fake ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(fake);
	return 0;
}

static void put_mmap(uint64_t pa, uint64_t base, uint64_t len, uint32_t type)
{
	struct mb1_mmap_entry e = {20, base, len, type};
	memcpy(fake + pa, &e, sizeof(e));
}

static void build_mbi(uint32_t flags, uint32_t nentries)
{
	struct mb1_info info = {0};
	info.flags = flags;
	info.mmap_addr = 0x2000;
	info.mmap_length = nentries * 24;
	info.cmdline = 0x3000;
	memcpy(fake + 0x1000, &info, sizeof(info));
	put_mmap(0x2000, 0, 0x9fc00, 1);
	put_mmap(0x2018, 0x9fc00, 0x400, 2);
	put_mmap(0x2030, 0x100000, 0xfee0000, 1);
	static const char cmd[] = "/path/svsm.bin ktest=alloc crash=ud";
	memcpy(fake + 0x3000, cmd, sizeof(cmd));
}

static void test_multiboot_parse(void **state)
{
	(void)state;
	build_mbi(MB1_INFO_MMAP | MB1_INFO_CMDLINE, 3);
	struct memmap map;
	char cmd[64];
	assert_int_equal(mb1_parse_info(fake_read, NULL, 0x1000, &map, cmd, sizeof(cmd)), 0);
	assert_int_equal(map.count, 3);
	assert_int_equal(map.region[1].base, 0x9fc00);
	assert_int_equal(map.region[1].type, MEM_RESERVED);
	assert_int_equal(map.region[2].size, 0xfee0000);
	assert_int_equal(map.region[2].type, MEM_RAM);
	assert_string_equal(cmd, "ktest=alloc crash=ud");
	assert_true(memmap_is_ram(&map, 0x1000000, 0x800000));
	assert_false(memmap_is_ram(&map, 0x9f000, 0x2000)); /* crosses into reserved */
	assert_int_equal(memmap_ram_bytes(&map), 0x9fc00 + 0xfee0000);
	/* A short command line buffer truncates safely. */
	char small[6];
	assert_int_equal(mb1_parse_info(fake_read, NULL, 0x1000, &map, small, sizeof(small)), 0);
	assert_string_equal(small, "ktest");
}

static void test_multiboot_rejects_bad_info(void **state)
{
	(void)state;
	struct memmap map;
	char cmd[16];
	build_mbi(MB1_INFO_CMDLINE, 3); /* no memory map */
	assert_int_equal(mb1_parse_info(fake_read, NULL, 0x1000, &map, cmd, sizeof(cmd)), -EINVAL);
	build_mbi(MB1_INFO_MMAP, 3);
	struct mb1_mmap_entry e = {4, 0, 0, 0}; /* entry too short */
	memcpy(fake + 0x2018, &e, sizeof(e));
	assert_int_equal(mb1_parse_info(fake_read, NULL, 0x1000, &map, cmd, sizeof(cmd)), -EINVAL);
	assert_int_equal(mb1_parse_info(fake_read, NULL, FAKE_SIZE - 8, &map, cmd, sizeof(cmd)),
			 -EFAULT);
	/* More entries than the map holds. */
	struct mb1_info info = {
		.flags = MB1_INFO_MMAP, .mmap_addr = 0x4000, .mmap_length = 40 * 24};
	memcpy(fake + 0x1000, &info, sizeof(info));
	for (int i = 0; i < 40; i++)
		put_mmap(0x4000 + 24 * i, (uint64_t)i << 20, 1 << 20, 1);
	assert_int_equal(mb1_parse_info(fake_read, NULL, 0x1000, &map, cmd, sizeof(cmd)), -ENOSPC);
}

static uint8_t checksum_fix(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)(0 - s);
}

static void put_sdt(uint64_t pa, const char *sig, uint32_t len)
{
	struct acpi_sdt_header h = {0};
	memcpy(h.signature, sig, 4);
	h.length = len;
	h.revision = 1;
	memcpy(fake + pa, &h, sizeof(h));
	fake[pa + 9] = 0;
	fake[pa + 9] = checksum_fix(fake + pa, len);
}

/* RSDP at 0xF5A30 -> RSDT (or XSDT) at 0x10000 -> [FACP-like dummy, MADT at 0x12000]. */
static void build_acpi(int use_xsdt)
{
	struct acpi_rsdp r = {0};
	memcpy(r.signature, ACPI_RSDP_SIGNATURE, 8);
	r.revision = use_xsdt ? 2 : 0;
	r.rsdt_address = use_xsdt ? 0 : 0x10000;
	r.xsdt_address = use_xsdt ? 0x10000 : 0;
	r.length = sizeof(r);
	memcpy(fake + 0xf5a30, &r, sizeof(r));
	fake[0xf5a30 + 8] = checksum_fix(fake + 0xf5a30, 20);

	put_sdt(0x11000, "FACP", 36);
	uint8_t *m = fake + 0x12000;
	size_t off = sizeof(struct acpi_madt);
	for (uint8_t i = 0; i < 4; i++) {
		struct madt_local_apic la = {0, 8, i, i, i == 2 ? 0 : MADT_LAPIC_ENABLED};
		memcpy(m + off, &la, sizeof(la));
		off += sizeof(la);
	}
	uint8_t ioapic[12] = {1, 12}; /* an I/O APIC entry to skip */
	memcpy(m + off, ioapic, sizeof(ioapic));
	off += sizeof(ioapic);
	struct madt_local_x2apic xa = {9, 16, 0, 300, MADT_LAPIC_ENABLED, 7};
	memcpy(m + off, &xa, sizeof(xa));
	off += sizeof(xa);
	put_sdt(0x12000, "APIC", (uint32_t)off);

	size_t esize = use_xsdt ? 8 : 4;
	uint64_t tables[2] = {0x11000, 0x12000};
	for (int i = 0; i < 2; i++)
		memcpy(fake + 0x10000 + 36 + i * esize, &tables[i], esize);
	put_sdt(0x10000, use_xsdt ? "XSDT" : "RSDT", (uint32_t)(36 + 2 * esize));
}

static void test_madt_rsdt_and_xsdt(void **state)
{
	(void)state;
	for (int x = 0; x < 2; x++) {
		memset(fake, 0, FAKE_SIZE);
		build_acpi(x);
		uint32_t ids[8];
		assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 8), 4);
		assert_int_equal(ids[0], 0);
		assert_int_equal(ids[1], 1);
		assert_int_equal(ids[2], 3); /* APIC 2 is disabled */
		assert_int_equal(ids[3], 300);
		assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 2), -ENOSPC);
	}
}

static void test_madt_rejects_corruption(void **state)
{
	(void)state;
	uint32_t ids[8];
	assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 8), -ENOENT); /* no RSDP */
	build_acpi(0);
	fake[0x12000 + 50]++; /* MADT checksum now wrong */
	assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 8), -EINVAL);
	build_acpi(0);
	fake[0xf5a30 + 9]++; /* RSDP checksum wrong: not found */
	assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 8), -ENOENT);
	build_acpi(0);
	/* An entry with length 0 would loop forever: rejected. */
	fake[0x12000 + 44 + 1] = 0;
	put_sdt(0x12000, "APIC", 44 + 4 * 8 + 12 + 16);
	assert_int_equal(acpi_enum_lapics(fake_read, NULL, ids, 8), -EINVAL);
}

static void test_mb1_relocate(void **state)
{
	(void)state;
	uint8_t img[8192] = {0};
	struct mb1_header h = {MB1_HEADER_MAGIC, MB1_HDR_ADDRESS | 3, 0,	 0x1000040,
			       0x1000000,	 0x1020000,	      0x1030000, 0x1000080};
	h.checksum = 0 - h.magic - h.flags;
	memcpy(img + 64, &h, sizeof(h));
	assert_int_equal(mb1_relocate(img, sizeof(img), 0x6200000), 0);
	struct mb1_header g;
	memcpy(&g, img + 64, sizeof(g));
	assert_int_equal(g.header_addr, 0x6200040);
	assert_int_equal(g.load_addr, 0x6200000);
	assert_int_equal(g.load_end_addr, 0x6220000);
	assert_int_equal(g.bss_end_addr, 0x6230000);
	assert_int_equal(g.entry_addr, 0x6200080);
	assert_int_equal(g.checksum, h.checksum); /* address fields are not checksummed */
	uint8_t copy[8192];
	memcpy(copy, img, sizeof(img));
	assert_int_equal(mb1_relocate(img, sizeof(img), 0x6300000), -EINVAL); /* not 2M aligned */
	assert_memory_equal(img, copy, sizeof(img));
	/* A field pushed past 4 GiB is an error and leaves the image alone. */
	struct mb1_header big = h;
	big.bss_end_addr = 0x1300000;
	memcpy(img + 64, &big, sizeof(big));
	memcpy(copy, img, sizeof(img));
	assert_int_equal(mb1_relocate(img, sizeof(img), 0xffe00000u), -EINVAL);
	assert_memory_equal(img, copy, sizeof(img));
	img[64 + 8]++; /* bad checksum: no header */
	assert_int_equal(mb1_relocate(img, sizeof(img), 0x200000), -EINVAL);
}

static void check_fmt(const char *fmt, ...)
{
	char a[128], b[128];
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int na = vsnprintf_k(a, sizeof(a), fmt, ap);
	int nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	assert_string_equal(a, b);
	assert_int_equal(na, nb);
}

static void test_printf_matches_libc(void **state)
{
	(void)state;
	check_fmt("%d %i %u", -2147483647 - 1, 42, 4294967295u);
	check_fmt("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	check_fmt("%x %X %#x %08x", 0xdeadbeefu, 0xabcu, 0x1fu, 0x12u);
	check_fmt("%llx %lld %llu", 0xffffffffffffffffULL, -9223372036854775807LL - 1,
		  18446744073709551615ULL);
	check_fmt("%zu %lu", (size_t)123456789, 77UL);
	check_fmt("%s|%10s|%-10s|%c%%", "svsm", "right", "left", 'x');
	/* Truncation: NUL-terminated, returns the untruncated length. */
	char small[8];
	memset(small, 'z', sizeof(small));
	assert_int_equal(snprintf_k(small, sizeof(small), "%s-%d", "abcdef", 1234), 11);
	assert_string_equal(small, "abcdef-");
	assert_int_equal(snprintf_k(small, 0, "%d", 5), 1);
	assert_int_equal(small[0], 'a');
	char buf[32];
	const char *volatile none = NULL; /* hidden from the format checker on purpose */
	snprintf_k(buf, sizeof(buf), "%s", none);
	assert_string_equal(buf, "(null)");
	snprintf_k(buf, sizeof(buf), "%p", (void *)0x1234);
	assert_string_equal(buf, "0x0000000000001234");
}

static void test_memmap_add_bounds(void **state)
{
	(void)state;
	struct memmap m = {0};
	assert_int_equal(memmap_add(&m, 0x1000, 0, MEM_RAM), -EINVAL);
	assert_int_equal(memmap_add(&m, 0xfffffffffffff000ULL, 0x2000, MEM_RAM), -EINVAL);
	assert_int_equal(m.count, 0);
	for (int i = 0; i < MEMMAP_MAX; i++)
		assert_int_equal(memmap_add(&m, (uint64_t)i << 20, 1 << 20, MEM_RAM), 0);
	assert_int_equal(memmap_add(&m, 1ULL << 40, 1, MEM_RAM), -ENOSPC);
	assert_int_equal(m.count, MEMMAP_MAX);
	assert_false(memmap_is_ram(&m, 0x100000, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_multiboot_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_rejects_bad_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_rsdt_and_xsdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt_rejects_corruption, setup, teardown),
		cmocka_unit_test(test_mb1_relocate),
		cmocka_unit_test(test_printf_matches_libc),
		cmocka_unit_test(test_memmap_add_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
