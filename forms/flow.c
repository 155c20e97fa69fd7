/*
 * flow.c - the steps of a survey, worked out from earlier answers (flow.h).
 */
#include <string.h>

#include "flow.h"

int flow_is_follow_up(const struct form_survey *s, int i)
{
	const struct form_question *q = &s->questions[i];

	return !q->hidden && q->show_if_question >= 0 &&
	       s->questions[q->show_if_question].page == q->page;
}

/* Shown given the answers; with no answers only unconditional questions are. */
static int shown(const struct form_survey *s, const struct form_answers *a, int i)
{
	if (!a)
		return !s->questions[i].hidden && s->questions[i].show_if_question < 0;
	return form_question_shown(s, a, i);
}

int flow_on_step(const struct form_survey *s, const struct form_answers *a,
		 struct flow_step st, int i)
{
	if (st.page >= s->npages || s->questions[i].page != st.page)
		return 0;
	if (st.follow)
		return flow_is_follow_up(s, i) && shown(s, a, i);
	return flow_is_follow_up(s, i) || shown(s, a, i);
}

uint64_t flow_shown_read(const struct form_survey *s, const struct form_body *body)
{
	uint64_t bits = 0;

	for (size_t f = 0; f < body->count; f++) {
		if (strcmp(body->fields[f].name, FLOW_FIELD_SHOWN) != 0)
			continue;
		for (int i = 0; i < s->nquestions; i++)
			if (strcmp(s->questions[i].id, body->fields[f].value) == 0)
				bits |= (uint64_t)1 << i;
	}
	return bits;
}

/*
 * 1 if follow-up i was in view on its page: revealed in place (its bit in
 * shown), or answered (only a form that showed it can have sent an answer:
 * a page drawn after Back, or a script that sends every answer at once).
 */
static int in_view(const struct form_answers *a, uint64_t shown_bits, int i)
{
	const struct form_answer *ans = a ? &a->items[i] : NULL;

	return ((shown_bits >> i) & 1u) ||
	       (ans && (ans->value || ans->chosen || ans->other_text));
}

/* 1 if page p has a question to ask (not counting its follow-ups, which
 * hang on one of its other questions). */
static int page_asks(const struct form_survey *s, const struct form_answers *a, int p)
{
	for (int i = 0; i < s->nquestions; i++)
		if (s->questions[i].page == p && !flow_is_follow_up(s, i) && shown(s, a, i))
			return 1;
	return 0;
}

struct flow_step flow_next(const struct form_survey *s, const struct form_answers *a,
			   struct flow_step st, uint64_t shown_bits)
{
	struct flow_step next = { s->npages, 0 };

	if (st.page >= s->npages)
		return next;
	if (!st.follow)
		for (int i = 0; i < s->nquestions; i++)
			if (s->questions[i].page == st.page && flow_is_follow_up(s, i) &&
			    shown(s, a, i) && !in_view(a, shown_bits, i))
				return (struct flow_step){ st.page, 1 };
	for (int p = st.page + 1; p < s->npages; p++)
		if (page_asks(s, a, p))
			return (struct flow_step){ p, 0 };
	return next;
}

struct flow_step flow_prev(const struct form_survey *s, const struct form_answers *a,
			   struct flow_step st)
{
	if (st.follow)
		return (struct flow_step){ st.page, 0 };
	for (int p = st.page - 1; p >= 0; p--)
		if (page_asks(s, a, p))
			return (struct flow_step){ p, 0 };
	return (struct flow_step){ st.page < s->npages ? st.page : 0, 0 };
}

static void clear_error(struct form_answers *a, int i)
{
	struct form_answer *ans = &a->items[i];

	if (!ans->error[0])
		return;
	ans->error[0] = '\0';
	ans->error_template = NULL;
	a->nerrors--;
}

void flow_keep_errors(const struct form_survey *s, struct form_answers *a,
		      struct flow_step st, uint64_t shown_bits)
{
	for (int i = 0; i < s->nquestions; i++) {
		int keep = flow_on_step(s, a, st, i);
		if (keep && !st.follow && flow_is_follow_up(s, i))
			keep = in_view(a, shown_bits, i);
		if (!keep)
			clear_error(a, i);
	}
}

struct flow_step flow_first_error(const struct form_survey *s, const struct form_answers *a)
{
	for (int i = 0; i < s->nquestions; i++)
		if (a->items[i].error[0])
			return (struct flow_step){ s->questions[i].page, 0 };
	return (struct flow_step){ s->npages, 0 };
}

void flow_progress(const struct form_survey *s, const struct form_answers *a,
		   struct flow_step st, int *first, int *last, int *total)
{
	*first = *last = *total = 0;
	for (int i = 0; i < s->nquestions; i++) {
		if (!shown(s, a, i))
			continue;
		++*total;
		if (!flow_on_step(s, a, st, i))
			continue;
		if (!*first)
			*first = *total;
		*last = *total;
	}
}
