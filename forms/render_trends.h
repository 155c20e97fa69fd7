/*
 * render_trends.h - the rounds of a plan side by side, for commissioners
 * (survey-server/trends.c; docs/rounds.md): per priority a chart (inline
 * SVG, no script) and a table with one column per round.  It prints only
 * what it is given: every count arrives as its round's export publishes it
 * ("<5", "[c]"), with its number only where that is published exactly.
 */
#ifndef SV_RENDER_TRENDS_H
#define SV_RENDER_TRENDS_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "render_staff.h"

#define RENDER_TREND_CELL 32

/* One round's published count: value -1 when not exact, -2 when the round's
 * theme list lacks the theme, -3 when the round's counts are held back for
 * now (fewer than the threshold of new responses since last shown; text ""
 * for both). */
struct render_trend_count {
	char text[RENDER_TREND_CELL];
	long long value;
};

struct render_trend_theme {
	const char *name;
	struct render_trend_count *rounds;   /* nrounds */
};

struct render_trend_priority {
	int number;
	const char *name;
	struct render_trend_count *any;      /* nrounds: any of its themes */
	struct render_trend_theme *themes;
	size_t nthemes;
};

struct render_trend_round {
	const char *name;                    /* "2023" */
	const char *title;                   /* its consultation's title */
	struct render_trend_count responses;
};

struct render_trend {
	const struct render_staff_user *who;
	const char *plan;
	const char *consultation;            /* the page's address: /staff/consultations/ID/trends */
	int min_cell;
	struct render_trend_round *rounds;
	size_t nrounds;
	struct render_trend_priority *priorities;
	size_t npriorities;
};

void render_trends_page(struct sbuf *b, const struct render_trend *t);

/* What the Round page of a consultation is given (survey-server/trends.c). */
struct render_round {
	const struct render_staff_user *who;
	const char *consultation;            /* id */
	const char *title;
	const char *plan, *round;            /* now, or NULL: a round of none */
	const char *typed_plan, *typed_round; /* a refused form's, or NULL */
	const char *const *others;           /* "2021 (cyp-2021)": the plan's other rounds */
	size_t nothers;
	int saved;                           /* just saved: say so */
	const struct staff_errors *e;        /* a refused form's problems, or NULL */
};

/* GET /staff/consultations/ID/round: which plan it is a round of, the
 * plan's other rounds, and the form changing it. */
void render_round_page(struct sbuf *b, const struct render_round *r);

#endif
