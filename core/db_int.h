/*
 * db_int.h - what db.c (the public face and what both backends share) and
 * the two backends, db_sqlite.c and db_pg.c, share.  Not for other files:
 * db.h is the layer's whole surface.
 */
#ifndef SV_DB_INT_H
#define SV_DB_INT_H

#include "db.h"

/* One backend's functions; db.c checks arguments and dispatches. */
struct db_ops {
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	enum sv_err (*prepare)(struct db *db, const char *sql, int kept, struct db_stmt **out);
	void (*finalize)(struct db_stmt *s);
	void (*bind_text)(struct db_stmt *s, int i, const char *text);
	void (*bind_int64)(struct db_stmt *s, int i, long long v);
	void (*bind_blob)(struct db_stmt *s, int i, const void *p, size_t n);
	void (*bind_null)(struct db_stmt *s, int i);
	enum db_rc (*step)(struct db_stmt *s);
	void (*reset)(struct db_stmt *s);
	void (*clear_bindings)(struct db_stmt *s);
	const char *(*column_text)(struct db_stmt *s, int i);
	long long (*column_int64)(struct db_stmt *s, int i);
	const void *(*column_blob)(struct db_stmt *s, int i, size_t *n);
	int (*column_is_null)(struct db_stmt *s, int i);
	long long (*changes)(struct db *db);
	enum sv_err (*exec)(struct db *db, const char *sql);
	enum db_rc (*begin)(struct db *db, enum db_tx kind);
	enum db_rc (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*in_transaction)(struct db *db);
	enum sv_err (*schema_version)(struct db *db, int *version);
	enum sv_err (*set_schema_version)(struct db *db, int version);
};

/* The head of every backend's connection and statement. */
struct db {
	const struct db_ops *ops;
	enum db_backend backend;
};

struct db_stmt {
	struct db *db;          /* the connection it was prepared on */
};

enum sv_err db_sqlite_open(const char *path, int flags, struct db **out);
enum sv_err db_pg_open(const char *url, int flags, struct db **out);

#endif
