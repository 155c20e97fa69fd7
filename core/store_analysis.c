/*
 * store_analysis.c - analysts' codes for free-text answers (issue 15; see
 * store.h), and their plain counts.
 *
 * A code is kept only sealed: which themes an analyst gave an answer, and
 * whether it was "no theme", "needs follow-up" or a quote for the report,
 * are inside the box (survey-server/analyse.c seals them to the server's
 * public key, as answers are).  What is plain is what would be published
 * anyway: for the main pass, how many answers were coded with each theme
 * and each priority, as counters beside the themes table's.
 *
 * A counter must count each code once, and a changed code must give back
 * exactly what the old one added.  The store cannot open the old box, so
 * the caller, who opened it, says what it counted; the store makes sure the
 * box the caller opened is the one stored (compare-and-swap on the sealed
 * bytes), inside the one write transaction that gives back the old counts,
 * adds the new ones and replaces the row.  A count that would go below zero
 * fails the table's CHECK, and the whole change is rolled back.  The
 * second pass (a blind sample for agreement) is never counted.
 *
 * Every statement binds its values; the day is a day in UTC, never a time.
 * On the statement layer (core/db.h): SQLite and PostgreSQL alike.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The advisory lock of the one analysis session (store_analysis_hold):
 * the single-key form, so pg_locks shows it as classid 0, objid this,
 * objsubid 1.  The schema's migrations take 7917001. */
#define ANALYSIS_LOCK "7917015"

struct store_hold {
	struct db *db;   /* PostgreSQL: the connection holding the lock; SQLite: NULL */
};

/* 1 if c is a well-formed code: its fields within their limits, and its
 * themes and priorities each given once. */
static int code_ok(const struct store_code *c)
{
	if (!c->consultation || !c->consultation[0] || !c->question || !c->question[0] ||
	    strlen(c->question) > STORE_MAX_CODE_QUESTION ||
	    (c->pass != STORE_PASS_MAIN && c->pass != STORE_PASS_SECOND) ||
	    c->nthemes > STORE_MAX_CODE_THEMES || c->npriorities > STORE_MAX_CODE_PRIORITIES)
		return 0;
	for (size_t i = 0; i < c->nthemes; i++) {
		if (!c->themes[i] || !c->themes[i][0])
			return 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->themes[i], c->themes[j]) == 0)
				return 0;
	}
	for (size_t i = 0; i < c->npriorities; i++)
		for (size_t j = 0; j < i; j++)
			if (c->priorities[i] == c->priorities[j])
				return 0;
	return 1;
}

/* 1 if was names the same answer and pass as now. */
static int same_answer(const struct store_code *a, const struct store_code *b)
{
	return strcmp(a->consultation, b->consultation) == 0 && a->response == b->response &&
	       strcmp(a->question, b->question) == 0 && a->pass == b->pass;
}

/*
 * The one change, as one write transaction's body (db_transaction, which
 * runs it again after a serialization race on PostgreSQL: so every output
 * is set afresh at its start).  What the change itself refuses (no such
 * response, another's code stored) goes out in rc, the body then failing
 * so that nothing of it is kept.
 */
struct change {
	const struct store_code *now, *was;   /* either may be NULL, not both */
	char day[11];
	enum sv_err rc;
};

/* A refusal: kept in ch->rc, and the transaction rolled back. */
static enum db_rc refuse(struct change *ch, enum sv_err rc)
{
	ch->rc = rc;
	return DB_ERROR;
}

/* DB_DONE if the consultation has a response with this id (its final id,
 * for one stored during a load and not yet renumbered), else refuses with
 * SV_ERR_NOTFOUND. */
static enum db_rc response_exists(struct db *db, struct change *ch, const char *consultation,
				  long long id)
{
	struct db_stmt *s = NULL;
	enum db_rc r;

	/* "+consultation" keeps SQLite's planner on the primary key; there is
	 * no such operator on PostgreSQL, whose planner chooses alone. */
	if (db_prepare(db, db_dialect(db) == DB_SQLITE ?
		       "SELECT 1 FROM responses WHERE id = ?2 AND +consultation = ?1 AND id < ?3"
		       " UNION ALL SELECT 1 FROM responses WHERE id >= ?3 AND final_id = ?2"
		       " AND consultation = ?1 LIMIT 1" :
		       "SELECT 1 FROM responses WHERE id = ?2 AND consultation = ?1 AND id < ?3"
		       " UNION ALL SELECT 1 FROM responses WHERE id >= ?3 AND final_id = ?2"
		       " AND consultation = ?1 LIMIT 1", &s))
		return DB_ERROR;
	db_bind_text(s, 1, consultation);
	db_bind_int64(s, 2, id);
	db_bind_int64(s, 3, STORE_FRESH_ID);
	r = db_step(s);
	db_finalize(s);
	return r == DB_ROW ? DB_DONE : r == DB_DONE ? refuse(ch, SV_ERR_NOTFOUND) :
		db_log_failure(db, r, "finding a coded response");
}

/* Binds c's answer and pass as ?1 to ?4 (the table's key). */
static void bind_answer(struct db_stmt *s, const struct store_code *c)
{
	db_bind_text(s, 1, c->consultation);
	db_bind_int64(s, 2, c->response);
	db_bind_text(s, 3, c->question);
	db_bind_int64(s, 4, c->pass);
}

/* DB_DONE if the stored code of c's answer and pass is was's box (was
 * NULL: there is none); else refuses with SV_ERR_EXISTS if it is another,
 * SV_ERR_NOTFOUND if was is set and there is none. */
static enum db_rc stored_is(struct db *db, struct change *ch, const struct store_code *c,
			    const struct store_code *was)
{
	struct db_stmt *s = NULL;
	enum db_rc r;

	if (db_prepare(db, "SELECT sealed FROM analysis_codes WHERE consultation = ?1"
		       " AND response = ?2 AND question = ?3 AND pass = ?4", &s))
		return DB_ERROR;
	bind_answer(s, c);
	r = db_step(s);
	if (r == DB_ROW) {
		size_t len = 0;
		const void *box = db_column_blob(s, 0, &len);
		r = was && was->sealed && len == was->sealed_len && box &&
		    memcmp(box, was->sealed, len) == 0 ? DB_DONE : refuse(ch, SV_ERR_EXISTS);
	} else if (r == DB_DONE) {
		r = was ? refuse(ch, SV_ERR_NOTFOUND) : DB_DONE;
	} else {
		r = db_log_failure(db, r, "reading a code");
	}
	db_finalize(s);
	return r;
}

/* Adds delta (+1 or -1) to the counts of c's themes and priorities.  Giving
 * back a count that is not there is an error, as is one below zero (the
 * CHECK): the caller's old code was never counted so.  (An upsert names
 * its table in DO UPDATE SET: PostgreSQL requires it, SQLite allows it.) */
static enum db_rc count(struct db *db, const struct store_code *c, int delta)
{
	static const char *const add[2] = {
		"INSERT INTO analysis_theme_counts (consultation, theme, count) VALUES (?1, ?2, 1)"
		" ON CONFLICT (consultation, theme) DO UPDATE SET count = analysis_theme_counts.count + 1",
		"INSERT INTO analysis_priority_counts (consultation, priority, count) VALUES (?1, ?2, 1)"
		" ON CONFLICT (consultation, priority)"
		" DO UPDATE SET count = analysis_priority_counts.count + 1",
	};
	static const char *const take[2] = {
		"UPDATE analysis_theme_counts SET count = count - 1 WHERE consultation = ?1 AND theme = ?2",
		"UPDATE analysis_priority_counts SET count = count - 1"
		" WHERE consultation = ?1 AND priority = ?2",
	};
	enum db_rc r = DB_DONE;

	for (int kind = 0; kind < 2 && r == DB_DONE; kind++) {
		struct db_stmt *s = NULL;
		size_t n = kind == 0 ? c->nthemes : c->npriorities;
		if (db_prepare(db, delta > 0 ? add[kind] : take[kind], &s))
			return DB_ERROR;
		for (size_t i = 0; i < n && r == DB_DONE; i++) {
			db_bind_text(s, 1, c->consultation);
			if (kind == 0)
				db_bind_text(s, 2, c->themes[i]);
			else
				db_bind_int64(s, 2, c->priorities[i]);
			r = db_step(s);
			db_reset(s);
			db_clear_bindings(s);
			if (r != DB_DONE) {
				r = db_log_failure(db, r, "counting a code");
			} else if (delta < 0 && db_changes(db) != 1) {
				db_log(db, "giving back a count that was never added");
				r = DB_ERROR;
			}
		}
		db_finalize(s);
	}
	return r;
}

/* Writes now (NULL: deletes was's row). */
static enum db_rc write_row(struct db *db, const struct store_code *now, const struct store_code *was,
			    const char *day)
{
	struct db_stmt *s = NULL;
	const struct store_code *c = now ? now : was;

	if (db_prepare(db, !now ? "DELETE FROM analysis_codes WHERE consultation = ?1 AND response = ?2"
		       " AND question = ?3 AND pass = ?4" :
		       "INSERT INTO analysis_codes (consultation, response, question, pass, analyst,"
		       " day, key_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		       " ON CONFLICT (consultation, response, question, pass) DO UPDATE SET"
		       " analyst = excluded.analyst, day = excluded.day, key_id = excluded.key_id,"
		       " sealed = excluded.sealed", &s))
		return DB_ERROR;
	bind_answer(s, c);
	if (now) {
		db_bind_text(s, 5, now->analyst);
		db_bind_text(s, 6, day);
		db_bind_text(s, 7, now->key_id);
		db_bind_blob(s, 8, now->sealed, now->sealed_len);
	}
	enum db_rc r = db_step(s);
	db_finalize(s);
	return r == DB_DONE ? r : db_log_failure(db, r, now ? "saving a code" : "removing a code");
}

static enum db_rc change_body(struct db *db, void *ctx)
{
	struct change *ch = ctx;
	const struct store_code *c = ch->now ? ch->now : ch->was;
	enum db_rc r;

	ch->rc = SV_OK;
	r = response_exists(db, ch, c->consultation, c->response);
	if (r == DB_DONE)
		r = stored_is(db, ch, c, ch->was);
	if (r == DB_DONE && ch->was && ch->was->pass == STORE_PASS_MAIN)
		r = count(db, ch->was, -1);
	if (r == DB_DONE && ch->now && ch->now->pass == STORE_PASS_MAIN)
		r = count(db, ch->now, +1);
	if (r == DB_DONE)
		r = write_row(db, ch->now, ch->was, ch->day);
	return r;
}

/* The one change: now replaces was (either may be NULL, not both). */
static enum sv_err change(struct store *st, const struct store_code *now, const struct store_code *was)
{
	struct change ch = { .now = now, .was = was };

	if ((now && (!code_ok(now) || !now->analyst || !now->analyst[0] ||
		     strlen(now->analyst) > STORE_MAX_NAME || !now->key_id || !now->sealed ||
		     !now->sealed_len || now->sealed_len > STORE_MAX_CODE_SEALED)) ||
	    (was && (!code_ok(was) || (now && !same_answer(now, was)))))
		return SV_ERR_INVALID;
	store_today(ch.day);
	pthread_mutex_lock(&st->lock);
	/* Reads, then writes what they allow: one writer at a time on SQLite,
	 * serializable on PostgreSQL, where a race with another server is run
	 * again and then sees the other's code.  Any failure of a statement
	 * is SV_ERR_DB, as it has always been on SQLite. */
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, change_body, &ch);
	pthread_mutex_unlock(&st->lock);
	return ch.rc ? ch.rc : rc ? SV_ERR_DB : SV_OK;
}

enum sv_err store_analysis_code(struct store *st, const struct store_code *now,
				const struct store_code *was)
{
	return now ? change(st, now, was) : SV_ERR_INVALID;
}

enum sv_err store_analysis_uncode(struct store *st, const struct store_code *was)
{
	return was && was->sealed ? change(st, NULL, was) : SV_ERR_INVALID;
}

struct each_code {
	void (*fn)(void *arg, const struct store_sealed_code *c);
	void *arg;
	int pass;
};

static void on_code(struct db_stmt *row, void *ctx)
{
	struct each_code *e = ctx;
	struct store_sealed_code c = {
		.response = db_column_int64(row, 0),
		.question = db_column_text(row, 1),
		.pass = db_column_int(row, 2),
		.analyst = db_column_text(row, 3),
		.day = db_column_text(row, 4),
		.key_id = db_column_text(row, 5),
	};
	c.sealed = db_column_blob(row, 6, &c.sealed_len);
	if (!e->pass || e->pass == c.pass)
		e->fn(e->arg, &c);
}

enum sv_err store_analysis_each(struct store *st, const char *consultation, int pass,
				void (*fn)(void *arg, const struct store_sealed_code *c), void *arg)
{
	struct each_code e = { fn, arg, pass };
	return store_rows(st, "SELECT response, question, pass, analyst, day, key_id, sealed"
			  " FROM analysis_codes WHERE consultation = ?1"
			  " ORDER BY response, question, pass", consultation, on_code, &e,
			  "listing codes");
}

struct each_count {
	void (*theme_fn)(void *arg, const char *theme, long long count);
	void (*priority_fn)(void *arg, int priority, long long count);
	void *arg;
};

/* Every export's counts table reads these (export/aggregate.c). */
static void on_count(struct db_stmt *row, void *ctx)
{
	struct each_count *e = ctx;
	if (e->theme_fn)
		e->theme_fn(e->arg, store_str(row, 0), db_column_int64(row, 1));
	else
		e->priority_fn(e->arg, db_column_int(row, 0), db_column_int64(row, 1));
}

enum sv_err store_analysis_theme_counts(struct store *st, const char *consultation,
					void (*fn)(void *arg, const char *theme, long long count),
					void *arg)
{
	struct each_count e = { .theme_fn = fn, .arg = arg };
	return store_rows(st, "SELECT theme, count FROM analysis_theme_counts"
			  " WHERE consultation = ?1 ORDER BY theme", consultation, on_count, &e,
			  "reading code counts");
}

enum sv_err store_analysis_priority_counts(struct store *st, const char *consultation,
					   void (*fn)(void *arg, int priority, long long count),
					   void *arg)
{
	struct each_count e = { .priority_fn = fn, .arg = arg };
	return store_rows(st, "SELECT priority, count FROM analysis_priority_counts"
			  " WHERE consultation = ?1 ORDER BY priority", consultation, on_count, &e,
			  "reading code counts");
}

enum sv_err store_response_one(struct store *st, const char *consultation, long long id,
			       store_response_fn fn, void *arg)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	/* "+consultation" as in response_exists. */
	rc = db_prepare(st->conn, db_dialect(st->conn) == DB_SQLITE ?
			"SELECT coalesce(final_id, id), survey, day, key_id, sealed"
			" FROM responses WHERE id = ?2 AND +consultation = ?1 AND id < ?3"
			" UNION ALL SELECT final_id, survey, day, key_id, sealed FROM responses"
			" WHERE id >= ?3 AND final_id = ?2 AND consultation = ?1 LIMIT 1" :
			"SELECT coalesce(final_id, id), survey, day, key_id, sealed"
			" FROM responses WHERE id = ?2 AND consultation = ?1 AND id < ?3"
			" UNION ALL SELECT final_id, survey, day, key_id, sealed FROM responses"
			" WHERE id >= ?3 AND final_id = ?2 AND consultation = ?1 LIMIT 1", &s);
	if (!rc) {
		db_bind_text(s, 1, consultation);
		db_bind_int64(s, 2, id);
		db_bind_int64(s, 3, STORE_FRESH_ID);
		enum db_rc r = db_step(s);
		if (r == DB_ROW) {
			struct store_sealed row = {
				.id = db_column_int64(s, 0),
				.survey = db_column_text(s, 1),
				.day = db_column_text(s, 2),
				.key_id = db_column_text(s, 3),
			};
			row.sealed = db_column_blob(s, 4, &row.sealed_len);
			fn(arg, &row);
		} else {
			rc = r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
			if (rc == SV_ERR_DB)
				db_log(st->conn, "reading a response");
		}
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ---- one analysis session across servers ---- */

/* Runs sql (one row, one number) on db into *out; SV_ERR_DB if it fails. */
static enum sv_err one_number(struct db *db, const char *sql, long long *out, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_ERR_DB;

	if (db_prepare(db, sql, &s) == SV_OK) {
		enum db_rc r = db_step(s);
		if (r == DB_ROW) {
			*out = db_column_int64(s, 0);
			rc = SV_OK;
		} else {
			db_log_failure(db, r == DB_DONE ? DB_ERROR : r, what);
		}
	}
	db_finalize(s);
	return rc;
}

enum sv_err store_analysis_hold(struct store *st, struct store_hold **out)
{
	struct store_hold *h = calloc(1, sizeof *h);
	long long got = 0;
	enum sv_err rc = SV_OK;

	*out = NULL;
	if (!h)
		return SV_ERR_NOMEM;
	if (st->url) {
		rc = db_open(st->url, 0, &h->db);
		if (!rc)
			rc = one_number(h->db, "SELECT pg_try_advisory_lock(" ANALYSIS_LOCK ")", &got,
					"taking the analysis lock");
		if (!rc && !got)
			rc = SV_ERR_EXISTS;
	}
	if (rc) {
		store_analysis_release(h);
		return rc;
	}
	*out = h;
	return SV_OK;
}

enum sv_err store_analysis_hold_check(struct store_hold *h)
{
	long long held = 0;

	if (!h)
		return SV_ERR_INVALID;
	if (!h->db)
		return SV_OK;
	/* After a lost connection db_pg makes a new one: a new backend, which
	 * does not hold the lock, so the count is 0 and the analysis ends. */
	enum sv_err rc = one_number(h->db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
				    " AND pid = pg_backend_pid() AND granted AND classid = 0"
				    " AND objid = " ANALYSIS_LOCK " AND objsubid = 1", &held,
				    "checking the analysis lock");
	return rc ? rc : held == 1 ? SV_OK : SV_ERR_NOTFOUND;
}

void store_analysis_release(struct store_hold *h)
{
	if (!h)
		return;
	db_close(h->db);   /* ends the connection, and with it the lock */
	free(h);
}
