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
#include <stdlib.h>
#include <string.h>

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
