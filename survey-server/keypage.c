/*
 * keypage.c - the Key page, for commissioners and admins (docs/keys.md):
 *
 *   GET  /staff/key              the keys, a check form and a change form;
 *                                ?done=passphrase after a change
 *   POST /staff/key/check        key, passphrase: does it open the key?  Nothing
 *                                is exported; the answer is the page again
 *   POST /staff/key/passphrase   key, current, new, again: the secret re-sealed
 *                                under the new passphrase (core/seal.c), no
 *                                answer touched
 *
 * Each passphrase typed here is charged as a passphrase try of the account
 * before the key is opened (staff_try, STORE_ATTEMPT_PASSPHRASE, schema 26):
 * five wrong passphrases within 15 minutes, here, on the export pages and
 * in analysis together, and they wait, across restarts and servers; signing
 * in does not (passwords are limited apart).  Opening a key costs Argon2id's
 * 64 MiB and half a second, so one runs at a time.  The passphrases are wiped from the request
 * body and the form as soon as they are used; none is stored, logged or
 * shown again.  Every check and change is audit-logged with the key's id.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <civetweb.h>
#include <sodium.h>

#include "../forms/render_key.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

static pthread_mutex_t unlocking = PTHREAD_MUTEX_INITIALIZER;

static const struct staff_notice notices[] = {
	{ "passphrase", "The passphrase is changed. The old one no longer opens the key; every answer "
	  "is as it was. Give the new passphrase only to the key's custodians." },
};

/* The keys of the data folder, for the page and to check a posted key. */
struct key_list {
	struct seal_key_info info[SEAL_MAX_KEYS];
	struct render_key_item items[SEAL_MAX_KEYS];
	int n;
};

static enum sv_err list_keys(const struct server *srv, struct key_list *l)
{
	enum sv_err rc = seal_key_list(srv->key_dir, l->info, SEAL_MAX_KEYS, &l->n);

	if (rc == SV_ERR_NOTFOUND) {
		l->n = 0;      /* no key folder yet: the page says so */
		rc = SV_OK;
	}
	for (int i = 0; i < l->n; i++) {
		l->items[i].id = l->info[i].id;
		l->items[i].created = l->info[i].created;
		l->items[i].consultation = l->info[i].consultation;
		l->items[i].active = l->info[i].active;
		l->items[i].has_secret = l->info[i].has_secret;
	}
	return rc;
}

static int page(struct req_ctx *rc, const struct staff_session *sess, int status, const struct staff_errors *e,
		const char *chosen, const char *notice)
{
	struct key_list l;

	if (list_keys(rc->srv, &l))
		return http_send_problem(rc, 503, "The keys cannot be listed just now.");
	struct render_key view = { l.items, l.n, sess->csrf, chosen, notice };
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Key", e);
	render_key_page(&rc->page, &view, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

/* 1 if id names a key of the folder. */
static int known_key(const struct server *srv, const char *id)
{
	struct key_list l;

	if (!id || list_keys(srv, &l))
		return 0;
	for (int i = 0; i < l.n; i++)
		if (strcmp(l.info[i].id, id) == 0)
			return 1;
	return 0;
}

/* Wipes a posted field in place (form_body_free wipes them all again). */
static void wipe(const char *field)
{
	if (field)
		sodium_memzero((char *)field, strlen(field));
}

/*
 * Charges the try, then opens the key (check) or re-seals it (change, with
 * next): SV_OK, SV_ERR_CRYPTO for a wrong passphrase, SV_ERR_EXISTS while
 * another key operation runs, SV_ERR_TOOBIG when the account must wait
 * (*wait minutes), else a failure.
 */
static enum sv_err try_key(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   const char *pass, const char *next, long long *wait)
{
	struct seal_secret *s = NULL;
	enum sv_err err;

	if (pthread_mutex_trylock(&unlocking) != 0)
		return SV_ERR_EXISTS;
	*wait = staff_try(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
	if (*wait) {
		pthread_mutex_unlock(&unlocking);
		return *wait < 0 ? SV_ERR_DB : SV_ERR_TOOBIG;
	}
	if (next)
		err = seal_secret_repass(rc->srv->key_dir, id, pass, strlen(pass), next, strlen(next),
					 SEAL_KDF_MODERATE);
	else
		err = seal_secret_load(rc->srv->key_dir, id, pass, strlen(pass), &s);
	seal_secret_free(s);
	if (err == SV_OK)
		staff_try_ok(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
	pthread_mutex_unlock(&unlocking);
	return err;
}

/* What the page says for a refused try, under field; the status to send,
 * or 0 when err is a failure to answer with 503. */
static int refused(struct req_ctx *rc, const struct staff_session *sess, enum sv_err err, long long wait,
		   const char *id, const char *field, const char *action, struct staff_errors *e,
		   char *why, size_t cap)
{
	char detail[80];

	if (err == SV_ERR_TOOBIG) {
		staff_wait_text(why, cap, "Too many wrong passphrases.", wait, "or ask an admin");
		staff_errors_add(e, field, why);
		return 429;
	}
	if (err == SV_ERR_EXISTS)
		return http_send_problem(rc, 503, "Another key is being opened just now. Try again in a minute.");
	if (err != SV_ERR_CRYPTO)
		return 0;
	snprintf(detail, sizeof detail, "%s: the passphrase did not open it", id);
	store_audit(rc->srv->store, sess->user.name, action, detail);
	snprintf(why, cap, "That passphrase does not open key %s. Check it and try again", id);
	staff_errors_add(e, field, why);
	return 422;
}

/* POST /staff/key/check */
static int check(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	char why[200], detail[80], done[120];
	long long wait = 0;
	int status = staff_read_secret_post(rc, sess, &body);

	if (status)
		return status;
	const char *id = form_body_get(&body, "key");
	const char *pass = form_body_get(&body, "passphrase");
	if (!known_key(rc->srv, id)) {
		status = http_send_problem(rc, 400, "Choose one of the keys on the Key page.");
		goto out;
	}
	if (!pass || !*pass) {
		staff_errors_add(&e, "k-check-pass", "Type the passphrase to check");
		status = page(rc, sess, 422, &e, id, NULL);
		goto out;
	}
	enum sv_err err = try_key(rc, sess, id, pass, NULL, &wait);
	wipe(pass);
	if (err) {
		status = refused(rc, sess, err, wait, id, "k-check-pass", "checked a key: passphrase refused", &e,
				 why, sizeof why);
		status = status == 422 || status == 429 ? page(rc, sess, status, &e, id, NULL) :
			status ? status : http_send_problem(rc, 503, "The key cannot be opened just now.");
		goto out;
	}
	snprintf(detail, sizeof detail, "%s: the passphrase opens it", id);
	store_audit(rc->srv->store, sess->user.name, "checked a key", detail);
	snprintf(done, sizeof done, "The passphrase opens key %s. Nothing was exported.", id);
	status = page(rc, sess, 200, NULL, id, done);
out:
	form_body_free(&body);    /* wipes every field */
	return status;
}

/* POST /staff/key/passphrase */
static int change(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	char why[200];
	long long wait = 0;
	int status = staff_read_secret_post(rc, sess, &body);

	if (status)
		return status;
	const char *id = form_body_get(&body, "key");
	const char *current = form_body_get(&body, "current");
	const char *next = form_body_get(&body, "new");
	const char *again = form_body_get(&body, "again");
	if (!known_key(rc->srv, id)) {
		status = http_send_problem(rc, 400, "Choose one of the keys on the Key page.");
		goto out;
	}
	if (!current || !*current)
		staff_errors_add(&e, "k-current", "Type the current passphrase");
	if (!next || strlen(next) < SEAL_MIN_PASSPHRASE)
		staff_errors_add(&e, "k-new", "Give a new passphrase of at least 12 characters");
	else if (!again || strcmp(next, again) != 0)
		staff_errors_add(&e, "k-again", "Type the same new passphrase twice");
	else if (current && strcmp(next, current) == 0)
		staff_errors_add(&e, "k-new", "Choose a new passphrase other than the current one");
	if (e.n) {
		status = page(rc, sess, 422, &e, id, NULL);
		goto out;
	}
	enum sv_err err = try_key(rc, sess, id, current, next, &wait);
	wipe(current);
	wipe(next);
	wipe(again);
	if (err) {
		status = refused(rc, sess, err, wait, id, "k-current", "key passphrase change refused", &e, why,
				 sizeof why);
		status = status == 422 || status == 429 ? page(rc, sess, status, &e, id, NULL) :
			status ? status : http_send_problem(rc, 503, "The passphrase cannot be changed just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "changed a key's passphrase", id);
	status = http_send_redirect(rc, "/staff/key?done=passphrase");
out:
	form_body_free(&body);
	return status;
}

int keypage_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (rest[0] == '\0') {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		return page(rc, sess, 200, NULL, NULL,
			    staff_done_notice(rc, notices, sizeof notices / sizeof notices[0]));
	}
	if (strcmp(rest, "/check") == 0)
		return post ? check(rc, sess) : http_send_not_allowed(rc, "POST", "Use the form on the Key page.");
	if (strcmp(rest, "/passphrase") == 0)
		return post ? change(rc, sess) : http_send_not_allowed(rc, "POST", "Use the form on the Key page.");
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}
