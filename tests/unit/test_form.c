/*
 * test_form.c - forms/form: the real forms folder loads (survey "what-matters",
 * its questions, "prefer-not-to-say" added to personal questions); broken
 * definitions in a temp forms folder are refused with "file: path: problem";
 * reading answers from a decoded body (valid, missing, too many choices, too
 * long, not an option, answered twice); the themes and priorities answers
 * raise; and the sealed payload as JSON.  Run from the repository root.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../core/files.h"
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
	CHECK(s->nquestions == 5);
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
	refused(__LINE__, SURVEY_HEAD Q_OK, "(top level)", "not valid JSON");
	refused(__LINE__, "{\"id\": \"x\",\n\"title\": oops}", "(top level)", "not valid JSON (near line 2)");
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
	strcpy(body, head);
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
	int n = form_answers_themes(s, &a, themes);
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
	CHECK(form_answers_themes(s, &a, themes) == 0);
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
	n = form_answers_themes(&dup, &a, themes);
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
	CHECK(out.buf && strstr(out.buf, "</script>") == NULL); /* '<' escaped */
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

static void remove_tree(void)
{
	char path[256];
	const char *files[] = { "surveys/x.json", "consultations.json", "taxonomy.json" };

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/surveys", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
}

int main(void)
{
	struct form_catalog *cat = NULL;
	char err[600] = "";
	size_t len;
	char tmpl[] = "/tmp/yv-form-XXXXXX";

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
	}
	form_catalog_free(cat);

	CHECK(files_read_all("forms/taxonomy.json", 1024 * 1024, &taxonomy_text, &len) == SV_OK);
	if (taxonomy_text && mkdtemp(tmpl)) {
		snprintf(tmpdir, sizeof tmpdir, "%s", tmpl);
		test_broken();
		remove_tree();
		CHECK(!files_exist(tmpdir));
	}
	free(taxonomy_text);
	return CHECK_DONE();
}
