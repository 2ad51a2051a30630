/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: internal definitions shared by the simulator's files.
 */
#ifndef __QCOMTEE_SIM_INTERNAL_H
#define __QCOMTEE_SIM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/firmware/qcom/qcom_tee_transport.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "model.h"
#include "qcomtee_sim.h"

/**
 * struct qsim_racer - the racing secure-world writer (racer.c)
 * @task: the thread rewriting the slots, started by the first arming.
 * @start_lock: serialises starting @task.
 * @lock: protects the fields below; held by @task while it writes.
 * @wq: @task waits here for a target.
 * @target: the call whose callback request is raced, NULL if none.
 * @slot: the raced words in the outbound buffer.
 * @orig: their true values.
 * @nslots: number of raced words.
 * @rewrites: rounds of rewriting so far.
 */
struct qsim_racer {
	struct task_struct *task;
	struct mutex start_lock; /* see kernel-doc */
	spinlock_t lock; /* see kernel-doc */
	wait_queue_head_t wq;
	struct qsim_call *target;
	u32 *slot[2 * QSIM_MAX_ARGS_CLASS];
	u32 orig[2 * QSIM_MAX_ARGS_CLASS];
	unsigned int nslots;
	u64 rewrites;
};

/**
 * struct qcomtee_sim - a simulated QTEE instance
 * @index: instance number (debugfs name).
 * @cfg: configuration (defaults filled in).
 * @allow_unbridged: accept buffers outside SHM bridges.
 * @pdev: the "qcomtee" platform device.
 * @transport: its platform data template.
 * @debugfs: debugfs directory.
 * @dying: destroy has started; new SMC calls fail (and, through
 *	@thr.dying, every callback aborts).
 * @active: SMC calls being serviced.
 * @idle_wq: destroy waits here for @active to drop.
 * @wq: workqueue running the secure threads.
 * @core: the model's object table and the kernel ids held (objects.c).
 * @root: the ROOT object.
 * @br_lock: serialises changes to the bridge table; lookups use RCU.
 * @bridges: registered SHM bridges (handle -> struct qsim_bridge).
 * @next_handle: next bridge handle.
 * @nbridges: registered bridges.
 * @thr: the model's secure threads (threads.c).
 * @app_lock: protects @apps.
 * @apps: loaded apps.
 * @napps: loaded apps.
 * @lsn_lock: protects @listeners, @nlisteners and the entries' state.
 * @listeners: registered listeners and TA-buffer provider (listeners.c).
 * @nlisteners: registered CBO listeners.
 * @lsn_wq: threads waiting for a busy listener.
 * @release_cbs: explicit RELEASE callbacks issued.
 * @invocations: direct invocations received.
 * @faults: fault injection.
 * @racer: the racing secure-world writer.
 * @heap: secure heap accounting.
 */
struct qcomtee_sim {
	int index;
	struct qcomtee_sim_config cfg;
	bool allow_unbridged;
	struct platform_device *pdev;
	struct qcomtee_transport transport;
	struct dentry *debugfs;
	bool dying;
	atomic_t active;
	wait_queue_head_t idle_wq;
	struct workqueue_struct *wq;

	struct qsim_core core;
	struct qsim_obj root;

	struct mutex br_lock;	/* see kernel-doc */
	struct xarray bridges;
	u32 next_handle;
	unsigned int nbridges;

	struct qsim_threads thr;

	struct mutex app_lock;	/* see kernel-doc */
	struct list_head apps;
	unsigned int napps;

	spinlock_t lsn_lock;	/* see kernel-doc */
	struct list_head listeners;
	unsigned int nlisteners;
	wait_queue_head_t lsn_wq;

	atomic64_t release_cbs;
	atomic64_t invocations;

	struct qsim_faults faults;
	struct qsim_racer racer;
	struct qsim_heap heap;
};

/*
 * The model's heap and faults of an instance, under the names the
 * simulator's files have always used.
 */
static inline void *qsim_alloc(struct qcomtee_sim *sim, size_t size)
{
	return qsim_heap_alloc(&sim->heap, size);
}

static inline void qsim_free(struct qcomtee_sim *sim, void *ptr)
{
	qsim_heap_free(&sim->heap, ptr);
}

static inline void qsim_heap_info(struct qcomtee_sim *sim, u32 info[6])
{
	qsim_heap_fill_info(&sim->heap, info);
}

static inline size_t qsim_heap_used(struct qcomtee_sim *sim)
{
	return qsim_heap_in_use(&sim->heap);
}

/* The model's message writer for this host. */
static inline void qsim_write_async(struct qcomtee_sim *sim, void *area,
				    size_t len)
{
	qsim_wire_write_async(&sim->core, area, len);
}

static inline bool qsim_fault(struct qcomtee_sim *sim,
			      enum qcomtee_sim_fault f, int *arg)
{
	return qsim_faults_fire(&sim->faults, f, arg);
}

/* transport.c */
extern const struct qcomtee_transport_ops qsim_transport_ops;
void qsim_bridges_fini(struct qcomtee_sim *sim);
void *qsim_map(struct qcomtee_sim *sim, phys_addr_t pa, size_t size,
	       bool whole_pages);

/* loader.c */
#define QSIM_MEM_ERR_RANGE	10
#define QSIM_MEM_ERR_PERM	11

int qsim_invoke_prim_map(struct qsim_call *call, u32 mem_id,
			 u64 *pa, u64 *len, u32 *perms, u32 *map_id);
int qsim_mem_access(struct qsim_call *call, u32 mem_id, u64 off, size_t len,
		    void *rd, const void *wr);
int qsim_load_region(struct qsim_call *call, const struct qsim_cred *cred,
		     u32 mem_id, const u8 *uuid, struct qsim_obj **ctrl);

/* listeners.c */
#define QSIM_UID_REG_LISTENER	87
#define QSIM_UID_REG_TABUF	268
/* [I] room for the five listeners of qtee_supplicant and a few more. */
#define QSIM_MAX_LISTENERS	8

extern const struct qsim_class qsim_reg_listener_class;
extern const struct qsim_class qsim_reg_tabuf_class;
int qsim_listener_call(struct qsim_call *call, u32 id, const void *req,
		       size_t req_len, void *rsp, size_t rsp_len);
int qsim_tabuf_request(struct qsim_call *call, const u8 *uuid, u32 *mem_id);
int qsim_tabuf_get(struct qsim_call *call, const u8 *uuid, void *data,
		   size_t len);
int qsim_time_ms(struct qsim_call *call, u64 *ms);
int qsim_time_utc(struct qsim_call *call, u32 *sec, u32 *nsec);
void qsim_listeners_init(struct qcomtee_sim *sim);

/* storage.c */
#define QSIM_STORE_PUT		0
#define QSIM_STORE_GET		1
#define QSIM_STORE_DELETE	2
#define QSIM_STORE_LIST		3
#define QSIM_STORE_NAME_MAX	32
#define QSIM_STORE_DATA_MAX	4096
#define QSIM_STORE_INDEX_MAX	4096
/* A failed file system call of the FS listener: this plus its errno. */
#define QSIM_STORE_ERR_BASE	0x1000

int qsim_storage(struct qsim_call *call, unsigned int op, const u8 *name,
		 size_t nlen, void *data, size_t *len);
void qsim_listeners_fini(struct qcomtee_sim *sim);
unsigned int qsim_listeners_count(struct qcomtee_sim *sim);

/* apps.c */
int qsim_app_load(struct qcomtee_sim *sim, const struct qsim_cred *cred,
		  const void *image, size_t size, const u8 *uuid,
		  struct qsim_obj **ctrl);
int qsim_app_load_by_name(struct qcomtee_sim *sim,
			  const struct qsim_cred *cred, const char *name,
			  struct qsim_obj **ctrl);
void qsim_apps_fini(struct qcomtee_sim *sim);
struct qsim_app;
void qsim_app_get(struct qsim_app *app);
void qsim_app_put(struct qsim_app *app);
bool qsim_app_defunct(struct qsim_app *app, struct qsim_obj *obj);

/* tzecotest.c */
#define QSIM_ECOTEST_NAME	"tzecotestapp"

int qsim_ecotest_invoke(struct qsim_app *app, struct qsim_call *call, u32 op,
			struct qsim_args *a);

/* gptest.c */
#define QSIM_GPTEST_NAME	"gptest"

int qsim_gptest_invoke(struct qsim_app *app, struct qsim_call *call, u32 cmd,
		       struct qsim_gp_param *p, struct qsim_gp_result *res);

/* racer.c */
void qsim_racer_init(struct qcomtee_sim *sim);
int qsim_racer_arm(struct qcomtee_sim *sim);
void qsim_racer_start(struct qcomtee_sim *sim, struct qsim_call *call,
		      u8 *out, const struct qsim_args *args);
void qsim_racer_stop(struct qcomtee_sim *sim, struct qsim_call *call);
void qsim_racer_fini(struct qcomtee_sim *sim);

/* debugfs.c */
void qsim_debugfs_init(struct qcomtee_sim *sim);
void qsim_debugfs_fini(struct qcomtee_sim *sim);

#endif /* __QCOMTEE_SIM_INTERNAL_H */
