/*
 * render_tally.c - the marketplace tally page (see render_tally.h).
 *
 * The page is one document, so that everything on it (taps, and setting a
 * total after counting the stickers) still works while the venue's wifi is
 * down: tally.js queues the changes on the tablet.  Element ids are what the
 * script and the tests find: opt-P-T per option (its .count), stall-P per
 * stall, total-P-T per total field, and tally-* in the status bar.
 */
#include <string.h>

#include <sodium.h>

#include "render_tally.h"

#define MINUS "\xe2\x88\x92"          /* U+2212, the minus sign */

/* The hidden fields every tally form carries: token, stall, option, and a
 * fresh client id, so that a form posted twice counts once. */
static void change_fields(struct sbuf *b, const struct render_tally *p,
			  const struct render_tally_option *o)
{
	unsigned char raw[12];
	char cid[25];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(cid, sizeof cid, raw, sizeof raw);
	sbuf_adds(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, p->who->csrf);
	sbuf_addf(b, "\"><input type=\"hidden\" name=\"priority\" value=\"%d\">"
		  "<input type=\"hidden\" name=\"theme\" value=\"", o->priority);
	sbuf_adds_html(b, o->theme);
	sbuf_addf(b, "\"><input type=\"hidden\" name=\"client_id\" value=\"%s\">", cid);
}

/* One +1 or -1 button, a form of its own. */
static void tap_button(struct sbuf *b, const struct render_tally *p,
		       const struct render_tally_option *o, int delta)
{
	sbuf_addf(b, "<form method=\"post\" action=\"/staff/events/%lld/tally\" class=\"tally-form\">",
		  p->event_id);
	change_fields(b, p, o);
	sbuf_addf(b, "<input type=\"hidden\" name=\"delta\" value=\"%d\"><button type=\"submit\" "
		  "class=\"button %s\">%s1<span class=\"visually-hidden\"> ", delta,
		  delta > 0 ? "tally-plus" : "tally-minus", delta > 0 ? "+" : MINUS);
	sbuf_adds_html(b, o->name);
	sbuf_adds(b, "</span></button></form>");
}

/* An option's row: its name and count, then -1 and a large +1. */
static void option_row(struct sbuf *b, const struct render_tally *p,
		       const struct render_tally_option *o)
{
	sbuf_addf(b, "<li class=\"option\" id=\"opt-%d-", o->priority);
	sbuf_adds_html(b, o->theme);
	sbuf_adds(b, "\"><span class=\"option-name\">");
	sbuf_adds_html(b, o->name);
	sbuf_addf(b, "</span> <span class=\"count\">%lld</span>", o->count);
	if (!p->closed) {
		sbuf_adds(b, "<div class=\"tally-buttons\">");
		tap_button(b, p, o, -1);
		tap_button(b, p, o, 1);
		sbuf_adds(b, "</div>");
	}
	sbuf_adds(b, "</li>\n");
}

/* "Count the stickers": the stall's totals, a step of its own. */
static void count_step(struct sbuf *b, const struct render_tally *p, size_t from, size_t to)
{
	int priority = p->options[from].priority;

	sbuf_addf(b, "<details class=\"count-step\" id=\"count-%d\"><summary>Count the stickers at "
		  "stall %d</summary>\n<p>When the stickers are counted, set each option's total. A total "
		  "replaces the count, and taps after it add to it. If you set a total more than once, "
		  "the last one you set counts.</p>\n<ul class=\"totals\">\n", priority, priority);
	for (size_t i = from; i < to; i++) {
		const struct render_tally_option *o = &p->options[i];
		sbuf_addf(b, "<li><form method=\"post\" action=\"/staff/events/%lld/tally\" "
			  "class=\"set-total\" novalidate>", p->event_id);
		change_fields(b, p, o);
		sbuf_addf(b, "<label for=\"total-%d-", o->priority);
		sbuf_adds_html(b, o->theme);
		sbuf_adds(b, "\">Total for ");
		sbuf_adds_html(b, o->name);
		sbuf_addf(b, "</label> <input type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"%d\" "
			  "id=\"total-%d-", RENDER_TALLY_MAX_SET, o->priority);
		sbuf_adds_html(b, o->theme);
		sbuf_adds(b, "\" name=\"total\"> <button type=\"submit\" class=\"button button-secondary\">"
			  "Set<span class=\"visually-hidden\"> the total for ");
		sbuf_adds_html(b, o->name);
		sbuf_adds(b, "</span></button></form></li>\n");
	}
	sbuf_adds(b, "</ul>\n</details>\n");
}

/* The bar that stays in view while tapping: the status (filled in by
 * tally.js) and a link to each stall. */
static void status_bar(struct sbuf *b, const struct render_tally *p)
{
	sbuf_adds(b, "<div class=\"tally-bar\" id=\"tally-bar\">\n"
		  "<p class=\"tally-state\"><span id=\"tally-status\">Each tap is saved as you press "
		  "it.</span> <span id=\"tally-net\"></span> <span id=\"tally-saved\"></span></p>\n"
		  "<p class=\"tally-signin\" id=\"tally-signin\" hidden><span id=\"tally-signin-text\">"
		  "Sign in again to send your taps.</span> <a href=\"/staff/login\" target=\"_blank\" "
		  "rel=\"noopener\">Sign in (opens a new tab)</a></p>\n"
		  "<p class=\"tally-problem\" id=\"tally-problem\" hidden>A change could not be saved."
		  "</p>\n<div class=\"visually-hidden\" id=\"tally-announce\" role=\"status\" "
		  "aria-live=\"polite\"></div>\n<nav class=\"stall-nav\" aria-label=\"Stalls\"><ul>");
	for (size_t i = 0; i < p->noptions; i++) {
		int pr = p->options[i].priority;
		if (i && p->options[i - 1].priority == pr)
			continue;
		sbuf_addf(b, "<li><a href=\"#stall-%d\"><span class=\"stall-word\">Stall </span>%d</a></li>",
			  pr, pr);
	}
	sbuf_adds(b, "</ul></nav>\n</div>\n");
}

void render_tally_head(struct sbuf *b, const struct render_tally *p)
{
	render_staff_page_start(b, p->name, p->who, NULL);
	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, p->name);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, p->day);
	sbuf_adds(b, p->closed ? ". This event is closed: its tallies are locked.</p>\n" :
		  ". Tap +1 for each sticker or token. At the end, count the stickers at each stall "
		  "and set the totals.</p>\n");
	sbuf_addf(b, "<p><a class=\"nav-link\" href=\"/staff/events/%lld/display\">Projector display: "
		  "show the totals on a big screen</a></p>\n", p->event_id);
}

void render_tally_body(struct sbuf *b, const struct render_tally *p)
{
	if (!p->closed) {
		sbuf_addf(b, "<div class=\"tally\" data-event=\"%lld\">\n", p->event_id);
		status_bar(b, p);
	}
	for (size_t i = 0, start = 0; i < p->noptions; i++) {
		const struct render_tally_option *o = &p->options[i];
		if (i == 0 || p->options[i - 1].priority != o->priority) {
			start = i;
			sbuf_addf(b, "<section class=\"stall\" id=\"stall-%d\" aria-labelledby=\"stall-%d-title\">"
				  "<h2 id=\"stall-%d-title\">Stall %d: ", o->priority, o->priority,
				  o->priority, o->priority);
			sbuf_adds_html(b, o->stall);
			sbuf_adds(b, "</h2>\n<ul class=\"options\">\n");
		}
		option_row(b, p, o);
		if (i + 1 == p->noptions || p->options[i + 1].priority != o->priority) {
			sbuf_adds(b, "</ul>\n");
			if (!p->closed)
				count_step(b, p, start, i + 1);
			sbuf_adds(b, "</section>\n");
		}
	}
	if (!p->closed) {
		sbuf_addf(b, "</div>\n<script src=\"/static/tally.js\" defer></script>\n"
			  "<h2>When the event is over</h2>\n<form method=\"post\" "
			  "action=\"/staff/events/%lld/close\"><input type=\"hidden\" name=\"_csrf\" value=\"",
			  p->event_id);
		sbuf_adds_html(b, p->who->csrf);
		sbuf_adds(b, "\"><button type=\"submit\" class=\"button button-warning\">Close the event and "
			  "lock its tallies</button></form>\n");
	}
	render_staff_page_end(b);
}

void render_tally_events_head(struct sbuf *b)
{
	sbuf_adds(b, "<h1>Marketplace events</h1>\n");
}

void render_tally_event(struct sbuf *b, int n, long long id, const char *name, const char *day,
			int closed)
{
	if (!n)
		sbuf_adds(b, "<ul class=\"survey-list\">\n");
	sbuf_addf(b, "<li><a href=\"/staff/events/%lld\">", id);
	sbuf_adds_html(b, name);
	sbuf_adds(b, ", ");
	sbuf_adds_html(b, day);
	sbuf_adds(b, closed ? " (closed)</a></li>\n" : "</a></li>\n");
}

void render_tally_events_end(struct sbuf *b, int n, const struct render_tally_start *f,
			     const struct staff_errors *e)
{
	if (n)
		sbuf_adds(b, "</ul>\n");
	else
		sbuf_adds(b, "<p>No events yet.</p>\n");
	sbuf_adds(b, "<h2>Start an event</h2>\n<p>Each priority gets a stall, with an option for "
		  "each of its themes.</p>\n<form method=\"post\" action=\"/staff/events\" novalidate>\n");
	render_staff_csrf(b, f->csrf);
	render_staff_input(b, e, "text", "event-name", "name", "Name of the event", NULL,
			   staff_posted_or(f->posted, "name", NULL), " autocomplete=\"off\"");
	render_staff_input(b, e, "date", "event-day", "day", "Day", NULL,
			   staff_posted_or(f->posted, "day", f->today), NULL);
	render_staff_consultation_select(b, e, "event-consultation", "consultation", "Consultation", f->cat,
					 staff_posted_or(f->posted, "consultation", ""), NULL);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Start the event</button>\n</form>\n");
}

void render_tally_live_head(struct render_tally_live *l, const struct render_tally *p)
{
	struct sbuf *b = l->b;

	sbuf_adds(b, "<h1>");
	sbuf_adds_html(b, p->name);
	sbuf_adds(b, "</h1>\n<p>");
	sbuf_adds_html(b, p->day);
	sbuf_adds(b, p->closed ? ". This event is closed: its tallies are locked.</p>\n" :
		  ". These totals update every 10 seconds.</p>\n");
	sbuf_addf(b, "<p><a class=\"nav-link\" href=\"/staff/events/%lld\">Back to the tally page</a></p>\n",
		  p->event_id);
}

void render_tally_live_option(struct render_tally_live *l, const struct render_tally_option *o)
{
	struct sbuf *b = l->b;

	if (o->priority != l->last_priority) {
		if (l->last_priority)
			sbuf_adds(b, "</ul></section>\n");
		l->last_priority = o->priority;
		sbuf_addf(b, "<section class=\"stall\" aria-labelledby=\"stall-%d\"><h2 id=\"stall-%d\">"
			  "Stall %d: ", o->priority, o->priority, o->priority);
		sbuf_adds_html(b, o->stall);
		sbuf_adds(b, "</h2>\n<ul class=\"options\">\n");
	}
	sbuf_addf(b, "<li class=\"option\" id=\"opt-%d-", o->priority);
	sbuf_adds_html(b, o->theme);
	sbuf_adds(b, "\"><span class=\"option-name\">");
	sbuf_adds_html(b, o->name);
	sbuf_addf(b, "</span> <span class=\"count\">%lld</span>", o->count);
	long long width = l->max ? o->count * 100 / l->max : 0;
	sbuf_addf(b, "<svg class=\"bar\" viewBox=\"0 0 100 4\" preserveAspectRatio=\"none\" "
		  "aria-hidden=\"true\" focusable=\"false\"><rect width=\"%lld\" height=\"4\"/></svg>",
		  width);
	sbuf_adds(b, "</li>\n");
}

void render_tally_live_end(struct render_tally_live *l)
{
	if (l->last_priority)
		sbuf_adds(l->b, "</ul></section>\n");
}
