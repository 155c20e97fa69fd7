/*
 * render_event.h - the staff pages that put a marketplace event right
 * (survey-server/event_admin.c): the link to them from the tally page, the
 * page asking to confirm closing (with the totals that will be locked), the
 * page that corrects, reopens or deletes an event, and the page asking to
 * confirm a delete.
 *
 * Each asks in a plain form carrying the session's CSRF token, so it works
 * without JavaScript; a second step posts confirm=RENDER_EVENT_CONFIRM.
 * This module writes into an sbuf, inside a staff page the caller starts
 * and ends (render_staff_page_start, render_staff_page_end); the store and
 * HTTP are the caller's.
 */
#ifndef SV_RENDER_EVENT_H
#define SV_RENDER_EVENT_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "../core/store.h"
#include "render_staff.h"

#define RENDER_EVENT_CONFIRM "yes"   /* confirm=yes: the second step of close and delete */

/* One stall's tokens on the confirmation page. */
struct render_event_stall {
	int priority;                /* the stall's number */
	const char *name;            /* its priority's name, or NULL if no longer known */
	long long count;             /* tokens counted there */
};

/* The tally page's link to the event's edit page, with label saying what
 * can be done there. */
void render_event_edit_link(struct sbuf *b, long long id, const char *label);

/* POST .../close without confirm: the n stalls' totals (all: every
 * stall's), and "Yes, close it". */
void render_event_close_confirm(struct sbuf *b, const struct store_event *e, const char *csrf,
				const struct render_event_stall *stalls, int n, long long all);

/* GET .../edit: the correction form while the event is open (posted and
 * errors from a refused one), reopening when closed (may_reopen: a
 * commissioner or an admin), and deleting while it has no taps. */
void render_event_edit(struct sbuf *b, const struct store_event *e, const char *csrf, int may_reopen,
		       long long taps, const struct form_body *posted, const struct staff_errors *errors);

/* POST .../delete without confirm: "Yes, delete it". */
void render_event_delete_confirm(struct sbuf *b, const struct store_event *e, const char *csrf);

/* The sentence saying why an event with taps cannot be deleted, into out. */
void render_event_cannot_delete(char *out, size_t cap, long long taps, int closed);

#endif
