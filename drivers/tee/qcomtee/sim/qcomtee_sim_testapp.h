/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface of the simulated QTEE's test app ("qcomtee_test_app").
 *
 * Only #defines here so that kernel tests and userspace selftests can both
 * include this file. All integers are little-endian; "IB"/"OB"/"IO"/"OO"
 * are from the app's point of view, numbered in the order of their class.
 * Unless stated otherwise a wrong argument shape returns 2 (INVALID) and an
 * unknown op returns 2.
 *
 * Load it with the app loader (UID 3) from an image built by
 * qcomtee_sim_build_app_image(QCOMTEE_SIM_TESTAPP_NAME, ...) (kernel) or by
 * hand: an ELF64 little-endian EM_AARCH64 file with one PT_LOAD segment
 * that contains the NUL-terminated metadata string "n=qcomtee_test_app".
 */
#ifndef __QCOMTEE_SIM_TESTAPP_H
#define __QCOMTEE_SIM_TESTAPP_H

#define QTA_NAME			"qcomtee_test_app"

/* op 0 ECHO: IB0 data (0..QTA_DATA_MAX bytes); OB0 >= IB0 size <- the
 * same bytes. IB0 larger -> 3 (SIZE_IN); OB0 too small -> 4 (SIZE_OUT).
 * QTA_DATA_MAX is the largest power of two for which IB0 and OB0 fit in
 * one message together with its header: QTEE takes a message buffer of
 * up to 4 MiB. The app copies both into the secure heap (default 8 MiB).
 */
#define QTA_OP_ECHO			0
#define QTA_DATA_MAX			(1024 * 1024)
/* op 1 INVERT: as ECHO, every byte inverted (~b). */
#define QTA_OP_INVERT			1
/*
 * op 2 CALLBACK: call a kernel object back with every argument kind.
 *   IB0  struct { u32 op; u32 ob_size; u32 num_oo; u32 flags; } (16 bytes);
 *        an op whose low 16 bits are RETAIN or RELEASE is refused (2)
 *   IB1  (optional) data sent as the callback's IB0
 *   IO0  the kernel object to call (NS id)
 *   IO1.. (optional, up to 4) objects passed on as the callback's IO args
 *   OB0  >= 16 bytes <- struct { s32 cb_result; u32 ob_len; u32 oo_count;
 *        u32 oo_ns_mask; } where oo_ns_mask bit i = OO i was a kernel id
 *   OB1  (optional) <- the data of the callback's OB0 (ob_size > 0)
 *   OO0.. (optional, up to num_oo) <- the objects the callback returned
 * With ob_size > 0 the callback gets one OB of that size. num_oo (<= 4) is
 * the number of OO args of the callback. flags:
 *   QTA_CB_NEW_OBJ   also pass a new secure counter object as a last IO
 *                    (the kernel gets one reference to it)
 *   QTA_CB_HOLD_OO   keep the returned objects in hold slots instead of
 *                    returning them in OO (slot numbers from 0 upwards in
 *                    the free slots, reported in oo_ns_mask bits 8..15 as
 *                    the first slot)
 *   QTA_CB_EXPECT_OB the callback must return exactly the IB1 bytes
 *                    inverted in its OB, else the op fails with 1
 *   QTA_CB_RELEASE_HELD release every held object (async) before calling
 *                    back, so the release rides on the callback request
 * The op returns 0 whatever the callback answered; cb_result tells.
 */
#define QTA_OP_CALLBACK			2
#define QTA_CB_NEW_OBJ			0x1
#define QTA_CB_HOLD_OO			0x2
#define QTA_CB_EXPECT_OB		0x4
#define QTA_CB_RELEASE_HELD		0x8
#define QTA_CB_MAX_IO			4
#define QTA_CB_MAX_OO			4
/* op 3 NEW_OBJECT: IB0 (optional) u32 initial value; OO0 <- new secure
 * counter object. Counter ops: 0 GET (OB0 4 bytes <- u32 value), 1 ADD
 * (IB0 u32 delta), plus RELEASE/RETAIN.
 */
#define QTA_OP_NEW_OBJECT		3
#define QTA_COUNTER_OP_GET		0
#define QTA_COUNTER_OP_ADD		1
/* op 4 ACCEPT_OBJECT: IO0 any object; OB0 >= 8 bytes <- struct { u32 kind;
 * u32 value; }: kind QTA_KIND_*, value = counter value for a counter.
 */
#define QTA_OP_ACCEPT_OBJECT		4
#define QTA_KIND_NULL			0
#define QTA_KIND_SECURE			1
#define QTA_KIND_COUNTER		2
#define QTA_KIND_KERNEL			3
/* op 5 HOLD: IO0 object (kernel or secure, not NULL); OB0 4 bytes <- u32
 * slot. The app keeps the reference until RELEASE_HELD or unload.
 * No free slot -> 14.
 */
#define QTA_OP_HOLD			5
#define QTA_HOLD_SLOTS			8
/* op 6 RELEASE_HELD: IB0 struct { u32 slot; u32 mode; } slot
 * QTA_SLOT_ALL = every slot; mode QTA_RELEASE_ASYNC (async message, sent
 * with the next return to the kernel) or QTA_RELEASE_CALLBACK (explicit
 * RELEASE callback request now). Empty slot -> 2.
 */
#define QTA_OP_RELEASE_HELD		6
#define QTA_SLOT_ALL			0xffffffff
#define QTA_RELEASE_ASYNC		0
#define QTA_RELEASE_CALLBACK		1
/* op 7 MEM_READ: IO0 memory object (or no IO: use hold slot IB0.slot);
 * IB0 struct { u64 offset; u32 len; u32 slot; }; OB0 >= len <- bytes read
 * through MAP_REGION. Out of the mapped range -> 10.
 */
#define QTA_OP_MEM_READ			7
/* op 8 MEM_WRITE: IO0 memory object (or hold slot IB0.slot); IB0 struct
 * { u64 offset; u32 slot; u32 pad; }; IB1 data written at offset. A mapping
 * without write permission -> 11.
 */
#define QTA_OP_MEM_WRITE		8
#define QTA_ERR_RANGE			10
#define QTA_ERR_PERM			11
/* op 9 RETURN_ERROR: IB0 s32 code -> returned as the result. */
#define QTA_OP_RETURN_ERROR		9
/* op 10 SLEEP: IB0 u32 milliseconds (capped to QTA_SLEEP_MAX_MS). */
#define QTA_OP_SLEEP			10
#define QTA_SLEEP_MAX_MS		10000
/* op 11 CALLBACK_MANY: IO0 kernel object; IB0 struct { u32 op; u32 count; }
 * (count <= QTA_MANY_MAX; a reserved op is refused as by CALLBACK); each
 * callback gets IB0 u32 index and OB0 4 bytes;
 * OB0 8 bytes <- struct { u32 sum of returned u32; s32 first error }.
 */
#define QTA_OP_CALLBACK_MANY		11
#define QTA_MANY_MAX			1000
/* op 12 INFO: OB0 16 bytes <- struct { u32 uid; u32 privileged; u64 time }
 * taken from the credentials of the client env the app was loaded from.
 */
#define QTA_OP_INFO			12
/* op 13 RETURN_HELD: IB0 u32 slot; OO0 <- the held object (a kernel id is
 * returned without a new reference; a secure id gives one). The slot keeps
 * its reference.
 */
#define QTA_OP_RETURN_HELD		13
/* op 14 LISTENER: make QTEE call a registered listener (UID 87).
 * IB0 u32 listener id; IB1 the request (written at offset 0 of the
 * listener's memory); OB0 <- the first OB0-size bytes of that memory
 * afterwards. Returns what the call returned: 0, the listener's result,
 * -90 DEFUNCT once its file is gone (the registration ends), 10 for an id
 * nobody registered, 3 if IB1 or OB0 is larger than the memory.
 */
#define QTA_OP_LISTENER			14
/* op 15 TABUF_GET: make QTEE ask the TA-buffer provider (UID 268) for an
 * image: IB0 16 raw TEEC_UUID bytes; OB0 <- the first bytes of the memory
 * object it returns. 10 if no provider is registered, 11 if it returned no
 * memory object, else its result.
 */
#define QTA_OP_TABUF_GET		15
/* op 16 TIME: QTEE's secure time source, which asks the time listener
 * (0xB): OB0 16 bytes <- struct { u64 ms (GET_TIME_MS); u32 sec; u32 nsec
 * (GET_UTC_SEC) }. Errors as LISTENER; 1 if the listener reports one.
 */
#define QTA_OP_TIME			16
/* ops 17-20: QTEE's secure storage, records kept through the FS listener
 * (0xA). Names are 1-32 characters of [A-Za-z0-9_-], records at most
 * QTA_STORE_DATA_MAX bytes. 17 PUT: IB0 name, IB1 record. 18 GET: IB0
 * name; OB0 <- the record. 19 DELETE: IB0 name. 20 LIST: OB0 <- the names,
 * each followed by '\n', in the order they were first stored. Errors: 2 a
 * bad name or size, 4 OB0 too small for LIST, QTA_STORE_ERR + errno when
 * the listener's file system call failed (ENOENT: no such record), else as
 * LISTENER.
 */
#define QTA_OP_STORE_PUT		17
#define QTA_OP_STORE_GET		18
#define QTA_OP_STORE_DELETE		19
#define QTA_OP_STORE_LIST		20
#define QTA_STORE_DATA_MAX		4096
#define QTA_STORE_ERR			0x1000

#endif /* __QCOMTEE_SIM_TESTAPP_H */
