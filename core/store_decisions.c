/*
 * store_decisions.c - "you said, we did" (issue 16): the decision log that
 * commissioners keep per priority over the life of the plan, and whether a
 * consultation's public results page is published (see store.h).
 *
 * Nothing here is a young person's: the log is what staff write about what
 * the partnership decided.  Dates are days in UTC, never a time of day
 * (DESIGN.md's privacy rule, kept for staff records too, so the public page
 * can print them as they are).  Every statement binds its values, and every
 * text is checked against its limit here as well as by the table's CHECKs,
 * so an over-long text is SV_ERR_TOOBIG, never a truncated row.  Who changed
 * what is the caller's to audit-log (store_audit).
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

static const char *const status_names[STORE_NSTATUSES] = { "planned", "in-progress", "done",
							     "not-possible" };

const char *store_decision_status_name(int status)
{
	return status >= 0 && status < STORE_NSTATUSES ? status_names[status] : NULL;
}

/* 1 if every text of d is within its limit and the fields a row needs are
 * there: the store's own check, before SQLite's CHECKs. */
static int decision_fits(const struct store_decision *d)
{
	return strlen(d->said) <= STORE_MAX_DECISION_TEXT && strlen(d->decided) <= STORE_MAX_DECISION_TEXT &&
	       strlen(d->why) <= STORE_MAX_DECISION_TEXT && strlen(d->lead) <= STORE_MAX_DECIDER &&
	       strlen(d->decided_on) == 10 && d->said[0] && d->decided[0] &&
	       store_decision_status_name(d->status) && d->priority >= 1 && d->priority <= 99;
}

/* Binds d's fields as ?2 .. ?10, in the column order of the table. */
static void bind_decision(sqlite3_stmt *s, const struct store_decision *d, const char *day)
{
	sqlite3_bind_int(s, 2, d->priority);
	sqlite3_bind_text(s, 3, d->said, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, d->decided, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, d->by_board ? 1 : 0);
	sqlite3_bind_text(s, 6, d->by_board ? "" : d->lead, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, d->status);
	sqlite3_bind_text(s, 8, d->status == STORE_NOT_POSSIBLE ? d->why : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, d->decided_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, day, -1, SQLITE_STATIC);
}

/* Runs an insert (?1 consultation) or an update (?1 id, ?11 consultation)
 * of d under the store's lock; *changed gets the rows changed, *id the new
 * row's id. */
static enum sv_err write_decision(struct store *st, const char *sql, const struct store_decision *d,
				  int update, long long *changed, long long *id)
{
	sqlite3_stmt *s = NULL;
	char day[11];

	if (!decision_fits(d))
		return SV_ERR_TOOBIG;
	store_today(day);
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, sql, &s);
	if (!rc) {
		if (update) {
			sqlite3_bind_int64(s, 1, d->id);
			sqlite3_bind_text(s, 11, d->consultation, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(s, 1, d->consultation, -1, SQLITE_STATIC);
		}
		bind_decision(s, d, day);
		rc = store_step_done(st->db, s, update ? "changing a decision" : "adding a decision");
		*changed = rc ? 0 : sqlite3_changes(st->db);
		*id = rc ? 0 : (long long)sqlite3_last_insert_rowid(st->db);
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_decision_add(struct store *st, const struct store_decision *d, long long *id)
{
	long long changed;

	return write_decision(st, "INSERT INTO decisions (consultation, priority, said, decided, by_board,"
			      " lead, status, why, decided_on, changed_on)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", d, 0, &changed, id);
}

enum sv_err store_decision_update(struct store *st, const struct store_decision *d)
{
	long long changed, unused;
	enum sv_err rc = write_decision(st, "UPDATE decisions SET priority = ?2, said = ?3, decided = ?4,"
					" by_board = ?5, lead = ?6, status = ?7, why = ?8, decided_on = ?9,"
					" changed_on = ?10 WHERE id = ?1 AND consultation = ?11",
					d, 1, &changed, &unused);
	return !rc && changed == 0 ? SV_ERR_NOTFOUND : rc;
}

#define DECISION_COLUMNS "id, consultation, priority, said, decided, by_board, lead, status, why," \
	" decided_on, changed_on"

static void read_decision(sqlite3_stmt *row, struct store_decision *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(row, 0);
	store_column_text(d->consultation, sizeof d->consultation, row, 1);
	d->priority = sqlite3_column_int(row, 2);
	store_column_text(d->said, sizeof d->said, row, 3);
	store_column_text(d->decided, sizeof d->decided, row, 4);
	d->by_board = sqlite3_column_int(row, 5);
	store_column_text(d->lead, sizeof d->lead, row, 6);
	d->status = sqlite3_column_int(row, 7);
	store_column_text(d->why, sizeof d->why, row, 8);
	store_column_text(d->decided_on, sizeof d->decided_on, row, 9);
	store_column_text(d->changed_on, sizeof d->changed_on, row, 10);
}

enum sv_err store_decision_get(struct store *st, const char *consultation, long long id,
			       struct store_decision *out)
{
	sqlite3_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "SELECT " DECISION_COLUMNS " FROM decisions"
				       " WHERE id = ?1 AND consultation = ?2", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, consultation, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			read_decision(s, out);
		else if (r == SQLITE_DONE)
			rc = SV_ERR_NOTFOUND;
		else {
			rc = SV_ERR_DB;
			store_log(st->db, "reading a decision");
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_decision {
	void (*fn)(void *arg, const struct store_decision *d);
	void *arg;
	struct store_decision d;      /* one row at a time: 2 KB, not on the caller's stack */
};

static void on_decision(sqlite3_stmt *row, void *ctx)
{
	struct each_decision *e = ctx;
	read_decision(row, &e->d);
	e->fn(e->arg, &e->d);
}

enum sv_err store_decision_each(struct store *st, const char *consultation,
				void (*fn)(void *arg, const struct store_decision *d), void *arg)
{
	struct each_decision e = { .fn = fn, .arg = arg };
	/* decisions_by_consultation answers this in order from the index. */
	return store_query_each(st, "SELECT " DECISION_COLUMNS " FROM decisions WHERE consultation = ?1"
				" ORDER BY priority, id", consultation, on_decision, &e,
				"listing decisions");
}

enum sv_err store_results_published(struct store *st, const char *consultation, int set,
				    int *published, char day[11])
{
	sqlite3_stmt *s = NULL;
	char now[11];
	enum sv_err rc;

	store_today(now);
	pthread_mutex_lock(&st->lock);
	if (set) {
		rc = store_prepare(st, "INSERT INTO results_public (consultation, published, day)"
				   " VALUES (?1, ?2, ?3) ON CONFLICT (consultation)"
				   " DO UPDATE SET published = excluded.published, day = excluded.day", &s);
		if (!rc) {
			sqlite3_bind_text(s, 1, consultation, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 2, *published ? 1 : 0);
			sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
			rc = store_step_done(st->db, s, "publishing results");
		}
		if (!rc && day)
			memcpy(day, now, 11);
	} else {
		*published = 0;
		if (day)
			day[0] = '\0';
		rc = store_prepare(st, "SELECT published, day FROM results_public WHERE consultation = ?1", &s);
		if (!rc) {
			sqlite3_bind_text(s, 1, consultation, -1, SQLITE_STATIC);
			int r = sqlite3_step(s);
			if (r == SQLITE_ROW) {
				*published = sqlite3_column_int(s, 0);
				if (day)
					store_column_text(day, 11, s, 1);
			} else if (r != SQLITE_DONE) {
				rc = SV_ERR_DB;
				store_log(st->db, "reading whether results are published");
			}
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}
