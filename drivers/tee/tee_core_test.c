// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the TEE core's ioctl argument handling.
 *
 * A test backend records what the core hands it and answers with what the
 * test asks for; arguments live in real user memory (kunit_vm_mmap()) so
 * that copy_from_user(), put_user() and access_ok() run as they do for a
 * process.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/tee_core.h>
#include <linux/uaccess.h>
#include "tee_private.h"

#define TEST_MAX_PARAMS \
	((TEE_MAX_ARG_SIZE - sizeof(struct tee_ioctl_object_invoke_arg)) / \
	 sizeof(struct tee_ioctl_param))

/* What the test backend saw and how it answers. */
struct tee_test_backend {
	struct tee_device *teedev;
	struct tee_context *ctx;

	unsigned int calls;
	u64 id;
	u32 op;
	u32 num_params;
	struct tee_param params[TEST_MAX_PARAMS];

	/* Answer: result, and params[] overrides applied before returning. */
	int rc;
	u32 ret;
	u32 func;
	u32 out_num_params;
	struct tee_param out[TEST_MAX_PARAMS];
	unsigned int num_out;

	/* supp_recv_undeliverable() calls and the func they were given. */
	unsigned int undeliverable;
	u32 undeliverable_func;

	/* Order of context callbacks: 'c' close_context, 'r' release. */
	char events[8];
	unsigned int num_events;
};

static struct tee_test_backend *backend;

static void tee_test_event(char event)
{
	if (backend->num_events < ARRAY_SIZE(backend->events) - 1)
		backend->events[backend->num_events++] = event;
}

static void tee_test_record(u32 num_params, struct tee_param *params)
{
	backend->calls++;
	backend->num_params = num_params;
	memcpy(backend->params, params, num_params * sizeof(*params));
	memcpy(params, backend->out,
	       min(num_params, backend->num_out) * sizeof(*params));
}

static void tee_test_get_version(struct tee_device *teedev,
				 struct tee_ioctl_version_data *vers)
{
	vers->impl_id = 0x7e57;
	vers->impl_caps = 0;
	vers->gen_caps = TEE_GEN_CAP_OBJREF;
}

static int tee_test_open(struct tee_context *ctx)
{
	return 0;
}

static void tee_test_close_context(struct tee_context *ctx)
{
	tee_test_event('c');
}

static void tee_test_release(struct tee_context *ctx)
{
	tee_test_event('r');
}

static int tee_test_object_invoke(struct tee_context *ctx,
				  struct tee_ioctl_object_invoke_arg *arg,
				  struct tee_param *params)
{
	backend->id = arg->id;
	backend->op = arg->op;
	tee_test_record(arg->num_params, params);
	arg->ret = backend->ret;
	return backend->rc;
}

static int tee_test_invoke(struct tee_context *ctx,
			   struct tee_ioctl_invoke_arg *arg,
			   struct tee_param *params)
{
	backend->op = arg->func;
	tee_test_record(arg->num_params, params);
	arg->ret = backend->ret;
	return backend->rc;
}

static int tee_test_supp_recv(struct tee_context *ctx, u32 *func,
			      u32 *num_params, struct tee_param *params)
{
	tee_test_record(*num_params, params);
	*func = backend->func;
	*num_params = backend->out_num_params;
	return backend->rc;
}

static void tee_test_undeliverable(struct tee_context *ctx, u32 func,
				   u32 num_params, struct tee_param *params)
{
	backend->undeliverable++;
	backend->undeliverable_func = func;
}

static int tee_test_supp_send(struct tee_context *ctx, u32 ret,
			      u32 num_params, struct tee_param *params)
{
	backend->ret = ret;
	tee_test_record(num_params, params);
	return backend->rc;
}

static const struct tee_driver_ops tee_test_ops = {
	.get_version = tee_test_get_version,
	.open = tee_test_open,
	.close_context = tee_test_close_context,
	.release = tee_test_release,
	.invoke_func = tee_test_invoke,
	.object_invoke_func = tee_test_object_invoke,
	.supp_recv = tee_test_supp_recv,
	.supp_send = tee_test_supp_send,
	.supp_recv_undeliverable = tee_test_undeliverable,
};

static const struct tee_desc tee_test_desc = {
	.name = "tee-kunit",
	.ops = &tee_test_ops,
	.owner = THIS_MODULE,
};

/* A backend with none of the optional ops. */
static const struct tee_driver_ops tee_test_minimal_ops = {
	.get_version = tee_test_get_version,
	.open = tee_test_open,
	.release = tee_test_release,
};

static const struct tee_desc tee_test_minimal_desc = {
	.name = "tee-kunit-minimal",
	.ops = &tee_test_minimal_ops,
	.owner = THIS_MODULE,
};

/* User memory for one ioctl: the buf_data header, then the argument. */
struct tee_test_umem {
	struct tee_ioctl_buf_data __user *buf;
	void __user *arg;
	void __user *data;	/* a spare user buffer for UBUF params */
};

static struct tee_test_umem tee_test_umem(struct kunit *test)
{
	struct tee_test_umem m;
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, 4 * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE,
			     0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user memory");
	m.buf = (void __user *)addr;
	m.arg = (void __user *)(addr + PAGE_SIZE);
	m.data = (void __user *)(addr + 3 * PAGE_SIZE);
	return m;
}

static int tee_core_test_init(struct kunit *test)
{
	struct tee_context *ctx;

	backend = kunit_kzalloc(test, sizeof(*backend), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, backend);

	backend->teedev = tee_device_alloc(&tee_test_desc, NULL, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(backend->teedev));

	ctx = teedev_open(backend->teedev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));
	backend->ctx = ctx;
	return 0;
}

static void tee_core_test_exit(struct kunit *test)
{
	if (backend->ctx)
		teedev_close_context(backend->ctx);
	tee_device_unregister(backend->teedev);
	backend = NULL;
}

/*
 * Writes an object-invoke argument with @num params from @params to user
 * memory and runs TEE_IOC_OBJECT_INVOKE on the test context.
 */
static long tee_test_object_invoke_ioctl(struct kunit *test,
					 struct tee_test_umem *m, u64 id,
					 u32 op, u32 num,
					 const struct tee_ioctl_param *params)
{
	struct tee_ioctl_object_invoke_arg arg = {
		.id = id, .op = op, .ret = 0xdead, .num_params = num,
	};
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m->arg,
		.buf_len = sizeof(arg) + num * sizeof(*params),
	};
	struct tee_ioctl_object_invoke_arg __user *uarg = m->arg;

	KUNIT_ASSERT_EQ(test, copy_to_user(m->buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg, &arg, sizeof(arg)), 0);
	if (num)
		KUNIT_ASSERT_EQ(test, copy_to_user(uarg->params, params,
						   num * sizeof(*params)), 0);
	return tee_ioctl_ctx(backend->ctx, TEE_IOC_OBJECT_INVOKE, m->buf);
}

static void tee_test_read_param(struct kunit *test, struct tee_test_umem *m,
				unsigned int n, struct tee_ioctl_param *p)
{
	struct tee_ioctl_object_invoke_arg __user *uarg = m->arg;

	KUNIT_ASSERT_EQ(test, copy_from_user(p, &uarg->params[n], sizeof(*p)),
			0);
}

static u32 tee_test_read_ret(struct kunit *test, struct tee_test_umem *m)
{
	struct tee_ioctl_object_invoke_arg __user *uarg = m->arg;
	u32 ret;

	KUNIT_ASSERT_EQ(test, get_user(ret, &uarg->ret), 0);
	return ret;
}

static void tee_test_version(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_version_data vers;

	KUNIT_ASSERT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_VERSION,
					    m.arg), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(&vers, m.arg, sizeof(vers)), 0);
	KUNIT_EXPECT_EQ(test, vers.impl_id, 0x7e57);
	KUNIT_EXPECT_EQ(test, vers.gen_caps, TEE_GEN_CAP_OBJREF);
}

/*
 * A backend without shm_register answers SHM_REGISTER with EOPNOTSUPP, a
 * userspace errno; it used to leak the kernel-internal ENOTSUPP (524).
 */
static void tee_test_shm_register_unsupported(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_shm_register_data data = {
		.addr = (unsigned long)m.data,
		.length = PAGE_SIZE,
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(m.arg, &data, sizeof(data)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_SHM_REGISTER,
					    m.arg), -EOPNOTSUPP);
}

static void tee_test_uapi_values(struct kunit *test)
{
	/* Real clients are compiled against these numbers. */
	KUNIT_EXPECT_EQ(test, TEE_IOC_OBJECT_INVOKE, 0x8010a40a);
	KUNIT_EXPECT_EQ(test, TEE_IOC_SUPPL_RECV, 0x8010a406);
	KUNIT_EXPECT_EQ(test, TEE_IOC_SUPPL_SEND, 0x8010a407);
	KUNIT_EXPECT_EQ(test, TEE_IOC_SHM_ALLOC, 0xc010a401);
	KUNIT_EXPECT_EQ(test, TEE_IOC_VERSION, 0x800ca400);
	KUNIT_EXPECT_EQ(test, sizeof(struct tee_ioctl_object_invoke_arg), 24);
	KUNIT_EXPECT_EQ(test, offsetof(struct tee_ioctl_object_invoke_arg,
				       num_params), 16);
	KUNIT_EXPECT_EQ(test, TEE_MAX_ARG_SIZE, 4096);
	KUNIT_EXPECT_EQ(test, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, 8);
	KUNIT_EXPECT_EQ(test, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INOUT, 10);
	KUNIT_EXPECT_EQ(test, TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, 11);
	KUNIT_EXPECT_EQ(test, TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INOUT, 13);
	KUNIT_EXPECT_EQ(test, TEE_GEN_CAP_OBJREF, 1 << 4);
	KUNIT_EXPECT_EQ(test, TEE_IMPL_ID_QTEE, 4);
	KUNIT_EXPECT_EQ(test, TEE_OBJREF_NULL, U64_MAX);
}

static void tee_test_object_invoke_no_params(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);

	backend->ret = 17;
	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 0x1234,
							   0xabcd, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, backend->calls, 1);
	KUNIT_EXPECT_EQ(test, backend->id, 0x1234);
	KUNIT_EXPECT_EQ(test, backend->op, 0xabcd);
	KUNIT_EXPECT_EQ(test, backend->num_params, 0);
	KUNIT_EXPECT_EQ(test, tee_test_read_ret(test, &m), 17);
}

static void tee_test_ubuf_input(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT,
		.a = (unsigned long)m.data, .b = 100,
	};
	struct tee_ioctl_param back;

	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), 0);
	KUNIT_EXPECT_EQ(test, backend->params[0].attr, p.attr);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)backend->params[0].u.ubuf.uaddr,
			(__force unsigned long)m.data);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.ubuf.size, 100);

	/* Inputs are not written back. */
	tee_test_read_param(test, &m, 0, &back);
	KUNIT_EXPECT_EQ(test, back.b, 100);
}

static void tee_test_ubuf_output_size(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[2] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		  .a = (unsigned long)m.data, .b = 64, .c = 0 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INOUT,
		  .a = (unsigned long)m.data + 64, .b = 64 },
	};
	struct tee_ioctl_param back;

	backend->out[0].attr = p[0].attr;
	backend->out[0].u.ubuf.uaddr = m.data;
	backend->out[0].u.ubuf.size = 5;
	backend->out[1].attr = p[1].attr;
	backend->out[1].u.ubuf.uaddr = m.data + 64;
	backend->out[1].u.ubuf.size = 7;
	backend->num_out = 2;

	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 2,
							   p), 0);
	tee_test_read_param(test, &m, 0, &back);
	KUNIT_EXPECT_EQ(test, back.b, 5);
	/* Only the size goes back: the address is the caller's. */
	KUNIT_EXPECT_EQ(test, back.a, (u64)(unsigned long)m.data);
	tee_test_read_param(test, &m, 1, &back);
	KUNIT_EXPECT_EQ(test, back.b, 7);
}

static void tee_test_ubuf_kernel_address(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT,
		.a = (unsigned long)backend, .b = 8,
	};

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_ubuf_wrapping_range(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		.a = (unsigned long)m.data, .b = U64_MAX - 16,
	};

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -EFAULT);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_ubuf_null_empty(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, .a = 0, .b = 0,
	};

	/* An empty buffer is valid: the backend decides what it means. */
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), 0);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.ubuf.size, 0);
}

static void tee_test_objref_input(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[2] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT,
		  .a = 42, .b = 2 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT,
		  .a = TEE_OBJREF_NULL, .b = 0 },
	};

	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 2,
							   p), 0);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.objref.id, 42);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.objref.flags, 2);
	KUNIT_EXPECT_EQ(test, backend->params[1].u.objref.id, TEE_OBJREF_NULL);
}

static void tee_test_objref_output(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[2] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT,
		  .a = 99, .b = 99 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INOUT,
		  .a = 5, .b = 1 },
	};
	struct tee_ioctl_param back;

	backend->out[0].attr = p[0].attr;
	backend->out[0].u.objref.id = 7;
	backend->out[0].u.objref.flags = 1;
	backend->out[1].attr = p[1].attr;
	backend->out[1].u.objref.id = 8;
	backend->out[1].u.objref.flags = 4;
	backend->num_out = 2;

	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 2,
							   p), 0);
	/* Outputs arrive zeroed, in-outs carry the caller's values. */
	KUNIT_EXPECT_EQ(test, backend->params[0].u.objref.id, 0);
	KUNIT_EXPECT_EQ(test, backend->params[1].u.objref.id, 5);
	KUNIT_EXPECT_EQ(test, backend->params[1].u.objref.flags, 1);
	tee_test_read_param(test, &m, 0, &back);
	KUNIT_EXPECT_EQ(test, back.a, 7);
	KUNIT_EXPECT_EQ(test, back.b, 1);
	tee_test_read_param(test, &m, 1, &back);
	KUNIT_EXPECT_EQ(test, back.a, 8);
	KUNIT_EXPECT_EQ(test, back.b, 4);
}

static void tee_test_mixed_positions(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[4] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT,
		  .a = (unsigned long)m.data, .b = 4 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		  .a = (unsigned long)m.data + 8, .b = 16 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, .a = 3,
		  .b = 1 },
	};
	struct tee_ioctl_param back;
	unsigned int n;

	for (n = 0; n < 4; n++)
		backend->out[n].attr = p[n].attr;
	backend->out[0].u.objref.id = 11;
	backend->out[1].u.ubuf.size = 4;
	backend->out[2].u.ubuf.size = 9;
	backend->out[3].u.objref.id = 3;
	backend->num_out = 4;

	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 4,
							   p), 0);
	for (n = 0; n < 4; n++)
		KUNIT_EXPECT_EQ(test, backend->params[n].attr, p[n].attr);
	tee_test_read_param(test, &m, 0, &back);
	KUNIT_EXPECT_EQ(test, back.a, 11);
	tee_test_read_param(test, &m, 1, &back);
	KUNIT_EXPECT_EQ(test, back.b, 4);
	tee_test_read_param(test, &m, 2, &back);
	KUNIT_EXPECT_EQ(test, back.b, 9);
	tee_test_read_param(test, &m, 3, &back);
	KUNIT_EXPECT_EQ(test, back.a, 3);
}

static void tee_test_unknown_attr_bits(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT | 0x200,
	};

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_unknown_type(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = { .attr = 14 };

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -EINVAL);
	p.attr = 4;	/* a hole between VALUE and MEMREF */
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_bad_memref_shm(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, .c = 12345,
	};

	/* No such shm in this context. */
	KUNIT_EXPECT_LT(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), 0);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static long tee_test_object_invoke_len(struct kunit *test,
				       struct tee_test_umem *m, u32 num,
				       u64 buf_len)
{
	struct tee_ioctl_object_invoke_arg arg = { .num_params = num };
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m->arg, .buf_len = buf_len,
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(m->buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(m->arg, &arg, sizeof(arg)), 0);
	return tee_ioctl_ctx(backend->ctx, TEE_IOC_OBJECT_INVOKE, m->buf);
}

static void tee_test_length_mismatch(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	const size_t hdr = sizeof(struct tee_ioctl_object_invoke_arg);
	const size_t psz = sizeof(struct tee_ioctl_param);

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_len(test, &m, 2,
							 hdr + psz), -EINVAL);
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_len(test, &m, 2,
							 hdr + 3 * psz),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_len(test, &m, 0,
							 hdr - 1), -EINVAL);
	/* num_params so large that the size computation overflows. */
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_len(test, &m, U32_MAX,
							 hdr), -EINVAL);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_too_long(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	const size_t hdr = sizeof(struct tee_ioctl_object_invoke_arg);
	const size_t psz = sizeof(struct tee_ioctl_param);
	u32 num = TEST_MAX_PARAMS + 1;

	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_len(test, &m, num,
							 hdr + num * psz),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_max_params(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param *p;
	unsigned int n;

	KUNIT_EXPECT_EQ(test, TEST_MAX_PARAMS, 127);
	p = kunit_kcalloc(test, TEST_MAX_PARAMS, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (n = 0; n < TEST_MAX_PARAMS; n++) {
		p[n].attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
		p[n].a = n;
	}
	KUNIT_ASSERT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0,
							   TEST_MAX_PARAMS, p),
			0);
	KUNIT_EXPECT_EQ(test, backend->num_params, TEST_MAX_PARAMS);
	KUNIT_EXPECT_EQ(test, backend->params[126].u.objref.id, 126);
}

static void tee_test_bad_pointers(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)backend,	/* not user memory */
		.buf_len = sizeof(struct tee_ioctl_object_invoke_arg),
	};

	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_OBJECT_INVOKE,
					    (void __user *)backend), -EFAULT);
	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_OBJECT_INVOKE,
					    m.buf), -EFAULT);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_unreadable_params(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_object_invoke_arg arg = { .num_params = 1 };
	struct tee_ioctl_buf_data buf = {
		.buf_len = sizeof(arg) + sizeof(struct tee_ioctl_param),
	};
	void __user *edge = m.data + PAGE_SIZE - sizeof(arg);

	/* The header fits in the last mapped page, the params do not. */
	buf.buf_ptr = (unsigned long)edge;
	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(edge, &arg, sizeof(arg)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_OBJECT_INVOKE,
					    m.buf), -EFAULT);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_backend_error(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT, .a = 99,
	};
	struct tee_ioctl_param back;

	backend->rc = -ENOMEM;
	backend->ret = 3;
	backend->out[0].attr = p.attr;
	backend->out[0].u.objref.id = 5;
	backend->num_out = 1;
	KUNIT_EXPECT_EQ(test, tee_test_object_invoke_ioctl(test, &m, 1, 0, 1,
							   &p), -ENOMEM);
	/* Neither ret nor outputs are written when the backend fails. */
	KUNIT_EXPECT_EQ(test, tee_test_read_ret(test, &m), 0xdead);
	tee_test_read_param(test, &m, 0, &back);
	KUNIT_EXPECT_EQ(test, back.a, 99);
}

static void tee_test_backend_without_op(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_device *teedev;
	struct tee_context *ctx;
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m.arg,
		.buf_len = sizeof(struct tee_ioctl_object_invoke_arg),
	};

	teedev = tee_device_alloc(&tee_test_minimal_desc, NULL, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(teedev));
	ctx = teedev_open(teedev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));

	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(ctx, TEE_IOC_OBJECT_INVOKE, m.buf),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(ctx, TEE_IOC_SUPPL_RECV, m.buf),
			-EINVAL);

	/* Without close_context the file still closes cleanly. */
	teedev_close_context(ctx);
	tee_device_unregister(teedev);
}

static void tee_test_invoke_ubuf(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_invoke_arg arg = { .func = 3, .num_params = 1 };
	struct tee_ioctl_param p = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		.a = (unsigned long)m.data, .b = 32,
	};
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m.arg,
		.buf_len = sizeof(arg) + sizeof(p),
	};
	struct tee_ioctl_invoke_arg __user *uarg = m.arg;
	struct tee_ioctl_param back;

	backend->out[0] = (struct tee_param){ .attr = p.attr };
	backend->out[0].u.ubuf.size = 12;
	backend->num_out = 1;

	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg, &arg, sizeof(arg)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg->params, &p, sizeof(p)), 0);
	KUNIT_ASSERT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_INVOKE,
					    m.buf), 0);
	KUNIT_EXPECT_EQ(test, backend->op, 3);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)backend->params[0].u.ubuf.uaddr,
			(__force unsigned long)m.data);
	KUNIT_ASSERT_EQ(test, copy_from_user(&back, uarg->params, sizeof(back)),
			0);
	KUNIT_EXPECT_EQ(test, back.b, 12);
}

/* Runs SUPPL_RECV with a META param and @num - 1 empty ones. */
static long tee_test_supp_recv_ioctl(struct kunit *test,
				     struct tee_test_umem *m, u32 num)
{
	struct tee_iocl_supp_recv_arg arg = { .num_params = num };
	struct tee_iocl_supp_recv_arg __user *uarg = m->arg;
	struct tee_ioctl_param meta = {
		.attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT |
			TEE_IOCTL_PARAM_ATTR_META,
		.a = (unsigned long)m->data, .b = 1024,
	};
	struct tee_ioctl_param none = { };
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m->arg,
		.buf_len = sizeof(arg) + num * sizeof(meta),
	};
	unsigned int n;

	KUNIT_ASSERT_EQ(test, copy_to_user(m->buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg, &arg, sizeof(arg)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg->params, &meta, sizeof(meta)),
			0);
	for (n = 1; n < num; n++)
		KUNIT_ASSERT_EQ(test, copy_to_user(&uarg->params[n], &none,
						   sizeof(none)), 0);
	return tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_RECV, m->buf);
}

/*
 * A request the backend gave out but the core could not copy to the
 * supplicant goes back to the backend, which fails it; a delivered one
 * does not.
 */
static void tee_test_supp_recv_undeliverable(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_buf_data buf = { .buf_len = 8 };
	unsigned long ro;

	backend->func = 0x42;
	backend->out_num_params = 0;

	/* No params: the argument is the 8-byte header, zero-filled. */
	ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, ro, 0);
	buf.buf_ptr = ro;
	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_RECV,
					    m.buf), -EFAULT);
	KUNIT_EXPECT_EQ(test, backend->calls, 1);
	KUNIT_EXPECT_EQ(test, backend->undeliverable, 1);
	KUNIT_EXPECT_EQ(test, backend->undeliverable_func, 0x42);

	/* The same request into writable memory is delivered. */
	buf.buf_ptr = (unsigned long)m.arg;
	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, clear_user(m.arg, 8), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_RECV,
					    m.buf), 0);
	KUNIT_EXPECT_EQ(test, backend->calls, 2);
	KUNIT_EXPECT_EQ(test, backend->undeliverable, 1);
}

static void tee_test_supp_recv_ubuf_objref(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_iocl_supp_recv_arg __user *uarg = m.arg;
	struct tee_ioctl_param back;
	u32 func, num;

	backend->func = 0x42;
	backend->out_num_params = 3;
	backend->out[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT |
			       TEE_IOCTL_PARAM_ATTR_META;
	backend->out[0].u.value.a = 0x80000001;
	backend->out[0].u.value.b = 9;
	backend->out[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	backend->out[1].u.ubuf.uaddr = m.data + 1016;
	backend->out[1].u.ubuf.size = 8;
	backend->out[2].attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
	backend->out[2].u.objref.id = 77;
	backend->out[2].u.objref.flags = 1;
	backend->num_out = 3;

	KUNIT_ASSERT_EQ(test, tee_test_supp_recv_ioctl(test, &m, 11), 0);
	/* The backend got the caller's meta buffer and empty slots. */
	KUNIT_EXPECT_EQ(test, backend->num_params, 11);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.value.b, 1024);
	KUNIT_EXPECT_EQ(test, backend->params[1].attr,
			TEE_IOCTL_PARAM_ATTR_TYPE_NONE);

	KUNIT_ASSERT_EQ(test, get_user(func, &uarg->func), 0);
	KUNIT_ASSERT_EQ(test, get_user(num, &uarg->num_params), 0);
	KUNIT_EXPECT_EQ(test, func, 0x42);
	KUNIT_EXPECT_EQ(test, num, 3);
	KUNIT_ASSERT_EQ(test, copy_from_user(&back, &uarg->params[0],
					     sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, back.a, 0x80000001);
	KUNIT_EXPECT_EQ(test, back.b, 9);
	KUNIT_ASSERT_EQ(test, copy_from_user(&back, &uarg->params[1],
					     sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, back.attr, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT);
	KUNIT_EXPECT_EQ(test, back.a, (u64)(unsigned long)(m.data + 1016));
	KUNIT_EXPECT_EQ(test, back.b, 8);
	KUNIT_EXPECT_EQ(test, back.c, 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(&back, &uarg->params[2],
					     sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, back.a, 77);
	KUNIT_EXPECT_EQ(test, back.b, 1);
}

static int tee_test_pool_alloc(struct tee_shm_pool *pool, struct tee_shm *shm,
			       size_t size, size_t align)
{
	shm->size = PAGE_ALIGN(size);
	shm->kaddr = alloc_pages_exact(shm->size, GFP_KERNEL | __GFP_ZERO);
	if (!shm->kaddr)
		return -ENOMEM;
	shm->paddr = virt_to_phys(shm->kaddr);
	return 0;
}

static void tee_test_pool_free(struct tee_shm_pool *pool, struct tee_shm *shm)
{
	free_pages_exact(shm->kaddr, shm->size);
	shm->kaddr = NULL;
}

static void tee_test_pool_destroy(struct tee_shm_pool *pool)
{
}

static const struct tee_shm_pool_ops tee_test_pool_ops = {
	.alloc = tee_test_pool_alloc,
	.free = tee_test_pool_free,
	.destroy_pool = tee_test_pool_destroy,
};

/* Runs SUPPL_RECV with @num params from @params on the test context. */
static long tee_test_supp_recv_params(struct kunit *test,
				      struct tee_test_umem *m, u32 num,
				      const struct tee_ioctl_param *params)
{
	struct tee_iocl_supp_recv_arg arg = { .num_params = num };
	struct tee_iocl_supp_recv_arg __user *uarg = m->arg;
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m->arg,
		.buf_len = sizeof(arg) + num * sizeof(*params),
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(m->buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg, &arg, sizeof(arg)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg->params, params,
					   num * sizeof(*params)), 0);
	return tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_RECV, m->buf);
}

/*
 * SUPPL_RECV refuses shared memory and keeps no reference to it: neither
 * for a MEMREF the backend would have had to drop, nor for one resolved
 * before a later param failed. A leaked reference would also keep the
 * context and the device, and tee_device_unregister() below would hang.
 */
static void tee_test_supp_recv_memref(struct kunit *test)
{
	struct tee_shm_pool pool = { .ops = &tee_test_pool_ops };
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_context *ctx = backend->ctx;
	struct tee_ioctl_param p[3] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT |
			  TEE_IOCTL_PARAM_ATTR_META,
		  .a = (unsigned long)m.data, .b = 1024 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, .b = 16 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT,
		  .c = 0x7654321 },
	};
	struct tee_device *teedev;
	struct tee_shm *shm;

	teedev = tee_device_alloc(&tee_test_desc, NULL, &pool, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(teedev));
	backend->ctx = teedev_open(teedev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(backend->ctx));
	shm = tee_shm_alloc_user_buf(backend->ctx, PAGE_SIZE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(shm));
	p[1].c = shm->id;

	KUNIT_EXPECT_EQ(test, tee_test_supp_recv_params(test, &m, 2, p),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, refcount_read(&shm->refcount), 1);
	/* The third param names no shm: the second was resolved first. */
	KUNIT_EXPECT_LT(test, tee_test_supp_recv_params(test, &m, 3, p), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&shm->refcount), 1);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);

	tee_shm_put(shm);
	teedev_close_context(backend->ctx);
	backend->ctx = ctx;
	tee_device_unregister(teedev);
}

static void tee_test_supp_recv_bad_length(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_iocl_supp_recv_arg arg = { .num_params = 3 };
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m.arg,
		.buf_len = sizeof(arg) + 2 * sizeof(struct tee_ioctl_param),
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(m.buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(m.arg, &arg, sizeof(arg)), 0);
	KUNIT_EXPECT_EQ(test, tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_RECV,
					    m.buf), -EINVAL);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

/* Runs SUPPL_SEND with the given params. */
static long tee_test_supp_send_ioctl(struct kunit *test,
				     struct tee_test_umem *m, u32 ret,
				     u32 num, const struct tee_ioctl_param *p)
{
	struct tee_iocl_supp_send_arg arg = { .ret = ret, .num_params = num };
	struct tee_iocl_supp_send_arg __user *uarg = m->arg;
	struct tee_ioctl_buf_data buf = {
		.buf_ptr = (unsigned long)m->arg,
		.buf_len = sizeof(arg) + num * sizeof(*p),
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(m->buf, &buf, sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg, &arg, sizeof(arg)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(uarg->params, p, num * sizeof(*p)),
			0);
	return tee_ioctl_ctx(backend->ctx, TEE_IOC_SUPPL_SEND, m->buf);
}

static void tee_test_supp_send_outputs(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[3] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT |
			  TEE_IOCTL_PARAM_ATTR_META, .a = 12 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		  .a = (unsigned long)m.data, .b = 20 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT,
		  .a = 5, .b = 2 },
	};

	KUNIT_ASSERT_EQ(test, tee_test_supp_send_ioctl(test, &m, 0, 3, p), 0);
	KUNIT_EXPECT_EQ(test, backend->ret, 0);
	KUNIT_EXPECT_EQ(test, backend->num_params, 3);
	KUNIT_EXPECT_EQ(test, backend->params[0].u.value.a, 12);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)backend->params[1].u.ubuf.uaddr,
			(__force unsigned long)m.data);
	KUNIT_EXPECT_EQ(test, backend->params[1].u.ubuf.size, 20);
	KUNIT_EXPECT_EQ(test, backend->params[2].u.objref.id, 5);
	KUNIT_EXPECT_EQ(test, backend->params[2].u.objref.flags, 2);
}

static void tee_test_supp_send_bad_ubuf(struct kunit *test)
{
	struct tee_test_umem m = tee_test_umem(test);
	struct tee_ioctl_param p[2] = {
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT |
			  TEE_IOCTL_PARAM_ATTR_META, .a = 12 },
		{ .attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		  .a = (unsigned long)backend, .b = 20 },
	};

	KUNIT_EXPECT_EQ(test, tee_test_supp_send_ioctl(test, &m, 0, 2, p),
			-EFAULT);
	p[1].a = (unsigned long)m.data;
	p[1].attr |= 0x400;
	KUNIT_EXPECT_EQ(test, tee_test_supp_send_ioctl(test, &m, 0, 2, p),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, backend->calls, 0);
}

static void tee_test_close_before_release(struct kunit *test)
{
	struct tee_context *ctx = backend->ctx;

	/* The backend holds the context, e.g. for a queued request. */
	teedev_ctx_get(ctx);
	teedev_close_context(ctx);
	backend->ctx = NULL;
	KUNIT_EXPECT_STREQ(test, backend->events, "c");

	teedev_ctx_put(ctx);
	KUNIT_EXPECT_STREQ(test, backend->events, "cr");
}

static void tee_test_close_releases(struct kunit *test)
{
	teedev_close_context(backend->ctx);
	backend->ctx = NULL;
	KUNIT_EXPECT_STREQ(test, backend->events, "cr");
}

static void tee_test_device_refs(struct kunit *test)
{
	struct tee_device *teedev = backend->teedev;

	KUNIT_ASSERT_TRUE(test, tee_device_get(teedev));
	tee_device_put(teedev);
}

static struct kunit_case tee_core_test_cases[] = {
	KUNIT_CASE(tee_test_version),
	KUNIT_CASE(tee_test_uapi_values),
	KUNIT_CASE(tee_test_shm_register_unsupported),
	KUNIT_CASE(tee_test_object_invoke_no_params),
	KUNIT_CASE(tee_test_ubuf_input),
	KUNIT_CASE(tee_test_ubuf_output_size),
	KUNIT_CASE(tee_test_ubuf_kernel_address),
	KUNIT_CASE(tee_test_ubuf_wrapping_range),
	KUNIT_CASE(tee_test_ubuf_null_empty),
	KUNIT_CASE(tee_test_objref_input),
	KUNIT_CASE(tee_test_objref_output),
	KUNIT_CASE(tee_test_mixed_positions),
	KUNIT_CASE(tee_test_unknown_attr_bits),
	KUNIT_CASE(tee_test_unknown_type),
	KUNIT_CASE(tee_test_bad_memref_shm),
	KUNIT_CASE(tee_test_length_mismatch),
	KUNIT_CASE(tee_test_too_long),
	KUNIT_CASE(tee_test_max_params),
	KUNIT_CASE(tee_test_bad_pointers),
	KUNIT_CASE(tee_test_unreadable_params),
	KUNIT_CASE(tee_test_backend_error),
	KUNIT_CASE(tee_test_backend_without_op),
	KUNIT_CASE(tee_test_invoke_ubuf),
	KUNIT_CASE(tee_test_supp_recv_ubuf_objref),
	KUNIT_CASE(tee_test_supp_recv_undeliverable),
	KUNIT_CASE(tee_test_supp_recv_memref),
	KUNIT_CASE(tee_test_supp_recv_bad_length),
	KUNIT_CASE(tee_test_supp_send_outputs),
	KUNIT_CASE(tee_test_supp_send_bad_ubuf),
	KUNIT_CASE(tee_test_close_before_release),
	KUNIT_CASE(tee_test_close_releases),
	KUNIT_CASE(tee_test_device_refs),
	{}
};

static struct kunit_suite tee_core_test_suite = {
	.name = "tee_core",
	.init = tee_core_test_init,
	.exit = tee_core_test_exit,
	.test_cases = tee_core_test_cases,
};

kunit_test_suite(tee_core_test_suite);

MODULE_DESCRIPTION("KUnit tests for the TEE core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
