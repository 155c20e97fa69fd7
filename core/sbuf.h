/*
 * sbuf.h - one capped, growable byte buffer for building every piece of text.
 *
 * Errors are sticky: once an add fails (out of memory, or past the cap), the
 * buffer stops growing and b->err says why, so a caller checks once at the
 * end.  The buffer always stays NUL-terminated, but the length is what
 * counts, so bytes with embedded NULs are safe.
 */
#ifndef SV_SBUF_H
#define SV_SBUF_H

#include <stddef.h>

#include "err.h"

struct sbuf {
	char *buf;        /* the bytes, NUL-terminated; NULL until first add */
	size_t len;       /* bytes used, not counting the NUL */
	size_t cap;       /* bytes allocated */
	size_t max;       /* hard cap on len; going past it sets SV_ERR_TOOBIG */
	enum sv_err err;  /* first error met, or SV_OK */
	int wipe;         /* 1: old blocks wiped as it grows, and on reset and free */
};

void sbuf_init(struct sbuf *b, size_t max);
/*
 * From now on b may hold secrets (a decrypted answer): when it grows, its
 * bytes move to a new block and the old block is wiped before it is freed
 * (realloc would leave them in freed memory), and sbuf_reset and sbuf_free
 * wipe the whole block.  sbuf_take hands the bytes over unwiped: then the
 * caller wipes them.  sbuf_init and sbuf_free end it.
 */
void sbuf_wipe_always(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' escaped, safe in element text and quoted attributes. */
void sbuf_add_html(struct sbuf *b, const char *s, size_t n);
void sbuf_adds_html(struct sbuf *b, const char *s);
/* Appends s as the inside of a JSON string (no quotes added), with '<'
 * written \u003c so that the JSON is safe inside an HTML page. */
void sbuf_add_json(struct sbuf *b, const char *s, size_t n);
/* The same with '<' as itself, for JSON that never meets HTML (sealed
 * payloads): a character of valid UTF-8 other than the C0 controls then
 * takes at most SBUF_JSON_PLAIN_MAX bytes (4 for one beyond U+FFFF; 2 for
 * '"', '\\', tab, newline). */
void sbuf_add_json_plain(struct sbuf *b, const char *s, size_t n);
#define SBUF_JSON_PLAIN_MAX 4
/* Empties the buffer but keeps its memory and cap; clears err. */
void sbuf_reset(struct sbuf *b);
/* Hands the bytes to the caller (free() them) and leaves b empty. NULL if
 * nothing was added or an error is set. */
char *sbuf_take(struct sbuf *b, size_t *len /* OUT, may be NULL */);
void sbuf_free(struct sbuf *b);

#endif
