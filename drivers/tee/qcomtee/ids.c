// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: tables of ids handed to the other side.
 *
 * The ids of kernel objects QTEE holds and of the requests a supplicant
 * received are the lowest free index of an xarray with a generation above
 * it, taken from a counter. Low indices keep the table's nodes in use, so
 * ids come and go without the xarray freeing and allocating nodes (cyclic
 * ids would walk the whole index space and do both all the time), while an
 * id that was released does not name the next entry given its index: the
 * generation differs. Index 1 is reserved for good so that the first leaf
 * node stays when the table empties; index 0 is never used.
 */

#include <linux/bitops.h>
#include <linux/xarray.h>

#include "qcomtee.h"

#define QCOMTEE_IDS_PIN_INDEX	1
#define QCOMTEE_IDS_FIRST_INDEX	2

/**
 * qcomtee_ids_init() - Set up an id table
 * @xa: the table's xarray.
 * @gfp: how to allocate its first node.
 *
 * Return: 0, or -ENOMEM.
 */
int qcomtee_ids_init(struct xarray *xa, gfp_t gfp)
{
	xa_init_flags(xa, XA_FLAGS_ALLOC);
	return xa_reserve(xa, QCOMTEE_IDS_PIN_INDEX, gfp);
}

/**
 * __qcomtee_ids_alloc() - Store an entry under a new id
 * @xa: a table set up with qcomtee_ids_init(), its lock held (it may be
 *	dropped to allocate a node if @gfp allows blocking).
 * @entry: what the id names.
 * @index_mask: the low bits of an id, its index; index 0 and 1 are never
 *	given out.
 * @gen_mask: the bits of an id that hold the generation.
 * @gen: the table's generation counter; advanced.
 * @id: the new id, index | generation. The caller keeps it with @entry and
 *	checks it on lookup, finding the entry under the id's index bits.
 * @gfp: how to allocate a node when the table grows.
 *
 * Return: 0, -ENOSPC when every index is in use, -ENOMEM.
 */
int __qcomtee_ids_alloc(struct xarray *xa, void *entry, u32 index_mask,
			u32 gen_mask, u32 *gen, u32 *id, gfp_t gfp)
{
	u32 index;
	int err;

	err = __xa_alloc(xa, &index, entry,
			 XA_LIMIT(QCOMTEE_IDS_FIRST_INDEX, index_mask), gfp);
	if (err)
		return err == -EBUSY ? -ENOSPC : err;
	*id = index | ((*gen)++ << __ffs(gen_mask) & gen_mask);
	return 0;
}
