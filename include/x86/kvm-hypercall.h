/* SPDX-License-Identifier: MIT */
/*
 * KVM paravirtual hypercalls as a guest sees them (freestanding-safe).
 * Source: Linux Documentation/virt/kvm/x86/hypercalls.rst (6.12): "KVM Hypercalls have a
 * three-byte sequence of either the vmcall or the vmmcall instruction"; number in RAX,
 * arguments in RBX, RCX, RDX, RSI; result in RAX. Error values: include/uapi/linux/
 * kvm_para.h (KVM_ENOSYS 1000, others equal to the Linux errno values).
 */
#ifndef X86_KVM_HYPERCALL_H
#define X86_KVM_HYPERCALL_H

#include "x86/const.h"

/* hypercalls.rst section 8: map a GPA range with attributes (a0 gpa, a1 4K pages, a2 attrs). */
#define KVM_HYPERCALL_MAP_GPA_RANGE 12
/* a2 bits 3:0: preferred page size (0 = 4K, 1 = 2M, 2 = 1G); bit 4: encrypted; 63:5 reserved. */
#define KVM_MAP_GPA_PAGE_SZ_4K	    X86_ULL(0)
#define KVM_MAP_GPA_PAGE_SZ_2M	    X86_ULL(1)
#define KVM_MAP_GPA_PAGE_SZ_1G	    X86_ULL(2)
#define KVM_MAP_GPA_ENCRYPTED	    (X86_ULL(1) << 4)
#define KVM_MAP_GPA_RESERVED_MASK   (~X86_ULL(0x1f))

/* Return values (negated in RAX): include/uapi/linux/kvm_para.h. */
#define KVM_HC_ERR_ENOSYS 1000
#define KVM_HC_ERR_EFAULT 14 /* EFAULT */
#define KVM_HC_ERR_EINVAL 22 /* EINVAL */

#endif /* X86_KVM_HYPERCALL_H */
