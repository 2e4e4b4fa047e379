/* SPDX-License-Identifier: MIT */
/* GUIDs in their on-disk (EFI, mixed-endian) byte order. */
#ifndef CIGVM_GUID_H
#define CIGVM_GUID_H

#include <stdbool.h>
#include <stdint.h>

/* "aabbccdd-eeff-gghh-iijj-kkllmmnnoopp" -> EFI_GUID bytes (first three fields little
 * endian, the rest as written). False on a malformed string. */
bool cigvm_guid_parse(const char *s, uint8_t out[16]);

#endif
