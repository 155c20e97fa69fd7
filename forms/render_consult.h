/*
 * render_consult.h - the staff pages of consultations (GET
 * /staff/consultations and .../ID/themes): each consultation with its
 * surveys, its lifecycle buttons and a form to start one; a consultation's
 * themes under its priorities, with the forms that change or add a theme.
 *
 * This module writes into an sbuf, inside a staff page the caller starts
 * and ends (render_staff_page_start, render_staff_page_end); the catalogue's
 * changes, the store and HTTP are the caller's.
 */
#ifndef SV_RENDER_CONSULT_H
#define SV_RENDER_CONSULT_H

#include "../core/sbuf.h"
#include "../core/taxonomy.h"
#include "form.h"
#include "render_staff.h"

/* A consultation's lifecycle as the forms post it, by enum form_status. */
extern const char *const render_consult_status_names[3];

/*
 * The consultations page: every consultation of cat, its surveys (with how
 * each stands on today, YYYY-MM-DD) and a form per survey to attach it to
 * another, the buttons that change its lifecycle, and the form that starts
 * one.  With posted and e, the form that was sent (a survey's, named by its
 * "survey" field, or the start form) again with its problems and what was
 * chosen or typed.  csrf is the session's token.
 */
void render_consult_list(struct sbuf *b, const struct form_catalog *cat, const char *csrf,
			 const char *today, const struct form_body *posted, const struct staff_errors *e);

/*
 * A consultation's themes page: its themes (t, one snapshot) under each
 * priority, then the forms that change a theme and add one; with posted and
 * e, the one sent (its "action" field) again with its problems and what
 * was chosen or typed.
 */
void render_consult_themes(struct sbuf *b, const struct form_consultation *c, const struct taxonomy *t,
			   const char *csrf, const struct form_body *posted, const struct staff_errors *e);

/* The element id of a theme form's first priority box ("add-p1"), which
 * its error summary links to; px is the form's prefix, "add" or "chg". */
void render_consult_first_priority_id(const struct taxonomy *t, const char *px, char out[32]);

#endif
