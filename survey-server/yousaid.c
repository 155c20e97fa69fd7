/*
 * yousaid.c - "you said, we did" (issue 16, its first part):
 *
 *   GET  /results/ID                             the public page (404 until published)
 *   POST /staff/consultations/ID/publish         published=1|0
 *   GET  /staff/consultations/ID/decisions       the decision log, and the form adding one
 *   POST /staff/consultations/ID/decisions       adds an entry
 *   GET  /staff/consultations/ID/decisions/N     the form changing entry N
 *   POST /staff/consultations/ID/decisions/N     changes it (its status too)
 *   GET  /staff/consultations/ID/decisions.csv   the log as evidence
 *   GET  /staff/consultations/ID/decisions.json
 *
 * The staff pages are a commissioner's (and an admin's), like everything
 * under /staff/consultations: a youth worker is refused (403), and reads the
 * public page like anyone.  Every change is audit-logged.
 *
 * What young people said is the themes table the staff results page shows
 * (results_tables_with: the same snapshot, so the same suppression and the
 * same differencing rule), of which the public page prints only the totals
 * of the largest themes under each priority that are published exactly: a
 * part of what the CSV prints, chosen by published numbers alone, so it
 * tells nothing the CSV does not (docs/report.md, "Small numbers").
 *
 * A consultation that is a round of a plan also shows, under each
 * priority, its "any theme" total in up to 3 earlier rounds and in this one,
 * each round's from that round's own results snapshot (results_tables_with:
 * suppressed as its export, moving in steps of at least 5), and printed
 * only where published exactly (docs/rounds.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../export/export.h"
#include "../forms/render.h"
#include "../forms/render_yousaid.h"
#include "http.h"
#include "kiosk.h"
#include "server.h"

#define YOUSAID_MAX_DECISIONS 200    /* entries in one consultation's log (more: refused) */

enum sv_err yousaid_load(struct server *srv)
{
	struct form_catalog *cat = srv->catalog;

	for (int i = 0; i < cat->nconsultations; i++) {
		int published = 0;
		enum sv_err rc = store_results_published(srv->store, cat->consultations[i].id, 0,
							 &published, NULL);
		if (rc)
			return rc;
		cat->consultations[i].published = published;
	}
	return SV_OK;
}

/* A consultation's log, read whole (at most YOUSAID_MAX_DECISIONS). */
struct log {
	struct store_decision *items;
	size_t n;
	long long total;              /* entries there are, read or not */
	enum sv_err err;
};

static void on_decision(void *arg, const struct store_decision *d)
{
	struct log *l = arg;

	l->total++;
	if (l->err || l->n >= YOUSAID_MAX_DECISIONS)
		return;
	if (!l->items && !(l->items = calloc(YOUSAID_MAX_DECISIONS, sizeof *l->items))) {
		l->err = SV_ERR_NOMEM;
		return;
	}
	l->items[l->n++] = *d;
}

static enum sv_err log_read(struct store *st, const char *consultation, struct log *l)
{
	memset(l, 0, sizeof *l);
	enum sv_err rc = store_decision_each(st, consultation, on_decision, l);
	return rc ? rc : l->err;
}

/* ---- the public page ---- */

struct public_view {
	struct render_yousaid y;
	const struct form_consultation *c;
	const struct log *log;
	struct sbuf *page;
	const struct export_table *const *rounds; /* y.nrounds snapshots, this one's last */
};

/* Priority number's "any theme" total in round table t, as the page words it. */
static void round_count(const struct export_table *t, int number, struct render_yousaid_count *out)
{
	out->kind = t ? RENDER_YOUSAID_NOT_ASKED : RENDER_YOUSAID_NOT_YET;
	for (size_t i = 0; t && i < t->nsubtotals; i++) {
		const struct cell *c = &t->subtotals[i].cells[EXPORT_TOTAL];
		if (t->subtotals[i].priority->number != number)
			continue;
		out->kind = c->state == CELL_SHOWN ? RENDER_YOUSAID_EXACT : RENDER_YOUSAID_KEPT;
		if (c->state == CELL_SHOWN)
			export_cell_text(t, c, out->text);
	}
}

/* Under results.c's lock: the view of t, rendered at once (its names live
 * in the snapshot). */
static void public_render(void *arg, const struct export_table *t)
{
	struct public_view *v = arg;
	struct render_yousaid *y = &v->y;
	const struct taxonomy *tax = t ? t->taxonomy : v->c->taxonomy;
	struct render_yousaid_priority prios[TAXONOMY_MAX_PRIORITIES];

	memset(prios, 0, sizeof prios);
	y->held = t == NULL;
	y->npriorities = tax->npriorities < TAXONOMY_MAX_PRIORITIES ? tax->npriorities :
		TAXONOMY_MAX_PRIORITIES;
	y->priorities = prios;
	if (t) {
		char text[32];
		export_cell_text(t, &t->took_part.responses, text);
		snprintf(y->responses, sizeof y->responses, "%s", t->took_part.responses.state == CELL_SHOWN ?
			 text : "");
	}
	for (size_t p = 0; p < y->npriorities; p++) {
		struct render_yousaid_priority *pr = &prios[p];
		pr->number = tax->priorities[p].number;
		pr->name = tax->priorities[p].name;
		for (size_t r = 0; r < y->nrounds; r++)
			round_count(v->rounds[r], pr->number, &pr->rounds[r]);
		/* Its entries: the log is in priority order. */
		for (size_t i = 0; i < v->log->n; i++)
			if (v->log->items[i].priority == pr->number) {
				if (!pr->ndecisions)
					pr->decisions = &v->log->items[i];
				pr->ndecisions++;
			}
		/* The largest totals published exactly, largest first (ties in the
		 * table's order). */
		const struct cell *best[RENDER_YOUSAID_TOP];
		for (size_t i = 0; t && i < t->nrows; i++) {
			const struct export_row *row = &t->rows[i];
			const struct cell *c = &row->cells[EXPORT_TOTAL];
			if (row->priority->number != pr->number)
				continue;
			if (c->state != CELL_SHOWN) {
				pr->small = 1;
				continue;
			}
			if (c->value <= 0)
				continue;
			int at = pr->ntop;
			while (at > 0 && best[at - 1]->value < c->value)
				at--;
			if (at >= RENDER_YOUSAID_TOP)
				continue;
			int last = pr->ntop < RENDER_YOUSAID_TOP ? pr->ntop : RENDER_YOUSAID_TOP - 1;
			for (int k = last; k > at; k--) {
				best[k] = best[k - 1];
				pr->top[k] = pr->top[k - 1];
			}
			best[at] = c;
			pr->top[at].name = row->theme->name;
			export_cell_text(t, c, pr->top[at].text);
			if (pr->ntop < RENDER_YOUSAID_TOP)
				pr->ntop++;
		}
	}
	render_yousaid_page(v->page, y);
}

static void public_render_rounds(void *arg, const struct export_table *const *tables)
{
	struct public_view *v = arg;

	v->rounds = tables;
	public_render(v, tables[v->y.nrounds - 1]);
}

/* The page's rounds: up to RENDER_YOUSAID_ROUNDS of c's plan, c's own last
 * (names into y, ids into ids; tr keeps them), or c alone. */
static enum sv_err public_rounds(struct store *st, const struct form_consultation *c,
				 struct export_trend **tr, struct render_yousaid *y, const char **ids)
{
	enum sv_err err = c->plan ? export_trend_rounds(st, c->plan, c->id, tr) : SV_ERR_NOTFOUND;

	y->nrounds = 1;
	y->rounds[0] = c->round ? c->round : "";
	ids[0] = c->id;
	if (err)
		return err == SV_ERR_NOTFOUND ? SV_OK : err;
	size_t n = (*tr)->nrounds, first = n > RENDER_YOUSAID_ROUNDS ? n - RENDER_YOUSAID_ROUNDS : 0;
	y->nrounds = n - first;
	for (size_t r = first; r < n; r++) {
		y->rounds[r - first] = (*tr)->rounds[r].round;
		ids[r - first] = (*tr)->rounds[r].consultation;
	}
	return SV_OK;
}

int yousaid_route(struct req_ctx *rc, const char *rest)
{
	char id[PARSE_MAX_ID + 1];
	size_t n = rest[0] == '/' ? strlen(rest + 1) : 0;

	if (!n || n > PARSE_MAX_ID || !id_valid(rest + 1, n))
		return http_send_problem(rc, 404, "There is no page at this address.");
	memcpy(id, rest + 1, n);
	id[n] = '\0';
	const struct form_consultation *c = form_catalog_consultation(rc->srv->catalog, id);
	/* Not published is not there at all: the same answer as no such page. */
	if (!c || !c->published)
		return http_send_problem(rc, 404, "There is no page at this address.");
	if (strcmp(rc->method, "GET") != 0 && !rc->head_only)
		return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	struct log log;
	int published = 0;
	char day[11] = "";
	enum sv_err err = log_read(rc->srv->store, c->id, &log);
	if (!err)
		err = store_results_published(rc->srv->store, c->id, 0, &published, day);
	struct public_view v = { .y = { .title = c->title, .min_cell = EXPORT_DEFAULT_MIN_CELL },
				 .c = c, .log = &log, .page = &rc->page };
	/* When it last changed: the newest entry, or the day it was published. */
	snprintf(v.y.changed, sizeof v.y.changed, "%s", day);
	for (size_t i = 0; i < log.n; i++)
		if (strcmp(log.items[i].changed_on, v.y.changed) > 0)
			memcpy(v.y.changed, log.items[i].changed_on, sizeof v.y.changed);
	struct export_trend *tr = NULL;
	const char *ids[RENDER_YOUSAID_ROUNDS];
	if (!err)
		err = public_rounds(rc->srv->store, c, &tr, &v.y, ids);
	if (!err)
		err = results_tables_with(rc->srv, ids, v.y.nrounds, public_render_rounds, &v);
	export_trend_free(tr);
	free(log.items);
	if (err)
		return http_send_problem(rc, 503, "This page is not available just now. Please try "
					 "again in a minute.");
	return http_send_page(rc, 200);
}

/* ---- the staff pages ---- */

static void public_address(struct req_ctx *rc, const struct form_consultation *c, char *out, size_t cap)
{
	char base[300];

	if (poster_base_url(rc, base, sizeof base))
		base[0] = '\0';
	snprintf(out, cap, "%s/results/%s", base, c->id);
}

/* The log page (entry NULL) or an entry's page, with a refused form's
 * fields and problems when posted and e are set. */
static int log_page(struct req_ctx *rc, const struct staff_session *sess,
		    const struct form_consultation *c, int status, const struct store_decision *entry,
		    const struct form_body *posted, const struct staff_errors *e)
{
	struct log log = { 0 };
	char url[400];
	struct render_decisions r = { .consultation = c->id, .title = c->title, .taxonomy = c->taxonomy,
				      .csrf = sess->csrf, .posted = posted, .errors = e,
				      .editing = entry, .public_url = url };
	enum sv_err err = entry ? SV_OK : log_read(rc->srv->store, c->id, &log);

	if (!err)
		err = store_results_published(rc->srv->store, c->id, 0, &r.published, r.published_day);
	if (err) {
		free(log.items);
		return http_send_problem(rc, 503, "The decision log is not available just now.");
	}
	public_address(rc, c, url, sizeof url);
	r.items = log.items;
	r.nitems = log.n;
	staff_page_start(&rc->page, sess, entry ? "Change an entry" : "You said, we did", e);
	if (entry)
		render_decision_edit(&rc->page, &r);
	else
		render_decisions_page(&rc->page, &r);
	render_staff_page_end(&rc->page);
	free(log.items);
	return http_send_page(rc, status);
}

/* 1 if day is a real day, YYYY-MM-DD. */
static int day_ok(const char *day)
{
	int y, m, d;
	char end;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!day || strlen(day) != 10 || day[4] != '-' || day[7] != '-' ||
	    sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 2000 || y > 2999 ||
	    m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* A text field: present, within max bytes (required: not empty), with no
 * control characters but line breaks and tabs (multiline) or none. */
static int text_ok(const char *v, size_t max, int required, int multiline)
{
	if (!v)
		return !required;
	size_t n = strlen(v);
	if (n > max || (required && strspn(v, " \t\r\n") == n))
		return 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return 0;
	return 1;
}

/* Reads a posted entry into d, noting every problem in e. */
static void decision_read(const struct form_body *body, const struct form_consultation *c,
			  struct store_decision *d, struct staff_errors *e)
{
	const char *prio = form_body_get(body, "priority");
	const char *said = form_body_get(body, "said");
	const char *decided = form_body_get(body, "decided");
	const char *by = form_body_get(body, "by");
	const char *lead = form_body_get(body, "lead");
	const char *status = form_body_get(body, "status");
	const char *why = form_body_get(body, "why");
	const char *day = form_body_get(body, "decided_on");
	long long number = 0;

	snprintf(d->consultation, sizeof d->consultation, "%s", c->id);
	if (!prio || parse_int(prio, strlen(prio), 1, TAXONOMY_MAX_PRIORITIES, &number) ||
	    taxonomy_priority_index(c->taxonomy, (int)number) < 0)
		staff_errors_add(e, "d-priority", "Choose one of the priorities");
	d->priority = (int)number;
	if (!text_ok(said, STORE_MAX_DECISION_TEXT, 1, 1))
		staff_errors_add(e, "d-said", "Say what young people said, in up to 600 characters");
	if (!text_ok(decided, STORE_MAX_DECISION_TEXT, 1, 1))
		staff_errors_add(e, "d-decided", "Say what was decided, in up to 600 characters");
	d->by_board = by && strcmp(by, "board") == 0;
	if (!by || (!d->by_board && strcmp(by, "lead") != 0))
		staff_errors_add(e, "d-by-board", "Choose who decided: the board or a lead");
	if (by && !d->by_board && !text_ok(lead, STORE_MAX_DECIDER, 1, 0))
		staff_errors_add(e, "d-lead", "Name the lead who decided, in up to 120 characters "
				 "on one line");
	else if (lead && !text_ok(lead, STORE_MAX_DECIDER, 0, 0))
		staff_errors_add(e, "d-lead", "Give the lead in up to 120 characters on one line");
	d->status = -1;
	for (int s = 0; status && s < STORE_NSTATUSES; s++)
		if (strcmp(status, store_decision_status_name(s)) == 0)
			d->status = s;
	if (d->status < 0)
		staff_errors_add(e, "d-status-planned", "Choose where it stands");
	if (d->status == STORE_NOT_POSSIBLE && !text_ok(why, STORE_MAX_DECISION_TEXT, 1, 1))
		staff_errors_add(e, "d-why", "Say why it is not possible, in up to 600 characters");
	else if (why && !text_ok(why, STORE_MAX_DECISION_TEXT, 0, 1))
		staff_errors_add(e, "d-why", "Give the reason in up to 600 characters");
	if (!day_ok(day))
		staff_errors_add(e, "d-decided-on", "Give the day it was decided, as YYYY-MM-DD");
	if (e->n)
		return;
	snprintf(d->said, sizeof d->said, "%s", said);
	snprintf(d->decided, sizeof d->decided, "%s", decided);
	snprintf(d->lead, sizeof d->lead, "%s", d->by_board || !lead ? "" : lead);
	snprintf(d->why, sizeof d->why, "%s", d->status == STORE_NOT_POSSIBLE && why ? why : "");
	snprintf(d->decided_on, sizeof d->decided_on, "%s", day);
}

static int back_to_log(struct req_ctx *rc, const struct form_consultation *c, long long id)
{
	char location[160];

	snprintf(location, sizeof location, "/staff/consultations/%s/decisions#d%lld", c->id, id);
	return http_send_redirect(rc, location);
}

/* POST .../decisions: a new entry. */
static int decision_add(struct req_ctx *rc, const struct staff_session *sess,
			const struct form_consultation *c)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct store_decision *d = calloc(1, sizeof *d);
	struct log log = { 0 };
	long long id = 0;
	int status = d ? staff_read_post(rc, sess, &body) : http_send_problem(rc, 503, "Not just now.");

	if (status) {
		free(d);
		return status;
	}
	decision_read(&body, c, d, &e);
	if (e.n) {
		status = log_page(rc, sess, c, 422, NULL, &body, &e);
		goto out;
	}
	enum sv_err err = log_read(rc->srv->store, c->id, &log);
	if (!err && log.total >= YOUSAID_MAX_DECISIONS) {
		status = staff_refuse(rc, sess, 409, "The log is full", "This consultation's decision log "
				      "has as many entries as it can hold. Change an entry instead.",
				      "/staff/consultations", "Back to the consultations");
		goto out;
	}
	if (!err)
		err = store_decision_add(rc->srv->store, d, &id);
	if (err) {
		status = http_send_problem(rc, 503, "The entry could not be saved just now.");
		goto out;
	}
	char detail[200];
	snprintf(detail, sizeof detail, "%s: entry %lld under priority %d, %s, decided %s by %s", c->id,
		 id, d->priority, store_decision_status_name(d->status), d->decided_on,
		 d->by_board ? "the board" : "a lead");
	store_audit(rc->srv->store, sess->user.name, "added a decision", detail);
	status = back_to_log(rc, c, id);
out:
	free(log.items);
	free(d);
	form_body_free(&body);
	return status;
}

/* Names what differs between two versions of an entry, for the audit log. */
static void changes(const struct store_decision *was, const struct store_decision *now, char *out,
		    size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
#define CHANGED(cond, ...) \
	if ((cond) && n < cap) { \
		int w = snprintf(out + n, cap - n, __VA_ARGS__); \
		n += w > 0 ? (size_t)w : 0; \
	}
	CHANGED(was->status != now->status, "; status %s -> %s", store_decision_status_name(was->status),
		store_decision_status_name(now->status))
	CHANGED(was->priority != now->priority, "; priority %d -> %d", was->priority, now->priority)
	CHANGED(strcmp(was->said, now->said) != 0, "; what young people said")
	CHANGED(strcmp(was->decided, now->decided) != 0, "; what was decided")
	CHANGED(was->by_board != now->by_board || strcmp(was->lead, now->lead) != 0, "; who decided")
	CHANGED(strcmp(was->why, now->why) != 0, "; why not possible")
	CHANGED(strcmp(was->decided_on, now->decided_on) != 0, "; day decided %s -> %s",
		was->decided_on, now->decided_on)
#undef CHANGED
	if (!out[0])
		snprintf(out, cap, "; nothing");
}

/* GET or POST .../decisions/N. */
static int decision_entry(struct req_ctx *rc, const struct staff_session *sess,
			  const struct form_consultation *c, long long id, int post)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct store_decision *was = calloc(2, sizeof *was);
	int status;

	if (!was)
		return http_send_problem(rc, 503, "The decision log is not available just now.");
	enum sv_err err = store_decision_get(rc->srv->store, c->id, id, was);
	if (err) {
		free(was);
		return err == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such entry.") :
			http_send_problem(rc, 503, "The decision log is not available just now.");
	}
	if (!post) {
		status = log_page(rc, sess, c, 200, was, NULL, NULL);
		free(was);
		return status;
	}
	status = staff_read_post(rc, sess, &body);
	if (status) {
		free(was);
		return status;
	}
	struct store_decision *now = &was[1];
	decision_read(&body, c, now, &e);
	now->id = id;
	if (e.n) {
		status = log_page(rc, sess, c, 422, was, &body, &e);
	} else if ((err = store_decision_update(rc->srv->store, now)) != SV_OK) {
		status = err == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such entry.") :
			http_send_problem(rc, 503, "The entry could not be saved just now.");
	} else {
		char what[300], detail[400];
		changes(was, now, what, sizeof what);
		snprintf(detail, sizeof detail, "%s: entry %lld%s", c->id, id, what);
		store_audit(rc->srv->store, sess->user.name, "changed a decision", detail);
		status = back_to_log(rc, c, id);
	}
	form_body_free(&body);
	free(was);
	return status;
}

/* GET .../decisions.csv or .json. */
static int decisions_export(struct req_ctx *rc, const struct form_consultation *c, int json)
{
	struct log log;
	struct sbuf out;
	char day[11], header[300];

	if (log_read(rc->srv->store, c->id, &log)) {
		free(log.items);
		return http_send_problem(rc, 503, "The decision log is not available just now.");
	}
	staff_today(day);
	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	if (json)
		export_decisions_json(c->id, day, c->taxonomy, log.items, log.n, &out);
	else
		export_decisions_csv(c->taxonomy, log.items, log.n, &out);
	free(log.items);
	int status;
	if (out.err) {
		status = http_send_problem(rc, 503, "That export is not available just now.");
	} else {
		snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"decisions-%s.%s\"\r\n"
			 "Cache-Control: no-store\r\n", c->id, json ? "json" : "csv");
		status = http_send(rc, 200, json ? "application/json" : "text/csv; charset=utf-8", out.buf,
				   out.len, header);
	}
	sbuf_free(&out);
	return status;
}

/* POST .../publish: published=1 or 0. */
static int publish(struct req_ctx *rc, const struct staff_session *sess, struct form_consultation *c)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *v = form_body_get(&body, "published");
	int want = v && strcmp(v, "1") == 0 ? 1 : v && strcmp(v, "0") == 0 ? 0 : -1;
	form_body_free(&body);
	if (want < 0)
		return staff_refuse(rc, sess, 400, "That did not work", "Use the button on the decision "
				    "log's page.", "/staff/consultations", "Back to the consultations");
	if (store_results_published(rc->srv->store, c->id, 1, &want, NULL))
		return http_send_problem(rc, 503, "The change could not be saved just now.");
	c->published = want;  /* the public page, thanks pages and posters from the next request */
	store_audit(rc->srv->store, sess->user.name, want ? "published results" : "withdrew results", c->id);
	char location[160];
	snprintf(location, sizeof location, "/staff/consultations/%s/decisions", c->id);
	return http_send_redirect(rc, location);
}

int yousaid_staff_route(struct req_ctx *rc, const struct staff_session *sess,
			struct form_consultation *c, const char *action)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	const char *rest;
	long long id;

	if (http_path_is(action, "/publish"))
		return post ? publish(rc, sess, c) : http_send_not_allowed(rc, "POST", "Use the button.");
	if (http_path_is(action, "/decisions.csv") || http_path_is(action, "/decisions.json"))
		return get ? decisions_export(rc, c, action[11] == 'j') :
			http_send_not_allowed(rc, "GET, HEAD", "Not that way.");
	if (!http_path_under(action, "/decisions", &rest))
		return 0;
	if (http_path_is(rest, "")) {
		if (post)
			return decision_add(rc, sess, c);
		return get ? log_page(rc, sess, c, 200, NULL, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	if (!http_path_id(rest, &id, &rest) || !http_path_is(rest, ""))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	if (!get && !post)
		return http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	return decision_entry(rc, sess, c, id, post);
}
