// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI 1.1 and the SMCCC architecture calls: what Linux needs to find the
 * firmware, bring every CPU up and down, and power the machine off.
 */
#include "fw.h"

#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define TRNG_VERSION		0x84000050
#define PSCI_64(fid)		((fid) | 0x40000000)

enum cpu_state { CPU_ABSENT, CPU_OFF, CPU_ON_PENDING, CPU_ON };

struct cpu {
	u32 state;			/* read by waiting CPUs: atomics */
	u64 entry, context;
	u32 ons, offs;
};

static struct cpu cpus[MAX_CPUS];
static struct spinlock psci_lock;

void psci_mark_present(unsigned int cpu, int on)
{
	spin_lock(&psci_lock);
	cpus[cpu].state = on ? CPU_ON : CPU_OFF;
	spin_unlock(&psci_lock);
}

/* An MPIDR names a CPU of this machine only with Aff1-3 zero. */
static struct cpu *cpu_of(u64 mpidr)
{
	if ((mpidr & 0xff00ffff00UL) || (mpidr & 0xff) >= MAX_CPUS)
		return NULL;
	if (cpus[mpidr & 0xff].state == CPU_ABSENT)
		return NULL;
	return &cpus[mpidr & 0xff];
}

/* A CPU that is off waits here, at EL3, for a CPU_ON naming it. */
void cpu_wait_on(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	u64 entry, context;

	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CPU_ON_PENDING)
		wfe();
	spin_lock(&psci_lock);
	entry = c->entry;
	context = c->context;
	c->state = CPU_ON;
	spin_unlock(&psci_lock);
	enter_ns(entry, context, cpu_stack_top(cpu));
}

static s64 cpu_on(u64 mpidr, u64 entry, u64 context)
{
	struct cpu *c = cpu_of(mpidr);
	s64 ret = PSCI_SUCCESS;

	if (!c)
		return PSCI_INVALID_PARAMS;
	/* The kernel's entry must be normal-world memory. */
	if ((entry & 3) || !ns_range_ok(entry, 4))
		return PSCI_INVALID_ADDRESS;
	spin_lock(&psci_lock);
	if (c->state == CPU_ON) {
		ret = PSCI_ALREADY_ON;
	} else if (c->state == CPU_ON_PENDING) {
		ret = PSCI_ON_PENDING;
	} else {
		c->entry = entry;
		c->context = context;
		c->ons++;
		__atomic_store_n(&c->state, CPU_ON_PENDING, __ATOMIC_RELEASE);
		dsb_sev();
	}
	spin_unlock(&psci_lock);
	return ret;
}

static s64 affinity_info(u64 mpidr, u64 level)
{
	struct cpu *c = cpu_of(mpidr);

	/* Only level 0: there is one cluster and no power domain above it. */
	if (!c || level)
		return PSCI_INVALID_PARAMS;
	switch (c->state) {
	case CPU_ON:
		return 0;
	case CPU_ON_PENDING:
		return 2;
	default:
		return 1;
	}
}

static s64 psci_features(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return 0;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/*
 * Answers the calls of the ARM architecture and standard service owners:
 * returns 1 if answered, 0 if fid is not one of them, or what the caller
 * must do once it has logged the call (PSCI_DO_*).
 */
int psci_handle(u32 fid, struct smc_regs *r, const char **name, u64 *key)
{
	unsigned int cpu = cpu_index();
	u64 mask = (fid & 0x40000000) ? ~0UL : 0xffffffffUL;
	u64 a1 = r->x[1] & mask, a2 = r->x[2] & mask, a3 = r->x[3] & mask;
	s64 ret;

	switch (fid) {
	case SMCCC_VERSION:
		*name = "SMCCC_VERSION";
		ret = 0x10001;			/* 1.1: x4-x17 are preserved */
		break;
	case SMCCC_ARCH_FEATURES:
		*name = "SMCCC_ARCH_FEATURES";
		*key = a1;
		/* No workaround or SoC id call is implemented. */
		ret = (u32)a1 == SMCCC_VERSION ? 0 : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_VERSION:
		*name = "PSCI_VERSION";
		ret = 0x10001;
		break;
	case PSCI_FEATURES:
		*name = "PSCI_FEATURES";
		*key = a1;
		ret = psci_features(a1);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		*name = "PSCI_MIGRATE_INFO_TYPE";
		ret = 2;			/* no trusted OS to migrate */
		break;
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
		*name = "PSCI_CPU_ON";
		*key = a1;
		ret = cpu_on(a1, a2, a3);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
		*name = "PSCI_AFFINITY_INFO";
		*key = a1;
		ret = affinity_info(a1, a2);
		break;
	case PSCI_CPU_OFF:
		*name = "PSCI_CPU_OFF";
		spin_lock(&psci_lock);
		cpus[cpu].state = CPU_OFF;
		cpus[cpu].offs++;
		spin_unlock(&psci_lock);
		return PSCI_DO_CPU_OFF;
	case PSCI_SYSTEM_OFF:
		*name = "PSCI_SYSTEM_OFF";
		return PSCI_DO_SYSTEM_OFF;
	case PSCI_SYSTEM_RESET:
		*name = "PSCI_SYSTEM_RESET";
		return PSCI_DO_SYSTEM_RESET;
	case TRNG_VERSION:
		/* No entropy source to offer. */
		*name = "TRNG_VERSION(not provided)";
		return 0;
	default:
		return 0;
	}
	r->x[0] = (u64)ret & mask;
	return 1;
}

void psci_report(void)
{
	unsigned int i;

	for (i = 0; i < MAX_CPUS; i++)
		if (cpus[i].state != CPU_ABSENT)
			fw_printf("fw: summary: cpu%u state %u cpu_on %u cpu_off %u\n",
				  i, cpus[i].state, cpus[i].ons, cpus[i].offs);
}
