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
 * both.
 */
#include "store.h"
#include "store_int.h"

/* Seconds since the epoch rounded up to a whole minute: what is kept. */
static long long minute_up(long long t)
{
	return (t + 59) / 60 * 60;
}

enum sv_err store_attempt_charge(struct store *st, long long id, enum store_attempt kind,
				 long long now, int max, long long lock, long long *wait)
{
	sqlite3_stmt *s = NULL;
	long long tries = 0, ends = 0;

	*wait = 0;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = store_id_run(st, "DELETE FROM account_attempts WHERE ends <= ?1", now, 0, NULL,
			  "forgetting old tries");
	if (!rc)
		rc = store_prepare(st, "INSERT INTO account_attempts (user_id, kind, tries, ends)"
				   " VALUES (?1, ?2, 1, ?4) ON CONFLICT (user_id, kind) DO UPDATE SET"
				   " tries = CASE WHEN ends <= ?3 THEN 1 ELSE min(tries + 1, ?5 + 1) END,"
				   " ends = CASE WHEN ends <= ?3 OR tries + 1 = ?5 THEN ?4 ELSE ends END"
				   " RETURNING tries, ends", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, (int)kind);
		sqlite3_bind_int64(s, 3, now);
		sqlite3_bind_int64(s, 4, minute_up(now + lock));
		sqlite3_bind_int(s, 5, max);
		if (sqlite3_step(s) == SQLITE_ROW) {
			tries = sqlite3_column_int64(s, 0);
			ends = sqlite3_column_int64(s, 1);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = SV_ERR_DB;
		} else {
			rc = SV_ERR_DB;
		}
		if (rc)
			store_log(st->db, "counting a try");
	}
	sqlite3_finalize(s);
	rc = rc ? rc : store_exec(st->db, "COMMIT");
	if (rc)
		store_exec(st->db, "ROLLBACK");
	else if (tries > max)
		*wait = ends > now ? ends - now : 1;
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_attempt_clear(struct store *st, long long id, enum store_attempt kind)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_run(st, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2",
				      id, (long long)kind, NULL, "forgetting tries");
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_attempt_expire(struct store *st, long long now)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_run(st, "DELETE FROM account_attempts WHERE ends <= ?1", now, 0, NULL,
				      "forgetting old tries");
	pthread_mutex_unlock(&st->lock);
	return rc;
}
