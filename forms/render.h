/*
 * render.h - the HTML pages a respondent sees, rendered on the server.
 *
 * Pages work with JavaScript off and follow the GOV.UK Design System's
 * question patterns: a fieldset and legend per question, hints, an error
 * summary that links to each problem, each error beside its question, and
 * "check your answers" before a survey of several pages is sent.  Answers
 * from other steps travel in hidden fields (the server's short-lived drafts,
 * core/draft.h, only let it show a page again for Back), and no cookie is
 * set.  Which questions a step shows is forms/flow.h's; survey pages load
 * /static/respond.js, which reveals follow-ups in place and counts
 * characters, and is never needed.  Every piece of text from a definition or a respondent
 * goes through sbuf_add_html.  This module writes into an sbuf; HTTP is the
 * caller's.
 */
#ifndef SV_RENDER_H
#define SV_RENDER_H

#include "../core/sbuf.h"
#include "form.h"

#define RENDER_MAX_PAGE (512 * 1024)  /* bytes in one rendered page */

/* Form fields of ours; question ids cannot start with '_'. */
#define RENDER_FIELD_ACTION "_action"  /* which button: next, back, submit, page-N */
#define RENDER_FIELD_PAGE "_page"      /* the page the form was on (1-based; check page = npages + 1) */
#define RENDER_FIELD_TOKEN "_token"    /* the one-time token */
#define RENDER_FIELD_LANG "_lang"      /* the language code */
#define RENDER_FIELD_PART "_part"      /* "2" on a page's follow-up step (flow.h) */
#define RENDER_FIELD_RETURN "_return"  /* "check": reached by Change, Continue goes back */
#define RENDER_FIELD_PRG "_prg"        /* "1": a browser's form, answered 303 to a GET */

/*
 * Kiosk mode (survey-server/kiosk.c, forms/static/kiosk.js): the survey on a
 * shared tablet.  Every question is on one page with no "check your answers"
 * step; the page loads the kiosk's scripts, which check the answers, seal
 * them on the device to public_key and send them; the form remembers
 * nothing (autocomplete off).  Only /k/ pages set it: every other respondent
 * page stays free of script.
 */
struct render_kiosk {
	const char *public_key;            /* the kiosk transport key, base64url */
	size_t pad_block;                  /* each body is padded to this many bytes */
};

/* What a survey page shows. */
struct render_form {
	const struct form_survey *s;
	int lang;                          /* index into s->langs */
	const struct form_answers *answers;/* NULL for a blank form */
	int page;                          /* 0-based; s->npages means "check your answers" */
	const char *token;                 /* one-time token to carry */
	const char *notice;                /* a message above the form, or NULL */
	const struct render_kiosk *kiosk;  /* kiosk mode, or NULL */
	int follow;                        /* 1: the page's follow-up step (flow.h) */
	int ret;                           /* 1: opened by "Change": back to the check page */
	int focus;                         /* 1 + the question to focus ("Change"); 0 none */
	const char *action;                /* where the form posts, if not /s/ID (the
	                                    * staff preview: somewhere that stores nothing) */
	const char *lang_href;             /* where the language links go, each
	                                    * language's code appended (the staff
	                                    * preview: "/staff/surveys/ID/preview?lang="),
	                                    * or NULL for /s/ID?lang= (/k/ on a kiosk) */
};

/* GET /: the open surveys, with links. */
void render_index(struct sbuf *b, const struct form_catalog *cat, const char *today);

/* A page of the survey, or its "check your answers" page.  With answers
 * holding errors, it shows the error summary; answers are always kept. */
void render_survey(struct sbuf *b, const struct render_form *f);

/* After a response is stored: what happens next, with a link to the
 * consultation's "you said, we did" page once it is published. */
void render_thanks(struct sbuf *b, const struct form_survey *s, int lang);

/* A survey that is not open (not yet, or no longer): a friendly page. */
void render_not_open(struct sbuf *b, const struct form_survey *s, enum form_status state,
		     int lang);

/* A step's address whose draft has expired (or never was), in language
 * lang of the survey: say so, and link to its start (410). */
void render_expired(struct sbuf *b, const struct form_survey *s, int lang);

/*
 * The skeleton of a staff page for pages that do not know the signed-in
 * role: the menu shows only what every role may open (render_staff.h's
 * render_staff_page_start shows the whole menu of a role, and the error
 * summary).  user NULL for no menu.  The caller writes the main content
 * between the two.
 */
void render_staff_start(struct sbuf *b, const char *title, const char *user,
			const char *csrf, int has_error);
void render_staff_end(struct sbuf *b);

/* A public page outside any survey (render_yousaid.c's): the head, the
 * site's header and <main>; the caller writes the content, then
 * render_public_end (the footer). */
void render_public_start(struct sbuf *b, const char *title);
void render_public_end(struct sbuf *b);

/* Any other page with a heading and a sentence: not found, too large ... */
void render_message(struct sbuf *b, const char *title, const char *text);

#endif
