/* SPDX-License-Identifier: MIT */
/* Console: printk with log levels over the platform's console transport. */
#ifndef SVSMK_CONSOLE_H
#define SVSMK_CONSOLE_H

#include "svsmk/compiler.h"

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void console_write(const char *s, size_t len);
void console_set_level(enum log_level level);
/* printk: unconditional output. The whole line is written under the console lock. */
void printk(const char *fmt, ...) __printf(1, 2);
void log_msg(enum log_level level, const char *fmt, ...) __printf(2, 3);
/* Used by the panic path: output without taking the console lock. */
void printk_unlocked(const char *fmt, ...) __printf(1, 2);

#define pr_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* SVSMK_CONSOLE_H */
