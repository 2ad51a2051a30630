/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: what the QTEE model needs from the world it runs in.
 *
 * The model (model.h and the files that include nothing else: cbor.c,
 * elf.c, faults.c, heap.c, objects.c) is compiled by two hosts: the kernel's
 * simulator (Kbuild, host_linux.h) and the EL3 test firmware
 * (tools/testing/qcomtee/firmware/, whose Makefile defines QSIM_HOST_FW
 * and finds host_fw.h there). The model files never include a kernel or
 * firmware header themselves; what differs between the hosts comes
 * through this interface, one implementation per host:
 *
 * - C helpers under their kernel names, so model code reads as kernel
 *   code: u8..u64, s32, s64, size_t, bool, NULL, ALIGN(), min(), max(),
 *   min_t(), ARRAY_SIZE(), BIT(), U32_MAX, INT_MAX, likely(), READ_ONCE(),
 *   WRITE_ONCE(), container_of(), static_assert(), memcpy(), memmove(),
 *   memset(), memcmp(), get_unaligned_le16/32/64(), put_unaligned_le32(),
 *   and the errno values the model returns (EINVAL, EAGAIN, ENOMEM);
 *   WARN_ON() and WARN_ON_ONCE() are the host's way of logging a broken
 *   model invariant;
 * - host services under qsim_ names, below: a spinning lock, atomics,
 *   memory for the secure heap, reaching a physical address the normal
 *   world passed, and letting time pass.
 *
 * Secure threads (a call that waits for a callback answer while others
 * run) are host services too; they join this interface with the threads
 * of the firmware (issue 13 step 2c).
 */
#ifndef __QCOMTEE_SIM_HOST_H
#define __QCOMTEE_SIM_HOST_H

#ifdef QSIM_HOST_FW
#include "host_fw.h"
#else
#include "host_linux.h"
#endif

/*
 * Each host defines, as types or static inlines:
 *
 * qsim_spinlock_t, qsim_spin_init(), qsim_spin_lock(), qsim_spin_unlock():
 *	a lock held for a few instructions, never across a call out of the
 *	model; it may be taken on any CPU.
 * qsim_atomic_t, qsim_atomic_read(), qsim_atomic_set(), qsim_atomic_inc(),
 *	qsim_atomic_dec(), qsim_atomic_dec_if_positive(): a 32-bit counter
 *	changed without a lock; qsim_mb_before_atomic() orders plain
 *	stores before a later atomic.
 * qsim_atomic64_t, qsim_atomic64_read(), qsim_atomic64_add(): a 64-bit
 *	event counter.
 * qsim_mutex_t, qsim_mutex_init(), qsim_mutex_lock(), qsim_mutex_unlock(),
 *	qsim_mutex_destroy(): a lock that may be held while allocating
 *	(the kernel's mutex; the firmware, which never sleeps, spins).
 * qsim_ref_t, qsim_ref_init(), qsim_ref_get(), qsim_ref_get_unless_zero(),
 *	qsim_ref_put(): a reference count whose last put calls a release
 *	function with the count (the kernel's kref).
 */

/**
 * qsim_host_zalloc() - memory for the secure heap
 * @size: bytes.
 *
 * The model charges every allocation to its own heap accounting
 * (heap.c) first; this is where the bytes come from: the kernel's
 * allocator for the simulator, the firmware's heap in secure RAM.
 *
 * Return: zeroed memory aligned to 16 bytes, or NULL.
 */
void *qsim_host_zalloc(size_t size);

/**
 * qsim_host_free() - give back memory from qsim_host_zalloc()
 * @ptr: the memory, or NULL.
 */
void qsim_host_free(void *ptr);

/**
 * qsim_host_phys() - reach normal-world memory the kernel named by address
 * @pa: physical address from the normal world.
 * @size: bytes, at least 1.
 *
 * Only checks that the range is normal RAM the host can reach (not
 * secure memory, no wrap-around); bridges and alignment are the model's
 * rules, checked by the caller.
 *
 * Return: an address the model can read and write the range at, or NULL.
 */
void *qsim_host_phys(u64 pa, size_t size);

/**
 * qsim_host_delay_ms() - let time pass inside a call
 * @ms: milliseconds.
 *
 * For the delay fault: the caller's CPU stays in the secure world for
 * that long (the kernel's simulator sleeps, the firmware spins on the
 * generic timer).
 */
void qsim_host_delay_ms(unsigned int ms);

#endif /* __QCOMTEE_SIM_HOST_H */
