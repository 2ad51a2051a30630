/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secure threads' context switch (qtee.c). Only what the AAPCS64 makes a
 * callee keep is saved: x19-x28, fp, lr and sp (the firmware is built
 * -mgeneral-regs-only, so no FP/SIMD register is live). Everything runs at
 * EL3 with interrupts masked; a switch is a plain call that returns on
 * the other stack.
 */
#define CTX_FP		(10 * 8)
#define CTX_SP		(12 * 8)

/* Store (stp) or load (ldp) x19-x30 at \base, a struct fw_ctx. */
	.macro	callee_saved op, base
	\op	x19, x20, [\base, #16 * 0]
	\op	x21, x22, [\base, #16 * 1]
	\op	x23, x24, [\base, #16 * 2]
	\op	x25, x26, [\base, #16 * 3]
	\op	x27, x28, [\base, #16 * 4]
	\op	x29, x30, [\base, #CTX_FP]
	.endm

/* void fw_ctx_switch(struct fw_ctx *save, const struct fw_ctx *load) */
	.text
	.globl	fw_ctx_switch
fw_ctx_switch:
	callee_saved stp, x0
	mov	x2, sp
	str	x2, [x0, #CTX_SP]
	callee_saved ldp, x1
	ldr	x2, [x1, #CTX_SP]
	mov	sp, x2
	ret

/*
 * Where a new thread starts (its lr): x19 holds its call, the stack is
 * empty; fw_thread_run() never returns.
 */
	.globl	fw_thread_entry
fw_thread_entry:
	mov	x0, x19
	mov	x29, xzr
	bl	fw_thread_run
1:	b	1b
