// SPDX-License-Identifier: GPL-2.0
/*
 * Every SMC the normal world makes comes through smc_dispatch(): routed by
 * its SMCCC owner, answered, counted, and logged on the secure UART with
 * its answer, so a test can list every call the kernel made. Only the
 * first SMC_LOG_REPEATS calls of each (function, key, answer) are logged:
 * a line costs a hundred UART writes, each an exit to QEMU, which would
 * dwarf the call itself in a benchmark; the counts hold them all.
 */
#include "fw.h"

#define OWNER_ARM	0
#define OWNER_SIP	2
#define OWNER_STD	4
#define OWNER_TOS	50

#define SMC_LOG_REPEATS	16

struct call_count {
	u32 fid;
	u64 key, r0, r1;
	const char *name;
	u32 count;
};

static struct call_count counts[64];
static u32 ncounts, nother, ncalls;
static struct spinlock smc_lock;

/* Counts a call; returns how many of its kind there were, 0 if untracked. */
static u32 count(u32 fid, u64 key, const char *name, u64 r0, u64 r1)
{
	struct call_count *c;
	u32 i;

	for (i = 0; i < ncounts; i++) {
		c = &counts[i];
		if (c->fid == fid && c->key == key && c->r0 == r0 && c->r1 == r1)
			return ++c->count;
	}
	if (ncounts == ARRAY_SIZE(counts)) {
		nother++;
		return 0;
	}
	counts[ncounts++] = (struct call_count){ fid, key, r0, r1, name, 1 };
	return 1;
}

void smc_dispatch(struct smc_regs *r)
{
	u64 in[6] = { r->x[0], r->x[1], r->x[2], r->x[3], r->x[4], r->x[5] };
	struct fw_line l = { .len = 0 };
	unsigned int cpu = cpu_index();
	u32 fid = (u32)r->x[0];
	const char *name = "unknown";
	u64 key = 0;
	int ret = 0;
	u32 n, seen;

	switch ((fid >> 24) & 0x3f) {
	case OWNER_ARM:
	case OWNER_STD:
		ret = psci_handle(fid, r, &name, &key);
		break;
	case OWNER_SIP:
		ret = scm_handle(fid, r, &name, &key);
		break;
	case OWNER_TOS:
		ret = smcinvoke_handle(fid, r, &name, &key);
		break;
	}
	/* Unknown function ids: the SMCCC's answer. */
	if (!ret)
		r->x[0] = (fid & 0x40000000) ? SMC_UNK : (u32)SMC_UNK;
	/* Calls that do not return are logged as answered with 0. */
	if (ret < 0)
		r->x[0] = 0;

	spin_lock(&smc_lock);
	n = ++ncalls;
	/*
	 * Only SCM calls answer in x1 (PSCI leaves the caller's x1 there);
	 * SMCINVOKE's result is in x2.
	 */
	seen = count(fid, key, name, r->x[0],
		     ((fid >> 24) & 0x3f) == OWNER_SIP ? r->x[1] :
		     ((fid >> 24) & 0x3f) == OWNER_TOS ? r->x[2] : 0);
	spin_unlock(&smc_lock);
	if (seen <= SMC_LOG_REPEATS) {
		fw_add(&l, "fw: smc #%u cpu%u 0x%08x %s", n, cpu, fid, name);
		fw_add(&l, " x1=0x%lx x2=0x%lx x3=0x%lx x4=0x%lx x5=0x%lx",
		       in[1], in[2], in[3], in[4], in[5]);
		fw_add(&l, " -> x0=0x%lx x1=0x%lx x2=0x%lx x3=0x%lx\n",
		       r->x[0], r->x[1], r->x[2], r->x[3]);
		fw_emit(&l);
	}

	switch (ret) {
	case PSCI_DO_CPU_OFF:
		/* The caller's EL3 frame is abandoned: the CPU restarts. */
		cpu_wait_on(cpu);
	case PSCI_DO_SYSTEM_OFF:
		power_off();
	case PSCI_DO_SYSTEM_RESET:
		power_reset();
	}
}

void smc_log_report(void)
{
	struct call_count *c;
	u32 i;

	spin_lock(&smc_lock);
	fw_printf("fw: summary: %u calls\n", ncalls);
	for (i = 0; i < ncounts; i++) {
		c = &counts[i];
		fw_printf("fw: summary: call 0x%08x %s key=0x%lx -> x0=0x%lx %s=0x%lx count=%u\n",
			  c->fid, c->name, c->key, c->r0,
			  ((c->fid >> 24) & 0x3f) == OWNER_TOS ? "x2" : "x1",
			  c->r1, c->count);
	}
	if (nother)
		fw_printf("fw: summary: %u calls not counted (table full)\n", nother);
	spin_unlock(&smc_lock);
	psci_report();
	scm_report();
}
