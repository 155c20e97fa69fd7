/*
 * staff.c - staff sign-in, sessions, CSRF, roles, the staff home page and
 * accounts; routes the rest of /staff to tally.c, focus.c, consult.c and
 * exports.c.
 *
 * A session is a random cookie (HttpOnly, SameSite=Strict, Path=/staff,
 * Secure behind an HTTPS proxy) of which the database keeps only a hash; it
 * ends after STAFF_IDLE seconds unused, and STAFF_LIFE seconds after sign-in
 * however busy (a page that refreshes itself keeps no session for ever).  Every staff POST carries the
 * session's CSRF token (403 without it); the sign-in form carries one tied
 * to a short-lived pre-session cookie.  Passwords are Argon2id hashes,
 * checked at most STAFF_HASHES_AT_ONCE at a time (64 MiB each), so a burst
 * of sign-ins cannot take the memory respondents need.  Sign-ins are
 * throttled per client in memory (an address is never written down) and
 * per account in the database (core/store_attempts.c), so that an
 * account's limit holds across a restart.  A request that asks
 * for JSON (Accept: application/json, as the tally page's script does) gets
 * JSON answers: 401 {"error":"signed-out"} with no session, never a
 * redirect; 403 {"error":"csrf"} with a stale token.
 *
 * Sign-in has steps (accounts.c builds the pages after the password): the
 * code of a second factor where the account has one, before any session
 * exists; then, with a session, a new password after a reset and the
 * enrolment of a second factor that the role requires.  staff_require
 * sends a session with a step left to that step's page and nowhere else.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <sodium.h>

#include "../forms/render.h"
#include "../forms/render_accounts.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "kiosk.h"
#include "server.h"

#define STAFF_COOKIE "yv_staff"
#define LOGIN_COOKIE "yv_login"
#define STAFF_IDLE LIMIT_SESSION_IDLE /* a session unused this long ends ... */
#define STAFF_LIFE LIMIT_SESSION_LIFE /* ... and any session this long after sign-in */
#define STAFF_NO_ACCOUNT "(no account)" /* the audit log's who for an unknown name */
#define STAFF_HASHES_AT_ONCE 2        /* Argon2id checks running together */
#define STAFF_NAMES_TRACKED 256       /* names that are no account, in memory */
#define STAFF_LOGINS_PER_MINUTE 10    /* sign-in attempts per client */

/* Tries under a name that is no account.  An account's tries are kept in
 * the database (core/store_attempts.c); these are kept here only so that a
 * name that is no account is answered as one would be (locked after
 * LIMIT_ACCOUNT_TRIES), and never written down: what was typed as a name
 * may have been a password. */
struct failure {
	unsigned char who[16];            /* keyed hash of the name */
	int tries;                        /* 0: a free slot */
	long long ends;                   /* the window's or the lock's end */
};

struct staff_auth {
	sem_t hashing;                    /* limits concurrent Argon2id */
	pthread_mutex_t lock;
	unsigned char salt[crypto_generichash_KEYBYTES];
	struct failure failures[STAFF_NAMES_TRACKED];
	struct rate_limiter *logins;      /* per client */
	char dummy_hash[crypto_pwhash_STRBYTES]; /* verified for unknown names */
};

enum sv_err staff_init(struct server *srv)
{
	struct staff_auth *a = calloc(1, sizeof *a);

	if (!a)
		return SV_ERR_NOMEM;
	sem_init(&a->hashing, 0, STAFF_HASHES_AT_ONCE);
	pthread_mutex_init(&a->lock, NULL);
	randombytes_buf(a->salt, sizeof a->salt);
	a->logins = rate_new(STAFF_LOGINS_PER_MINUTE);
	/* An unknown name costs as much time as a known one. */
	char junk[32];
	randombytes_buf(junk, sizeof junk);
	if (!a->logins || crypto_pwhash_str(a->dummy_hash, junk, sizeof junk,
		crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		rate_free(a->logins);
		free(a);
		return SV_ERR_NOMEM;
	}
	srv->auth = a;
	return SV_OK;
}

void staff_free(struct server *srv)
{
	struct staff_auth *a = srv->auth;

	if (!a)
		return;
	sem_destroy(&a->hashing);
	pthread_mutex_destroy(&a->lock);
	rate_free(a->logins);
	sodium_memzero(a, sizeof *a);
	free(a);
	srv->auth = NULL;
}

/* Checks a password against a hash, waiting for a free slot. */
static int password_ok(struct staff_auth *a, const char *hash, const char *password, size_t len)
{
	sem_wait(&a->hashing);
	int ok = crypto_pwhash_str_verify(hash, password, len) == 0;
	sem_post(&a->hashing);
	return ok;
}

static struct failure *failure_slot(struct staff_auth *a, const char *name)
{
	unsigned char who[16];
	struct failure *free_slot = NULL, *oldest = NULL;

	crypto_generichash(who, sizeof who, (const unsigned char *)name, strlen(name),
			   a->salt, sizeof a->salt);
	for (int i = 0; i < STAFF_NAMES_TRACKED; i++) {
		struct failure *f = &a->failures[i];
		if (f->tries && memcmp(f->who, who, sizeof who) == 0)
			return f;
		if (!f->tries && !free_slot)
			free_slot = f;
		if (f->tries && (!oldest || f->ends < oldest->ends))
			oldest = f;
	}
	struct failure *f = free_slot ? free_slot : oldest;
	memset(f, 0, sizeof *f);
	memcpy(f->who, who, sizeof who);
	return f;
}

/* A try under a name that is no account, counted as store_attempt_charge
 * counts an account's: the seconds to wait, or 0. */
static long long name_try(struct staff_auth *a, const char *name, long long now)
{
	long long wait = 0;

	pthread_mutex_lock(&a->lock);
	struct failure *f = failure_slot(a, name);
	long long end = (now + LIMIT_ACCOUNT_LOCK + 59) / 60 * 60;
	if (!f->tries || f->ends <= now) {
		f->tries = 1;
		f->ends = end;
	} else if (f->tries < LIMIT_ACCOUNT_TRIES) {
		if (++f->tries == LIMIT_ACCOUNT_TRIES)
			f->ends = end;
	} else {
		wait = f->ends - now;
	}
	pthread_mutex_unlock(&a->lock);
	return wait;
}

long long staff_try(struct server *srv, long long id, enum store_attempt kind)
{
	long long wait = 0;

	if (store_attempt_charge(srv->store, id, kind, (long long)time(NULL), LIMIT_ACCOUNT_TRIES,
				 LIMIT_ACCOUNT_LOCK, &wait))
		return -1;
	return wait ? (wait + 59) / 60 : 0;
}

void staff_try_ok(struct server *srv, long long id, enum store_attempt kind)
{
	store_attempt_clear(srv->store, id, kind);
}

/* Hex of BLAKE2b-256(cookie): what the sessions table keeps. */
static void session_hash(const char *cookie, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)cookie, strlen(cookie), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int get_cookie(const struct req_ctx *rc, const char *name, char *out, size_t cap)
{
	const char *header = mg_get_header(rc->conn, "Cookie");
	return header && parse_cookie(header, strlen(header), name, out, cap) > 0;
}

/* "; Secure" when the request came over HTTPS through our proxy. */
static const char *secure_attr(const struct req_ctx *rc)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	const char *proto = mg_get_header(rc->conn, "X-Forwarded-Proto");

	if (ri->is_ssl)
		return "; Secure";
	if (proto && rc->srv->trusted_proxy && strcmp(ri->remote_addr, rc->srv->trusted_proxy) == 0 &&
	    strcmp(proto, "https") == 0)
		return "; Secure";
	return "";
}

int staff_problem(struct req_ctx *rc, int status, const char *error, const char *text)
{
	if (http_wants_json(rc))
		return http_send_json_problem(rc, status, error, text);
	return http_send_problem(rc, status, text);
}

int staff_forbidden(struct req_ctx *rc, const char *why)
{
	if (http_wants_json(rc))
		return http_send_json_problem(rc, 403, "forbidden", why);
	sbuf_reset(&rc->page);
	render_staff_message(&rc->page, NULL, "You cannot do that", why, "/staff", "Go to the staff pages");
	return http_send_page(rc, 403);
}

/* No session: a person is sent to sign in; a script asking for JSON is told
 * so with 401, never redirected (it would take the sign-in page for success). */
static int signed_out(struct req_ctx *rc)
{
	static const char body[] = "{\"error\":\"signed-out\",\"message\":\"You are signed out. "
		"Sign in again, then send it again.\",\"sign_in\":\"/staff/login\"}";

	if (http_wants_json(rc))
		return http_send(rc, 401, "application/json", body, sizeof body - 1,
				 "Cache-Control: no-store\r\n");
	return http_send_redirect(rc, "/staff/login");
}

static struct render_staff_user staff_who(const struct staff_session *sess)
{
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	return who;
}

void staff_page_start(struct sbuf *b, const struct staff_session *sess, const char *title,
		      const struct staff_errors *e)
{
	struct render_staff_user who = staff_who(sess);
	render_staff_page_start(b, title, &who, e);
}

int staff_refuse(struct req_ctx *rc, const struct staff_session *sess, int status, const char *title,
		 const char *text, const char *href, const char *link)
{
	struct render_staff_user who = staff_who(sess);

	sbuf_reset(&rc->page);
	render_staff_message(&rc->page, &who, title, text, href, link);
	return http_send_page(rc, status);
}

int staff_session_load(struct req_ctx *rc, struct staff_session *out)
{
	char cookie[80], id[65];

	memset(out, 0, sizeof *out);
	if (!get_cookie(rc, STAFF_COOKIE, cookie, sizeof cookie) || strlen(cookie) != 64)
		return signed_out(rc);
	session_hash(cookie, id);
	sodium_memzero(cookie, sizeof cookie);
	enum sv_err err = store_session_get(rc->srv->store, id, (long long)time(NULL), STAFF_IDLE,
					    STAFF_LIFE, &out->user, out->csrf);
	if (err == SV_ERR_NOTFOUND)
		return signed_out(rc);
	if (err)
		return staff_problem(rc, 503, "unavailable", "The staff pages are not available just now.");
	return 0;
}

const char *staff_step_left(const struct server *srv, const struct store_user *u)
{
	if (u->must_change)
		return "/staff/login/password";
	if (u->role >= STORE_COMMISSIONER && !u->has_totp && !srv->second_factor_optional)
		return "/staff/login/enrol";
	return NULL;
}

int staff_require(struct req_ctx *rc, enum store_role role, struct staff_session *out)
{
	int loaded = staff_session_load(rc, out);

	if (loaded)
		return loaded;
	/* A step of signing in is left: nothing else until it is done. */
	const char *step = staff_step_left(rc->srv, &out->user);
	if (step) {
		memset(out, 0, sizeof *out);
		return http_wants_json(rc) ? signed_out(rc) : http_send_redirect(rc, step);
	}
	if (out->user.role < role) {
		const char *why = role == STORE_ADMIN ? "Only an admin can do this." :
			"Only a commissioner or an admin can do this.";
		int status = http_wants_json(rc) ? http_send_json_problem(rc, 403, "forbidden", why) :
			staff_refuse(rc, out, 403, "You cannot do that", why, "/staff", "Go to the staff pages");
		memset(out, 0, sizeof *out);
		return status;
	}
	return 0;
}

/* Reads and decodes a staff form, checking its CSRF token. */
int staff_read_form(struct req_ctx *rc, struct form_body *body)
{
	const char *why;

	memset(body, 0, sizeof *body);
	if (!http_content_type_is(rc, "application/x-www-form-urlencoded"))
		return staff_problem(rc, 415, "invalid", "Send this from the staff page's own form.");
	enum sv_err err = http_read_body(rc, HTTP_MAX_BODY);
	if (err == SV_ERR_TOOBIG)
		return staff_problem(rc, 413, "invalid", "That is more than a staff form can take.");
	if (err)
		return staff_problem(rc, 400, "unsent", "The form did not arrive. Please try again.");
	if (form_body_parse(rc->body, rc->body_len, body, &why))
		return staff_problem(rc, 400, "invalid", why);
	return 0;
}

static int same_token(const char *a, const char *b)
{
	size_t n = strlen(b);
	return a && n > 0 && strlen(a) == n && sodium_memcmp(a, b, n) == 0;
}

int staff_read_post(struct req_ctx *rc, const struct staff_session *sess, struct form_body *body)
{
	int status = staff_read_form(rc, body);

	if (status)
		return status;
	if ((status = staff_check_csrf(rc, sess, form_body_get(body, "_csrf"))) != 0)
		form_body_free(body);
	return status;
}

int staff_read_secret_post(struct req_ctx *rc, const struct staff_session *sess, struct form_body *body)
{
	int status = staff_read_post(rc, sess, body);

	/* The fields are copies (form_body_free wipes them); the raw body
	 * goes now, also when the form was refused. */
	if (rc->body)
		sodium_memzero(rc->body, rc->body_len);
	return status;
}

int staff_check_csrf(struct req_ctx *rc, const struct staff_session *sess, const char *token)
{
	if (!same_token(token, sess->csrf)) {
		/* A script is told apart from a refused role: it may fetch the
		 * session's token again (the tally page does) and resend. */
		if (http_wants_json(rc))
			return http_send_json_problem(rc, 403, "csrf", "This page's form token is out of "
						      "date: fetch a fresh one and send again.");
		return staff_refuse(rc, sess, 403, "You cannot do that", "This form had expired or did not "
				    "come from these pages. Go back, reload the page and try again.", "/staff",
				    "Go to the staff pages");
	}
	return 0;
}

/* The sign-in form's token: a MAC of the pre-session cookie. */
static void login_token(const struct server *srv, const char *cookie, char out[65])
{
	unsigned char mac[crypto_auth_BYTES];

	crypto_auth(mac, (const unsigned char *)cookie, strlen(cookie), srv->token_key.k);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/* The sign-in page; e holds the problems of a refused sign-in (NULL for none),
 * name what was typed (never the password). */
static int login_page(struct req_ctx *rc, int status, const struct staff_errors *e, const char *name)
{
	struct render_staff_user nobody = { NULL, RENDER_ROLE_NONE, NULL };
	char cookie[65], token[65], header[256];
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(cookie, sizeof cookie, raw, sizeof raw);
	login_token(rc->srv, cookie, token);
	long long admins = 1;

	store_admin_count(rc->srv->store, &admins);
	render_staff_page_start(&rc->page, "Sign in", &nobody, e);
	render_staff_login(&rc->page, token, name, admins == 0, e);
	render_staff_page_end(&rc->page);
	snprintf(header, sizeof header, "Set-Cookie: " LOGIN_COOKIE "=%s; Path=/staff; HttpOnly; "
		 "SameSite=Strict; Max-Age=3600%s\r\nCache-Control: no-store\r\n", cookie, secure_attr(rc));
	if (rc->page.err)
		return http_send_page(rc, 503);
	return http_send(rc, status, "text/html; charset=utf-8", rc->page.buf, rc->page.len, header);
}

static int login_post(struct req_ctx *rc)
{
	struct form_body body;
	struct store_user user;
	struct staff_errors e = { 0 };
	char cookie[80], token[65], addr[64], why[200];
	long long now = (long long)time(NULL);
	int status = staff_read_form(rc, &body);

	if (status)
		return status;
	const char *name = form_body_get(&body, "name");
	const char *password = form_body_get(&body, "password");
	if (!get_cookie(rc, LOGIN_COOKIE, cookie, sizeof cookie)) {
		status = staff_forbidden(rc, "The sign-in page had expired. Go back, reload it and sign in again.");
		goto out;
	}
	login_token(rc->srv, cookie, token);
	if (!same_token(form_body_get(&body, "_csrf"), token)) {
		status = staff_forbidden(rc, "The sign-in page had expired. Go back, reload it and sign in again.");
		goto out;
	}
	http_client_addr(rc, addr, sizeof addr);
	int allowed = rate_allow(rc->srv->auth->logins, addr, now);
	sodium_memzero(addr, sizeof addr);
	if (!allowed) {
		staff_errors_add(&e, "name", "Too many sign-in attempts from here. Wait a minute, then try again");
		status = login_page(rc, 429, &e, name);
		goto out;
	}
	if (!name || !*name)
		staff_errors_add(&e, "name", "Enter your name");
	if (!password || !*password)
		staff_errors_add(&e, "password", "Enter your password");
	if (e.n) {
		status = login_page(rc, 422, &e, name);
		goto out;
	}
	enum sv_err err = strlen(name) > STORE_MAX_NAME ? SV_ERR_NOTFOUND :
		store_user_get(rc->srv->store, name, &user);
	if (err && err != SV_ERR_NOTFOUND) {
		status = http_send_problem(rc, 503, "Signing in is not available just now.");
		goto out;
	}
	/* The try counts before the password is looked at (an account's in
	 * the database; a name that is no account's alike, in memory). */
	long long wait = strlen(name) > STORE_MAX_NAME ? LIMIT_ACCOUNT_LOCK / 60 :
		err ? (name_try(rc->srv->auth, name, now) + 59) / 60 : staff_try(rc->srv, user.id, STORE_ATTEMPT_PASSWORD);
	if (wait < 0) {
		status = http_send_problem(rc, 503, "Signing in is not available just now.");
		goto out;
	}
	if (wait) {
		staff_wait_text(why, sizeof why, "This account has had too many wrong passwords.", wait,
				"or ask an admin");
		staff_errors_add(&e, "name", why);
		status = login_page(rc, 429, &e, name);
		goto out;
	}
	int ok = password_ok(rc->srv->auth, err ? rc->srv->auth->dummy_hash : user.password,
			     password, strlen(password)) && !err;
	if (ok)
		staff_try_ok(rc->srv, user.id, STORE_ATTEMPT_PASSWORD);
	if (!ok) {
		/* A name that is no account may be anything typed into the box,
		 * a password even: the log keeps none of it, for good. */
		if (err)
			store_audit(rc->srv->store, STAFF_NO_ACCOUNT, "sign-in refused", "unknown name");
		else
			store_audit(rc->srv->store, user.name, "sign-in refused", "wrong password");
		staff_errors_add(&e, "name", "The name or the password is not right");
		status = login_page(rc, 422, &e, name);
		goto out;
	}
	/* Told only to whoever knows the password. */
	if (user.disabled) {
		store_audit(rc->srv->store, user.name, "sign-in refused", "account disabled");
		staff_errors_add(&e, "name", "This account is disabled. Ask an admin to enable it");
		status = login_page(rc, 403, &e, name);
		goto out;
	}
	if (user.has_totp)
		status = accounts_code_step(rc, &user);
	else
		status = staff_session_start(rc, &user, "signed in", "");
out:
	sodium_memzero(cookie, sizeof cookie);
	form_body_free(&body);
	return status;
}

int staff_session_start(struct req_ctx *rc, const struct store_user *user, const char *how,
			const char *extra)
{
	char session[65], id[65], csrf[65], header[500];
	unsigned char raw[32];
	int status;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(session, sizeof session, raw, sizeof raw);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(csrf, sizeof csrf, raw, sizeof raw);
	session_hash(session, id);
	if (store_session_add(rc->srv->store, id, user->id, csrf, (long long)time(NULL))) {
		status = http_send_problem(rc, 503, "Signing in is not available just now.");
		goto out;
	}
	store_audit(rc->srv->store, user->name, how, "");
	const char *next = staff_step_left(rc->srv, user);
	snprintf(header, sizeof header, "Location: %s\r\nCache-Control: no-store\r\n"
		 "Set-Cookie: " STAFF_COOKIE "=%s; Path=/staff; HttpOnly; SameSite=Strict%s\r\n%s",
		 next ? next : "/staff", session, secure_attr(rc), extra);
	status = http_send(rc, 303, "text/plain; charset=utf-8", "", 0, header);
out:
	sodium_memzero(session, sizeof session);
	return status;
}

int staff_password_ok(struct server *srv, const char *hash, const char *password)
{
	return password_ok(srv->auth, hash, password, strlen(password));
}

int staff_session_id(const struct req_ctx *rc, char out[65])
{
	char cookie[80];

	if (!get_cookie(rc, STAFF_COOKIE, cookie, sizeof cookie) || strlen(cookie) != 64)
		return -1;
	session_hash(cookie, out);
	sodium_memzero(cookie, sizeof cookie);
	return 0;
}

const char *staff_done_notice(const struct req_ctx *rc, const struct staff_notice *list, size_t n)
{
	const char *q = mg_get_request_info(rc->conn)->query_string;

	for (size_t i = 0; q && strncmp(q, "done=", 5) == 0 && i < n; i++)
		if (strcmp(q + 5, list[i].key) == 0)
			return list[i].text;
	return NULL;
}

void staff_wait_text(char *out, size_t cap, const char *what, long long minutes, const char *or_else)
{
	snprintf(out, cap, "%s Try again in %lld minute%s, %s", what, minutes, minutes == 1 ? "" : "s", or_else);
}

int staff_hash_password(struct server *srv, const char *password, char *hash)
{
	sem_wait(&srv->auth->hashing);
	int ok = crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	sem_post(&srv->auth->hashing);
	return ok ? 0 : -1;
}

const char *staff_secure_attr(const struct req_ctx *rc)
{
	return secure_attr(rc);
}

void staff_session_end(struct req_ctx *rc, const struct staff_session *sess)
{
	char cookie[80], id[65];

	if (get_cookie(rc, STAFF_COOKIE, cookie, sizeof cookie)) {
		session_hash(cookie, id);
		store_session_end(rc->srv->store, id);
		analyse_signed_out(rc->srv, id);
	}
	sodium_memzero(cookie, sizeof cookie);
	store_audit(rc->srv->store, sess->user.name, "signed out", "");
}

static int logout_post(struct req_ctx *rc)
{
	struct staff_session sess;
	struct form_body body;
	char cookie[80], id[65];
	int status = staff_require(rc, STORE_YOUTH_WORKER, &sess);

	if (status)
		return status;
	status = staff_read_post(rc, &sess, &body);
	if (status)
		return status;
	if (get_cookie(rc, STAFF_COOKIE, cookie, sizeof cookie)) {
		session_hash(cookie, id);
		store_session_end(rc->srv->store, id);
		analyse_signed_out(rc->srv, id);   /* its analysis, if any: keys wiped */
	}
	store_audit(rc->srv->store, sess.user.name, "signed out", "");
	form_body_free(&body);
	return http_send(rc, 303, "text/plain; charset=utf-8", "", 0,
			 "Location: /staff/login\r\nCache-Control: no-store\r\n"
			 "Set-Cookie: " STAFF_COOKIE "=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0\r\n");
}

static int home(struct req_ctx *rc, const struct staff_session *sess)
{
	struct render_staff_user who = staff_who(sess);

	staff_page_start(&rc->page, sess, "Staff", NULL);
	render_staff_home(&rc->page, &who);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

void staff_csrf_field(struct sbuf *b, const struct staff_session *sess)
{
	render_staff_csrf(b, sess->csrf);
}

const struct form_consultation *staff_consultation(const struct server *srv, const char *id)
{
	for (int i = 0; i < srv->catalog->nconsultations; i++)
		if (strcmp(srv->catalog->consultations[i].id, id) == 0)
			return &srv->catalog->consultations[i];
	return NULL;
}

void staff_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int staff_route(struct req_ctx *rc, const char *path)
{
	struct staff_session sess;
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	int status;
	const char *rest;

	if (http_path_is(path, "/staff/login")) {
		if (post)
			return login_post(rc);
		if (get)
			return login_page(rc, 200, NULL, NULL);
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (http_path_is(path, "/staff/logout"))
		return post ? logout_post(rc) : http_send_not_allowed(rc, "POST", "Sign out with the button.");
	if (http_path_is(path, "/staff") || http_path_is(path, "/staff/")) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : home(rc, &sess);
	}
	if (http_path_under(path, "/staff/export", &rest)) {
		status = staff_require(rc, STORE_COMMISSIONER, &sess);
		return status ? status : exports_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/key", &rest)) {
		status = staff_require(rc, STORE_COMMISSIONER, &sess);
		return status ? status : keypage_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/events", &rest)) {
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : tally_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/accounts", &rest)) {
		status = staff_require(rc, STORE_ADMIN, &sess);
		return status ? status : accounts_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/account", &rest)) {
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : your_account_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/login", &rest) || http_path_under(path, "/staff/setup", &rest))
		return accounts_signin_route(rc, path + 6);
	if (http_path_under(path, "/staff/consultations", &rest)) {
		status = staff_require(rc, STORE_COMMISSIONER, &sess);
		return status ? status : consult_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/surveys", &rest)) {
		status = staff_require(rc, STORE_COMMISSIONER, &sess);
		return status ? status : builder_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/kiosks", &rest)) {
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : kiosk_staff_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/ballots", &rest)) {
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : ballot_route(rc, &sess, rest);
	}
	if (http_path_under(path, "/staff/groups", &rest)) {
		status = staff_require(rc, STORE_YOUTH_WORKER, &sess);
		return status ? status : focus_route(rc, &sess, rest);
	}
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}
