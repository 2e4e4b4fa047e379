// SPDX-License-Identifier: MIT
/* Provider helpers shared by the live and fixture back ends. */
#include "provider.h"

const char *probe_status_name(enum probe_status st)
{
	switch (st) {
	case PROBE_OK:
		return "ok";
	case PROBE_ABSENT:
		return "absent";
	case PROBE_DENIED:
		return "permission denied";
	case PROBE_ERROR:
		return "error";
	}
	return "?";
}

void provider_close(struct provider *p)
{
	if (p->ops && p->ops->destroy)
		p->ops->destroy(p->ctx);
	p->ops = NULL;
	p->ctx = NULL;
}
