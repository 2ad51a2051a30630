// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: instances and the module.
 *
 * An instance is a whole simulated secure world with its own object table,
 * heap, secure threads, SHM bridges and fault controls. It registers a
 * "qcomtee" platform device whose platform data is a struct
 * qcomtee_transport pointing at it, so the QTEE backend binds to it as it
 * binds to the SCM driver's device on real hardware. Loading the module
 * creates one default instance (module parameter default_instance).
 */

/**
 * DOC: Simulated QTEE design
 *
 * Transport (transport.c): INVOKE and CB_RSP get buffers by physical
 * address only. A range must be page aligned, whole pages, at most 4 MiB,
 * RAM, and (unless allow_unbridged) inside one registered SHM bridge, or
 * the SMC call fails with -EINVAL (not serviced). A serviced call returns
 * 0 with response type 3 (callback request in the outbound buffer) or 0
 * (complete) and the QTEE result sign-extended to 64 bits.
 *
 * Threads (threads.c): a call to an object whose class may call back runs
 * on a work item of the instance's per-CPU workqueue (on the caller's CPU),
 * its secure thread;
 * the SMC caller sleeps until the thread finishes or posts a callback
 * request, then returns. CB_RSP finds the thread by the outbound buffer's
 * physical address, hands it the answer and sleeps again. Classes that
 * never call back (client env, diagnostics, feature versions, skeleton
 * app, controller, counters, RELEASE/RETAIN) run inline in the SMC caller.
 * A thread whose kernel side disappears (instance destroy, SHM bridge of
 * one of its buffers deleted, qcomtee_sim_abort_waiting()) is orphaned:
 * its pending and later callbacks return ABORT (-91) and it frees itself.
 *
 * Locking: thr.lock (call states, waiting list) nests outside the model's
 * ns_lock (kernel ids held, pending releases), the object table's
 * spinlock (also guarding every object's kernel_refs), app_lock and each
 * app's lock; br_lock (bridges) and the heap spinlock are leaves.
 *
 * Lifetime: secure objects are kref counted; each handle the kernel holds
 * is one reference, also counted in kernel_refs so that ids the kernel
 * does not hold answer BADOBJ. Kernel ids the secure side receives are one
 * reference each, counted per id; dropping one queues an async RELEASE
 * written into the next outbound buffer returned to the kernel. When an
 * invocation fails (nonzero result), nothing changes hands: the IO kernel
 * ids it carried are forgotten without a release, and no OO is returned.
 *
 * Not modelled: real TA code execution (built-in implementations stand in
 * for images, chosen by metadata name), signatures, TA-to-TA calls,
 * listeners and GP services (UIDs 87, 409), heap fragmentation, SMC
 * preemption/resume of a call inside QTEE, and the memory-ordering and
 * caching effects of a real secure world.
 */

#include <linux/export.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "sim.h"
#include "qcomtee_testsvc.h"

#define QSIM_DEFAULT_MAX_OBJECTS	4096
#define QSIM_DEFAULT_HEAP		(8u << 20)
#define QSIM_DEFAULT_MAX_APPS		8
#define QSIM_DEFAULT_VERSION		QCOMTEE_SIM_VERSION(2, 0, 0)

static bool default_instance = true;
module_param(default_instance, bool, 0444);
MODULE_PARM_DESC(default_instance,
		 "Create one simulated QTEE when the module loads (default: true)");

static bool allow_unbridged;
module_param(allow_unbridged, bool, 0444);
MODULE_PARM_DESC(allow_unbridged,
		 "Default instance accepts buffers outside SHM bridges (default: false)");

static unsigned int max_objects;
module_param(max_objects, uint, 0444);
MODULE_PARM_DESC(max_objects,
		 "Default instance's object table capacity (default: 4096)");

static DEFINE_IDA(qsim_ida);
static struct qcomtee_sim *qsim_default;

/* The model's object table, with ROOT (services.c) in it. */
static void qsim_objects_init(struct qcomtee_sim *sim)
{
	qsim_core_init(&sim->core, sim, &sim->root, sim->cfg.max_objects,
		       &sim->heap, &sim->faults);
	sim->root.cls = &qsim_root_class;
	sim->core.version = sim->cfg.version;
}

/*
 * At destroy, or a failed create: the kernel's leftover references first,
 * then the apps (still loaded apps may hold objects in their slots).
 */
static void qsim_objects_fini(struct qcomtee_sim *sim)
{
	qsim_core_drop_kernel_refs(&sim->core);
	qsim_apps_fini(sim);
	qsim_core_fini(&sim->core);
}

/**
 * qcomtee_sim_create() - create a simulated QTEE instance
 * @cfg: configuration, or NULL for the defaults.
 *
 * Registers a "qcomtee" platform device (PLATFORM_DEVID_AUTO) for the QTEE
 * backend to bind to, and a debugfs directory qcomtee_sim<N>.
 *
 * Return: the instance or an ERR_PTR().
 */
struct qcomtee_sim *qcomtee_sim_create(const struct qcomtee_sim_config *cfg)
{
	struct qcomtee_sim *sim;
	int ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);
	if (cfg)
		sim->cfg = *cfg;
	if (!sim->cfg.max_objects)
		sim->cfg.max_objects = QSIM_DEFAULT_MAX_OBJECTS;
	sim->cfg.max_objects = min(sim->cfg.max_objects, 1u << 30);
	if (!sim->cfg.heap_size)
		sim->cfg.heap_size = QSIM_DEFAULT_HEAP;
	if (!sim->cfg.max_apps)
		sim->cfg.max_apps = QSIM_DEFAULT_MAX_APPS;
	if (!sim->cfg.version)
		sim->cfg.version = QSIM_DEFAULT_VERSION;
	sim->allow_unbridged = sim->cfg.allow_unbridged;

	atomic_set(&sim->active, 0);
	init_waitqueue_head(&sim->idle_wq);
	mutex_init(&sim->br_lock);
	xa_init_flags(&sim->bridges, XA_FLAGS_ALLOC1);
	sim->next_handle = 1;
	qsim_threads_init(&sim->thr);
	mutex_init(&sim->app_lock);
	INIT_LIST_HEAD(&sim->apps);
	qsim_listeners_init(sim);
	qsim_heap_init(&sim->heap, sim->cfg.heap_size);
	qsim_faults_clear(&sim->faults);
	qsim_racer_init(sim);
	qsim_objects_init(sim);

	ret = ida_alloc(&qsim_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_free;
	sim->index = ret;

	sim->wq = alloc_workqueue("qcomtee_sim%d", 0, WQ_MAX_ACTIVE,
				  sim->index);
	if (!sim->wq) {
		ret = -ENOMEM;
		goto err_ida;
	}
	qsim_debugfs_init(sim);

	sim->transport.ops = &qsim_transport_ops;
	sim->transport.priv = sim;
	sim->pdev = platform_device_register_data(NULL,
						  QCOMTEE_TRANSPORT_DEVICE_NAME,
						  PLATFORM_DEVID_AUTO,
						  &sim->transport,
						  sizeof(sim->transport));
	if (IS_ERR(sim->pdev)) {
		ret = PTR_ERR(sim->pdev);
		goto err_wq;
	}

	return sim;

err_wq:
	qsim_debugfs_fini(sim);
	destroy_workqueue(sim->wq);
err_ida:
	ida_free(&qsim_ida, sim->index);
err_free:
	qsim_objects_fini(sim);
	kfree(sim);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_create);

/**
 * qcomtee_sim_destroy() - tear an instance down
 * @sim: instance, may be NULL or an ERR_PTR().
 *
 * Unregisters the platform device (the backend unbinds), refuses new SMC
 * calls, waits for the ones being serviced, aborts every secure thread
 * still waiting for a callback response (its callback returns ABORT) and
 * frees all objects, apps, bridges and references.
 */
void qcomtee_sim_destroy(struct qcomtee_sim *sim)
{
	if (IS_ERR_OR_NULL(sim))
		return;

	platform_device_unregister(sim->pdev);

	WRITE_ONCE(sim->dying, true);
	WRITE_ONCE(sim->thr.dying, true);
	/* Pairs with qsim_enter(): either it sees dying or we see active. */
	smp_mb();
	wait_event(sim->idle_wq, !atomic_read(&sim->active));
	qsim_threads_abort(&sim->thr);
	qsim_racer_fini(sim);
	destroy_workqueue(sim->wq);
	WARN_ON(qsim_atomic_read(&sim->thr.in_flight));

	qsim_debugfs_fini(sim);
	qsim_listeners_fini(sim);
	qsim_objects_fini(sim);
	qsim_bridges_fini(sim);
	WARN_ON(qsim_heap_used(sim));
	ida_free(&qsim_ida, sim->index);
	mutex_destroy(&sim->app_lock);
	qsim_mutex_destroy(&sim->thr.lock);
	mutex_destroy(&sim->br_lock);
	kfree(sim);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_destroy);

/**
 * qcomtee_sim_get_default() - the instance created at module load
 *
 * Return: the default instance, or NULL if there is none.
 */
struct qcomtee_sim *qcomtee_sim_get_default(void)
{
	return qsim_default;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_get_default);

/**
 * qcomtee_sim_pdev() - the instance's "qcomtee" platform device
 * @sim: instance.
 *
 * Return: the platform device.
 */
struct platform_device *qcomtee_sim_pdev(struct qcomtee_sim *sim)
{
	return sim->pdev;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_pdev);

/**
 * qcomtee_sim_transport() - the transport the instance hands the backend
 * @sim: instance.
 *
 * Return: the transport (ops and priv), valid while @sim lives.
 */
const struct qcomtee_transport *qcomtee_sim_transport(struct qcomtee_sim *sim)
{
	return &sim->transport;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_transport);

/**
 * qcomtee_sim_get_stats() - snapshot of what the instance holds
 * @sim: instance.
 * @stats: filled in.
 */
void qcomtee_sim_get_stats(struct qcomtee_sim *sim,
			   struct qcomtee_sim_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	qsim_core_counts(&sim->core, &stats->objects, &stats->ns_refs,
			 &stats->ns_ids, &stats->pending_releases);

	qsim_threads_counts(&sim->thr, &stats->in_flight, &stats->waiting);

	mutex_lock(&sim->br_lock);
	stats->bridges = sim->nbridges;
	mutex_unlock(&sim->br_lock);

	mutex_lock(&sim->app_lock);
	stats->apps = sim->napps;
	mutex_unlock(&sim->app_lock);

	stats->listeners = qsim_listeners_count(sim);
	stats->heap_used = qsim_heap_used(sim);
	stats->heap_total = sim->heap.total;
	stats->async_releases = qsim_atomic64_read(&sim->core.async_releases);
	stats->async_dirty = qsim_atomic64_read(&sim->core.async_dirty);
	stats->release_callbacks = atomic64_read(&sim->release_cbs);
	stats->callbacks = qsim_atomic64_read(&sim->thr.callbacks);
	stats->invocations = atomic64_read(&sim->invocations);
	spin_lock(&sim->racer.lock);
	stats->race_rewrites = sim->racer.rewrites;
	spin_unlock(&sim->racer.lock);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_get_stats);

/**
 * qcomtee_sim_idle() - is nothing held or in flight?
 * @sim: instance.
 *
 * Return: true when no secure object (besides ROOT), kernel reference,
 * pending release, invocation, app, bridge or heap byte is in use: the
 * state a test must leave behind.
 */
bool qcomtee_sim_idle(struct qcomtee_sim *sim)
{
	struct qcomtee_sim_stats st;

	qcomtee_sim_get_stats(sim, &st);

	return !st.objects && !st.ns_refs && !st.in_flight && !st.waiting &&
	       !st.bridges && !st.heap_used && !st.apps &&
	       !st.pending_releases;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_idle);

/**
 * qcomtee_sim_set_version() - set the QTEE version reported by feature 10
 * @sim: instance.
 * @version: encoded as QCOMTEE_SIM_VERSION(major, minor, patch).
 */
void qcomtee_sim_set_version(struct qcomtee_sim *sim, u32 version)
{
	WRITE_ONCE(sim->core.version, version);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_set_version);

/**
 * qcomtee_sim_set_allow_unbridged() - accept buffers outside SHM bridges
 * @sim: instance.
 * @allow: true to accept them; false (default) fails such SMC calls with
 *	-EINVAL.
 */
void qcomtee_sim_set_allow_unbridged(struct qcomtee_sim *sim, bool allow)
{
	WRITE_ONCE(sim->allow_unbridged, allow);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_set_allow_unbridged);

/**
 * qcomtee_sim_inject() - arm a fault
 * @sim: instance.
 * @fault: which fault (enum qcomtee_sim_fault).
 * @count: how many times it fires (ignored for QCOMTEE_SIM_FAULT_DELAY).
 * @arg: fault argument, see enum qcomtee_sim_fault.
 *
 * Return: 0, -EINVAL for an unknown fault, or the errno of starting the
 * racing writer.
 */
int qcomtee_sim_inject(struct qcomtee_sim *sim, enum qcomtee_sim_fault fault,
		       unsigned int count, int arg)
{
	int err = 0;

	if ((unsigned int)fault < QCOMTEE_SIM_FAULT_MAX)
		err = qsim_host_fault_arm(sim, fault, count);

	return err ?: qsim_faults_arm(&sim->faults, fault, count, arg);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_inject);

/**
 * qsim_host_fault_arm() - start what a fault needs before it is armed
 * @sim: instance.
 * @fault: the fault.
 * @count: occurrences.
 *
 * Every fault fires on this host; the racing writer is a kernel thread
 * (the simulator's own fault) and starts on its first arming.
 *
 * Return: 0 or the errno of starting the racing writer.
 */
int qsim_host_fault_arm(struct qcomtee_sim *sim, unsigned int fault,
			unsigned int count)
{
	if (fault == QCOMTEE_SIM_FAULT_RACE && count)
		return qsim_racer_arm(sim);

	return 0;
}

/**
 * qsim_host_stats() - the simulator's counters of the test service's STATS
 * @sim: instance.
 * @v: the counters.
 */
void qsim_host_stats(struct qcomtee_sim *sim, u64 *v)
{
	struct qcomtee_sim_stats st;

	qcomtee_sim_get_stats(sim, &st);
	v[QCOMTEE_TESTSVC_STAT_BRIDGES] = st.bridges;
	v[QCOMTEE_TESTSVC_STAT_APPS] = st.apps;
	v[QCOMTEE_TESTSVC_STAT_LISTENERS] = st.listeners;
	v[QCOMTEE_TESTSVC_STAT_RELEASE_CBS] = st.release_callbacks;
	v[QCOMTEE_TESTSVC_STAT_INVOCATIONS] = st.invocations;
	v[QCOMTEE_TESTSVC_STAT_RACE_REWRITES] = st.race_rewrites;
}

/**
 * qsim_host_unbridged() - get or set qcomtee_sim_set_allow_unbridged()
 * @sim: instance.
 * @val: the setting.
 * @set: change it.
 *
 * Return: 0.
 */
int qsim_host_unbridged(struct qcomtee_sim *sim, u32 *val, bool set)
{
	if (set)
		qcomtee_sim_set_allow_unbridged(sim, *val);
	else
		*val = READ_ONCE(sim->allow_unbridged);

	return 0;
}

/**
 * qcomtee_sim_clear_faults() - disarm every fault and clear the hit counts
 * @sim: instance.
 */
void qcomtee_sim_clear_faults(struct qcomtee_sim *sim)
{
	qsim_faults_clear(&sim->faults);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_clear_faults);

/**
 * qcomtee_sim_abort_waiting() - abandon every secure thread waiting for a
 *	callback response
 * @sim: instance.
 *
 * Their callbacks return ABORT (-91); the threads finish on their own and
 * free themselves. A later CB_RSP for their buffers completes with
 * UNAVAIL.
 *
 * Return: threads aborted.
 */
unsigned int qcomtee_sim_abort_waiting(struct qcomtee_sim *sim)
{
	return qsim_threads_abort(&sim->thr);
}
EXPORT_SYMBOL_GPL(qcomtee_sim_abort_waiting);

/**
 * qsim_host_abort_waiting() - qcomtee_sim_abort_waiting(), for the test
 *	service: the orphans finish on their own workers
 * @sim: instance.
 *
 * Return: threads aborted.
 */
unsigned int qsim_host_abort_waiting(struct qcomtee_sim *sim)
{
	return qcomtee_sim_abort_waiting(sim);
}

static int __init qcomtee_sim_init(void)
{
	struct qcomtee_sim_config cfg = {
		.allow_unbridged = allow_unbridged,
		.max_objects = max_objects,
	};
	struct qcomtee_sim *sim;

	if (!default_instance)
		return 0;
	sim = qcomtee_sim_create(&cfg);
	if (IS_ERR(sim))
		return PTR_ERR(sim);
	qsim_default = sim;

	return 0;
}
module_init(qcomtee_sim_init);

static void __exit qcomtee_sim_exit(void)
{
	qcomtee_sim_destroy(qsim_default);
	qsim_default = NULL;
}
module_exit(qcomtee_sim_exit);

MODULE_DESCRIPTION("Simulated Qualcomm TEE (QTEE) for testing");
MODULE_LICENSE("GPL");
