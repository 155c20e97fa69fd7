/*
 * builder.c - surveys built in the browser, for commissioners: written as
 * the same JSON definition as a forms/surveys/ file, saved as a draft,
 * previewed, and published to respondents without a restart.
 *
 *   GET  /staff/surveys               every survey with its version and state
 *   POST /staff/surveys               form=start: a new draft from a title,
 *                                     short name and consultation;
 *                                     form=paste: a whole definition, as a draft
 *   GET  /staff/surveys/ID            the editor: the definition in a box
 *   POST /staff/surveys/ID            definition=TEXT: saved as the draft once
 *                                     it checks (error summary otherwise)
 *   GET  /staff/surveys/ID.json       the newest version, as its file
 *   GET  /staff/surveys/ID/preview    the draft (else the published version)
 *                                     rendered as respondents see it; ?page=N
 *   POST /staff/surveys/ID/preview    stores nothing: its buttons move between
 *                                     pages; Send says nothing was sent
 *   GET  /staff/surveys/ID/questions  a form adding one question (no JSON)
 *   POST /staff/surveys/ID/questions  ... added to the draft
 *   GET  /staff/surveys/ID/details    title, introduction, privacy, days, status
 *   POST /staff/surveys/ID/details    ... as a form: saved as a draft
 *   GET  /staff/surveys/ID/languages  each text of it with a box per language
 *   POST /staff/surveys/ID/languages  t-K-I=...: the translations, as a draft
 *   POST /staff/surveys/ID/publish    version=N: the draft becomes what /s/ID
 *                                     answers, at once (audit-logged)
 *
 * Every definition is checked by form_survey_parse, as a file in forms/
 * is, so a mistake gets the same message.  Once a survey has answers, a new
 * version must keep every question, option and theme of the one before
 * (form_survey_check_successor): earlier answers then read the same under
 * it, and the export's columns (the surveys table's fields, always the
 * newest version's) stay a superset of every version's.
 *
 * Files and the database (builder_sync, at start): a file's survey is
 * stored as version 1 the first time; while its newest version came from
 * the file, a changed file becomes the next version (checked as above, or
 * the server does not start); once a version was published from these
 * pages, the database wins and the file is not read for it again.
 *
 * Writers (publish, and start) take catalog_lock, as consult.c's do;
 * respondents read the catalogue without a lock (form_catalog_put).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "../core/files.h"
#include "../core/jsoncheck.h"
#include "../forms/render.h"
#include "../forms/render_builder.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define BUILDER_MAX_ROWS (2 * FORM_MAX_SURVEYS) /* surveys listed: live ones and drafts */
#define BUILDER_ERR 600                         /* bytes in a checking message */

/* The file name a definition's messages start with: "ID.json". */
static void source_name(char out[PARSE_MAX_ID + 24], const char *id)
{
	snprintf(out, PARSE_MAX_ID + 24, "%s.json", id);
}

/*
 * Checks a definition as forms/ files are checked and, if the survey has
 * answers, against its published version.  want_id: the survey it must
 * stay (NULL: any new id).  *out gets the parsed survey (the caller frees
 * it); SV_ERR_INVALID with err saying what to fix.
 */
static enum sv_err check_definition(struct server *srv, const char *want_id, const char *text,
				    int version, struct form_survey **out, char *err)
{
	char file[PARSE_MAX_ID + 24];
	long long answered = 0;

	*out = NULL;
	source_name(file, want_id ? want_id : "survey");
	if (!text || !*text) {
		snprintf(err, BUILDER_ERR, "Paste or write the survey's JSON");
		return SV_ERR_INVALID;
	}
	enum sv_err rc = form_survey_new(text, strlen(text), file, version, srv->catalog, out,
					 err, BUILDER_ERR);
	if (rc)
		return rc;
	struct form_survey *s = *out;
	if (want_id && strcmp(s->id, want_id) != 0) {
		snprintf(err, BUILDER_ERR, "%s: id: should stay \"%s\", this survey's short name "
			 "(start a new survey for another)", file, want_id);
		rc = SV_ERR_INVALID;
		goto out;
	}
	const struct form_survey *now = form_catalog_survey(srv->catalog, s->id, strlen(s->id));
	rc = store_survey_answered(srv->store, s->id, &answered);
	if (!rc && now && answered > 0) {
		size_t head = (size_t)snprintf(err, BUILDER_ERR, "%s: ", file);
		rc = form_survey_check_successor(now, s, err + head, BUILDER_ERR - head);
	}
out:
	if (rc) {
		form_survey_free(s);
		*out = NULL;
	}
	return rc;
}

/* Records a published survey's questions for the export (surveys table). */
static enum sv_err save_fields(struct server *srv, const struct form_survey *s)
{
	struct sbuf fields;

	sbuf_init(&fields, 64 * 1024);
	form_survey_fields(s, &fields);
	enum sv_err rc = fields.err ? fields.err :
		store_survey_put(srv->store, s->id, s->consultation->id, s->title, fields.buf);
	sbuf_free(&fields);
	return rc;
}

/* ---- the list ---- */

struct listing {
	struct render_builder_row rows[BUILDER_MAX_ROWS];
	char titles[BUILDER_MAX_ROWS][FORM_MAX_LABEL + 1];
	char ids[BUILDER_MAX_ROWS][PARSE_MAX_ID + 1];
	char consultations[BUILDER_MAX_ROWS][FORM_MAX_LABEL + 1];
	int n;
	const struct form_catalog *cat;
};

static struct render_builder_row *row_for(struct listing *l, const char *id)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].id, id) == 0)
			return &l->rows[i];
	if (l->n >= BUILDER_MAX_ROWS)
		return NULL;
	struct render_builder_row *r = &l->rows[l->n];
	snprintf(l->ids[l->n], sizeof l->ids[0], "%s", id);
	r->id = l->ids[l->n];
	r->consultation = l->consultations[l->n];
	l->n++;
	return r;
}

static void consultation_title(struct listing *l, struct render_builder_row *r, const char *id)
{
	const struct form_consultation *c = form_catalog_consultation((struct form_catalog *)l->cat, id);
	snprintf(l->consultations[r - l->rows], sizeof l->consultations[0], "%s", c ? c->title : id);
}

static void on_version(void *arg, const struct store_survey_version *v)
{
	struct listing *l = arg;
	struct render_builder_row *r = row_for(l, v->survey);

	if (!r)
		return;
	if (!v->published)
		r->draft = v->version;
	consultation_title(l, r, v->consultation);
}

static int list_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		     const struct form_body *posted, const struct staff_errors *e)
{
	struct server *srv = rc->srv;
	struct listing *l = calloc(1, sizeof *l);

	if (!l)
		return http_send_problem(rc, 503, "The page could not be made just now.");
	l->cat = srv->catalog;
	int n = srv->catalog->nsurveys;
	for (int i = 0; i < n; i++) {
		const struct form_survey *s = srv->catalog->surveys[i];
		struct render_builder_row *r = row_for(l, s->id);
		if (!r)
			break;
		snprintf(l->titles[r - l->rows], sizeof l->titles[0], "%s", s->title);
		r->title = l->titles[r - l->rows];
		r->published = s->version;
		consultation_title(l, r, s->consultation->id);
	}
	if (store_survey_version_each(srv->store, on_version, l)) {
		free(l);
		return http_send_problem(rc, 503, "The surveys could not be read just now.");
	}
	for (int i = 0; i < l->n; i++)
		store_survey_answered(srv->store, l->rows[i].id, &l->rows[i].responses);
	staff_page_start(&rc->page, sess, "Surveys", e);
	render_builder_list(&rc->page, l->rows, l->n, srv->catalog, sess->csrf, posted, e);
	render_staff_page_end(&rc->page);
	free(l);
	return http_send_page(rc, status);
}

/* A new survey's first draft: one optional text question. */
static char *starting_definition(const char *id, const char *consultation, const char *title)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *questions = doc ? cJSON_AddArrayToObject(doc, "questions") : NULL;
	cJSON *q = cJSON_CreateObject();
	char *text = NULL;

	if (!questions || !q || !cJSON_AddItemToArray(questions, q)) {
		cJSON_Delete(q);
		goto out;
	}
	cJSON_AddStringToObject(q, "id", "anything-else");
	cJSON_AddStringToObject(q, "type", "text");
	cJSON_AddStringToObject(q, "title", "Is there anything else you want to tell us?");
	cJSON_AddFalseToObject(q, "required");
	cJSON_AddStringToObject(doc, "id", id);
	cJSON_AddStringToObject(doc, "consultation", consultation);
	cJSON_AddStringToObject(doc, "title", title);
	cJSON_AddStringToObject(doc, "introduction", "Tell us what you think. It takes about five minutes.");
	cJSON_AddStringToObject(doc, "privacy", "We do not ask your name. Only the team reading the "
				"answers can open them.");
	cJSON_AddStringToObject(doc, "status", "open");
	/* Keys in the order a person reads them. */
	cJSON_DetachItemViaPointer(doc, questions);
	cJSON_AddItemToObject(doc, "questions", questions);
	text = cJSON_Print(doc);
out:
	cJSON_Delete(doc);
	return text;
}

/* Saves text as id's draft and sends the editor. */
static int saved_draft(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_survey *s, const char *text)
{
	int version = 0;
	char where[PARSE_MAX_ID + 40], detail[PARSE_MAX_ID + 32];

	if (store_survey_draft_save(rc->srv->store, s->id, s->consultation->id, text,
				    sess->user.name, &version))
		return http_send_problem(rc, 503, "The draft could not be saved just now.");
	snprintf(detail, sizeof detail, "%s version %d", s->id, version);
	store_audit(rc->srv->store, sess->user.name, "saved a survey draft", detail);
	snprintf(where, sizeof where, "/staff/surveys/%s?saved=draft", s->id);
	return http_send_redirect(rc, where);
}

/* Checks text as id's next definition and, if it passes, saves it as the
 * draft and sends the editor: 1 with *status set.  0 with err saying what
 * to fix (nothing sent). */
static int save_checked(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			const char *text, char *err, int *status)
{
	struct form_survey *s = NULL;

	if (!text) {
		*status = http_send_problem(rc, 503, "The survey could not be saved just now.");
		return 1;
	}
	if (check_definition(rc->srv, id, text, 0, &s, err))
		return 0;
	*status = saved_draft(rc, sess, s, text);
	form_survey_free(s);
	return 1;
}

static int start_survey(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	struct staff_errors errors = { 0 };
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "";
	char *text = NULL;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *form = form_body_get(&body, "form");
	if (form && strcmp(form, "paste") == 0) {
		const char *def = form_body_get(&body, "definition");
		if (check_definition(rc->srv, NULL, def, 0, &s, err) == SV_OK) {
			status = saved_draft(rc, sess, s, def);
			goto out;
		}
		staff_errors_add(&errors, "s-definition", err);
		status = list_page(rc, sess, 422, &body, &errors);
		goto out;
	}
	const char *title = form_body_get(&body, "title");
	const char *id = form_body_get(&body, "id");
	const char *cid = form_body_get(&body, "consultation");
	struct store_survey_version v = { 0 };
	if (!title || !*title || strlen(title) > FORM_MAX_LABEL)
		staff_errors_add(&errors, "s-title", "Give the survey a title of up to 300 characters");
	if (!id || !id_valid(id, strlen(id)))
		staff_errors_add(&errors, "s-id", "Give a short name of lower-case letters, digits and "
				 "dashes (up to 48)");
	else if (form_catalog_survey(rc->srv->catalog, id, strlen(id)) ||
		 store_survey_version_get(rc->srv->store, id, 0, &v) != SV_ERR_NOTFOUND) {
		free(v.definition);
		staff_errors_add(&errors, "s-id", "There is already a survey with that short name");
	}
	if (!cid || !form_catalog_consultation(rc->srv->catalog, cid))
		staff_errors_add(&errors, "s-consultation", "Choose the consultation it belongs to");
	if (!errors.n) {
		text = starting_definition(id, cid, title);
		if (!text || check_definition(rc->srv, id, text, 0, &s, err))
			staff_errors_add(&errors, "s-title", *err ? err : "The survey could not be started");
	}
	if (errors.n) {
		status = list_page(rc, sess, 422, &body, &errors);
		goto out;
	}
	status = saved_draft(rc, sess, s, text);
out:
	form_survey_free(s);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

/* ---- one survey ---- */

static const char *query_var(struct req_ctx *rc, const char *name, char *out, size_t cap)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);

	if (!ri->query_string || mg_get_var(ri->query_string, strlen(ri->query_string), name,
					    out, cap) <= 0)
		return NULL;
	return out;
}

static int edit_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
		     int status, const char *sent, const struct staff_errors *e)
{
	struct store_survey_version v;
	char saved[16];
	long long answered = 0;
	const struct form_survey *live = form_catalog_survey(rc->srv->catalog, id, strlen(id));

	enum sv_err err = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (err == SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 404, "There is no such survey", "Start it on the surveys "
				    "page, or paste its file there.", "/staff/surveys", "All surveys");
	if (err)
		return http_send_problem(rc, 503, "The survey could not be read just now.");
	store_survey_answered(rc->srv->store, id, &answered);
	struct render_builder_edit ed = {
		.id = id,
		.definition = sent ? sent : v.definition,
		.published = live ? live->version : 0,
		.draft = v.published ? 0 : v.version,
		.responses = answered,
		.saved = query_var(rc, "saved", saved, sizeof saved),
	};
	staff_page_start(&rc->page, sess, "Edit survey", e);
	render_builder_edit(&rc->page, &ed, sess->csrf, e);
	render_staff_page_end(&rc->page);
	free(v.definition);
	return http_send_page(rc, status);
}

static int save_survey(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct staff_errors errors = { 0 };
	char err[BUILDER_ERR] = "";
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *def = form_body_get(&body, "definition");
	if (!save_checked(rc, sess, id, def ? def : "", err, &status)) {
		staff_errors_add(&errors, "e-definition", err);
		status = edit_page(rc, sess, id, 422, def ? def : "", &errors);
	}
	form_body_free(&body);
	return status;
}

static int download(struct req_ctx *rc, const char *id)
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

static int preview(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct store_survey_version v;
	struct form_survey *s = NULL;
	char err[BUILDER_ERR], file[PARSE_MAX_ID + 24], action[PARSE_MAX_ID + 32], page[8];
	long long n = 1;

	enum sv_err e = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (e == SV_ERR_NOTFOUND)
		return http_send_problem(rc, 404, "There is no such survey.");
	if (e)
		return http_send_problem(rc, 503, "The survey could not be read just now.");
	source_name(file, id);
	e = form_survey_new(v.definition, strlen(v.definition), file, v.version, rc->srv->catalog,
			    &s, err, sizeof err);
	free(v.definition);
	if (e)
		return staff_refuse(rc, sess, 409, "This version cannot be shown", err,
				    "/staff/surveys", "All surveys");
	if (query_var(rc, "page", page, sizeof page) &&
	    parse_int(page, strlen(page), 1, FORM_MAX_PAGES + 1, &n) == SV_OK && n > s->npages)
		n = s->npages;
	snprintf(action, sizeof action, "/staff/surveys/%s/preview", id);
	struct render_form f = {
		.s = s,
		.lang = respond_query_lang(rc, s),
		.page = (int)n - 1,
		.token = NULL,        /* nothing that could store an answer */
		.notice = RENDER_BUILDER_PREVIEW_NOTICE,
		.action = action,
	};
	render_survey(&rc->page, &f);
	form_survey_free(s);
	return http_send_page(rc, 200);
}

struct moved {
	const char *id;
	char consultation[PARSE_MAX_ID + 17];
};

static void on_moved(void *arg, const char *id, const char *consultation)
{
	struct moved *m = arg;

	if (strcmp(id, m->id) == 0)
		snprintf(m->consultation, sizeof m->consultation, "%s", consultation);
}

/* A survey a commissioner attached to another consultation (consult.c)
 * stays there in its new version, as it does at every start. */
static enum sv_err keep_attached(struct server *srv, struct form_survey *s, char *err)
{
	struct moved m = { s->id, "" };

	enum sv_err rc = store_survey_moved_each(srv->store, on_moved, &m);
	const struct form_consultation *to = m.consultation[0] ?
		form_catalog_consultation(srv->catalog, m.consultation) : NULL;
	if (!rc && to && to != s->consultation)
		rc = form_survey_move(s, to, err, BUILDER_ERR);
	return rc;
}

/*
 * POST .../preview: the preview's buttons.  Nothing is read as an answer
 * and nothing is stored: Continue, Back and Change only move to another
 * page of the preview (no CSRF token needed, as nothing changes); Send
 * says that nothing was sent.
 */
static int preview_post(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body = { 0 };
	const char *why;
	char where[PARSE_MAX_ID + 64];
	long long page = 1, to = 0;

	if (http_read_body(rc, HTTP_MAX_BODY) || form_body_parse(rc->body, rc->body_len, &body, &why))
		return http_send_problem(rc, 400, "That did not work.");
	const char *action = form_body_get(&body, RENDER_FIELD_ACTION);
	const char *p = form_body_get(&body, RENDER_FIELD_PAGE);
	const char *lang = form_body_get(&body, RENDER_FIELD_LANG);
	if (p)
		parse_int(p, strlen(p), 1, FORM_MAX_PAGES + 1, &page);
	if (action && strcmp(action, "next") == 0)
		to = page + 1;
	else if (action && strcmp(action, "back") == 0)
		to = page - 1;
	else if (action && strncmp(action, "page-", 5) == 0)
		parse_int(action + 5, strlen(action + 5), 1, FORM_MAX_PAGES, &to);
	if (to < 1 || to > FORM_MAX_PAGES) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 200, "Nothing was sent", "This was a preview: answers are "
				    "never sent or saved from it.", "/staff/surveys", "All surveys");
	}
	/* A page past the last shows the last (the preview has no answers to check). */
	snprintf(where, sizeof where, "/staff/surveys/%s/preview?page=%lld%s%s", id, to,
		 lang && id_valid(lang, strlen(lang)) && strlen(lang) < 8 ? "&lang=" : "",
		 lang && id_valid(lang, strlen(lang)) && strlen(lang) < 8 ? lang : "");
	form_body_free(&body);
	return http_send_redirect(rc, where);
}

static int publish(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "", where[PARSE_MAX_ID + 40], detail[PARSE_MAX_ID + 32];
	long long want = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *ver = form_body_get(&body, "version");
	if (!ver || parse_int(ver, strlen(ver), 1, 1000000, &want)) {
		form_body_free(&body);
		return http_send_problem(rc, 400, "Publish with the button on the survey's page.");
	}
	form_body_free(&body);
	pthread_mutex_lock(&catalog_lock);
	enum sv_err e = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (!e && (v.published || v.version != want))
		e = SV_ERR_EXISTS; /* published meanwhile, or saved again since */
	if (!e)
		e = check_definition(rc->srv, id, v.definition, v.version, &s, err);
	if (!e)
		e = keep_attached(rc->srv, s, err);
	if (!e)
		e = store_survey_publish(rc->srv->store, id, v.version, sess->user.name);
	if (!e)
		e = save_fields(rc->srv, s);
	if (!e) {
		e = form_catalog_put(rc->srv->catalog, s, err, sizeof err);
		s = NULL; /* the catalogue's now, whatever the result */
	}
	pthread_mutex_unlock(&catalog_lock);
	free(v.definition);
	form_survey_free(s);
	if (e == SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 404, "There is no such survey", "Start it on the surveys "
				    "page first.", "/staff/surveys", "All surveys");
	if (e == SV_ERR_EXISTS)
		return staff_refuse(rc, sess, 409, "That version is not the draft any more", "It was "
				    "published or saved again meanwhile. Look at the survey's page again.",
				    "/staff/surveys", "All surveys");
	if (e == SV_ERR_INVALID || e == SV_ERR_TOOBIG)
		return staff_refuse(rc, sess, 409, "This draft cannot be published", err,
				    "/staff/surveys", "All surveys");
	if (e)
		return http_send_problem(rc, 503, "The survey could not be published just now.");
	snprintf(detail, sizeof detail, "%s version %lld", id, want);
	store_audit(rc->srv->store, sess->user.name, "published a survey", detail);
	snprintf(where, sizeof where, "/staff/surveys/%s?saved=published", id);
	return http_send_redirect(rc, where);
}

/*
 * The newest version, for a form that changes it: *v gets it (free
 * v->definition), provided the form was made from that same version (its
 * "version" field), so that nobody's save is silently overwritten.  0, or
 * the status of the problem sent.
 */
static int current_version(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   const struct form_body *body, struct store_survey_version *v)
{
	const char *ver = form_body_get(body, "version");
	long long want = 0;

	enum sv_err e = store_survey_version_get(rc->srv->store, id, 0, v);
	if (e)
		return e == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such survey.") :
			http_send_problem(rc, 503, "The survey could not be read just now.");
	if (!ver || parse_int(ver, strlen(ver), 1, 1000000, &want) || want != v->version) {
		free(v->definition);
		v->definition = NULL;
		return staff_refuse(rc, sess, 409, "The survey changed meanwhile", "Someone saved another "
				    "version since this page was opened. Open it again: what you wrote "
				    "is not saved.", "/staff/surveys", "All surveys");
	}
	return 0;
}

/* A POST that changes the survey: its body read (CSRF checked) and the
 * version it was made from, still the newest, in *v.  0, or the status
 * of the problem sent (body then freed). */
static int read_change(struct req_ctx *rc, const struct staff_session *sess, const char *id,
		       struct form_body *body, struct store_survey_version *v)
{
	int status = staff_read_post(rc, sess, body);

	if (!status && (status = current_version(rc, sess, id, body, v)) != 0)
		form_body_free(body);
	return status;
}

/* ---- languages side by side ---- */

#define BUILDER_MAX_TEXTS (3 + FORM_MAX_QUESTIONS * (3 + FORM_MAX_OPTIONS))

struct texts {
	struct render_builder_text items[BUILDER_MAX_TEXTS];
	int n;
};

static void add_text(struct texts *t, const char *text)
{
	if (!text || !*text || t->n >= BUILDER_MAX_TEXTS)
		return;
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->items[i].source, text) == 0)
			return;
	t->items[t->n++].source = text;
}

/* Every piece of a survey's own text, in reading order, each once. */
static void survey_texts(const struct form_survey *s, struct texts *t)
{
	add_text(t, s->title);
	add_text(t, s->introduction);
	add_text(t, s->privacy);
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		add_text(t, q->title);
		add_text(t, q->hint);
		add_text(t, q->error);
		for (int k = 0; k < q->noptions; k++)
			if (strcmp(q->options[k].id, FORM_PREFER_NOT) && strcmp(q->options[k].id, FORM_OTHER))
				add_text(t, q->options[k].label);
	}
}

/* The languages the service speaks other than the survey's own. */
static int other_langs(const struct form_catalog *cat, const struct form_survey *s,
		       struct render_builder_lang out[FORM_MAX_LANGS])
{
	int n = 0;

	for (int i = 0; i < cat->nui && n < FORM_MAX_LANGS; i++) {
		const struct form_ui_lang *ui = &cat->ui[i];
		if (strcmp(ui->code, s->langs[0].code) == 0)
			continue;
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(ui->doc, "name");
		out[n].code = ui->code;
		out[n].name = cJSON_IsString(name) ? name->valuestring : ui->code;
		out[n].rtl = form_lang_rtl(ui->code);
		n++;
	}
	return n;
}

/* The newest version, parsed; NULL after sending a problem. */
static struct form_survey *newest_survey(struct req_ctx *rc, const struct staff_session *sess,
					 const char *id, struct store_survey_version *v, int *status)
{
	struct form_survey *s = NULL;
	char err[BUILDER_ERR], file[PARSE_MAX_ID + 24];

	enum sv_err e = store_survey_version_get(rc->srv->store, id, 0, v);
	if (e) {
		*status = e == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such survey.") :
			http_send_problem(rc, 503, "The survey could not be read just now.");
		return NULL;
	}
	source_name(file, id);
	if (form_survey_new(v->definition, strlen(v->definition), file, v->version, rc->srv->catalog,
			    &s, err, sizeof err)) {
		*status = staff_refuse(rc, sess, 409, "This version cannot be shown", err,
				       "/staff/surveys", "All surveys");
		free(v->definition);
		v->definition = NULL;
		return NULL;
	}
	return s;
}

static int languages_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			  int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;
	struct render_builder_lang langs[FORM_MAX_LANGS];
	struct texts *t = calloc(1, sizeof *t);
	int sent = 0;

	if (!t)
		return http_send_problem(rc, 503, "The page could not be made just now.");
	struct form_survey *s = newest_survey(rc, sess, id, &v, &sent);
	if (!s) {
		free(t);
		return sent;
	}
	int nlangs = other_langs(rc->srv->catalog, s, langs);
	survey_texts(s, t);
	for (int i = 0; i < t->n; i++)
		for (int k = 0; k < nlangs; k++) {
			char field[32];
			snprintf(field, sizeof field, "t-%d-%d", k, i);
			int lang = form_lang_index(s, langs[k].code, strlen(langs[k].code));
			const char *tr = lang ? form_tr(s, lang, t->items[i].source) : NULL;
			/* form_tr falls back to the service's words or the text itself. */
			const cJSON *own = lang ? cJSON_GetObjectItemCaseSensitive(s->langs[lang].text,
										  t->items[i].source) : NULL;
			t->items[i].values[k] = posted ? staff_posted_or(posted, field, "") :
				cJSON_IsString(own) ? tr : "";
		}
	staff_page_start(&rc->page, sess, "Languages", e);
	render_builder_languages(&rc->page, id, v.version, langs, nlangs, t->items, t->n, sess->csrf, e);
	render_staff_page_end(&rc->page);
	form_survey_free(s);
	free(v.definition);
	free(t);
	return http_send_page(rc, status);
}

/* The definition with its "translations" made from the posted boxes;
 * malloc'd JSON text, or NULL. */
static char *with_translations(const char *definition, const struct render_builder_lang *langs,
			       int nlangs, const struct texts *t, const struct form_body *body)
{
	cJSON *doc = cJSON_Parse(definition);
	cJSON *all = cJSON_CreateObject();
	char *text = NULL;

	if (!doc || !all)
		goto out;
	for (int k = 0; k < nlangs; k++) {
		cJSON *one = cJSON_CreateObject();
		if (!one)
			goto out;
		for (int i = 0; i < t->n; i++) {
			char field[32];
			snprintf(field, sizeof field, "t-%d-%d", k, i);
			const char *v = form_body_get(body, field);
			if (v && *v)
				cJSON_AddStringToObject(one, t->items[i].source, v);
		}
		if (one->child)
			cJSON_AddItemToObject(all, langs[k].code, one);
		else
			cJSON_Delete(one);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "translations");
	if (all->child) {
		cJSON_AddItemToObject(doc, "translations", all);
		all = NULL;
	}
	text = cJSON_Print(doc);
out:
	cJSON_Delete(all);
	cJSON_Delete(doc);
	return text;
}

static int save_languages(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct render_builder_lang langs[FORM_MAX_LANGS];
	struct staff_errors errors = { 0 };
	struct form_survey *s = NULL;
	char err[BUILDER_ERR] = "", file[PARSE_MAX_ID + 24];
	char *text = NULL;
	struct texts *t = NULL;
	int status = read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	source_name(file, id);
	t = calloc(1, sizeof *t);
	if (!t || form_survey_new(v.definition, strlen(v.definition), file, v.version,
				  rc->srv->catalog, &s, err, sizeof err)) {
		status = t ? staff_refuse(rc, sess, 409, "This version cannot be shown", err,
					  "/staff/surveys", "All surveys") :
			http_send_problem(rc, 503, "The page could not be made just now.");
		goto out;
	}
	int nlangs = other_langs(rc->srv->catalog, s, langs);
	survey_texts(s, t);
	text = with_translations(v.definition, langs, nlangs, t, &body);
	if (!save_checked(rc, sess, id, text, err, &status)) {
		staff_errors_add(&errors, "t-0-0", err);
		status = languages_page(rc, sess, id, 422, &body, &errors);
	}
out:
	form_survey_free(s);
	free(v.definition);
	cJSON_free(text);
	free(t);
	form_body_free(&body);
	return status;
}

/* ---- the details form ---- */

static const char *const detail_keys[] = { "title", "introduction", "privacy", "opens", "closes",
					   "status" };
#define NDETAILS ((int)(sizeof detail_keys / sizeof *detail_keys))

/* The field a checking message is about: "lunch.json: closes: is before
 * opens" is d-closes; anything else, the title. */
static const char *detail_field(const char *err)
{
	static const char *const fields[] = { "d-title", "d-introduction", "d-privacy", "d-opens",
					      "d-closes", "d-status-open" };
	const char *path = strstr(err, ".json: ");

	path = path ? path + 7 : "";
	for (int i = 0; i < NDETAILS; i++) {
		size_t n = strlen(detail_keys[i]);
		if (strncmp(path, detail_keys[i], n) == 0 && path[n] == ':')
			return fields[i];
	}
	return fields[0];
}

static const char *doc_string(const cJSON *doc, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, key));
	return v ? v : "";
}

static int details_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;

	enum sv_err err = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (err)
		return err == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such survey.") :
			http_send_problem(rc, 503, "The survey could not be read just now.");
	cJSON *doc = cJSON_Parse(v.definition);
	const char *value[NDETAILS];
	for (int i = 0; i < NDETAILS; i++)
		value[i] = posted ? staff_posted_or(posted, detail_keys[i], "") : doc_string(doc, detail_keys[i]);
	struct render_builder_details d = {
		.id = id, .version = v.version, .title = value[0], .introduction = value[1],
		.privacy = value[2], .opens = value[3], .closes = value[4], .status = value[5],
	};
	staff_page_start(&rc->page, sess, "Survey details", e);
	render_builder_details(&rc->page, &d, sess->csrf, e);
	render_staff_page_end(&rc->page);
	cJSON_Delete(doc);
	free(v.definition);
	return http_send_page(rc, status);
}

/* Sets doc's key to value ("" removes an optional day), moving the
 * translations of the old text to the new one. */
static int set_detail(cJSON *doc, const char *key, const char *value)
{
	cJSON *tr = cJSON_GetObjectItemCaseSensitive(doc, "translations");
	char *old = strdup(doc_string(doc, key));
	cJSON *lang;

	if (!old)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
	if (*value && !cJSON_AddStringToObject(doc, key, value)) {
		free(old);
		return -1;
	}
	cJSON_ArrayForEach(lang, tr) {
		cJSON *item = cJSON_GetObjectItemCaseSensitive(lang, old);
		if (!item || !*old || strcmp(old, value) == 0 || !*value ||
		    cJSON_GetObjectItemCaseSensitive(lang, value))
			continue;
		cJSON_DetachItemViaPointer(lang, item);
		cJSON_AddItemToObject(lang, value, item);
	}
	free(old);
	return 0;
}

static int save_details(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct staff_errors errors = { 0 };
	char err[BUILDER_ERR] = "";
	char *text = NULL;
	cJSON *doc = NULL;
	int status = read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	doc = cJSON_Parse(v.definition);
	for (int i = 0; doc && i < NDETAILS; i++) {
		const char *value = form_body_get(&body, detail_keys[i]);
		if (set_detail(doc, detail_keys[i], value ? value : "")) {
			cJSON_Delete(doc);
			doc = NULL;
		}
	}
	text = doc ? cJSON_Print(doc) : NULL;
	if (!save_checked(rc, sess, id, text, err, &status)) {
		staff_errors_add(&errors, detail_field(err), err);
		status = details_page(rc, sess, id, 422, &body, &errors);
	}
	free(v.definition);
	cJSON_Delete(doc);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

/* ---- adding a question without JSON ---- */

static int question_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			 int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;
	int sent = 0;
	struct form_survey *s = newest_survey(rc, sess, id, &v, &sent);

	if (!s)
		return sent;
	staff_page_start(&rc->page, sess, "Add a question", e);
	render_builder_question(&rc->page, s, v.version, s->consultation->taxonomy, sess->csrf,
				posted, e);
	render_staff_page_end(&rc->page);
	form_survey_free(s);
	free(v.definition);
	return http_send_page(rc, status);
}

/* An option id from its label: "A youth club!" is "a-youth-club". */
static void option_id(const char *label, size_t n, int index, char out[PARSE_MAX_ID + 1])
{
	size_t len = 0;

	for (size_t i = 0; i < n && len < PARSE_MAX_ID - 4; i++) {
		char c = label[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[len++] = c;
		else if (len && out[len - 1] != '-')
			out[len++] = '-';
	}
	while (len && out[len - 1] == '-')
		len--;
	out[len] = '\0';
	if (!len || strcmp(out, FORM_PREFER_NOT) == 0 || strcmp(out, FORM_OTHER) == 0)
		snprintf(out, PARSE_MAX_ID + 1, "option-%d", index + 1);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* "Label | theme, theme" lines as the definition's options; NULL if none. */
static cJSON *options_from_lines(const char *text)
{
	cJSON *list = cJSON_CreateArray();
	int k = 0;

	for (const char *line = text; list && line && *line; k++) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *bar = memchr(line, '|', n);
		const char *label = line;
		size_t ln = bar ? (size_t)(bar - line) : n;
		trim(&label, &ln);
		if (ln) {
			char oid[PARSE_MAX_ID + 16], lab[FORM_MAX_LABEL + 1];
			option_id(label, ln, k, oid);
			for (const cJSON *o = list->child; o; o = o->next)
				if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "id")), oid) == 0)
					snprintf(oid + strlen(oid), sizeof oid - strlen(oid), "-%d",
						 (k + 1) % 1000); /* two alike */
			snprintf(lab, sizeof lab, "%.*s", (int)ln, label);
			cJSON *o = cJSON_CreateObject();
			cJSON_AddItemToArray(list, o);
			cJSON_AddStringToObject(o, "id", oid);
			cJSON_AddStringToObject(o, "label", lab);
			cJSON *themes = bar ? cJSON_AddArrayToObject(o, "themes") : NULL;
			for (const char *th = bar ? bar + 1 : NULL; themes && th && th < line + n;) {
				const char *comma = memchr(th, ',', (size_t)(line + n - th));
				size_t tn = (size_t)((comma ? comma : line + n) - th);
				const char *name = th;
				trim(&name, &tn);
				char tid[PARSE_MAX_ID + 2];
				snprintf(tid, sizeof tid, "%.*s", (int)(tn > PARSE_MAX_ID + 1 ? PARSE_MAX_ID + 1 : tn), name);
				if (tn)
					cJSON_AddItemToArray(themes, cJSON_CreateString(tid));
				th = comma ? comma + 1 : NULL;
			}
		}
		line = end ? end + 1 : NULL;
	}
	if (list && !list->child) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

/* The question the form describes, as the definition writes one. */
static cJSON *question_from_form(const struct form_body *body)
{
	const char *hint = form_body_get(body, "hint");
	const char *options = form_body_get(body, "options");
	const char *cond = form_body_get(body, "show_if");
	cJSON *q = cJSON_CreateObject();

	if (!q)
		return NULL;
	cJSON_AddStringToObject(q, "id", staff_posted_or(body, "id", ""));
	cJSON_AddStringToObject(q, "type", staff_posted_or(body, "type", ""));
	cJSON_AddStringToObject(q, "title", staff_posted_or(body, "title", ""));
	if (hint && *hint)
		cJSON_AddStringToObject(q, "hint", hint);
	if (!staff_posted_has(body, "required", "yes"))
		cJSON_AddFalseToObject(q, "required");
	cJSON *list = options ? options_from_lines(options) : NULL;
	if (list)
		cJSON_AddItemToObject(q, "options", list);
	const char *eq = cond ? strchr(cond, '=') : NULL;
	if (eq) {
		char qid[PARSE_MAX_ID + 1];
		snprintf(qid, sizeof qid, "%.*s", (int)((size_t)(eq - cond) > PARSE_MAX_ID ? PARSE_MAX_ID :
							 (size_t)(eq - cond)), cond);
		cJSON *c = cJSON_AddObjectToObject(q, "show_if");
		cJSON_AddStringToObject(c, "question", qid);
		cJSON_AddStringToObject(c, "answer", eq + 1);
	}
	return q;
}

/* Puts q at the end of page (1-based; 0 for a new page at the end). */
static int add_to_page(cJSON *doc, cJSON *q, long long page)
{
	cJSON *single = cJSON_GetObjectItemCaseSensitive(doc, "questions");
	cJSON *pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");

	if (single && (page == 1 || page == -1))
		return cJSON_AddItemToArray(single, q) ? 0 : -1;
	if (single) {
		/* One page becomes two: "questions" moves into "pages". */
		cJSON_DetachItemViaPointer(doc, single);
		pages = cJSON_AddArrayToObject(doc, "pages");
		cJSON *first = cJSON_CreateObject();
		if (!pages || !first || !cJSON_AddItemToArray(pages, first)) {
			cJSON_Delete(single);
			cJSON_Delete(first);
			return -1;
		}
		cJSON_AddItemToObject(first, "questions", single);
	}
	if (!cJSON_IsArray(pages))
		return -1;
	cJSON *target = page > 0 ? cJSON_GetArrayItem(pages, (int)page - 1) : NULL;
	if (!target) {
		target = cJSON_CreateObject();
		if (!target || !cJSON_AddItemToArray(pages, target) || !cJSON_AddArrayToObject(target, "questions"))
			return -1;
	}
	return cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(target, "questions"), q) ? 0 : -1;
}

/* The field a message about the new question is about. */
static const char *question_field(const char *err)
{
	if (strstr(err, ".type:"))
		return "q-type-single";
	if (strstr(err, ".title:"))
		return "q-title";
	if (strstr(err, ".show_if"))
		return "q-show-if";
	if (strstr(err, ".options") || strstr(err, "option"))
		return "q-options";
	return "q-id";
}

static int add_question(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct staff_errors errors = { 0 };
	char err[BUILDER_ERR] = "";
	long long page = 0;
	char *text = NULL;
	cJSON *doc = NULL;
	int status = read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	const char *pg = staff_posted_or(&body, "page", "new");
	if (strcmp(pg, "new") != 0 && parse_int(pg, strlen(pg), 1, FORM_MAX_PAGES, &page))
		page = 0;
	const char *qid = form_body_get(&body, "id");
	const char *title = form_body_get(&body, "title");
	if (!title || !*title)
		staff_errors_add(&errors, "q-title", "Write the question");
	if (!qid || !id_valid(qid, strlen(qid)))
		staff_errors_add(&errors, "q-id", "Give a short name of lower-case letters, digits and "
				 "dashes (up to 48)");
	if (!errors.n) {
		doc = cJSON_Parse(v.definition);
		cJSON *q = question_from_form(&body);
		if (!doc || !q || add_to_page(doc, q, page)) {
			cJSON_Delete(q); /* not attached: add_to_page refused it */
			status = http_send_problem(rc, 503, "The question could not be added just now.");
			goto out;
		}
		text = cJSON_Print(doc);
		if (!save_checked(rc, sess, id, text, err, &status))
			staff_errors_add(&errors, question_field(err), err);
	}
	if (errors.n)
		status = question_page(rc, sess, id, 422, &body, &errors);
out:
	free(v.definition);
	cJSON_Delete(doc);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

int builder_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	char id[PARSE_MAX_ID + 1];

	if (rest[0] == '\0' || strcmp(rest, "/") == 0) {
		if (post)
			return start_survey(rc, sess);
		return get ? list_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	/* "/ID", "/ID.json", "/ID/preview", "/ID/publish" */
	const char *p = rest + 1;
	size_t n = strcspn(p, "/.");
	const char *tail = p + n;
	if (n == 0 || n > PARSE_MAX_ID || !id_valid(p, n))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	memcpy(id, p, n);
	id[n] = '\0';
	if (*tail == '\0') {
		if (post)
			return save_survey(rc, sess, id);
		return get ? edit_page(rc, sess, id, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (strcmp(tail, ".json") == 0)
		return get ? download(rc, id) :
			http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	if (strcmp(tail, "/preview") == 0) {
		if (post)
			return preview_post(rc, sess, id);
		return get ? preview(rc, sess, id) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (strcmp(tail, "/questions") == 0) {
		if (post)
			return add_question(rc, sess, id);
		return get ? question_page(rc, sess, id, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (strcmp(tail, "/details") == 0) {
		if (post)
			return save_details(rc, sess, id);
		return get ? details_page(rc, sess, id, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (strcmp(tail, "/languages") == 0) {
		if (post)
			return save_languages(rc, sess, id);
		return get ? languages_page(rc, sess, id, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (strcmp(tail, "/publish") == 0)
		return post ? publish(rc, sess, id) :
			http_send_not_allowed(rc, "POST", "This page cannot be used that way.");
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}

/* ---- at start: files and the database ---- */

/* A survey from the database replaces the file's in the catalogue. */
static int use_stored(struct server *srv, const struct store_survey_version *v)
{
	struct form_survey *s = NULL;
	char err[BUILDER_ERR], file[PARSE_MAX_ID + 24];

	source_name(file, v->survey);
	if (form_survey_new(v->definition, strlen(v->definition), file, v->version, srv->catalog,
			    &s, err, sizeof err)) {
		fprintf(stderr, "survey-server: survey %s version %d from the staff pages cannot be "
			"offered: %s\n", v->survey, v->version, err);
		return 0; /* not offered; the rest of the service starts */
	}
	if (form_catalog_put(srv->catalog, s, err, sizeof err)) {
		fprintf(stderr, "survey-server: survey %s cannot be offered: %s\n", v->survey, err);
		return 0;
	}
	return 0;
}

/* A survey from forms/surveys/: stored, or stored as its next version. */
static int sync_file(struct server *srv, struct form_survey *s)
{
	struct store_survey_version v;
	char *text = NULL, err[BUILDER_ERR];
	size_t len = 0;
	long long answered = 0;
	int version = 0, status = -1;

	if (files_read_all(s->file, JSON_MAX_FILE, &text, &len)) {
		fprintf(stderr, "survey-server: %s: cannot read it again\n", s->file);
		return -1;
	}
	enum sv_err e = store_survey_version_get(srv->store, s->id, 1, &v);
	if (e == SV_ERR_NOTFOUND) {
		if (store_survey_version_add(srv->store, s->id, s->consultation->id, "file", text,
					     "forms/", &version))
			goto out;
		s->version = version;
		status = 0;
		goto out;
	}
	if (e)
		goto out;
	if (strcmp(v.source, "file") != 0) {
		status = use_stored(srv, &v); /* edited in the staff pages: the database wins */
		goto done;
	}
	if (strcmp(v.definition, text) == 0) {
		s->version = v.version;
		status = 0;
		goto done;
	}
	/* The file changed since it was stored: its next version. */
	if (store_survey_answered(srv->store, s->id, &answered))
		goto done;
	if (answered > 0) {
		struct form_survey *prev = NULL;
		char file[PARSE_MAX_ID + 24];
		source_name(file, s->id);
		if (!form_survey_new(v.definition, strlen(v.definition), file, v.version,
				     srv->catalog, &prev, err, sizeof err) &&
		    form_survey_check_successor(prev, s, err, sizeof err)) {
			fprintf(stderr, "survey-server: %s: %s\n", s->file, err);
			form_survey_free(prev);
			goto done;
		}
		form_survey_free(prev);
	}
	if (!store_survey_version_add(srv->store, s->id, s->consultation->id, "file", text,
				      "forms/", &version)) {
		s->version = version;
		status = 0;
	}
done:
	free(v.definition);
out:
	free(text);
	return status;
}

struct stored_ids {
	char (*ids)[sizeof ((struct store_survey_version *)0)->survey];
	int n;
};

static void on_stored(void *arg, const struct store_survey_version *v)
{
	struct stored_ids *l = arg;

	if (l->n < FORM_MAX_SURVEYS * 2)
		snprintf(l->ids[l->n++], sizeof *l->ids, "%s", v->survey);
}

int builder_sync(struct server *srv)
{
	struct stored_ids l = { calloc(FORM_MAX_SURVEYS * 2, sizeof *l.ids), 0 };
	int status = -1;

	if (!l.ids)
		return -1;
	pthread_mutex_lock(&catalog_lock);
	int files = srv->catalog->nsurveys;
	for (int i = 0; i < files; i++)
		if (sync_file(srv, srv->catalog->surveys[i]))
			goto out;
	/* Surveys made in the staff pages, with a published version. */
	if (store_survey_version_each(srv->store, on_stored, &l))
		goto out;
	for (int i = 0; i < l.n; i++) {
		struct store_survey_version v;
		if (form_catalog_survey(srv->catalog, l.ids[i], strlen(l.ids[i])))
			continue;
		enum sv_err e = store_survey_version_get(srv->store, l.ids[i], 1, &v);
		if (e == SV_ERR_NOTFOUND)
			continue; /* only a draft so far */
		if (e)
			goto out;
		use_stored(srv, &v);
		free(v.definition);
	}
	status = 0;
out:
	pthread_mutex_unlock(&catalog_lock);
	free(l.ids);
	if (status)
		fprintf(stderr, "survey-server: cannot store the surveys' versions\n");
	return status;
}
