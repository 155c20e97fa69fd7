/*
 * flow.h - which questions a respondent is asked, and in what steps,
 * worked out on the server from their earlier answers (show_if).
 *
 * A survey of several pages is walked in steps.  A step is a page, or the
 * "follow-up" of a page: the questions of that page whose show_if depends
 * on another question of the same page.  Such a question is sent with its
 * page inside a block the browser's script reveals in place when the
 * condition is met (forms/static/respond.js); the revealed block sends a
 * FLOW_FIELD_SHOWN field naming it.  Without JavaScript the block stays
 * hidden and, when the condition turns out to be met, the question is asked
 * on the page's follow-up step instead.  A question whose condition is on an
 * earlier page is simply left out while unmet; a page with nothing left to
 * ask is skipped.  This module reads answers (form.h) and knows nothing of
 * HTML or HTTP.
 */
#ifndef SV_FLOW_H
#define SV_FLOW_H

#include <stdint.h>

#include "form.h"

#define FLOW_FIELD_SHOWN "_shown"   /* a follow-up revealed in place: its id */

/* Where a respondent is: page (0-based; npages is "check your answers"),
 * and whether it is that page's follow-up step. */
struct flow_step {
	int page;                   /* 0-based; s->npages: check your answers */
	int follow;                 /* 1: the page's follow-up questions only */
};

/* 1 if question i depends on a question of its own page (a follow-up). */
int flow_is_follow_up(const struct form_survey *s, int i);

/*
 * 1 if question i is part of step st: on a page, every question of it that
 * is shown (form_question_shown) and every follow-up (sent for in-place
 * reveal, shown or not); on a follow-up step, the page's follow-ups that are
 * shown.  answers NULL: a blank form.
 */
int flow_on_step(const struct form_survey *s, const struct form_answers *a,
		 struct flow_step st, int i);

/* The follow-ups revealed in place, as a bit per question, from the
 * FLOW_FIELD_SHOWN fields of a decoded body. */
uint64_t flow_shown_read(const struct form_survey *s, const struct form_body *body);

/*
 * The step after st once its answers are in: the page's follow-up when a
 * follow-up's condition is met and it was not in view (neither revealed in
 * place, its bit in shown, nor answered), else the next page with a question to ask, else the check page
 * (s->npages).
 */
struct flow_step flow_next(const struct form_survey *s, const struct form_answers *a,
			   struct flow_step st, uint64_t shown);

/* The step before st: a follow-up goes back to its page (which shows the
 * follow-up in place, its condition now known); a page to the previous page
 * with a question to ask; the first page stays. */
struct flow_step flow_prev(const struct form_survey *s, const struct form_answers *a,
			   struct flow_step st);

/*
 * Keeps only the errors the respondent can fix on step st (clears the
 * rest, adjusting a->nerrors): on a page, those of its questions, but not
 * of a follow-up that was not in view (as for flow_next); on a follow-up step, those of its questions.
 */
void flow_keep_errors(const struct form_survey *s, struct form_answers *a,
		      struct flow_step st, uint64_t shown);

/* The first step with an error (after form_answers_read), or the check
 * page (s->npages, follow 0) when there is none. */
struct flow_step flow_first_error(const struct form_survey *s, const struct form_answers *a);

/*
 * "Question first of total" for step st: total counts the questions shown
 * given the answers so far (a question whose condition is unmet or not yet
 * answered is not counted), first and last (1-based) place the step's shown
 * questions among them.  0 in *first when the step shows none.
 */
void flow_progress(const struct form_survey *s, const struct form_answers *a,
		   struct flow_step st, int *first /* OUT */, int *last /* OUT */,
		   int *total /* OUT */);

#endif
