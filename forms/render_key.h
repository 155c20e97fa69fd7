/*
 * render_key.h - the staff Key page (GET /staff/key): the keys answers are
 * sealed to, a form that checks a passphrase opens one, a form that changes
 * it, and where recovery shares are made (the command line, never a page).
 *
 * This module writes into an sbuf, inside a staff page the caller starts
 * and ends; opening keys, and HTTP, are the caller's (survey-server/
 * keypage.c).  No passphrase is ever written into the page: a refused form
 * comes back with its key chosen and its passphrase fields empty.
 */
#ifndef SV_RENDER_KEY_H
#define SV_RENDER_KEY_H

#include "../core/sbuf.h"
#include "form.h"
#include "render_staff.h"

/* One key of the data folder. */
struct render_key_item {
	const char *id;              /* 16 hex digits */
	const char *created;         /* YYYY-MM-DD, or "" */
	const char *consultation;    /* the one consultation it serves, or "": the server's key */
	int active;                  /* new answers are sealed to it */
	int has_secret;              /* its sealed secret is there */
};

/* What the Key page shows. */
struct render_key {
	const struct render_key_item *keys;   /* by the day made */
	int nkeys;
	const char *csrf;                     /* the session's token */
	const char *chosen;                   /* the key the posted form named, or NULL */
	const char *notice;                   /* what was just done, or NULL */
};

/* The page's content; e holds the posted form's problems (NULL for none),
 * under the fields k-check-key, k-check-pass (check) and k-key, k-current,
 * k-new, k-again (change). */
void render_key_page(struct sbuf *b, const struct render_key *k, const struct staff_errors *e);

#endif
