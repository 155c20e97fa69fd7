/*
 * test_survey_store.c - core/store's survey versions (store_survey.c,
 * schema 20), on SQLite and, when YV_TEST_DB names one (tests/pg/pg.sh),
 * on PostgreSQL: drafts replaced in place, published versions kept,
 * numbers growing; a file's text added as the next published version,
 * and the same text again adding none; the newest version of each survey
 * listed; a survey's answer count from the counters.  Two stores on one
 * database, as two servers, racing (2 threads x RACES tries; on SQLite two
 * threads of one store, as one file has one server): the same draft
 * published from both gives one published version and one SV_ERR_NOTFOUND;
 * a file's new text added from both at once is one new version, not two;
 * a draft saved while it is published never changes the published text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/store.h"
#include "check.h"
#include "check_db.h"
#include "check_race.h"

#define CONS "cyp-plan-2027"
#define RACES 50

static char dir[64];

/* Survey versions: drafts replaced in place, published ones kept, numbers
 * growing; the survey's answer count from the counters. */
static void test_survey_versions(struct store *st)
{
	struct store_survey_version v;
	int version = 0;
	long long n = -1;

	CHECK(store_survey_version_get(st, "lunch", 0, &v) == SV_ERR_NOTFOUND);
	CHECK(store_survey_draft_save(st, "lunch", CONS, "{\"a\":1}", "cleo", &version) == SV_OK);
	CHECK(version == 1);
	CHECK(store_survey_draft_save(st, "lunch", CONS, "{\"a\":2}", "cleo", &version) == SV_OK);
	CHECK(version == 1); /* a draft saved again is the same version */
	CHECK(store_survey_version_get(st, "lunch", 1, &v) == SV_ERR_NOTFOUND);
	CHECK(store_survey_version_get(st, "lunch", 0, &v) == SV_OK);
	CHECK(v.version == 1 && !v.published && strcmp(v.source, "staff") == 0);
	CHECK_STR(v.definition, "{\"a\":2}");
	CHECK_STR(v.who, "cleo");
	CHECK(strlen(v.day) == 10);
	free(v.definition);
	CHECK(store_survey_publish(st, "lunch", 2, "cleo") == SV_ERR_NOTFOUND);
	CHECK(store_survey_publish(st, "lunch", 1, "dana") == SV_OK);
	CHECK(store_survey_publish(st, "lunch", 1, "dana") == SV_ERR_NOTFOUND); /* once */
	CHECK(store_survey_version_get(st, "lunch", 1, &v) == SV_OK);
	CHECK(v.version == 1 && v.published);
	CHECK_STR(v.who, "dana");
	free(v.definition);
	/* After a published version, a draft is the next one. */
	CHECK(store_survey_draft_save(st, "lunch", CONS, "{\"a\":3}", "cleo", &version) == SV_OK);
	CHECK(version == 2);
	CHECK(store_survey_version_get(st, "lunch", 1, &v) == SV_OK);
	CHECK(v.version == 1);
	CHECK_STR(v.definition, "{\"a\":2}"); /* respondents still get version 1 */
	free(v.definition);
	CHECK(store_survey_version_get(st, "lunch", 0, &v) == SV_OK);
	CHECK(v.version == 2 && !v.published);
	free(v.definition);
	/* A file's new text: the next published version. */
	CHECK(store_survey_version_add(st, "from-file", CONS, "file", "{}", "forms/", &version) == SV_OK);
	CHECK(version == 1);
	CHECK(store_survey_version_add(st, "from-file", CONS, "file", "{ }", "forms/", &version) == SV_OK);
	CHECK(version == 2);
	CHECK(store_survey_version_get(st, "from-file", 1, &v) == SV_OK);
	CHECK(v.version == 2 && v.published && strcmp(v.source, "file") == 0);
	free(v.definition);
	/* The same text again (another server starting with the same file):
	 * the version already there, none added. */
	CHECK(store_survey_version_add(st, "from-file", CONS, "file", "{ }", "forms/", &version) == SV_OK);
	CHECK(version == 2);
	/* ... but the text of an older version is a new one. */
	CHECK(store_survey_version_add(st, "from-file", CONS, "file", "{}", "forms/", &version) == SV_OK);
	CHECK(version == 3);
	/* A draft of the same text is no published version: a new one. */
	CHECK(store_survey_draft_save(st, "drafted", CONS, "{}", "cleo", &version) == SV_OK && version == 1);
	CHECK(store_survey_version_add(st, "drafted", CONS, "file", "{}", "forms/", &version) == SV_OK);
	CHECK(version == 2);
	CHECK(store_survey_answered(st, "from-file", &n) == SV_OK);
	CHECK(n == 0);
	CHECK(store_survey_answered(st, "what-matters", &n) == SV_OK);
	CHECK(n == 2); /* main stored two */
}

struct listed { char text[512]; };

static void on_version(void *arg, const struct store_survey_version *v)
{
	struct listed *l = arg;
	size_t n = strlen(l->text);

	snprintf(l->text + n, sizeof l->text - n, "%s:%d:%d:%s:%s ", v->survey, v->version,
		 v->published, v->source, v->definition ? "definition" : "-");
}

/* The newest version of each survey, by consultation then id. */
static void test_each(struct store *st)
{
	struct listed l = { "" };
	int version = 0;

	CHECK(store_survey_draft_save(st, "another", "a-consultation", "{}", "eve", &version) == SV_OK);
	CHECK(store_survey_version_each(st, on_version, &l) == SV_OK);
	CHECK_STR(l.text, "another:1:0:staff:- drafted:2:1:file:- from-file:3:1:file:- "
		  "lunch:2:0:staff:- ");
}

/* ---- two stores on one database ---- */

/* One side of a race: its store, and what each try gave. */
struct side {
	struct check_side c;        /* first */
	enum sv_err rc[RACES];
	int version[RACES];
};

/* Both publish version 1 of survey pub-N. */
static void *publish_twice(void *arg)
{
	struct side *s = arg;
	char id[32];

	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "pub-%d", i);
		pthread_barrier_wait(s->c.start);
		s->rc[i] = store_survey_publish(s->c.st, id, 1, s->c.which ? "bo" : "al");
	}
	return NULL;
}

/* Both add the same new text of file-N (as two servers starting). */
static void *add_twice(void *arg)
{
	struct side *s = arg;
	char id[32], text[64];

	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "file-%d", i);
		snprintf(text, sizeof text, "{\"changed\": %d}", i);
		pthread_barrier_wait(s->c.start);
		s->rc[i] = store_survey_version_add(s->c.st, id, CONS, "file", text, "forms/",
						    &s->version[i]);
	}
	return NULL;
}

/* One publishes draft dp-N's version 1 while the other saves it again. */
static void *publish_or_save(void *arg)
{
	struct side *s = arg;
	char id[32];

	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "dp-%d", i);
		pthread_barrier_wait(s->c.start);
		if (s->c.which == 0)
			s->rc[i] = store_survey_publish(s->c.st, id, 1, "al");
		else
			s->rc[i] = store_survey_draft_save(s->c.st, id, CONS, "{\"saved\": 2}", "bo",
							   &s->version[i]);
	}
	return NULL;
}

/* 1 if survey's newest version is number want, published as asked, with
 * definition def. */
static int newest_is(struct store *st, const char *survey, int want, int published, const char *def)
{
	struct store_survey_version v;

	if (store_survey_version_get(st, survey, 0, &v) != SV_OK)
		return 0;
	int ok = v.version == want && v.published == published && strcmp(v.definition, def) == 0;
	free(v.definition);
	return ok;
}

static void test_races(struct store *st)
{
	static struct side s[2];
	struct store *other = check_other_store(dir, st);
	char id[32];
	int version = 0, ready = 0;

	if (!other)
		return;
	/* The same draft published from two servers at once: published once. */
	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "pub-%d", i);
		ready += store_survey_draft_save(st, id, CONS, "{\"d\": 1}", "cleo", &version) == SV_OK &&
			version == 1;
	}
	CHECK(ready == RACES);
	check_race(st, other, publish_twice, s, sizeof *s);
	int once = 0, one_version = 0;
	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "pub-%d", i);
		once += (s[0].rc[i] == SV_OK && s[1].rc[i] == SV_ERR_NOTFOUND) ||
			(s[1].rc[i] == SV_OK && s[0].rc[i] == SV_ERR_NOTFOUND);
		one_version += newest_is(other, id, 1, 1, "{\"d\": 1}");
	}
	CHECK(once == RACES);
	CHECK(one_version == RACES);

	/* A file's new text added from two servers at once: one new version. */
	ready = 0;
	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "file-%d", i);
		ready += store_survey_version_add(st, id, CONS, "file", "{}", "forms/", &version) == SV_OK &&
			version == 1;
	}
	CHECK(ready == RACES);
	check_race(st, other, add_twice, s, sizeof *s);
	int both = 0, two = 0;
	for (int i = 0; i < RACES; i++) {
		char text[64];
		snprintf(id, sizeof id, "file-%d", i);
		snprintf(text, sizeof text, "{\"changed\": %d}", i);
		both += s[0].rc[i] == SV_OK && s[1].rc[i] == SV_OK && s[0].version[i] == 2 &&
			s[1].version[i] == 2;
		two += newest_is(st, id, 2, 1, text);
	}
	CHECK(both == RACES);
	CHECK(two == RACES);

	/* A draft saved while another server publishes it: the published text
	 * is the one that was the draft when it was published, never changed
	 * after; the save is either before it (version 1) or after (2). */
	ready = 0;
	for (int i = 0; i < RACES; i++) {
		snprintf(id, sizeof id, "dp-%d", i);
		ready += store_survey_draft_save(st, id, CONS, "{\"saved\": 1}", "cleo", &version) == SV_OK;
	}
	CHECK(ready == RACES);
	check_race(st, other, publish_or_save, s, sizeof *s);
	int published = 0, ordered = 0;
	for (int i = 0; i < RACES; i++) {
		struct store_survey_version v;
		snprintf(id, sizeof id, "dp-%d", i);
		published += s[0].rc[i] == SV_OK && s[1].rc[i] == SV_OK;
		if (store_survey_version_get(other, id, 1, &v) != SV_OK)
			continue;
		if (s[1].version[i] == 1)       /* saved, then published */
			ordered += v.version == 1 && strcmp(v.definition, "{\"saved\": 2}") == 0 &&
				newest_is(st, id, 1, 1, "{\"saved\": 2}");
		else if (s[1].version[i] == 2)  /* published, then a new draft */
			ordered += v.version == 1 && strcmp(v.definition, "{\"saved\": 1}") == 0 &&
				newest_is(st, id, 2, 0, "{\"saved\": 2}");
		free(v.definition);
	}
	CHECK(published == RACES);
	CHECK(ordered == RACES);
	if (other != st)
		store_close(other);
}

int main(void)
{
	struct store *st = NULL;

	snprintf(dir, sizeof dir, "/tmp/yv-survey-store-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	CHECK(check_store_open(dir, &st) == SV_OK);
	if (st) {
		static const unsigned char sealed[] = { 0x00, 0x01, 0xfe, 0xff };
		struct store_response r = { .consultation = CONS, .survey = "what-matters",
					    .day = "2026-11-22", .key_id = "0123456789abcdef",
					    .sealed = sealed, .sealed_len = sizeof sealed };
		CHECK(store_consultation_put(st, CONS, "Plan", "{}") == SV_OK);
		CHECK(store_response_insert(st, &r) == SV_OK);
		CHECK(store_response_insert(st, &r) == SV_OK);
		test_survey_versions(st);
		test_each(st);
		test_races(st);
		store_close(st);
	}
	check_remove_dir(dir);
	printf("# %s\n", check_on_postgres() ? "PostgreSQL" : "SQLite");
	return CHECK_DONE();
}
