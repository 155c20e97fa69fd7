/*
 * display.c - a marketplace event's totals on a projector, opened through a
 * read-only display link, with no staff session on the projector's laptop.
 *
 *   GET  /display/TOKEN                    the totals, filling the screen
 *   GET  /display/TOKEN.json               the same, for the page's script
 *   GET  /static/display.css, display.js   what that page loads
 *   GET  /staff/events/ID/display          the event's "Projector display"
 *                                          page: what a link is, its state
 *   POST /staff/events/ID/display          make the event's link (a new one
 *                                          replaces the old), shown once
 *   POST /staff/events/ID/display/revoke   take it away
 *
 * A token is DISPLAY_TOKEN_BYTES from libsodium, written in base64url; the
 * database keeps only its BLAKE2b hash (store_display.c), so a copy of the
 * database, a backup or the audit log opens no display.  An address that is
 * not exactly a token's length and alphabet is 404 before any hashing or
 * lookup; a well-formed one costs one hash and one indexed read, as much as
 * any public page, under the same per-address connection cap.  Unknown,
 * replaced and revoked tokens get the same 404.  Pages are sent no-store.
 * The staff half is reached through tally.c (any member of staff who can
 * open the event: youth worker or above) and audit-logged, never with the
 * token.  What the page shows is forms/render_display.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <sodium.h>

#include "../core/files.h"
#include "../forms/render_display.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "kiosk.h"
#include "server.h"

#define DISPLAY_TOKEN_BYTES 24        /* 192 random bits ... */
#define DISPLAY_TOKEN_LEN 32          /* ... as base64url, no padding */
#define DISPLAY_TOKEN_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#define DISPLAY_MAX_OPTIONS (TAXONOMY_MAX_THEMES * TAXONOMY_MAX_THEME_PRIORITIES)
#define DISPLAY_MAX_ASSET (64 * 1024) /* bytes in display.css or display.js */
#define DISPLAY_GONE "This display link does not work. It may have been replaced or " \
	"revoked: ask the person running the event for the new link."

struct display {
	char *css, *js;                   /* forms/static/display.{css,js} */
	size_t css_len, js_len;
};

enum sv_err display_init(struct server *srv, const char *forms_dir)
{
	char path[4096];
	struct display *d = calloc(1, sizeof *d);
	enum sv_err rc;

	if (!d)
		return SV_ERR_NOMEM;
	snprintf(path, sizeof path, "%s/static/display.css", forms_dir);
	rc = files_read_all(path, DISPLAY_MAX_ASSET, &d->css, &d->css_len);
	if (!rc) {
		snprintf(path, sizeof path, "%s/static/display.js", forms_dir);
		rc = files_read_all(path, DISPLAY_MAX_ASSET, &d->js, &d->js_len);
	}
	if (rc)
		fprintf(stderr, "survey-server: %s: cannot read: %s\n", path, sv_err_str(rc));
	srv->display = d;
	return rc;
}

void display_free(struct server *srv)
{
	if (!srv->display)
		return;
	free(srv->display->css);
	free(srv->display->js);
	free(srv->display);
	srv->display = NULL;
}

/* Hex of BLAKE2b-256(token): all the database ever holds of a token. */
static void token_hash(const char *token, size_t len, char out[STORE_DISPLAY_HASH_HEX + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
	sodium_bin2hex(out, STORE_DISPLAY_HASH_HEX + 1, h, sizeof h);
}

/* The options of an event, read for one display. */
struct collected {
	struct render_display_option *o;
	char (*theme)[LIMIT_ID_BYTES + 1];
	size_t n;
};

static void collect(void *arg, int priority, const char *theme, long long count)
{
	struct collected *c = arg;

	if (c->n >= DISPLAY_MAX_OPTIONS)
		return;
	snprintf(c->theme[c->n], sizeof c->theme[c->n], "%s", theme);
	c->o[c->n] = (struct render_display_option){ priority, c->theme[c->n], count };
	c->n++;
}

/* GET /display/TOKEN[.json] with a token already known to be well formed. */
static int show(struct req_ctx *rc, const char *token, int json)
{
	char hash[STORE_DISPLAY_HASH_HEX + 1];
	long long event_id;
	struct store_event e;
	struct collected c = { 0 };
	int status;

	token_hash(token, DISPLAY_TOKEN_LEN, hash);
	enum sv_err err = store_display_find(rc->srv->store, hash, &event_id);
	if (!err)
		err = store_event_get(rc->srv->store, event_id, &e);
	if (err == SV_ERR_NOTFOUND)
		return json ? http_send(rc, 404, "application/json", "{\"error\":\"not found\"}", 21,
					"Cache-Control: no-store\r\n") :
			      http_send_problem(rc, 404, DISPLAY_GONE);
	if (err)
		return http_send_problem(rc, 503, "The totals are not available just now.");
	const struct form_consultation *fc = staff_consultation(rc->srv, e.consultation);
	c.o = calloc(DISPLAY_MAX_OPTIONS, sizeof *c.o);
	c.theme = calloc(DISPLAY_MAX_OPTIONS, sizeof *c.theme);
	if (!c.o || !c.theme || store_event_options(rc->srv->store, e.id, collect, &c)) {
		status = http_send_problem(rc, 503, "The totals are not available just now.");
		goto out;
	}
	struct render_display d = { e.name, e.closed, fc ? fc->taxonomy : NULL, c.o, c.n };
	if (json)
		render_display_json(&rc->page, &d);
	else
		render_display_page(&rc->page, &d);
	if (rc->page.err)
		status = http_send_page(rc, 503); /* says it could not be built */
	else
		status = http_send(rc, 200, json ? "application/json" : "text/html; charset=utf-8",
				   rc->page.buf, rc->page.len, "Cache-Control: no-store\r\n");
out:
	free(c.o);
	free(c.theme);
	return status;
}

static int send_asset(struct req_ctx *rc, const char *type, const char *body, size_t len)
{
	return http_send(rc, 200, type, body, len, "Cache-Control: public, max-age=3600\r\n");
}

int display_route(struct req_ctx *rc, const char *path)
{
	const struct display *d = rc->srv->display;
	const char *token;

	if (strcmp(rc->method, "GET") != 0 && !rc->head_only)
		return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	if (http_path_is(path, "/static/display.css"))
		return send_asset(rc, "text/css; charset=utf-8", d->css, d->css_len);
	if (http_path_is(path, "/static/display.js"))
		return send_asset(rc, "text/javascript; charset=utf-8", d->js, d->js_len);
	if (!http_path_under(path, "/display", &token) || !*token)
		return http_send_problem(rc, 404, "There is no page at this address.");
	/* Never reads further than a token and ".json" could reach. */
	token++; /* after "/display/" */
	size_t n = strnlen(token, DISPLAY_TOKEN_LEN + 6);
	int json = n == DISPLAY_TOKEN_LEN + 5 && strcmp(token + DISPLAY_TOKEN_LEN, ".json") == 0;
	if ((n != DISPLAY_TOKEN_LEN && !json) || strspn(token, DISPLAY_TOKEN_ALPHABET) != DISPLAY_TOKEN_LEN)
		return http_send_problem(rc, 404, DISPLAY_GONE);
	return show(rc, token, json);
}

static int make_link(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	unsigned char raw[DISPLAY_TOKEN_BYTES];
	char token[sodium_base64_ENCODED_LEN(DISPLAY_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char hash[STORE_DISPLAY_HASH_HEX + 1], made[20], url[400], detail[200];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	token_hash(token, strlen(token), hash);
	int replaced = store_display_made(rc->srv->store, e->id, made) == SV_OK;
	enum sv_err err = store_display_set(rc->srv->store, e->id, hash);
	snprintf(url, sizeof url, "/staff/events/%lld/display", e->id);
	if (err) {
		sodium_memzero(token, sizeof token);
		return staff_refuse(rc, sess, http_status_from_err(err), "No display link was made",
				    "The display link could not be made just now. Please try again.",
				    url, "Back to the projector display");
	}
	snprintf(detail, sizeof detail, "event %lld: %.120s%s", e->id, e->name,
		 replaced ? " (the old link stops working)" : "");
	store_audit(rc->srv->store, sess->user.name, "display link made", detail);
	/* The address people reach the site at (--public-url, or as this
	 * request did); a path alone when there is none to trust. */
	char base[300];
	if (poster_base_url(rc, base, sizeof base))
		base[0] = '\0';
	snprintf(url, sizeof url, "%s/display/%s", base, token);
	sodium_memzero(token, sizeof token);
	staff_page_start(&rc->page, sess, "Display link", NULL);
	render_display_link_made(&rc->page, e->id, e->name, url);
	render_staff_page_end(&rc->page);
	sodium_memzero(url, sizeof url);
	int status = http_send_page(rc, 200);
	/* The only copy of the token left: wipe it before the buffer is freed. */
	if (rc->page.buf)
		sodium_memzero(rc->page.buf, rc->page.cap);
	return status;
}

static int revoke_link(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	char detail[160], location[64];
	enum sv_err err = store_display_revoke(rc->srv->store, e->id);

	snprintf(location, sizeof location, "/staff/events/%lld/display", e->id);
	if (err && err != SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 503, "The display link was not revoked", "The display link "
				    "could not be revoked just now. Please try again.", location, "Back to the projector display");
	if (!err) {
		snprintf(detail, sizeof detail, "event %lld: %.120s", e->id, e->name);
		store_audit(rc->srv->store, sess->user.name, "display link revoked", detail);
	}
	return http_send_redirect(rc, location);
}

/* GET /staff/events/ID/display: what a display link is, whether the event
 * has one and since when, and the buttons that make and revoke it. */
static int display_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_event *e)
{
	char made[20], title[STORE_MAX_EVENT_NAME + 32];
	enum sv_err err = store_display_made(rc->srv->store, e->id, made);

	if (err && err != SV_ERR_NOTFOUND)
		return http_send_problem(rc, 503, "The display link is not available just now.");
	snprintf(title, sizeof title, "Projector display: %s", e->name);
	staff_page_start(&rc->page, sess, title, NULL);
	render_display_staff_page(&rc->page, e->id, e->name, sess->csrf, err ? "" : made);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

int display_staff_route(struct req_ctx *rc, const struct staff_session *sess,
			const struct store_event *e, const char *rest)
{
	struct form_body body;
	int make = http_path_is(rest, ""), revoke = http_path_is(rest, "/revoke");

	if (!make && !revoke)
		return http_send_problem(rc, 404, "There is no event page at this address.");
	if (make && (strcmp(rc->method, "GET") == 0 || rc->head_only))
		return display_page(rc, sess, e);
	if (strcmp(rc->method, "POST") != 0)
		return http_send_not_allowed(rc, make ? "GET, HEAD, POST" : "POST",
					     "Use the buttons on the event's projector display page.");
	int status = staff_read_post(rc, sess, &body); /* checks the CSRF token */
	if (status)
		return status;
	form_body_free(&body);
	return make ? make_link(rc, sess, e) : revoke_link(rc, sess, e);
}
