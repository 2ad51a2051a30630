// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: TA image validation and the test image builder.
 *
 * The simulator does not run TA code. It checks that an image is a sane
 * little-endian ELF file (ELFCLASS64 EM_AARCH64 or ELFCLASS32 EM_ARM, both
 * occur in real images) whose program headers and segments stay inside it,
 * then finds the TA metadata the way real images carry it (minkipc.md
 * section 4):
 *
 * 1. the metadata segment is the one PT_LOAD whose MBN segment-type field
 *    (p_flags bits 24-26) is 4; real images have exactly one, with p_flags
 *    0x04000006;
 * 2. its file bytes end with a fixed 16-byte trailer;
 * 3. the metadata string is the NUL-terminated string just before the
 *    trailer: "key=value(;key=value)*" with single-character keys, e.g.
 *    "B=true;n=smcinvoke_skeleton_ta64;p=...". Entries with an empty key
 *    are skipped, as MinkIPC's MDScan does.
 *
 * The "n" field names the built-in implementation that stands in for the
 * image. Nothing else in the image is looked at: executable segments and
 * the hash segment hold "x=y" strings too (printf formats, certificates),
 * which is why no other segment may be searched.
 */

#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "sim.h"

#define QSIM_LOAD_ERR_BUFFER	10
#define QSIM_LOAD_ERR_METADATA	13
#define QSIM_LOAD_ERR_NO_NAME	15

#define QSIM_EHDR64_SIZE	64
#define QSIM_PHDR64_SIZE	56
#define QSIM_EHDR32_SIZE	52
#define QSIM_PHDR32_SIZE	32
#define QSIM_MAX_PHNUM		64

/* MBN segment type in p_flags: 2 hash, 4 metadata ("L4BSP"), 7 phdr. */
#define QSIM_PF_MBN_MASK	0x07000000u
#define QSIM_PF_MBN_HASH	0x02000000u
#define QSIM_PF_MBN_META	0x04000000u
#define QSIM_META_FLAGS		(QSIM_PF_MBN_META | PF_R | PF_W)

/* The trailer ending every real metadata segment (15 characters + NUL). */
static const u8 qsim_meta_trailer[16] = "obL$`P*8L)~s3L}";

/* A program header of either class, decoded. */
struct qsim_phdr {
	u32 type;
	u32 flags;
	u64 offset;
	u64 filesz;
};

static void qsim_read_phdr(const u8 *ph, bool elf32, struct qsim_phdr *h)
{
	h->type = get_unaligned_le32(ph);
	if (elf32) {
		h->offset = get_unaligned_le32(ph + 4);
		h->filesz = get_unaligned_le32(ph + 16);
		h->flags = get_unaligned_le32(ph + 24);
	} else {
		h->flags = get_unaligned_le32(ph + 4);
		h->offset = get_unaligned_le64(ph + 8);
		h->filesz = get_unaligned_le64(ph + 32);
	}
}

/*
 * Parse metadata string [s, s + len) and copy the value of its "n" entry
 * into @name. Return 0, 13 (malformed, or the name does not fit) or 15.
 */
static int qsim_meta_name(const char *s, size_t len, char *name,
			  size_t name_size)
{
	size_t i, start, eq, vlen;
	bool found = false;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return QSIM_LOAD_ERR_METADATA;

	for (i = 0; i < len; i++) {
		start = i;
		eq = len;
		while (i < len && s[i] != ';') {
			if (s[i] == '=' && eq == len)
				eq = i;
			i++;
		}
		if (i == start)
			continue;		/* empty entry */
		if (eq == len)
			return QSIM_LOAD_ERR_METADATA;	/* no '=' */
		if (eq == start)
			continue;		/* empty key: skipped */
		/* [I] real keys are single characters; anything else is bad. */
		if (eq - start != 1)
			return QSIM_LOAD_ERR_METADATA;
		if (s[start] != 'n' || found)
			continue;		/* the first n= counts */
		vlen = i - eq - 1;
		if (!vlen)
			continue;		/* "n=" names nothing */
		if (vlen >= name_size)
			return QSIM_LOAD_ERR_METADATA;
		memcpy(name, s + eq + 1, vlen);
		name[vlen] = '\0';
		found = true;
	}

	return found ? 0 : QSIM_LOAD_ERR_NO_NAME;
}

/* The metadata string of metadata segment [seg, seg + len). */
static int qsim_meta_segment(const u8 *seg, u64 len, char *name,
			     size_t name_size)
{
	u64 end, start;

	/* At least the trailer and the NUL of a non-empty string before it. */
	if (len < sizeof(qsim_meta_trailer) + 2)
		return QSIM_LOAD_ERR_METADATA;
	end = len - sizeof(qsim_meta_trailer);
	if (memcmp(seg + end, qsim_meta_trailer, sizeof(qsim_meta_trailer)))
		return QSIM_LOAD_ERR_METADATA;
	if (seg[end - 1])
		return QSIM_LOAD_ERR_METADATA;
	end--;				/* the string's NUL */
	start = end;
	while (start && seg[start - 1])
		start--;
	if (start == end)
		return QSIM_LOAD_ERR_METADATA;

	return qsim_meta_name((const char *)seg + start, end - start, name,
			      name_size);
}

/**
 * qsim_elf_app_name() - validate a TA image and find its app name
 * @image: the image bytes.
 * @size: their length.
 * @name: receives the NUL-terminated name.
 * @name_size: room in @name.
 *
 * Return: 0, or an app-loader error code: 10 not a valid little-endian
 * AArch64 ELF64 or ARM ELF32 image (or a program header or segment out of
 * the image); 13 METADATA_INVALID: no metadata segment or more than one,
 * no trailer, no string before it, a malformed string or a name too long;
 * 15 NO_NAME_IN_METADATA: a well-formed string without a non-empty "n".
 */
int qsim_elf_app_name(const void *image, size_t size, char *name,
		      size_t name_size)
{
	const u8 *p = image, *meta = NULL;
	unsigned int i, phnum, phentsize;
	struct qsim_phdr h;
	u64 phoff, meta_len = 0;
	bool elf32;

	if (size < QSIM_EHDR64_SIZE || memcmp(p, ELFMAG, SELFMAG) ||
	    p[EI_DATA] != ELFDATA2LSB || p[EI_VERSION] != EV_CURRENT)
		return QSIM_LOAD_ERR_BUFFER;
	if (p[EI_CLASS] == ELFCLASS64 &&
	    get_unaligned_le16(p + 18) == EM_AARCH64) {
		elf32 = false;
		phoff = get_unaligned_le64(p + 32);
		phentsize = get_unaligned_le16(p + 54);
		phnum = get_unaligned_le16(p + 56);
	} else if (p[EI_CLASS] == ELFCLASS32 &&
		   get_unaligned_le16(p + 18) == EM_ARM) {
		elf32 = true;
		phoff = get_unaligned_le32(p + 28);
		phentsize = get_unaligned_le16(p + 42);
		phnum = get_unaligned_le16(p + 44);
	} else {
		return QSIM_LOAD_ERR_BUFFER;
	}
	if (!phnum || phnum > QSIM_MAX_PHNUM ||
	    phentsize != (elf32 ? QSIM_PHDR32_SIZE : QSIM_PHDR64_SIZE) ||
	    phoff > size || (u64)phnum * phentsize > size - phoff)
		return QSIM_LOAD_ERR_BUFFER;

	for (i = 0; i < phnum; i++) {
		qsim_read_phdr(p + phoff + (u64)i * phentsize, elf32, &h);
		if (h.offset > size || h.filesz > size - h.offset)
			return QSIM_LOAD_ERR_BUFFER;
		if (h.type != PT_LOAD ||
		    (h.flags & QSIM_PF_MBN_MASK) != QSIM_PF_MBN_META)
			continue;
		if (meta)
			return QSIM_LOAD_ERR_METADATA;	/* ambiguous */
		meta = p + h.offset;
		meta_len = h.filesz;
	}
	if (!meta)
		return QSIM_LOAD_ERR_METADATA;

	return qsim_meta_segment(meta, meta_len, name, name_size);
}

/* Image builder. */

struct qsim_img {
	u8 *p;		/* NULL: only measure */
	size_t pos;
	bool elf32;
	unsigned int nph;
};

static void qsim_img_put(struct qsim_img *img, const void *data, size_t len)
{
	if (img->p && len)
		memcpy(img->p + img->pos, data, len);
	img->pos += len;
}

static void qsim_img_align(struct qsim_img *img, size_t align)
{
	size_t n = ALIGN(img->pos, align) - img->pos;

	if (img->p)
		memset(img->p + img->pos, 0, n);
	img->pos += n;
}

/* Write program header @i for the bytes [off, img->pos). */
static void qsim_img_phdr(struct qsim_img *img, unsigned int i, u32 type,
			  u32 flags, size_t off)
{
	size_t len = img->pos - off;
	u8 *ph;

	if (!img->p)
		return;
	if (img->elf32) {
		ph = img->p + QSIM_EHDR32_SIZE + i * QSIM_PHDR32_SIZE;
		put_unaligned_le32(type, ph);
		put_unaligned_le32(off, ph + 4);
		put_unaligned_le32(0x1000 * (i + 1), ph + 8);	/* p_vaddr */
		put_unaligned_le32(0x1000 * (i + 1), ph + 12);	/* p_paddr */
		put_unaligned_le32(len, ph + 16);
		put_unaligned_le32(len, ph + 20);
		put_unaligned_le32(flags, ph + 24);
		put_unaligned_le32(8, ph + 28);
	} else {
		ph = img->p + QSIM_EHDR64_SIZE + i * QSIM_PHDR64_SIZE;
		put_unaligned_le32(type, ph);
		put_unaligned_le32(flags, ph + 4);
		put_unaligned_le64(off, ph + 8);
		put_unaligned_le64(0x1000 * (i + 1), ph + 16);
		put_unaligned_le64(0x1000 * (i + 1), ph + 24);
		put_unaligned_le64(len, ph + 32);
		put_unaligned_le64(len, ph + 40);
		put_unaligned_le64(8, ph + 48);
	}
}

static void qsim_img_ehdr(struct qsim_img *img)
{
	u8 *p = img->p;

	if (!p)
		return;
	memcpy(p, ELFMAG, SELFMAG);
	p[EI_CLASS] = img->elf32 ? ELFCLASS32 : ELFCLASS64;
	p[EI_DATA] = ELFDATA2LSB;
	p[EI_VERSION] = EV_CURRENT;
	put_unaligned_le16(ET_EXEC, p + 16);
	put_unaligned_le32(EV_CURRENT, p + 20);
	if (img->elf32) {
		put_unaligned_le16(EM_ARM, p + 18);
		put_unaligned_le32(QSIM_EHDR32_SIZE, p + 28);	/* e_phoff */
		put_unaligned_le16(QSIM_EHDR32_SIZE, p + 40);	/* e_ehsize */
		put_unaligned_le16(QSIM_PHDR32_SIZE, p + 42);
		put_unaligned_le16(img->nph, p + 44);
		put_unaligned_le16(40, p + 46);		/* e_shentsize */
	} else {
		put_unaligned_le16(EM_AARCH64, p + 18);
		put_unaligned_le64(QSIM_EHDR64_SIZE, p + 32);
		put_unaligned_le16(QSIM_EHDR64_SIZE, p + 52);
		put_unaligned_le16(QSIM_PHDR64_SIZE, p + 54);
		put_unaligned_le16(img->nph, p + 56);
		put_unaligned_le16(64, p + 58);
	}
}

/* The hash segment of a real image is signature data: "=" bytes too. */
static const u8 qsim_hash_seg[] = "\x30\x82=\x01n=qcomtee_decoy;x=1";

/**
 * qcomtee_sim_build_image() - build a TA image shaped like a real one
 * @spec: what to put in it.
 * @buf: where to build it, or NULL to only compute the size.
 * @size: room in @buf.
 *
 * Segments, in order: an optional hash segment (p_type PT_NULL, MBN type
 * 2), an optional executable PT_LOAD holding @spec->code, and the metadata
 * segments (PT_LOAD, p_flags 0x04000006): NUL-separated strings (app name,
 * "1.0", "None"), a table (sixteen 0xff bytes, then sizes), the metadata
 * string, its NUL and the trailer, as real images have them.
 *
 * Return: the image size, or -ENOSPC if @buf is too small, -EINVAL for a
 * spec asking for more segments than an image can hold.
 */
ssize_t qcomtee_sim_build_image(const struct qcomtee_sim_image *spec,
				void *buf, size_t size)
{
	/* Sixteen 0xff bytes, then sizes (0x1000, 0x3c) as real tables. */
	static const u8 table[32] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x3c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	unsigned int i, nmeta = spec->meta ? max(spec->meta_segments, 1u) : 0;
	struct qsim_img img = { .elf32 = spec->elf32 };
	size_t off;
	int pass;

	img.nph = !!spec->hash + !!spec->code + nmeta;
	if (!img.nph || img.nph > 8)
		return -EINVAL;
	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			if (!buf)
				return img.pos;
			if (size < img.pos)
				return -ENOSPC;
			memset(buf, 0, img.pos);
			img.p = buf;
		}
		img.pos = (spec->elf32 ? QSIM_EHDR32_SIZE + QSIM_PHDR32_SIZE *
			   img.nph : QSIM_EHDR64_SIZE + QSIM_PHDR64_SIZE *
			   img.nph);
		qsim_img_ehdr(&img);
		i = 0;
		if (spec->hash) {
			off = img.pos;
			qsim_img_put(&img, qsim_hash_seg, sizeof(qsim_hash_seg));
			qsim_img_phdr(&img, i++, PT_NULL, QSIM_PF_MBN_HASH, off);
			qsim_img_align(&img, 8);
		}
		if (spec->code) {
			off = img.pos;
			qsim_img_put(&img, spec->code, strlen(spec->code) + 1);
			qsim_img_phdr(&img, i++, PT_LOAD, PF_R | PF_X, off);
			qsim_img_align(&img, 8);
		}
		for (; i < img.nph; i++) {
			off = img.pos;
			qsim_img_put(&img, spec->strings ?: "", spec->strings ?
				     strlen(spec->strings) + 1 : 1);
			qsim_img_put(&img, "1.0\0None", 9);
			qsim_img_align(&img, 8);
			qsim_img_put(&img, table, sizeof(table));
			qsim_img_put(&img, spec->meta, strlen(spec->meta) + 1);
			if (!spec->no_trailer)
				qsim_img_put(&img, qsim_meta_trailer,
					     sizeof(qsim_meta_trailer));
			qsim_img_phdr(&img, i, PT_LOAD, QSIM_META_FLAGS, off);
			qsim_img_align(&img, 8);
		}
	}

	return img.pos;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_build_image);

/**
 * qcomtee_sim_build_app_image() - build a TA image for a built-in app
 * @name: app name for the metadata "n=" field; NULL builds the test app
 *	(QCOMTEE_SIM_TESTAPP_NAME); "" builds metadata without a name.
 * @buf: where to build it, or NULL to only compute the size.
 * @size: room in @buf.
 *
 * The image is a little-endian ELF64 EM_AARCH64 executable shaped like a
 * real one (qcomtee_sim_build_image()): a hash segment, an executable
 * segment whose printf-like string has "n=0x%x" in it, and the metadata
 * segment.
 *
 * Return: the image size, or -ENOSPC if @buf is too small.
 */
ssize_t qcomtee_sim_build_app_image(const char *name, void *buf, size_t size)
{
	struct qcomtee_sim_image spec = {
		.hash = true,
		.code = "ret=0x%x n=0x%x",
	};
	char meta[128];
	size_t mlen;

	if (!name)
		name = QCOMTEE_SIM_TESTAPP_NAME;
	if (*name)
		mlen = snprintf(meta, sizeof(meta), "A=a;B=true;n=%s;p=8:c4",
				name);
	else
		mlen = snprintf(meta, sizeof(meta), "A=a;B=true;p=8:c4");
	if (mlen >= sizeof(meta))
		return -EINVAL;
	spec.meta = meta;
	spec.strings = name;

	return qcomtee_sim_build_image(&spec, buf, size);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_build_app_image);
