/*
 * tally.c - marketplace events: one stall per priority, an option per theme,
 * and a tally page built for a tablet held in one hand.
 *
 *   GET  /staff/events               events, and a form to start one
 *   POST /staff/events               start an event (stalls from the taxonomy)
 *   GET  /staff/events/ID            the tally page: +1 / -1 per option, set a total
 *   POST /staff/events/ID/tally      one change; 303 back to the option, or JSON
 *   GET  /staff/events/ID/csrf       the session's CSRF token as JSON, for the page's
 *                                    script after its worker signed in again
 *   GET  /staff/events/ID/live       totals for a big screen, refreshing itself
 *   /staff/events/ID/close, /reopen, /edit, /delete: event_admin.c
 *
 * Every change is an append-only row with a client-made id (core/store), so
 * a retried or replayed request never counts twice.  Works with JavaScript
 * off: each button is a small form that posts and comes back to its option.
 * With it (forms/static/tally.js), changes wait on the tablet until the
 * server acknowledges them; a change sent as JSON gets JSON back, whatever
 * happens (docs/tally.md lists the answers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "../forms/render.h"
#include "../forms/render_staff.h"
#include "../forms/render_tally.h"
#include "http.h"
#include "server.h"

#define TALLY_MAX_SET RENDER_TALLY_MAX_SET /* the largest total one may set */
#define TALLY_CLIENT_ID_MAX 64
#define TALLY_MAX_OPTIONS (TAXONOMY_MAX_THEMES * TAXONOMY_MAX_THEME_PRIORITIES)


struct event_list { struct sbuf *b; int n; };

static void list_event(void *arg, const struct store_event *e)
{
	struct event_list *l = arg;

	render_tally_event(l->b, l->n++, e->id, e->name, e->day, e->closed);
}

/* GET /staff/events; with posted and e, the start form again with its
 * problems and what was typed. */
static int events_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		       const struct form_body *posted, const struct staff_errors *e)
{
	struct sbuf *b = &rc->page;
	struct event_list l = { b, 0 };
	char day[11];

	staff_today(day);
	staff_page_start(b, sess, "Marketplace events", e);
	render_tally_events_head(b);
	if (store_event_each(rc->srv->store, list_event, &l))
		return http_send_problem(rc, 503, "Events are not available just now.");
	struct render_tally_start start = { sess->csrf, rc->srv->catalog, day, posted };
	render_tally_events_end(b, l.n, &start, e);
	render_staff_page_end(b);
	return http_send_page(rc, status);
}

static int create_event(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors errors = { 0 };
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *name = form_body_get(&body, "name");
	const char *day = form_body_get(&body, "day");
	const char *cid = form_body_get(&body, "consultation");
	const struct form_consultation *c = cid ? staff_consultation(rc->srv, cid) : NULL;
	event_check(name, day, &errors);
	if (!c)
		staff_errors_add(&errors, "event-consultation", "Choose a consultation");
	else if (c->status == FORM_CLOSED)
		staff_errors_add(&errors, "event-consultation", "That consultation is closed: it takes no "
				 "new events. Choose another");
	if (errors.n) {
		status = events_page(rc, sess, 400, &body, &errors);
		form_body_free(&body);
		return status;
	}
	/* Stalls in priority order, each with the themes under it. */
	const struct taxonomy *t = c->taxonomy;
	int prios[TAXONOMY_MAX_THEMES * TAXONOMY_MAX_THEME_PRIORITIES];
	const char *themes[TAXONOMY_MAX_THEMES * TAXONOMY_MAX_THEME_PRIORITIES];
	size_t n = 0;
	for (size_t p = 0; p < t->npriorities; p++)
		for (size_t i = 0; i < t->nthemes; i++)
			for (int k = 0; k < t->themes[i].npriorities; k++)
				if (t->themes[i].priorities[k] == t->priorities[p].number) {
					prios[n] = t->priorities[p].number;
					themes[n++] = t->themes[i].id;
				}
	long long id = 0;
	enum sv_err err = store_event_add(rc->srv->store, c->id, name, day, prios, themes, n, &id);
	if (!err) {
		char detail[200];
		snprintf(detail, sizeof detail, "event %lld: %.120s", id, name);
		store_audit(rc->srv->store, sess->user.name, "started an event", detail);
	}
	form_body_free(&body);
	if (err)
		return http_send_problem(rc, http_status_from_err(err), "The event could not be saved.");
	char location[64];
	snprintf(location, sizeof location, "/staff/events/%lld", id);
	return http_send_redirect(rc, location);
}

static const char *theme_name(const struct taxonomy *t, const char *id)
{
	int i = taxonomy_theme_index(t, id);
	return i >= 0 ? t->themes[i].name : id;
}

/* One option's row on the big screen, named from the event's taxonomy. */
struct option_view {
	const struct taxonomy *t;
	struct render_tally_live live;
};

static void live_row(void *arg, int priority, const char *theme, long long count)
{
	struct option_view *v = arg;
	int p = taxonomy_priority_index(v->t, priority);
	struct render_tally_option o = {
		.priority = priority, .stall = p >= 0 ? v->t->priorities[p].name : "",
		.theme = theme, .name = theme_name(v->t, theme), .count = count,
	};

	render_tally_live_option(&v->live, &o);
}

static void find_max(void *arg, int priority, const char *theme, long long count)
{
	(void)priority;
	(void)theme;
	long long *max = arg;
	if (count > *max)
		*max = count;
}

/* The big screen: every option's count with a bar, reloading itself. */
static int live_page(struct req_ctx *rc, const struct staff_session *sess,
		     const struct store_event *e)
{
	struct sbuf *b = &rc->page;
	const struct form_consultation *c = staff_consultation(rc->srv, e->consultation);
	struct option_view v = { c ? c->taxonomy : NULL, { b, 0, 0 } };
	struct render_tally page = { .event_id = e->id, .name = e->name, .day = e->day, .closed = e->closed };

	if (!c)
		return http_send_problem(rc, 404, "This event's consultation is no longer offered.");
	store_event_options(rc->srv->store, e->id, find_max, &v.live.max);
	staff_page_start(b, sess, e->name, NULL);
	render_tally_live_head(&v.live, &page);
	if (store_event_options(rc->srv->store, e->id, live_row, &v))
		return http_send_problem(rc, 503, "The tallies are not available just now.");
	render_tally_live_end(&v.live);
	render_staff_page_end(b);
	if (!b->err) /* the big screen reloads itself, no script needed */
		return http_send(rc, 200, "text/html; charset=utf-8", b->buf, b->len,
				 "Refresh: 10\r\nCache-Control: no-store\r\n");
	return http_send_page(rc, 200);
}

/* An event's options as the tally page shows them; the theme ids are copied
 * (the store's strings last only for its callback). */
struct option_list {
	const struct taxonomy *t;
	struct render_tally_option *opt;   /* TALLY_MAX_OPTIONS of them */
	char (*theme)[PARSE_MAX_ID + 1];   /* each option's id */
	size_t n;
	int overflow;                      /* more than TALLY_MAX_OPTIONS, or an id too long */
};

static void collect_option(void *arg, int priority, const char *theme, long long count)
{
	struct option_list *l = arg;
	size_t len = strlen(theme);

	if (l->n >= TALLY_MAX_OPTIONS || len > PARSE_MAX_ID) {
		l->overflow = 1;
		return;
	}
	memcpy(l->theme[l->n], theme, len + 1);
	int p = taxonomy_priority_index(l->t, priority);
	l->opt[l->n] = (struct render_tally_option){
		.priority = priority, .stall = p >= 0 ? l->t->priorities[p].name : "",
		.theme = l->theme[l->n], .name = theme_name(l->t, l->theme[l->n]), .count = count,
	};
	l->n++;
}

/* GET /staff/events/ID: read the options, render the tally page, send. */
static int tally_page(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e)
{
	const struct form_consultation *c = staff_consultation(rc->srv, e->consultation);
	struct option_list l = { 0 };
	int status;

	if (!c)
		return http_send_problem(rc, 404, "This event's consultation is no longer offered.");
	l.t = c->taxonomy;
	l.opt = calloc(TALLY_MAX_OPTIONS, sizeof *l.opt);
	l.theme = calloc(TALLY_MAX_OPTIONS, sizeof *l.theme);
	if (!l.opt || !l.theme)
		status = http_send_problem(rc, 503, "The tallies are not available just now.");
	else if (store_event_options(rc->srv->store, e->id, collect_option, &l) || l.overflow)
		status = http_send_problem(rc, 503, "The tallies are not available just now.");
	else {
		struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
						 sess->csrf };
		struct render_tally page = {
			.event_id = e->id, .name = e->name, .day = e->day, .closed = e->closed,
			.who = &who, .options = l.opt, .noptions = l.n,
		};
		render_tally_head(&rc->page, &page);
		event_admin_link(rc, sess, e);
		render_tally_body(&rc->page, &page);
		status = http_send_page(rc, 200);
	}
	free(l.opt);
	free(l.theme);
	return status;
}

/* GET /staff/events/ID/csrf: {"csrf":"..."}, the session's token, so that
 * the tally page can send what waits on the tablet after its worker signed
 * in again (in this tab or another).  Only this origin can read it: the
 * session cookie is SameSite=Strict and no CORS header is ever sent. */
static int csrf_json(struct req_ctx *rc, const struct staff_session *sess)
{
	char json[96];
	int n = snprintf(json, sizeof json, "{\"csrf\":\"%s\"}", sess->csrf);

	if (n < 0 || (size_t)n >= sizeof json)
		return staff_problem(rc, 503, "unavailable", "The token is not available just now.");
	return http_send(rc, 200, "application/json", json, (size_t)n, "Cache-Control: no-store\r\n");
}

/* A tally change refused for good, as JSON to the page's script (which
 * then drops it from its queue and says why) or as a page to a person. */
static int refuse(struct req_ctx *rc, int status, const char *error, const char *text, long long count)
{
	if (!http_wants_json(rc))
		return http_send_problem(rc, status, text);
	if (count < 0)
		return http_send_json_problem(rc, status, error, text);
	sbuf_reset(&rc->page);
	sbuf_addf(&rc->page, "{\"error\":\"%s\",\"message\":\"", error);
	sbuf_add_json(&rc->page, text, strlen(text));
	sbuf_addf(&rc->page, "\",\"count\":%lld}", count);
	if (rc->page.err)
		return http_send_json_problem(rc, status, error, text);
	return http_send(rc, status, "application/json", rc->page.buf, rc->page.len,
			 "Cache-Control: no-store\r\n");
}

static int tally_post(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e)
{
	struct form_body body;
	long long priority, value, count = -1;
	char day[11];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *p = form_body_get(&body, "priority");
	const char *theme = form_body_get(&body, "theme");
	const char *delta = form_body_get(&body, "delta");
	const char *total = form_body_get(&body, "total");
	const char *cid = form_body_get(&body, "client_id");
	int set = total && *total;
	const char *v = set ? total : delta;
	if (!p || parse_int(p, strlen(p), 1, TAXONOMY_MAX_PRIORITIES, &priority) ||
	    !theme || !id_valid(theme, strlen(theme)) ||
	    !v || parse_int(v, strlen(v), set ? 0 : -1, set ? TALLY_MAX_SET : 1, &value) ||
	    (!set && value == 0) ||
	    !cid || !*cid || strlen(cid) > TALLY_CLIENT_ID_MAX) {
		form_body_free(&body);
		return refuse(rc, 400, "invalid", "A tally change needs a stall, an option, a change of "
			      "+1 or -1 (or a total from 0 to 100000) and an id.", -1);
	}
	staff_today(day);
	struct store_tally t = {
		.event_id = e->id, .priority = (int)priority, .theme = theme, .delta = value,
		.set_total = set, .who = sess->user.name, .day = day, .client_id = cid,
	};
	enum sv_err err = store_tally_change(rc->srv->store, &t, &count);
	char anchor[128];
	snprintf(anchor, sizeof anchor, "/staff/events/%lld#opt-%lld-%s", e->id, priority, theme);
	form_body_free(&body);
	if (err == SV_ERR_INVALID && count < 0)
		return refuse(rc, 409, "not-here", "That option is not at this stall of this event.", -1);
	if (err == SV_ERR_INVALID && e->closed)
		return refuse(rc, 409, "closed", "This event is closed: its tallies are locked.", count);
	if (err == SV_ERR_INVALID)
		return refuse(rc, 409, "below-zero", "That would take the count below zero.", count);
	if (err && err != SV_ERR_EXISTS)
		return staff_problem(rc, 503, "unavailable", "The tally could not be saved. Please tap again.");
	if (http_wants_json(rc)) {
		char json[96];
		int n = snprintf(json, sizeof json, "{\"count\":%lld,\"replayed\":%s}", count,
				 err == SV_ERR_EXISTS ? "true" : "false");
		return http_send(rc, 200, "application/json", json, (size_t)n, "Cache-Control: no-store\r\n");
	}
	return http_send_redirect(rc, anchor);
}

int tally_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (post)
			return create_event(rc, sess);
		return get ? events_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	/* "/ID", "/ID/tally", "/ID/live"; "/ID/close" and the rest in event_admin.c */
	long long id;
	const char *action;
	struct store_event e;
	if (!http_path_id(rest, &id, &action) || store_event_get(rc->srv->store, id, &e))
		return staff_problem(rc, 404, "no-event", "There is no event at this address.");
	if (http_path_is(action, ""))
		return get ? tally_page(rc, sess, &e) : http_send_not_allowed(rc, "GET, HEAD", "Not that way.");
	if (http_path_is(action, "/live"))
		return get ? live_page(rc, sess, &e) : http_send_not_allowed(rc, "GET, HEAD", "Not that way.");
	if (http_path_is(action, "/csrf"))
		return get ? csrf_json(rc, sess) : http_send_not_allowed(rc, "GET, HEAD", "Not that way.");
	if (http_path_is(action, "/tally"))
		return post ? tally_post(rc, sess, &e) : http_send_not_allowed(rc, "POST", "Not that way.");
	const char *display;
	if (http_path_under(action, "/display", &display)) /* display.c: the projector's link */
		return display_staff_route(rc, sess, &e, display);
	int status = event_admin_route(rc, sess, &e, action);
	return status ? status : http_send_problem(rc, 404, "There is no event page at this address.");
}
