/*
 * builder_text.c - a survey's words as forms: its details (title,
 * introduction, privacy notice, days, status) and its languages side by
 * side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "builder_int.h"

#define BUILDER_MAX_TEXTS (3 + FORM_MAX_QUESTIONS * (3 + FORM_MAX_OPTIONS))

struct texts {
	struct render_builder_text items[BUILDER_MAX_TEXTS];
	int n;
};

static void add_text(struct texts *t, const char *text)
{
	if (!text || !*text || t->n >= BUILDER_MAX_TEXTS)
		return;
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->items[i].source, text) == 0)
			return;
	t->items[t->n++].source = text;
}

/* Every piece of a survey's own text, in reading order, each once. */
static void survey_texts(const struct form_survey *s, struct texts *t)
{
	add_text(t, s->title);
	add_text(t, s->introduction);
	add_text(t, s->privacy);
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		add_text(t, q->title);
		add_text(t, q->hint);
		add_text(t, q->error);
		for (int k = 0; k < q->noptions; k++)
			if (strcmp(q->options[k].id, FORM_PREFER_NOT) && strcmp(q->options[k].id, FORM_OTHER))
				add_text(t, q->options[k].label);
	}
}

/* The languages the service speaks other than the survey's own. */
static int other_langs(const struct form_catalog *cat, const struct form_survey *s,
		       struct render_builder_lang out[FORM_MAX_LANGS])
{
	int n = 0;

	for (int i = 0; i < cat->nui && n < FORM_MAX_LANGS; i++) {
		const struct form_ui_lang *ui = &cat->ui[i];
		if (strcmp(ui->code, s->langs[0].code) == 0)
			continue;
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(ui->doc, "name");
		out[n].code = ui->code;
		out[n].name = cJSON_IsString(name) ? name->valuestring : ui->code;
		out[n].rtl = form_lang_rtl(ui->code);
		n++;
	}
	return n;
}

/* The newest version, parsed; NULL after sending a problem. */
int builder_languages_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			  int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;
	struct render_builder_lang langs[FORM_MAX_LANGS];
	struct texts *t = calloc(1, sizeof *t);
	int sent = 0;

	if (!t)
		return http_send_problem(rc, 503, "The page could not be made just now.");
	struct form_survey *s = builder_newest(rc, sess, id, &v, &sent);
	if (!s) {
		free(t);
		return sent;
	}
	int nlangs = other_langs(rc->srv->catalog, s, langs);
	survey_texts(s, t);
	for (int i = 0; i < t->n; i++)
		for (int k = 0; k < nlangs; k++) {
			char field[32];
			snprintf(field, sizeof field, "t-%d-%d", k, i);
			int lang = form_lang_index(s, langs[k].code, strlen(langs[k].code));
			const char *tr = lang ? form_tr(s, lang, t->items[i].source) : NULL;
			/* form_tr falls back to the service's words or the text itself. */
			const cJSON *own = lang ? cJSON_GetObjectItemCaseSensitive(s->langs[lang].text,
										  t->items[i].source) : NULL;
			t->items[i].values[k] = posted ? staff_posted_or(posted, field, "") :
				cJSON_IsString(own) ? tr : "";
		}
	staff_page_start(&rc->page, sess, "Languages", e);
	render_builder_languages(&rc->page, id, v.version, langs, nlangs, t->items, t->n, sess->csrf, e);
	render_staff_page_end(&rc->page);
	form_survey_free(s);
	free(v.definition);
	free(t);
	return http_send_page(rc, status);
}

/* The definition with its "translations" made from the posted boxes;
 * malloc'd JSON text, or NULL. */
static char *with_translations(const char *definition, const struct render_builder_lang *langs,
			       int nlangs, const struct texts *t, const struct form_body *body)
{
	cJSON *doc = cJSON_Parse(definition);
	cJSON *all = cJSON_CreateObject();
	char *text = NULL;

	if (!doc || !all)
		goto out;
	for (int k = 0; k < nlangs; k++) {
		cJSON *one = cJSON_CreateObject();
		if (!one)
			goto out;
		for (int i = 0; i < t->n; i++) {
			char field[32];
			snprintf(field, sizeof field, "t-%d-%d", k, i);
			const char *v = form_body_get(body, field);
			if (v && *v)
				cJSON_AddStringToObject(one, t->items[i].source, v);
		}
		if (one->child)
			cJSON_AddItemToObject(all, langs[k].code, one);
		else
			cJSON_Delete(one);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "translations");
	if (all->child) {
		cJSON_AddItemToObject(doc, "translations", all);
		all = NULL;
	}
	text = cJSON_Print(doc);
out:
	cJSON_Delete(all);
	cJSON_Delete(doc);
	return text;
}

int builder_save_languages(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct render_builder_lang langs[FORM_MAX_LANGS];
	struct staff_errors errors = { 0 };
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "", file[PARSE_MAX_ID + 24];
	char *text = NULL;
	struct texts *t = NULL;
	int status = builder_read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	builder_source_name(file, id);
	t = calloc(1, sizeof *t);
	if (!t || form_survey_new(v.definition, strlen(v.definition), file, v.version,
				  rc->srv->catalog, &s, err, sizeof err)) {
		status = t ? staff_refuse(rc, sess, 409, "This version cannot be shown", err,
					  "/staff/surveys", "All surveys") :
			http_send_problem(rc, 503, "The page could not be made just now.");
		goto out;
	}
	int nlangs = other_langs(rc->srv->catalog, s, langs);
	survey_texts(s, t);
	text = with_translations(v.definition, langs, nlangs, t, &body);
	if (!builder_save_checked(rc, sess, id, text, NULL, err, &status)) {
		staff_errors_add(&errors, "t-0-0", err);
		status = builder_languages_page(rc, sess, id, 422, &body, &errors);
	}
out:
	form_survey_free(s);
	free(v.definition);
	cJSON_free(text);
	free(t);
	form_body_free(&body);
	return status;
}

/* ---- the details form ---- */

static const char *const detail_keys[] = { "title", "introduction", "privacy", "opens", "closes",
					   "status" };
#define NDETAILS ((int)(sizeof detail_keys / sizeof *detail_keys))

/* The field a checking message is about: "lunch.json: closes: is before
 * opens" is d-closes; anything else, the title. */
static const char *detail_field(const char *err)
{
	static const char *const fields[] = { "d-title", "d-introduction", "d-privacy", "d-opens",
					      "d-closes", "d-status-open" };
	const char *path = strstr(err, ".json: ");

	path = path ? path + 7 : "";
	for (int i = 0; i < NDETAILS; i++) {
		size_t n = strlen(detail_keys[i]);
		if (strncmp(path, detail_keys[i], n) == 0 && path[n] == ':')
			return fields[i];
	}
	return fields[0];
}

int builder_details_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;

	enum sv_err err = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (err)
		return err == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such survey.") :
			http_send_problem(rc, 503, "The survey could not be read just now.");
	cJSON *doc = cJSON_Parse(v.definition);
	const char *value[NDETAILS];
	for (int i = 0; i < NDETAILS; i++)
		value[i] = posted ? staff_posted_or(posted, detail_keys[i], "") : builder_str(doc, detail_keys[i]);
	struct render_builder_details d = {
		.id = id, .version = v.version, .title = value[0], .introduction = value[1],
		.privacy = value[2], .opens = value[3], .closes = value[4], .status = value[5],
	};
	staff_page_start(&rc->page, sess, "Survey details", e);
	render_builder_details(&rc->page, &d, sess->csrf, e);
	render_staff_page_end(&rc->page);
	cJSON_Delete(doc);
	free(v.definition);
	return http_send_page(rc, status);
}

/* Sets doc's key to value ("" removes an optional day), moving the
 * translations of the old text to the new one. */
static int set_detail(cJSON *doc, const char *key, const char *value)
{
	char *old = strdup(builder_str(doc, key));
	int rc = old ? 0 : -1;

	cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
	if (!rc && *value && !cJSON_AddStringToObject(doc, key, value))
		rc = -1;
	if (!rc)
		rc = builder_retext(doc, old, value);
	free(old);
	return rc;
}

int builder_save_details(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct staff_errors errors = { 0 };
	char err[BUILDER_ERR] = "";
	char *text = NULL;
	cJSON *doc = NULL;
	int status = builder_read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	doc = cJSON_Parse(v.definition);
	for (int i = 0; doc && i < NDETAILS; i++) {
		const char *value = form_body_get(&body, detail_keys[i]);
		if (set_detail(doc, detail_keys[i], value ? value : "")) {
			cJSON_Delete(doc);
			doc = NULL;
		}
	}
	text = doc ? cJSON_Print(doc) : NULL;
	if (!builder_save_checked(rc, sess, id, text, NULL, err, &status)) {
		staff_errors_add(&errors, detail_field(err), err);
		status = builder_details_page(rc, sess, id, 422, &body, &errors);
	}
	free(v.definition);
	cJSON_Delete(doc);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

