/*
 * render_display.c - the projector display and its staff pieces (see
 * render_display.h).
 */
#include <string.h>

#include "qr.h"
#include "render_display.h"

#define NDASH " \xe2\x80\x93 "

static const char *stall_name(const struct taxonomy *t, int number)
{
	int i = t ? taxonomy_priority_index(t, number) : -1;
	return i >= 0 ? t->priorities[i].name : "";
}

static const char *option_name(const struct taxonomy *t, const char *theme)
{
	int i = t ? taxonomy_theme_index(t, theme) : -1;
	return i >= 0 ? t->themes[i].name : theme;
}

/* The bar's length, 0 to 100, against the largest count: the same sum
 * display.js does, so a poll that changes nothing moves nothing. */
static long long bar_width(long long count, long long max)
{
	return max > 0 ? count * 100 / max : 0;
}

static void option_item(struct sbuf *b, const struct render_display *d,
			const struct render_display_option *o, long long max)
{
	sbuf_addf(b, "<li class=\"option\" id=\"opt-%d-", o->stall);
	sbuf_adds_html(b, o->theme);
	sbuf_adds(b, "\"><span class=\"option-name\">");
	sbuf_adds_html(b, option_name(d->t, o->theme));
	sbuf_addf(b, "</span> <span class=\"count\">%lld</span><span class=\"visually-hidden\"> "
		  "stickers or tokens</span><svg class=\"bar\" viewBox=\"0 0 100 4\" "
		  "preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
		  "<rect width=\"%lld\" height=\"4\"/></svg></li>\n", o->count, bar_width(o->count, max));
}

void render_display_page(struct sbuf *b, const struct render_display *d)
{
	long long max = 0;
	int stall = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->options[i].count > max)
			max = d->options[i].count;
	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	/* Without JavaScript the page reloads itself; with it, display.js
	 * updates the counts in place and this never applies.  A timed
	 * refresh is what html-validate's meta-refresh rule (WCAG technique
	 * F41) warns of; a live display of an event's totals is the real-time
	 * exception of WCAG 2.2.1, the page has nothing to read at length,
	 * nothing to fill in and nothing to focus, so the rule is turned off
	 * for this one element, saying why (docs/projector.md). */
	if (!d->closed)
		sbuf_addf(b, "<noscript><!-- [html-validate-disable-next meta-refresh -- a live display, "
			  "WCAG 2.2.1 real-time exception, without JavaScript only] -->"
			  "<meta http-equiv=\"refresh\" content=\"%d\"></noscript>\n", RENDER_DISPLAY_REFRESH_S);
	sbuf_adds(b, "<title>");
	sbuf_adds_html(b, d->name);
	sbuf_adds(b, NDASH "totals</title>\n<link rel=\"stylesheet\" href=\"/static/display.css\">\n"
		  "<script src=\"/static/display.js\" defer></script>\n</head>\n<body>\n"
		  "<main class=\"display\"");
	if (d->closed)
		sbuf_adds(b, " data-closed");
	sbuf_adds(b, ">\n<div class=\"display-head\"><h1>");
	sbuf_adds_html(b, d->name);
	sbuf_adds(b, "</h1>\n<p class=\"display-note\" id=\"display-status\" role=\"status\">");
	sbuf_adds(b, d->closed ? "Final totals: this event is closed." :
		  "Stickers and tokens so far, updated every few seconds.");
	sbuf_adds(b, "</p></div>\n<div class=\"stalls\">\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct render_display_option *o = &d->options[i];
		if (o->stall != stall) {
			if (stall)
				sbuf_adds(b, "</ul></section>\n");
			stall = o->stall;
			sbuf_addf(b, "<section class=\"stall\" aria-labelledby=\"stall-%d\"><h2 id=\"stall-%d\">"
				  "<span class=\"stall-number\">Stall %d<span class=\"visually-hidden\">:"
				  "</span></span> ", stall, stall, stall);
			sbuf_adds_html(b, stall_name(d->t, stall));
			sbuf_adds(b, "</h2>\n<ul class=\"options\">\n");
		}
		option_item(b, d, o, max);
	}
	if (stall)
		sbuf_adds(b, "</ul></section>\n");
	else
		sbuf_adds(b, "<p>This event has no stalls.</p>\n");
	sbuf_adds(b, "</div>\n</main>\n</body>\n</html>\n");
}

void render_display_json(struct sbuf *b, const struct render_display *d)
{
	sbuf_addf(b, "{\"closed\":%s,\"options\":[", d->closed ? "true" : "false");
	for (size_t i = 0; i < d->n; i++) {
		const struct render_display_option *o = &d->options[i];
		sbuf_addf(b, "%s{\"stall\":%d,\"theme\":\"", i ? "," : "", o->stall);
		sbuf_add_json(b, o->theme, strlen(o->theme));
		sbuf_addf(b, "\",\"count\":%lld}", o->count);
	}
	sbuf_adds(b, "]}");
}

/* A form of one button that posts to the event's display address. */
static void post_button(struct sbuf *b, long long event_id, const char *action, const char *csrf,
			const char *cls, const char *label)
{
	sbuf_addf(b, "<form method=\"post\" action=\"/staff/events/%lld/display%s\" class=\"display-form\">"
		  "<input type=\"hidden\" name=\"_csrf\" value=\"", event_id, action);
	sbuf_adds_html(b, csrf);
	sbuf_addf(b, "\"><button type=\"submit\" class=\"%s\">%s</button></form>\n", cls, label);
}

void render_display_staff_page(struct sbuf *b, long long event_id, const char *event_name,
			       const char *csrf, const char *made)
{
	sbuf_adds(b, "<h1>Projector display: ");
	sbuf_adds_html(b, event_name);
	sbuf_adds(b, "</h1>\n<p>Show this event\xe2\x80\x99s totals on a projector or a big screen without signing "
		  "in on that computer: make a display link and open it there. Anyone with the link "
		  "sees this event\xe2\x80\x99s totals, and nothing else, until you revoke it or make "
		  "a new one.</p>\n");
	if (*made) {
		/* "2026-11-22T14:05Z" as "2026-11-22 at 14:05 UTC" */
		sbuf_adds(b, "<p>This event has a display link, made ");
		sbuf_add_html(b, made, strnlen(made, 10));
		if (strlen(made) == 17) {
			sbuf_adds(b, " at ");
			sbuf_add_html(b, made + 11, 5);
			sbuf_adds(b, " UTC");
		}
		sbuf_adds(b, ". It is shown only once, when it is made. If you no longer have it, "
			  "make a new one: the old one then stops working.</p>\n<div class=\"buttons\">\n");
		post_button(b, event_id, "", csrf, "button button-secondary", "Make a new display link");
		post_button(b, event_id, "/revoke", csrf, "button button-warning", "Revoke the display link");
	} else {
		sbuf_adds(b, "<p>This event has no display link.</p>\n<div class=\"buttons\">\n");
		post_button(b, event_id, "", csrf, "button button-secondary", "Make a display link");
	}
	sbuf_addf(b, "</div>\n<p><a class=\"nav-link\" href=\"/staff/events/%lld\">Back to the event</a></p>\n",
		  event_id);
}

void render_display_link_made(struct sbuf *b, long long event_id, const char *event_name,
			      const char *url)
{
	sbuf_adds(b, "<h1>Display link for ");
	sbuf_adds_html(b, event_name);
	sbuf_adds(b, "</h1>\n<p>Open this link in the web browser of the computer that is connected "
		  "to the projector, and make the browser full screen (F11). It shows this event\xe2\x80\x99s "
		  "totals and updates them by itself. Nobody needs to sign in there.</p>\n"
		  "<p><strong>Copy the link now: it is shown only this once.</strong> If you lose it, "
		  "make a new one (the old one then stops working).</p>\n"
		  "<div class=\"group\"><label class=\"label\" for=\"display-url\">Display link</label>\n"
		  "<input type=\"text\" id=\"display-url\" readonly spellcheck=\"false\" "
		  "autocomplete=\"off\" value=\"");
	sbuf_adds_html(b, url);
	/* The code's look is the kiosk codes' (a stylesheet may be linked in
	 * the body: HTML's "body-ok"). */
	sbuf_adds(b, "\"></div>\n<link rel=\"stylesheet\" href=\"/static/kiosk/kiosk.css\">\n"
		  "<p>To open the display on a tablet or phone that drives the screen, scan this code "
		  "with its camera.</p>\n<div class=\"poster-qr\">");
	if (qr_svg(b, url, "QR code: the display link above"))
		sbuf_adds(b, "<p>The code could not be made: use the link above.</p>");
	sbuf_adds(b, "</div>\n<p><a class=\"nav-link\" href=\"");
	sbuf_adds_html(b, url);
	sbuf_addf(b, "\">Open the display</a></p>\n<p><a class=\"nav-link\" href=\"/staff/events/%lld\">"
		  "Back to the event</a></p>\n", event_id);
}
