/*
 * render_help.h - the staff page where commissioners set the help
 * signposting a consultation's surveys show young people (forms/render.c
 * shows it on each survey's first page and thanks page).  Writes into an
 * sbuf; HTTP and the store are the caller's.
 */
#ifndef SV_RENDER_HELP_H
#define SV_RENDER_HELP_H

#include "../core/sbuf.h"
#include "render_staff.h"

/* What the help page shows. */
struct render_help {
	const struct render_staff_user *who;
	const char *consultation;     /* id */
	const char *title;            /* the consultation's title */
	const char *text;             /* what the box holds: typed, stored or the default */
	int is_default;               /* no text of its own is set */
	int saved;                    /* just saved: say so */
	const char *const *surveys;   /* titles of the surveys that show it */
	int nsurveys;
	const struct staff_errors *e; /* a refused form's problems, or NULL */
};

void render_help_page(struct sbuf *b, const struct render_help *h);

#endif
