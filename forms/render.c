/*
 * render.c - server-rendered respondent pages (see render.h).
 */
#include <string.h>

#include "render.h"

#define SERVICE_NAME "Your voice"

static void page_start(struct sbuf *b, const char *title, int has_error)
{
	sbuf_adds(b,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>");
	if (has_error)
		sbuf_adds(b, "Error: ");
	sbuf_adds_html(b, title);
	sbuf_adds(b, " \xe2\x80\x93 " SERVICE_NAME "</title>\n"
		"<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		"</head>\n<body>\n"
		"<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n"
		"<header class=\"site-header\"><a class=\"site-name\" href=\"/\">"
		SERVICE_NAME "</a></header>\n"
		"<main id=\"main\" class=\"main\">\n");
}

static void page_end(struct sbuf *b)
{
	sbuf_adds(b, "</main>\n<footer class=\"site-footer\"><p>No account, no tracking "
		"cookies, no adverts. Your answers are locked so that only the team "
		"running the survey can read them.</p></footer>\n</body>\n</html>\n");
}

/* Paragraphs: a blank line in the definition starts a new one. */
static void prose(struct sbuf *b, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		sbuf_adds(b, "<p>");
		sbuf_add_html(b, p, n);
		sbuf_adds(b, "</p>\n");
		p += n;
		while (*p == '\n')
			p++;
	}
}

void render_index(struct sbuf *b, const struct form_catalog *cat)
{
	int shown = 0;

	page_start(b, "Have your say", 0);
	sbuf_adds(b, "<h1>Have your say</h1>\n"
		"<p>These surveys ask young people what matters to them. "
		"You don\xe2\x80\x99t need an account, and you don\xe2\x80\x99t "
		"have to answer anything you don\xe2\x80\x99t want to.</p>\n");
	for (int i = 0; i < cat->nsurveys; i++) {
		const struct form_survey *s = &cat->surveys[i];
		if (s->status != FORM_OPEN)
			continue;
		if (!shown++)
			sbuf_adds(b, "<ul class=\"survey-list\">\n");
		sbuf_adds(b, "<li><a href=\"/s/");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, s->title);
		sbuf_adds(b, "</a></li>\n");
	}
	if (shown)
		sbuf_adds(b, "</ul>\n");
	else
		sbuf_adds(b, "<p>There are no surveys open right now. Please come back later.</p>\n");
	page_end(b);
}

/* The id of the element an error summary link should jump to. */
static void first_control_id(struct sbuf *b, const struct form_question *q)
{
	sbuf_adds_html(b, q->id);
	if (q->type != FORM_TEXT) {
		sbuf_adds(b, "-");
		sbuf_adds_html(b, q->options[0].id);
	}
}

static void error_summary(struct sbuf *b, const struct form_survey *s,
			  const struct form_answers *a)
{
	sbuf_adds(b, "<div class=\"error-summary\" tabindex=\"-1\" "
		"aria-labelledby=\"error-summary-title\">\n"
		"<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n");
	for (int i = 0; i < s->nquestions; i++) {
		if (!a->items[i].error[0])
			continue;
		sbuf_adds(b, "<li><a href=\"#");
		first_control_id(b, &s->questions[i]);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, a->items[i].error);
		sbuf_adds(b, "</a></li>\n");
	}
	sbuf_adds(b, "</ul>\n</div>\n");
}

static void described_by(struct sbuf *b, const struct form_question *q, int has_error)
{
	if (!q->hint && !has_error && q->type != FORM_TEXT)
		return;
	sbuf_adds(b, " aria-describedby=\"");
	const char *sep = "";
	if (q->hint || q->type == FORM_TEXT) {
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-hint");
		sep = " ";
	}
	if (has_error) {
		sbuf_adds(b, sep);
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-error");
	}
	sbuf_adds(b, "\"");
}

static void hint_and_error(struct sbuf *b, const struct form_question *q,
			   const struct form_answer *a)
{
	if (q->hint || q->type == FORM_TEXT) {
		sbuf_adds(b, "<div class=\"hint\" id=\"");
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-hint\">");
		if (q->hint) {
			sbuf_adds(b, "<p>");
			sbuf_adds_html(b, q->hint);
			sbuf_adds(b, "</p>");
		}
		if (q->type == FORM_TEXT)
			sbuf_addf(b, "<p>Please don\xe2\x80\x99t write names, phone numbers or "
				  "other contact details. You can write up to %d characters.</p>",
				  q->max_length);
		sbuf_adds(b, "</div>\n");
	}
	if (a && a->error[0]) {
		sbuf_adds(b, "<p class=\"error-message\" id=\"");
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-error\"><span class=\"visually-hidden\">Error:</span> ");
		sbuf_adds_html(b, a->error);
		sbuf_adds(b, "</p>\n");
	}
}

static void question_title(struct sbuf *b, const struct form_question *q)
{
	sbuf_adds_html(b, q->title);
	if (!q->required)
		sbuf_adds(b, " <span class=\"optional\">(optional)</span>");
}

static void render_choice_question(struct sbuf *b, const struct form_question *q,
				   const struct form_answer *a)
{
	int has_error = a && a->error[0];
	const char *type = q->type == FORM_MULTIPLE ? "checkbox" : "radio";

	sbuf_adds(b, "<fieldset class=\"question\"");
	described_by(b, q, has_error);
	sbuf_adds(b, ">\n<legend><h2 class=\"question-title\">");
	question_title(b, q);
	sbuf_adds(b, "</h2></legend>\n");
	if (q->type == FORM_MULTIPLE && q->max_choices)
		sbuf_addf(b, "<p class=\"hint\">Choose up to %d.</p>\n", q->max_choices);
	hint_and_error(b, q, a);
	sbuf_adds(b, "<div class=\"choices\">\n");
	for (int k = 0; k < q->noptions; k++) {
		const struct form_option *o = &q->options[k];
		int checked = a && (q->type == FORM_MULTIPLE ?
			(int)((a->chosen >> k) & 1u) :
			a->value && strcmp(a->value, o->id) == 0);
		sbuf_addf(b, "<div class=\"choice\"><input type=\"%s\" id=\"", type);
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-");
		sbuf_adds_html(b, o->id);
		sbuf_adds(b, "\" name=\"");
		sbuf_adds_html(b, q->id);
		/* "[]" marks a field sent once per ticked box (HTML validators ask for it). */
		sbuf_adds(b, q->type == FORM_MULTIPLE ? "[]\" value=\"" : "\" value=\"");
		sbuf_adds_html(b, o->id);
		sbuf_adds(b, checked ? "\" checked><label for=\"" : "\"><label for=\"");
		sbuf_adds_html(b, q->id);
		sbuf_adds(b, "-");
		sbuf_adds_html(b, o->id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, o->label);
		sbuf_adds(b, "</label></div>\n");
	}
	sbuf_adds(b, "</div>\n</fieldset>\n");
}

static void render_text_question(struct sbuf *b, const struct form_question *q,
				 const struct form_answer *a)
{
	int has_error = a && a->error[0];

	sbuf_adds(b, "<div class=\"question\">\n<h2 class=\"question-title\"><label for=\"");
	sbuf_adds_html(b, q->id);
	sbuf_adds(b, "\">");
	question_title(b, q);
	sbuf_adds(b, "</label></h2>\n");
	hint_and_error(b, q, a);
	sbuf_adds(b, "<textarea id=\"");
	sbuf_adds_html(b, q->id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds_html(b, q->id);
	sbuf_adds(b, "\" rows=\"6\"");
	described_by(b, q, has_error);
	if (has_error)
		sbuf_adds(b, " aria-invalid=\"true\"");
	sbuf_adds(b, ">");
	if (a && a->value)
		sbuf_adds_html(b, a->value);
	sbuf_adds(b, "</textarea>\n</div>\n");
}

void render_survey(struct sbuf *b, const struct form_survey *s,
		   const struct form_answers *answers)
{
	int has_error = answers && answers->nerrors > 0;

	page_start(b, s->title, has_error);
	if (has_error)
		error_summary(b, s, answers);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, "</h1>\n<div class=\"intro\">\n");
	prose(b, s->introduction);
	sbuf_adds(b, "</div>\n<section class=\"privacy\" aria-labelledby=\"privacy-title\">\n"
		"<h2 id=\"privacy-title\">How we look after your answers</h2>\n");
	prose(b, s->privacy);
	sbuf_adds(b, "</section>\n<form method=\"post\" action=\"/s/");
	sbuf_adds_html(b, s->id);
	sbuf_adds(b, "\" novalidate>\n");
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *a = answers ? &answers->items[i] : NULL;
		sbuf_adds(b, a && a->error[0] ? "<div class=\"group group-error\">\n" :
			  "<div class=\"group\">\n");
		if (q->type == FORM_TEXT)
			render_text_question(b, q, a);
		else
			render_choice_question(b, q, a);
		sbuf_adds(b, "</div>\n");
	}
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Send my answers</button>\n"
		"</form>\n");
	page_end(b);
}

void render_thanks(struct sbuf *b, const struct form_survey *s)
{
	page_start(b, "Thank you", 0);
	sbuf_adds(b, "<div class=\"panel\">\n<h1>Thank you</h1>\n"
		"<p>We have your answers to \xe2\x80\x9c");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, "\xe2\x80\x9d.</p>\n</div>\n"
		"<h2>What happens next</h2>\n"
		"<p>We add up what everyone says and share it with the people who plan "
		"services for children and young people in your area. Nobody will be able "
		"to tell which answers were yours.</p>\n"
		"<p>You can close this page now.</p>\n"
		"<p><a class=\"nav-link\" href=\"/\">See other surveys</a></p>\n");
	page_end(b);
}

void render_not_open(struct sbuf *b, const struct form_survey *s)
{
	page_start(b, s->title, 0);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, "</h1>\n");
	if (s->status == FORM_CLOSED)
		sbuf_adds(b, "<p>This survey has closed, so it isn\xe2\x80\x99t taking "
			  "answers any more. Thank you to everyone who took part.</p>\n");
	else
		sbuf_adds(b, "<p>This survey isn\xe2\x80\x99t open yet. Please come back later.</p>\n");
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/\">See the surveys that are open</a></p>\n");
	page_end(b);
}

void render_message(struct sbuf *b, const char *title, const char *text)
{
	page_start(b, title, 0);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, title);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</p>\n<p><a class=\"nav-link\" href=\"/\">Go to the list of surveys</a></p>\n");
	page_end(b);
}
