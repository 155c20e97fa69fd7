/*
 * render_results.c - a consultation's results page and its JSON (see
 * render_results.h).  The chart is inline SVG (no script, no inline style:
 * the page's Content-Security-Policy allows neither); a table of the same
 * counts follows it, and the chart's text summary names only published
 * counts.  forms/static/results.js (never needed) refreshes the counts from
 * results.json: it finds them by the ids and data-k keys written here.
 */
#include <stdio.h>
#include <string.h>

#include "render_results.h"

#define CHART_SLOT 10      /* viewBox units per day */
#define CHART_HEIGHT 100   /* viewBox units for the largest bar */
#define CHART_MIN_DAYS 14  /* fewer days are drawn as narrow bars from the left */

static const char *const col_names[RESULTS_NCOLS] = {
	"Surveys", "Focus groups", "Market\xc2\xadplace", "Total", "Free text"
};
static const char *const col_keys[RESULTS_NCOLS] = { "survey", "focus_group", "marketplace",
						     "total", "free_text" };

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				      "Sep", "Oct", "Nov", "Dec" };

/* "2026-12-01" as "1 Dec 2026" (anything else as it is). */
static void day_words(struct sbuf *b, const char *day)
{
	int y, m, d;

	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
		sbuf_addf(b, "%d %s %d", d, months[m - 1], y);
	else
		sbuf_adds_html(b, day);
}

/* One numeric cell of a table: the published text, escaped ("<5"). */
static void numeric(struct sbuf *b, const char *text)
{
	sbuf_adds(b, "<td class=\"numeric\">");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</td>");
}

void render_chart_bar(struct sbuf *b, long long value, int min_cell, long long max, size_t x,
		      int width, int height)
{
	/* A count not shown exactly is drawn at the threshold, outlined:
	 * "fewer than N" or "hidden", never its true height. */
	long long v = value >= 0 ? value : min_cell;
	long long h = max > 0 ? v * height / max : 0;

	if (h < 1 && v > 0)
		h = 1;
	sbuf_addf(b, "<rect class=\"%s\" x=\"%zu\" y=\"%lld\" width=\"%d\" height=\"%lld\"/>\n",
		  value >= 0 ? "day-bar" : "day-bar day-small", x, height - h, width, h);
}

/* The bar chart of responses per day, with its summary as its name. */
static void day_chart(struct sbuf *b, const struct render_results *r)
{
	long long max = r->min_cell;
	size_t top = 0;
	int any = 0, any_outlined = 0;

	for (size_t i = 0; i < r->ndays; i++)
		if (r->days[i].value >= 0 && (!any || r->days[i].value > r->days[top].value)) {
			if (r->days[i].value > max)
				max = r->days[i].value;
			top = i;
			any = 1;
		}
	sbuf_addf(b, "<figure class=\"chart\" data-min-days=\"%d\" data-slot=\"%d\" "
		  "data-height=\"%d\">\n<svg role=\"img\" aria-labelledby=\"days-summary\" "
		  "viewBox=\"0 0 %zu %d\" preserveAspectRatio=\"none\" focusable=\"false\">\n",
		  CHART_MIN_DAYS, CHART_SLOT, CHART_HEIGHT, (r->ndays > CHART_MIN_DAYS ? r->ndays : CHART_MIN_DAYS) * CHART_SLOT, CHART_HEIGHT);
	for (size_t i = 0; i < r->ndays; i++) {
		any_outlined |= r->days[i].value < 0;
		render_chart_bar(b, r->days[i].value, r->min_cell, max, i * CHART_SLOT + 1,
				 CHART_SLOT - 2, CHART_HEIGHT);
	}
	sbuf_adds(b, "</svg>\n<figcaption id=\"days-summary\">Responses per day, ");
	day_words(b, r->days[0].label);
	if (r->ndays > 1) {
		sbuf_adds(b, " to ");
		day_words(b, r->days[r->ndays - 1].label);
	}
	if (any) {
		sbuf_addf(b, ": the most on one day, %lld, on ", r->days[top].value);
		day_words(b, r->days[top].label);
	}
	if (any_outlined)
		sbuf_addf(b, ". Days with fewer than %d, or hidden to protect them, are drawn as "
			  "outlines at the height of %d", r->min_cell, r->min_cell);
	sbuf_adds(b, ".</figcaption>\n</figure>\n");
}

/* A table of counts; its body (id KEY-body) is what results.js rewrites from
 * results.json's KEY list, and its total is the responses count. */
static void count_table(struct sbuf *b, const char *key, const char *caption, const char *what,
			const struct render_results_count *items, size_t n, int days,
			const char *total)
{
	sbuf_addf(b, "<section class=\"table-scroll\" aria-labelledby=\"%s-caption\" tabindex=\"0\">"
		  "<table class=\"totals\">\n<caption id=\"%s-caption\">%s</caption>\n<thead><tr>"
		  "<th scope=\"col\">%s</th><th scope=\"col\" class=\"numeric\">Responses</th></tr></thead>\n"
		  "<tbody id=\"%s-body\">\n", key, key, caption, what, key);
	for (size_t i = 0; i < n; i++) {
		sbuf_adds(b, "<tr><th scope=\"row\">");
		if (days)
			day_words(b, items[i].label);
		else
			sbuf_adds_html(b, items[i].label);
		sbuf_adds(b, "</th>");
		numeric(b, items[i].text);
		sbuf_adds(b, "</tr>\n");
	}
	sbuf_adds(b, "</tbody>\n<tfoot><tr><th scope=\"row\">All</th><td class=\"numeric\" "
		  "data-k=\"responses\">");
	sbuf_adds_html(b, total);
	sbuf_adds(b, "</td>");
	sbuf_adds(b, "</tr></tfoot>\n</table></section>\n");
}

static void themes_tables(struct sbuf *b, const struct render_results *r)
{
	for (size_t p = 0; p < r->npriorities; p++) {
		const struct render_results_priority *pr = &r->priorities[p];
		/* The heading stays put while a wide table scrolls in its box. */
		sbuf_addf(b, "<h3 class=\"priority-heading\" id=\"prio-%zu\">%d. ", p, pr->number);
		sbuf_adds_html(b, pr->name);
		sbuf_addf(b, "</h3>\n<section class=\"table-scroll\" aria-labelledby=\"prio-%zu\" "
			  "tabindex=\"0\"><table class=\"totals themes\" aria-labelledby=\"prio-%zu\" "
			  "data-priority=\"%zu\">\n", p, p, p);
		sbuf_adds(b, "<thead><tr><th scope=\"col\">Theme</th>");
		for (int c = 0; c < RESULTS_NCOLS; c++)
			sbuf_addf(b, "<th scope=\"col\" class=\"numeric\">%s</th>", col_names[c]);
		sbuf_adds(b, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < pr->nthemes; i++) {
			sbuf_adds(b, "<tr><th scope=\"row\">");
			sbuf_adds_html(b, pr->themes[i].name);
			sbuf_adds(b, "</th>");
			for (int c = 0; c < RESULTS_NCOLS; c++)
				numeric(b, pr->themes[i].cells[c]);
			sbuf_adds(b, "</tr>\n");
		}
		sbuf_adds(b, "</tbody>\n<tfoot><tr><th scope=\"row\">Any theme of this priority</th>");
		for (int c = 0; c < RESULTS_NCOLS; c++)
			numeric(b, pr->any[c]);
		sbuf_adds(b, "</tr></tfoot>\n</table></section>\n");
	}
}

void render_results_page(struct sbuf *b, const struct render_results *r)
{
	render_staff_page_start(b, "Results", r->who, NULL);
	sbuf_adds(b, "<h1>Results: ");
	sbuf_adds_html(b, r->title);
	sbuf_adds(b, "</h1>\n<p class=\"computed\">Counted at <time datetime=\"");
	sbuf_adds_html(b, r->computed_iso);
	sbuf_adds(b, "\" id=\"computed\">");
	sbuf_adds_html(b, r->computed);
	sbuf_adds(b, "</time>.</p>\n<p id=\"results-refresh\" data-json=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/results.json\"><span id=\"results-when\">The counts here do not change by "
		  "themselves: refresh the page to count again.</span> <a class=\"nav-link\" "
		  "href=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/results\">Refresh</a></p>\n");
	sbuf_addf(b, "<p>New survey responses show here in steps of at least %d, so that nobody can "
		  "pick out one young person&#39;s answers by comparing the page before and after "
		  "they answered. Counts from 1 to %d are shown as &lt;%d, and &ldquo;[c]&rdquo; "
		  "marks a count hidden so that a small one cannot be worked out, as in the "
		  "exports. This page is safe to show on a screen.</p>\n"
		  "<script src=\"/static/results.js\" defer></script>\n",
		  r->min_cell, r->min_cell - 1, r->min_cell);
	if (r->held) {
		sbuf_addf(b, "<div class=\"notice\" role=\"status\"><p>The results show again once at "
			  "least %d more survey responses have arrived (the server restarted since "
			  "they were last shown).</p></div>\n", r->min_cell);
		render_staff_page_end(b);
		return;
	}
	sbuf_adds(b, "<h2>Who took part</h2>\n<ul class=\"took-part\">\n<li>Survey responses: <strong "
		  "data-k=\"responses\">");
	sbuf_adds_html(b, r->responses);
	sbuf_addf(b, "</strong></li>\n<li>Focus groups: <strong data-k=\"focus_groups\">%lld</strong>, "
		  "with <strong data-k=\"participants\">", r->groups);
	sbuf_adds_html(b, r->participants);
	sbuf_adds(b, "</strong> young people and <strong data-k=\"messages\">");
	sbuf_adds_html(b, r->messages);
	sbuf_addf(b, "</strong> key messages</li>\n<li>Marketplace events: <strong data-k=\"events\">"
		  "%lld</strong>, with <strong data-k=\"tokens\">", r->events);
	sbuf_adds_html(b, r->tokens);
	sbuf_adds(b, "</strong> tokens</li>\n<li>Free-text answers coded in the analysis: <strong "
		  "data-k=\"coded_answers\">");
	sbuf_adds_html(b, r->coded);
	sbuf_adds(b, "</strong></li>\n</ul>\n");

	sbuf_adds(b, "<h2>Responses per survey</h2>\n");
	if (r->nsurveys)
		count_table(b, "surveys", "Survey responses by survey", "Survey", r->surveys,
			    r->nsurveys, 0, r->responses);
	else
		sbuf_adds(b, "<p>No survey has responses yet.</p>\n");
	sbuf_adds(b, "<h2>Responses per day</h2>\n");
	if (r->ndays) {
		day_chart(b, r);
		count_table(b, "days", "Survey responses by day (UTC)", "Day", r->days,
			    r->ndays, 1, r->responses);
	} else {
		sbuf_adds(b, "<p>No responses yet.</p>\n");
	}
	sbuf_adds(b, "<h2>Themes by priority</h2>\n<p>Under each priority, the survey responses "
		  "(Surveys), focus-group key messages (Focus groups) and marketplace tokens "
		  "(Marketplace) that raised each theme, as the themes export counts them. "
		  "Free text is the free-text answers the analysis coded with the theme: they come "
		  "from survey responses, so they are not added to the Total. "
		  "&ldquo;Any theme of this priority&rdquo; counts each response, message or answer "
		  "once, however many of its themes it raised.</p>\n");
	themes_tables(b, r);
	render_staff_page_end(b);
}

/* "key": "text" */
static void json_text(struct sbuf *b, const char *key, const char *text, int comma)
{
	sbuf_addf(b, "%s\"%s\":\"", comma ? "," : "", key);
	sbuf_add_json(b, text, strlen(text));
	sbuf_adds(b, "\"");
}

static void json_counts(struct sbuf *b, const char *key, const struct render_results_count *c,
			size_t n)
{
	sbuf_addf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		sbuf_adds(b, i ? ",{" : "{");
		json_text(b, "label", c[i].label, 0);
		json_text(b, "count", c[i].text, 1);
		sbuf_adds(b, "}");
	}
	sbuf_adds(b, "]");
}

void render_results_json(struct sbuf *b, const struct render_results *r)
{
	sbuf_adds(b, "{");
	json_text(b, "consultation", r->consultation, 0);
	json_text(b, "computed", r->computed_iso, 1);
	sbuf_addf(b, ",\"min_cell\":%d,\"held\":%s", r->min_cell, r->held ? "true" : "false");
	if (!r->held) {
		json_text(b, "responses", r->responses, 1);
		sbuf_addf(b, ",\"focus_groups\":%lld,\"events\":%lld", r->groups, r->events);
		json_text(b, "participants", r->participants, 1);
		json_text(b, "messages", r->messages, 1);
		json_text(b, "tokens", r->tokens, 1);
		json_text(b, "coded_answers", r->coded, 1);
		json_counts(b, "surveys", r->surveys, r->nsurveys);
		json_counts(b, "days", r->days, r->ndays);
		sbuf_adds(b, ",\"priorities\":[");
		for (size_t p = 0; p < r->npriorities; p++) {
			const struct render_results_priority *pr = &r->priorities[p];
			sbuf_addf(b, "%s{\"number\":%d", p ? "," : "", pr->number);
			json_text(b, "name", pr->name, 1);
			for (int c = 0; c < RESULTS_NCOLS; c++)
				json_text(b, col_keys[c], pr->any[c], 1);
			sbuf_adds(b, ",\"themes\":[");
			for (size_t i = 0; i < pr->nthemes; i++) {
				sbuf_adds(b, i ? ",{" : "{");
				json_text(b, "theme", pr->themes[i].name, 0);
				for (int c = 0; c < RESULTS_NCOLS; c++)
					json_text(b, col_keys[c], pr->themes[i].cells[c], 1);
				sbuf_adds(b, "}");
			}
			sbuf_adds(b, "]}");
		}
		sbuf_adds(b, "]");
	}
	sbuf_adds(b, "}\n");
}
