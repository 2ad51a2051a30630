// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the board kernel booted on the test firmware (run-fwtests.sh),
 * from inside: CPUs brought up (and one down and up again) through PSCI,
 * qcom_scm probed with the SMC64 convention, SHM bridges on, memory given
 * to another VM through qcom_scm, and QTEE reached over SMCINVOKE: the
 * qcomtee device registered by qcom_scm, the driver bound with QTEE's
 * version read at probe, and a kernel client's invocation from here.
 * Prints kselftest TAP; exits 1 if a check failed.
 *
 * Usage: qcomtee_fwcheck [-c CPUS]
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_SIZE	0x100000

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

	printf("1..9\n");
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

	printf("# %d passed, %d failed\n", ntests - nfailed, nfailed);
	free(klog);
	return nfailed ? 1 : 0;
}
