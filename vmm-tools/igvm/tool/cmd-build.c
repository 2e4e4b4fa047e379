/* SPDX-License-Identifier: MIT */
/* igvmtool build (placeholder until implemented below). */
#include "tool.h"

int cmd_build(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return tool_error("build", "not implemented yet");
}
