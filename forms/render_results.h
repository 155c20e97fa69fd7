/*
 * render_results.h - a consultation's results page for commissioners
 * (survey-server/results.c): responses per survey and per day with a chart,
 * the themes table by priority, focus groups and events.  It prints only
 * what it is given: every count arrives already published (suppressed) as
 * text, with its number only where that number is published exactly.  Writes
 * into an sbuf; HTTP, the store and suppression are the caller's.
 */
#ifndef SV_RENDER_RESULTS_H
#define SV_RENDER_RESULTS_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "render_staff.h"

#define RENDER_RESULTS_CELL 32         /* bytes of a published count's text */

/* One published count with what it counts. */
struct render_results_count {
	const char *label;                 /* a survey's title, or a day YYYY-MM-DD */
	char text[RENDER_RESULTS_CELL];    /* "12", "<5", "[c]" */
	long long value;                   /* the number if published exactly, else -1 */
};

/* The columns of the themes table, as the CSV has them. */
enum render_results_col { RESULTS_SURVEY, RESULTS_FOCUS_GROUP, RESULTS_MARKETPLACE,
			  RESULTS_TOTAL, RESULTS_FREE_TEXT, RESULTS_NCOLS };

struct render_results_theme {
	const char *name;
	char cells[RESULTS_NCOLS][RENDER_RESULTS_CELL];
};

struct render_results_priority {
	int number;
	const char *name;
	char any[RESULTS_NCOLS][RENDER_RESULTS_CELL];  /* raised any of its themes */
	struct render_results_theme *themes;
	size_t nthemes;
};

struct render_results {
	const struct render_staff_user *who;
	const char *consultation;          /* id */
	const char *title;
	char computed[64];                 /* when the counts were read, for people */
	char computed_iso[32];             /* the same, for <time datetime> */
	int held;                          /* none to show yet since the server started */
	int min_cell;                      /* the threshold: "<5" */
	char responses[RENDER_RESULTS_CELL], participants[RENDER_RESULTS_CELL];
	char messages[RENDER_RESULTS_CELL], tokens[RENDER_RESULTS_CELL];
	char coded[RENDER_RESULTS_CELL];   /* free-text answers coded (main analysis) */
	long long groups, events;          /* not people: published as they are */
	struct render_results_count *surveys;
	size_t nsurveys;
	struct render_results_count *days; /* every day from the first to the last */
	size_t ndays;
	struct render_results_priority *priorities;
	size_t npriorities;
};

void render_results_page(struct sbuf *b, const struct render_results *r);

/* One bar of an inline SVG chart (height units tall for max) at x: a value
 * published exactly (>= 0) to scale, any other (-1) outlined at min_cell's
 * height.  Also the trend's charts (render_trends.c). */
void render_chart_bar(struct sbuf *b, long long value, int min_cell, long long max, size_t x,
		      int width, int height);

/* The same counts as JSON (results.json), for the page's refresh script. */
void render_results_json(struct sbuf *b, const struct render_results *r);

#endif
