/* SPDX-License-Identifier: MIT */
/* Error reporting: status names and the message formatter used by every module. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

int cigvm_fail(struct cigvm_error *err, int status, int64_t header_index, const char *fmt, ...)
{
	if (err) {
		va_list ap;

		err->status = status;
		err->header_index = header_index;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return status;
}

const char *cigvm_status_name(int status)
{
	switch (status) {
	case CIGVM_OK:
		return "ok";
	case CIGVM_ERR_INVALID_ARG:
		return "invalid argument";
	case CIGVM_ERR_IO:
		return "i/o error";
	case CIGVM_ERR_NOMEM:
		return "out of memory";
	case CIGVM_ERR_TRUNCATED:
		return "truncated";
	case CIGVM_ERR_MAGIC:
		return "bad magic";
	case CIGVM_ERR_VERSION:
		return "unsupported version";
	case CIGVM_ERR_CHECKSUM:
		return "bad checksum";
	case CIGVM_ERR_HEADER:
		return "malformed header";
	case CIGVM_ERR_ALIGNMENT:
		return "misaligned";
	case CIGVM_ERR_BOUNDS:
		return "out of bounds";
	case CIGVM_ERR_OVERLAP:
		return "overlap";
	case CIGVM_ERR_MASK:
		return "bad compatibility mask";
	case CIGVM_ERR_ORDER:
		return "header order";
	case CIGVM_ERR_UNSUPPORTED:
		return "unsupported header";
	case CIGVM_ERR_PARAMETER:
		return "bad parameter area";
	case CIGVM_ERR_CRYPTO:
		return "crypto error";
	case CIGVM_ERR_FORMAT:
		return "malformed input";
	default:
		return "unknown error";
	}
}
