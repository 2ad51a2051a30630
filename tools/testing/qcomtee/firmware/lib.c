// SPDX-License-Identifier: GPL-2.0
/*
 * What the compiler and the firmware need without a libc: memset, memcpy,
 * memmove, memcmp, a spinlock, the normal world's RAM from the device
 * tree, and the bounds check every address from the normal world goes
 * through.
 */
#include "fw.h"

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	while (n--)
		*p++ = (u8)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	const u8 *q = s;
	u8 *p = d;

	while (n--)
		*p++ = *q++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	const u8 *q = s;
	u8 *p = d;

	if (p <= q)
		return memcpy(d, s, n);
	while (n--)
		p[n] = q[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

void spin_lock(struct spinlock *l)
{
	u32 tmp, one = 1;

	asm volatile("	sevl\n"
		     "1:	wfe\n"
		     "	ldaxr	%w0, [%1]\n"
		     "	cbnz	%w0, 1b\n"
		     "	stxr	%w0, %w2, [%1]\n"
		     "	cbnz	%w0, 1b\n"
		     : "=&r"(tmp) : "r"(&l->locked), "r"(one) : "memory");
}

void spin_unlock(struct spinlock *l)
{
	asm volatile("stlr wzr, [%0]\n\tsev" : : "r"(&l->locked) : "memory");
}

/*
 * A normal-world range [addr, addr + size) is usable only if it is inside
 * the normal RAM the device tree describes (which cannot reach secure RAM)
 * and does not wrap.
 */
int ns_range_ok(u64 addr, u64 size)
{
	if (!size || addr + size < addr)
		return 0;
	if (addr < ns_ram_base || addr + size > ns_ram_base + ns_ram_size)
		return 0;
	return !(addr < SECURE_RAM_BASE + SECURE_RAM_SIZE &&
		 addr + size > SECURE_RAM_BASE);
}

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_SIZE	0x100000

static u32 be32(u64 addr)
{
	u32 v = read32(addr);

	return __builtin_bswap32(v);
}

/* Whether the string at s (bounded by end) is name, or name@unit if at. */
static int name_is(u64 s, u64 end, const char *name, int at)
{
	for (; *name; name++, s++)
		if (s >= end || *(const u8 *)s != (u8)*name)
			return 0;
	return s < end && (!*(const u8 *)s || (at && *(const u8 *)s == '@'));
}

/*
 * The reg of the first /memory node (two address and two size cells, as
 * QEMU's virt writes it). The tree is read where the loader put it, every
 * offset bounded by the header's sizes.
 */
int fdt_find_memory(u64 dtb, u64 *base, u64 *size)
{
	u32 total, off_struct, off_strings, size_struct, tok, len, nameoff;
	u64 p, end, strings, name;
	int depth = 0, in_memory = 0;

	if (be32(dtb) != FDT_MAGIC)
		return -1;
	total = be32(dtb + 4);
	off_struct = be32(dtb + 8);
	off_strings = be32(dtb + 12);
	size_struct = be32(dtb + 36);
	if (total > FDT_MAX_SIZE || off_struct > total || off_strings > total ||
	    size_struct > total - off_struct || (off_struct & 3))
		return -1;
	p = dtb + off_struct;
	end = p + size_struct;
	strings = dtb + off_strings;

	while (p + 4 <= end) {
		tok = be32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = p;
			while (p < end && *(const u8 *)p)
				p++;
			if (p >= end)
				return -1;
			depth++;
			if (depth == 2)
				in_memory = name_is(name, p + 1, "memory", 1);
			p = (p + 4) & ~3UL;
			break;
		case FDT_END_NODE:
			if (depth == 2)
				in_memory = 0;
			depth--;
			break;
		case FDT_PROP:
			if (p + 8 > end)
				return -1;
			len = be32(p);
			nameoff = be32(p + 4);
			p += 8;
			if (len > end - p || nameoff >= total - off_strings)
				return -1;
			if (in_memory && len == 16 &&
			    name_is(strings + nameoff, dtb + total, "reg", 0)) {
				*base = (u64)be32(p) << 32 | be32(p + 4);
				*size = (u64)be32(p + 8) << 32 | be32(p + 12);
				return *size ? 0 : -1;
			}
			p = (p + len + 3) & ~3UL;
			break;
		case FDT_NOP:
			break;
		default:
			return -1;
		}
	}
	return -1;
}
