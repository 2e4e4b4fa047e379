/* SPDX-License-Identifier: MIT */
#ifndef SVSM_TOOLS_MB1_RELOCATE_H
#define SVSM_TOOLS_MB1_RELOCATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Move the multiboot address fields of an image to a new load address (2 MiB aligned).
 * Returns 0, or -EINVAL (no valid header with address fields, bad alignment, overflow);
 * on error the buffer is unchanged.
 */
int mb1_relocate(uint8_t *image, size_t len, uint32_t new_load);

#endif
