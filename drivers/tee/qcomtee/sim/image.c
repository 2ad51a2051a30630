// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the test image builder.
 *
 * Builds TA images shaped like the real ones, which elf.c (the model's
 * image checks) must accept or refuse as QTEE would. Only the kernel's
 * tests build images, so this file is the kernel host's, not the model's.
 */

#include <linux/elf.h>
#include <linux/export.h>

#include "sim.h"

static const u8 qsim_meta_trailer[16] = QSIM_META_TRAILER;

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
