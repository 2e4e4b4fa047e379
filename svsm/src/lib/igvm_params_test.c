// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the IGVM parameter-page parser: the layout QEMU's IGVM loader fills
 * (VP count, environment info, memory map ended by a zero-length entry) and the malformed
 * pages a hostile or buggy loader could write, each refused without changing the map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <igvm/igvm-format.h>
#include "svsmk/compiler.h"
#include "svsmk/igvm_params.h"
#include "svsmk/layout.h"

#define BOOT_PA 0x10000ull
static uint8_t pages[SNP_BOOT_PAGES_SIZE];
static int reads;

static int fake_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	reads++;
	if (pa < BOOT_PA || pa - BOOT_PA > sizeof(pages) || len > sizeof(pages) - (pa - BOOT_PA))
		return -EFAULT;
	memcpy(buf, pages + (pa - BOOT_PA), len);
	return 0;
}

static void put_area0(uint32_t vps, uint32_t env)
{
	memcpy(pages + SNP_BOOT_PARAM0, &vps, 4);
	memcpy(pages + SNP_BOOT_PARAM0 + 4, &env, 4);
}

static void put_entry(unsigned int i, uint64_t page, uint64_t npages, uint16_t type)
{
	struct igvm_vhs_memory_map_entry e = {page, npages, type, 0, 0};
	memcpy(pages + SNP_BOOT_MEMMAP + i * sizeof(e), &e, sizeof(e));
}

/* What QEMU writes for -m 256M on q35: RAM below the hole and a reserved range. */
static void good_pages(void)
{
	memset(pages, 0, sizeof(pages));
	put_area0(4, IGVM_ENVIRONMENT_INFO_MEMORY_IS_SHARED);
	put_entry(0, 0, 0x10000, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	put_entry(1, 0xfeffc, 4, IGVM_MEMORY_MAP_ENTRY_PLATFORM_RESERVED);
}

static void test_parses_qemu_layout(void **state)
{
	(void)state;
	good_pages();
	struct memmap map = {0};
	struct igvm_boot_params p = {0};
	assert_int_equal(igvm_params_parse(fake_read, NULL, BOOT_PA, 16, &map, &p), 0);
	assert_int_equal(p.vp_count, 4);
	assert_int_equal(p.env_info, IGVM_ENVIRONMENT_INFO_MEMORY_IS_SHARED);
	assert_int_equal(map.count, 2);
	assert_int_equal(map.region[0].base, 0);
	assert_int_equal(map.region[0].size, 0x10000000ull);
	assert_int_equal(map.region[0].type, MEM_RAM);
	assert_int_equal(map.region[1].base, 0xfeffc000ull);
	assert_int_equal(map.region[1].size, 0x4000);
	assert_int_equal(map.region[1].type, MEM_RESERVED);
}

/* Each corruption is refused and leaves the map exactly as it was. */
static void expect_refused(const char *what)
{
	struct memmap map = {0};
	memmap_add(&map, 0x100000000ull, 0x1000, MEM_RESERVED);
	struct memmap before = map;
	struct igvm_boot_params p = {7, 7};
	int rc = igvm_params_parse(fake_read, NULL, BOOT_PA, 16, &map, &p);
	if (rc == 0)
		fail_msg("%s: accepted", what);
	/* Slots past the count are free space, not state. */
	assert_int_equal(map.count, before.count);
	assert_memory_equal(map.region, before.region, before.count * sizeof(map.region[0]));
	assert_int_equal(p.vp_count, 7);
}

static void test_refuses_malformed(void **state)
{
	(void)state;
	good_pages();
	put_area0(0, 1);
	expect_refused("VP count 0");
	good_pages();
	put_area0(17, 1);
	expect_refused("VP count above the maximum");
	good_pages();
	memset(pages + SNP_BOOT_MEMMAP, 0, 4096);
	expect_refused("empty memory map");
	good_pages();
	put_entry(0, 0xfeffc, 4, IGVM_MEMORY_MAP_ENTRY_PLATFORM_RESERVED);
	put_entry(1, 0, 0, 0);
	expect_refused("no RAM");
	good_pages();
	put_entry(1, 1ull << 40, 1, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	expect_refused("page number at 2^52");
	good_pages();
	put_entry(1, (1ull << 40) - 1, 2, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	expect_refused("range crossing 2^52");
	good_pages();
	put_entry(1, 0x100, UINT64_MAX, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	expect_refused("wrapping length");
	good_pages();
	for (unsigned int i = 0; i < 4096 / 24; i++)
		put_entry(i, i * 16, 1, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	expect_refused("no terminating entry within the page");
	good_pages();
	for (unsigned int i = 0; i < MEMMAP_MAX + 1; i++)
		put_entry(i, i * 16, 1, IGVM_MEMORY_MAP_ENTRY_MEMORY);
	expect_refused("more ranges than the map holds");
}

static void test_reader_error_is_returned(void **state)
{
	(void)state;
	good_pages();
	struct memmap map = {0};
	struct igvm_boot_params p;
	/* Boot pages the reader cannot reach (beyond the fake). */
	assert_int_equal(igvm_params_parse(fake_read, NULL, BOOT_PA + 0x10000, 16, &map, &p),
			 -EFAULT);
	assert_int_equal(map.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_qemu_layout),
		cmocka_unit_test(test_refuses_malformed),
		cmocka_unit_test(test_reader_error_is_returned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
