// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: the EL3 state every CPU needs before it runs non-secure Linux, the
 * primary's entry into the kernel, power off and reset.
 */
#include "fw.h"

#define SCR_NS		BIT(0)
#define SCR_RES1	(3UL << 4)
#define SCR_RW		BIT(10)
#define SCR_APK		BIT(16)
#define SCR_API		BIT(17)
#define SCR_ATA		BIT(26)
#define SCR_ENTP2	BIT(41)
#define CPTR_EZ		BIT(8)
#define CPTR_ESM	BIT(12)

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICC_CTLR	0x000
#define GICC_PMR	0x004

#define GPIO_DATA(pin)	(SECURE_GPIO_BASE + 4 * BIT(pin))
#define GPIO_DIR	(SECURE_GPIO_BASE + 0x400)

u64 ns_ram_base, ns_ram_size;

static u64 field(u64 reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

/*
 * Let the normal world use what this CPU implements instead of trapping it
 * to EL3, which would only know to stop: SVE, SME, pointer authentication
 * and MTE tags when present.
 */
static void el3_features(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	u64 isar2 = read_sysreg(S3_0_C0_C6_2);
	u64 scr = SCR_NS | SCR_RES1 | SCR_RW;
	u64 cptr = 0;

	if (field(pfr0, 32))
		cptr |= CPTR_EZ;
	if (field(pfr1, 24)) {
		cptr |= CPTR_ESM;
		scr |= SCR_ENTP2;
	}
	write_sysreg(cptr, cptr_el3);
	isb();
	/* The largest vector lengths; lower ELs choose theirs below it. */
	if (cptr & CPTR_EZ)
		write_sysreg(0xf, S3_6_C1_C2_0);	/* ZCR_EL3 */
	if (cptr & CPTR_ESM)
		write_sysreg(0xf, S3_6_C1_C2_6);	/* SMCR_EL3 */

	if (field(isar1, 4) || field(isar1, 8) || field(isar1, 24) ||
	    field(isar1, 28) || field(isar2, 8) || field(isar2, 12))
		scr |= SCR_API | SCR_APK;
	if (field(pfr1, 8) >= 2)
		scr |= SCR_ATA;
	write_sysreg(scr, scr_el3);
	isb();
}

/*
 * Every interrupt goes to group 1 (the normal world); IGROUPR0 (SGIs and
 * PPIs) is banked, so each CPU sets its own.
 */
static void gic_cpu_init(unsigned int cpu)
{
	u32 lines, i;

	if (!cpu) {
		lines = ((read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;
		for (i = 1; i < lines / 32; i++)
			write32(GICD_BASE + GICD_IGROUPR + 4 * i, ~0U);
		write32(GICD_BASE + GICD_CTLR, 3);
	}
	write32(GICD_BASE + GICD_IGROUPR, ~0U);
	write32(GICC_BASE + GICC_PMR, 0xff);
	write32(GICC_BASE + GICC_CTLR, 3);
}

void el3_cpu_init(unsigned int cpu)
{
	el3_features();
	/* The frequency of virt's system counter; only EL3 may set it. */
	write_sysreg(62500000, cntfrq_el0);
	gic_cpu_init(cpu);
}

unsigned int cpu_index(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static __noreturn void gpio_pulse(unsigned int pin)
{
	write32(GPIO_DIR, read32(GPIO_DIR) | BIT(pin));
	write32(GPIO_DATA(pin), BIT(pin));
	for (;;)
		asm volatile("wfi");
}

void power_off(void)
{
	smc_log_report();
	qtee_report();
	fw_model_report();
	fw_printf("fw: system-off\n");
	gpio_pulse(0);
}

void power_reset(void)
{
	smc_log_report();
	fw_printf("fw: system-reset\n");
	/* Secondaries must wait for the new copy, not run this one. */
	release_flag = 0;
	gpio_pulse(1);
}

void fw_fatal(const char *what, u64 a, u64 b)
{
	fw_printf("fw: FATAL: %s 0x%lx 0x%lx\n", what, a, b);
	power_off();
}

void fw_unexpected(u64 vector, u64 esr, u64 elr)
{
	fw_printf("fw: FATAL: exception vector %lu cpu%u esr 0x%lx elr 0x%lx\n",
		  vector, cpu_index(), esr, elr);
	power_off();
}

void fw_main(void)
{
	uart_init();
	fw_printf("fw: qcomtee test firmware, EL3, secure RAM 0x%lx+0x%lx\n",
		  SECURE_RAM_BASE, SECURE_RAM_SIZE);
	if (fdt_find_memory(NS_DTB_ADDR, &ns_ram_base, &ns_ram_size))
		fw_fatal("no usable device tree with /memory at", NS_DTB_ADDR, 0);
	fw_printf("fw: normal RAM 0x%lx+0x%lx, kernel 0x%lx, dtb 0x%lx\n",
		  ns_ram_base, ns_ram_size, NS_KERNEL_ADDR, NS_DTB_ADDR);
	if (!ns_range_ok(NS_KERNEL_ADDR, 4096))
		fw_fatal("kernel outside normal RAM", NS_KERNEL_ADDR, 0);
	fw_heap_init();
	qtee_init();
	scm_selftest();
	model_selftest();
	psci_mark_present(0, 1);
	fw_printf("fw: entering the kernel on cpu0\n");
	enter_ns(NS_KERNEL_ADDR, NS_DTB_ADDR, cpu_stack_top(0));
}

void secondary_main(unsigned int cpu)
{
	psci_mark_present(cpu, 0);
	cpu_wait_on(cpu);
}
