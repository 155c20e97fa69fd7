/*
 * render_kiosk.c - posters and the staff kiosk pages (see render_kiosk.h).
 *
 * A poster prints on one A4 sheet (forms/static/kiosk.css: @page poster):
 * black on white, the code at least 8 cm wide, the link in large type under
 * it.  On screen it is an ordinary page with a link to the survey.
 */
#include <string.h>

#include "qr.h"
#include "render.h"
#include "render_kiosk.h"

#define SERVICE_NAME "Your voice"
/* On staff pages, whose head is render.c's: a stylesheet may be linked in
 * the body (HTML's "body-ok"). */
#define KIOSK_STYLE "<link rel=\"stylesheet\" href=\"/static/kiosk/kiosk.css\">\n"

/* The link as printed: "https://" is what a browser assumes, so it goes. */
static const char *shown_url(const char *url)
{
	return strncmp(url, "https://", 8) == 0 ? url + 8 : url;
}

/* The code and the link under it; "" for the code's label when it cannot
 * be made (a link too long): the printed link still works. */
static void code_and_link(struct sbuf *b, const char *url, const char *label)
{
	sbuf_adds(b, "<div class=\"poster-qr\">");
	if (qr_svg(b, url, label))
		sbuf_adds(b, "<p>The code could not be made: use the link below.</p>");
	sbuf_adds(b, "</div>\n<p class=\"poster-link\"><a href=\"");
	sbuf_adds_html(b, url);
	sbuf_adds(b, "\">");
	sbuf_adds_html(b, shown_url(url));
	sbuf_adds(b, "</a></p>\n");
}

void render_poster(struct sbuf *b, const struct form_survey *s, const char *url,
		   const char *results_url)
{
	const struct form_lang *l = &s->langs[0];

	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
	sbuf_adds_html(b, l->code);
	sbuf_adds(b, l->rtl ? "\" dir=\"rtl\">\n" : "\">\n");
	sbuf_adds(b, "<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	sbuf_adds_html(b, form_tr(s, 0, "Poster"));
	sbuf_adds(b, ": ");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, " \xe2\x80\x93 " SERVICE_NAME "</title>\n"
		  "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		  KIOSK_STYLE "</head>\n"
		  "<body class=\"poster-page\">\n<main id=\"main\" class=\"poster\">\n"
		  "<p class=\"poster-kicker\">" SERVICE_NAME "</p>\n<h1 class=\"poster-title\">");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, "</h1>\n<p class=\"poster-lead\">");
	sbuf_adds_html(b, form_tr(s, 0, "Have your say: scan the code with your phone\xe2\x80\x99s "
				  "camera, or type the link."));
	sbuf_adds(b, "</p>\n");
	code_and_link(b, url, form_tr(s, 0, "QR code: the link below"));
	sbuf_adds(b, "<p class=\"poster-small\">");
	sbuf_adds_html(b, form_tr(s, 0, "No account, no tracking cookies, no adverts. "
				  "You don\xe2\x80\x99t need to give your name."));
	if (results_url) {
		/* "You said, we did" (issue 16), once published. */
		sbuf_adds(b, "</p>\n<p class=\"poster-small poster-results\">");
		sbuf_adds_html(b, form_tr(s, 0, "See what happens next:"));
		sbuf_adds(b, " ");
		sbuf_adds_html(b, results_url);
	}
	sbuf_adds(b, "</p>\n<p class=\"poster-screen-only\">To print this poster, use your browser\xe2\x80\x99s "
		  "Print command: it fits one A4 sheet, portrait.</p>\n</main>\n</body>\n</html>\n");
}

/* The surveys open today as radio buttons; 0 if there is none. */
static int survey_choices(struct sbuf *b, const struct render_kiosks *k)
{
	int n = 0;

	for (int i = 0; i < k->cat->nsurveys; i++) {
		const struct form_survey *s = k->cat->surveys[i];
		if (form_survey_status_on(s, k->today) != FORM_OPEN)
			continue;
		sbuf_adds(b, "<div class=\"choice\"><input type=\"radio\" name=\"survey\" id=\"k-survey-");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "\" value=\"");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, (n == 0 && !k->survey) || (k->survey && strcmp(k->survey, s->id) == 0) ?
			  "\" checked><label for=\"k-survey-" : "\"><label for=\"k-survey-");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, s->title);
		sbuf_adds(b, "</label></div>\n");
		n++;
	}
	return n;
}

static void start_form(struct sbuf *b, const struct render_kiosks *k)
{
	sbuf_adds(b, "<h2>Start a kiosk</h2>\n<form method=\"post\" action=\"/staff/kiosks\" novalidate>"
		  "<input type=\"hidden\" name=\"_csrf\" value=\"");
	sbuf_adds_html(b, k->csrf);
	sbuf_adds(b, "\">\n");
	/* A problem with the survey is marked on the fieldset and linked to
	 * its first choice, the control the error summary's link focuses. */
	render_staff_field_start(b, k->errors, k->survey_field, "Survey", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">\n");
	int n = survey_choices(b, k);
	if (!n)
		sbuf_adds(b, "<p>No survey is open today, so no kiosk can be started.</p>\n");
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	render_staff_input(b, k->errors, "text", "k-name", "name", "Name for the tablet",
			   "So that you can tell kiosks apart, for example \xe2\x80\x9c"
			   "Blue tablet, sports hall\xe2\x80\x9d.", k->name, " autocomplete=\"off\"");
	if (n)
		sbuf_adds(b, "<p id=\"k-here-hint\">On the tablet itself: you are signed out there first, "
			  "so no staff sign-in stays on it. From your own phone or laptop: you get a code "
			  "to scan with the tablet\xe2\x80\x99s camera.</p>\n<div class=\"buttons\">"
			  "<button type=\"submit\" class=\"button\" name=\"open\" value=\"here\" "
			  "aria-describedby=\"k-here-hint\">Sign me out and open it on this tablet</button>"
			  "<button type=\"submit\" class=\"button button-secondary\" name=\"open\" "
			  "value=\"code\">Show a code to scan</button></div>\n");
	sbuf_adds(b, "</form>\n");
}

static void kiosk_rows(struct sbuf *b, const struct render_kiosks *k)
{
	sbuf_adds(b, "<h2>Kiosks made</h2>\n");
	if (!k->nitems) {
		sbuf_adds(b, "<p>None yet.</p>\n");
		return;
	}
	sbuf_adds(b, "<ul class=\"kiosk-list\">\n");
	for (int i = 0; i < k->nitems; i++) {
		const struct render_kiosk_item *it = &k->items[i];
		sbuf_adds(b, "<li class=\"kiosk-item\"><p><strong>");
		sbuf_adds_html(b, it->name);
		sbuf_adds(b, "</strong>: ");
		sbuf_adds_html(b, it->survey_title);
		sbuf_adds(b, "<br>Made by ");
		sbuf_adds_html(b, it->made_by);
		sbuf_adds(b, " on ");
		sbuf_adds_html(b, it->day);
		sbuf_adds(b, it->revoked ? ". <strong>Switched off.</strong></p>" : ". Taking answers.</p>");
		if (!it->revoked) {
			sbuf_addf(b, "<form method=\"post\" action=\"/staff/kiosks/%lld/off\">"
				  "<input type=\"hidden\" name=\"_csrf\" value=\"", it->id);
			sbuf_adds_html(b, k->csrf);
			sbuf_adds(b, "\"><button type=\"submit\" class=\"button button-warning\">Switch off "
				  "<span class=\"visually-hidden\">");
			sbuf_adds_html(b, it->name);
			sbuf_adds(b, "</span></button></form>");
		}
		sbuf_adds(b, "</li>\n");
	}
	sbuf_adds(b, "</ul>\n");
}

void render_kiosk_list(struct sbuf *b, const struct render_kiosks *k)
{
	sbuf_adds(b, KIOSK_STYLE);
	sbuf_adds(b, "<h1>Kiosks and posters</h1>\n<p>A kiosk puts a survey on a shared tablet: young people "
		  "answer one after another, and each starts afresh, with nothing of the last "
		  "person\xe2\x80\x99s answers left to see. When the wifi drops it keeps taking answers, "
		  "locked on the tablet, and sends them when the wifi is back.</p>\n");
	start_form(b, k);
	kiosk_rows(b, k);
	sbuf_adds(b, "<h2>Posters</h2>\n<p>A poster has a survey\xe2\x80\x99s link and a QR code for "
		  "young people to answer on their own phones. Print it on A4.</p>\n"
		  "<ul class=\"survey-list\">\n");
	for (int i = 0; i < k->cat->nsurveys; i++) {
		const struct form_survey *s = k->cat->surveys[i];
		sbuf_adds(b, "<li><a href=\"/s/");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "/poster\">Poster for ");
		sbuf_adds_html(b, s->title);
		sbuf_adds(b, "</a></li>\n");
	}
	sbuf_adds(b, "</ul>\n");
}

void render_kiosk_code(struct sbuf *b, const char *name, const struct form_survey *s, const char *url)
{
	sbuf_adds(b, KIOSK_STYLE);
	sbuf_adds(b, "<div class=\"poster poster-staff\">\n<p class=\"poster-kicker\">Staff only: "
		  "kiosk link</p>\n<h1 class=\"poster-title\">");
	sbuf_adds_html(b, name);
	sbuf_adds(b, "</h1>\n<p class=\"poster-lead\">Scan this code with the tablet\xe2\x80\x99s camera to "
		  "open \xe2\x80\x9c");
	sbuf_adds_html(b, s->title);
	sbuf_adds(b, "\xe2\x80\x9d as a kiosk.</p>\n");
	code_and_link(b, url, "QR code: the kiosk link below");
	sbuf_adds(b, "<p class=\"poster-small\">Anyone with this code can send answers as this kiosk "
		  "until it is switched off, so keep it with you. It is shown only this once: if you "
		  "lose it, switch the kiosk off and start another.</p>\n</div>\n"
		  "<p class=\"poster-screen-only\"><a href=\"/staff/kiosks\">Back to kiosks</a></p>\n");
}
