/*
 * render_help.c - the help signposting page of a consultation (see
 * render_help.h).
 */
#include <stdio.h>

#include "form.h"
#include "render_help.h"

void render_help_page(struct sbuf *b, const struct render_help *h)
{
	char hint[200];

	render_staff_page_start(b, "Help for young people", h->who, h->e);
	sbuf_adds(b, "<h1>Help for young people: ");
	sbuf_adds_html(b, h->title);
	sbuf_adds(b, "</h1>\n");
	if (h->saved)
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>Saved. Young people see it "
			  "from their next page.</p></div>\n");
	sbuf_adds(b, "<p>Every survey of this consultation shows this text in a box headed "
		  "\xe2\x80\x9cNeed to talk to someone?\xe2\x80\x9d on its first page and on its "
		  "thanks page. Say where a young person can get help now: we cannot reply to "
		  "what they write.</p>\n");
	if (h->nsurveys) {
		sbuf_adds(b, "<p>Its surveys:</p>\n<ul>\n");
		for (int i = 0; i < h->nsurveys; i++) {
			sbuf_adds(b, "<li>");
			sbuf_adds_html(b, h->surveys[i]);
			sbuf_adds(b, "</li>\n");
		}
		sbuf_adds(b, "</ul>\n");
	} else {
		sbuf_adds(b, "<p>It has no surveys yet.</p>\n");
	}
	sbuf_adds(b, h->is_default ? "<p>Now: <strong>the default text</strong>, shown in each "
		  "survey's language where a translation exists.</p>\n" :
		  "<p>Now: <strong>your own text</strong>, shown as it is in every language.</p>\n");
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, h->consultation);
	sbuf_adds(b, "/help\" novalidate>");
	sbuf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, h->who->csrf);
	sbuf_adds(b, "\">");
	snprintf(hint, sizeof hint, "Plain text, up to %d characters. Each line becomes a "
		 "paragraph. Links and formatting are shown as typed.", FORM_MAX_HELP);
	render_staff_input(b, h->e, "textarea", "help-text", "text", "Help text", hint, h->text,
			   " rows=\"5\"");
	sbuf_adds(b, "<div class=\"buttons\"><button type=\"submit\" class=\"button\" name=\"action\" "
		  "value=\"save\">Save the help text</button>");
	if (!h->is_default)
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-secondary\" name=\"action\" "
			  "value=\"default\">Use the default text</button>");
	sbuf_adds(b, "</div></form>\n<p><a class=\"nav-link\" href=\"/staff/consultations\">"
		  "Back to the consultations</a></p>\n");
	render_staff_page_end(b);
}
