// SPDX-License-Identifier: MIT
#include "checks.h"

#include <string.h>

void checks_run_all(struct provider *p, const struct check_options *o, struct host_facts *f,
		    struct check_list *l)
{
	memset(f, 0, sizeof(*f));
	checks_cpu(p, f, l);
	checks_firmware(p, f, l);
	checks_kernel(p, f, o, l);
	checks_userspace(p, o, l);
	checks_memory(p, l);
}
