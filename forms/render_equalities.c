/*
 * render_equalities.c - "who took part and who lives here" (see
 * render_equalities.h): one table per equalities question, the form that
 * opens the survey counts with the key, and the form for the population
 * figures.
 */
#include <stdio.h>
#include <string.h>

#include "render_equalities.h"

static void cell(struct sbuf *b, const char *text)
{
	sbuf_adds(b, "<td class=\"numeric\">");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</td>");
}

static void group_table(struct sbuf *b, const struct render_equalities *r, int g)
{
	const struct render_eq_group *gr = &r->groups[g];

	sbuf_addf(b, "<h3 id=\"eq-%d\">", g);
	sbuf_adds_html(b, gr->title);
	sbuf_adds(b, "</h3>\n");
	if (r->counted && !gr->asked) {
		sbuf_adds(b, "<p>No survey of this consultation asks this question.</p>\n");
	} else if (r->counted) {
		sbuf_adds(b, "<p>Answered the question: <strong>");
		sbuf_adds_html(b, gr->answered);
		sbuf_adds(b, "</strong></p>\n");
	}
	sbuf_addf(b, "<section class=\"table-scroll\" aria-labelledby=\"eq-%d\" tabindex=\"0\">"
		  "<table class=\"totals themes equalities\" aria-labelledby=\"eq-%d\">\n<thead><tr>"
		  "<th scope=\"col\">Category</th><th scope=\"col\" class=\"numeric\">Took part</th>"
		  "<th scope=\"col\" class=\"numeric\">Took part, %%</th><th scope=\"col\" "
		  "class=\"numeric\">Lives here</th><th scope=\"col\" class=\"numeric\">Lives here, %%"
		  "</th></tr></thead>\n"
		  "<tbody>\n", g, g);
	for (int i = 0; i < gr->nrows; i++) {
		const struct render_eq_row *row = &gr->rows[i];
		sbuf_adds(b, "<tr><th scope=\"row\">");
		sbuf_adds_html(b, row->label);
		sbuf_adds(b, "</th>");
		cell(b, r->counted ? row->count : "");
		cell(b, row->share);
		cell(b, row->people);
		cell(b, row->people_share);
		sbuf_adds(b, "</tr>\n");
	}
	sbuf_adds(b, "</tbody>\n</table></section>\n");
}

/* The population figures: one number field per category with a key. */
static void population_form(struct sbuf *b, const struct render_equalities *r,
			    const struct staff_errors *e)
{
	sbuf_adds(b, "<h2 id=\"population\">Who lives here: population figures</h2>\n<p>Enter the "
		  "number of children and young people in each category in the area the plan "
		  "covers, for example from the 2021 census or the school census. Leave a box empty "
		  "for no figure. Whole numbers from 0 to 100,000,000.</p>\n"
		  "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/equalities/population\" novalidate>");
	render_staff_csrf(b, r->csrf);
	for (int g = 0; g < r->ngroups; g++) {
		const struct render_eq_group *gr = &r->groups[g];
		sbuf_adds(b, "<fieldset class=\"field population\"><legend>");
		sbuf_adds_html(b, gr->title);
		sbuf_adds(b, "</legend>\n");
		for (int i = 0; i < gr->nrows; i++) {
			const struct render_eq_row *row = &gr->rows[i];
			char id[120];
			if (!row->key[0])
				continue;
			snprintf(id, sizeof id, "pop-%s", row->key);
			for (char *p = id; *p; p++)
				if (*p == ':' || *p == '_')
					*p = '-';
			render_staff_input(b, e, "text", id, row->key, row->label, NULL,
					   staff_posted_or(r->posted, row->key, row->people),
					   " inputmode=\"numeric\" autocomplete=\"off\" class=\"input-number\"");
		}
		sbuf_adds(b, "</fieldset>\n");
	}
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save population figures</button>"
		  "</form>\n");
}

void render_equalities_page(struct sbuf *b, const struct render_equalities *r,
			    const struct staff_errors *e)
{
	render_staff_page_start(b, "Who took part and who lives here", r->who, e);
	sbuf_adds(b, "<h1>Who took part and who lives here: ");
	sbuf_adds_html(b, r->title);
	sbuf_addf(b, "</h1>\n<p>For the plan&#39;s Equality and Human Rights Impact Assessment: "
		  "the young people who answered each equalities question, beside the young people "
		  "who live in the area. The survey counts are published as the breakdowns export "
		  "publishes them: counts from 1 to %d are shown as &lt;%d, &ldquo;[c]&rdquo; marks "
		  "a count hidden so that a small one cannot be worked out, and &ldquo;[x]&rdquo; a "
		  "question answered by fewer than %d. A share is shown only where both its counts "
		  "are; the survey&#39;s share is of those who answered the question (&ldquo;Prefer "
		  "not to say&rdquo; included), the population&#39;s of the figures entered for "
		  "that question.</p>\n", r->min_cell - 1, r->min_cell, r->min_cell);
	if (r->saved)
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>The population figures are "
			  "saved.</p></div>\n");
	if (!r->counted) {
		sbuf_adds(b, "<h2>Who took part</h2>\n<p>The answers are sealed: type the passphrase "
			  "of the secret key to count them. It is used for this page only and never "
			  "kept.</p>\n<form method=\"post\" action=\"/staff/consultations/");
		sbuf_adds_html(b, r->consultation);
		sbuf_adds(b, "/equalities\" novalidate>");
		render_staff_csrf(b, r->csrf);
		render_staff_input(b, e, "password", "e-passphrase", "passphrase",
				   "Passphrase of the secret key", NULL, NULL,
				   " autocomplete=\"current-password\"");
		sbuf_adds(b, "<button type=\"submit\" class=\"button\">Count who took part</button>"
			  "</form>\n");
	}
	sbuf_adds(b, "<h2>By question</h2>\n");
	for (int g = 0; g < r->ngroups; g++)
		group_table(b, r, g);
	population_form(b, r, e);
	render_staff_page_end(b);
}
