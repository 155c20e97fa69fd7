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
 */
#include <string.h>

#include "store.h"
#include "store_int.h"

/* Commits on rc == SV_OK, else rolls back; returns rc or the commit's error. */
static enum sv_err finish(struct store *st, enum sv_err rc)
{
	rc = rc ? rc : store_exec(st->db, "COMMIT");
	if (rc)
		store_exec(st->db, "ROLLBACK");
	return rc;
}

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

/*
 * Inside a write transaction: SV_ERR_INVALID if account id is an enabled
 * admin and no other is, so that taking its admin rights away would leave
 * none; SV_ERR_NOTFOUND if there is no such account.
 */
static enum sv_err keeps_an_admin(struct store *st, long long id)
{
	long long exists, is_admin, others;
	enum sv_err rc = store_id_number(st, "SELECT count(*) FROM users WHERE id = ?1", id, &exists);

	if (!rc && !exists)
		return SV_ERR_NOTFOUND;
	if (!rc)
		rc = store_id_number(st, "SELECT count(*) FROM " STORE_USER_FROM " WHERE u.id = ?1 AND "
			    ENABLED_ADMIN, id, &is_admin);
	if (!rc)
		rc = store_id_number(st, "SELECT count(*) FROM " STORE_USER_FROM " WHERE u.id <> ?1 AND "
			    ENABLED_ADMIN, id, &others);
	if (!rc && is_admin && others == 0)
		rc = SV_ERR_INVALID;
	return rc;
}

enum sv_err store_user_set_disabled(struct store *st, long long id, int disabled)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	long long exists = 0;
	rc = disabled ? keeps_an_admin(st, id) :
		store_id_number(st, "SELECT count(*) FROM users WHERE id = ?1", id, &exists);
	if (!rc && !disabled && !exists)
		rc = SV_ERR_NOTFOUND;
	if (!rc)
		rc = store_id_run(st, STATE_ROW, id, 0, NULL, "adding an account's state");
	if (!rc)
		rc = store_id_run(st, "UPDATE user_state SET disabled = ?2 WHERE user_id = ?1", id, disabled != 0,
			 NULL, "disabling an account");
	/* A disabled account's sessions end now, not at their next use. */
	if (!rc && disabled)
		rc = store_id_run(st, "DELETE FROM sessions WHERE user_id = ?1", id, 0, NULL, "ending sessions");
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_user_set_role(struct store *st, long long id, enum store_role role)
{
	long long changed = 0;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = role == STORE_ADMIN ? SV_OK : keeps_an_admin(st, id);
	if (!rc)
		rc = store_id_run(st, "UPDATE users SET role = ?2 WHERE id = ?1", id, (long long)role, &changed,
			 "changing a role");
	if (!rc && !changed)
		rc = SV_ERR_NOTFOUND;
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Inside a write transaction: the account's password hash.
 * SV_ERR_NOTFOUND for no such account. */
static enum sv_err put_password(struct store *st, long long id, const char *hash)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, "UPDATE users SET password = ?2 WHERE id = ?1", &s);

	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "setting a password");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
	return rc;
}

enum sv_err store_user_set_password(struct store *st, long long id, const char *hash, int must_change)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = put_password(st, id, hash);
	if (!rc)
		rc = store_id_run(st, STATE_ROW, id, 0, NULL, "adding an account's state");
	if (!rc)
		rc = store_id_run(st, "UPDATE user_state SET must_change = ?2 WHERE user_id = ?1", id,
			 must_change != 0, NULL, "marking a password reset");
	/* Whoever held the old password is signed out everywhere; guesses at
	 * the old one no longer hold the account back. */
	if (!rc && must_change)
		rc = store_id_run(st, "DELETE FROM sessions WHERE user_id = ?1", id, 0, NULL, "ending sessions");
	if (!rc && must_change)
		rc = store_id_run(st, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2", id,
				  STORE_ATTEMPT_PASSWORD, NULL, "forgetting tries");
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_user_end_sessions(struct store *st, long long id, long long *ended)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_id_run(st, "DELETE FROM sessions WHERE user_id = ?1", id, 0, ended, "ending sessions");
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Inside a write transaction: the account's recovery codes (hashes) are
 * these and no others. */
static enum sv_err put_codes(struct store *st, long long id, const char *const codes[STORE_RECOVERY_CODES])
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_id_run(st, "DELETE FROM recovery_codes WHERE user_id = ?1", id, 0, NULL,
				      "replacing recovery codes");

	if (!rc)
		rc = store_prepare(st, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)", &s);
	for (int i = 0; !rc && i < STORE_RECOVERY_CODES; i++) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, codes[i], -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "adding a recovery code");
	}
	sqlite3_finalize(s);
	return rc;
}

enum sv_err store_totp_set(struct store *st, long long id, const unsigned char *sealed, size_t n,
			   const char *const codes[STORE_RECOVERY_CODES])
{
	sqlite3_stmt *s = NULL;

	if (n > STORE_MAX_TOTP_SEALED)
		return SV_ERR_TOOBIG;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = store_id_run(st, STATE_ROW, id, 0, NULL, "adding an account's state");
	if (!rc)
		rc = store_prepare(st, "UPDATE user_state SET totp_secret = ?2, totp_last = 0"
				   " WHERE user_id = ?1", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_blob(s, 2, sealed, (int)n, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "setting a second factor");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = put_codes(st, id, codes);
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_totp_get(struct store *st, long long id, unsigned char *sealed, size_t *n,
			   long long *last)
{
	sqlite3_stmt *s = NULL;

	*n = 0;
	*last = 0;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "SELECT totp_secret, totp_last FROM user_state"
				       " WHERE user_id = ?1 AND totp_secret IS NOT NULL", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? SV_OK : r == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
		int len = r == SQLITE_ROW ? sqlite3_column_bytes(s, 0) : 0;
		if (!rc && (len <= 0 || len > STORE_MAX_TOTP_SEALED))
			rc = SV_ERR_INVALID;
		if (!rc) {
			memcpy(sealed, sqlite3_column_blob(s, 0), (size_t)len);
			*n = (size_t)len;
			*last = sqlite3_column_int64(s, 1);
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_totp_take(struct store *st, long long id, long long step)
{
	long long changed = 0;

	pthread_mutex_lock(&st->lock);
	/* One statement: of two sign-ins with the same code, one wins. */
	enum sv_err rc = store_id_run(st, "UPDATE user_state SET totp_last = ?2 WHERE user_id = ?1"
			     " AND totp_secret IS NOT NULL AND totp_last < ?2", id, step, &changed,
			     "taking a time step");
	pthread_mutex_unlock(&st->lock);
	return rc ? rc : changed ? SV_OK : SV_ERR_EXISTS;
}

enum sv_err store_totp_clear(struct store *st, long long id)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (!rc) {
		rc = store_id_run(st, "UPDATE user_state SET totp_secret = NULL, totp_last = 0 WHERE user_id = ?1",
			 id, 0, NULL, "removing a second factor");
		if (!rc)
			rc = store_id_run(st, "DELETE FROM recovery_codes WHERE user_id = ?1", id, 0, NULL,
				 "removing recovery codes");
		/* Wrong codes for the old factor hold the new one back no longer. */
		if (!rc)
			rc = store_id_run(st, "DELETE FROM account_attempts WHERE user_id = ?1 AND kind = ?2", id,
					  STORE_ATTEMPT_CODE, NULL, "forgetting tries");
		rc = finish(st, rc);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_recovery_use(struct store *st, long long id, const char *code_hash)
{
	sqlite3_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "DELETE FROM recovery_codes WHERE user_id = ?1 AND code_hash = ?2", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, code_hash, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "using a recovery code");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_user_change_password(struct store *st, long long id, const char *hash,
				       const char *keep, long long *ended)
{
	sqlite3_stmt *s = NULL;

	*ended = 0;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = put_password(st, id, hash);
	/* Whoever else held the old password is signed out; this session,
	 * which just gave it, stays. */
	if (!rc)
		rc = store_prepare(st, "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, keep, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "ending other sessions");
		if (!rc)
			*ended = sqlite3_changes(st->db);
	}
	sqlite3_finalize(s);
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_recovery_replace(struct store *st, long long id, const char *const codes[STORE_RECOVERY_CODES])
{
	long long has = 0;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	rc = store_id_number(st, "SELECT count(*) FROM user_state WHERE user_id = ?1 AND totp_secret IS NOT NULL",
			     id, &has);
	if (!rc && !has)
		rc = SV_ERR_NOTFOUND;
	/* The old codes stop working in the same transaction as the new
	 * ones start. */
	if (!rc)
		rc = put_codes(st, id, codes);
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_recovery_hashes(struct store *st, long long id, char *out, size_t cap)
{
	sqlite3_stmt *s = NULL;
	size_t len = 0;

	if (cap == 0)
		return SV_ERR_TOOBIG;
	out[0] = '\0';
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "SELECT code_hash FROM recovery_codes WHERE user_id = ?1"
				       " ORDER BY code_hash", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		int r = SQLITE_DONE;
		while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
			const char *h = (const char *)sqlite3_column_text(s, 0);
			size_t n = h ? strlen(h) : 0;
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
		if (!rc && r != SQLITE_DONE) {
			store_log(st->db, "reading recovery codes");
			rc = SV_ERR_DB;
		}
	}
	sqlite3_finalize(s);
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

/* Runs sql with ?1 = text, on db under st->lock. */
static enum sv_err run_text(struct store *st, const char *sql, const char *text, long long *changed,
			    const char *what)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, sql, &s);

	if (!rc) {
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, what);
		if (!rc && changed)
			*changed = sqlite3_changes(st->db);
	}
	sqlite3_finalize(s);
	return rc;
}

enum sv_err store_setup_token_set(struct store *st, const char *token_hash)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (!rc) {
		rc = store_exec(st->db, "DELETE FROM setup_tokens");
		if (!rc)
			rc = run_text(st, "INSERT INTO setup_tokens (token_hash) VALUES (?1)", token_hash,
				      NULL, "keeping the setup link");
		rc = finish(st, rc);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_setup_token_check(struct store *st, const char *token_hash)
{
	sqlite3_stmt *s = NULL;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_prepare(st, "SELECT 1 FROM setup_tokens WHERE token_hash = ?1", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? SV_OK : r == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_setup_first_admin(struct store *st, const char *token_hash, const char *name,
				    const char *password_hash)
{
	sqlite3_stmt *s = NULL;
	long long used = 0, admins = 0;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	/* The token goes first: of two uses at once, only one finds it. */
	rc = run_text(st, "DELETE FROM setup_tokens WHERE token_hash = ?1", token_hash, &used,
		      "using the setup link");
	if (!rc)
		rc = store_id_number(st, "SELECT count(*) FROM " STORE_USER_FROM " WHERE " ENABLED_ADMIN
			    " AND ?1 = ?1", 0, &admins);
	if (!rc && (!used || admins))
		rc = SV_ERR_NOTFOUND;
	if (!rc)
		rc = store_prepare(st, "INSERT INTO users (name, role, password) VALUES (?1, 3, ?2)", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, password_hash, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		rc = r == SQLITE_DONE ? SV_OK : r == SQLITE_CONSTRAINT_UNIQUE ? SV_ERR_EXISTS : SV_ERR_DB;
		if (rc == SV_ERR_DB)
			store_log(st->db, "adding the first admin");
	}
	sqlite3_finalize(s);
	/* Once there is an admin no link is left: any other goes too. */
	if (!rc)
		rc = store_exec(st->db, "DELETE FROM setup_tokens");
	rc = finish(st, rc);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}
