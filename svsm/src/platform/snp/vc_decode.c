// SPDX-License-Identifier: MIT
/*
 * #VC (vector 29) decode: the error code is the exit code the instruction would have caused
 * (APM vol. 2, 15.35.5 "#VC exception"; exit codes App. C). CPUID, IN/OUT and RDMSR/WRMSR
 * are handled; anything else terminates the guest with a reason. IOIO info is built as in
 * APM vol. 2, 15.10.2 (Figure 15-2): type, size, address size, port.
 */
#include <sev/ghcb.h>
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

static int decode_io(const uint8_t *insn, size_t len, struct vc_op *op)
{
	size_t i = 0;
	unsigned int opsize = 4;
	if (i < len && insn[i] == 0x66) { /* operand-size prefix: 16-bit */
		opsize = 2;
		i++;
	}
	if (i >= len)
		return -EINVAL;
	uint8_t opc = insn[i++];
	uint64_t info = SVM_IOIO_A64; /* 64-bit code: 64-bit address size */
	unsigned int size = (opc & 1) ? opsize : 1;
	switch (opc) {
	case 0xe4: /* IN AL/eAX, imm8 */
	case 0xe5:
	case 0xe6: /* OUT imm8, AL/eAX */
	case 0xe7:
		if (i >= len)
			return -EINVAL;
		info |= (uint64_t)insn[i++] << SVM_IOIO_PORT_SHIFT;
		break;
	case 0xec: /* IN AL/eAX, DX */
	case 0xed:
	case 0xee: /* OUT DX, AL/eAX */
	case 0xef:
		break; /* port from DX, filled in by the handler */
	default:
		return -EINVAL; /* string I/O (INS/OUTS) is not supported */
	}
	if (opc == 0xe4 || opc == 0xe5 || opc == 0xec || opc == 0xed)
		info |= SVM_IOIO_TYPE_IN;
	info |= size == 1 ? SVM_IOIO_SZ8 : size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ32;
	op->action = VC_IOIO;
	op->ioio_info = info;
	op->io_size = size;
	op->insn_len = (unsigned int)i;
	return 0;
}

int vc_decode(uint64_t exit_code, const uint8_t *insn, size_t len, struct vc_op *op)
{
	*op = (struct vc_op){.action = VC_UNSUPPORTED};
	switch (exit_code) {
	case SVM_EXIT_CPUID:
		if (len < 2 || insn[0] != 0x0f || insn[1] != 0xa2)
			return -EINVAL;
		op->action = VC_CPUID;
		op->insn_len = 2;
		return 0;
	case SVM_EXIT_MSR:
		if (len < 2 || insn[0] != 0x0f || (insn[1] != 0x32 && insn[1] != 0x30))
			return -EINVAL;
		op->action = insn[1] == 0x32 ? VC_RDMSR : VC_WRMSR;
		op->insn_len = 2;
		return 0;
	case SVM_EXIT_IOIO:
		return decode_io(insn, len, op);
	case SVM_EXIT_RDTSC: /* RDTSC 0F 31 (the hypervisor may intercept it) */
		if (len < 2 || insn[0] != 0x0f || insn[1] != 0x31)
			return -EINVAL;
		op->action = VC_RDTSC;
		op->insn_len = 2;
		return 0;
	case SVM_EXIT_RDTSCP: /* RDTSCP 0F 01 F9 */
		if (len < 3 || insn[0] != 0x0f || insn[1] != 0x01 || insn[2] != 0xf9)
			return -EINVAL;
		op->action = VC_RDTSCP;
		op->insn_len = 3;
		return 0;
	default:
		return -EINVAL;
	}
}
