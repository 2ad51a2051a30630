// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs of a QTEE instance: /sys/kernel/debug/qcomtee-<teeN>/stats, the
 * driver's object and buffer counters. The fuzzer and the stress test read
 * it after a run: with every client gone, the object counters must be zero.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "qcomtee.h"

static int qcomtee_stats_show(struct seq_file *s, void *unused)
{
	struct qcomtee *qcomtee = s->private;
	unsigned int pooled = qcomtee_msgbuf_pooled(qcomtee);

	seq_printf(s, "tee_objects %d\n", atomic_read(&qcomtee->stats.tee_objects));
	seq_printf(s, "cb_objects %d\n", atomic_read(&qcomtee->stats.cb_objects));
	seq_printf(s, "cb_exported %d\n", atomic_read(&qcomtee->stats.cb_exported));
	seq_printf(s, "inflight %lld\n",
		   percpu_counter_sum(&qcomtee->inflight));
	seq_printf(s, "bufs_allocated %d\n",
		   atomic_read(&qcomtee->stats.bufs_allocated));
	seq_printf(s, "bufs_pooled %u\n", pooled);
	seq_printf(s, "callbacks %d\n", atomic_read(&qcomtee->stats.callbacks));
	seq_printf(s, "bad_callbacks %d\n",
		   atomic_read(&qcomtee->stats.bad_callbacks));
	seq_printf(s, "async_bad %d\n", atomic_read(&qcomtee->stats.async_bad));
	seq_printf(s, "release_failed %d\n",
		   atomic_read(&qcomtee->stats.release_failed));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qcomtee_stats);

/**
 * qcomtee_debugfs_init() - Create the instance's debugfs directory
 * @qcomtee: a registered instance.
 *
 * Failures are ignored, as everywhere with debugfs.
 */
void qcomtee_debugfs_init(struct qcomtee *qcomtee)
{
	char name[32];

	snprintf(name, sizeof(name), "qcomtee-%s",
		 dev_name(&qcomtee->teedev->dev));
	qcomtee->debugfs = debugfs_create_dir(name, NULL);
	debugfs_create_file("stats", 0400, qcomtee->debugfs, qcomtee,
			    &qcomtee_stats_fops);
}

/**
 * qcomtee_debugfs_exit() - Remove the instance's debugfs directory
 * @qcomtee: the instance.
 */
void qcomtee_debugfs_exit(struct qcomtee *qcomtee)
{
	debugfs_remove_recursive(qcomtee->debugfs);
	qcomtee->debugfs = NULL;
}
