/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from reset (every CPU, EL3, MMU off, running from the secure flash),
 * the copy to secure RAM, the EL3 vectors and the SMC entry/exit.
 */
#define RELEASE_MAGIC	0x51544545	/* "QTEE": secondaries may enter RAM */
#define STACK_SIZE	0x4000
#define MAX_CPUS	8
#define FRAME_SIZE	(32 * 8)

	.section .text.boot, "ax"
	.globl _start
_start:
	/* Only Aff0 numbers CPUs on virt with up to 8 CPUs. */
	mrs	x19, mpidr_el1
	ldr	x1, =0xff00ffff00	/* Aff3, Aff2, Aff1 */
	tst	x19, x1
	b.ne	park
	and	x19, x19, #0xff
	cmp	x19, #MAX_CPUS
	b.hs	park
	cbnz	x19, secondary_flash

	/* Code and data go to secure RAM: the flash is read-only. */
	adr	x1, _start
	ldr	x2, =__image_start
	ldr	x3, =__load_end
1:	ldr	x4, [x1], #8
	str	x4, [x2], #8
	cmp	x2, x3
	b.lo	1b
	ldr	x2, =__bss_start
	ldr	x3, =__bss_end
2:	str	xzr, [x2], #8
	cmp	x2, x3
	b.lo	2b
	ldr	x1, =release_flag
	ldr	w2, =RELEASE_MAGIC
	str	w2, [x1]
	dsb	sy
	sev
	ldr	x0, =ram_entry
	br	x0

secondary_flash:
	/* Wait until the primary has copied the image and cleared .bss. */
	ldr	x1, =release_flag
3:	wfe
	ldr	w2, [x1]
	ldr	w3, =RELEASE_MAGIC
	cmp	w2, w3
	b.ne	3b
	ldr	x0, =ram_entry
	br	x0

park:
	wfi
	b	park
	.ltorg

	.text
ram_entry:
	ldr	x0, =el3_vectors
	msr	vbar_el3, x0
	isb
	mov	x0, x19
	bl	cpu_stack_top
	mov	sp, x0
	mov	x0, x19
	bl	el3_cpu_init
	mov	x0, x19
	cbnz	x19, 4f
	bl	fw_main
4:	bl	secondary_main
	b	park

/* u64 cpu_stack_top(unsigned int cpu) */
	.globl cpu_stack_top
cpu_stack_top:
	ldr	x1, =stacks
	add	x0, x0, #1
	mov	x2, #STACK_SIZE
	madd	x0, x0, x2, x1
	ret

/*
 * void enter_ns(u64 entry, u64 x0, u64 sp): eret to non-secure EL1h at
 * entry with x0 and the EL1 state the boot protocol requires (MMU and
 * caches off), on a fresh EL3 stack so every later SMC starts at its top.
 */
	.globl enter_ns
enter_ns:
	mov	sp, x2
	msr	elr_el3, x0
	mov	x3, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el3, x3
	ldr	x3, =0x30d00800		/* SCTLR_EL1 RES1 bits, MMU off */
	msr	sctlr_el1, x3
	isb
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	eret

	.ltorg

/* Vectors: only an SMC from a lower AArch64 EL is expected. */
	.macro	vec_unexpected n
	.balign	0x80
	mov	x0, #\n
	b	unexpected
	.endm

	.balign	0x800
el3_vectors:
	vec_unexpected 0
	vec_unexpected 1
	vec_unexpected 2
	vec_unexpected 3
	vec_unexpected 4
	vec_unexpected 5
	vec_unexpected 6
	vec_unexpected 7
	.balign	0x80
	b	lower_sync
	vec_unexpected 9
	vec_unexpected 10
	vec_unexpected 11
	vec_unexpected 12
	vec_unexpected 13
	vec_unexpected 14
	vec_unexpected 15

/* Save (stp, str) or restore (ldp, ldr) x0-x30 in the SMC frame. */
	.macro	frame pair, single
	\pair	x0, x1, [sp, #16 * 0]
	\pair	x2, x3, [sp, #16 * 1]
	\pair	x4, x5, [sp, #16 * 2]
	\pair	x6, x7, [sp, #16 * 3]
	\pair	x8, x9, [sp, #16 * 4]
	\pair	x10, x11, [sp, #16 * 5]
	\pair	x12, x13, [sp, #16 * 6]
	\pair	x14, x15, [sp, #16 * 7]
	\pair	x16, x17, [sp, #16 * 8]
	\pair	x18, x19, [sp, #16 * 9]
	\pair	x20, x21, [sp, #16 * 10]
	\pair	x22, x23, [sp, #16 * 11]
	\pair	x24, x25, [sp, #16 * 12]
	\pair	x26, x27, [sp, #16 * 13]
	\pair	x28, x29, [sp, #16 * 14]
	\single	x30, [sp, #16 * 15]
	.endm

lower_sync:
	sub	sp, sp, #FRAME_SIZE
	frame	stp, str
	mrs	x1, esr_el3
	lsr	x1, x1, #26
	cmp	x1, #0x17		/* SMC from AArch64 */
	b.ne	5f
	mov	x0, sp
	bl	smc_dispatch
	/* Restore everything: x4-x17 survive unless an answer uses them. */
	frame	ldp, ldr
	add	sp, sp, #FRAME_SIZE
	eret
5:	mov	x0, #8

unexpected:
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	bl	fw_unexpected
	b	park

	.bss
	.balign	16
stacks:
	.space	STACK_SIZE * MAX_CPUS
	.balign	8
	.globl release_flag
release_flag:
	.space	8
