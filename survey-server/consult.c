/*
 * consult.c - consultations in the staff pages, for commissioners: start
 * one, put it in draft, open or closed, and refine its theme list.
 *
 *   GET  /staff/consultations              each consultation and its surveys
 *   POST /staff/consultations              start one (draft, default themes)
 *   POST /staff/consultations/ID           status=draft|open|closed
 *   GET  /staff/consultations/ID/themes    its themes under the priorities
 *   POST /staff/consultations/ID/themes    rename or re-map a theme, or add one
 *   POST /staff/consultations/ID/surveys   attach one of its surveys to another
 *   GET  /staff/consultations/ID/results   its results so far (results.c)
 *   GET|POST /staff/consultations/ID/help  its help signposting (help.c)
 *   .../ID/decisions..., POST .../ID/publish "you said, we did" (yousaid.c)
 *
 * Changes live in the database (marked edited) and in the running
 * catalogue at once; at the next start they are merged over forms/.  A
 * theme list only grows: a theme is never removed or moved, so surveys and
 * counts keep their meaning.  Writers take catalog_lock; readers need none.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../forms/render.h"
#include "../forms/render_consult.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

pthread_mutex_t catalog_lock = PTHREAD_MUTEX_INITIALIZER;

/* GET /staff/consultations: each consultation, its surveys, and its
 * lifecycle; with posted and e, the start form or a survey's attach form
 * again (the one posted) with its problems and what was chosen or typed. */
static int consultations_page(struct req_ctx *rc, const struct staff_session *sess, int status,
			      const struct form_body *posted, const struct staff_errors *e)
{
	char day[11];

	staff_today(day);
	staff_page_start(&rc->page, sess, "Consultations", e);
	render_consult_list(&rc->page, rc->srv->catalog, sess->csrf, day, posted, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

/* POST /staff/consultations/ID: status=draft|open|closed. */
static int consultation_status(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct form_consultation *c = NULL;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	for (int i = 0; i < rc->srv->catalog->nconsultations; i++)
		if (strcmp(rc->srv->catalog->consultations[i].id, id) == 0)
			c = &rc->srv->catalog->consultations[i];
	const char *v = form_body_get(&body, "status");
	int want = -1;
	for (int i = 0; v && i < 3; i++)
		if (strcmp(v, render_consult_status_names[i]) == 0)
			want = i;
	form_body_free(&body);
	if (!c)
		return http_send_problem(rc, 404, "There is no such consultation.");
	if (want < 0)
		return staff_refuse(rc, sess, 400, "That did not work", "Choose draft, open or closed, "
				    "with the buttons on the consultations page.", "/staff/consultations",
				    "Back to the consultations");
	if (store_consultation_status(rc->srv->store, c->id, 1, &want))
		return http_send_problem(rc, 503, "The change could not be saved just now.");
	c->status = want; /* respondents see it from the next request */
	char detail[128];
	snprintf(detail, sizeof detail, "%s: %s", c->id, render_consult_status_names[want]);
	store_audit(rc->srv->store, sess->user.name, "changed a consultation", detail);
	return http_send_redirect(rc, "/staff/consultations");
}


static int start_consultation(struct req_ctx *rc, const struct staff_session *sess)
{
	struct form_body body;
	char err[600];
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *id = form_body_get(&body, "id");
	const char *title = form_body_get(&body, "title");
	struct form_catalog *cat = rc->srv->catalog;
	const char *json = cat->consultations[0].taxonomy_json; /* forms/' default */
	struct staff_errors errors = { 0 };
	if (!title || !*title)
		staff_errors_add(&errors, "c-title", "Give the consultation a title");
	else if (strlen(title) > FORM_MAX_LABEL)
		staff_errors_add(&errors, "c-title", "Give a title of up to 300 characters");
	if (!id || !id_valid(id, strlen(id)))
		staff_errors_add(&errors, "c-id", "Give a short name of lower-case letters, digits and "
				 "dashes (up to 64)");
	if (errors.n) {
		status = consultations_page(rc, sess, 400, &body, &errors);
		form_body_free(&body);
		return status;
	}
	pthread_mutex_lock(&catalog_lock);
	enum sv_err e = form_catalog_consultation(cat, id) ? SV_ERR_EXISTS :
		store_consultation_edit(rc->srv->store, id, title, json, FORM_DRAFT);
	if (!e)
		e = form_catalog_add(cat, id, title, json, FORM_DRAFT, err, sizeof err);
	pthread_mutex_unlock(&catalog_lock);
	if (!e)
		store_audit(rc->srv->store, sess->user.name, "started a consultation", id);
	if (e == SV_ERR_EXISTS) {
		staff_errors_add(&errors, "c-id", "There is already a consultation with that short name");
		status = consultations_page(rc, sess, 409, &body, &errors);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	if (e == SV_ERR_TOOBIG)
		return staff_refuse(rc, sess, 409, "No room for another consultation", "There are as many "
				    "consultations as the service can hold.", "/staff/consultations",
				    "Back to the consultations");
	if (e)
		return http_send_problem(rc, 503, "The consultation could not be saved just now.");
	return http_send_redirect(rc, "/staff/consultations");
}

/* GET .../themes; with posted and e, the form that was sent (change or add)
 * again with its problems and what was chosen or typed. */
static int themes_page(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_consultation *c, int status, const struct form_body *posted,
		       const struct staff_errors *e)
{
	staff_page_start(&rc->page, sess, "Themes", e);
	/* One snapshot of the taxonomy for the whole page. */
	render_consult_themes(&rc->page, c, c->taxonomy, sess->csrf, posted, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

/* An id for a new theme from its name: "Getting to school" -> "getting-to-school". */
static void theme_id_from(const char *name, const struct taxonomy *t, char out[PARSE_MAX_ID + 1])
{
	size_t n = 0;
	int dash = 0;

	for (const char *p = name; *p && n < PARSE_MAX_ID - 4; p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && n)
				out[n++] = '-';
			out[n++] = ch;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (!n)
		out[n++] = 't';
	out[n] = '\0';
	for (int k = 2; taxonomy_theme_index(t, out) >= 0 && k < 100; k++)
		snprintf(out + n, PARSE_MAX_ID + 1 - n, "-%d", k);
}

static int change_themes(struct req_ctx *rc, const struct staff_session *sess,
			 struct form_consultation *c)
{
	struct form_body body;
	struct sbuf json;
	struct staff_errors errors = { 0 };
	char err[600], new_id[PARSE_MAX_ID + 1], first[32];
	int prios[TAXONOMY_MAX_THEME_PRIORITIES], np = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *action = form_body_get(&body, "action");
	const char *name = form_body_get(&body, "name");
	const char *theme = form_body_get(&body, "theme");
	int adding = action && strcmp(action, "add") == 0;
	for (size_t f = 0; f < body.count; f++) {
		long long n;
		if (strcmp(body.fields[f].name, "priorities[]") != 0)
			continue;
		if (np >= TAXONOMY_MAX_THEME_PRIORITIES ||
		    parse_int(body.fields[f].value, body.fields[f].value_len, 1, TAXONOMY_MAX_PRIORITIES, &n) ||
		    taxonomy_priority_index(c->taxonomy, (int)n) < 0) {
			np = -1;
			break;
		}
		prios[np++] = (int)n;
	}
	if (!action || (!adding && strcmp(action, "change") != 0)) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 400, "That did not work", "Use the forms on the themes page.",
				    "/staff/consultations", "Back to the consultations");
	}
	const char *px = adding ? "add" : "chg";
	if (!adding && taxonomy_theme_index(c->taxonomy, theme ? theme : "") < 0)
		staff_errors_add(&errors, "chg-theme", "Choose a theme to change");
	if (adding && (!name || !*name))
		staff_errors_add(&errors, "add-name", "Give the new theme a name");
	else if (name && strlen(name) > TAXONOMY_MAX_NAME)
		staff_errors_add(&errors, adding ? "add-name" : "chg-name",
				 "Give a name of up to 200 characters");
	render_consult_first_priority_id(c->taxonomy, px, first);
	if (np <= 0)
		staff_errors_add(&errors, first, "Choose one to four of the priorities");
	if (errors.n) {
		status = themes_page(rc, sess, c, 400, &body, &errors);
		form_body_free(&body);
		return status;
	}
	pthread_mutex_lock(&catalog_lock);
	/* Edit a copy of the current list, then swap it in whole. */
	const struct taxonomy *now = c->taxonomy;
	struct taxonomy copy = *now;
	struct theme themes[TAXONOMY_MAX_THEMES];
	enum sv_err e = SV_OK;
	memcpy(themes, now->themes, now->nthemes * sizeof *themes);
	copy.themes = themes;
	int target = adding ? (int)now->nthemes : taxonomy_theme_index(now, theme ? theme : "");
	if (target < 0 || target >= TAXONOMY_MAX_THEMES) {
		e = SV_ERR_INVALID;
		snprintf(err, sizeof err, "%s", adding ? "the theme list is full" : "there is no such theme");
	} else {
		if (adding) {
			theme_id_from(name, now, new_id);
			themes[target].id = new_id;
			themes[target].seeds = NULL; /* a new theme starts with no seed words */
			themes[target].nseeds = 0;
			copy.nthemes++;
		}
		if (name && *name)
			themes[target].name = (char *)name;
		else if (adding)
			themes[target].name = (char *)name;
		memcpy(themes[target].priorities, prios, (size_t)np * sizeof *prios);
		themes[target].npriorities = np;
		sbuf_init(&json, 1024 * 1024);
		taxonomy_to_json(&copy, &json);
		e = json.err ? json.err : form_consultation_refine(rc->srv->catalog, c, json.buf, err, sizeof err);
		if (!e)
			e = store_consultation_edit(rc->srv->store, c->id, NULL, json.buf, 0);
		sbuf_free(&json);
	}
	pthread_mutex_unlock(&catalog_lock);
	if (!e) {
		char detail[300];
		snprintf(detail, sizeof detail, "%s: %s theme %.200s", c->id, adding ? "added" : "changed",
			 adding ? new_id : theme);
		store_audit(rc->srv->store, sess->user.name, "refined a theme list", detail);
	}
	if (e == SV_ERR_INVALID) { /* the list changed meanwhile, or the result did not fit */
		err[0] = err[0] >= 'a' && err[0] <= 'z' ? (char)(err[0] - 'a' + 'A') : err[0];
		staff_errors_add(&errors, adding ? "add-name" : "chg-theme", err);
		status = themes_page(rc, sess, c, 400, &body, &errors);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	if (e)
		return http_send_problem(rc, 503, "The theme list could not be saved just now.");
	char location[128];
	snprintf(location, sizeof location, "/staff/consultations/%s/themes", c->id);
	return http_send_redirect(rc, location);
}

/* POST /staff/consultations/ID/surveys: survey=S&to=OTHER. */
static int move_survey(struct req_ctx *rc, const struct staff_session *sess,
		       const struct form_consultation *from)
{
	struct form_body body;
	struct form_catalog *cat = rc->srv->catalog;
	struct form_survey *s = NULL;
	char err[300] = "";
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *sid = form_body_get(&body, "survey");
	const char *tid = form_body_get(&body, "to");
	int si = 0;
	for (int i = 0; sid && i < cat->nsurveys; i++)
		if (strcmp(cat->surveys[i]->id, sid) == 0 && cat->surveys[i]->consultation == from) {
			s = cat->surveys[i];
			si = i;
		}
	const struct form_consultation *to = tid ? form_catalog_consultation(cat, tid) : NULL;
	struct staff_errors errors = { 0 };
	char field[24];
	snprintf(field, sizeof field, "move-%d", si);
	if (!s) {
		form_body_free(&body);
		return staff_refuse(rc, sess, 400, "That did not work", "Choose a survey of this "
				    "consultation, with the forms on the consultations page.",
				    "/staff/consultations", "Back to the consultations");
	}
	if (!to || to == from) {
		staff_errors_add(&errors, field, "Choose another consultation to attach it to");
		status = consultations_page(rc, sess, 400, &body, &errors);
		form_body_free(&body);
		return status;
	}
	pthread_mutex_lock(&catalog_lock);
	enum sv_err e = form_survey_move(s, to, err, sizeof err);
	if (!e)
		e = store_survey_move(rc->srv->store, s->id, to->id);
	if (e && e != SV_ERR_INVALID)
		s->consultation = from; /* not saved: undo, so memory and disk agree */
	pthread_mutex_unlock(&catalog_lock);
	if (!e) {
		char detail[200];
		snprintf(detail, sizeof detail, "%s: from %s to %s", s->id, from->id, to->id);
		store_audit(rc->srv->store, sess->user.name, "attached a survey", detail);
	}
	if (e == SV_ERR_INVALID) { /* a theme it uses is not in that list */
		err[0] = err[0] >= 'a' && err[0] <= 'z' ? (char)(err[0] - 'a' + 'A') : err[0];
		staff_errors_add(&errors, field, err);
		status = consultations_page(rc, sess, 409, &body, &errors);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	if (e)
		return http_send_problem(rc, 503, "The survey could not be attached just now.");
	return http_send_redirect(rc, "/staff/consultations");
}

int consult_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (http_path_is(rest, "")) {
		if (post)
			return start_consultation(rc, sess);
		return get ? consultations_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	if (rest[0] != '/')
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	const char *id = rest + 1;
	size_t n = strcspn(id, "/");
	char cid[PARSE_MAX_ID + 1];
	if (!id_valid(id, n))
		return http_send_problem(rc, 404, "There is no such consultation.");
	memcpy(cid, id, n);
	cid[n] = '\0';
	struct form_consultation *c = form_catalog_consultation(rc->srv->catalog, cid);
	if (!c)
		return http_send_problem(rc, 404, "There is no such consultation.");
	const char *action = id + n;
	if (http_path_is(action, ""))
		return post ? consultation_status(rc, sess, cid) :
			http_send_not_allowed(rc, "POST", "Use the buttons on the consultations page.");
	if (http_path_is(action, "/surveys"))
		return post ? move_survey(rc, sess, c) : http_send_not_allowed(rc, "POST", "Not that way.");
	if (http_path_is(action, "/results") || http_path_is(action, "/results.json"))
		return results_route(rc, sess, c, action[8] == '.');
	if (http_path_is(action, "/help"))
		return help_route(rc, sess, c);
	const char *analyse;
	if (http_path_under(action, "/analyse", &analyse))
		return analyse_route(rc, sess, c, analyse);
	int said = yousaid_staff_route(rc, sess, c, action); /* its decision log (yousaid.c) */
	if (said)
		return said;
	int more = trends_route(rc, sess, c, action);
	if (!more)
		more = equalities_route(rc, sess, c, action);
	if (more)
		return more;
	if (http_path_is(action, "/themes")) {
		if (post)
			return change_themes(rc, sess, c);
		return get ? themes_page(rc, sess, c, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	return http_send_problem(rc, 404, "There is no staff page at this address.");
}
