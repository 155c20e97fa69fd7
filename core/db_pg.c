/*
 * db_pg.c - the statement layer on PostgreSQL through libpq (see db.h and
 * docs/postgresql.md).
 *
 * What libpq does and this file leaves to it: parsing the URL (every form
 * libpq takes works, passwords from ~/.pgpass or PGPASSFILE included),
 * quoting (values always travel apart from the SQL, PQexecParams and
 * PQexecPrepared), server-side prepared statements (PQprepare), bytea
 * decoding (PQunescapeBytea).  What this file adds: ?N written as $N,
 * results read row by row behind db_step, SQLSTATEs mapped to enum db_rc,
 * and the session settings the store's promises depend on.
 *
 * Values go to the server as text, except blobs, which go as binary
 * (format 1, no escaping, no doubling of size); results come back as text,
 * so that integers of any width and booleans read the same way, and bytea
 * columns are decoded once per value asked for.
 *
 * Each step that runs a statement is one round trip with its whole result
 * kept in memory (PQexecParams); reading every sealed response of a large
 * consultation in one statement would hold all of them at once, so such
 * reads page through the table (docs/postgresql.md, "what is left").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_int.h"

#define PG_BYTEA_OID 17            /* pg_type.oid of bytea (catalog/pg_type_d.h) */
#define PG_INT8_OID 20             /* and of bigint */
#define PG_TEXT_OID 25             /* and of text */
#define PG_CONNECT_TIMEOUT "10"    /* seconds, where the URL does not say */
#define PG_SQL_MAX 16384           /* a statement after rewriting, bytes */

struct db_pg {
	struct db base;
	PGconn *c;
	long long changes;             /* rows changed by the last statement */
	unsigned long names;           /* kept statements prepared so far */
	unsigned long generation;      /* bumped at each reconnection */
	int readonly;                  /* DB_OPEN_READONLY */
	int in_tx;                     /* between db_begin and commit or rollback:
	                                * never reconnect then (see connected) */
	char msg[256];                 /* this file's own last message */
};

struct db_pg_stmt {
	struct db_stmt base;
	char *sql;                     /* with $N */
	int nparams;                   /* the highest N */
	unsigned long long used;       /* bit N - 1: $N is in the SQL */
	int kept;                      /* prepared on the server as name */
	char name[32];
	unsigned long prepared_in;     /* the generation it was prepared in */
	const char *values[DB_MAX_PARAMS];
	int lengths[DB_MAX_PARAMS];
	int formats[DB_MAX_PARAMS];    /* 0 text, 1 binary (blobs) */
	Oid types[DB_MAX_PARAMS];      /* bigint, bytea, or 0: the server infers */
	char ints[DB_MAX_PARAMS][24];  /* integers bound, as text */
	PGresult *res;                 /* the current result, or NULL */
	int row;                       /* the current row of res */
	unsigned char **decoded;       /* bytea values of the row, by column */
	size_t *decoded_len;           /* and their lengths */
	int ndecoded;
};

#define PG(db) ((struct db_pg *)(db))
#define ST(s) ((struct db_pg_stmt *)(s))

static const char *pg_errmsg(struct db *db)
{
	struct db_pg *d = PG(db);

	if (d->msg[0])
		return d->msg;
	return d->c ? PQerrorMessage(d->c) : "no connection";
}

/* The class of a failed result, from its SQLSTATE (PostgreSQL's appendix
 * A): 23505 unique_violation; 23xxx any other integrity constraint; 40001
 * serialization_failure and 40P01 deadlock_detected, which mean "run the
 * transaction again". */
static enum db_rc rc_of_error(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (!state)
		return DB_ERROR;
	if (strcmp(state, "23505") == 0)
		return DB_UNIQUE;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return DB_RETRY;
	return DB_ERROR;
}

/* Rows changed, from the command tag, for the commands SQLite counts. */
static void note_changes(struct db_pg *d, const PGresult *res)
{
	const char *tag = PQcmdStatus((PGresult *)res);

	if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
	    strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
		d->changes = strtoll(PQcmdTuples((PGresult *)res), NULL, 10);
}

/* The settings every session starts with (and starts again with after a
 * reconnection): a commit returns only once it is flushed to disk, whatever
 * the server's or the role's default (docs/postgresql.md, durability);
 * text is UTF-8; no statement waits for a lock longer than a request may;
 * notices ("table does not exist, skipping") stay out of the log. */
static enum sv_err session_settings(struct db_pg *d)
{
	int readonly = d->readonly;

	PGresult *res = PQexec(d->c, readonly ?
		"SET synchronous_commit = on; SET client_encoding = 'UTF8'; SET lock_timeout = '5s';"
		" SET client_min_messages = warning; SET default_transaction_read_only = on" :
		"SET synchronous_commit = on; SET client_encoding = 'UTF8'; SET lock_timeout = '5s';"
		" SET client_min_messages = warning");
	enum sv_err rc = PQresultStatus(res) == PGRES_COMMAND_OK ? SV_OK : SV_ERR_DB;

	if (rc)
		db_log(&d->base, "setting up the session");
	PQclear(res);
	return rc;
}

/* Before a statement: a connection lost between transactions is made again
 * (once; libpq bounds the wait with connect_timeout).  Inside a transaction
 * it is not: the transaction is gone, and the rest of it must fail rather
 * than run, one statement at a time, on a new connection; the caller's
 * rollback ends it. */
static int connected(struct db_pg *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return 1;
	if (d->in_tx) {
		snprintf(d->msg, sizeof d->msg, "the connection was lost in a transaction");
		return 0;
	}
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK)
		return 0;
	d->generation++;
	return session_settings(d) == SV_OK;
}

static void pg_close(struct db *db)
{
	PQfinish(PG(db)->c);
	free(db);
}

static enum sv_err pg_prepare(struct db *db, const char *sql, int kept, struct db_stmt **out)
{
	struct db_pg *d = PG(db);
	struct db_pg_stmt *st = calloc(1, sizeof *st);
	size_t len = strlen(sql), cap = len + 1;   /* "?1" becomes "$1": never longer */
	enum sv_err rc = len > PG_SQL_MAX ? SV_ERR_TOOBIG : SV_ERR_NOMEM;

	d->msg[0] = '\0';
	if (!st || len > PG_SQL_MAX || !(st->sql = malloc(cap)))
		goto fail;
	st->base.db = db;
	rc = db_rewrite_params(sql, st->sql, cap, &st->nparams, &st->used);
	if (rc) {
		snprintf(d->msg, sizeof d->msg, "parameters not written ?1 to ?%d", DB_MAX_PARAMS);
		db_log(db, "prepare");
		goto fail;
	}
	st->kept = kept;
	if (kept)
		snprintf(st->name, sizeof st->name, "yv%lu", ++d->names);
	*out = &st->base;
	return SV_OK;
fail:
	if (st)
		free(st->sql);
	free(st);
	return rc;
}

static void drop_row(struct db_pg_stmt *st)
{
	for (int i = 0; i < st->ndecoded; i++)
		PQfreemem(st->decoded[i]);
	free(st->decoded);
	free(st->decoded_len);
	st->decoded = NULL;
	st->decoded_len = NULL;
	st->ndecoded = 0;
}

static void pg_reset(struct db_stmt *s)
{
	struct db_pg_stmt *st = ST(s);

	drop_row(st);
	PQclear(st->res);
	st->res = NULL;
	st->row = 0;
}

static void pg_finalize(struct db_stmt *s)
{
	struct db_pg_stmt *st = ST(s);
	struct db_pg *d = PG(s->db);

	pg_reset(s);
	/* A statement kept on the server goes with it (not inside a failed
	 * transaction, where the server would refuse: it goes at the end of
	 * the session then). */
	if (st->kept && st->prepared_in == d->generation && st->name[0] &&
	    PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) == PQTRANS_IDLE) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(d->c, sql));
	}
	free(st->sql);
	free(st);
}

static void pg_bind_text(struct db_stmt *s, int i, const char *text)
{
	struct db_pg_stmt *st = ST(s);

	st->values[i - 1] = text;
	st->lengths[i - 1] = 0;
	st->formats[i - 1] = 0;
	st->types[i - 1] = 0;
}

static void pg_bind_int64(struct db_stmt *s, int i, long long v)
{
	struct db_pg_stmt *st = ST(s);

	snprintf(st->ints[i - 1], sizeof st->ints[i - 1], "%lld", v);
	pg_bind_text(s, i, st->ints[i - 1]);
	/* Typed, so that ?1 + 1 is bigint arithmetic, never int4's. */
	st->types[i - 1] = PG_INT8_OID;
}

static void pg_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	struct db_pg_stmt *st = ST(s);

	/* libpq counts in int; sealed payloads are kilobytes.  An empty blob
	 * still needs a non-NULL pointer, or it would be SQL NULL. */
	st->values[i - 1] = n ? p : "";
	st->lengths[i - 1] = n > 0x7fffffff ? 0x7fffffff : (int)n;
	st->formats[i - 1] = 1;
	st->types[i - 1] = PG_BYTEA_OID;
}

static void pg_bind_null(struct db_stmt *s, int i)
{
	pg_bind_text(s, i, NULL);
}

static void pg_clear_bindings(struct db_stmt *s)
{
	struct db_pg_stmt *st = ST(s);

	for (int i = 0; i < DB_MAX_PARAMS; i++)
		pg_bind_null(s, i + 1);
	memset(st->ints, 0, sizeof st->ints);
}

/* Runs the statement: one round trip, the result kept in st->res. */
static enum db_rc run(struct db_pg_stmt *st)
{
	struct db_pg *d = PG(st->base.db);
	PGresult *res;

	/* A number the SQL skips (?1, ?2, ?4) is still a parameter to the
	 * server, whose type nothing can tell: say text, and send NULL. */
	for (int i = 0; i < st->nparams; i++)
		if (!(st->used & (1ULL << i))) {
			st->values[i] = NULL;
			st->types[i] = PG_TEXT_OID;
		}

	d->msg[0] = '\0';
	if (!connected(d))
		return DB_ERROR;
	if (st->kept && st->prepared_in != d->generation + 1) {
		/* Prepared in an earlier session (or never): prepare it now,
		 * with the types of its first values (so keep them: bind the
		 * same kinds at every run).  prepared_in holds generation + 1,
		 * so 0 means never. */
		res = PQprepare(d->c, st->name, st->sql, st->nparams, st->types);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		enum db_rc r = ok ? DB_DONE : rc_of_error(res);
		PQclear(res);
		if (!ok)
			return r;
		st->prepared_in = d->generation + 1;
	}
	res = st->kept ?
		PQexecPrepared(d->c, st->name, st->nparams, st->values, st->lengths, st->formats, 0) :
		PQexecParams(d->c, st->sql, st->nparams, st->types, st->values, st->lengths,
			     st->formats, 0);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
		note_changes(d, res);
		PQclear(res);
		return DB_DONE;
	case PGRES_TUPLES_OK:
		note_changes(d, res);
		st->res = res;
		st->row = 0;
		return PQntuples(res) > 0 ? DB_ROW : DB_DONE;
	default: {
		/* A lost connection is not made again here, even outside a
		 * transaction: the server may have run the statement before the
		 * line went, and running it twice is not ours to decide.  The
		 * caller fails (503); its next statement reconnects. */
		enum db_rc r = rc_of_error(res);
		PQclear(res);
		return r;
	}
	}
}

static enum db_rc pg_step(struct db_stmt *s)
{
	struct db_pg_stmt *st = ST(s);

	drop_row(st);
	if (!st->res)
		return run(st);
	if (st->row + 1 >= PQntuples(st->res))
		return DB_DONE;
	st->row++;
	return DB_ROW;
}

static int has_value(struct db_pg_stmt *st, int i)
{
	return st->res && st->row < PQntuples(st->res) && i >= 0 && i < PQnfields(st->res) &&
		!PQgetisnull(st->res, st->row, i);
}

static const char *pg_column_text(struct db_stmt *s, int i)
{
	struct db_pg_stmt *st = ST(s);

	return has_value(st, i) ? PQgetvalue(st->res, st->row, i) : NULL;
}

static long long pg_column_int64(struct db_stmt *s, int i)
{
	const char *v = pg_column_text(s, i);

	if (!v)
		return 0;
	if (v[0] == 't' && v[1] == '\0')   /* a boolean, as text */
		return 1;
	return strtoll(v, NULL, 10);       /* "f" and any non-number read 0 */
}

static const void *pg_column_blob(struct db_stmt *s, int i, size_t *n)
{
	struct db_pg_stmt *st = ST(s);

	*n = 0;
	if (!has_value(st, i))
		return NULL;
	if (PQftype(st->res, i) != PG_BYTEA_OID) {
		*n = (size_t)PQgetlength(st->res, st->row, i);
		return PQgetvalue(st->res, st->row, i);
	}
	if (!st->decoded) {
		size_t n_fields = (size_t)PQnfields(st->res);
		st->decoded = calloc(n_fields, sizeof *st->decoded);
		st->decoded_len = calloc(n_fields, sizeof *st->decoded_len);
		if (!st->decoded || !st->decoded_len) {
			drop_row(st);
			return NULL;
		}
		st->ndecoded = (int)n_fields;
	}
	if (!st->decoded[i])
		st->decoded[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i),
						 &st->decoded_len[i]);
	*n = st->decoded[i] ? st->decoded_len[i] : 0;
	return st->decoded[i];
}

static int pg_column_is_null(struct db_stmt *s, int i)
{
	return !has_value(ST(s), i);
}

static long long pg_changes(struct db *db)
{
	return PG(db)->changes;
}

/* Runs sql without parameters (several statements allowed): the simple
 * query protocol. */
static enum db_rc exec_plain(struct db_pg *d, const char *sql)
{
	d->msg[0] = '\0';
	if (!connected(d))
		return DB_ERROR;
	PGresult *res = PQexec(d->c, sql);
	ExecStatusType t = PQresultStatus(res);
	enum db_rc r = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? DB_DONE : rc_of_error(res);

	if (r == DB_DONE)
		note_changes(d, res);
	PQclear(res);
	return r;
}

static enum sv_err pg_exec(struct db *db, const char *sql)
{
	if (exec_plain(PG(db), sql) != DB_DONE) {
		db_log(db, "exec");
		return SV_ERR_DB;
	}
	return SV_OK;
}

static enum db_rc pg_begin(struct db *db, enum db_tx kind)
{
	static const char *const begin[] = {
		[DB_TX_WRITE] = "BEGIN ISOLATION LEVEL SERIALIZABLE",
		[DB_TX_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		[DB_TX_COUNTERS] = "BEGIN ISOLATION LEVEL READ COMMITTED",
		[DB_TX_SCHEMA] = "BEGIN ISOLATION LEVEL READ COMMITTED;"
			/* one server migrates at a time; the others wait, then
			 * find the schema current (any constant serves) */
			" SELECT pg_advisory_xact_lock(7917001)",
	};
	struct db_pg *d = PG(db);

	if (d->in_tx) {
		snprintf(d->msg, sizeof d->msg, "a transaction is already open");
		db_log(db, "beginning a transaction");
		return DB_ERROR;
	}
	enum db_rc r = exec_plain(d, begin[kind]);
	if (r == DB_DONE)
		d->in_tx = 1;
	else if (r != DB_RETRY)
		db_log(db, "beginning a transaction");
	return r;
}

static enum db_rc pg_commit(struct db *db)
{
	struct db_pg *d = PG(db);

	/* A failed transaction answers COMMIT with ROLLBACK, and "success":
	 * never take that for a commit. */
	if (PQtransactionStatus(d->c) != PQTRANS_INTRANS) {
		snprintf(d->msg, sizeof d->msg, "commit of a transaction that %s",
			 PQtransactionStatus(d->c) == PQTRANS_INERROR ? "failed" : "is not open");
		db_log(db, "commit");
		return DB_ERROR;
	}
	enum db_rc r = exec_plain(d, "COMMIT");
	if (r != DB_DONE && r != DB_RETRY)
		db_log(db, "commit");
	/* Committed, or failed at COMMIT (which ends it too), or the line
	 * went: in every case no transaction is open any more. */
	if (PQtransactionStatus(d->c) != PQTRANS_INTRANS && PQtransactionStatus(d->c) != PQTRANS_INERROR)
		d->in_tx = 0;
	return r;
}

static void pg_rollback(struct db *db)
{
	struct db_pg *d = PG(db);
	PGTransactionStatusType t = PQtransactionStatus(d->c);

	if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR)
		PQclear(PQexec(d->c, "ROLLBACK"));
	d->in_tx = 0;
}

static int pg_in_transaction(struct db *db)
{
	return PG(db)->in_tx;
}

/* One number from a query without parameters: *out, or 0 with no row. */
static enum sv_err query_number(struct db *db, const char *sql, long long *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = pg_prepare(db, sql, 0, &s);

	*out = 0;
	if (rc)
		return rc;
	enum db_rc r = pg_step(s);
	if (r == DB_ROW)
		*out = pg_column_int64(s, 0);
	pg_finalize(s);
	if (r != DB_ROW && r != DB_DONE) {
		db_log(db, "reading schema version");
		return SV_ERR_DB;
	}
	return SV_OK;
}

static enum sv_err pg_schema_version(struct db *db, int *version)
{
	long long exists = 0, v = 0;
	enum sv_err rc = query_number(db, "SELECT to_regclass('youthvoice_schema') IS NOT NULL", &exists);

	if (!rc && exists)
		rc = query_number(db, "SELECT version FROM youthvoice_schema", &v);
	*version = (int)v;
	return rc;
}

static enum sv_err pg_set_schema_version(struct db *db, int version)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "CREATE TABLE IF NOT EXISTS youthvoice_schema ("
		 "one INTEGER PRIMARY KEY DEFAULT 1 CHECK (one = 1), version INTEGER NOT NULL);"
		 " INSERT INTO youthvoice_schema (one, version) VALUES (1, %d)"
		 " ON CONFLICT (one) DO UPDATE SET version = excluded.version", version);
	return pg_exec(db, sql);
}

static const struct db_ops pg_ops = {
	pg_close, pg_errmsg, pg_prepare, pg_finalize,
	pg_bind_text, pg_bind_int64, pg_bind_blob, pg_bind_null,
	pg_step, pg_reset, pg_clear_bindings,
	pg_column_text, pg_column_int64, pg_column_blob, pg_column_is_null,
	pg_changes, pg_exec, pg_begin, pg_commit, pg_rollback, pg_in_transaction,
	pg_schema_version, pg_set_schema_version,
};

enum sv_err db_pg_open(const char *url, int flags, struct db **out)
{
	struct db_pg *d = calloc(1, sizeof *d);

	if (!d)
		return SV_ERR_NOMEM;
	d->base.ops = &pg_ops;
	d->base.backend = DB_POSTGRES;
	/* Our defaults first; the URL, expanded in place of dbname, comes
	 * after them and so overrides any it sets. */
	const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *const values[] = { PG_CONNECT_TIMEOUT, url, NULL };
	d->c = PQconnectdbParams(keys, values, 1);
	if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
		/* libpq's message names host and port, never the password. */
		fprintf(stderr, "store: connecting to PostgreSQL: %s",
			d->c ? PQerrorMessage(d->c) : "out of memory\n");
		pg_close(&d->base);
		return SV_ERR_DB;
	}
	d->readonly = (flags & DB_OPEN_READONLY) != 0;
	if (session_settings(d)) {
		pg_close(&d->base);
		return SV_ERR_DB;
	}
	*out = &d->base;
	return SV_OK;
}
