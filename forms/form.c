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
#include "../core/scrub.h"
#include "../core/seal.h"
#include "form.h"

/* Used when an age_band question lists no bands of its own. */
static const char *const default_age_bands[][2] = {
	{ "8-10", "8 to 10" }, { "11-13", "11 to 13" }, { "14-15", "14 or 15" },
	{ "16-17", "16 or 17" }, { "18-21", "18 to 21" }, { "22-25", "22 to 25" },
};

/* Used when a rating question lists no scale of its own. */
static const char *const default_rating[][2] = {
	{ "1", "Really bad" }, { "2", "Bad" }, { "3", "OK" }, { "4", "Good" }, { "5", "Really good" },
};

static const char *const default_yes_no[][2] = { { "yes", "Yes" }, { "no", "No" } };

static const char *const qtype_names[] = {
	[FORM_SINGLE] = "single", [FORM_MULTIPLE] = "multiple", [FORM_TEXT] = "text",
	[FORM_AGE_BAND] = "age_band", [FORM_DISTRICT] = "district",
	[FORM_RATING] = "rating", [FORM_YES_NO] = "yes_no",
};

/* Languages written right to left, by code. */
static const char *const rtl_languages[] = { "ar", "ckb", "fa", "he", "ps", "sd", "ur", "yi", NULL };

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
	static const char *const keys[] = { "id", "label", "themes", "emoji", NULL };

	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *label = json_string(c, obj, path, "label", 1, FORM_MAX_LABEL);
	const char *emoji = json_string(c, obj, path, "emoji", 0, 32);
	const cJSON *themes = json_array(c, obj, path, "themes", 0, 0, FORM_MAX_OPTION_THEMES);
	if (c->failed)
		return;
	if (strcmp(id, FORM_PREFER_NOT) == 0 || strcmp(id, FORM_OTHER) == 0) {
		json_fail(c, path, "\"%s\" is added by youthvoice itself; leave it out", id);
		return;
	}
	option_set(c, o, id, label);
	o->emoji = json_strdup(c, emoji);
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
			if (strcmp(o->themes[j], t->valuestring) == 0) {
				json_fail(c, where, "theme listed twice");
				return;
			}
		o->themes[k] = json_strdup(c, t->valuestring);
		o->nthemes = k + 1; /* counted as it goes, so reset frees each */
	}
}

/* The built-in options of a type, used when a question lists none. */
static int builtin_options(enum form_qtype t, const char *const (**list)[2])
{
	switch (t) {
	case FORM_AGE_BAND:
		*list = default_age_bands;
		return (int)(sizeof default_age_bands / sizeof *default_age_bands);
	case FORM_RATING:
		*list = default_rating;
		return (int)(sizeof default_rating / sizeof *default_rating);
	case FORM_YES_NO:
		*list = default_yes_no;
		return 2;
	default:
		*list = NULL;
		return 0;
	}
}

/* "show_if": {"question": ID, "answer": OPTION}: an earlier choice question. */
static void read_show_if(struct json_check *c, const cJSON *obj, const char *path,
			 const struct form_survey *s, int qi, struct form_question *q)
{
	static const char *const keys[] = { "question", "answer", NULL };
	const cJSON *cond = cJSON_GetObjectItemCaseSensitive(obj, "show_if");
	char where[JSON_MAX_PATH];

	q->show_if_question = q->show_if_option = -1;
	if (!cond)
		return;
	json_path_key(where, path, "show_if");
	json_only_keys(c, cond, where, keys);
	const char *qid = json_id(c, cond, where, "question", 1);
	const char *oid = json_id(c, cond, where, "answer", 1);
	if (c->failed)
		return;
	for (int i = 0; i < qi; i++) {
		const struct form_question *earlier = &s->questions[i];
		if (strcmp(earlier->id, qid) != 0)
			continue;
		for (int k = 0; k < earlier->noptions; k++)
			if (strcmp(earlier->options[k].id, oid) == 0) {
				q->show_if_question = i;
				q->show_if_option = k;
				return;
			}
		json_fail(c, where, "\"%s\" is not an answer of question \"%s\"", oid, qid);
		return;
	}
	json_fail(c, where, "\"%s\" is not an earlier question with choices", qid);
}

static void read_question(struct json_check *c, const cJSON *obj, const char *path,
			  const struct form_survey *s, int qi, struct form_question *q)
{
	static const char *const keys[] = { "id", "type", "title", "hint", "error",
		"required", "options", "max_choices", "max_length", "other", "show_if", NULL };
	const struct taxonomy *tax = s->consultation->taxonomy;

	q->show_if_question = q->show_if_option = -1;
	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *type = json_string(c, obj, path, "type", 1, 16);
	const char *title = json_string(c, obj, path, "title", 1, FORM_MAX_LABEL);
	const char *hint = json_string(c, obj, path, "hint", 0, FORM_MAX_LABEL);
	const char *error = json_string(c, obj, path, "error", 0, FORM_MAX_LABEL);
	q->required = json_bool(c, obj, path, "required", 1);
	q->other = json_bool(c, obj, path, "other", 0);
	if (c->failed)
		return;
	int t = name_index(qtype_names, (int)(sizeof qtype_names / sizeof *qtype_names), type);
	if (t < 0) {
		char where[JSON_MAX_PATH];
		json_path_key(where, path, "type");
		json_fail(c, where, "\"%s\" is not a question type (single, multiple, rating, "
			  "yes_no, text, age_band, district)", type);
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
	if (q->other && q->type != FORM_SINGLE && q->type != FORM_MULTIPLE)
		json_fail(c, path, "\"other\" only applies to single and multiple choice");
	read_show_if(c, obj, path, s, qi, q);

	int want_options = q->type != FORM_TEXT;
	const char *const (*builtin)[2];
	int nbuiltin = builtin_options(q->type, &builtin);
	const cJSON *options = json_array(c, obj, path, "options",
					  want_options && !nbuiltin, 1, FORM_MAX_OPTIONS - 2);
	if (c->failed)
		return;
	if (options && !want_options) {
		json_fail(c, path, "a text question has no options");
		return;
	}
	if (!want_options)
		return;

	int n = options ? cJSON_GetArraySize(options) : nbuiltin;
	q->options = calloc((size_t)n + 1, sizeof *q->options); /* + prefer not / other */
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
			option_set(c, &q->options[i], builtin[i][0], builtin[i][1]);
		/* Counted even when it failed, so that reset frees what it holds. */
		q->noptions++;
		for (int j = 0; j < i && !c->failed; j++)
			if (strcmp(q->options[j].id, q->options[i].id) == 0)
				json_fail(c, where, "option id \"%s\" is used twice", q->options[i].id);
	}
	if (c->failed)
		return;
	/* The Children's Code: a personal question never forces an answer. */
	if (is_personal(q->type))
		option_set(c, &q->options[q->noptions++], FORM_PREFER_NOT, "Prefer not to say");
	else if (q->other)
		option_set(c, &q->options[q->noptions++], FORM_OTHER, "Something else");
}

/* "YYYY-MM-DD" or absent. */
static void read_day(struct json_check *c, const cJSON *root, const char *key, char out[11])
{
	const char *v = json_string(c, root, "", key, 0, 10);

	out[0] = '\0';
	if (!v)
		return;
	if (!day_valid(v, strlen(v))) {
		json_fail(c, key, "should be a date written YYYY-MM-DD");
		return;
	}
	memcpy(out, v, 11);
}

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
	l->rtl = 0;
	for (const char *const *r = rtl_languages; *r; r++)
		l->rtl |= strcmp(*r, code) == 0;
}

/*
 * "language": the code the survey is written in (default "en");
 * "translations": { CODE: { "source text": "translated text", ... } }.
 * Every key must be text that appears in the survey, so a changed question
 * cannot keep a stale translation.
 */
static void read_translations(struct json_check *c, const cJSON *root,
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

/* Questions from "questions" (one page) or "pages": [{"questions": [...]}]. */
static void read_questions(struct json_check *c, const cJSON *root, struct form_survey *s)
{
	static const char *const page_keys[] = { "questions", NULL };
	const cJSON *single = cJSON_GetObjectItemCaseSensitive(root, "questions");
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(root, "pages");
	int total = 0;

	if (!single == !pages) {
		json_fail(c, NULL, "give either \"questions\" (one page) or \"pages\", not both or neither");
		return;
	}
	if (pages && !json_array(c, root, "", "pages", 1, 1, FORM_MAX_PAGES))
		return;
	if (single && !json_array(c, root, "", "questions", 1, 1, FORM_MAX_QUESTIONS))
		return;
	s->npages = pages ? cJSON_GetArraySize(pages) : 1;
	for (int p = 0; p < s->npages; p++) {
		char ppath[JSON_MAX_PATH];
		const cJSON *list = single;
		if (pages) {
			json_path_index(ppath, "pages", p);
			json_only_keys(c, cJSON_GetArrayItem(pages, p), ppath, page_keys);
			list = json_array(c, cJSON_GetArrayItem(pages, p), ppath, "questions", 1, 1,
					  FORM_MAX_QUESTIONS);
			if (c->failed)
				return;
		}
		total += cJSON_GetArraySize(list);
	}
	if (total > FORM_MAX_QUESTIONS) {
		json_fail(c, "pages", "more than %d questions in all", FORM_MAX_QUESTIONS);
		return;
	}
	s->questions = calloc((size_t)total, sizeof *s->questions);
	if (!s->questions) {
		json_fail(c, NULL, "out of memory");
		return;
	}
	for (int p = 0; p < s->npages && !c->failed; p++) {
		char base[JSON_MAX_PATH];
		const cJSON *list = single;
		if (pages) {
			char ppath[JSON_MAX_PATH];
			json_path_index(ppath, "pages", p);
			json_path_key(base, ppath, "questions");
			list = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(pages, p), "questions");
		} else {
			snprintf(base, sizeof base, "questions");
		}
		int k = 0;
		for (const cJSON *q = list->child; q && !c->failed; q = q->next, k++) {
			char path[JSON_MAX_PATH];
			int i = s->nquestions;
			json_path_index(path, base, k);
			s->questions[i].page = p;
			read_question(c, q, path, s, i, &s->questions[i]);
			s->nquestions++;
			for (int j = 0; j < i && !c->failed; j++)
				if (strcmp(s->questions[j].id, s->questions[i].id) == 0)
					json_fail(c, path, "question id \"%s\" is used twice", s->questions[i].id);
		}
	}
}

/* Longest option id of q. */
static size_t longest_option(const struct form_question *q)
{
	size_t n = 0;

	for (int k = 0; k < q->noptions; k++)
		if (strlen(q->options[k].id) > n)
			n = strlen(q->options[k].id);
	return n;
}

/*
 * The size every payload of this survey is padded to: the longest payload
 * form_answers_payload can write for answers that passed form_answers_read,
 * counted piece by piece as it writes them, rounded up to whole blocks with
 * room for the padding's 0x80.  A free-text character is at most
 * SBUF_JSON_PLAIN_MAX bytes however it is typed (an emoji is 4 bytes of
 * UTF-8; '"', '\\', tab and newline are escaped to 2; core/parse refuses
 * every other control); every option of a multiple choice counts, whatever
 * max_choices says.  Only the scrubber's markers can make a text longer than
 * that (a 2-character "@a" becomes 27 bytes), which is why survey-server
 * seals with seal_box_fixed and refuses a payload that does not fit.
 */
static size_t sealed_size(const struct form_survey *s)
{
	size_t n = strlen("{\"v\":1,\"survey\":\"") + strlen(s->id) + strlen("\",\"answers\":{}}");

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		n += strlen(",\"\":") + strlen(q->id);
		if (q->type == FORM_TEXT) {
			n += 2 + SBUF_JSON_PLAIN_MAX * (size_t)q->max_length;
		} else if (q->type == FORM_MULTIPLE) {
			n += 2; /* [] */
			for (int k = 0; k < q->noptions; k++)
				n += strlen(",\"\"") + strlen(q->options[k].id);
		} else {
			n += 2 + longest_option(q);
		}
		if (q->other)
			n += strlen(",\".other\":\"\"") + strlen(q->id) +
			     SBUF_JSON_PLAIN_MAX * (size_t)FORM_MAX_OTHER;
	}
	return (n / SEAL_PAD_BLOCK + 1) * SEAL_PAD_BLOCK;
}

enum sv_err form_survey_parse(const char *text, size_t len, const char *file,
			      const struct form_catalog *cat,
			      struct form_survey *s, char *err, size_t errlen)
{
	static const char *const keys[] = { "id", "consultation", "title", "introduction",
		"privacy", "status", "opens", "closes", "questions", "pages", "check_answers",
		"language", "translations", NULL };
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
	read_day(&c, root, "opens", s->opens);
	read_day(&c, root, "closes", s->closes);
	if (c.failed)
		goto out;
	if (s->opens[0] && s->closes[0] && strcmp(s->opens, s->closes) > 0) {
		json_fail(&c, "closes", "is before opens");
		goto out;
	}
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
	read_questions(&c, root, s);
	s->check_answers = json_bool(&c, root, "", "check_answers", s->npages > 1);
	if (!c.failed && s->npages > 1 && !s->check_answers)
		json_fail(&c, "check_answers", "a survey of several pages always ends with a check of the answers");
	if (!c.failed)
		read_translations(&c, root, cat, s);
	if (!c.failed)
		s->seal_size = sealed_size(s);
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
			free(q->options[k].emoji);
			for (int t = 0; t < q->options[k].nthemes; t++)
				free(q->options[k].themes[t]);
		}
		free(q->options);
		free(q->id);
		free(q->title);
		free(q->hint);
		free(q->error);
	}
	for (int i = 0; i < s->nlangs; i++) {
		free(s->langs[i].name);
		cJSON_Delete(s->langs[i].text);
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
		if (c.failed)
			break;
		/* A bare file name in the forms folder: no paths, so no surprises. */
		if (strchr(taxfile, '/') || taxfile[0] == '.') {
			json_fail(&c, path, "taxonomy should be a file name in the forms folder");
			break;
		}
		struct form_consultation *fc = &cat->consultations[i];
		fc->status = FORM_OPEN;
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
		free(cat->consultations[i].help);
	}
	for (int i = 0; i < cat->nretired_help; i++)
		free(cat->retired_help[i]);
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
	for (int i = 0; i < cat->nsurveys; i++)
		if (strlen(cat->surveys[i].id) == n && memcmp(cat->surveys[i].id, id, n) == 0)
			return &cat->surveys[i];
	return NULL;
}

/*
 * The question a field answers: "ID", "ID[]" for a multiple choice, or
 * "ID.other" for its "something else" box (*other set).
 */
static int question_for_field(const struct form_survey *s, const char *name, int *other)
{
	size_t n = strlen(name);
	int brackets = n > 2 && strcmp(name + n - 2, "[]") == 0;

	*other = n > 6 && strcmp(name + n - 6, ".other") == 0;
	if (*other)
		n -= 6;
	else if (brackets)
		n -= 2;
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		if (*other ? !q->other : brackets != (q->type == FORM_MULTIPLE))
			continue;
		if (strlen(q->id) == n && memcmp(q->id, name, n) == 0)
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

/* Records an error from a template with {max} and {n}, in the source language. */
static void answer_error(struct form_answers *out, struct form_answer *a,
			 const char *tmpl, int max, int n)
{
	struct sbuf b;
	struct form_var vars[] = { { "max", max, NULL }, { "n", n, NULL } };

	a->error_template = tmpl;
	a->error_max = max;
	a->error_n = n;
	sbuf_init(&b, sizeof a->error - 1);
	form_fill(&b, tmpl, vars, 2);
	snprintf(a->error, sizeof a->error, "%s", b.buf && !b.err ? b.buf : tmpl);
	sbuf_free(&b);
	out->nerrors++;
}

const char *form_missing_message(const struct form_question *q)
{
	if (q->error)
		return q->error;
	switch (q->type) {
	case FORM_MULTIPLE: return "Choose at least one answer";
	case FORM_TEXT: return "Write your answer in the box";
	case FORM_AGE_BAND: return "Choose your age group, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_DISTRICT: return "Choose where you live, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_YES_NO: return "Choose yes or no";
	case FORM_SINGLE:
	case FORM_RATING: break;
	}
	return "Choose one answer";
}

int form_question_shown(const struct form_survey *s, const struct form_answers *a, int i)
{
	const struct form_question *q = &s->questions[i];

	if (q->show_if_question < 0)
		return 1;
	/* A question that depends on a hidden one is hidden too. */
	if (!form_question_shown(s, a, q->show_if_question))
		return 0;
	const struct form_question *cq = &s->questions[q->show_if_question];
	const struct form_answer *ca = &a->items[q->show_if_question];
	if (cq->type == FORM_MULTIPLE)
		return (int)((ca->chosen >> q->show_if_option) & 1u);
	return ca->value && strcmp(ca->value, cq->options[q->show_if_option].id) == 0;
}

/* Reads one field into its answer; SV_ERR_INVALID for what our form never sends. */
static enum sv_err read_field(const struct form_survey *s, const struct form_field *field,
			      struct form_answers *out, const char **why)
{
	int other;
	int qi = question_for_field(s, field->name, &other);

	if (qi < 0)
		return SV_OK; /* not ours: a button, a hidden token, a later version's field */
	const struct form_question *q = &s->questions[qi];
	struct form_answer *a = &out->items[qi];
	if (other) {
		if (a->other_text) {
			*why = "a question was answered twice";
			return SV_ERR_INVALID;
		}
		a->other_text = field->value;
		return SV_OK;
	}
	if (q->type == FORM_MULTIPLE) {
		int k = option_index(q, field->value);
		if (k < 0) {
			*why = "an answer is not one of the choices offered";
			return SV_ERR_INVALID;
		}
		a->chosen |= (uint32_t)1 << k;
		return SV_OK;
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
	return SV_OK;
}

/* "Something else": the box counts only with its option, which it implies. */
static void settle_other(const struct form_question *q, struct form_answer *a,
			 struct form_answers *out)
{
	if (a->other_text && is_blank(a->other_text))
		a->other_text = NULL;
	if (!q->other || !a->other_text)
		return;
	int k = option_index(q, FORM_OTHER);
	if (q->type == FORM_MULTIPLE) {
		a->chosen |= (uint32_t)1 << k;
	} else if (!a->value) {
		a->value = q->options[k].id;
	} else if (strcmp(a->value, FORM_OTHER) != 0) {
		answer_error(out, a, "You wrote something in the box, so choose "
			     "\xe2\x80\x9cSomething else\xe2\x80\x9d, or empty the box", 0, 0);
		return;
	}
	size_t chars = utf8_length(a->other_text, strlen(a->other_text));
	if (chars > FORM_MAX_OTHER)
		answer_error(out, a, "What you wrote is {n} characters long \xe2\x80\x93 "
			     "please keep it to {max} or fewer", FORM_MAX_OTHER, (int)chars);
}

enum sv_err form_answers_read(const struct form_survey *s,
			      const struct form_body *body,
			      struct form_answers *out, const char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	for (size_t f = 0; f < body->count; f++) {
		enum sv_err rc = read_field(s, &body->fields[f], out, why);
		if (rc)
			return rc;
	}
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		struct form_answer *a = &out->items[i];
		if (a->value && is_blank(a->value))
			a->value = NULL; /* an empty box or an unselected choice */
		settle_other(q, a, out);
		if (a->error[0])
			continue;
		int answered = q->type == FORM_MULTIPLE ? a->chosen != 0 : a->value != NULL;
		if (!answered) {
			if (q->required)
				answer_error(out, a, form_missing_message(q), 0, 0);
			continue;
		}
		if (q->type == FORM_MULTIPLE && q->max_choices) {
			int n = __builtin_popcount(a->chosen);
			if (n > q->max_choices)
				answer_error(out, a, "Choose up to {max} answers \xe2\x80\x93 you chose {n}",
					     q->max_choices, n);
		}
		if (q->type == FORM_TEXT) {
			size_t chars = utf8_length(a->value, strlen(a->value));
			if (chars > (size_t)q->max_length)
				answer_error(out, a, "Your answer is {n} characters long \xe2\x80\x93 "
					     "please keep it to {max} or fewer", q->max_length, (int)chars);
		}
	}
	/* A question not shown (its condition unmet) has no answer and no error;
	 * later questions first, so a chain of conditions settles in one pass. */
	for (int i = s->nquestions - 1; i >= 0; i--) {
		if (form_question_shown(s, out, i))
			continue;
		struct form_answer *a = &out->items[i];
		if (a->error[0])
			out->nerrors--;
		memset(a, 0, sizeof *a);
	}
	return SV_OK;
}

void form_answers_only_page(const struct form_survey *s, struct form_answers *a, int page)
{
	for (int i = 0; i < s->nquestions; i++) {
		struct form_answer *ans = &a->items[i];
		if (page < 0 || s->questions[i].page == page || !ans->error[0])
			continue;
		ans->error[0] = '\0';
		ans->error_template = NULL;
		a->nerrors--;
	}
}

enum form_status form_survey_status_on(const struct form_survey *s, const char *today)
{
	int consultation = s->consultation ? s->consultation->status : FORM_OPEN;

	if (consultation != FORM_OPEN)
		return (enum form_status)consultation;
	if (s->status != FORM_OPEN)
		return s->status;
	if (s->opens[0] && strcmp(today, s->opens) < 0)
		return FORM_DRAFT;
	if (s->closes[0] && strcmp(today, s->closes) > 0)
		return FORM_CLOSED;
	return FORM_OPEN;
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

int form_answers_themes(const struct form_survey *s, const struct taxonomy *tax,
			const struct form_answers *a, int themes[TAXONOMY_MAX_THEMES])
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
			for (int t = 0; t < q->options[k].nthemes; t++) {
				int index = taxonomy_theme_index(tax, q->options[k].themes[t]);
				if (index >= 0)
					seen[index] = 1;
			}
		}
	}
	for (int t = 0; t < TAXONOMY_MAX_THEMES; t++)
		if (seen[t])
			themes[n++] = t;
	return n;
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

/* A JSON string; '<' stays itself (the payload is sealed, never put in a
 * page), so a character takes at most SBUF_JSON_PLAIN_MAX bytes. */
static void payload_string(struct sbuf *out, const char *s)
{
	sbuf_adds(out, "\"");
	sbuf_add_json_plain(out, s, strlen(s));
	sbuf_adds(out, "\"");
}

/* Free text: scrubbed of contact details, then written as a JSON string. */
static void payload_text(struct sbuf *out, const char *s)
{
	struct sbuf clean;

	sbuf_init(&clean, out->max);
	enum sv_err rc = scrub_text(s, strlen(s), &clean, NULL);
	if (rc) {
		if (!out->err)
			out->err = rc; /* never store text that was not scrubbed */
	} else {
		payload_string(out, clean.buf ? clean.buf : "");
	}
	if (clean.buf)
		sodium_memzero(clean.buf, clean.cap);
	sbuf_free(&clean);
}

void form_answers_payload(const struct form_survey *s, const struct form_answers *a,
			  struct sbuf *out)
{
	sbuf_adds(out, "{\"v\":1,\"survey\":\"");
	sbuf_adds(out, s->id);
	sbuf_adds(out, "\",\"answers\":{");
	const char *sep = "";
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		if (q->type == FORM_MULTIPLE ? !ans->chosen : !ans->value)
			continue;
		sbuf_addf(out, "%s\"%s\":", sep, q->id);
		sep = ",";
		if (q->type == FORM_TEXT) {
			payload_text(out, ans->value);
		} else if (q->type != FORM_MULTIPLE) {
			payload_string(out, ans->value);
		} else {
			const char *osep = "";
			sbuf_adds(out, "[");
			for (int k = 0; k < q->noptions; k++)
				if ((ans->chosen >> k) & 1u) {
					sbuf_addf(out, "%s\"%s\"", osep, q->options[k].id);
					osep = ",";
				}
			sbuf_adds(out, "]");
		}
		if (ans->other_text) {
			sbuf_addf(out, ",\"%s.other\":", q->id);
			payload_text(out, ans->other_text);
		}
	}
	sbuf_adds(out, "}}");
}

void form_survey_fields(const struct form_survey *s, struct sbuf *out)
{
	cJSON *list = cJSON_CreateArray();
	char *text = NULL;

	for (int i = 0; list && i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		cJSON *item = cJSON_CreateObject();
		cJSON *options = NULL;
		if (!item || !cJSON_AddItemToArray(list, item))
			goto fail;
		cJSON_AddStringToObject(item, "id", q->id);
		cJSON_AddStringToObject(item, "type", qtype_names[q->type]);
		cJSON_AddStringToObject(item, "title", q->title);
		if (q->other)
			cJSON_AddTrueToObject(item, "other");
		/* Every respondent answers it: its count is the survey's size, as
		 * the export's disclosure audit must know. */
		if (q->required && q->show_if_option < 0)
			cJSON_AddTrueToObject(item, "answered_by_all");
		if (q->noptions && !(options = cJSON_AddArrayToObject(item, "options")))
			goto fail;
		for (int k = 0; k < q->noptions; k++) {
			const struct form_option *o = &q->options[k];
			cJSON *opt = cJSON_CreateObject();
			if (!opt || !cJSON_AddItemToArray(options, opt))
				goto fail;
			cJSON_AddStringToObject(opt, "id", o->id);
			cJSON_AddStringToObject(opt, "label", o->label);
			cJSON *themes = cJSON_AddArrayToObject(opt, "themes");
			for (int t = 0; themes && t < o->nthemes; t++)
				cJSON_AddItemToArray(themes, cJSON_CreateString(o->themes[t]));
		}
	}
	text = list ? cJSON_PrintUnformatted(list) : NULL;
	if (!text)
		goto fail;
	sbuf_adds(out, text);
	cJSON_free(text);
	cJSON_Delete(list);
	return;
fail:
	cJSON_Delete(list);
	if (!out->err)
		out->err = SV_ERR_NOMEM;
}
