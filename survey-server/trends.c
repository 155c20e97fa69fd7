/*
 * trends.c - a plan's rounds side by side, for commissioners (issue 16;
 * docs/rounds.md):
 *
 *   GET /staff/consultations/ID/trends                 the page
 *   GET /staff/consultations/ID/trends.csv|.json|.xlsx the same, as survey-export trends
 *   GET|POST /staff/consultations/ID/round             which plan it is a round of
 *
 * The Round page lets a commissioner set what consultations.json's "plan"
 * and "round" say (validated, audit-logged); the choice is kept in the
 * database (store_round_choose) and wins over consultations.json at every
 * start (rounds_load), as a theme list refined in the staff pages wins over
 * forms/.
 *
 * ID is any round of the plan.  Each round is its own themes table,
 * suppressed alone, so the page and files publish no count that a round's
 * own export does not.  The files are exports, read from the counters at each
 * request as survey-export trends is (export_trend_build).  The page is a
 * page people come back to, so each round on it is that round's results page
 * snapshot (results_tables_with): a round still taking answers moves only
 * when none or at least 5 survey responses have arrived since it was last
 * shown, and two views never differ by one young person's themes
 * (docs/rounds.md, "Differencing").
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "../export/export.h"
#include "../forms/render_staff.h"
#include "../forms/render_trends.h"
#include "http.h"
#include "server.h"

/* A count as its round publishes it; cell NULL: not in that round's list,
 * or (value -3) the round has no table to show yet. */
static void count_of(const struct export_trend *tr, size_t r, const struct cell *cell,
		     struct render_trend_count *out)
{
	if (!tr->rounds[r].t) {
		out->text[0] = '\0';
		out->value = -3;
		return;
	}
	if (!cell) {
		out->text[0] = '\0';
		out->value = -2;
		return;
	}
	export_cell_text(tr->rounds[r].t, cell, out->text);
	out->value = cell->state == CELL_SHOWN ? cell->value : -1;
}

/* Fills page from tr: every array one block, freed with free(*block). */
static enum sv_err lay_out(const struct export_trend *tr, struct form_catalog *cat,
			   struct render_trend *page, void **block)
{
	const struct taxonomy *f = tr->frame;
	size_t n = tr->nrounds, nrows = 0;

	for (size_t i = 0; i < f->npriorities; i++)
		for (size_t k = 0; k < f->nthemes; k++)
			nrows += (size_t)taxonomy_theme_under(&f->themes[k], f->priorities[i].number);
	size_t bytes = n * sizeof(struct render_trend_round) +
		f->npriorities * sizeof(struct render_trend_priority) +
		nrows * sizeof(struct render_trend_theme) +
		(f->npriorities + nrows) * n * sizeof(struct render_trend_count);
	char *mem = calloc(1, bytes);
	if (!mem)
		return SV_ERR_NOMEM;
	*block = mem;
	page->rounds = (struct render_trend_round *)mem;
	mem += n * sizeof(struct render_trend_round);
	page->priorities = (struct render_trend_priority *)mem;
	mem += f->npriorities * sizeof(struct render_trend_priority);
	struct render_trend_theme *rows = (struct render_trend_theme *)mem;
	mem += nrows * sizeof(struct render_trend_theme);
	struct render_trend_count *counts = (struct render_trend_count *)mem;

	page->nrounds = n;
	for (size_t r = 0; r < n; r++) {
		page->rounds[r].name = tr->rounds[r].round;
		const struct form_consultation *fc = form_catalog_consultation(cat, tr->rounds[r].consultation);
		page->rounds[r].title = tr->rounds[r].t && tr->rounds[r].t->title ? tr->rounds[r].t->title :
			fc ? fc->title : "";
		count_of(tr, r, tr->rounds[r].t ? &tr->rounds[r].t->took_part.responses : NULL,
			 &page->rounds[r].responses);
	}
	page->npriorities = f->npriorities;
	for (size_t i = 0; i < f->npriorities; i++) {
		struct render_trend_priority *pr = &page->priorities[i];
		pr->number = f->priorities[i].number;
		pr->name = f->priorities[i].name;
		pr->any = counts;
		counts += n;
		for (size_t r = 0; r < n; r++)
			count_of(tr, r, export_trend_cell(tr, r, pr->number, NULL, EXPORT_TOTAL),
				 &pr->any[r]);
		pr->themes = rows;
		for (size_t k = 0; k < f->nthemes; k++) {
			const struct theme *th = &f->themes[k];
			if (!taxonomy_theme_under(th, pr->number))
				continue;
			struct render_trend_theme *row = &pr->themes[pr->nthemes++];
			row->name = th->name;
			row->rounds = counts;
			counts += n;
			for (size_t r = 0; r < n; r++)
				count_of(tr, r, export_trend_cell(tr, r, pr->number, th->id, EXPORT_TOTAL),
					 &row->rounds[r]);
		}
		rows += pr->nthemes;
	}
	return SV_OK;
}

struct page_view {
	struct req_ctx *rc;
	const struct staff_session *sess;
	const struct form_consultation *c;
	struct export_trend *tr;
	enum sv_err err;
};

/* Under results.c's lock: the rounds' snapshots laid out and rendered at
 * once (their names live in the snapshots). */
static void page_render(void *arg, const struct export_table *const *tables)
{
	struct page_view *v = arg;
	struct export_trend *tr = v->tr;
	struct render_staff_user who = { v->sess->user.name,
					 (enum render_staff_role)v->sess->user.role, v->sess->csrf };
	struct render_trend page = { .who = &who, .plan = v->c->plan, .consultation = v->c->id,
				     .min_cell = tr->min_cell };
	const struct form_consultation *last =
		form_catalog_consultation(v->rc->srv->catalog, tr->rounds[tr->nrounds - 1].consultation);
	void *block = NULL;

	/* The snapshots stay results.c's (borrowed); a round with none to show
	 * yet has no table, and the latest round's theme list frames the page
	 * (from the catalogue when its snapshot is held). */
	tr->borrowed = 1;
	for (size_t r = 0; r < tr->nrounds; r++)
		tr->rounds[r].t = (struct export_table *)tables[r];
	tr->frame = tables[tr->nrounds - 1] ? tables[tr->nrounds - 1]->taxonomy :
		last ? last->taxonomy : v->c->taxonomy;
	v->err = lay_out(tr, v->rc->srv->catalog, &page, &block);
	if (!v->err)
		render_trends_page(&v->rc->page, &page);
	free(block);
}

static int trends_page(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_consultation *c)
{
	struct page_view v = { rc, sess, c, NULL, SV_OK };
	const char *ids[EXPORT_MAX_ROUNDS];
	enum sv_err err = export_trend_rounds(rc->srv->store, c->plan, NULL, &v.tr);

	if (!err) {
		v.tr->min_cell = EXPORT_DEFAULT_MIN_CELL;
		for (size_t r = 0; r < v.tr->nrounds; r++)
			ids[r] = v.tr->rounds[r].consultation;
		err = results_tables_with(rc->srv, ids, v.tr->nrounds, page_render, &v);
	}
	if (!err)
		err = v.err;
	export_trend_free(v.tr);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 "The rounds are not available just now.");
	return http_send_page(rc, 200);
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* trends.csv|json|xlsx: the file survey-export trends --plan writes. */
static int trends_file(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_consultation *c, const struct export_trend *tr,
		       const char *ext)
{
	struct sbuf book;
	char header[300];
	enum sv_err err = SV_OK;
	int json = strcmp(ext, "json") == 0, xlsx = strcmp(ext, "xlsx") == 0;

	sbuf_init(&book, EXPORT_MAX_OUTPUT);
	if (json)
		export_trend_json(tr, &rc->page);
	else
		export_trend_csv(tr, &rc->page);
	if (rc->page.err)
		err = rc->page.err;
	else if (xlsx)
		err = export_xlsx_bytes(rc->page.buf, rc->page.len, "trends", &book);
	if (err) {
		sbuf_free(&book);
		return http_send_problem(rc, 503, "That export is not available just now.");
	}
	store_audit(rc->srv->store, sess->user.name, "exported the trend of a plan", c->plan);
	snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"trends-%s.%s\"\r\n"
		 "Cache-Control: no-store\r\n", c->plan, ext);
	const struct sbuf *out = xlsx ? &book : &rc->page;
	int status = http_send(rc, 200, json ? "application/json" : xlsx ? XLSX_TYPE :
			       "text/csv; charset=utf-8", out->buf, out->len, header);
	sbuf_free(&book);
	return status;
}

/* ---- the Round page ---- */

/* A choice recorded in the staff pages, read at start. */
struct choice {
	char consultation[PARSE_MAX_ID + 1], plan[PARSE_MAX_ID + 1], round[PARSE_MAX_ID + 1];
	int none;                     /* a round of no plan */
};

struct choices {
	struct choice items[FORM_MAX_CONSULTATIONS];
	int n;
};

static void on_choice(void *arg, const char *consultation, const char *plan, const char *round)
{
	struct choices *l = arg;

	if (l->n >= FORM_MAX_CONSULTATIONS)
		return;
	struct choice *ch = &l->items[l->n++];
	snprintf(ch->consultation, sizeof ch->consultation, "%s", consultation);
	snprintf(ch->plan, sizeof ch->plan, "%s", plan ? plan : "");
	snprintf(ch->round, sizeof ch->round, "%s", round ? round : "");
	ch->none = !plan;
}

enum sv_err rounds_load(struct server *srv)
{
	struct choices *l = calloc(1, sizeof *l);
	enum sv_err rc = l ? store_round_choices(srv->store, on_choice, l) : SV_ERR_NOMEM;

	/* Read whole first: the store is locked while it lists them. */
	for (int i = 0; l && !rc && i < l->n; i++) {
		struct choice *ch = &l->items[i];
		struct form_consultation *c = form_catalog_consultation(srv->catalog, ch->consultation);
		if (!c)
			continue;  /* no longer offered */
		const char *plan = ch->none ? NULL : ch->plan, *round = ch->none ? NULL : ch->round;
		rc = form_consultation_round(srv->catalog, c, plan, round);
		if (!rc)
			rc = store_round_set(srv->store, c->id, plan, round);
	}
	free(l);
	return rc;
}

struct others {
	const char *self;
	const char *round;            /* a name to look for, or NULL */
	char (*text)[2 * PARSE_MAX_ID + 4];
	const char **list;
	size_t n;
	int taken;                    /* round is another consultation's */
};

static void on_other(void *arg, const char *consultation, const char *round)
{
	struct others *o = arg;

	if (strcmp(consultation, o->self) == 0)
		return;
	if (o->round && strcmp(round, o->round) == 0)
		o->taken = 1;
	if (o->n >= EXPORT_MAX_ROUNDS)
		return;
	snprintf(o->text[o->n], sizeof o->text[o->n], "%s (%s)", round, consultation);
	o->list[o->n] = o->text[o->n];
	o->n++;
}

static int round_page(struct req_ctx *rc, const struct staff_session *sess,
		      const struct form_consultation *c, int status, const char *plan,
		      const char *round, const struct staff_errors *e)
{
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	char text[EXPORT_MAX_ROUNDS][2 * PARSE_MAX_ID + 4];
	const char *list[EXPORT_MAX_ROUNDS];
	struct others o = { c->id, NULL, text, list, 0, 0 };
	struct render_round r = { .who = &who, .consultation = c->id, .title = c->title,
				  .plan = c->plan, .round = c->round, .typed_plan = plan,
				  .typed_round = round, .others = list, .e = e,
				  .saved = !e && ri->query_string && strcmp(ri->query_string, "saved") == 0 };

	if (c->plan && store_plan_rounds(rc->srv->store, c->plan, on_other, &o))
		return http_send_problem(rc, 503, "The rounds are not available just now.");
	r.nothers = o.n;
	render_round_page(&rc->page, &r);
	return http_send_page(rc, status);
}

/* The form's value: trimmed of spaces in place; "" when not sent. */
static char *trimmed(const struct form_body *body, const char *name)
{
	char *v = (char *)form_body_get(body, name);
	if (!v)
		return (char *)"";
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		v[--n] = '\0';
	return v;
}

static int round_post(struct req_ctx *rc, const struct staff_session *sess,
		      struct form_consultation *c)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	char *plan = trimmed(&body, "plan"), *round = trimmed(&body, "round");
	if (*plan && !id_valid(plan, strlen(plan)))
		staff_errors_add(&e, "round-plan", "Give the plan's short name in lower-case letters, "
				 "digits and dashes, up to 64 characters");
	else if (!*plan && *round)
		staff_errors_add(&e, "round-plan", "Give the plan too, or leave both empty for a round "
				 "of no plan");
	if (*round && !id_valid(round, strlen(round)))
		staff_errors_add(&e, "round-name", "Give the round's name in lower-case letters, digits "
				 "and dashes, up to 64 characters");
	else if (*plan && !*round)
		staff_errors_add(&e, "round-name", "Give the round's name too, or leave both empty for a "
				 "round of no plan");
	if (!e.n && *plan) {
		/* Another round of the plan with this name, or a plan full already. */
		char text[EXPORT_MAX_ROUNDS][2 * PARSE_MAX_ID + 4];
		const char *list[EXPORT_MAX_ROUNDS];
		struct others o = { c->id, round, text, list, 0, 0 };
		if (store_plan_rounds(rc->srv->store, plan, on_other, &o)) {
			form_body_free(&body);
			return http_send_problem(rc, 503, "The round could not be saved just now.");
		}
		if (o.taken)
			staff_errors_add(&e, "round-name", "Another consultation is already this round of "
					 "the plan: give this one another name");
		else if (o.n >= EXPORT_MAX_ROUNDS)
			staff_errors_add(&e, "round-plan", "That plan has 20 rounds, as many as it can "
					 "hold: choose another plan");
	}
	if (e.n) {
		status = round_page(rc, sess, c, 422, plan, round, &e);
		form_body_free(&body);
		return status;
	}
	const char *p = *plan ? plan : NULL, *r = *plan ? round : NULL;
	pthread_mutex_lock(&catalog_lock);
	enum sv_err err = store_round_choose(rc->srv->store, c->id, p, r);
	if (!err)
		err = form_consultation_round(rc->srv->catalog, c, p, r);
	pthread_mutex_unlock(&catalog_lock);
	if (err == SV_ERR_TOOBIG) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 409, "Saved, but not shown yet", "Rounds have been changed "
				    "too many times since the server started: this shows after the next "
				    "restart.", "/staff/consultations", "Back to the consultations");
	}
	char detail[200], location[128];
	if (p)
		snprintf(detail, sizeof detail, "%s: round %s of plan %s", c->id, r, p);
	else
		snprintf(detail, sizeof detail, "%s: a round of no plan", c->id);
	form_body_free(&body);
	if (err)
		return http_send_problem(rc, 503, "The round could not be saved just now.");
	store_audit(rc->srv->store, sess->user.name, "set the round of a consultation", detail);
	snprintf(location, sizeof location, "/staff/consultations/%s/round?saved", c->id);
	return http_send_redirect(rc, location);
}

int trends_route(struct req_ctx *rc, const struct staff_session *sess,
		 struct form_consultation *c, const char *action)
{
	if (http_path_is(action, "/round")) {
		if (strcmp(rc->method, "POST") == 0)
			return round_post(rc, sess, c);
		if (strcmp(rc->method, "GET") == 0 || rc->head_only)
			return round_page(rc, sess, c, 200, NULL, NULL, NULL);
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}

	static const char *const exts[] = { "csv", "json", "xlsx" };
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	const char *ext = NULL;
	struct export_trend *tr = NULL;

	if (strncmp(action, "/trends", 7) != 0)
		return 0;
	for (int i = 0; i < 3; i++)
		if (action[7] == '.' && http_path_is(action + 8, exts[i]))
			ext = exts[i];
	if (!ext && !http_path_is(action, "/trends"))
		return 0;
	if (!get)
		return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	if (!c->plan)
		return http_send_problem(rc, 404, "This consultation is not a round of a plan: give it "
					 "one on its Round of a plan page.");
	if (!ext)
		return trends_page(rc, sess, c);
	enum sv_err err = export_trend_build(rc->srv->store, c->plan, NULL, EXPORT_DEFAULT_MIN_CELL, 0, &tr);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 "The rounds are not available just now.");
	int status = trends_file(rc, sess, c, tr, ext);
	export_trend_free(tr);
	return status;
}
