/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The real skeleton TA image embedded by skeleton_image.S for the tests
 * (the kernel's KUnit suite and the firmware's boot checks).
 */
#ifndef __QCOMTEE_SIM_SKELETON_IMAGE_H
#define __QCOMTEE_SIM_SKELETON_IMAGE_H

#include "host.h"

extern const u8 qsim_test_skeleton_image[];
extern const u8 qsim_test_skeleton_image_end[];

#endif /* __QCOMTEE_SIM_SKELETON_IMAGE_H */
