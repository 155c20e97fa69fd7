/*
 * render_ballot.h - the youth ballot's staff pages (survey-server/ballot.c,
 * docs/ballot.md): the list of ballots, a ballot's paper returns with the
 * form entering a setting's return (and correcting one), and its ranked
 * results.  Every count arrives as the text to print (the results already
 * suppressed by export/ballot.c); writes into an sbuf, nothing else.
 */
#ifndef SV_RENDER_BALLOT_H
#define SV_RENDER_BALLOT_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "../core/store.h"
#include "form.h"
#include "render_staff.h"

#define RENDER_BALLOT_CELL 32         /* bytes of a published count's text */

/* GET /staff/ballots: every survey with a ballot question; when there is
 * none, a commissioner is pointed to the builder (a youth worker is told
 * who adds one: the builder is not theirs to open). */
void render_ballot_list(struct sbuf *b, const struct form_catalog *cat, int commissioner);

/* A ballot's returns page, or the page correcting one return. */
struct render_ballot {
	const struct form_survey *s;       /* the ballot's survey */
	const struct form_question *q;     /* its ballot question */
	const char *csrf;
	int commissioner;                  /* may lock, import and read the results */
	const struct store_ballot_return *returns; /* by setting name */
	size_t nreturns;
	const char *form_key;              /* the new return form's one-time key */
	const struct form_body *posted;    /* a refused form's fields, or NULL */
	const struct staff_errors *errors; /* its problems, or NULL */
	const struct store_ballot_return *editing; /* the return being corrected */
	const char *notice;                /* what was just done, or NULL */
	const char *import_error;          /* a refused results file: what is wrong */
};
void render_ballot_page(struct sbuf *b, const struct render_ballot *r);
void render_ballot_edit(struct sbuf *b, const struct render_ballot *r);

/* One issue of the ranked list, its counts as published. */
struct render_ballot_row {
	const struct form_option *issue;
	char first[4][RENDER_BALLOT_CELL];  /* online, paper, imported, total */
	char later[2][RENDER_BALLOT_CELL];  /* online second and third choices */
	char points[RENDER_BALLOT_CELL];    /* "" when not published */
	int place;                          /* 1, 2, ... by total; 0 when its total is not shown */
};

struct render_ballot_results {
	const struct form_survey *s;
	const struct form_question *q;
	const struct taxonomy *tax;          /* names each issue's themes and priorities */
	const struct render_ballot_row *rows;/* by total, largest first */
	const int *by_points;                /* rows in points order (rank 3) */
	int nrows;
	char totals[4][RENDER_BALLOT_CELL];
	int min_cell;
};
void render_ballot_results(struct sbuf *b, const struct render_ballot_results *r);

#endif
