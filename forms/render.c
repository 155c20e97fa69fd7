/*
 * render.c - server-rendered respondent pages (see render.h).
 */
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "render.h"
#include "render_staff.h"

#define SERVICE_NAME "Your voice"
#define LDQUO "\xe2\x80\x9c"
#define RDQUO "\xe2\x80\x9d"

/* Everything a page needs to speak the respondent's language. */
struct page {
	struct sbuf *b;
	const struct form_survey *s;  /* NULL on pages outside a survey */
	int lang;
	int kiosk;                    /* a kiosk page: no way out to other pages */
	const struct form_question *focus; /* its first control gets autofocus, or NULL */
	const char *lang_href;        /* where language links go, the code appended
	                               * (render_form's), or NULL for the survey's own */
};

/* The text in the page's language. */
static const char *T(const struct page *p, const char *text)
{
	return p->s ? form_tr(p->s, p->lang, text) : text;
}

/* Appends translated text, escaped. */
static void text(const struct page *p, const char *t)
{
	sbuf_adds_html(p->b, T(p, t));
}

/* Appends a translated template with placeholders filled, escaped. */
static void fill(const struct page *p, const char *tmpl, const struct form_var *vars, int n)
{
	struct sbuf tmp;

	sbuf_init(&tmp, 4096);
	form_fill(&tmp, T(p, tmpl), vars, n);
	if (tmp.buf && !tmp.err)
		sbuf_add_html(p->b, tmp.buf, tmp.len);
	sbuf_free(&tmp);
}

static void page_start(const struct page *p, const char *title, int has_error)
{
	const struct form_lang *l = p->s ? &p->s->langs[p->lang] : NULL;

	sbuf_adds(p->b, "<!DOCTYPE html>\n<html lang=\"");
	sbuf_adds_html(p->b, l ? l->code : "en");
	sbuf_adds(p->b, l && l->rtl ? "\" dir=\"rtl\">\n" : "\">\n");
	sbuf_adds(p->b, "<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (has_error) {
		text(p, "Error:");
		sbuf_adds(p->b, " ");
	}
	sbuf_adds_html(p->b, title);
	sbuf_adds(p->b, " \xe2\x80\x93 ");
	text(p, SERVICE_NAME);
	sbuf_adds(p->b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
	if (p->kiosk)
		sbuf_adds(p->b, "<link rel=\"stylesheet\" href=\"/static/kiosk/kiosk.css\">\n");
	sbuf_adds(p->b, "</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">");
	text(p, "Skip to main content");
	/* On a kiosk the name is no link: a tap must not leave the survey. */
	sbuf_adds(p->b, p->kiosk ? "</a>\n<header class=\"site-header\"><span class=\"site-name\">" :
		  "</a>\n<header class=\"site-header\"><a class=\"site-name\" href=\"/\">");
	text(p, SERVICE_NAME);
	sbuf_adds(p->b, p->kiosk ? "</span></header>\n<main id=\"main\" class=\"main\">\n" :
		  "</a></header>\n<main id=\"main\" class=\"main\">\n");
}

static void page_end(const struct page *p)
{
	sbuf_adds(p->b, "</main>\n<footer class=\"site-footer\"><p>");
	text(p, "No account, no tracking cookies, no adverts. Your answers are locked "
	     "so that only the team running the survey can read them.");
	sbuf_adds(p->b, "</p></footer>\n</body>\n</html>\n");
}

/* Paragraphs: a blank line in the definition starts a new one. */
static void prose(const struct page *p, const char *source)
{
	const char *t = T(p, source);

	while (*t) {
		const char *end = strstr(t, "\n\n");
		size_t n = end ? (size_t)(end - t) : strlen(t);
		sbuf_adds(p->b, "<p>");
		sbuf_add_html(p->b, t, n);
		sbuf_adds(p->b, "</p>\n");
		t += n;
		while (*t == '\n')
			t++;
	}
}

/*
 * The consultation's help signposting (issue 14): who to talk to now, on the
 * first page and the thanks page.  Commissioners' own text is plain text,
 * escaped, a paragraph a line; the default is translated.
 */
static void help_box(const struct page *p)
{
	const struct form_consultation *c = p->s->consultation;
	const char *own = c ? c->help : NULL;
	const char *t = own ? own : T(p, FORM_HELP_DEFAULT);

	sbuf_adds(p->b, "<aside class=\"help-box\" aria-labelledby=\"help-title\">\n"
		  "<h2 id=\"help-title\">");
	text(p, "Need to talk to someone?");
	sbuf_adds(p->b, "</h2>\n");
	while (*t) {
		size_t n = strcspn(t, "\n");
		if (n) {
			sbuf_adds(p->b, "<p>");
			sbuf_add_html(p->b, t, n);
			sbuf_adds(p->b, "</p>\n");
		}
		t += n + (t[n] == '\n');
	}
	sbuf_adds(p->b, "</aside>\n");
}

/* Links to the survey in its other languages, each named in itself. */
static void language_links(const struct page *p)
{
	const struct form_survey *s = p->s;

	if (s->nlangs < 2)
		return;
	sbuf_adds(p->b, "<nav class=\"languages\" aria-label=\"");
	text(p, "Languages");
	sbuf_adds(p->b, "\"><ul>\n");
	for (int i = 0; i < s->nlangs; i++) {
		const struct form_lang *l = &s->langs[i];
		sbuf_adds(p->b, "<li>");
		if (i == p->lang) {
			sbuf_adds(p->b, "<span class=\"current-language\" lang=\"");
			sbuf_adds_html(p->b, l->code);
			sbuf_adds(p->b, "\">");
			sbuf_adds_html(p->b, l->name);
			sbuf_adds(p->b, "</span>");
		} else {
			if (p->lang_href) {
				sbuf_adds(p->b, "<a href=\"");
				sbuf_adds_html(p->b, p->lang_href);
			} else {
				sbuf_adds(p->b, p->kiosk ? "<a href=\"/k/" : "<a href=\"/s/");
				sbuf_adds_html(p->b, s->id);
				sbuf_adds(p->b, "?lang=");
			}
			sbuf_adds_html(p->b, l->code);
			sbuf_adds(p->b, "\" hreflang=\"");
			sbuf_adds_html(p->b, l->code);
			sbuf_adds(p->b, "\" lang=\"");
			sbuf_adds_html(p->b, l->code);
			sbuf_adds(p->b, l->rtl ? "\" dir=\"rtl\">" : "\">");
			sbuf_adds_html(p->b, l->name);
			sbuf_adds(p->b, "</a>");
		}
		sbuf_adds(p->b, "</li>\n");
	}
	sbuf_adds(p->b, "</ul></nav>\n");
}

void render_index(struct sbuf *b, const struct form_catalog *cat, const char *today)
{
	struct page p = { .b = b, .s = NULL, .lang = 0 };
	int shown = 0;

	page_start(&p, "Have your say", 0);
	sbuf_adds(b, "<h1>Have your say</h1>\n"
		"<p>These surveys ask young people what matters to them. "
		"You don\xe2\x80\x99t need an account, and you don\xe2\x80\x99t "
		"have to answer anything you don\xe2\x80\x99t want to.</p>\n");
	for (int i = 0; i < cat->nsurveys; i++) {
		const struct form_survey *s = cat->surveys[i];
		if (form_survey_status_on(s, today) != FORM_OPEN)
			continue;
		if (!shown++)
			sbuf_adds(b, "<ul class=\"survey-list\">\n");
		sbuf_adds(b, "<li><a href=\"/s/");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, s->title);
		sbuf_adds(b, "</a>");
		/* Other languages, each named in itself, so nobody must read English first. */
		for (int l = 1; l < s->nlangs; l++) {
			sbuf_adds(b, " <a class=\"in-language\" href=\"/s/");
			sbuf_adds_html(b, s->id);
			sbuf_adds(b, "?lang=");
			sbuf_adds_html(b, s->langs[l].code);
			sbuf_adds(b, "\" hreflang=\"");
			sbuf_adds_html(b, s->langs[l].code);
			sbuf_adds(b, "\" lang=\"");
			sbuf_adds_html(b, s->langs[l].code);
			sbuf_adds(b, s->langs[l].rtl ? "\" dir=\"rtl\">" : "\">");
			sbuf_adds_html(b, form_tr(s, l, s->title));
			sbuf_adds(b, " (");
			sbuf_adds_html(b, s->langs[l].name);
			sbuf_adds(b, ")</a>");
		}
		sbuf_adds(b, "</li>\n");
	}
	if (shown)
		sbuf_adds(b, "</ul>\n");
	else
		sbuf_adds(b, "<p>There are no surveys open right now. Please come back later.</p>\n");
	page_end(&p);
}

/* The element id of a question's first control, for error-summary links. */
static void control_id(struct sbuf *b, const struct form_question *q)
{
	sbuf_adds_html(b, q->id);
	if (q->type == FORM_BALLOT && q->rank > 1) {
		sbuf_adds(b, "-choice-1");
	} else if (q->type != FORM_TEXT) {
		int k = 0;
		while (k + 1 < q->noptions && q->options[k].hidden)
			k++; /* the first one shown */
		sbuf_adds(b, "-");
		sbuf_adds_html(b, q->options[k].id);
	}
}

static int on_page(const struct render_form *f, int i)
{
	if (f->kiosk)
		return 1; /* a kiosk shows every question at once */
	return flow_on_step(f->s, f->answers, (struct flow_step){ f->page, f->follow }, i);
}

static void error_summary(const struct page *p, const struct render_form *f)
{
	const struct form_survey *s = f->s;

	sbuf_adds(p->b, "<div class=\"error-summary\" tabindex=\"-1\" autofocus "
		  "aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">");
	text(p, "There is a problem");
	sbuf_adds(p->b, "</h2>\n<ul>\n");
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_answer *a = &f->answers->items[i];
		if (!a->error[0])
			continue;
		sbuf_adds(p->b, "<li><a href=\"#");
		if (on_page(f, i))
			control_id(p->b, &s->questions[i]);
		else
			sbuf_addf(p->b, "change-%s", s->questions[i].id); /* on the check page */
		sbuf_adds(p->b, "\">");
		struct sbuf msg;
		sbuf_init(&msg, 1024);
		form_error_text(s, p->lang, a, &msg);
		if (msg.buf && !msg.err)
			sbuf_add_html(p->b, msg.buf, msg.len);
		sbuf_free(&msg);
		sbuf_adds(p->b, "</a></li>\n");
	}
	sbuf_adds(p->b, "</ul>\n</div>\n");
}

static void error_message(const struct page *p, const struct form_question *q,
			  const struct form_answer *a)
{
	struct sbuf msg;

	if (!a || !a->error[0])
		return;
	sbuf_adds(p->b, "<p class=\"error-message\" id=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "-error\"><span class=\"visually-hidden\">");
	text(p, "Error:");
	sbuf_adds(p->b, "</span> ");
	sbuf_init(&msg, 1024);
	form_error_text(p->s, p->lang, a, &msg);
	if (msg.buf && !msg.err)
		sbuf_add_html(p->b, msg.buf, msg.len);
	sbuf_free(&msg);
	sbuf_adds(p->b, "</p>\n");
}

/* "Only if you answered ...": where a conditional question may be in view
 * while its condition is unmet (a kiosk, or a survey sent from one page);
 * elsewhere it is asked only when its condition is met (flow.h). */
static int says_when(const struct page *p, const struct form_question *q)
{
	return q->show_if_question >= 0 && (p->kiosk || !p->s->check_answers);
}

static int has_hint(const struct page *p, const struct form_question *q)
{
	return q->hint || q->type == FORM_TEXT || says_when(p, q) ||
	       (q->type == FORM_MULTIPLE && q->max_choices) ||
	       (q->type == FORM_BALLOT && q->rank > 1);
}

static void described_by(const struct page *p, const struct form_question *q, int has_error)
{
	if (!has_hint(p, q) && !has_error)
		return;
	sbuf_adds(p->b, " aria-describedby=\"");
	if (has_hint(p, q)) {
		sbuf_adds_html(p->b, q->id);
		sbuf_adds(p->b, "-hint");
	}
	if (has_error) {
		sbuf_adds(p->b, has_hint(p, q) ? " " : "");
		sbuf_adds_html(p->b, q->id);
		sbuf_adds(p->b, "-error");
	}
	sbuf_adds(p->b, "\"");
}

static void hint(const struct page *p, const struct form_question *q)
{
	if (!has_hint(p, q))
		return;
	sbuf_adds(p->b, "<div class=\"hint\" id=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "-hint\">");
	if (says_when(p, q)) {
		/* All questions show without JavaScript; say when this one applies. */
		const struct form_question *cq = &p->s->questions[q->show_if_question];
		struct form_var vars[] = {
			{ "answer", 0, T(p, cq->options[q->show_if_option].label) },
			{ "question", 0, T(p, cq->title) },
		};
		sbuf_adds(p->b, "<p>");
		fill(p, "Only if you answered " LDQUO "{answer}" RDQUO " to " LDQUO "{question}" RDQUO ".",
		     vars, 2);
		sbuf_adds(p->b, "</p>");
	}
	if (q->hint) {
		sbuf_adds(p->b, "<p>");
		text(p, q->hint);
		sbuf_adds(p->b, "</p>");
	}
	if (q->type == FORM_MULTIPLE && q->max_choices) {
		struct form_var v = { "max", q->max_choices, NULL };
		sbuf_adds(p->b, "<p>");
		fill(p, "Choose up to {max}.", &v, 1);
		sbuf_adds(p->b, "</p>");
	}
	if (q->type == FORM_BALLOT && q->rank > 1) {
		struct form_var v = { "max", q->rank, NULL };
		sbuf_adds(p->b, "<p>");
		fill(p, "Put up to {max} issues in order, a different one for each choice.", &v, 1);
		sbuf_adds(p->b, "</p>");
	}
	if (q->type == FORM_TEXT) {
		struct form_var v = { "max", q->max_length, NULL };
		sbuf_adds(p->b, "<p>");
		text(p, "Please don\xe2\x80\x99t write names, phone numbers or other contact details.");
		sbuf_adds(p->b, " ");
		text(p, "If you do, we take out contact details such as phone numbers and e-mail "
		     "addresses before your answer is saved.");
		sbuf_adds(p->b, " ");
		text(p, "We also take out social media names, and your name if you write \xe2\x80\x9cmy "
		     "name is\xe2\x80\xa6\xe2\x80\x9d. We can\xe2\x80\x99t spot other names, so please "
		     "leave them out.");
		sbuf_adds(p->b, " ");
		fill(p, "You can write up to {max} characters.", &v, 1);
		sbuf_adds(p->b, "</p>");
	}
	sbuf_adds(p->b, "</div>\n");
}

static void question_title(const struct page *p, const struct form_question *q)
{
	text(p, q->title);
	if (!q->required) {
		sbuf_adds(p->b, " <span class=\"optional\">");
		text(p, "(optional)");
		sbuf_adds(p->b, "</span>");
	}
}

static int is_chosen(const struct form_question *q, const struct form_answer *a, int k)
{
	if (!a)
		return 0;
	if (q->type == FORM_MULTIPLE)
		return (int)((a->chosen >> k) & 1u);
	return a->value && strcmp(a->value, q->options[k].id) == 0;
}

/* A choice question's fieldset: its title as the legend, hint and error. */
static void fieldset_start(const struct page *p, const struct form_question *q,
			   const struct form_answer *a, int has_error)
{
	sbuf_adds(p->b, "<fieldset class=\"question\"");
	described_by(p, q, has_error);
	sbuf_adds(p->b, ">\n<legend><h2 class=\"question-title\">");
	question_title(p, q);
	sbuf_adds(p->b, "</h2></legend>\n");
	hint(p, q);
	error_message(p, q, a);
}

/* "Something else": a box to say what, shown with JavaScript off too. */
static void other_box(const struct page *p, const struct form_question *q,
		      const struct form_answer *a)
{
	sbuf_adds(p->b, "<div class=\"other-box\"><label for=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "-other-text\">");
	text(p, "If something else, tell us what (optional)");
	sbuf_adds(p->b, "</label>\n<input type=\"text\" id=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "-other-text\" name=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, ".other\" autocomplete=\"off\"");
	if (p->kiosk)
		sbuf_addf(p->b, " maxlength=\"%d\"", FORM_MAX_OTHER);
	sbuf_adds(p->b, " value=\"");
	if (a && a->other_text)
		sbuf_adds_html(p->b, a->other_text);
	sbuf_adds(p->b, "\"></div>\n");
}

static void choice_question(const struct page *p, const struct form_question *q,
			    const struct form_answer *a)
{
	int has_error = a && a->error[0];
	const char *type = q->type == FORM_MULTIPLE ? "checkbox" : "radio";
	const char *layout = q->type == FORM_RATING ? "choices choices-scale" :
			     q->type == FORM_YES_NO ? "choices choices-inline" : "choices";

	fieldset_start(p, q, a, has_error);
	sbuf_addf(p->b, "<div class=\"%s\">\n", layout);
	/* Change focuses the answer given (as Tab into the group would), or the first. */
	int focus_k = 0;
	while (focus_k < q->noptions - 1 && !is_chosen(q, a, focus_k))
		focus_k++;
	if (!is_chosen(q, a, focus_k))
		focus_k = 0;
	for (int k = 0; k < q->noptions; k++) {
		const struct form_option *o = &q->options[k];
		if (o->hidden)
			continue; /* kept for earlier answers only */
		sbuf_addf(p->b, "<div class=\"choice\"><input type=\"%s\" id=\"", type);
		sbuf_adds_html(p->b, q->id);
		sbuf_adds(p->b, "-");
		sbuf_adds_html(p->b, o->id);
		sbuf_adds(p->b, "\" name=\"");
		sbuf_adds_html(p->b, q->id);
		/* "[]" marks a field sent once per ticked box (HTML validators ask for it). */
		sbuf_adds(p->b, q->type == FORM_MULTIPLE ? "[]\" value=\"" : "\" value=\"");
		sbuf_adds_html(p->b, o->id);
		sbuf_adds(p->b, k == focus_k && p->focus == q ? "\" autofocus" : "\"");
		sbuf_adds(p->b, is_chosen(q, a, k) ? " checked><label for=\"" : "><label for=\"");
		sbuf_adds_html(p->b, q->id);
		sbuf_adds(p->b, "-");
		sbuf_adds_html(p->b, o->id);
		sbuf_adds(p->b, "\">");
		if (o->emoji) {
			sbuf_adds(p->b, "<span class=\"emoji\" aria-hidden=\"true\">");
			sbuf_adds_html(p->b, o->emoji);
			sbuf_adds(p->b, "</span> ");
		}
		text(p, o->label);
		sbuf_adds(p->b, "</label></div>\n");
	}
	sbuf_adds(p->b, "</div>\n");
	if (q->other)
		other_box(p, q, a);
	sbuf_adds(p->b, "</fieldset>\n");
}

/* What each rank of a ballot is called, in order. */
static const char *const rank_names[FORM_MAX_RANK] = {
	"Your first choice", "Your second choice", "Your third choice",
};

/* A ballot's choice at rank r (0 = first), or NULL. */
static const char *ranked_choice(const struct form_answer *a, int r)
{
	if (!a)
		return NULL;
	return r == 0 ? a->value : a->ranked[r - 1];
}

/*
 * A ballot that ranks: one labelled list per choice, inside the question's
 * fieldset, each offering every issue (no drag and drop, nothing that needs
 * a script; a screen reader hears "Your second choice, list box").  The
 * field names are ID, ID.2 and ID.3, read back by form_answers_read, which
 * refuses an issue chosen twice.
 */
static void ranked_question(const struct page *p, const struct form_question *q,
			    const struct form_answer *a)
{
	int has_error = a && a->error[0];

	fieldset_start(p, q, a, has_error);
	for (int r = 0; r < q->rank; r++) {
		const char *chosen = ranked_choice(a, r);
		sbuf_adds(p->b, "<div class=\"rank\"><label for=\"");
		sbuf_adds_html(p->b, q->id);
		sbuf_addf(p->b, "-choice-%d\">", r + 1);
		text(p, rank_names[r]);
		if (r > 0 || !q->required) {
			sbuf_adds(p->b, " <span class=\"optional\">");
			text(p, "(optional)");
			sbuf_adds(p->b, "</span>");
		}
		sbuf_adds(p->b, "</label>\n<select id=\"");
		sbuf_adds_html(p->b, q->id);
		sbuf_addf(p->b, "-choice-%d\" name=\"", r + 1);
		sbuf_adds_html(p->b, q->id);
		if (r > 0)
			sbuf_addf(p->b, ".%d", r + 1);
		sbuf_adds(p->b, "\"");
		if (r == 0 && p->focus == q)
			sbuf_adds(p->b, " autofocus");
		if (has_error)
			sbuf_adds(p->b, " aria-invalid=\"true\"");
		sbuf_adds(p->b, ">\n<option value=\"\">");
		text(p, "Choose an issue");
		sbuf_adds(p->b, "</option>\n");
		for (int k = 0; k < q->noptions; k++) {
			const struct form_option *o = &q->options[k];
			if (o->hidden)
				continue; /* kept for earlier answers only */
			sbuf_adds(p->b, "<option value=\"");
			sbuf_adds_html(p->b, o->id);
			sbuf_adds(p->b, chosen && strcmp(chosen, o->id) == 0 ? "\" selected>" : "\">");
			text(p, o->label);
			sbuf_adds(p->b, "</option>\n");
		}
		sbuf_adds(p->b, "</select></div>\n");
	}
	sbuf_adds(p->b, "</fieldset>\n");
}

/* What respond.js's character count says, in the page's language: {n} is
 * left for the script (the box itself is checked on the server). */
static void char_count_data(const struct page *p, const struct form_question *q)
{
	sbuf_addf(p->b, " data-max=\"%d\" data-count-left=\"", q->max_length);
	text(p, "You have {n} characters left");
	sbuf_adds(p->b, "\" data-count-over=\"");
	text(p, "You have {n} characters too many");
	sbuf_adds(p->b, "\"");
}

static void text_question(const struct page *p, const struct form_question *q,
			  const struct form_answer *a)
{
	int has_error = a && a->error[0];

	sbuf_adds(p->b, "<div class=\"question\">\n<h2 class=\"question-title\"><label for=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "\">");
	question_title(p, q);
	sbuf_adds(p->b, "</label></h2>\n");
	hint(p, q);
	error_message(p, q, a);
	sbuf_adds(p->b, "<textarea id=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "\" name=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "\" rows=\"6\"");
	if (p->focus == q)
		sbuf_adds(p->b, " autofocus");
	if (p->kiosk)
		sbuf_addf(p->b, " autocomplete=\"off\" maxlength=\"%d\"", q->max_length);
	else
		char_count_data(p, q);
	described_by(p, q, has_error);
	if (has_error)
		sbuf_adds(p->b, " aria-invalid=\"true\"");
	sbuf_adds(p->b, ">");
	if (a && a->value)
		sbuf_adds_html(p->b, a->value);
	sbuf_adds(p->b, "</textarea>\n</div>\n");
}

static void hidden(struct sbuf *b, const char *name, const char *suffix, const char *value)
{
	sbuf_adds(b, "<input type=\"hidden\" name=\"");
	sbuf_adds_html(b, name);
	sbuf_adds(b, suffix);
	sbuf_adds(b, "\" value=\"");
	sbuf_adds_html(b, value);
	sbuf_adds(b, "\">\n");
}

/* Answers from other pages, carried in the form instead of a server-side draft. */
static void carried_answers(const struct page *p, const struct render_form *f)
{
	const struct form_survey *s = f->s;

	hidden(p->b, RENDER_FIELD_LANG, "", s->langs[f->lang].code);
	if (f->token)
		hidden(p->b, RENDER_FIELD_TOKEN, "", f->token);
	if (!f->kiosk) {
		sbuf_addf(p->b, "<input type=\"hidden\" name=\"" RENDER_FIELD_PAGE "\" value=\"%d\">\n",
			  f->page + 1);
		hidden(p->b, RENDER_FIELD_PRG, "", "1");
		if (f->follow)
			hidden(p->b, RENDER_FIELD_PART, "", "2");
		if (f->ret)
			hidden(p->b, RENDER_FIELD_RETURN, "", "check");
	}
	if (!f->answers)
		return;
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *a = &f->answers->items[i];
		if (on_page(f, i))
			continue;
		if (q->type == FORM_MULTIPLE) {
			for (int k = 0; k < q->noptions; k++)
				if ((a->chosen >> k) & 1u)
					hidden(p->b, q->id, "[]", q->options[k].id);
		} else if (a->value) {
			hidden(p->b, q->id, "", a->value);
		}
		for (int r = 1; q->type == FORM_BALLOT && r < q->rank; r++)
			if (a->ranked[r - 1]) {
				char suffix[16];
				snprintf(suffix, sizeof suffix, ".%d", r + 1);
				hidden(p->b, q->id, suffix, a->ranked[r - 1]);
			}
		if (a->other_text)
			hidden(p->b, q->id, ".other", a->other_text);
	}
}

static void button(const struct page *p, const char *cls, const char *action, const char *label)
{
	sbuf_addf(p->b, "<button type=\"submit\" class=\"%s\" name=\"" RENDER_FIELD_ACTION
		  "\" value=\"%s\">", cls, action);
	text(p, label);
	sbuf_adds(p->b, "</button>\n");
}

/* "Question 3 of 8", or "Questions 3 to 5 of 8" for a page of several,
 * counting only the questions asked given the answers so far (flow.h). */
static void progress(const struct page *p, const struct render_form *f)
{
	int first, last, total;

	flow_progress(f->s, f->answers, (struct flow_step){ f->page, f->follow }, &first, &last,
		      &total);
	if (!first)
		return;
	struct form_var vars[] = {
		{ "n", first, NULL }, { "last", last, NULL }, { "total", total, NULL },
	};
	/* respond.js counts a follow-up it reveals in place (or hides) from these. */
	sbuf_addf(p->b, "<p class=\"progress\" id=\"progress\" data-first=\"%d\" data-last=\"%d\" "
		  "data-total=\"%d\" data-one=\"", first, last, total);
	text(p, "Question {n} of {total}");
	sbuf_adds(p->b, "\" data-many=\"");
	text(p, "Questions {n} to {last} of {total}");
	sbuf_adds(p->b, "\">");
	fill(p, first == last ? "Question {n} of {total}" : "Questions {n} to {last} of {total}",
	     vars, 3);
	sbuf_adds(p->b, "</p>\n");
}

/* One answer as the check page shows it. */
static void answer_text(const struct page *p, const struct form_question *q,
			const struct form_answer *a)
{
	int any = 0;

	if (q->type == FORM_BALLOT && q->rank > 1) {
		for (int r = 0; r < q->rank; r++) {
			const char *chosen = ranked_choice(a, r);
			for (int k = 0; chosen && k < q->noptions; k++) {
				if (strcmp(chosen, q->options[k].id) != 0)
					continue;
				sbuf_adds(p->b, any ? "<br>" : "");
				text(p, rank_names[r]);
				sbuf_adds(p->b, ": ");
				text(p, q->options[k].label);
				any = 1;
			}
		}
	} else if (q->type == FORM_TEXT) {
		if (a->value) {
			sbuf_adds(p->b, "<span class=\"written\">");
			sbuf_adds_html(p->b, a->value);
			sbuf_adds(p->b, "</span>");
			any = 1;
		}
	} else {
		for (int k = 0; k < q->noptions; k++) {
			if (!is_chosen(q, a, k))
				continue;
			sbuf_adds(p->b, any ? "<br>" : "");
			text(p, q->options[k].label);
			any = 1;
		}
		if (a->other_text) {
			sbuf_adds(p->b, ": ");
			sbuf_adds_html(p->b, a->other_text);
		}
	}
	if (!any)
		text(p, "Not answered");
}

static void check_answers(const struct page *p, const struct render_form *f)
{
	const struct form_survey *s = f->s;

	sbuf_adds(p->b, "<h2>");
	text(p, "Check your answers before sending them");
	sbuf_adds(p->b, "</h2>\n<dl class=\"summary\">\n");
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		if (!form_question_shown(s, f->answers, i))
			continue;
		sbuf_adds(p->b, "<div class=\"summary-row\"><dt>");
		text(p, q->title);
		sbuf_adds(p->b, "</dt><dd>");
		answer_text(p, q, &f->answers->items[i]);
		sbuf_addf(p->b, "</dd><dd class=\"summary-change\"><button type=\"submit\" "
			  "class=\"link-button\" id=\"change-%s\" name=\"" RENDER_FIELD_ACTION
			  "\" value=\"change-%s\">", q->id, q->id);
		text(p, "Change");
		sbuf_adds(p->b, "<span class=\"visually-hidden\"> ");
		text(p, q->title);
		sbuf_adds(p->b, "</span></button></dd></div>\n");
	}
	sbuf_adds(p->b, "</dl>\n");
}

/* A translated template as an attribute value: {max} filled in, {n} left
 * for kiosk.js. */
static void attr_fill(const struct page *p, const char *name, const char *tmpl, int max)
{
	struct sbuf tmp;
	struct form_var v = { "max", max, NULL };

	sbuf_init(&tmp, 4096);
	form_fill(&tmp, T(p, tmpl), &v, 1);
	sbuf_addf(p->b, " %s=\"", name);
	if (tmp.buf && !tmp.err)
		sbuf_add_html(p->b, tmp.buf, tmp.len);
	sbuf_adds(p->b, "\"");
	sbuf_free(&tmp);
}

/*
 * A question's rules on a kiosk, as data attributes of its group, so that
 * kiosk.js can check the answers on the device before it seals them (the
 * server checks them again, as it does every answer): the same rules and
 * words as form_answers_read.
 */
static void kiosk_rules(const struct page *p, const struct form_question *q)
{
	const struct form_survey *s = p->s;

	sbuf_adds(p->b, " data-q=\"");
	sbuf_adds_html(p->b, q->id);
	int ranked = q->type == FORM_BALLOT && q->rank > 1;
	sbuf_adds(p->b, q->type == FORM_TEXT ? "\" data-kind=\"text\"" :
		  q->type == FORM_MULTIPLE ? "\" data-kind=\"multiple\"" :
		  ranked ? "\" data-kind=\"ranked\"" : "\" data-kind=\"choice\"");
	if (ranked) {
		/* check_ranks' words (form_answers.c), in the survey's language. */
		sbuf_adds(p->b, " data-order=\"");
		text(p, "Fill in your choices in order, starting with your first choice");
		sbuf_adds(p->b, "\" data-same=\"");
		text(p, "You chose the same issue more than once \xe2\x80\x93 choose a different issue "
		     "for each choice");
		sbuf_adds(p->b, "\"");
	}
	if (q->required) {
		sbuf_adds(p->b, " data-required=\"\" data-missing=\"");
		text(p, form_missing_message(q));
		sbuf_adds(p->b, "\"");
	}
	if (q->show_if_question >= 0) {
		const struct form_question *cq = &s->questions[q->show_if_question];
		sbuf_adds(p->b, " data-show-if=\"");
		sbuf_adds_html(p->b, cq->id);
		sbuf_adds(p->b, " ");
		sbuf_adds_html(p->b, cq->options[q->show_if_option].id);
		sbuf_adds(p->b, "\"");
	}
	if (q->type == FORM_TEXT) {
		sbuf_addf(p->b, " data-max=\"%d\"", q->max_length);
		attr_fill(p, "data-too-long", "Your answer is {n} characters long \xe2\x80\x93 "
			  "please keep it to {max} or fewer", q->max_length);
	}
	if (q->type == FORM_MULTIPLE && q->max_choices) {
		sbuf_addf(p->b, " data-max-choices=\"%d\"", q->max_choices);
		attr_fill(p, "data-too-many", "Choose up to {max} answers \xe2\x80\x93 you chose {n}",
			  q->max_choices);
	}
	if (q->other) {
		sbuf_adds(p->b, " data-other-wrong=\"");
		text(p, "You wrote something in the box, so choose "
		     "\xe2\x80\x9cSomething else\xe2\x80\x9d, or empty the box");
		sbuf_adds(p->b, "\"");
	}
}

/* What a kiosk page has after its form: the thanks shown between two
 * people, the status line for the youth worker, and the kiosk's scripts. */
static void kiosk_end(const struct page *p)
{
	struct sbuf *b = p->b;

	sbuf_adds(b, "<div id=\"kiosk-thanks\" class=\"panel kiosk-thanks\" tabindex=\"-1\" hidden>\n<h2>");
	text(p, "Thank you");
	sbuf_adds(b, "</h2>\n<p>");
	text(p, "Your answers are locked, so only the team running this survey can read them.");
	sbuf_adds(b, "</p>\n<p>");
	text(p, "Please give the tablet to the next person, or to a youth worker.");
	sbuf_adds(b, "</p>\n</div>\n<div id=\"kiosk-next-box\" class=\"buttons\" hidden>"
		  "<button type=\"button\" class=\"button\" id=\"kiosk-next\">");
	text(p, "Start again for the next person");
	sbuf_adds(b, "</button></div>\n<noscript><div class=\"notice\"><p>");
	text(p, "This kiosk needs JavaScript, which is switched off in this browser. "
	     "Please ask a youth worker.");
	sbuf_adds(b, "</p></div></noscript>\n<p id=\"kiosk-status\" class=\"kiosk-status\" "
		  "role=\"status\">");
	text(p, "Starting the kiosk\xe2\x80\xa6");
	sbuf_adds(b, "</p>\n<script src=\"/static/kiosk/libsodium.js\"></script>\n"
		  "<script src=\"/static/kiosk/libsodium-wrappers.js\"></script>\n"
		  "<script src=\"/static/kiosk/kiosk.js\"></script>\n");
}

/*
 * A follow-up (a question whose condition is on its own page) sits in a
 * block respond.js reveals when its condition is met.  The server draws it
 * open when it already knows the condition is met, or when the survey is
 * sent from one page (there is no later step to ask it on; its hint says
 * when it applies).  An open block sends FLOW_FIELD_SHOWN, so the server
 * knows the question was in view and does not ask it again on a follow-up
 * step.  data-counted marks a block the progress line already counts.
 */
static void conditional_start(const struct page *p, const struct render_form *f, int i)
{
	const struct form_survey *s = f->s;
	const struct form_question *q = &s->questions[i];
	const struct form_question *cq = &s->questions[q->show_if_question];
	int open = !s->check_answers || (f->answers && form_question_shown(s, f->answers, i));

	sbuf_adds(p->b, "<div class=\"conditional\" id=\"conditional-");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, "\" data-show-if=\"");
	sbuf_adds_html(p->b, cq->id);
	sbuf_adds(p->b, " ");
	sbuf_adds_html(p->b, cq->options[q->show_if_option].id);
	/* Counted: the progress line counts it (flow_progress). */
	if (f->answers && form_question_shown(s, f->answers, i))
		sbuf_adds(p->b, "\" data-counted=\"1");
	sbuf_adds(p->b, open ? "\">\n" : "\" hidden>\n");
	sbuf_adds(p->b, "<input type=\"hidden\" name=\"" FLOW_FIELD_SHOWN "\" value=\"");
	sbuf_adds_html(p->b, q->id);
	sbuf_adds(p->b, open ? "\">\n" : "\" disabled>\n");
}

void render_survey(struct sbuf *b, const struct render_form *f)
{
	const struct form_survey *s = f->s;
	int has_error = f->answers && f->answers->nerrors > 0;
	/* The error summary takes the focus when there is one. */
	struct page p = { b, s, f->lang, f->kiosk != NULL,
			  !has_error && f->focus > 0 && f->focus <= s->nquestions ?
			  &s->questions[f->focus - 1] : NULL, f->lang_href };
	int checking = f->page >= s->npages;
	int first = f->page == 0 && !f->answers;

	page_start(&p, T(&p, s->title), has_error);
	if (first)
		language_links(&p);
	if (has_error)
		error_summary(&p, f);
	if (f->notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		text(&p, f->notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<h1>");
	text(&p, s->title);
	sbuf_adds(b, "</h1>\n");
	if (f->page == 0) {
		sbuf_adds(b, "<div class=\"intro\">\n");
		prose(&p, s->introduction);
		sbuf_adds(b, "</div>\n");
		help_box(&p);
		sbuf_adds(b, "<section class=\"privacy\" aria-labelledby=\"privacy-title\">\n"
			  "<h2 id=\"privacy-title\">");
		text(&p, "How we look after your answers");
		sbuf_adds(b, "</h2>\n");
		prose(&p, s->privacy);
		sbuf_adds(b, "</section>\n");
	}
	sbuf_adds(b, "<form method=\"post\" action=\"");
	if (f->action) {
		sbuf_adds_html(b, f->action);
	} else {
		sbuf_adds(b, "/s/");
		sbuf_adds_html(b, s->id);
	}
	if (f->kiosk) {
		/* Without script it posts to the survey as any form does. */
		sbuf_adds(b, "\" autocomplete=\"off\" id=\"kiosk-form\" data-key=\"");
		sbuf_adds_html(b, f->kiosk->public_key);
		sbuf_addf(b, "\" data-pad=\"%zu\" data-problem=\"", f->kiosk->pad_block);
		text(&p, "There is a problem");
		sbuf_adds(b, "\" data-error-prefix=\"");
		text(&p, "Error:");
	}
	sbuf_adds(b, "\" novalidate>\n");
	carried_answers(&p, f);
	if (checking) {
		check_answers(&p, f);
	} else {
		if (s->npages > 1 && !f->kiosk)
			progress(&p, f);
		for (int i = 0; i < s->nquestions; i++) {
			const struct form_question *q = &s->questions[i];
			const struct form_answer *a = f->answers ? &f->answers->items[i] : NULL;
			if (!on_page(f, i) || q->hidden)
				continue; /* hidden: kept for earlier answers only */
			int reveal = !f->kiosk && !f->follow && flow_is_follow_up(s, i);
			if (reveal)
				conditional_start(&p, f, i);
			sbuf_adds(b, a && a->error[0] ? "<div class=\"group group-error\"" :
				  "<div class=\"group\"");
			if (f->kiosk)
				kiosk_rules(&p, q);
			sbuf_adds(b, ">\n");
			if (q->type == FORM_TEXT)
				text_question(&p, q, a);
			else if (q->type == FORM_BALLOT && q->rank > 1)
				ranked_question(&p, q, a);
			else
				choice_question(&p, q, a);
			sbuf_adds(b, "</div>\n");
			if (reveal)
				sbuf_adds(b, "</div>\n");
		}
	}
	sbuf_adds(b, "<div class=\"buttons\">\n");
	if (checking || !s->check_answers || f->kiosk)
		button(&p, "button", "submit", "Send my answers");
	else
		button(&p, "button", "next", "Continue");
	if (f->page > 0 && !f->kiosk)
		button(&p, "link-button back", "back", "Back");
	sbuf_adds(b, "</div>\n</form>\n");
	if (f->kiosk)
		kiosk_end(&p);
	else
		sbuf_adds(b, "<script src=\"/static/respond.js\"></script>\n");
	page_end(&p);
}

void render_thanks(struct sbuf *b, const struct form_survey *s, int lang)
{
	struct page p = { .b = b, .s = s, .lang = lang };

	page_start(&p, T(&p, "Thank you"), 0);
	sbuf_adds(b, "<div class=\"panel\">\n<h1>");
	text(&p, "Thank you");
	sbuf_adds(b, "</h1>\n<p>");
	text(&p, "We have your answers to:");
	sbuf_adds(b, " " LDQUO);
	text(&p, s->title);
	sbuf_adds(b, RDQUO "</p>\n</div>\n<h2>");
	text(&p, "What happens next");
	sbuf_adds(b, "</h2>\n<p>");
	text(&p, "We add up what everyone says and share it with the people who plan services "
	     "for children and young people in your area. Nobody will be able to tell which "
	     "answers were yours.");
	sbuf_adds(b, "</p>\n<p>");
	text(&p, "You can close this page now.");
	sbuf_adds(b, "</p>\n");
	help_box(&p);
	/* "You said, we did" (issue 16), once commissioners publish it. */
	if (s->consultation && s->consultation->published) {
		sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/results/");
		sbuf_adds_html(b, s->consultation->id);
		sbuf_adds(b, "\">");
		text(&p, "See what happens next");
		sbuf_adds(b, "</a></p>\n");
	}
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/\">");
	text(&p, "See other surveys");
	sbuf_adds(b, "</a></p>\n");
	page_end(&p);
}

/* A respondent's page of a heading and a sentence, translated; the caller
 * adds the links and page_end. */
static void heading_and_text(const struct page *p, const char *title, const char *msg)
{
	page_start(p, T(p, title), 0);
	sbuf_adds(p->b, "<h1>");
	text(p, title);
	sbuf_adds(p->b, "</h1>\n<p>");
	text(p, msg);
	sbuf_adds(p->b, "</p>\n");
}

void render_not_open(struct sbuf *b, const struct form_survey *s, enum form_status state,
		     int lang)
{
	struct page p = { .b = b, .s = s, .lang = lang };

	heading_and_text(&p, s->title, state == FORM_CLOSED ?
			 "This survey has closed, so it isn\xe2\x80\x99t taking answers any more. "
			 "Thank you to everyone who took part." :
			 "This survey isn\xe2\x80\x99t open yet. Please come back later.");
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/\">");
	text(&p, "See the surveys that are open");
	sbuf_adds(b, "</a></p>\n");
	page_end(&p);
}

void render_expired(struct sbuf *b, const struct form_survey *s, int lang)
{
	struct page p = { .b = b, .s = s, .lang = lang };

	heading_and_text(&p, "This page has expired", "Pages you have been through are kept for an "
			 "hour at most, and forgotten as soon as your answers are sent. Please start "
			 "the survey again.");
	sbuf_adds(b, "<p><a class=\"button\" href=\"/s/");
	sbuf_adds_html(b, s->id);
	if (lang > 0) {
		sbuf_adds(b, "?lang=");
		sbuf_adds_html(b, s->langs[lang].code);
	}
	sbuf_adds(b, "\">");
	text(&p, "Start the survey again");
	sbuf_adds(b, "</a></p>\n<p><a class=\"nav-link\" href=\"/\">");
	text(&p, "See other surveys");
	sbuf_adds(b, "</a></p>\n");
	page_end(&p);
}

void render_public_start(struct sbuf *b, const char *title)
{
	struct page p = { .b = b, .s = NULL, .lang = 0 };
	page_start(&p, title, 0);
}

void render_public_end(struct sbuf *b)
{
	struct page p = { .b = b, .s = NULL, .lang = 0 };
	page_end(&p);
}

void render_message(struct sbuf *b, const char *title, const char *msg)
{
	struct page p = { .b = b, .s = NULL, .lang = 0 };

	page_start(&p, title, 0);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, title);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, msg);
	sbuf_adds(b, "</p>\n<p><a class=\"nav-link\" href=\"/\">Go to the list of surveys</a></p>\n");
	page_end(&p);
}

void render_staff_start(struct sbuf *b, const char *title, const char *user,
			const char *csrf, int has_error)
{
	struct render_staff_user who = { user, user ? RENDER_ROLE_YOUTH_WORKER : RENDER_ROLE_NONE, csrf };
	struct sbuf t;

	/* Without the role, the menu holds only what every role may open. */
	sbuf_init(&t, 1024);
	if (has_error)
		sbuf_adds(&t, "Error: ");
	sbuf_adds(&t, title);
	render_staff_page_start(b, t.buf && !t.err ? t.buf : title, &who, NULL);
	sbuf_free(&t);
}

void render_staff_end(struct sbuf *b)
{
	render_staff_page_end(b);
}
