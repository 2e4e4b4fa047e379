/* SPDX-License-Identifier: MIT */
#ifndef SVSMK_SELFTEST_H
#define SVSMK_SELFTEST_H

/* Quick boot-time checks of every subsystem; prints a summary, returns the failure count. */
int selftest_run(void);

#endif /* SVSMK_SELFTEST_H */
