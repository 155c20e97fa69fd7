/*
 * store_display.c - read-only display links for marketplace events (see
 * store.h): one per event at most, found by the hash of its token.
 *
 * The token itself is never given to this module, so it never reaches the
 * database, its WAL or a backup: a copy of the data folder opens no display.
 * Making a link replaces the event's old one in one statement, so there is
 * no moment with two working links.  Deleting an event deletes its link
 * (ON DELETE CASCADE), so an event id used again never inherits a link.
 */
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_int.h"

/* Runs one statement that binds an event id and, optionally, a text; under
 * the lock.  *changes gets how many rows it changed. */
static enum sv_err run_one(struct store *st, const char *sql, long long event_id,
			   const char *text, const char *text2, int *changes, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, sql, &s);
	if (!rc) {
		db_bind_int64(s, 1, event_id);
		if (text)
			db_bind_text(s, 2, text);
		if (text2)
			db_bind_text(s, 3, text2);
		rc = db_run(s, what) == DB_DONE ? SV_OK : SV_ERR_DB;
		*changes = rc ? 0 : (int)db_changes(st->conn);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_display_set(struct store *st, long long event_id, const char *hash_hex)
{
	char made[20];
	time_t now = time(NULL);
	struct tm tm;
	int changes = 0;

	if (strlen(hash_hex) != STORE_DISPLAY_HASH_HEX)
		return SV_ERR_INVALID;
	gmtime_r(&now, &tm);
	strftime(made, sizeof made, "%Y-%m-%dT%H:%MZ", &tm);
	/* Only for an event that exists: the SELECT gives no row otherwise. */
	enum sv_err rc = run_one(st, "INSERT INTO display_links (event_id, token_hash, made)"
				 " SELECT id, ?2, ?3 FROM events WHERE id = ?1"
				 " ON CONFLICT (event_id) DO UPDATE SET token_hash = excluded.token_hash,"
				 " made = excluded.made", event_id, hash_hex, made, &changes,
				 "making a display link");
	return rc ? rc : changes ? SV_OK : SV_ERR_NOTFOUND;
}

enum sv_err store_display_revoke(struct store *st, long long event_id)
{
	int changes = 0;
	enum sv_err rc = run_one(st, "DELETE FROM display_links WHERE event_id = ?1", event_id,
				 NULL, NULL, &changes, "revoking a display link");
	return rc ? rc : changes ? SV_OK : SV_ERR_NOTFOUND;
}

/* Reads one row of one column for a bound value; under the lock.  The
 * column is an integer (into *num) or text (into out, cap bytes). */
static enum sv_err read_one(struct store *st, const char *sql, long long id, const char *text,
			    long long *num, char *out, size_t cap, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, sql, &s);
	if (!rc) {
		if (text)
			db_bind_text(s, 1, text);
		else
			db_bind_int64(s, 1, id);
		enum db_rc r = db_step(s);
		if (r == DB_ROW && num)
			*num = db_column_int64(s, 0);
		if (r == DB_ROW && out) {
			const char *t = store_str(s, 0);
			size_t n = strlen(t);
			n = n < cap ? n : cap - 1;
			memcpy(out, t, n);
			out[n] = '\0';
		}
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, what);
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_display_find(struct store *st, const char *hash_hex, long long *event_id)
{
	*event_id = 0;
	if (strlen(hash_hex) != STORE_DISPLAY_HASH_HEX)
		return SV_ERR_NOTFOUND;
	return read_one(st, "SELECT event_id FROM display_links WHERE token_hash = ?1", 0, hash_hex,
			event_id, NULL, 0, "finding a display link");
}

enum sv_err store_display_made(struct store *st, long long event_id, char made[20])
{
	made[0] = '\0';
	return read_one(st, "SELECT made FROM display_links WHERE event_id = ?1", event_id, NULL,
			NULL, made, 20, "reading a display link");
}
