/*
 * trends.c - the rounds of one plan side by side (issue 16, docs/rounds.md;
 * see export.h).
 *
 * A trend invents no disclosure rule of its own: each round is its
 * consultation's themes table, built and suppressed alone by
 * export_suppress exactly as that round's own export is, and a trend prints
 * only those tables' published text.  So a count hidden in a round's export
 * ("<5", "[c]") is hidden here in that round, and no difference between
 * rounds is ever published (two rounds are different young people).
 *
 * Theme and priority ids stay the same across rounds (the taxonomy), so a
 * round's counts are found by priority number and theme id; the latest
 * round's list frames what is shown, and a theme an earlier round's list
 * lacks is left empty in that round, never 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "export.h"

struct collect {
	struct export_trend *tr;
	enum sv_err err;
};

static void on_round(void *arg, const char *consultation, const char *round)
{
	struct collect *c = arg;
	struct export_trend *tr = c->tr;

	if (c->err)
		return;
	if (tr->nrounds >= EXPORT_MAX_ROUNDS) {
		c->err = SV_ERR_TOOBIG;
		return;
	}
	struct export_trend_round *r = &tr->rounds[tr->nrounds];
	r->consultation = strdup(consultation);
	r->round = strdup(round);
	tr->nrounds++; /* counted now, so free releases what it holds */
	if (!r->consultation || !r->round)
		c->err = SV_ERR_NOMEM;
}

enum sv_err export_trend_rounds(struct store *st, const char *plan, const char *upto,
				struct export_trend **out)
{
	struct export_trend *tr = calloc(1, sizeof *tr);
	struct collect c = { tr, SV_OK };
	enum sv_err rc;

	*out = NULL;
	if (!tr)
		return SV_ERR_NOMEM;
	tr->plan = strdup(plan);
	tr->rounds = calloc(EXPORT_MAX_ROUNDS, sizeof *tr->rounds);
	if (!tr->plan || !tr->rounds) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	rc = store_plan_rounds(st, plan, on_round, &c);
	if (!rc)
		rc = c.err;
	if (!rc && tr->nrounds == 0)
		rc = SV_ERR_NOTFOUND;
	if (!rc && upto) {
		/* Only the rounds up to upto's own: later ones are let go. */
		size_t k = 0;
		while (k < tr->nrounds && strcmp(tr->rounds[k].consultation, upto) != 0)
			k++;
		if (k == tr->nrounds)
			rc = SV_ERR_NOTFOUND;
		for (size_t i = k + 1; i < tr->nrounds; i++) {
			free(tr->rounds[i].consultation);
			free(tr->rounds[i].round);
		}
		if (!rc)
			tr->nrounds = k + 1;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(tr->generated, sizeof tr->generated, "%Y-%m-%d", &tm);
out:
	if (rc)
		export_trend_free(tr);
	else
		*out = tr;
	return rc;
}

enum sv_err export_trend_build(struct store *st, const char *plan, const char *upto, int min_cell,
			       int round_to, struct export_trend **out)
{
	struct export_trend *tr = NULL;
	enum sv_err rc = export_trend_rounds(st, plan, upto, &tr);

	*out = NULL;
	if (rc)
		return rc;
	tr->min_cell = min_cell;
	for (size_t i = 0; i < tr->nrounds && !rc; i++) {
		rc = export_table_build(st, tr->rounds[i].consultation, &tr->rounds[i].t);
		if (!rc)
			rc = export_suppress(tr->rounds[i].t, min_cell);
		if (!rc)
			export_round(tr->rounds[i].t, round_to);
	}
	if (rc) {
		export_trend_free(tr);
		return rc;
	}
	tr->frame = tr->rounds[tr->nrounds - 1].t->taxonomy;
	*out = tr;
	return SV_OK;
}

void export_trend_free(struct export_trend *tr)
{
	if (!tr)
		return;
	for (size_t i = 0; i < tr->nrounds; i++) {
		free(tr->rounds[i].consultation);
		free(tr->rounds[i].round);
		if (!tr->borrowed)
			export_table_free(tr->rounds[i].t);
	}
	free(tr->rounds);
	free(tr->plan);
	free(tr);
}

const struct cell *export_trend_cell(const struct export_trend *tr, size_t r, int p,
				     const char *theme, enum export_col col)
{
	const struct export_table *t = r < tr->nrounds ? tr->rounds[r].t : NULL;

	if (!t || col >= EXPORT_NCOLS)
		return NULL;
	if (!theme) {
		for (size_t i = 0; i < t->nsubtotals; i++)
			if (t->subtotals[i].priority->number == p)
				return &t->subtotals[i].cells[col];
		return NULL;
	}
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].priority->number == p && strcmp(t->rows[i].theme->id, theme) == 0)
			return &t->rows[i].cells[col];
	return NULL;
}

static const char *const col_keys[EXPORT_NCOLS] = { "survey", "focus_group", "marketplace",
						     "total", "free_text" };

/* A count as the themes CSV writes it: a number bare, "<5" and "[c]" quoted. */
static void csv_count(const struct export_table *t, const struct cell *c, struct sbuf *out)
{
	char text[32];

	export_cell_text(t, c, text);
	if (c->state == CELL_SHOWN)
		sbuf_adds(out, text);
	else
		export_csv_field(out, text);
}

/* One CSV row of round r: priority p and theme th (NULL: the priority's own). */
static void csv_row(const struct export_trend *tr, size_t r, const struct priority *p,
		    const struct theme *th, struct sbuf *out)
{
	const struct export_trend_round *rd = &tr->rounds[r];
	char num[16];

	export_csv_field(out, tr->plan);
	sbuf_adds(out, ",");
	export_csv_field(out, rd->round);
	sbuf_adds(out, ",");
	export_csv_field(out, rd->consultation);
	snprintf(num, sizeof num, ",%d,", p->number);
	sbuf_adds(out, num);
	export_csv_field(out, p->name);
	sbuf_adds(out, ",");
	export_csv_field(out, th ? th->id : "");
	sbuf_adds(out, ",");
	export_csv_field(out, th ? th->name : "Any theme under this priority");
	sbuf_adds(out, ",");
	csv_count(rd->t, &rd->t->took_part.responses, out);
	for (int c = 0; c < EXPORT_NCOLS; c++) {
		const struct cell *cell = export_trend_cell(tr, r, p->number, th ? th->id : NULL,
							    (enum export_col)c);
		sbuf_adds(out, ",");
		if (cell)
			csv_count(rd->t, cell, out);
	}
	sbuf_adds(out, "\r\n");
}

void export_trend_csv(const struct export_trend *tr, struct sbuf *out)
{
	sbuf_adds(out, "plan,round,consultation,priority_number,priority,theme_id,theme,responses,"
		  "survey,focus_group,marketplace,total,free_text\r\n");
	for (size_t i = 0; i < tr->frame->npriorities; i++) {
		const struct priority *p = &tr->frame->priorities[i];
		for (size_t r = 0; r < tr->nrounds; r++)
			csv_row(tr, r, p, NULL, out);
		for (size_t k = 0; k < tr->frame->nthemes; k++) {
			const struct theme *th = &tr->frame->themes[k];
			if (!taxonomy_theme_under(th, p->number))
				continue;
			for (size_t r = 0; r < tr->nrounds; r++)
				csv_row(tr, r, p, th, out);
		}
	}
}

/* Each round's cells of priority p (theme th, or its own), into an array. */
static cJSON *round_cells(const struct export_trend *tr, int p, const char *th)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t r = 0; list && r < tr->nrounds; r++) {
		if (!export_trend_cell(tr, r, p, th, EXPORT_TOTAL)) {
			cJSON_AddItemToArray(list, cJSON_CreateNull());
			continue;
		}
		cJSON *cells = cJSON_CreateObject();
		cJSON_AddItemToArray(list, cells);
		for (int c = 0; cells && c < EXPORT_NCOLS; c++)
			export_json_count(tr->rounds[r].t, cells, col_keys[c],
				  export_trend_cell(tr, r, p, th, (enum export_col)c));
	}
	return list;
}

void export_trend_json(const struct export_trend *tr, struct sbuf *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *rounds, *prios;

	if (!root)
		goto fail;
	cJSON_AddStringToObject(root, "plan", tr->plan);
	cJSON_AddStringToObject(root, "generated", tr->generated);
	cJSON_AddNumberToObject(root, "min_cell", tr->min_cell);
	rounds = cJSON_AddArrayToObject(root, "rounds");
	prios = cJSON_AddArrayToObject(root, "priorities");
	if (!rounds || !prios)
		goto fail;
	for (size_t r = 0; r < tr->nrounds; r++) {
		const struct export_trend_round *rd = &tr->rounds[r];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(rounds, o);
		cJSON_AddStringToObject(o, "round", rd->round);
		cJSON_AddStringToObject(o, "consultation", rd->consultation);
		cJSON_AddStringToObject(o, "title", rd->t->title ? rd->t->title : "");
		export_json_count(rd->t, o, "responses", &rd->t->took_part.responses);
	}
	for (size_t i = 0; i < tr->frame->npriorities; i++) {
		const struct priority *p = &tr->frame->priorities[i];
		cJSON *o = cJSON_CreateObject(), *themes;
		cJSON_AddItemToArray(prios, o);
		cJSON_AddNumberToObject(o, "number", p->number);
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddItemToObject(o, "rounds", round_cells(tr, p->number, NULL));
		themes = cJSON_AddArrayToObject(o, "themes");
		for (size_t k = 0; themes && k < tr->frame->nthemes; k++) {
			const struct theme *th = &tr->frame->themes[k];
			if (!taxonomy_theme_under(th, p->number))
				continue;
			cJSON *to = cJSON_CreateObject();
			cJSON_AddItemToArray(themes, to);
			cJSON_AddStringToObject(to, "id", th->id);
			cJSON_AddStringToObject(to, "name", th->name);
			cJSON_AddItemToObject(to, "rounds", round_cells(tr, p->number, th->id));
		}
	}
	export_json_print(root, out);
	return;
fail:
	cJSON_Delete(root);
	out->err = SV_ERR_NOMEM;
}
