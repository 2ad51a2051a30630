// SPDX-License-Identifier: GPL-2.0
/*
 * make coverage: copy the kernel's gcov data out of the QEMU guest through
 * the serial console. Run by init (qcomtee_init.c) from the coverage
 * initramfs after the tests:
 *
 *	gcov_dump -l LEVEL	set the console loglevel (/proc/sys/kernel/printk)
 *	gcov_dump [FILTER]	print every .gcda file under /sys/kernel/debug/gcov
 *				whose path contains FILTER (default "/drivers/tee/")
 *
 * Each file is printed as
 *
 *	QCOMTEE-GCDA-BEGIN <size> <crc32> <path>
 *	QCOMTEE-GCDA <base64, 76 characters a line>
 *	...
 *	QCOMTEE-GCDA-END <path>
 *
 * followed by "QCOMTEE-GCOV-DONE files=<n> failed=<n>" at the end; the host
 * (coverage-report.py) checks size and CRC-32 (zlib's) and writes the files
 * next to the .gcno files of the build. The console loglevel is lowered to 1
 * while dumping so that kernel messages do not break into the lines.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GCOV_ROOT	"/sys/kernel/debug/gcov"
#define PRINTK		"/proc/sys/kernel/printk"

static const char *filter = "/drivers/tee/";
static int nfiles, nfailed;

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	int k;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

static void base64_lines(const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[80];
	size_t i, len = 0;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		line[len++] = tab[(v >> 18) & 63];
		line[len++] = tab[(v >> 12) & 63];
		line[len++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		line[len++] = i + 2 < n ? tab[v & 63] : '=';
		if (len == 76 || i + 3 >= n) {
			line[len] = '\0';
			printf("QCOMTEE-GCDA %s\n", line);
			len = 0;
		}
	}
}

/* debugfs files report no useful size: read until EOF. */
static unsigned char *slurp(const char *path, size_t *size)
{
	unsigned char *buf = NULL, *nbuf;
	size_t cap = 0, len = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap);
			if (!nbuf)
				goto fail;
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (!r)
			break;
		len += r;
	}
	close(fd);
	*size = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	size_t n = strlen(path), size;
	unsigned char *data;

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".gcda") ||
	    !strstr(path, filter))
		return 0;
	data = slurp(path, &size);
	if (!data) {
		printf("QCOMTEE-GCDA-ERROR %d %s\n", errno, path);
		nfailed++;
		return 0;
	}
	printf("QCOMTEE-GCDA-BEGIN %zu %08x %s\n", size, crc32(0, data, size),
	       path + strlen(GCOV_ROOT));
	base64_lines(data, size);
	printf("QCOMTEE-GCDA-END %s\n", path + strlen(GCOV_ROOT));
	fflush(stdout);
	free(data);
	nfiles++;
	return 0;
}

static int set_loglevel(const char *level)
{
	int fd = open(PRINTK, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, level, strlen(level));
	close(fd);
	return r < 0 ? -1 : 0;
}

static char *get_loglevel(void)
{
	static char level[16];
	ssize_t r;
	int fd;

	fd = open(PRINTK, O_RDONLY);
	if (fd < 0)
		return NULL;
	r = read(fd, level, sizeof(level) - 1);
	close(fd);
	if (r <= 0)
		return NULL;
	level[r] = '\0';
	level[strspn(level, "0123456789")] = '\0';
	return level[0] ? level : NULL;
}

int main(int argc, char **argv)
{
	char *old;

	if (argc == 3 && !strcmp(argv[1], "-l")) {
		if (set_loglevel(argv[2])) {
			fprintf(stderr, "gcov_dump: cannot set the loglevel: %s\n",
				strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: gcov_dump [-l LEVEL | FILTER]\n");
		return 2;
	}
	if (argc == 2)
		filter = argv[1];

	old = get_loglevel();
	if (old)
		old = strdup(old);
	set_loglevel("1");
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (nftw(GCOV_ROOT, visit, 16, FTW_PHYS)) {
		printf("QCOMTEE-GCDA-ERROR %d %s\n", errno, GCOV_ROOT);
		nfailed++;
	}
	printf("QCOMTEE-GCOV-DONE files=%d failed=%d\n", nfiles, nfailed);
	fflush(stdout);
	if (old)
		set_loglevel(old);
	return nfiles && !nfailed ? 0 : 1;
}
