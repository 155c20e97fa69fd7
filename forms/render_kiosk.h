/*
 * render_kiosk.h - the pages of event days that are not a survey itself:
 * a survey's printable QR poster, and the staff pages that start, show and
 * switch off kiosks (a survey on a shared tablet, survey-server/kiosk.c).
 *
 * Like render.h, it writes into an sbuf and knows nothing of HTTP or SQL;
 * every piece of text from a definition, a member of staff or a request
 * goes through sbuf_add_html.  The QR codes are inline SVG (forms/qr.h).
 */
#ifndef SV_RENDER_KIOSK_H
#define SV_RENDER_KIOSK_H

#include "../core/sbuf.h"
#include "form.h"
#include "render_staff.h"

/* GET /s/{survey}/poster: an A4 poster with the survey's title, a QR code
 * of url and url itself in large print under it; with results_url (its
 * consultation's published "you said, we did" page), a line with that
 * address too. */
void render_poster(struct sbuf *b, const struct form_survey *s, const char *url,
		   const char *results_url);

/* One kiosk as the staff list shows it. */
struct render_kiosk_item {
	long long id;
	const char *name;                  /* what staff call the tablet */
	const char *survey_title;          /* or its id, if no longer offered */
	const char *made_by;
	const char *day;
	int revoked;
};

/* The content of GET /staff/kiosks, inside a staff page the caller starts
 * (render_staff.h, with the form's problems): start a kiosk, see and switch
 * off those made, print posters.  errors marks the fields survey_field
 * (the first survey's choice) and "k-name"; name and survey are what was
 * typed, kept. */
struct render_kiosks {
	const char *survey_field;
	const char *csrf;                  /* the signed-in member of staff's */
	const struct form_catalog *cat;    /* the surveys */
	const char *today;                 /* "YYYY-MM-DD": which surveys are open */
	const struct render_kiosk_item *items;
	int nitems;
	const struct staff_errors *errors;
	const char *name, *survey;
};
void render_kiosk_list(struct sbuf *b, const struct render_kiosks *k);

/* The content of the page with the kiosk link just made, shown this once
 * (only its hash is kept): a QR code to scan with the tablet, and the link,
 * printable as a staff-only poster. */
void render_kiosk_code(struct sbuf *b, const char *name, const struct form_survey *s, const char *url);

#endif
