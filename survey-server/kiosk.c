/*
 * kiosk.c - kiosk mode: the kiosk page, the answers kiosks send, the
 * transport key and the kiosk's scripts (see kiosk.h).
 *
 * What a kiosk sends is one POST per person: the body is the sealed box
 * (crypto_box_seal to the transport public key) of the answers as the
 * survey form would post them, padded to the survey's kiosk size; the
 * kiosk's token and the id the device gave those answers travel in headers.
 * The order of checks: the token (401 if unknown or switched off, 403 for
 * another survey), the survey open (403), the kiosk's rate (429), the box
 * (400 if it does not open: tampered, or sealed to another key), the
 * answers (400 if no form could send them, 422 if they break a rule the
 * device should have checked), then store, once per id: a resend after a
 * lost reply is answered 200 as the first was, with nothing stored twice.
 * The answers in the clear exist only inside this request, in memory wiped
 * at its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <sodium.h>

#include "../core/files.h"
#include "../core/parse.h"
#include "../forms/render.h"
#include "http.h"
#include "kiosk_int.h"
#include "server.h"

#define KIOSK_CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
	"script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'"
#define KIOSK_MAX_SCRIPT (2 * 1024 * 1024)  /* bytes in one of the kiosk's static files */
#define KIOSK_ONCE_PREFIX "kiosk-"          /* used_tokens ids of kiosk answers */

/* The kiosk's static files, served from memory. */
enum { F_SCRIPT, F_STYLE, F_SODIUM, F_WRAPPERS, F_COUNT };

static const struct {
	const char *path;           /* under /static/kiosk/ */
	const char *file;           /* under FORMS/static/ */
	const char *type;
} files[F_COUNT] = {
	[F_SCRIPT] = { "kiosk.js", "kiosk.js", "text/javascript; charset=utf-8" },
	[F_STYLE] = { "kiosk.css", "kiosk.css", "text/css; charset=utf-8" },
	/* libsodium's JavaScript build (npm libsodium-wrappers, pinned in
	 * vendor/package-lock.json; make vendor copies it here). */
	[F_SODIUM] = { "libsodium.js", "vendor/libsodium.js", "text/javascript; charset=utf-8" },
	[F_WRAPPERS] = { "libsodium-wrappers.js", "vendor/libsodium-wrappers.js",
			 "text/javascript; charset=utf-8" },
};

struct kiosk {
	unsigned char *secret;      /* the transport secret key (sodium_malloc'd) */
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char pk_b64[64];            /* base64url, for the kiosk page */
	struct rate_limiter *limiter; /* answers per kiosk, keyed by its id */
	char *body[F_COUNT];        /* the static files */
	size_t len[F_COUNT];
	int ready;                  /* every file was there: kiosk pages work */
};

void kiosk_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

size_t kiosk_pad_block(const struct form_survey *s)
{
	size_t n = strlen("_lang=&") + sizeof s->langs[0].code;

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		size_t name = strlen(q->id);
		if (q->type == FORM_TEXT) {
			n += name + 2 + 4 * (size_t)q->max_length;
		} else if (q->type == FORM_MULTIPLE) {
			for (int k = 0; k < q->noptions; k++)
				n += name + strlen("[]=&") + strlen(q->options[k].id);
		} else {
			size_t longest = 0;
			for (int k = 0; k < q->noptions; k++)
				if (strlen(q->options[k].id) > longest)
					longest = strlen(q->options[k].id);
			n += name + 2 + longest;
			if (q->type == FORM_BALLOT) /* "&ID.2=OPTION" per later rank */
				n += (size_t)(q->rank - 1) * (name + strlen(".2=&") + longest);
		}
		if (q->other)
			n += name + strlen(".other=&") + 4 * (size_t)FORM_MAX_OTHER;
	}
	/* At least one byte of padding (ISO/IEC 7816-4, sodium_pad). */
	size_t block = (n / KIOSK_PAD_UNIT + 1) * KIOSK_PAD_UNIT;
	return block + crypto_box_SEALBYTES <= HTTP_MAX_BODY ? block : 0;
}

/* DATA/kiosk-transport.key: the secret key in hex, made on first start. */
static enum sv_err load_key(struct kiosk *k, const char *data_dir)
{
	char path[4096], hex[crypto_box_SECRETKEYBYTES * 2 + 2];
	char *text = NULL;
	size_t len = 0, bin = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", data_dir, KIOSK_KEY_FILE) >= sizeof path)
		return SV_ERR_TOOBIG;
	enum sv_err rc = files_read_all(path, 256, &text, &len);
	if (rc == SV_ERR_NOTFOUND) {
		randombytes_buf(k->secret, crypto_box_SECRETKEYBYTES);
		sodium_bin2hex(hex, sizeof hex - 1, k->secret, crypto_box_SECRETKEYBYTES);
		len = strlen(hex);
		hex[len++] = '\n';
		rc = files_write_atomic(path, hex, len, 0600);
		sodium_memzero(hex, sizeof hex);
	} else if (!rc) {
		if (sodium_hex2bin(k->secret, crypto_box_SECRETKEYBYTES, text, len, "\n", &bin, NULL) ||
		    bin != crypto_box_SECRETKEYBYTES)
			rc = SV_ERR_INVALID;
		sodium_memzero(text, len);
	}
	free(text);
	if (!rc && crypto_scalarmult_base(k->pk, k->secret))
		rc = SV_ERR_CRYPTO;
	return rc;
}

enum sv_err kiosk_init(struct server *srv, const char *data_dir, const char *forms_dir)
{
	struct kiosk *k = calloc(1, sizeof *k);
	char path[4096];
	enum sv_err rc;

	if (!k)
		return SV_ERR_NOMEM;
	srv->kiosk = k;
	k->secret = sodium_malloc(crypto_box_SECRETKEYBYTES);
	k->limiter = rate_new(KIOSK_PER_MINUTE);
	if (!k->secret || !k->limiter)
		return SV_ERR_NOMEM;
	rc = load_key(k, data_dir);
	if (rc) {
		fprintf(stderr, "survey-server: cannot load or make %s/%s: %s\n", data_dir,
			KIOSK_KEY_FILE, sv_err_str(rc));
		return rc;
	}
	sodium_bin2base64(k->pk_b64, sizeof k->pk_b64, k->pk, sizeof k->pk,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	k->ready = 1;
	for (int i = 0; i < F_COUNT; i++) {
		snprintf(path, sizeof path, "%s/static/%s", forms_dir, files[i].file);
		if (files_read_all(path, KIOSK_MAX_SCRIPT, &k->body[i], &k->len[i]) != SV_OK) {
			fprintf(stderr, "survey-server: %s is missing, so kiosk mode is off "
				"(\"make vendor\" fetches libsodium's JavaScript build)\n", path);
			k->ready = 0;
		}
	}
	return SV_OK;
}

void kiosk_free(struct server *srv)
{
	struct kiosk *k = srv->kiosk;

	if (!k)
		return;
	sodium_free(k->secret);
	rate_free(k->limiter);
	for (int i = 0; i < F_COUNT; i++)
		free(k->body[i]);
	free(k);
	srv->kiosk = NULL;
}

/* A short JSON answer for kiosk.js: {"stored":true} or {"error":"..."}. */
static int send_json(struct req_ctx *rc, int status, const char *json, const char *extra)
{
	char headers[128];

	snprintf(headers, sizeof headers, "Cache-Control: no-store\r\n%s", extra ? extra : "");
	return http_send(rc, status, "application/json", json, strlen(json), headers);
}

/* 1 if h is exactly n lower-case hex digits. */
static int is_hex(const char *h, size_t n)
{
	return h && strlen(h) == n && strspn(h, "0123456789abcdef") == n;
}

/* The kiosk sending, found by the token in its header; 0, or the status sent. */
static int kiosk_from_token(struct req_ctx *rc, const struct form_survey *s, struct store_kiosk *out)
{
	const char *token = mg_get_header(rc->conn, "X-Kiosk-Token");
	char hash[65];

	if (!is_hex(token, KIOSK_TOKEN_HEX))
		return send_json(rc, 401, "{\"error\":\"switched-off\"}", NULL);
	kiosk_token_hash(token, hash);
	enum sv_err err = store_kiosk_find(rc->srv->store, hash, out);
	if (err == SV_ERR_NOTFOUND || (!err && out->revoked))
		return send_json(rc, 401, "{\"error\":\"switched-off\"}", NULL);
	if (err)
		return send_json(rc, 503, "{\"error\":\"busy\"}", "Retry-After: 10\r\n");
	if (strcmp(out->survey, s->id) != 0)
		return send_json(rc, 403, "{\"error\":\"other-survey\"}", NULL);
	return 0;
}

/* Opens the box in rc->body into plain (pad bytes, sodium_malloc'd by the
 * caller); *len gets the answers' length.  SV_ERR_INVALID if it does not
 * open or its padding is wrong. */
static enum sv_err open_box(const struct req_ctx *rc, size_t pad, unsigned char *plain, size_t *len)
{
	const struct kiosk *k = rc->srv->kiosk;

	if (rc->body_len != pad + crypto_box_SEALBYTES ||
	    crypto_box_seal_open(plain, (const unsigned char *)rc->body, rc->body_len, k->pk, k->secret) ||
	    sodium_unpad(len, plain, pad, pad))
		return SV_ERR_INVALID;
	return SV_OK;
}

/* Checks and stores the answers in the opened box, as a form's are. */
static int store_box(struct req_ctx *rc, const struct form_survey *s, const char *plain,
		     size_t len, const char *once)
{
	struct form_body body = { 0 };
	struct form_answers *answers = malloc(sizeof *answers);
	const char *why;
	int status;

	if (!answers)
		return send_json(rc, 503, "{\"error\":\"busy\"}", "Retry-After: 10\r\n");
	if (form_body_parse(plain, len, &body, &why) || form_answers_read(s, &body, answers, &why)) {
		status = send_json(rc, 400, "{\"error\":\"unreadable\"}", NULL);
		goto out;
	}
	if (answers->nerrors) {
		status = send_json(rc, 422, "{\"error\":\"answers\"}", NULL);
		goto out;
	}
	enum sv_err err = respond_store_answers(rc->srv, s, answers, once);
	if (!err || err == SV_ERR_EXISTS) {
		status = send_json(rc, 200, "{\"stored\":true}", NULL);
	} else if (err == SV_ERR_TOOBIG) {
		status = send_json(rc, 422, "{\"error\":\"answers\"}", NULL);
	} else {
		fprintf(stderr, "survey-server: could not store a kiosk's answers to %s: %s\n", s->id,
			sv_err_str(err));
		status = send_json(rc, 503, "{\"error\":\"busy\"}", "Retry-After: 30\r\n");
	}
out:
	form_body_free(&body); /* wipes the decoded answers */
	if (answers)
		sodium_memzero(answers, sizeof *answers);
	free(answers);
	return status;
}

/* POST /k/SURVEY/answers */
static int answers_post(struct req_ctx *rc, const struct form_survey *s)
{
	struct store_kiosk k;
	char day[11], key[32], once[sizeof KIOSK_ONCE_PREFIX + KIOSK_ID_HEX];
	unsigned char *plain = NULL;
	size_t len = 0, pad = kiosk_pad_block(s);
	int status = kiosk_from_token(rc, s, &k);

	if (status)
		return status;
	const char *id = mg_get_header(rc->conn, "X-Kiosk-Answer-Id");
	if (!is_hex(id, KIOSK_ID_HEX) || !pad)
		return send_json(rc, 400, "{\"error\":\"unreadable\"}", NULL);
	staff_today(day);
	if (form_survey_status_on(s, day) != FORM_OPEN)
		return send_json(rc, 403, "{\"error\":\"closed\"}", NULL);
	snprintf(key, sizeof key, "kiosk %lld", k.id);
	if (!rate_allow(rc->srv->kiosk->limiter, key, (long long)time(NULL)))
		return send_json(rc, 429, "{\"error\":\"wait\"}", "Retry-After: 5\r\n");
	if (!http_content_type_is(rc, "application/octet-stream"))
		return send_json(rc, 415, "{\"error\":\"unreadable\"}", NULL);
	enum sv_err err = http_read_body(rc, HTTP_MAX_BODY);
	if (err)
		return send_json(rc, err == SV_ERR_TOOBIG ? 413 : 400, "{\"error\":\"unreadable\"}", NULL);
	plain = sodium_malloc(pad);
	if (!plain)
		return send_json(rc, 503, "{\"error\":\"busy\"}", "Retry-After: 10\r\n");
	if (open_box(rc, pad, plain, &len)) {
		status = send_json(rc, 400, "{\"error\":\"unreadable\"}", NULL);
	} else {
		snprintf(once, sizeof once, KIOSK_ONCE_PREFIX "%s", id);
		status = store_box(rc, s, (const char *)plain, len, once);
	}
	sodium_free(plain); /* zeroes it */
	return status;
}

/* GET /k/SURVEY: the survey in kiosk mode. */
static int kiosk_page(struct req_ctx *rc, const struct form_survey *s)
{
	struct kiosk *k = rc->srv->kiosk;
	char day[11];
	int lang = respond_query_lang(rc, s);

	staff_today(day);
	enum form_status state = form_survey_status_on(s, day);
	if (state != FORM_OPEN) {
		render_not_open(&rc->page, s, state, lang);
		return http_send_page(rc, 200);
	}
	struct render_kiosk mode = { .public_key = k->pk_b64, .pad_block = kiosk_pad_block(s) };
	if (!mode.pad_block)
		return http_send_problem(rc, 404, "This survey has too many long answers to run as a kiosk. "
					 "Young people can answer it on their own phones.");
	struct render_form f = { .s = s, .lang = lang, .kiosk = &mode };
	render_survey(&rc->page, &f);
	rc->csp = KIOSK_CSP;
	return http_send_page(rc, 200);
}

int kiosk_route(struct req_ctx *rc, const char *path)
{
	struct kiosk *k = rc->srv->kiosk;
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	const char *file;

	if (http_path_under(path, "/static/kiosk", &file)) {
		for (int i = 0; i < F_COUNT; i++) {
			if (!*file || strcmp(file + 1, files[i].path) != 0 || !k->body[i])
				continue;
			if (!get)
				return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
			return http_send(rc, 200, files[i].type, k->body[i], k->len[i],
					 "Cache-Control: public, max-age=3600\r\n");
		}
		return http_send_problem(rc, 404, "There is no page at this address.");
	}
	const char *id = http_path_under(path, "/k", &file) && *file ? file + 1 : ""; /* after "/k/" */
	const char *slash = strchr(id, '/');
	size_t n = slash ? (size_t)(slash - id) : strlen(id);
	const struct form_survey *s = id_valid(id, n) ? form_catalog_survey(rc->srv->catalog, id, n) : NULL;
	if (!s || (slash && strcmp(slash, "/answers") != 0))
		return http_send_problem(rc, 404, "There is no kiosk at this address.");
	if (!k->ready)
		return http_send_problem(rc, 503, "Kiosk mode is not installed on this server. "
					 "Young people can answer the survey on their own phones.");
	if (slash)
		return strcmp(rc->method, "POST") == 0 ? answers_post(rc, s) :
			http_send_not_allowed(rc, "POST", "This page cannot be used that way.");
	return get ? kiosk_page(rc, s) : http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
}
