/*
 * event_admin.c - putting mistakes about a marketplace event right, safely:
 *
 *   POST /staff/events/ID/close     without confirm=yes: a page with the
 *                                   event's totals asking to confirm; with
 *                                   it, lock the tallies
 *   POST /staff/events/ID/reopen    take taps again (commissioners, admins)
 *   GET  /staff/events/ID/edit      what can still be done: correct the name
 *                                   and day (until closed), reopen, delete
 *   POST /staff/events/ID/edit      correct the name and day
 *   POST /staff/events/ID/delete    without confirm=yes: ask; with it, delete
 *                                   an event that has had no tally change
 *
 * Each asks in a plain form, so it works without JavaScript.  Tally changes
 * are never deleted (they are what was counted), so an event with taps
 * cannot be deleted, only closed.  Every change is written to the audit log.
 * The tally page itself is tally.c's.
 */
#include <stdio.h>
#include <string.h>

#include "../forms/render_event.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define EVENT_CONFIRM RENDER_EVENT_CONFIRM /* confirm=yes: the second step of close and delete */

void event_check(const char *name, const char *day, struct staff_errors *e)
{
	if (!name || !*name)
		staff_errors_add(e, "event-name", "Give the event a name");
	else if (strlen(name) > STORE_MAX_EVENT_NAME)
		staff_errors_add(e, "event-name", "Give a name of up to 120 characters");
	if (!day || !day_valid(day, strlen(day)))
		staff_errors_add(e, "event-day", "Give the day of the event, as a date");
}

/* "/staff/events/ID" into out. */
static void event_href(const struct store_event *e, const char *tail, char out[64])
{
	snprintf(out, 64, "/staff/events/%lld%s", e->id, tail);
}

static int is_commissioner(const struct staff_session *sess)
{
	return sess->user.role >= STORE_COMMISSIONER;
}

/* The label of the link to the edit page, or NULL when sess can do nothing there. */
static const char *edit_label(const struct staff_session *sess, const struct store_event *e,
			      long long taps)
{
	if (!e->closed)
		return taps ? "Correct the name or day" : "Correct the name or day, or delete the event";
	if (is_commissioner(sess))
		return taps ? "Reopen the event" : "Reopen or delete the event";
	return taps ? NULL : "Delete the event";
}

void event_admin_link(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	long long taps = 1;   /* if they cannot be counted, offer no delete */

	store_event_taps(rc->srv->store, e->id, &taps);
	const char *label = edit_label(sess, e, taps);
	if (label)
		render_event_edit_link(&rc->page, e->id, label);
}

/* Tokens per stall, in stall order, for the confirmation page. */
struct stall_totals {
	int priority[TAXONOMY_MAX_PRIORITIES];
	long long count[TAXONOMY_MAX_PRIORITIES];
	int n;
	long long all;
};

static void add_to_stall(void *arg, int priority, const char *theme, long long count)
{
	struct stall_totals *t = arg;

	(void)theme;
	if (!t->n || t->priority[t->n - 1] != priority) {
		if (t->n == TAXONOMY_MAX_PRIORITIES)
			return;
		t->priority[t->n] = priority;
		t->count[t->n++] = 0;
	}
	t->count[t->n - 1] += count;
	t->all += count;
}

/* POST .../close without confirm=yes: the totals, and "Yes, close it". */
static int close_confirm_page(struct req_ctx *rc, const struct staff_session *sess,
			      const struct store_event *e)
{
	struct stall_totals totals = { .n = 0 };
	struct render_event_stall stalls[TAXONOMY_MAX_PRIORITIES];
	const struct form_consultation *c = staff_consultation(rc->srv, e->consultation);

	if (store_event_options(rc->srv->store, e->id, add_to_stall, &totals))
		return http_send_problem(rc, 503, "The tallies are not available just now.");
	for (int i = 0; i < totals.n; i++) {
		int p = c ? taxonomy_priority_index(c->taxonomy, totals.priority[i]) : -1;
		stalls[i] = (struct render_event_stall){ totals.priority[i],
			p >= 0 ? c->taxonomy->priorities[p].name : NULL, totals.count[i] };
	}
	staff_page_start(&rc->page, sess, "Close the event?", NULL);
	render_event_close_confirm(&rc->page, e, sess->csrf, stalls, totals.n, totals.all);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

/* Reads a staff form that carries nothing but the CSRF token and maybe
 * confirm=yes; *confirmed says which.  Non-zero: the status already sent. */
static int read_confirm(struct req_ctx *rc, const struct staff_session *sess, int *confirmed)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *v = form_body_get(&body, "confirm");
	*confirmed = v && strcmp(v, EVENT_CONFIRM) == 0;
	form_body_free(&body);
	return 0;
}

static void audit_event(struct req_ctx *rc, const struct staff_session *sess, const char *action,
			const struct store_event *e)
{
	char detail[200];

	snprintf(detail, sizeof detail, "event %lld: %.120s, %s", e->id, e->name, e->day);
	store_audit(rc->srv->store, sess->user.name, action, detail);
}

static int close_post(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	char href[64];
	int confirmed, status = read_confirm(rc, sess, &confirmed);

	if (status)
		return status;
	event_href(e, "", href);
	if (e->closed)
		return staff_refuse(rc, sess, 409, "Already closed", "This event is closed already: its "
				    "tallies are locked.", href, "Back to the event");
	if (!confirmed)
		return close_confirm_page(rc, sess, e);
	if (store_event_close(rc->srv->store, e->id))
		return http_send_problem(rc, 503, "The event could not be closed just now.");
	audit_event(rc, sess, "closed an event", e);
	return http_send_redirect(rc, href);
}

static int reopen_post(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	const struct form_consultation *c = staff_consultation(rc->srv, e->consultation);
	char href[64];
	int confirmed, status = read_confirm(rc, sess, &confirmed);

	if (status)
		return status;
	event_href(e, "", href);
	if (!is_commissioner(sess))
		return staff_refuse(rc, sess, 403, "You cannot do that", "Only a commissioner or an admin "
				    "can reopen an event.", href, "Back to the event");
	if (!e->closed)
		return staff_refuse(rc, sess, 409, "Already open", "This event is open: it is taking taps.",
				    href, "Back to the event");
	if (c && c->status == FORM_CLOSED)
		return staff_refuse(rc, sess, 409, "Its consultation is closed", "This event's consultation "
				    "is closed, so the event cannot take taps. Open the consultation first.",
				    href, "Back to the event");
	if (store_event_reopen(rc->srv->store, e->id))
		return http_send_problem(rc, 503, "The event could not be reopened just now.");
	audit_event(rc, sess, "reopened an event", e);
	return http_send_redirect(rc, href);
}

/* GET .../edit, with the status, and (posted, errors) from a refused
 * correction. */
static int edit_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e,
		     int status, const struct form_body *posted, const struct staff_errors *errors)
{
	long long taps = 0;

	if (store_event_taps(rc->srv->store, e->id, &taps))
		return http_send_problem(rc, 503, "The event is not available just now.");
	staff_page_start(&rc->page, sess, "Change the event", errors);
	render_event_edit(&rc->page, e, sess->csrf, is_commissioner(sess), taps, posted, errors);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

static int edit_post(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	struct form_body body;
	struct staff_errors errors = { 0 };
	char href[64];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	event_href(e, "", href);
	if (e->closed) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 409, "This event is closed", "A closed event's name and day "
				    "can no longer be changed.", href, "Back to the event");
	}
	const char *name = form_body_get(&body, "name");
	const char *day = form_body_get(&body, "day");
	event_check(name, day, &errors);
	if (errors.n) {
		status = edit_page(rc, sess, e, 422, &body, &errors);
		form_body_free(&body);
		return status;
	}
	enum sv_err err = store_event_edit(rc->srv->store, e->id, name, day);
	if (!err && (strcmp(name, e->name) != 0 || strcmp(day, e->day) != 0)) {
		char detail[400];
		snprintf(detail, sizeof detail, "event %lld: %.120s, %s, now %.120s, %s", e->id, e->name,
			 e->day, name, day);
		store_audit(rc->srv->store, sess->user.name, "changed an event", detail);
	}
	form_body_free(&body);
	if (err == SV_ERR_INVALID)   /* closed meanwhile */
		return staff_refuse(rc, sess, 409, "This event is closed", "A closed event's name and day "
				    "can no longer be changed.", href, "Back to the event");
	if (err)
		return http_send_problem(rc, 503, "The event could not be changed just now.");
	return http_send_redirect(rc, href);
}

static int delete_post(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	long long taps = 0;
	char back[64], why[240];
	int confirmed, status = read_confirm(rc, sess, &confirmed);

	if (status)
		return status;
	event_href(e, "/edit", back);
	enum sv_err err = confirmed ? store_event_delete(rc->srv->store, e->id, &taps) :
		store_event_taps(rc->srv->store, e->id, &taps);
	if (err == SV_ERR_INVALID || (!err && taps)) {
		render_event_cannot_delete(why, sizeof why, taps, e->closed);
		return staff_refuse(rc, sess, 409, "This event cannot be deleted", why, back,
				    "Back to the event");
	}
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 "The event could not be deleted just now.");
	if (confirmed) {
		audit_event(rc, sess, "deleted an event", e);
		return http_send_redirect(rc, "/staff/events");
	}
	staff_page_start(&rc->page, sess, "Delete the event?", NULL);
	render_event_delete_confirm(&rc->page, e, sess->csrf);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

int event_admin_route(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e, const char *action)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (http_path_is(action, "/edit")) {
		if (post)
			return edit_post(rc, sess, e);
		return get ? edit_page(rc, sess, e, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	if (http_path_is(action, "/close"))
		return post ? close_post(rc, sess, e) : http_send_not_allowed(rc, "POST", "Not that way.");
	if (http_path_is(action, "/reopen"))
		return post ? reopen_post(rc, sess, e) : http_send_not_allowed(rc, "POST", "Not that way.");
	if (http_path_is(action, "/delete"))
		return post ? delete_post(rc, sess, e) : http_send_not_allowed(rc, "POST", "Not that way.");
	return 0;
}
