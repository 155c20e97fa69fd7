/*
 * render_builder.c - the survey builder's staff pages (see render_builder.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_builder.h"

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

void render_builder_list(struct sbuf *b, const struct render_builder_row *rows, int nrows,
			 const struct form_catalog *cat, const char *csrf,
			 const struct form_body *posted, const struct staff_errors *e)
{
	const char *sent = staff_posted_or(posted, "form", "");
	const struct form_body *start = strcmp(sent, "start") == 0 ? posted : NULL;
	const struct form_body *paste = strcmp(sent, "paste") == 0 ? posted : NULL;

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

	sbuf_adds(b, "<h2>Add a survey from its file</h2>\n<p>Paste the whole JSON file, as "
		  "downloaded here or written for <code>forms/surveys/</code>. It is checked and "
		  "saved as a draft; a survey with the same short name gets it as its next "
		  "draft.</p>\n<form method=\"post\" action=\"/staff/surveys\" novalidate>");
	csrf_field(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"form\" value=\"paste\">");
	render_staff_input(b, paste ? e : NULL, "textarea", "s-definition", "definition",
			   "The survey's JSON", "Up to 16 KB.",
			   staff_posted_or(paste, "definition", NULL),
			   " rows=\"12\" class=\"code\" spellcheck=\"false\" autocapitalize=\"none\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Check and save as a draft</button>"
		  "</form>\n");
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
			  "every question and choice, and hide one you no longer want with "
			  "<code>\"hidden\": true</code>. Earlier answers are counted and exported "
			  "as they were given.</p>\n");
	sbuf_adds(b, "<h2>Without writing JSON</h2>\n<p class=\"links\">");
	survey_link(b, ed->id, "/questions", "Add a question", ed->id);
	sbuf_adds(b, " ");
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
	static const char *const types[][2] = {
		{ "single", "One answer from a list" }, { "multiple", "Any answers from a list" },
		{ "rating", "A scale from really bad to really good" }, { "yes_no", "Yes or no" },
		{ "text", "Their own words" }, { "age_band", "Age group" },
		{ "district", "Where they live (a list of areas)" },
	};
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
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		char cid[24];
		snprintf(cid, sizeof cid, "q-type-%s", types[i][0]);
		render_staff_choice(b, "radio", cid, "type", types[i][0], types[i][1],
				    strcmp(type, types[i][0]) == 0, staff_errors_for(e, "q-type-single") != NULL);
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
	sbuf_adds(b, "<details class=\"theme-list\"><summary>The consultation's theme ids</summary><ul>");
	for (size_t i = 0; tax && i < tax->nthemes; i++) {
		sbuf_adds(b, "<li><code>");
		sbuf_adds_html(b, tax->themes[i].id);
		sbuf_adds(b, "</code>: ");
		sbuf_adds_html(b, tax->themes[i].name);
		sbuf_adds(b, "</li>");
	}
	sbuf_adds(b, "</ul></details>\n");
	render_staff_select_start(b, e, "q-show-if", "show_if", "Ask it only when");
	render_staff_option(b, "", "Always", !*cond);
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		for (int k = 0; k < q->noptions; k++) {
			char v[2 * PARSE_MAX_ID + 2], label[2 * FORM_MAX_LABEL + 16];
			snprintf(v, sizeof v, "%s=%s", q->id, q->options[k].id);
			snprintf(label, sizeof label, "%s: %s", q->title, q->options[k].label);
			render_staff_option(b, v, label, strcmp(cond, v) == 0);
		}
	}
	render_staff_select_end(b);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add it to the draft</button></form>\n");
}

