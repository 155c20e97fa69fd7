/*
 * builder.c - surveys built in the browser, for commissioners: written as
 * the same JSON definition as a forms/surveys/ file, saved as a draft,
 * previewed, and published to respondents without a restart.
 *
 *   GET  /staff/surveys               every survey with its version and state
 *   POST /staff/surveys               form=start: a new draft from a title,
 *                                     short name and consultation;
 *                                     form=paste: a whole definition, as a draft;
 *                                     multipart/form-data: an uploaded file, the
 *                                     same (builder_io.c)
 *   GET  /staff/surveys/ID            the editor: its questions with their
 *                                     buttons, and the definition in a box
 *   POST /staff/surveys/ID            definition=TEXT: saved as the draft once
 *                                     it checks (error summary otherwise)
 *   GET  /staff/surveys/ID.json       the newest version, as its file
 *   GET  /staff/surveys/ID/preview    the draft (else the published version)
 *                                     rendered as respondents see it; ?page=N
 *   POST /staff/surveys/ID/preview    stores nothing: its buttons move between
 *                                     pages; Send says nothing was sent
 *   GET  /staff/surveys/ID/questions  a form adding one question (no JSON);
 *                                     ?page=new: on a new page
 *   POST /staff/surveys/ID/questions  ... added to the draft
 *   .../ID/questions/QID[/...]        one question changed by forms: edit,
 *                                     move, hide, show, its options
 *                                     (builder_edit.c)
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

#include "builder_int.h"

#define BUILDER_MAX_ROWS (2 * FORM_MAX_SURVEYS) /* surveys listed: live ones and drafts */

void builder_source_name(char out[PARSE_MAX_ID + 24], const char *id)
{
	snprintf(out, PARSE_MAX_ID + 24, "%s.json", id);
}

enum sv_err builder_check(struct server *srv, const char *want_id, const char *text,
				    int version, struct form_survey **out, char *err)
{
	char file[PARSE_MAX_ID + 24];
	long long answered = 0;

	*out = NULL;
	builder_source_name(file, want_id ? want_id : "survey");
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

int builder_list_page(struct req_ctx *rc, const struct staff_session *sess, int status,
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

int builder_saved_draft(struct req_ctx *rc, const struct staff_session *sess,
			const struct form_survey *s, const char *text, const char *where)
{
	int version = 0;
	char editor[PARSE_MAX_ID + 40], detail[PARSE_MAX_ID + 32];

	if (store_survey_draft_save(rc->srv->store, s->id, s->consultation->id, text,
				    sess->user.name, &version))
		return http_send_problem(rc, 503, "The draft could not be saved just now.");
	snprintf(detail, sizeof detail, "%s version %d", s->id, version);
	store_audit(rc->srv->store, sess->user.name, "saved a survey draft", detail);
	snprintf(editor, sizeof editor, "/staff/surveys/%s?saved=draft", s->id);
	return http_send_redirect(rc, where ? where : editor);
}

int builder_save_checked(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			 const char *text, const char *where, char *err, int *status)
{
	struct form_survey *s = NULL;

	if (!text) {
		*status = http_send_problem(rc, 503, "The survey could not be saved just now.");
		return 1;
	}
	if (builder_check(rc->srv, id, text, 0, &s, err))
		return 0;
	*status = builder_saved_draft(rc, sess, s, text, where);
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
		status = builder_paste(rc, sess, &body);
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
		if (!text || builder_check(rc->srv, id, text, 0, &s, err))
			staff_errors_add(&errors, "s-title", *err ? err : "The survey could not be started");
	}
	if (errors.n) {
		status = builder_list_page(rc, sess, 422, &body, &errors);
		goto out;
	}
	status = builder_saved_draft(rc, sess, s, text, NULL);
out:
	form_survey_free(s);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

/* ---- one survey ---- */

const char *builder_query_var(struct req_ctx *rc, const char *name, char *out, size_t cap)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);

	if (!ri->query_string || mg_get_var(ri->query_string, strlen(ri->query_string), name,
					    out, cap) <= 0)
		return NULL;
	return out;
}

int builder_edit_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
		      int status, const char *sent, const struct staff_errors *e)
{
	struct store_survey_version v;
	struct form_survey *s = NULL;
	char saved[16], err[BUILDER_ERR], file[PARSE_MAX_ID + 24];
	long long answered = 0;
	const struct form_survey *live = form_catalog_survey(rc->srv->catalog, id, strlen(id));

	enum sv_err rc_ = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (rc_ == SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 404, "There is no such survey", "Start it on the surveys "
				    "page, or paste its file there.", "/staff/surveys", "All surveys");
	if (rc_)
		return http_send_problem(rc, 503, "The survey could not be read just now.");
	store_survey_answered(rc->srv->store, id, &answered);
	/* Its questions, listed with their buttons; a version that no longer
	 * checks (say, a theme taken out of the consultation) shows only the box. */
	builder_source_name(file, id);
	if (form_survey_new(v.definition, strlen(v.definition), file, v.version, rc->srv->catalog,
			    &s, err, sizeof err))
		s = NULL;
	struct render_builder_edit ed = {
		.id = id,
		.definition = sent ? sent : v.definition,
		.published = live ? live->version : 0,
		.draft = v.published ? 0 : v.version,
		.version = v.version,
		.survey = s,
		.responses = answered,
		.saved = builder_query_var(rc, "saved", saved, sizeof saved),
	};
	staff_page_start(&rc->page, sess, "Edit survey", e);
	render_builder_edit(&rc->page, &ed, sess->csrf, e);
	render_staff_page_end(&rc->page);
	form_survey_free(s);
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
	if (!builder_save_checked(rc, sess, id, def ? def : "", NULL, err, &status)) {
		staff_errors_add(&errors, "e-definition", err);
		status = builder_edit_page(rc, sess, id, 422, def ? def : "", &errors);
	}
	form_body_free(&body);
	return status;
}

static int preview(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct store_survey_version v;
	struct form_survey *s = NULL;
	char err[BUILDER_ERR], file[PARSE_MAX_ID + 24], action[PARSE_MAX_ID + 32], page[8];
	char langs[PARSE_MAX_ID + 40];
	long long n = 1;

	enum sv_err e = store_survey_version_get(rc->srv->store, id, 0, &v);
	if (e == SV_ERR_NOTFOUND)
		return http_send_problem(rc, 404, "There is no such survey.");
	if (e)
		return http_send_problem(rc, 503, "The survey could not be read just now.");
	builder_source_name(file, id);
	e = form_survey_new(v.definition, strlen(v.definition), file, v.version, rc->srv->catalog,
			    &s, err, sizeof err);
	free(v.definition);
	if (e)
		return staff_refuse(rc, sess, 409, "This version cannot be shown", err,
				    "/staff/surveys", "All surveys");
	if (builder_query_var(rc, "page", page, sizeof page) &&
	    parse_int(page, strlen(page), 1, FORM_MAX_PAGES + 1, &n) == SV_OK && n > s->npages)
		n = s->npages;
	snprintf(action, sizeof action, "/staff/surveys/%s/preview", id);
	snprintf(langs, sizeof langs, "%s?lang=", action);
	struct render_form f = {
		.s = s,
		.lang = respond_query_lang(rc, s),
		.page = (int)n - 1,
		.token = NULL,        /* nothing that could store an answer */
		.notice = RENDER_BUILDER_PREVIEW_NOTICE,
		.action = action,
		.lang_href = langs,  /* the preview's languages stay in the preview */
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
		e = builder_check(rc->srv, id, v.definition, v.version, &s, err);
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
int builder_read_change(struct req_ctx *rc, const struct staff_session *sess, const char *id,
		       struct form_body *body, struct store_survey_version *v)
{
	int status = staff_read_post(rc, sess, body);

	if (!status && (status = current_version(rc, sess, id, body, v)) != 0)
		form_body_free(body);
	return status;
}

/* ---- languages side by side ---- */

struct form_survey *builder_newest(struct req_ctx *rc, const struct staff_session *sess,
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
	builder_source_name(file, id);
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

const char *builder_str(const cJSON *obj, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
	return v ? v : "";
}

/* 1 if node, or anything in it but skip, is the string text. */
static int says(const cJSON *node, const char *text, const cJSON *skip)
{
	const cJSON *c;

	if (node == skip)
		return 0;
	if (cJSON_IsString(node))
		return strcmp(node->valuestring, text) == 0;
	cJSON_ArrayForEach(c, node)
		if (says(c, text, skip))
			return 1;
	return 0;
}

/*
 * Translations are keyed by the words they translate, and a key the survey
 * no longer says stops the parser (a stale translation is never shown): so
 * the translation is copied to the new words, and the old key dropped once
 * nothing says it (two options may share a label).
 */
int builder_retext(cJSON *doc, const char *old, const char *new)
{
	cJSON *tr = cJSON_GetObjectItemCaseSensitive(doc, "translations");
	cJSON *lang;

	if (!*old || strcmp(old, new) == 0)
		return 0;
	int kept = says(doc, old, tr);
	cJSON_ArrayForEach(lang, tr) {
		cJSON *item = cJSON_GetObjectItemCaseSensitive(lang, old);
		if (!item)
			continue;
		if (*new && !cJSON_GetObjectItemCaseSensitive(lang, new)) {
			cJSON *copy = cJSON_Duplicate(item, 1);
			if (!copy || !cJSON_AddItemToObject(lang, new, copy)) {
				cJSON_Delete(copy);
				return -1;
			}
		}
		if (!kept)
			cJSON_DeleteItemFromObjectCaseSensitive(lang, old);
	}
	return 0;
}

/* 405 for an address that takes only allow. */
static int not_allowed(struct req_ctx *rc, const char *allow)
{
	return http_send_not_allowed(rc, allow, "This page cannot be used that way.");
}

int builder_segment(const char *path, const char *ends, char id[PARSE_MAX_ID + 1],
		    const char **rest)
{
	size_t n = path[0] == '/' ? strcspn(path + 1, ends) : 0;

	if (n == 0 || n > PARSE_MAX_ID || !id_valid(path + 1, n))
		return 0;
	memcpy(id, path + 1, n);
	id[n] = '\0';
	*rest = path + 1 + n;
	return 1;
}

int builder_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	char id[PARSE_MAX_ID + 1];
	const char *tail, *sub;

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (post && http_content_type_is(rc, "multipart/form-data"))
			return builder_upload(rc, sess);
		if (post)
			return start_survey(rc, sess);
		return get ? builder_list_page(rc, sess, 200, NULL, NULL) : not_allowed(rc, "GET, HEAD, POST");
	}
	if (!builder_segment(rest, "/.", id, &tail))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	if (http_path_is(tail, "")) {
		if (post)
			return save_survey(rc, sess, id);
		return get ? builder_edit_page(rc, sess, id, 200, NULL, NULL) : not_allowed(rc, "GET, HEAD, POST");
	}
	if (http_path_is(tail, ".json"))
		return get ? builder_download(rc, id) : not_allowed(rc, "GET, HEAD");
	if (http_path_is(tail, "/preview")) {
		if (post)
			return preview_post(rc, sess, id);
		return get ? preview(rc, sess, id) : not_allowed(rc, "GET, HEAD, POST");
	}
	if (http_path_is(tail, "/questions")) {
		if (post)
			return builder_add_question(rc, sess, id);
		return get ? builder_question_page(rc, sess, id, 200, NULL, NULL) :
			not_allowed(rc, "GET, HEAD, POST");
	}
	if (http_path_under(tail, "/questions", &sub))
		return builder_question_route(rc, sess, id, sub);
	if (http_path_is(tail, "/details")) {
		if (post)
			return builder_save_details(rc, sess, id);
		return get ? builder_details_page(rc, sess, id, 200, NULL, NULL) :
			not_allowed(rc, "GET, HEAD, POST");
	}
	if (http_path_is(tail, "/languages")) {
		if (post)
			return builder_save_languages(rc, sess, id);
		return get ? builder_languages_page(rc, sess, id, 200, NULL, NULL) :
			not_allowed(rc, "GET, HEAD, POST");
	}
	if (http_path_is(tail, "/publish"))
		return post ? publish(rc, sess, id) : not_allowed(rc, "POST");
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}
