/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qcomtee test firmware: EL3 monitor for qemu-system-aarch64 -M virt,secure=on.
 * Shared declarations of the firmware's C files.
 */
#ifndef QCOMTEE_FW_H
#define QCOMTEE_FW_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long s64;
typedef int s32;
typedef u64 size_t;

#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
/* __noreturn and __printf() come from the Makefile, as the kernel names them. */

/* The virt machine's map (QEMU 7.2 hw/arm/virt.c). */
#define SECURE_RAM_BASE		0x0e000000UL
#define SECURE_RAM_SIZE		0x01000000UL
#define GICD_BASE		0x08000000UL
#define GICC_BASE		0x08010000UL
#define SECURE_UART_BASE	0x09040000UL
#define SECURE_GPIO_BASE	0x090b0000UL

/* Where the QEMU loader puts the kernel's device tree (README). */
#define NS_DTB_ADDR		0x48000000UL
#define NS_KERNEL_ADDR		0x40200000UL

#define MAX_CPUS		8

/* SMCCC return codes, PSCI error codes. */
#define SMC_UNK			(-1L)
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INVALID_ADDRESS	(-9)

/* The registers an SMC arrives with; the answer is written to x[0..3]. */
struct smc_regs {
	u64 x[31];
	u64 pad;
};

/* The normal world's RAM, from the device tree's /memory node. */
extern u64 ns_ram_base, ns_ram_size;

/*
 * Device registers and memory the normal world shares: single accesses the
 * compiler may neither merge, split nor drop (read32() ... write64()).
 */
#define FW_ACCESSORS(bits, type, ldr, str)				\
static inline type read##bits(u64 addr)					\
{									\
	type v;								\
									\
	asm volatile(ldr : "=r"(v) : "r"(addr) : "memory");		\
	return v;							\
}									\
static inline void write##bits(u64 addr, type v)			\
{									\
	asm volatile(str : : "r"(v), "r"(addr) : "memory");		\
}

FW_ACCESSORS(32, u32, "ldr %w0, [%1]", "str %w0, [%1]")
FW_ACCESSORS(64, u64, "ldr %0, [%1]", "str %0, [%1]")

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) ({ asm volatile("msr " #r ", %0" : : "r"((u64)(v))); })

static inline void isb(void) { asm volatile("isb" ::: "memory"); }
static inline void dsb_sev(void) { asm volatile("dsb sy\n\tsev" ::: "memory"); }
static inline void wfe(void) { asm volatile("wfe" ::: "memory"); }

/* Spinlock on exclusives: QEMU honours them whatever the memory type. */
struct spinlock {
	u32 locked;
};

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);

/* uart.c: one line of the log, built in pieces, then printed whole. */
struct fw_line {
	char buf[320];
	unsigned int len;
};

void uart_init(void);
void fw_add(struct fw_line *l, const char *fmt, ...) __printf(2, 3);
void fw_emit(struct fw_line *l);
void fw_printf(const char *fmt, ...) __printf(1, 2);

/* lib.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int fdt_find_memory(u64 dtb, u64 *base, u64 *size);
int ns_range_ok(u64 addr, u64 size);

/* main.c */
unsigned int cpu_index(void);
void el3_cpu_init(unsigned int cpu);
void fw_unexpected(u64 vector, u64 esr, u64 elr);
__noreturn void fw_main(void);
__noreturn void secondary_main(unsigned int cpu);
__noreturn void fw_fatal(const char *what, u64 a, u64 b);
__noreturn void power_off(void);
__noreturn void power_reset(void);

/* psci.c */
#define PSCI_DO_CPU_OFF		(-1)
#define PSCI_DO_SYSTEM_OFF	(-2)
#define PSCI_DO_SYSTEM_RESET	(-3)
int psci_handle(u32 fid, struct smc_regs *r, const char **name, u64 *key);
__noreturn void cpu_wait_on(unsigned int cpu);
void psci_mark_present(unsigned int cpu, int on);
void psci_report(void);

/* scm.c */
int scm_handle(u32 fid, struct smc_regs *r, const char **name, u64 *key);
void scm_report(void);
int scm_buffer_ok(u64 pa, u64 size);
u32 scm_bridges_live(void);
void scm_reset(void);

/* host_fw.c: the secure heap the QTEE model allocates from. */
void fw_heap_init(void);
size_t fw_heap_free_bytes(void);
void fw_model_report(void);

/* qtee.c */
void qtee_init(void);
void qtee_report(void);
void qtee_abort_range(u64 pa, u64 size);
/* Secure threads: the pool's size, and the slots free now. */
#define FW_THREADS		4
unsigned int qtee_threads_free(void);
void qtee_counts(unsigned int c[4]);
void qtee_reset_counts(void);
int smcinvoke_handle(u32 fid, struct smc_regs *r, const char **name,
		     u64 *key);

/* selftest.c, modeltest.c */
void scm_selftest(void);
void model_selftest(void);

/* smc.c */
void smc_log_report(void);
void smc_dispatch(struct smc_regs *r);

/* switch.S: a secure thread's callee-saved registers, sp and lr. */
struct fw_ctx {
	u64 x19[10];		/* x19-x28 */
	u64 fp, lr, sp;
};

struct qsim_call;

void fw_ctx_switch(struct fw_ctx *save, const struct fw_ctx *load);
void fw_thread_entry(void);
__noreturn void fw_thread_run(struct qsim_call *call);

/* start.S */
__noreturn void enter_ns(u64 entry, u64 x0, u64 sp);
u64 cpu_stack_top(unsigned int cpu);
extern u32 release_flag;

#endif
