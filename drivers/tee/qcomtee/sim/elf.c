// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: TA image validation (a model file: host.h).
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
 * image; the "u" field, when there is one, is the app's GP UUID: the hex of
 * the 16 raw TEEC_UUID bytes (minkipc.md section 4.3). Nothing else in the
 * image is looked at: executable segments and
 * the hash segment hold "x=y" strings too (printf formats, certificates),
 * which is why no other segment may be searched.
 */

#include "model.h"

#define QSIM_LOAD_ERR_BUFFER	10
#define QSIM_LOAD_ERR_METADATA	13
#define QSIM_LOAD_ERR_NO_NAME	15

/* The ELF values the checks need (the ELF specification's). */
#define QSIM_ELFMAG		"\177ELF"
#define QSIM_SELFMAG		4
#define QSIM_EI_CLASS		4
#define QSIM_EI_DATA		5
#define QSIM_EI_VERSION		6
#define QSIM_ELFCLASS32		1
#define QSIM_ELFCLASS64		2
#define QSIM_ELFDATA2LSB	1
#define QSIM_EV_CURRENT		1
#define QSIM_EM_ARM		40
#define QSIM_EM_AARCH64		183
#define QSIM_PT_LOAD		1

static const u8 qsim_meta_trailer[16] = QSIM_META_TRAILER;

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

/* Decode the 32 hex digits of a "u" value into @uuid; false if malformed. */
static bool qsim_meta_uuid(const char *v, size_t len, u8 *uuid)
{
	unsigned int i, d;
	char c;

	if (len != 2 * QSIM_UUID_SIZE)
		return false;
	for (i = 0; i < len; i++) {
		c = v[i];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return false;
		if (i % 2)
			uuid[i / 2] |= d;
		else
			uuid[i / 2] = d << 4;
	}

	return true;
}

/*
 * Parse metadata string [s, s + len): copy the value of its "n" entry into
 * @name and decode its "u" entry into @meta if there is one. Return 0, 13
 * (malformed, a name that does not fit, a "u" that is not 32 hex digits)
 * or 15.
 */
static int qsim_meta_parse(const char *s, size_t len, char *name,
			   size_t name_size, struct qsim_app_meta *meta)
{
	size_t i, start, eq, vlen;
	bool found = false, uuid = false;

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
		vlen = i - eq - 1;
		if (s[start] == 'u' && !uuid) {
			/*
			 * [I] The first "u" counts, as the first "n" does; real
			 * images write it in upper case, either case is read.
			 */
			if (!qsim_meta_uuid(s + eq + 1, vlen, meta->uuid))
				return QSIM_LOAD_ERR_METADATA;
			meta->has_uuid = true;
			uuid = true;
			continue;
		}
		if (s[start] != 'n' || found)
			continue;		/* the first n= counts */
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
			     size_t name_size, struct qsim_app_meta *meta)
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

	return qsim_meta_parse((const char *)seg + start, end - start, name,
			       name_size, meta);
}

/* Validate @image and parse its metadata: see qsim_elf_app_name(). */
static int qsim_elf_parse(const void *image, size_t size, char *name,
			  size_t name_size, struct qsim_app_meta *info)
{
	const u8 *p = image, *meta = NULL;
	unsigned int i, phnum, phentsize;
	struct qsim_phdr h;
	u64 phoff, meta_len = 0;
	bool elf32;

	if (size < QSIM_EHDR64_SIZE || memcmp(p, QSIM_ELFMAG, QSIM_SELFMAG) ||
	    p[QSIM_EI_DATA] != QSIM_ELFDATA2LSB ||
	    p[QSIM_EI_VERSION] != QSIM_EV_CURRENT)
		return QSIM_LOAD_ERR_BUFFER;
	if (p[QSIM_EI_CLASS] == QSIM_ELFCLASS64 &&
	    get_unaligned_le16(p + 18) == QSIM_EM_AARCH64) {
		elf32 = false;
		phoff = get_unaligned_le64(p + 32);
		phentsize = get_unaligned_le16(p + 54);
		phnum = get_unaligned_le16(p + 56);
	} else if (p[QSIM_EI_CLASS] == QSIM_ELFCLASS32 &&
		   get_unaligned_le16(p + 18) == QSIM_EM_ARM) {
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
		if (h.type != QSIM_PT_LOAD ||
		    (h.flags & QSIM_PF_MBN_MASK) != QSIM_PF_MBN_META)
			continue;
		if (meta)
			return QSIM_LOAD_ERR_METADATA;	/* ambiguous */
		meta = p + h.offset;
		meta_len = h.filesz;
	}
	if (!meta)
		return QSIM_LOAD_ERR_METADATA;

	return qsim_meta_segment(meta, meta_len, name, name_size, info);
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
 * no trailer, no string before it, a malformed string, a name too long or
 * a "u" entry that is not 32 hex digits; 15 NO_NAME_IN_METADATA: a
 * well-formed string without a non-empty "n".
 */
int qsim_elf_app_name(const void *image, size_t size, char *name,
		      size_t name_size)
{
	struct qsim_app_meta meta;

	return qsim_elf_parse(image, size, name, name_size, &meta);
}

/**
 * qsim_elf_app_meta() - validate a TA image and read its metadata
 * @image: the image bytes.
 * @size: their length.
 * @meta: receives the app name and, from a "u" entry, the GP UUID.
 *
 * The "u" value is the hex of the 16 raw TEEC_UUID bytes as a GP client
 * sends them (timeLow, timeMid and timeHiAndVersion little-endian, then
 * clockSeqAndNode): minkipc.md section 4.3.
 *
 * Return: as qsim_elf_app_name().
 */
int qsim_elf_app_meta(const void *image, size_t size,
		      struct qsim_app_meta *meta)
{
	memset(meta, 0, sizeof(*meta));

	return qsim_elf_parse(image, size, meta->name, sizeof(meta->name),
			      meta);
}
