/*
 * your_account.c - Your account: what a signed-in person may change about
 * their own account, linked from every staff page's header.
 *
 *   GET  /staff/account                  name, role, second factor and recovery
 *                                        codes left; ?done=... says what was just done
 *   POST /staff/account/password         current password and a new one twice: other
 *                                        sessions of the account end, this one stays
 *   POST /staff/account/recovery-codes   the password or a code of the app: ten new
 *                                        recovery codes, shown once; the old ones stop
 *                                        working in the same transaction
 *   POST /staff/account/second-factor    the password or a code of the app: the second
 *                                        factor is turned off, where the role allows
 *                                        (youth workers; anyone under
 *                                        --second-factor optional)
 *
 * Setting a second factor up is the sign-in step's own page
 * (/staff/login/enrol, accounts.c), linked from here.  Every password or
 * code typed here counts towards the same per-account limit as at sign-in
 * (staff_try), so a session left open is no way round it.  A recovery code
 * is not taken here: it is for signing in without the phone, and the
 * password proves as much.  The recovery-codes form carries a mark of the
 * codes it replaces, so that the same form sent again (Back, then resend)
 * does not silently replace the codes just written down.  Each change is
 * audit-logged, never with a secret.
 */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>
#include <sodium.h>

#include "../forms/render_accounts.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define MARK_LIST_CAP (STORE_RECOVERY_CODES * 65 + 1) /* hashes joined by commas */

/* What ?done= says (after a redirect or the recovery codes' step). */
static const struct staff_notice notices[] = {
	{ "password", "Your password is changed. Your other sessions are signed out; this one stays." },
	{ "codes", "Your new recovery codes are in use. The old ones no longer work." },
	{ "second-factor", "Your second factor is on. Keep your recovery codes somewhere safe." },
	{ "second-factor-off", "Your second factor is off. Signing in asks only for your password." },
};

static int may_remove(const struct server *srv, const struct store_user *u)
{
	return u->role < STORE_COMMISSIONER || srv->second_factor_optional;
}

/* The mark of the account's unused recovery codes (a MAC of their hashes):
 * it changes whenever they do. */
static enum sv_err codes_mark(struct server *srv, long long id, char out[65])
{
	char list[MARK_LIST_CAP], text[MARK_LIST_CAP + 24];
	enum sv_err err = store_recovery_hashes(srv->store, id, list, sizeof list);

	if (err)
		return err;
	snprintf(text, sizeof text, "%lld:%s", id, list);
	accounts_mac(srv, "recovery-mark", text, out);
	return SV_OK;
}

static int page(struct req_ctx *rc, const struct staff_session *sess, int status, const struct staff_errors *e,
		const char *notice)
{
	long long left = 0;
	char mark[65] = "";

	if (sess->user.has_totp && (store_recovery_left(rc->srv->store, sess->user.id, &left) ||
				    codes_mark(rc->srv, sess->user.id, mark)))
		return http_send_problem(rc, 503, "Your account is not available just now.");
	struct render_your_account y = {
		sess->user.name, (int)sess->user.role, sess->user.has_totp, (int)left, STORE_RECOVERY_CODES,
		mark, may_remove(rc->srv, &sess->user), notice,
	};
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Your account", e);
	render_your_account(&rc->page, &y, sess->csrf, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

enum proof { PROOF_OK, PROOF_REFUSED, PROOF_FAILED };

/* A six-digit code, spaces allowed (as totp_check takes it). */
static int looks_like_code(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != ' ')
			return 0;
	}
	return digits == 6;
}

/*
 * Checks that the person is who the session says: their password, or
 * (codes_too, with a second factor) a code of their app.  Each counts as a
 * try of its kind.  PROOF_OK; PROOF_REFUSED with the problem in e under
 * field and *status 422 or 429; PROOF_FAILED when the database failed.
 */
static enum proof check_proof(struct req_ctx *rc, const struct staff_session *sess, const char *proof,
			      int codes_too, struct staff_errors *e, const char *field, char *why, size_t cap,
			      int *status)
{
	int code = codes_too && sess->user.has_totp && looks_like_code(proof);
	enum store_attempt kind = code ? STORE_ATTEMPT_CODE : STORE_ATTEMPT_PASSWORD;
	long long wait = staff_try(rc->srv, sess->user.id, kind);

	if (wait < 0)
		return PROOF_FAILED;
	if (wait) {
		staff_wait_text(why, cap, code ? "Too many codes tried." : "Too many wrong passwords.", wait,
				"or ask an admin");
		staff_errors_add(e, field, why);
		*status = 429;
		return PROOF_REFUSED;
	}
	enum sv_err err = SV_ERR_INVALID;
	int recovery = 0;
	if (code)
		err = accounts_take_code(rc->srv, &sess->user, proof, 0, &recovery);
	else if (staff_password_ok(rc->srv, sess->user.password, proof))
		err = SV_OK;
	if (err == SV_OK) {
		staff_try_ok(rc->srv, sess->user.id, kind);
		return PROOF_OK;
	}
	if (err != SV_ERR_INVALID && err != SV_ERR_EXISTS)
		return PROOF_FAILED;
	store_audit(rc->srv->store, sess->user.name, "account change refused",
		    code ? (err == SV_ERR_EXISTS ? "code used before" : "wrong code") : "wrong password");
	staff_errors_add(e, field, err == SV_ERR_EXISTS ? "That code has been used already. Wait for the next "
			 "one from your app" : !codes_too || !sess->user.has_totp ?
			 "Your current password is not right" : "That is not your password, or a code your app "
			 "shows now");
	*status = 422;
	return PROOF_REFUSED;
}

/* The proof a form carries in field (password, or with codes_too a code
 * of the app): 1 if it is right; else 0 with the answer sent into *status
 * (the page again with the problem, or 503 saying failed). */
static int proven(struct req_ctx *rc, const struct staff_session *sess, const char *proof, int codes_too,
		  const char *field, const char *failed, int *status)
{
	struct staff_errors e = { 0 };
	char why[200];

	if (!proof || !*proof) {
		staff_errors_add(&e, field, codes_too ? "Enter your password, or a code from your app" :
				 "Enter your current password");
		*status = page(rc, sess, 422, &e, NULL);
		return 0;
	}
	int refused = 0;
	switch (check_proof(rc, sess, proof, codes_too, &e, field, why, sizeof why, &refused)) {
	case PROOF_OK:
		return 1;
	case PROOF_REFUSED:
		*status = page(rc, sess, refused, &e, NULL);
		return 0;
	case PROOF_FAILED:
		break;
	}
	*status = http_send_problem(rc, 503, failed);
	return 0;
}

static int change_password(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	char hash[crypto_pwhash_STRBYTES], keep[65], detail[80];
	long long ended = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *current = form_body_get(&body, "current");
	const char *password = form_body_get(&body, "password");
	const char *again = form_body_get(&body, "again");
	if (!current || !*current)
		staff_errors_add(&e, "p-current", "Enter your current password");
	if (!password || utf8_length(password, strlen(password)) < RENDER_MIN_PASSWORD)
		staff_errors_add(&e, "p-password", "Give a password of at least 12 characters");
	else if (!again || strcmp(password, again) != 0)
		staff_errors_add(&e, "p-again", "Type the same password twice");
	if (e.n) {
		status = page(rc, sess, 422, &e, NULL);
		goto out;
	}
	if (!proven(rc, sess, current, 0, "p-current", "Your password could not be changed just now.", &status))
		goto out;
	if (strcmp(password, current) == 0) {
		staff_errors_add(&e, "p-password", "Choose a password other than your current one");
		status = page(rc, sess, 422, &e, NULL);
		goto out;
	}
	if (staff_session_id(rc, keep) || staff_hash_password(rc->srv, password, hash) ||
	    store_user_change_password(rc->srv->store, sess->user.id, hash, keep, &ended)) {
		status = http_send_problem(rc, 503, "Your password could not be changed just now.");
		goto out;
	}
	snprintf(detail, sizeof detail, "%lld other session(s) ended", ended);
	store_audit(rc->srv->store, sess->user.name, "changed their password", detail);
	analyse_check_holder(rc->srv);   /* an analysis held by an ended session ends too */
	status = http_send_redirect(rc, "/staff/account?done=password");
out:
	sodium_memzero(hash, sizeof hash);
	form_body_free(&body);
	return status;
}

static int new_codes(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	char codes[STORE_RECOVERY_CODES][ACCOUNTS_RECOVERY_LEN + 1], hashes[STORE_RECOVERY_CODES][65];
	const char *code_list[STORE_RECOVERY_CODES], *hash_list[STORE_RECOVERY_CODES];
	char mark[65];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (!sess->user.has_totp) {
		status = http_send_redirect(rc, "/staff/account");
		goto out;
	}
	/* The same form sent twice: the codes it would replace are gone
	 * already, and the ones shown last are the ones to keep. */
	const char *sent = form_body_get(&body, "codes");
	if (codes_mark(rc->srv, sess->user.id, mark)) {
		status = http_send_problem(rc, 503, "New recovery codes could not be made just now.");
		goto out;
	}
	if (!sent || strlen(sent) != 64 || sodium_memcmp(sent, mark, 64) != 0) {
		status = page(rc, sess, 409, NULL, "Your recovery codes have changed since that page was "
			      "opened (was the form sent twice?). The codes shown last are the ones that work. "
			      "Make new ones below only if you need to.");
		goto out;
	}
	if (!proven(rc, sess, form_body_get(&body, "proof"), 1, "r-proof",
		    "New recovery codes could not be made just now.", &status))
		goto out;
	accounts_recovery_make(rc->srv, codes, hashes);
	for (int i = 0; i < STORE_RECOVERY_CODES; i++) {
		code_list[i] = codes[i];
		hash_list[i] = hashes[i];
	}
	if (store_recovery_replace(rc->srv->store, sess->user.id, hash_list)) {
		status = http_send_problem(rc, 503, "New recovery codes could not be made just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "made new recovery codes", "");
	status = accounts_recovery_page(rc, sess, code_list, 1);
out:
	sodium_memzero(codes, sizeof codes);
	form_body_free(&body);
	return status;
}

static int factor_off(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (!sess->user.has_totp) {
		status = http_send_redirect(rc, "/staff/account");
		goto out;
	}
	if (!may_remove(rc->srv, &sess->user)) {
		status = staff_refuse(rc, sess, 403, "You cannot do that", "Your role needs a second factor, "
				      "so it cannot be turned off. For a lost phone, ask an admin.", "/staff/account",
				      "Go to your account");
		goto out;
	}
	if (!proven(rc, sess, form_body_get(&body, "proof"), 1, "t-proof",
		    "The second factor could not be turned off just now.", &status))
		goto out;
	if (store_totp_clear(rc->srv->store, sess->user.id)) {
		status = http_send_problem(rc, 503, "The second factor could not be turned off just now.");
		goto out;
	}
	store_audit(rc->srv->store, sess->user.name, "turned off their second factor", "");
	status = http_send_redirect(rc, "/staff/account?done=second-factor-off");
out:
	form_body_free(&body);
	return status;
}

int your_account_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (rest[0] == '\0') {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		return page(rc, sess, 200, NULL, staff_done_notice(rc, notices, sizeof notices / sizeof notices[0]));
	}
	static const struct { const char *path; int (*fn)(struct req_ctx *, const struct staff_session *); }
	actions[] = {
		{ "/password", change_password },
		{ "/recovery-codes", new_codes },
		{ "/second-factor", factor_off },
	};
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(rest, actions[i].path) == 0)
			return post ? actions[i].fn(rc, sess) :
				http_send_not_allowed(rc, "POST", "Use the form on Your account.");
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}
