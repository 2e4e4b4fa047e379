// SPDX-License-Identifier: MIT
/*
 * Prints the hostile-request table of docs/svsm-protocol.md from the same table the tests
 * run (svsm/src/test/protocol_cases.c); suite 40-svsm-protocol checks the doc against it.
 */
#include <stdio.h>
#include "../src/test/protocol_cases.h"

int main(void)
{
	printf("| call | hostile request | result |\n| --- | --- | --- |\n");
	for (unsigned int i = 0; i < protocol_case_count; i++) {
		const struct protocol_case *pc = &protocol_cases[i];
		printf("| %s | %s | %s", pc->call, pc->what, protocol_result_name(pc->expect));
		if (pc->expect_next > 0)
			printf(", next = %d", pc->expect_next);
		printf(" |\n");
	}
	return 0;
}
