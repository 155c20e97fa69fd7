/*
 * store_kiosk.c - kiosk links (see store.h): which survey a shared tablet
 * may send answers to, who made the link and whether it is switched off.
 *
 * Only the hash of a kiosk's token is kept, so a copy of the database opens
 * no kiosk.  Nothing here counts or lists the answers a kiosk sent: those go
 * through the shared commit like every other response (store_commit.c), and
 * no row links a response to the kiosk it came from.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

#define KIOSK_COLUMNS "id, survey, name, made_by, day, revoked"

/* One row of KIOSK_COLUMNS into k. */
static void read_kiosk(struct db_stmt *s, struct store_kiosk *k)
{
	memset(k, 0, sizeof *k);
	k->id = db_column_int64(s, 0);
	store_copy(k->survey, sizeof k->survey, s, 1);
	store_copy(k->name, sizeof k->name, s, 2);
	store_copy(k->made_by, sizeof k->made_by, s, 3);
	store_copy(k->day, sizeof k->day, s, 4);
	k->revoked = db_column_int(s, 5);
}

enum sv_err store_kiosk_add(struct store *st, const char *token_hash, const char *survey,
			    const char *name, const char *made_by, const char *day, long long *id)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	*id = 0;
	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, "INSERT INTO kiosks (token_hash, survey, name, made_by, day)"
			" VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id", &s);
	if (!rc) {
		db_bind_text(s, 1, token_hash);
		db_bind_text(s, 2, survey);
		db_bind_text(s, 3, name);
		db_bind_text(s, 4, made_by);
		db_bind_text(s, 5, day);
		rc = store_number(st, s, id, "adding a kiosk");
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Reads the one kiosk a statement (already bound) finds. */
static enum sv_err find_one(struct store *st, struct db_stmt *s, struct store_kiosk *out)
{
	enum db_rc r = db_step(s);

	if (r == DB_ROW) {
		read_kiosk(s, out);
		return SV_OK;
	}
	if (r == DB_DONE)
		return SV_ERR_NOTFOUND;
	db_log(st->conn, "reading a kiosk");
	return SV_ERR_DB;
}

enum sv_err store_kiosk_find(struct store *st, const char *token_hash, struct store_kiosk *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, "SELECT " KIOSK_COLUMNS " FROM kiosks WHERE token_hash = ?1", &s);
	if (!rc) {
		db_bind_text(s, 1, token_hash);
		rc = find_one(st, s, out);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_kiosk { void (*fn)(void *arg, const struct store_kiosk *k); void *arg; };

static void on_kiosk_row(struct db_stmt *row, void *ctx)
{
	struct each_kiosk *e = ctx;
	struct store_kiosk k;

	read_kiosk(row, &k);
	e->fn(e->arg, &k);
}

enum sv_err store_kiosk_each(struct store *st, void (*fn)(void *arg, const struct store_kiosk *k),
			     void *arg)
{
	struct each_kiosk e = { fn, arg };
	return store_rows(st, "SELECT " KIOSK_COLUMNS " FROM kiosks ORDER BY id DESC", NULL,
				on_kiosk_row, &e, "listing kiosks");
}

enum sv_err store_kiosk_revoke(struct store *st, long long id, struct store_kiosk *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	/* RETURNING: the row as it is now, in the same statement. */
	rc = db_prepare(st->conn, "UPDATE kiosks SET revoked = 1 WHERE id = ?1 RETURNING "
			KIOSK_COLUMNS, &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		rc = find_one(st, s, out);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}
