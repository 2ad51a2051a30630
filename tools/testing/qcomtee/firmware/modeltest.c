// SPDX-License-Identifier: GPL-2.0
/*
 * At boot, the QTEE model's files as this firmware builds them (the
 * kernel simulator's cbor.c, elf.c, faults.c, heap.c, objects.c and
 * wire.c over host_fw.c)
 * are run on known inputs: the same answers as in the simulator's KUnit
 * suite show that the one model behaves the same on this host. Results go
 * to the log as "fw: selftest ..." TAP lines with their own plan, like
 * selftest.c's.
 */
#include "model.h"
#include "skeleton_image.h"	/* sim/skeleton_image.S, built here too */

static unsigned int tests, failed;

static void expect(s64 got, s64 want, const char *what)
{
	tests++;
	if (got != want)
		failed++;
	fw_printf("fw: selftest %sok %u - model: %s (got %ld)\n",
		  got == want ? "" : "not ", tests, what, got);
}

static void heap_checks(void)
{
	size_t pool = fw_heap_free_bytes();
	struct qsim_heap h;
	void *a, *b, *c;
	u32 info[6];

	qsim_heap_init(&h, 4096);
	a = qsim_heap_alloc(&h, 100);
	qsim_heap_fill_info(&h, info);
	expect(a && info[1] == 100 && info[3] == 16 && info[4] == 12 &&
	       info[0] == info[1] + info[2] + info[3] + info[4], 1,
	       "heap: 100 bytes are used 100, overhead 16, wasted 12");
	expect(!qsim_heap_alloc(&h, 4096), 1,
	       "heap: more than the heap's total is refused");
	b = qsim_heap_alloc(&h, 3000);
	c = qsim_heap_alloc(&h, 1000);
	expect(b && !c, 1, "heap: a request past the free space is refused");
	qsim_heap_free(&h, a);
	qsim_heap_free(&h, b);
	expect(qsim_heap_in_use(&h), 0, "heap: all freed, nothing in use");
	expect(fw_heap_free_bytes(), pool,
	       "heap: the firmware's secure heap got every byte back");
}

static void cbor_checks(void)
{
	static const u8 uid[] = { 0xa1, 0x01, 0x19, 0x03, 0xe8 };
	static const u8 wide[] = { 0xa2, 0x06, 0x1b, 0, 0, 0, 0, 0, 0, 0x10,
				   0x00, 0x01, 0x1a, 0, 0, 0, 7 };
	static const u8 trailing[] = { 0xa1, 0x01, 0x00, 0x00 };
	static const u8 no_uid[] = { 0xbf, 0x06, 0x01, 0xff };
	struct qsim_cred cred;

	expect(qsim_cbor_parse_cred(uid, sizeof(uid), &cred) ?: (s64)cred.uid,
	       1000, "cbor: {1: 1000} is uid 1000");
	expect(qsim_cbor_parse_cred(wide, sizeof(wide), &cred) ?:
	       (s64)(cred.uid + cred.time), 7 + 0x1000,
	       "cbor: 4- and 8-byte integers, time before uid");
	expect(qsim_cbor_parse_cred(trailing, sizeof(trailing), &cred),
	       -EINVAL, "cbor: trailing bytes are refused");
	expect(qsim_cbor_parse_cred(no_uid, sizeof(no_uid), &cred), -EINVAL,
	       "cbor: an indefinite map without uid is refused");
}

static void elf_checks(void)
{
	size_t size = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	char name[32];

	expect(qsim_elf_app_name(qsim_test_skeleton_image, size, name,
				 sizeof(name)) ?:
	       memcmp(name, "smcinvoke_skeleton_ta64", 24), 0,
	       "elf: the real skeleton TA is smcinvoke_skeleton_ta64");
	expect(qsim_elf_app_name(qsim_test_skeleton_image, 100, name,
				 sizeof(name)), 10,
	       "elf: a truncated image is not a valid buffer (10)");
	expect(qsim_elf_app_name(qsim_test_skeleton_image, size, name, 8), 13,
	       "elf: a name longer than the room is invalid metadata (13)");
}

static void fault_checks(void)
{
	static struct qsim_faults fs;
	int arg = 0, n = 0, hits;

	qsim_faults_clear(&fs);
	expect(qsim_faults_fire(&fs, QCOMTEE_SIM_FAULT_NOSLOTS, NULL), 0,
	       "faults: nothing armed, nothing fires");
	expect(qsim_faults_arm(&fs, QCOMTEE_SIM_FAULT_MAX, 1, 0), -EINVAL,
	       "faults: an unknown fault is refused");
	qsim_faults_arm(&fs, QCOMTEE_SIM_FAULT_CB_BAD_ID, 2, 77);
	while (qsim_faults_fire(&fs, QCOMTEE_SIM_FAULT_CB_BAD_ID, &arg))
		n++;
	hits = qsim_atomic_read(&fs.hits[QCOMTEE_SIM_FAULT_CB_BAD_ID]);
	expect(n * 100 + arg + hits, 200 + 77 + 2,
	       "faults: armed twice with arg 77, fires twice, counted");
	qsim_faults_clear(&fs);
	expect(qsim_atomic_read(&fs.any), 0, "faults: cleared");
}

static struct qsim_heap obj_heap;

static void obj_release(struct qsim_obj *obj)
{
	qsim_heap_free(&obj_heap, obj);
}

/* Op 0 [IB, OB]: the OB gets the IB's bytes reversed. */
static int obj_invoke(struct qsim_obj *obj, struct qsim_call *call, u32 op,
		      struct qsim_args *a)
{
	const u8 *ib = a->ib[0].data;
	u8 *ob = a->ob[0].data;
	size_t i, n;

	if (op || !qsim_shape(a, 1, 1, 0, 0))
		return QSIM_INVALID;
	n = min(a->ib[0].size, a->ob[0].cap);
	for (i = 0; i < n; i++)
		ob[i] = ib[a->ib[0].size - 1 - i];
	a->ob[0].size = n;
	return QSIM_OK;
}

static const struct qsim_class obj_class = {
	.name = "modeltest",
	.invoke = obj_invoke,
	.release = obj_release,
};

static struct qsim_obj *obj_new(struct qsim_core *core)
{
	struct qsim_obj *obj = qsim_heap_alloc(&obj_heap, sizeof(*obj));

	if (obj && qsim_obj_add(core, obj, &obj_class)) {
		qsim_heap_free(&obj_heap, obj);
		obj = NULL;
	}
	return obj;
}

static void object_checks(void)
{
	unsigned int objects, ns_refs, ns_ids, pending;
	static struct qsim_faults fs;
	static struct qsim_core core;
	static struct qsim_obj root;
	struct qsim_obj *o[4];
	u32 ids[4];

	qsim_heap_init(&obj_heap, 4096);
	qsim_faults_clear(&fs);
	root.cls = &obj_class;
	qsim_core_init(&core, NULL, &root, 3, &obj_heap, &fs);
	o[0] = obj_new(&core);
	o[1] = obj_new(&core);
	o[2] = obj_new(&core);
	o[3] = obj_new(&core);
	expect(o[0] && o[1] && o[2] && !o[3] ?
	       o[0]->id * 100 + o[1]->id * 10 + o[2]->id : 0, 234,
	       "objects: ids 2, 3, 4 from 2; a full table refuses the 4th");
	expect(!qsim_obj_from_kernel(&core, 2) &&
	       qsim_obj_kernel_release(&core, 2) == QSIM_BADOBJ, 1,
	       "objects: an id the kernel does not hold is BADOBJ");
	qsim_obj_grant(o[0]);
	qsim_obj_put(o[0]);
	expect(qsim_obj_from_kernel(&core, 2) == o[0], 1,
	       "objects: a granted id resolves");
	qsim_obj_put(o[0]);
	qsim_obj_put(o[1]);
	o[3] = obj_new(&core);
	expect(o[3] ? o[3]->id : 0, 3,
	       "objects: ids are reused cyclically after the last");
	expect(qsim_obj_kernel_release(&core, 2), QSIM_OK,
	       "objects: the kernel's release frees the object");
	expect(!qsim_obj_from_kernel(&core, 2), 1,
	       "objects: a released id names nothing");
	qsim_obj_put(o[2]);
	qsim_obj_put(o[3]);

	qsim_ns_get(&core, 0x80000005);
	qsim_ns_get(&core, 0x80000005);
	qsim_ns_get(&core, 0x80000006);
	qsim_core_counts(&core, &objects, &ns_refs, &ns_ids, &pending);
	expect(ns_refs * 10 + ns_ids, 32,
	       "objects: kernel ids counted per id and in all");
	qsim_ns_put(&core, 0x80000005);
	qsim_ns_drop(&core, 0x80000006);
	expect(qsim_take_pending(&core, ids, 4) == 1 && ids[0] == 0x80000005,
	       1, "objects: a put queues one async release, a drop none");
	qsim_ns_put(&core, 0x80000005);
	qsim_take_pending(&core, ids, 4);
	qsim_core_counts(&core, &objects, &ns_refs, &ns_ids, &pending);
	expect(objects + ns_refs + ns_ids + pending +
	       qsim_heap_in_use(&obj_heap), 0,
	       "objects: nothing left, the heap all free");
	qsim_core_fini(&core);
}

/* An inbound buffer as Linux's qcomtee writes it: header, args, payloads. */
static void wire_msg(u8 *in, u32 cxt, u32 op, u32 counts, const u32 *slots,
		     unsigned int nslots)
{
	unsigned int i;

	memset(in, 0, QSIM_PAGE_SIZE);
	qsim_put32(in, 0, cxt);
	qsim_put32(in, 4, op);
	qsim_put32(in, 8, counts);
	for (i = 0; i < nslots; i++)
		qsim_put32(in, QSIM_IN_HDR + 4 * i, slots[i]);
}

static void wire_checks(void)
{
	static u8 in[QSIM_PAGE_SIZE], out[QSIM_PAGE_SIZE];
	const u32 ok_slots[] = { 32, 5, 40, 8 };
	const u32 bad_slots[] = { 32, 4096, 40, 8 };
	static struct qsim_faults fs;
	static struct qsim_core core;
	static struct qsim_obj root;
	struct qsim_args a = { };
	struct qsim_obj *o, *got;
	u32 op;
	int ret;

	qsim_heap_init(&obj_heap, 16384);
	qsim_faults_clear(&fs);
	root.cls = &obj_class;
	qsim_core_init(&core, NULL, &root, 8, &obj_heap, &fs);
	o = obj_new(&core);
	if (o) {
		qsim_obj_grant(o);
		qsim_obj_put(o);
	}

	wire_msg(in, 2, 0, 0x11, ok_slots, 4);
	memcpy(in + 32, "QTEE!", 5);
	ret = qsim_wire_parse_invoke(&core, in, sizeof(in), &op, &got, &a);
	if (!ret)
		ret = got->cls->invoke(got, NULL, op & QSIM_OP_MASK, &a);
	if (!ret)
		qsim_wire_write_results(&core, in, &a);
	qsim_args_free(&core, &a);
	qsim_obj_put(got);
	expect(ret ?: (s64)qsim_get32(in, 24) * 1000 + memcmp(in + 40, "!EETQ", 5),
	       5000, "wire: IB and OB at their offsets, OB size written back");

	wire_msg(in, 2, 0, 0x11, bad_slots, 4);
	expect(qsim_wire_parse_invoke(&core, in, sizeof(in), &op, &got, &a),
	       QSIM_SIZE_IN, "wire: an IB past the buffer is SIZE_IN");
	wire_msg(in, 2, 0, 0x10011, ok_slots, 4);
	expect(qsim_wire_parse_invoke(&core, in, sizeof(in), &op, &got, &a),
	       QSIM_INVALID, "wire: counts with bits 16-31 are INVALID");
	wire_msg(in, 2, 0, 0xffff, ok_slots, 4);
	expect(qsim_wire_parse_invoke(&core, in, 64, &op, &got, &a),
	       QSIM_MAXARGS, "wire: more args than the buffer holds: MAXARGS");
	wire_msg(in, 9, 0, 0, NULL, 0);
	expect(qsim_wire_parse_invoke(&core, in, sizeof(in), &op, &got, &a),
	       QSIM_BADOBJ, "wire: an id the kernel does not hold: BADOBJ");

	qsim_ns_get(&core, 0x80000007);
	qsim_ns_put(&core, 0x80000007);
	qsim_wire_write_async(&core, out, sizeof(out));
	expect(qsim_get32(out, 0) == QSIM_ASYNC_VERSION &&
	       qsim_get32(out, 4) == QSIM_OP_RELEASE &&
	       qsim_get32(out, 8) == 1 && qsim_get32(out, 12) == 0x80000007 &&
	       !qsim_get32(out, 16), 1,
	       "wire: a dropped kernel id goes out as an async RELEASE");

	wire_msg(in, 2, QSIM_OP_RELEASE, 0, NULL, 0);
	ret = qsim_wire_parse_invoke(&core, in, sizeof(in), &op, &got, &a);
	expect(ret * 10 + !got + qsim_heap_in_use(&obj_heap), 1,
	       "wire: RELEASE of the kernel's handle frees the object");
	qsim_core_fini(&core);
}

static void host_checks(void)
{
	u64 freq = read_sysreg(cntfrq_el0), t0 = read_sysreg(cntpct_el0);

	qsim_host_delay_ms(2);
	expect(read_sysreg(cntpct_el0) - t0 >= freq / 500, 1,
	       "host: a 2 ms delay lasts 2 ms on the generic timer");
	expect(!qsim_host_phys(SECURE_RAM_BASE, 4096) &&
	       qsim_host_phys(ns_ram_base, 4096) == (void *)ns_ram_base, 1,
	       "host: normal RAM is reached, secure RAM never");
}

void model_selftest(void)
{
	fw_printf("fw: selftest 1..34\n");
	heap_checks();
	cbor_checks();
	elf_checks();
	fault_checks();
	object_checks();
	wire_checks();
	host_checks();
	fw_printf("fw: selftest # model: %u passed, %u failed\n",
		  tests - failed, failed);
}
