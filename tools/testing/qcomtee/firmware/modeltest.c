// SPDX-License-Identifier: GPL-2.0
/*
 * At boot, the QTEE model's files as this firmware builds them (the
 * kernel simulator's cbor.c, elf.c, faults.c and heap.c over host_fw.c)
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
	fw_printf("fw: selftest 1..18\n");
	heap_checks();
	cbor_checks();
	elf_checks();
	fault_checks();
	host_checks();
	fw_printf("fw: selftest # model: %u passed, %u failed\n",
		  tests - failed, failed);
}
