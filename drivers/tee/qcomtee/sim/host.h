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
 *   world passed, letting time pass, and secure threads: how a call that
 *   waits for a callback answer while others run is started, run until
 *   it yields, parked and woken (the states are the model's, threads.c).
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
 * struct qsim_host_thread: the host's part of a call (struct qsim_call
 *	in model.h), what it needs to run the call's secure thread.
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

/*
 * Secure threads. A call whose class may call back runs
 * qsim_thread_main() on a secure thread of its own. The SMC side and the
 * thread take turns: one runs while the other waits, and the states they
 * hand over (enum qsim_call_state) are changed under the threads' lock,
 * which neither holds while the other runs.
 */
struct qsim_call;
struct qsim_args;

/**
 * qsim_host_thread_start() - give a call a secure thread
 * @call: the call; its thread is to run qsim_thread_main(@call) when
 *	qsim_host_run() first lets it, and to stop (it may be freed) once
 *	that returns; if it returns true (an orphan) the host frees @call
 *	with qsim_call_free() then.
 *
 * Cannot fail: a host with a bounded number of threads reserves one
 * before it parses the invocation (a busy answer then changes nothing).
 */
void qsim_host_thread_start(struct qsim_call *call);

/**
 * qsim_host_run() - the SMC side: let the call's thread run
 * @call: the call, its state RUNNING (just started) or CB_ANSWERED.
 *
 * Returns once the thread has posted a callback (CB_POSTED) or finished
 * (DONE), on the CPU that called it.
 */
void qsim_host_run(struct qsim_call *call);

/**
 * qsim_host_park() - the thread side: wait for the callback's answer
 * @call: the call, its state CB_POSTED.
 *
 * Hands the CPU back to the SMC side that let the thread run; returns
 * when the state is CB_ANSWERED, possibly on another CPU.
 */
void qsim_host_park(struct qsim_call *call);

/**
 * qsim_host_wake() - the call's state changed under the threads' lock
 * @call: the call (DONE, or an orphan's CB_ANSWERED).
 *
 * Called with the lock held; a host whose waiters sleep wakes them.
 */
void qsim_host_wake(struct qsim_call *call);

/**
 * qsim_host_call_free() - give back the memory of a finished call
 * @call: the call; its thread has stopped.
 */
void qsim_host_call_free(struct qsim_call *call);

/**
 * qsim_host_racer_start() - a callback request is in the outbound buffer
 * @call: the call.
 * @out: the outbound buffer.
 * @args: the request's arguments.
 *
 * For a fault only the kernel host models (a secure-side writer racing
 * the kernel's reads, racer.c); called under the threads' lock.
 */
void qsim_host_racer_start(struct qsim_call *call, u8 *out,
			   const struct qsim_args *args);

/**
 * qsim_host_racer_stop() - the kernel answered, or the call was aborted
 * @call: the call; called under the threads' lock.
 */
void qsim_host_racer_stop(struct qsim_call *call);

/*
 * The test-control service (testsvc.c) asks the host for what only the
 * host has. @sim is the host's instance.
 */
struct qcomtee_sim;

/**
 * qsim_host_stats() - the host's counters of the service's STATS
 * @sim: instance.
 * @v: the QCOMTEE_TESTSVC_STATS_NUM counters, the model's filled in; the
 *	host fills BRIDGES, APPS, LISTENERS, RELEASE_CBS, INVOCATIONS and
 *	RACE_REWRITES (left 0 where it has no such thing).
 */
void qsim_host_stats(struct qcomtee_sim *sim, u64 *v);

/**
 * qsim_host_fault_arm() - the model is about to arm a fault
 * @sim: instance.
 * @fault: enum qcomtee_sim_fault, in range.
 * @count: occurrences.
 *
 * Return: 0, or a negative errno if the host does not fire @fault (it
 * would never happen) or could not start what firing it needs.
 */
int qsim_host_fault_arm(struct qcomtee_sim *sim, unsigned int fault,
			unsigned int count);

/**
 * qsim_host_abort_waiting() - abort every secure thread waiting for CB_RSP
 * @sim: instance.
 *
 * Return: threads aborted (qsim_threads_abort(), then whatever the host
 * does with orphans).
 */
unsigned int qsim_host_abort_waiting(struct qcomtee_sim *sim);

/**
 * qsim_host_unbridged() - whether buffers outside SHM bridges are accepted
 * @sim: instance.
 * @val: 0 or 1; read into when @set is false, applied when it is true.
 * @set: change the setting.
 *
 * Return: 0, or a negative errno if the host has no such setting (or
 * cannot take that value).
 */
int qsim_host_unbridged(struct qcomtee_sim *sim, u32 *val, bool set);

#endif /* __QCOMTEE_SIM_HOST_H */
