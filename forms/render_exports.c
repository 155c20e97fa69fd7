/*
 * render_exports.c - the staff exports page (see render_exports.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_exports.h"

void render_exports_page(struct sbuf *b, const struct render_exports *p, const struct staff_errors *e)
{
	const struct form_catalog *cat = p->cat;
	const char *chosen = staff_posted_or(p->posted, "consultation", "");
	const char *kind = staff_posted_or(p->posted, "kind", p->kinds[0].id);

	sbuf_addf(b, "<h1>Exports</h1>\n<h2>Themes table</h2>\n<p>Under each priority, the survey "
		  "responses, focus-group key messages and marketplace tokens that raised each "
		  "theme. Counts below %d are shown as &lt;%d, and others hidden where a small one "
		  "could be worked out, so the table is safe to share. No passphrase needed.</p>\n"
		  "<ul class=\"survey-list\">\n", p->min_cell, p->min_cell);
	for (int i = 0; i < cat->nconsultations; i++) {
		const struct form_consultation *c = &cat->consultations[i];
		sbuf_adds(b, "<li>");
		sbuf_adds_html(b, c->title);
		static const char *const formats[][2] = {
			{ "csv", "CSV" }, { "xlsx", "spreadsheet (XLSX)" }, { "json", "JSON" }
		};
		for (int f = 0; f < 3; f++) {
			sbuf_addf(b, "%s<a href=\"/staff/export/themes.%s?consultation=", f ? ", " : ": ",
				  formats[f][0]);
			sbuf_adds_html(b, c->id);
			sbuf_addf(b, "\">%s</a>", formats[f][1]);
		}
		sbuf_adds(b, "</li>\n");
	}
	sbuf_adds(b, "</ul>\n<h2>Report, breakdowns and responses</h2>\n<p>These open the sealed "
		  "answers, so they need the passphrase of the secret key. It is used for this export "
		  "only and then forgotten. The report and the breakdowns are suppressed like the "
		  "themes table. The responses export has every answer, one row per response: keep it "
		  "on a secure machine and never publish it (as a spreadsheet it is made by "
		  "survey-export responses --format xlsx on that machine, so that no answer is "
		  "written to this server's disk). To check or change the passphrase, see the "
		  "<a href=\"/staff/key\">Key page</a>.</p>\n"
		  "<form method=\"post\" action=\"/staff/export/decrypted\" novalidate>");
	render_staff_csrf(b, p->csrf);
	render_staff_consultation_select(b, e, "e-consultation", "consultation", "Consultation", cat,
					 chosen, NULL);
	render_staff_field_start(b, e, "e-kind-0", "Export", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	for (int k = 0; k < p->nkinds; k++) {
		char id[24];
		snprintf(id, sizeof id, "e-kind-%d", k);
		render_staff_choice(b, "radio", id, "kind", p->kinds[k].id, p->kinds[k].label,
				    strcmp(kind, p->kinds[k].id) == 0, staff_errors_for(e, "e-kind-0") != NULL);
	}
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<div class=\"group\"><div class=\"choices\">");
	render_staff_choice(b, "checkbox", "e-bom", "bom", "1", "CSV for Excel (adds a byte-order mark so "
			    "accents and other scripts show)", staff_posted_has(p->posted, "bom", "1"), 0);
	sbuf_adds(b, "</div></div>\n");
	render_staff_input(b, e, "password", "e-passphrase", "passphrase", "Passphrase of the secret key",
			   NULL, NULL, " autocomplete=\"current-password\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Export</button></form>\n");
}
