/* SPDX-License-Identifier: MIT */
/* igvmtool: shared helpers of the subcommands. */
#ifndef IGVMTOOL_TOOL_H
#define IGVMTOOL_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cigvm.h"

int cmd_dump(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_sign(int argc, char **argv);

/* Print "igvmtool <cmd>: <message>" to stderr; returns 1 (the failure exit code). */
int tool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tool_cigvm_error(const char *cmd, const struct cigvm_error *err);

/* Whole file into memory (malloc'd); NULL with a message on failure. */
uint8_t *tool_read_file(const char *cmd, const char *path, size_t *len);
/* Write a whole file atomically (temporary + rename). 0 on success. */
int tool_write_file(const char *cmd, const char *path, const void *data, size_t len);

/* Parse an unsigned number (0x.. hex or decimal); false on junk or overflow. */
bool tool_parse_u64(const char *s, uint64_t *out);

void tool_hex(const uint8_t *p, size_t n, char *out); /* out: 2n+1 bytes */
/* Hex string of exactly n bytes; false otherwise. */
bool tool_unhex(const char *s, uint8_t *out, size_t n);

/* Print a JSON object to stdout (pretty). */
void tool_print_json(struct json_object *o);

#endif
