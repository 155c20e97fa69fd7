/*
 * render_tally.h - the marketplace tally page, rendered on the server.
 *
 * Made for a tablet held in one hand at a youth event: each stall fits a
 * 768x1024 screen (a large +1, the -1 beside it, the count beside them),
 * links jump from stall to stall, and counting the stickers at the end is a
 * step of its own (a disclosure under each stall).  A sticky bar at the top
 * holds the stall links and, once forms/static/tally.js runs, what is
 * waiting to be sent, whether the tablet is online and when a change was
 * last saved.  Every button is a small form that works without JavaScript.
 * This module writes into an sbuf; the store and HTTP are the caller's.
 */
#ifndef SV_RENDER_TALLY_H
#define SV_RENDER_TALLY_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "render_staff.h"

#define RENDER_TALLY_MAX_SET 100000     /* the largest total one may set */

/* One option at one stall, in stall order. */
struct render_tally_option {
	int priority;                   /* the stall */
	const char *stall;              /* the stall's priority name */
	const char *theme;              /* the option's id */
	const char *name;               /* the option's name */
	long long count;                /* stickers counted so far */
};

/* What the tally page shows. */
struct render_tally {
	long long event_id;
	const char *name;               /* the event's */
	const char *day;                /* YYYY-MM-DD */
	int closed;                     /* locked: counts only, no buttons */
	const struct render_staff_user *who; /* signed in; who->csrf goes in every form */
	const struct render_tally_option *options;
	size_t noptions;
};

/* The tally page (GET /staff/events/ID) in two parts, so that the caller may
 * add links of its own between them: the head (staff layout, heading, day,
 * the big screen's link), then the body (status bar, stalls, closing, end
 * of the page).  Each button's form carries a fresh random client_id, so a
 * form posted twice counts once. */
void render_tally_head(struct sbuf *b, const struct render_tally *p);
void render_tally_body(struct sbuf *b, const struct render_tally *p);

/* The form that starts an event, as it is shown: blank, or sent back with
 * its problems and what was typed. */
struct render_tally_start {
	const char *csrf;                   /* the session's token */
	const struct form_catalog *cat;     /* the consultations to choose from */
	const char *today;                  /* YYYY-MM-DD, the day's default */
	const struct form_body *posted;     /* the form sent, or NULL */
};

/*
 * The events page (GET /staff/events), inside a staff page the caller
 * starts and ends: render_tally_events_head, then render_tally_event for
 * each event as the store lists them (n: how many came before), then
 * render_tally_events_end with how many there were, which closes the list
 * (or says there are none) and adds the form that starts one.
 */
void render_tally_events_head(struct sbuf *b);
void render_tally_event(struct sbuf *b, int n, long long id, const char *name, const char *day,
			int closed);
void render_tally_events_end(struct sbuf *b, int n, const struct render_tally_start *f,
			     const struct staff_errors *e);

/* The big screen (GET /staff/events/ID/live) as the store reads its
 * options, in stall order: each count with a bar as long as its share of
 * max, the largest count.  Inside a staff page the caller starts and ends. */
struct render_tally_live {
	struct sbuf *b;
	long long max;                      /* the largest count: the longest bar */
	int last_priority;                  /* the stall open so far, 0 for none */
};
void render_tally_live_head(struct render_tally_live *l, const struct render_tally *p);
void render_tally_live_option(struct render_tally_live *l, const struct render_tally_option *o);
void render_tally_live_end(struct render_tally_live *l);

#endif
