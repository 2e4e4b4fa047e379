/* SPDX-License-Identifier: MIT */
/*
 * Where build.sh places the pages of snp-guest.igvm (igvmtool build) and
 * where the guest finds them when it starts from that file: test-guest
 * choices below 640 KiB, not ABI. build.sh reads these numbers with the C
 * preprocessor, so this header is the only copy.
 */
#ifndef SNP_GUEST_IGVM_LAYOUT_H
#define SNP_GUEST_IGVM_LAYOUT_H

#define SNP_GUEST_IGVM_CMDLINE_GPA 0x8000 /* NUL-terminated "key=value ..." */
#define SNP_GUEST_IGVM_SECRETS_GPA 0x9000 /* SNP secrets page */
#define SNP_GUEST_IGVM_CPUID_GPA   0xa000 /* SNP CPUID page */
#define SNP_GUEST_IGVM_PARAM_GPA   0xb000 /* VP count + environment info, memory map */

#endif
