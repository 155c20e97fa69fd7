/*
 * db_sqlite.c - the statement layer on SQLite (see db.h): each call is the
 * SQLite call of the same name, so the store's SQLite path costs what it
 * cost before the layer.  Opening sets what the store relies on: a busy
 * timeout, extended result codes (to tell a UNIQUE from a CHECK), foreign
 * keys on.  Journal mode, synchronous and secure_delete stay the store's
 * (store.c), since they are about the data folder, not about statements.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "db_int.h"

#define DB_SQLITE_BUSY_MS 5000   /* how long a write waits for another's lock */

struct db_sqlite {
	struct db base;
	sqlite3 *h;
};

struct db_sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
};

#define H(db) (((struct db_sqlite *)(db))->h)
#define S(st) (((struct db_sqlite_stmt *)(st))->s)

static enum db_rc rc_of(int r)
{
	switch (r & 0xff) {
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: case SQLITE_OK: return DB_DONE;
	case SQLITE_BUSY: case SQLITE_LOCKED: return DB_RETRY;
	case SQLITE_CONSTRAINT:
		return r == SQLITE_CONSTRAINT_PRIMARYKEY || r == SQLITE_CONSTRAINT_UNIQUE ?
			DB_UNIQUE : DB_CONSTRAINT;
	default: return DB_ERROR;
	}
}

static void sq_close(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	if (d->h && sqlite3_close(d->h) != SQLITE_OK)
		db_log(db, "closing");
	free(d);
}

static const char *sq_errmsg(struct db *db)
{
	return H(db) ? sqlite3_errmsg(H(db)) : "no database";
}

static enum sv_err sq_prepare(struct db *db, const char *sql, int kept, struct db_stmt **out)
{
	struct db_sqlite_stmt *st = calloc(1, sizeof *st);

	if (!st)
		return SV_ERR_NOMEM;
	st->base.db = db;
	if (sqlite3_prepare_v3(H(db), sql, -1, kept ? SQLITE_PREPARE_PERSISTENT : 0, &st->s,
			       NULL) != SQLITE_OK) {
		db_log(db, "prepare");
		free(st);
		return SV_ERR_DB;
	}
	*out = &st->base;
	return SV_OK;
}

static void sq_finalize(struct db_stmt *s)
{
	sqlite3_finalize(S(s));
	free(s);
}

static void sq_bind_text(struct db_stmt *s, int i, const char *text)
{
	sqlite3_bind_text(S(s), i, text, -1, SQLITE_STATIC);
}

static void sq_bind_int64(struct db_stmt *s, int i, long long v)
{
	sqlite3_bind_int64(S(s), i, v);
}

static void sq_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	/* Blobs here are sealed payloads, far below SQLite's 1 GB limit. */
	sqlite3_bind_blob64(S(s), i, p, n, SQLITE_STATIC);
}

static void sq_bind_null(struct db_stmt *s, int i)
{
	sqlite3_bind_null(S(s), i);
}

static enum db_rc sq_step(struct db_stmt *s)
{
	return rc_of(sqlite3_step(S(s)));
}

static void sq_reset(struct db_stmt *s)
{
	sqlite3_reset(S(s));
}

static void sq_clear_bindings(struct db_stmt *s)
{
	sqlite3_clear_bindings(S(s));
}

static const char *sq_column_text(struct db_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(S(s), i);
}

static long long sq_column_int64(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(S(s), i);
}

static const void *sq_column_blob(struct db_stmt *s, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(S(s), i);
	*n = (size_t)sqlite3_column_bytes(S(s), i);
	return p;
}

static int sq_column_is_null(struct db_stmt *s, int i)
{
	return sqlite3_column_type(S(s), i) == SQLITE_NULL;
}

static long long sq_changes(struct db *db)
{
	return sqlite3_changes64(H(db));
}

static enum sv_err sq_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(H(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "store: %s\n", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return SV_ERR_DB;
	}
	return SV_OK;
}

static enum db_rc sq_run_plain(struct db *db, const char *sql)
{
	int r = sqlite3_exec(H(db), sql, NULL, NULL, NULL);
	enum db_rc rc = rc_of(r);

	if (rc != DB_DONE && rc != DB_RETRY)
		db_log(db, sql);
	return rc;
}

static enum db_rc sq_begin(struct db *db, enum db_tx kind)
{
	return sq_run_plain(db, kind == DB_TX_READ ? "BEGIN" : "BEGIN IMMEDIATE");
}

static enum db_rc sq_commit(struct db *db)
{
	return sq_run_plain(db, "COMMIT");
}

static void sq_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(H(db)))
		sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(H(db));
}

static enum sv_err sq_schema_version(struct db *db, int *version)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = SV_ERR_DB;

	if (sqlite3_prepare_v2(H(db), "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = SV_OK;
	} else {
		db_log(db, "reading schema version");
	}
	sqlite3_finalize(s);
	return rc;
}

static enum sv_err sq_set_schema_version(struct db *db, int version)
{
	char sql[48];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	return sq_exec(db, sql);
}

static const struct db_ops sqlite_ops = {
	sq_close, sq_errmsg, sq_prepare, sq_finalize,
	sq_bind_text, sq_bind_int64, sq_bind_blob, sq_bind_null,
	sq_step, sq_reset, sq_clear_bindings,
	sq_column_text, sq_column_int64, sq_column_blob, sq_column_is_null,
	sq_changes, sq_exec, sq_begin, sq_commit, sq_rollback, sq_in_transaction,
	sq_schema_version, sq_set_schema_version,
};

static struct db_sqlite *sq_new(void)
{
	struct db_sqlite *d = calloc(1, sizeof *d);

	if (d) {
		d->base.ops = &sqlite_ops;
		d->base.backend = DB_SQLITE;
	}
	return d;
}

enum sv_err db_sqlite_open(const char *path, int flags, struct db **out)
{
	struct db_sqlite *d = sq_new();
	int readonly = flags & DB_OPEN_READONLY;
	int how = readonly ? SQLITE_OPEN_READONLY :
		SQLITE_OPEN_READWRITE | ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);

	if (!d)
		return SV_ERR_NOMEM;
	if (sqlite3_open_v2(path, &d->h, how | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		enum sv_err rc = readonly ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (!readonly)
			db_log(&d->base, "opening the database");
		sq_close(&d->base);
		return rc;
	}
	sqlite3_busy_timeout(d->h, DB_SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(d->h, 1);
	if (!readonly && sq_exec(&d->base, "PRAGMA foreign_keys = ON")) {
		sq_close(&d->base);
		return SV_ERR_DB;
	}
	*out = &d->base;
	return SV_OK;
}

struct sqlite3 *db_sqlite_handle(struct db *db)
{
	return db && db->backend == DB_SQLITE ? H(db) : NULL;
}
