// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware's log on the secure PL011 (QEMU's second serial port), and a
 * printf small enough for it: %s %c %d %u %x with an optional l and a width.
 */
#include <stdarg.h>
#include "fw.h"

#define UART_DR		0x000
#define UART_FR		0x018
#define UART_CR		0x030
#define UART_FR_TXFF	BIT(5)

static struct spinlock uart_lock;

void uart_init(void)
{
	/* UARTEN | TXE */
	write32(SECURE_UART_BASE + UART_CR, 0x101);
}

static void uart_putc(char c)
{
	while (read32(SECURE_UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	write32(SECURE_UART_BASE + UART_DR, (u8)c);
}

static void put(struct fw_line *o, char c)
{
	if (o->len < sizeof(o->buf) - 1)
		o->buf[o->len++] = c;
}

static void put_num(struct fw_line *o, u64 v, unsigned int base, int neg,
		    unsigned int width, char pad)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < sizeof(tmp));
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n)
		put(o, tmp[--n]);
}

static void fw_vadd(struct fw_line *l, const char *fmt, va_list ap)
{
	unsigned int width;
	const char *s;
	int lng;
	char pad;
	s64 sv;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(l, *fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		lng = *fmt == 'l';
		if (lng)
			fmt++;
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); s && *s; s++)
				put(l, *s);
			break;
		case 'c':
			put(l, (char)va_arg(ap, int));
			break;
		case 'd':
			sv = lng ? va_arg(ap, s64) : va_arg(ap, int);
			put_num(l, sv < 0 ? -(u64)sv : (u64)sv, 10, sv < 0,
				width, pad);
			break;
		case 'u':
			put_num(l, lng ? va_arg(ap, u64) : va_arg(ap, u32), 10,
				0, width, pad);
			break;
		case 'x':
			put_num(l, lng ? va_arg(ap, u64) : va_arg(ap, u32), 16,
				0, width, pad);
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(l, *fmt);
		}
	}
}

void fw_add(struct fw_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_vadd(l, fmt, ap);
	va_end(ap);
}

/* Lines of several CPUs do not mix. */
void fw_emit(struct fw_line *l)
{
	unsigned int i;

	spin_lock(&uart_lock);
	for (i = 0; i < l->len; i++) {
		if (l->buf[i] == '\n')
			uart_putc('\r');
		uart_putc(l->buf[i]);
	}
	spin_unlock(&uart_lock);
	l->len = 0;
}

void fw_printf(const char *fmt, ...)
{
	struct fw_line l = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	fw_vadd(&l, fmt, ap);
	va_end(ap);
	fw_emit(&l);
}
