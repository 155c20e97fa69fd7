/*
 * ballot.c - the youth ballot's ranked list, suppressed (see export.h).
 * What a reader sees, described to disclosure.c as suppress.c describes the
 * themes table:
 *
 *   each issue      total = online + paper + imported first choices
 *   each column     its total = the sum of its issues
 *   all votes       the total of totals = online + paper + imported
 *   later choices   each rank's total = the sum of its issues; no more
 *                   people gave a second (or third) choice than voted online
 *   imported        a Make Your Mark result is published already: known
 *
 * Points (3 for a first choice, 2 a second, 1 a third) are printed only when
 * the three counts they are made of are shown, so they tell nothing more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "export.h"

/*
 * The smallest value a reader can be sure of from what a cell publishes: its
 * number, 1 for "<N" (a true zero is published as 0), N for "[c]" (known to
 * be N or more).  Rows are ordered by these alone, so the order tells
 * nothing the published counts do not.
 */
static long long at_least(const struct cell *c, int min_cell)
{
	switch (c->state) {
	case CELL_SHOWN: return c->value;
	case CELL_SMALL: return 1;
	case CELL_HIDDEN: return min_cell;
	case CELL_WITHHELD: break;
	}
	return 0;
}

/* A row's total as far as published: the total, or the sum of its parts. */
static long long total_at_least(const struct export_ballot_row *r, int min_cell)
{
	long long parts = 0;

	if (r->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN)
		return r->first[EXPORT_BALLOT_TOTAL].value;
	for (int c = 0; c < EXPORT_BALLOT_TOTAL; c++)
		parts += at_least(&r->first[c], min_cell);
	long long whole = at_least(&r->first[EXPORT_BALLOT_TOTAL], min_cell);
	return parts > whole ? parts : whole;
}

/* Points as far as published. */
static long long points_at_least(const struct export_ballot_row *r, int min_cell)
{
	if (r->points_shown)
		return r->points;
	return 3 * at_least(&r->first[EXPORT_BALLOT_ONLINE], min_cell) +
	       2 * at_least(&r->later[0], min_cell) + at_least(&r->later[1], min_cell);
}

/* Largest first; equal ones exactly published before estimated ones, then
 * in issue order. */
static int larger_first(long long a, int a_exact, int a_issue, long long b, int b_exact, int b_issue)
{
	if (a != b)
		return a > b ? -1 : 1;
	if (a_exact != b_exact)
		return a_exact ? -1 : 1;
	return a_issue - b_issue;
}

static int by_total(const void *pa, const void *pb, void *ctx)
{
	const struct export_ballot_row *a = pa, *b = pb;
	int min_cell = ((const struct export_ballot *)ctx)->min_cell;

	return larger_first(total_at_least(a, min_cell), a->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN,
			    a->issue, total_at_least(b, min_cell),
			    b->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN, b->issue);
}

/* by_points's rows come with the call (qsort_r): requests sort at once. */
static int by_points(const void *pa, const void *pb, void *ctx)
{
	const struct export_ballot *ballot = ctx;
	const struct export_ballot_row *a = &ballot->rows[*(const int *)pa];
	const struct export_ballot_row *b = &ballot->rows[*(const int *)pb];

	return larger_first(points_at_least(a, ballot->min_cell), a->points_shown, a->issue,
			    points_at_least(b, ballot->min_cell), b->points_shown, b->issue);
}

static void relate(struct disclosure *d, enum disclosure_relation kind, struct cell **cells, int n)
{
	if (n > 1)
		disclosure_relate(d, kind, cells, n);
}

enum sv_err export_ballot_suppress(struct export_ballot *b, int min_cell)
{
	struct disclosure *d = disclosure_new();
	struct cell *list[EXPORT_BALLOT_MAX + 1];
	int later = b->rank > 1 ? b->rank - 1 : 0;
	enum sv_err rc = SV_OK;

	if (b->nrows < 0 || b->nrows > EXPORT_BALLOT_MAX)
		rc = SV_ERR_TOOBIG;
	b->min_cell = min_cell;
	memset(b->totals, 0, sizeof b->totals);
	memset(b->later_totals, 0, sizeof b->later_totals);
	for (int i = 0; !rc && i < b->nrows; i++) {
		struct export_ballot_row *r = &b->rows[i];
		r->first[EXPORT_BALLOT_TOTAL].value = r->first[EXPORT_BALLOT_ONLINE].value +
			r->first[EXPORT_BALLOT_PAPER].value + r->first[EXPORT_BALLOT_IMPORT].value;
		for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
			b->totals[c].value += r->first[c].value;
		for (int k = 0; k < later; k++)
			b->later_totals[k].value += r->later[k].value;
		struct cell *row[4] = { &r->first[EXPORT_BALLOT_TOTAL], &r->first[EXPORT_BALLOT_ONLINE],
					&r->first[EXPORT_BALLOT_PAPER], &r->first[EXPORT_BALLOT_IMPORT] };
		relate(d, DISCLOSE_SUM, row, 4);
		disclosure_known(d, &r->first[EXPORT_BALLOT_IMPORT]);
	}
	for (int c = 0; !rc && c < EXPORT_BALLOT_NCOLS; c++) {
		list[0] = &b->totals[c];
		for (int i = 0; i < b->nrows; i++)
			list[i + 1] = &b->rows[i].first[c];
		relate(d, DISCLOSE_SUM, list, b->nrows + 1);
	}
	if (!rc) {
		struct cell *all[4] = { &b->totals[EXPORT_BALLOT_TOTAL], &b->totals[EXPORT_BALLOT_ONLINE],
					&b->totals[EXPORT_BALLOT_PAPER], &b->totals[EXPORT_BALLOT_IMPORT] };
		relate(d, DISCLOSE_SUM, all, 4);
		disclosure_known(d, &b->totals[EXPORT_BALLOT_IMPORT]);
	}
	for (int k = 0; !rc && k < later; k++) {
		list[0] = &b->later_totals[k];
		for (int i = 0; i < b->nrows; i++)
			list[i + 1] = &b->rows[i].later[k];
		relate(d, DISCLOSE_SUM, list, b->nrows + 1);
		struct cell *most[2] = { &b->totals[EXPORT_BALLOT_ONLINE], &b->later_totals[k] };
		relate(d, DISCLOSE_AT_MOST, most, 2);
	}
	if (!d)
		rc = SV_ERR_NOMEM;
	if (!rc)
		rc = disclosure_protect(d, min_cell);
	b->secondary = rc ? 0 : disclosure_secondary(d);
	disclosure_free(d);
	if (rc) {
		/* Nothing unsafe: every count hidden. */
		for (int i = 0; i < b->nrows; i++) {
			for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
				b->rows[i].first[c].state = CELL_HIDDEN;
			b->rows[i].later[0].state = b->rows[i].later[1].state = CELL_HIDDEN;
		}
		for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
			b->totals[c].state = CELL_HIDDEN;
		b->later_totals[0].state = b->later_totals[1].state = CELL_HIDDEN;
	}
	for (int i = 0; i < b->nrows; i++) {
		struct export_ballot_row *r = &b->rows[i];
		r->points = 3 * r->first[EXPORT_BALLOT_ONLINE].value + 2 * r->later[0].value + r->later[1].value;
		r->points_shown = !rc && b->rank == 3 && r->first[EXPORT_BALLOT_ONLINE].state == CELL_SHOWN &&
			r->later[0].state == CELL_SHOWN && r->later[1].state == CELL_SHOWN;
	}
	if (b->nrows > 0)
		qsort_r(b->rows, (size_t)b->nrows, sizeof b->rows[0], by_total, b);
	for (int i = 0; i < b->nrows; i++)
		b->by_points[i] = i;
	if (b->nrows > 0)
		qsort_r(b->by_points, (size_t)b->nrows, sizeof b->by_points[0], by_points, b);
	return rc;
}

/* ---- counting, and the ranked list as files ---- */

struct tally {
	const struct export_ballot_issue *issues;
	struct export_ballot *b;
};

static void on_count(void *arg, enum store_ballot_source source, const char *issue, int rank,
		     long long count)
{
	struct tally *t = arg;

	for (int k = 0; k < t->b->nrows; k++) {
		struct export_ballot_row *row = &t->b->rows[k];
		if (strcmp(t->issues[row->issue].id, issue) != 0)
			continue;
		if (rank == 1)
			row->first[source].value += count;
		else if (rank <= t->b->rank && rank <= 3 && source == STORE_BALLOT_ONLINE)
			row->later[rank - 2].value += count;
	}
}

enum sv_err export_ballot_count(struct store *st, const char *survey,
				const struct export_ballot_issue *issues, int n, int rank,
				struct export_ballot *b)
{
	struct tally t = { issues, b };

	memset(b, 0, sizeof *b);
	if (n < 0 || n > EXPORT_BALLOT_MAX)
		return SV_ERR_TOOBIG;
	b->rank = rank < 1 ? 1 : rank > 3 ? 3 : rank;
	for (int k = 0; k < n; k++)
		b->rows[b->nrows++].issue = k;
	return store_ballot_counts(st, survey, on_count, &t);
}

void export_ballot_cell_text(const struct export_ballot *b, const struct cell *c, char out[32])
{
	struct export_table shape = { .min_cell = b->min_cell };

	export_cell_text(&shape, c, out);
}

/* A count as the CSV writes it: a number bare, "<5" and "[c]" quoted. */
static void csv_count(const struct export_ballot *b, const struct cell *c, struct sbuf *out)
{
	char text[32];

	export_ballot_cell_text(b, c, text);
	if (c->state == CELL_SHOWN)
		sbuf_adds(out, text);
	else
		export_csv_field(out, text);
}

void export_ballot_csv(const struct export_ballot *b, const struct export_ballot_issue *issues,
		       struct sbuf *out)
{
	sbuf_adds(out, "place,issue_id,issue,themes,online,paper,imported,total,second_choices,"
		  "third_choices,points\r\n");
	for (int i = 0; i < b->nrows; i++) {
		const struct export_ballot_row *r = &b->rows[i];
		const struct export_ballot_issue *is = &issues[r->issue];
		struct sbuf themes;
		sbuf_init(&themes, 4096);
		for (int k = 0; k < is->nthemes; k++) {
			sbuf_adds(&themes, k ? ";" : "");
			sbuf_adds(&themes, is->themes[k]);
		}
		if (r->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN)
			sbuf_addf(out, "%d", i + 1);
		sbuf_adds(out, ",");
		export_csv_field(out, is->id);
		sbuf_adds(out, ",");
		export_csv_field(out, is->label);
		sbuf_adds(out, ",");
		export_csv_field(out, themes.buf ? themes.buf : "");
		sbuf_free(&themes);
		for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++) {
			sbuf_adds(out, ",");
			csv_count(b, &r->first[c], out);
		}
		for (int k = 0; k < 2; k++) {
			sbuf_adds(out, ",");
			if (b->rank > k + 1)
				csv_count(b, &r->later[k], out);
		}
		sbuf_adds(out, ",");
		if (r->points_shown)
			sbuf_addf(out, "%lld", r->points);
		sbuf_adds(out, "\r\n");
	}
}

static const char *const col_keys[EXPORT_BALLOT_NCOLS] = { "online", "paper", "imported", "total" };
static const char *const later_keys[2] = { "second_choices", "third_choices" };

void export_ballot_json(const struct export_ballot *b, const struct export_ballot_issue *issues,
			const char *survey, const char *question, struct sbuf *out)
{
	struct export_table shape = { .min_cell = b->min_cell };
	cJSON *root = cJSON_CreateObject(), *list, *totals;
	char day[11];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	if (!root)
		goto fail;
	cJSON_AddStringToObject(root, "survey", survey);
	cJSON_AddStringToObject(root, "question", question);
	cJSON_AddStringToObject(root, "generated", day);
	cJSON_AddNumberToObject(root, "min_cell", b->min_cell);
	cJSON_AddNumberToObject(root, "rank", b->rank);
	list = cJSON_AddArrayToObject(root, "issues");
	totals = cJSON_AddObjectToObject(root, "totals");
	if (!list || !totals)
		goto fail;
	for (int i = 0; i < b->nrows; i++) {
		const struct export_ballot_row *r = &b->rows[i];
		const struct export_ballot_issue *is = &issues[r->issue];
		cJSON *o = cJSON_CreateObject(), *themes;
		cJSON_AddItemToArray(list, o);
		if (r->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN)
			cJSON_AddNumberToObject(o, "place", i + 1);
		else
			cJSON_AddNullToObject(o, "place");
		cJSON_AddStringToObject(o, "id", is->id);
		cJSON_AddStringToObject(o, "label", is->label);
		themes = cJSON_AddArrayToObject(o, "themes");
		for (int k = 0; themes && k < is->nthemes; k++)
			cJSON_AddItemToArray(themes, cJSON_CreateString(is->themes[k]));
		for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
			export_json_count(&shape, o, col_keys[c], &r->first[c]);
		for (int k = 0; k + 1 < b->rank; k++)
			export_json_count(&shape, o, later_keys[k], &r->later[k]);
		if (b->rank == 3 && r->points_shown)
			cJSON_AddNumberToObject(o, "points", (double)r->points);
		else if (b->rank == 3)
			cJSON_AddNullToObject(o, "points");
	}
	for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
		export_json_count(&shape, totals, col_keys[c], &b->totals[c]);
	for (int k = 0; k + 1 < b->rank; k++)
		export_json_count(&shape, totals, later_keys[k], &b->later_totals[k]);
	export_json_print(root, out);
	return;
fail:
	cJSON_Delete(root);
	out->err = SV_ERR_NOMEM;
}
