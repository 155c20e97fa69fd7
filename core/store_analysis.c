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
 */
#include <string.h>

#include "store_int.h"

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

/* Commits on rc == SV_OK, else rolls back; returns rc or the commit's error. */
static enum sv_err finish(struct store *st, enum sv_err rc)
{
	rc = rc ? rc : store_exec(st->db, "COMMIT");
	if (rc)
		store_exec(st->db, "ROLLBACK");
	return rc;
}

/* SV_OK if the consultation has a response with this id (its final id,
 * for one stored during a load and not yet renumbered), else
 * SV_ERR_NOTFOUND. */
static enum sv_err response_exists(struct store *st, const char *consultation, long long id)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, "SELECT 1 FROM responses WHERE id = ?2 AND +consultation = ?1"
				       " AND id < ?3 UNION ALL SELECT 1 FROM responses WHERE id >= ?3"
				       " AND final_id = ?2 AND consultation = ?1 LIMIT 1", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, consultation, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		sqlite3_bind_int64(s, 3, STORE_FRESH_ID);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? SV_OK : r == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			store_log(st->db, "finding a coded response");
	}
	sqlite3_finalize(s);
	return rc;
}

/* SV_OK if the stored code of c's answer and pass is was's box (was NULL:
 * there is none), SV_ERR_EXISTS if it is another, SV_ERR_NOTFOUND if was
 * is set and there is none. */
static enum sv_err stored_is(struct store *st, const struct store_code *c, const struct store_code *was)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, "SELECT sealed FROM analysis_codes WHERE consultation = ?1"
				       " AND response = ?2 AND question = ?3 AND pass = ?4", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, c->consultation, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, c->response);
		sqlite3_bind_text(s, 3, c->question, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, c->pass);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			const void *box = sqlite3_column_blob(s, 0);
			size_t len = (size_t)sqlite3_column_bytes(s, 0);
			rc = was && was->sealed && len == was->sealed_len && box &&
			     memcmp(box, was->sealed, len) == 0 ? SV_OK : SV_ERR_EXISTS;
		} else if (r == SQLITE_DONE) {
			rc = was ? SV_ERR_NOTFOUND : SV_OK;
		} else {
			rc = SV_ERR_DB;
			store_log(st->db, "reading a code");
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Adds delta (+1 or -1) to the counts of c's themes and priorities.  Giving
 * back a count that is not there is an error, as is one below zero (the
 * CHECK): the caller's old code was never counted so. */
static enum sv_err count(struct store *st, const struct store_code *c, int delta)
{
	static const char *const add[2] = {
		"INSERT INTO analysis_theme_counts (consultation, theme, count) VALUES (?1, ?2, 1)"
		" ON CONFLICT (consultation, theme) DO UPDATE SET count = count + 1",
		"INSERT INTO analysis_priority_counts (consultation, priority, count) VALUES (?1, ?2, 1)"
		" ON CONFLICT (consultation, priority) DO UPDATE SET count = count + 1",
	};
	static const char *const take[2] = {
		"UPDATE analysis_theme_counts SET count = count - 1 WHERE consultation = ?1 AND theme = ?2",
		"UPDATE analysis_priority_counts SET count = count - 1"
		" WHERE consultation = ?1 AND priority = ?2",
	};
	enum sv_err rc = SV_OK;

	for (int kind = 0; kind < 2 && !rc; kind++) {
		sqlite3_stmt *s = NULL;
		size_t n = kind == 0 ? c->nthemes : c->npriorities;
		rc = store_prepare(st, delta > 0 ? add[kind] : take[kind], &s);
		for (size_t i = 0; i < n && !rc; i++) {
			sqlite3_bind_text(s, 1, c->consultation, -1, SQLITE_STATIC);
			if (kind == 0)
				sqlite3_bind_text(s, 2, c->themes[i], -1, SQLITE_STATIC);
			else
				sqlite3_bind_int(s, 2, c->priorities[i]);
			rc = store_step_done(st->db, s, "counting a code");
			if (!rc && delta < 0 && sqlite3_changes(st->db) != 1) {
				store_log(st->db, "giving back a count that was never added");
				rc = SV_ERR_DB;
			}
		}
		sqlite3_finalize(s);
	}
	return rc;
}

/* Writes now (NULL: deletes was's row). */
static enum sv_err write_row(struct store *st, const struct store_code *now, const struct store_code *was)
{
	sqlite3_stmt *s = NULL;
	char day[11];
	enum sv_err rc;

	if (!now) {
		rc = store_prepare(st, "DELETE FROM analysis_codes WHERE consultation = ?1 AND response = ?2"
				   " AND question = ?3 AND pass = ?4", &s);
		if (!rc) {
			sqlite3_bind_text(s, 1, was->consultation, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, was->response);
			sqlite3_bind_text(s, 3, was->question, -1, SQLITE_STATIC);
			sqlite3_bind_int(s, 4, was->pass);
			rc = store_step_done(st->db, s, "removing a code");
		}
		sqlite3_finalize(s);
		return rc;
	}
	store_today(day);
	rc = store_prepare(st, "INSERT INTO analysis_codes (consultation, response, question, pass, analyst,"
			   " day, key_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			   " ON CONFLICT (consultation, response, question, pass) DO UPDATE SET"
			   " analyst = excluded.analyst, day = excluded.day, key_id = excluded.key_id,"
			   " sealed = excluded.sealed", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, now->consultation, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now->response);
		sqlite3_bind_text(s, 3, now->question, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, now->pass);
		sqlite3_bind_text(s, 5, now->analyst, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, now->key_id, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 8, now->sealed, (int)now->sealed_len, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "saving a code");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The one change: now replaces was (either may be NULL, not both). */
static enum sv_err change(struct store *st, const struct store_code *now, const struct store_code *was)
{
	const struct store_code *c = now ? now : was;

	if ((now && (!code_ok(now) || !now->analyst || !now->analyst[0] ||
		     strlen(now->analyst) > STORE_MAX_NAME || !now->key_id || !now->sealed ||
		     !now->sealed_len || now->sealed_len > STORE_MAX_CODE_SEALED)) ||
	    (was && (!code_ok(was) || (now && !same_answer(now, was)))))
		return SV_ERR_INVALID;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc) {
		pthread_mutex_unlock(&st->lock);
		return rc;
	}
	rc = response_exists(st, c->consultation, c->response);
	if (!rc)
		rc = stored_is(st, c, was);
	if (!rc && was && was->pass == STORE_PASS_MAIN)
		rc = count(st, was, -1);
	if (!rc && now && now->pass == STORE_PASS_MAIN)
		rc = count(st, now, +1);
	if (!rc)
		rc = write_row(st, now, was);
	rc = finish(st, rc);
	pthread_mutex_unlock(&st->lock);
	return rc;
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

static void on_code(sqlite3_stmt *row, void *ctx)
{
	struct each_code *e = ctx;
	struct store_sealed_code c = {
		.response = sqlite3_column_int64(row, 0),
		.question = (const char *)sqlite3_column_text(row, 1),
		.pass = sqlite3_column_int(row, 2),
		.analyst = (const char *)sqlite3_column_text(row, 3),
		.day = (const char *)sqlite3_column_text(row, 4),
		.key_id = (const char *)sqlite3_column_text(row, 5),
		.sealed = sqlite3_column_blob(row, 6),
		.sealed_len = (size_t)sqlite3_column_bytes(row, 6),
	};
	if (!e->pass || e->pass == c.pass)
		e->fn(e->arg, &c);
}

enum sv_err store_analysis_each(struct store *st, const char *consultation, int pass,
				void (*fn)(void *arg, const struct store_sealed_code *c), void *arg)
{
	struct each_code e = { fn, arg, pass };
	return store_query_each(st, "SELECT response, question, pass, analyst, day, key_id, sealed"
				" FROM analysis_codes WHERE consultation = ?1"
				" ORDER BY response, question, pass", consultation, on_code, &e,
				"listing codes");
}

struct each_count {
	void (*theme_fn)(void *arg, const char *theme, long long count);
	void (*priority_fn)(void *arg, int priority, long long count);
	void *arg;
};

/* The two count reads below are on the statement layer already (core/db.h,
 * docs/postgresql.md): every export's counts table reads them
 * (export/aggregate.c), on PostgreSQL too.  The rest of this file is not. */
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
	sqlite3_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "SELECT coalesce(final_id, id), survey, day, key_id, sealed"
				       " FROM responses WHERE id = ?2 AND +consultation = ?1 AND id < ?3"
				       " UNION ALL SELECT final_id, survey, day, key_id, sealed FROM responses"
				       " WHERE id >= ?3 AND final_id = ?2 AND consultation = ?1 LIMIT 1", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, consultation, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, id);
		sqlite3_bind_int64(s, 3, STORE_FRESH_ID);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			struct store_sealed row = {
				.id = sqlite3_column_int64(s, 0),
				.survey = (const char *)sqlite3_column_text(s, 1),
				.day = (const char *)sqlite3_column_text(s, 2),
				.key_id = (const char *)sqlite3_column_text(s, 3),
				.sealed = sqlite3_column_blob(s, 4),
				.sealed_len = (size_t)sqlite3_column_bytes(s, 4),
			};
			fn(arg, &row);
		} else {
			rc = r == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
			if (rc == SV_ERR_DB)
				store_log(st->db, "reading a response");
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}
