/*
 * questions.c - the questions of a consultation's surveys, as the server
 * described them in the database (form_survey_fields), so that the export
 * needs no forms folder (see export.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"

static char *dup_string(const cJSON *obj, const char *key, const char *fallback)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
	return strdup(v ? v : fallback);
}

static enum sv_err add_option(struct export_question *q, const cJSON *o)
{
	struct export_option *opt = &q->options[q->noptions];
	const cJSON *themes = cJSON_GetObjectItemCaseSensitive(o, "themes");

	opt->id = dup_string(o, "id", "");
	opt->label = dup_string(o, "label", opt->id ? opt->id : "");
	if (!opt->id || !opt->label)
		return SV_ERR_NOMEM;
	q->noptions++;
	for (const cJSON *t = cJSON_IsArray(themes) ? themes->child : NULL; t; t = t->next)
		if (cJSON_IsString(t) && opt->nthemes < EXPORT_MAX_OPTION_THEMES &&
		    !(opt->themes[opt->nthemes++] = strdup(t->valuestring)))
			return SV_ERR_NOMEM;
	return SV_OK;
}

/* Notes that survey asks q (and whether everyone there answers it). */
static enum sv_err asked_in(struct export_question *q, const char *survey, const cJSON *item)
{
	char **more = realloc(q->surveys, ((size_t)q->nsurveys + 1) * sizeof *more);
	if (!more)
		return SV_ERR_NOMEM;
	q->surveys = more;
	if (!(q->surveys[q->nsurveys] = strdup(survey)))
		return SV_ERR_NOMEM;
	q->answered_by_all = (q->nsurveys == 0 || q->answered_by_all) &&
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "answered_by_all"));
	q->nsurveys++;
	return SV_OK;
}

/* One question; an older database stored only its answer key, as a string. */
static enum sv_err add_question(struct export_questions *qs, const char *survey, const cJSON *item)
{
	const char *id = cJSON_IsString(item) ? item->valuestring :
		cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "id"));

	if (!id)
		return SV_OK;
	for (int i = 0; i < qs->n; i++)
		if (strcmp(qs->items[i].id, id) == 0)
			return asked_in(&qs->items[i], survey, item); /* one column */
	if (qs->n >= EXPORT_MAX_QUESTIONS)
		return SV_ERR_TOOBIG;
	struct export_question *q = &qs->items[qs->n++];
	enum sv_err rc = asked_in(q, survey, item);
	if (rc)
		return rc;
	q->id = strdup(id);
	q->survey = strdup(survey);
	q->type = cJSON_IsString(item) ? strdup("text") : dup_string(item, "type", "text");
	q->title = cJSON_IsString(item) ? strdup(id) : dup_string(item, "title", id);
	if (!q->id || !q->survey || !q->type || !q->title)
		return SV_ERR_NOMEM;
	q->multiple = strcmp(q->type, "multiple") == 0;
	q->rank = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(item, "rank"));
	q->choice = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(item, "choice"));
	if (q->rank < 0 || q->rank > 3)
		q->rank = 0;
	if (q->choice < 0 || q->choice > 3)
		q->choice = 0;
	q->other = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "other"));
	const cJSON *options = cJSON_GetObjectItemCaseSensitive(item, "options");
	int n = cJSON_GetArraySize(options);
	if (n > EXPORT_MAX_OPTIONS)
		return SV_ERR_TOOBIG;
	q->options = calloc((size_t)n + 1, sizeof *q->options);
	if (!q->options)
		return SV_ERR_NOMEM;
	for (const cJSON *o = cJSON_IsArray(options) ? options->child : NULL; o; o = o->next) {
		rc = add_option(q, o);
		if (rc)
			return rc;
	}
	/* "Something else" is an answer too, counted like the listed ones. */
	if (q->other && q->noptions > 0 && !export_option_find(q, "other")) {
		struct export_option *extra = realloc(q->options, ((size_t)q->noptions + 1) * sizeof *extra);
		if (!extra)
			return SV_ERR_NOMEM;
		q->options = extra;
		memset(&extra[q->noptions], 0, sizeof *extra);
		extra[q->noptions].id = strdup("other");
		extra[q->noptions].label = strdup("Something else");
		if (!extra[q->noptions].id || !extra[q->noptions].label)
			return SV_ERR_NOMEM;
		q->noptions++;
	}
	return SV_OK;
}

struct loading {
	struct export_questions *qs;
	enum sv_err err;
};

static void on_survey(void *arg, const char *id, const char *title, const char *fields_json)
{
	struct loading *l = arg;
	cJSON *list = cJSON_Parse(fields_json);

	(void)title;
	for (const cJSON *item = cJSON_IsArray(list) ? list->child : NULL; item && !l->err;
	     item = item->next)
		l->err = add_question(l->qs, id, item);
	cJSON_Delete(list);
}

enum sv_err export_questions_load(struct store *st, const char *consultation,
				  struct export_questions **out)
{
	struct export_questions *qs = calloc(1, sizeof *qs);
	struct loading l = { qs, SV_OK };
	enum sv_err rc;

	*out = NULL;
	if (!qs)
		return SV_ERR_NOMEM;
	rc = store_survey_each(st, consultation, on_survey, &l);
	if (!rc)
		rc = l.err;
	if (rc) {
		export_questions_free(qs);
		return rc;
	}
	*out = qs;
	return SV_OK;
}

const struct export_option *export_option_find(const struct export_question *q, const char *id)
{
	for (int k = 0; id && k < q->noptions; k++)
		if (strcmp(q->options[k].id, id) == 0)
			return &q->options[k];
	return NULL;
}

void export_questions_free(struct export_questions *qs)
{
	if (!qs)
		return;
	for (int i = 0; i < qs->n; i++) {
		struct export_question *q = &qs->items[i];
		for (int k = 0; k < q->noptions; k++) {
			free(q->options[k].id);
			free(q->options[k].label);
			for (int t = 0; t < q->options[k].nthemes; t++)
				free(q->options[k].themes[t]);
		}
		free(q->options);
		free(q->id);
		free(q->survey);
		for (int k = 0; k < q->nsurveys; k++)
			free(q->surveys[k]);
		free(q->surveys);
		free(q->type);
		free(q->title);
	}
	free(qs);
}
