/*
 * store_staff.c - staff accounts, sessions, the audit log and marketplace
 * events (see store.h).  Shares the connection and its lock with store.c;
 * tally changes go through the shared commit (store_commit.c).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_int.h"

enum sv_err store_user_add(struct store *st, const char *name, enum store_role role,
			   const char *password_hash)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, "INSERT INTO users (name, role, password) VALUES (?1, ?2, ?3)", &s);
	if (!rc) {
		db_bind_text(s, 1, name);
		db_bind_int64(s, 2, (int)role);
		db_bind_text(s, 3, password_hash);
		enum db_rc r = db_step(s);
		rc = r == DB_DONE ? SV_OK : r == DB_UNIQUE ? SV_ERR_EXISTS : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, "adding a user");
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void store_read_user(struct db_stmt *s, struct store_user *u)
{
	u->id = db_column_int64(s, 0);
	store_copy(u->name, sizeof u->name, s, 1);
	u->role = (enum store_role)db_column_int(s, 2);
	store_copy(u->password, sizeof u->password, s, 3);
	u->disabled = db_column_int(s, 4);
	u->must_change = db_column_int(s, 5);
	u->has_totp = db_column_int(s, 6);
}

/* The account where sql's ?1 is name (text) or, name NULL, id. */
static enum sv_err user_lookup(struct store *st, const char *sql, const char *name, long long id,
			       struct store_user *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, sql, &s);
	if (!rc) {
		if (name)
			db_bind_text(s, 1, name);
		else
			db_bind_int64(s, 1, id);
		enum db_rc r = db_step(s);
		if (r == DB_ROW)
			store_read_user(s, out);
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, "reading an account");
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_user_get(struct store *st, const char *name, struct store_user *out)
{
	return user_lookup(st, "SELECT " STORE_USER_COLUMNS " FROM " STORE_USER_FROM " WHERE u.name = ?1",
			   name, 0, out);
}

enum sv_err store_user_by_id(struct store *st, long long id, struct store_user *out)
{
	return user_lookup(st, "SELECT " STORE_USER_COLUMNS " FROM " STORE_USER_FROM " WHERE u.id = ?1",
			   NULL, id, out);
}

struct each_user { void (*fn)(void *arg, const char *name, enum store_role role); void *arg; };

static void on_user_row(struct db_stmt *row, void *ctx)
{
	struct each_user *e = ctx;
	e->fn(e->arg, store_str(row, 0), (enum store_role)db_column_int(row, 1));
}

enum sv_err store_user_each(struct store *st, void (*fn)(void *arg, const char *name,
			    enum store_role role), void *arg)
{
	struct each_user e = { fn, arg };
	return store_rows(st, "SELECT name, role FROM users ORDER BY name", NULL,
				on_user_row, &e, "listing accounts");
}

enum sv_err store_session_add(struct store *st, const char *id_hash, long long user_id,
			      const char *csrf, long long now)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	/* Sessions idle for a day, or started a day ago (the lifetime is
	 * shorter), are gone for good; tidy them as we go. */
	rc = db_prepare(st->conn, "DELETE FROM sessions WHERE last_seen < ?1 OR created < ?1", &s);
	if (!rc) {
		db_bind_int64(s, 1, now - 86400);
		rc = db_run(s, "tidying sessions") == DB_DONE ? SV_OK : SV_ERR_DB;
	}
	db_finalize(s);
	s = NULL;
	if (!rc)
		rc = db_prepare(st->conn, "INSERT INTO sessions (id, user_id, csrf, last_seen, created)"
				" VALUES (?1, ?2, ?3, ?4, ?4)", &s);
	if (!rc) {
		db_bind_text(s, 1, id_hash);
		db_bind_int64(s, 2, user_id);
		db_bind_text(s, 3, csrf);
		db_bind_int64(s, 4, now);
		rc = db_run(s, "starting a session") == DB_DONE ? SV_OK : SV_ERR_DB;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_session_get(struct store *st, const char *id_hash, long long now,
			      long long idle, long long life, struct store_user *user, char csrf[65])
{
	struct db_stmt *s = NULL;
	enum sv_err rc;
	long long last = 0, created = 0;

	memset(user, 0, sizeof *user);
	csrf[0] = '\0';
	pthread_mutex_lock(&st->lock);
	rc = store_kept(st, &st->session_get, "SELECT " STORE_USER_COLUMNS ", s.csrf,"
			" s.last_seen, s.created FROM sessions s JOIN users u ON u.id = s.user_id"
			" LEFT JOIN user_state x ON x.user_id = u.id"
			" WHERE s.id = ?1 AND COALESCE(x.disabled, 0) = 0");
	s = st->session_get;
	if (!rc) {
		db_bind_text(s, 1, id_hash);
		enum db_rc r = db_step(s);
		if (r == DB_ROW) {
			store_read_user(s, user);
			store_copy(csrf, 65, s, 7);
			last = db_column_int64(s, 8);
			created = db_column_int64(s, 9);
		}
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, "reading a session");
		db_reset(s);
		db_clear_bindings(s);
	}
	s = NULL;
	/* Unused too long, or too long since sign-in however busy. */
	if (!rc && (now - last > idle || now - created > life))
		rc = SV_ERR_NOTFOUND;
	/* Mark it used, at most once a minute (fewer writes), or forget it. */
	if ((rc == SV_OK && now - last >= 60) || rc == SV_ERR_NOTFOUND) {
		int keep = rc == SV_OK;
		if (db_prepare(st->conn, keep ? "UPDATE sessions SET last_seen = ?2 WHERE id = ?1" :
			       "DELETE FROM sessions WHERE id = ?1", &s) == SV_OK) {
			db_bind_text(s, 1, id_hash);
			if (keep)
				db_bind_int64(s, 2, now);
			db_run(s, "marking a session");
		}
		db_finalize(s);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc) {
		memset(user, 0, sizeof *user);
		csrf[0] = '\0';
	}
	return rc;
}

enum sv_err store_session_end(struct store *st, const char *id_hash)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, "DELETE FROM sessions WHERE id = ?1", &s);
	if (!rc) {
		db_bind_text(s, 1, id_hash);
		rc = db_run(s, "ending a session") == DB_DONE ? SV_OK : SV_ERR_DB;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void on_role(struct db_stmt *row, void *ctx)
{
	*(int *)ctx = db_column_int(row, 0);
}

enum sv_err store_session_role(struct store *st, const char *id_hash, int *role)
{
	*role = 0;
	/* Read only: unlike store_session_get, it neither marks the session
	 * used nor forgets it. */
	return store_rows(st, "SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id"
			  " LEFT JOIN user_state x ON x.user_id = u.id WHERE s.id = ?1 AND COALESCE(x.disabled, 0) = 0",
			  id_hash, on_role, role, "reading a session's role");
}

enum sv_err store_audit(struct store *st, const char *who, const char *action,
			const char *detail)
{
	struct db_stmt *s = NULL;
	char at[20];
	time_t now = time(NULL);
	struct tm tm;
	enum sv_err rc;

	gmtime_r(&now, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%MZ", &tm);
	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, "INSERT INTO audit (at, who, action, detail) VALUES (?1, ?2, ?3, ?4)", &s);
	if (!rc) {
		db_bind_text(s, 1, at);
		db_bind_text(s, 2, who);
		db_bind_text(s, 3, action);
		db_bind_text(s, 4, detail);
		rc = db_run(s, "writing the audit log") == DB_DONE ? SV_OK : SV_ERR_DB;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_audit {
	void (*fn)(void *arg, const char *at, const char *who, const char *action, const char *detail);
	void *arg;
};

static void on_audit_row(struct db_stmt *row, void *ctx)
{
	struct each_audit *e = ctx;
	e->fn(e->arg, store_str(row, 0), store_str(row, 1), store_str(row, 2), store_str(row, 3));
}

enum sv_err store_audit_each(struct store *st, void (*fn)(void *arg, const char *at,
			     const char *who, const char *action, const char *detail), void *arg)
{
	struct each_audit e = { fn, arg };
	return store_rows(st, "SELECT at, who, action, detail FROM audit ORDER BY id", NULL,
				on_audit_row, &e, "reading the audit log");
}

/* ---- marketplace ---- */

enum sv_err store_event_add(struct store *st, const char *consultation, const char *name,
			    const char *day, const int *priorities,
			    const char *const *themes, size_t n, long long *id)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	*id = 0;
	pthread_mutex_lock(&st->lock);
	/* Inserts only: no read to keep true, so no retry is needed. */
	rc = db_begin(st->conn, DB_TX_WRITE) == DB_DONE ? SV_OK : SV_ERR_DB;
	if (rc)
		goto out;
	rc = db_prepare(st->conn, "INSERT INTO events (consultation, name, day) VALUES (?1, ?2, ?3)"
			" RETURNING id", &s);
	if (!rc) {
		db_bind_text(s, 1, consultation);
		db_bind_text(s, 2, name);
		db_bind_text(s, 3, day);
		rc = store_number(st, s, id, "adding an event");
	}
	db_finalize(s);
	s = NULL;
	if (!rc)
		rc = db_prepare(st->conn, "INSERT INTO event_options (event_id, priority, theme, position)"
				" VALUES (?1, ?2, ?3, ?4)", &s);
	for (size_t i = 0; !rc && i < n; i++) {
		db_bind_int64(s, 1, *id);
		db_bind_int64(s, 2, priorities[i]);
		db_bind_text(s, 3, themes[i]);
		db_bind_int64(s, 4, (long long)i);
		rc = db_run(s, "adding an event option") == DB_DONE ? SV_OK : SV_ERR_DB;
	}
	db_finalize(s);
	if (!rc && db_commit(st->conn) != DB_DONE)
		rc = SV_ERR_DB;
	if (rc)
		db_rollback(st->conn);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void read_event(struct db_stmt *s, struct store_event *e)
{
	e->id = db_column_int64(s, 0);
	store_copy(e->consultation, sizeof e->consultation, s, 1);
	store_copy(e->name, sizeof e->name, s, 2);
	store_copy(e->day, sizeof e->day, s, 3);
	e->closed = db_column_int(s, 4);
}

#define EVENT_COLUMNS "SELECT id, consultation, name, day, closed FROM events"

enum sv_err store_event_get(struct store *st, long long id, struct store_event *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = store_kept(st, &st->event_get, EVENT_COLUMNS " WHERE id = ?1");
	s = st->event_get;
	if (!rc) {
		db_bind_int64(s, 1, id);
		enum db_rc r = db_step(s);
		if (r == DB_ROW)
			read_event(s, out);
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			db_log(st->conn, "reading an event");
		db_reset(s);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_event { void (*fn)(void *arg, const struct store_event *e); void *arg; };

static void on_event_row(struct db_stmt *row, void *ctx)
{
	struct each_event *e = ctx;
	struct store_event ev;
	read_event(row, &ev);
	e->fn(e->arg, &ev);
}

enum sv_err store_event_each(struct store *st, void (*fn)(void *arg,
			     const struct store_event *e), void *arg)
{
	struct each_event e = { fn, arg };
	return store_rows(st, EVENT_COLUMNS " ORDER BY day DESC, id DESC", NULL,
				on_event_row, &e, "listing events");
}

struct each_option {
	void (*fn)(void *arg, int priority, const char *theme, long long count);
	void *arg;
};

static void on_option_row(struct db_stmt *row, void *ctx)
{
	struct each_option *e = ctx;
	e->fn(e->arg, db_column_int(row, 0), store_str(row, 1), db_column_int64(row, 2));
}

enum sv_err store_event_options(struct store *st, long long id, void (*fn)(void *arg,
				int priority, const char *theme, long long count), void *arg)
{
	struct each_option e = { fn, arg };
	char param[24];

	snprintf(param, sizeof param, "%lld", id);
	return store_rows(st,
		"SELECT o.priority, o.theme, o.count FROM event_options o WHERE o.event_id = CAST(?1 AS BIGINT)"
		" ORDER BY o.priority, o.position", param, on_option_row, &e, "reading tallies");
}

/* Updates event id (?1) with name and day (?2, ?3) or, name NULL, its closed
 * flag (?2); none when no row was changed. */
static enum sv_err event_update(struct store *st, long long id, const char *sql, const char *name,
				const char *day, int closed, enum sv_err none, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, sql, &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		if (name) {
			db_bind_text(s, 2, name);
			db_bind_text(s, 3, day);
		} else {
			db_bind_int64(s, 2, closed);
		}
		rc = db_run(s, what) == DB_DONE ? SV_OK : SV_ERR_DB;
		if (!rc && db_changes(st->conn) == 0)
			rc = none;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

#define EVENT_SET_CLOSED "UPDATE events SET closed = ?2 WHERE id = ?1"

enum sv_err store_event_close(struct store *st, long long id)
{
	return event_update(st, id, EVENT_SET_CLOSED, NULL, NULL, 1, SV_ERR_NOTFOUND, "closing an event");
}

enum sv_err store_event_reopen(struct store *st, long long id)
{
	return event_update(st, id, EVENT_SET_CLOSED, NULL, NULL, 0, SV_ERR_NOTFOUND, "reopening an event");
}

enum sv_err store_event_edit(struct store *st, long long id, const char *name, const char *day)
{
	/* Only while open: a closed event's name and day are part of what was
	 * counted, as its tallies are. */
	return event_update(st, id, "UPDATE events SET name = ?2, day = ?3 WHERE id = ?1 AND closed = 0",
			    name, day, 0, SV_ERR_INVALID, "changing an event");
}

/* How many tally changes an event has: on db, under st->lock. */
static enum sv_err count_taps(struct store *st, long long id, long long *out)
{
	return store_id_number(st, "SELECT count(*) FROM tally_changes WHERE event_id = ?1", id, out);
}

enum sv_err store_event_taps(struct store *st, long long id, long long *taps)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = count_taps(st, id, taps);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* store_event_delete's transaction: what it deletes, and what it gives
 * back (set afresh by each run: db_transaction may run it again). */
struct event_delete {
	long long id;
	long long taps;        /* OUT */
	enum sv_err refused;   /* OUT: SV_ERR_INVALID (taps), SV_ERR_NOTFOUND, or SV_OK */
};

/* Runs one statement about event d->id (?1): *out gets the number it
 * selects (count 1) or the rows it changed (count 0).  A failure is logged
 * as what, but for a lost race (DB_RETRY), which is run again. */
static enum db_rc event_run(struct db *db, const char *sql, struct event_delete *d, int count,
			    long long *out, const char *what)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_int64(s, 1, d->id);
		r = db_step(s);
		if (count && r == DB_ROW)
			*out = db_column_int64(s, 0);
		else if (count && r == DB_DONE)
			r = DB_ERROR;      /* a count always has its row */
		else if (!count && (r == DB_ROW || r == DB_DONE))
			*out = db_changes(db);
		if (r == DB_ROW)
			r = DB_DONE;
		db_log_failure(db, r, what);
	}
	db_finalize(s);
	return r;
}

static enum db_rc event_delete_body(struct db *db, void *ctx)
{
	struct event_delete *d = ctx;
	long long deleted = 0;

	d->taps = 0;
	d->refused = SV_OK;
	enum db_rc r = event_run(db, "SELECT count(*) FROM tally_changes WHERE event_id = ?1", d, 1,
				 &d->taps, "counting");
	if (r == DB_DONE && d->taps > 0)
		d->refused = SV_ERR_INVALID;
	if (r != DB_DONE || d->refused)
		return d->refused ? DB_ERROR : r;   /* a refusal is rolled back, not run again */
	r = event_run(db, "DELETE FROM event_options WHERE event_id = ?1", d, 0, &deleted,
		      "deleting an event's options");
	if (r == DB_DONE)
		r = event_run(db, "DELETE FROM events WHERE id = ?1", d, 0, &deleted, "deleting an event");
	if (r == DB_DONE && deleted == 0) {
		d->refused = SV_ERR_NOTFOUND;
		r = DB_ERROR;
	}
	return r;
}

enum sv_err store_event_delete(struct store *st, long long id, long long *taps)
{
	struct event_delete d = { .id = id };

	pthread_mutex_lock(&st->lock);
	/* On SQLite the write lock is ours before the count (BEGIN IMMEDIATE),
	 * so no tap can be committed (by the shared commit's connection)
	 * between the count and the delete; one that comes after finds no
	 * option and is refused.  On PostgreSQL (SERIALIZABLE) a tap committed
	 * meanwhile makes the delete fail rather than delete under it, and
	 * db_transaction runs it again: it then counts that tap. */
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, event_delete_body, &d);
	pthread_mutex_unlock(&st->lock);
	*taps = d.taps;
	return d.refused ? d.refused : rc ? SV_ERR_DB : SV_OK;
}

struct each_market {
	void (*fn)(void *arg, int priority, const char *theme, long long count);
	void *arg;
};

static void on_market_row(struct db_stmt *row, void *ctx)
{
	struct each_market *e = ctx;
	e->fn(e->arg, db_column_int(row, 0), store_str(row, 1), db_column_int64(row, 2));
}

enum sv_err store_marketplace_counts(struct store *st, const char *consultation,
				     void (*fn)(void *arg, int priority, const char *theme,
						long long count), void *arg)
{
	struct each_market e = { fn, arg };
	return store_rows(st, "SELECT t.priority, t.theme, sum(t.delta) FROM tally_changes t"
				" JOIN events e ON e.id = t.event_id WHERE e.consultation = ?1"
				" GROUP BY t.priority, t.theme", consultation, on_market_row, &e,
				"reading marketplace counts");
}
