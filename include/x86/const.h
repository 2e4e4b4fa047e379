/* SPDX-License-Identifier: MIT */
/* Integer-constant suffixes that vanish in assembly, so these headers serve .S files too. */
#ifndef X86_CONST_H
#define X86_CONST_H

#ifdef __ASSEMBLER__
#define X86_U(x)   x
#define X86_ULL(x) x
#else
#define X86_U(x)   x##U
#define X86_ULL(x) x##ULL
#endif

#endif /* X86_CONST_H */
