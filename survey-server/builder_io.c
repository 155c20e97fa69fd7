/*
 * builder_io.c - a survey as its file: downloaded, pasted, uploaded.
 *
 *   GET  /staff/surveys/ID.json  the newest version, as its file
 *   POST /staff/surveys          form=paste: a whole definition, as a draft;
 *                                multipart/form-data: an uploaded file, the same
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include <sodium.h>

#include "builder_int.h"

int builder_download(struct req_ctx *rc, const char *id)
{
	struct store_survey_version v;
	char headers[PARSE_MAX_ID + 128];

	enum sv_err err = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (err == SV_ERR_NOTFOUND)
		return http_send_problem(rc, 404, "There is no such survey.");
	if (err)
		return http_send_problem(rc, 503, "The survey could not be read just now.");
	snprintf(headers, sizeof headers, "Content-Disposition: attachment; filename=\"%s.json\"\r\n"
		 "Cache-Control: no-store\r\n", id);
	int status = http_send(rc, 200, "application/json; charset=utf-8", v.definition,
			       strlen(v.definition), headers);
	free(v.definition);
	return status;
}


/* form=paste: a whole definition from the list page's box, as a draft (of
 * a new survey, or the next of the survey with its short name). */
int builder_paste(struct req_ctx *rc, const struct staff_session *sess, struct form_body *body)
{
	struct staff_errors errors = { 0 };
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "";
	const char *def = form_body_get(body, "definition");
	int status;

	if (builder_check(rc->srv, NULL, def, 0, &s, err) == SV_OK) {
		status = builder_saved_draft(rc, sess, s, def, NULL);
		form_survey_free(s);
		return status;
	}
	staff_errors_add(&errors, "s-definition", err);
	return builder_list_page(rc, sess, 422, body, &errors);
}

/* ---- upload: multipart/form-data, read by civetweb ---- */

#define UPLOAD_SLACK 4096 /* bytes of a multipart body besides the file: its
                           * boundaries, part headers and the CSRF token */

static int upload_found(const char *key, const char *filename, char *path, size_t pathlen,
			void *arg)
{
	struct staff_upload *u = arg;

	(void)path;
	(void)pathlen;
	u->part = strcmp(key, "file") == 0 ? 1 : strcmp(key, "_csrf") == 0 ? 2 : 0;
	if (u->part == 1)
		u->chosen |= filename && *filename;
	return u->part ? MG_FORM_FIELD_STORAGE_GET : MG_FORM_FIELD_STORAGE_SKIP;
}

/* Each part comes in pieces; past its limit the reading stops.  civetweb
 * 1.15 names only a part's first piece (key is "" after it), so the part
 * is the one upload_found last took. */
static int upload_get(const char *key, const char *value, size_t n, void *arg)
{
	struct staff_upload *u = arg;

	(void)key;
	u->total += n;
	if (u->total > STAFF_UPLOAD_MAX + UPLOAD_SLACK)
		u->too_big = 1;
	if (u->part == 1) {
		if (n > STAFF_UPLOAD_MAX - u->len)
			u->too_big = 1;
		else
			memcpy(u->file + u->len, value, n), u->len += n;
	} else if (u->part == 2 && n < sizeof u->csrf - u->csrf_len) {
		memcpy(u->csrf + u->csrf_len, value, n);
		u->csrf_len += n;
	}
	return u->too_big ? MG_FORM_FIELD_HANDLE_ABORT : MG_FORM_FIELD_HANDLE_GET;
}

int staff_upload_read(struct req_ctx *rc, const struct staff_session *sess, struct staff_upload *u)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);

	memset(u, 0, sizeof *u);
	if (ri->content_length > STAFF_UPLOAD_MAX + UPLOAD_SLACK) {
		u->too_big = 1;
		return 0;
	}
	struct mg_form_data_handler h = { upload_found, upload_get, NULL, u };
	int fields = mg_handle_form_request(rc->conn, &h);
	u->csrf[u->csrf_len] = '\0';
	u->file[u->len] = '\0';
	if (u->too_big)
		return 0;
	if (fields < 0)
		return http_send_problem(rc, 400, "The file did not arrive. Please try again.");
	return staff_check_csrf(rc, sess, u->csrf);
}

/* The list page again, its upload form showing what is wrong. */
static int upload_refused(struct req_ctx *rc, const struct staff_session *sess, int status,
			  const char *why)
{
	struct staff_errors errors = { 0 };
	struct form_body posted = { 0 };
	const char *parse_why;

	staff_errors_add(&errors, "s-file", why);
	form_body_parse("form=upload", 11, &posted, &parse_why);
	status = builder_list_page(rc, sess, status, &posted, &errors);
	form_body_free(&posted);
	return status;
}

/*
 * POST /staff/surveys as multipart/form-data: "Upload a survey file".  The
 * file is what paste takes (at most 16 KB, checked by the same parser and
 * versions rule, a draft), read by civetweb's mg_handle_form_request, not a
 * parser of our own.  A body declared larger than the file may be is
 * refused before it is read; a file found larger while reading stops the
 * reading.  Either way 413 and nothing stored.
 */
int builder_upload(struct req_ctx *rc, const struct staff_session *sess)
{
	static const char too_big[] = "The file is larger than 16 KB: a survey file is smaller. "
		"Check that it is the survey's JSON file.";
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "";
	int status;

	struct staff_upload *u = calloc(1, sizeof *u);
	if (!u)
		return http_send_problem(rc, 503, "The file could not be read just now.");
	if ((status = staff_upload_read(rc, sess, u)) != 0)
		goto out;
	if (u->too_big) {
		status = upload_refused(rc, sess, 413, too_big);
		goto out;
	}
	if (!u->chosen || !u->len)
		status = upload_refused(rc, sess, 422, "Choose the survey's JSON file to upload");
	else if (memchr(u->file, '\0', u->len) || !utf8_valid(u->file, u->len))
		status = upload_refused(rc, sess, 422, "This is not a survey file: a survey file is "
					"JSON text (UTF-8)");
	else if (builder_check(rc->srv, NULL, u->file, 0, &s, err))
		status = upload_refused(rc, sess, 422, err);
	else
		status = builder_saved_draft(rc, sess, s, u->file, NULL);
out:
	form_survey_free(s);
	sodium_memzero(u, sizeof *u);
	free(u);
	return status;
}
