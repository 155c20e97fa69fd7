/*
 * render_builder.c - the survey builder's staff pages (see render_builder.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_builder.h"

/* The types of question the definition format has, in the order the add
 * form offers them. */
static const struct {
	const char *name;
	enum form_qtype type;
	const char *words;
} types[] = {
	{ "single", FORM_SINGLE, "One answer from a list" },
	{ "multiple", FORM_MULTIPLE, "Any answers from a list" },
	{ "rating", FORM_RATING, "A scale from really bad to really good" },
	{ "yes_no", FORM_YES_NO, "Yes or no" },
	{ "text", FORM_TEXT, "Their own words" },
	{ "age_band", FORM_AGE_BAND, "Age group" },
	{ "district", FORM_DISTRICT, "Where they live (a list of areas)" },
	{ "ballot", FORM_BALLOT, "A youth ballot: one issue, or up to three in order (\"rank\" in the JSON)" },
	{ "gender", FORM_GENDER, "Equalities: gender" },
	{ "ethnicity", FORM_ETHNICITY, "Equalities: ethnic group (ONS 2021)" },
	{ "disability", FORM_DISABILITY, "Equalities: disability or SEND" },
	{ "young_carer", FORM_YOUNG_CARER, "Equalities: young carer" },
	{ "care_experience", FORM_CARE_EXPERIENCE, "Equalities: care experience" },
};
#define NTYPES (sizeof types / sizeof *types)

static const char *type_words(enum form_qtype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == t)
			return types[i].words;
	return "";
}

static void csrf_field(struct sbuf *b, const char *csrf)
{
	sbuf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, csrf);
	sbuf_adds(b, "\">");
}

/* "Published: version 2. A draft of version 3 is not published yet." */
static void state_text(struct sbuf *b, int published, int draft)
{
	if (published)
		sbuf_addf(b, "Published: version %d.", published);
	else
		sbuf_adds(b, "Not published: young people cannot see it.");
	if (draft)
		sbuf_addf(b, " A draft of version %d is not published yet.", draft);
}

static void survey_link(struct sbuf *b, const char *id, const char *tail, const char *label,
			const char *name)
{
	sbuf_adds(b, "<a class=\"nav-link\" href=\"/staff/surveys/");
	sbuf_adds_html(b, id);
	sbuf_adds(b, tail);
	sbuf_adds(b, "\">");
	sbuf_adds(b, label);
	sbuf_adds(b, "<span class=\"visually-hidden\"> ");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "</span></a>");
}

/* The start of a page with one form that changes survey id: a link back
 * to its editor, the heading, a sentence, and the form posting to
 * /staff/surveys/ID/TAIL with the version it was made from. */
static void form_page_start(struct sbuf *b, const char *id, const char *heading, const char *intro,
			    const char *tail, const char *csrf, int version)
{
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/staff/surveys/");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\">Back to the editor</a></p>\n<h1>");
	sbuf_adds(b, heading);
	sbuf_adds(b, " <code>");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "</code></h1>\n<p>");
	sbuf_adds(b, intro);
	sbuf_adds(b, "</p>\n<form method=\"post\" action=\"/staff/surveys/");
	sbuf_adds_html(b, id);
	sbuf_adds(b, tail);
	sbuf_adds(b, "\" novalidate>");
	csrf_field(b, csrf);
	sbuf_addf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">", version);
}

/* The consultation's theme ids, to map options to. */
static void theme_list(struct sbuf *b, const struct taxonomy *tax)
{
	sbuf_adds(b, "<details class=\"theme-list\"><summary>The consultation's theme ids</summary><ul>");
	for (size_t i = 0; tax && i < tax->nthemes; i++) {
		sbuf_adds(b, "<li><code>");
		sbuf_adds_html(b, tax->themes[i].id);
		sbuf_adds(b, "</code>: ");
		sbuf_adds_html(b, tax->themes[i].name);
		sbuf_adds(b, "</li>");
	}
	sbuf_adds(b, "</ul></details>\n");
}

/* "Ask it only when": Always, or an answer of one of the first n questions
 * ("QID=OID"); cond the one chosen. */
static void condition_select(struct sbuf *b, const struct staff_errors *e, const char *id,
			     const struct form_survey *s, int n, const char *cond)
{
	render_staff_select_start(b, e, id, "show_if", "Ask it only when");
	render_staff_option(b, "", "Always", !*cond);
	for (int i = 0; i < n; i++) {
		const struct form_question *q = &s->questions[i];
		for (int k = 0; k < q->noptions; k++) {
			char v[2 * PARSE_MAX_ID + 2], label[2 * FORM_MAX_LABEL + 16];
			snprintf(v, sizeof v, "%s=%s", q->id, q->options[k].id);
			snprintf(label, sizeof label, "%s: %s", q->title, q->options[k].label);
			render_staff_option(b, v, label, strcmp(cond, v) == 0);
		}
	}
	render_staff_select_end(b);
}

void render_builder_list(struct sbuf *b, const struct render_builder_row *rows, int nrows,
			 const struct form_catalog *cat, const char *csrf,
			 const struct form_body *posted, const struct staff_errors *e)
{
	const char *sent = staff_posted_or(posted, "form", "");
	const struct form_body *start = strcmp(sent, "start") == 0 ? posted : NULL;
	const struct form_body *paste = strcmp(sent, "paste") == 0 ? posted : NULL;
	const struct form_body *upload = strcmp(sent, "upload") == 0 ? posted : NULL;

	sbuf_adds(b, "<h1>Surveys</h1>\n<p>Write a survey here, save it as a draft, preview it, "
		  "then publish it: young people can answer it at once, with no restart. Once a "
		  "survey has answers, each change you publish is a new version, and its choices "
		  "can be hidden but never removed, so every count stays exact.</p>\n");
	if (!nrows)
		sbuf_adds(b, "<p>There are no surveys yet.</p>\n");
	else
		sbuf_adds(b, "<ul class=\"builder-list\">\n");
	for (int i = 0; i < nrows; i++) {
		const struct render_builder_row *r = &rows[i];
		const char *name = r->title ? r->title : r->id;
		sbuf_adds(b, "<li><h2>");
		sbuf_adds_html(b, name);
		sbuf_adds(b, "</h2>\n<p>Address: <code>/s/");
		sbuf_adds_html(b, r->id);
		sbuf_adds(b, "</code>. Consultation: ");
		sbuf_adds_html(b, r->consultation);
		sbuf_adds(b, ".</p>\n<p>");
		state_text(b, r->published, r->draft);
		sbuf_addf(b, " Responses: %lld.</p>\n<p class=\"links\">", r->responses);
		survey_link(b, r->id, "", "Edit", name);
		sbuf_adds(b, " ");
		survey_link(b, r->id, "/preview", "Preview", name);
		sbuf_adds(b, " ");
		survey_link(b, r->id, ".json", "Download the file", name);
		sbuf_adds(b, "</p></li>\n");
	}
	if (nrows)
		sbuf_adds(b, "</ul>\n");

	sbuf_adds(b, "<h2>Start a survey</h2>\n<p>It starts as a draft with one question, which "
		  "you then edit.</p>\n<form method=\"post\" action=\"/staff/surveys\" novalidate>");
	csrf_field(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"form\" value=\"start\">");
	render_staff_input(b, start ? e : NULL, "text", "s-title", "title", "Title", NULL,
			   staff_posted_or(start, "title", NULL), NULL);
	render_staff_input(b, start ? e : NULL, "text", "s-id", "id", "Short name",
			   "Lower-case letters, digits and dashes; the survey's address is /s/ and "
			   "this name.", staff_posted_or(start, "id", NULL),
			   " autocapitalize=\"none\" spellcheck=\"false\"");
	render_staff_select_start(b, start ? e : NULL, "s-consultation", "consultation", "Consultation");
	const char *chosen = staff_posted_or(start, "consultation", "");
	for (int i = 0; i < cat->nconsultations; i++)
		render_staff_option(b, cat->consultations[i].id, cat->consultations[i].title,
				    strcmp(chosen, cat->consultations[i].id) == 0);
	render_staff_select_end(b);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Start it</button></form>\n");

	sbuf_adds(b, "<h2>Add a survey from its file</h2>\n<p>A survey's JSON file, as downloaded "
		  "here or written for <code>forms/surveys/</code>, up to 16 KB. It is checked and "
		  "saved as a draft; a survey with the same short name gets it as its next "
		  "draft.</p>\n<h3>Upload a survey file</h3>\n<form method=\"post\" action=\"/staff/surveys\" "
		  "enctype=\"multipart/form-data\" novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, upload ? e : NULL, "file", "s-file", "file", "The survey's file",
			   "A .json file of up to 16 KB.", NULL, " accept=\".json,application/json\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Upload, check and save as a draft"
		  "</button></form>\n<h3>Or paste it</h3>\n<form method=\"post\" action=\"/staff/surveys\" "
		  "novalidate>");
	csrf_field(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"form\" value=\"paste\">");
	render_staff_input(b, paste ? e : NULL, "textarea", "s-definition", "definition",
			   "The survey's JSON", "Up to 16 KB.",
			   staff_posted_or(paste, "definition", NULL),
			   " rows=\"12\" class=\"code\" spellcheck=\"false\" autocapitalize=\"none\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Check and save as a draft</button>"
		  "</form>\n");
}

/* A form of one button, posting to /staff/surveys/ID/questions/QID + tail
 * (with direction=... if given); name says what it is about to a screen
 * reader ("Move up" of which question). */
static void action_form(struct sbuf *b, const char *id, const char *qid, const char *tail,
			const char *csrf, int version, const char *direction, const char *label,
			const char *name)
{
	sbuf_adds(b, "<form method=\"post\" class=\"action\" action=\"/staff/surveys/");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "/questions/");
	sbuf_adds_html(b, qid);
	sbuf_adds_html(b, tail);
	sbuf_adds(b, "\">");
	csrf_field(b, csrf);
	sbuf_addf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">", version);
	if (direction) {
		sbuf_adds(b, "<input type=\"hidden\" name=\"direction\" value=\"");
		sbuf_adds(b, direction);
		sbuf_adds(b, "\">");
	}
	sbuf_adds(b, "<button type=\"submit\" class=\"link-button\">");
	sbuf_adds(b, label);
	sbuf_adds(b, "<span class=\"visually-hidden\">: ");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "</span></button></form>");
}

/* "Optional. Asked only when "Do you go?" is "Yes". Hidden: no longer asked." */
static void question_facts(struct sbuf *b, const struct form_survey *s, const struct form_question *q)
{
	sbuf_adds(b, "<p class=\"question-facts\">");
	sbuf_adds(b, type_words(q->type));
	sbuf_adds(b, ". Short name: <code>");
	sbuf_adds_html(b, q->id);
	sbuf_adds(b, "</code>.");
	if (!q->required)
		sbuf_adds(b, " Optional.");
	if (q->show_if_question >= 0) {
		const struct form_question *on = &s->questions[q->show_if_question];
		sbuf_adds(b, " Asked only when \xe2\x80\x9c");
		sbuf_adds_html(b, on->title);
		sbuf_adds(b, "\xe2\x80\x9d is \xe2\x80\x9c");
		sbuf_adds_html(b, on->options[q->show_if_option].label);
		sbuf_adds(b, "\xe2\x80\x9d.");
	}
	if (q->hidden)
		sbuf_adds(b, " <strong>Hidden:</strong> no longer asked.");
	sbuf_adds(b, "</p>\n");
}

/* The editor's questions, page by page, each with its buttons. */
static void question_list(struct sbuf *b, const struct render_builder_edit *ed, const char *csrf)
{
	const struct form_survey *s = ed->survey;

	sbuf_adds(b, "<h2>Questions</h2>\n");
	if (!s) {
		sbuf_adds(b, "<p>This version no longer checks, so its questions cannot be listed: "
			  "correct it in the box below.</p>\n");
		return;
	}
	sbuf_adds(b, "<p>Change each question without writing JSON. Every change is saved as "
		  "a draft to preview and publish.</p>\n<p class=\"links\">");
	survey_link(b, ed->id, "/questions", "Add a question", ed->id);
	sbuf_adds(b, " ");
	survey_link(b, ed->id, "/questions?page=new", "Add a page", ed->id);
	sbuf_adds(b, "</p>\n");
	for (int p = 0, n = 0; p < s->npages; p++) {
		sbuf_addf(b, "<h3>Page %d</h3>\n<ol class=\"builder-questions\" start=\"%d\">\n", p + 1, n + 1);
		for (int i = 0; i < s->nquestions; i++) {
			const struct form_question *q = &s->questions[i];
			if (q->page != p)
				continue;
			n++;
			sbuf_adds(b, "<li><h4 id=\"q-");
			sbuf_adds_html(b, q->id);
			sbuf_adds(b, "\" tabindex=\"-1\">");
			sbuf_adds_html(b, q->title);
			sbuf_adds(b, "</h4>\n");
			question_facts(b, s, q);
			sbuf_adds(b, "<div class=\"question-actions\"><a class=\"nav-link\" href=\"/staff/surveys/");
			sbuf_adds_html(b, ed->id);
			sbuf_adds(b, "/questions/");
			sbuf_adds_html(b, q->id);
			sbuf_adds(b, "\">Edit<span class=\"visually-hidden\">: ");
			sbuf_adds_html(b, q->title);
			sbuf_adds(b, "</span></a>");
			if (i > 0)
				action_form(b, ed->id, q->id, "/move", csrf, ed->version, "up", "Move up", q->title);
			if (i < s->nquestions - 1)
				action_form(b, ed->id, q->id, "/move", csrf, ed->version, "down", "Move down",
					    q->title);
			action_form(b, ed->id, q->id, q->hidden ? "/show" : "/hide", csrf, ed->version, NULL,
				    q->hidden ? "Show" : "Hide", q->title);
			sbuf_adds(b, "</div></li>\n");
		}
		sbuf_adds(b, "</ol>\n");
	}
}

void render_builder_edit(struct sbuf *b, const struct render_builder_edit *ed, const char *csrf,
			 const struct staff_errors *e)
{
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/staff/surveys\">All surveys</a></p>\n"
		  "<h1>Edit survey <code>");
	sbuf_adds_html(b, ed->id);
	sbuf_adds(b, "</code></h1>\n");
	if (ed->saved && !(e && e->n)) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds(b, strcmp(ed->saved, "published") == 0 ?
			  "Published: young people now answer this version." :
			  "Saved as a draft. Preview it, then publish it when it is ready.");
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<p>");
	state_text(b, ed->published, ed->draft);
	sbuf_addf(b, " Responses: %lld.</p>\n", ed->responses);
	if (ed->responses)
		sbuf_adds(b, "<p>It has answers, so what you publish becomes a new version: keep "
			  "every question and choice, and hide one you no longer want with its "
			  "Hide button (<code>\"hidden\": true</code> in the JSON). Earlier answers are counted and exported "
			  "as they were given.</p>\n");
	question_list(b, ed, csrf);
	sbuf_adds(b, "<p class=\"links\">");
	survey_link(b, ed->id, "/details", "Change its details", ed->id);
	sbuf_adds(b, " ");
	survey_link(b, ed->id, "/languages", "Translate it", ed->id);
	sbuf_adds(b, "</p>\n<h2>The whole definition</h2>\n");
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/surveys/");
	sbuf_adds_html(b, ed->id);
	sbuf_adds(b, "\" novalidate>");
	csrf_field(b, csrf);
	render_staff_input(b, e, "textarea", "e-definition", "definition", "The survey's JSON",
			   "The format is the one of forms/surveys/ files (forms/README.md). "
			   "It is checked when you save.", ed->definition,
			   " rows=\"30\" class=\"code\" spellcheck=\"false\" autocapitalize=\"none\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save as a draft</button></form>\n");
	if (ed->draft) {
		sbuf_addf(b, "<h2>The saved draft: version %d</h2>\n<p>", ed->draft);
		survey_link(b, ed->id, "/preview", "Preview the draft", ed->id);
		sbuf_adds(b, "</p>\n<form method=\"post\" action=\"/staff/surveys/");
		sbuf_adds_html(b, ed->id);
		sbuf_adds(b, "/publish\">");
		csrf_field(b, csrf);
		sbuf_addf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">"
			  "<button type=\"submit\" class=\"button\">Publish version %d</button></form>\n",
			  ed->draft, ed->draft);
	}
	sbuf_adds(b, "<p>");
	survey_link(b, ed->id, ".json", "Download the file", ed->id);
	sbuf_adds(b, "</p>\n");
}

void render_builder_languages(struct sbuf *b, const char *id, int version,
			      const struct render_builder_lang *langs, int nlangs,
			      const struct render_builder_text *texts, int ntexts,
			      const char *csrf, const struct staff_errors *e)
{
	if (!nlangs) {
		sbuf_adds(b, "<h1>Languages</h1>\n<p>The service speaks no other language yet: add "
			  "one in <code>forms/i18n/</code>.</p>\n");
		return;
	}
	form_page_start(b, id, "Languages of", "Each piece of the survey's text, with a box for its "
			"translation. A box left empty shows the survey's own words. Saving makes a "
			"draft to preview and publish; have a fluent speaker check every translation "
			"first.", "/languages", csrf, version);
	for (int i = 0; i < ntexts; i++) {
		sbuf_adds(b, "<div class=\"translation\">");
		for (int k = 0; k < nlangs; k++) {
			char field[32], attrs[96];
			int area = strlen(texts[i].source) > 80;
			snprintf(field, sizeof field, "t-%d-%d", k, i);
			snprintf(attrs, sizeof attrs, " lang=\"%s\" dir=\"%s\"%s", langs[k].code,
				 langs[k].rtl ? "rtl" : "ltr", area ? " rows=\"4\"" : "");
			render_staff_input(b, e, area ? "textarea" : "text", field, field, langs[k].name,
					   texts[i].source, texts[i].values[k], attrs);
		}
		sbuf_adds(b, "</div>\n");
	}
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save as a draft</button></form>\n");
}

void render_builder_details(struct sbuf *b, const struct render_builder_details *d,
			    const char *csrf, const struct staff_errors *e)
{
	static const char *const states[][2] = {
		{ "open", "Open: takes answers (between the days below, if given)" },
		{ "closed", "Closed: shows that it has closed" },
		{ "draft", "Not open yet: shows that it opens later" },
	};

	form_page_start(b, d->id, "Details of", "Saving makes a draft to preview and publish. A "
			"translation of changed words moves with them: have it checked again.",
			"/details", csrf, d->version);
	render_staff_input(b, e, "text", "d-title", "title", "Title", NULL, d->title, NULL);
	render_staff_input(b, e, "textarea", "d-introduction", "introduction", "Introduction",
			   "Why you ask, and how long it takes. A blank line starts a new paragraph.",
			   d->introduction, " rows=\"6\"");
	render_staff_input(b, e, "textarea", "d-privacy", "privacy", "How we look after the answers",
			   "The privacy notice, in words a 10-year-old understands.", d->privacy,
			   " rows=\"6\"");
	render_staff_input(b, e, "date", "d-opens", "opens", "First day it takes answers",
			   "Optional.", d->opens, NULL);
	render_staff_input(b, e, "date", "d-closes", "closes", "Last day it takes answers",
			   "Optional.", d->closes, NULL);
	render_staff_field_start(b, e, "d-status-open", "Status", NULL, 1);
	for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
		char cid[24];
		snprintf(cid, sizeof cid, "d-status-%s", states[i][0]);
		render_staff_choice(b, "radio", cid, "status", states[i][0], states[i][1],
				    strcmp(d->status, states[i][0]) == 0,
				    staff_errors_for(e, "d-status-open") != NULL);
	}
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save as a draft</button></form>\n");
}

void render_builder_question(struct sbuf *b, const struct form_survey *s, int version,
			     const struct taxonomy *tax, const char *csrf,
			     const struct form_body *posted, const struct staff_errors *e)
{
	const char *type = staff_posted_or(posted, "type", "single");
	const char *page = staff_posted_or(posted, "page", "");
	const char *cond = staff_posted_or(posted, "show_if", "");
	char value[16];

	form_page_start(b, s->id, "Add a question to", "It is added at the end of the page you "
			"choose, and saved as a draft to preview and publish. Change or move it "
			"afterwards in the editor.", "/questions", csrf, version);
	render_staff_select_start(b, e, "q-page", "page", "Page");
	for (int p = 1; p <= s->npages; p++) {
		char label[32];
		snprintf(value, sizeof value, "%d", p);
		snprintf(label, sizeof label, "Page %d", p);
		render_staff_option(b, value, label, *page ? strcmp(page, value) == 0 : p == s->npages);
	}
	render_staff_option(b, "new", "A new page at the end", strcmp(page, "new") == 0);
	render_staff_select_end(b);
	render_staff_field_start(b, e, "q-type-single", "Type of answer", NULL, 1);
	for (size_t i = 0; i < NTYPES; i++) {
		char cid[24];
		snprintf(cid, sizeof cid, "q-type-%s", types[i].name);
		render_staff_choice(b, "radio", cid, "type", types[i].name, types[i].words,
				    strcmp(type, types[i].name) == 0, staff_errors_for(e, "q-type-single") != NULL);
	}
	render_staff_field_end(b, 1);
	render_staff_input(b, e, "text", "q-title", "title", "The question", NULL,
			   staff_posted_or(posted, "title", NULL), NULL);
	render_staff_input(b, e, "text", "q-hint", "hint", "Hint (optional)",
			   "Help shown under the question.", staff_posted_or(posted, "hint", NULL), NULL);
	render_staff_input(b, e, "text", "q-id", "id", "Short name",
			   "Lower-case letters, digits and dashes; the export's column.",
			   staff_posted_or(posted, "id", NULL), " autocapitalize=\"none\" spellcheck=\"false\"");
	render_staff_field_start(b, e, "q-required", "Must it be answered?", NULL, 1);
	render_staff_choice(b, "checkbox", "q-required", "required", "yes",
			    "Yes: they cannot go on without answering it",
			    posted ? staff_posted_has(posted, "required", "yes") : 1, 0);
	render_staff_field_end(b, 1);
	render_staff_input(b, e, "textarea", "q-options", "options", "Answers to choose from",
			   "One per line. To count an answer under themes, add | and their ids: "
			   "\"A youth club | someone-to-talk-to\". Leave empty for a rating, yes or "
			   "no, or age group question to use the usual answers.",
			   staff_posted_or(posted, "options", NULL), " rows=\"6\"");
	theme_list(b, tax);
	condition_select(b, e, "q-show-if", s, s->nquestions, cond);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add it to the draft</button></form>\n");
}


/* "theme-id, theme-id": an option's themes as its box shows them. */
static void themes_text(char *out, size_t cap, const struct form_option *o)
{
	size_t len = 0;

	out[0] = '\0';
	for (int t = 0; t < o->nthemes && len < cap; t++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", t ? ", " : "", o->themes[t]);
}

/* 1 if the server adds this option itself ("Prefer not to say", "Something
 * else"): the definition does not list it. */
static int built_in(const struct form_option *o)
{
	return strcmp(o->id, FORM_PREFER_NOT) == 0 || strcmp(o->id, FORM_OTHER) == 0;
}

void render_builder_question_edit(struct sbuf *b, const struct render_builder_qedit *qe,
				  const char *csrf, const struct form_body *posted,
				  const struct staff_errors *e)
{
	const struct form_survey *s = qe->s;
	const struct form_question *q = &s->questions[qe->index];
	char tail[PARSE_MAX_ID + 16], value[16], cond[2 * PARSE_MAX_ID + 2] = "";
	int k = 0;

	if (q->show_if_question >= 0)
		snprintf(cond, sizeof cond, "%s=%s", s->questions[q->show_if_question].id,
			 s->questions[q->show_if_question].options[q->show_if_option].id);
	snprintf(tail, sizeof tail, "/questions/%s", q->id);
	if (qe->saved && !(e && e->n))
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>Saved as a draft. Preview it, "
			  "then publish it when it is ready.</p></div>\n");
	form_page_start(b, s->id, "Edit a question of", "Saving makes a draft to preview and "
			"publish. A translation of changed words moves with them: have it checked "
			"again.", tail, csrf, qe->version);
	sbuf_adds(b, "<p>");
	sbuf_adds(b, type_words(q->type));
	sbuf_adds(b, ". Short name: <code>");
	sbuf_adds_html(b, q->id);
	sbuf_adds(b, "</code> (it names the export's column, so it stays).</p>\n");
	const char *page = staff_posted_or(posted, "page", "");
	render_staff_select_start(b, e, "e-page", "page", "Page");
	for (int p = 1; p <= s->npages; p++) {
		char label[32];
		snprintf(value, sizeof value, "%d", p);
		snprintf(label, sizeof label, "Page %d", p);
		render_staff_option(b, value, label, *page ? strcmp(page, value) == 0 : p == q->page + 1);
	}
	render_staff_option(b, "new", "A new page at the end", strcmp(page, "new") == 0);
	render_staff_select_end(b);
	render_staff_input(b, e, "text", "e-title", "title", "The question", NULL,
			   staff_posted_or(posted, "title", q->title), NULL);
	render_staff_input(b, e, "text", "e-hint", "hint", "Hint (optional)",
			   "Help shown under the question.",
			   staff_posted_or(posted, "hint", q->hint ? q->hint : ""), NULL);
	render_staff_field_start(b, e, "e-required", "Must it be answered?", NULL, 1);
	render_staff_choice(b, "checkbox", "e-required", "required", "yes",
			    "Yes: they cannot go on without answering it",
			    posted ? staff_posted_has(posted, "required", "yes") : q->required, 0);
	render_staff_field_end(b, 1);
	if (qe->own_options) {
		sbuf_adds(b, "<h2 id=\"options\">Options</h2>\n<p>Each option's words, and the themes "
			  "an answer choosing it counts under (theme ids, separated by commas).</p>\n");
		for (int i = 0; i < q->noptions; i++) {
			const struct form_option *o = &q->options[i];
			char id[32], name[32], legend[64], themes[FORM_MAX_OPTION_THEMES * (PARSE_MAX_ID + 2) + 1];
			if (built_in(o))
				continue;
			snprintf(legend, sizeof legend, "Option %d%s", k + 1, o->hidden ? " (hidden)" : "");
			sbuf_adds(b, "<fieldset class=\"option-edit\"><legend>");
			sbuf_adds(b, legend);
			sbuf_adds(b, "</legend>");
			snprintf(id, sizeof id, "e-o-%d-label", k);
			snprintf(name, sizeof name, "o-%d-label", k);
			render_staff_input(b, e, "text", id, name, "Words", NULL,
					   staff_posted_or(posted, name, o->label), NULL);
			themes_text(themes, sizeof themes, o);
			snprintf(id, sizeof id, "e-o-%d-themes", k);
			snprintf(name, sizeof name, "o-%d-themes", k);
			render_staff_input(b, e, "text", id, name, "Themes", NULL,
					   staff_posted_or(posted, name, themes),
					   " autocapitalize=\"none\" spellcheck=\"false\"");
			sbuf_adds(b, "</fieldset>\n");
			k++;
		}
		theme_list(b, qe->tax);
	}
	condition_select(b, e, "e-show-if", s, qe->index, staff_posted_or(posted, "show_if", cond));
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save as a draft</button></form>\n");
	if (!qe->own_options)
		return;
	sbuf_adds(b, "<h2>Hide or show an option</h2>\n<p>An option is never removed, so that "
		  "earlier answers still count: a hidden one is no longer offered. Save the changes "
		  "above first.</p>\n<ul class=\"option-states\">\n");
	for (int i = 0; i < q->noptions; i++) {
		const struct form_option *o = &q->options[i];
		char opt[2 * PARSE_MAX_ID + 32];
		if (built_in(o))
			continue;
		sbuf_adds(b, "<li id=\"o-");
		sbuf_adds_html(b, o->id);
		sbuf_adds(b, "\" tabindex=\"-1\">");
		sbuf_adds_html(b, o->label);
		sbuf_adds(b, o->hidden ? " <strong>(hidden)</strong> " : " ");
		snprintf(opt, sizeof opt, "/options/%s/%s", o->id, o->hidden ? "show" : "hide");
		action_form(b, s->id, q->id, opt, csrf, qe->version, NULL, o->hidden ? "Show" : "Hide",
			    o->label);
		sbuf_adds(b, "</li>\n");
	}
	sbuf_adds(b, "</ul>\n<h2 id=\"o-new\" tabindex=\"-1\">Add an option</h2>\n<form method=\"post\" "
		  "action=\"/staff/surveys/");
	sbuf_adds_html(b, s->id);
	sbuf_adds_html(b, tail);
	sbuf_adds(b, "/options\" novalidate>");
	csrf_field(b, csrf);
	sbuf_addf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">", qe->version);
	render_staff_input(b, e, "text", "e-new-label", "label", "Its words", NULL,
			   posted ? staff_posted_or(posted, "label", NULL) : NULL, NULL);
	render_staff_input(b, e, "text", "e-new-themes", "themes", "Its themes (optional)",
			   "Theme ids, separated by commas.",
			   posted ? staff_posted_or(posted, "themes", NULL) : NULL,
			   " autocapitalize=\"none\" spellcheck=\"false\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button button-secondary\">Add the option</button>"
		  "</form>\n");
}
