// SPDX-License-Identifier: MIT
/* mbpatch IN OUT LOAD_PA: copy an SVSM image, moving its multiboot load address. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mb1_relocate.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s IN OUT LOAD_PA\n", argv[0]);
		return 2;
	}
	char *end;
	unsigned long long pa = strtoull(argv[3], &end, 0);
	if (*end || pa > 0xffffffffULL) {
		fprintf(stderr, "mbpatch: bad load address '%s'\n", argv[3]);
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	static uint8_t buf[4 << 20];
	size_t n = fread(buf, 1, sizeof(buf), in);
	int too_big = !feof(in);
	fclose(in);
	if (too_big) {
		fprintf(stderr, "mbpatch: %s is larger than 4 MiB\n", argv[1]);
		return 1;
	}
	if (mb1_relocate(buf, n, (uint32_t)pa)) {
		fprintf(stderr, "mbpatch: no relocatable multiboot header or bad address %#llx\n",
			pa);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out || fwrite(buf, 1, n, out) != n || fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
