/*
 * ballot.c - the youth ballot's staff pages (issue 16; docs/ballot.md):
 *
 *   GET  /staff/ballots                        the surveys with a ballot question
 *   GET  /staff/ballots/ID                     its paper returns, turnout, the form entering one
 *   POST /staff/ballots/ID                     enters a setting's return (once per form key)
 *   GET  /staff/ballots/ID/returns/N           the form correcting return N
 *   POST /staff/ballots/ID/returns/N           corrects it (refused once locked)
 *   POST /staff/ballots/ID/returns/N/lock      locked=1|0 (commissioners)
 *   GET  /staff/ballots/ID/results             the ranked list, suppressed (commissioners)
 *   GET  /staff/ballots/ID/results.csv|.json   the same list as a file
 *   POST /staff/ballots/ID/import              a Make Your Mark results file (commissioners)
 *
 * Youth workers enter and correct returns; commissioners also lock them,
 * read the results and import.  Each blank return form carries a random
 * one-time key (_key) that the store keeps with the return, so a form sent
 * twice stores one return (core/store_ballot.c).  Every change is
 * audit-logged.  The results are built from the plain counters only, and
 * suppressed by export/ballot.c as the themes table is.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../export/export.h"
#include "../forms/ballot.h"
#include "../forms/render_ballot.h"
#include "http.h"
#include "server.h"

#define BALLOT_MAX_RETURNS LIMIT_BALLOT_RETURNS /* returns one ballot page lists (more are
						   stored and counted, not listed) */

/* A ballot's returns, read whole. */
struct returns {
	struct store_ballot_return *items;
	size_t n;
	long long total;
	enum sv_err err;
};

static void on_return(void *arg, const struct store_ballot_return *r)
{
	struct returns *l = arg;

	l->total++;
	if (l->err || l->n >= BALLOT_MAX_RETURNS)
		return;
	if (!l->items && !(l->items = calloc(BALLOT_MAX_RETURNS, sizeof *l->items))) {
		l->err = SV_ERR_NOMEM;
		return;
	}
	l->items[l->n++] = *r;
}

/* The returns page (editing NULL) or the correction page, with a refused
 * form's fields and problems when posted and e are set. */
static int ballot_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s,
		       int status, const struct store_ballot_return *editing,
		       const struct form_body *posted, const struct staff_errors *e,
		       const char *notice, const char *import_error)
{
	struct returns l = { 0 };
	unsigned char raw[16];
	char key[33];
	struct render_ballot r = { .s = s, .q = form_survey_ballot(s), .csrf = sess->csrf,
				   .commissioner = sess->user.role >= STORE_COMMISSIONER,
				   .posted = posted, .errors = e, .editing = editing,
				   .notice = notice, .import_error = import_error };

	/* A refused form keeps its key, so sending it again still counts once. */
	const char *kept = posted ? form_body_get(posted, "_key") : NULL;
	if (kept && strlen(kept) < sizeof key && strspn(kept, "0123456789abcdef") == strlen(kept)) {
		snprintf(key, sizeof key, "%s", kept);
	} else {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(key, sizeof key, raw, sizeof raw);
	}
	r.form_key = key;
	if (!editing && store_ballot_return_each(rc->srv->store, s->id, on_return, &l) == SV_OK && !l.err) {
		r.returns = l.items;
		r.nreturns = l.n;
	} else if (!editing) {
		free(l.items);
		return http_send_problem(rc, 503, "The returns are not available just now.");
	}
	staff_page_start(&rc->page, sess, editing ? "Correct a return" : "Paper ballots", e);
	if (editing)
		render_ballot_edit(&rc->page, &r);
	else
		render_ballot_page(&rc->page, &r);
	render_staff_page_end(&rc->page);
	free(l.items);
	return http_send_page(rc, status);
}

/* A whole number from 0 to STORE_MAX_PAPERS; an empty field is 0 when
 * blank_is_zero.  -1 when it is not one. */
static long long count_of(const char *v, int blank_is_zero)
{
	long long n;

	if (!v || !*v)
		return blank_is_zero ? 0 : -1;
	return parse_int(v, strlen(v), 0, STORE_MAX_PAPERS, &n) ? -1 : n;
}

/* Messages that name numbers, and the field ids of problems, live here for
 * the length of the request. */
struct messages {
	char over[160];
	char taken[200];
	char ids[FORM_MAX_OPTIONS][PARSE_MAX_ID + 8];
};

/* Reads a posted return into r, noting every problem in e. */
static void return_read(const struct form_body *body, const struct form_survey *s,
			const struct staff_session *sess, struct store_ballot_return *r,
			struct staff_errors *e, struct messages *m)
{
	const struct form_question *q = form_survey_ballot(s);
	const char *setting = form_body_get(body, "setting");
	long long sum = 0;

	snprintf(r->survey, sizeof r->survey, "%s", s->id);
	snprintf(r->who, sizeof r->who, "%s", sess->user.name);
	size_t n = setting ? strlen(setting) : 0;
	size_t blank = setting ? strspn(setting, " ") : 0;
	int control = 0;
	for (size_t i = 0; i < n; i++)
		control |= (unsigned char)setting[i] < 0x20 || setting[i] == 0x7f;
	if (!n || blank == n || n > STORE_MAX_SETTING || control)
		staff_errors_add(e, "r-setting", "Give the school or youth group\xe2\x80\x99s name, in up "
				 "to 120 characters on one line");
	else
		snprintf(r->setting, sizeof r->setting, "%s", setting);
	r->handed_out = count_of(form_body_get(body, "handed_out"), 0);
	if (r->handed_out < 0)
		staff_errors_add(e, "r-handed-out", "Give the ballot papers handed out, a whole number "
				 "from 0 to 100000");
	r->returned = count_of(form_body_get(body, "returned"), 0);
	if (r->returned < 0 || (r->handed_out >= 0 && r->returned > r->handed_out))
		staff_errors_add(e, "r-returned", "Give the ballot papers returned, a whole number no "
				 "more than the papers handed out");
	for (int k = 0; q && k < q->noptions; k++) {
		char name[PARSE_MAX_ID + 8];
		snprintf(name, sizeof name, "v-%s", q->options[k].id);
		const char *v = form_body_get(body, name);
		if (q->options[k].hidden && !v)
			continue;
		long long votes = count_of(v, 1);
		if (votes < 0) {
			snprintf(m->ids[k], sizeof m->ids[k], "r-v-%s", q->options[k].id);
			staff_errors_add(e, m->ids[k], "Give each issue\xe2\x80\x99s votes as a whole number, "
					 "or leave it empty for none");
			continue;
		}
		snprintf(r->issues[r->nissues], sizeof r->issues[0], "%s", q->options[k].id);
		r->votes[r->nissues++] = votes;
		sum += votes;
	}
	if (!e->n && sum > r->returned) {
		snprintf(m->over, sizeof m->over, "The votes add up to %lld, more than the %lld papers "
			 "returned: check them", sum, r->returned);
		staff_errors_add(e, "r-returned", m->over);
	}
}

static int back_to_returns(struct req_ctx *rc, const struct form_survey *s, long long id);

/* A return saved: audit-logged (unless action is NULL) with what it holds
 * now and, after a correction, what it held; then back to the list. */
static int return_saved(struct req_ctx *rc, const struct staff_session *sess,
			const struct form_survey *s, const char *action,
			const struct store_ballot_return *r, const struct store_ballot_return *was)
{
	char detail[300], before[64] = "";

	if (action) {
		if (was)
			snprintf(before, sizeof before, " (was %lld of %lld)", was->returned, was->handed_out);
		snprintf(detail, sizeof detail, "%s: return %lld, %s: %lld of %lld papers returned%s", s->id,
			 r->id, r->setting, r->returned, r->handed_out, before);
		store_audit(rc->srv->store, sess->user.name, action, detail);
	}
	return back_to_returns(rc, s, r->id);
}

static int back_to_returns(struct req_ctx *rc, const struct form_survey *s, long long id)
{
	char location[200];

	snprintf(location, sizeof location, "/staff/ballots/%s?done=saved#r%lld", s->id, id);
	return http_send_redirect(rc, location);
}

/* POST /staff/ballots/ID: a new return. */
static int return_add(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct messages m;
	struct store_ballot_return *r = calloc(1, sizeof *r);
	long long id = 0;
	int replay = 0;
	int status = r ? staff_read_post(rc, sess, &body) : http_send_problem(rc, 503, "Not just now.");

	if (status) {
		free(r);
		return status;
	}
	return_read(&body, s, sess, r, &e, &m);
	const char *key = form_body_get(&body, "_key");
	if (!e.n && (!key || !*key)) {
		status = http_send_problem(rc, 400, "Use the form on the ballot's page.");
		goto out;
	}
	enum sv_err err = e.n ? SV_OK : store_ballot_return_add(rc->srv->store, r, key, &id, &replay);
	if (err == SV_ERR_EXISTS) {
		snprintf(m.taken, sizeof m.taken, "%.120s has a return already: correct that one instead",
			 r->setting);
		staff_errors_add(&e, "r-setting", m.taken);
	} else if (err) {
		status = http_send_problem(rc, 503, "The return could not be saved just now.");
		goto out;
	}
	if (e.n) {
		status = ballot_page(rc, sess, s, 422, NULL, &body, &e, NULL, NULL);
		goto out;
	}
	r->id = id;
	status = return_saved(rc, sess, s, replay ? NULL : "entered a paper ballot return", r, NULL);
out:
	form_body_free(&body);
	free(r);
	return status;
}

/* GET or POST /staff/ballots/ID/returns/N. */
static int return_entry(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s,
			long long id, int post)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct messages m;
	struct store_ballot_return *was = calloc(2, sizeof *was);
	int status;

	if (!was)
		return http_send_problem(rc, 503, "The returns are not available just now.");
	enum sv_err err = store_ballot_return_get(rc->srv->store, s->id, id, was);
	if (err) {
		free(was);
		return err == SV_ERR_NOTFOUND ? http_send_problem(rc, 404, "There is no such return.") :
			http_send_problem(rc, 503, "The returns are not available just now.");
	}
	char back[200];
	snprintf(back, sizeof back, "/staff/ballots/%s", s->id);
	if (!post && !was->locked) {
		status = ballot_page(rc, sess, s, 200, was, NULL, NULL, NULL, NULL);
		free(was);
		return status;
	}
	memset(&body, 0, sizeof body);
	if (post && (status = staff_read_post(rc, sess, &body)) != 0) {
		free(was);
		return status;
	}
	if (was->locked) {
		status = staff_refuse(rc, sess, 409, "This return is locked", "A commissioner has locked "
				      "this return, so it can no longer be corrected. Ask them to unlock it "
				      "if it is wrong.", back, "Back to the returns");
		goto out;
	}
	struct store_ballot_return *now = &was[1];
	return_read(&body, s, sess, now, &e, &m);
	now->id = id;
	err = e.n ? SV_OK : store_ballot_return_update(rc->srv->store, now);
	if (err == SV_ERR_EXISTS && strcmp(now->setting, was->setting) != 0) {
		snprintf(m.taken, sizeof m.taken, "%.120s has a return already", now->setting);
		staff_errors_add(&e, "r-setting", m.taken);
	} else if (err == SV_ERR_EXISTS) {
		status = staff_refuse(rc, sess, 409, "This return is locked", "A commissioner locked "
				      "this return while you were correcting it.", back, "Back to the returns");
		goto out;
	} else if (err) {
		status = http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					   "The correction could not be saved just now.");
		goto out;
	}
	if (e.n) {
		status = ballot_page(rc, sess, s, 422, was, &body, &e, NULL, NULL);
		goto out;
	}
	status = return_saved(rc, sess, s, "corrected a paper ballot return", now, was);
out:
	form_body_free(&body);
	free(was);
	return status;
}

/* POST /staff/ballots/ID/returns/N/lock: locked=1 or 0. */
static int return_lock(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s,
		       long long id)
{
	struct form_body body;
	int status;

	if (sess->user.role < STORE_COMMISSIONER)
		return staff_forbidden(rc, "Only a commissioner can lock or unlock a return.");
	if ((status = staff_read_post(rc, sess, &body)) != 0)
		return status;
	const char *v = form_body_get(&body, "locked");
	int want = v && strcmp(v, "1") == 0 ? 1 : v && strcmp(v, "0") == 0 ? 0 : -1;
	form_body_free(&body);
	if (want < 0)
		return http_send_problem(rc, 400, "Use the button on the ballot's page.");
	enum sv_err err = store_ballot_return_lock(rc->srv->store, s->id, id, want);
	if (err)
		return http_send_problem(rc, err == SV_ERR_NOTFOUND ? 404 : 503,
					 err == SV_ERR_NOTFOUND ? "There is no such return." :
					 "The change could not be saved just now.");
	char detail[120];
	snprintf(detail, sizeof detail, "%s: return %lld", s->id, id);
	store_audit(rc->srv->store, sess->user.name, want ? "locked a paper ballot return" :
		    "unlocked a paper ballot return", detail);
	return back_to_returns(rc, s, id);
}

/* ---- the ranked list ---- */

/*
 * The differencing rule (docs/results.md): read the results, watch one young
 * person vote, read them again, and the difference would be that person's
 * ballot.  So the online counts shown are a snapshot per ballot, replaced
 * only when no online vote has arrived since it was taken or at least
 * min_cell have (export_may_follow); paper and imported votes, entered by
 * staff a setting at a time, are read fresh.
 */
struct held {
	char survey[PARSE_MAX_ID + 1];
	long long shown;                          /* online first choices in the snapshot */
	char issue[EXPORT_BALLOT_MAX][PARSE_MAX_ID + 1]; /* option ids (a new version may
	                                          * reorder them) ... */
	long long online[EXPORT_BALLOT_MAX][3];   /* ... and their counts by rank */
	int nissues;
};
static struct held held[FORM_MAX_SURVEYS];
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;

/* The snapshot's counts of issue id, or NULL (an issue added since: none yet). */
static const long long *held_counts(const struct held *h, const char *id)
{
	for (int i = 0; i < h->nissues; i++)
		if (strcmp(h->issue[i], id) == 0)
			return h->online[i];
	return NULL;
}

static void snapshot(struct export_ballot *b, const struct form_question *q, const char *survey,
		     int min_cell)
{
	long long now = 0;
	struct held *h = NULL;

	for (int i = 0; i < b->nrows; i++)
		now += b->rows[i].first[EXPORT_BALLOT_ONLINE].value;
	pthread_mutex_lock(&held_lock);
	for (int i = 0; i < FORM_MAX_SURVEYS && !h; i++)
		if (strcmp(held[i].survey, survey) == 0 || !held[i].survey[0])
			h = &held[i];
	if (h && (!h->survey[0] || export_may_follow(h->shown, now, min_cell))) {
		snprintf(h->survey, sizeof h->survey, "%s", survey);
		h->shown = now;
		h->nissues = b->nrows;
		for (int i = 0; i < b->nrows; i++) {
			struct export_ballot_row *row = &b->rows[i];
			snprintf(h->issue[i], sizeof h->issue[i], "%s", q->options[row->issue].id);
			h->online[i][0] = row->first[EXPORT_BALLOT_ONLINE].value;
			h->online[i][1] = row->later[0].value;
			h->online[i][2] = row->later[1].value;
		}
	} else if (h) {
		for (int i = 0; i < b->nrows; i++) {
			struct export_ballot_row *row = &b->rows[i];
			const long long *c = held_counts(h, q->options[row->issue].id);
			row->first[EXPORT_BALLOT_ONLINE].value = c ? c[0] : 0;
			row->later[0].value = c ? c[1] : 0;
			row->later[1].value = c ? c[2] : 0;
		}
	} else {
		for (int i = 0; i < b->nrows; i++) /* no room (never: one per survey) */
			b->rows[i].first[EXPORT_BALLOT_ONLINE].value = b->rows[i].later[0].value =
				b->rows[i].later[1].value = 0;
	}
	pthread_mutex_unlock(&held_lock);
}

/*
 * Survey s's ranked list as the results page shows it, into b: counted
 * (export_ballot_count), its online counts the page's snapshot, suppressed.
 * issues (EXPORT_BALLOT_MAX) name the ballot question's options.
 */
static enum sv_err results_build(struct req_ctx *rc, const struct form_survey *s,
				 struct export_ballot *b, struct export_ballot_issue *issues)
{
	const struct form_question *q = form_survey_ballot(s);
	int n = 0;

	for (int k = 0; k < q->noptions && n < EXPORT_BALLOT_MAX; k++, n++) {
		issues[n].id = q->options[k].id;
		issues[n].label = q->options[k].label;
		issues[n].themes = q->options[k].themes;
		issues[n].nthemes = q->options[k].nthemes;
	}
	enum sv_err err = export_ballot_count(rc->srv->store, s->id, issues, n, q->rank, b);
	if (err)
		return err;
	snapshot(b, q, s->id, EXPORT_DEFAULT_MIN_CELL);
	return export_ballot_suppress(b, EXPORT_DEFAULT_MIN_CELL);
}

/* GET /staff/ballots/ID/results, or (ext "csv" or "json") the same as a file. */
static int results_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s,
			const char *ext)
{
	const struct form_question *q = form_survey_ballot(s);
	struct export_ballot *b = calloc(1, sizeof *b);
	struct export_ballot_issue *issues = calloc(EXPORT_BALLOT_MAX, sizeof *issues);
	struct render_ballot_row *rows = calloc(EXPORT_BALLOT_MAX, sizeof *rows);
	struct render_ballot_results r = { .s = s, .q = q, .tax = s->consultation->taxonomy,
					   .rows = rows, .min_cell = EXPORT_DEFAULT_MIN_CELL };
	int status;

	if (sess->user.role < STORE_COMMISSIONER) {
		status = staff_forbidden(rc, "Only a commissioner can read a ballot's results.");
		goto out;
	}
	if (!b || !rows || !issues || results_build(rc, s, b, issues)) {
		status = http_send_problem(rc, 503, "The results are not available just now.");
		goto out;
	}
	if (ext) {
		char header[300];
		int json = strcmp(ext, "json") == 0;
		if (json)
			export_ballot_json(b, issues, s->id, q->id, &rc->page);
		else
			export_ballot_csv(b, issues, &rc->page);
		if (rc->page.err) {
			status = http_send_problem(rc, 503, "That export is not available just now.");
			goto out;
		}
		store_audit(rc->srv->store, sess->user.name, "exported a ballot's results", s->id);
		snprintf(header, sizeof header, "Content-Disposition: attachment; filename=\"ballot-%s.%s\"\r\n"
			 "Cache-Control: no-store\r\n", s->id, ext);
		status = http_send(rc, 200, json ? "application/json" : "text/csv; charset=utf-8",
				   rc->page.buf, rc->page.len, header);
		goto out;
	}
	for (int i = 0; i < b->nrows; i++) {
		const struct export_ballot_row *x = &b->rows[i];
		rows[i].issue = &q->options[x->issue];
		for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
			export_ballot_cell_text(b, &x->first[c], rows[i].first[c]);
		export_ballot_cell_text(b, &x->later[0], rows[i].later[0]);
		export_ballot_cell_text(b, &x->later[1], rows[i].later[1]);
		if (x->points_shown)
			snprintf(rows[i].points, sizeof rows[i].points, "%lld", x->points);
		/* Its place in the list, printed only where its total is shown. */
		rows[i].place = x->first[EXPORT_BALLOT_TOTAL].state == CELL_SHOWN ? i + 1 : 0;
	}
	for (int c = 0; c < EXPORT_BALLOT_NCOLS; c++)
		export_ballot_cell_text(b, &b->totals[c], r.totals[c]);
	r.nrows = b->nrows;
	r.by_points = b->by_points;
	staff_page_start(&rc->page, sess, "Ballot results", NULL);
	render_ballot_results(&rc->page, &r);
	render_staff_page_end(&rc->page);
	status = http_send_page(rc, 200);
out:
	free(b);
	free(issues);
	free(rows);
	return status;
}

/* ---- importing a Make Your Mark results file ---- */

enum sv_err ballot_import_save(struct store *st, const struct form_survey *s,
			       const struct ballot_import *imp, const char *who, long long *total)
{
	const struct form_question *q = form_survey_ballot(s);
	const char *issues[FORM_MAX_OPTIONS];
	char detail[200];

	*total = 0;
	for (int i = 0; i < imp->n; i++) {
		issues[i] = q->options[imp->option[i]].id;
		*total += imp->votes[i];
	}
	enum sv_err rc = store_ballot_import(st, s->id, issues, imp->votes, imp->n, who);
	if (rc)
		return rc;
	snprintf(detail, sizeof detail, "%s: %d issues, %lld votes", s->id, imp->n, *total);
	store_audit(st, who, "imported Make Your Mark results", detail);
	return SV_OK;
}

/* POST /staff/ballots/ID/import (multipart/form-data). */
static int import_post(struct req_ctx *rc, const struct staff_session *sess, const struct form_survey *s)
{
	const struct form_question *q = form_survey_ballot(s);
	struct staff_upload *u = calloc(1, sizeof *u);
	struct ballot_import imp;
	char err[300] = "";
	int status;

	if (sess->user.role < STORE_COMMISSIONER) {
		free(u);
		return staff_forbidden(rc, "Only a commissioner can import a ballot's results.");
	}
	if (!u)
		return http_send_problem(rc, 503, "The file could not be read just now.");
	if ((status = staff_upload_read(rc, sess, u)) != 0)
		goto out;
	if (u->too_big) {
		status = ballot_page(rc, sess, s, 413, NULL, NULL, NULL, NULL,
				     "The file is larger than 16 KB: a results file is much smaller.");
		goto out;
	}
	if (!u->chosen || !u->len) {
		status = ballot_page(rc, sess, s, 422, NULL, NULL, NULL, NULL,
				     "Choose the results file (CSV) to import");
		goto out;
	}
	if (memchr(u->file, '\0', u->len) ||
	    ballot_csv_read(u->file, u->len, q, &imp, err, sizeof err) != SV_OK) {
		char shown[340];
		snprintf(shown, sizeof shown, "Nothing was imported: %s", err[0] ? err :
			 "the file is not text");
		status = ballot_page(rc, sess, s, 422, NULL, NULL, NULL, NULL, shown);
		goto out;
	}
	long long total;
	if (ballot_import_save(rc->srv->store, s, &imp, sess->user.name, &total)) {
		status = http_send_problem(rc, 503, "The results could not be saved just now.");
		goto out;
	}
	char location[200];
	snprintf(location, sizeof location, "/staff/ballots/%s?done=imported", s->id);
	status = http_send_redirect(rc, location);
out:
	sodium_memzero(u, sizeof *u);
	free(u);
	return status;
}

/* ---- routing ---- */

static const struct staff_notice notices[] = {
	{ "saved", "The return is saved." },
	{ "imported", "The Make Your Mark results are imported." },
};

int ballot_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	const char *tail;
	long long n;

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
		staff_page_start(&rc->page, sess, "Youth ballots", NULL);
		render_ballot_list(&rc->page, rc->srv->catalog, sess->user.role >= STORE_COMMISSIONER);
		render_staff_page_end(&rc->page);
		return http_send_page(rc, 200);
	}
	/* "/ID", then what follows it. */
	const char *id = rest + 1;
	size_t idlen = strcspn(id, "/");
	tail = id + idlen;
	if (rest[0] != '/' || !idlen || idlen > PARSE_MAX_ID)
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	const struct form_survey *s = form_catalog_survey(rc->srv->catalog, id, idlen);
	if (!s || !form_survey_ballot(s))
		return http_send_problem(rc, 404, "There is no such ballot.");
	if (http_path_is(tail, "")) {
		if (post)
			return return_add(rc, sess, s);
		return get ? ballot_page(rc, sess, s, 200, NULL, NULL, NULL,
					 staff_done_notice(rc, notices, sizeof notices / sizeof *notices), NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (http_path_is(tail, "/results") || http_path_is(tail, "/results.csv") ||
	    http_path_is(tail, "/results.json"))
		return get ? results_page(rc, sess, s, tail[8] == '.' ? tail + 9 : NULL) :
			http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	if (http_path_is(tail, "/import"))
		return post ? import_post(rc, sess, s) :
			http_send_not_allowed(rc, "POST", "Use the form on the ballot's page.");
	if (!http_path_under(tail, "/returns", &tail) || !http_path_id(tail, &n, &tail))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	if (http_path_is(tail, "/lock"))
		return post ? return_lock(rc, sess, s, n) :
			http_send_not_allowed(rc, "POST", "Use the button on the ballot's page.");
	if (!http_path_is(tail, ""))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	if (!get && !post)
		return http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	return return_entry(rc, sess, s, n, post);
}
