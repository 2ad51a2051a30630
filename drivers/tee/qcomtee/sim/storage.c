// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: secure storage through the FS listener (0xA).
 *
 * Records are files QTEE keeps through the HLOS file system listener
 * (minkipc.md section 2.4): one file per record under a QTEE-chosen
 * directory, plus an index file listing the record names, one per line.
 * Every access is a sequence of listener requests with the layouts
 * libfsservice serves: OPEN (flags in Linux/aarch64 numbering), WRITE and
 * READ with their fixed 20000-byte data field, LSEEK, CLOSE, UNLINK, and
 * GET_ERRNO after a failure. Real secure storage encrypts and
 * authenticates what it writes; the model stores records in the clear.
 */

#include <linux/ctype.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "sim.h"

#define FS_LISTENER		0xa
#define FS_OPEN			0x202
#define FS_READ			0x207
#define FS_WRITE		0x208
#define FS_CLOSE		0x209
#define FS_LSEEK		0x20a
#define FS_UNLINK		0x20c
#define FS_GET_ERRNO		0x21c

#define FS_PATH_MAX		256
#define FS_DATA_MAX		20000
#define FS_OPEN_REQ		(4 + FS_PATH_MAX + 4)
#define FS_WRITE_REQ		(8 + FS_DATA_MAX + 4)
#define FS_READ_RSP		(4 + FS_DATA_MAX + 4)

/* Linux/aarch64 open(2) flags: libfsservice passes them to open() as-is. */
#define FS_O_RDONLY		0
#define FS_O_WRONLY		1
#define FS_O_CREAT		0x40
#define FS_O_TRUNC		0x200
#define FS_SEEK_SET		0
#define FS_ENOENT		2

/* [I] where the records live; the listener maps /persist/data/ itself. */
#define STORE_DIR		"/persist/data/qcomtee_sim/"
#define STORE_INDEX		STORE_DIR "index"

/* One request buffer: the largest request or response. */
struct qsim_fs {
	struct qsim_call *call;
	u8 *buf;
};

/* Send @len bytes of fs->buf; the response (@rsp_len bytes) replaces it. */
static int qsim_fs_req(struct qsim_fs *fs, size_t len, size_t rsp_len)
{
	return qsim_listener_call(fs->call, FS_LISTENER, fs->buf, len, fs->buf,
				  rsp_len);
}

/* The errno of the listener's last failed call, as a storage error. */
static int qsim_fs_errno(struct qsim_fs *fs)
{
	int ret;
	s32 err;

	memset(fs->buf, 0, 8);
	put_unaligned_le32(FS_GET_ERRNO, fs->buf);
	ret = qsim_fs_req(fs, 4, 8);
	if (ret)
		return ret;
	err = get_unaligned_le32(fs->buf + 4);

	return QSIM_STORE_ERR_BASE + clamp(err, 1, 4095);
}

/* A command with one s32 argument at 4 and an s32 result at 4. */
static int qsim_fs_simple(struct qsim_fs *fs, u32 cmd, s32 arg, s32 *res)
{
	int ret;

	put_unaligned_le32(cmd, fs->buf);
	put_unaligned_le32(arg, fs->buf + 4);
	ret = qsim_fs_req(fs, 8, 8);
	if (!ret)
		*res = get_unaligned_le32(fs->buf + 4);
	return ret;
}

static int qsim_fs_path(struct qsim_fs *fs, u32 cmd, const char *path,
			u32 flags, bool with_flags, s32 *res)
{
	size_t len = with_flags ? FS_OPEN_REQ : 4 + FS_PATH_MAX;
	int ret;

	memset(fs->buf, 0, FS_OPEN_REQ);
	put_unaligned_le32(cmd, fs->buf);
	strscpy(fs->buf + 4, path, FS_PATH_MAX);
	if (with_flags)
		put_unaligned_le32(flags, fs->buf + 4 + FS_PATH_MAX);
	ret = qsim_fs_req(fs, len, 8);
	if (!ret)
		*res = get_unaligned_le32(fs->buf + 4);
	return ret;
}

/* Open @path; *@fd gets the listener's fd. */
static int qsim_fs_open(struct qsim_fs *fs, const char *path, u32 flags,
			s32 *fd)
{
	int ret = qsim_fs_path(fs, FS_OPEN, path, flags, true, fd);

	if (!ret && *fd < 0)
		ret = qsim_fs_errno(fs);
	return ret;
}

static void qsim_fs_close(struct qsim_fs *fs, s32 fd)
{
	s32 res;

	qsim_fs_simple(fs, FS_CLOSE, fd, &res);
}

/* Write the whole of @data (at most FS_DATA_MAX bytes) to a new @path. */
static int qsim_fs_put(struct qsim_fs *fs, const char *path,
		       const void *data, size_t len)
{
	s32 fd, n;
	int ret;

	ret = qsim_fs_open(fs, path, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC,
			   &fd);
	if (ret)
		return ret;
	memset(fs->buf, 0, FS_WRITE_REQ);
	put_unaligned_le32(FS_WRITE, fs->buf);
	put_unaligned_le32(fd, fs->buf + 4);
	memcpy(fs->buf + 8, data, len);
	put_unaligned_le32(len, fs->buf + 8 + FS_DATA_MAX);
	ret = qsim_fs_req(fs, FS_WRITE_REQ, 8);
	n = ret ? 0 : get_unaligned_le32(fs->buf + 4);
	if (!ret && n != len)
		ret = n < 0 ? qsim_fs_errno(fs) : QSIM_ERROR;
	qsim_fs_close(fs, fd);

	return ret;
}

/* Read @path from its start into @data (room @cap); *@len gets bytes. */
static int qsim_fs_get(struct qsim_fs *fs, const char *path, void *data,
		       size_t cap, size_t *len)
{
	s32 fd, n, res;
	int ret;

	ret = qsim_fs_open(fs, path, FS_O_RDONLY, &fd);
	if (ret)
		return ret;
	put_unaligned_le32(FS_LSEEK, fs->buf);
	put_unaligned_le32(fd, fs->buf + 4);
	put_unaligned_le32(0, fs->buf + 8);
	put_unaligned_le32(FS_SEEK_SET, fs->buf + 12);
	ret = qsim_fs_req(fs, 16, 8);
	res = ret ? -1 : get_unaligned_le32(fs->buf + 4);
	if (!ret && res)
		ret = QSIM_ERROR;
	if (!ret) {
		put_unaligned_le32(FS_READ, fs->buf);
		put_unaligned_le32(fd, fs->buf + 4);
		put_unaligned_le32(min_t(size_t, cap, FS_DATA_MAX),
				   fs->buf + 8);
		ret = qsim_fs_req(fs, 12, FS_READ_RSP);
	}
	if (!ret) {
		/* Bound what the other side claims by what was asked. */
		n = get_unaligned_le32(fs->buf + 4 + FS_DATA_MAX);
		if (n < 0)
			ret = qsim_fs_errno(fs);
		else if ((size_t)n > min_t(size_t, cap, FS_DATA_MAX))
			ret = QSIM_ERROR;
		else
			memcpy(data, fs->buf + 4, n);
		*len = ret ? 0 : n;
	}
	qsim_fs_close(fs, fd);

	return ret;
}

/* Record names: 1..QSIM_STORE_NAME_MAX of [A-Za-z0-9_-]. */
static bool qsim_store_name_ok(const u8 *name, size_t len)
{
	size_t i;

	if (!len || len > QSIM_STORE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

/* Find line @name in index @idx of @len bytes; -1 if absent. */
static long qsim_index_find(const char *idx, size_t len, const u8 *name,
			    size_t nlen)
{
	size_t pos = 0, end;

	while (pos < len) {
		end = pos;
		while (end < len && idx[end] != '\n')
			end++;
		if (end - pos == nlen && !memcmp(idx + pos, name, nlen))
			return pos;
		pos = end + 1;
	}
	return -1;
}

/**
 * qsim_storage() - a secure storage operation through the FS listener
 * @call: the invocation whose secure thread asks.
 * @op: QSIM_STORE_PUT, QSIM_STORE_GET, QSIM_STORE_DELETE or
 *	QSIM_STORE_LIST.
 * @name: the record's name (not used by LIST).
 * @nlen: its length.
 * @data: PUT: the record; GET/LIST: receives the record / the names.
 * @len: PUT: its length; GET/LIST: room in @data, then the bytes given.
 *
 * Return: QSIM_OK; QSIM_INVALID for a bad name or size; QSIM_MEM; a
 * listener error (10 no FS listener, DEFUNCT...); QSIM_STORE_ERR_BASE +
 * errno when the listener's file system call failed (ENOENT: no such
 * record); QSIM_ERROR for a short or inconsistent answer.
 */
int qsim_storage(struct qsim_call *call, unsigned int op, const u8 *name,
		 size_t nlen, void *data, size_t *len)
{
	char path[sizeof(STORE_DIR) + QSIM_STORE_NAME_MAX];
	struct qsim_fs fs = { .call = call };
	size_t ilen = 0, end, cap = QSIM_STORE_INDEX_MAX;
	char *idx = NULL;
	long at;
	s32 res;
	int ret;

	if (op != QSIM_STORE_LIST && !qsim_store_name_ok(name, nlen))
		return QSIM_INVALID;
	if (op == QSIM_STORE_PUT && *len > QSIM_STORE_DATA_MAX)
		return QSIM_INVALID;
	fs.buf = qsim_alloc(call->sim, FS_WRITE_REQ);
	idx = qsim_alloc(call->sim, cap);
	if (!fs.buf || !idx) {
		ret = QSIM_MEM;
		goto out;
	}
	if (name)
		snprintf(path, sizeof(path), STORE_DIR "%.*s", (int)nlen, name);

	/* The index: a missing one is empty. */
	ret = qsim_fs_get(&fs, STORE_INDEX, idx, cap, &ilen);
	if (ret == QSIM_STORE_ERR_BASE + FS_ENOENT) {
		ret = QSIM_OK;
		ilen = 0;
	}
	if (ret)
		goto out;
	at = op == QSIM_STORE_LIST ? -1 : qsim_index_find(idx, ilen, name,
							  nlen);

	switch (op) {
	case QSIM_STORE_PUT:
		ret = qsim_fs_put(&fs, path, data, *len);
		if (ret || at >= 0)
			break;
		if (ilen + nlen + 1 > cap) {
			ret = QSIM_STORE_ERR_BASE + 28;	/* ENOSPC */
			break;
		}
		memcpy(idx + ilen, name, nlen);
		idx[ilen + nlen] = '\n';
		ret = qsim_fs_put(&fs, STORE_INDEX, idx, ilen + nlen + 1);
		break;
	case QSIM_STORE_GET:
		ret = qsim_fs_get(&fs, path, data, *len, len);
		break;
	case QSIM_STORE_DELETE:
		ret = qsim_fs_path(&fs, FS_UNLINK, path, 0, false, &res);
		if (!ret && res)
			ret = qsim_fs_errno(&fs);
		if (ret || at < 0)
			break;
		/* The index came from Linux: its last line may lack '\n'. */
		end = min_t(size_t, at + nlen + 1, ilen);
		memmove(idx + at, idx + end, ilen - end);
		ret = qsim_fs_put(&fs, STORE_INDEX, idx, ilen - (end - at));
		break;
	case QSIM_STORE_LIST:
		if (ilen > *len) {
			ret = QSIM_SIZE_OUT;
			break;
		}
		memcpy(data, idx, ilen);
		*len = ilen;
		break;
	default:
		ret = QSIM_INVALID;
	}
out:
	qsim_free(call->sim, idx);
	qsim_free(call->sim, fs.buf);
	return ret;
}
