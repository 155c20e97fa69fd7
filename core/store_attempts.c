/*
 * store_attempts.c - the limit on wrong passwords and second-factor codes,
 * per account, in the database (schema 21; see store.h and core/limits.h).
 *
 * Why here and not in memory: a limit held by one process was lost at each
 * restart (five more guesses after every crash or upgrade) and would be one
 * per server once several share a database; a row in the database holds
 * for all of them.
 *
 * What is kept: per account and kind (password, code), one row while it
 * matters: how many tries in the window and when the window or the lock
 * ends, to the minute.  No client address, no time of each try; the row is
 * deleted at the next try of anyone after its end has passed, and at start.
 *
 * How: a try is charged before the password or code is looked at, in one
 * INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so that tries sent at the
 * same moment cannot all pass a check made before any was counted; a right
 * one then clears the row.  SQLite evaluates every SET expression on the
 * row as it was, and so does PostgreSQL: the statement reads the same on
 * both, but for SQLite's min() being PostgreSQL's LEAST().  The charge is
 * one serializable transaction (db_transaction), run again if it races
 * another server's.
 */
#include "store.h"
#include "store_int.h"

/* Seconds since the epoch rounded up to a whole minute: what is kept. */
static long long minute_up(long long t)
{
	return (t + 59) / 60 * 60;
}

/* What one charge binds, and what it reads back. */
struct charge {
	long long id, now, ends_new;
	int kind, max;
	long long tries, ends;   /* OUT: the row after the charge */
};

/* Runs a DELETE binding ?1 = a and ?2 = b (unused when the SQL has no ?2). */
static enum db_rc forget(struct db *db, const char *sql, long long a, long long b, const char *what)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_int64(s, 1, a);
		db_bind_int64(s, 2, b);
		r = db_run(s, what);
	}
	db_finalize(s);
	return r;
}

/* The charge as one transaction's body (db_transaction may run it again). */
static enum db_rc charge_body(struct db *db, void *ctx)
{
	struct charge *c = ctx;
	struct db_stmt *s = NULL;
	enum db_rc r = forget(db, "DELETE FROM account_attempts WHERE ends <= ?1", c->now, 0,
			      "forgetting old tries");

	if (r != DB_DONE)
		return r;
	/* SQLite's scalar min() is PostgreSQL's LEAST(); all else is alike. */
	if (db_prepare(db, db_dialect(db) == DB_SQLITE ?
		       "INSERT INTO account_attempts (user_id, kind, tries, ends)"
		       " VALUES (?1, ?2, 1, ?4) ON CONFLICT (user_id, kind) DO UPDATE SET"
		       " tries = CASE WHEN ends <= ?3 THEN 1 ELSE min(tries + 1, ?5 + 1) END,"
		       " ends = CASE WHEN ends <= ?3 OR tries + 1 = ?5 THEN ?4 ELSE ends END"
		       " RETURNING tries, ends" :
		       "INSERT INTO account_attempts AS a (user_id, kind, tries, ends)"
		       " VALUES (?1, ?2, 1, ?4) ON CONFLICT (user_id, kind) DO UPDATE SET"
		       " tries = CASE WHEN a.ends <= ?3 THEN 1 ELSE LEAST(a.tries + 1, ?5 + 1) END,"
		       " ends = CASE WHEN a.ends <= ?3 OR a.tries + 1 = ?5 THEN ?4 ELSE a.ends END"
		       " RETURNING tries, ends", &s))
		return DB_ERROR;
	db_bind_int64(s, 1, c->id);
	db_bind_int64(s, 2, c->kind);
	db_bind_int64(s, 3, c->now);
	db_bind_int64(s, 4, c->ends_new);
	db_bind_int64(s, 5, c->max);
	r = db_step(s);
	if (r == DB_ROW) {
		c->tries = db_column_int64(s, 0);
		c->ends = db_column_int64(s, 1);
		r = db_step(s);
	} else if (r == DB_DONE) {
		r = DB_ERROR;   /* an upsert always gives its row */
	}
	db_log_failure(db, r, "counting a try");
	db_finalize(s);
	return r;
}

enum sv_err store_attempt_charge(struct store *st, long long id, enum store_attempt kind,
				 long long now, int max, long long lock, long long *wait)
{
	struct charge c = { .id = id, .now = now, .ends_new = minute_up(now + lock),
			    .kind = (int)kind, .max = max };

	*wait = 0;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, charge_body, &c);
	pthread_mutex_unlock(&st->lock);
	if (!rc && c.tries > max)
		*wait = c.ends > now ? c.ends - now : 1;
	return rc;
}

enum sv_err store_attempt_clear(struct store *st, long long id, enum store_attempt kind)
{
	pthread_mutex_lock(&st->lock);
	enum db_rc r = forget(st->conn, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2",
			      id, (long long)kind, "forgetting tries");
	pthread_mutex_unlock(&st->lock);
	return r == DB_DONE ? SV_OK : SV_ERR_DB;
}

enum sv_err store_attempt_expire(struct store *st, long long now)
{
	pthread_mutex_lock(&st->lock);
	enum db_rc r = forget(st->conn, "DELETE FROM account_attempts WHERE ends <= ?1",
			      now, 0, "forgetting old tries");
	pthread_mutex_unlock(&st->lock);
	return r == DB_DONE ? SV_OK : SV_ERR_DB;
}
