/*
 * tally.c - marketplace events: one stall per priority, an option per theme,
 * and a tally page built for a tablet held in one hand.
 *
 *   GET  /staff/events               events, and a form to start one
 *   POST /staff/events               start an event (stalls from the taxonomy)
 *   GET  /staff/events/ID            the tally page: +1 / -1 per option, set a total
 *   POST /staff/events/ID/tally      one change; 303 back to the option, or JSON
 *   GET  /staff/events/ID/live       totals for a big screen, refreshing itself
 *   /staff/events/ID/close, /reopen, /edit, /delete: event_admin.c
 *
 * Every change is an append-only row with a client-made id (core/store), so
 * a retried or replayed request never counts twice.  Works with JavaScript
 * off: each button is a small form that posts and comes back to its option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <sodium.h>

#include "../forms/render.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define TALLY_MAX_SET 100000          /* the largest total one may set */
#define TALLY_CLIENT_ID_MAX 64


struct event_list { struct sbuf *b; int n; };

static void list_event(void *arg, const struct store_event *e)
{
	struct event_list *l = arg;

	if (!l->n++)
		sbuf_adds(l->b, "<ul class=\"survey-list\">\n");
	sbuf_addf(l->b, "<li><a href=\"/staff/events/%lld\">", e->id);
	sbuf_adds_html(l->b, e->name);
	sbuf_adds(l->b, ", ");
	sbuf_adds_html(l->b, e->day);
	sbuf_adds(l->b, e->closed ? " (closed)</a></li>\n" : "</a></li>\n");
}

/* GET /staff/events; with posted and e, the start form again with its
 * problems and what was typed. */
static int events_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		       const struct form_body *posted, const struct staff_errors *e)
{
	struct sbuf *b = &rc->page;
	struct event_list l = { b, 0 };
	const char *chosen = staff_posted_or(posted, "consultation", "");
	char day[11];

	staff_today(day);
	staff_page_start(b, sess, "Marketplace events", e);
	sbuf_adds(b, "<h1>Marketplace events</h1>\n");
	if (store_event_each(rc->srv->store, list_event, &l))
		return http_send_problem(rc, 503, "Events are not available just now.");
	if (l.n)
		sbuf_adds(b, "</ul>\n");
	else
		sbuf_adds(b, "<p>No events yet.</p>\n");
	sbuf_adds(b, "<h2>Start an event</h2>\n<p>Each priority gets a stall, with an option for "
		  "each of its themes.</p>\n<form method=\"post\" action=\"/staff/events\" novalidate>\n");
	staff_csrf_field(b, sess);
	render_staff_input(b, e, "text", "event-name", "name", "Name of the event", NULL,
			   staff_posted_or(posted, "name", NULL), " autocomplete=\"off\"");
	render_staff_input(b, e, "date", "event-day", "day", "Day", NULL,
			   staff_posted_or(posted, "day", day), NULL);
	render_staff_select_start(b, e, "event-consultation", "consultation", "Consultation");
	for (int i = 0; i < rc->srv->catalog->nconsultations; i++) {
		const struct form_consultation *c = &rc->srv->catalog->consultations[i];
		render_staff_option(b, c->id, c->title, strcmp(chosen, c->id) == 0);
	}
	render_staff_select_end(b);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Start the event</button>\n</form>\n");
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

/* What one option's row needs to render. */
struct option_view {
	struct sbuf *b;
	const struct store_event *e;
	const struct staff_session *sess;
	const struct taxonomy *t;
	int last_priority;
	int live;
	long long max;
};

static const char *theme_name(const struct taxonomy *t, const char *id)
{
	int i = taxonomy_theme_index(t, id);
	return i >= 0 ? t->themes[i].name : id;
}

static void stall_heading(struct option_view *v, int priority)
{
	if (priority == v->last_priority)
		return;
	if (v->last_priority)
		sbuf_adds(v->b, "</ul></section>\n");
	v->last_priority = priority;
	int p = taxonomy_priority_index(v->t, priority);
	sbuf_addf(v->b, "<section class=\"stall\" aria-labelledby=\"stall-%d\"><h2 id=\"stall-%d\">"
		  "Stall %d: ", priority, priority, priority);
	sbuf_adds_html(v->b, p >= 0 ? v->t->priorities[p].name : "");
	sbuf_adds(v->b, "</h2>\n<ul class=\"options\">\n");
}

/* A small form for one button; a fresh client id per rendered button. */
static void tally_button(struct option_view *v, int priority, const char *theme,
			 const char *delta, const char *label, const char *cls)
{
	unsigned char raw[12];
	char cid[25];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(cid, sizeof cid, raw, sizeof raw);
	sbuf_addf(v->b, "<form method=\"post\" action=\"/staff/events/%lld/tally\" class=\"tally-form\">",
		  v->e->id);
	staff_csrf_field(v->b, v->sess);
	sbuf_addf(v->b, "<input type=\"hidden\" name=\"priority\" value=\"%d\">"
		  "<input type=\"hidden\" name=\"theme\" value=\"", priority);
	sbuf_adds_html(v->b, theme);
	sbuf_addf(v->b, "\"><input type=\"hidden\" name=\"client_id\" value=\"%s\">"
		  "<input type=\"hidden\" name=\"delta\" value=\"%s\">"
		  "<button type=\"submit\" class=\"%s\">%s<span class=\"visually-hidden\"> ",
		  cid, delta, cls, label);
	sbuf_adds_html(v->b, theme_name(v->t, theme));
	sbuf_adds(v->b, "</span></button></form>");
}

static void option_row(void *arg, int priority, const char *theme, long long count)
{
	struct option_view *v = arg;
	const char *name = theme_name(v->t, theme);

	stall_heading(v, priority);
	sbuf_addf(v->b, "<li class=\"option\" id=\"opt-%d-", priority);
	sbuf_adds_html(v->b, theme);
	sbuf_adds(v->b, "\"><span class=\"option-name\">");
	sbuf_adds_html(v->b, name);
	sbuf_addf(v->b, "</span> <span class=\"count\">%lld</span>", count);
	if (v->live) {
		long long width = v->max ? count * 100 / v->max : 0;
		sbuf_addf(v->b, "<svg class=\"bar\" viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\" "
			  "aria-hidden=\"true\" focusable=\"false\"><rect width=\"%lld\" height=\"4\"/></svg>",
			  width);
	} else if (!v->e->closed) {
		sbuf_adds(v->b, "<div class=\"tally-buttons\">");
		tally_button(v, priority, theme, "1", "+1", "button tally-plus");
		tally_button(v, priority, theme, "-1", "\xe2\x88\x92" "1", "button tally-minus");
		sbuf_addf(v->b, "</div><form method=\"post\" action=\"/staff/events/%lld/tally\" "
			  "class=\"set-total\">", v->e->id);
		staff_csrf_field(v->b, v->sess);
		sbuf_addf(v->b, "<input type=\"hidden\" name=\"priority\" value=\"%d\">"
			  "<input type=\"hidden\" name=\"theme\" value=\"", priority);
		sbuf_adds_html(v->b, theme);
		unsigned char raw[12];
		char cid[25];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(cid, sizeof cid, raw, sizeof raw);
		sbuf_addf(v->b, "\"><input type=\"hidden\" name=\"client_id\" value=\"%s\">"
			  "<label for=\"total-%d-", cid, priority);
		sbuf_adds_html(v->b, theme);
		sbuf_adds(v->b, "\">Set the total for ");
		sbuf_adds_html(v->b, name);
		sbuf_addf(v->b, "</label> <input type=\"number\" inputmode=\"numeric\" min=\"0\" "
			  "max=\"%d\" id=\"total-%d-", TALLY_MAX_SET, priority);
		sbuf_adds_html(v->b, theme);
		sbuf_adds(v->b, "\" name=\"total\"> <button type=\"submit\" class=\"button button-secondary\">"
			  "Set</button></form>");
	}
	sbuf_adds(v->b, "</li>\n");
}

static void find_max(void *arg, int priority, const char *theme, long long count)
{
	(void)priority;
	(void)theme;
	long long *max = arg;
	if (count > *max)
		*max = count;
}

static int event_page(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e, int live)
{
	struct sbuf *b = &rc->page;
	const struct form_consultation *c = staff_consultation(rc->srv, e->consultation);
	struct option_view v = { b, e, sess, c ? c->taxonomy : NULL, 0, live, 0 };

	if (!c)
		return http_send_problem(rc, 404, "This event's consultation is no longer offered.");
	if (live)
		store_event_options(rc->srv->store, e->id, find_max, &v.max);
	staff_page_start(b, sess, e->name, NULL);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, e->name);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, e->day);
	sbuf_adds(b, e->closed ? ". This event is closed: its tallies are locked.</p>\n" :
		  live ? ". These totals update every 10 seconds.</p>\n" :
		  ". Tap +1 for each sticker or token, or count them at the end and set the total.</p>\n");
	sbuf_addf(b, "<p><a class=\"nav-link\" href=\"/staff/events/%lld%s\">%s</a></p>\n", e->id,
		  live ? "" : "/live", live ? "Back to the tally page" : "Totals for a big screen");
	if (!live)
		event_admin_link(rc, sess, e);
	if (!live && !e->closed)
		sbuf_addf(b, "<div data-event=\"%lld\"><p class=\"tally-status\" id=\"tally-status\" "
			  "role=\"status\"></p>\n", e->id);
	if (store_event_options(rc->srv->store, e->id, option_row, &v))
		return http_send_problem(rc, 503, "The tallies are not available just now.");
	if (v.last_priority)
		sbuf_adds(b, "</ul></section>\n");
	if (!live && !e->closed)
		sbuf_adds(b, "</div>\n<script src=\"/static/tally.js\" defer></script>\n");
	if (!live)
		display_staff_section(rc, sess, e);
	if (!e->closed && !live) {
		sbuf_addf(b, "<h2>When the event is over</h2>\n<form method=\"post\" "
			  "action=\"/staff/events/%lld/close\">", e->id);
		staff_csrf_field(b, sess);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Close the event and "
			  "lock its tallies</button></form>\n");
	}
	render_staff_page_end(b);
	if (live && !b->err) /* the big screen reloads itself, no script needed */
		return http_send(rc, 200, "text/html; charset=utf-8", b->buf, b->len,
				 "Refresh: 10\r\nCache-Control: no-store\r\n");
	return http_send_page(rc, 200);
}

static int wants_json(const struct req_ctx *rc)
{
	const char *accept = mg_get_header(rc->conn, "Accept");
	return accept && strstr(accept, "application/json") != NULL;
}

static int tally_post(struct req_ctx *rc, const struct staff_session *sess,
		      const struct store_event *e)
{
	struct form_body body;
	long long priority, value, count = 0;
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
		return http_send_problem(rc, 400, "A tally change needs a stall, an option, a change of "
					 "+1 or -1 (or a total from 0 to 100000) and an id.");
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
	if (err == SV_ERR_INVALID)
		return http_send_problem(rc, 409, e->closed ? "This event is closed: its tallies are locked." :
					 "That would take the count below zero, or the option is not at this event.");
	if (err && err != SV_ERR_EXISTS)
		return http_send_problem(rc, 503, "The tally could not be saved. Please tap again.");
	if (wants_json(rc)) {
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

	if (!*rest || strcmp(rest, "/") == 0) {
		if (post)
			return create_event(rc, sess);
		return get ? events_page(rc, sess, 200, NULL, NULL) : http_send_problem(rc, 405, "Not that way.");
	}
	/* "/ID", "/ID/tally", "/ID/live"; "/ID/close" and the rest in event_admin.c */
	const char *digits = rest + 1;
	size_t n = strspn(digits, "0123456789");
	long long id;
	const char *action = digits + n;
	struct store_event e;
	if (n == 0 || n > 15 || parse_int(digits, n, 1, 999999999999999LL, &id) ||
	    store_event_get(rc->srv->store, id, &e))
		return http_send_problem(rc, 404, "There is no event at this address.");
	if (!*action)
		return get ? event_page(rc, sess, &e, 0) : http_send_problem(rc, 405, "Not that way.");
	if (strcmp(action, "/live") == 0)
		return get ? event_page(rc, sess, &e, 1) : http_send_problem(rc, 405, "Not that way.");
	if (strcmp(action, "/tally") == 0)
		return post ? tally_post(rc, sess, &e) : http_send_problem(rc, 405, "Not that way.");
	if (strncmp(action, "/display", 8) == 0) /* display.c: the projector's link */
		return display_staff_route(rc, sess, &e, action + 8);
	int status = event_admin_route(rc, sess, &e, action);
	return status ? status : http_send_problem(rc, 404, "There is no event page at this address.");
}
