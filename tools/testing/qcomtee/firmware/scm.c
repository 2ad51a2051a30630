// SPDX-License-Identifier: GPL-2.0
/*
 * The SCM interface of a Qualcomm TrustZone as Linux 6.12's qcom_scm and
 * qcom_tzmem use it with the SMCCC convention: x0 the function id (SIP
 * owner, service << 8 | command), x1 the arginfo, x2-x5 the first four
 * arguments, or x2-x4 and in x5 the physical address of the rest when there
 * are more; x0 answers the SCM status, x1-x3 the results.
 *
 * SMCINVOKE (the trusted OS owner) is qtee.c's: QTEE's object invocation
 * on the QTEE model shared with the simulator.
 */
#include "fw.h"

#define OWNER_SIP		2
#define OWNER_TOS		50

#define SCM_EOPNOTSUPP		(-4)
#define SCM_EINVAL_ADDR		(-3)
#define SCM_EINVAL_ARG		(-2)
#define SCM_ENOMEM		(-5)

#define SCM_MAX_ARGS		10
#define SCM_REG_ARGS		4
#define SCM_FN(svc, cmd)	((svc) << 8 | (cmd))

#define PERM_RW			6
#define VMID_HLOS		3
#define BRIDGE_VM_SHIFT		9
#define BRIDGE_VMID_BITS	16
#define BRIDGE_MAX_VMS		4
#define MAX_BRIDGES		128
#define PAGE_MASK		0xfffUL

struct scm_call {
	int smc64;
	u64 a[SCM_MAX_ARGS];
	u64 res[3];
	u64 *key;
	u64 gone_pa, gone_size;	/* the bridge a delete removed */
};

struct bridge {
	u64 handle, pa, size;
	u32 ns_perm, s_perm, vmids;
};

static struct bridge bridges[MAX_BRIDGES];
static u32 nbridges;
static u64 next_handle = 0x5b0000000001UL;
static u32 bridges_created, bridges_deleted, bridges_refused;
static int bridges_enabled, sdi_config = -1, dload_mode = -1;
static struct spinlock scm_lock;

static const struct scm_fn *scm_find(u32 fn);

static s64 info_is_call_avail(struct scm_call *c)
{
	u64 q = c->a[0];

	*c->key = q;
	c->res[0] = ((q >> 24) & 0x3f) == OWNER_SIP && !(q >> 30) &&
		    !(q & 0xff0000) && scm_find(q & 0xffff);
	return 0;
}

static s64 boot_sdi_config(struct scm_call *c)
{
	/* args: watchdog debug 0/1, SDI 0/1 */
	if (c->a[0] > 1 || c->a[1] > 1)
		return SCM_EINVAL_ARG;
	sdi_config = (int)(c->a[0] << 1 | c->a[1]);
	return 0;
}

static s64 boot_set_dload_mode(struct scm_call *c)
{
	/* args: the command itself, then the mode: 0 or "full dump" (0x10) */
	if (c->a[0] != 0x10 || (c->a[1] && c->a[1] != 0x10))
		return SCM_EINVAL_ARG;
	dload_mode = (int)c->a[1];
	return 0;
}

static s64 shm_bridge_enable(struct scm_call *c)
{
	bridges_enabled = 1;
	c->res[0] = 0;
	return 0;
}

/* 0 if the NS VMID list of a bridge is valid: HLOS, each VM once. */
static s64 check_vmids(u64 vmids, u32 nvm)
{
	u32 i, vmid, seen = 0;

	if (!nvm || nvm > BRIDGE_MAX_VMS)
		return SCM_EINVAL_ARG;
	if (nvm < BRIDGE_MAX_VMS && (vmids >> (nvm * BRIDGE_VMID_BITS)))
		return SCM_EINVAL_ARG;
	for (i = 0; i < nvm; i++) {
		vmid = (vmids >> (i * BRIDGE_VMID_BITS)) & 0xffff;
		/* The normal world of this machine has one VM. */
		if (vmid != VMID_HLOS || (seen & 1))
			return SCM_EINVAL_ARG;
		seen |= 1;
	}
	return 0;
}

static struct bridge *bridge_covering(u64 pa, u64 size)
{
	u32 i;

	for (i = 0; i < nbridges; i++)
		if (pa >= bridges[i].pa &&
		    pa + size <= bridges[i].pa + bridges[i].size)
			return &bridges[i];
	return NULL;
}

/*
 * A buffer the normal world passes by address for the secure side to read:
 * aligned, in normal-world RAM, and inside a bridge the secure side may
 * read once bridges are on (QTEE refuses unregistered memory then).
 */
static int ns_buf_ok(u64 addr, u64 size, u64 align)
{
	struct bridge *b;

	if ((addr & (align - 1)) || !ns_range_ok(addr, size))
		return 0;
	if (!bridges_enabled)
		return 1;
	b = bridge_covering(addr, size);
	return b && (b->s_perm & 4);
}

/*
 * args: pa | NS permissions, ipa | secure permissions, size | number of NS
 * VMs << 9, the NS VMIDs (16 bits each); results: 0, the handle.
 */
static s64 shm_bridge_create(struct scm_call *c)
{
	u64 pa = c->a[0] & ~PAGE_MASK, ipa = c->a[1] & ~PAGE_MASK;
	u64 size = c->a[2] & ~PAGE_MASK, flags = c->a[2] & PAGE_MASK;
	u32 ns_perm = c->a[0] & PAGE_MASK, s_perm = c->a[1] & PAGE_MASK;
	u32 nvm = flags >> BRIDGE_VM_SHIFT, i;
	struct bridge *b;
	s64 ret;

	if (!bridges_enabled)
		return SCM_EOPNOTSUPP;
	if (!ns_perm || (ns_perm & ~PERM_RW) || !s_perm || (s_perm & ~PERM_RW))
		return SCM_EINVAL_ARG;
	if (flags & (BIT(BRIDGE_VM_SHIFT) - 1))
		return SCM_EINVAL_ARG;
	ret = check_vmids(c->a[3], nvm);
	if (ret)
		return ret;
	/* No stage 2 for HLOS: its intermediate address is the physical one. */
	if (ipa != pa || !ns_range_ok(pa, size))
		return SCM_EINVAL_ADDR;
	for (i = 0; i < nbridges; i++)
		if (pa < bridges[i].pa + bridges[i].size &&
		    pa + size > bridges[i].pa)
			return SCM_EINVAL_ADDR;
	if (nbridges == MAX_BRIDGES)
		return SCM_ENOMEM;

	b = &bridges[nbridges++];
	b->handle = next_handle++;
	b->pa = pa;
	b->size = size;
	b->ns_perm = ns_perm;
	b->s_perm = s_perm;
	b->vmids = (u32)c->a[3];
	bridges_created++;
	c->res[0] = 0;
	c->res[1] = b->handle;
	return 0;
}

static s64 shm_bridge_delete(struct scm_call *c)
{
	u32 i;

	if (!bridges_enabled)
		return SCM_EOPNOTSUPP;
	for (i = 0; i < nbridges; i++) {
		if (bridges[i].handle != c->a[0])
			continue;
		c->gone_pa = bridges[i].pa;
		c->gone_size = bridges[i].size;
		bridges[i] = bridges[--nbridges];
		bridges_deleted++;
		return 0;
	}
	return SCM_EINVAL_ARG;
}

/*
 * Memory ownership (MP_ASSIGN, hyp_assign_phys): who may access a region of
 * normal-world RAM. All of it belongs to HLOS until a call gives a region
 * to other VMs; only whole regions given before can be given again.
 */
#define MAX_REGIONS		16
#define MAX_ASSIGN_VMS		8
#define MAX_ASSIGN_MEMS		4
#define VM_BIT(vmid)		BIT(vmid)

struct region {
	u64 pa, size, owners;
};

static struct region regions[MAX_REGIONS];
static u32 nregions, assigns;

/* The VMs of a Qualcomm SoC a region may be given to (qcom_scm.h). */
static int vmid_known(u32 vmid)
{
	return vmid == VMID_HLOS || vmid == 0xf || vmid == 0x18 ||
	       vmid == 0x19 || vmid == 0x2b;
}

static struct region *region_of(u64 pa, u64 size, s64 *err)
{
	u32 i;

	*err = 0;
	for (i = 0; i < nregions; i++) {
		if (regions[i].pa == pa && regions[i].size == size)
			return &regions[i];
		if (pa < regions[i].pa + regions[i].size &&
		    pa + size > regions[i].pa)
			*err = SCM_EINVAL_ADDR;
	}
	return NULL;
}

static s64 vm_list(u64 addr, u64 size, u64 esz, u64 *mask, int dest)
{
	u64 n = size / esz, i, p;
	u32 vmid, perm;

	if (!n || n > MAX_ASSIGN_VMS || size % esz || !ns_buf_ok(addr, size, 4))
		return SCM_EINVAL_ARG;
	*mask = 0;
	for (i = 0; i < n; i++) {
		p = addr + i * esz;
		vmid = read32(p);
		if (!vmid_known(vmid) || (*mask & VM_BIT(vmid)))
			return SCM_EINVAL_ARG;
		if (dest) {
			/* {vmid, perm, ctx (u64), ctx_size, unused} */
			perm = read32(p + 4);
			if (!perm || (perm & ~7U) || read32(p + 8) ||
			    read32(p + 12) || read32(p + 16))
				return SCM_EINVAL_ARG;
		}
		*mask |= VM_BIT(vmid);
	}
	return 0;
}

/*
 * args: the regions ({u64 pa, u64 size}...) and their size, the current
 * owners (u32 VMIDs) and their size, the new owners ({u32 vmid, u32 perm,
 * u64 ctx, u32 ctx_size, u32 unused}...) and their size, 0.
 */
static s64 mp_assign(struct scm_call *c)
{
	u64 mem[MAX_ASSIGN_MEMS][2], src, dst, owners;
	u64 n = c->a[1] / 16, i;
	struct region *r;
	s64 ret;

	if (!n || n > MAX_ASSIGN_MEMS || c->a[1] % 16 || c->a[6] ||
	    !ns_buf_ok(c->a[0], c->a[1], 8))
		return SCM_EINVAL_ARG;
	ret = vm_list(c->a[2], c->a[3], 4, &src, 0);
	if (!ret)
		ret = vm_list(c->a[4], c->a[5], 24, &dst, 1);
	if (ret)
		return ret;
	/* Check every region before changing any. */
	for (i = 0; i < n; i++) {
		mem[i][0] = read64(c->a[0] + 16 * i);
		mem[i][1] = read64(c->a[0] + 16 * i + 8);
		if ((mem[i][0] | mem[i][1]) & PAGE_MASK ||
		    !ns_range_ok(mem[i][0], mem[i][1]))
			return SCM_EINVAL_ADDR;
		r = region_of(mem[i][0], mem[i][1], &ret);
		if (ret)
			return ret;
		owners = r ? r->owners : VM_BIT(VMID_HLOS);
		if (owners != src)
			return SCM_EINVAL_ARG;
		if (!r && nregions + i >= MAX_REGIONS)
			return SCM_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		r = region_of(mem[i][0], mem[i][1], &ret);
		if (!r) {
			r = &regions[nregions++];
			r->pa = mem[i][0];
			r->size = mem[i][1];
		}
		r->owners = dst;
	}
	assigns++;
	c->res[0] = 0;
	return 0;
}

struct scm_fn {
	u32 fn;
	const char *name;
	u64 arginfo;			/* exactly what Linux sends */
	s64 (*handler)(struct scm_call *c);
};

static const struct scm_fn scm_fns[] = {
	{ SCM_FN(0x06, 0x01), "SCM_INFO_IS_CALL_AVAIL", 1, info_is_call_avail },
	{ SCM_FN(0x01, 0x09), "SCM_BOOT_SDI_CONFIG", 2, boot_sdi_config },
	{ SCM_FN(0x01, 0x10), "SCM_BOOT_SET_DLOAD_MODE", 2, boot_set_dload_mode },
	{ SCM_FN(0x0c, 0x16), "SCM_MP_ASSIGN", 0x1117, mp_assign },
	{ SCM_FN(0x0c, 0x1c), "SCM_MP_SHM_BRIDGE_ENABLE", 0, shm_bridge_enable },
	{ SCM_FN(0x0c, 0x1d), "SCM_MP_SHM_BRIDGE_DELETE", 1, shm_bridge_delete },
	{ SCM_FN(0x0c, 0x1e), "SCM_MP_SHM_BRIDGE_CREATE", 4, shm_bridge_create },
};

static const struct scm_fn *scm_find(u32 fn)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(scm_fns); i++)
		if (scm_fns[i].fn == fn)
			return &scm_fns[i];
	return NULL;
}

/*
 * Arguments beyond the registers: x5 holds the physical address of
 * arguments 3 and up (8 bytes each, 4 with SMC32).
 */
static s64 scm_ext_args(struct scm_call *c, u32 nargs, u64 addr)
{
	u64 esz = c->smc64 ? 8 : 4, n = nargs - (SCM_REG_ARGS - 1), i;

	if (!ns_buf_ok(addr, n * esz, esz))
		return SCM_EINVAL_ADDR;
	for (i = 0; i < n; i++)
		c->a[SCM_REG_ARGS - 1 + i] = c->smc64 ?
			read64(addr + 8 * i) : read32(addr + 4 * i);
	return 0;
}

static s64 scm_call(const struct scm_fn *f, struct scm_call *c,
		    struct smc_regs *r)
{
	u64 mask = c->smc64 ? ~0UL : 0xffffffffUL, arginfo = r->x[1] & mask;
	u32 nargs = arginfo & 0xf, i;
	s64 ret;

	if (nargs > SCM_MAX_ARGS)
		return SCM_EINVAL_ARG;
	for (i = 0; i < SCM_REG_ARGS; i++)
		c->a[i] = r->x[2 + i] & mask;
	if (nargs > SCM_REG_ARGS) {
		ret = scm_ext_args(c, nargs, c->a[SCM_REG_ARGS - 1]);
		if (ret)
			return ret;
	}
	if (arginfo != f->arginfo)
		return SCM_EINVAL_ARG;
	return f->handler(c);
}

/*
 * Calls qcom_scm makes at probe that this TrustZone does not provide:
 * named in the log, answered as unknown function ids.
 */
static const struct {
	u32 fn;
	const char *name;
} scm_absent[] = {
	/* No wait queues: qcom_scm keeps its default count, no IRQ. */
	{ SCM_FN(0x24, 0x04), "SCM_WAITQ_GET_INFO(not provided)" },
};

int scm_handle(u32 fid, struct smc_regs *r, const char **name, u64 *key)
{
	u64 mask = (fid & 0x40000000) ? ~0UL : 0xffffffffUL;
	struct scm_call c = { .smc64 = !!(fid & 0x40000000), .key = key };
	const struct scm_fn *f;
	s64 ret;
	u32 i;

	/* Bits 23:16 of an SMCCC function id are zero. */
	if (fid & 0xff0000)
		return 0;
	f = scm_find(fid & 0xffff);
	if (!f) {
		for (i = 0; i < ARRAY_SIZE(scm_absent); i++)
			if (scm_absent[i].fn == (fid & 0xffff))
				*name = scm_absent[i].name;
		return 0;
	}
	*name = f->name;
	spin_lock(&scm_lock);
	ret = scm_call(f, &c, r);
	if (ret && f->handler == shm_bridge_create)
		bridges_refused++;
	spin_unlock(&scm_lock);
	/* A secure thread waiting on memory the kernel gave up is aborted. */
	if (c.gone_size)
		qtee_abort_range(c.gone_pa, c.gone_size);
	r->x[0] = (u64)ret & mask;
	r->x[1] = c.res[0] & mask;
	r->x[2] = c.res[1] & mask;
	r->x[3] = c.res[2] & mask;
	return 1;
}

/*
 * A buffer of SMCINVOKE (qtee.c), which QTEE reads and writes: in normal
 * RAM and, once bridges are on, inside one the secure side may read and
 * write.
 */
int scm_buffer_ok(u64 pa, u64 size)
{
	struct bridge *b;
	int ok;

	spin_lock(&scm_lock);
	ok = ns_buf_ok(pa, size, 4096);
	if (ok && bridges_enabled) {
		b = bridge_covering(pa, size);
		ok = b && (b->s_perm & PERM_RW) == PERM_RW;
	}
	spin_unlock(&scm_lock);
	return ok;
}

/* Back to the state of a TrustZone no call has reached yet. */
u32 scm_bridges_live(void)
{
	u32 n;

	spin_lock(&scm_lock);
	n = nbridges;
	spin_unlock(&scm_lock);
	return n;
}

void scm_reset(void)
{
	spin_lock(&scm_lock);
	nbridges = 0;
	bridges_enabled = 0;
	bridges_created = 0;
	bridges_deleted = 0;
	bridges_refused = 0;
	nregions = 0;
	assigns = 0;
	spin_unlock(&scm_lock);
}

void scm_report(void)
{
	struct fw_line l = { .len = 0 };
	u32 i;

	spin_lock(&scm_lock);
	fw_add(&l, "fw: summary: shm-bridge enabled=%d live=%u",
	       bridges_enabled, nbridges);
	fw_add(&l, " created=%u deleted=%u refused=%u\n", bridges_created,
	       bridges_deleted, bridges_refused);
	fw_emit(&l);
	for (i = 0; i < nbridges; i++) {
		fw_add(&l, "fw: summary: bridge 0x%lx pa=0x%lx size=0x%lx",
		       bridges[i].handle, bridges[i].pa, bridges[i].size);
		fw_add(&l, " ns-perm=%u s-perm=%u vmids=0x%x\n",
		       bridges[i].ns_perm, bridges[i].s_perm, bridges[i].vmids);
		fw_emit(&l);
	}
	fw_printf("fw: summary: mp-assign calls=%u regions=%u\n", assigns,
		  nregions);
	for (i = 0; i < nregions; i++)
		fw_printf("fw: summary: region pa=0x%lx size=0x%lx owners=0x%lx\n",
			  regions[i].pa, regions[i].size, regions[i].owners);
	fw_printf("fw: summary: sdi-config=%d dload-mode=%d\n", sdi_config,
		  dload_mode);
	spin_unlock(&scm_lock);
}
