/*
 * render_consult.c - the staff pages of consultations (see render_consult.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_consult.h"

const char *const render_consult_status_names[3] = { "draft", "open", "closed" };

void render_consult_first_priority_id(const struct taxonomy *t, const char *px, char out[32])
{
	snprintf(out, 32, "%s-p%d", px, t->npriorities ? t->priorities[0].number : 1);
}

void render_consult_list(struct sbuf *b, const struct form_catalog *cat, const char *csrf,
			 const char *today, const struct form_body *posted, const struct staff_errors *e)
{
	/* Which attach form was sent, if one was: its survey and its choice. */
	const char *moved = staff_posted_or(posted, "survey", "");
	const char *to = staff_posted_or(posted, "to", "");

	sbuf_adds(b, "<h1>Consultations</h1>\n<p>A consultation in draft or closed takes no survey "
		  "answers: its surveys show young people a friendly \xe2\x80\x9cnot open\xe2\x80\x9d "
		  "page. A closed one takes no new events or focus groups either.</p>\n");
	for (int i = 0; i < cat->nconsultations; i++) {
		const struct form_consultation *c = &cat->consultations[i];
		int state = c->status;
		sbuf_addf(b, "<section class=\"stall\" aria-labelledby=\"c-%d\"><h2 id=\"c-%d\">", i, i);
		sbuf_adds_html(b, c->title);
		sbuf_addf(b, "</h2>\n<p>Now: <strong>%s</strong>.</p>\n<ul>\n", render_consult_status_names[state]);
		for (int k = 0; k < cat->nsurveys; k++) {
			const struct form_survey *s = cat->surveys[k];
			if (s->consultation != c)
				continue;
			sbuf_adds(b, "<li><a href=\"/s/");
			sbuf_adds_html(b, s->id);
			sbuf_adds(b, "\">");
			sbuf_adds_html(b, s->title);
			sbuf_addf(b, "</a> (%s today)", render_consult_status_names[form_survey_status_on(s, today)]);
			if (cat->nconsultations > 1) {
				/* Attach it elsewhere: a small form per survey. */
				int this = strcmp(moved, s->id) == 0;
				char id[24], label[FORM_MAX_LABEL + 16];
				sbuf_adds(b, "<form method=\"post\" class=\"attach\" action=\"/staff/consultations/");
				sbuf_adds_html(b, c->id);
				sbuf_adds(b, "/surveys\">");
				render_staff_csrf(b, csrf);
				sbuf_adds(b, "<input type=\"hidden\" name=\"survey\" value=\"");
				sbuf_adds_html(b, s->id);
				sbuf_adds(b, "\">");
				snprintf(id, sizeof id, "move-%d", k);
				snprintf(label, sizeof label, "Attach %s to", s->title);
				render_staff_consultation_select(b, this ? e : NULL, id, "to", label, cat,
								 this ? to : "", c);
				sbuf_adds(b, "<button type=\"submit\" class=\"button button-secondary\">"
					  "Attach</button></form>");
			}
			sbuf_adds(b, "</li>\n");
		}
		sbuf_adds(b, "</ul>\n<p><a class=\"nav-link\" href=\"/staff/consultations/");
		sbuf_adds_html(b, c->id);
		sbuf_adds(b, "/themes\">Themes and priorities<span class=\"visually-hidden\"> of ");
		sbuf_adds_html(b, c->title);
		/* Its results (results.c), its help signposting (help.c) and its
		 * decision log and public page (yousaid.c), and analysing its
		 * answers in words (analyse.c). */
		static const char *const more[][2] = { { "results\">Results so far", " of " },
						       { "help\">Help for young people", " in " },
						       { "decisions\">You said, we did", " for " },
						       { "analyse\">Analyse answers", " of " },
						       { "equalities\">Who took part and who lives here", " for " },
						       { "round\">Round of a plan", " for " },
						       { "trends\">Rounds over time", " for " } };
		/* Rounds over time (trends.c) only for a round of a plan. */
		for (int k = 0; k < (c->plan ? 7 : 6); k++) {
			sbuf_adds(b, "</span></a><br><a class=\"nav-link\" href=\"/staff/consultations/");
			sbuf_adds_html(b, c->id);
			sbuf_addf(b, "/%s<span class=\"visually-hidden\">%s", more[k][0], more[k][1]);
			sbuf_adds_html(b, c->title);
		}
		sbuf_adds(b, "</span></a></p>\n<div class=\"buttons\">");
		for (int st = 0; st < 3; st++) {
			if (st == state)
				continue;
			sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
			sbuf_adds_html(b, c->id);
			sbuf_adds(b, "\">");
			render_staff_csrf(b, csrf);
			sbuf_addf(b, "<input type=\"hidden\" name=\"status\" value=\"%s\"><button type=\"submit\" "
				  "class=\"button%s\">%s<span class=\"visually-hidden\"> ", render_consult_status_names[st],
				  st == 2 ? " button-warning" : st == 0 ? " button-secondary" : "",
				  st == 0 ? "Back to draft" : st == 1 ? "Open it" : "Close it");
			sbuf_adds_html(b, c->title);
			sbuf_adds(b, "</span></button></form>");
		}
		sbuf_adds(b, "</div></section>\n");
	}
	sbuf_adds(b, "<h2>Start a consultation</h2>\n<p>It starts in draft, with the default themes, "
		  "which you can then refine. Surveys are added to it in forms/ by whoever runs the "
		  "server; events and focus groups can choose it at once.</p>\n"
		  "<form method=\"post\" action=\"/staff/consultations\" novalidate>");
	render_staff_csrf(b, csrf);
	/* The start form shows what was typed only when it was the one sent. */
	const struct form_body *started = *moved ? NULL : posted;
	render_staff_input(b, started ? e : NULL, "text", "c-title", "title", "Title", NULL,
			   staff_posted_or(started, "title", NULL), NULL);
	render_staff_input(b, started ? e : NULL, "text", "c-id", "id", "Short name",
			   "Lower-case letters, digits and dashes, such as send-review-2027.",
			   staff_posted_or(started, "id", NULL),
			   " autocapitalize=\"none\" spellcheck=\"false\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Start it</button></form>\n");
}

void render_consult_themes(struct sbuf *b, const struct form_consultation *c, const struct taxonomy *t,
			   const char *csrf, const struct form_body *posted, const struct staff_errors *e)
{
	const char *sent = staff_posted_or(posted, "action", "");

	sbuf_adds(b, "<h1>Themes: ");
	sbuf_adds_html(b, c->title);
	sbuf_adds(b, "</h1>\n<p>A theme may sit under more than one priority. Themes can be renamed, "
		  "moved between priorities or added; none is ever removed, so what has been counted keeps "
		  "its meaning.</p>\n");
	for (size_t p = 0; p < t->npriorities; p++) {
		sbuf_addf(b, "<h2>%d. ", t->priorities[p].number);
		sbuf_adds_html(b, t->priorities[p].name);
		sbuf_adds(b, "</h2>\n<ul>\n");
		for (size_t i = 0; i < t->nthemes; i++)
			for (int k = 0; k < t->themes[i].npriorities; k++)
				if (t->themes[i].priorities[k] == t->priorities[p].number) {
					sbuf_adds(b, "<li>");
					sbuf_adds_html(b, t->themes[i].name);
					sbuf_adds(b, "</li>\n");
				}
		sbuf_adds(b, "</ul>\n");
	}
	/* One form changes a theme, one adds a theme; both choose priorities. */
	for (int adding = 0; adding < 2; adding++) {
		const char *px = adding ? "add" : "chg";
		int this = strcmp(sent, adding ? "add" : "change") == 0;
		const struct form_body *mine = this ? posted : NULL;
		const struct staff_errors *errs = this ? e : NULL;
		char id[32], first[32];
		sbuf_adds(b, adding ? "<h2>Add a theme</h2>\n" : "<h2>Change a theme</h2>\n");
		sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
		sbuf_adds_html(b, c->id);
		sbuf_adds(b, "/themes\" novalidate>");
		render_staff_csrf(b, csrf);
		sbuf_addf(b, "<input type=\"hidden\" name=\"action\" value=\"%s\">", adding ? "add" : "change");
		if (!adding) {
			const char *chosen = staff_posted_or(mine, "theme", "");
			render_staff_select_start(b, errs, "chg-theme", "theme", "Theme");
			for (size_t i = 0; i < t->nthemes; i++)
				render_staff_option(b, t->themes[i].id, t->themes[i].name,
						    strcmp(chosen, t->themes[i].id) == 0);
			render_staff_select_end(b);
		}
		snprintf(id, sizeof id, "%s-name", px);
		render_staff_input(b, errs, "text", id, "name", adding ? "Name" :
				   "New name (leave empty to keep it)", NULL,
				   staff_posted_or(mine, "name", NULL), NULL);
		render_consult_first_priority_id(t, px, first);
		int bad = staff_errors_for(errs, first) != NULL;
		render_staff_field_start(b, errs, first, "Under which priorities", NULL, 1);
		sbuf_adds(b, "<div class=\"choices\">");
		for (size_t p = 0; p < t->npriorities; p++) {
			char number[16], label[TAXONOMY_MAX_NAME + 16];
			snprintf(id, sizeof id, "%s-p%d", px, t->priorities[p].number);
			snprintf(number, sizeof number, "%d", t->priorities[p].number);
			snprintf(label, sizeof label, "%d. %s", t->priorities[p].number, t->priorities[p].name);
			render_staff_choice(b, "checkbox", id, "priorities[]", number, label,
					    staff_posted_has(mine, "priorities[]", number), bad);
		}
		sbuf_adds(b, "</div>");
		render_staff_field_end(b, 1);
		sbuf_addf(b, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
			  adding ? "Add the theme" : "Change the theme");
	}
}
