/* SPDX-License-Identifier: MIT */
/* igvmtool sign (placeholder until implemented below). */
#include "tool.h"

int cmd_sign(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return tool_error("sign", "not implemented yet");
}
