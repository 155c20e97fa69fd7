/*
 * render_exports.h - the staff exports page (GET /staff/export): links to
 * the themes table of each consultation, and the form that asks for the
 * key's passphrase to take the report, breakdowns or responses.
 *
 * This module writes into an sbuf, inside a staff page the caller starts
 * and ends (render_staff_page_start, render_staff_page_end); what each
 * export holds, and HTTP, are the caller's.  The passphrase is never shown
 * again.
 */
#ifndef SV_RENDER_EXPORTS_H
#define SV_RENDER_EXPORTS_H

#include "../core/sbuf.h"
#include "form.h"
#include "render_staff.h"

/* One kind of decrypted export the form offers. */
struct render_export_kind {
	const char *id;              /* the form's value */
	const char *label;           /* what staff read */
	const char *command;         /* for the caller: survey-export's command */
	const char *format;          /* for the caller: csv, json or html */
};

/* What the exports page shows. */
struct render_exports {
	const struct form_catalog *cat;          /* its consultations */
	const char *csrf;                        /* the session's token */
	int min_cell;                            /* counts below it are shown as <min_cell */
	const struct render_export_kind *kinds;  /* the choices, the first the default */
	int nkinds;
	const struct form_body *posted;          /* the form sent, shown again; NULL */
};

/* The page's content, between the staff page's start and end; e holds the
 * posted form's problems (NULL for none). */
void render_exports_page(struct sbuf *b, const struct render_exports *p, const struct staff_errors *e);

#endif
