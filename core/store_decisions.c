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
 * what is the caller's to audit-log (store_audit).  On the statement layer
 * (core/db.h): SQLite and PostgreSQL alike.
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
static void bind_decision(struct db_stmt *s, const struct store_decision *d, const char *day)
{
	db_bind_int64(s, 2, d->priority);
	db_bind_text(s, 3, d->said);
	db_bind_text(s, 4, d->decided);
	db_bind_int64(s, 5, d->by_board ? 1 : 0);
	db_bind_text(s, 6, d->by_board ? "" : d->lead);
	db_bind_int64(s, 7, d->status);
	db_bind_text(s, 8, d->status == STORE_NOT_POSSIBLE ? d->why : "");
	db_bind_text(s, 9, d->decided_on);
	db_bind_text(s, 10, day);
}

/*
 * An insert (?1 consultation; *out the new row's id) or an update (?1 id,
 * ?11 consultation; *out the rows changed) of d, under the store's lock.
 * Each is one statement, with nothing read first that it must keep true:
 * an entry two people change at once is changed by one after the other
 * (the row's lock on PostgreSQL, the one writer on SQLite), the last one
 * standing, each audit-logged by its caller.  Any failure is SV_ERR_DB, as
 * it has always been on SQLite.
 */
static enum sv_err write_decision(struct store *st, const struct store_decision *d, int update,
				  long long *out)
{
	struct db_stmt *s = NULL;
	char day[11];

	if (!decision_fits(d))
		return SV_ERR_TOOBIG;
	*out = 0;
	store_today(day);
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_prepare(st->conn, update ?
				    "UPDATE decisions SET priority = ?2, said = ?3, decided = ?4,"
				    " by_board = ?5, lead = ?6, status = ?7, why = ?8, decided_on = ?9,"
				    " changed_on = ?10 WHERE id = ?1 AND consultation = ?11" :
				    "INSERT INTO decisions (consultation, priority, said, decided, by_board,"
				    " lead, status, why, decided_on, changed_on)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id", &s);
	if (!rc) {
		if (update) {
			db_bind_int64(s, 1, d->id);
			db_bind_text(s, 11, d->consultation);
		} else {
			db_bind_text(s, 1, d->consultation);
		}
		bind_decision(s, d, day);
		if (!update)
			rc = store_number(st, s, out, "adding a decision");
		else if (db_run(s, "changing a decision") != DB_DONE)
			rc = SV_ERR_DB;
		else
			*out = db_changes(st->conn);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_decision_add(struct store *st, const struct store_decision *d, long long *id)
{
	return write_decision(st, d, 0, id);
}

enum sv_err store_decision_update(struct store *st, const struct store_decision *d)
{
	long long changed;
	enum sv_err rc = write_decision(st, d, 1, &changed);

	return !rc && changed == 0 ? SV_ERR_NOTFOUND : rc;
}

#define DECISION_COLUMNS "id, consultation, priority, said, decided, by_board, lead, status, why," \
	" decided_on, changed_on"

static void read_decision(struct db_stmt *row, struct store_decision *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_column_int64(row, 0);
	store_copy(d->consultation, sizeof d->consultation, row, 1);
	d->priority = db_column_int(row, 2);
	store_copy(d->said, sizeof d->said, row, 3);
	store_copy(d->decided, sizeof d->decided, row, 4);
	d->by_board = db_column_int(row, 5);
	store_copy(d->lead, sizeof d->lead, row, 6);
	d->status = db_column_int(row, 7);
	store_copy(d->why, sizeof d->why, row, 8);
	store_copy(d->decided_on, sizeof d->decided_on, row, 9);
	store_copy(d->changed_on, sizeof d->changed_on, row, 10);
}

enum sv_err store_decision_get(struct store *st, const char *consultation, long long id,
			       struct store_decision *out)
{
	struct db_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_prepare(st->conn, "SELECT " DECISION_COLUMNS " FROM decisions"
				    " WHERE id = ?1 AND consultation = ?2", &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		db_bind_text(s, 2, consultation);
		enum db_rc r = db_step(s);
		if (r == DB_ROW)
			read_decision(s, out);
		else if (r == DB_DONE)
			rc = SV_ERR_NOTFOUND;
		else {
			rc = SV_ERR_DB;
			db_log(st->conn, "reading a decision");
		}
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_decision {
	void (*fn)(void *arg, const struct store_decision *d);
	void *arg;
	struct store_decision d;      /* one row at a time: 2 KB, not on the caller's stack */
};

static void on_decision(struct db_stmt *row, void *ctx)
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
	return store_rows(st, "SELECT " DECISION_COLUMNS " FROM decisions WHERE consultation = ?1"
			  " ORDER BY priority, id", consultation, on_decision, &e,
			  "listing decisions");
}

enum sv_err store_results_published(struct store *st, const char *consultation, int set,
				    int *published, char day[11])
{
	struct db_stmt *s = NULL;
	char now[11];
	enum sv_err rc;

	store_today(now);
	pthread_mutex_lock(&st->lock);
	if (set) {
		rc = db_prepare(st->conn, "INSERT INTO results_public (consultation, published, day)"
				" VALUES (?1, ?2, ?3) ON CONFLICT (consultation)"
				" DO UPDATE SET published = excluded.published, day = excluded.day", &s);
		if (!rc) {
			db_bind_text(s, 1, consultation);
			db_bind_int64(s, 2, *published ? 1 : 0);
			db_bind_text(s, 3, now);
			rc = db_run(s, "publishing results") == DB_DONE ? SV_OK : SV_ERR_DB;
		}
		if (!rc && day)
			memcpy(day, now, 11);
	} else {
		*published = 0;
		if (day)
			day[0] = '\0';
		rc = db_prepare(st->conn, "SELECT published, day FROM results_public WHERE consultation = ?1", &s);
		if (!rc) {
			db_bind_text(s, 1, consultation);
			enum db_rc r = db_step(s);
			if (r == DB_ROW) {
				*published = db_column_int(s, 0);
				if (day)
					store_copy(day, 11, s, 1);
			} else if (r != DB_DONE) {
				rc = SV_ERR_DB;
				db_log(st->conn, "reading whether results are published");
			}
		}
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}
