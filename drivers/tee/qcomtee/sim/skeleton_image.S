/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The real skeleton TA image (smcinvoke_skeleton_ta64.mbn, BSD-3-Clause,
 * see smcinvoke_skeleton_ta64.LICENSE.txt next to it), embedded for the
 * simulator's KUnit tests.
 */
	.section .rodata, "a"
	.balign 8
	.globl qsim_test_skeleton_image
qsim_test_skeleton_image:
	.incbin "smcinvoke_skeleton_ta64.mbn"
	.globl qsim_test_skeleton_image_end
qsim_test_skeleton_image_end:
	.balign 8
