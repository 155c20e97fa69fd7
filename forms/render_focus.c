/*
 * render_focus.c - the staff pages of focus groups (see render_focus.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_focus.h"

void render_focus_groups_head(struct sbuf *b)
{
	sbuf_adds(b, "<h1>Focus groups</h1>\n");
}

void render_focus_group_item(struct sbuf *b, int n, const struct store_focus *g)
{
	if (!n)
		sbuf_adds(b, "<ul class=\"survey-list\">\n");
	sbuf_addf(b, "<li><a href=\"/staff/groups/%lld\">", g->id);
	sbuf_adds_html(b, g->district);
	sbuf_addf(b, ", %s, %d young people%s</a></li>\n", g->day, g->participants,
		  g->locked ? " (locked)" : "");
}

/* The posted form and problems for form, or NULLs when another was sent. */
static const struct form_body *retry_posted(const struct render_focus_retry *r, enum render_focus_form form)
{
	return r && r->form == form ? r->posted : NULL;
}

static const struct staff_errors *retry_errors(const struct render_focus_retry *r,
					       enum render_focus_form form)
{
	return r && r->form == form ? r->e : NULL;
}

/* A number input inside a fieldset of several: its label, then the input
 * holding what was sent, the stored value (value >= 0) or nothing. */
static void pair_input(struct sbuf *b, const char *id, const char *name, const char *label,
		       const char *attrs, const struct form_body *posted, int value, int invalid)
{
	sbuf_adds(b, "<span class=\"pair-item\"><label for=\"");
	sbuf_adds(b, id);
	sbuf_adds(b, "\">");
	sbuf_adds(b, label);
	sbuf_adds(b, "</label><input type=\"number\" inputmode=\"numeric\"");
	sbuf_adds(b, attrs);
	sbuf_adds(b, " id=\"");
	sbuf_adds(b, id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds(b, name);
	sbuf_adds(b, "\" value=\"");
	if (posted)
		sbuf_adds_html(b, staff_posted_or(posted, name, ""));
	else if (value >= 0)
		sbuf_addf(b, "%d", value);
	sbuf_adds(b, invalid ? "\" aria-invalid=\"true\"></span>" : "\"></span>");
}

/* The details form, for a new group (g NULL) or an open one; posted and e
 * when it comes back to be put right. */
static void details_form(struct sbuf *b, const struct render_focus *p, const struct store_focus *g,
			 const struct form_body *posted, const struct staff_errors *e)
{
	char number[16];

	if (g)
		sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld\" novalidate>", g->id);
	else
		sbuf_adds(b, "<form method=\"post\" action=\"/staff/groups\" novalidate>");
	render_staff_csrf(b, p->csrf);
	if (!g)
		render_staff_consultation_select(b, e, "g-consultation", "consultation", "Consultation", p->cat,
						 staff_posted_or(posted, "consultation", ""), NULL);
	render_staff_input(b, e, "date", "g-day", "day", "Day", NULL,
			   staff_posted_or(posted, "day", g ? g->day : p->today), NULL);
	render_staff_input(b, e, "text", "g-district", "district", "District", NULL,
			   staff_posted_or(posted, "district", g ? g->district : NULL), NULL);
	snprintf(number, sizeof number, "%d", g ? g->participants : 8);
	render_staff_input(b, e, "number", "g-participants", "participants",
			   "How many young people took part", NULL,
			   staff_posted_or(posted, "participants", number),
			   " inputmode=\"numeric\" min=\"1\" max=\"200\"");
	int bad = staff_errors_for(e, "g-age-from") != NULL;
	render_staff_field_start(b, e, "g-age-from", "Their ages", NULL, 1);
	sbuf_adds(b, "<div class=\"pair\">");
	pair_input(b, "g-age-from", "age_from", "Youngest", " min=\"5\" max=\"30\"", posted,
		   g ? g->age_from : 11, bad);
	pair_input(b, "g-age-to", "age_to", "Oldest", " min=\"5\" max=\"30\"", posted,
		   g ? g->age_to : 16, bad);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	const char *names[3] = { "girls", "boys", "other_gender" };
	const char *ids[3] = { "g-girls", "g-boys", "g-other_gender" };
	const char *labels[3] = { "Girls", "Boys", "Another way or not said" };
	int values[3] = { g ? g->girls : -1, g ? g->boys : -1, g ? g->other_gender : -1 };
	bad = staff_errors_for(e, "g-girls") != NULL;
	render_staff_field_start(b, e, "g-girls", "Gender mix (optional, as counts)", NULL, 1);
	sbuf_adds(b, "<div class=\"pair\">");
	for (int i = 0; i < 3; i++)
		pair_input(b, ids[i], names[i], labels[i], " min=\"0\" max=\"200\"", posted, values[i], bad);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_addf(b, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		  g ? "Save the details" : "Add the group");
}

void render_focus_groups_end(struct sbuf *b, const struct render_focus *p, int n,
			     const struct form_body *posted, const struct staff_errors *e)
{
	sbuf_adds(b, n ? "</ul>\n" : "<p>No focus groups yet.</p>\n");
	sbuf_adds(b, "<h2>Add a focus group</h2>\n");
	details_form(b, p, NULL, posted, e);
}

void render_focus_message(struct render_focus_messages *v, long long id, const char *text,
			  const char *themes)
{
	const char *p = themes;

	if (!v->n++)
		sbuf_adds(v->b, "<ol class=\"messages\">\n");
	sbuf_adds(v->b, "<li><p>");
	sbuf_adds_html(v->b, text);
	sbuf_adds(v->b, "</p><p class=\"hint\">Themes: ");
	while (*p) {
		size_t n = strcspn(p, ",");
		char tid[64];
		snprintf(tid, sizeof tid, "%.*s", (int)(n < 63 ? n : 63), p);
		int i = taxonomy_theme_index(v->p->t, tid);
		sbuf_adds_html(v->b, i >= 0 ? v->p->t->themes[i].name : tid);
		p += n;
		if (*p == ',') {
			sbuf_adds(v->b, "; ");
			p++;
		}
	}
	sbuf_adds(v->b, "</p>");
	if (!v->g->locked) {
		sbuf_addf(v->b, "<form method=\"post\" action=\"/staff/groups/%lld/messages/%lld/delete\">",
			  v->g->id, id);
		render_staff_csrf(v->b, v->p->csrf);
		sbuf_addf(v->b, "<button type=\"submit\" class=\"link-button\">Remove<span "
			  "class=\"visually-hidden\"> key message %d</span></button></form>", v->n);
	}
	sbuf_adds(v->b, "</li>\n");
}

/* The key message form; posted and e when it comes back to be put right. */
static void message_form(struct sbuf *b, const struct render_focus *p, const struct store_focus *g,
			 const struct form_body *posted, const struct staff_errors *e)
{
	const struct taxonomy *t = p->t;
	char hint[300], first[PARSE_MAX_ID + 16];

	sbuf_addf(b, "<h3>Add a key message</h3>\n<form method=\"post\" "
		  "action=\"/staff/groups/%lld/messages\" novalidate>", g->id);
	render_staff_csrf(b, p->csrf);
	snprintf(hint, sizeof hint, "In a sentence or two, up to %d characters, with no names. Contact "
		 "details are taken out; names are not, unless given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d "
		 "or signed.", STORE_MAX_MESSAGE);
	render_staff_input(b, e, "textarea", "m-text", "text", "What the group said", hint,
			   staff_posted_or(posted, "text", NULL), " rows=\"3\"");
	/* The summary links to the first box of the list. */
	snprintf(first, sizeof first, "m-theme-%s", t->nthemes ? t->themes[0].id : "");
	int bad = staff_errors_for(e, first) != NULL;
	render_staff_field_start(b, e, first, "Themes", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	for (size_t i = 0; i < t->nthemes; i++) {
		const struct theme *th = &t->themes[i];
		char id[PARSE_MAX_ID + 16];
		snprintf(id, sizeof id, "m-theme-%s", th->id);
		render_staff_choice(b, "checkbox", id, "themes[]", th->id, th->name,
				    staff_posted_has(posted, "themes[]", th->id), bad);
	}
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add the key message</button></form>\n");
}

/* The quote or note form; posted and e when it comes back to be put right. */
static void sealed_form(struct sbuf *b, const struct render_focus *p, const struct store_focus *g,
			const struct form_body *posted, const struct staff_errors *e)
{
	const char *kind = staff_posted_or(posted, "kind", "");
	const char *no_names = staff_errors_for(e, "s-no-names");
	char hint[400];

	sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld/sealed\" novalidate>", g->id);
	render_staff_csrf(b, p->csrf);
	render_staff_field_start(b, e, "s-quote", "Is it a quote or a note?", NULL, 1);
	sbuf_adds(b, "<div class=\"choices choices-inline\">");
	render_staff_choice(b, "radio", "s-quote", "kind", "quote", "A quote", strcmp(kind, "quote") == 0,
			    staff_errors_for(e, "s-quote") != NULL);
	render_staff_choice(b, "radio", "s-note", "kind", "note", "A note", strcmp(kind, "note") == 0,
			    staff_errors_for(e, "s-quote") != NULL);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	snprintf(hint, sizeof hint, "Up to %d characters. Contact details, social media names and a name "
		 "given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d or signed \xe2\x80\x9c- Jade, 15\xe2\x80\x9d "
		 "are taken out before it is locked. Other names are not recognised: take them out yourself.",
		 p->max_sealed_chars);
	render_staff_input(b, e, "textarea", "s-text", "text", "The words", hint,
			   staff_posted_or(posted, "text", NULL), " rows=\"4\"");
	/* One box, its message above it and its hint below, both read with it. */
	sbuf_adds(b, no_names ? "<div class=\"group group-error\">" : "<div class=\"group\">");
	if (no_names) {
		sbuf_adds(b, "<p class=\"error-message\" id=\"s-no-names-error\"><span class=\"visually-hidden\">"
			  "Error:</span> ");
		sbuf_adds_html(b, no_names);
		sbuf_adds(b, "</p>");
	}
	sbuf_adds(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"s-no-names\" name=\"no_names\" "
		  "value=\"yes\" aria-describedby=\"s-no-names-hint");
	sbuf_adds(b, no_names ? " s-no-names-error\" aria-invalid=\"true\">" : "\">");
	sbuf_adds(b, "<label for=\"s-no-names\">I have checked: these words hold no names</label></div>"
		  "<p class=\"hint\" id=\"s-no-names-hint\">Nobody\xe2\x80\x99s name: not the young "
		  "person\xe2\x80\x99s, nor a friend\xe2\x80\x99s, a teacher\xe2\x80\x99s or anyone else\xe2\x80\x99s. "
		  "Once saved, the words cannot be seen or changed here.</p></div>\n"
		  "<button type=\"submit\" class=\"button\">Save and lock it</button></form>\n");
}

void render_focus_group_head(struct sbuf *b, const struct store_focus *g)
{
	sbuf_adds(b, "<h1>Focus group: ");
	sbuf_adds_html(b, g->district);
	sbuf_addf(b, ", %s</h1>\n<p>%d young people aged %d to %d.%s</p>\n", g->day, g->participants,
		  g->age_from, g->age_to, g->locked ? " This group is locked: nothing can be changed." : "");
	sbuf_adds(b, "<h2>Key messages</h2>\n<p>Each key message counts once under each theme "
		  "it is tagged with.</p>\n");
}

void render_focus_group_end(struct sbuf *b, const struct render_focus *p, const struct store_focus *g,
			    int n, const struct render_focus_retry *retry)
{
	sbuf_adds(b, n ? "</ol>\n" : "<p>No key messages yet.</p>\n");
	if (!g->locked)
		message_form(b, p, g, retry_posted(retry, RENDER_FOCUS_MESSAGE),
			     retry_errors(retry, RENDER_FOCUS_MESSAGE));
	sbuf_addf(b, "<h2>Quotes and notes</h2>\n<p>%d quote%s and %d note%s saved. They are locked as "
		  "soon as they are saved, like survey answers: only the team holding the key can read "
		  "them, in the export.</p>\n", g->quotes, g->quotes == 1 ? "" : "s", g->notes,
		  g->notes == 1 ? "" : "s");
	if (!g->locked) {
		sealed_form(b, p, g, retry_posted(retry, RENDER_FOCUS_SEALED),
			    retry_errors(retry, RENDER_FOCUS_SEALED));
		sbuf_adds(b, "<h2>Details</h2>\n<p>Correct any of them until the group is locked.</p>\n");
		details_form(b, p, g, retry_posted(retry, RENDER_FOCUS_DETAILS),
			     retry_errors(retry, RENDER_FOCUS_DETAILS));
		sbuf_addf(b, "<h2>When the group is finished</h2>\n<form method=\"post\" "
			  "action=\"/staff/groups/%lld/lock\">", g->id);
		render_staff_csrf(b, p->csrf);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Lock the group</button>"
			  "</form>\n");
	}
}
