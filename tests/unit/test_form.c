/*
 * test_form.c - forms/form: the real forms folder loads (survey "what-matters",
 * its questions, "prefer-not-to-say" added to personal questions); broken
 * definitions in a temp forms folder are refused with "file: path: problem";
 * reading answers from a decoded body (valid, missing, too many choices, too
 * long, not an option, answered twice); the themes and priorities answers
 * raise; and the sealed payload as JSON.  Then the multi-page survey
 * "your-area": pages, languages (form_tr, form_lang_index), built-in rating
 * and yes/no scales, show_if, "something else" boxes, errors kept to one page,
 * opening and closing days, form_fill and translated error messages; and the
 * newer definition mistakes (pages, show_if, other, dates, translations,
 * check_answers).  Sealed sizes: for both surveys, the largest answers of
 * every kind of character (emoji, '<', '"', '\\', newline, tab, 2- and
 * 3-byte letters) and the smallest seal to one length, seal_size is the
 * fewest blocks that hold the worst, and a text the scrubber's markers
 * outgrow is refused, never sealed longer.  Run from the repository root.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../core/files.h"
#include "../../core/scrub.h"
#include "../../core/seal.h"
#include "../../forms/flow.h"
#include "../../forms/form.h"
#include "check.h"

static char tmpdir[64];
static char *taxonomy_text;

/* ---- the real catalogue ---- */

static const struct form_question *question(const struct form_survey *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return &s->questions[i];
	return NULL;
}

static int question_index(const struct form_survey *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return i;
	return -1;
}

/* The demo's equalities questions (docs/equalities.md): never required, the
 * standard categories built in, "Prefer not to say" last. */
static void test_equalities_questions(const struct form_survey *s)
{
	static const struct { const char *id; enum form_qtype type; int n; const char *first; } want[] = {
		{ "gender", FORM_GENDER, 5, "girl" },
		{ "ethnicity", FORM_ETHNICITY, 6, "asian" },
		{ "disability", FORM_DISABILITY, 3, "yes" },
		{ "carer", FORM_YOUNG_CARER, 3, "yes" },
		{ "care", FORM_CARE_EXPERIENCE, 3, "yes" },
	};
	const struct form_equalities *eq = form_equalities_list();

	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct form_question *q = question(s, want[i].id);
		CHECK(q && q->type == want[i].type && !q->required);
		CHECK(q && q->noptions == want[i].n);
		if (!q || q->noptions != want[i].n)
			continue;
		CHECK_STR(q->options[0].id, want[i].first);
		CHECK_STR(q->options[q->noptions - 1].id, FORM_PREFER_NOT);
		CHECK_STR(q->options[q->noptions - 1].label, "Prefer not to say");
		CHECK(eq[i].type == want[i].type && eq[i].noptions == want[i].n - 1);
	}
	/* The ONS 2021 (England and Wales) high-level groups, in its order. */
	const struct form_question *eth = question(s, "ethnicity");
	static const char *const groups[] = { "Asian or Asian British",
		"Black, Black British, Caribbean or African", "Mixed or multiple ethnic groups",
		"White", "Other ethnic group" };
	for (int k = 0; eth && eth->noptions == 6 && k < 5; k++)
		CHECK_STR(eth->options[k].label, groups[k]);
}

static void test_real_catalog(const struct form_catalog *cat)
{
	const struct form_survey *s = form_catalog_survey(cat, "what-matters", 12);

	CHECK(cat->nconsultations == 1);
	CHECK_STR(cat->consultations[0].id, "cyp-plan-2027");
	CHECK(cat->consultations[0].taxonomy && cat->consultations[0].taxonomy->npriorities == 5);
	CHECK(s != NULL);
	CHECK(form_catalog_survey(cat, "what", 4) == NULL);
	CHECK(form_catalog_survey(cat, "what-matters-not", 16) == NULL);
	if (!s)
		return;
	CHECK(s->nquestions == 10);   /* five, then the five equalities questions */
	CHECK(s->status == FORM_OPEN);
	CHECK(s->consultation == &cat->consultations[0]);
	CHECK_STR(s->title, "What matters to you?");

	const struct form_question *age = question(s, "age");
	const struct form_question *district = question(s, "district");
	const struct form_question *better = question(s, "make-better");
	const struct form_question *tell = question(s, "tell-us");
	CHECK(age && age->type == FORM_AGE_BAND);
	CHECK(district && district->type == FORM_DISTRICT);
	if (age && age->noptions > 0) {
		CHECK(age->noptions == 7); /* six default bands, then prefer-not-to-say */
		CHECK_STR(age->options[0].id, "8-10");
		CHECK_STR(age->options[age->noptions - 1].id, FORM_PREFER_NOT);
	}
	if (district && district->noptions > 0) {
		CHECK(district->noptions == 6);
		CHECK_STR(district->options[0].id, "northvale");
		CHECK_STR(district->options[district->noptions - 1].id, FORM_PREFER_NOT);
	}
	CHECK(better && better->type == FORM_MULTIPLE && better->max_choices == 3);
	CHECK(better && better->noptions == 8);
	CHECK(tell && tell->type == FORM_TEXT && !tell->required && tell->max_length == 1000);
	CHECK(tell && tell->noptions == 0);
	/* Non-personal questions get no extra option. */
	const struct form_question *most = question(s, "most-important");
	CHECK(most && most->noptions == 6 && strcmp(most->options[5].id, "bullying") == 0);
	CHECK(most && most->required && most->error &&
	      strcmp(most->error, "Choose the one that matters most to you") == 0);
	test_equalities_questions(s);
}

/* ---- broken definitions in a temp forms folder ---- */

static int write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return -1;
	size_t n = strlen(text);
	int ok = fwrite(text, 1, n, fp) == n;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

static void write_in(const char *name, const char *text)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	CHECK(write_file(path, text) == 0);
}

#define SURVEY_HEAD "{\"id\": \"x\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\"," \
	" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"open\", \"questions\": ["
#define SURVEY_TAIL "]}"
#define Q_OK "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\"," \
	" \"options\": [{\"id\": \"a\", \"label\": \"A\", \"themes\": [\"online-safety\"]}]}"

/* Writes surveys/x.json and loads the temp folder; returns the code and err. */
static enum sv_err load_with(const char *survey, char *err, size_t errlen)
{
	struct form_catalog *cat = NULL;

	write_in("surveys/x.json", survey);
	err[0] = '\0';
	enum sv_err rc = form_catalog_load(tmpdir, &cat, err, errlen);
	if (rc == SV_OK && cat == NULL)
		rc = SV_ERR_NOMEM; /* would be a bug; make the check fail */
	form_catalog_free(cat);
	return rc;
}

/* Checks that survey is refused and the message names file, path and problem. */
static void refused(int line, const char *survey, const char *path, const char *problem)
{
	char err[600], want[200];
	enum sv_err rc = load_with(survey, err, sizeof err);

	snprintf(want, sizeof want, "surveys/x.json: %s: ", path);
	int ok = rc == SV_ERR_INVALID && strstr(err, want) && strstr(err, problem);
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "  (line %d) rc %d, message: %s\n", line, (int)rc, err);
}

static void test_broken(void)
{
	char err[600];
	char surveys[128];

	snprintf(surveys, sizeof surveys, "%s/surveys", tmpdir);
	CHECK(mkdir(surveys, 0700) == 0);
	write_in("taxonomy.json", taxonomy_text);
	write_in("consultations.json", "{\"consultations\": [{\"id\": \"cyp-plan-2027\","
		 " \"title\": \"Plan\", \"taxonomy\": \"taxonomy.json\"}]}");

	/* The base survey loads, so each refusal below comes from its own change. */
	CHECK(load_with(SURVEY_HEAD Q_OK SURVEY_TAIL, err, sizeof err) == SV_OK);

	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"sing\", \"title\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0].type", "not a question type");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\", \"themes\": [\"sport\"]}]}" SURVEY_TAIL,
		"questions[0].options[0].themes[0]", "not a theme id");
	refused(__LINE__, SURVEY_HEAD Q_OK ", " Q_OK SURVEY_TAIL,
		"questions[1]", "question id \"q\" is used twice");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0].title", "is missing");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"titel\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0].titel", "unknown field");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\", \"max_choices\": 2,"
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0]", "max_choices only applies");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"d\", \"type\": \"district\", \"title\": \"Where?\","
		" \"options\": [{\"id\": \"prefer-not-to-say\", \"label\": \"No\"}]}" SURVEY_TAIL,
		"questions[0].options[0]", "\"prefer-not-to-say\" is added by youthvoice");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"a\", \"label\": \"Again\"}]}" SURVEY_TAIL,
		"questions[0].options[1]", "option id \"a\" is used twice");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"text\", \"title\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0]", "a text question has no options");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\"}" SURVEY_TAIL,
		"questions[0].options", "is missing");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"text\", \"title\": \"Q\", \"max_length\": 5000}"
		SURVEY_TAIL, "questions[0].max_length", "should be from 1 to 2000");
	refused(__LINE__, "{\"id\": \"x\", \"consultation\": \"no-such-plan\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"open\", \"questions\": ["
		Q_OK "]}", "consultation", "\"no-such-plan\" is not in consultations.json");
	refused(__LINE__, "{\"id\": \"x\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"live\", \"questions\": ["
		Q_OK "]}", "status", "should be draft, open or closed");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"e\", \"type\": \"ethnicity\", \"title\": \"E\","
		" \"required\": true}" SURVEY_TAIL, "questions[0]", "is always optional");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"g\", \"type\": \"gender\", \"title\": \"G\","
		" \"options\": [{\"id\": \"prefer-not-to-say\", \"label\": \"No\"}]}" SURVEY_TAIL,
		"questions[0].options[0]", "\"prefer-not-to-say\" is added by youthvoice");
	CHECK(load_with(SURVEY_HEAD "{\"id\": \"e\", \"type\": \"care_experience\", \"title\": \"C\","
			" \"required\": false}" SURVEY_TAIL, err, sizeof err) == SV_OK);
	refused(__LINE__, SURVEY_HEAD Q_OK, "(top level)", "not valid JSON");
	refused(__LINE__, "{\"id\": \"x\",\n\"title\": oops}", "(top level)", "not valid JSON (near line 2)");

	/* Rounds of a plan (docs/rounds.md): "plan" and "round" together. */
	struct form_catalog *cat = NULL;
	write_in("surveys/x.json", SURVEY_HEAD Q_OK SURVEY_TAIL);
	write_in("consultations.json", "{\"consultations\": [{\"id\": \"cyp-plan-2027\","
		 " \"title\": \"Plan\", \"taxonomy\": \"taxonomy.json\", \"plan\": \"cyp-plan\"}]}");
	CHECK(form_catalog_load(tmpdir, &cat, err, sizeof err) == SV_ERR_INVALID && !cat &&
	      strstr(err, "consultations[0]: give \"plan\" and \"round\" together"));
	write_in("consultations.json", "{\"consultations\": [{\"id\": \"cyp-plan-2027\","
		 " \"title\": \"Plan\", \"taxonomy\": \"taxonomy.json\", \"plan\": \"cyp-plan\","
		 " \"round\": \"Round 3\"}]}");
	CHECK(form_catalog_load(tmpdir, &cat, err, sizeof err) == SV_ERR_INVALID && !cat &&
	      strstr(err, "consultations[0].round"));
	write_in("consultations.json", "{\"consultations\": [{\"id\": \"cyp-plan-2027\","
		 " \"title\": \"Plan\", \"taxonomy\": \"taxonomy.json\", \"plan\": \"cyp-plan\","
		 " \"round\": \"2023\"}]}");
	CHECK(form_catalog_load(tmpdir, &cat, err, sizeof err) == SV_OK && cat);
	if (cat) {
		CHECK_STR(cat->consultations[0].plan, "cyp-plan");
		CHECK_STR(cat->consultations[0].round, "2023");
	}
	form_catalog_free(cat);
	write_in("consultations.json", "{\"consultations\": [{\"id\": \"cyp-plan-2027\","
		 " \"title\": \"Plan\", \"taxonomy\": \"taxonomy.json\"}]}");
}

/* ---- answers ---- */

/* Parses body and reads it against s; returns form_answers_read's code. */
static enum sv_err answers(const struct form_survey *s, const char *body,
			   struct form_body *fb, struct form_answers *a, const char **why)
{
	const char *pwhy = NULL;

	if (form_body_parse(body, strlen(body), fb, &pwhy) != SV_OK) {
		fprintf(stderr, "  body did not parse: %s\n", pwhy);
		memset(a, 0, sizeof *a);
		return SV_ERR_NOMEM; /* makes the calling check fail */
	}
	return form_answers_read(s, fb, a, why);
}

#define FULL "most-important=talk&make-better%5B%5D=sport&make-better%5B%5D=food&tell-us=hi&age=14-15&district=northvale"

static void test_answers(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	int most = question_index(s, "most-important");
	int better = question_index(s, "make-better");
	int tell = question_index(s, "tell-us");
	int age = question_index(s, "age");

	if (most < 0 || better < 0 || tell < 0 || age < 0) {
		CHECK(!"the demo survey has the expected questions");
		return;
	}

	/* Complete and valid. */
	CHECK(answers(s, FULL "&submit=Send", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	for (int i = 0; i < s->nquestions; i++)
		CHECK(a.items[i].error[0] == '\0');
	CHECK_STR(a.items[most].value, "talk");
	CHECK(a.items[better].chosen == 3u); /* options 0 and 1 */
	CHECK_STR(a.items[tell].value, "hi");
	form_body_free(&fb);

	/* prefer-not-to-say is an answer; an optional question may be left out. */
	CHECK(answers(s, "most-important=online&make-better%5B%5D=send&age=prefer-not-to-say&district=prefer-not-to-say",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[tell].value == NULL && a.items[tell].error[0] == '\0');
	form_body_free(&fb);

	/* Missing required answers: each gets its message, and they are counted. */
	CHECK(answers(s, "make-better%5B%5D=sport&district=northvale&most-important=", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 2);
	CHECK_STR(a.items[most].error, "Choose the one that matters most to you");
	CHECK(strstr(a.items[age].error, "age group") != NULL);
	CHECK(a.items[better].error[0] == '\0');
	CHECK(a.items[tell].error[0] == '\0');
	form_body_free(&fb);

	/* A multiple choice is sent as "ID[]": a bare "ID" is not an answer to it. */
	CHECK(answers(s, "most-important=talk&make-better=sport&age=8-10&district=outside",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(a.items[better].chosen == 0 && a.items[better].error[0] != '\0');
	form_body_free(&fb);
	/* ... and "ID[]" is not an answer to a single question. */
	CHECK(answers(s, "most-important%5B%5D=talk&make-better%5B%5D=sport&age=8-10&district=outside",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(a.items[most].value == NULL && a.items[most].error[0] != '\0');
	form_body_free(&fb);

	/* Nothing at all: the four required questions. */
	CHECK(answers(s, "", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 4);
	CHECK(strstr(a.items[better].error, "at least one") != NULL);
	form_body_free(&fb);

	/* Picking 4 where 3 is the most. */
	CHECK(answers(s, FULL "&make-better%5B%5D=transport&make-better%5B%5D=info", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[better].error, "up to 3") != NULL);
	CHECK(strstr(a.items[better].error, "you chose 4") != NULL);
	form_body_free(&fb);
	/* Exactly 3 is fine. */
	CHECK(answers(s, FULL "&make-better%5B%5D=transport", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	form_body_free(&fb);

	/* A blank text box counts as not answered (it is optional: no error). */
	CHECK(answers(s, "most-important=talk&make-better%5B%5D=sport&age=8-10&district=outside&tell-us=+%0D%0A+",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0 && a.items[tell].value == NULL);
	form_body_free(&fb);
}

/* FULL with tell-us replaced by n copies of "é" (two bytes, one character). */
static char *long_text_body(int n)
{
	const char *head = "most-important=talk&make-better%5B%5D=sport&age=8-10&district=outside&tell-us=";
	size_t len = strlen(head) + (size_t)n * 6 + 1;
	char *body = malloc(len);

	if (!body)
		return NULL;
	memcpy(body, head, strlen(head) + 1);
	char *p = body + strlen(head);
	for (int i = 0; i < n; i++, p += 6)
		memcpy(p, "%C3%A9", 6);
	*p = '\0';
	return body;
}

static void test_text_length(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	int tell = question_index(s, "tell-us");
	char *body;

	if (tell < 0)
		return;
	/* 1000 characters (2000 bytes) is within max_length 1000. */
	body = long_text_body(1000);
	CHECK(body && answers(s, body, &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[tell].error[0] == '\0');
	CHECK(a.items[tell].value && strlen(a.items[tell].value) == 2000);
	form_body_free(&fb);
	free(body);

	/* 1001 characters is one too many. */
	body = long_text_body(1001);
	CHECK(body && answers(s, body, &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[tell].error, "1001 characters") != NULL);
	CHECK(strstr(a.items[tell].error, "1000 or fewer") != NULL);
	form_body_free(&fb);
	free(body);
}

static void test_malformed(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why;

	why = NULL;
	CHECK(answers(s, "most-important=nope&make-better%5B%5D=sport&age=8-10&district=outside",
		      &fb, &a, &why) == SV_ERR_INVALID);
	CHECK(why != NULL);
	form_body_free(&fb);
	why = NULL;
	CHECK(answers(s, "most-important=talk&make-better%5B%5D=football", &fb, &a, &why) == SV_ERR_INVALID);
	CHECK(why != NULL);
	form_body_free(&fb);
	why = NULL;
	CHECK(answers(s, "most-important=talk&age=99-100", &fb, &a, &why) == SV_ERR_INVALID);
	form_body_free(&fb);
	/* An option id of another question is not an option of this one. */
	why = NULL;
	CHECK(answers(s, "most-important=sport", &fb, &a, &why) == SV_ERR_INVALID);
	form_body_free(&fb);
	why = NULL;
	CHECK(answers(s, "most-important=talk&most-important=safe", &fb, &a, &why) == SV_ERR_INVALID);
	CHECK(why && strstr(why, "twice"));
	form_body_free(&fb);
	why = NULL;
	CHECK(answers(s, "tell-us=one&tell-us=two", &fb, &a, &why) == SV_ERR_INVALID);
	form_body_free(&fb);
	why = NULL;
	CHECK(answers(s, "age=8-10&age=8-10", &fb, &a, &why) == SV_ERR_INVALID);
	form_body_free(&fb);
}

static int contains(const int *list, int n, int v)
{
	int count = 0;
	for (int i = 0; i < n; i++)
		count += list[i] == v;
	return count;
}

static void test_themes(const struct form_catalog *cat, const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why;
	int themes[TAXONOMY_MAX_THEMES], prios[TAXONOMY_MAX_PRIORITIES];
	const struct taxonomy *t = s->consultation->taxonomy;
	int talk = taxonomy_theme_index(t, "someone-to-talk-to");
	int sport = taxonomy_theme_index(t, "sport-activity");
	int food = taxonomy_theme_index(t, "healthy-food");

	CHECK(answers(s, FULL, &fb, &a, &why) == SV_OK);
	int n = form_answers_themes(s, s->consultation->taxonomy, &a, themes);
	CHECK(n == 3);
	CHECK(contains(themes, n, talk) == 1);
	CHECK(contains(themes, n, sport) == 1);
	CHECK(contains(themes, n, food) == 1);
	for (int i = 1; i < n; i++)
		CHECK(themes[i - 1] < themes[i]); /* taxonomy order */
	/* talk: 2, 5; sport: 5; food: 1, 5. */
	int np = form_themes_priorities(t, themes, n, prios);
	CHECK(np == 3);
	if (np == 3)
		CHECK(prios[0] == 1 && prios[1] == 2 && prios[2] == 5);
	form_body_free(&fb);

	/* Personal answers and text raise no themes. */
	CHECK(answers(s, "age=8-10&district=outside&tell-us=knife+crime", &fb, &a, &why) == SV_OK);
	CHECK(form_answers_themes(s, s->consultation->taxonomy, &a, themes) == 0);
	CHECK(form_themes_priorities(t, themes, 0, prios) == 0);
	form_body_free(&fb);

	/* Two options raising the same theme count it once. */
	const char *def = "{\"id\": \"dup\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"draft\", \"questions\": ["
		"{\"id\": \"a\", \"type\": \"single\", \"title\": \"A\", \"options\": ["
		"  {\"id\": \"x\", \"label\": \"X\", \"themes\": [\"bullying\", \"online-safety\"]}]},"
		"{\"id\": \"b\", \"type\": \"multiple\", \"title\": \"B\", \"options\": ["
		"  {\"id\": \"y\", \"label\": \"Y\", \"themes\": [\"online-safety\"]},"
		"  {\"id\": \"z\", \"label\": \"Z\", \"themes\": [\"bullying\", \"knife-crime\"]}]}]}";
	struct form_survey dup;
	char err[512] = "";
	CHECK(form_survey_parse(def, strlen(def), "dup.json", cat, &dup, err, sizeof err) == SV_OK);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK(answers(&dup, "a=x&b[]=y&b%5B%5D=z", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	n = form_answers_themes(&dup, dup.consultation->taxonomy, &a, themes);
	CHECK(n == 3);
	CHECK(contains(themes, n, taxonomy_theme_index(t, "bullying")) == 1);
	CHECK(contains(themes, n, taxonomy_theme_index(t, "online-safety")) == 1);
	CHECK(contains(themes, n, taxonomy_theme_index(t, "knife-crime")) == 1);
	np = form_themes_priorities(t, themes, n, prios);
	CHECK(np == 1 && prios[0] == 2);
	form_body_free(&fb);
	form_survey_reset(&dup);
}

static void test_payload(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why;
	struct sbuf out;

	CHECK(answers(s, "most-important=talk&make-better%5B%5D=food&make-better%5B%5D=sport"
		      "&tell-us=She+said+%22no%22%2C+then%0D%0Aleft.%5C%0A%3C%2Fscript%3E%09%E2%80%9Cok%E2%80%9D"
		      "&age=16-17&district=prefer-not-to-say", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	const char *text = form_body_get(&fb, "tell-us");
	CHECK_STR(text, "She said \"no\", then\nleft.\\\n</script>\t\xe2\x80\x9cok\xe2\x80\x9d");

	sbuf_init(&out, 100000);
	form_answers_payload(s, &a, &out);
	CHECK(out.err == SV_OK);
	/* '<' stays itself: the payload is sealed and only ever parsed as JSON
	 * (survey-export re-writes what it prints), and \u003c would make a
	 * '<' 6 bytes, beyond what seal_size allows a character. */
	CHECK(out.buf && strstr(out.buf, "</script>") != NULL && strstr(out.buf, "\\u003c") == NULL);
	cJSON *root = out.buf ? cJSON_ParseWithLength(out.buf, out.len) : NULL;
	CHECK(root != NULL);
	if (root) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "v");
		CHECK(cJSON_IsNumber(v) && v->valueint == 1);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "survey")),
			  "what-matters");
		cJSON *ans = cJSON_GetObjectItemCaseSensitive(root, "answers");
		CHECK(cJSON_IsObject(ans));
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "most-important")),
			  "talk");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "tell-us")), text);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "age")), "16-17");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "district")),
			  FORM_PREFER_NOT);
		cJSON *mb = cJSON_GetObjectItemCaseSensitive(ans, "make-better");
		CHECK(cJSON_IsArray(mb) && cJSON_GetArraySize(mb) == 2);
		/* In option order, not the order sent. */
		CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(mb, 0)), "sport");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(mb, 1)), "food");
		CHECK(cJSON_GetArraySize(ans) == 5);
		cJSON_Delete(root);
	}
	sbuf_free(&out);
	form_body_free(&fb);

	/* Free text is scrubbed of contact details before it is sealed; the
	 * rest of the words stay exactly as written. */
	CHECK(answers(s, "most-important=talk&tell-us=ring+me+on+07700+900123+or+jo%40example.org+ok"
		      "&make-better%5B%5D=food&age=16-17&district=eastbrook", &fb, &a, &why) == SV_OK);
	sbuf_init(&out, 100000);
	form_answers_payload(s, &a, &out);
	root = out.buf ? cJSON_ParseWithLength(out.buf, out.len) : NULL;
	CHECK(root != NULL);
	if (root) {
		cJSON *ans = cJSON_GetObjectItemCaseSensitive(root, "answers");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "tell-us")),
			  "ring me on [phone number removed] or [email address removed] ok");
		cJSON_Delete(root);
	}
	sbuf_free(&out);
	form_body_free(&fb);

	/* Unanswered questions are left out of the payload. */
	CHECK(answers(s, "most-important=talk", &fb, &a, &why) == SV_OK);
	sbuf_init(&out, 100000);
	form_answers_payload(s, &a, &out);
	root = out.buf ? cJSON_ParseWithLength(out.buf, out.len) : NULL;
	CHECK(root != NULL);
	if (root) {
		cJSON *ans = cJSON_GetObjectItemCaseSensitive(root, "answers");
		CHECK(cJSON_GetArraySize(ans) == 1);
		CHECK(cJSON_GetObjectItemCaseSensitive(ans, "tell-us") == NULL);
		cJSON_Delete(root);
	}
	sbuf_free(&out);
	form_body_free(&fb);
}

/* ---- the newer parts of a definition: pages, conditions, dates, languages ---- */

#define SURVEY_TOP "{\"id\": \"x\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\"," \
	" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"open\""
#define Q_R "{\"id\": \"r\", \"type\": \"single\", \"title\": \"R\"," \
	" \"options\": [{\"id\": \"b\", \"label\": \"B\"}]}"
/* Two pages: q, then r. */
#define PAGES_OK ", \"pages\": [{\"questions\": [" Q_OK "]}, {\"questions\": [" Q_R "]}]"

static void test_broken_new(void)
{
	char err[600];
	char i18n[128];

	snprintf(i18n, sizeof i18n, "%s/i18n", tmpdir);
	CHECK(mkdir(i18n, 0700) == 0);
	write_in("i18n/ur.json", "{\"name\": \"\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88\","
		 " \"strings\": {\"Continue\": \"\xd8\xa2\xda\xaf\xdb\x92\"}}");

	/* Each base loads, so each refusal below comes from its own change. */
	CHECK(load_with(SURVEY_HEAD Q_OK SURVEY_TAIL, err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_TOP PAGES_OK "}", err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_TOP PAGES_OK ", \"check_answers\": true}", err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_HEAD Q_OK ", {\"id\": \"r\", \"type\": \"single\", \"title\": \"R\","
			" \"show_if\": {\"question\": \"q\", \"answer\": \"a\"},"
			" \"options\": [{\"id\": \"b\", \"label\": \"B\"}]}" SURVEY_TAIL,
			err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_HEAD "{\"id\": \"q\", \"type\": \"multiple\", \"title\": \"Q\", \"other\": true,"
			" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL, err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_TOP ", \"opens\": \"2026-06-01\", \"closes\": \"2026-06-01\","
			" \"questions\": [" Q_OK "]}", err, sizeof err) == SV_OK);
	CHECK(load_with(SURVEY_TOP ", \"questions\": [" Q_OK "], \"language\": \"en\","
			" \"translations\": {\"ur\": {\"T\": \"\xd9\xb9\", \"A\": \"\xd8\xa7\"}}}",
			err, sizeof err) == SV_OK);
	if (err[0])
		fprintf(stderr, "  a base definition was refused: %s\n", err);

	/* Pages or questions: exactly one of the two. */
	refused(__LINE__, SURVEY_TOP ", \"questions\": [" Q_OK "]" PAGES_OK "}",
		"(top level)", "either \"questions\" (one page) or \"pages\", not both");
	refused(__LINE__, SURVEY_TOP "}", "(top level)", "either \"questions\" (one page) or \"pages\"");
	refused(__LINE__, SURVEY_TOP ", \"pages\": [{\"questions\": [" Q_OK "], \"title\": \"P\"}]}",
		"pages[0].title", "unknown field");

	/* show_if: an earlier question, and one of its answers. */
	refused(__LINE__, SURVEY_TOP ", \"pages\": [{\"questions\": [{\"id\": \"q\", \"type\": \"single\","
		" \"title\": \"Q\", \"show_if\": {\"question\": \"r\", \"answer\": \"b\"},"
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}]}, {\"questions\": [" Q_R "]}]}",
		"pages[0].questions[0].show_if", "\"r\" is not an earlier question");
	refused(__LINE__, SURVEY_HEAD Q_OK ", {\"id\": \"r\", \"type\": \"single\", \"title\": \"R\","
		" \"show_if\": {\"question\": \"q\", \"answer\": \"zzz\"},"
		" \"options\": [{\"id\": \"b\", \"label\": \"B\"}]}" SURVEY_TAIL,
		"questions[1].show_if", "\"zzz\" is not an answer of question \"q\"");
	refused(__LINE__, SURVEY_HEAD Q_OK ", {\"id\": \"r\", \"type\": \"single\", \"title\": \"R\","
		" \"show_if\": {\"question\": \"nope\", \"answer\": \"a\"},"
		" \"options\": [{\"id\": \"b\", \"label\": \"B\"}]}" SURVEY_TAIL,
		"questions[1].show_if", "\"nope\" is not an earlier question");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\","
		" \"show_if\": {\"question\": \"q\", \"answer\": \"a\"},"
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}]}" SURVEY_TAIL,
		"questions[0].show_if", "\"q\" is not an earlier question");

	/* "other" only on single and multiple, and never written by hand. */
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"t\", \"type\": \"text\", \"title\": \"T\", \"other\": true}"
		SURVEY_TAIL, "questions[0]", "\"other\" only applies to single and multiple choice");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"y\", \"type\": \"yes_no\", \"title\": \"Y\", \"other\": true}"
		SURVEY_TAIL, "questions[0]", "\"other\" only applies to single and multiple choice");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\","
		" \"options\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"other\", \"label\": \"Other\"}]}"
		SURVEY_TAIL, "questions[0].options[1]", "\"other\" is added by youthvoice itself");
	refused(__LINE__, SURVEY_HEAD "{\"id\": \"q\", \"type\": \"multiple\", \"title\": \"Q\", \"other\": true,"
		" \"options\": [{\"id\": \"other\", \"label\": \"Other\"}]}"
		SURVEY_TAIL, "questions[0].options[0]", "\"other\" is added by youthvoice itself");

	/* Dates. */
	refused(__LINE__, SURVEY_TOP ", \"opens\": \"2026-13-01\", \"questions\": [" Q_OK "]}",
		"opens", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"closes\": \"2026-1-01\", \"questions\": [" Q_OK "]}",
		"closes", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"opens\": \"2026-06-00\", \"questions\": [" Q_OK "]}",
		"opens", "should be a date written YYYY-MM-DD");
	/* Days that are not in the calendar. */
	refused(__LINE__, SURVEY_TOP ", \"closes\": \"2026-02-30\", \"questions\": [" Q_OK "]}",
		"closes", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"closes\": \"2027-02-29\", \"questions\": [" Q_OK "]}",
		"closes", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"closes\": \"2026-04-31\", \"questions\": [" Q_OK "]}",
		"closes", "should be a date written YYYY-MM-DD");
	/* A sign or a space inside a date would sort before every real day. */
	refused(__LINE__, SURVEY_TOP ", \"closes\": \"2026- 6-30\", \"questions\": [" Q_OK "]}",
		"closes", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"opens\": \"+026-01-01\", \"questions\": [" Q_OK "]}",
		"opens", "should be a date written YYYY-MM-DD");
	refused(__LINE__, SURVEY_TOP ", \"opens\": \"2026-06-02\", \"closes\": \"2026-06-01\","
		" \"questions\": [" Q_OK "]}", "closes", "is before opens");

	/* Translations: only the survey's own text, only languages the service speaks. */
	refused(__LINE__, SURVEY_TOP ", \"questions\": [" Q_OK "],"
		" \"translations\": {\"ur\": {\"T\": \"\xd9\xb9\", \"Not in the survey\": \"\xd9\xb9\"}}}",
		"translations.ur", "\"Not in the survey\" is not text in this survey");
	refused(__LINE__, SURVEY_TOP ", \"questions\": [" Q_OK "],"
		" \"translations\": {\"fr\": {\"T\": \"Tr\"}}}",
		"translations.fr", "no forms/i18n/fr.json");

	/* Several pages always end with "check your answers". */
	refused(__LINE__, SURVEY_TOP PAGES_OK ", \"check_answers\": false}",
		"check_answers", "always ends with a check of the answers");
}

/* ---- the real multi-page survey ---- */

#define UR_TITLE "\xd8\xa2\xd9\xbe \xda\xa9\xd8\xa7 \xd8\xb9\xd9\x84\xd8\xa7\xd9\x82\xdb\x81\xd8\x8c " \
	"\xd8\xa2\xd9\xbe \xda\xa9\xdb\x8c \xd8\xb1\xd8\xa7\xd8\xa6\xdb\x92" /* آپ کا علاقہ، آپ کی رائے */
#define UR_CONTINUE "\xd8\xa2\xda\xaf\xdb\x92 \xd8\xa8\xda\x91\xda\xbe\xdb\x8c\xda\xba" /* آگے بڑھیں */

static void test_your_area_catalog(const struct form_catalog *cat)
{
	const struct form_survey *s = form_catalog_survey(cat, "your-area", 9);
	const struct form_survey *wm = form_catalog_survey(cat, "what-matters", 12);

	/* The demo's three: what-matters, your-area and the youth ballot. */
	CHECK(cat->nsurveys == 3);
	CHECK(form_catalog_survey(cat, "youth-ballot", 12) != NULL);
	CHECK(s != NULL);
	if (wm) {
		CHECK(wm->npages == 1 && !wm->check_answers);
		CHECK(wm->nlangs == 1);
		CHECK_STR(wm->langs[0].code, "en");
		CHECK(wm->opens[0] == '\0' && wm->closes[0] == '\0');
		const char *cont = "Continue";
		CHECK(form_tr(wm, 1, cont) == cont); /* no second language */
	}
	if (!s)
		return;
	CHECK(s->npages == 4);
	CHECK(s->check_answers);
	CHECK(s->nquestions == 7);
	CHECK(s->status == FORM_OPEN);
	CHECK_STR(s->opens, "2026-01-01");
	CHECK_STR(s->closes, "2027-12-31");
	CHECK(s->nlangs == 2);
	CHECK_STR(s->langs[0].code, "en");
	CHECK_STR(s->langs[1].code, "ur");
	CHECK(s->langs[1].rtl);
	CHECK(!s->langs[0].rtl);
	CHECK_STR(s->langs[1].name, "\xd8\xa7\xd8\xb1\xd8\xaf\xd9\x88"); /* اردو */
	CHECK(s->langs[0].text == NULL && s->langs[1].text != NULL);

	/* Pages, in order. */
	static const struct { const char *id; int page; } where[] = {
		{ "feel-safe", 0 }, { "young-carer", 1 }, { "carer-help", 1 }, { "more-of", 2 },
		{ "worries", 2 }, { "age", 3 }, { "district", 3 },
	};
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		const struct form_question *q = question(s, where[i].id);
		CHECK(q && q->page == where[i].page);
	}

	const struct form_question *safe = question(s, "feel-safe");
	CHECK(safe && safe->type == FORM_RATING && safe->noptions == 5 && safe->show_if_question == -1);
	if (safe && safe->noptions == 5) {
		CHECK_STR(safe->options[0].emoji, "\xf0\x9f\x98\x9f"); /* 😟 */
		CHECK_STR(safe->options[4].id, "5");
		CHECK_STR(safe->options[4].label, "Very safe");
	}
	const struct form_question *carer = question(s, "young-carer");
	CHECK(carer && carer->type == FORM_YES_NO && carer->noptions == 2);
	const struct form_question *help = question(s, "carer-help");
	CHECK(help && help->type == FORM_SINGLE && help->other && !help->required);
	CHECK(help && help->show_if_question == question_index(s, "young-carer") &&
	      help->show_if_option == 0);
	if (help && help->noptions == 4) {
		CHECK_STR(help->options[3].id, FORM_OTHER);
		CHECK_STR(help->options[3].label, "Something else");
	} else {
		CHECK(!"carer-help has three options and \"other\"");
	}
	const struct form_question *more = question(s, "more-of");
	CHECK(more && more->type == FORM_MULTIPLE && more->other && more->noptions == 5);
	if (more && more->noptions == 5)
		CHECK_STR(more->options[4].id, FORM_OTHER);

	/* Languages. */
	const char *title = "Your area, your say";
	CHECK_STR(form_tr(s, 1, title), UR_TITLE);
	CHECK_STR(form_tr(s, 1, "Continue"), UR_CONTINUE); /* from i18n/ur.json */
	CHECK(form_tr(s, 0, title) == title);
	CHECK(form_tr(s, 0, "Continue") != NULL && strcmp(form_tr(s, 0, "Continue"), "Continue") == 0);
	const char *unknown = "Not translated anywhere";
	CHECK(form_tr(s, 1, unknown) == unknown);
	CHECK(form_tr(s, 2, title) == title);   /* no such language */
	CHECK(form_tr(s, -1, title) == title);
	CHECK(form_lang_index(s, "ur", 2) == 1);
	CHECK(form_lang_index(s, "en", 2) == 0);
	CHECK(form_lang_index(s, "fr", 2) == 0);
	CHECK(form_lang_index(s, "urdu", 4) == 0);
	CHECK(form_lang_index(s, "ur", 1) == 0);   /* "u" */
	CHECK(form_lang_index(s, "", 0) == 0);
}

/* Built-in scales, and a draft survey's dates. */
static void test_builtin_and_status(const struct form_catalog *cat, const struct form_survey *ya)
{
	const char *def = "{\"id\": \"scales\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"draft\","
		" \"opens\": \"2026-01-01\", \"closes\": \"2026-12-31\", \"questions\": ["
		"{\"id\": \"r\", \"type\": \"rating\", \"title\": \"R\"},"
		"{\"id\": \"y\", \"type\": \"yes_no\", \"title\": \"Y\"}]}";
	struct form_survey s;
	char err[512] = "";

	CHECK(form_survey_parse(def, strlen(def), "scales.json", cat, &s, err, sizeof err) == SV_OK);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	if (s.nquestions == 2) {
		const struct form_question *r = &s.questions[0], *y = &s.questions[1];
		CHECK(r->noptions == 5);
		if (r->noptions == 5) {
			CHECK_STR(r->options[0].id, "1");
			CHECK_STR(r->options[0].label, "Really bad");
			CHECK_STR(r->options[4].id, "5");
			CHECK_STR(r->options[4].label, "Really good");
			CHECK(r->options[0].emoji == NULL);
		}
		CHECK(y->noptions == 2);
		if (y->noptions == 2) {
			CHECK_STR(y->options[0].id, "yes");
			CHECK_STR(y->options[1].id, "no");
		}
		CHECK(s.npages == 1 && !s.check_answers);
		CHECK(s.nlangs == 1 && strcmp(s.langs[0].code, "en") == 0);
	}
	/* A draft stays a draft, whatever the day. */
	CHECK(form_survey_status_on(&s, "2025-06-01") == FORM_DRAFT);
	CHECK(form_survey_status_on(&s, "2026-06-01") == FORM_DRAFT);
	CHECK(form_survey_status_on(&s, "2027-06-01") == FORM_DRAFT);
	form_survey_reset(&s);

	/* your-area is open from 2026-01-01 to 2027-12-31, both days included. */
	if (ya) {
		CHECK(form_survey_status_on(ya, "2025-12-31") == FORM_DRAFT);
		CHECK(form_survey_status_on(ya, "2026-01-01") == FORM_OPEN);
		CHECK(form_survey_status_on(ya, "2026-07-15") == FORM_OPEN);
		CHECK(form_survey_status_on(ya, "2027-12-31") == FORM_OPEN);
		CHECK(form_survey_status_on(ya, "2028-01-01") == FORM_CLOSED);
		CHECK(form_survey_status_on(ya, "2030-01-01") == FORM_CLOSED);
	}
	/* Without dates, the status alone decides; closed stays closed. */
	struct form_survey bare;
	memset(&bare, 0, sizeof bare);
	bare.status = FORM_OPEN;
	CHECK(form_survey_status_on(&bare, "1999-01-01") == FORM_OPEN);
	CHECK(form_survey_status_on(&bare, "2999-01-01") == FORM_OPEN);
	bare.status = FORM_CLOSED;
	snprintf(bare.opens, sizeof bare.opens, "2026-01-01");
	CHECK(form_survey_status_on(&bare, "2026-06-01") == FORM_CLOSED);
	bare.status = FORM_OPEN;
	bare.closes[0] = '\0';
	CHECK(form_survey_status_on(&bare, "2025-12-31") == FORM_DRAFT);
	CHECK(form_survey_status_on(&bare, "2999-01-01") == FORM_OPEN);
}

/* A condition on a question that has its own condition. */
static void test_show_if_chain(const struct form_catalog *cat)
{
	const char *def = "{\"id\": \"chain\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"open\", \"questions\": ["
		"{\"id\": \"a\", \"type\": \"yes_no\", \"title\": \"A\"},"
		"{\"id\": \"b\", \"type\": \"multiple\", \"title\": \"B\","
		"  \"show_if\": {\"question\": \"a\", \"answer\": \"yes\"},"
		"  \"options\": [{\"id\": \"x\", \"label\": \"X\"}, {\"id\": \"y\", \"label\": \"Y\"}]},"
		"{\"id\": \"c\", \"type\": \"single\", \"title\": \"C\","
		"  \"show_if\": {\"question\": \"b\", \"answer\": \"y\"},"
		"  \"options\": [{\"id\": \"z\", \"label\": \"Z\"}]}]}";
	struct form_survey s;
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	char err[512] = "";

	CHECK(form_survey_parse(def, strlen(def), "chain.json", cat, &s, err, sizeof err) == SV_OK);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	if (s.nquestions != 3)
		return;
	CHECK(s.questions[1].show_if_question == 0 && s.questions[1].show_if_option == 0);
	CHECK(s.questions[2].show_if_question == 1 && s.questions[2].show_if_option == 1);
	/* All shown: all kept. */
	CHECK(answers(&s, "a=yes&b%5B%5D=y&c=z", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[1].chosen == 2u);
	CHECK_STR(a.items[2].value, "z");
	form_body_free(&fb);
	/* c's condition is met by what was sent for b, but b is hidden: both dropped. */
	CHECK(answers(&s, "a=no&b%5B%5D=y&c=z", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[1].chosen == 0);
	CHECK(a.items[2].value == NULL);
	CHECK(!form_question_shown(&s, &a, 1) && !form_question_shown(&s, &a, 2));
	form_body_free(&fb);
	/* b shown but "y" not chosen: c hidden, and its missing answer is no error. */
	CHECK(answers(&s, "a=yes&b%5B%5D=x", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[2].error[0] == '\0');
	form_body_free(&fb);
	/* c shown and required. */
	CHECK(answers(&s, "a=yes&b%5B%5D=y", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1 && a.items[2].error[0] != '\0');
	form_body_free(&fb);
	form_survey_reset(&s);
}

/* The rest of a complete, valid your-area body. */
#define YA_BASE "feel-safe=3&more-of%5B%5D=sport&age=14-15&district=northvale"

/* YA_BASE, young-carer=yes and "carer-help.other=" n copies of unit (url-encoded). */
static char *other_body(const char *unit, int n)
{
	const char *head = YA_BASE "&young-carer=yes&carer-help.other=";
	size_t ulen = strlen(unit);
	char *body = malloc(strlen(head) + (size_t)n * ulen + 1);

	if (!body)
		return NULL;
	memcpy(body, head, strlen(head));
	char *p = body + strlen(head);
	for (int i = 0; i < n; i++, p += ulen)
		memcpy(p, unit, ulen);
	*p = '\0';
	return body;
}

static void test_your_area_answers(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	int carer = question_index(s, "young-carer");
	int help = question_index(s, "carer-help");
	int more = question_index(s, "more-of");

	if (carer < 0 || help < 0 || more < 0) {
		CHECK(!"your-area has the expected questions");
		return;
	}

	/* show_if: not a carer, so an answer sent for carer-help is dropped. */
	CHECK(answers(s, YA_BASE "&young-carer=no&carer-help=talk", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[carer].value, "no");
	CHECK(a.items[help].value == NULL && a.items[help].error[0] == '\0');
	CHECK(!form_question_shown(s, &a, help));
	form_body_free(&fb);
	/* ... its box too, and the error the box would have caused is not counted. */
	CHECK(answers(s, YA_BASE "&young-carer=no&carer-help=talk&carer-help.other=gran",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[help].value == NULL && a.items[help].other_text == NULL);
	CHECK(a.items[help].error[0] == '\0');
	form_body_free(&fb);
	/* Unanswered condition: hidden too. */
	CHECK(answers(s, YA_BASE "&carer-help=talk", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1 && a.items[carer].error[0] != '\0');
	CHECK(a.items[help].value == NULL && !form_question_shown(s, &a, help));
	form_body_free(&fb);

	/* A carer: the answer is kept. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help=talk", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[help].value, "talk");
	CHECK(a.items[help].other_text == NULL);
	CHECK(form_question_shown(s, &a, help));
	form_body_free(&fb);

	/* The box alone chooses "other". */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help.other=My+gran", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[help].value, FORM_OTHER);
	CHECK_STR(a.items[help].other_text, "My gran");
	form_body_free(&fb);
	/* ... as does choosing "other" with it. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help=other&carer-help.other=My+gran",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[help].value, FORM_OTHER);
	form_body_free(&fb);
	/* The box with another option chosen is a mistake to explain. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help=school&carer-help.other=My+gran",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[help].error, "Something else") != NULL);
	CHECK(a.items[help].error_template != NULL);
	form_body_free(&fb);
	/* A blank box is no answer at all. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help.other=+%09+", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[help].value == NULL && a.items[help].other_text == NULL);
	form_body_free(&fb);
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help=school&carer-help.other=++",
		      &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[help].value, "school");
	CHECK(a.items[help].other_text == NULL);
	form_body_free(&fb);
	/* The box twice is not from our form. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help.other=a&carer-help.other=b",
		      &fb, &a, &why) == SV_ERR_INVALID);
	form_body_free(&fb);

	/* At most FORM_MAX_OTHER characters (not bytes). */
	char *body = other_body("%C3%A9", FORM_MAX_OTHER);
	CHECK(body && answers(s, body, &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[help].other_text && strlen(a.items[help].other_text) == 2 * FORM_MAX_OTHER);
	form_body_free(&fb);
	free(body);
	body = other_body("a", FORM_MAX_OTHER + 1);
	CHECK(body && answers(s, body, &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[help].error, "201 characters") != NULL);
	CHECK(strstr(a.items[help].error, "200 or fewer") != NULL);

	/* The same message in Urdu, with the numbers filled in. */
	struct sbuf out;
	sbuf_init(&out, 4096);
	form_error_text(s, 1, &a.items[help], &out);
	CHECK(out.err == SV_OK);
	/* "آپ نے جو لکھا وہ 201 حروف کا ہے – براہ کرم اسے 200 یا اس سے کم رکھیں" */
	CHECK_STR(out.buf, "\xd8\xa2\xd9\xbe \xd9\x86\xdb\x92 \xd8\xac\xd9\x88 \xd9\x84\xda\xa9\xda\xbe\xd8\xa7 "
		  "\xd9\x88\xdb\x81 201 \xd8\xad\xd8\xb1\xd9\x88\xd9\x81 \xda\xa9\xd8\xa7 \xdb\x81\xdb\x92 "
		  "\xe2\x80\x93 \xd8\xa8\xd8\xb1\xd8\xa7\xdb\x81 \xda\xa9\xd8\xb1\xd9\x85 \xd8\xa7\xd8\xb3\xdb\x92 "
		  "200 \xdb\x8c\xd8\xa7 \xd8\xa7\xd8\xb3 \xd8\xb3\xdb\x92 \xda\xa9\xd9\x85 "
		  "\xd8\xb1\xda\xa9\xda\xbe\xdb\x8c\xda\xba");
	sbuf_reset(&out);
	form_error_text(s, 0, &a.items[help], &out);
	CHECK_STR(out.buf, "What you wrote is 201 characters long \xe2\x80\x93 please keep it to 200 or fewer");
	sbuf_free(&out);
	form_body_free(&fb);
	free(body);

	/* A multiple choice: the box adds the "other" bit. */
	CHECK(answers(s, "feel-safe=3&young-carer=no&age=14-15&district=northvale"
		      "&more-of%5B%5D=sport&more-of.other=skate+park", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[more].chosen == ((1u << 0) | (1u << 4)));
	CHECK_STR(a.items[more].other_text, "skate park");
	form_body_free(&fb);
	/* ... and answers a required one on its own. */
	CHECK(answers(s, "feel-safe=3&young-carer=no&age=14-15&district=northvale"
		      "&more-of.other=skate+park", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(a.items[more].chosen == (1u << 4));
	form_body_free(&fb);
}

static void test_your_area_payload(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	struct sbuf out;
	/* She said "gran" – é\n */
	const char *want = "She said \"gran\" \xe2\x80\x93 \xc3\xa9\n</x>";

	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help.other=She+said+%22gran%22+%E2%80%93+%C3%A9%0A%3C%2Fx%3E"
		      "&more-of.other=a+%22skate%22+park", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 0);
	sbuf_init(&out, 100000);
	form_answers_payload(s, &a, &out);
	CHECK(out.err == SV_OK);
	cJSON *root = out.buf ? cJSON_ParseWithLength(out.buf, out.len) : NULL;
	CHECK(root != NULL);
	if (root) {
		cJSON *ans = cJSON_GetObjectItemCaseSensitive(root, "answers");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "survey")), "your-area");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "carer-help")), FORM_OTHER);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "carer-help.other")), want);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "more-of.other")),
			  "a \"skate\" park");
		cJSON *mo = cJSON_GetObjectItemCaseSensitive(ans, "more-of");
		CHECK(cJSON_IsArray(mo) && cJSON_GetArraySize(mo) == 2);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(mo, 1)), FORM_OTHER);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ans, "young-carer")), "yes");
		/* feel-safe, young-carer, carer-help (+ .other), more-of (+ .other), age, district */
		CHECK(cJSON_GetArraySize(ans) == 8);
		cJSON_Delete(root);
	}
	sbuf_free(&out);
	form_body_free(&fb);

	/* No box, no ".other" key. */
	CHECK(answers(s, YA_BASE "&young-carer=yes&carer-help=talk", &fb, &a, &why) == SV_OK);
	sbuf_init(&out, 100000);
	form_answers_payload(s, &a, &out);
	CHECK(out.buf && strstr(out.buf, ".other") == NULL);
	sbuf_free(&out);
	form_body_free(&fb);
}

static void test_only_page(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const char *why = NULL;
	int safe = question_index(s, "feel-safe");
	int carer = question_index(s, "young-carer");
	int more = question_index(s, "more-of");
	int age = question_index(s, "age");
	int district = question_index(s, "district");

	if (safe < 0 || carer < 0 || more < 0 || age < 0 || district < 0)
		return;
	/* Nothing sent: feel-safe, young-carer, more-of, age and district. */
	CHECK(answers(s, "", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 5);
	form_answers_only_page(s, &a, -1);
	CHECK(a.nerrors == 5);
	CHECK(a.items[safe].error[0] && a.items[district].error[0]);
	form_answers_only_page(s, &a, 1);
	CHECK(a.nerrors == 1);
	CHECK(a.items[carer].error[0] != '\0' && a.items[carer].error_template != NULL);
	CHECK(a.items[safe].error[0] == '\0' && a.items[safe].error_template == NULL);
	CHECK(a.items[more].error[0] == '\0' && a.items[age].error[0] == '\0');
	/* Again: nothing more to clear, the count stays right. */
	form_answers_only_page(s, &a, 1);
	CHECK(a.nerrors == 1);
	/* The Urdu for a message without numbers. */
	struct sbuf out;
	sbuf_init(&out, 1000);
	form_error_text(s, 1, &a.items[carer], &out);
	CHECK_STR(out.buf, "\xdb\x81\xd8\xa7\xda\xba \xdb\x8c\xd8\xa7 \xd9\x86\xdb\x81\xdb\x8c\xda\xba "
		  "\xda\x86\xd9\x86\xdb\x8c\xda\xba"); /* ہاں یا نہیں چنیں */
	sbuf_free(&out);
	form_body_free(&fb);

	CHECK(answers(s, "", &fb, &a, &why) == SV_OK);
	form_answers_only_page(s, &a, 3);
	CHECK(a.nerrors == 2);
	CHECK(a.items[age].error[0] && a.items[district].error[0] && !a.items[safe].error[0]);
	form_body_free(&fb);
	/* A page with no errors leaves none. */
	CHECK(answers(s, "feel-safe=2", &fb, &a, &why) == SV_OK);
	CHECK(a.nerrors == 4);
	form_answers_only_page(s, &a, 0);
	CHECK(a.nerrors == 0);
	for (int i = 0; i < s->nquestions; i++)
		CHECK(a.items[i].error[0] == '\0');
	form_body_free(&fb);
}

static void test_fill(void)
{
	struct sbuf b;
	struct form_var vars[] = { { "n", 4, NULL }, { "max", 3, NULL }, { "who", 99, "Ali {n} %s" },
				   { "neg", -12, NULL } };

	sbuf_init(&b, 1000);
	form_fill(&b, "Choose up to {max} \xe2\x80\x93 you chose {n}.", vars, 4);
	CHECK_STR(b.buf, "Choose up to 3 \xe2\x80\x93 you chose 4.");
	sbuf_reset(&b);
	/* A text var is copied as it is, never filled again nor read as a format. */
	form_fill(&b, "{who}/{neg}/{n}{n}", vars, 4);
	CHECK_STR(b.buf, "Ali {n} %s/-12/44");
	sbuf_reset(&b);
	/* Unknown names and lone braces stay as they are. */
	form_fill(&b, "{x} and { and {} and {{n}} and {max and }n{ end {", vars, 4);
	CHECK_STR(b.buf, "{x} and { and {} and {4} and {max and }n{ end {");
	sbuf_reset(&b);
	/* printf directives in a template (a translation) are plain text. */
	form_fill(&b, "%s%n%d %x %% {n}%n", vars, 4);
	CHECK_STR(b.buf, "%s%n%d %x %% 4%n");
	sbuf_reset(&b);
	form_fill(&b, "{n}", vars, 0);
	CHECK_STR(b.buf, "{n}");
	sbuf_reset(&b);
	form_fill(&b, "", vars, 4);
	CHECK(b.len == 0 && b.err == SV_OK);
	sbuf_free(&b);
}

static void remove_tree(void)
{
	char path[256];
	const char *files[] = { "surveys/x.json", "consultations.json", "taxonomy.json",
				"i18n/ur.json" };

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/surveys", tmpdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/i18n", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
}

/* form_catalog_add and form_survey_move: a survey goes only where its themes are. */
static void test_move(struct form_catalog *cat)
{
	char err[600] = "";
	struct form_survey *s = NULL;

	for (int i = 0; i < cat->nsurveys; i++)
		if (strcmp(cat->surveys[i]->id, "what-matters") == 0)
			s = cat->surveys[i];
	CHECK(s != NULL);
	if (!s)
		return;
	const struct form_consultation *home = s->consultation;
	/* A consultation with one priority and one theme the survey does use. */
	CHECK(form_catalog_add(cat, "small", "Small", "{\"priorities\":[{\"number\":1,\"name\":\"One\"}],"
			       "\"themes\":[{\"id\":\"bullying\",\"name\":\"Bullying\",\"priorities\":[1]}]}",
			       FORM_OPEN, err, sizeof err) == SV_OK);
	CHECK(form_catalog_add(cat, "small", "Again", "{}", FORM_OPEN, err, sizeof err) == SV_ERR_EXISTS);
	CHECK(form_catalog_add(cat, "Bad Id", "X", "{}", FORM_OPEN, err, sizeof err) == SV_ERR_INVALID);
	struct form_consultation *small = form_catalog_consultation(cat, "small");
	CHECK(small != NULL && small->status == FORM_OPEN);
	if (!small)
		return;
	CHECK(form_survey_move(s, small, err, sizeof err) == SV_ERR_INVALID);
	CHECK(strstr(err, "is not in that consultation's theme list") != NULL);
	CHECK(s->consultation == home); /* refused: it stays */

	/* A full copy of the home list (plus a theme): the move works, and
	 * answers count against the new list, by theme id. */
	struct sbuf json;
	sbuf_init(&json, 1 << 20);
	taxonomy_to_json(home->taxonomy, &json);
	CHECK(json.err == SV_OK);
	CHECK(form_catalog_add(cat, "copy", "Copy", json.buf, FORM_OPEN, err, sizeof err) == SV_OK);
	sbuf_free(&json);
	struct form_consultation *copy = form_catalog_consultation(cat, "copy");
	CHECK(copy && form_survey_move(s, copy, err, sizeof err) == SV_OK && s->consultation == copy);
	if (copy)
		CHECK(form_survey_move(s, home, err, sizeof err) == SV_OK && s->consultation == home);
}

/* ---- sealed sizes: every response of a survey seals to one length ---- */

/* n characters of kind (one UTF-8 character, given as its bytes). */
static char *repeat_char(const char *kind, int n)
{
	size_t k = strlen(kind);
	char *t = malloc(k * (size_t)n + 1);

	if (!t)
		return NULL;
	for (int i = 0; i < n; i++)
		memcpy(t + k * (size_t)i, kind, k);
	t[k * (size_t)n] = '\0';
	return t;
}

/*
 * The largest answers a survey can be sent, each free text (answers and
 * "something else" boxes) at its most characters of kind: every option of a
 * multiple choice (more than max_choices allows), the longest option id of
 * every other choice.  Texts are malloc'd into texts[]; free them.
 */
static void worst_answers(const struct form_survey *s, const char *kind,
			  struct form_answers *a, char *texts[2 * FORM_MAX_QUESTIONS])
{
	int nt = 0;

	memset(a, 0, sizeof *a);
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		struct form_answer *ans = &a->items[i];
		if (q->type == FORM_TEXT) {
			ans->value = texts[nt++] = repeat_char(kind, q->max_length);
		} else if (q->type == FORM_MULTIPLE) {
			ans->chosen = q->noptions == 32 ? UINT32_MAX : ((uint32_t)1 << q->noptions) - 1;
		} else {
			for (int k = 0; k < q->noptions; k++)
				if (!ans->value || strlen(q->options[k].id) > strlen(ans->value))
					ans->value = q->options[k].id;
		}
		if (q->other)
			ans->other_text = texts[nt++] = repeat_char(kind, FORM_MAX_OTHER);
	}
}

/* Seals a survey's payload as survey-server does; the sealed length, or 0. */
static size_t sealed_length(const struct seal_public *pk, const struct form_survey *s,
			    const struct form_answers *a, size_t *plain)
{
	struct sbuf out;
	unsigned char *box = NULL;
	size_t boxlen = 0;

	sbuf_init(&out, SEAL_MAX_PLAINTEXT);
	form_answers_payload(s, a, &out);
	*plain = out.len;
	if (out.err || seal_box_fixed(pk, out.buf, out.len, s->seal_size, &box, &boxlen))
		boxlen = 0;
	sbuf_free(&out);
	free(box);
	return boxlen;
}

static void test_sealed_sizes(const struct form_survey *s)
{
	/* An emoji (4 bytes), the characters JSON escapes (2 bytes each; '<'
	 * was 6 when written \u003c), letters of 2 and 3 bytes, plain ASCII. */
	static const char *const kinds[] = { "\xf0\x9f\x98\x80", "<", "\"", "\\", "\n", "\t",
		"\xc3\xa9", "\xe2\x82\xac", "x", ">", "&" };
	struct seal_public pk;
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	struct form_answers a;
	char *texts[2 * FORM_MAX_QUESTIONS];
	size_t worst = 0, plain;

	crypto_box_keypair(pk.pk, sk);
	memcpy(pk.id, "0123456789abcdef", sizeof pk.id);
	size_t want = s->seal_size + crypto_box_SEALBYTES;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		memset(texts, 0, sizeof texts);
		worst_answers(s, kinds[k], &a, texts);
		size_t got = sealed_length(&pk, s, &a, &plain);
		printf("  %s: %zu-byte payload of \"%s\" text seals to %zu (seal_size %zu)\n",
		       s->id, plain, kinds[k][0] == '\n' ? "\\n" : kinds[k][0] == '\t' ? "\\t" : kinds[k],
		       got, s->seal_size);
		CHECK(got == want);
		if (plain > worst)
			worst = plain;
		for (int i = 0; i < 2 * FORM_MAX_QUESTIONS; i++)
			free(texts[i]);
	}
	/* The smallest answer seals to the same length. */
	memset(&a, 0, sizeof a);
	CHECK(sealed_length(&pk, s, &a, &plain) == want);
	/* seal_size is the fewest whole blocks the worst case fits in. */
	CHECK(worst < s->seal_size && s->seal_size < worst + SEAL_PAD_BLOCK);

	/* The scrubber's markers inside the worst case: a text of emoji ending
	 * in an e-mail address (8 characters become 24 bytes) still fits ... */
	int qi = -1;
	for (int i = 0; i < s->nquestions && qi < 0; i++)
		if (s->questions[i].type == FORM_TEXT)
			qi = i;
	CHECK(qi >= 0);
	if (qi < 0)
		goto out;
	int max = s->questions[qi].max_length;
	memset(texts, 0, sizeof texts);
	worst_answers(s, "\xf0\x9f\x98\x80", &a, texts);
	char *t = (char *)a.items[qi].value;
	memcpy(t + 4 * (max - 8), " x@y.com", 9);
	CHECK(utf8_length(t, strlen(t)) == (size_t)max);
	CHECK(sealed_length(&pk, s, &a, &plain) == want);
	/* ... but a text made of little else than markers ("@a" becomes 27
	 * bytes) would not: it is refused, never sealed longer. */
	for (int i = 0; i + 3 <= max; i += 3)
		memcpy(t + i, "@a ", 3);
	t[max - max % 3] = '\0';
	CHECK(sealed_length(&pk, s, &a, &plain) == 0 && plain >= s->seal_size);
	for (int i = 0; i < 2 * FORM_MAX_QUESTIONS; i++)
		free(texts[i]);
out:
	sodium_memzero(sk, sizeof sk);
}

/* ---- versions: a survey replaced while serving ---- */

static const char lunch_v1[] =
	"{\"id\":\"lunch\",\"consultation\":\"cyp-plan-2027\",\"title\":\"Lunch\","
	"\"introduction\":\"Tell us.\",\"privacy\":\"No names.\",\"status\":\"open\","
	"\"questions\":[{\"id\":\"food\",\"type\":\"single\",\"title\":\"Food?\",\"options\":["
	"{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"]},"
	"{\"id\":\"salad\",\"label\":\"Salad\",\"themes\":[\"mental-health\"]}]},"
	"{\"id\":\"why\",\"type\":\"text\",\"title\":\"Why?\",\"required\":false}]}";

/* lunch_v1 with one edit: from is replaced by to (once). */
static char *lunch_with(const char *from, const char *to)
{
	const char *at = strstr(lunch_v1, from);
	size_t n = strlen(lunch_v1) - strlen(from) + strlen(to) + 1;
	char *text = malloc(n);

	if (!at || !text) {
		free(text);
		return NULL;
	}
	snprintf(text, n, "%.*s%s%s", (int)(at - lunch_v1), lunch_v1, to, at + strlen(from));
	return text;
}

static struct form_survey *lunch_version(const struct form_catalog *cat, const char *text, int version)
{
	struct form_survey *s = NULL;
	char err[600] = "";

	if (!text || form_survey_new(text, strlen(text), "lunch.json", version, cat, &s, err, sizeof err))
		fprintf(stderr, "  lunch version %d: %s\n", version, err);
	return s;
}

/* Successor refused with a message holding want. */
static void refused_successor(int line, const struct form_catalog *cat, const struct form_survey *prev,
			      const char *from, const char *to, const char *want)
{
	char *text = lunch_with(from, to);
	struct form_survey *next = lunch_version(cat, text, 2);
	char err[600] = "";

	CHECK(next != NULL);
	if (next && (form_survey_check_successor(prev, next, err, sizeof err) != SV_ERR_INVALID ||
		     !strstr(err, want))) {
		fprintf(stderr, "  line %d: want \"%s\", got \"%s\"\n", line, want, err);
		CHECK(0);
	}
	form_survey_free(next);
	free(text);
}

struct reader {
	const struct form_catalog *cat;
	_Atomic int stop;
	_Atomic int reads_seen;     /* set once it has read */
	int reads, went_back, broken;
};

/* Looks the survey up again and again, reading it whole each time. */
static void *read_lunch(void *arg)
{
	struct reader *r = arg;
	int last = 0;

	while (!r->stop) {
		const struct form_survey *s = form_catalog_survey(r->cat, "lunch", 5);
		if (!s || strcmp(s->id, "lunch") != 0 || s->nquestions != 2 ||
		    strcmp(s->questions[0].options[0].id, "pizza") != 0)
			r->broken++;
		else if (s->version < last)
			r->went_back++;
		else
			last = s->version;
		r->reads++;
		r->reads_seen = 1;
	}
	return NULL;
}

static void test_versions(struct form_catalog *cat)
{
	char err[600] = "";
	int before = cat->nsurveys;
	struct form_survey *v1 = lunch_version(cat, lunch_v1, 1);

	CHECK(v1 != NULL);
	if (!v1)
		return;
	CHECK(form_catalog_survey(cat, "lunch", 5) == NULL);
	CHECK(form_catalog_put(cat, v1, err, sizeof err) == SV_OK);
	CHECK(cat->nsurveys == before + 1);
	const struct form_survey *held = form_catalog_survey(cat, "lunch", 5);
	CHECK(held == v1 && held->version == 1);

	/* An answer under version 1, and its payload (no "version": it is 1). */
	struct form_answers a1, a2;
	struct form_body fb1, fb2, fb3;
	const char *why;
	CHECK(answers(held, "food=pizza", &fb1, &a1, &why) == SV_OK && a1.nerrors == 0);
	struct sbuf p1;
	sbuf_init(&p1, 64 * 1024);
	form_answers_payload(held, &a1, &p1);
	CHECK(p1.buf && strcmp(p1.buf, "{\"v\":1,\"survey\":\"lunch\",\"answers\":{\"food\":\"pizza\"}}") == 0);
	sbuf_free(&p1);

	/* Removing what was answered is refused, with what to do instead. */
	refused_successor(__LINE__, cat, held, "{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"]},", "",
			  "option \"pizza\" of question \"food\" was removed, but answers were given to it: "
			  "keep it with \"hidden\": true instead");
	refused_successor(__LINE__, cat, held, ",{\"id\":\"why\",\"type\":\"text\",\"title\":\"Why?\",\"required\":false}", "",
			  "question \"why\" was removed");
	refused_successor(__LINE__, cat, held, "\"id\":\"food\",\"type\":\"single\"", "\"id\":\"food\",\"type\":\"multiple\"",
			  "question \"food\" changed its type");
	refused_successor(__LINE__, cat, held, "\"themes\":[\"sport-activity\"]", "\"themes\":[\"knife-crime\"]",
			  "theme \"sport-activity\" was taken from option \"pizza\"");
	/* Every option hidden is a mistake of the definition itself. */
	char *all_hidden = lunch_with("\"id\":\"food\",\"type\":\"single\",\"title\":\"Food?\",\"options\":["
		"{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"]},"
		"{\"id\":\"salad\",\"label\":\"Salad\",\"themes\":[\"mental-health\"]}]",
		"\"id\":\"food\",\"type\":\"single\",\"title\":\"Food?\",\"options\":["
		"{\"id\":\"pizza\",\"label\":\"Pizza\",\"hidden\":true},{\"id\":\"salad\",\"label\":\"Salad\",\"hidden\":true}]");
	struct form_survey scratch;
	CHECK(all_hidden && form_survey_parse(all_hidden, strlen(all_hidden), "lunch.json", cat, &scratch,
					      err, sizeof err) == SV_ERR_INVALID);
	CHECK(strstr(err, "lunch.json: questions[0].options: every option is hidden") != NULL);
	free(all_hidden);

	/* Version 2: pizza hidden, soup added, a theme added to salad. */
	char *text2 = lunch_with("{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"]},"
				 "{\"id\":\"salad\",\"label\":\"Salad\",\"themes\":[\"mental-health\"]}",
				 "{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"],\"hidden\":true},"
				 "{\"id\":\"salad\",\"label\":\"Salad\",\"themes\":[\"mental-health\",\"knife-crime\"]},"
				 "{\"id\":\"soup\",\"label\":\"Soup\",\"themes\":[\"mental-health\"]}");
	struct form_survey *v2 = lunch_version(cat, text2, 2);
	free(text2);
	CHECK(v2 != NULL);
	if (!v2)
		return;
	CHECK(form_survey_check_successor(held, v2, err, sizeof err) == SV_OK);
	/* The export's columns under version 2 hold every one of version 1. */
	struct sbuf f1, f2;
	sbuf_init(&f1, 64 * 1024);
	sbuf_init(&f2, 64 * 1024);
	form_survey_fields(held, &f1);
	form_survey_fields(v2, &f2);
	CHECK(f1.buf && f2.buf && strstr(f2.buf, "{\"id\":\"pizza\",\"label\":\"Pizza\",\"themes\":[\"sport-activity\"]}"));
	sbuf_free(&f1);
	sbuf_free(&f2);

	/* Replaced while a reader holds version 1: it stays whole. */
	struct reader r = { .cat = cat };
	pthread_t th;
	CHECK(pthread_create(&th, NULL, read_lunch, &r) == 0);
	for (int spin = 0; spin < 2000 && r.reads_seen == 0; spin++)
		usleep(1000); /* until it reads (2 s at most) */
	CHECK(form_catalog_put(cat, v2, err, sizeof err) == SV_OK);
	for (int k = 3; k < 60; k++) {
		char *again = lunch_with("\"title\":\"Lunch\"", "\"title\":\"Lunch again\"");
		struct form_survey *vk = lunch_version(cat, again, k);
		free(again);
		CHECK(vk && form_catalog_put(cat, vk, err, sizeof err) == SV_OK);
	}
	r.stop = 1;
	pthread_join(th, NULL);
	printf("  a reader looked the survey up %d times while 58 versions replaced it\n", r.reads);
	CHECK(r.reads > 0);
	CHECK(r.broken == 0 && r.went_back == 0);
	CHECK(cat->nsurveys == before + 1);
	const struct form_survey *now = form_catalog_survey(cat, "lunch", 5);
	CHECK(now && now->version == 59);
	CHECK(held->version == 1 && strcmp(held->questions[0].options[0].id, "pizza") == 0 &&
	      !held->questions[0].options[0].hidden);
	CHECK(v2->questions[0].options[0].hidden);

	/* Under version 2 pizza is no longer offered; soup is, and its payload
	 * says its version. */
	/* A form shown before version 2 may still send pizza: chosen again. */
	CHECK(answers(v2, "food=pizza", &fb2, &a2, &why) == SV_OK && a2.nerrors == 1);
	CHECK(strcmp(a2.items[0].error, "That answer is no longer offered \xe2\x80\x93 please choose another") == 0);
	CHECK(a2.items[0].value == NULL);
	form_body_free(&fb2);
	CHECK(answers(v2, "food=nachos", &fb2, &a2, &why) == SV_ERR_INVALID);
	form_body_free(&fb2);
	CHECK(answers(v2, "food=soup", &fb2, &a2, &why) == SV_OK && a2.nerrors == 0);
	struct sbuf p2;
	sbuf_init(&p2, 64 * 1024);
	form_answers_payload(v2, &a2, &p2);
	CHECK(p2.buf && strcmp(p2.buf, "{\"v\":1,\"survey\":\"lunch\",\"version\":2,\"answers\":{\"food\":\"soup\"}}") == 0);
	CHECK(p2.len < v2->seal_size);
	sbuf_free(&p2);
	/* The themes each version's answer raised: counted as answered. */
	int themes[TAXONOMY_MAX_THEMES];
	const struct taxonomy *tax = held->consultation->taxonomy;
	CHECK(form_answers_themes(held, tax, &a1, themes) == 1 &&
	      themes[0] == taxonomy_theme_index(tax, "sport-activity"));
	CHECK(form_answers_themes(v2, tax, &a2, themes) == 1 &&
	      themes[0] == taxonomy_theme_index(tax, "mental-health"));

	/* A hidden question is never shown, and its field is not read. */
	char *hidden_q = lunch_with("\"title\":\"Why?\",", "\"title\":\"Why?\",\"hidden\":true,");
	struct form_survey *v3 = lunch_version(cat, hidden_q, 3);
	free(hidden_q);
	CHECK(v3 != NULL);
	if (v3) {
		struct form_answers a3;
		CHECK(answers(v3, "food=salad&why=because", &fb3, &a3, &why) == SV_OK);
		CHECK(!form_question_shown(v3, &a3, 1) && a3.items[1].value == NULL);
		/* ... and no step asks it, with answers or without. */
		struct flow_step first = { 0, 0 };
		CHECK(flow_on_step(v3, NULL, first, 0) && !flow_on_step(v3, NULL, first, 1));
		CHECK(!flow_on_step(v3, &a3, first, 1) && !flow_is_follow_up(v3, 1));
		form_body_free(&fb3);
		form_survey_free(v3);
	}
	form_body_free(&fb1);
	form_body_free(&fb2);
}

/*
 * form_taxonomy_merge: an edited theme takes its name, priorities and seed
 * words over forms/'s, but one stored before themes had seed words (no
 * "seeds") keeps forms/'s, and a theme only in the edit is added.
 */
static void test_taxonomy_merge(void)
{
	const char *base = "{\"priorities\":[{\"number\":1,\"name\":\"One\"}],\"themes\":["
		"{\"id\":\"a\",\"name\":\"A\",\"priorities\":[1],\"seeds\":[\"bus\",\"fare\"]},"
		"{\"id\":\"b\",\"name\":\"B\",\"priorities\":[1],\"seeds\":[\"gym\"]}]}";
	const char *edited = "{\"priorities\":[{\"number\":1,\"name\":\"One\"}],\"themes\":["
		"{\"id\":\"a\",\"name\":\"Buses\",\"priorities\":[1]},"
		"{\"id\":\"b\",\"name\":\"B\",\"priorities\":[1],\"seeds\":[\"pool\"]},"
		"{\"id\":\"c\",\"name\":\"C\",\"priorities\":[1]}]}";
	char *out = NULL, err[300] = "";
	struct taxonomy *t = NULL;

	CHECK(form_taxonomy_merge(base, edited, &out) == SV_OK);
	CHECK(out && taxonomy_parse(out, strlen(out), "merged", &t, err, sizeof err) == SV_OK);
	if (t) {
		CHECK(t->nthemes == 3);
		CHECK_STR(t->themes[0].name, "Buses");
		CHECK(t->themes[0].nseeds == 2);
		if (t->themes[0].nseeds == 2)
			CHECK_STR(t->themes[0].seeds[1], "fare");
		CHECK(t->themes[1].nseeds == 1);
		if (t->themes[1].nseeds == 1)
			CHECK_STR(t->themes[1].seeds[0], "pool");
		CHECK(t->themes[2].nseeds == 0);
	}
	taxonomy_free(t);
	free(out);
}

int main(void)
{
	struct form_catalog *cat = NULL;
	char err[600] = "";
	size_t len;
	char tmpl[] = "/tmp/yv-form-XXXXXX";

	CHECK(scrub_init() == SV_OK); /* payloads scrub their free text */
	CHECK(form_catalog_load("forms", &cat, err, sizeof err) == SV_OK);
	if (!cat) {
		fprintf(stderr, "  cannot load forms/ (run from the repository root): %s\n", err);
		return CHECK_DONE();
	}
	test_real_catalog(cat);
	const struct form_survey *s = form_catalog_survey(cat, "what-matters", 12);
	if (s) {
		test_answers(s);
		test_text_length(s);
		test_malformed(s);
		test_themes(cat, s);
		test_payload(s);
		test_sealed_sizes(s);
	}
	test_your_area_catalog(cat);
	const struct form_survey *ya = form_catalog_survey(cat, "your-area", 9);
	test_builtin_and_status(cat, ya);
	test_show_if_chain(cat);
	if (ya) {
		test_your_area_answers(ya);
		test_your_area_payload(ya);
		test_sealed_sizes(ya);
		test_only_page(ya);
	}
	test_fill();
	test_taxonomy_merge();
	test_move(cat);
	test_versions(cat);
	form_catalog_free(cat);

	CHECK(files_read_all("forms/taxonomy.json", 1024 * 1024, &taxonomy_text, &len) == SV_OK);
	if (taxonomy_text && mkdtemp(tmpl)) {
		snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
		test_broken();
		test_broken_new();
		remove_tree();
		CHECK(!files_exist(tmpdir));
	}
	free(taxonomy_text);
	scrub_free();
	return CHECK_DONE();
}
