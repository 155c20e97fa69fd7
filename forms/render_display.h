/*
 * render_display.h - the projector display of a marketplace event's totals,
 * and the staff pieces that make and revoke its link.
 *
 * The display is a page of its own, not a staff page: no staff menu, no
 * name of anyone signed in, no sign-out, no other event; only the event's
 * name and, stall by stall, each option's count (the same counts as the
 * staff tally page, live totals, not suppressed).  It fills a projector's
 * screen (forms/static/display.css), reflows on a phone, updates in place
 * with forms/static/display.js polling the JSON below, and refreshes itself
 * without JavaScript.  This module writes into an sbuf; HTTP is the caller's.
 */
#ifndef SV_RENDER_DISPLAY_H
#define SV_RENDER_DISPLAY_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "../core/taxonomy.h"

#define RENDER_DISPLAY_REFRESH_S 10   /* seconds between reloads without JavaScript */

/* One option's count, as the store keeps it. */
struct render_display_option {
	int stall;                     /* the stall's priority number */
	const char *theme;             /* the option's theme id */
	long long count;               /* stickers or tokens so far */
};

/* What a display shows. */
struct render_display {
	const char *name;              /* the event's name */
	int closed;                    /* 1: the totals are final */
	const struct taxonomy *t;      /* names of the stalls and options */
	const struct render_display_option *options; /* in stall order */
	size_t n;
};

/* The display page: a grid of stalls, each option's name and count. */
void render_display_page(struct sbuf *b, const struct render_display *d);

/* The same totals as JSON, for the page's script:
 * {"closed":false,"options":[{"stall":2,"theme":"online-safety","count":12},...]} */
void render_display_json(struct sbuf *b, const struct render_display *d);

/*
 * The main content of the event's "Projector display" staff page: what a
 * display link is, when the event's was made (made "" for none), and the
 * buttons that make (or replace) and revoke it, each a POST carrying csrf.
 */
void render_display_staff_page(struct sbuf *b, long long event_id, const char *event_name,
			       const char *csrf, const char *made);

/*
 * The main content of the staff page shown once, right after a link is
 * made: the link (url, an absolute address), ready to copy, open or scan
 * (a QR code, forms/qr.h).
 */
void render_display_link_made(struct sbuf *b, long long event_id, const char *event_name,
			      const char *url);

#endif
