/*
 * aggregate.c - building the themes table from stored counters (see export.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"

static void add_theme_count(void *arg, const char *theme, enum store_source source,
			    long long count)
{
	struct export_table *t = arg;

	/* Marketplace tokens are counted per stall (add_marketplace_count). */
	if (source == STORE_MARKETPLACE)
		return;
	/* A theme may head several rows (one per priority it sits under). */
	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].theme->id, theme) == 0)
			t->rows[i].cells[source].value += count;
}

/* A token was placed at one stall: it counts in that priority's row only. */
static void add_marketplace_count(void *arg, int priority, const char *theme, long long count)
{
	struct export_table *t = arg;

	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].priority->number == priority && strcmp(t->rows[i].theme->id, theme) == 0)
			t->rows[i].cells[EXPORT_MARKETPLACE].value += count;
}

static void add_priority_count(void *arg, int priority, enum store_source source,
			       long long count)
{
	struct export_table *t = arg;

	for (size_t i = 0; i < t->nsubtotals; i++)
		if (t->subtotals[i].priority->number == priority)
			t->subtotals[i].cells[source].value += count;
}

static void sum_total(struct cell cells[EXPORT_NCOLS])
{
	cells[EXPORT_TOTAL].value = cells[EXPORT_SURVEY].value +
		cells[EXPORT_FOCUS_GROUP].value + cells[EXPORT_MARKETPLACE].value;
}

enum sv_err export_table_build(struct store *st, const char *consultation,
			       struct export_table **out)
{
	struct export_table *t = calloc(1, sizeof *t);
	char *taxonomy_json = NULL;
	enum sv_err rc;

	*out = NULL;
	if (!t)
		return SV_ERR_NOMEM;
	rc = store_consultation_get(st, consultation, &t->title, &taxonomy_json);
	if (rc)
		goto out;
	t->consultation = strdup(consultation);
	if (!t->consultation) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	rc = taxonomy_parse(taxonomy_json, strlen(taxonomy_json), "stored taxonomy",
			    &t->taxonomy, NULL, 0);
	if (rc)
		goto out;

	const struct taxonomy *tax = t->taxonomy;
	size_t nrows = 0;
	for (size_t i = 0; i < tax->nthemes; i++)
		nrows += (size_t)tax->themes[i].npriorities;
	t->rows = calloc(nrows + 1, sizeof *t->rows);
	t->subtotals = calloc(tax->npriorities + 1, sizeof *t->subtotals);
	if (!t->rows || !t->subtotals) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	/* Rows in priority order, and within a priority in taxonomy order. */
	for (size_t p = 0; p < tax->npriorities; p++) {
		const struct priority *pr = &tax->priorities[p];
		t->subtotals[t->nsubtotals++].priority = pr;
		for (size_t i = 0; i < tax->nthemes; i++) {
			const struct theme *th = &tax->themes[i];
			for (int k = 0; k < th->npriorities; k++)
				if (th->priorities[k] == pr->number) {
					t->rows[t->nrows].priority = pr;
					t->rows[t->nrows].theme = th;
					t->nrows++;
				}
		}
	}
	rc = store_theme_counts(st, consultation, add_theme_count, t);
	if (!rc)
		rc = store_marketplace_counts(st, consultation, add_marketplace_count, t);
	if (!rc)
		rc = store_priority_counts(st, consultation, add_priority_count, t);
	if (rc)
		goto out;
	struct store_participation p;
	rc = store_participation(st, consultation, &p);
	if (rc)
		goto out;
	struct export_participation *tp = &t->took_part;
	tp->responses.value = p.responses;
	tp->messages.value = p.messages;
	tp->tokens.value = p.tokens;
	tp->participants.value = p.participants;
	tp->focus_groups = p.focus_groups;
	tp->events = p.events;
	memcpy(tp->first_day, p.first_day, sizeof tp->first_day);
	memcpy(tp->last_day, p.last_day, sizeof tp->last_day);
	for (size_t i = 0; i < t->nrows; i++)
		sum_total(t->rows[i].cells);
	for (size_t i = 0; i < t->nsubtotals; i++)
		sum_total(t->subtotals[i].cells);

	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t->generated, sizeof t->generated, "%Y-%m-%d", &tm);
out:
	free(taxonomy_json);
	if (rc)
		export_table_free(t);
	else
		*out = t;
	return rc;
}

void export_table_free(struct export_table *t)
{
	if (!t)
		return;
	free(t->consultation);
	free(t->title);
	taxonomy_free(t->taxonomy);
	free(t->rows);
	free(t->subtotals);
	free(t);
}
