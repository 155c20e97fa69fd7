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
 * values; every number and text is checked here before SQLite's CHECKs.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

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
 * Runs sql, a query of at most one row, binding text t1 as ?1, t2 (if not
 * NULL) as ?2 and i3 as ?3; *out gets its first column.  SV_ERR_NOTFOUND
 * when there is no row.  The caller holds the lock.
 */
static enum sv_err select_one(struct store *st, const char *sql, const char *t1, const char *t2,
			      long long i3, long long *out)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, sql, &s);

	*out = 0;
	if (!rc) {
		sqlite3_bind_text(s, 1, t1, -1, SQLITE_STATIC);
		if (t2)
			sqlite3_bind_text(s, 2, t2, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, i3);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW)
			*out = sqlite3_column_int64(s, 0);
		rc = step == SQLITE_ROW ? SV_OK : step == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			store_log(st->db, "reading a paper return");
	}
	sqlite3_finalize(s);
	return rc;
}

/*
 * Votes per issue, replaced whole inside the caller's transaction: del
 * deletes the rows of one owner (?1 text or ?3 id), then ins adds
 * issues[i] and votes[i] as ?2 and ?4, with the owner as ?1 and ?3 and
 * who and day as ?5 and ?6 where it names them (a number a statement does
 * not use is simply not bound).
 */
static enum sv_err votes_replace(struct store *st, const char *del, const char *ins,
				 const char *owner, long long owner_id, const char *const *issues,
				 const long long *votes, int n, const char *who, const char *day)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, del, &s);

	if (!rc) {
		sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, owner_id);
		rc = store_step_done(st->db, s, "clearing ballot votes");
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!rc)
		rc = store_prepare(st, ins, &s);
	for (int i = 0; !rc && i < n; i++) {
		sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, issues[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, owner_id);
		sqlite3_bind_int64(s, 4, votes[i]);
		sqlite3_bind_text(s, 5, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, day, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "storing ballot votes");
	}
	sqlite3_finalize(s);
	return rc;
}

/* A return's votes replaced by r's (inside the caller's transaction). */
static enum sv_err return_votes_write(struct store *st, long long id, const struct store_ballot_return *r)
{
	const char *issues[STORE_MAX_ISSUES];

	for (int i = 0; i < r->nissues; i++)
		issues[i] = r->issues[i];
	return votes_replace(st, "DELETE FROM ballot_return_votes WHERE return_id = ?3",
			     "INSERT INTO ballot_return_votes (return_id, option, votes)"
			     " VALUES (?3, ?2, ?4)", r->survey, id, issues, r->votes, r->nissues, NULL, NULL);
}

/* SV_ERR_EXISTS if another return of r's ballot (not r->id) has its setting. */
static enum sv_err setting_free(struct store *st, const struct store_ballot_return *r)
{
	long long other;
	enum sv_err rc = select_one(st, "SELECT id FROM ballot_returns WHERE survey = ?1 AND setting = ?2"
				    " AND id <> ?3", r->survey, r->setting, r->id, &other);

	return rc == SV_ERR_NOTFOUND ? SV_OK : rc ? rc : SV_ERR_EXISTS;
}

/* Binds r's setting, papers and who, and day, as ?3 to ?7. */
static void bind_return(sqlite3_stmt *s, const struct store_ballot_return *r, const char *day)
{
	sqlite3_bind_text(s, 3, r->setting, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, r->handed_out);
	sqlite3_bind_int64(s, 5, r->returned);
	sqlite3_bind_text(s, 6, r->who, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, day, -1, SQLITE_STATIC);
}

enum sv_err store_ballot_return_add(struct store *st, const struct store_ballot_return *r,
				    const char *form_key, long long *id, int *replay)
{
	struct store_ballot_return fresh = *r;
	sqlite3_stmt *s = NULL;
	char day[11];
	enum sv_err rc = return_check(r);

	*id = 0;
	*replay = 0;
	if (rc)
		return rc;
	if (!form_key || !form_key[0] || strlen(form_key) > 64)
		return SV_ERR_INVALID;
	fresh.id = 0;
	today(day);
	pthread_mutex_lock(&st->lock);
	rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	/* The same form sent again: the first send's return, nothing stored. */
	rc = select_one(st, "SELECT id FROM ballot_returns WHERE form_key = ?1", form_key, NULL, 0, id);
	if (rc == SV_OK) {
		*replay = 1;
		rc = store_end_transaction(st, SV_OK);
		goto out;
	}
	rc = rc == SV_ERR_NOTFOUND ? setting_free(st, &fresh) : rc;
	if (!rc)
		rc = store_prepare(st, "INSERT INTO ballot_returns (survey, form_key, setting, handed_out,"
				   " returned, who, day, locked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, r->survey, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, form_key, -1, SQLITE_STATIC);
		bind_return(s, r, day);
		rc = store_step_done(st->db, s, "storing a paper return");
		*id = rc ? 0 : (long long)sqlite3_last_insert_rowid(st->db);
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = return_votes_write(st, *id, r);
	rc = store_end_transaction(st, rc);
	if (rc)
		*id = 0;
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_ballot_return_update(struct store *st, const struct store_ballot_return *r)
{
	sqlite3_stmt *s = NULL;
	char day[11];
	long long locked = 0;
	enum sv_err rc = return_check(r);

	if (rc)
		return rc;
	today(day);
	pthread_mutex_lock(&st->lock);
	rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = select_one(st, "SELECT locked FROM ballot_returns WHERE survey = ?1 AND id = ?3",
			r->survey, NULL, r->id, &locked);
	if (!rc && locked)
		rc = SV_ERR_EXISTS;
	if (!rc)
		rc = setting_free(st, r);
	if (!rc)
		rc = store_prepare(st, "UPDATE ballot_returns SET setting = ?3, handed_out = ?4,"
				   " returned = ?5, who = ?6, day = ?7 WHERE id = ?1 AND survey = ?2"
				   " AND locked = 0", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, r->id);
		sqlite3_bind_text(s, 2, r->survey, -1, SQLITE_STATIC);
		bind_return(s, r, day);
		rc = store_step_done(st->db, s, "correcting a paper return");
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = return_votes_write(st, r->id, r);
	rc = store_end_transaction(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_ballot_return_lock(struct store *st, const char *survey, long long id, int locked)
{
	sqlite3_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "UPDATE ballot_returns SET locked = ?2"
				       " WHERE id = ?3 AND survey = ?1", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, locked ? 1 : 0);
		sqlite3_bind_int64(s, 3, id);
		rc = store_step_done(st->db, s, "locking a paper return");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
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

static void on_return_row(sqlite3_stmt *row, void *ctx)
{
	struct each_return *e = ctx;
	long long id = sqlite3_column_int64(row, 0);

	if (!e->open || e->r.id != id) {
		flush_return(e);
		memset(&e->r, 0, sizeof e->r);
		e->r.id = id;
		store_column_text(e->r.survey, sizeof e->r.survey, row, 1);
		store_column_text(e->r.setting, sizeof e->r.setting, row, 2);
		e->r.handed_out = sqlite3_column_int64(row, 3);
		e->r.returned = sqlite3_column_int64(row, 4);
		e->r.locked = sqlite3_column_int(row, 5);
		store_column_text(e->r.who, sizeof e->r.who, row, 6);
		store_column_text(e->r.day, sizeof e->r.day, row, 7);
		e->open = 1;
	}
	if (sqlite3_column_type(row, 8) != SQLITE_NULL && e->r.nissues < STORE_MAX_ISSUES) {
		store_column_text(e->r.issues[e->r.nissues], sizeof e->r.issues[0], row, 8);
		e->r.votes[e->r.nissues++] = sqlite3_column_int64(row, 9);
	}
}

enum sv_err store_ballot_return_each(struct store *st, const char *survey,
				     void (*fn)(void *arg, const struct store_ballot_return *r),
				     void *arg)
{
	struct each_return e = { .fn = fn, .arg = arg };
	enum sv_err rc = store_query_each(st, "SELECT " RETURN_COLUMNS " FROM ballot_returns r"
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

static void on_count_row(sqlite3_stmt *row, void *ctx)
{
	struct each_count *e = ctx;
	int source = sqlite3_column_int(row, 0);

	if (source < 0 || source >= STORE_BALLOT_NSOURCES)
		return;
	e->fn(e->arg, (enum store_ballot_source)source, (const char *)sqlite3_column_text(row, 1),
	      sqlite3_column_int(row, 2), sqlite3_column_int64(row, 3));
}

enum sv_err store_ballot_counts(struct store *st, const char *survey,
				void (*fn)(void *arg, enum store_ballot_source source,
					   const char *issue, int rank, long long count),
				void *arg)
{
	struct each_count e = { fn, arg };
	return store_query_each(st,
		"SELECT 0, option, rank, sum(count) FROM ballot_counts WHERE survey = ?1"
		"  GROUP BY option, rank"
		" UNION ALL SELECT 1, v.option, 1, sum(v.votes) FROM ballot_returns r"
		"  JOIN ballot_return_votes v ON v.return_id = r.id WHERE r.survey = ?1 GROUP BY v.option"
		" UNION ALL SELECT 2, option, 1, votes FROM ballot_imports WHERE survey = ?1",
		survey, on_count_row, &e, "reading ballot counts");
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
	today(day);
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (!rc)
		rc = store_end_transaction(st, votes_replace(st,
			"DELETE FROM ballot_imports WHERE survey = ?1",
			"INSERT INTO ballot_imports (survey, option, votes, who, day)"
			" VALUES (?1, ?2, ?4, ?5, ?6)", survey, 0, issues, votes, n, who, day));
	pthread_mutex_unlock(&st->lock);
	return rc;
}
