/*
 * form_answers.c - a respondent's answers: a decoded form body read against
 * a survey, the messages for what must be fixed, which questions are shown,
 * and the themes and priorities the answers raise (see form.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

/*
 * The question a field answers: "ID", "ID[]" for a multiple choice, "ID.other"
 * for its "something else" box (*other set), or "ID.2" and "ID.3" for a
 * ballot's second and third choices (*rank set to 2 or 3, else 1).
 */
static int question_for_field(const struct form_survey *s, const char *name, int *other,
			      int *rank)
{
	size_t n = strlen(name);
	int brackets = n > 2 && strcmp(name + n - 2, "[]") == 0;

	*rank = 1;
	if (n > 2 && name[n - 2] == '.' && name[n - 1] >= '2' && name[n - 1] <= '0' + FORM_MAX_RANK) {
		*rank = name[n - 1] - '0';
		n -= 2;
	}
	*other = *rank == 1 && n > 6 && strcmp(name + n - 6, ".other") == 0;
	if (*other)
		n -= 6;
	else if (brackets)
		n -= 2;
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		if (*other ? !q->other : brackets != (q->type == FORM_MULTIPLE))
			continue;
		if (*rank > 1 && (q->type != FORM_BALLOT || *rank > q->rank))
			continue;
		if (strlen(q->id) == n && memcmp(q->id, name, n) == 0)
			return i;
	}
	return -1;
}

static int option_index(const struct form_question *q, const char *value)
{
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].id, value) == 0)
			return i;
	return -1;
}

/* Text answers: trims nothing, but all-space counts as empty. */
static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return 0;
	return 1;
}

/* Records an error from a template with {max} and {n}, in the source language. */
static void answer_error(struct form_answers *out, struct form_answer *a,
			 const char *tmpl, int max, int n)
{
	struct sbuf b;
	struct form_var vars[] = { { "max", max, NULL }, { "n", n, NULL } };

	a->error_template = tmpl;
	a->error_max = max;
	a->error_n = n;
	sbuf_init(&b, sizeof a->error - 1);
	form_fill(&b, tmpl, vars, 2);
	snprintf(a->error, sizeof a->error, "%s", b.buf && !b.err ? b.buf : tmpl);
	sbuf_free(&b);
	out->nerrors++;
}

const char *form_missing_message(const struct form_question *q)
{
	if (q->error)
		return q->error;
	switch (q->type) {
	case FORM_MULTIPLE: return "Choose at least one answer";
	case FORM_TEXT: return "Write your answer in the box";
	case FORM_AGE_BAND: return "Choose your age group, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_DISTRICT: return "Choose where you live, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_YES_NO: return "Choose yes or no";
	case FORM_BALLOT: return q->rank > 1 ? "Choose your first choice" : "Choose one issue";
	case FORM_GENDER:
	case FORM_ETHNICITY:
	case FORM_DISABILITY:
	case FORM_YOUNG_CARER:
	case FORM_CARE_EXPERIENCE:
		return "Choose an answer, or \xe2\x80\x9cPrefer not to say\xe2\x80\x9d";
	case FORM_SINGLE:
	case FORM_RATING: break;
	}
	return "Choose one answer";
}

int form_question_shown(const struct form_survey *s, const struct form_answers *a, int i)
{
	const struct form_question *q = &s->questions[i];

	if (q->hidden)
		return 0;
	if (q->show_if_question < 0)
		return 1;
	/* A question that depends on a hidden one is hidden too. */
	if (!form_question_shown(s, a, q->show_if_question))
		return 0;
	const struct form_question *cq = &s->questions[q->show_if_question];
	const struct form_answer *ca = &a->items[q->show_if_question];
	if (cq->type == FORM_MULTIPLE)
		return (int)((ca->chosen >> q->show_if_option) & 1u);
	return ca->value && strcmp(ca->value, cq->options[q->show_if_option].id) == 0;
}

/* Reads one field into its answer; SV_ERR_INVALID for what our form never sends. */
static enum sv_err read_field(const struct form_survey *s, const struct form_field *field,
			      struct form_answers *out, const char **why)
{
	int other, rank;
	int qi = question_for_field(s, field->name, &other, &rank);

	if (qi < 0)
		return SV_OK; /* not ours: a button, a hidden token, a later version's field */
	const struct form_question *q = &s->questions[qi];
	struct form_answer *a = &out->items[qi];
	if (other) {
		if (a->other_text) {
			*why = "a question was answered twice";
			return SV_ERR_INVALID;
		}
		a->other_text = field->value;
		return SV_OK;
	}
	int k = -1;
	if (q->type == FORM_MULTIPLE || (q->type != FORM_TEXT && field->value_len)) {
		k = option_index(q, field->value);
		if (k < 0) {
			*why = "an answer is not one of the choices offered";
			return SV_ERR_INVALID;
		}
	}
	/* A hidden option is kept for earlier answers only.  A form shown
	 * before it was hidden (a new version published meanwhile) may still
	 * send it: the respondent is asked to choose again. */
	if (k >= 0 && q->options[k].hidden) {
		if (!a->error[0])
			answer_error(out, a, "That answer is no longer offered \xe2\x80\x93 "
				     "please choose another", 0, 0);
		return SV_OK;
	}
	if (q->type == FORM_MULTIPLE) {
		a->chosen |= (uint32_t)1 << k;
		return SV_OK;
	}
	if (rank > 1) {
		if (a->ranked[rank - 2]) {
			*why = "a question was answered twice";
			return SV_ERR_INVALID;
		}
		a->ranked[rank - 2] = field->value;
		return SV_OK;
	}
	if (a->value) {
		*why = "a question was answered twice";
		return SV_ERR_INVALID;
	}
	a->value = field->value;
	return SV_OK;
}

/*
 * A ranked ballot's choices: filled in order (no second choice without a
 * first, no third without a second) and each issue at most once.  Returns 1
 * with an error recorded when they are not.
 */
_Static_assert(FORM_MAX_RANK == 3, "the choice lists below name three ranks");

static int check_ranks(struct form_answer *a, struct form_answers *out)
{
	const char *choice[FORM_MAX_RANK] = { a->value, a->ranked[0], a->ranked[1] };

	for (int r = 1; r < FORM_MAX_RANK; r++)
		if (choice[r] && !choice[r - 1]) {
			answer_error(out, a, "Fill in your choices in order, starting with your "
				     "first choice", 0, 0);
			return 1;
		}
	for (int r = 1; r < FORM_MAX_RANK; r++)
		for (int e = 0; choice[r] && e < r; e++)
			if (strcmp(choice[r], choice[e]) == 0) {
				answer_error(out, a, "You chose the same issue more than once "
					     "\xe2\x80\x93 choose a different issue for each choice", 0, 0);
				return 1;
			}
	return 0;
}

/* "Something else": the box counts only with its option, which it implies. */
static void settle_other(const struct form_question *q, struct form_answer *a,
			 struct form_answers *out)
{
	if (a->other_text && is_blank(a->other_text))
		a->other_text = NULL;
	if (!q->other || !a->other_text)
		return;
	int k = option_index(q, FORM_OTHER);
	if (q->type == FORM_MULTIPLE) {
		a->chosen |= (uint32_t)1 << k;
	} else if (!a->value) {
		a->value = q->options[k].id;
	} else if (strcmp(a->value, FORM_OTHER) != 0) {
		answer_error(out, a, "You wrote something in the box, so choose "
			     "\xe2\x80\x9cSomething else\xe2\x80\x9d, or empty the box", 0, 0);
		return;
	}
	size_t chars = utf8_length(a->other_text, strlen(a->other_text));
	if (chars > FORM_MAX_OTHER)
		answer_error(out, a, "What you wrote is {n} characters long \xe2\x80\x93 "
			     "please keep it to {max} or fewer", FORM_MAX_OTHER, (int)chars);
}

enum sv_err form_answers_read(const struct form_survey *s,
			      const struct form_body *body,
			      struct form_answers *out, const char **why)
{
	memset(out, 0, sizeof *out);
	*why = NULL;
	for (size_t f = 0; f < body->count; f++) {
		enum sv_err rc = read_field(s, &body->fields[f], out, why);
		if (rc)
			return rc;
	}
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		struct form_answer *a = &out->items[i];
		if (a->value && is_blank(a->value))
			a->value = NULL; /* an empty box or an unselected choice */
		for (int r = 0; r < FORM_MAX_RANK - 1; r++)
			if (a->ranked[r] && !*a->ranked[r])
				a->ranked[r] = NULL; /* "Choose an issue" left as it was */
		settle_other(q, a, out);
		if (a->error[0])
			continue;
		if (q->type == FORM_BALLOT && check_ranks(a, out))
			continue;
		int answered = q->type == FORM_MULTIPLE ? a->chosen != 0 : a->value != NULL;
		if (!answered) {
			if (q->required)
				answer_error(out, a, form_missing_message(q), 0, 0);
			continue;
		}
		if (q->type == FORM_MULTIPLE && q->max_choices) {
			int n = __builtin_popcount(a->chosen);
			if (n > q->max_choices)
				answer_error(out, a, "Choose up to {max} answers \xe2\x80\x93 you chose {n}",
					     q->max_choices, n);
		}
		if (q->type == FORM_TEXT) {
			size_t chars = utf8_length(a->value, strlen(a->value));
			if (chars > (size_t)q->max_length)
				answer_error(out, a, "Your answer is {n} characters long \xe2\x80\x93 "
					     "please keep it to {max} or fewer", q->max_length, (int)chars);
		}
	}
	/* A question not shown (its condition unmet) has no answer and no error;
	 * later questions first, so a chain of conditions settles in one pass. */
	for (int i = s->nquestions - 1; i >= 0; i--) {
		if (form_question_shown(s, out, i))
			continue;
		struct form_answer *a = &out->items[i];
		if (a->error[0])
			out->nerrors--;
		memset(a, 0, sizeof *a);
	}
	return SV_OK;
}

void form_answers_only_page(const struct form_survey *s, struct form_answers *a, int page)
{
	for (int i = 0; i < s->nquestions; i++) {
		struct form_answer *ans = &a->items[i];
		if (page < 0 || s->questions[i].page == page || !ans->error[0])
			continue;
		ans->error[0] = '\0';
		ans->error_template = NULL;
		a->nerrors--;
	}
}

int form_answers_votes(const struct form_survey *s, const struct form_answers *a,
		       struct form_vote *out, int max)
{
	int n = 0;

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		if (q->type != FORM_BALLOT)
			continue;
		const char *choice[FORM_MAX_RANK] = { ans->value, ans->ranked[0], ans->ranked[1] };
		for (int r = 0; r < q->rank && choice[r] && n < max; r++) {
			int k = option_index(q, choice[r]);
			if (k >= 0)
				out[n++] = (struct form_vote){ i, k, r + 1 };
		}
	}
	return n;
}

const struct form_question *form_survey_ballot(const struct form_survey *s)
{
	for (int i = 0; i < s->nquestions; i++)
		if (s->questions[i].type == FORM_BALLOT)
			return &s->questions[i];
	return NULL;
}

int form_answers_themes(const struct form_survey *s, const struct taxonomy *tax,
			const struct form_answers *a, int themes[TAXONOMY_MAX_THEMES])
{
	unsigned char seen[TAXONOMY_MAX_THEMES] = { 0 };
	int n = 0;

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		for (int k = 0; k < q->noptions; k++) {
			int picked = q->type == FORM_MULTIPLE ?
				(int)((ans->chosen >> k) & 1u) :
				ans->value && strcmp(ans->value, q->options[k].id) == 0;
			/* A ballot raises the themes of every issue it ranks. */
			for (int r = 0; q->type == FORM_BALLOT && r < FORM_MAX_RANK - 1; r++)
				picked |= ans->ranked[r] && strcmp(ans->ranked[r], q->options[k].id) == 0;
			if (!picked)
				continue;
			for (int t = 0; t < q->options[k].nthemes; t++) {
				int index = taxonomy_theme_index(tax, q->options[k].themes[t]);
				if (index >= 0)
					seen[index] = 1;
			}
		}
	}
	for (int t = 0; t < TAXONOMY_MAX_THEMES; t++)
		if (seen[t])
			themes[n++] = t;
	return n;
}

int form_themes_priorities(const struct taxonomy *t, const int *themes, int nthemes,
			   int priorities[TAXONOMY_MAX_PRIORITIES])
{
	unsigned char seen[TAXONOMY_MAX_PRIORITIES + 1] = { 0 };
	int n = 0;

	for (int i = 0; i < nthemes; i++) {
		const struct theme *th = &t->themes[themes[i]];
		for (int k = 0; k < th->npriorities; k++)
			seen[th->priorities[k]] = 1;
	}
	for (int p = 1; p <= TAXONOMY_MAX_PRIORITIES; p++)
		if (seen[p])
			priorities[n++] = p;
	return n;
}
