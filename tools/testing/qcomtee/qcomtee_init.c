// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the qcomtee test initramfs: mounts the pseudo filesystems, runs
 * the programs named after "--" on the kernel command line (or those of
 * /etc/qcomtee-run, one per line), asks kmemleak for a scan, prints
 *
 *	QCOMTEE-INIT-END status=<n>
 *
 * (n = 0 if every program exited with 0, else the first non-zero status,
 * 128 + signal for a killed program) and powers the machine off.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROGS	16

static void say(const char *fmt, const char *s, int n)
{
	printf(fmt, s, n);
	fflush(stdout);
}

static void do_mount(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("QCOMTEE-INIT: mount %s failed: %d\n", dst, errno);
}

static int run(char *prog)
{
	char *argv[8];
	int argc = 0, status;
	pid_t pid, w;
	char *tok, *save;

	for (tok = strtok_r(prog, " ", &save); tok && argc < 7;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (!argc)
		return 0;

	say("QCOMTEE-INIT: running %s%.0d\n", argv[0], 0);
	pid = fork();
	if (pid < 0)
		return 127;
	if (!pid) {
		char *envp[] = { "PATH=/bin", "HOME=/", NULL };

		execve(argv[0], argv, envp);
		_exit(127);
	}
	/* PID 1 reaps every orphan; stop at our child. */
	for (;;) {
		w = waitpid(-1, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return 127;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void kmemleak_scan(void)
{
	char buf[4096];
	ssize_t n;
	int fd, i;

	fd = open("/sys/kernel/debug/kmemleak", O_RDWR);
	if (fd < 0)
		return;
	/* Objects younger than 5 s are not reported: scan twice. */
	for (i = 0; i < 2; i++) {
		if (write(fd, "scan", 4) < 0)
			break;
		if (!i)
			sleep(6);
	}
	close(fd);
	fd = open("/sys/kernel/debug/kmemleak", O_RDONLY);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	fflush(stdout);
	close(fd);
}

int main(int argc, char **argv)
{
	char *progs[MAX_PROGS];
	char line[256];
	int nprogs = 0, i, st, status = 0;
	FILE *f;

	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("debugfs", "/sys/kernel/debug", "debugfs");
	do_mount("tmpfs", "/tmp", "tmpfs");

	for (i = 1; i < argc && nprogs < MAX_PROGS; i++)
		progs[nprogs++] = argv[i];
	if (!nprogs) {
		f = fopen("/etc/qcomtee-run", "r");
		while (f && fgets(line, sizeof(line), f) && nprogs < MAX_PROGS) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] && line[0] != '#')
				progs[nprogs++] = strdup(line);
		}
		if (f)
			fclose(f);
	}

	for (i = 0; i < nprogs; i++) {
		st = run(progs[i]);
		say("QCOMTEE-INIT: %s exit=%d\n", progs[i], st);
		if (st && !status)
			status = st;
	}

	kmemleak_scan();
	say("QCOMTEE-INIT-END%s status=%d\n", "", status);
	sync();
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
