/*
 * render_staff.h - what every staff page is made of: the page around it
 * (the header with a menu of only what the signed-in role may open), and
 * forms that come back with every problem at once.
 *
 * A refused staff form is shown again on its own staff page, GOV.UK style:
 * an error summary at the top listing each problem as a link to its field
 * (href="#id"), each field marked with its message (aria-describedby,
 * aria-invalid) and everything typed kept.  The caller collects the problems
 * in a struct staff_errors while it checks the form, then renders the page
 * with them and with the posted values.  Text from staff or the catalogue
 * always goes through sbuf_add_html.  This module writes into an sbuf;
 * HTTP is the caller's.
 */
#ifndef SV_RENDER_STAFF_H
#define SV_RENDER_STAFF_H

#include "../core/parse.h"
#include "../core/sbuf.h"
#include "form.h"

#define STAFF_MAX_ERRORS 16     /* problems one form can list (more are dropped) */

/* Roles, numbered as core/store.h numbers them; each may open what the one
 * before it may. */
enum render_staff_role {
	RENDER_ROLE_NONE = 0,        /* the sign-in page: no menu */
	RENDER_ROLE_YOUTH_WORKER = 1,
	RENDER_ROLE_COMMISSIONER = 2,
	RENDER_ROLE_ADMIN = 3
};

/* Who a staff page is for. */
struct render_staff_user {
	const char *name;            /* signed-in name, NULL on the sign-in page */
	enum render_staff_role role;
	const char *csrf;            /* for the sign-out button */
};

/* The problems found in one posted form, in the order of its fields. */
struct staff_errors {
	int n;
	struct {
		const char *field;   /* element id of the control the summary links to */
		const char *text;    /* what to do about it: a static or longer-lived string */
	} item[STAFF_MAX_ERRORS];
};

/* Notes a problem with the control whose element id is field.  A second
 * problem for the same field is not added (the first is what to fix). */
void staff_errors_add(struct staff_errors *e, const char *field, const char *text);
/* The problem noted for field, or NULL (e may be NULL). */
const char *staff_errors_for(const struct staff_errors *e, const char *field);

/*
 * Starts a staff page: head (title prefixed "Error: " when e holds
 * problems), header, the menu of what who->role may open, a sign-out
 * button, then <main> with the error summary when e holds problems.  The
 * caller writes the content, then render_staff_page_end.
 */
void render_staff_page_start(struct sbuf *b, const char *title, const struct render_staff_user *who,
			     const struct staff_errors *e);
void render_staff_page_end(struct sbuf *b);

/*
 * A field: the group (marked when it has a problem), its label (or, with
 * fieldset, a fieldset and legend), its hint (id "ID-hint") and error
 * message (id "ID-error"), where id is the element id of its first
 * control.  Close it with render_staff_field_end.
 */
void render_staff_field_start(struct sbuf *b, const struct staff_errors *e, const char *id,
			      const char *label, const char *hint, int fieldset);
void render_staff_field_end(struct sbuf *b, int fieldset);

/* The attributes of a control outside a fieldset: id, name,
 * aria-describedby (hint, error) and aria-invalid where it has a problem. */
void render_staff_control(struct sbuf *b, const struct staff_errors *e, const char *id,
			  const char *name, int has_hint);

/*
 * A whole field of one control: type is "text", "date", "number",
 * "password" or "textarea"; value is what to show in it (what was typed, or
 * the stored value; NULL for empty); attrs are further attributes, a
 * constant written as it is (" inputmode=\"numeric\"").
 */
void render_staff_input(struct sbuf *b, const struct staff_errors *e, const char *type,
			const char *id, const char *name, const char *label, const char *hint,
			const char *value, const char *attrs);

/* A field of one select: opens it (render_staff_field_start, then the
 * select with render_staff_control's attributes); the caller adds options,
 * then render_staff_select_end. */
void render_staff_select_start(struct sbuf *b, const struct staff_errors *e, const char *id,
			       const char *name, const char *label);
void render_staff_select_end(struct sbuf *b);

/* One option of a select: selected when chosen. */
void render_staff_option(struct sbuf *b, const char *value, const char *label, int chosen);

/* A field choosing one of the catalogue's consultations (events, focus
 * groups, exports, a survey's new home): the one whose id is chosen ("" for
 * none) is selected; skip, if not NULL, is left out. */
void render_staff_consultation_select(struct sbuf *b, const struct staff_errors *e, const char *id,
				      const char *name, const char *label, const struct form_catalog *cat,
				      const char *chosen, const struct form_consultation *skip);

/* The hidden field that carries the session's CSRF token in every staff form. */
void render_staff_csrf(struct sbuf *b, const char *csrf);

/* One radio or check box with its label, inside a fieldset; invalid marks
 * it aria-invalid (its fieldset carries the message). */
void render_staff_choice(struct sbuf *b, const char *type, const char *id, const char *name,
			 const char *value, const char *label, int checked, int invalid);

/* 1 if the posted form has a field name with exactly value (the ticked
 * boxes of "themes[]"); 0 when posted is NULL. */
int staff_posted_has(const struct form_body *posted, const char *name, const char *value);

/* The posted value of name when a form is shown again, else fallback. */
const char *staff_posted_or(const struct form_body *posted, const char *name, const char *fallback);

/* What a role is called on the staff pages: "youth worker", "commissioner", "admin". */
const char *render_staff_role_name(enum render_staff_role role);

/* The sign-in page's content (GET /staff/login): token is its form's token
 * (there is no session yet), name what was typed (never the password), e
 * the problems of a refused sign-in (NULL for none); no_admin adds how to
 * make the first admin. */
void render_staff_login(struct sbuf *b, const char *token, const char *name, int no_admin,
			const struct staff_errors *e);

/* The staff home page's content (GET /staff): a greeting, and a link to
 * each part of the staff pages who's role may open. */
void render_staff_home(struct sbuf *b, const struct render_staff_user *who);

/* A page with a heading, a sentence and a link onwards, in the staff
 * layout: a refusal ("This event is closed") that is not a form's mistake. */
void render_staff_message(struct sbuf *b, const struct render_staff_user *who, const char *title,
			  const char *text, const char *href, const char *link);

#endif
