/*
 * kiosk_staff.c - the staff side of kiosks (see kiosk.h): the kiosks page,
 * starting a kiosk, switching one off.  Any signed-in member of staff may
 * do each; every start and switch-off goes in the audit log.
 *
 * A kiosk's token is made here, given out once (in the redirect to the
 * tablet, or on the page with its code) and kept only as a hash.  Opening
 * it "on this tablet" ends the member of staff's session on the tablet in
 * the same answer, so the kiosk never runs beside a staff sign-in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/parse.h"
#include "../forms/render_kiosk.h"
#include "http.h"
#include "kiosk_int.h"
#include "server.h"

#define KIOSK_LIST_MAX 200   /* kiosks the page lists, newest first */

_Static_assert(KIOSK_MAX_NAME == STORE_MAX_KIOSK_NAME, "one limit for a tablet's name");

struct list {
	struct render_kiosk_item items[KIOSK_LIST_MAX];
	struct store_kiosk rows[KIOSK_LIST_MAX];
	int n;
	const struct form_catalog *cat;
};

static void keep_kiosk(void *arg, const struct store_kiosk *k)
{
	struct list *l = arg;

	if (l->n >= KIOSK_LIST_MAX)
		return;
	struct store_kiosk *row = &l->rows[l->n];
	*row = *k;
	const struct form_survey *s = form_catalog_survey(l->cat, row->survey, strlen(row->survey));
	l->items[l->n++] = (struct render_kiosk_item) {
		.id = row->id, .name = row->name, .survey_title = s ? s->title : row->survey,
		.made_by = row->made_by, .day = row->day, .revoked = row->revoked,
	};
}

/* The element id a survey problem links to: the first survey offered. */
static void first_survey_field(const struct server *srv, char *out, size_t cap)
{
	char day[11];

	staff_today(day);
	snprintf(out, cap, "k-name");
	for (int i = 0; i < srv->catalog->nsurveys; i++)
		if (form_survey_status_on(srv->catalog->surveys[i], day) == FORM_OPEN) {
			snprintf(out, cap, "k-survey-%s", srv->catalog->surveys[i]->id);
			return;
		}
}

/* The kiosks page, with the form's problems (and what was typed) after a
 * mistake. */
static int list_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		     const struct staff_errors *errors, const char *name, const char *survey)
{
	struct list *l = calloc(1, sizeof *l);
	char day[11];

	if (!l)
		return http_send_problem(rc, 503, "The kiosks page is not available just now.");
	l->cat = rc->srv->catalog;
	if (store_kiosk_each(rc->srv->store, keep_kiosk, l)) {
		free(l);
		return http_send_problem(rc, 503, "The kiosks page is not available just now.");
	}
	staff_today(day);
	char field[80];
	first_survey_field(rc->srv, field, sizeof field);
	struct render_kiosks k = {
		.survey_field = field, .csrf = sess->csrf, .cat = rc->srv->catalog, .today = day,
		.items = l->items, .nitems = l->n, .errors = errors, .name = name, .survey = survey,
	};
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Kiosks and posters", errors);
	render_kiosk_list(&rc->page, &k);
	render_staff_page_end(&rc->page);
	free(l);
	return http_send_page(rc, status);
}

/* 1 if a tablet's name is one line of 1 to KIOSK_MAX_NAME bytes. */
static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > KIOSK_MAX_NAME || !utf8_valid(name, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20)
			return 0;
	return 1;
}

/* Sends the tablet to its kiosk, signed out: 303 to /k/SURVEY#k=TOKEN. */
static int open_here(struct req_ctx *rc, const struct staff_session *sess,
		     const struct form_survey *s, const char *token)
{
	char headers[512];

	staff_session_end(rc, sess);
	snprintf(headers, sizeof headers, "Location: /k/%s#k=%s\r\nCache-Control: no-store\r\n"
		 STAFF_COOKIE_CLEAR, s->id, token);
	int status = http_send(rc, 303, "text/plain; charset=utf-8", "", 0, headers);
	sodium_memzero(headers, sizeof headers);
	return status;
}

/* The page with the kiosk's code, to scan with the tablet or print. */
static int show_code(struct req_ctx *rc, const struct staff_session *sess,
		     const struct form_survey *s, const char *name, const char *token)
{
	char base[300], url[512];

	if (poster_base_url(rc, base, sizeof base))
		return http_send_problem(rc, 400, "The server does not know its own address: start it "
					 "with --public-url, then start the kiosk again.");
	snprintf(url, sizeof url, "%s/k/%s#k=%s", base, s->id, token);
	sbuf_reset(&rc->page);
	staff_page_start(&rc->page, sess, "Kiosk code", NULL);
	render_kiosk_code(&rc->page, name, s, url);
	render_staff_page_end(&rc->page);
	int status = http_send_page(rc, 200);
	sodium_memzero(url, sizeof url);
	return status;
}

/* POST /staff/kiosks: starts a kiosk for a survey open today. */
static int start_kiosk(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	char day[11], token[KIOSK_TOKEN_HEX + 1], hash[65], field[80], detail[200];
	unsigned char raw[KIOSK_TOKEN_HEX / 2];
	long long id;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *sid = form_body_get(&body, "survey");
	const char *name = form_body_get(&body, "name");
	const char *open = form_body_get(&body, "open");
	const struct form_survey *s = sid && id_valid(sid, strlen(sid)) ?
		form_catalog_survey(rc->srv->catalog, sid, strlen(sid)) : NULL;
	staff_today(day);
	first_survey_field(rc->srv, field, sizeof field);
	/* Every problem at once, in the order of the form's fields. */
	struct staff_errors errors = { 0 };
	if (!s || form_survey_status_on(s, day) != FORM_OPEN)
		staff_errors_add(&errors, field, "Choose a survey that is open today");
	else if (!kiosk_pad_block(s))
		staff_errors_add(&errors, field, "This survey has too many long answers to run as a "
				 "kiosk: choose another");
	if (!name_ok(name))
		staff_errors_add(&errors, "k-name", "Give the tablet a name of up to 60 characters");
	if (errors.n) {
		status = list_page(rc, sess, 422, &errors, name,
				   s && !staff_errors_for(&errors, field) ? s->id : NULL);
	} else if (!open || (strcmp(open, "here") != 0 && strcmp(open, "code") != 0)) {
		status = http_send_problem(rc, 400, "Choose one of the page's two buttons.");
	} else {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(token, sizeof token, raw, sizeof raw);
		sodium_memzero(raw, sizeof raw);
		kiosk_token_hash(token, hash);
		if (store_kiosk_add(rc->srv->store, hash, s->id, name, sess->user.name, day, &id)) {
			status = http_send_problem(rc, 503, "The kiosk could not be started just now.");
		} else {
			snprintf(detail, sizeof detail, "kiosk %lld (%s) for %s", id, name, s->id);
			store_audit(rc->srv->store, sess->user.name, "started a kiosk", detail);
			status = strcmp(open, "here") == 0 ? open_here(rc, sess, s, token) :
				show_code(rc, sess, s, name, token);
		}
		sodium_memzero(token, sizeof token);
	}
	form_body_free(&body);
	return status;
}

/* POST /staff/kiosks/ID/off: switches a kiosk off for good. */
static int switch_off(struct req_ctx *rc, const struct staff_session *sess, long long id)
{
	struct form_body body;
	struct store_kiosk k;
	char detail[200];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	form_body_free(&body);
	enum sv_err err = store_kiosk_revoke(rc->srv->store, id, &k);
	if (err == SV_ERR_NOTFOUND)
		return http_send_problem(rc, 404, "There is no kiosk at this address.");
	if (err)
		return http_send_problem(rc, 503, "The kiosk could not be switched off just now.");
	snprintf(detail, sizeof detail, "kiosk %lld (%s) for %s", k.id, k.name, k.survey);
	store_audit(rc->srv->store, sess->user.name, "switched a kiosk off", detail);
	return http_send_redirect(rc, "/staff/kiosks");
}

int kiosk_staff_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	long long id;
	const char *action;

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (post)
			return start_kiosk(rc, sess);
		return get ? list_page(rc, sess, 200, NULL, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	/* "/ID/off" */
	if (!http_path_id(rest, &id, &action) || !http_path_is(action, "/off"))
		return http_send_problem(rc, 404, "There is no kiosk page at this address.");
	return post ? switch_off(rc, sess, id) : http_send_not_allowed(rc, "POST", "Not that way.");
}
