// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the board kernel booted on the test firmware (run-fwtests.sh),
 * from inside: CPUs brought up (and one down and up again) through PSCI,
 * qcom_scm probed with the SMC64 convention, SHM bridges on, memory given
 * to another VM through qcom_scm, and QTEE reached over SMCINVOKE: the
 * qcomtee device registered by qcom_scm, the driver bound with QTEE's
 * version read at probe, and a kernel client's invocation from here; then
 * callbacks over the SMC path, served by a supplicant of this program:
 * ROOT op 2 reading the credentials object (QTEE's secure thread parks
 * on each callback and CB_RSP resumes it), the CB_RSP sent from the other
 * CPU than the INVOKE, an invocation from the other CPU while the thread
 * is parked, and more registrations at once than QTEE has threads (the
 * last one is answered busy until a thread is free, and retried); and the
 * test-control service's counters read over SMC.
 * Prints kselftest TAP; exits 1 if a check failed.
 *
 * Usage: qcomtee_fwcheck [-c CPUS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_testsvc.h"

#define LOG_SIZE	0x100000
/* The firmware's secure threads (firmware/fw.h FW_THREADS). */
#define FW_THREADS	4

static int ntests, nfailed;
static char *klog;

static void check(int ok, const char *name)
{
	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", ntests, name);
	fflush(stdout);
}

static int in_log(const char *s)
{
	return klog && strstr(klog, s);
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* The first line of a sysfs file, or "" if it cannot be read. */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The kernel log's lines that show what the firmware run is about. */
static void show_log(void)
{
	static const char *const keys[] = {
		"psci:", "SMP:", "qcom_scm", "qcom_tzmem", "rmtfs", "qcomtee", NULL
	};
	char *line, *save, *copy;
	int i;

	if (!klog)
		return;
	copy = strdup(klog);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (i = 0; keys[i]; i++)
			if (strstr(line, keys[i])) {
				printf("# %s\n", line);
				break;
			}
	free(copy);
}

static void read_online(char *buf, size_t size)
{
	read_line("/sys/devices/system/cpu/online", buf, size);
}

static int set_online(int cpu, int on)
{
	char path[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	f = fopen(path, "w");
	if (!f)
		return 0;
	ok = fputs(on ? "1" : "0", f) >= 0;
	return !fclose(f) && ok;
}

static int pin(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

/*
 * What the supplicant's handler does on a credentials object's first
 * request (getLength) before it answers; every request is then answered
 * by the library's credentials handler.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int mode;		/* one of the MODE_ values */
	pid_t invoker;		/* MODE_MOVE: the invoking thread */
	int other_cpu;
	uint64_t env;		/* MODE_INVOKE: an env to invoke */
	int invoke_err;		/* MODE_INVOKE: what the invocation gave */
	uint32_t version;
	int handler_cpu;
	unsigned int parked;	/* MODE_HOLD: getLength requests held */
} cbk = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

enum { MODE_PLAIN, MODE_MOVE, MODE_INVOKE, MODE_HOLD };

/* The feature-versions service's QTEE version, through @env. */
static int qtee_version_via(int fd, uint64_t env, uint32_t *ver)
{
	uint32_t feature = QTEE_FEATURE_VERSION, ret;
	struct tee_ioctl_param p[2];
	uint64_t svc;
	int err;

	err = qtee_open_service(fd, env, QTEE_UID_FEATURE, &svc);
	if (err)
		return err;
	qtee_ubuf_in(&p[0], &feature, sizeof(feature));
	qtee_ubuf_out(&p[1], ver, sizeof(*ver));
	err = qtee_invoke(fd, svc, 0, p, 2, &ret);
	qtee_release(fd, svc);
	return err ? err : (int)ret;
}

static uint32_t cbk_handler(struct qtee_supp *s, struct qtee_req *req,
			    void *meta, void *out, size_t cap)
{
	struct timespec ts;

	if (req->func == 0) {	/* getLength: QTEE's thread is parked */
		pthread_mutex_lock(&cbk.lock);
		cbk.handler_cpu = sched_getcpu();
		switch (cbk.mode) {
		case MODE_MOVE:
			/* The invoker wakes, and sends CB_RSP, there. */
			pin(cbk.invoker, cbk.other_cpu);
			break;
		case MODE_INVOKE:
			cbk.invoke_err = qtee_version_via(s->fd, cbk.env,
							  &cbk.version);
			break;
		case MODE_HOLD:
			/*
			 * Hold the answers until every thread is parked, then
			 * a little longer: the call without a thread is busy.
			 */
			cbk.parked++;
			pthread_cond_broadcast(&cbk.cond);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 10;
			while (cbk.parked < FW_THREADS &&
			       !pthread_cond_timedwait(&cbk.cond, &cbk.lock,
						       &ts))
				;
			pthread_mutex_unlock(&cbk.lock);
			usleep(200 * 1000);
			pthread_mutex_lock(&cbk.lock);
			break;
		}
		pthread_mutex_unlock(&cbk.lock);
	}
	return qtee_cred_handler(s, req, meta, out, cap);
}

struct reg_thread {
	pthread_t thread;
	int fd;
	uint64_t cred;
	int err;
};

static void *reg_fn(void *arg)
{
	struct reg_thread *r = arg;
	uint64_t env;

	r->err = qtee_get_env(r->fd, r->cred, &env);
	if (!r->err)
		qtee_release(r->fd, env);
	return NULL;
}

/* The test-control service (a model service), through @env. */
static void check_testsvc(int fd, uint64_t env, int have_env)
{
	uint64_t v[QCOMTEE_TESTSVC_STATS_NUM] = { 0 };
	struct qtee_testsvc t = { .fd = fd };
	int err;

	uint32_t faults[QCOMTEE_TESTSVC_FAULTS_SIZE / 4], ver = 0;
	int busy = -1, other = -1, ferr = -1;

	err = fd < 0 || !have_env ? -EBADF :
	      qtee_open_service(fd, env, QCOMTEE_TESTSVC_UID, &t.obj);
	if (!err) {
		err = qtee_testsvc_stats(&t, v);
		/* SMC errors armed in QTEE: busy is retried, others fail. */
		if (!qtee_testsvc_inject(&t, QCOMTEE_TESTSVC_FAULT_SCM_ERROR, 2,
					 -EBUSY))
			busy = qtee_version_via(fd, env, &ver);
		if (!qtee_testsvc_inject(&t, QCOMTEE_TESTSVC_FAULT_SCM_ERROR, 1,
					 -ENXIO))
			other = qtee_version_via(fd, env, &ver);
		ferr = qtee_testsvc_call(&t, QCOMTEE_TESTSVC_OP_FAULTS, NULL, 0,
					 faults, sizeof(faults));
		qtee_release(fd, t.obj);
	}
	printf("# STATS %d: objects %llu ns_refs %llu in_flight %llu waiting %llu bridges %llu heap %llu of %llu callbacks %llu invocations %llu\n",
	       err, (unsigned long long)v[QCOMTEE_TESTSVC_STAT_OBJECTS],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_NS_REFS],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_IN_FLIGHT],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_WAITING],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_BRIDGES],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_HEAP_USED],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_HEAP_TOTAL],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_CALLBACKS],
	       (unsigned long long)v[QCOMTEE_TESTSVC_STAT_INVOCATIONS]);
	/* This process's env holds its credentials object: one ref. */
	check(!err && v[QCOMTEE_TESTSVC_STAT_HEAP_TOTAL] == 4 << 20 &&
	      v[QCOMTEE_TESTSVC_STAT_HEAP_USED] &&
	      !v[QCOMTEE_TESTSVC_STAT_IN_FLIGHT] &&
	      !v[QCOMTEE_TESTSVC_STAT_WAITING] &&
	      v[QCOMTEE_TESTSVC_STAT_OBJECTS] >= 1 &&
	      v[QCOMTEE_TESTSVC_STAT_NS_REFS] >= 1 &&
	      v[QCOMTEE_TESTSVC_STAT_BRIDGES] >= 2 &&
	      v[QCOMTEE_TESTSVC_STAT_CALLBACKS] >= 8 &&
	      v[QCOMTEE_TESTSVC_STAT_INVOCATIONS] >= 10,
	      "the test-control service reads QTEE's counters over SMC");

	/* Per fault {remaining, arg, hits}: the SCM error hit 3 times. */
	printf("# SCM error -EBUSY x2: %d, -ENXIO: %d, faults %d: left %u hits %u\n",
	       busy, other, ferr, ferr ? 0 : faults[0], ferr ? 0 : faults[2]);
	check(!busy && other < 0 && !ferr && !faults[0] && faults[2] == 3,
	      "SCM errors armed through the test service: busy retried, another fails the call");
}

/* The callbacks over SMC; @cpus > 1 for the checks across CPUs. */
static void check_callbacks(int cpus)
{
	struct reg_thread regs[FW_THREADS + 1];
	struct qtee_supp supp;
	uint64_t env0 = 0, env;
	unsigned int i, ok;
	int fd, err, cpu, have_env0;

	fd = qtee_open();
	err = fd < 0 ? fd : qtee_supp_start(&supp, fd, FW_THREADS + 1,
					    cbk_handler, NULL);
	printf("# /dev/tee0 with a supplicant: %d\n", err);

	cbk.mode = MODE_PLAIN;
	err = err ?: qtee_get_env(fd, QTEE_CRED_ID_BASE, &env0);
	have_env0 = !err;
	/* getLength and readAtOffset at least, each a CB_RSP. */
	err = err ?: qtee_supp_wait_requests(&supp, 2, 1000);
	printf("# ROOT op 2: %d, %u callbacks answered\n", err,
	       fd < 0 ? 0 : supp.requests);
	check(!err,
	      "ROOT op 2 reads the credentials through callbacks: CB_RSP resumes QTEE's thread");

	/* The invoker on CPU 0; the handler moves it to CPU 1 meanwhile. */
	cbk.mode = MODE_MOVE;
	cbk.invoker = syscall(SYS_gettid);
	cbk.other_cpu = cpus - 1;
	pin(cbk.invoker, 0);
	err = fd < 0 ? fd : qtee_get_env(fd, QTEE_CRED_ID_BASE, &env);
	cpu = sched_getcpu();
	if (!err)
		qtee_release(fd, env);
	printf("# INVOKE from cpu0, CB_RSP from cpu%d: %d\n", cpu, err);
	check(cpus > 1 && !err && cpu == cpus - 1,
	      "a callback answered from the other CPU resumes the right thread");

	/* The handler, on CPU 1, invokes QTEE while the thread is parked. */
	cbk.mode = MODE_INVOKE;
	cbk.env = env0;
	cbk.invoke_err = -1;
	pin(cbk.invoker, 0);
	for (i = 0; fd >= 0 && i < supp.nthreads; i++) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpus - 1, &set);
		pthread_setaffinity_np(supp.threads[i], sizeof(set), &set);
	}
	err = fd < 0 ? fd : qtee_get_env(fd, QTEE_CRED_ID_BASE, &env);
	if (!err)
		qtee_release(fd, env);
	printf("# handler on cpu%d: version query %d (0x%x), registration %d\n",
	       cbk.handler_cpu, cbk.invoke_err, cbk.version, err);
	check(cpus > 1 && !err && cbk.handler_cpu == cpus - 1 &&
	      !cbk.invoke_err && cbk.version == 2u << 22,
	      "an invocation from the other CPU completes while QTEE's thread is parked");

	/* One registration more than QTEE has threads, all at once. */
	cbk.mode = MODE_HOLD;
	cbk.parked = 0;
	for (i = 0; i < FW_THREADS + 1; i++) {
		regs[i].fd = fd;
		regs[i].cred = QTEE_CRED_ID_BASE + 1 + i;
		regs[i].err = -EAGAIN;
		if (fd >= 0 &&
		    pthread_create(&regs[i].thread, NULL, reg_fn, &regs[i]))
			regs[i].fd = -1;
	}
	for (i = 0, ok = 0; i < FW_THREADS + 1; i++) {
		if (fd >= 0 && regs[i].fd >= 0)
			pthread_join(regs[i].thread, NULL);
		ok += !regs[i].err;
	}
	printf("# %u of %u registrations at once succeeded (%u held)\n", ok,
	       FW_THREADS + 1, cbk.parked);
	check(ok == FW_THREADS + 1 && cbk.parked == FW_THREADS + 1,
	      "more registrations at once than QTEE has threads: all succeed");

	check_testsvc(fd, env0, have_env0);
	if (fd >= 0) {
		if (have_env0)
			qtee_release(fd, env0);
		qtee_supp_stop(&supp);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	char online[64], want[64], line[256];
	char *dev, *drv;
	int cpus = 2, opt, n, down, up;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt != 'c') {
			fprintf(stderr, "usage: %s [-c CPUS]\n", argv[0]);
			return 2;
		}
		cpus = atoi(optarg);
	}

	klog = malloc(LOG_SIZE);
	n = klog ? klogctl(3, klog, LOG_SIZE - 1) : -1;	/* READ_ALL */
	if (n < 0) {
		free(klog);
		klog = NULL;
	} else {
		klog[n] = '\0';
	}

	printf("1..15\n");
	show_log();

	read_online(online, sizeof(online));
	snprintf(want, sizeof(want), cpus > 1 ? "0-%d" : "0", cpus - 1);
	printf("# cpus online: %s (want %s)\n", online, want);
	check(!strcmp(online, want) && in_log("psci: PSCIv1.") &&
	      !in_log("failed to come online"),
	      "every CPU online through PSCI CPU_ON");

	/* The last CPU down (CPU_OFF, AFFINITY_INFO) and up (CPU_ON). */
	down = cpus > 1 && set_online(cpus - 1, 0);
	read_online(online, sizeof(online));
	snprintf(want, sizeof(want), cpus > 2 ? "0-%d" : "0", cpus - 2);
	down = down && !strcmp(online, want);
	printf("# cpu%d offline: cpus online: %s\n", cpus - 1, online);
	up = cpus > 1 && set_online(cpus - 1, 1);
	read_online(online, sizeof(online));
	snprintf(want, sizeof(want), "0-%d", cpus - 1);
	printf("# cpu%d online again: cpus online: %s\n", cpus - 1, online);
	check(down && up && !strcmp(online, want),
	      "the last CPU down through PSCI CPU_OFF and up again");

	check(in_log("qcom_scm: convention: smc arm 64"),
	      "qcom_scm uses the SMC64 convention");

	check(exists("/sys/bus/platform/drivers/qcom_scm/firmware:scm"),
	      "qcom_scm bound to /firmware/scm");

	check(klog && !in_log("SHM Bridge not supported") &&
	      !in_log("Failed to enable the TrustZone memory allocator"),
	      "qcom_tzmem uses SHM bridges");

	check(exists("/sys/class/rmtfs/qcom_rmtfs_mem1") && klog &&
	      !in_log("assign memory failed"),
	      "qcom_rmtfs_mem gave its region to the modem (MP_ASSIGN)");

	/* qcom_scm registers it under its own device after the probe. */
	dev = realpath("/sys/bus/platform/devices/qcomtee", NULL);
	drv = realpath("/sys/bus/platform/devices/qcomtee/driver", NULL);
	printf("# qcomtee device: %s, driver: %s\n", dev ? dev : "none",
	       drv ? drv : "none");
	check(dev && strstr(dev, "/firmware:scm/qcomtee") && drv &&
	      strstr(drv, "/drivers/qcomtee") && exists("/dev/tee0"),
	      "qcomtee device registered by qcom_scm, the driver bound, /dev/tee0");
	free(dev);
	free(drv);

	check(in_log("qcomtee qcomtee: QTEE version 2.0.0") &&
	      !in_log("QTEE version unknown"),
	      "the driver read QTEE's version at probe over SMCINVOKE");

	/* The diagnostics client invokes QTEE when its attribute is read. */
	read_line("/sys/bus/tee/devices/tee0-svc-143/heap_info", line,
		  sizeof(line));
	printf("# tee0-svc-143/heap_info: %s\n", line);
	check(!strncmp(line, "total 4194304 used ", 19),
	      "qcomtee-diag reads QTEE's heap over SMCINVOKE (4 MiB heap)");

	check_callbacks(cpus);

	printf("# %d passed, %d failed\n", ntests - nfailed, nfailed);
	free(klog);
	return nfailed ? 1 : 0;
}
