/*
 * form_catalog.c - the catalogue: consultations, their taxonomies, the
 * service's languages and every survey, loaded at start and grown or
 * refined while serving (see form.h).
 *
 * One writer at a time changes it (the caller serialises); readers never
 * lock, so what they can reach is published whole, and what was replaced is
 * retired, not freed, until exit.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/files.h"
#include "../core/jsoncheck.h"
#include "form.h"
#include "form_int.h"

static enum sv_err read_consultations(const char *forms_dir, struct form_catalog *cat,
				      char *err, size_t errlen)
{
	static const char *const keys[] = { "id", "title", "taxonomy", "plan", "round", NULL };
	char file[4096];
	struct json_check c;
	cJSON *root = NULL;
	enum sv_err rc;

	snprintf(file, sizeof file, "%s/consultations.json", forms_dir);
	json_check_init(&c, file);
	rc = json_load_file(&c, file, &root);
	if (rc)
		goto out;
	static const char *const top[] = { "consultations", NULL };
	json_only_keys(&c, root, "", top);
	const cJSON *list = json_array(&c, root, "", "consultations", 1, 1, FORM_MAX_CONSULTATIONS);
	if (c.failed)
		goto out;
	cat->consultations = calloc(FORM_MAX_CONSULTATIONS, sizeof *cat->consultations);
	if (!cat->consultations) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	int i = 0;
	for (const cJSON *o = list->child; o && !c.failed; o = o->next, i++) {
		char path[JSON_MAX_PATH];
		json_path_index(path, "consultations", i);
		json_only_keys(&c, o, path, keys);
		const char *id = json_id(&c, o, path, "id", 1);
		const char *title = json_string(&c, o, path, "title", 1, FORM_MAX_LABEL);
		const char *taxfile = json_string(&c, o, path, "taxonomy", 1, 128);
		const char *plan = json_id(&c, o, path, "plan", 0);
		const char *round = json_id(&c, o, path, "round", 0);
		if (c.failed)
			break;
		/* A round of a plan names both (docs/rounds.md). */
		if (!plan != !round) {
			json_fail(&c, path, "give \"plan\" and \"round\" together, or neither");
			break;
		}
		/* A bare file name in the forms folder: no paths, so no surprises. */
		if (strchr(taxfile, '/') || taxfile[0] == '.') {
			json_fail(&c, path, "taxonomy should be a file name in the forms folder");
			break;
		}
		struct form_consultation *fc = &cat->consultations[i];
		fc->status = FORM_OPEN;
		fc->id = json_strdup(&c, id);
		fc->title = json_strdup(&c, title);
		fc->plan = json_strdup(&c, plan);
		fc->round = json_strdup(&c, round);
		cat->nconsultations++;
		for (int j = 0; j < i; j++)
			if (strcmp(cat->consultations[j].id, id) == 0)
				json_fail(&c, path, "consultation id \"%s\" is used twice", id);
		if (c.failed)
			break;
		char taxpath[4096];
		size_t taxlen;
		snprintf(taxpath, sizeof taxpath, "%s/%s", forms_dir, taxfile);
		rc = files_read_all(taxpath, JSON_MAX_FILE, &fc->taxonomy_json, &taxlen);
		if (rc) {
			snprintf(err, errlen, "%s: cannot read: %s", taxpath, sv_err_str(rc));
			goto out;
		}
		struct taxonomy *tax = NULL;
		rc = taxonomy_parse(fc->taxonomy_json, taxlen, taxpath, &tax, err, errlen);
		fc->taxonomy = tax;
		if (rc)
			goto out;
	}
out:
	if (c.failed) {
		snprintf(err, errlen, "%s", c.msg);
		rc = rc ? rc : SV_ERR_INVALID;
	}
	cJSON_Delete(root);
	return rc;
}

static int json_file_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/*
 * forms/i18n/CODE.json: the service's own words in another language.
 *   { "name": "اردو", "strings": { "Send my answers": "...", ... } }
 * The folder is optional: without it the service speaks only the surveys'
 * own language.
 */
static enum sv_err read_ui_languages(const char *forms_dir, struct form_catalog *cat,
				     char *err, size_t errlen)
{
	static const char *const keys[] = { "name", "strings", NULL };
	char dir[4096];
	struct dirent **names = NULL;
	enum sv_err rc = SV_OK;

	snprintf(dir, sizeof dir, "%s/i18n", forms_dir);
	int n = scandir(dir, &names, json_file_filter, alphasort);
	if (n < 0)
		return files_exist(dir) ? SV_ERR_IO : SV_OK;
	for (int i = 0; i < n; i++) {
		char file[4096 + 256];
		struct json_check c;
		size_t clen = strlen(names[i]->d_name) - 5;
		snprintf(file, sizeof file, "%s/%s", dir, names[i]->d_name);
		json_check_init(&c, file);
		if (rc)
			continue;
		if (clen < 2 || clen > 3 || strspn(names[i]->d_name, "abcdefghijklmnopqrstuvwxyz") != clen ||
		    cat->nui >= FORM_MAX_LANGS) {
			snprintf(err, errlen, "%s: the name should be a language code such as ur.json "
				 "(and at most %d languages)", file, FORM_MAX_LANGS);
			rc = SV_ERR_INVALID;
			continue;
		}
		struct form_ui_lang *ui = &cat->ui[cat->nui];
		rc = json_load_file(&c, file, &ui->doc);
		if (!rc) {
			cat->nui++;
			memcpy(ui->code, names[i]->d_name, clen);
			ui->code[clen] = '\0';
			json_only_keys(&c, ui->doc, "", keys);
			json_string(&c, ui->doc, "", "name", 1, 64);
			const cJSON *strings = cJSON_GetObjectItemCaseSensitive(ui->doc, "strings");
			if (!c.failed && !cJSON_IsObject(strings))
				json_fail(&c, "strings", "should be an object of \"English\": \"translation\"");
			for (const cJSON *t = strings ? strings->child : NULL; t && !c.failed; t = t->next)
				if (!cJSON_IsString(t) || !t->valuestring[0])
					json_fail(&c, "strings", "the translation of \"%.60s\" should be non-empty text",
						  t->string);
		}
		if (c.failed) {
			snprintf(err, errlen, "%s", c.msg);
			rc = rc ? rc : SV_ERR_INVALID;
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

enum sv_err form_catalog_load(const char *forms_dir, struct form_catalog **out,
			      char *err, size_t errlen)
{
	struct form_catalog *cat = calloc(1, sizeof *cat);
	struct dirent **names = NULL;
	int nnames = 0;
	enum sv_err rc;
	char dir[4096];

	*out = NULL;
	if (!cat)
		return SV_ERR_NOMEM;
	rc = read_consultations(forms_dir, cat, err, errlen);
	if (!rc)
		rc = read_ui_languages(forms_dir, cat, err, errlen);
	if (rc)
		goto out;
	snprintf(dir, sizeof dir, "%s/surveys", forms_dir);
	nnames = scandir(dir, &names, json_file_filter, alphasort);
	if (nnames < 0) {
		snprintf(err, errlen, "%s: cannot list the survey folder", dir);
		rc = SV_ERR_IO;
		nnames = 0;
		goto out;
	}
	if (nnames > FORM_MAX_SURVEYS) {
		snprintf(err, errlen, "%s: more than %d surveys", dir, FORM_MAX_SURVEYS);
		rc = SV_ERR_TOOBIG;
		goto out;
	}
	cat->surveys = calloc(FORM_MAX_SURVEYS, sizeof *cat->surveys);
	if (!cat->surveys) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	for (int i = 0; i < nnames; i++) {
		char file[4096 + 256];
		char *text = NULL;
		size_t len;
		snprintf(file, sizeof file, "%s/%s", dir, names[i]->d_name);
		rc = files_read_all(file, JSON_MAX_FILE, &text, &len);
		if (rc) {
			snprintf(err, errlen, "%s: cannot read: %s", file, sv_err_str(rc));
			goto out;
		}
		struct form_survey *s = NULL;
		rc = form_survey_new(text, len, file, 1, cat, &s, err, errlen);
		free(text);
		if (rc)
			goto out;
		if (form_catalog_survey(cat, s->id, strlen(s->id))) {
			snprintf(err, errlen, "%s: id: survey id \"%s\" is already used by another file",
				 file, s->id);
			form_survey_free(s);
			rc = SV_ERR_INVALID;
			goto out;
		}
		cat->surveys[cat->nsurveys++] = s;
	}
out:
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (rc)
		form_catalog_free(cat);
	else
		*out = cat;
	return rc;
}

void form_catalog_free(struct form_catalog *cat)
{
	if (!cat)
		return;
	for (int i = 0; i < cat->nsurveys; i++)
		form_survey_free(cat->surveys[i]);
	for (int i = 0; i < cat->nretired_surveys; i++)
		form_survey_free(cat->retired_surveys[i]);
	for (int i = 0; i < cat->nconsultations; i++) {
		free(cat->consultations[i].id);
		free(cat->consultations[i].title);
		free(cat->consultations[i].plan);
		free(cat->consultations[i].round);
		free(cat->consultations[i].taxonomy_json);
		taxonomy_free(cat->consultations[i].taxonomy);
		free(cat->consultations[i].help);
	}
	for (int i = 0; i < cat->nretired_help; i++)
		free(cat->retired_help[i]);
	for (int i = 0; i < cat->nretired_names; i++)
		free(cat->retired_names[i]);
	for (int i = 0; i < cat->nui; i++)
		cJSON_Delete(cat->ui[i].doc);
	for (int i = 0; i < cat->nretired; i++)
		taxonomy_free(cat->retired[i]);
	free(cat->surveys);
	free(cat->consultations);
	free(cat);
}

struct form_consultation *form_catalog_consultation(struct form_catalog *cat, const char *id)
{
	int n = cat->nconsultations;

	for (int i = 0; i < n; i++)
		if (strcmp(cat->consultations[i].id, id) == 0)
			return &cat->consultations[i];
	return NULL;
}

enum sv_err form_catalog_add(struct form_catalog *cat, const char *id, const char *title,
			     const char *taxonomy_json, int status, char *err, size_t errlen)
{
	int n = cat->nconsultations;
	struct taxonomy *tax = NULL;

	if (!id_valid(id, strlen(id)) || !title[0] || strlen(title) > FORM_MAX_LABEL) {
		snprintf(err, errlen, "an id is lower-case letters, digits and -; a title up to %d bytes",
			 FORM_MAX_LABEL);
		return SV_ERR_INVALID;
	}
	if (form_catalog_consultation(cat, id)) {
		snprintf(err, errlen, "there is already a consultation \"%s\"", id);
		return SV_ERR_EXISTS;
	}
	if (n >= FORM_MAX_CONSULTATIONS) {
		snprintf(err, errlen, "there can be at most %d consultations", FORM_MAX_CONSULTATIONS);
		return SV_ERR_TOOBIG;
	}
	enum sv_err rc = taxonomy_parse(taxonomy_json, strlen(taxonomy_json), id, &tax, err, errlen);
	if (rc)
		return rc;
	struct form_consultation *c = &cat->consultations[n];
	c->id = strdup(id);
	c->title = strdup(title);
	c->taxonomy_json = strdup(taxonomy_json);
	if (!c->id || !c->title || !c->taxonomy_json) {
		free(c->id);
		free(c->title);
		free(c->taxonomy_json);
		taxonomy_free(tax);
		memset(c, 0, sizeof *c);
		return SV_ERR_NOMEM;
	}
	c->status = status;
	c->taxonomy = tax;
	cat->nconsultations = n + 1; /* published only now it is whole */
	return SV_OK;
}

enum sv_err form_consultation_refine(struct form_catalog *cat, struct form_consultation *c,
				     const char *taxonomy_json, char *err, size_t errlen)
{
	struct taxonomy *next = NULL, *now = c->taxonomy;

	if (cat->nretired >= FORM_MAX_RETIRED) {
		snprintf(err, errlen, "too many changes since the server started; restart it first");
		return SV_ERR_TOOBIG;
	}
	enum sv_err rc = taxonomy_parse(taxonomy_json, strlen(taxonomy_json), c->id, &next, err, errlen);
	if (rc)
		return rc;
	/* Surveys and counts hold themes by position: keep every one in place. */
	int keeps = next->nthemes >= now->nthemes && next->npriorities == now->npriorities;
	for (size_t i = 0; keeps && i < now->nthemes; i++)
		keeps = strcmp(now->themes[i].id, next->themes[i].id) == 0;
	if (!keeps) {
		snprintf(err, errlen, "a refined theme list keeps every theme and priority it had, in order");
		taxonomy_free(next);
		return SV_ERR_INVALID;
	}
	cat->retired[cat->nretired++] = now;
	c->taxonomy = next;
	return SV_OK;
}

enum sv_err form_consultation_round(struct form_catalog *cat, struct form_consultation *c,
				    const char *plan, const char *round)
{
	char *p = NULL, *r = NULL;

	if (!plan != !round)
		return SV_ERR_INVALID;
	if (cat->nretired_names + 2 > FORM_MAX_RETIRED)
		return SV_ERR_TOOBIG;
	if (plan && (!(p = strdup(plan)) || !(r = strdup(round)))) {
		free(p);
		return SV_ERR_NOMEM;
	}
	if (c->plan)
		cat->retired_names[cat->nretired_names++] = c->plan;
	if (c->round)
		cat->retired_names[cat->nretired_names++] = c->round;
	c->plan = p;
	c->round = r;
	return SV_OK;
}

enum sv_err form_consultation_help(struct form_catalog *cat, struct form_consultation *c,
				   const char *text)
{
	char *next = NULL, *now = c->help;

	if (now && cat->nretired_help >= FORM_MAX_RETIRED)
		return SV_ERR_TOOBIG;
	if (text && !(next = strdup(text)))
		return SV_ERR_NOMEM;
	if (now)
		cat->retired_help[cat->nretired_help++] = now;
	c->help = next;
	return SV_OK;
}

/* The theme object with this id in a taxonomy document, or NULL. */
static cJSON *doc_theme(const cJSON *doc, const char *id)
{
	cJSON *themes = cJSON_GetObjectItemCaseSensitive(doc, "themes");
	cJSON *t;

	cJSON_ArrayForEach(t, themes) {
		const cJSON *tid = cJSON_GetObjectItemCaseSensitive(t, "id");
		if (cJSON_IsString(tid) && strcmp(tid->valuestring, id) == 0)
			return t;
	}
	return NULL;
}

enum sv_err form_taxonomy_merge(const char *base_json, const char *edited_json, char **out)
{
	cJSON *base = cJSON_Parse(base_json), *edited = cJSON_Parse(edited_json);
	enum sv_err rc = SV_OK;
	cJSON *t;

	*out = NULL;
	if (!base || !edited) {
		rc = SV_ERR_INVALID;
		goto done;
	}
	cJSON *base_themes = cJSON_GetObjectItemCaseSensitive(base, "themes");
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(edited, "themes")) {
		const cJSON *tid = cJSON_GetObjectItemCaseSensitive(t, "id");
		if (!cJSON_IsString(tid))
			continue;
		cJSON *mine = doc_theme(base, tid->valuestring);
		cJSON *copy = cJSON_Duplicate(t, 1);
		if (!copy) {
			rc = SV_ERR_NOMEM;
			goto done;
		}
		/* A list refined before themes had seed words keeps forms/'s seeds. */
		cJSON *seeds = mine ? cJSON_GetObjectItemCaseSensitive(mine, "seeds") : NULL;
		if (seeds && !cJSON_HasObjectItem(copy, "seeds")) {
			cJSON *keep = cJSON_Duplicate(seeds, 1);
			if (!keep) {
				cJSON_Delete(copy);
				rc = SV_ERR_NOMEM;
				goto done;
			}
			cJSON_AddItemToObject(copy, "seeds", keep);
		}
		if (mine)
			cJSON_ReplaceItemViaPointer(base_themes, mine, copy);
		else
			cJSON_AddItemToArray(base_themes, copy);
	}
	*out = cJSON_PrintUnformatted(base);
	if (!*out)
		rc = SV_ERR_NOMEM;
done:
	cJSON_Delete(base);
	cJSON_Delete(edited);
	return rc;
}

const struct form_survey *form_catalog_survey(const struct form_catalog *cat,
					      const char *id, size_t n)
{
	int count = cat->nsurveys;

	for (int i = 0; i < count; i++) {
		const struct form_survey *s = cat->surveys[i];
		if (strlen(s->id) == n && memcmp(s->id, id, n) == 0)
			return s;
	}
	return NULL;
}

/*
 * Readers load nsurveys, then each slot, without a lock; both are atomic.
 * A new survey is written whole into the slot past the end before nsurveys
 * grows; a new version is written whole before its pointer replaces the
 * old one's, and the old one stays allocated (retired) until exit, so a
 * request that loaded it reads it to the end.
 */
enum sv_err form_catalog_put(struct form_catalog *cat, struct form_survey *s,
			     char *err, size_t errlen)
{
	int n = cat->nsurveys;

	for (int i = 0; i < n; i++) {
		struct form_survey *old = cat->surveys[i];
		if (strcmp(old->id, s->id) != 0)
			continue;
		if (cat->nretired_surveys >= FORM_MAX_RETIRED) {
			snprintf(err, errlen, "too many changes since the server started; restart it first");
			form_survey_free(s);
			return SV_ERR_TOOBIG;
		}
		cat->retired_surveys[cat->nretired_surveys++] = old;
		cat->surveys[i] = s;
		return SV_OK;
	}
	if (n >= FORM_MAX_SURVEYS) {
		snprintf(err, errlen, "there can be at most %d surveys", FORM_MAX_SURVEYS);
		form_survey_free(s);
		return SV_ERR_TOOBIG;
	}
	cat->surveys[n] = s;
	cat->nsurveys = n + 1; /* published only now it is whole */
	return SV_OK;
}

enum sv_err form_survey_move(struct form_survey *s, const struct form_consultation *to,
			     char *err, size_t errlen)
{
	const struct taxonomy *tax = to->taxonomy;

	for (int i = 0; i < s->nquestions; i++)
		for (int k = 0; k < s->questions[i].noptions; k++)
			for (int t = 0; t < s->questions[i].options[k].nthemes; t++) {
				const char *id = s->questions[i].options[k].themes[t];
				if (taxonomy_theme_index(tax, id) < 0) {
					snprintf(err, errlen, "the theme \"%s\" that the survey uses is not in "
						 "that consultation's theme list", id);
					return SV_ERR_INVALID;
				}
			}
	s->consultation = to;
	return SV_OK;
}
