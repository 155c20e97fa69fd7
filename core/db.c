/*
 * db.c - the statement layer's public face (see db.h): it picks the
 * backend from the target, dispatches each call, and holds what both
 * backends share: the ?N rewriting PostgreSQL needs and the transaction
 * retry loop.  SQLite itself is in db_sqlite.c, libpq in db_pg.c.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "db_int.h"

int db_is_postgres_url(const char *target)
{
	return target && (strncmp(target, "postgresql://", 13) == 0 ||
			  strncmp(target, "postgres://", 11) == 0);
}

enum sv_err db_open(const char *target, int flags, struct db **out)
{
	*out = NULL;
	if (!target || !*target)
		return SV_ERR_INVALID;
	return db_is_postgres_url(target) ? db_pg_open(target, flags, out) :
		db_sqlite_open(target, flags, out);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_backend db_dialect(const struct db *db)
{
	return db->backend;
}

const char *db_errmsg(struct db *db)
{
	return db ? db->ops->errmsg(db) : "no database";
}

void db_log(struct db *db, const char *what)
{
	fprintf(stderr, "store: %s: %s\n", what, db_errmsg(db));
}

enum db_rc db_log_failure(struct db *db, enum db_rc r, const char *what)
{
	if (r != DB_DONE && r != DB_ROW && !(r == DB_RETRY && db_in_transaction(db)))
		db_log(db, what);
	return r;
}

enum sv_err db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	*out = NULL;
	return db->ops->prepare(db, sql, 0, out);
}

enum sv_err db_prepare_kept(struct db *db, const char *sql, struct db_stmt **out)
{
	*out = NULL;
	return db->ops->prepare(db, sql, 1, out);
}

void db_finalize(struct db_stmt *s)
{
	if (s)
		s->db->ops->finalize(s);
}

void db_bind_text(struct db_stmt *s, int i, const char *text)
{
	assert(i >= 1 && i <= DB_MAX_PARAMS);
	if (text)
		s->db->ops->bind_text(s, i, text);
	else
		s->db->ops->bind_null(s, i);
}

void db_bind_int64(struct db_stmt *s, int i, long long v)
{
	assert(i >= 1 && i <= DB_MAX_PARAMS);
	s->db->ops->bind_int64(s, i, v);
}

void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	assert(i >= 1 && i <= DB_MAX_PARAMS);
	s->db->ops->bind_blob(s, i, p, n);
}

void db_bind_null(struct db_stmt *s, int i)
{
	assert(i >= 1 && i <= DB_MAX_PARAMS);
	s->db->ops->bind_null(s, i);
}

enum db_rc db_step(struct db_stmt *s)
{
	return s->db->ops->step(s);
}

void db_reset(struct db_stmt *s)
{
	s->db->ops->reset(s);
}

void db_clear_bindings(struct db_stmt *s)
{
	s->db->ops->clear_bindings(s);
}

enum db_rc db_run(struct db_stmt *s, const char *what)
{
	enum db_rc r = db_step(s);

	if (r == DB_ROW)
		r = DB_DONE;   /* a statement run for its effect: rows ignored */
	else
		db_log_failure(s->db, r, what);
	db_reset(s);
	db_clear_bindings(s);
	return r;
}

const char *db_column_text(struct db_stmt *s, int i)
{
	return s->db->ops->column_text(s, i);
}

long long db_column_int64(struct db_stmt *s, int i)
{
	return s->db->ops->column_int64(s, i);
}

int db_column_int(struct db_stmt *s, int i)
{
	long long v = s->db->ops->column_int64(s, i);
	return v > 2147483647LL ? 2147483647 : v < -2147483647LL ? -2147483647 : (int)v;
}

const void *db_column_blob(struct db_stmt *s, int i, size_t *n)
{
	return s->db->ops->column_blob(s, i, n);
}

int db_column_is_null(struct db_stmt *s, int i)
{
	return s->db->ops->column_is_null(s, i);
}

long long db_changes(struct db *db)
{
	return db->ops->changes(db);
}

enum sv_err db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

enum db_rc db_begin(struct db *db, enum db_tx kind)
{
	return db->ops->begin(db, kind);
}

enum db_rc db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void db_rollback(struct db *db)
{
	db->ops->rollback(db);
}

int db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

enum sv_err db_schema_version(struct db *db, int *version)
{
	*version = 0;
	return db->ops->schema_version(db, version);
}

enum sv_err db_set_schema_version(struct db *db, int version)
{
	return db->ops->set_schema_version(db, version);
}

static enum sv_err err_of(enum db_rc r)
{
	return r == DB_DONE ? SV_OK : r == DB_UNIQUE ? SV_ERR_EXISTS :
		r == DB_CONSTRAINT ? SV_ERR_INVALID : SV_ERR_DB;
}

/* A pause before running a transaction again: random, so that two that
 * collided do not collide the same way again, and growing with each try
 * (about 1, 2, 4 ... ms, at most 64). */
static void backoff(int attempt)
{
	unsigned ms = 1u << (attempt < 6 ? attempt : 6);
	long ns = (long)randombytes_uniform(ms * 1000000u) + 500000L;
	struct timespec t = { ns / 1000000000L, ns % 1000000000L };

	nanosleep(&t, NULL);
}

enum sv_err db_transaction(struct db *db, enum db_tx kind,
			   enum db_rc (*body)(struct db *db, void *ctx), void *ctx)
{
	enum db_rc r = DB_ERROR;

	for (int attempt = 0; attempt <= DB_MAX_RETRIES; attempt++) {
		if (attempt)
			backoff(attempt);
		r = db_begin(db, kind);
		if (r == DB_DONE) {
			r = body(db, ctx);
			if (r == DB_ROW)
				r = DB_DONE;
			if (r == DB_DONE)
				r = db_commit(db);
		}
		if (r != DB_DONE)
			db_rollback(db);
		if (r != DB_RETRY)
			break;
	}
	if (r == DB_RETRY)
		fprintf(stderr, "store: a transaction lost %d races in a row; giving up\n",
			DB_MAX_RETRIES + 1);
	return err_of(r);
}

/*
 * ?N to $N.  A ? inside a string literal ('...', with '' inside), a quoted
 * name ("..."), or a comment (-- to the end of the line, slash-star to
 * star-slash) is text, copied as it is.  Every other ? must be followed by
 * 1 to DB_MAX_PARAMS: statements here always number their parameters, so
 * the same number may be used twice (?1 ... ?1) as SQLite allows.
 */
enum sv_err db_rewrite_params(const char *sql, char *out, size_t cap, int *nparams,
			      unsigned long long *used)
{
	size_t o = 0;
	int top = 0;
	unsigned long long seen = 0;

	*nparams = 0;
	if (used)
		*used = 0;
	for (const char *p = sql; *p; ) {
		char c = *p;
		const char *end = p + 1;

		if (c == '\'' || c == '"') {
			for (;;) {
				if (!*end)
					return SV_ERR_INVALID;   /* never closed */
				if (*end == c) {
					if (end[1] == c) {
						end += 2;    /* '' or "" inside */
						continue;
					}
					end++;
					break;
				}
				end++;
			}
		} else if (c == '-' && p[1] == '-') {
			while (*end && *end != '\n')
				end++;
		} else if (c == '/' && p[1] == '*') {
			const char *close = strstr(p + 2, "*/");
			if (!close)
				return SV_ERR_INVALID;
			end = close + 2;
		} else if (c == '?') {
			int n = 0, digits = 0;
			while (*end >= '0' && *end <= '9' && digits < 3) {
				n = n * 10 + (*end - '0');
				end++;
				digits++;
			}
			if (n < 1 || n > DB_MAX_PARAMS || (*end >= '0' && *end <= '9'))
				return SV_ERR_INVALID;
			if (n > top)
				top = n;
			seen |= 1ULL << (n - 1);
			if (o + 1 + (size_t)digits >= cap)
				return SV_ERR_TOOBIG;
			out[o++] = '$';
			memcpy(out + o, p + 1, (size_t)digits);
			o += (size_t)digits;
			p = end;
			continue;
		}
		size_t len = (size_t)(end - p);
		if (o + len >= cap)
			return SV_ERR_TOOBIG;
		memcpy(out + o, p, len);
		o += len;
		p = end;
	}
	if (o >= cap)
		return SV_ERR_TOOBIG;
	out[o] = '\0';
	*nparams = top;
	if (used)
		*used = seen;
	return SV_OK;
}
