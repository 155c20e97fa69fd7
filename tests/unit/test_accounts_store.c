/*
 * test_accounts_store.c - core/store_accounts.c: an account disabled (its
 * sessions gone in the same step, sign-in state read back) and enabled; a
 * role changed; the last enabled admin never disabled or demoted; a
 * password reset that ends sessions and asks for a new one; sessions ended
 * on demand; a second factor set, its time steps taken once and in order,
 * recovery codes used once, and cleared; the setup link's token, used once
 * and only while no admin exists.  A person's own password change ends
 * every other session and keeps theirs; new recovery codes replace the old
 * at once, and their mark changes with them.  Tries per account (schema 21,
 * core/store_attempts.c): charged before the check, refused after the
 * limit until the lock ends, cleared by a right one, by a reset and by a
 * removed second factor, the same across two connections to one database
 * and across a close and reopen, with no row left once its time passed.
 * Races between two stores on one database, as two servers (on PostgreSQL
 * what SERIALIZABLE and db_transaction must hold): two admins of two
 * disabled or demoted at once leave one; a time step, a recovery code and
 * the setup link are each used once when two sign-ins send them together.
 * And forms/render_accounts.c escapes names on every page it writes.
 *
 * On SQLite, or on PostgreSQL when YV_TEST_DB names one (tests/pg/pg.sh):
 * the stores open with check_store_open, and tables are read behind the
 * store's back through the statement layer (check_sql_number).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/store.h"
#include "../../forms/render_accounts.h"
#include "check.h"
#include "check_db.h"

#define HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
#define HASH2 "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYQ$b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNob3RoZXI"
#define T0 1700000000LL
#define S1 "1111111111111111111111111111111111111111111111111111111111111111"
#define S2 "2222222222222222222222222222222222222222222222222222222222222222"

static struct store_user get(struct store *st, const char *name)
{
	struct store_user u;
	store_user_get(st, name, &u);
	return u;
}

static int has_session(struct store *st, const char *id)
{
	struct store_user u;
	char csrf[65];
	return store_session_get(st, id, T0, 7200, 43200, &u, csrf) == SV_OK;
}

static void test_disable_role(struct store *st)
{
	long long admins = -1;
	struct store_user ada, wendy, u;

	CHECK(store_user_add(st, "ada", STORE_ADMIN, HASH) == SV_OK);
	CHECK(store_user_add(st, "wendy", STORE_YOUTH_WORKER, HASH) == SV_OK);
	ada = get(st, "ada");
	wendy = get(st, "wendy");
	CHECK(!wendy.disabled && !wendy.must_change && !wendy.has_totp);
	CHECK(store_admin_count(st, &admins) == SV_OK && admins == 1);

	/* Disabling ends every session at once; enabling lets it in again. */
	CHECK(store_session_add(st, S1, wendy.id, "c1", T0) == SV_OK);
	CHECK(store_session_add(st, S2, wendy.id, "c2", T0) == SV_OK);
	CHECK(has_session(st, S1));
	int role = -1;
	CHECK(store_session_role(st, S1, &role) == SV_OK && role == STORE_YOUTH_WORKER);
	CHECK(store_user_set_disabled(st, wendy.id, 1) == SV_OK);
	CHECK(!has_session(st, S1) && !has_session(st, S2));
	/* What an analysis session held by it checks: no role any more. */
	CHECK(store_session_role(st, S1, &role) == SV_OK && role == 0);
	CHECK(get(st, "wendy").disabled == 1);
	CHECK(store_user_by_id(st, wendy.id, &u) == SV_OK && u.disabled && strcmp(u.name, "wendy") == 0);
	CHECK(store_user_set_disabled(st, wendy.id, 0) == SV_OK);
	CHECK(get(st, "wendy").disabled == 0);
	CHECK(store_user_set_disabled(st, 9999, 1) == SV_ERR_NOTFOUND);
	CHECK(store_user_set_disabled(st, 9999, 0) == SV_ERR_NOTFOUND);
	CHECK(store_user_by_id(st, 9999, &u) == SV_ERR_NOTFOUND);

	/* The last enabled admin stays one. */
	CHECK(store_user_set_disabled(st, ada.id, 1) == SV_ERR_INVALID);
	CHECK(store_user_set_role(st, ada.id, STORE_COMMISSIONER) == SV_ERR_INVALID);
	CHECK(get(st, "ada").role == STORE_ADMIN && !get(st, "ada").disabled);
	CHECK(store_user_set_role(st, wendy.id, STORE_ADMIN) == SV_OK);
	CHECK(store_admin_count(st, &admins) == SV_OK && admins == 2);
	CHECK(store_user_set_disabled(st, ada.id, 1) == SV_OK);
	CHECK(store_admin_count(st, &admins) == SV_OK && admins == 1);
	/* A disabled admin does not count: wendy is now the last. */
	CHECK(store_user_set_role(st, wendy.id, STORE_YOUTH_WORKER) == SV_ERR_INVALID);
	CHECK(store_user_set_disabled(st, ada.id, 0) == SV_OK);
	CHECK(store_user_set_role(st, wendy.id, STORE_YOUTH_WORKER) == SV_OK);
	CHECK(get(st, "wendy").role == STORE_YOUTH_WORKER);
	CHECK(store_user_set_role(st, 9999, STORE_ADMIN) == SV_ERR_NOTFOUND);
}

static void test_password_sessions(struct store *st)
{
	struct store_user wendy = get(st, "wendy");
	long long ended = -1;

	CHECK(store_session_add(st, S1, wendy.id, "c1", T0) == SV_OK);
	CHECK(store_user_set_password(st, wendy.id, HASH2, 1) == SV_OK);
	CHECK(!has_session(st, S1));
	CHECK(get(st, "wendy").must_change == 1);
	CHECK(strcmp(get(st, "wendy").password, HASH2) == 0);
	/* The person's own new password keeps the session it was chosen in. */
	CHECK(store_session_add(st, S1, wendy.id, "c1", T0) == SV_OK);
	CHECK(store_user_set_password(st, wendy.id, HASH, 0) == SV_OK);
	CHECK(has_session(st, S1));
	CHECK(get(st, "wendy").must_change == 0);
	CHECK(store_user_set_password(st, 9999, HASH, 1) == SV_ERR_NOTFOUND);

	CHECK(store_session_add(st, S2, wendy.id, "c2", T0) == SV_OK);
	CHECK(store_user_end_sessions(st, wendy.id, &ended) == SV_OK && ended == 2);
	CHECK(!has_session(st, S1) && !has_session(st, S2));
	CHECK(store_user_end_sessions(st, wendy.id, &ended) == SV_OK && ended == 0);
}

static void test_totp(struct store *st)
{
	struct store_user ada = get(st, "ada");
	unsigned char sealed[STORE_MAX_TOTP_SEALED], got[STORE_MAX_TOTP_SEALED];
	const char *codes[STORE_RECOVERY_CODES];
	char hashes[STORE_RECOVERY_CODES][65];
	size_t n = 0;
	long long last = -1, left = -1;

	memset(sealed, 0xab, sizeof sealed);
	for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
		snprintf(hashes[i], sizeof hashes[i], "%064d", i);
		codes[i] = hashes[i];
	}
	CHECK(store_totp_get(st, ada.id, got, &n, &last) == SV_ERR_NOTFOUND);
	CHECK(store_totp_take(st, ada.id, 5) == SV_ERR_EXISTS);  /* no second factor: nothing taken */
	CHECK(store_totp_set(st, ada.id, sealed, STORE_MAX_TOTP_SEALED + 1, codes) == SV_ERR_TOOBIG);
	CHECK(store_totp_set(st, ada.id, sealed, 56, codes) == SV_OK);
	CHECK(get(st, "ada").has_totp == 1);
	CHECK(store_totp_get(st, ada.id, got, &n, &last) == SV_OK && n == 56 && last == 0 &&
	      memcmp(got, sealed, n) == 0);
	CHECK(store_recovery_left(st, ada.id, &left) == SV_OK && left == STORE_RECOVERY_CODES);

	/* A time step is taken once, and never one before the last. */
	CHECK(store_totp_take(st, ada.id, 1000) == SV_OK);
	CHECK(store_totp_take(st, ada.id, 1000) == SV_ERR_EXISTS);
	CHECK(store_totp_take(st, ada.id, 999) == SV_ERR_EXISTS);
	CHECK(store_totp_take(st, ada.id, 1001) == SV_OK);
	CHECK(store_totp_get(st, ada.id, got, &n, &last) == SV_OK && last == 1001);

	/* A recovery code works once. */
	CHECK(store_recovery_use(st, ada.id, hashes[3]) == SV_OK);
	CHECK(store_recovery_use(st, ada.id, hashes[3]) == SV_ERR_NOTFOUND);
	CHECK(store_recovery_use(st, get(st, "wendy").id, hashes[4]) == SV_ERR_NOTFOUND);
	CHECK(store_recovery_left(st, ada.id, &left) == SV_OK && left == STORE_RECOVERY_CODES - 1);

	/* Enrolling again starts afresh: new codes, no step taken. */
	CHECK(store_totp_set(st, ada.id, sealed, 56, codes) == SV_OK);
	CHECK(store_recovery_left(st, ada.id, &left) == SV_OK && left == STORE_RECOVERY_CODES);
	CHECK(store_totp_get(st, ada.id, got, &n, &last) == SV_OK && last == 0);

	CHECK(store_totp_clear(st, ada.id) == SV_OK);
	CHECK(get(st, "ada").has_totp == 0);
	CHECK(store_totp_get(st, ada.id, got, &n, &last) == SV_ERR_NOTFOUND);
	CHECK(store_recovery_left(st, ada.id, &left) == SV_OK && left == 0);
	CHECK(store_recovery_use(st, ada.id, hashes[5]) == SV_ERR_NOTFOUND);
}

static void test_own_password(struct store *st)
{
	struct store_user u;
	long long ended = -1;
	#define S3 "3333333333333333333333333333333333333333333333333333333333333333"

	CHECK(store_user_add(st, "olive", STORE_YOUTH_WORKER, HASH) == SV_OK);
	u = get(st, "olive");
	CHECK(store_session_add(st, S1, u.id, "c1", T0) == SV_OK);
	CHECK(store_session_add(st, S2, u.id, "c2", T0) == SV_OK);
	CHECK(store_session_add(st, S3, u.id, "c3", T0) == SV_OK);
	CHECK(store_user_change_password(st, u.id, HASH2, S2, &ended) == SV_OK && ended == 2);
	CHECK(strcmp(get(st, "olive").password, HASH2) == 0);
	CHECK(!has_session(st, S1) && has_session(st, S2) && !has_session(st, S3));
	CHECK(get(st, "olive").must_change == 0);
	CHECK(store_user_change_password(st, 999999, HASH, S2, &ended) == SV_ERR_NOTFOUND);
	CHECK(store_user_end_sessions(st, u.id, &ended) == SV_OK && ended == 1);
}

static void test_recovery_replace(struct store *st)
{
	const char *old[STORE_RECOVERY_CODES], *new[STORE_RECOVERY_CODES];
	char o[STORE_RECOVERY_CODES][65], n[STORE_RECOVERY_CODES][65], before[700], after[700];
	unsigned char sealed[40] = { 1 };
	long long left = 0;
	struct store_user u;

	for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
		snprintf(o[i], sizeof o[i], "%064d", i);
		snprintf(n[i], sizeof n[i], "%064d", 100 + i);
		old[i] = o[i];
		new[i] = n[i];
	}
	CHECK(store_user_add(st, "rosa", STORE_COMMISSIONER, HASH) == SV_OK);
	u = get(st, "rosa");
	CHECK(store_recovery_replace(st, u.id, new) == SV_ERR_NOTFOUND);   /* no second factor */
	CHECK(store_recovery_hashes(st, u.id, before, sizeof before) == SV_OK && before[0] == '\0');
	CHECK(store_totp_set(st, u.id, sealed, sizeof sealed, old) == SV_OK);
	CHECK(store_recovery_use(st, u.id, o[3]) == SV_OK);
	CHECK(store_recovery_hashes(st, u.id, before, sizeof before) == SV_OK);
	CHECK(strlen(before) == 9 * 65 - 1 && strstr(before, o[0]) == before && !strstr(before, o[3]));
	CHECK(store_recovery_hashes(st, u.id, before, 100) == SV_ERR_TOOBIG);
	CHECK(store_recovery_hashes(st, u.id, before, sizeof before) == SV_OK);
	CHECK(store_recovery_replace(st, u.id, new) == SV_OK);
	CHECK(store_recovery_left(st, u.id, &left) == SV_OK && left == STORE_RECOVERY_CODES);
	CHECK(store_recovery_use(st, u.id, o[0]) == SV_ERR_NOTFOUND);      /* the old ones at once */
	CHECK(store_recovery_use(st, u.id, n[0]) == SV_OK);
	CHECK(store_recovery_hashes(st, u.id, after, sizeof after) == SV_OK && strcmp(before, after) != 0);
}

static long long tries_rows(const char *dir)
{
	return check_sql_number(dir, "SELECT count(*) FROM account_attempts");
}

static void test_attempts(const char *dir)
{
	struct store *st = NULL, *other = NULL;
	long long wait = -1, id, t = T0;
	const long long lock = 15 * 60;
	#define TRY(s, k, at) (store_attempt_charge((s), id, (k), (at), 5, lock, &wait) == SV_OK)

	CHECK(check_store_again(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_user_add(st, "lockie", STORE_COMMISSIONER, HASH) == SV_OK);
	id = get(st, "lockie").id;
	/* Five tries go ahead; the sixth is refused until the lock ends, 15
	 * minutes (rounded up to the minute) after the fifth. */
	for (int i = 0; i < 5; i++)
		CHECK(TRY(st, STORE_ATTEMPT_CODE, t + i * 60) && wait == 0);
	CHECK(TRY(st, STORE_ATTEMPT_CODE, t + 4 * 60 + 1) && wait > 14 * 60 && wait < 16 * 60);
	/* Passwords are counted apart. */
	CHECK(TRY(st, STORE_ATTEMPT_PASSWORD, t + 300) && wait == 0);
	/* Another connection to the same database (another server) sees the
	 * lock, and so does the same database opened again (a restart). */
	CHECK(check_store_again(dir, &other) == SV_OK);
	if (other) {
		CHECK(store_attempt_charge(other, id, STORE_ATTEMPT_CODE, t + 600, 5, lock, &wait) == SV_OK &&
		      wait > 0);
		store_close(other);
	}
	store_close(st);
	st = NULL;
	CHECK(check_store_again(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(TRY(st, STORE_ATTEMPT_CODE, t + 900) && wait > 0);
	/* Refused tries do not move the end: at it, the account may try again. */
	long long end = (t + 4 * 60 + lock + 59) / 60 * 60;
	CHECK(TRY(st, STORE_ATTEMPT_CODE, end - 1) && wait == 1);
	CHECK(TRY(st, STORE_ATTEMPT_CODE, end) && wait == 0);
	/* A right one clears its kind, not the other. */
	CHECK(store_attempt_clear(st, id, STORE_ATTEMPT_CODE) == SV_OK);
	CHECK(tries_rows(dir) == 1);
	for (int i = 0; i < 4; i++)
		CHECK(TRY(st, STORE_ATTEMPT_CODE, end + 1) && wait == 0);
	CHECK(store_attempt_clear(st, id, STORE_ATTEMPT_CODE) == SV_OK);
	for (int i = 0; i < 5; i++)
		CHECK(TRY(st, STORE_ATTEMPT_CODE, end + 2) && wait == 0);
	/* Tries more than the window apart never add up. */
	CHECK(store_attempt_clear(st, id, STORE_ATTEMPT_CODE) == SV_OK);
	for (int i = 0; i < 8; i++)
		CHECK(TRY(st, STORE_ATTEMPT_CODE, end + 10 + i * (lock + 60)) && wait == 0);
	/* A reset forgets wrong passwords; a removed second factor, wrong codes. */
	for (int i = 0; i < 6; i++)
		CHECK(TRY(st, STORE_ATTEMPT_PASSWORD, t + 300));
	CHECK(wait > 0);
	CHECK(store_user_set_password(st, id, HASH2, 1) == SV_OK);
	CHECK(TRY(st, STORE_ATTEMPT_PASSWORD, t + 301) && wait == 0);
	long long far = end + 100 * lock;
	for (int i = 0; i < 6; i++)
		CHECK(TRY(st, STORE_ATTEMPT_CODE, far));
	CHECK(wait > 0);
	CHECK(store_totp_clear(st, id) == SV_OK);
	CHECK(TRY(st, STORE_ATTEMPT_CODE, far) && wait == 0);
	/* Passphrases (the Key page, exports, analysis; schema 26) are counted
	 * apart: five wrong ones make passphrases wait, never a sign-in, and a
	 * right one clears passphrases only. */
	for (int i = 0; i < 6; i++)
		CHECK(TRY(st, STORE_ATTEMPT_PASSPHRASE, far));
	CHECK(wait > 0);
	CHECK(TRY(st, STORE_ATTEMPT_PASSWORD, far) && wait == 0);
	CHECK(TRY(st, STORE_ATTEMPT_PASSPHRASE, far + 60) && wait > 0);
	CHECK(store_attempt_clear(st, id, STORE_ATTEMPT_PASSWORD) == SV_OK);
	CHECK(TRY(st, STORE_ATTEMPT_PASSPHRASE, far + 60) && wait > 0);
	CHECK(store_attempt_clear(st, id, STORE_ATTEMPT_PASSPHRASE) == SV_OK);
	CHECK(TRY(st, STORE_ATTEMPT_PASSPHRASE, far + 60) && wait == 0);
	/* Only the count and the end are kept, and no row once the end passed. */
	CHECK(tries_rows(dir) >= 1);
	CHECK(store_attempt_expire(st, far + 2 * lock) == SV_OK);
	CHECK(tries_rows(dir) == 0);
	CHECK(TRY(st, STORE_ATTEMPT_CODE, far) && wait == 0);
	CHECK(TRY(st, STORE_ATTEMPT_PASSWORD, far + 2 * lock) && wait == 0);
	CHECK(tries_rows(dir) == 1);       /* the code's went with the next try */
	store_close(st);
	#undef TRY
}

static void test_setup(const char *dir)
{
	struct store *st = NULL;
	long long admins = -1;
	const char *t1 = "aaaa", *t2 = "bbbb";

	CHECK(check_store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_user_add(st, "wendy", STORE_YOUTH_WORKER, HASH) == SV_OK);
	CHECK(store_setup_token_set(st, t1) == SV_OK);
	CHECK(store_setup_token_check(st, t1) == SV_OK);
	/* A new start makes a new link; the old one is gone. */
	CHECK(store_setup_token_set(st, t2) == SV_OK);
	CHECK(store_setup_token_check(st, t1) == SV_ERR_NOTFOUND);
	CHECK(store_setup_first_admin(st, t1, "ada", HASH) == SV_ERR_NOTFOUND);
	CHECK(store_setup_first_admin(st, t2, "wendy", HASH) == SV_ERR_EXISTS);
	CHECK(store_setup_token_check(st, t2) == SV_OK);    /* a taken name keeps the link */
	CHECK(store_setup_first_admin(st, t2, "ada", HASH) == SV_OK);
	CHECK(get(st, "ada").role == STORE_ADMIN);
	CHECK(store_admin_count(st, &admins) == SV_OK && admins == 1);
	CHECK(store_setup_token_check(st, t2) == SV_ERR_NOTFOUND);
	CHECK(store_setup_first_admin(st, t2, "eve", HASH) == SV_ERR_NOTFOUND);
	/* Even a token put back by hand makes no second admin. */
	CHECK(store_setup_token_set(st, t1) == SV_OK);
	CHECK(store_setup_first_admin(st, t1, "eve", HASH) == SV_ERR_NOTFOUND);
	CHECK(store_user_get(st, "eve", &(struct store_user){ 0 }) == SV_ERR_NOTFOUND);
	store_close(st);
}

/* ---- races: two stores on one database, as two servers ---- */

#define TRIES 50

/* One side of a race: an operation on its own store, and what it gave. */
struct racer {
	struct store *st;
	pthread_barrier_t *go;
	enum sv_err (*op)(struct racer *r);
	long long id, n;
	const char *text;
	enum sv_err rc;
};

static enum sv_err op_disable(struct racer *r) { return store_user_set_disabled(r->st, r->id, 1); }
static enum sv_err op_demote(struct racer *r) { return store_user_set_role(r->st, r->id, STORE_COMMISSIONER); }
static enum sv_err op_take(struct racer *r) { return store_totp_take(r->st, r->id, r->n); }
static enum sv_err op_code(struct racer *r) { return store_recovery_use(r->st, r->id, r->text); }
static enum sv_err op_setup(struct racer *r)
{
	return store_setup_first_admin(r->st, "race-token", r->text, HASH);
}

static void *race_side(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->go);
	r->rc = r->op(r);
	return NULL;
}

/* Runs a and b at the same moment, each on its own thread and store. */
static void race(struct racer *a, struct racer *b)
{
	pthread_barrier_t go;
	pthread_t ta, tb;

	pthread_barrier_init(&go, NULL, 2);
	a->go = b->go = &go;
	a->rc = b->rc = SV_ERR_DB;
	pthread_create(&ta, NULL, race_side, a);
	pthread_create(&tb, NULL, race_side, b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&go);
}

/* 1 if one side gave SV_OK and the other lost with lost. */
static int one_won(const struct racer *a, const struct racer *b, enum sv_err lost)
{
	return (a->rc == SV_OK && b->rc == lost) || (a->rc == lost && b->rc == SV_OK);
}

static void test_races(const char *dir)
{
	struct store *a = NULL, *b = NULL;
	long long admins = -1;
	int ok = 0, kept = 0, reset = 1;

	CHECK(check_store_open(dir, &a) == SV_OK);
	CHECK(a && check_store_again(dir, &b) == SV_OK);
	if (!a || !b)
		goto out;

	/* The setup link: of two first admins sent at once, one is made. */
	for (int i = 0; i < TRIES; i++) {
		char n1[32], n2[32];
		snprintf(n1, sizeof n1, "first-%d-a", i);
		snprintf(n2, sizeof n2, "first-%d-b", i);
		struct racer x = { .st = a, .op = op_setup, .text = n1 }, y = { .st = b, .op = op_setup, .text = n2 };
		reset &= store_setup_token_set(a, "race-token") == SV_OK;
		race(&x, &y);
		ok += one_won(&x, &y, SV_ERR_NOTFOUND);
		kept += store_admin_count(b, &admins) == SV_OK && admins == 1;
		/* Put the service back to no admin, behind the store's back. */
		reset &= check_sql_exec(dir, "UPDATE users SET role = 1") == 0;
	}
	CHECK(reset);
	CHECK(ok == TRIES);
	CHECK(kept == TRIES);
	CHECK(check_sql_number(dir, "SELECT count(*) FROM users") == TRIES);
	CHECK(store_setup_token_check(a, "race-token") == SV_ERR_NOTFOUND);

	/* Two admins of two, each disabled or demoted on its own server at
	 * once: one change goes through, the other would leave no admin. */
	CHECK(store_user_add(a, "ann", STORE_ADMIN, HASH) == SV_OK);
	CHECK(store_user_add(b, "bob", STORE_ADMIN, HASH) == SV_OK);
	long long ann = get(a, "ann").id, bob = get(b, "bob").id;
	ok = kept = 0;
	reset = 1;
	for (int i = 0; i < TRIES; i++) {
		struct racer x = { .st = a, .op = i % 3 == 1 ? op_demote : op_disable, .id = ann },
			     y = { .st = b, .op = i % 3 == 0 ? op_disable : op_demote, .id = bob };
		race(&x, &y);
		ok += one_won(&x, &y, SV_ERR_INVALID);
		kept += store_admin_count(a, &admins) == SV_OK && admins == 1;
		reset &= store_user_set_disabled(a, ann, 0) == SV_OK && store_user_set_disabled(a, bob, 0) == SV_OK &&
			store_user_set_role(b, ann, STORE_ADMIN) == SV_OK &&
			store_user_set_role(b, bob, STORE_ADMIN) == SV_OK;
	}
	CHECK(reset);
	CHECK(ok == TRIES);
	CHECK(kept == TRIES);

	/* A time step, and a recovery code, sent to two servers at once:
	 * taken once. */
	unsigned char sealed[40] = { 7 };
	char hashes[STORE_RECOVERY_CODES][65];
	const char *codes[STORE_RECOVERY_CODES];
	int steps = 0, used = 0;
	reset = 1;
	for (int i = 0; i < TRIES; i++) {
		if (i % STORE_RECOVERY_CODES == 0) {
			for (int k = 0; k < STORE_RECOVERY_CODES; k++) {
				snprintf(hashes[k], sizeof hashes[k], "%064d", i + k);
				codes[k] = hashes[k];
			}
			reset &= store_totp_set(a, ann, sealed, sizeof sealed, codes) == SV_OK;
		}
		struct racer x = { .st = a, .op = op_take, .id = ann, .n = 1000 + i },
			     y = { .st = b, .op = op_take, .id = ann, .n = 1000 + i };
		race(&x, &y);
		steps += one_won(&x, &y, SV_ERR_EXISTS);
		x.op = y.op = op_code;
		x.text = y.text = hashes[i % STORE_RECOVERY_CODES];
		race(&x, &y);
		used += one_won(&x, &y, SV_ERR_NOTFOUND);
	}
	CHECK(reset);
	CHECK(steps == TRIES);
	CHECK(used == TRIES);
	long long left = -1;
	CHECK(store_recovery_left(b, ann, &left) == SV_OK && left == 0);
	printf("# %d races of each kind, on %s\n", TRIES, check_on_postgres() ? "PostgreSQL" : "SQLite");
out:
	store_close(b);
	store_close(a);
}

static void test_render(void)
{
	struct sbuf b;
	struct render_account a = { 7, "<b>\"x\"&", 2, 1, 1, 1 };

	sbuf_init(&b, 1 << 20);
	render_accounts_row(&b, &a);
	render_account_page(&b, &a, "c", "<i>", 1);
	render_account_confirm(&b, &a, "c", "disable", "Disable <b>?", "<t>", "<y>");
	render_account_temporary(&b, &a, "<pw>");
	render_recovery_codes(&b, &(struct render_recovery){ "<n>", "<d>", (const char *const[]){ "<r>" }, 1, 1 });
	render_your_account(&b, &(struct render_your_account){ "<n>", 2, 1, 2, 10, "<m>", 1, "<o>" }, "c", NULL);
	render_accounts_no_admin(&b);
	CHECK(!b.err);
	CHECK(b.buf && !strstr(b.buf, "<b>") && !strstr(b.buf, "<i>") && !strstr(b.buf, "<t>") &&
	      !strstr(b.buf, "<y>") && !strstr(b.buf, "<pw>") && !strstr(b.buf, "<r>") &&
	      !strstr(b.buf, "<n>") && !strstr(b.buf, "<d>") && !strstr(b.buf, "<m>") && !strstr(b.buf, "<o>"));
	CHECK(b.buf && strstr(b.buf, "On; 2 of 10 recovery codes left") && strstr(b.buf, "You have 2 recovery codes left"));
	CHECK(b.buf && strstr(b.buf, "&lt;b&gt;&quot;x&quot;&amp;"));
	CHECK(b.buf && strstr(b.buf, "Disabled; must choose a new password; second factor set up"));
	CHECK(render_role_from_id("commissioner") == 2 && render_role_from_id("wizard") == 0 &&
	      render_role_from_id(NULL) == 0);
	CHECK(render_role_id(3) && strcmp(render_role_id(3), "admin") == 0 && render_role_id(4) == NULL);
	sbuf_free(&b);
}

int main(void)
{
	struct store *st = NULL;
	char dir[] = "/tmp/yv-accounts-XXXXXX", dir2[] = "/tmp/yv-setup-XXXXXX", dir3[] = "/tmp/yv-races-XXXXXX";

	if (!mkdtemp(dir) || !mkdtemp(dir2) || !mkdtemp(dir3)) {
		perror("mkdtemp");
		return 1;
	}
	CHECK(check_store_open(dir, &st) == SV_OK);
	if (st) {
		test_disable_role(st);
		test_password_sessions(st);
		test_totp(st);
		test_own_password(st);
		test_recovery_replace(st);
		store_close(st);
	}
	test_setup(dir2);
	test_attempts(dir);
	test_races(dir3);
	test_render();
	check_remove_dir(dir);
	check_remove_dir(dir2);
	check_remove_dir(dir3);
	return CHECK_DONE();
}
