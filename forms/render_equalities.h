/*
 * render_equalities.h - "who took part and who lives here", for
 * commissioners (survey-server/equalities.c; docs/equalities.md): per
 * equalities question, the survey's count and share in each category
 * beside the population figures a commissioner entered, and the form that
 * enters them.  Survey counts arrive as the breakdowns export publishes
 * them ("<5", "[c]", "[x]"), a share only where its counts are exact.
 */
#ifndef SV_RENDER_EQUALITIES_H
#define SV_RENDER_EQUALITIES_H

#include <stddef.h>

#include "../core/parse.h"
#include "../core/sbuf.h"
#include "render_staff.h"

#define RENDER_EQ_CELL 32
#define RENDER_EQ_MAX_ROWS 24             /* categories of one question shown */

struct render_eq_row {
	const char *label;
	char key[96];                         /* "ethnicity:white": the population field's
					         name; "" for a row without a figure */
	char count[RENDER_EQ_CELL];           /* took part, as published; "" when not counted */
	char share[RENDER_EQ_CELL];           /* "12%", or "" when not shown */
	char people[RENDER_EQ_CELL];          /* the population figure, "" if none entered */
	char people_share[RENDER_EQ_CELL];    /* its share of the question's figures */
};

struct render_eq_group {
	const char *name;                     /* "ethnicity" */
	const char *title;                    /* "Ethnic group" */
	int asked;                            /* a survey of the consultation asks it */
	char answered[RENDER_EQ_CELL];        /* answered the question, as published */
	struct render_eq_row rows[RENDER_EQ_MAX_ROWS];
	int nrows;
};

struct render_equalities {
	const struct render_staff_user *who;
	const char *consultation;             /* id */
	const char *title;
	const char *csrf;
	int counted;                          /* survey counts were opened with the key */
	int saved;                            /* the population figures were just saved */
	int min_cell;
	struct render_eq_group *groups;
	int ngroups;
	const struct form_body *posted;       /* the population form sent, to show again */
};

void render_equalities_page(struct sbuf *b, const struct render_equalities *r,
			    const struct staff_errors *e);

#endif
