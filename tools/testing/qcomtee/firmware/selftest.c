// SPDX-License-Identifier: GPL-2.0
/*
 * At boot, before the kernel runs, the SCM and SMCINVOKE checks are
 * exercised with the bad arguments Linux never sends: each case must get
 * the error QTEE gives. The secure threads are driven here as a kernel
 * that misbehaves would drive them, on this CPU: parked, refused, busy,
 * answered with an error, answered twice, aborted. Results go to the log
 * as "fw: selftest ok N - ..." lines (TAP for run-fwtests.sh); the SCM
 * state and the threads' counters are reset afterwards.
 */
#include "fw.h"

#define SIP(fn)		(0x42000000U | (fn))
#define SIP32(fn)	(0x02000000U | (fn))
#define FAST(fid)	((fid) | 0x80000000U)
#define IS_CALL_AVAIL	0x601
#define ASSIGN		0xc16
#define ENABLE		0xc1c
#define DELETE		0xc1d
#define CREATE		0xc1e
#define PAGE		0x1000UL

static unsigned int tests, failed;

static u64 call(u32 fid, u64 arginfo, u64 a0, u64 a1, u64 a2, u64 a3,
		u64 *res)
{
	struct smc_regs r = { .x = { fid, arginfo, a0, a1, a2, a3 } };
	const char *name;
	u64 key;

	if (!scm_handle(fid, &r, &name, &key))
		r.x[0] = SMC_UNK;
	if (res) {
		res[0] = r.x[1];
		res[1] = r.x[2];
	}
	return r.x[0];
}

/* SMCINVOKE (qtee.c): x0 the status, x2 the result in *res. */
static u64 tos_call_rt(u32 fn, u64 arginfo, u64 a0, u64 a1, u64 a2, u64 a3,
		       u64 *rtype, u64 *res)
{
	struct smc_regs r = { .x = { 0x72000000U | fn, arginfo, a0, a1, a2,
				     a3 } };
	const char *name;
	u64 key = 0;

	if (!smcinvoke_handle(r.x[0], &r, &name, &key))
		r.x[0] = SMC_UNK;
	if (rtype)
		*rtype = r.x[1];
	if (res)
		*res = r.x[2];
	return r.x[0];
}

static u64 tos_call(u32 fn, u64 arginfo, u64 a0, u64 a1, u64 a2, u64 a3,
		    u64 *res)
{
	return tos_call_rt(fn, arginfo, a0, a1, a2, a3, NULL, res);
}

static void expect(u64 got, s64 want, const char *what)
{
	tests++;
	if (got != (u64)want)
		failed++;
	fw_printf("fw: selftest %sok %u - scm: %s (got %ld)\n",
		  got == (u64)want ? "" : "not ", tests, what, (s64)got);
}

static u64 create(u64 pa, u32 nsp, u64 ipa, u32 sp, u64 size, u64 flags,
		  u64 vmids, u64 *handle)
{
	u64 res[2] = { 0, 0 };
	u64 ret = call(SIP(CREATE), 4, pa | nsp, ipa | sp, size | flags, vmids,
		       res);

	if (handle)
		*handle = res[1];
	return ret;
}

static void zero_page(u64 pa)
{
	u64 i;

	for (i = 0; i < PAGE; i += 8)
		write64(pa + i, 0);
}

/*
 * ROOT op 2 (register as a client) with the kernel's credentials @cred:
 * x0, and the response type in *@rtype.
 */
static u64 invoke_register(u64 in, u64 out, u32 cred, u64 *rtype)
{
	zero_page(in);
	zero_page(out);
	write32(in, 1);			/* ROOT */
	write32(in + 4, 2);
	write32(in + 8, 0x1100);	/* one IO, one OO */
	write32(in + 12, cred);
	return tos_call_rt(0x602, 0x224, in, PAGE, out, PAGE, rtype, NULL);
}

/* @n invocations at @q: inbound page q + 2i, outbound page q + 2i + 1. */
#define TIN(q, i)	((q) + (2 * (i)) * PAGE)
#define TOUT(q, i)	((q) + (2 * (i) + 1) * PAGE)

static void thread_selftest(u64 q)
{
	u64 h = 0, rt = 0, res = 0, one = 1 << 9;
	unsigned int i, c[4];
	int ok;

	create(q, 6, q, 6, 16 * PAGE, one, 3, &h);
	expect(invoke_register(TIN(q, 0), TOUT(q, 0), 0x80000001, &rt) ?: rt,
	       3,
	       "threads: ROOT op 2 calls back: its thread parks, response type 3");
	expect(read32(TOUT(q, 0) + 4) != 0x80000001 ||
	       read32(TOUT(q, 0) + 8) != 0, 0,
	       "threads: the request in the outbound buffer: credentials, getLength");
	expect(invoke_register(TIN(q, 1), TOUT(q, 0), 0x80000001, NULL), -3,
	       "threads: INVOKE on the outbound buffer a thread waits on: invalid address");
	ok = 1;
	for (i = 1; i < FW_THREADS; i++)
		ok &= !invoke_register(TIN(q, i), TOUT(q, i), 0x80000001,
				       &rt) && rt == 3;
	expect(!ok || qtee_threads_free(), 0,
	       "threads: one thread parked per call until the pool is empty");
	expect(invoke_register(TIN(q, FW_THREADS), TOUT(q, FW_THREADS),
			       0x80000001, NULL), -12,
	       "threads: INVOKE with every thread parked: busy (-12)");
	/* Answer the first with an error: ROOT op 2 ends with it. */
	zero_page(TOUT(q, 0));
	write32(TOUT(q, 0), 1);
	expect(tos_call_rt(0x601, 0x22, TOUT(q, 0), PAGE, 0, 0, &rt, &res) ?:
	       rt ?: res, 1,
	       "threads: CB_RSP with ERROR: the call is done, with ERROR");
	expect(qtee_threads_free(), 1, "threads: its slot is free again");
	expect(tos_call(0x601, 0x22, TOUT(q, 0), PAGE, 0, 0, &rt) ?: rt, -96,
	       "threads: CB_RSP for a call that ended: UNAVAIL");
	/* The kernel gives the buffers up: the parked threads are aborted. */
	call(SIP(DELETE), 1, h, 0, 0, 0, NULL);
	expect(qtee_threads_free(), FW_THREADS,
	       "threads: deleting their bridge aborts the parked threads");
	create(q, 6, q, 6, 16 * PAGE, one, 3, &h);
	expect(tos_call(0x601, 0x22, TOUT(q, 1), PAGE, 0, 0, &rt) ?: rt, -96,
	       "threads: CB_RSP for an aborted call: UNAVAIL");
	/* The next return carries what the aborted calls held (object 0). */
	zero_page(TIN(q, 0));
	zero_page(TOUT(q, 0));
	tos_call(0x602, 0x224, TIN(q, 0), PAGE, TOUT(q, 0), PAGE, NULL);
	ok = read32(TOUT(q, 0)) == 0x00010002 &&
	     read32(TOUT(q, 0) + 4) == 0xffff &&
	     read32(TOUT(q, 0) + 12) == 0x80000001;
	expect(ok ? read32(TOUT(q, 0) + 8) : 0, FW_THREADS - 1,
	       "threads: the aborted calls' credentials go out as async RELEASEs");
	qtee_counts(c);
	expect(c[0] | c[1] | c[2] | c[3], 0,
	       "threads: none in flight or waiting, no kernel id held or pending");
	call(SIP(DELETE), 1, h, 0, 0, 0, NULL);
	qtee_reset_counts();
}

void scm_selftest(void)
{
	u64 p = ns_ram_base + ns_ram_size - 0x800000, h, h2 = 0, res[2];
	u64 one = 1 << 9, buf, i;
	u64 handles[130];
	u32 n;

	fw_printf("fw: selftest 1..45\n");
	expect(call(SIP(IS_CALL_AVAIL), 1, SIP32(CREATE), 0, 0, 0, res) ||
	       res[0] != 1, 0, "IS_CALL_AVAIL: bridge create available");
	expect(call(IS_CALL_AVAIL | 0x82000000U, 1, SIP32(0x2404), 0, 0, 0,
		    res) || res[0], 0,
	       "IS_CALL_AVAIL (SMC32): WAITQ_GET_INFO not available");
	expect(call(SIP(0x2404), 0, 0, 0, 0, 0, NULL), SMC_UNK,
	       "a call not provided: unknown function id");
	expect(create(p, 6, p, 6, 4 * PAGE, one, 3, NULL), -4,
	       "create before enable: not supported");
	expect(call(SIP(ENABLE), 1, 0, 0, 0, 0, NULL), -2,
	       "enable with a wrong arginfo: invalid argument");
	expect(call(FAST(SIP(ENABLE)), 0, 0, 0, 0, 0, NULL), 0, "enable");
	expect(create(p, 6, p, 6, 4 * PAGE, one, 3, &h), 0, "create 16 KiB");
	expect(!h, 0, "create returned a handle");
	expect(create(p + 3 * PAGE, 6, p + 3 * PAGE, 6, PAGE, one, 3, NULL),
	       -3, "create overlapping a bridge: invalid address");

	/* SMCINVOKE's buffers, with bridges on and [p, p + 4 pages) one. */
	for (i = 0; i < 4; i++)
		write64(p + 8 * i, 0);
	expect(tos_call(0x602, 0x224, 0, 0, 0, 0, NULL), 0,
	       "SMCINVOKE probe (no buffers): serviced");
	expect(tos_call(0x602, 0x22, p, PAGE, p + PAGE, PAGE, NULL), -2,
	       "INVOKE with a wrong arginfo: invalid argument");
	expect(tos_call(0x602, 0x224, p + 8, PAGE, p + PAGE, PAGE, NULL), -3,
	       "INVOKE of an unaligned buffer: invalid address");
	expect(tos_call(0x602, 0x224, p, PAGE, p + 8 * PAGE, PAGE, NULL), -3,
	       "INVOKE of a buffer outside a bridge: invalid address");
	expect(tos_call(0x602, 0x224, p, 2 * PAGE, p + PAGE, PAGE, NULL), -3,
	       "INVOKE of overlapping buffers: invalid address");
	create(p + 8 * PAGE, 6, p + 8 * PAGE, 4, PAGE, one, 3, &h2);
	expect(tos_call(0x602, 0x224, p, PAGE, p + 8 * PAGE, PAGE, NULL), -3,
	       "INVOKE of a buffer QTEE may only read: invalid address");
	call(SIP(DELETE), 1, h2, 0, 0, 0, NULL);
	expect(tos_call(0x602, 0x224, p, PAGE, p + PAGE, PAGE, res) ?:
	       res[0], -92, "INVOKE of object 0: serviced, BADOBJ");
	expect(tos_call(0x601, 0x22, p + PAGE, PAGE, 0, 0, res) ?: res[0],
	       -96, "CB_RSP no call waits for: serviced, UNAVAIL");
	expect(create(p + 8 * PAGE, 0, p + 8 * PAGE, 6, PAGE, one, 3, NULL),
	       -2, "create without NS permissions: invalid argument");
	expect(create(p + 8 * PAGE, 7, p + 8 * PAGE, 6, PAGE, one, 3, NULL),
	       -2, "create with NS execute permission: invalid argument");
	expect(create(p + 8 * PAGE, 6, p + 9 * PAGE, 6, PAGE, one, 3, NULL),
	       -3, "create with ipa != pa: invalid address");
	expect(create(p + 8 * PAGE, 6, p + 8 * PAGE, 6, 0, one, 3, NULL),
	       -3, "create of 0 bytes: invalid address");
	expect(create(p + 8 * PAGE, 6, p + 8 * PAGE, 6, PAGE, one | 1, 3, NULL),
	       -2, "create with reserved flags: invalid argument");
	expect(create(p + 8 * PAGE, 6, p + 8 * PAGE, 6, PAGE, 0, 3, NULL),
	       -2, "create with no VM: invalid argument");
	expect(create(p + 8 * PAGE, 6, p + 8 * PAGE, 6, PAGE, one, 0x2b, NULL),
	       -2, "create for another VM than HLOS: invalid argument");
	expect(create(SECURE_RAM_BASE, 6, SECURE_RAM_BASE, 6, PAGE, one, 3,
		      NULL), -3, "create over secure RAM: invalid address");
	expect(create(ns_ram_base + ns_ram_size - PAGE, 6,
		      ns_ram_base + ns_ram_size - PAGE, 6, 2 * PAGE, one, 3,
		      NULL), -3, "create past the end of RAM: invalid address");
	expect(call(SIP(DELETE), 1, h + 1000, 0, 0, 0, NULL), -2,
	       "delete of an unknown handle: invalid argument");

	/*
	 * Seven arguments, x5 pointing at the last four: outside a bridge,
	 * then inside one (MP_ASSIGN of a page from HLOS to HLOS + modem).
	 */
	buf = p;
	write64(buf, p + 8 * PAGE);			/* the region */
	write64(buf + 8, PAGE);
	write32(buf + 64, 3);			/* from HLOS */
	for (i = 0; i < 2; i++) {			/* to HLOS, modem */
		write32(buf + 128 + 24 * i, i ? 0xf : 3);
		write32(buf + 132 + 24 * i, 6);
		write64(buf + 136 + 24 * i, 0);
		write64(buf + 144 + 24 * i, 0);
	}
	write64(buf + 256, 4);			/* args 3-6 at x5 */
	write64(buf + 264, buf + 128);
	write64(buf + 272, 48);
	write64(buf + 280, 0);
	expect(call(SIP(ASSIGN), 0x1117, buf, 16, buf + 64, p + 64 * PAGE,
		    NULL), -3, "args in memory outside a bridge: invalid address");
	expect(call(SIP(ASSIGN), 0x1117, buf, 16, buf + 64, buf + 256, NULL),
	       0, "MP_ASSIGN, args in memory in a bridge");
	expect(call(SIP(ASSIGN), 0x1117, buf, 16, buf + 64, buf + 256, NULL),
	       -2, "MP_ASSIGN from VMs that are not the owners: invalid argument");

	/* Fill the table: one bridge is there, the last create fails. */
	for (n = 0; n < ARRAY_SIZE(handles); n++)
		if (create(p + (16 + n) * PAGE, 6, p + (16 + n) * PAGE, 6, PAGE,
			   one, 3, &handles[n]))
			break;
	expect(n, 127, "a full bridge table refuses the 128th bridge");
	while (n--)
		call(SIP(DELETE), 1, handles[n], 0, 0, 0, NULL);
	expect(call(SIP(DELETE), 1, h, 0, 0, 0, NULL), 0, "delete");
	expect(call(SIP(DELETE), 1, h, 0, 0, 0, NULL), -2,
	       "delete twice: invalid argument");

	thread_selftest(p + 256 * PAGE);

	fw_printf("fw: selftest # %u passed, %u failed\n", tests - failed,
		  failed);
	scm_reset();
}
