/*
 * form.c - loading survey definitions and reading answers (see form.h).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/files.h"
#include "../core/jsoncheck.h"
#include "form.h"

/* Used when an age_band question lists no bands of its own. */
static const char *const default_age_bands[][2] = {
	{ "8-10", "8 to 10" }, { "11-13", "11 to 13" }, { "14-15", "14 or 15" },
	{ "16-17", "16 or 17" }, { "18-21", "18 to 21" }, { "22-25", "22 to 25" },
};

static const char *const qtype_names[] = {
	[FORM_SINGLE] = "single", [FORM_MULTIPLE] = "multiple", [FORM_TEXT] = "text",
	[FORM_AGE_BAND] = "age_band", [FORM_DISTRICT] = "district",
};

static const char *const status_names[] = {
	[FORM_DRAFT] = "draft", [FORM_OPEN] = "open", [FORM_CLOSED] = "closed",
};

static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int is_personal(enum form_qtype t)
{
	return t == FORM_AGE_BAND || t == FORM_DISTRICT;
}

static void option_set(struct json_check *c, struct form_option *o,
		       const char *id, const char *label)
{
	o->id = json_strdup(c, id);
	o->label = json_strdup(c, label);
}

static void read_option(struct json_check *c, const cJSON *obj, const char *path,
			const struct taxonomy *tax, struct form_option *o)
{
	static const char *const keys[] = { "id", "label", "themes", NULL };

	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *label = json_string(c, obj, path, "label", 1, FORM_MAX_LABEL);
	const cJSON *themes = json_array(c, obj, path, "themes", 0, 0, FORM_MAX_OPTION_THEMES);
	if (c->failed)
		return;
	if (strcmp(id, FORM_PREFER_NOT) == 0) {
		json_fail(c, path, "\"%s\" is added by youthvoice itself; leave it out", id);
		return;
	}
	option_set(c, o, id, label);
	char tpath[JSON_MAX_PATH];
	json_path_key(tpath, path, "themes");
	int k = 0;
	for (const cJSON *t = themes ? themes->child : NULL; t; t = t->next, k++) {
		char where[JSON_MAX_PATH];
		json_path_index(where, tpath, k);
		int index = cJSON_IsString(t) ? taxonomy_theme_index(tax, t->valuestring) : -1;
		if (index < 0) {
			json_fail(c, where, "is not a theme id in the consultation's taxonomy");
			return;
		}
		for (int j = 0; j < k; j++)
			if (o->themes[j] == index) {
				json_fail(c, where, "theme listed twice");
				return;
			}
		o->themes[k] = index;
	}
	o->nthemes = k;
}

static void read_question(struct json_check *c, const cJSON *obj, const char *path,
			  const struct taxonomy *tax, struct form_question *q)
{
	static const char *const keys[] = { "id", "type", "title", "hint", "error",
		"required", "options", "max_choices", "max_length", NULL };

	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *type = json_string(c, obj, path, "type", 1, 16);
	const char *title = json_string(c, obj, path, "title", 1, FORM_MAX_LABEL);
	const char *hint = json_string(c, obj, path, "hint", 0, FORM_MAX_LABEL);
	const char *error = json_string(c, obj, path, "error", 0, FORM_MAX_LABEL);
	q->required = json_bool(c, obj, path, "required", 1);
	if (c->failed)
		return;
	int t = name_index(qtype_names, (int)(sizeof qtype_names / sizeof *qtype_names), type);
	if (t < 0) {
		char where[JSON_MAX_PATH];
		json_path_key(where, path, "type");
		json_fail(c, where, "\"%s\" is not a question type (single, multiple, text, age_band, district)", type);
		return;
	}
	q->type = (enum form_qtype)t;
	q->id = json_strdup(c, id);
	q->title = json_strdup(c, title);
	q->hint = json_strdup(c, hint);
	q->error = json_strdup(c, error);
	q->max_choices = (int)json_int(c, obj, path, "max_choices", 0, 1, FORM_MAX_OPTIONS, 0);
	q->max_length = (int)json_int(c, obj, path, "max_length", 0, 1, FORM_MAX_TEXT,
				      FORM_DEFAULT_TEXT);
	if (q->max_choices && q->type != FORM_MULTIPLE)
		json_fail(c, path, "max_choices only applies to a \"multiple\" question");
	if (cJSON_GetObjectItemCaseSensitive(obj, "max_length") && q->type != FORM_TEXT)
		json_fail(c, path, "max_length only applies to a \"text\" question");

	int want_options = q->type != FORM_TEXT;
	int builtin = q->type == FORM_AGE_BAND; /* may use the default bands */
	const cJSON *options = json_array(c, obj, path, "options",
					  want_options && !builtin, 1, FORM_MAX_OPTIONS - 1);
	if (c->failed)
		return;
	if (options && !want_options) {
		json_fail(c, path, "a text question has no options");
		return;
	}
	if (!want_options)
		return;

	int n = options ? cJSON_GetArraySize(options) :
		(int)(sizeof default_age_bands / sizeof *default_age_bands);
	q->options = calloc((size_t)n + 1, sizeof *q->options);
	if (!q->options) {
		json_fail(c, NULL, "out of memory");
		return;
	}
	char opath[JSON_MAX_PATH];
	json_path_key(opath, path, "options");
	for (int i = 0; i < n && !c->failed; i++) {
		char where[JSON_MAX_PATH];
		json_path_index(where, opath, i);
		if (options)
			read_option(c, cJSON_GetArrayItem(options, i), where, tax, &q->options[i]);
		else
			option_set(c, &q->options[i], default_age_bands[i][0], default_age_bands[i][1]);
		/* Counted even when it failed, so that reset frees what it holds. */
		q->noptions++;
		for (int j = 0; j < i && !c->failed; j++)
			if (strcmp(q->options[j].id, q->options[i].id) == 0)
				json_fail(c, where, "option id \"%s\" is used twice", q->options[i].id);
	}
	/* The Children's Code: a personal question never forces an answer. */
	if (!c->failed && is_personal(q->type)) {
		option_set(c, &q->options[q->noptions], FORM_PREFER_NOT, "Prefer not to say");
		q->noptions++;
	}
}

enum sv_err form_survey_parse(const char *text, size_t len, const char *file,
			      const struct form_catalog *cat,
			      struct form_survey *s, char *err, size_t errlen)
{
	static const char *const keys[] = { "id", "consultation", "title",
		"introduction", "privacy", "status", "questions", NULL };
	struct json_check c;
	cJSON *root = NULL;
	enum sv_err rc;

	memset(s, 0, sizeof *s);
	json_check_init(&c, file);
	rc = json_parse_text(&c, text, len, &root);
	if (rc)
		goto out;
	json_only_keys(&c, root, "", keys);
	const char *id = json_id(&c, root, "", "id", 1);
	const char *consultation = json_id(&c, root, "", "consultation", 1);
	const char *title = json_string(&c, root, "", "title", 1, FORM_MAX_LABEL);
	const char *intro = json_string(&c, root, "", "introduction", 1, FORM_MAX_PROSE);
	const char *privacy = json_string(&c, root, "", "privacy", 1, FORM_MAX_PROSE);
	const char *status = json_string(&c, root, "", "status", 1, 16);
	const cJSON *questions = json_array(&c, root, "", "questions", 1, 1, FORM_MAX_QUESTIONS);
	if (c.failed)
		goto out;
	int st = name_index(status_names, 3, status);
	if (st < 0) {
		json_fail(&c, "status", "\"%s\" should be draft, open or closed", status);
		goto out;
	}
	for (int i = 0; i < cat->nconsultations; i++)
		if (strcmp(cat->consultations[i].id, consultation) == 0)
			s->consultation = &cat->consultations[i];
	if (!s->consultation) {
		json_fail(&c, "consultation", "\"%s\" is not in consultations.json", consultation);
		goto out;
	}
	s->status = (enum form_status)st;
	s->id = json_strdup(&c, id);
	s->file = json_strdup(&c, file);
	s->title = json_strdup(&c, title);
	s->introduction = json_strdup(&c, intro);
	s->privacy = json_strdup(&c, privacy);
	s->questions = calloc((size_t)cJSON_GetArraySize(questions), sizeof *s->questions);
	if (!s->questions) {
		json_fail(&c, NULL, "out of memory");
		goto out;
	}
	int i = 0;
	for (const cJSON *q = questions->child; q && !c.failed; q = q->next, i++) {
		char path[JSON_MAX_PATH];
		json_path_index(path, "questions", i);
		read_question(&c, q, path, s->consultation->taxonomy, &s->questions[i]);
		for (int j = 0; j < i && !c.failed; j++)
			if (strcmp(s->questions[j].id, s->questions[i].id) == 0)
				json_fail(&c, path, "question id \"%s\" is used twice", s->questions[i].id);
		s->nquestions++;
	}
out:
	if (c.failed)
		rc = rc ? rc : SV_ERR_INVALID;
	if (rc && err)
		snprintf(err, errlen, "%s", c.failed ? c.msg : sv_err_str(rc));
	if (rc)
		form_survey_reset(s);
	cJSON_Delete(root);
	return rc;
}

void form_survey_reset(struct form_survey *s)
{
	for (int i = 0; i < s->nquestions; i++) {
		struct form_question *q = &s->questions[i];
		for (int k = 0; k < q->noptions; k++) {
			free(q->options[k].id);
			free(q->options[k].label);
		}
		free(q->options);
		free(q->id);
		free(q->title);
		free(q->hint);
		free(q->error);
	}
	free(s->questions);
	free(s->id);
	free(s->file);
	free(s->title);
	free(s->introduction);
	free(s->privacy);
	memset(s, 0, sizeof *s);
}

static enum sv_err read_consultations(const char *forms_dir, struct form_catalog *cat,
				      char *err, size_t errlen)
{
	static const char *const keys[] = { "id", "title", "taxonomy", NULL };
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
	cat->consultations = calloc((size_t)cJSON_GetArraySize(list), sizeof *cat->consultations);
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
		if (c.failed)
			break;
		/* A bare file name in the forms folder: no paths, so no surprises. */
		if (strchr(taxfile, '/') || taxfile[0] == '.') {
			json_fail(&c, path, "taxonomy should be a file name in the forms folder");
			break;
		}
		struct form_consultation *fc = &cat->consultations[i];
		fc->id = json_strdup(&c, id);
		fc->title = json_strdup(&c, title);
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
		rc = taxonomy_parse(fc->taxonomy_json, taxlen, taxpath, &fc->taxonomy, err, errlen);
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
	cat->surveys = calloc((size_t)nnames + 1, sizeof *cat->surveys);
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
		rc = form_survey_parse(text, len, file, cat, &cat->surveys[cat->nsurveys], err, errlen);
		free(text);
		if (rc)
			goto out;
		cat->nsurveys++;
		const struct form_survey *s = &cat->surveys[cat->nsurveys - 1];
		if (form_catalog_survey(cat, s->id, strlen(s->id)) != s) {
			snprintf(err, errlen, "%s: id: survey id \"%s\" is already used by another file",
				 file, s->id);
			rc = SV_ERR_INVALID;
			goto out;
		}
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
		form_survey_reset(&cat->surveys[i]);
	for (int i = 0; i < cat->nconsultations; i++) {
		free(cat->consultations[i].id);
		free(cat->consultations[i].title);
		free(cat->consultations[i].taxonomy_json);
		taxonomy_free(cat->consultations[i].taxonomy);
	}
	free(cat->surveys);
	free(cat->consultations);
	free(cat);
}

const struct form_survey *form_catalog_survey(const struct form_catalog *cat,
					      const char *id, size_t n)
{
	for (int i = 0; i < cat->nsurveys; i++)
		if (strlen(cat->surveys[i].id) == n && memcmp(cat->surveys[i].id, id, n) == 0)
			return &cat->surveys[i];
	return NULL;
}

/* The question a field answers: "ID", or "ID[]" for a multiple choice. */
static int question_for_field(const struct form_survey *s, const char *name)
{
	size_t n = strlen(name);
	int brackets = n > 2 && strcmp(name + n - 2, "[]") == 0;

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		if (brackets != (q->type == FORM_MULTIPLE))
			continue;
		size_t idlen = strlen(q->id);
		if (idlen == n - (brackets ? 2 : 0) && memcmp(q->id, name, idlen) == 0)
			return i;
	}
	return -1;
}

static int option_index(const struct form_question *q, const char *value)
{
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].id, value) == 0)
			return i;
	return -1;
}

/* Text answers: trims nothing, but all-space counts as empty. */
static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return 0;
	return 1;
}

static void answer_error(struct form_answers *out, struct form_answer *a,
			 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void answer_error(struct form_answers *out, struct form_answer *a,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->error, sizeof a->error, fmt, ap);
	va_end(ap);
	out->nerrors++;
}

static const char *missing_message(const struct form_question *q)
{
	if (q->error)
		return q->error;
	switch (q->type) {
	case FORM_MULTIPLE: return "Choose at least one answer";
	case FORM_TEXT: return "Write your answer in the box";
	case FORM_AGE_BAND: return "Choose your age group, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_DISTRICT: return "Choose where you live, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_SINGLE: break;
	}
	return "Choose one answer";
}

enum sv_err form_answers_read(const struct form_survey *s,
			      const struct form_body *body,
			      struct form_answers *out, const char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	for (size_t f = 0; f < body->count; f++) {
		const struct form_field *field = &body->fields[f];
		int qi = question_for_field(s, field->name);
		if (qi < 0)
			continue; /* not ours (a button name, a later version's field) */
		const struct form_question *q = &s->questions[qi];
		struct form_answer *a = &out->items[qi];
		if (q->type == FORM_MULTIPLE) {
			int k = option_index(q, field->value);
			if (k < 0) {
				*why = "an answer is not one of the choices offered";
				return SV_ERR_INVALID;
			}
			a->chosen |= (uint32_t)1 << k;
			continue;
		}
		if (a->value) {
			*why = "a question was answered twice";
			return SV_ERR_INVALID;
		}
		if (q->type != FORM_TEXT && field->value_len && option_index(q, field->value) < 0) {
			*why = "an answer is not one of the choices offered";
			return SV_ERR_INVALID;
		}
		a->value = field->value;
	}

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		struct form_answer *a = &out->items[i];
		if (a->value && is_blank(a->value))
			a->value = NULL; /* an empty box or an unselected choice */
		int answered = q->type == FORM_MULTIPLE ? a->chosen != 0 : a->value != NULL;
		if (!answered) {
			if (q->required)
				answer_error(out, a, "%s", missing_message(q));
			continue;
		}
		if (q->type == FORM_MULTIPLE && q->max_choices) {
			int n = __builtin_popcount(a->chosen);
			if (n > q->max_choices)
				answer_error(out, a, "Choose up to %d answers \xe2\x80\x93 you chose %d",
					     q->max_choices, n);
		}
		if (q->type == FORM_TEXT) {
			size_t chars = utf8_length(a->value, strlen(a->value));
			if (chars > (size_t)q->max_length)
				answer_error(out, a, "Your answer is %zu characters long \xe2\x80\x93 "
					     "please keep it to %d or fewer", chars, q->max_length);
		}
	}
	return SV_OK;
}

int form_answers_themes(const struct form_survey *s, const struct form_answers *a,
			int themes[TAXONOMY_MAX_THEMES])
{
	unsigned char seen[TAXONOMY_MAX_THEMES] = { 0 };
	int n = 0;

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		for (int k = 0; k < q->noptions; k++) {
			int picked = q->type == FORM_MULTIPLE ?
				(int)((ans->chosen >> k) & 1u) :
				ans->value && strcmp(ans->value, q->options[k].id) == 0;
			if (!picked)
				continue;
			for (int t = 0; t < q->options[k].nthemes; t++)
				seen[q->options[k].themes[t]] = 1;
		}
	}
	for (int t = 0; t < TAXONOMY_MAX_THEMES; t++)
		if (seen[t])
			themes[n++] = t;
	return n;
}

int form_themes_priorities(const struct taxonomy *t, const int *themes, int nthemes,
			   int priorities[TAXONOMY_MAX_PRIORITIES])
{
	unsigned char seen[TAXONOMY_MAX_PRIORITIES + 1] = { 0 };
	int n = 0;

	for (int i = 0; i < nthemes; i++) {
		const struct theme *th = &t->themes[themes[i]];
		for (int k = 0; k < th->npriorities; k++)
			seen[th->priorities[k]] = 1;
	}
	for (int p = 1; p <= TAXONOMY_MAX_PRIORITIES; p++)
		if (seen[p])
			priorities[n++] = p;
	return n;
}

void form_answers_payload(const struct form_survey *s, const struct form_answers *a,
			  struct sbuf *out)
{
	sbuf_adds(out, "{\"v\":1,\"survey\":\"");
	sbuf_adds(out, s->id);
	sbuf_adds(out, "\",\"answers\":{");
	int first = 1;
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		if (q->type == FORM_MULTIPLE ? !ans->chosen : !ans->value)
			continue;
		sbuf_addf(out, "%s\"%s\":", first ? "" : ",", q->id);
		first = 0;
		if (q->type != FORM_MULTIPLE) {
			sbuf_adds(out, "\"");
			sbuf_add_json(out, ans->value, strlen(ans->value));
			sbuf_adds(out, "\"");
			continue;
		}
		sbuf_adds(out, "[");
		int firstopt = 1;
		for (int k = 0; k < q->noptions; k++)
			if ((ans->chosen >> k) & 1) {
				sbuf_addf(out, "%s\"%s\"", firstopt ? "" : ",", q->options[k].id);
				firstopt = 0;
			}
		sbuf_adds(out, "]");
	}
	sbuf_adds(out, "}}");
}
