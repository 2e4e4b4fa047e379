/* SPDX-License-Identifier: MIT */
/*
 * snp-guest layout shared by entry.S and guest.c: our GDT selectors (the
 * table is built by guest.c) and the software interrupt a CPL-3 test uses to
 * come back to CPL 0. Test-guest choices, not ABI.
 */
#ifndef SNP_GUEST_H
#define SNP_GUEST_H

#define KERNEL_CS   0x08
#define KERNEL_DS   0x10
#define USER_CS	    0x1b /* GDT index 3, RPL 3 */
#define USER_DS	    0x23 /* GDT index 4, RPL 3 */
#define TSS_SEL	    0x28
#define GDT_ENTRIES 6

#define USER_RETURN_VECTOR 0x81

#endif
