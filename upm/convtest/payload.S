/* SPDX-License-Identifier: MIT */
/* The guest payload (build/upm/guest/guest.bin), embedded so the tool is one static file. */
	.section .rodata
	.globl ct_payload, ct_payload_size
	.balign 16
ct_payload:
	.incbin UPM_GUEST_BIN
ct_payload_end:
	.balign 8
ct_payload_size:
	.quad ct_payload_end - ct_payload

	.section .note.GNU-stack, "", @progbits
