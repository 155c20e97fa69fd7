/*
 * trends.c - a plan's rounds side by side, for commissioners (issue 16;
 * docs/rounds.md):
 *
 *   GET /staff/consultations/ID/trends                 the page
 *   GET /staff/consultations/ID/trends.csv|.json|.xlsx the same, as survey-export trends
 *
 * ID is any round of the plan.  Each round is its own themes export, built
 * and suppressed alone (export_trend_build), so the page and files publish
 * no count that a round's own export does not.  Like that export they are
 * read from the counters at each request: a round still taking answers moves
 * as its themes export does (docs/rounds.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "../export/export.h"
#include "../forms/render_trends.h"
#include "http.h"
#include "server.h"

/* A count as its round publishes it; cell NULL: not in that round's list. */
static void count_of(const struct export_trend *tr, size_t r, const struct cell *cell,
		     struct render_trend_count *out)
{
	if (!cell) {
		out->text[0] = '\0';
		out->value = -2;
		return;
	}
	export_cell_text(tr->rounds[r].t, cell, out->text);
	out->value = cell->state == CELL_SHOWN ? cell->value : -1;
}

/* Fills page from tr: every array one block, freed with free(*block). */
static enum sv_err lay_out(const struct export_trend *tr, struct render_trend *page, void **block)
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
		page->rounds[r].title = tr->rounds[r].t->title ? tr->rounds[r].t->title : "";
		count_of(tr, r, &tr->rounds[r].t->took_part.responses, &page->rounds[r].responses);
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

static int trends_page(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_consultation *c, const struct export_trend *tr)
{
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	struct render_trend page = { .who = &who, .plan = c->plan, .consultation = c->id,
				     .min_cell = tr->min_cell };
	void *block = NULL;

	if (lay_out(tr, &page, &block))
		return http_send_problem(rc, 503, "The rounds are not available just now.");
	render_trends_page(&rc->page, &page);
	free(block);
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

int trends_route(struct req_ctx *rc, const struct staff_session *sess,
		 const struct form_consultation *c, const char *action)
{
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
					 "\"plan\" and \"round\" in consultations.json.");
	enum sv_err err = export_trend_build(rc->srv->store, c->plan, EXPORT_DEFAULT_MIN_CELL, 0, &tr);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 "The rounds are not available just now.");
	int status = ext ? trends_file(rc, sess, c, tr, ext) : trends_page(rc, sess, c, tr);
	export_trend_free(tr);
	return status;
}
