/*
 * form_define.c - survey definitions: a survey's JSON text checked strictly
 * and turned into a struct form_survey (see form.h, forms/README.md).
 *
 * Every mistake names the JSON path and the problem.  Its translations are
 * read by form_lang.c, its sealed size worked out by form_payload.c; the
 * catalogue (form_catalog.c) decides where the text comes from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsoncheck.h"
#include "form.h"
#include "form_int.h"

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

/* The equalities questions' standard categories (docs/equalities.md).  Gender
 * as the ONS 2021 census asked it, in words young people use; ethnicity as
 * the ONS 2021 (England and Wales) high-level groups. */
static const char *const default_gender[][2] = {
	{ "girl", "Girl or young woman" }, { "boy", "Boy or young man" },
	{ "non-binary", "Non-binary" }, { "another-way", "I describe myself another way" },
};
static const char *const default_ethnicity[][2] = {
	{ "asian", "Asian or Asian British" },
	{ "black", "Black, Black British, Caribbean or African" },
	{ "mixed", "Mixed or multiple ethnic groups" },
	{ "white", "White" },
	{ "other-ethnic-group", "Other ethnic group" },
};

const char *const form_qtype_names[FORM_NQTYPES] = {
	[FORM_SINGLE] = "single", [FORM_MULTIPLE] = "multiple", [FORM_TEXT] = "text",
	[FORM_AGE_BAND] = "age_band", [FORM_DISTRICT] = "district",
	[FORM_RATING] = "rating", [FORM_YES_NO] = "yes_no", [FORM_BALLOT] = "ballot",
	[FORM_GENDER] = "gender", [FORM_ETHNICITY] = "ethnicity", [FORM_DISABILITY] = "disability",
	[FORM_YOUNG_CARER] = "young_carer", [FORM_CARE_EXPERIENCE] = "care_experience",
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

/* An equalities question: optional, its options built in. */
static int is_equalities(enum form_qtype t)
{
	return t >= FORM_GENDER && t <= FORM_CARE_EXPERIENCE;
}

static int is_personal(enum form_qtype t)
{
	return t == FORM_AGE_BAND || t == FORM_DISTRICT || is_equalities(t);
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
	static const char *const keys[] = { "id", "label", "themes", "emoji", "hidden", NULL };

	json_only_keys(c, obj, path, keys);
	const char *id = json_id(c, obj, path, "id", 1);
	const char *label = json_string(c, obj, path, "label", 1, FORM_MAX_LABEL);
	const char *emoji = json_string(c, obj, path, "emoji", 0, 32);
	const cJSON *themes = json_array(c, obj, path, "themes", 0, 0, FORM_MAX_OPTION_THEMES);
	o->hidden = json_bool(c, obj, path, "hidden", 0);
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
	case FORM_DISABILITY:
	case FORM_YOUNG_CARER:
	case FORM_CARE_EXPERIENCE:
		*list = default_yes_no;
		return 2;
	case FORM_GENDER:
		*list = default_gender;
		return (int)(sizeof default_gender / sizeof *default_gender);
	case FORM_ETHNICITY:
		*list = default_ethnicity;
		return (int)(sizeof default_ethnicity / sizeof *default_ethnicity);
	default:
		*list = NULL;
		return 0;
	}
}

const struct form_equalities *form_equalities_list(void)
{
	static const struct form_equalities list[FORM_NEQUALITIES] = {
		{ FORM_GENDER, "gender", "Gender", default_gender,
		  (int)(sizeof default_gender / sizeof *default_gender) },
		{ FORM_ETHNICITY, "ethnicity", "Ethnic group", default_ethnicity,
		  (int)(sizeof default_ethnicity / sizeof *default_ethnicity) },
		{ FORM_DISABILITY, "disability", "Disability or special educational needs (SEND)",
		  default_yes_no, 2 },
		{ FORM_YOUNG_CARER, "young_carer", "Young carer", default_yes_no, 2 },
		{ FORM_CARE_EXPERIENCE, "care_experience", "Care experience", default_yes_no, 2 },
	};
	return list;
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
		"required", "options", "max_choices", "max_length", "other", "show_if", "hidden",
		"rank", NULL };
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
	q->hidden = json_bool(c, obj, path, "hidden", 0);
	if (c->failed)
		return;
	int t = name_index(form_qtype_names, (int)(sizeof form_qtype_names / sizeof *form_qtype_names), type);
	if (t < 0) {
		char where[JSON_MAX_PATH];
		json_path_key(where, path, "type");
		json_fail(c, where, "\"%s\" is not a question type (single, multiple, rating, "
			  "yes_no, text, age_band, district, ballot, gender, ethnicity, disability, "
			  "young_carer, care_experience)", type);
		return;
	}
	q->type = (enum form_qtype)t;
	/* Equalities questions are never required (the Children's Code; the
	 * Equality Act's monitoring is voluntary). */
	if (is_equalities(q->type)) {
		if (q->required && cJSON_GetObjectItemCaseSensitive(obj, "required")) {
			json_fail(c, path, "an equalities question (%s) is always optional: leave out "
				  "\"required\"", type);
			return;
		}
		q->required = 0;
	}
	q->id = json_strdup(c, id);
	q->title = json_strdup(c, title);
	q->hint = json_strdup(c, hint);
	q->error = json_strdup(c, error);
	q->max_choices = (int)json_int(c, obj, path, "max_choices", 0, 1, FORM_MAX_OPTIONS, 0);
	q->max_length = (int)json_int(c, obj, path, "max_length", 0, 1, FORM_MAX_TEXT,
				      FORM_DEFAULT_TEXT);
	q->rank = (int)json_int(c, obj, path, "rank", 0, 1, FORM_MAX_RANK, 1);
	if (cJSON_GetObjectItemCaseSensitive(obj, "rank") && q->type != FORM_BALLOT)
		json_fail(c, path, "rank only applies to a \"ballot\" question");
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
	int offered = 0;
	for (int i = 0; i < q->noptions; i++)
		offered += !q->options[i].hidden;
	if (!offered && !q->hidden) {
		json_fail(c, opath, "every option is hidden: hide the question too, or offer one");
		return;
	}
	if (q->type == FORM_BALLOT && offered < q->rank && !q->hidden) {
		json_fail(c, opath, "a ballot ranking %d choices needs at least %d issues offered",
			  q->rank, q->rank);
		return;
	}
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
			for (int j = 0; j < i && !c->failed; j++) {
				if (strcmp(s->questions[j].id, s->questions[i].id) == 0)
					json_fail(c, path, "question id \"%s\" is used twice", s->questions[i].id);
				else if (s->questions[j].type == FORM_BALLOT &&
					 s->questions[i].type == FORM_BALLOT)
					json_fail(c, path, "a survey has at most one ballot question");
			}
		}
	}
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
		form_read_translations(&c, root, cat, s);
	if (!c.failed)
		s->seal_size = form_sealed_size(s);
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

enum sv_err form_survey_new(const char *text, size_t len, const char *file, int version,
			    const struct form_catalog *cat, struct form_survey **out,
			    char *err, size_t errlen)
{
	struct form_survey *s = malloc(sizeof *s);

	*out = NULL;
	if (!s) {
		snprintf(err, errlen, "%s: out of memory", file);
		return SV_ERR_NOMEM;
	}
	enum sv_err rc = form_survey_parse(text, len, file, cat, s, err, errlen);
	if (rc) {
		free(s);
		return rc;
	}
	s->version = version;
	*out = s;
	return SV_OK;
}

void form_survey_free(struct form_survey *s)
{
	if (!s)
		return;
	form_survey_reset(s);
	free(s);
}

static const struct form_question *question_by_id(const struct form_survey *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return &s->questions[i];
	return NULL;
}

static const struct form_option *option_by_id(const struct form_question *q, const char *id)
{
	for (int k = 0; k < q->noptions; k++)
		if (strcmp(q->options[k].id, id) == 0)
			return &q->options[k];
	return NULL;
}

enum sv_err form_survey_check_successor(const struct form_survey *prev,
					const struct form_survey *next,
					char *err, size_t errlen)
{
	const char *hide = "answers were given to it: keep it with \"hidden\": true instead";

	for (int i = 0; i < prev->nquestions; i++) {
		const struct form_question *p = &prev->questions[i];
		const struct form_question *q = question_by_id(next, p->id);
		if (!q) {
			snprintf(err, errlen, "question \"%s\" was removed, but %s", p->id, hide);
			return SV_ERR_INVALID;
		}
		if (q->type != p->type || q->other != p->other || q->rank < p->rank) {
			snprintf(err, errlen, "question \"%s\" changed its type, its \"other\" box or ranks fewer choices, "
				 "which earlier answers depend on: add a new question instead", p->id);
			return SV_ERR_INVALID;
		}
		for (int k = 0; k < p->noptions; k++) {
			const struct form_option *po = &p->options[k];
			const struct form_option *o = option_by_id(q, po->id);
			if (!o) {
				snprintf(err, errlen, "option \"%s\" of question \"%s\" was removed, but %s",
					 po->id, p->id, hide);
				return SV_ERR_INVALID;
			}
			for (int t = 0; t < po->nthemes; t++) {
				int kept = 0;
				for (int u = 0; u < o->nthemes; u++)
					kept |= strcmp(o->themes[u], po->themes[t]) == 0;
				if (!kept) {
					snprintf(err, errlen, "theme \"%s\" was taken from option \"%s\" of "
						 "question \"%s\", but earlier answers raised it: keep it, "
						 "or hide the option and add a new one", po->themes[t], po->id, p->id);
					return SV_ERR_INVALID;
				}
			}
		}
	}
	return SV_OK;
}
