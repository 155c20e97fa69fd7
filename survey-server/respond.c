/*
 * respond.c - the respondent's pages: the list of surveys, a survey's pages,
 * its submission and the thanks page.
 *
 * A survey of several pages moves forward and back by POST, carrying earlier
 * answers in hidden fields (no draft on the server, no cookie), and ends on
 * "check your answers".  The final submission goes: check every answer ->
 * check the one-time token -> build the payload -> seal it to the public key
 * -> store it with its theme counters in the shared commit -> 303.  Nothing
 * is acknowledged before the commit, a replayed token gets the thanks page
 * without a second row, and a failed commit gets the answers back (503).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "../core/parse.h"
#include "../forms/render.h"
#include "http.h"
#include "server.h"

/* Today's date in UTC: the finest arrival time the database ever holds. */
static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ?lang=CODE on a GET, as an index into the survey's languages (server.h). */
int respond_query_lang(const struct req_ctx *rc, const struct form_survey *s)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	char code[8];

	if (!ri->query_string)
		return 0;
	int n = mg_get_var(ri->query_string, strlen(ri->query_string), "lang", code, sizeof code);
	return n > 0 ? form_lang_index(s, code, (size_t)n) : 0;
}

int respond_index(struct req_ctx *rc)
{
	char day[11];

	today(day);
	render_index(&rc->page, rc->srv->catalog, day);
	return http_send_page(rc, 200);
}

int respond_survey_form(struct req_ctx *rc, const struct form_survey *s)
{
	char day[11], token[TOKEN_LEN + 1];
	int lang = respond_query_lang(rc, s);

	today(day);
	enum form_status state = form_survey_status_on(s, day);
	if (state != FORM_OPEN) {
		render_not_open(&rc->page, s, state, lang);
		return http_send_page(rc, 200);
	}
	token_issue(&rc->srv->token_key, s->id, token_today(), token);
	struct render_form f = { .s = s, .lang = lang, .token = token };
	render_survey(&rc->page, &f);
	return http_send_page(rc, 200);
}

int respond_thanks(struct req_ctx *rc, const struct form_survey *s)
{
	render_thanks(&rc->page, s, respond_query_lang(rc, s));
	return http_send_page(rc, 200);
}

/* Seals the answers and stores them with their counters (server.h). */
enum sv_err respond_store_answers(struct server *srv, const struct form_survey *s,
				  const struct form_answers *answers, const char *once)
{
	struct sbuf payload;
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int themes[TAXONOMY_MAX_THEMES], priorities[TAXONOMY_MAX_PRIORITIES];
	const char *theme_ids[TAXONOMY_MAX_THEMES];
	/* Read once: a survey may move, and a theme list may be refined, while
	 * this request runs; it counts consistently in one of them. */
	const struct form_consultation *c = s->consultation;
	const struct taxonomy *tax = c->taxonomy;
	char day[11];
	enum sv_err rc;

	const struct seal_public *key = NULL;

	sbuf_init(&payload, SEAL_MAX_PLAINTEXT);
	form_answers_payload(s, answers, &payload);
	rc = payload.err;
	if (!rc)
		rc = server_key(srv, &key);   /* none yet: 503, answers kept */
	if (!rc)
		rc = seal_box_fixed(key, payload.buf, payload.len, s->seal_size,
				    &sealed, &sealed_len); /* one length for the survey */
	/* The plain answers are no longer needed: wipe them now. */
	if (payload.buf)
		sodium_memzero(payload.buf, payload.cap);
	sbuf_free(&payload);
	if (rc)
		goto out;

	int nthemes = form_answers_themes(s, tax, answers, themes);
	for (int i = 0; i < nthemes; i++)
		theme_ids[i] = tax->themes[themes[i]].id;
	int npriorities = form_themes_priorities(tax, themes, nthemes, priorities);
	today(day);
	struct store_response r = {
		.consultation = c->id,
		.survey = s->id,
		.day = day,
		.key_id = key->id,
		.sealed = sealed,
		.sealed_len = sealed_len,
		.themes = theme_ids,
		.nthemes = (size_t)nthemes,
		.priorities = priorities,
		.npriorities = (size_t)npriorities,
		.once = once,
	};
	rc = store_response_insert(srv->store, &r);
out:
	free(sealed);
	return rc;
}

/* 1 if page (0-based) has a question to show, given the answers. */
static int page_has_questions(const struct form_survey *s, const struct form_answers *a, int page)
{
	for (int i = 0; i < s->nquestions; i++)
		if (s->questions[i].page == page && form_question_shown(s, a, i))
			return 1;
	return 0;
}

/* The page after (step 1) or before (step -1) from; npages is the check page. */
static int step_page(const struct form_survey *s, const struct form_answers *a, int from, int step)
{
	for (int p = from + step; p >= 0 && p < s->npages; p += step)
		if (page_has_questions(s, a, p))
			return p;
	return step > 0 ? s->npages : from;
}

/* The first page holding an error, or -1. */
static int first_error_page(const struct form_survey *s, const struct form_answers *a)
{
	for (int i = 0; i < s->nquestions; i++)
		if (a->items[i].error[0])
			return s->questions[i].page;
	return -1;
}

static int send_form(struct req_ctx *rc, int status, struct render_form *f)
{
	render_survey(&rc->page, f);
	return http_send_page(rc, status);
}

/* The final step: every answer checked, then the token, then store. */
static int submit(struct req_ctx *rc, struct render_form *f, struct form_answers *answers,
		  const char *token)
{
	const struct form_survey *s = f->s;
	char id[TOKEN_ID_LEN + 1], fresh[TOKEN_LEN + 1];

	if (answers->nerrors) {
		/* On a survey of several pages, go to the first page with a problem. */
		if (s->npages > 1) {
			f->page = first_error_page(s, answers);
			form_answers_only_page(s, answers, f->page);
		}
		return send_form(rc, 422, f);
	}
	if (!token || token_check(&rc->srv->token_key, s->id, token, strlen(token), token_today(), id)) {
		/* Expired (a page left open for days), missing, or issued for
		 * another survey's form: nothing is lost; ask them to send again
		 * with a fresh token for this survey. */
		token_issue(&rc->srv->token_key, s->id, token_today(), fresh);
		f->token = fresh;
		f->page = s->check_answers ? s->npages : 0;
		f->notice = "This page was open for a long time, so we could not take your answers "
			    "yet. Please check them and send them again.";
		return send_form(rc, 422, f);
	}
	enum sv_err err = respond_store_answers(rc->srv, s, answers, id);
	if (err == SV_ERR_TOOBIG) {
		/* Every answer is within its limit, but the scrubber's markers made
		 * the text longer than any answer can be typed ("@a" becomes 27
		 * bytes): sealing it longer would show it.  Nothing stored; the
		 * answers go back with the same token. */
		f->page = s->check_answers ? s->npages : 0;
		f->notice = "What you wrote has so many contact details or user names in it that, "
			    "with each one replaced by a note such as \xe2\x80\x9c[email address removed]\xe2\x80\x9d, "
			    "it no longer fits. Please take some out and send your answers again.";
		return send_form(rc, 422, f);
	}
	if (err && err != SV_ERR_EXISTS) {
		/* Not stored (disk full, read-only, locked): say so calmly and give
		 * the answers back with the same token, which was not used up. */
		if (err == SV_ERR_NOTFOUND)
			fprintf(stderr, "survey-server: a response to %s waits for a key: run "
				"\"survey-server keygen\"\n", s->id);
		else
			fprintf(stderr, "survey-server: could not store a response to %s: %s\n",
				s->id, sv_err_str(err));
		f->page = s->check_answers ? s->npages : 0;
		f->notice = "We could not save your answers. Please try again.";
		return send_form(rc, 503, f);
	}
	/* Stored now, or by an earlier press of the same form: either way, thanks. */
	char location[PARSE_MAX_ID + 32];
	const char *code = s->langs[f->lang].code;
	snprintf(location, sizeof location, "/s/%s/thanks%s%s", s->id,
		 f->lang ? "?lang=" : "", f->lang ? code : "");
	return http_send_redirect(rc, location);
}

/* Reads _page: 1..npages, or npages + 1 for the check page; 1 if absent. */
static int read_page(const struct form_body *body, const struct form_survey *s, int *page)
{
	const char *v = form_body_get(body, RENDER_FIELD_PAGE);
	long long n = 1;

	if (v && parse_int(v, strlen(v), 1, s->npages + (s->check_answers ? 1 : 0), &n))
		return -1;
	*page = (int)n - 1;
	return 0;
}

/* 429, kindly: the form is still in their browser; Back and Send again works. */
static int send_wait_page(struct req_ctx *rc, const struct form_survey *s)
{
	(void)s;
	render_message(&rc->page, "Please wait a moment",
		       "Lots of answers have come from your connection in the last minute. "
		       "Please wait a minute, then go back and press the button again. "
		       "Your answers are still on the page you came from.");
	if (rc->page.err)
		return http_send_page(rc, 429);
	return http_send(rc, 429, "text/html; charset=utf-8", rc->page.buf, rc->page.len,
			 "Retry-After: 60\r\nCache-Control: no-store\r\n");
}

int respond_survey_post(struct req_ctx *rc, const struct form_survey *s)
{
	struct form_body body = { 0 };
	struct form_answers *answers = NULL;
	const char *why = NULL;
	char day[11];
	enum sv_err err;
	int status;

	today(day);
	enum form_status state = form_survey_status_on(s, day);
	if (state != FORM_OPEN) {
		render_not_open(&rc->page, s, state, 0);
		return http_send_page(rc, 403);
	}
	char addr[64];
	http_client_addr(rc, addr, sizeof addr);
	int allowed = rate_allow(rc->srv->limiter, addr, (long long)time(NULL));
	sodium_memzero(addr, sizeof addr);
	if (!allowed)
		return send_wait_page(rc, s);
	if (!http_content_type_is(rc, "application/x-www-form-urlencoded"))
		return http_send_problem(rc, 415, "Answers must be sent from the survey form.");
	err = http_read_body(rc, HTTP_MAX_BODY);
	if (err == SV_ERR_TOOBIG)
		return http_send_problem(rc, 413, "Your answers are longer than we can take. "
					 "Please shorten what you wrote and send them again.");
	if (err)
		return http_send_problem(rc, http_status_from_err(err),
					 "Your answers did not arrive. Please try again.");
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
	const char *lang = form_body_get(&body, RENDER_FIELD_LANG);
	const char *action = form_body_get(&body, RENDER_FIELD_ACTION);
	const char *token = form_body_get(&body, RENDER_FIELD_TOKEN);
	struct render_form f = {
		.s = s,
		.lang = lang ? form_lang_index(s, lang, strlen(lang)) : 0,
		.answers = answers,
		.token = token,
	};
	if (read_page(&body, s, &f.page)) {
		status = http_send_problem(rc, 400, "The page number in the form is not one of this survey's.");
		goto out;
	}
	if (!action)
		action = s->check_answers ? "next" : "submit";

	long long target;
	if (strcmp(action, "submit") == 0) {
		status = submit(rc, &f, answers, token);
	} else if (strcmp(action, "next") == 0 && s->check_answers && f.page < s->npages) {
		form_answers_only_page(s, answers, f.page);
		if (answers->nerrors) {
			status = send_form(rc, 422, &f);
		} else {
			f.page = step_page(s, answers, f.page, 1);
			form_answers_only_page(s, answers, s->npages); /* no errors on a fresh page */
			status = send_form(rc, 200, &f);
		}
	} else if (strcmp(action, "back") == 0 && f.page > 0) {
		f.page = step_page(s, answers, f.page, -1);
		form_answers_only_page(s, answers, s->npages);
		status = send_form(rc, 200, &f);
	} else if (strncmp(action, "page-", 5) == 0 &&
		   !parse_int(action + 5, strlen(action + 5), 1, s->npages, &target)) {
		f.page = (int)target - 1;
		form_answers_only_page(s, answers, s->npages);
		status = send_form(rc, 200, &f);
	} else {
		status = http_send_problem(rc, 400, "The form asked for something this survey cannot do.");
	}
out:
	form_body_free(&body); /* wipes the decoded answers */
	if (rc->body)
		sodium_memzero(rc->body, rc->body_len);
	free(answers);
	return status;
}
