/*
 * form_lang.c - languages: a survey's translations read and checked, the
 * text shown in a language, and the placeholders filled in (see form.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsoncheck.h"
#include "form.h"
#include "form_int.h"

/* Languages written right to left, by code. */
static const char *const rtl_languages[] = { "ar", "ckb", "fa", "he", "ps", "sd", "ur", "yi", NULL };

/* Every piece of a survey's own text, for checking its translations. */
static int is_survey_text(const struct form_survey *s, const char *text)
{
	if (strcmp(text, s->title) == 0 || strcmp(text, s->introduction) == 0 ||
	    strcmp(text, s->privacy) == 0)
		return 1;
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		if (strcmp(text, q->title) == 0 || (q->hint && strcmp(text, q->hint) == 0) ||
		    (q->error && strcmp(text, q->error) == 0))
			return 1;
		for (int k = 0; k < q->noptions; k++)
			if (strcmp(text, q->options[k].label) == 0)
				return 1;
	}
	return 0;
}

static const struct form_ui_lang *catalog_ui(const struct form_catalog *cat, const char *code)
{
	for (int i = 0; i < cat->nui; i++)
		if (strcmp(cat->ui[i].code, code) == 0)
			return &cat->ui[i];
	return NULL;
}

static void lang_set(struct json_check *c, struct form_lang *l, const char *code,
		     const struct form_ui_lang *ui)
{
	const cJSON *name = ui ? cJSON_GetObjectItemCaseSensitive(ui->doc, "name") : NULL;

	snprintf(l->code, sizeof l->code, "%s", code);
	l->name = json_strdup(c, cJSON_IsString(name) ? name->valuestring : code);
	l->ui = ui ? cJSON_GetObjectItemCaseSensitive(ui->doc, "strings") : NULL;
	l->rtl = form_lang_rtl(code);
}

int form_lang_rtl(const char *code)
{
	for (const char *const *r = rtl_languages; *r; r++)
		if (strcmp(*r, code) == 0)
			return 1;
	return 0;
}

/*
 * "language": the code the survey is written in (default "en");
 * "translations": { CODE: { "source text": "translated text", ... } }.
 * Every key must be text that appears in the survey, so a changed question
 * cannot keep a stale translation.
 */
void form_read_translations(struct json_check *c, const cJSON *root,
			    const struct form_catalog *cat, struct form_survey *s)
{
	const char *source = json_string(c, root, "", "language", 0, 3);
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(root, "translations");

	if (c->failed)
		return;
	if (!source)
		source = "en";
	if (strspn(source, "abcdefghijklmnopqrstuvwxyz") != strlen(source) || strlen(source) < 2) {
		json_fail(c, "language", "should be a language code such as \"en\"");
		return;
	}
	lang_set(c, &s->langs[s->nlangs++], source, catalog_ui(cat, source));
	if (!tr)
		return;
	if (!cJSON_IsObject(tr)) {
		json_fail(c, "translations", "should be an object of languages");
		return;
	}
	for (const cJSON *l = tr->child; l && !c->failed; l = l->next) {
		char where[JSON_MAX_PATH];
		json_path_key(where, "translations", l->string);
		const struct form_ui_lang *ui = catalog_ui(cat, l->string);
		if (!ui) {
			json_fail(c, where, "no forms/i18n/%.8s.json for the service's own words", l->string);
			return;
		}
		if (s->nlangs >= FORM_MAX_LANGS || strcmp(l->string, source) == 0) {
			json_fail(c, where, "too many languages, or the survey's own language again");
			return;
		}
		if (!cJSON_IsObject(l)) {
			json_fail(c, where, "should be an object of \"source text\": \"translation\"");
			return;
		}
		for (const cJSON *t = l->child; t; t = t->next) {
			if (!cJSON_IsString(t) || !t->valuestring[0] || strlen(t->valuestring) > FORM_MAX_PROSE) {
				json_fail(c, where, "the translation of \"%.60s\" should be non-empty text", t->string);
				return;
			}
			if (!is_survey_text(s, t->string)) {
				json_fail(c, where, "\"%.60s\" is not text in this survey", t->string);
				return;
			}
		}
		struct form_lang *fl = &s->langs[s->nlangs++];
		lang_set(c, fl, l->string, ui);
		fl->text = cJSON_Duplicate(l, 1);
		if (!fl->text)
			json_fail(c, where, "out of memory");
	}
}

int form_lang_index(const struct form_survey *s, const char *code, size_t n)
{
	for (int i = 0; i < s->nlangs; i++)
		if (strlen(s->langs[i].code) == n && memcmp(s->langs[i].code, code, n) == 0)
			return i;
	return 0;
}

const char *form_tr(const struct form_survey *s, int lang, const char *text)
{
	if (lang <= 0 || lang >= s->nlangs)
		return text;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s->langs[lang].text, text);
	if (!cJSON_IsString(t))
		t = cJSON_GetObjectItemCaseSensitive(s->langs[lang].ui, text);
	return cJSON_IsString(t) ? t->valuestring : text;
}

void form_fill(struct sbuf *out, const char *tmpl, const struct form_var *vars, int nvars)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strchr(p, '{');
		if (!open) {
			sbuf_adds(out, p);
			return;
		}
		sbuf_add(out, p, (size_t)(open - p));
		const char *close = strchr(open, '}');
		int done = 0;
		for (int i = 0; close && i < nvars && !done; i++) {
			size_t n = strlen(vars[i].name);
			if ((size_t)(close - open - 1) == n && memcmp(open + 1, vars[i].name, n) == 0) {
				if (vars[i].text)
					sbuf_adds(out, vars[i].text);
				else
					sbuf_addf(out, "%ld", vars[i].value);
				done = 1;
			}
		}
		if (!done) {
			sbuf_add(out, open, 1); /* not a placeholder of ours: keep the brace */
			p = open + 1;
			continue;
		}
		p = close + 1;
	}
}

void form_error_text(const struct form_survey *s, int lang, const struct form_answer *a,
		     struct sbuf *out)
{
	struct form_var vars[] = { { "max", a->error_max, NULL }, { "n", a->error_n, NULL } };

	if (!a->error_template) {
		sbuf_adds(out, a->error);
		return;
	}
	form_fill(out, form_tr(s, lang, a->error_template), vars, 2);
}
