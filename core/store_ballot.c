/*
 * store_ballot.c - the youth ballot's counts (issue 16; see store.h): paper
 * returns per setting, a Make Your Mark file's votes, and reading every
 * source of a ballot's votes back.  Online votes are counted by the shared
 * commit (store_commit.c) in the response's own transaction.
 *
 * Why the one-time form key.  A youth worker on venue wifi sends the return
 * form, the answer is lost, and the browser (or the worker) sends it again.
 * The form carries a random key made when it was drawn; the key is stored
 * with the return under UNIQUE, so the second send finds the first return
 * and stores nothing.  A correction names the return by its id and replaces
 * its numbers (it never adds), so it is safe to send twice as well.
 *
 * Nothing here is a young person's: a return is what a setting's staff
 * counted.  Days only, never a time of day.  Every statement binds its
 * values; every number and text is checked here before the tables' CHECKs.
 *
 * On PostgreSQL every write that reads first runs SERIALIZABLE through
 * db_transaction (docs/postgresql.md), so that two servers cannot both
 * pass a check (a form's key, a setting, a lock) that one of them breaks.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

/* SV_OK if r's numbers and texts are within their limits and its votes add
 * up to no more than the papers returned (one vote per paper). */
static enum sv_err return_check(const struct store_ballot_return *r)
{
	long long sum = 0;

	if (strlen(r->setting) > STORE_MAX_SETTING)
		return SV_ERR_TOOBIG;
	if (!r->setting[0] || r->handed_out < 0 || r->handed_out > STORE_MAX_PAPERS ||
	    r->returned < 0 || r->returned > r->handed_out || r->nissues < 0 ||
	    r->nissues > STORE_MAX_ISSUES)
		return SV_ERR_INVALID;
	for (int i = 0; i < r->nissues; i++) {
		if (r->votes[i] < 0 || r->votes[i] > STORE_MAX_PAPERS || !r->issues[i][0])
			return SV_ERR_INVALID;
		sum += r->votes[i];
	}
	return sum <= r->returned ? SV_OK : SV_ERR_INVALID;
}

/*
 * Runs sql, a query of at most one row, on db binding text t1 as ?1, t2 (if
 * not NULL) as ?2 and i3 as ?3; *out gets its first column.  DB_ROW if there
 * was a row, DB_DONE if none, else the failure (logged, but for a race:
 * DB_RETRY, which the transaction runs again).
 */
static enum db_rc select_one(struct db *db, const char *sql, const char *t1, const char *t2,
			     long long i3, long long *out)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	*out = 0;
	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_text(s, 1, t1);
		if (t2)
			db_bind_text(s, 2, t2);
		db_bind_int64(s, 3, i3);
		r = db_step(s);
		if (r == DB_ROW)
			*out = db_column_int64(s, 0);
		else
			db_log_failure(db, r, "reading a paper return");
	}
	db_finalize(s);
	return r;
}

/*
 * Votes per issue, replaced whole inside the caller's transaction: del
 * deletes the rows of one owner (?1 text or ?3 id), then ins adds
 * issues[i] and votes[i] as ?2 and ?4, with the owner as ?1 and ?3 and
 * who and day as ?5 and ?6 where it names them (a number a statement does
 * not use is simply not sent).  DB_DONE, or the failure (logged).
 */
static enum db_rc votes_replace(struct db *db, const char *del, const char *ins,
				const char *owner, long long owner_id, const char *const *issues,
				const long long *votes, int n, const char *who, const char *day)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	if (db_prepare(db, del, &s) == SV_OK) {
		db_bind_text(s, 1, owner);
		db_bind_int64(s, 3, owner_id);
		r = db_run(s, "clearing ballot votes");
	}
	db_finalize(s);
	s = NULL;
	if (r == DB_DONE && db_prepare(db, ins, &s) != SV_OK)
		r = DB_ERROR;
	for (int i = 0; r == DB_DONE && i < n; i++) {
		db_bind_text(s, 1, owner);
		db_bind_text(s, 2, issues[i]);
		db_bind_int64(s, 3, owner_id);
		db_bind_int64(s, 4, votes[i]);
		db_bind_text(s, 5, who);
		db_bind_text(s, 6, day);
		r = db_run(s, "storing ballot votes");
	}
	db_finalize(s);
	return r;
}

/* A return's votes replaced by r's (inside the caller's transaction). */
static enum db_rc return_votes_write(struct db *db, long long id, const struct store_ballot_return *r)
{
	const char *issues[STORE_MAX_ISSUES];

	for (int i = 0; i < r->nissues; i++)
		issues[i] = r->issues[i];
	return votes_replace(db, "DELETE FROM ballot_return_votes WHERE return_id = ?3",
			     "INSERT INTO ballot_return_votes (return_id, option, votes)"
			     " VALUES (?3, ?2, ?4)", r->survey, id, issues, r->votes, r->nissues, NULL, NULL);
}

/* DB_ROW if another return of r's ballot (not id) has r's setting, DB_DONE
 * if none has, else the failure. */
static enum db_rc setting_taken(struct db *db, const struct store_ballot_return *r, long long id)
{
	long long other;

	return select_one(db, "SELECT id FROM ballot_returns WHERE survey = ?1 AND setting = ?2"
			  " AND id <> ?3", r->survey, r->setting, id, &other);
}

/* Binds r's setting, papers and who, and day, as ?3 to ?7. */
static void bind_return(struct db_stmt *s, const struct store_ballot_return *r, const char *day)
{
	db_bind_text(s, 3, r->setting);
	db_bind_int64(s, 4, r->handed_out);
	db_bind_int64(s, 5, r->returned);
	db_bind_text(s, 6, r->who);
	db_bind_text(s, 7, day);
}

/*
 * What a write of a return binds, and what it gives back.  The body of its
 * transaction may run again after a race (db_transaction), so it sets every
 * output afresh.  rc is why the body refused (SV_ERR_EXISTS, _NOTFOUND,
 * _DB); it refuses before it writes anything, or rolls back.
 */
struct return_tx {
	const struct store_ballot_return *r;
	const char *form_key, *day;
	long long id;      /* OUT: the return's id */
	int replay;        /* OUT: the form was sent before */
	enum sv_err rc;    /* OUT */
};

/* The body's verdict on a statement's r: a race is run again; anything
 * else that is not DB_DONE is SV_ERR_DB (as it has always been), or
 * `unique` where a UNIQUE refused the row. */
static enum db_rc failed(struct return_tx *t, enum db_rc r, enum sv_err unique)
{
	if (r != DB_RETRY)
		t->rc = r == DB_UNIQUE ? unique : SV_ERR_DB;
	return r == DB_RETRY ? DB_RETRY : DB_ERROR;
}

/*
 * store_ballot_return_add's transaction.  The form's key is looked up
 * first; the INSERT then names it again (ON CONFLICT DO NOTHING), so that a
 * send that another server stored after this transaction looked is found
 * rather than failing (on PostgreSQL that is a serialization failure, and
 * the next run finds it by the lookup).
 */
static enum db_rc add_body(struct db *db, void *ctx)
{
	struct return_tx *t = ctx;
	struct db_stmt *s = NULL;

	t->id = 0;
	t->replay = 0;
	t->rc = SV_OK;
	/* The same form sent again: the first send's return, nothing stored. */
	enum db_rc r = select_one(db, "SELECT id FROM ballot_returns WHERE form_key = ?1",
				  t->form_key, NULL, 0, &t->id);
	if (r == DB_ROW) {
		t->replay = 1;
		return DB_DONE;
	}
	if (r != DB_DONE)
		return failed(t, r, SV_ERR_DB);
	r = setting_taken(db, t->r, 0);
	if (r == DB_ROW) {
		t->rc = SV_ERR_EXISTS;
		return DB_DONE; /* nothing written */
	}
	if (r != DB_DONE)
		return failed(t, r, SV_ERR_DB);
	if (db_prepare(db, "INSERT INTO ballot_returns (survey, form_key, setting, handed_out,"
		       " returned, who, day, locked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)"
		       " ON CONFLICT (form_key) DO NOTHING RETURNING id", &s))
		return failed(t, DB_ERROR, SV_ERR_DB);
	db_bind_text(s, 1, t->r->survey);
	db_bind_text(s, 2, t->form_key);
	bind_return(s, t->r, t->day);
	r = db_step(s);
	if (r == DB_ROW) {
		t->id = db_column_int64(s, 0);
		r = db_step(s);
	} else if (r == DB_DONE) {
		r = DB_RETRY; /* stored meanwhile by another server: look again */
	}
	db_log_failure(db, r, "storing a paper return");
	db_finalize(s);
	if (r != DB_DONE) {
		t->id = 0;
		return failed(t, r, SV_ERR_EXISTS); /* UNIQUE: the setting, taken meanwhile */
	}
	r = return_votes_write(db, t->id, t->r);
	if (r != DB_DONE) {
		t->id = 0;
		return failed(t, r, SV_ERR_DB);
	}
	return DB_DONE;
}

enum sv_err store_ballot_return_add(struct store *st, const struct store_ballot_return *r,
				    const char *form_key, long long *id, int *replay)
{
	char day[11];
	enum sv_err rc = return_check(r);

	*id = 0;
	*replay = 0;
	if (rc)
		return rc;
	if (!form_key || !form_key[0] || strlen(form_key) > 64)
		return SV_ERR_INVALID;
	store_today(day);
	struct return_tx t = { .r = r, .form_key = form_key, .day = day };
	pthread_mutex_lock(&st->lock);
	rc = db_transaction(st->conn, DB_TX_WRITE, add_body, &t);
	pthread_mutex_unlock(&st->lock);
	rc = t.rc ? t.rc : rc;
	if (!rc) {
		*id = t.id;
		*replay = t.replay;
	}
	return rc;
}

/* store_ballot_return_update's transaction: a locked return, or another's
 * setting, refuses; else the return and its votes are replaced. */
static enum db_rc update_body(struct db *db, void *ctx)
{
	struct return_tx *t = ctx;
	const struct store_ballot_return *ret = t->r;
	struct db_stmt *s = NULL;
	long long locked = 0;

	t->rc = SV_OK;
	enum db_rc r = select_one(db, "SELECT locked FROM ballot_returns WHERE survey = ?1 AND id = ?3",
				  ret->survey, NULL, ret->id, &locked);
	if (r == DB_DONE || (r == DB_ROW && locked)) {
		t->rc = r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_EXISTS;
		return DB_DONE; /* nothing written */
	}
	if (r != DB_ROW)
		return failed(t, r, SV_ERR_DB);
	r = setting_taken(db, ret, ret->id);
	if (r == DB_ROW) {
		t->rc = SV_ERR_EXISTS;
		return DB_DONE;
	}
	if (r != DB_DONE)
		return failed(t, r, SV_ERR_DB);
	if (db_prepare(db, "UPDATE ballot_returns SET setting = ?3, handed_out = ?4,"
		       " returned = ?5, who = ?6, day = ?7 WHERE id = ?1 AND survey = ?2"
		       " AND locked = 0", &s))
		return failed(t, DB_ERROR, SV_ERR_DB);
	db_bind_int64(s, 1, ret->id);
	db_bind_text(s, 2, ret->survey);
	bind_return(s, ret, t->day);
	r = db_run(s, "correcting a paper return");
	db_finalize(s);
	if (r != DB_DONE)
		return failed(t, r, SV_ERR_EXISTS);
	if (db_changes(db) == 0) {
		t->rc = SV_ERR_EXISTS; /* locked since the check: its votes stay */
		return DB_ERROR;
	}
	r = return_votes_write(db, ret->id, ret);
	return r == DB_DONE ? DB_DONE : failed(t, r, SV_ERR_DB);
}

enum sv_err store_ballot_return_update(struct store *st, const struct store_ballot_return *r)
{
	char day[11];
	enum sv_err rc = return_check(r);

	if (rc)
		return rc;
	store_today(day);
	struct return_tx t = { .r = r, .day = day };
	pthread_mutex_lock(&st->lock);
	/* SERIALIZABLE on PostgreSQL: a lock committed by another server after
	 * the check above makes this run again, and then refuse. */
	rc = db_transaction(st->conn, DB_TX_WRITE, update_body, &t);
	pthread_mutex_unlock(&st->lock);
	return t.rc ? t.rc : rc;
}

enum sv_err store_ballot_return_lock(struct store *st, const char *survey, long long id, int locked)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, "UPDATE ballot_returns SET locked = ?2"
		       " WHERE id = ?3 AND survey = ?1", &s) == SV_OK) {
		db_bind_text(s, 1, survey);
		db_bind_int64(s, 2, locked ? 1 : 0);
		db_bind_int64(s, 3, id);
		r = db_run(s, "locking a paper return");
	}
	db_finalize(s);
	enum sv_err rc = r != DB_DONE ? SV_ERR_DB : db_changes(st->conn) == 0 ? SV_ERR_NOTFOUND : SV_OK;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

#define RETURN_COLUMNS "r.id, r.survey, r.setting, r.handed_out, r.returned, r.locked, r.who," \
	" r.day, v.option, v.votes"

/* Rows of RETURN_COLUMNS, one per vote (a LEFT JOIN: NULL option for a
 * return with none), grouped by return: each return handed on whole. */
struct each_return {
	void (*fn)(void *arg, const struct store_ballot_return *r);
	void *arg;
	struct store_ballot_return r; /* the return being read */
	int open;                     /* r holds a return not yet handed on */
};

static void flush_return(struct each_return *e)
{
	if (e->open && e->fn)
		e->fn(e->arg, &e->r);
	e->open = 0;
}

static void on_return_row(struct db_stmt *row, void *ctx)
{
	struct each_return *e = ctx;
	long long id = db_column_int64(row, 0);

	if (!e->open || e->r.id != id) {
		flush_return(e);
		memset(&e->r, 0, sizeof e->r);
		e->r.id = id;
		store_copy(e->r.survey, sizeof e->r.survey, row, 1);
		store_copy(e->r.setting, sizeof e->r.setting, row, 2);
		e->r.handed_out = db_column_int64(row, 3);
		e->r.returned = db_column_int64(row, 4);
		e->r.locked = db_column_int(row, 5);
		store_copy(e->r.who, sizeof e->r.who, row, 6);
		store_copy(e->r.day, sizeof e->r.day, row, 7);
		e->open = 1;
	}
	if (!db_column_is_null(row, 8) && e->r.nissues < STORE_MAX_ISSUES) {
		store_copy(e->r.issues[e->r.nissues], sizeof e->r.issues[0], row, 8);
		e->r.votes[e->r.nissues++] = db_column_int64(row, 9);
	}
}

enum sv_err store_ballot_return_each(struct store *st, const char *survey,
				     void (*fn)(void *arg, const struct store_ballot_return *r),
				     void *arg)
{
	struct each_return e = { .fn = fn, .arg = arg };
	enum sv_err rc = store_rows(st, "SELECT " RETURN_COLUMNS " FROM ballot_returns r"
				    " LEFT JOIN ballot_return_votes v ON v.return_id = r.id"
				    " WHERE r.survey = ?1 ORDER BY r.setting, r.id, v.option",
				    survey, on_return_row, &e, "listing paper returns");
	flush_return(&e);
	return rc;
}

struct find_return {
	long long id;
	struct store_ballot_return *out;
	int found;
};

static void on_found(void *arg, const struct store_ballot_return *r)
{
	struct find_return *f = arg;

	if (r->id == f->id) {
		*f->out = *r;
		f->found = 1;
	}
}

enum sv_err store_ballot_return_get(struct store *st, const char *survey, long long id,
				    struct store_ballot_return *out)
{
	struct find_return f = { id, out, 0 };
	/* A ballot has one return per setting: tens, so reading them all is cheap. */
	enum sv_err rc = store_ballot_return_each(st, survey, on_found, &f);

	return rc ? rc : f.found ? SV_OK : SV_ERR_NOTFOUND;
}

struct each_count {
	void (*fn)(void *arg, enum store_ballot_source source, const char *issue, int rank,
		   long long count);
	void *arg;
};

static void on_count_row(struct db_stmt *row, void *ctx)
{
	struct each_count *e = ctx;
	int source = db_column_int(row, 0);

	if (source < 0 || source >= STORE_BALLOT_NSOURCES)
		return;
	e->fn(e->arg, (enum store_ballot_source)source, store_str(row, 1), db_column_int(row, 2),
	      db_column_int64(row, 3));
}

enum sv_err store_ballot_counts(struct store *st, const char *survey,
				void (*fn)(void *arg, enum store_ballot_source source,
					   const char *issue, int rank, long long count),
				void *arg)
{
	struct each_count e = { fn, arg };
	/* sum() is SQLite's integer and PostgreSQL's numeric: both read as
	 * the same whole number. */
	return store_rows(st,
		"SELECT 0, option, rank, sum(count) FROM ballot_counts WHERE survey = ?1"
		"  GROUP BY option, rank"
		" UNION ALL SELECT 1, v.option, 1, sum(v.votes) FROM ballot_returns r"
		"  JOIN ballot_return_votes v ON v.return_id = r.id WHERE r.survey = ?1 GROUP BY v.option"
		" UNION ALL SELECT 2, option, 1, votes FROM ballot_imports WHERE survey = ?1",
		survey, on_count_row, &e, "reading ballot counts");
}

struct import {
	const char *survey;
	const char *const *issues;
	const long long *votes;
	int n;
	const char *who, *day;
};

/* store_ballot_import's transaction: the ballot's import replaced whole. */
static enum db_rc import_body(struct db *db, void *ctx)
{
	const struct import *im = ctx;

	return votes_replace(db, "DELETE FROM ballot_imports WHERE survey = ?1",
			     "INSERT INTO ballot_imports (survey, option, votes, who, day)"
			     " VALUES (?1, ?2, ?4, ?5, ?6)", im->survey, 0, im->issues, im->votes,
			     im->n, im->who, im->day);
}

enum sv_err store_ballot_import(struct store *st, const char *survey, const char *const *issues,
				const long long *votes, int n, const char *who)
{
	char day[11];

	if (n < 0 || n > STORE_MAX_ISSUES)
		return SV_ERR_TOOBIG;
	for (int i = 0; i < n; i++)
		if (votes[i] < 0 || votes[i] > STORE_MAX_IMPORT_VOTES)
			return SV_ERR_INVALID;
	store_today(day);
	struct import im = { survey, issues, votes, n, who, day };
	pthread_mutex_lock(&st->lock);
	/* Writes only: on PostgreSQL a race with another server's import runs
	 * again, and the last to commit is the whole import.  Any failure is
	 * SV_ERR_DB, as it has always been. */
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, import_body, &im) ? SV_ERR_DB : SV_OK;
	pthread_mutex_unlock(&st->lock);
	return rc;
}
