// SPDX-License-Identifier: MIT
/*
 * What the guest is given, read from QEMU's fw_cfg device through GHCB IOIO requests
 * (include/qemu/fw-cfg.h): the number of vCPUs (FW_CFG_NB_CPUS, the -smp count; the SVSM
 * has as many CPUs, each serving the guest vCPU with its APIC ID), the RAM that starts at
 * GPA 0 ("etc/e820"), and harness words ("opt/svsm-guest/args"). This is host data, not
 * attested: a wrong value can only make the guest's own requests fail (PVALIDATE of
 * memory that is not there, CREATE_VCPU of an APIC ID that does not exist), which the
 * checks report. Without fw_cfg: one vCPU, RAM unknown (0), no words.
 */
#include <qemu/fw-cfg.h>
#include "guest.h"

#define ARGS_FILE "opt/svsm-guest/args"

struct guest_params params;

static void fw_select(uint16_t key)
{
	(void)ghcb_ioio_out(FW_CFG_PORT_SEL, key, 2);
}

static void fw_read(void *buf, size_t n)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = 0;
		(void)ghcb_ioio_in(FW_CFG_PORT_DATA, 1, &v);
		p[i] = (uint8_t)v;
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* RAM from GPA 0 upwards, following adjacent RAM entries, capped at 4 GiB (the map). */
static uint64_t e820_ram_top(uint16_t select, uint32_t size)
{
	uint8_t e[FW_CFG_E820_ENTRY_SIZE];
	uint64_t top = 0;
	/* Entries need not be sorted: a few passes extend the range from 0. */
	for (int pass = 0; pass < 4; pass++) {
		fw_select(select);
		for (uint32_t off = 0; off + sizeof(e) <= size; off += sizeof(e)) {
			fw_read(e, sizeof(e));
			uint64_t a = le64(e + FW_CFG_E820_OFF_ADDR);
			uint64_t l = le64(e + FW_CFG_E820_OFF_LEN);
			const uint8_t *tp = e + FW_CFG_E820_OFF_TYPE;
			uint32_t t = tp[0] | (uint32_t)tp[1] << 8 | (uint32_t)tp[2] << 16 |
				     (uint32_t)tp[3] << 24;
			if (t == FW_CFG_E820_RAM && a <= top && a + l > top)
				top = a + l;
		}
	}
	return top > 0x100000000ull ? 0x100000000ull : top;
}

void params_init(void)
{
	char sig[4];
	params.nr_cpus = 1;
	fw_select(FW_CFG_SIGNATURE);
	fw_read(sig, sizeof(sig));
	if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
		return;
	uint8_t b[4] = {0};
	fw_select(FW_CFG_NB_CPUS);
	fw_read(b, 2);
	params.fw_cpus = (unsigned int)b[0] | (unsigned int)b[1] << 8;
	params.nr_cpus = params.fw_cpus < 1		   ? 1
			 : params.fw_cpus > GUEST_MAX_CPUS ? GUEST_MAX_CPUS
							   : params.fw_cpus;
	fw_select(FW_CFG_FILE_DIR);
	fw_read(b, 4);
	uint32_t count = be32(b);
	uint16_t e820_sel = 0, args_sel = 0;
	uint32_t e820_size = 0, args_size = 0;
	for (uint32_t i = 0; i < count && i < 256; i++) {
		struct fw_cfg_file f;
		fw_read(&f, sizeof(f));
		f.name[sizeof(f.name) - 1] = 0;
		uint16_t sel = (uint16_t)((f.select & 0xff) << 8 | f.select >> 8);
		uint32_t size = be32((const uint8_t *)&f.size);
		if (str_eq(f.name, FW_CFG_E820_FILE)) {
			e820_sel = sel;
			e820_size = size;
		} else if (str_eq(f.name, ARGS_FILE)) {
			args_sel = sel;
			args_size = size;
		}
	}
	if (e820_sel)
		params.ram_top = e820_ram_top(e820_sel, e820_size);
	if (args_sel) {
		uint32_t n =
			args_size < sizeof(params.args) - 1 ? args_size : sizeof(params.args) - 1;
		fw_select(args_sel);
		fw_read(params.args, n);
		params.args[n] = 0;
	}
}

/* Words are separated by spaces or ':' (one -fw_cfg string=... needs no quoting);
 * "key=value" words carry numbers. */
static bool is_sep(char ch)
{
	return ch == ' ' || ch == ':' || ch == '\n';
}

static const char *find_word(const char *w, bool with_value)
{
	for (const char *p = params.args; *p;) {
		while (is_sep(*p))
			p++;
		const char *a = p, *b = w;
		while (*b && *a == *b) {
			a++;
			b++;
		}
		if (!*b && (with_value ? *a == '=' : (is_sep(*a) || *a == 0)))
			return with_value ? a + 1 : a;
		while (*p && !is_sep(*p))
			p++;
	}
	return NULL;
}

bool arg_flag(const char *word)
{
	return find_word(word, false) != NULL;
}

uint64_t arg_u64(const char *key, uint64_t def)
{
	const char *p = find_word(key, true);
	if (!p || *p < '0' || *p > '9')
		return def;
	uint64_t v = 0;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	return v;
}
