/*
 * accounts.c - staff accounts after they are added, and the steps of
 * signing in that come after the password.
 *
 *   /staff/accounts                  admins: every account, and a form to add one
 *   /staff/accounts/ID               one account: its role and state, and a form per action
 *   POST /staff/accounts/ID/role     change the role (refused for the last enabled admin)
 *   POST .../enable                  let it sign in again
 *   POST .../disable, reset, sessions, second-factor
 *                                    without confirm=yes a page asks first (no script
 *                                    needed); with it: disable (its sessions end at
 *                                    once), reset the password (a temporary one shown
 *                                    once, a new one chosen at the next sign-in), end
 *                                    every session, remove the second factor
 *   /staff/login/code                after the password, when the account has a second
 *                                    factor: its code, or a recovery code
 *   /staff/login/password            with a session, after a reset: a new password
 *   /staff/login/enrol               with a session: set up the second factor (the
 *                                    roles that can open sealed answers must)
 *   /staff/setup/TOKEN               the first admin, through the link printed at start
 *
 * No session exists before the second factor's code is taken: the password
 * step leaves only a signed cookie naming the account for a few minutes
 * (CODE_COOKIE), which opens nothing but the code page.  Codes are limited
 * per account in the database (staff_try, LIMIT_ACCOUNT_TRIES), and a time
 * step is taken once (store_totp_take), so a code seen over a shoulder
 * cannot be used again.
 * Every change goes to the audit log, naming the account, never a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <sodium.h>

#include "../forms/qr.h"
#include "../forms/render_accounts.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"
#include "totp.h"

#define CODE_COOKIE "yv_code"          /* the account between password and code */
#define SETUP_COOKIE "yv_setup"        /* the setup form's pre-session cookie */
#define CODE_COOKIE_LIFE (5 * 60)      /* seconds to type the code in */
#define ACCOUNTS_MAC_KDF_ID 2          /* subkey of the form-token key for the MACs here */
#define TEMP_PASSWORD_CHARS 16         /* of a reset's temporary password: 80 bits */
#define CONFIRM "yes"

struct accounts {
	struct totp_key key;               /* seals TOTP secrets, keys recovery-code hashes */
	unsigned char mac[crypto_auth_KEYBYTES]; /* signs CODE_COOKIE and the forms' tokens */
};

enum sv_err accounts_init(struct server *srv)
{
	struct accounts *a = sodium_malloc(sizeof *a);

	if (!a)
		return SV_ERR_NOMEM;
	totp_key_derive(&srv->token_key, &a->key);
	crypto_kdf_derive_from_key(a->mac, sizeof a->mac, ACCOUNTS_MAC_KDF_ID, "accounts", srv->token_key.k);
	if (totp_init()) {
		sodium_free(a);
		return SV_ERR_NOMEM;
	}
	srv->accounts = a;
	return SV_OK;
}

void accounts_free(struct server *srv)
{
	if (!srv->accounts)
		return;
	sodium_free(srv->accounts);
	srv->accounts = NULL;
	totp_done();
}

/* Hex of the MAC of purpose and text, under the accounts' key. */
static void mac_hex(const struct accounts *a, const char *purpose, const char *text, char out[65])
{
	crypto_auth_hmacsha512256_state st;
	unsigned char mac[crypto_auth_BYTES];

	crypto_auth_hmacsha512256_init(&st, a->mac, sizeof a->mac);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)text, strlen(text));
	crypto_auth_hmacsha512256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

static int same(const char *a, const char *b)
{
	size_t n = b ? strlen(b) : 0;
	return a && n > 0 && strlen(a) == n && sodium_memcmp(a, b, n) == 0;
}

static int cookie(const struct req_ctx *rc, const char *name, char *out, size_t cap)
{
	const char *header = mg_get_header(rc->conn, "Cookie");
	return header && parse_cookie(header, strlen(header), name, out, cap) > 0;
}

/* BLAKE2b-256 of a setup token, hex: what the database keeps. */
static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_hex(char out[65])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void accounts_announce(struct server *srv, const char *listen, int port)
{
	long long admins = 1;
	char token[65], hash[65];

	if (store_admin_count(srv->store, &admins) || admins > 0)
		return;
	random_hex(token);
	token_hash(token, hash);
	if (store_setup_token_set(srv->store, hash)) {
		fprintf(stderr, "survey-server: there is no admin account, and no setup link could be "
			"made: use survey-server user add ... --role admin\n");
		return;
	}
	if (srv->public_url)
		fprintf(stderr, "survey-server: first admin: there is no admin account yet; open this "
			"link once to make one: %s/staff/setup/%s\n", srv->public_url, token);
	else
		fprintf(stderr, "survey-server: first admin: there is no admin account yet; open this "
			"link once to make one: http://%.*s:%d/staff/setup/%s\n", (int)strcspn(listen, ":"), listen,
			port, token);
	sodium_memzero(token, sizeof token);
}

static struct render_account shown(const struct store_user *u)
{
	struct render_account a = { u->id, u->name, (int)u->role, u->disabled, u->must_change, u->has_totp };
	return a;
}

/* A problem with a name for an account, or NULL. */
static const char *name_problem(const char *name)
{
	if (!name || !*name)
		return "Enter a name";
	if (strlen(name) > STORE_MAX_NAME || !utf8_valid(name, strlen(name)) || strpbrk(name, "<>\"'&\t\r\n"))
		return "Give a name of up to 64 characters, without < > \" ' or &";
	return NULL;
}

static int password_short(const char *password)
{
	return !password || utf8_length(password, strlen(password)) < RENDER_MIN_PASSWORD;
}

/* Reads a form posted by a page that had no session (setup, code): its
 * token must be the MAC of the pre-session cookie for purpose. */
static int read_signed_form(struct req_ctx *rc, const char *cookie_name, const char *purpose,
			    struct form_body *body)
{
	char c[130], want[65];
	int status = staff_read_form(rc, body);

	if (status)
		return status;
	if (!cookie(rc, cookie_name, c, sizeof c)) {
		form_body_free(body);
		return staff_forbidden(rc, "This page had expired. Go back, reload it and try again.");
	}
	mac_hex(rc->srv->accounts, purpose, c, want);
	if (!same(form_body_get(body, "_csrf"), want)) {
		form_body_free(body);
		return staff_forbidden(rc, "This page had expired. Go back, reload it and try again.");
	}
	return 0;
}

/* Sends rc->page with extra headers, never cached. */
static int send_page_with(struct req_ctx *rc, int status, const char *headers)
{
	char all[400];

	if (rc->page.err)
		return http_send_page(rc, 503);
	snprintf(all, sizeof all, "%sCache-Control: no-store\r\n", headers);
	return http_send(rc, status, "text/html; charset=utf-8", rc->page.buf, rc->page.len, all);
}

/* ---- the first admin ---- */

static int setup_page(struct req_ctx *rc, const char *token, int status, const struct staff_errors *e,
		      const char *name)
{
	struct render_staff_user nobody = { NULL, RENDER_ROLE_NONE, NULL };
	char c[65], csrf[65], action[96], header[200];

	random_hex(c);
	mac_hex(rc->srv->accounts, "setup", c, csrf);
	snprintf(action, sizeof action, "/staff/setup/%s", token);
	sbuf_reset(&rc->page);
	render_staff_page_start(&rc->page, "Make the first admin", &nobody, e);
	render_setup_form(&rc->page, action, csrf, e, name);
	render_staff_page_end(&rc->page);
	snprintf(header, sizeof header, "Set-Cookie: " SETUP_COOKIE "=%s; Path=/staff/setup; HttpOnly; "
		 "SameSite=Strict; Max-Age=3600%s\r\n", c, staff_secure_attr(rc));
	return send_page_with(rc, status, header);
}

static int setup_route(struct req_ctx *rc, const char *token)
{
	char hash[65], pw[crypto_pwhash_STRBYTES];
	long long admins = 0;
	struct form_body body;
	struct staff_errors e = { 0 };
	int status;

	if (store_admin_count(rc->srv->store, &admins))
		return http_send_problem(rc, 503, "This page is not available just now.");
	if (admins > 0)
		return http_send_problem(rc, 410, "There is an admin already: this setup link is used up. "
					 "Sign in at /staff/login.");
	if (strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
		return http_send_problem(rc, 404, "There is no setup page at this address.");
	token_hash(token, hash);
	if (store_setup_token_check(rc->srv->store, hash))
		return http_send_problem(rc, 404, "There is no setup page at this address. Use the link "
					 "printed when the server last started.");
	if (strcmp(rc->method, "GET") == 0 || rc->head_only)
		return setup_page(rc, token, 200, NULL, NULL);
	if (strcmp(rc->method, "POST") != 0)
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	status = read_signed_form(rc, SETUP_COOKIE, "setup", &body);
	if (status)
		return status;
	const char *name = form_body_get(&body, "name");
	const char *password = form_body_get(&body, "password");
	const char *again = form_body_get(&body, "again");
	const char *why = name_problem(name);
	if (why)
		staff_errors_add(&e, "s-name", why);
	if (password_short(password))
		staff_errors_add(&e, "s-password", "Give a password of at least 12 characters");
	else if (!again || strcmp(password, again) != 0)
		staff_errors_add(&e, "s-again", "Type the same password twice");
	if (e.n) {
		status = setup_page(rc, token, 422, &e, name);
		goto out;
	}
	if (staff_hash_password(rc->srv, password, pw)) {
		status = http_send_problem(rc, 503, "The account could not be made just now.");
		goto out;
	}
	enum sv_err err = store_setup_first_admin(rc->srv->store, hash, name, pw);
	sodium_memzero(pw, sizeof pw);
	if (err == SV_ERR_EXISTS) {
		staff_errors_add(&e, "s-name", "There is already an account with that name: choose another");
		status = setup_page(rc, token, 422, &e, name);
		goto out;
	}
	if (err == SV_ERR_NOTFOUND) {
		status = http_send_problem(rc, 410, "This setup link is used up. Sign in at /staff/login.");
		goto out;
	}
	if (err) {
		status = http_send_problem(rc, 503, "The account could not be made just now.");
		goto out;
	}
	store_audit(rc->srv->store, name, "made the first admin", "through the setup link");
	struct render_staff_user nobody = { NULL, RENDER_ROLE_NONE, NULL };
	sbuf_reset(&rc->page);
	render_staff_message(&rc->page, &nobody, "The admin account is ready",
			     "Sign in with the name and password you chose. The setup link no longer works.",
			     "/staff/login", "Sign in");
	status = send_page_with(rc, 200, "Set-Cookie: " SETUP_COOKIE "=; Path=/staff/setup; HttpOnly; "
				"SameSite=Strict; Max-Age=0\r\n");
out:
	form_body_free(&body);
	return status;
}

/* ---- the code step ---- */

/* CODE_COOKIE's value for an account: id.expires.mac (all decimal or hex). */
static void code_cookie(const struct accounts *a, long long id, long long expires, char *out, size_t cap)
{
	char text[48], mac[65];

	snprintf(text, sizeof text, "%lld.%lld", id, expires);
	mac_hex(a, "code-cookie", text, mac);
	snprintf(out, cap, "%s.%s", text, mac);
}

/* The account named by a good, unexpired CODE_COOKIE, or 0. */
static long long code_account(struct req_ctx *rc, char *c, size_t cap)
{
	char want[130];
	long long id = 0, expires = 0;

	if (!cookie(rc, CODE_COOKIE, c, cap) || sscanf(c, "%lld.%lld.", &id, &expires) != 2)
		return 0;
	code_cookie(rc->srv->accounts, id, expires, want, sizeof want);
	if (!same(c, want) || expires < (long long)time(NULL) || id <= 0)
		return 0;
	return id;
}

static int code_page(struct req_ctx *rc, const char *c, int status, const struct staff_errors *e)
{
	struct render_staff_user nobody = { NULL, RENDER_ROLE_NONE, NULL };
	char csrf[65];

	mac_hex(rc->srv->accounts, "code-form", c, csrf);
	sbuf_reset(&rc->page);
	render_staff_page_start(&rc->page, "Enter your code", &nobody, e);
	render_signin_code(&rc->page, csrf, e);
	render_staff_page_end(&rc->page);
	return send_page_with(rc, status, "");
}

int accounts_code_step(struct req_ctx *rc, const struct store_user *u)
{
	char c[130], header[300];

	code_cookie(rc->srv->accounts, u->id, (long long)time(NULL) + CODE_COOKIE_LIFE, c, sizeof c);
	snprintf(header, sizeof header, "Location: /staff/login/code\r\nCache-Control: no-store\r\n"
		 "Set-Cookie: " CODE_COOKIE "=%s; Path=/staff/login; HttpOnly; SameSite=Strict; Max-Age=%d%s\r\n",
		 c, CODE_COOKIE_LIFE, staff_secure_attr(rc));
	return http_send(rc, 303, "text/plain; charset=utf-8", "", 0, header);
}

enum sv_err accounts_take_code(struct server *srv, const struct store_user *u, const char *code,
			       int recovery_too, int *recovery)
{
	unsigned char sealed[STORE_MAX_TOTP_SEALED], secret[TOTP_SECRET_BYTES];
	size_t n = 0;
	long long last = 0, step = 0;
	char hash[65];
	enum sv_err err = store_totp_get(srv->store, u->id, sealed, &n, &last);

	*recovery = 0;
	if (err)
		return err == SV_ERR_NOTFOUND ? SV_ERR_INVALID : err;
	err = totp_open(&srv->accounts->key, sealed, n, secret);
	if (!err) {
		err = totp_check(secret, code, strlen(code), (long long)time(NULL), &step);
		if (!err)
			err = store_totp_take(srv->store, u->id, step);
	}
	sodium_memzero(secret, sizeof secret);
	if (err != SV_ERR_INVALID || !recovery_too)
		return err;
	/* Not a code of the app: perhaps a recovery code. */
	if (totp_recovery_hash(&srv->accounts->key, code, strlen(code), hash))
		return SV_ERR_INVALID;
	err = store_recovery_use(srv->store, u->id, hash);
	*recovery = err == SV_OK;
	return err == SV_ERR_NOTFOUND ? SV_ERR_INVALID : err;
}

static int code_post(struct req_ctx *rc, const char *c, long long id)
{
	struct form_body body;
	struct store_user u;
	struct staff_errors e = { 0 };
	char why[200], header[200];
	int recovery = 0;
	int status = read_signed_form(rc, CODE_COOKIE, "code-form", &body);

	if (status)
		return status;
	/* The account as it is now: disabled since the password, or its
	 * second factor removed, and the code step is over. */
	if (store_user_by_id(rc->srv->store, id, &u) || u.disabled || !u.has_totp) {
		status = http_send_redirect(rc, "/staff/login");
		goto out;
	}
	const char *code = form_body_get(&body, "code");
	if (!code || !*code || strlen(code) > 32) {
		staff_errors_add(&e, "code", "Enter the 6-digit code from your app");
		status = code_page(rc, c, 422, &e);
		goto out;
	}
	/* The try counts before the code is looked at (in the database, so
	 * that it holds across a restart and across servers). */
	long long wait = staff_try(rc->srv, id, STORE_ATTEMPT_CODE);
	if (wait < 0) {
		status = http_send_problem(rc, 503, "Signing in is not available just now.");
		goto out;
	}
	if (wait) {
		staff_wait_text(why, sizeof why, "Too many codes tried.", wait, "or ask an admin");
		staff_errors_add(&e, "code", why);
		status = code_page(rc, c, 429, &e);
		goto out;
	}
	enum sv_err err = accounts_take_code(rc->srv, &u, code, 1, &recovery);
	if (err == SV_ERR_EXISTS || err == SV_ERR_INVALID) {
		store_audit(rc->srv->store, u.name, "sign-in refused",
			    err == SV_ERR_EXISTS ? "code used before" : "wrong code");
		staff_errors_add(&e, "code", err == SV_ERR_EXISTS ? "That code has been used already. "
				 "Wait for the next one from your app" : "That code is not right. Check the app "
				 "shows Your voice and type the newest code");
		status = code_page(rc, c, 422, &e);
		goto out;
	}
	if (err) {
		status = http_send_problem(rc, 503, "Signing in is not available just now.");
		goto out;
	}
	staff_try_ok(rc->srv, id, STORE_ATTEMPT_CODE);
	snprintf(header, sizeof header, "Set-Cookie: " CODE_COOKIE "=; Path=/staff/login; HttpOnly; "
		 "SameSite=Strict; Max-Age=0\r\n");
	status = staff_session_start(rc, &u, recovery ? "signed in with a recovery code" : "signed in",
				     header);
out:
	form_body_free(&body);
	return status;
}

static int code_route(struct req_ctx *rc)
{
	char c[130];
	long long id = code_account(rc, c, sizeof c);

	if (!id)
		return http_send_redirect(rc, "/staff/login");
	if (strcmp(rc->method, "POST") == 0)
		return code_post(rc, c, id);
	if (strcmp(rc->method, "GET") == 0 || rc->head_only)
		return code_page(rc, c, 200, NULL);
	return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
}

/* ---- steps with a session: a new password, enrolling ---- */

static int new_password_page(struct req_ctx *rc, const struct staff_session *sess, int status,
			     const struct staff_errors *e)
{
	struct render_staff_user me = { sess->user.name, RENDER_ROLE_NONE, NULL };

	sbuf_reset(&rc->page);
	render_staff_page_start(&rc->page, "Choose a new password", &me, e);
	render_new_password(&rc->page, sess->csrf, e);
	render_staff_page_end(&rc->page);
	return send_page_with(rc, status, "");
}

static int new_password_route(struct req_ctx *rc, struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	int status;

	if (!sess->user.must_change)
		return http_send_redirect(rc, "/staff");
	if (strcmp(rc->method, "GET") == 0 || rc->head_only)
		return new_password_page(rc, sess, 200, NULL);
	if (strcmp(rc->method, "POST") != 0)
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	status = staff_read_post(rc, sess, &body);
	if (status)
		return status;
	const char *password = form_body_get(&body, "password");
	const char *again = form_body_get(&body, "again");
	if (password_short(password))
		staff_errors_add(&e, "n-password", "Give a password of at least 12 characters");
	else if (!again || strcmp(password, again) != 0)
		staff_errors_add(&e, "n-again", "Type the same password twice");
	else if (crypto_pwhash_str_verify(sess->user.password, password, strlen(password)) == 0)
		staff_errors_add(&e, "n-password", "Choose a password other than the temporary one");
	if (e.n) {
		status = new_password_page(rc, sess, 422, &e);
		goto out;
	}
	if (staff_hash_password(rc->srv, password, hash) ||
	    store_user_set_password(rc->srv->store, sess->user.id, hash, 0)) {
		status = http_send_problem(rc, 503, "The password could not be saved just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "chose a new password", "");
	sess->user.must_change = 0;
	const char *next = staff_step_left(rc->srv, &sess->user);
	status = http_send_redirect(rc, next ? next : "/staff");
out:
	sodium_memzero(hash, sizeof hash);
	form_body_free(&body);
	return status;
}

static int enrol_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		      const struct staff_errors *e, const unsigned char secret[TOTP_SECRET_BYTES])
{
	struct render_staff_user me = { sess->user.name, RENDER_ROLE_NONE, NULL };
	unsigned char sealed[TOTP_SEALED];
	char secret32[TOTP_BASE32_LEN + 1], pending[TOTP_SEALED * 2 + 1];
	struct sbuf uri;

	totp_base32(secret, secret32);
	totp_seal(&rc->srv->accounts->key, secret, sealed);
	sodium_bin2hex(pending, sizeof pending, sealed, sizeof sealed);
	sbuf_init(&uri, QR_MAX_TEXT);
	totp_uri(&uri, sess->user.name, secret32);
	sbuf_reset(&rc->page);
	render_staff_page_start(&rc->page, "Set up a second factor", &me, e);
	render_enrol(&rc->page, sess->csrf, secret32, uri.err ? "" : uri.buf, pending,
		     sess->user.role >= STORE_COMMISSIONER, e);
	render_staff_page_end(&rc->page);
	sodium_memzero(secret32, sizeof secret32);
	sbuf_free(&uri);
	return send_page_with(rc, status, "");
}

static int enrol_post(struct req_ctx *rc, struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	unsigned char sealed[TOTP_SEALED], secret[TOTP_SECRET_BYTES];
	char codes[STORE_RECOVERY_CODES][TOTP_RECOVERY_LEN + 1], hashes[STORE_RECOVERY_CODES][65];
	const char *code_list[STORE_RECOVERY_CODES], *hash_list[STORE_RECOVERY_CODES];
	long long step = 0;
	size_t n = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *pending = form_body_get(&body, "pending");
	const char *code = form_body_get(&body, "code");
	if (!pending || sodium_hex2bin(sealed, sizeof sealed, pending, strlen(pending), NULL, &n, NULL) ||
	    totp_open(&rc->srv->accounts->key, sealed, n, secret)) {
		status = http_send_redirect(rc, "/staff/login/enrol");
		goto out;
	}
	if (!code || totp_check(secret, code, strlen(code), (long long)time(NULL), &step)) {
		staff_errors_add(&e, "code", "That code is not right. Type the newest 6-digit code the app shows");
		status = enrol_page(rc, sess, 422, &e, secret);
		goto out;
	}
	accounts_recovery_make(rc->srv, codes, hashes);
	for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
		code_list[i] = codes[i];
		hash_list[i] = hashes[i];
	}
	totp_seal(&rc->srv->accounts->key, secret, sealed);
	if (store_totp_set(rc->srv->store, sess->user.id, sealed, sizeof sealed, hash_list) ||
	    store_totp_take(rc->srv->store, sess->user.id, step)) {
		status = http_send_problem(rc, 503, "The second factor could not be saved just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "set up a second factor", "");
	status = accounts_recovery_page(rc, sess, code_list, 0);
out:
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(codes, sizeof codes);
	form_body_free(&body);
	return status;
}

static int enrol_route(struct req_ctx *rc, struct staff_session *sess)
{
	unsigned char secret[TOTP_SECRET_BYTES];

	/* A reset comes first; one second factor at a time (an admin removes
	 * a lost one, then the person enrols again). */
	if (sess->user.must_change)
		return http_send_redirect(rc, "/staff/login/password");
	if (sess->user.has_totp)
		return http_send_redirect(rc, "/staff");
	if (strcmp(rc->method, "POST") == 0)
		return enrol_post(rc, sess);
	if (strcmp(rc->method, "GET") != 0 && !rc->head_only)
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	totp_secret_new(secret);
	int status = enrol_page(rc, sess, 200, NULL, secret);
	sodium_memzero(secret, sizeof secret);
	return status;
}

int accounts_signin_route(struct req_ctx *rc, const char *rest)
{
	struct staff_session sess;
	int status;

	if (strncmp(rest, "/setup/", 7) == 0)
		return setup_route(rc, rest + 7);
	if (strcmp(rest, "/login/code") == 0)
		return code_route(rc);
	int password = strcmp(rest, "/login/password") == 0;
	if (!password && strcmp(rest, "/login/enrol") != 0)
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	status = staff_session_load(rc, &sess);
	if (status)
		return status;
	status = password ? new_password_route(rc, &sess) : enrol_route(rc, &sess);
	memset(&sess, 0, sizeof sess);
	return status;
}

/* ---- admins: the list and one account ---- */

struct listing { struct sbuf *b; int n; };

static void list_row(void *arg, const struct store_user *u)
{
	struct listing *l = arg;
	struct render_account a = shown(u);
	render_accounts_row(l->b, &a);
	l->n++;
}

static int list_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		     const struct form_body *posted, const struct staff_errors *e)
{
	struct listing l = { &rc->page, 0 };

	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Accounts", e);
	render_accounts_list_start(&rc->page, NULL);
	if (store_account_each(rc->srv->store, list_row, &l))
		return http_send_problem(rc, 503, "Accounts are not available just now.");
	render_accounts_list_end(&rc->page, sess->csrf, e, posted);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

static int add_account(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *name = form_body_get(&body, "name");
	int role = render_role_from_id(form_body_get(&body, "role"));
	const char *password = form_body_get(&body, "password");
	const char *why = name_problem(name);
	if (why)
		staff_errors_add(&e, "a-name", why);
	if (!role)
		staff_errors_add(&e, "a-role-1", "Choose a role");
	if (password_short(password))
		staff_errors_add(&e, "a-password", "Give a password of at least 12 characters");
	if (e.n) {
		status = list_page(rc, sess, 422, &body, &e);
		goto out;
	}
	enum sv_err err = staff_hash_password(rc->srv, password, hash) ? SV_ERR_NOMEM :
		store_user_add(rc->srv->store, name, (enum store_role)role, hash);
	sodium_memzero(hash, sizeof hash);
	if (err == SV_ERR_EXISTS) {
		staff_errors_add(&e, "a-name", "There is already an account with that name");
		status = list_page(rc, sess, 422, &body, &e);
		goto out;
	}
	if (err) {
		status = http_send_problem(rc, 503, "The account could not be added just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "added an account", name);
	status = http_send_redirect(rc, "/staff/accounts");
out:
	form_body_free(&body);
	return status;
}

/* What ?done= on an account page says (after a redirect). */
static const struct staff_notice notices[] = {
	{ "role", "The role is changed." },
	{ "enabled", "The account is enabled: it can sign in again." },
	{ "disabled", "The account is disabled and signed out everywhere." },
	{ "sessions", "The account is signed out everywhere." },
	{ "second-factor", "The second factor is removed: they set up a new one at their next sign-in." },
};

static int account_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_user *u,
			int status, const char *notice, int problem)
{
	struct render_account a = shown(u);

	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, u->name, NULL);
	render_account_page(&rc->page, &a, sess->csrf, notice, problem);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

static int confirm_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_user *u,
			const char *action)
{
	struct render_account a = shown(u);
	char question[160];
	const char *text, *yes;

	if (strcmp(action, "disable") == 0) {
		snprintf(question, sizeof question, "Disable %s?", u->name);
		text = "They cannot sign in until an admin enables the account again, and every "
		       "session of theirs ends now.";
		yes = "Yes, disable it";
	} else if (strcmp(action, "reset") == 0) {
		snprintf(question, sizeof question, "Reset the password of %s?", u->name);
		text = "Their password stops working and they are signed out everywhere. You get a "
		       "temporary password to give them; they choose a new one at their next sign-in.";
		yes = "Yes, reset it";
	} else if (strcmp(action, "sessions") == 0) {
		snprintf(question, sizeof question, "Sign %s out everywhere?", u->name);
		text = "Every session of theirs ends now, on every device. They can sign in again.";
		yes = "Yes, sign them out";
	} else {
		snprintf(question, sizeof question, "Remove the second factor of %s?", u->name);
		text = "Do this when they have lost their phone. Their recovery codes stop working "
		       "too, and they set up a new second factor at their next sign-in.";
		yes = "Yes, remove it";
	}
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, question, NULL);
	render_account_confirm(&rc->page, &a, sess->csrf, action, question, text, yes);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

static const char last_admin[] = "This is the last enabled admin: make another account an admin "
	"first, or nobody could manage accounts.";

/* A reset: a temporary password, shown once. */
static int reset(struct req_ctx *rc, const struct staff_session *sess, const struct store_user *u)
{
	char temp[ACCOUNTS_TEMP_PASSWORD_LEN + 1], hash[crypto_pwhash_STRBYTES];
	int status;

	accounts_temporary_password(temp);
	if (staff_hash_password(rc->srv, temp, hash) ||
	    store_user_set_password(rc->srv->store, u->id, hash, 1)) {
		status = http_send_problem(rc, 503, "The password could not be reset just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "reset a password", u->name);
	analyse_check_holder(rc->srv);   /* its sessions ended: so does its analysis */
	struct render_account a = shown(u);
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Temporary password", NULL);
	render_account_temporary(&rc->page, &a, temp);
	render_staff_page_end(&rc->page);
	status = send_page_with(rc, 200, "");
out:
	sodium_memzero(temp, sizeof temp);
	sodium_memzero(hash, sizeof hash);
	return status;
}

static int account_action(struct req_ctx *rc, const struct staff_session *sess, const struct store_user *u,
			  const char *action)
{
	struct form_body body;
	char where[80], detail[STORE_MAX_NAME + 40];
	const char *done = NULL;
	enum sv_err err = SV_OK;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *confirm = form_body_get(&body, "confirm");
	int confirmed = confirm && strcmp(confirm, CONFIRM) == 0;
	if (strcmp(action, "role") == 0) {
		int role = render_role_from_id(form_body_get(&body, "role"));
		if (!role) {
			status = account_page(rc, sess, u, 422, "Choose a role.", 1);
			goto out;
		}
		err = store_user_set_role(rc->srv->store, u->id, (enum store_role)role);
		snprintf(detail, sizeof detail, "%s, to %s", u->name, render_role_id(role));
		if (!err)
			store_audit(rc->srv->store, sess->user.name, "changed a role", detail);
		done = "role";
	} else if (strcmp(action, "enable") == 0) {
		err = store_user_set_disabled(rc->srv->store, u->id, 0);
		if (!err)
			store_audit(rc->srv->store, sess->user.name, "enabled an account", u->name);
		done = "enabled";
	} else if (!confirmed) {
		status = confirm_page(rc, sess, u, action);
		goto out;
	} else if (strcmp(action, "disable") == 0) {
		err = store_user_set_disabled(rc->srv->store, u->id, 1);
		if (!err)
			store_audit(rc->srv->store, sess->user.name, "disabled an account", u->name);
		done = "disabled";
	} else if (strcmp(action, "reset") == 0) {
		status = reset(rc, sess, u);
		goto out;
	} else if (strcmp(action, "sessions") == 0) {
		long long ended = 0;
		err = store_user_end_sessions(rc->srv->store, u->id, &ended);
		snprintf(detail, sizeof detail, "%s, %lld session(s)", u->name, ended);
		if (!err)
			store_audit(rc->srv->store, sess->user.name, "ended every session", detail);
		done = "sessions";
	} else {
		err = store_totp_clear(rc->srv->store, u->id);
		if (!err)
			store_audit(rc->srv->store, sess->user.name, "removed a second factor", u->name);
		done = "second-factor";
	}
	if (err == SV_ERR_INVALID) {
		status = account_page(rc, sess, u, 409, last_admin, 1);
		goto out;
	}
	if (err) {
		status = http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					   "That could not be done just now.");
		goto out;
	}
	/* A disabled, signed-out or demoted account's analysis session ends
	 * now, its keys wiped, as at sign-out. */
	analyse_check_holder(rc->srv);
	/* Signing oneself out everywhere, or disabling oneself, ends this
	 * session too: the next page is the sign-in page. */
	snprintf(where, sizeof where, "/staff/accounts/%lld?done=%s", u->id, done);
	status = http_send_redirect(rc, where);
out:
	form_body_free(&body);
	return status;
}

int accounts_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	struct store_user u;
	long long id = 0;
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (rest[0] == '\0' || strcmp(rest, "/") == 0) {
		if (post)
			return add_account(rc, sess);
		return get ? list_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	size_t digits = strspn(rest + 1, "0123456789");
	if (digits == 0 || digits > 18 || parse_int(rest + 1, digits, 1, 1LL << 62, &id))
		return http_send_problem(rc, 404, "There is no such account.");
	const char *action = rest + 1 + digits;
	enum sv_err err = store_user_by_id(rc->srv->store, id, &u);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 err == SV_ERR_NOTFOUND ? "There is no such account." :
					 "Accounts are not available just now.");
	if (action[0] == '\0') {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		return account_page(rc, sess, &u, 200, staff_done_notice(rc, notices, sizeof notices / sizeof notices[0]),
				    0);
	}
	static const char *const actions[] = { "role", "enable", "disable", "reset", "sessions",
					       "second-factor" };
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (action[0] != '/' || strcmp(action + 1, actions[i]) != 0)
			continue;
		return post ? account_action(rc, sess, &u, actions[i]) :
			http_send_not_allowed(rc, "POST", "Use the button on the account's page.");
	}
	return http_send_problem(rc, 404, "There is no such account page.");
}

void accounts_recovery_make(struct server *srv, char codes[STORE_RECOVERY_CODES][ACCOUNTS_RECOVERY_LEN + 1],
			    char hashes[STORE_RECOVERY_CODES][65])
{
	_Static_assert(ACCOUNTS_RECOVERY_LEN == TOTP_RECOVERY_LEN, "one length of recovery code");
	for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
		totp_recovery_new(codes[i]);
		totp_recovery_hash(&srv->accounts->key, codes[i], strlen(codes[i]), hashes[i]);
	}
}

int accounts_recovery_page(struct req_ctx *rc, const struct staff_session *sess, const char *const *codes,
			   int replaced)
{
	struct render_staff_user me = { sess->user.name, (enum render_staff_role)sess->user.role, sess->csrf };
	char day[11];

	staff_today(day);
	struct render_recovery r = { sess->user.name, day, codes, STORE_RECOVERY_CODES, replaced };
	sbuf_reset(&rc->page);
	render_staff_page_start(&rc->page, "Your recovery codes", &me, NULL);
	render_recovery_codes(&rc->page, &r);
	render_staff_page_end(&rc->page);
	return send_page_with(rc, 200, "");
}

void accounts_mac(const struct server *srv, const char *purpose, const char *text, char out[65])
{
	mac_hex(srv->accounts, purpose, text, out);
}

void accounts_temporary_password(char out[ACCOUNTS_TEMP_PASSWORD_LEN + 1])
{
	static const char letters[] = "abcdefghjkmnpqrstuvwxyz23456789";
	size_t o = 0;

	_Static_assert(TEMP_PASSWORD_CHARS + (TEMP_PASSWORD_CHARS - 1) / 4 == ACCOUNTS_TEMP_PASSWORD_LEN,
		       "letters in groups of four");
	for (int i = 0; i < TEMP_PASSWORD_CHARS; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = letters[randombytes_uniform(sizeof letters - 1)];
	}

	out[o] = '\0';
}
