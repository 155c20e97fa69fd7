/*
 * draft.h - short-lived, in-memory, encrypted copies of a survey form, so
 * that every step of a survey can answer its POST with a 303 to a GET
 * (Post/Redirect/Get) and the browser's Back never asks to "confirm form
 * resubmission".
 *
 * Each draft is encrypted (crypto_secretbox) under a fresh random key that
 * the server does not keep: the key goes to the browser in the page's
 * address (/s/SURVEY/a/KEY), and the server keeps only the key's BLAKE2b
 * hash beside the box.  So the server's memory, a core dump or swap hold no
 * readable answers once the request is over; nothing is ever written to
 * disk or a log.  A draft lives DRAFT_TTL seconds, and every draft of a
 * journey (one form token) is wiped the moment its answers are sent, after
 * which its address only says they were sent.  A full store refuses new
 * drafts (SV_ERR_TOOBIG): the caller answers the POST directly, as before.
 * The form itself still carries every answer in hidden fields, so a lost
 * draft loses only the page Back would have shown.  See docs/threat-model.md.
 */
#ifndef SV_DRAFT_H
#define SV_DRAFT_H

#include <stddef.h>

#include "err.h"
#include "sbuf.h"

#define DRAFT_KEY_LEN 43            /* base64url of the 32-byte key, no padding */
#define DRAFT_SLOTS 8192            /* drafts held at once, at most */
#define DRAFT_MAX_BYTES (32u << 20) /* bytes of boxes held at once, at most */
#define DRAFT_MAX_LEN (72u << 10)   /* bytes in one draft (a form body and a line) */
#define DRAFT_TTL 3600              /* seconds a draft is kept after it is made */

struct drafts;

/* An empty store, or NULL without memory.  Free with drafts_free (wipes). */
struct drafts *drafts_new(void);
void drafts_free(struct drafts *d);

/*
 * Keeps a copy of plain (len bytes) under scope (e.g. the survey's id: the
 * key opens it under that scope only), for the journey named by journey
 * (any text, e.g. the form token; NULL for none), at time now (seconds).
 * key gets the draft's key, DRAFT_KEY_LEN characters and a NUL.
 * SV_ERR_TOOBIG when the store is full or plain too long; nothing kept then.
 */
enum sv_err drafts_put(struct drafts *d, const char *scope, const char *journey,
		       const void *plain, size_t len, long long now,
		       char key[DRAFT_KEY_LEN + 1] /* OUT */);

/*
 * The draft with key (n bytes) under scope, appended to out (the caller
 * wipes it).
 * SV_ERR_NOTFOUND for no such draft (never made, expired, or a malformed
 * key); SV_ERR_EXISTS when its journey was sent (nothing appended).
 */
enum sv_err drafts_get(struct drafts *d, const char *scope, const char *key, size_t n,
		       long long now, struct sbuf *out);

/* The journey's answers were sent: wipe its drafts, leaving a mark that
 * says so until they would have expired. */
void drafts_sent(struct drafts *d, const char *journey);

/* Drafts held now (for tests). */
int drafts_count(struct drafts *d);

/* 1 if the n bytes at p appear anywhere in the store's memory, its table
 * or a box (for tests: no answer or key is ever there in the clear). */
int drafts_holds(struct drafts *d, const void *p, size_t n);

#endif
