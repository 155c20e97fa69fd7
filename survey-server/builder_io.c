/*
 * builder_io.c - a survey as its file: downloaded, pasted, uploaded.
 *
 *   GET  /staff/surveys/ID.json  the newest version, as its file
 *   POST /staff/surveys          form=paste: a whole definition, as a draft
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

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

int builder_upload(struct req_ctx *rc, const struct staff_session *sess)
{
	(void)sess;
	return http_send_problem(rc, 501, "Not yet.");
}
