/*
 * respond.c - the respondent's pages: the list of surveys, a survey form, its
 * submission and the thanks page.
 *
 * A submission goes: read the body within limits -> decode it strictly ->
 * check the answers against the definition -> build the payload -> seal it
 * to the public key -> store it with its theme counters in one transaction
 * -> 303.  Nothing is acknowledged before the commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/parse.h"
#include "../forms/render.h"
#include "http.h"
#include "server.h"

int respond_index(struct req_ctx *rc)
{
	render_index(&rc->page, rc->srv->catalog);
	return http_send_page(rc, 200);
}

int respond_survey_form(struct req_ctx *rc, const struct form_survey *s)
{
	if (s->status != FORM_OPEN)
		render_not_open(&rc->page, s);
	else
		render_survey(&rc->page, s, NULL);
	return http_send_page(rc, 200);
}

int respond_thanks(struct req_ctx *rc, const struct form_survey *s)
{
	render_thanks(&rc->page, s);
	return http_send_page(rc, 200);
}

/* Today's date in UTC: the finest arrival time the database ever holds. */
static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Seals the answers and stores them with their counters. */
static enum sv_err store_answers(struct server *srv, const struct form_survey *s,
				 const struct form_answers *answers)
{
	struct sbuf payload;
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int themes[TAXONOMY_MAX_THEMES], priorities[TAXONOMY_MAX_PRIORITIES];
	const char *theme_ids[TAXONOMY_MAX_THEMES];
	const struct taxonomy *tax = s->consultation->taxonomy;
	char day[11];
	enum sv_err rc;

	sbuf_init(&payload, SEAL_MAX_PLAINTEXT);
	form_answers_payload(s, answers, &payload);
	rc = payload.err;
	if (!rc)
		rc = seal_box(&srv->key, payload.buf, payload.len, &sealed, &sealed_len);
	/* The plain answers are no longer needed: wipe them now. */
	if (payload.buf)
		sodium_memzero(payload.buf, payload.cap);
	sbuf_free(&payload);
	if (rc)
		goto out;

	int nthemes = form_answers_themes(s, answers, themes);
	for (int i = 0; i < nthemes; i++)
		theme_ids[i] = tax->themes[themes[i]].id;
	int npriorities = form_themes_priorities(tax, themes, nthemes, priorities);
	today(day);
	struct store_response r = {
		.consultation = s->consultation->id,
		.survey = s->id,
		.day = day,
		.key_id = srv->key.id,
		.sealed = sealed,
		.sealed_len = sealed_len,
		.themes = theme_ids,
		.nthemes = (size_t)nthemes,
		.priorities = priorities,
		.npriorities = (size_t)npriorities,
	};
	rc = store_response_insert(srv->store, &r);
out:
	free(sealed);
	return rc;
}

int respond_survey_post(struct req_ctx *rc, const struct form_survey *s)
{
	struct form_body body = { 0 };
	struct form_answers *answers = NULL;
	const char *why = NULL;
	enum sv_err err;
	int status;

	if (s->status != FORM_OPEN) {
		render_not_open(&rc->page, s);
		return http_send_page(rc, 403);
	}
	if (!http_content_type_is(rc, "application/x-www-form-urlencoded"))
		return http_send_problem(rc, 415, "Answers must be sent from the survey form.");
	err = http_read_body(rc, HTTP_MAX_BODY);
	if (err == SV_ERR_TOOBIG)
		return http_send_problem(rc, 413, "Your answers are longer than we can take. "
					 "Please shorten what you wrote and send them again.");
	if (err)
		return http_send_problem(rc, http_status_from_err(err), "Your answers did not arrive. Please try again.");
	err = form_body_parse(rc->body, rc->body_len, &body, &why);
	if (err) {
		status = http_send_problem(rc, 400, why);
		goto out;
	}
	answers = malloc(sizeof *answers);
	if (!answers) {
		status = http_send_problem(rc, 503, "Something went wrong on our side. Please try again in a minute.");
		goto out;
	}
	err = form_answers_read(s, &body, answers, &why);
	if (err) {
		status = http_send_problem(rc, 400, why);
		goto out;
	}
	if (answers->nerrors) {
		render_survey(&rc->page, s, answers);
		status = http_send_page(rc, 422);
		goto out;
	}
	err = store_answers(rc->srv, s, answers);
	if (err) {
		fprintf(stderr, "survey-server: could not store a response to %s: %s\n",
			s->id, sv_err_str(err));
		status = http_send_problem(rc, 503, "We could not save your answers just now. "
					   "Please go back and send them again in a minute.");
		goto out;
	}
	char location[PARSE_MAX_ID + 16];
	snprintf(location, sizeof location, "/s/%s/thanks", s->id);
	status = http_send_redirect(rc, location);
out:
	if (rc->body)
		sodium_memzero(rc->body, rc->body_len);
	form_body_free(&body); /* wipes the decoded answers */
	free(answers);
	return status;
}
