/*
 * respond.c - the respondent's pages: the list of surveys, a survey's pages,
 * its submission and the thanks page.
 *
 * A survey of several pages moves forward and back by POST, carrying earlier
 * answers in hidden fields (no cookie), and ends on "check your answers".
 * Which step comes next is worked out from the answers (forms/flow.h).  A
 * browser's form (RENDER_FIELD_PRG) gets each step as a 303 to
 * /s/ID/a/KEY, a GET of a short-lived encrypted draft (core/draft.h), so
 * that Back never asks to resend a form; other clients, and any step when
 * the draft store is full, get the page in the POST's answer as before.
 * The final submission goes: check every answer -> check the one-time token
 * -> build the payload -> seal it to the public key -> store it with its
 * theme counters in the shared commit -> wipe the journey's drafts -> 303.
 * Nothing is acknowledged before the commit, a replayed token gets the
 * thanks page without a second row, and a failed commit gets the answers
 * back (503).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "../core/draft.h"
#include "../core/parse.h"
#include "../forms/flow.h"
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

	struct seal_public key_copy;
	const struct seal_public *key = &key_copy;

	sbuf_init(&payload, SEAL_MAX_PLAINTEXT);
	form_answers_payload(s, answers, &payload);
	rc = payload.err;
	if (!rc)   /* the consultation's own key, else the server's; none yet: 503, answers kept */
		rc = server_key_for(srv, c->id, &key_copy);
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
	struct form_vote found[FORM_MAX_RANK];
	struct store_vote votes[FORM_MAX_RANK];
	int nvotes = form_answers_votes(s, answers, found, FORM_MAX_RANK);
	for (int i = 0; i < nvotes; i++)
		votes[i] = (struct store_vote){ s->questions[found[i].question].id,
			s->questions[found[i].question].options[found[i].option].id, found[i].rank };
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
		.votes = votes,
		.nvotes = (size_t)nvotes,
	};
	rc = store_response_insert(srv->store, &r);
out:
	free(sealed);
	return rc;
}

static int send_form(struct req_ctx *rc, int status, struct render_form *f)
{
	render_survey(&rc->page, f);
	return http_send_page(rc, status);
}

/*
 * A draft is one line saying which step to draw, then the form body as it
 * was posted (answers, token, language): the page is drawn from it exactly
 * as the POST would have drawn it.
 */
#define DRAFT_HEAD "yv1 %d %d %d %d %d %llx\n"

/* What a step's page needs besides the answers. */
struct step_view {
	int errors;                 /* show the errors of the step */
	uint64_t shown;             /* follow-ups revealed in place (flow.h) */
};

/*
 * Answers a POST with the page f: for a browser's form, 303 to a GET of a
 * fresh draft of it (Post/Redirect/Get), with ?lang=CODE in a translation
 * (the draft holds the language too; the address keeps it for the page that
 * says the draft has expired); else, or when no draft can be kept, the page
 * itself with status.
 */
static int answer_step(struct req_ctx *rc, int status, struct render_form *f,
		       const struct step_view *v, int prg)
{
	const struct form_survey *s = f->s;
	char key[DRAFT_KEY_LEN + 1], location[PARSE_MAX_ID + DRAFT_KEY_LEN + 32];
	struct sbuf d;

	if (!prg || !rc->srv->drafts)
		return send_form(rc, status, f);
	sbuf_init(&d, DRAFT_MAX_LEN);
	sbuf_addf(&d, DRAFT_HEAD, f->page, f->follow, f->ret, f->focus, v->errors,
		  (unsigned long long)v->shown);
	sbuf_add(&d, rc->body, rc->body_len);
	enum sv_err err = d.err ? d.err :
		drafts_put(rc->srv->drafts, s->id, f->token, d.buf, d.len, (long long)time(NULL), key);
	if (d.buf)
		sodium_memzero(d.buf, d.cap);
	sbuf_free(&d);
	if (err)
		return send_form(rc, status, f);  /* full: the page itself, as before */
	/* "Change" lands on its question by autofocus (render.c), with no #ID in
	 * the address: a fragment would stop autofocus, and leave the question's
	 * title above the top of the screen. */
	snprintf(location, sizeof location, "/s/%s/a/%s%s%s", s->id, key, f->lang ? "?lang=" : "",
		 f->lang ? s->langs[f->lang].code : "");
	sodium_memzero(key, sizeof key);
	int status_sent = http_send_redirect(rc, location);
	sodium_memzero(location, sizeof location);
	return status_sent;
}

/* The question with this id, or -1. */
static int question_index(const struct form_survey *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return i;
	return -1;
}

/* The final step: every answer checked, then the token, then store. */
static int submit(struct req_ctx *rc, struct render_form *f, struct form_answers *answers,
		  const char *token, int prg)
{
	const struct form_survey *s = f->s;
	char id[TOKEN_ID_LEN + 1], fresh[TOKEN_LEN + 1];

	if (answers->nerrors) {
		/* Go to the first page with a problem (its follow-ups in view). */
		struct flow_step st = flow_first_error(s, answers);
		struct step_view v = { 1, ~(uint64_t)0 };
		f->page = st.page;
		f->follow = f->ret = f->focus = 0;
		flow_keep_errors(s, answers, st, v.shown);
		return answer_step(rc, 422, f, &v, prg);
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
	/* Stored now, or by an earlier press of the same form: either way, thanks,
	 * and the pages Back would show again are wiped. */
	if (rc->srv->drafts)
		drafts_sent(rc->srv->drafts, token);
	char location[PARSE_MAX_ID + 32];
	const char *code = s->langs[f->lang].code;
	snprintf(location, sizeof location, "/s/%s/thanks%s%s", s->id,
		 f->lang ? "?lang=" : "", f->lang ? code : "");
	return http_send_redirect(rc, location);
}

/*
 * Continue on a page or a follow-up step: its own problems first; then the
 * next step (flow.h).  Reached by Change, it goes straight back to the
 * check page, unless the change brought in a question still to answer
 * (the page's follow-up, or a later page's question): that comes first.
 */
static int step_next(struct req_ctx *rc, struct render_form *f, struct form_answers *answers,
		     struct step_view *v, int prg)
{
	const struct form_survey *s = f->s;
	struct flow_step st = { f->page, f->follow };
	struct form_answers *here = malloc(sizeof *here);
	int status;

	if (!here)
		return http_send_problem(rc, 503, "Something went wrong on our side. Please try again in a minute.");
	memcpy(here, answers, sizeof *here);
	flow_keep_errors(s, here, st, v->shown);
	if (here->nerrors) {
		v->errors = 1;
		f->answers = here;
		status = answer_step(rc, 422, f, v, prg);
		f->answers = answers;
		goto out;
	}
	struct flow_step next = flow_next(s, answers, st, v->shown);
	if (f->ret && !next.follow)
		next = flow_first_error(s, answers); /* the check page when all is answered */
	f->page = next.page;
	f->follow = next.follow;
	f->focus = 0;
	if (f->page >= s->npages)
		f->ret = 0;
	form_answers_only_page(s, answers, s->npages); /* no errors on a fresh page */
	status = answer_step(rc, 200, f, v, prg);
out:
	sodium_memzero(here, sizeof *here);
	free(here);
	return status;
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
	const char *part = form_body_get(&body, RENDER_FIELD_PART);
	const char *ret = form_body_get(&body, RENDER_FIELD_RETURN);
	const char *prg_field = form_body_get(&body, RENDER_FIELD_PRG);
	int prg = prg_field && strcmp(prg_field, "1") == 0;
	f.follow = part && strcmp(part, "2") == 0 && f.page < s->npages;
	f.ret = ret && strcmp(ret, "check") == 0 && s->check_answers;
	struct flow_step st = { f.page, f.follow };
	struct step_view v = { 0, flow_shown_read(s, &body) };

	long long target;
	int qi;
	if (strcmp(action, "submit") == 0) {
		status = submit(rc, &f, answers, token, prg);
	} else if (strcmp(action, "next") == 0 && s->check_answers && f.page < s->npages) {
		status = step_next(rc, &f, answers, &v, prg);
	} else if (strcmp(action, "back") == 0 && (f.page > 0 || f.follow || f.ret)) {
		/* From a page opened by Change, Back returns to the check page. */
		st = f.ret ? (struct flow_step){ s->npages, 0 } : flow_prev(s, answers, st);
		f.page = st.page;
		f.follow = st.follow;
		f.ret = 0;
		form_answers_only_page(s, answers, s->npages);
		status = answer_step(rc, 200, &f, &v, prg);
	} else if (strncmp(action, "change-", 7) == 0 && s->check_answers &&
		   (qi = question_index(s, action + 7)) >= 0) {
		/* "Change" on the check page: the question's own page, focused
		 * on it; Continue there comes straight back. */
		f.page = s->questions[qi].page;
		f.follow = 0;
		f.ret = 1;
		f.focus = qi + 1;
		form_answers_only_page(s, answers, s->npages);
		status = answer_step(rc, 200, &f, &v, prg);
	} else if (strncmp(action, "page-", 5) == 0 &&
		   !parse_int(action + 5, strlen(action + 5), 1, s->npages, &target)) {
		f.page = (int)target - 1;
		f.follow = 0;
		form_answers_only_page(s, answers, s->npages);
		status = answer_step(rc, 200, &f, &v, prg);
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

/*
 * GET /s/ID/a/KEY: the step a POST redirected to, drawn again from its draft
 * (Back and reload come here too).  A journey already sent goes to the
 * thanks page; a draft that has expired, or never was, gets a short page
 * saying so (410), never anyone else's answers.
 */
int respond_draft(struct req_ctx *rc, const struct form_survey *s, const char *key)
{
	struct sbuf d;
	struct form_body body = { 0 };
	struct form_answers *answers = NULL;
	struct render_form f = { .s = s };
	struct step_view v = { 0, 0 };
	const char *why = NULL;
	char day[11];
	int status, consumed = 0;
	unsigned long long shown = 0;

	today(day);
	enum form_status state = form_survey_status_on(s, day);
	if (state != FORM_OPEN) {
		render_not_open(&rc->page, s, state, 0);
		return http_send_page(rc, 200);
	}
	sbuf_init(&d, DRAFT_MAX_LEN + 1);
	enum sv_err err = rc->srv->drafts ?
		drafts_get(rc->srv->drafts, s->id, key, strlen(key), (long long)time(NULL), &d) :
		SV_ERR_NOTFOUND;
	if (err == SV_ERR_EXISTS) {
		char location[PARSE_MAX_ID + 16];
		snprintf(location, sizeof location, "/s/%s/thanks", s->id);
		status = http_send_redirect(rc, location);
		goto out;
	}
	sbuf_add(&d, "", 1); /* a NUL, for sscanf */
	if (err || d.err ||
	    sscanf(d.buf, DRAFT_HEAD "%n", &f.page, &f.follow, &f.ret, &f.focus,
		   &v.errors, &shown, &consumed) != 6 || consumed <= 0 ||
	    f.page < 0 || f.page > s->npages || f.focus < 0 || f.focus > s->nquestions) {
		/* In the language the step's address names (answer_step). */
		render_expired(&rc->page, s, respond_query_lang(rc, s));
		status = http_send_page(rc, 410);
		goto out;
	}
	v.shown = (uint64_t)shown;
	answers = malloc(sizeof *answers);
	if (!answers || form_body_parse(d.buf + consumed, d.len - 1 - (size_t)consumed, &body, &why) ||
	    form_answers_read(s, &body, answers, &why)) {
		status = http_send_problem(rc, 503, "Something went wrong on our side. Please try again in a minute.");
		goto out;
	}
	const char *lang = form_body_get(&body, RENDER_FIELD_LANG);
	f.lang = lang ? form_lang_index(s, lang, strlen(lang)) : 0;
	f.token = form_body_get(&body, RENDER_FIELD_TOKEN);
	f.answers = answers;
	if (v.errors)
		flow_keep_errors(s, answers, (struct flow_step){ f.page, f.follow }, v.shown);
	else
		form_answers_only_page(s, answers, s->npages);
	status = send_form(rc, v.errors ? 422 : 200, &f);
out:
	form_body_free(&body);
	if (answers) {
		sodium_memzero(answers, sizeof *answers);
		free(answers);
	}
	if (d.buf)
		sodium_memzero(d.buf, d.cap);
	sbuf_free(&d);
	return status;
}
