/*
 * render_yousaid.h - "you said, we did" (issue 16): the public page
 * /results/{consultation} for young people, and the staff pages where
 * commissioners publish it and keep the decision log per priority
 * (survey-server/yousaid.c).
 *
 * The public page is written for a 10-year-old: short sentences, no
 * percentages, no script, one small page.  It prints only what it is given:
 * every count arrives as the published text of a cell of the suppressed
 * themes table (what the CSV prints), with its number only where that
 * number is published exactly.  Writes into an sbuf; HTTP, the store and
 * suppression are the caller's.
 */
#ifndef SV_RENDER_YOUSAID_H
#define SV_RENDER_YOUSAID_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "../core/store.h"
#include "../core/taxonomy.h"
#include "render_staff.h"

#define RENDER_YOUSAID_TOP 3          /* themes shown under each priority, at most */
#define RENDER_YOUSAID_CELL 32        /* bytes of a published count's text */
#define RENDER_YOUSAID_ROUNDS 4       /* rounds of a plan shown: this one and up to 3 before */

/* A priority's count in one round of the plan, as the page words it. */
enum render_yousaid_kind {
	RENDER_YOUSAID_EXACT,            /* published exactly: text is the number */
	RENDER_YOUSAID_KEPT,             /* "<5" or hidden in that round: never printed */
	RENDER_YOUSAID_NOT_ASKED,        /* that round's priorities lack it */
	RENDER_YOUSAID_NOT_YET           /* that round's counts are held back for now */
};

struct render_yousaid_count {
	enum render_yousaid_kind kind;
	char text[RENDER_YOUSAID_CELL];
};

/* A theme as the public page names it, with its published total. */
struct render_yousaid_theme {
	const char *name;
	char text[RENDER_YOUSAID_CELL];  /* "42": only exactly published totals are listed */
};

struct render_yousaid_priority {
	int number;
	const char *name;
	struct render_yousaid_theme top[RENDER_YOUSAID_TOP]; /* largest first */
	int ntop;
	int small;                       /* some theme's total is "<5" or hidden */
	const struct store_decision *decisions; /* its entries of the log, oldest first */
	size_t ndecisions;
	struct render_yousaid_count rounds[RENDER_YOUSAID_ROUNDS]; /* its "any theme" total
					    in each round of render_yousaid.rounds */
};

struct render_yousaid {
	const char *title;               /* the consultation's */
	int held;                        /* the counts are not ready to show yet */
	int min_cell;                    /* the threshold: "fewer than 5" */
	char responses[RENDER_YOUSAID_CELL]; /* survey responses, published text */
	struct render_yousaid_priority *priorities;
	size_t npriorities;
	char changed[11];                /* the day the log last changed, "" if empty */
	const char *rounds[RENDER_YOUSAID_ROUNDS]; /* the plan's rounds' names, this one
					    last; a trend is shown when there are 2 or more */
	size_t nrounds;
};

/* GET /results/{consultation}: the whole page. */
void render_yousaid_page(struct sbuf *b, const struct render_yousaid *y);

/* What the decision log's staff pages are given. */
struct render_decisions {
	const char *consultation;        /* id */
	const char *title;
	const struct taxonomy *taxonomy; /* its priorities */
	const char *csrf;
	int published;                   /* the public page is published */
	char published_day[11];          /* the day that last changed, "" never */
	const char *public_url;          /* the public page's address, for people */
	const struct store_decision *items; /* every entry, by priority then id */
	size_t nitems;
	const struct form_body *posted;  /* a refused form's fields, or NULL */
	const struct staff_errors *errors;
	const struct store_decision *editing; /* the entry being changed (its page), or NULL */
};

/* The content of GET /staff/consultations/ID/decisions (inside a staff page
 * the caller starts and ends): publishing, the evidence exports, every
 * entry by priority with a link to change it, and the form adding one
 * (shown again with its problems when posted and errors are set). */
void render_decisions_page(struct sbuf *b, const struct render_decisions *d);

/* The content of GET .../decisions/N: the form changing r->editing (again
 * with its problems when posted and errors are set). */
void render_decision_edit(struct sbuf *b, const struct render_decisions *d);

/* What a status is called on the pages: "Planned", "Started", "Done",
 * "We can't do this" (public) or "Not possible" (staff). */
const char *render_decision_status_words(int status, int for_public);

#endif
