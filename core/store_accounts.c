/*
 * store_accounts.c - an account's life after it is added (see store.h):
 * disabled or enabled, its role, a password reset, its sessions ended, its
 * second factor and recovery codes, and the first-admin setup link.
 *
 * State lives in user_state, one row per account once anything is set
 * (schema 18); an account without a row is enabled with nothing pending.
 * Every change that could leave the service without an enabled admin is
 * checked inside the same write transaction as the change, so two admins
 * demoting each other at once cannot both succeed.  Secrets never reach
 * this file in the clear: the TOTP secret comes sealed, recovery codes and
 * setup tokens as hashes.
 *
 * On the statement layer (core/db.h), so on SQLite and PostgreSQL alike.
 * A change that reads, then writes runs as the body of db_transaction
 * (DB_TX_WRITE: SQLite's one writer at a time, PostgreSQL's SERIALIZABLE),
 * which runs it again when it loses a race with another server; a body
 * therefore sets everything it gives back afresh each time, and says why
 * it refused (no such account, the last admin) through its struct change.
 * A change of one statement (a time step or recovery code taken, sessions
 * ended) needs no transaction: its WHERE is checked against the row as it
 * is when the statement writes it, on both engines.
 */
#include <string.h>

#include "store.h"
#include "store_int.h"

enum sv_err store_id_run(struct store *st, const char *sql, long long id, long long i2,
			 long long *changed, const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = db_prepare(st->conn, sql, &s);

	if (!rc) {
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, i2);   /* unused where sql has no ?2 */
		rc = db_run(s, what) == DB_DONE ? SV_OK : SV_ERR_DB;
		if (!rc && changed)
			*changed = db_changes(st->conn);
	}
	db_finalize(s);
	return rc;
}

enum sv_err store_id_number(struct store *st, const char *sql, long long id, long long *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = db_prepare(st->conn, sql, &s);

	*out = 0;
	if (!rc) {
		db_bind_int64(s, 1, id);
		rc = store_number(st, s, out, "counting");
	}
	db_finalize(s);
	return rc;
}

#define ENABLED_ADMIN "u.role = 3 AND COALESCE(x.disabled, 0) = 0"
#define STATE_ROW "INSERT INTO user_state (user_id) SELECT id FROM users WHERE id = ?1" \
	" ON CONFLICT (user_id) DO NOTHING"
#define END_SESSIONS "DELETE FROM sessions WHERE user_id = ?1"

struct each_account { void (*fn)(void *arg, const struct store_user *u); void *arg; };

static void on_account_row(struct db_stmt *row, void *ctx)
{
	struct each_account *e = ctx;
	struct store_user u;

	store_read_user(row, &u);
	u.password[0] = '\0';
	e->fn(e->arg, &u);
}

enum sv_err store_account_each(struct store *st, void (*fn)(void *arg, const struct store_user *u),
			       void *arg)
{
	struct each_account e = { fn, arg };
	return store_rows(st, "SELECT u.id, u.name, u.role, '', COALESCE(x.disabled, 0),"
				" COALESCE(x.must_change, 0), x.totp_secret IS NOT NULL FROM " STORE_USER_FROM
				" ORDER BY u.name", NULL, on_account_row, &e, "listing accounts");
}

enum sv_err store_admin_count(struct store *st, long long *out)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_number(st, "SELECT count(*) FROM " STORE_USER_FROM " WHERE " ENABLED_ADMIN
				" AND ?1 = ?1", 0, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ---- statements inside a transaction's body ---- */

/* One change to an account as a transaction's body: what it binds, and
 * what it gives back (set afresh by each run of the body). */
struct change {
	long long id, n;            /* the account; a flag, a role */
	const char *text;           /* a password hash, a setup token */
	const char *keep;           /* the session kept */
	const char *name, *pass;    /* the first admin's name and password hash */
	const unsigned char *sealed;
	size_t len;
	const char *const *codes;   /* STORE_RECOVERY_CODES hashes */
	enum sv_err refused;        /* OUT: why the body refused, or SV_OK */
	long long changed;          /* OUT: sessions ended */
};

/* A body's refusal: rolled back and not run again; the caller returns why. */
static enum db_rc refuse(struct change *c, enum sv_err why)
{
	c->refused = why;
	return DB_ERROR;
}

/* Steps s (bound) for its effect and finalizes it; *changed (may be NULL)
 * gets the rows it changed.  A failure is logged as what, but for a lost
 * race (DB_RETRY), which db_transaction runs again. */
static enum db_rc step_once(struct db *db, struct db_stmt *s, long long *changed, const char *what)
{
	enum db_rc r = db_step(s);

	if (r == DB_ROW)
		r = DB_DONE;
	if (r == DB_DONE && changed)
		*changed = db_changes(db);
	db_log_failure(db, r, what);
	db_finalize(s);
	return r;
}

/* Runs sql on db with ?1 = id and ?2 = text or, text NULL, the number n
 * (bound even where sql has no ?2, which is then unused). */
static enum db_rc run_id(struct db *db, const char *sql, long long id, const char *text, long long n,
			 long long *changed, const char *what)
{
	struct db_stmt *s = NULL;

	if (db_prepare(db, sql, &s))
		return DB_ERROR;
	db_bind_int64(s, 1, id);
	if (text)
		db_bind_text(s, 2, text);
	else
		db_bind_int64(s, 2, n);
	return step_once(db, s, changed, what);
}

/* The one number sql selects with ?1 = id, into *out. */
static enum db_rc count_id(struct db *db, const char *sql, long long id, long long *out)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	*out = 0;
	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_int64(s, 1, id);
		r = db_step(s);
		if (r == DB_ROW)
			*out = db_column_int64(s, 0);
		r = r == DB_ROW ? DB_DONE : r == DB_DONE ? DB_ERROR : r;   /* a count has its row */
		db_log_failure(db, r, "counting");
	}
	db_finalize(s);
	return r;
}

/* Runs body as one write transaction on st's connection, under its lock:
 * why it refused if it did, else SV_ERR_DB for any failure (as the store
 * has always answered on SQLite). */
static enum sv_err change_run(struct store *st, enum db_rc (*body)(struct db *db, void *ctx),
			      struct change *c)
{
	c->refused = SV_OK;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, body, c);
	pthread_mutex_unlock(&st->lock);
	return c->refused ? c->refused : rc ? SV_ERR_DB : SV_OK;
}

/* Refuses with SV_ERR_NOTFOUND if account c->id does not exist. */
static enum db_rc account_exists(struct db *db, struct change *c)
{
	long long exists = 0;
	enum db_rc r = count_id(db, "SELECT count(*) FROM users WHERE id = ?1", c->id, &exists);

	return r != DB_DONE ? r : exists ? DB_DONE : refuse(c, SV_ERR_NOTFOUND);
}

/*
 * Refuses with SV_ERR_INVALID if account c->id is an enabled admin and no
 * other is, so that taking its admin rights away would leave none; with
 * SV_ERR_NOTFOUND if there is no such account.
 */
static enum db_rc keeps_an_admin(struct db *db, struct change *c)
{
	long long is_admin = 0, others = 0;
	enum db_rc r = account_exists(db, c);

	if (r == DB_DONE)
		r = count_id(db, "SELECT count(*) FROM " STORE_USER_FROM " WHERE u.id = ?1 AND "
			     ENABLED_ADMIN, c->id, &is_admin);
	if (r == DB_DONE)
		r = count_id(db, "SELECT count(*) FROM " STORE_USER_FROM " WHERE u.id <> ?1 AND "
			     ENABLED_ADMIN, c->id, &others);
	return r == DB_DONE && is_admin && others == 0 ? refuse(c, SV_ERR_INVALID) : r;
}

/* ---- disabling, roles, passwords, sessions ---- */

/* Sets a flag of the account's state to c->n (sql: UPDATE user_state SET
 * flag = ?2 WHERE user_id = ?1), adding its row first.  Setting one (a
 * disable, a reset) ends every session of the account now, not at its
 * next use. */
static enum db_rc set_flag(struct db *db, struct change *c, const char *sql, const char *what)
{
	enum db_rc r = run_id(db, STATE_ROW, c->id, NULL, 0, NULL, "adding an account's state");

	if (r == DB_DONE)
		r = run_id(db, sql, c->id, NULL, c->n, NULL, what);
	if (r == DB_DONE && c->n)
		r = run_id(db, END_SESSIONS, c->id, NULL, 0, NULL, "ending sessions");
	return r;
}

static enum db_rc disable_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	enum db_rc r = c->n ? keeps_an_admin(db, c) : account_exists(db, c);

	return r == DB_DONE ? set_flag(db, c, "UPDATE user_state SET disabled = ?2 WHERE user_id = ?1",
				       "disabling an account") : r;
}

enum sv_err store_user_set_disabled(struct store *st, long long id, int disabled)
{
	struct change c = { .id = id, .n = disabled != 0 };
	return change_run(st, disable_body, &c);
}

static enum db_rc role_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	long long changed = 0;
	enum db_rc r = c->n == STORE_ADMIN ? DB_DONE : keeps_an_admin(db, c);

	if (r == DB_DONE)
		r = run_id(db, "UPDATE users SET role = ?2 WHERE id = ?1", c->id, NULL, c->n, &changed,
			   "changing a role");
	return r == DB_DONE && !changed ? refuse(c, SV_ERR_NOTFOUND) : r;
}

enum sv_err store_user_set_role(struct store *st, long long id, enum store_role role)
{
	struct change c = { .id = id, .n = (long long)role };
	return change_run(st, role_body, &c);
}

/* The account's password hash (c->text); refuses with SV_ERR_NOTFOUND for
 * no such account. */
static enum db_rc put_password(struct db *db, struct change *c)
{
	long long changed = 0;
	enum db_rc r = run_id(db, "UPDATE users SET password = ?2 WHERE id = ?1", c->id, c->text, 0,
			      &changed, "setting a password");

	return r == DB_DONE && !changed ? refuse(c, SV_ERR_NOTFOUND) : r;
}

static enum db_rc password_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	enum db_rc r = put_password(db, c);

	/* Whoever held the old password is signed out everywhere (set_flag);
	 * guesses at the old one no longer hold the account back. */
	if (r == DB_DONE)
		r = set_flag(db, c, "UPDATE user_state SET must_change = ?2 WHERE user_id = ?1",
			     "marking a password reset");
	if (r == DB_DONE && c->n)
		r = run_id(db, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2", c->id, NULL,
			   STORE_ATTEMPT_PASSWORD, NULL, "forgetting tries");
	return r;
}

enum sv_err store_user_set_password(struct store *st, long long id, const char *hash, int must_change)
{
	struct change c = { .id = id, .text = hash, .n = must_change != 0 };
	return change_run(st, password_body, &c);
}

enum sv_err store_user_end_sessions(struct store *st, long long id, long long *ended)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_run(st, END_SESSIONS, id, 0, ended, "ending sessions");
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static enum db_rc own_password_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	enum db_rc r = put_password(db, c);

	/* Whoever else held the old password is signed out; this session,
	 * which just gave it, stays. */
	c->changed = 0;
	if (r == DB_DONE)
		r = run_id(db, "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", c->id, c->keep, 0,
			   &c->changed, "ending other sessions");
	return r;
}

enum sv_err store_user_change_password(struct store *st, long long id, const char *hash,
				       const char *keep, long long *ended)
{
	struct change c = { .id = id, .text = hash, .keep = keep };
	enum sv_err rc = change_run(st, own_password_body, &c);

	*ended = rc ? 0 : c.changed;
	return rc;
}

/* ---- second factor and recovery codes ---- */

/* The account's recovery codes (hashes, c->codes) are these and no others. */
static enum db_rc put_codes(struct db *db, struct change *c)
{
	enum db_rc r = run_id(db, "DELETE FROM recovery_codes WHERE user_id = ?1", c->id, NULL, 0, NULL,
			      "replacing recovery codes");

	for (int i = 0; r == DB_DONE && i < STORE_RECOVERY_CODES; i++)
		r = run_id(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)", c->id,
			   c->codes[i], 0, NULL, "adding a recovery code");
	return r;
}

static enum db_rc totp_set_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	struct db_stmt *s = NULL;
	long long changed = 0;
	enum db_rc r = run_id(db, STATE_ROW, c->id, NULL, 0, NULL, "adding an account's state");

	if (r == DB_DONE)
		r = db_prepare(db, "UPDATE user_state SET totp_secret = ?2, totp_last = 0"
			       " WHERE user_id = ?1", &s) ? DB_ERROR : DB_DONE;
	if (r == DB_DONE) {
		db_bind_int64(s, 1, c->id);
		db_bind_blob(s, 2, c->sealed, c->len);
		r = step_once(db, s, &changed, "setting a second factor");
		if (r == DB_DONE && !changed)
			return refuse(c, SV_ERR_NOTFOUND);
	}
	return r == DB_DONE ? put_codes(db, c) : r;
}

enum sv_err store_totp_set(struct store *st, long long id, const unsigned char *sealed, size_t n,
			   const char *const codes[STORE_RECOVERY_CODES])
{
	if (n > STORE_MAX_TOTP_SEALED)
		return SV_ERR_TOOBIG;
	struct change c = { .id = id, .sealed = sealed, .len = n, .codes = codes };
	return change_run(st, totp_set_body, &c);
}

enum sv_err store_totp_get(struct store *st, long long id, unsigned char *sealed, size_t *n,
			   long long *last)
{
	struct db_stmt *s = NULL;

	*n = 0;
	*last = 0;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_prepare(st->conn, "SELECT totp_secret, totp_last FROM user_state"
				    " WHERE user_id = ?1 AND totp_secret IS NOT NULL", &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		enum db_rc r = db_step(s);
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		size_t len = 0;
		const void *p = r == DB_ROW ? db_column_blob(s, 0, &len) : NULL;
		if (!rc && (!p || len == 0 || len > STORE_MAX_TOTP_SEALED))
			rc = SV_ERR_INVALID;
		if (!rc) {
			memcpy(sealed, p, len);
			*n = len;
			*last = db_column_int64(s, 1);
		}
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_totp_take(struct store *st, long long id, long long step)
{
	long long changed = 0;

	pthread_mutex_lock(&st->lock);
	/* One statement: of two sign-ins with the same code, one wins (on
	 * PostgreSQL the second waits for the first's row, then finds the
	 * step taken). */
	enum sv_err rc = store_id_run(st, "UPDATE user_state SET totp_last = ?2 WHERE user_id = ?1"
			     " AND totp_secret IS NOT NULL AND totp_last < ?2", id, step, &changed,
			     "taking a time step");
	pthread_mutex_unlock(&st->lock);
	return rc ? rc : changed ? SV_OK : SV_ERR_EXISTS;
}

static enum db_rc totp_clear_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	enum db_rc r = run_id(db, "UPDATE user_state SET totp_secret = NULL, totp_last = 0 WHERE user_id = ?1",
			      c->id, NULL, 0, NULL, "removing a second factor");

	if (r == DB_DONE)
		r = run_id(db, "DELETE FROM recovery_codes WHERE user_id = ?1", c->id, NULL, 0, NULL,
			   "removing recovery codes");
	/* Wrong codes for the old factor hold the new one back no longer. */
	if (r == DB_DONE)
		r = run_id(db, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2", c->id, NULL,
			   STORE_ATTEMPT_CODE, NULL, "forgetting tries");
	return r;
}

enum sv_err store_totp_clear(struct store *st, long long id)
{
	struct change c = { .id = id };
	return change_run(st, totp_clear_body, &c);
}

enum sv_err store_recovery_use(struct store *st, long long id, const char *code_hash)
{
	long long changed = 0;

	pthread_mutex_lock(&st->lock);
	/* One statement: of two uses at once, one deletes the row. */
	enum db_rc r = run_id(st->conn, "DELETE FROM recovery_codes WHERE user_id = ?1 AND code_hash = ?2",
			      id, code_hash, 0, &changed, "using a recovery code");
	pthread_mutex_unlock(&st->lock);
	return r != DB_DONE ? SV_ERR_DB : changed ? SV_OK : SV_ERR_NOTFOUND;
}

static enum db_rc recovery_replace_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	long long has = 0;
	enum db_rc r = count_id(db, "SELECT count(*) FROM user_state WHERE user_id = ?1"
				" AND totp_secret IS NOT NULL", c->id, &has);

	if (r == DB_DONE && !has)
		return refuse(c, SV_ERR_NOTFOUND);
	/* The old codes stop working in the same transaction as the new
	 * ones start. */
	return r == DB_DONE ? put_codes(db, c) : r;
}

enum sv_err store_recovery_replace(struct store *st, long long id, const char *const codes[STORE_RECOVERY_CODES])
{
	struct change c = { .id = id, .codes = codes };
	return change_run(st, recovery_replace_body, &c);
}

enum sv_err store_recovery_hashes(struct store *st, long long id, char *out, size_t cap)
{
	struct db_stmt *s = NULL;
	size_t len = 0;

	if (cap == 0)
		return SV_ERR_TOOBIG;
	out[0] = '\0';
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_prepare(st->conn, "SELECT code_hash FROM recovery_codes WHERE user_id = ?1"
				    " ORDER BY code_hash", &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		enum db_rc r = DB_DONE;
		while (!rc && (r = db_step(s)) == DB_ROW) {
			const char *h = store_str(s, 0);
			size_t n = strlen(h);
			if (len + n + 2 > cap) {
				rc = SV_ERR_TOOBIG;
				break;
			}
			if (len)
				out[len++] = ',';
			memcpy(out + len, h, n);
			len += n;
			out[len] = '\0';
		}
		if (!rc && r != DB_DONE) {
			db_log(st->conn, "reading recovery codes");
			rc = SV_ERR_DB;
		}
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_recovery_left(struct store *st, long long id, long long *out)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_number(st, "SELECT count(*) FROM recovery_codes WHERE user_id = ?1", id, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* ---- the first-admin setup link ---- */

/* Runs sql on db with ?1 = text. */
static enum db_rc run_text(struct db *db, const char *sql, const char *text, long long *changed,
			   const char *what)
{
	struct db_stmt *s = NULL;

	if (db_prepare(db, sql, &s))
		return DB_ERROR;
	db_bind_text(s, 1, text);
	return step_once(db, s, changed, what);
}

static enum db_rc token_set_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	enum db_rc r = run_id(db, "DELETE FROM setup_tokens", 0, NULL, 0, NULL, "replacing the setup link");

	return r == DB_DONE ? run_text(db, "INSERT INTO setup_tokens (token_hash) VALUES (?1)", c->text,
				       NULL, "keeping the setup link") : r;
}

enum sv_err store_setup_token_set(struct store *st, const char *token_hash)
{
	struct change c = { .text = token_hash };
	return change_run(st, token_set_body, &c);
}

enum sv_err store_setup_token_check(struct store *st, const char *token_hash)
{
	struct db_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_prepare(st->conn, "SELECT 1 FROM setup_tokens WHERE token_hash = ?1", &s);
	if (!rc) {
		db_bind_text(s, 1, token_hash);
		enum db_rc r = db_step(s);
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static enum db_rc first_admin_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	long long used = 0, admins = 0;
	/* The token goes first: of two uses at once, only one finds it. */
	enum db_rc r = run_text(db, "DELETE FROM setup_tokens WHERE token_hash = ?1", c->text, &used,
				"using the setup link");

	if (r == DB_DONE)
		r = count_id(db, "SELECT count(*) FROM " STORE_USER_FROM " WHERE " ENABLED_ADMIN " AND ?1 = ?1",
			     0, &admins);
	if (r == DB_DONE && (!used || admins))
		return refuse(c, SV_ERR_NOTFOUND);
	if (r == DB_DONE) {
		struct db_stmt *s = NULL;
		if (db_prepare(db, "INSERT INTO users (name, role, password) VALUES (?1, 3, ?2)", &s))
			return DB_ERROR;
		db_bind_text(s, 1, c->name);
		db_bind_text(s, 2, c->pass);
		r = db_step(s);
		db_finalize(s);
		/* A taken name keeps the link: all of this is rolled back. */
		if (r == DB_UNIQUE)
			return refuse(c, SV_ERR_EXISTS);
		db_log_failure(db, r, "adding the first admin");
	}
	/* Once there is an admin no link is left: any other goes too. */
	if (r == DB_DONE)
		r = run_id(db, "DELETE FROM setup_tokens", 0, NULL, 0, NULL, "closing the setup link");
	return r;
}

enum sv_err store_setup_first_admin(struct store *st, const char *token_hash, const char *name,
				    const char *password_hash)
{
	struct change c = { .text = token_hash, .name = name, .pass = password_hash };
	return change_run(st, first_admin_body, &c);
}
