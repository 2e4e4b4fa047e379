/* SPDX-License-Identifier: MIT */
/*
 * KVM_CAP_PLANES: the multi-VMPL ("planes") userspace API our host KVM series
 * adds (kvm-patches/0004-KVM-SEV-Add-VMPL-aware-vCPUs-for-SNP-guests-as-plane.patch,
 * documented in its Documentation/virt/kvm/api.rst sections 4.144, 4.145, 5 and
 * 8.42). Not upstream Linux: the capability and exit numbers lie outside the
 * upstream sequence and the ioctl numbers are unused by upstream as of 6.12, so
 * they are spelled with a KVMP_ prefix to never clash with <linux/kvm.h>.
 * Freestanding-safe: plain numbers only.
 */
#ifndef KVM_PLANES_H
#define KVM_PLANES_H

/*
 * KVM_CHECK_EXTENSION(KVMP_CAP_PLANES): number of planes (VMPLs) a VM can have.
 * On /dev/kvm: 0 on a kernel without the series, 1 with it but no multi-VMPL
 * VM type (no SEV-SNP, or kvm_amd.snp_planes=0), 4 when SNP guests can use
 * VMPL0..3. On a VM fd: the same for that VM's type.
 */
#define KVMP_CAP_PLANES		   1024
#define KVMP_PLANES_MULTI_VMPL_MIN 2

/* ioctls: _IO(KVMIO = 0xAE, nr), i.e. no direction and no size (asm-generic/ioctl.h). */
#define KVMP_CREATE_PLANE      0xaef0 /* VM fd, arg = plane id; returns a plane fd */
#define KVMP_CREATE_VCPU_PLANE 0xaef1 /* plane fd, arg = plane-0 vCPU id; returns 0 */

/* kvm_run exit reason and its cause codes (kvm_run.plane_event). */
#define KVMP_EXIT_PLANE_EVENT	   1024
#define KVMP_PLANE_EVENT_INTERRUPT 1
#define KVMP_PLANE_EVENT_NMI	   2 /* kvm-patches 0005: NMIs routed like interrupts */

/* struct kvm_run byte offsets of the plane fields (formerly padding1[6]). */
#define KVMP_RUN_OFF_PLANE	      2 /* u8, out */
#define KVMP_RUN_OFF_SUSPENDED_PLANES 4 /* u16, out */
#define KVMP_RUN_OFF_REQ_EXIT_PLANES  6 /* u16, in */

/* KVM_SEV_SNP_LAUNCH_UPDATE page type for a userspace VMSA (SNP firmware PAGE_TYPE_VMSA). */
#define KVMP_SEV_SNP_PAGE_TYPE_VMSA 2

#endif /* KVM_PLANES_H */
