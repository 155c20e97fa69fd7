/*
 * test_analysis_store.c - core/store's analysts' codes (store_analysis.c,
 * schema 23): a code counted once per theme and priority; a recode gives
 * back exactly the old counts and adds the new; an uncode gives back all;
 * a save over a code the caller did not open is refused (SV_ERR_EXISTS)
 * and changes nothing; counts never go below zero (a give-back of what was
 * never counted is refused, nothing changed); the second pass is kept but
 * never counted; only responses of the consultation can be coded; the code
 * is kept only as its sealed bytes, with a day and no time; one response
 * read back by id (store_response_one); two analysts coding the same answer
 * at once, then recoding it at once (two stores on one database, as two
 * servers on PostgreSQL or two processes on SQLite): one of each pair wins,
 * the other is refused, and the counts are those of the winners; and
 * migration 23 on a database of schema 22 (SQLite only).  Runs on
 * PostgreSQL too (tests/pg/pg.sh, check_store_open).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/store.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"
#define OTHER "other-2027"

static char dir[64];

/* Runs SQL behind the store's back, on whichever database the test runs
 * on.  0 if it ran, -1 if not. */
static int poke(const char *sql)
{
	struct db *db = NULL;
	int rc;

	if (!check_on_postgres())
		return check_db_exec(dir, sql);
	if (db_open(getenv("YV_TEST_DB"), 0, &db))
		return -1;
	rc = db_exec(db, sql) ? -1 : 0;
	db_close(db);
	return rc;
}

struct counts {
	char theme[8][32];
	long long tc[8];
	int nt;
	int prio[8];
	long long pc[8];
	int np;
};

static void on_theme(void *arg, const char *theme, long long n)
{
	struct counts *c = arg;
	if (c->nt < 8) {
		snprintf(c->theme[c->nt], sizeof c->theme[0], "%s", theme);
		c->tc[c->nt++] = n;
	}
}

static void on_prio(void *arg, int p, long long n)
{
	struct counts *c = arg;
	if (c->np < 8) {
		c->prio[c->np] = p;
		c->pc[c->np++] = n;
	}
}

static struct counts read_counts(struct store *st)
{
	struct counts c;
	memset(&c, 0, sizeof c);
	CHECK(store_analysis_theme_counts(st, CONS, on_theme, &c) == SV_OK);
	CHECK(store_analysis_priority_counts(st, CONS, on_prio, &c) == SV_OK);
	return c;
}

static long long theme_count(const struct counts *c, const char *theme)
{
	for (int i = 0; i < c->nt; i++)
		if (strcmp(c->theme[i], theme) == 0)
			return c->tc[i];
	return -1;   /* never counted */
}

static long long prio_count(const struct counts *c, int p)
{
	for (int i = 0; i < c->np; i++)
		if (c->prio[i] == p)
			return c->pc[i];
	return -1;
}

/* A response of consultation cons; its id as store_response_each gives it. */
static long long one_response(struct store *st, const char *cons);

struct got { long long id; int n; };
static void on_response(void *arg, const struct store_sealed *r)
{
	struct got *g = arg;
	g->id = r->id;
	g->n++;
}

static long long one_response(struct store *st, const char *cons)
{
	static const unsigned char box[64] = { 1, 2, 3 };
	struct store_response r = { .consultation = cons, .survey = "s1", .day = "2026-11-30",
				    .key_id = "0123456789abcdef", .sealed = box,
				    .sealed_len = sizeof box };
	struct got g = { 0, 0 };
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_each(st, cons, on_response, &g) == SV_OK && g.n >= 1);
	return g.id;
}

struct seen { int n; int pass[8]; char analyst[8][16]; char day[8][11]; unsigned char first[8]; size_t len[8]; };
static void on_code(void *arg, const struct store_sealed_code *c)
{
	struct seen *s = arg;
	if (s->n < 8) {
		s->pass[s->n] = c->pass;
		snprintf(s->analyst[s->n], sizeof s->analyst[0], "%s", c->analyst);
		snprintf(s->day[s->n], sizeof s->day[0], "%s", c->day);
		s->first[s->n] = c->sealed_len ? c->sealed[0] : 0;
		s->len[s->n] = c->sealed_len;
		s->n++;
	}
}

static void test_codes(struct store *st)
{
	long long id = one_response(st, CONS);
	unsigned char box1[100], box2[100], box3[100];
	memset(box1, 0xA1, sizeof box1);
	memset(box2, 0xB2, sizeof box2);
	memset(box3, 0xC3, sizeof box3);
	const char *t1[] = { "sport", "safety" }, *t2[] = { "safety", "buses" };
	int p1[] = { 2, 5 }, p2[] = { 5, 3 };
	struct store_code a = { .consultation = CONS, .response = id, .question = "q-text",
				.pass = STORE_PASS_MAIN, .analyst = "ana", .key_id = "0123456789abcdef",
				.sealed = box1, .sealed_len = sizeof box1, .themes = t1, .nthemes = 2,
				.priorities = p1, .npriorities = 2 };
	struct counts c;

	/* Coded: each theme and priority counted once. */
	CHECK(store_analysis_code(st, &a, NULL) == SV_OK);
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 1 && theme_count(&c, "safety") == 1);
	CHECK(prio_count(&c, 2) == 1 && prio_count(&c, 5) == 1);
	/* Coding it again as if new is refused: counted once. */
	CHECK(store_analysis_code(st, &a, NULL) == SV_ERR_EXISTS);
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 1 && prio_count(&c, 5) == 1);

	/* Recoded: the old given back exactly, the new added. */
	struct store_code b = a;
	b.sealed = box2;
	b.themes = t2;
	b.priorities = p2;
	CHECK(store_analysis_code(st, &b, &a) == SV_OK);
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 0 && theme_count(&c, "safety") == 1 &&
	      theme_count(&c, "buses") == 1);
	CHECK(prio_count(&c, 2) == 0 && prio_count(&c, 5) == 1 && prio_count(&c, 3) == 1);
	/* A save over the old box (someone else saved since) is refused, and
	 * nothing changes. */
	struct store_code stale = a;
	stale.sealed = box3;
	CHECK(store_analysis_code(st, &stale, &a) == SV_ERR_EXISTS);
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 0 && theme_count(&c, "buses") == 1);

	/* The second pass on the same answer: kept, never counted. */
	struct store_code second = a;
	second.pass = STORE_PASS_SECOND;
	second.analyst = "bea";
	second.sealed = box3;
	CHECK(store_analysis_code(st, &second, NULL) == SV_OK);
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 0 && theme_count(&c, "safety") == 1 && prio_count(&c, 2) == 0);
	struct seen s;
	memset(&s, 0, sizeof s);
	CHECK(store_analysis_each(st, CONS, 0, on_code, &s) == SV_OK && s.n == 2);
	CHECK(s.pass[0] == 1 && s.pass[1] == 2 && strcmp(s.analyst[1], "bea") == 0);
	CHECK(s.first[0] == 0xB2 && s.len[0] == sizeof box2 && s.first[1] == 0xC3);
	CHECK(strlen(s.day[0]) == 10 && s.day[0][4] == '-');   /* a day, no time */
	memset(&s, 0, sizeof s);
	CHECK(store_analysis_each(st, CONS, STORE_PASS_SECOND, on_code, &s) == SV_OK && s.n == 1);
	/* A second-pass uncode gives back nothing. */
	CHECK(store_analysis_uncode(st, &second) == SV_OK);
	c = read_counts(st);
	CHECK(theme_count(&c, "safety") == 1 && theme_count(&c, "buses") == 1);

	/* Never below zero: giving back a theme that was never counted fails
	 * the whole change. */
	struct store_code liar = b;
	const char *t3[] = { "safety", "never-counted" };
	liar.themes = t3;
	struct store_code next = b;
	next.sealed = box1;
	next.nthemes = 0;
	next.npriorities = 0;
	CHECK(store_analysis_code(st, &next, &liar) == SV_ERR_DB);
	c = read_counts(st);
	CHECK(theme_count(&c, "safety") == 1 && theme_count(&c, "buses") == 1 &&
	      theme_count(&c, "never-counted") == -1);
	/* A theme or priority given twice is refused before SQL. */
	const char *twice[] = { "sport", "sport" };
	next.themes = twice;
	next.nthemes = 2;
	CHECK(store_analysis_code(st, &next, &b) == SV_ERR_INVALID);

	/* Uncoded: everything given back, to zero and no lower. */
	CHECK(store_analysis_uncode(st, &b) == SV_OK);
	c = read_counts(st);
	CHECK(theme_count(&c, "safety") == 0 && theme_count(&c, "buses") == 0 && theme_count(&c, "sport") == 0);
	CHECK(prio_count(&c, 5) == 0 && prio_count(&c, 3) == 0 && prio_count(&c, 2) == 0);
	CHECK(store_analysis_uncode(st, &b) == SV_ERR_NOTFOUND);
	/* A counter at zero cannot be taken lower, even by a caller who
	 * claims an old code: the row is gone, so nothing matches. */
	CHECK(store_analysis_code(st, &b, &b) == SV_ERR_NOTFOUND);
	c = read_counts(st);
	CHECK(theme_count(&c, "safety") == 0);
	CHECK(poke("UPDATE analysis_theme_counts SET count = -1") == -1);

	/* Only the consultation's own responses. */
	long long other = one_response(st, OTHER);
	struct store_code wrong = a;
	wrong.response = other;
	CHECK(store_analysis_code(st, &wrong, NULL) == SV_ERR_NOTFOUND);
	wrong.response = 12345;
	CHECK(store_analysis_code(st, &wrong, NULL) == SV_ERR_NOTFOUND);
	/* One response read back by its id, only in its consultation. */
	struct got g = { 0, 0 };
	CHECK(store_response_one(st, CONS, id, on_response, &g) == SV_OK && g.n == 1 && g.id == id);
	CHECK(store_response_one(st, OTHER, id, on_response, &g) == SV_ERR_NOTFOUND && g.n == 1);
	CHECK(store_response_one(st, CONS, 12345, on_response, &g) == SV_ERR_NOTFOUND);
	/* Recode, recode back, many times: the counts follow exactly. */
	CHECK(store_analysis_code(st, &a, NULL) == SV_OK);
	for (int i = 0; i < 5; i++) {
		CHECK(store_analysis_code(st, &b, &a) == SV_OK);
		CHECK(store_analysis_code(st, &a, &b) == SV_OK);
	}
	c = read_counts(st);
	CHECK(theme_count(&c, "sport") == 1 && theme_count(&c, "safety") == 1 &&
	      theme_count(&c, "buses") == 0);
	CHECK(prio_count(&c, 2) == 1 && prio_count(&c, 5) == 1 && prio_count(&c, 3) == 0);
}

/* ---- two analysts at once ---- */

#define RACE_TRIES 50

struct racer {
	struct store *st;
	long long response;
	int who;                          /* 0 or 1 */
	pthread_barrier_t *go;
	enum sv_err coded[RACE_TRIES], recoded[RACE_TRIES];
	struct racer *rival;
};

/* What analyst who saves for question i, in phase 1 (a first code) or 2
 * (a recode): its own box, a theme both give and one of its own, and a
 * priority per phase. */
struct race_code {
	char question[24];
	unsigned char box[48];
	const char *themes[2];
	int priorities[1];
	struct store_code c;
};

static void race_code(struct race_code *r, const struct racer *w, int who, int i, int phase)
{
	static const char *const own[2][2] = { { "a-only", "b-only" }, { "a2", "b2" } };

	snprintf(r->question, sizeof r->question, "race-%d", i);
	memset(r->box, 0x10 * (phase + 1) + who, sizeof r->box);
	r->themes[0] = phase == 1 ? "race" : "race2";
	r->themes[1] = own[phase - 1][who];
	r->priorities[0] = 40 + phase;
	r->c = (struct store_code){ .consultation = CONS, .response = w->response,
				    .question = r->question, .pass = STORE_PASS_MAIN,
				    .analyst = who ? "bea" : "ana", .key_id = "0123456789abcdef",
				    .sealed = r->box, .sealed_len = sizeof r->box, .themes = r->themes,
				    .nthemes = 2, .priorities = r->priorities, .npriorities = 1 };
}

static void *race(void *arg)
{
	struct racer *w = arg;
	struct race_code mine, was;

	for (int i = 0; i < RACE_TRIES; i++) {
		/* Both code the same answer, new, at once. */
		race_code(&mine, w, w->who, i, 1);
		pthread_barrier_wait(w->go);
		w->coded[i] = store_analysis_code(w->st, &mine.c, NULL);
		/* Both recode it at once from the code that won, as each
		 * opened it. */
		pthread_barrier_wait(w->go);
		int winner = w->coded[i] == SV_OK ? w->who : w->rival->who;
		race_code(&was, w, winner, i, 1);
		race_code(&mine, w, w->who, i, 2);
		pthread_barrier_wait(w->go);
		w->recoded[i] = store_analysis_code(w->st, &mine.c, &was.c);
	}
	return NULL;
}

static void on_raced(void *arg, const struct store_sealed_code *c)
{
	*(int *)arg += strncmp(c->question, "race-", 5) == 0;
}

static void test_race(struct store *st)
{
	struct store *other = NULL;
	pthread_barrier_t go;
	static struct racer w[2];
	pthread_t t[2];

	/* A second store on the same database, as a second server opens it
	 * (on SQLite: as a second process on the same file would). */
	CHECK((check_on_postgres() ? store_open_url(dir, getenv("YV_TEST_DB"), &other) :
	       store_open(dir, &other)) == SV_OK);
	long long id = one_response(st, CONS);
	pthread_barrier_init(&go, NULL, 2);
	for (int i = 0; i < 2; i++)
		w[i] = (struct racer){ .st = i && other ? other : st, .response = id, .who = i,
				       .go = &go, .rival = &w[!i] };
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, race, &w[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);

	/* Of each pair, one saved and the other was refused: never both,
	 * never neither, never a failure. */
	int pairs = 0, repairs = 0, won[2] = { 0, 0 }, rewon[2] = { 0, 0 };
	for (int i = 0; i < RACE_TRIES; i++) {
		enum sv_err a = w[0].coded[i], b = w[1].coded[i];
		pairs += (a == SV_OK && b == SV_ERR_EXISTS) || (a == SV_ERR_EXISTS && b == SV_OK);
		won[0] += a == SV_OK;
		won[1] += b == SV_OK;
		a = w[0].recoded[i];
		b = w[1].recoded[i];
		repairs += (a == SV_OK && b == SV_ERR_EXISTS) || (a == SV_ERR_EXISTS && b == SV_OK);
		rewon[0] += a == SV_OK;
		rewon[1] += b == SV_OK;
	}
	printf("# the race: first codes won %d to %d, recodes %d to %d\n", won[0], won[1],
	       rewon[0], rewon[1]);
	CHECK(pairs == RACE_TRIES);
	CHECK(repairs == RACE_TRIES);
	/* The counts are exactly the winners': every first code given back
	 * by the recode that replaced it, each recode counted once. */
	struct counts c = read_counts(other ? other : st);
	CHECK(theme_count(&c, "race") == 0 && theme_count(&c, "a-only") == 0 &&
	      theme_count(&c, "b-only") == 0);
	CHECK(theme_count(&c, "race2") == RACE_TRIES);
	CHECK(theme_count(&c, "a2") == rewon[0] && theme_count(&c, "b2") == rewon[1]);
	CHECK(prio_count(&c, 41) == 0 && prio_count(&c, 42) == RACE_TRIES);
	/* One code per answer: the recode that won, whose box an uncode
	 * names (any other box is refused). */
	int raced = 0;
	CHECK(store_analysis_each(st, CONS, STORE_PASS_MAIN, on_raced, &raced) == SV_OK);
	CHECK(raced == RACE_TRIES);
	int boxes_ok = 1;
	for (int i = 0; i < RACE_TRIES; i++) {
		struct race_code won_by;
		race_code(&won_by, &w[0], w[0].recoded[i] == SV_OK ? 0 : 1, i, 2);
		boxes_ok &= store_analysis_uncode(st, &won_by.c) == SV_OK;
	}
	CHECK(boxes_ok);
	c = read_counts(st);
	CHECK(theme_count(&c, "race2") == 0 && prio_count(&c, 42) == 0);
	store_close(other);
}

/* Migration 23 on SQLite's schema 22 (SQLite only: PostgreSQL starts at
 * the baseline, docs/postgresql.md). */
#define MIGRATE_23_CHECKS 5

static void test_migrate_23(void)
{
	struct store *st = NULL;

	CHECK(check_db_exec(dir, "DROP TABLE analysis_codes; DROP TABLE analysis_theme_counts;"
			    " DROP TABLE analysis_priority_counts; PRAGMA user_version = 22;") == 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	struct counts c = read_counts(st);
	CHECK(c.nt == 0 && c.np == 0);
	store_close(st);
}

/* One analysis session across the servers of a database (store_analysis_hold). */
static void test_hold(struct store *st)
{
	struct store *other = NULL;
	struct store_hold *a = NULL, *b = NULL;

	CHECK(check_store_again(dir, &other) == SV_OK && other);
	if (!other)
		return;
	CHECK(store_analysis_hold(st, &a) == SV_OK && a);
	CHECK(store_analysis_hold_check(a) == SV_OK);
	if (check_on_postgres()) {
		CHECK(store_analysis_hold(other, &b) == SV_ERR_EXISTS && !b);
		CHECK(store_analysis_hold(st, &b) == SV_ERR_EXISTS && !b);
		store_analysis_release(a);
		a = NULL;
		CHECK(store_analysis_hold(other, &b) == SV_OK && b);
		/* Its connection lost: it holds no more, and another may take it. */
		CHECK(check_sql_number(dir, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks"
				       " WHERE locktype = 'advisory' AND objid = 7917015 AND objsubid = 1) t") == 1);
		CHECK(store_analysis_hold_check(b) != SV_OK);
		CHECK(store_analysis_hold(st, &a) == SV_OK && a);
		CHECK(store_analysis_hold_check(b) != SV_OK);   /* reconnected, it does not take it back */
		CHECK(store_analysis_hold_check(a) == SV_OK);
	} else {
		/* One server has a SQLite file: granted (its own rule is the one). */
		CHECK(store_analysis_hold(other, &b) == SV_OK && b && store_analysis_hold_check(b) == SV_OK);
	}
	store_analysis_release(a);
	store_analysis_release(b);
	store_close(other);
	CHECK(store_analysis_hold_check(NULL) == SV_ERR_INVALID);
}

int main(void)
{
	struct store *st = NULL;

	snprintf(dir, sizeof dir, "/tmp/yv-analysis-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int opened = check_store_open(dir, &st) == SV_OK;
	CHECK(opened && store_consultation_put(st, CONS, "Plan", "{}") == SV_OK &&
	      store_consultation_put(st, OTHER, "Other", "{}") == SV_OK);
	if (opened) {
		test_codes(st);
		test_race(st);
		test_hold(st);
	}
	store_close(st);
	if (check_on_postgres()) {
		printf("# PostgreSQL: %d checks are SQLite-only and not run here"
		       " (migration 23 on a schema-22 file)\n", MIGRATE_23_CHECKS);
	} else if (opened) {
		int before = check_passed + check_failed;
		test_migrate_23();
		CHECK(check_passed + check_failed - before == MIGRATE_23_CHECKS);
	}
	check_remove_dir(dir);
	return CHECK_DONE();
}
