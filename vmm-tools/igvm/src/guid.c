/* SPDX-License-Identifier: MIT */
/* Text GUID to EFI_GUID byte order (UEFI spec, EFI_GUID: UINT32, UINT16, UINT16, UINT8[8]). */
#include <string.h>

#include "guid.h"

static int nib(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool cigvm_guid_parse(const char *s, uint8_t out[16])
{
	uint8_t be[16];
	size_t n = 0;

	if (strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			i++;
			continue;
		}
		hi = nib(s[i]);
		lo = nib(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		be[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	out[0] = be[3];
	out[1] = be[2];
	out[2] = be[1];
	out[3] = be[0];
	out[4] = be[5];
	out[5] = be[4];
	out[6] = be[7];
	out[7] = be[6];
	memcpy(out + 8, be + 8, 8);
	return true;
}
