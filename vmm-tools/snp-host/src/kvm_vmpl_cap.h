/* SPDX-License-Identifier: MIT */
/*
 * The KVM capability our VMPL-aware KVM patches (kvm-patches/) advertise on
 * /dev/kvm through KVM_CHECK_EXTENSION.
 *
 * PLACEHOLDER: set when kvm-patches define it. Until then it is 0, meaning
 * "unknown": snp-host reports the check as UNKNOWN instead of guessing, unless
 * the number is given with --kvm-vmpl-cap=N.
 */
#ifndef SNP_HOST_KVM_VMPL_CAP_H
#define SNP_HOST_KVM_VMPL_CAP_H

#define SNP_HOST_KVM_CAP_VMPL_PLACEHOLDER 0L

#endif
