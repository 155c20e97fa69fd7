/*
 * aggregate.c - building the themes table from stored counters (see export.h),
 * with everything published beside it that a reader could use: responses per
 * survey and the themes each survey can raise, and the key messages listed
 * with their themes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "export.h"

struct loading {
	struct export_table *t;
	enum sv_err err;
};

static struct export_survey *survey_named(struct export_table *t, const char *id)
{
	for (size_t i = 0; i < t->nsurveys; i++)
		if (strcmp(t->surveys[i].id, id) == 0)
			return &t->surveys[i];
	if (t->nsurveys >= EXPORT_MAX_SURVEYS)
		return NULL;
	struct export_survey *s = &t->surveys[t->nsurveys];
	memset(s, 0, sizeof *s);
	s->id = strdup(id);
	s->title = strdup("");
	if (!s->id || !s->title)
		return NULL;
	t->nsurveys++;
	return s;
}

static enum sv_err add_survey_theme(struct export_survey *s, const char *theme)
{
	for (int i = 0; i < s->nthemes; i++)
		if (strcmp(s->themes[i], theme) == 0)
			return SV_OK;
	char **more = realloc(s->themes, ((size_t)s->nthemes + 1) * sizeof *more);
	if (!more)
		return SV_ERR_NOMEM;
	s->themes = more;
	if (!(s->themes[s->nthemes] = strdup(theme)))
		return SV_ERR_NOMEM;
	s->nthemes++;
	return SV_OK;
}

/* A survey of the consultation: the themes its options can raise. */
static void on_survey(void *arg, const char *id, const char *title, const char *fields_json)
{
	struct loading *l = arg;
	struct export_survey *s = l->err ? NULL : survey_named(l->t, id);
	cJSON *list = cJSON_Parse(fields_json);

	if (!l->err && !s)
		l->err = SV_ERR_TOOBIG;
	if (s) {
		free(s->title);
		s->title = strdup(title ? title : "");
		s->defined = 1;
		if (!s->title)
			l->err = SV_ERR_NOMEM;
	}
	const cJSON *q, *o, *th;
	const cJSON *questions = s && cJSON_IsArray(list) ? list : NULL;
	cJSON_ArrayForEach(q, questions)
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(q, "options"))
			cJSON_ArrayForEach(th, cJSON_GetObjectItemCaseSensitive(o, "themes"))
				if (!l->err && cJSON_IsString(th))
					l->err = add_survey_theme(s, th->valuestring);
	cJSON_Delete(list);
}

/* Responses per survey; a survey since moved elsewhere is listed without
 * its definition (a reader must assume it could raise any theme). */
static void on_survey_count(void *arg, const char *id, long long count)
{
	struct loading *l = arg;
	struct export_survey *s = l->err ? NULL : survey_named(l->t, id);

	if (!l->err && !s)
		l->err = SV_ERR_TOOBIG;
	if (s)
		s->responses.value = count;
}

static void on_message(void *arg, long long group_id, const char *text, const char *themes)
{
	struct loading *l = arg;
	struct export_table *t = l->t;

	(void)group_id;
	if (l->err)
		return;
	if (t->nmessages >= EXPORT_MAX_LISTED_MESSAGES) {
		t->more_messages++;
		return;
	}
	struct export_message *m = &t->messages[t->nmessages++];
	m->text = strdup(text ? text : "");
	m->themes = strdup(themes ? themes : "");
	if (!m->text || !m->themes)
		l->err = SV_ERR_NOMEM;
}

/* 1 if the comma-separated list holds id. */
static int listed_with(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Everything published beside the counters. */
static enum sv_err load_published(struct store *st, struct export_table *t)
{
	struct loading l = { t, SV_OK };
	enum sv_err rc;

	t->surveys = calloc(EXPORT_MAX_SURVEYS, sizeof *t->surveys);
	t->messages = calloc(EXPORT_MAX_LISTED_MESSAGES, sizeof *t->messages);
	t->listed = calloc(t->nrows + 1, sizeof *t->listed);
	if (!t->surveys || !t->messages || !t->listed)
		return SV_ERR_NOMEM;
	rc = store_survey_each(st, t->consultation, on_survey, &l);
	if (!rc)
		rc = l.err;
	if (!rc)
		rc = store_survey_response_counts(st, t->consultation, on_survey_count, &l);
	if (!rc)
		rc = l.err;
	if (!rc)
		rc = store_consultation_messages(st, t->consultation, on_message, &l);
	if (!rc)
		rc = l.err;
	for (size_t i = 0; !rc && i < t->nrows; i++)
		for (size_t m = 0; m < t->nmessages; m++)
			t->listed[i].value += listed_with(t->messages[m].themes, t->rows[i].theme->id);
	return rc;
}

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

/* The main analysis coded count answers with theme: under each row of it. */
static void add_code_count(void *arg, const char *theme, long long count)
{
	struct export_table *t = arg;

	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].theme->id, theme) == 0)
			t->rows[i].cells[EXPORT_FREE_TEXT].value += count;
}

/* ... and count answers with any theme under this priority. */
static void add_code_priority(void *arg, int priority, long long count)
{
	struct export_table *t = arg;

	for (size_t i = 0; i < t->nsubtotals; i++)
		if (t->subtotals[i].priority->number == priority)
			t->subtotals[i].cells[EXPORT_FREE_TEXT].value += count;
}

/* free_text stays out of the total: a coded answer is a survey response's,
 * and that response may be counted under survey already. */
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
	if (!rc)
		rc = store_analysis_theme_counts(st, consultation, add_code_count, t);
	if (!rc)
		rc = store_analysis_priority_counts(st, consultation, add_code_priority, t);
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
	tp->coded.value = p.coded;
	t->groups.value = p.focus_groups;
	t->events.value = p.events;
	memcpy(tp->first_day, p.first_day, sizeof tp->first_day);
	memcpy(tp->last_day, p.last_day, sizeof tp->last_day);
	for (size_t i = 0; i < t->nrows; i++)
		sum_total(t->rows[i].cells);
	for (size_t i = 0; i < t->nsubtotals; i++)
		sum_total(t->subtotals[i].cells);
	rc = load_published(st, t);
	if (rc)
		goto out;

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
	for (size_t i = 0; t->surveys && i < t->nsurveys; i++) {
		free(t->surveys[i].id);
		free(t->surveys[i].title);
		for (int k = 0; k < t->surveys[i].nthemes; k++)
			free(t->surveys[i].themes[k]);
		free(t->surveys[i].themes);
	}
	free(t->surveys);
	for (size_t i = 0; t->messages && i < t->nmessages; i++) {
		free(t->messages[i].text);
		free(t->messages[i].themes);
	}
	free(t->messages);
	free(t->listed);
	free(t->rows);
	free(t->subtotals);
	free(t);
}
