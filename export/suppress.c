/*
 * suppress.c - small-number suppression of the themes table (see export.h),
 * by describing to disclosure.c what a reader sees:
 *
 *   each row         total = survey + focus_group + marketplace
 *   each priority    its subtotal row likewise; its survey and focus_group
 *                    subtotals count people who raised ANY of its themes (at
 *                    least the largest theme, at most their sum); its
 *                    marketplace subtotal is the sum of its stall's tokens
 *   a theme under two priorities   the same survey and focus_group counts
 *   free_text        answers the main analysis coded with the theme, outside
 *                    the row's total; like survey, repeated for a theme under
 *                    two priorities, and its subtotal counts answers coded
 *                    with ANY of the priority's themes
 *   participation    responses and messages at least each subtotal; tokens
 *                    the sum of the stalls; participants at least one a group;
 *                    coded answers at least each free_text subtotal
 *   surveys          responses the sum of each survey's; a theme's (and a
 *                    priority's) survey count at most the responses of the
 *                    surveys that can raise it
 *   key messages     listed with their themes in the report: every focus-group
 *                    count is known exactly (or, when the list is cut short,
 *                    at least what is listed)
 *   marketplace      every event's totals are shown on a big screen in the
 *                    room as the tokens go down: every marketplace count is
 *                    known exactly
 *
 * Each of these comes from a part of the table that a writer prints; a
 * writer prints nothing else (export_cell_text refuses a cell that is not
 * the table's).
 * disclosure.c checks each relation against the true counts, so one that a
 * later theme move has made untrue is used only in the direction that holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static void relate(struct disclosure *d, enum disclosure_relation kind, struct cell **cells, int n)
{
	if (n > 1)
		disclosure_relate(d, kind, cells, n);
}

/* 1 if survey s can raise any theme under priority p (or theme th, if set). */
static int can_raise(const struct export_table *t, const struct export_survey *s,
		     const struct priority *p, const struct theme *th)
{
	if (!s->defined)
		return 1;   /* moved elsewhere: assume anything */
	for (int k = 0; k < s->nthemes; k++)
		for (size_t i = 0; i < t->nrows; i++) {
			const struct export_row *row = &t->rows[i];
			if (strcmp(row->theme->id, s->themes[k]) == 0 &&
			    (th ? row->theme == th : row->priority == p))
				return 1;
		}
	return 0;
}

/* count <= the responses of every survey that can raise it. */
static void relate_reach(struct export_table *t, struct disclosure *d, struct cell **list,
			 struct cell *count, const struct priority *p, const struct theme *th)
{
	int n = 0;
	list[n++] = count;
	for (size_t k = 0; k < t->nsurveys && n < DISCLOSURE_MAX_RELATION; k++)
		if (can_raise(t, &t->surveys[k], p, th))
			list[n++] = &t->surveys[k].responses;
	relate(d, DISCLOSE_WITHIN, list, n);
}

/* What is printed beside the table: surveys, key messages, groups, events. */
static void relate_published(struct export_table *t, struct disclosure *d, struct cell **list)
{
	struct export_participation *p = &t->took_part;
	int n = 0;

	list[n++] = &p->responses;
	for (size_t k = 0; k < t->nsurveys && n < DISCLOSURE_MAX_RELATION; k++)
		list[n++] = &t->surveys[k].responses;
	relate(d, DISCLOSE_SUM, list, n);
	for (size_t i = 0; t->nsurveys && i < t->nrows; i++)
		relate_reach(t, d, list, &t->rows[i].cells[EXPORT_SURVEY], NULL, t->rows[i].theme);
	for (size_t k = 0; t->nsurveys && k < t->nsubtotals; k++)
		relate_reach(t, d, list, &t->subtotals[k].cells[EXPORT_SURVEY], t->subtotals[k].priority,
			     NULL);

	/* The listed key messages give each focus-group count away. */
	if (t->messages && t->more_messages == 0) {
		for (size_t i = 0; i < t->nrows; i++)
			disclosure_known(d, &t->rows[i].cells[EXPORT_FOCUS_GROUP]);
		for (size_t k = 0; k < t->nsubtotals; k++)
			disclosure_known(d, &t->subtotals[k].cells[EXPORT_FOCUS_GROUP]);
		disclosure_known(d, &p->messages);
	} else if (t->messages) {
		for (size_t i = 0; t->listed && i < t->nrows; i++) {
			struct cell *at_least[2] = { &t->rows[i].cells[EXPORT_FOCUS_GROUP], &t->listed[i] };
			disclosure_relate(d, DISCLOSE_AT_MOST, at_least, 2);
			disclosure_known(d, &t->listed[i]);
		}
	}
	/* The big screen at each event shows its totals per stall and option. */
	if (t->events.value > 0) {
		for (size_t i = 0; i < t->nrows; i++)
			disclosure_known(d, &t->rows[i].cells[EXPORT_MARKETPLACE]);
		for (size_t k = 0; k < t->nsubtotals; k++)
			disclosure_known(d, &t->subtotals[k].cells[EXPORT_MARKETPLACE]);
		disclosure_known(d, &p->tokens);
	}
	/* Groups and events are not people: published as they are. */
	struct cell *people[2] = { &p->participants, &t->groups };
	disclosure_relate(d, DISCLOSE_AT_MOST, people, 2);
	disclosure_known(d, &t->groups);
	disclosure_cell(d, &t->events);
	disclosure_known(d, &t->events);
}

enum sv_err export_table_relations(struct export_table *t, struct disclosure *d)
{
	struct cell **list = calloc(DISCLOSURE_MAX_RELATION, sizeof *list);
	struct export_participation *p = &t->took_part;

	if (!list)
		return SV_ERR_NOMEM;
	for (size_t i = 0; i < t->nrows; i++) {
		struct cell *c = t->rows[i].cells;
		struct cell *row[4] = { &c[EXPORT_TOTAL], &c[EXPORT_SURVEY], &c[EXPORT_FOCUS_GROUP],
					&c[EXPORT_MARKETPLACE] };
		disclosure_relate(d, DISCLOSE_SUM, row, 4);
		disclosure_cell(d, &c[EXPORT_FREE_TEXT]);   /* outside the sum, audited all the same */
	}
	/* One theme, several priorities: its survey and focus-group counts repeat. */
	for (size_t i = 0; i < t->nrows; i++) {
		int first = 1;
		for (size_t j = 0; j < i && first; j++)
			first = t->rows[j].theme != t->rows[i].theme;
		if (!first)
			continue;
		static const int repeated[] = { EXPORT_SURVEY, EXPORT_FOCUS_GROUP, EXPORT_FREE_TEXT };
		for (size_t k = 0; k < sizeof repeated / sizeof *repeated; k++) {
			int n = 0, col = repeated[k];
			for (size_t j = i; j < t->nrows && n < DISCLOSURE_MAX_RELATION; j++)
				if (t->rows[j].theme == t->rows[i].theme)
					list[n++] = &t->rows[j].cells[col];
			relate(d, DISCLOSE_SAME, list, n);
		}
	}
	for (size_t k = 0; k < t->nsubtotals; k++) {
		struct export_subtotal *sub = &t->subtotals[k];
		struct cell *c = sub->cells;
		struct cell *row[4] = { &c[EXPORT_TOTAL], &c[EXPORT_SURVEY], &c[EXPORT_FOCUS_GROUP],
					&c[EXPORT_MARKETPLACE] };
		disclosure_relate(d, DISCLOSE_SUM, row, 4);
		for (int col = EXPORT_SURVEY; col < EXPORT_NCOLS; col++) {
			int n = 0;
			if (col == EXPORT_TOTAL)
				continue;
			list[n++] = &c[col];
			for (size_t j = 0; j < t->nrows && n < DISCLOSURE_MAX_RELATION; j++)
				if (t->rows[j].priority == sub->priority)
					list[n++] = &t->rows[j].cells[col];
			relate(d, col == EXPORT_MARKETPLACE ? DISCLOSE_SUM : DISCLOSE_ANY, list, n);
		}
	}
	/* Each source's whole: at least each priority's (tokens: their sum). */
	struct cell *totals[EXPORT_NCOLS] = { &p->responses, &p->messages, &p->tokens, NULL,
					      &p->coded };
	for (int col = EXPORT_SURVEY; col < EXPORT_NCOLS; col++) {
		int n = 0;
		if (col == EXPORT_TOTAL)
			continue;
		list[n++] = totals[col];
		for (size_t k = 0; k < t->nsubtotals && n < DISCLOSURE_MAX_RELATION; k++)
			list[n++] = &t->subtotals[k].cells[col];
		if (n > 1)
			disclosure_relate(d, col == EXPORT_MARKETPLACE ? DISCLOSE_SUM : DISCLOSE_AT_MOST,
					  list, n);
		else
			disclosure_cell(d, totals[col]);
	}
	relate_published(t, d, list);
	free(list);
	return SV_OK;
}

enum sv_err export_suppress(struct export_table *t, int min_cell)
{
	struct disclosure *d = disclosure_new();
	enum sv_err rc = d ? export_table_relations(t, d) : SV_ERR_NOMEM;

	t->min_cell = min_cell;
	if (!rc) {
		/* On its own errors disclosure_protect hides every count itself. */
		rc = disclosure_protect(d, min_cell);
		t->secondary = disclosure_secondary(d);
	} else {
		/* Nothing could be audited: publish nothing. */
		for (size_t i = 0; i < t->nrows; i++)
			for (int c = 0; c < EXPORT_NCOLS; c++)
				t->rows[i].cells[c].state = CELL_HIDDEN;
		for (size_t i = 0; i < t->nsubtotals; i++)
			for (int c = 0; c < EXPORT_NCOLS; c++)
				t->subtotals[i].cells[c].state = CELL_HIDDEN;
		t->took_part.responses.state = t->took_part.messages.state = CELL_HIDDEN;
		t->took_part.tokens.state = t->took_part.participants.state = CELL_HIDDEN;
		t->took_part.coded.state = CELL_HIDDEN;
		for (size_t k = 0; k < t->nsurveys; k++)
			t->surveys[k].responses.state = CELL_HIDDEN;
	}
	disclosure_free(d);
	return rc;
}

int export_may_follow(long long shown, long long now, int min_cell)
{
	long long step = now > shown ? now - shown : shown - now;
	return step == 0 || step >= min_cell;
}

void export_table_fix(struct export_table *t, struct disclosure *d)
{
	for (size_t k = 0; k < t->nsurveys; k++)
		disclosure_fixed(d, &t->surveys[k].responses);
	disclosure_fixed(d, &t->groups);
	disclosure_fixed(d, &t->events);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			disclosure_fixed(d, &t->rows[r].cells[c]);
	for (size_t k = 0; k < t->nsubtotals; k++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			disclosure_fixed(d, &t->subtotals[k].cells[c]);
	disclosure_fixed(d, &t->took_part.responses);
	disclosure_fixed(d, &t->took_part.messages);
	disclosure_fixed(d, &t->took_part.tokens);
	disclosure_fixed(d, &t->took_part.participants);
	disclosure_fixed(d, &t->took_part.coded);
}

enum sv_err export_suppress_days(struct export_table *t, struct cell *days, size_t ndays,
				 int min_cell)
{
	/* The table first, exactly as every export suppresses it, so that
	 * this page and the themes CSV publish the same table. */
	enum sv_err rc = export_suppress(t, min_cell);
	struct disclosure *d = NULL;
	struct cell **sum = NULL;

	if (!rc && ndays + 1 > DISCLOSURE_MAX_RELATION)
		rc = SV_ERR_TOOBIG;
	if (!rc && ndays) {
		d = disclosure_new();
		sum = calloc(ndays + 1, sizeof *sum);
		rc = d && sum ? export_table_relations(t, d) : SV_ERR_NOMEM;
	}
	if (!rc && ndays) {
		/* Then the days, which sum to the responses: audited with the
		 * table as published, only days may be hidden to protect a day. */
		sum[0] = &t->took_part.responses;
		for (size_t i = 0; i < ndays; i++)
			sum[i + 1] = &days[i];
		disclosure_relate(d, DISCLOSE_SUM, sum, (int)ndays + 1);
		export_table_fix(t, d);
		rc = disclosure_protect(d, min_cell);
		t->secondary += disclosure_secondary(d);
	}
	for (size_t i = 0; rc && i < ndays; i++)
		days[i].state = CELL_HIDDEN;
	free(sum);
	disclosure_free(d);
	return rc;
}

/* A count below n is left as it is: only one published exactly elsewhere
 * (a listed key message's) is shown that small, and 0 must stay 0. */
void export_round_cell(struct cell *c, int n)
{
	if (n > 1 && c->state == CELL_SHOWN && c->value >= n)
		c->value = (c->value + n / 2) / n * n;
}

void export_round(struct export_table *t, int n)
{
	if (n <= 1)
		return;
	t->round_to = n;
	for (size_t i = 0; i < t->nrows; i++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			export_round_cell(&t->rows[i].cells[c], n);
	for (size_t i = 0; i < t->nsubtotals; i++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			export_round_cell(&t->subtotals[i].cells[c], n);
	export_round_cell(&t->took_part.responses, n);
	export_round_cell(&t->took_part.messages, n);
	export_round_cell(&t->took_part.tokens, n);
	export_round_cell(&t->took_part.participants, n);
	export_round_cell(&t->took_part.coded, n);
	for (size_t k = 0; k < t->nsurveys; k++)
		export_round_cell(&t->surveys[k].responses, n);
}

void export_cell_text(const struct export_table *t, const struct cell *c, char out[32])
{
	switch (c->state) {
	case CELL_SHOWN:
		snprintf(out, 32, "%lld", c->value);
		break;
	case CELL_SMALL:
		snprintf(out, 32, "<%d", t->min_cell);
		break;
	case CELL_HIDDEN:
		snprintf(out, 32, "[c]");
		break;
	case CELL_WITHHELD:
		snprintf(out, 32, "[x]");
		break;
	}
}
