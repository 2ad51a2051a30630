// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: TA image validation and the test-app image builder.
 *
 * The simulator does not run TA code. It checks that an image is a sane
 * AArch64 ELF64 little-endian file whose program headers stay inside it,
 * then looks for the TA metadata string: a NUL-terminated run of printable
 * characters inside a segment made only of ';'-separated "key=value"
 * fields, e.g. "B=true;n=smcinvoke_skeleton_ta64;p=...". The "n" field
 * names the built-in implementation that stands in for the image.
 */

#include <linux/ctype.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include "sim.h"

#define QSIM_LOAD_ERR_BUFFER	10
#define QSIM_LOAD_ERR_METADATA	13
#define QSIM_LOAD_ERR_NO_NAME	15

#define QSIM_EHDR_SIZE		64
#define QSIM_PHDR_SIZE		56
#define QSIM_MAX_PHNUM		64

static bool qsim_meta_key_char(char ch)
{
	return isalnum(ch) || ch == '_' || ch == '-' || ch == '.';
}

/* Does [s, s + len) consist of key=value fields separated by ';'? */
static bool qsim_is_metadata(const char *s, size_t len)
{
	size_t i = 0, key;

	if (len < 3)
		return false;
	while (i < len) {
		key = 0;
		while (i < len && qsim_meta_key_char(s[i])) {
			i++;
			key++;
		}
		if (!key || i >= len || s[i] != '=')
			return false;
		while (i < len && s[i] != ';')
			i++;
		if (i < len)
			i++;	/* ';' */
	}

	return true;
}

/* Copy the value of field n= of metadata [s, s + len) into @name. */
static int qsim_meta_name(const char *s, size_t len, char *name,
			  size_t name_size)
{
	size_t i = 0, start, vlen;

	while (i < len) {
		start = i;
		while (i < len && s[i] != ';')
			i++;
		if (i - start > 2 && s[start] == 'n' && s[start + 1] == '=') {
			vlen = i - start - 2;
			if (vlen >= name_size)
				return QSIM_LOAD_ERR_METADATA;
			memcpy(name, s + start + 2, vlen);
			name[vlen] = '\0';
			return 0;
		}
		i++;
	}

	return QSIM_LOAD_ERR_NO_NAME;
}

static int qsim_scan_segment(const u8 *seg, size_t len, char *name,
			     size_t name_size)
{
	size_t i = 0, start;

	while (i < len) {
		if (seg[i] < 0x20 || seg[i] > 0x7e) {
			i++;
			continue;
		}
		start = i;
		while (i < len && seg[i] >= 0x20 && seg[i] <= 0x7e)
			i++;
		/* Metadata is a NUL-terminated string. */
		if (i < len && !seg[i] &&
		    qsim_is_metadata((const char *)seg + start, i - start))
			return qsim_meta_name((const char *)seg + start,
					      i - start, name, name_size);
	}

	return -ENOENT;
}

/**
 * qsim_elf_app_name() - validate a TA image and find its app name
 * @image: the image bytes.
 * @size: their length.
 * @name: receives the NUL-terminated name.
 * @name_size: room in @name.
 *
 * Return: 0, or an app-loader error code: 10 not a valid AArch64 ELF64 LE
 * image, 13 no metadata (or a name too long), 15 metadata without a name.
 */
int qsim_elf_app_name(const void *image, size_t size, char *name,
		      size_t name_size)
{
	const u8 *p = image, *ph;
	u64 phoff, off, filesz;
	unsigned int i, phnum, phentsize;
	int ret;

	if (size < QSIM_EHDR_SIZE || memcmp(p, ELFMAG, SELFMAG) ||
	    p[EI_CLASS] != ELFCLASS64 || p[EI_DATA] != ELFDATA2LSB ||
	    p[EI_VERSION] != EV_CURRENT ||
	    get_unaligned_le16(p + 18) != EM_AARCH64)
		return QSIM_LOAD_ERR_BUFFER;

	phoff = get_unaligned_le64(p + 32);
	phentsize = get_unaligned_le16(p + 54);
	phnum = get_unaligned_le16(p + 56);
	if (!phnum || phnum > QSIM_MAX_PHNUM || phentsize != QSIM_PHDR_SIZE ||
	    phoff > size || (u64)phnum * phentsize > size - phoff)
		return QSIM_LOAD_ERR_BUFFER;

	for (i = 0; i < phnum; i++) {
		ph = p + phoff + (u64)i * phentsize;
		off = get_unaligned_le64(ph + 8);
		filesz = get_unaligned_le64(ph + 32);
		if (off > size || filesz > size - off)
			return QSIM_LOAD_ERR_BUFFER;
	}

	for (i = 0; i < phnum; i++) {
		ph = p + phoff + (u64)i * phentsize;
		off = get_unaligned_le64(ph + 8);
		filesz = get_unaligned_le64(ph + 32);
		ret = qsim_scan_segment(p + off, filesz, name, name_size);
		if (ret != -ENOENT)
			return ret;
	}

	return QSIM_LOAD_ERR_METADATA;
}

/**
 * qcomtee_sim_build_app_image() - build a minimal TA image
 * @name: app name for the metadata "n=" field; NULL builds the test app
 *	(QCOMTEE_SIM_TESTAPP_NAME); "" builds metadata without a name.
 * @buf: where to build it, or NULL to only compute the size.
 * @size: room in @buf.
 *
 * The image is an ELF64 little-endian EM_AARCH64 executable with a single
 * PT_LOAD segment holding the metadata string, which is what the simulated
 * app loader checks.
 *
 * Return: the image size, or -ENOSPC if @buf is too small.
 */
ssize_t qcomtee_sim_build_app_image(const char *name, void *buf, size_t size)
{
	char meta[128];
	size_t mlen, total;
	u8 *p = buf;

	if (!name)
		name = QCOMTEE_SIM_TESTAPP_NAME;
	if (*name)
		mlen = snprintf(meta, sizeof(meta), "B=true;n=%s;v=1", name);
	else
		mlen = snprintf(meta, sizeof(meta), "B=true;v=1");
	if (mlen >= sizeof(meta))
		return -EINVAL;
	mlen++;		/* NUL */
	total = QSIM_EHDR_SIZE + QSIM_PHDR_SIZE + ALIGN(mlen, 8);
	if (!buf)
		return total;
	if (size < total)
		return -ENOSPC;

	memset(p, 0, total);
	memcpy(p, ELFMAG, SELFMAG);
	p[EI_CLASS] = ELFCLASS64;
	p[EI_DATA] = ELFDATA2LSB;
	p[EI_VERSION] = EV_CURRENT;
	put_unaligned_le16(ET_EXEC, p + 16);
	put_unaligned_le16(EM_AARCH64, p + 18);
	put_unaligned_le32(EV_CURRENT, p + 20);
	put_unaligned_le64(QSIM_EHDR_SIZE, p + 32);	/* e_phoff */
	put_unaligned_le16(QSIM_EHDR_SIZE, p + 52);	/* e_ehsize */
	put_unaligned_le16(QSIM_PHDR_SIZE, p + 54);	/* e_phentsize */
	put_unaligned_le16(1, p + 56);			/* e_phnum */
	put_unaligned_le16(64, p + 58);			/* e_shentsize */

	p += QSIM_EHDR_SIZE;
	put_unaligned_le32(PT_LOAD, p);
	put_unaligned_le32(PF_R, p + 4);
	put_unaligned_le64(QSIM_EHDR_SIZE + QSIM_PHDR_SIZE, p + 8);
	put_unaligned_le64(mlen, p + 32);		/* p_filesz */
	put_unaligned_le64(mlen, p + 40);		/* p_memsz */
	put_unaligned_le64(8, p + 48);			/* p_align */

	memcpy((u8 *)buf + QSIM_EHDR_SIZE + QSIM_PHDR_SIZE, meta, mlen);

	return total;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_build_app_image);
