/*
 * sbuf.c - the capped text builder (see sbuf.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sbuf.h"

void sbuf_init(struct sbuf *b, size_t max)
{
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = SV_OK;
	b->wipe = 0;
}

void sbuf_wipe_always(struct sbuf *b)
{
	b->wipe = 1;
}

/* A block of cap bytes for b: realloc'd, or for a wiped buffer a new
 * block, the old one wiped and freed.  NULL when out of memory. */
static char *sbuf_move(struct sbuf *b, size_t cap)
{
	if (!b->wipe)
		return realloc(b->buf, cap);
	char *p = malloc(cap);
	if (p && b->buf) {
		memcpy(p, b->buf, b->len + 1);
		sodium_memzero(b->buf, b->cap);
		free(b->buf);
	}
	return p;
}

/* Makes room for n more bytes plus the NUL; returns 0 on success. */
static int sbuf_grow(struct sbuf *b, size_t n)
{
	if (b->err)
		return -1;
	if (n > b->max - b->len) {
		b->err = SV_ERR_TOOBIG;
		return -1;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = sbuf_move(b, cap);
	if (!p) {
		b->err = SV_ERR_NOMEM;
		return -1;
	}
	b->buf = p;
	b->cap = cap;
	return 0;
}

void sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	if (sbuf_grow(b, n))
		return;
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;

	if (b->err)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = SV_ERR_INVALID;
		return;
	}
	if ((size_t)n < sizeof small) {
		sbuf_add(b, small, (size_t)n);
		return;
	}
	if (sbuf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sbuf_add_html(struct sbuf *b, const char *s, size_t n)
{
	size_t run = 0; /* start of the current stretch that needs no escaping */

	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		sbuf_add(b, s + run, i - run);
		sbuf_adds(b, rep);
		run = i + 1;
	}
	sbuf_add(b, s + run, n - run);
}

void sbuf_adds_html(struct sbuf *b, const char *s)
{
	sbuf_add_html(b, s, strlen(s));
}

/* The inside of a JSON string; '<' escaped when escape_lt. */
static void add_json(struct sbuf *b, const char *s, size_t n, int escape_lt)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && (c != '<' || !escape_lt))
			continue;
		sbuf_add(b, s + run, i - run);
		switch (c) {
		case '"': sbuf_adds(b, "\\\""); break;
		case '\\': sbuf_adds(b, "\\\\"); break;
		case '\n': sbuf_adds(b, "\\n"); break;
		case '\r': sbuf_adds(b, "\\r"); break;
		case '\t': sbuf_adds(b, "\\t"); break;
		default: sbuf_addf(b, "\\u%04x", c); break; /* controls and '<' */
		}
		run = i + 1;
	}
	sbuf_add(b, s + run, n - run);
}

void sbuf_add_json(struct sbuf *b, const char *s, size_t n)
{
	add_json(b, s, n, 1);
}

void sbuf_add_json_plain(struct sbuf *b, const char *s, size_t n)
{
	add_json(b, s, n, 0);
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->err = SV_OK;
	if (b->buf && b->wipe)
		sodium_memzero(b->buf, b->cap);
	if (b->buf)
		b->buf[0] = '\0';
}

char *sbuf_take(struct sbuf *b, size_t *len)
{
	char *p = b->err ? NULL : b->buf;

	if (len)
		*len = p ? b->len : 0;
	if (!p && b->buf && b->wipe)
		sodium_memzero(b->buf, b->cap);
	if (!p)
		free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	b->err = SV_OK;
	return p;
}

void sbuf_free(struct sbuf *b)
{
	if (b->buf && b->wipe)
		sodium_memzero(b->buf, b->cap);
	free(b->buf);
	sbuf_init(b, b->max);
}
