/*
 * render_event.c - the staff pages that put a marketplace event right (see
 * render_event.h).
 */
#include <stdio.h>
#include <string.h>

#include "render_event.h"

/* "/staff/events/ID" and tail into out. */
static void event_href(const struct store_event *e, const char *tail, char out[64])
{
	snprintf(out, 64, "/staff/events/%lld%s", e->id, tail);
}

void render_event_edit_link(struct sbuf *b, long long id, const char *label)
{
	char href[64];

	snprintf(href, sizeof href, "/staff/events/%lld/edit", id);
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"");
	sbuf_adds(b, href);
	sbuf_adds(b, "\">");
	sbuf_adds(b, label);
	sbuf_adds(b, "</a></p>\n");
}

/* A small form posting to action with the CSRF token and confirm=yes. */
static void confirm_form(struct sbuf *b, const char *csrf, const char *action,
			 const char *button, const char *back_href, const char *back)
{
	sbuf_adds(b, "<form method=\"post\" action=\"");
	sbuf_adds(b, action);
	sbuf_adds(b, "\">");
	render_staff_csrf(b, csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"confirm\" value=\"" RENDER_EVENT_CONFIRM "\">"
		  "<div class=\"buttons\"><button type=\"submit\" class=\"button button-warning\">");
	sbuf_adds(b, button);
	sbuf_adds(b, "</button><a class=\"nav-link\" href=\"");
	sbuf_adds(b, back_href);
	sbuf_adds(b, "\">");
	sbuf_adds(b, back);
	sbuf_adds(b, "</a></div></form>\n");
}

void render_event_close_confirm(struct sbuf *b, const struct store_event *e, const char *csrf,
				const struct render_event_stall *stalls, int n, long long all)
{
	char action[64], back[64];

	sbuf_adds(b, "<h1>Close ");
	sbuf_adds_html(b, e->name);
	sbuf_adds(b, "?</h1>\n<p>Closing locks its tallies: no more taps or totals can be saved. ");
	sbuf_adds(b, "If it is closed by mistake, a commissioner or an admin can reopen it.</p>\n");
	sbuf_addf(b, "<table class=\"totals\"><caption>What has been counted, %s</caption>\n"
		  "<thead><tr><th scope=\"col\">Stall</th><th scope=\"col\" class=\"numeric\">Tokens</th>"
		  "</tr></thead>\n<tbody>\n", e->day);
	for (int i = 0; i < n; i++) {
		sbuf_addf(b, "<tr><th scope=\"row\">%d. ", stalls[i].priority);
		if (stalls[i].name)
			sbuf_adds_html(b, stalls[i].name);
		sbuf_addf(b, "</th><td class=\"numeric\">%lld</td></tr>\n", stalls[i].count);
	}
	sbuf_addf(b, "</tbody>\n<tfoot><tr><th scope=\"row\">All stalls</th><td class=\"numeric\">%lld</td>"
		  "</tr></tfoot>\n</table>\n", all);
	event_href(e, "/close", action);
	event_href(e, "", back);
	confirm_form(b, csrf, action, "Yes, close it", back, "No, go back to the tally page");
}

void render_event_cannot_delete(char *out, size_t cap, long long taps, int closed)
{
	snprintf(out, cap, "It has %lld tally change%s. Taps are never deleted, so that what was counted "
		 "stays honest.%s", taps, taps == 1 ? "" : "s",
		 closed ? "" : " Close the event instead, or correct its name and day.");
}

void render_event_edit(struct sbuf *b, const struct store_event *e, const char *csrf, int may_reopen,
		       long long taps, const struct form_body *posted, const struct staff_errors *errors)
{
	char href[64], back[64], why[240];

	event_href(e, "", back);
	sbuf_adds(b, "<h1>Change the event: ");
	sbuf_adds_html(b, e->name);
	sbuf_adds(b, "</h1>\n");
	if (!e->closed) {
		event_href(e, "/edit", href);
		sbuf_adds(b, "<h2>Correct the name or day</h2>\n<form method=\"post\" action=\"");
		sbuf_adds(b, href);
		sbuf_adds(b, "\" novalidate>");
		render_staff_csrf(b, csrf);
		render_staff_input(b, errors, "text", "event-name", "name", "Name of the event", NULL,
				   staff_posted_or(posted, "name", e->name), " autocomplete=\"off\"");
		render_staff_input(b, errors, "date", "event-day", "day", "Day", NULL,
				   staff_posted_or(posted, "day", e->day), NULL);
		sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save the changes</button></form>\n");
	} else {
		sbuf_adds(b, "<p>This event is closed, so its name and day can no longer be changed.</p>\n");
		if (may_reopen) {
			event_href(e, "/reopen", href);
			sbuf_adds(b, "<h2>Reopen it</h2>\n<p>If it was closed by mistake, reopen it to take "
				  "taps again. Its tallies so far are kept.</p>\n<form method=\"post\" action=\"");
			sbuf_adds(b, href);
			sbuf_adds(b, "\">");
			render_staff_csrf(b, csrf);
			sbuf_adds(b, "<button type=\"submit\" class=\"button\">Reopen the event</button></form>\n");
		} else {
			sbuf_adds(b, "<p>If it was closed by mistake, ask a commissioner or an admin to reopen "
				  "it.</p>\n");
		}
	}
	sbuf_adds(b, "<h2>Delete it</h2>\n");
	if (taps) {
		render_event_cannot_delete(why, sizeof why, taps, e->closed);
		sbuf_adds(b, "<p>This event cannot be deleted. ");
		sbuf_adds(b, why);
		sbuf_adds(b, "</p>\n");
	} else {
		event_href(e, "/delete", href);
		sbuf_adds(b, "<p>It has no taps yet, so deleting it loses nothing that was counted.</p>\n"
			  "<form method=\"post\" action=\"");
		sbuf_adds(b, href);
		sbuf_adds(b, "\">");
		render_staff_csrf(b, csrf);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Delete the event</button>"
			  "</form>\n");
	}
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"");
	sbuf_adds(b, back);
	sbuf_adds(b, "\">Back to the event</a></p>\n");
}

void render_event_delete_confirm(struct sbuf *b, const struct store_event *e, const char *csrf)
{
	char href[64], back[64];

	event_href(e, "/edit", back);
	sbuf_adds(b, "<h1>Delete ");
	sbuf_adds_html(b, e->name);
	sbuf_adds(b, "?</h1>\n<p>");
	sbuf_adds_html(b, e->day);
	sbuf_adds(b, ". It has no taps, so nothing that was counted is lost. This cannot be undone.</p>\n");
	event_href(e, "/delete", href);
	confirm_form(b, csrf, href, "Yes, delete it", back, "No, keep it");
}
