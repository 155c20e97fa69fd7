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

/* Runs one write on db binding ?1 = a, ?2 = b and ?3 = c (if given) and
 * ?4 = *n (if given; an unbound one is NULL), the caller holding the
 * store's lock; a failure is logged as WHAT. */
static enum db_rc run_on(struct db *db, const char *sql, const char *a, const char *b,
			 const char *c, const long long *n, const char *what)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_text(s, 1, a);
		if (b)
			db_bind_text(s, 2, b);
		if (c)
			db_bind_text(s, 3, c);
		if (n)
			db_bind_int64(s, 4, *n);
		r = db_run(s, what);
	}
	db_finalize(s);
	return r;
}

/* run_on under the store's lock.  (Reads go through store_rows.) */
static enum sv_err run(struct store *st, const char *sql, const char *a, const char *b,
		       const char *c, const long long *n, const char *what)
{
	pthread_mutex_lock(&st->lock);
	enum db_rc r = run_on(st->conn, sql, a, b, c, n, what);
	pthread_mutex_unlock(&st->lock);
	return r == DB_DONE ? SV_OK : SV_ERR_DB;
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

struct choice { const char *consultation, *plan, *round; };

/* store_round_choose's transaction: the choice, then the round it sets
 * (db_transaction may run it again). */
static enum db_rc choose_body(struct db *db, void *ctx)
{
	const struct choice *ch = ctx;
	enum db_rc r = run_on(db, "INSERT INTO round_choices (consultation, plan, round) VALUES (?1, ?2, ?3)"
			      " ON CONFLICT (consultation) DO UPDATE SET plan = excluded.plan,"
			      " round = excluded.round", ch->consultation, ch->plan, ch->round, NULL,
			      "saving a round chosen");
	if (r != DB_DONE)
		return r;
	return ch->plan ? run_on(db, ROUND_UPSERT, ch->consultation, ch->plan, ch->round, NULL,
				 "saving a round") :
		run_on(db, "DELETE FROM consultation_rounds WHERE consultation = ?1", ch->consultation,
		       NULL, NULL, NULL, "clearing a round");
}

enum sv_err store_round_choose(struct store *st, const char *consultation, const char *plan,
			       const char *round)
{
	if (!plan != !round || (plan && (!id_valid(plan, strlen(plan)) ||
					 !id_valid(round, strlen(round)))))
		return SV_ERR_INVALID;
	struct choice ch = { consultation, plan, round };
	pthread_mutex_lock(&st->lock);
	/* Writes only, so nothing read can go stale; on PostgreSQL a race with
	 * another server's choice is run again (db_transaction).  Any failure
	 * is SV_ERR_DB, as it has always been on SQLite. */
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, choose_body, &ch) ? SV_ERR_DB : SV_OK;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_choice {
	void (*fn)(void *arg, const char *consultation, const char *plan, const char *round);
	void *arg;
};

static void on_choice(struct db_stmt *row, void *ctx)
{
	struct each_choice *e = ctx;
	const char *p = db_column_text(row, 1), *r = db_column_text(row, 2);
	e->fn(e->arg, store_str(row, 0), p && r ? p : NULL, p && r ? r : NULL);
}

enum sv_err store_round_choices(struct store *st,
				void (*fn)(void *arg, const char *consultation, const char *plan,
					   const char *round), void *arg)
{
	struct each_choice e = { fn, arg };
	return store_rows(st, "SELECT consultation, plan, round FROM round_choices"
			  " ORDER BY consultation", NULL, on_choice, &e, "listing the rounds chosen");
}

struct each_round {
	void (*fn)(void *arg, const char *consultation, const char *round);
	void *arg;
};

static void on_round(struct db_stmt *row, void *ctx)
{
	struct each_round *e = ctx;
	e->fn(e->arg, store_str(row, 0), store_str(row, 1));
}

enum sv_err store_plan_rounds(struct store *st, const char *plan,
			      void (*fn)(void *arg, const char *consultation, const char *round),
			      void *arg)
{
	struct each_round e = { fn, arg };
	return store_rows(st, "SELECT consultation, round FROM consultation_rounds WHERE plan = ?1"
				" ORDER BY round, consultation", plan, on_round, &e, "listing a plan's rounds");
}

struct round_of {
	char *plan, *round;
	int found;
};

static void on_round_of(struct db_stmt *row, void *ctx)
{
	struct round_of *o = ctx;
	store_copy(o->plan, PARSE_MAX_ID + 1, row, 0);
	store_copy(o->round, PARSE_MAX_ID + 1, row, 1);
	o->found = 1;
}

enum sv_err store_round_of(struct store *st, const char *consultation, char *plan, char *round)
{
	struct round_of o = { plan, round, 0 };

	plan[0] = round[0] = '\0';
	enum sv_err rc = store_rows(st, "SELECT plan, round FROM consultation_rounds"
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

static void on_figure(struct db_stmt *row, void *ctx)
{
	struct each_figure *e = ctx;
	e->fn(e->arg, store_str(row, 0), db_column_int64(row, 1));
}

enum sv_err store_population_each(struct store *st, const char *consultation,
				  void (*fn)(void *arg, const char *category, long long people),
				  void *arg)
{
	struct each_figure e = { fn, arg };
	return store_rows(st, "SELECT category, people FROM population_figures"
				" WHERE consultation = ?1 ORDER BY category", consultation, on_figure, &e,
				"listing population figures");
}
