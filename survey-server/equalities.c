/*
 * equalities.c - "who took part and who lives here", for commissioners
 * (issue 16; docs/equalities.md):
 *
 *   GET  /staff/consultations/ID/equalities             population figures; a form to count
 *   POST /staff/consultations/ID/equalities             with the passphrase: the survey counts
 *   POST /staff/consultations/ID/equalities/population  saves the population figures
 *
 * The survey counts are the breakdowns export's (export_breakdown_build):
 * opened with the key, suppressed by the same audited rule, printed as that
 * export prints them.  The page adds shares, each the quotient of two counts
 * it publishes exactly, and nothing else, so it discloses no more than the
 * export.  The passphrase is used for one request and wiped with the body.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <sodium.h>

#include "../core/parse.h"
#include "../export/export.h"
#include "../forms/render_equalities.h"
#include "http.h"
#include "server.h"

#define EQ_MAX_FIGURES 64         /* population figures read for one consultation */

/* Population figures as stored, looked up by category key. */
struct figures {
	struct {
		char key[STORE_MAX_CATEGORY + 1];
		long long people;
	} item[EQ_MAX_FIGURES];
	int n;
};

static void on_figure(void *arg, const char *category, long long people)
{
	struct figures *f = arg;
	if (f->n < EQ_MAX_FIGURES) {
		snprintf(f->item[f->n].key, sizeof f->item[0].key, "%s", category);
		f->item[f->n++].people = people;
	}
}

static long long figure(const struct figures *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->item[i].key, key) == 0)
			return f->item[i].people;
	return -1;
}

/* "12.5%" of part in whole, or "" unless both are known and whole > 0. */
static void share(char out[RENDER_EQ_CELL], long long part, long long whole)
{
	out[0] = '\0';
	if (part >= 0 && whole > 0)
		snprintf(out, RENDER_EQ_CELL, "%.1f%%", 100.0 * (double)part / (double)whole);
}

/* The first question of this type with options, or -1. */
static int question_of(const struct export_breakdown *b, const char *type)
{
	for (int i = 0; b && i < b->qs->n; i++)
		if (strcmp(b->qs->items[i].type, type) == 0 && b->qs->items[i].noptions > 0)
			return i;
	return -1;
}

static struct render_eq_row *add_row(struct render_eq_group *g, const char *label)
{
	if (g->nrows >= RENDER_EQ_MAX_ROWS)
		return NULL;
	struct render_eq_row *row = &g->rows[g->nrows++];
	row->label = label;
	return row;
}

/* One group per equalities type: its standard categories, then (counted)
 * any other option its question has ("Prefer not to say" last). */
static void lay_out(struct render_eq_group groups[FORM_NEQUALITIES], const struct figures *f,
		    const struct export_table *t, const struct export_breakdown *b)
{
	const struct form_equalities *eq = form_equalities_list();

	for (int g = 0; g < FORM_NEQUALITIES; g++) {
		struct render_eq_group *gr = &groups[g];
		int qi = question_of(b, eq[g].name);
		const struct export_question *q = qi >= 0 ? &b->qs->items[qi] : NULL;
		const struct cell *answered = q ? export_breakdown_answered(b, qi) : NULL;
		long long total = 0;
		memset(gr, 0, sizeof *gr);
		gr->name = eq[g].name;
		gr->title = eq[g].title;
		gr->asked = q != NULL;
		if (answered)
			export_cell_text(t, answered, gr->answered);
		for (int k = 0; k < eq[g].noptions; k++) {
			struct render_eq_row *row = add_row(gr, eq[g].options[k][1]);
			snprintf(row->key, sizeof row->key, "%s:%s", eq[g].name, eq[g].options[k][0]);
			long long people = figure(f, row->key);
			if (people >= 0) {
				snprintf(row->people, sizeof row->people, "%lld", people);
				total += people;
			}
		}
		for (int k = 0; k < gr->nrows; k++)
			share(gr->rows[k].people_share, figure(f, gr->rows[k].key), total);
		/* Options of the question outside the standard list, then "Prefer not to say". */
		for (int k = 0; q && k < q->noptions; k++) {
			struct render_eq_row *row = NULL;
			char key[96];
			snprintf(key, sizeof key, "%s:%s", eq[g].name, q->options[k].id);
			for (int i = 0; i < gr->nrows; i++)
				if (strcmp(gr->rows[i].key, key) == 0)
					row = &gr->rows[i];
			if (!row && !(row = add_row(gr, q->options[k].label)))
				break;
			const struct cell *c = export_breakdown_option(b, qi, k);
			export_cell_text(t, c, row->count);
			if (c->state == CELL_SHOWN && answered->state == CELL_SHOWN)
				share(row->share, c->value, answered->value);
		}
		for (int k = 0; b && k < gr->nrows; k++)
			if (!gr->rows[k].count[0])
				snprintf(gr->rows[k].count, sizeof gr->rows[k].count, "%s",
					 q ? "not offered" : "");
	}
}

static int page(struct req_ctx *rc, const struct staff_session *sess,
		const struct form_consultation *c, int status, const struct export_table *t,
		const struct export_breakdown *b, const struct form_body *posted,
		const struct staff_errors *e)
{
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	struct render_eq_group groups[FORM_NEQUALITIES];
	struct figures f = { .n = 0 };
	struct render_equalities r = {
		.who = &who, .consultation = c->id, .title = c->title, .csrf = sess->csrf,
		.counted = b != NULL, .min_cell = EXPORT_DEFAULT_MIN_CELL, .groups = groups,
		.ngroups = FORM_NEQUALITIES, .posted = posted,
		.saved = !e && !b && ri->query_string && strcmp(ri->query_string, "saved") == 0,
	};

	if (store_population_each(rc->srv->store, c->id, on_figure, &f))
		return http_send_problem(rc, 503, "The population figures are not available just now.");
	lay_out(groups, &f, t, b);
	render_equalities_page(&rc->page, &r, e);
	return http_send_page(rc, status);
}

/* POST /equalities: the passphrase opens the answers for this one page. */
static int count_page(struct req_ctx *rc, const struct staff_session *sess,
		      const struct form_consultation *c)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct export_keys *keys = NULL;
	struct export_table *t = NULL;
	struct export_breakdown *b = NULL;
	struct export_result result;
	int status = staff_read_secret_post(rc, sess, &body);

	if (status)
		return status;
	const char *pass = form_body_get(&body, "passphrase");
	if (!pass || !*pass) {
		staff_errors_add(&e, "e-passphrase", "Type the passphrase of the secret key");
		status = page(rc, sess, c, 422, NULL, NULL, NULL, &e);
		form_body_free(&body);
		return status;
	}
	enum sv_err err;
	long long wait = 0;
	char why[200];
	status = exports_unlock(rc, sess, c->id, pass, &keys, &err, &wait);
	if (status) {
		form_body_free(&body);
		return status;
	}
	if (!err)
		err = export_table_build(rc->srv->store, c->id, &t);
	if (!err)
		err = export_suppress(t, EXPORT_DEFAULT_MIN_CELL);
	if (!err)
		err = export_breakdown_build(rc->srv->store, c->id, keys, t, &b, &result);
	export_keys_free(keys);
	pthread_mutex_unlock(&exports_decrypting);
	if (err == SV_ERR_CRYPTO || wait) {
		status = page(rc, sess, c, staff_passphrase_refused(&e, "e-passphrase", wait, why, sizeof why),
			      NULL, NULL, NULL, &e);
	} else if (err) {
		status = http_send_problem(rc, 503, "The answers could not be counted just now.");
	} else {
		store_audit(rc->srv->store, sess->user.name, "counted who took part", c->id);
		status = page(rc, sess, c, 200, t, b, NULL, NULL);
	}
	export_breakdown_free(b);
	export_table_free(t);
	form_body_free(&body);
	return status;
}

/* POST /equalities/population: every standard category's box, empty to
 * clear; all saved, or none when one is wrong. */
static int save_population(struct req_ctx *rc, const struct staff_session *sess,
			   const struct form_consultation *c)
{
	const struct form_equalities *eq = form_equalities_list();
	struct form_body body;
	struct staff_errors e = { 0 };
	char ids[FORM_NEQUALITIES * 8][STORE_MAX_CATEGORY + 8];
	char keys[FORM_NEQUALITIES * 8][STORE_MAX_CATEGORY + 1];
	char wrong[FORM_NEQUALITIES * 8][200];   /* each message names its box */
	long long people[FORM_NEQUALITIES * 8];
	int n = 0, status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	for (int g = 0; g < FORM_NEQUALITIES; g++)
		for (int k = 0; k < eq[g].noptions && n < FORM_NEQUALITIES * 8; k++, n++) {
			snprintf(keys[n], sizeof keys[n], "%s:%s", eq[g].name, eq[g].options[k][0]);
			snprintf(ids[n], sizeof ids[n], "pop-%s", keys[n]);
			for (char *p = ids[n]; *p; p++)
				if (*p == ':' || *p == '_')
					*p = '-';
			const char *v = form_body_get(&body, keys[n]);
			size_t len = v ? strlen(v) : 0;
			people[n] = -1;
			if (len && parse_int(v, len, 0, STORE_MAX_POPULATION, &people[n])) {
				snprintf(wrong[n], sizeof wrong[n], "Enter a whole number from 0 to "
					 "100,000,000 for \xe2\x80\x9c%s\xe2\x80\x9d (%s), or leave it empty",
					 eq[g].options[k][1], eq[g].title);
				staff_errors_add(&e, ids[n], wrong[n]);
			}
		}
	if (e.n) {
		status = page(rc, sess, c, 422, NULL, NULL, &body, &e);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	enum sv_err err = SV_OK;
	for (int i = 0; i < n && !err; i++)
		err = store_population_set(rc->srv->store, c->id, keys[i], people[i]);
	if (err)
		return http_send_problem(rc, 503, "The population figures could not be saved just now.");
	store_audit(rc->srv->store, sess->user.name, "saved population figures", c->id);
	char location[PARSE_MAX_ID + 64];
	snprintf(location, sizeof location, "/staff/consultations/%s/equalities?saved", c->id);
	return http_send_redirect(rc, location);
}

int equalities_route(struct req_ctx *rc, const struct staff_session *sess,
		     const struct form_consultation *c, const char *action)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (http_path_is(action, "/equalities")) {
		if (post)
			return count_page(rc, sess, c);
		return get ? page(rc, sess, c, 200, NULL, NULL, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	if (http_path_is(action, "/equalities/population"))
		return post ? save_population(rc, sess, c) :
			http_send_not_allowed(rc, "POST", "Use the form on the page.");
	return 0;
}
