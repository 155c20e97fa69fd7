/*
 * test_accounts_store.c - core/store_accounts.c: an account disabled (its
 * sessions gone in the same step, sign-in state read back) and enabled; a
 * role changed; the last enabled admin never disabled or demoted; a
 * password reset that ends sessions and asks for a new one; sessions ended
 * on demand; a second factor set, its time steps taken once and in order,
 * recovery codes used once, and cleared; the setup link's token, used once
 * and only while no admin exists.  And forms/render_accounts.c escapes
 * names on every page it writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../core/store.h"
#include "../../forms/render_accounts.h"
#include "check.h"

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
	CHECK(store_user_set_disabled(st, wendy.id, 1) == SV_OK);
	CHECK(!has_session(st, S1) && !has_session(st, S2));
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

static void test_setup(const char *dir)
{
	struct store *st = NULL;
	long long admins = -1;
	const char *t1 = "aaaa", *t2 = "bbbb";

	CHECK(store_open(dir, &st) == SV_OK);
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

static void test_render(void)
{
	struct sbuf b;
	struct render_account a = { 7, "<b>\"x\"&", 2, 1, 1, 1 };

	sbuf_init(&b, 1 << 20);
	render_accounts_row(&b, &a);
	render_account_page(&b, &a, "c", "<i>", 1);
	render_account_confirm(&b, &a, "c", "disable", "Disable <b>?", "<t>", "<y>");
	render_account_temporary(&b, &a, "<pw>");
	render_recovery_codes(&b, (const char *const[]){ "<r>" }, 1);
	render_accounts_no_admin(&b);
	CHECK(!b.err);
	CHECK(b.buf && !strstr(b.buf, "<b>") && !strstr(b.buf, "<i>") && !strstr(b.buf, "<t>") &&
	      !strstr(b.buf, "<y>") && !strstr(b.buf, "<pw>") && !strstr(b.buf, "<r>"));
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
	char dir[] = "/tmp/yv-accounts-XXXXXX", dir2[] = "/tmp/yv-setup-XXXXXX";

	if (!mkdtemp(dir) || !mkdtemp(dir2)) {
		perror("mkdtemp");
		return 1;
	}
	CHECK(store_open(dir, &st) == SV_OK);
	if (st) {
		test_disable_role(st);
		test_password_sessions(st);
		test_totp(st);
		store_close(st);
	}
	test_setup(dir2);
	test_render();
	check_remove_dir(dir);
	check_remove_dir(dir2);
	return CHECK_DONE();
}
