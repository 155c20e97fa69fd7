/*
 * exports.c - the exports a commissioner takes from the staff pages:
 *
 *   GET  /staff/export                     the page: links and a form
 *   GET  /staff/export/themes.csv|.xlsx|.json  the themes table, suppressed
 *   POST /staff/export/decrypted           report, breakdowns (CSV, XLSX, JSON) or responses,
 *                                          with the passphrase typed in
 *
 * The passphrase is used in memory for one export and wiped with the form
 * body; it is never stored or logged.  Unlocking a key takes Argon2id's
 * memory, so one such export runs at a time.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <civetweb.h>
#include <sodium.h>

#include "../core/parse.h"
#include "../export/export.h"
#include "../forms/render.h"
#include "../forms/render_exports.h"
#include "../forms/render_staff.h"
#include "http.h"

/* One unlocking at a time, here and in equalities.c. */
pthread_mutex_t exports_decrypting = PTHREAD_MUTEX_INITIALIZER;

/* What the form offers: its value, label, and how it is written. */
static const struct render_export_kind kinds[] = {
	{ "report", "Report (HTML page, for the board)", "report", "html" },
	{ "breakdowns-csv", "Answers by question, age band and district (CSV)", "breakdowns", "csv" },
	{ "breakdowns-xlsx", "Answers by question, age band and district (spreadsheet, XLSX)",
	  "breakdowns", "xlsx" },
	{ "breakdowns-json", "Answers by question, age band and district (JSON)", "breakdowns", "json" },
	{ "responses-csv", "Every response, one row each (CSV; not for sharing)", "responses", "csv" },
	{ "responses-json", "Every response (JSON; not for sharing)", "responses", "json" },
};
#define NKINDS (int)(sizeof kinds / sizeof kinds[0])

/* The exports page; with posted and e, the form again with its problems and
 * the choices made (never the passphrase). */
static int export_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		       const struct form_body *posted, const struct staff_errors *e)
{
	struct render_exports page = {
		.cat = rc->srv->catalog, .csrf = sess->csrf, .min_cell = EXPORT_DEFAULT_MIN_CELL,
		.kinds = kinds, .nkinds = NKINDS, .posted = posted,
	};

	staff_page_start(&rc->page, sess, "Exports", e);
	render_exports_page(&rc->page, &page, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

/* ?consultation=ID, or the only one there is; "" if neither. */
static void query_consultation(struct req_ctx *rc, char id[PARSE_MAX_ID + 1])
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	const struct form_catalog *cat = rc->srv->catalog;

	id[0] = '\0';
	if (ri->query_string)
		mg_get_var(ri->query_string, strlen(ri->query_string), "consultation", id,
			   PARSE_MAX_ID + 1);
	if (!id[0] && cat->nconsultations == 1)
		snprintf(id, PARSE_MAX_ID + 1, "%s", cat->consultations[0].id);
}

static int send_attachment(struct req_ctx *rc, const struct sbuf *out, const char *type,
			   const char *name, const char *id, const char *ext)
{
	char header[300];

	if (out->err)
		return http_send_problem(rc, 503, "That export is not available just now.");
	snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"%s-%s.%s\"\r\n"
		 "Cache-Control: no-store\r\n", name, id, ext);
	return http_send(rc, 200, type, out->buf, out->len, header);
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The CSV in csv as a spreadsheet, into out (emptied first). */
static enum sv_err as_xlsx(struct sbuf *csv, const char *sheet, struct sbuf *out)
{
	enum sv_err err = csv->err ? csv->err : export_xlsx_bytes(csv->buf ? csv->buf : "", csv->len,
								 sheet, out);
	return err;
}

/* GET /staff/export/themes.csv|json|xlsx[?consultation=ID]: suppressed, as
 * the CLI. */
static int export_themes(struct req_ctx *rc, const struct staff_session *sess, int json, int xlsx)
{
	char id[PARSE_MAX_ID + 1];
	struct export_table *t = NULL;

	query_consultation(rc, id);
	if (!id_valid(id, strlen(id)))
		return http_send_problem(rc, 404, "Choose a consultation from the exports page.");
	enum sv_err err = export_table_build(rc->srv->store, id, &t);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 "That export is not available.");
	err = export_suppress(t, EXPORT_DEFAULT_MIN_CELL);
	struct sbuf csv, book;
	sbuf_init(&csv, EXPORT_MAX_OUTPUT);
	sbuf_init(&book, EXPORT_MAX_OUTPUT);
	if (!err && json)
		export_themes_json(t, &rc->page);
	else if (!err && xlsx) {
		export_themes_csv(t, &csv);
		err = as_xlsx(&csv, "themes", &book);
	} else if (!err)
		export_themes_csv(t, &rc->page);
	export_table_free(t);
	sbuf_free(&csv);
	if (err) {
		sbuf_free(&book);
		return http_send_problem(rc, 503, "That export is not available.");
	}
	store_audit(rc->srv->store, sess->user.name, "exported the themes table", id);
	int status = send_attachment(rc, xlsx ? &book : &rc->page, json ? "application/json" :
				     xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", "themes", id,
				     json ? "json" : xlsx ? "xlsx" : "csv");
	sbuf_free(&book);
	return status;
}

/* The report or breakdowns: built whole (they are small), then sent. */
static int send_counts(struct req_ctx *rc, struct export_keys *keys, const char *id, int kind,
		       int bom)
{
	struct export_table *t = NULL;
	struct export_breakdown *b = NULL;
	struct export_result result;
	struct sbuf out;
	enum sv_err err;
	int html = strcmp(kinds[kind].format, "html") == 0;
	int json = strcmp(kinds[kind].format, "json") == 0;
	int xlsx = strcmp(kinds[kind].format, "xlsx") == 0;
	struct sbuf book;

	sbuf_init(&out, EXPORT_MAX_OUTPUT);
	sbuf_init(&book, EXPORT_MAX_OUTPUT);
	err = export_table_build(rc->srv->store, id, &t);
	if (!err)
		err = export_suppress(t, EXPORT_DEFAULT_MIN_CELL);
	if (!err)
		err = export_breakdown_build(rc->srv->store, id, keys, t, &b, &result);
	if (!err && html)
		err = export_report_html(rc->srv->store, t, b, keys, &out);
	else if (!err && json)
		export_breakdown_json(t, b, &out);
	else if (!err && xlsx) {
		export_breakdown_csv(t, b, &out);
		err = as_xlsx(&out, "breakdowns", &book);
	} else if (!err) {
		if (bom)
			sbuf_adds(&out, "\xEF\xBB\xBF");
		export_breakdown_csv(t, b, &out);
	}
	int status = err ? http_send_problem(rc, 503, "That export could not be made just now.") :
		send_attachment(rc, xlsx ? &book : &out, html ? "text/html; charset=utf-8" : json ?
				"application/json" : xlsx ? XLSX_TYPE : "text/csv; charset=utf-8",
				kinds[kind].command, id, kinds[kind].format);
	sbuf_free(&book);
	if (out.buf)
		sodium_memzero(out.buf, out.cap);   /* the report holds quotes */
	sbuf_free(&out);
	export_breakdown_free(b);
	export_table_free(t);
	return status;
}

/* Every response, streamed: a million rows never sit in memory. */
static int send_responses(struct req_ctx *rc, struct export_keys *keys, const char *id, int json,
			  int bom)
{
	struct export_result result;
	char header[300];

	snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"responses-%s.%s\"\r\n"
		 "Cache-Control: no-store\r\n", id, json ? "json" : "csv");
	struct http_stream *hs = http_stream_start(rc, json ? "application/json" :
						   "text/csv; charset=utf-8", header);
	if (!hs)
		return http_send_problem(rc, 503, "That export could not be made just now.");
	enum sv_err err = export_responses(rc->srv->store, id, keys, json, bom, http_stream_file(hs),
					   NULL, NULL, &result);
	if (err)
		fprintf(stderr, "survey-server: a responses export stopped: %s\n", sv_err_str(err));
	return http_stream_end(hs, err == SV_OK);
}

int exports_unlock(struct req_ctx *rc, const struct staff_session *sess, const char *id, const char *pass,
		   struct export_keys **keys, enum sv_err *err, long long *wait)
{
	*wait = 0;
	if (pthread_mutex_trylock(&exports_decrypting) != 0)
		return http_send_problem(rc, 503, "Another export is opening the answers. Try again in "
					 "a minute.");
	/* Charged before the key is opened, as a passphrase (never a password):
	 * a right one clears the account's passphrase tries. */
	*wait = staff_try(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
	if (*wait < 0)
		*err = SV_ERR_DB;
	else if (*wait)
		*err = SV_ERR_TOOBIG;
	else
		*err = export_keys_load(rc->srv->store, id, rc->srv->key_dir, pass, strlen(pass), keys);
	if (*wait < 0)
		*wait = 0;
	if (*err == SV_OK)
		staff_try_ok(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
	sodium_memzero((char *)pass, strlen(pass));
	return 0;
}

int staff_passphrase_refused(struct staff_errors *e, const char *field, long long wait, char *why, size_t cap)
{
	if (wait > 0) {
		staff_wait_text(why, cap, "Too many wrong passphrases.", wait, "or ask an admin");
		staff_errors_add(e, field, why);
		return 429;
	}
	staff_errors_add(e, field, "That passphrase does not open the key. Check it and try again");
	return 422;
}

/* POST /staff/export/decrypted */
static int export_decrypted(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct export_keys *keys = NULL;
	struct staff_errors e = { 0 };
	char id[PARSE_MAX_ID + 1];
	int kind = -1, status = staff_read_secret_post(rc, sess, &body);

	if (status)
		return status;
	const char *cons = form_body_get(&body, "consultation");
	const char *k = form_body_get(&body, "kind");
	const char *pass = form_body_get(&body, "passphrase");
	int bom = form_body_get(&body, "bom") != NULL;
	for (int i = 0; k && i < NKINDS; i++)
		if (strcmp(k, kinds[i].id) == 0)
			kind = i;
	snprintf(id, sizeof id, "%s", cons && id_valid(cons, strlen(cons)) ? cons : "");
	if (!id[0] || !staff_consultation(rc->srv, id))
		staff_errors_add(&e, "e-consultation", "Choose a consultation");
	if (kind < 0)
		staff_errors_add(&e, "e-kind-0", "Choose what to export");
	if (!pass || !*pass)
		staff_errors_add(&e, "e-passphrase", "Type the passphrase of the secret key");
	if (e.n) {
		status = export_page(rc, sess, 422, &body, &e);
		form_body_free(&body);
		return status;
	}
	enum sv_err err;
	long long wait = 0;
	char why[200];
	status = exports_unlock(rc, sess, id, pass, &keys, &err, &wait); /* the rest of the form is kept */
	if (status) {
		form_body_free(&body);
		return status;
	}
	if (err == SV_ERR_CRYPTO || wait) {
		status = export_page(rc, sess, staff_passphrase_refused(&e, "e-passphrase", wait, why, sizeof why),
				     &body, &e);
	} else if (err) {
		status = http_send_problem(rc, 503, "The key could not be opened just now.");
	} else {
		char what[64];
		snprintf(what, sizeof what, "exported the %s (%s)", kinds[kind].command, kinds[kind].format);
		store_audit(rc->srv->store, sess->user.name, what, id);
		if (strcmp(kinds[kind].command, "responses") == 0)
			status = send_responses(rc, keys, id, strcmp(kinds[kind].format, "json") == 0, bom);
		else
			status = send_counts(rc, keys, id, kind, bom);
	}
	form_body_free(&body);    /* wipes every field */
	export_keys_free(keys);
	pthread_mutex_unlock(&exports_decrypting);
	return status;
}

int exports_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	int json = http_path_is(rest, "/themes.json");
	int xlsx = http_path_is(rest, "/themes.xlsx");

	if (http_path_is(rest, "") || json || xlsx || http_path_is(rest, "/themes.csv")) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		return *rest ? export_themes(rc, sess, json, xlsx) : export_page(rc, sess, 200, NULL, NULL);
	}
	if (http_path_is(rest, "/decrypted"))
		return post ? export_decrypted(rc, sess) :
			http_send_not_allowed(rc, "POST", "This page cannot be used that way.");
	return http_send_problem(rc, 404, "There is no export at this address.");
}
