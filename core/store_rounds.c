/*
 * store_rounds.c - rounds of a plan and the population figures of the "who
 * took part" view (issue 16; see store.h).
 *
 * A plan's rounds come from consultations.json and are written at every
 * start, so that survey-export, which has only the data folder, finds them.
 * The population figures are what a commissioner types in from the census
 * or the school census: no respondent data.  Every statement binds its
 * values; the caller checks bounds first, the table's CHECKs again.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "store_int.h"

/* Runs one write binding ?1 = a, ?2 = b and ?3 = c (if given) and ?4 = *n
 * (if given; an unbound one is NULL), the caller holding the store's lock. */
static enum sv_err run_locked(struct store *st, const char *sql, const char *a, const char *b,
			      const char *c, const long long *n, const char *what)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = SV_ERR_DB;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
		if (c)
			sqlite3_bind_text(s, 3, c, -1, SQLITE_STATIC);
		if (n)
			sqlite3_bind_int64(s, 4, *n);
		if (sqlite3_step(s) == SQLITE_DONE)
			rc = SV_OK;
	}
	if (rc)
		store_log(st->db, what);
	sqlite3_finalize(s);
	return rc;
}

/* run_locked under the store's lock.  (Reads go through store_query_each.) */
static enum sv_err run(struct store *st, const char *sql, const char *a, const char *b,
		       const char *c, const long long *n, const char *what)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = run_locked(st, sql, a, b, c, n, what);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

#define ROUND_UPSERT "INSERT INTO consultation_rounds (consultation, plan, round) VALUES (?1, ?2, ?3)" \
	" ON CONFLICT (consultation) DO UPDATE SET plan = excluded.plan, round = excluded.round"

enum sv_err store_round_set(struct store *st, const char *consultation, const char *plan,
			    const char *round)
{
	if (!plan)
		return run(st, "DELETE FROM consultation_rounds WHERE consultation = ?1", consultation,
			   NULL, NULL, NULL, "clearing a round");
	if (!round || !id_valid(plan, strlen(plan)) || !id_valid(round, strlen(round)))
		return SV_ERR_INVALID;
	return run(st, ROUND_UPSERT, consultation, plan, round, NULL, "saving a round");
}

enum sv_err store_round_choose(struct store *st, const char *consultation, const char *plan,
			       const char *round)
{
	if (!plan != !round || (plan && (!id_valid(plan, strlen(plan)) ||
					 !id_valid(round, strlen(round)))))
		return SV_ERR_INVALID;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc) {
		pthread_mutex_unlock(&st->lock);
		return rc;
	}
	rc = run_locked(st, "INSERT INTO round_choices (consultation, plan, round) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (consultation) DO UPDATE SET plan = excluded.plan,"
			" round = excluded.round", consultation, plan, round, NULL, "saving a round chosen");
	if (!rc)
		rc = plan ? run_locked(st, ROUND_UPSERT, consultation, plan, round, NULL, "saving a round") :
			run_locked(st, "DELETE FROM consultation_rounds WHERE consultation = ?1",
				   consultation, NULL, NULL, NULL, "clearing a round");
	rc = store_end_transaction(st, rc);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_choice {
	void (*fn)(void *arg, const char *consultation, const char *plan, const char *round);
	void *arg;
};

static void on_choice(sqlite3_stmt *row, void *ctx)
{
	struct each_choice *e = ctx;
	const unsigned char *c = sqlite3_column_text(row, 0), *p = sqlite3_column_text(row, 1),
			    *r = sqlite3_column_text(row, 2);
	e->fn(e->arg, c ? (const char *)c : "", p && r ? (const char *)p : NULL,
	      p && r ? (const char *)r : NULL);
}

enum sv_err store_round_choices(struct store *st,
				void (*fn)(void *arg, const char *consultation, const char *plan,
					   const char *round), void *arg)
{
	struct each_choice e = { fn, arg };
	return store_query_each(st, "SELECT consultation, plan, round FROM round_choices"
				" ORDER BY consultation", NULL, on_choice, &e, "listing the rounds chosen");
}

struct each_round {
	void (*fn)(void *arg, const char *consultation, const char *round);
	void *arg;
};

static void on_round(sqlite3_stmt *row, void *ctx)
{
	struct each_round *e = ctx;
	const unsigned char *c = sqlite3_column_text(row, 0), *r = sqlite3_column_text(row, 1);
	e->fn(e->arg, c ? (const char *)c : "", r ? (const char *)r : "");
}

enum sv_err store_plan_rounds(struct store *st, const char *plan,
			      void (*fn)(void *arg, const char *consultation, const char *round),
			      void *arg)
{
	struct each_round e = { fn, arg };
	return store_query_each(st, "SELECT consultation, round FROM consultation_rounds WHERE plan = ?1"
				" ORDER BY round, consultation", plan, on_round, &e, "listing a plan's rounds");
}

struct round_of {
	char *plan, *round;
	int found;
};

static void on_round_of(sqlite3_stmt *row, void *ctx)
{
	struct round_of *o = ctx;
	store_column_text(o->plan, PARSE_MAX_ID + 1, row, 0);
	store_column_text(o->round, PARSE_MAX_ID + 1, row, 1);
	o->found = 1;
}

enum sv_err store_round_of(struct store *st, const char *consultation, char *plan, char *round)
{
	struct round_of o = { plan, round, 0 };

	plan[0] = round[0] = '\0';
	enum sv_err rc = store_query_each(st, "SELECT plan, round FROM consultation_rounds"
					  " WHERE consultation = ?1", consultation, on_round_of, &o,
					  "reading a consultation's round");
	return rc ? rc : o.found ? SV_OK : SV_ERR_NOTFOUND;
}

enum sv_err store_population_set(struct store *st, const char *consultation,
				 const char *category, long long people)
{
	size_t n = strlen(category);

	if (n < 3 || n > STORE_MAX_CATEGORY || people > STORE_MAX_POPULATION)
		return SV_ERR_INVALID;
	if (people < 0)
		return run(st, "DELETE FROM population_figures WHERE consultation = ?1 AND category = ?2",
			   consultation, category, NULL, NULL, "clearing a population figure");
	return run(st, "INSERT INTO population_figures (consultation, category, people)"
		   " VALUES (?1, ?2, ?4) ON CONFLICT (consultation, category)"
		   " DO UPDATE SET people = excluded.people", consultation, category, NULL, &people,
		   "saving a population figure");
}

struct each_figure {
	void (*fn)(void *arg, const char *category, long long people);
	void *arg;
};

static void on_figure(sqlite3_stmt *row, void *ctx)
{
	struct each_figure *e = ctx;
	const unsigned char *c = sqlite3_column_text(row, 0);
	e->fn(e->arg, c ? (const char *)c : "", sqlite3_column_int64(row, 1));
}

enum sv_err store_population_each(struct store *st, const char *consultation,
				  void (*fn)(void *arg, const char *category, long long people),
				  void *arg)
{
	struct each_figure e = { fn, arg };
	return store_query_each(st, "SELECT category, people FROM population_figures"
				" WHERE consultation = ?1 ORDER BY category", consultation, on_figure, &e,
				"listing population figures");
}
