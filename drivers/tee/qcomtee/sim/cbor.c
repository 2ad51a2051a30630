// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the CBOR reader for client credentials (a model file:
 * host.h).
 *
 * Credentials are a CBOR map (RFC 8949) with integer keys: 1 = uid, 6 =
 * system time in ms. Encoders differ in integer width, so every unsigned
 * integer encoding (immediate, 1, 2, 4 and 8 bytes) is accepted. Values of
 * other keys are skipped if well formed. Anything malformed - truncated
 * items, reserved additional-info values, trailing bytes, duplicate or
 * non-integer keys, a missing uid - is refused.
 */

#include "model.h"

#define QSIM_CBOR_MAX_DEPTH	4
#define QSIM_CBOR_KEY_UID	1
#define QSIM_CBOR_KEY_TIME	6

struct qsim_cbor {
	const u8 *p;
	size_t len;
	size_t pos;
};

/* Read an item head: major type and argument. ai 31 reports -EAGAIN. */
static int qsim_cbor_head(struct qsim_cbor *c, u8 *major, u64 *arg)
{
	unsigned int ai, n, i;
	u64 v = 0;

	if (c->pos >= c->len)
		return -EINVAL;
	*major = c->p[c->pos] >> 5;
	ai = c->p[c->pos] & 0x1f;
	c->pos++;
	if (ai < 24) {
		*arg = ai;
		return 0;
	}
	if (ai == 31)
		return -EAGAIN;
	if (ai > 27)
		return -EINVAL;
	n = 1 << (ai - 24);
	if (c->len - c->pos < n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		v = v << 8 | c->p[c->pos + i];
	c->pos += n;
	*arg = v;

	return 0;
}

static int qsim_cbor_skip(struct qsim_cbor *c, unsigned int depth)
{
	u64 arg, i;
	u8 major;
	int ret;

	if (depth > QSIM_CBOR_MAX_DEPTH)
		return -EINVAL;
	ret = qsim_cbor_head(c, &major, &arg);
	if (ret)
		return -EINVAL;	/* no indefinite lengths inside values */
	switch (major) {
	case 0:
	case 1:
	case 7:
		return 0;
	case 2:
	case 3:
		if (arg > c->len - c->pos)
			return -EINVAL;
		c->pos += arg;
		return 0;
	case 4:
	case 5:
		if (arg > c->len)
			return -EINVAL;
		if (major == 5)
			arg *= 2;
		for (i = 0; i < arg; i++) {
			ret = qsim_cbor_skip(c, depth + 1);
			if (ret)
				return ret;
		}
		return 0;
	case 6:
		return qsim_cbor_skip(c, depth + 1);
	}

	return -EINVAL;
}

/**
 * qsim_cbor_parse_cred() - parse a credentials map
 * @data: the CBOR bytes.
 * @len: their length.
 * @cred: filled in with the uid and time (0 if absent).
 *
 * Return: 0 or -EINVAL if malformed or without uid.
 */
int qsim_cbor_parse_cred(const u8 *data, size_t len, struct qsim_cred *cred)
{
	struct qsim_cbor c = { .p = data, .len = len };
	bool indefinite = false, have_uid = false, have_time = false;
	u64 n = 0, i, key, val;
	u8 major;
	int ret;

	memset(cred, 0, sizeof(*cred));
	ret = qsim_cbor_head(&c, &major, &n);
	if (ret == -EAGAIN)
		indefinite = true;
	else if (ret)
		return -EINVAL;
	if (major != 5)
		return -EINVAL;
	if (!indefinite && n > len)
		return -EINVAL;

	for (i = 0; indefinite || i < n; i++) {
		if (indefinite && c.pos < c.len && c.p[c.pos] == 0xff) {
			c.pos++;
			break;
		}
		if (qsim_cbor_head(&c, &major, &key) || major > 1)
			return -EINVAL;
		if (major == 0 && key == QSIM_CBOR_KEY_UID) {
			if (have_uid || qsim_cbor_head(&c, &major, &val) ||
			    major != 0 || val > U32_MAX)
				return -EINVAL;
			cred->uid = val;
			have_uid = true;
		} else if (major == 0 && key == QSIM_CBOR_KEY_TIME) {
			if (have_time || qsim_cbor_head(&c, &major, &val) ||
			    major != 0)
				return -EINVAL;
			cred->time = val;
			have_time = true;
		} else if (qsim_cbor_skip(&c, 1)) {
			return -EINVAL;
		}
	}
	if (c.pos != c.len || !have_uid)
		return -EINVAL;

	return 0;
}
