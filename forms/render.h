/*
 * render.h - the HTML pages a respondent sees, rendered on the server.
 *
 * Pages work with JavaScript off and follow the GOV.UK Design System's
 * question patterns: a fieldset and legend per question, hints, an error
 * summary that links to each problem, and each error beside its question.
 * Every piece of text from a definition or a respondent goes through
 * sbuf_add_html.  This module writes into an sbuf; HTTP is the caller's.
 */
#ifndef SV_RENDER_H
#define SV_RENDER_H

#include "../core/sbuf.h"
#include "form.h"

#define RENDER_MAX_PAGE (512 * 1024)  /* bytes in one rendered page */

/* GET /: the open surveys, with links. */
void render_index(struct sbuf *b, const struct form_catalog *cat);

/* The survey form.  With answers (after a failed POST) it shows the error
 * summary and every answer given; with NULL it is blank. */
void render_survey(struct sbuf *b, const struct form_survey *s,
		   const struct form_answers *answers);

/* After a response is stored: what happens next. */
void render_thanks(struct sbuf *b, const struct form_survey *s);

/* A survey that is not open (draft or closed): a friendly page. */
void render_not_open(struct sbuf *b, const struct form_survey *s);

/* Any other page with a heading and a sentence: not found, too large ... */
void render_message(struct sbuf *b, const char *title, const char *text);

#endif
