// SPDX-License-Identifier: MIT
/*
 * Busy-wait delays with PIT channel 2 (Intel 8254 data sheet: control word port 0x43,
 * channel 2 data port 0x42, input clock 1.193182 MHz; mode 0 raises OUT at terminal count).
 * The gate and OUT2 status are in port 0x61 (bit 0 gate, bit 1 speaker, bit 5 OUT2), as
 * on the IBM PC/AT.
 */
#include "native.h"
#include "svsmk/arch/cpu.h"

#define PIT_CH2		  0x42
#define PIT_CMD		  0x43
#define PIT_CMD_CH2_MODE0 0xb0 /* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_HZ		  1193182U
#define PORT_B		  0x61
#define PORT_B_GATE2	  0x01
#define PORT_B_SPEAKER	  0x02
#define PORT_B_OUT2	  0x20

static void pit_wait_ticks(uint32_t ticks)
{
	uint8_t b = inb(PORT_B);
	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) & ~PORT_B_GATE2));
	outb(PIT_CMD, PIT_CMD_CH2_MODE0);
	outb(PIT_CH2, (uint8_t)ticks);
	outb(PIT_CH2, (uint8_t)(ticks >> 8));
	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	for (uint32_t i = 0; i < 100000000U && !(inb(PORT_B) & PORT_B_OUT2); i++)
		cpu_relax();
}

void pit_udelay(uint32_t us)
{
	uint64_t ticks = (uint64_t)us * PIT_HZ / 1000000U + 1;
	while (ticks) {
		uint32_t chunk = ticks > 0xffff ? 0xffff : (uint32_t)ticks;
		pit_wait_ticks(chunk);
		ticks -= chunk;
	}
}
