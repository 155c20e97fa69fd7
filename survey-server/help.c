/*
 * help.c - the help signposting of a consultation, for commissioners:
 *
 *   GET  /staff/consultations/ID/help    the text its surveys show
 *   POST /staff/consultations/ID/help    action=save&text=... or action=default
 *
 * The text is plain (escaped wherever it is shown), at most FORM_MAX_HELP
 * characters, kept in the database and in the running catalogue at once
 * (forms/render.c shows it on each survey's first page and thanks page).
 * Every change is audit-logged.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "../forms/render_help.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define HELP_MAX_LINES 10           /* lines (paragraphs) in a help text */

static pthread_mutex_t help_lock = PTHREAD_MUTEX_INITIALIZER;

enum sv_err help_load(struct server *srv)
{
	struct form_catalog *cat = srv->catalog;

	for (int i = 0; i < cat->nconsultations; i++) {
		char *text = NULL;
		enum sv_err rc = store_help_get(srv->store, cat->consultations[i].id, &text);
		if (!rc && text)
			rc = form_consultation_help(cat, &cat->consultations[i], text);
		free(text);
		if (rc)
			return rc;
	}
	return SV_OK;
}

static int help_page(struct req_ctx *rc, const struct staff_session *sess,
		     const struct form_consultation *c, int status, const char *typed,
		     const struct staff_errors *e)
{
	const struct form_catalog *cat = rc->srv->catalog;
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	const char *titles[FORM_MAX_SURVEYS];
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	const char *own = c->help;
	struct render_help h = {
		.who = &who, .consultation = c->id, .title = c->title,
		.text = typed ? typed : own ? own : FORM_HELP_DEFAULT, .is_default = own == NULL,
		.saved = !e && ri->query_string && strcmp(ri->query_string, "saved") == 0,
		.surveys = titles, .e = e,
	};

	for (int i = 0; i < cat->nsurveys && h.nsurveys < FORM_MAX_SURVEYS; i++)
		if (cat->surveys[i]->consultation == c)
			titles[h.nsurveys++] = cat->surveys[i]->title;
	render_help_page(&rc->page, &h);
	return http_send_page(rc, status);
}

/* What is wrong with a help text, or NULL.  It arrives with CR LF line ends
 * from a textarea; those are made LF in place first. */
static const char *help_problem(char *text)
{
	size_t n = 0, lines = 1;

	for (char *p = text; *p; p++)
		if (*p != '\r')
			text[n++] = *p;
	text[n] = '\0';
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (!n || strspn(text, " \n") == n)
		return "Write the help text, or use the default text";
	if (!utf8_valid(text, n))
		return "Write the help text as plain text";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n')
			lines++;
		else if (ch < 0x20 || ch == 0x7f)
			return "Write the help text as plain text, without tabs or control characters";
	}
	if (utf8_length(text, n) > FORM_MAX_HELP)
		return "Write the help text in up to 500 characters";
	if (lines > HELP_MAX_LINES)
		return "Write the help text in up to 10 lines";
	return NULL;
}

static int help_post(struct req_ctx *rc, const struct staff_session *sess,
		     struct form_consultation *c)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *action = form_body_get(&body, "action");
	char *text = (char *)form_body_get(&body, "text");
	int to_default = action && strcmp(action, "default") == 0;
	if (!to_default && (!action || strcmp(action, "save") != 0)) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 400, "That did not work", "Use the buttons on the help "
				    "page.", "/staff/consultations", "Back to the consultations");
	}
	const char *problem = to_default ? NULL : help_problem(text ? text : (char *)"");
	if (problem) {
		staff_errors_add(&e, "help-text", problem);
		status = help_page(rc, sess, c, 400, text ? text : "", &e);
		form_body_free(&body);
		return status;
	}
	/* The default itself, typed back, stays the default (and translated). */
	if (!to_default && strcmp(text, FORM_HELP_DEFAULT) == 0)
		to_default = 1;
	pthread_mutex_lock(&help_lock);
	enum sv_err err = store_help_set(rc->srv->store, c->id, to_default ? NULL : text);
	if (!err)
		err = form_consultation_help(rc->srv->catalog, c, to_default ? NULL : text);
	pthread_mutex_unlock(&help_lock);
	form_body_free(&body);
	if (err == SV_ERR_TOOBIG)
		return staff_refuse(rc, sess, 409, "Saved, but not shown yet", "The help text has "
				    "been changed too many times since the server started: it shows "
				    "after the next restart.", "/staff/consultations",
				    "Back to the consultations");
	if (err)
		return http_send_problem(rc, 503, "The help text could not be saved just now.");
	store_audit(rc->srv->store, sess->user.name, to_default ? "set the default help text" :
		    "changed the help text", c->id);
	char location[128];
	snprintf(location, sizeof location, "/staff/consultations/%s/help?saved", c->id);
	return http_send_redirect(rc, location);
}

int help_route(struct req_ctx *rc, const struct staff_session *sess, struct form_consultation *c)
{
	if (strcmp(rc->method, "POST") == 0)
		return help_post(rc, sess, c);
	if (strcmp(rc->method, "GET") == 0 || rc->head_only)
		return help_page(rc, sess, c, 200, NULL, NULL);
	return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
}
