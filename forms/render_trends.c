/*
 * render_trends.c - a plan's rounds side by side (see render_trends.h).  The
 * charts are inline SVG like the results page's day chart (no script, no
 * inline style); each is named by a caption that reads its counts out, and
 * a table of the same counts follows it.
 */
#include <stdio.h>
#include <string.h>

#include "render_results.h"
#include "render_trends.h"

#define TREND_SLOT 40       /* viewBox units per round */
#define TREND_HEIGHT 100    /* viewBox units for the largest bar */

static void numeric(struct sbuf *b, const struct render_trend_count *c)
{
	sbuf_adds(b, "<td class=\"numeric\">");
	if (c->value == -2)
		sbuf_adds(b, "<span class=\"not-asked\">not in this round</span>");
	else if (c->value == -3)
		sbuf_adds(b, "<span class=\"not-asked\">held back for now</span>");
	else
		sbuf_adds_html(b, c->text);
	sbuf_adds(b, "</td>");
}

/* Priority p's "any theme" count per round as bars, one per round; a count
 * not shown exactly is an outline at the threshold's height. */
static void chart(struct sbuf *b, const struct render_trend *t, size_t p)
{
	const struct render_trend_priority *pr = &t->priorities[p];
	long long max = t->min_cell > 0 ? t->min_cell : 1;
	int outlined = 0;

	for (size_t r = 0; r < t->nrounds; r++)
		if (pr->any[r].value > max)
			max = pr->any[r].value;
	sbuf_addf(b, "<figure class=\"chart trend-chart\">\n<svg role=\"img\" aria-labelledby="
		  "\"trend-summary-%zu\" viewBox=\"0 0 %zu %d\" preserveAspectRatio=\"none\" "
		  "focusable=\"false\">\n", p, t->nrounds * TREND_SLOT, TREND_HEIGHT);
	for (size_t r = 0; r < t->nrounds; r++) {
		const struct render_trend_count *c = &pr->any[r];
		if (c->value <= -2)
			continue;  /* not in that round's list, or held back: no bar */
		outlined |= c->value < 0;
		render_chart_bar(b, c->value, t->min_cell, max, r * TREND_SLOT + 6, TREND_SLOT - 12,
				 TREND_HEIGHT);
	}
	sbuf_addf(b, "</svg>\n<figcaption id=\"trend-summary-%zu\">Any theme of priority %d, "
		  "round by round, left to right: ", p, pr->number);
	for (size_t r = 0; r < t->nrounds; r++) {
		sbuf_adds(b, r ? "; " : "");
		sbuf_adds_html(b, t->rounds[r].name);
		sbuf_adds(b, " ");
		if (pr->any[r].value == -2)
			sbuf_adds(b, "not in this round");
		else if (pr->any[r].value == -3)
			sbuf_adds(b, "held back for now");
		else
			sbuf_adds_html(b, pr->any[r].text);
	}
	if (outlined)
		sbuf_addf(b, ". A count below %d, or hidden to protect one, is drawn as an outline at "
			  "the height of %d", t->min_cell, t->min_cell);
	sbuf_adds(b, ".</figcaption>\n</figure>\n");
}

static void head_row(struct sbuf *b, const struct render_trend *t, const char *first)
{
	sbuf_addf(b, "<thead><tr><th scope=\"col\">%s</th>", first);
	for (size_t r = 0; r < t->nrounds; r++) {
		sbuf_adds(b, "<th scope=\"col\" class=\"numeric\">");
		sbuf_adds_html(b, t->rounds[r].name);
		sbuf_adds(b, "</th>");
	}
	sbuf_adds(b, "</tr></thead>\n");
}

static void table(struct sbuf *b, const struct render_trend *t, size_t p)
{
	const struct render_trend_priority *pr = &t->priorities[p];

	sbuf_addf(b, "<section class=\"table-scroll\" aria-labelledby=\"trend-%zu\" tabindex=\"0\">"
		  "<table class=\"totals themes trend\" aria-labelledby=\"trend-%zu\">\n", p, p);
	head_row(b, t, "Theme");
	sbuf_adds(b, "<tbody>\n");
	for (size_t i = 0; i < pr->nthemes; i++) {
		sbuf_adds(b, "<tr><th scope=\"row\">");
		sbuf_adds_html(b, pr->themes[i].name);
		sbuf_adds(b, "</th>");
		for (size_t r = 0; r < t->nrounds; r++)
			numeric(b, &pr->themes[i].rounds[r]);
		sbuf_adds(b, "</tr>\n");
	}
	sbuf_adds(b, "</tbody>\n<tfoot><tr><th scope=\"row\">Any theme of this priority</th>");
	for (size_t r = 0; r < t->nrounds; r++)
		numeric(b, &pr->any[r]);
	sbuf_adds(b, "</tr></tfoot>\n</table></section>\n");
}

void render_trends_page(struct sbuf *b, const struct render_trend *t)
{
	render_staff_page_start(b, "Rounds over time", t->who, NULL);
	sbuf_adds(b, "<h1>Rounds over time: ");
	sbuf_adds_html(b, t->plan);
	sbuf_addf(b, "</h1>\n<p>Each round of the plan side by side, oldest first. Every count is "
		  "the survey responses, focus-group key messages and marketplace tokens that raised "
		  "a theme (the Total column of each round&#39;s themes export). Each round is "
		  "suppressed exactly as its own export: counts from 1 to %d are shown as &lt;%d, "
		  "and &ldquo;[c]&rdquo; marks a count hidden so that a small one cannot be worked "
		  "out.</p>\n<p>A round still taking answers moves here in steps: only once at least "
		  "%d new survey responses have arrived since it was last shown (as its results page "
		  "does), so that two views never differ by one young person&#39;s answers. "
		  "&ldquo;Held back for now&rdquo; means fewer have arrived since the server started. "
		  "The downloads are exports, counted when you download them.</p>\n",
		  t->min_cell - 1, t->min_cell, t->min_cell);
	sbuf_adds(b, "<p>Download: <a href=\"/staff/consultations/");
	sbuf_adds_html(b, t->consultation);
	sbuf_adds(b, "/trends.csv\">CSV</a>, <a href=\"/staff/consultations/");
	sbuf_adds_html(b, t->consultation);
	sbuf_adds(b, "/trends.xlsx\">spreadsheet (XLSX)</a>, <a href=\"/staff/consultations/");
	sbuf_adds_html(b, t->consultation);
	sbuf_adds(b, "/trends.json\">JSON</a></p>\n");

	/* Two columns, so that the counts show at 320 px without scrolling:
	 * each round's consultation is named under its round. */
	sbuf_adds(b, "<h2 id=\"rounds-heading\">The rounds</h2>\n<section class=\"table-scroll\" "
		  "aria-labelledby=\"rounds-heading\" tabindex=\"0\"><table class=\"totals\" "
		  "aria-labelledby=\"rounds-heading\">\n<thead><tr><th scope=\"col\">Round</th>"
		  "<th scope=\"col\" class=\"numeric\">Survey responses</th></tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrounds; r++) {
		sbuf_adds(b, "<tr><th scope=\"row\">");
		sbuf_adds_html(b, t->rounds[r].name);
		sbuf_adds(b, "<br><span class=\"round-title\">");
		sbuf_adds_html(b, t->rounds[r].title);
		sbuf_adds(b, "</span></th>");
		numeric(b, &t->rounds[r].responses);
		sbuf_adds(b, "</tr>\n");
	}
	sbuf_adds(b, "</tbody>\n</table></section>\n<h2>By priority</h2>\n");
	for (size_t p = 0; p < t->npriorities; p++) {
		const struct render_trend_priority *pr = &t->priorities[p];
		sbuf_addf(b, "<h3 class=\"priority-heading\" id=\"trend-%zu\">%d. ", p, pr->number);
		sbuf_adds_html(b, pr->name);
		sbuf_adds(b, "</h3>\n");
		chart(b, t, p);
		table(b, t, p);
	}
	render_staff_page_end(b);
}

void render_round_page(struct sbuf *b, const struct render_round *r)
{
	render_staff_page_start(b, "Round of a plan", r->who, r->e);
	sbuf_adds(b, "<h1>Round of a plan: ");
	sbuf_adds_html(b, r->title);
	sbuf_adds(b, "</h1>\n");
	if (r->saved)
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>Saved. It is kept over "
			  "consultations.json from now on.</p></div>\n");
	sbuf_adds(b, "<p>Consultations that are rounds of one plan (asked again every few years) "
		  "are shown side by side on the Rounds over time page, in each round&#39;s report "
		  "and on its public page. Their theme lists must keep the same theme ids.</p>\n");
	if (r->plan) {
		sbuf_adds(b, "<p>Now: round <strong>");
		sbuf_adds_html(b, r->round);
		sbuf_adds(b, "</strong> of the plan <strong>");
		sbuf_adds_html(b, r->plan);
		sbuf_adds(b, "</strong>. <a class=\"nav-link\" href=\"/staff/consultations/");
		sbuf_adds_html(b, r->consultation);
		sbuf_adds(b, "/trends\">Rounds over time</a></p>\n");
	} else {
		sbuf_adds(b, "<p>Now: a round of no plan.</p>\n");
	}
	if (r->nothers) {
		sbuf_adds(b, "<p>The plan&#39;s other rounds:</p>\n<ul>\n");
		for (size_t i = 0; i < r->nothers; i++) {
			sbuf_adds(b, "<li>");
			sbuf_adds_html(b, r->others[i]);
			sbuf_adds(b, "</li>\n");
		}
		sbuf_adds(b, "</ul>\n");
	}
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/round\" novalidate>");
	render_staff_csrf(b, r->who->csrf);
	render_staff_input(b, r->e, "text", "round-plan", "plan", "Plan",
			   "The plan's short name, the same for every round, such as cyp-plan: "
			   "lower-case letters, digits and dashes. Leave both empty for a round of no plan.",
			   r->typed_plan ? r->typed_plan : r->plan ? r->plan : "",
			   " autocapitalize=\"none\" spellcheck=\"false\"");
	render_staff_input(b, r->e, "text", "round-name", "round", "Round",
			   "Its name, such as 2023. Rounds are shown in the order of their names, so "
			   "name them by year.",
			   r->typed_round ? r->typed_round : r->round ? r->round : "",
			   " autocapitalize=\"none\" spellcheck=\"false\"");
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save</button></form>\n"
		  "<p><a class=\"nav-link\" href=\"/staff/consultations\">Back to the consultations"
		  "</a></p>\n");
	render_staff_page_end(b);
}
