/*
 * render_focus.h - the staff pages of focus groups (GET /staff/groups and
 * /staff/groups/ID): the list of groups with the form that adds one; a
 * group's page with its key messages, the forms that add a key message or
 * a sealed quote or note, its details and the button that locks it.
 *
 * A quote or a note is sealed once saved, so no page ever shows one: the
 * group's page says only how many there are.  This module writes into an
 * sbuf, inside a staff page the caller starts and ends
 * (render_staff_page_start, render_staff_page_end); the store, the
 * scrubber, sealing and HTTP are the caller's.
 */
#ifndef SV_RENDER_FOCUS_H
#define SV_RENDER_FOCUS_H

#include "../core/sbuf.h"
#include "../core/store.h"
#include "../core/taxonomy.h"
#include "form.h"
#include "render_staff.h"

/* What every focus group page needs. */
struct render_focus {
	const char *csrf;                 /* the session's token, in every form */
	const char *today;                /* YYYY-MM-DD: a new group's default day */
	const struct form_catalog *cat;   /* a new group's consultations to choose from */
	const struct taxonomy *t;         /* the group's consultation's themes (group page) */
	int max_sealed_chars;             /* the longest quote or note, for its hint */
};

/* Which form of a group's page is shown again to be put right. */
enum render_focus_form { RENDER_FOCUS_NONE, RENDER_FOCUS_DETAILS, RENDER_FOCUS_MESSAGE, RENDER_FOCUS_SEALED };

/* A refused form: which one, what was sent (shown again) and its problems. */
struct render_focus_retry {
	enum render_focus_form form;
	const struct form_body *posted;
	const struct staff_errors *e;
};

/*
 * The groups page: render_focus_groups_head, then render_focus_group_item
 * for each group as the store lists them (n: how many came before), then
 * render_focus_groups_end with how many there were: the end of the list (or
 * "none yet") and the form that adds a group, with posted and e when it
 * comes back to be put right.
 */
void render_focus_groups_head(struct sbuf *b);
void render_focus_group_item(struct sbuf *b, int n, const struct store_focus *g);
void render_focus_groups_end(struct sbuf *b, const struct render_focus *p, int n,
			     const struct form_body *posted, const struct staff_errors *e);

/* A group's key messages as the store lists them. */
struct render_focus_messages {
	struct sbuf *b;
	const struct render_focus *p;
	const struct store_focus *g;
	int n;                            /* how many so far */
};

/*
 * A group's page: render_focus_group_head (its details), then
 * render_focus_message for each key message (themes: its theme ids, comma
 * separated), then render_focus_group_end: the forms of an open group, retry
 * (or NULL) saying which comes back to be put right.
 */
void render_focus_group_head(struct sbuf *b, const struct store_focus *g);
void render_focus_message(struct render_focus_messages *v, long long id, const char *text,
			  const char *themes);
void render_focus_group_end(struct sbuf *b, const struct render_focus *p, const struct store_focus *g,
			    int n, const struct render_focus_retry *retry);

#endif
