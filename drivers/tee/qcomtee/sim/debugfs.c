// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: debugfs controls under /sys/kernel/debug/qcomtee_sim<N>/.
 *
 *   stats           counters (read)
 *   faults          armed faults: name, remaining count, argument, hits
 *   inject          write "<fault> <count> [<arg>]" to arm a fault, or
 *                   "clear" to disarm all
 *   abort_waiting   write anything: abort threads waiting for a CB_RSP
 *   allow_unbridged accept buffers outside SHM bridges (bool)
 *   version         QTEE version reported by feature 10
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sim.h"

static const char *const qsim_fault_names[QCOMTEE_SIM_FAULT_MAX] = {
	[QCOMTEE_SIM_FAULT_SCM_ERROR] = "scm_error",
	[QCOMTEE_SIM_FAULT_CB_BAD_COUNTS] = "cb_bad_counts",
	[QCOMTEE_SIM_FAULT_CB_BAD_OFFSET] = "cb_bad_offset",
	[QCOMTEE_SIM_FAULT_CB_BAD_ID] = "cb_bad_id",
	[QCOMTEE_SIM_FAULT_ASYNC_BAD_VERSION] = "async_bad_version",
	[QCOMTEE_SIM_FAULT_ASYNC_HUGE_COUNT] = "async_huge_count",
	[QCOMTEE_SIM_FAULT_ASYNC_TRUNCATED] = "async_truncated",
	[QCOMTEE_SIM_FAULT_OB_SIZE] = "ob_size",
	[QCOMTEE_SIM_FAULT_NOSLOTS] = "noslots",
	[QCOMTEE_SIM_FAULT_DELAY] = "delay",
	[QCOMTEE_SIM_FAULT_RACE] = "race",
};

static int qsim_stats_show(struct seq_file *s, void *unused)
{
	struct qcomtee_sim *sim = s->private;
	struct qcomtee_sim_stats st;

	qcomtee_sim_get_stats(sim, &st);
	seq_printf(s, "objects %u\n", st.objects);
	seq_printf(s, "ns_refs %u\n", st.ns_refs);
	seq_printf(s, "ns_ids %u\n", st.ns_ids);
	seq_printf(s, "in_flight %u\n", st.in_flight);
	seq_printf(s, "waiting %u\n", st.waiting);
	seq_printf(s, "bridges %u\n", st.bridges);
	seq_printf(s, "heap_used %zu\n", st.heap_used);
	seq_printf(s, "heap_total %zu\n", st.heap_total);
	seq_printf(s, "apps %u\n", st.apps);
	seq_printf(s, "async_releases %llu\n", st.async_releases);
	seq_printf(s, "async_dirty %llu\n", st.async_dirty);
	seq_printf(s, "release_callbacks %llu\n", st.release_callbacks);
	seq_printf(s, "callbacks %llu\n", st.callbacks);
	seq_printf(s, "invocations %llu\n", st.invocations);
	seq_printf(s, "race_rewrites %llu\n", st.race_rewrites);
	seq_printf(s, "pending_releases %u\n", st.pending_releases);
	seq_printf(s, "listeners %u\n", st.listeners);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qsim_stats);

static int qsim_faults_show(struct seq_file *s, void *unused)
{
	struct qcomtee_sim *sim = s->private;
	unsigned int i;

	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++)
		seq_printf(s, "%s %d %d %d\n", qsim_fault_names[i],
			   atomic_read(&sim->faults.count[i]),
			   READ_ONCE(sim->faults.arg[i]),
			   atomic_read(&sim->faults.hits[i]));

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qsim_faults);

static ssize_t qsim_inject_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct qcomtee_sim *sim = file->private_data;
	char buf[64], name[24];
	unsigned int count, i;
	int arg = 0, n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sysfs_streq(buf, "clear")) {
		qcomtee_sim_clear_faults(sim);
		return len;
	}
	n = sscanf(buf, "%23s %u %d", name, &count, &arg);
	if (n < 2)
		return -EINVAL;
	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++)
		if (!strcmp(name, qsim_fault_names[i]))
			break;
	if (i == QCOMTEE_SIM_FAULT_MAX)
		return -EINVAL;
	/* "delay <ms>" is accepted as well as "delay <count> <ms>". */
	if (i == QCOMTEE_SIM_FAULT_DELAY && n == 2)
		arg = count;
	qcomtee_sim_inject(sim, i, count, arg);

	return len;
}

static const struct file_operations qsim_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = qsim_inject_write,
};

static ssize_t qsim_abort_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	qcomtee_sim_abort_waiting(file->private_data);

	return len;
}

static const struct file_operations qsim_abort_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = qsim_abort_write,
};

/**
 * qsim_debugfs_init() - create the instance's debugfs directory
 * @sim: instance.
 */
void qsim_debugfs_init(struct qcomtee_sim *sim)
{
	char name[32];
	struct dentry *d;

	snprintf(name, sizeof(name), "qcomtee_sim%d", sim->index);
	d = debugfs_create_dir(name, NULL);
	sim->debugfs = d;
	debugfs_create_file("stats", 0444, d, sim, &qsim_stats_fops);
	debugfs_create_file("faults", 0444, d, sim, &qsim_faults_fops);
	debugfs_create_file("inject", 0200, d, sim, &qsim_inject_fops);
	debugfs_create_file("abort_waiting", 0200, d, sim, &qsim_abort_fops);
	debugfs_create_bool("allow_unbridged", 0600, d, &sim->allow_unbridged);
	debugfs_create_x32("version", 0600, d, &sim->core.version);
}

/**
 * qsim_debugfs_fini() - remove the instance's debugfs directory
 * @sim: instance.
 */
void qsim_debugfs_fini(struct qcomtee_sim *sim)
{
	debugfs_remove_recursive(sim->debugfs);
	sim->debugfs = NULL;
}
