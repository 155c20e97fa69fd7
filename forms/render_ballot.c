/*
 * render_ballot.c - the youth ballot's staff pages (see render_ballot.h).
 * Wide tables sit in a focusable box that scrolls at 320 px, as the
 * results page's do; every form works without script.
 */
#include <stdio.h>
#include <string.h>

#include "render_ballot.h"

void render_ballot_list(struct sbuf *b, const struct form_catalog *cat, int commissioner)
{
	int any = 0;

	sbuf_adds(b, "<h1>Youth ballots</h1>\n<p>Enter the paper ballot returns from schools and "
		  "youth groups, and see the results so far.</p>\n<ul class=\"survey-list\">\n");
	for (int i = 0; i < cat->nsurveys; i++) {
		const struct form_survey *s = cat->surveys[i];
		if (!s || !form_survey_ballot(s))
			continue;
		sbuf_adds(b, "<li><a href=\"/staff/ballots/");
		sbuf_adds_html(b, s->id);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, s->title);
		sbuf_adds(b, "</a></li>\n");
		any = 1;
	}
	sbuf_adds(b, "</ul>\n");
	if (!any && commissioner)
		sbuf_adds(b, "<p>No survey has a ballot question yet. Add one in "
			  "<a href=\"/staff/surveys\">Surveys</a> (question type \xe2\x80\x9c"
			  "ballot\xe2\x80\x9d).</p>\n");
	else if (!any)
		sbuf_adds(b, "<p>No survey has a ballot question yet. A commissioner adds one in the "
			  "survey builder.</p>\n");
}

/* "81%", or "\xe2\x80\x93" when no papers were handed out. */
static void turnout(struct sbuf *b, long long returned, long long handed_out)
{
	if (handed_out <= 0)
		sbuf_adds(b, "\xe2\x80\x93");
	else
		sbuf_addf(b, "%lld%%", (returned * 100 + handed_out / 2) / handed_out);
}

static long long votes_of(const struct store_ballot_return *r)
{
	long long n = 0;

	for (int i = 0; i < r->nissues; i++)
		n += r->votes[i];
	return n;
}

static void returns_table(struct sbuf *b, const struct render_ballot *r)
{
	long long out = 0, back = 0, votes = 0;

	if (!r->nreturns) {
		sbuf_adds(b, "<p>No returns entered yet.</p>\n");
		return;
	}
	sbuf_adds(b, "<section class=\"table-scroll\" aria-labelledby=\"returns-title\" tabindex=\"0\">"
		  "<table class=\"totals\" aria-labelledby=\"returns-title\">\n<thead><tr>"
		  "<th scope=\"col\">Setting</th><th scope=\"col\" class=\"numeric\">Handed out</th>"
		  "<th scope=\"col\" class=\"numeric\">Returned</th>"
		  "<th scope=\"col\" class=\"numeric\">Turnout</th>"
		  "<th scope=\"col\" class=\"numeric\">Votes</th><th scope=\"col\">State</th></tr></thead>\n"
		  "<tbody>\n");
	for (size_t i = 0; i < r->nreturns; i++) {
		const struct store_ballot_return *x = &r->returns[i];
		sbuf_addf(b, "<tr id=\"r%lld\"><th scope=\"row\">", x->id);
		sbuf_adds_html(b, x->setting);
		sbuf_addf(b, "</th><td class=\"numeric\">%lld</td><td class=\"numeric\">%lld</td>"
			  "<td class=\"numeric\">", x->handed_out, x->returned);
		turnout(b, x->returned, x->handed_out);
		sbuf_addf(b, "</td><td class=\"numeric\">%lld</td><td>", votes_of(x));
		if (x->locked) {
			sbuf_adds(b, "Locked");
		} else {
			sbuf_adds(b, "Open to correction. <a href=\"/staff/ballots/");
			sbuf_adds_html(b, r->s->id);
			sbuf_addf(b, "/returns/%lld\">Correct<span class=\"visually-hidden\"> ", x->id);
			sbuf_adds_html(b, x->setting);
			sbuf_adds(b, "</span></a>");
		}
		if (r->commissioner) {
			sbuf_adds(b, "<form method=\"post\" action=\"/staff/ballots/");
			sbuf_adds_html(b, r->s->id);
			sbuf_addf(b, "/returns/%lld/lock\">", x->id);
			render_staff_csrf(b, r->csrf);
			sbuf_addf(b, "<input type=\"hidden\" name=\"locked\" value=\"%d\">"
				  "<button type=\"submit\" class=\"link-button\">%s"
				  "<span class=\"visually-hidden\"> ", !x->locked, x->locked ? "Unlock" : "Lock");
			sbuf_adds_html(b, x->setting);
			sbuf_adds(b, "</span></button></form>");
		}
		sbuf_adds(b, "</td></tr>\n");
		out += x->handed_out;
		back += x->returned;
		votes += votes_of(x);
	}
	sbuf_addf(b, "</tbody>\n<tfoot><tr><th scope=\"row\">All settings</th><td class=\"numeric\">%lld"
		  "</td><td class=\"numeric\">%lld</td><td class=\"numeric\">", out, back);
	turnout(b, back, out);
	sbuf_addf(b, "</td><td class=\"numeric\">%lld</td><td></td></tr></tfoot>\n</table></section>\n",
		  votes);
}

/* The value a field shows: what was posted, else the return's, else none. */
static const char *field_value(const struct render_ballot *r, const char *name, const char *stored)
{
	return staff_posted_or(r->posted, name, stored);
}

/* The fields of a return (new, or the one being corrected). */
static void return_fields(struct sbuf *b, const struct render_ballot *r)
{
	const struct store_ballot_return *x = r->editing;
	const struct staff_errors *e = r->errors;
	char out[24] = "", back[24] = "";

	if (x) {
		snprintf(out, sizeof out, "%lld", x->handed_out);
		snprintf(back, sizeof back, "%lld", x->returned);
	}
	render_staff_input(b, e, "text", "r-setting", "setting", "School or youth group",
			   "As you want it to appear in the list of returns.",
			   field_value(r, "setting", x ? x->setting : NULL), " maxlength=\"120\"");
	render_staff_input(b, e, "number", "r-handed-out", "handed_out", "Ballot papers handed out", NULL,
			   field_value(r, "handed_out", x ? out : NULL),
			   " inputmode=\"numeric\" min=\"0\" max=\"100000\"");
	render_staff_input(b, e, "number", "r-returned", "returned", "Ballot papers returned",
			   "Spoilt and blank papers count as returned.",
			   field_value(r, "returned", x ? back : NULL),
			   " inputmode=\"numeric\" min=\"0\" max=\"100000\"");
	sbuf_adds(b, "<fieldset class=\"group\"><legend class=\"label\">Votes for each issue</legend>\n"
		  "<p class=\"hint\">Each paper votes for one issue. Leave an issue empty for no votes.</p>\n");
	for (int k = 0; k < r->q->noptions; k++) {
		const struct form_option *o = &r->q->options[k];
		char id[PARSE_MAX_ID + 8], name[PARSE_MAX_ID + 8], stored[24] = "";
		snprintf(id, sizeof id, "r-v-%s", o->id);
		snprintf(name, sizeof name, "v-%s", o->id);
		for (int i = 0; x && i < x->nissues; i++)
			if (strcmp(x->issues[i], o->id) == 0)
				snprintf(stored, sizeof stored, "%lld", x->votes[i]);
		if (o->hidden && !stored[0])
			continue;
		render_staff_input(b, e, "number", id, name, o->label, NULL,
				   field_value(r, name, stored[0] ? stored : NULL),
				   " inputmode=\"numeric\" min=\"0\" max=\"100000\"");
	}
	sbuf_adds(b, "</fieldset>\n");
}

static void ballot_link(struct sbuf *b, const struct form_survey *s, const char *tail, const char *words)
{
	sbuf_adds(b, "<a class=\"nav-link\" href=\"/staff/ballots/");
	sbuf_adds_html(b, s->id);
	sbuf_adds(b, tail);
	sbuf_adds(b, "\">");
	sbuf_adds(b, words);
	sbuf_adds(b, "</a>");
}

void render_ballot_page(struct sbuf *b, const struct render_ballot *r)
{
	sbuf_adds(b, "<h1>Paper ballots: ");
	sbuf_adds_html(b, r->s->title);
	sbuf_adds(b, "</h1>\n");
	if (r->notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds_html(b, r->notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_adds(b, "<p>Enter each school\xe2\x80\x99s or youth group\xe2\x80\x99s return once. "
		  "If the page is sent twice, the return is still counted once. You can correct a "
		  "return until a commissioner locks it.</p>\n");
	if (r->commissioner) {
		sbuf_adds(b, "<p>");
		ballot_link(b, r->s, "/results", "Ranked results so far");
		sbuf_adds(b, "</p>\n");
	}
	sbuf_adds(b, "<h2 id=\"returns-title\">Returns entered</h2>\n");
	returns_table(b, r);
	sbuf_adds(b, "<h2>Enter a setting\xe2\x80\x99s return</h2>\n<form method=\"post\" action=\"/staff/ballots/");
	sbuf_adds_html(b, r->s->id);
	sbuf_adds(b, "\" novalidate>\n");
	render_staff_csrf(b, r->csrf);
	sbuf_adds(b, "<input type=\"hidden\" name=\"_key\" value=\"");
	sbuf_adds_html(b, r->form_key);
	sbuf_adds(b, "\">\n");
	return_fields(b, r);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save this return</button>\n</form>\n");
	if (r->commissioner) {
		sbuf_adds(b, "<h2 id=\"import-title\">Import Make Your Mark results</h2>\n"
			  "<p>A CSV file of the local results, one line per issue: the issue as this "
			  "ballot names it, then its votes (<code>issue,votes</code>). An import replaces "
			  "the one before.</p>\n");
		if (r->import_error) {
			sbuf_adds(b, "<p class=\"error-message\" id=\"import-error\"><span class=\"visually-hidden\">"
				  "Error:</span> ");
			sbuf_adds_html(b, r->import_error);
			sbuf_adds(b, "</p>\n");
		}
		sbuf_adds(b, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/staff/ballots/");
		sbuf_adds_html(b, r->s->id);
		sbuf_adds(b, "/import\">\n");
		render_staff_csrf(b, r->csrf);
		sbuf_adds(b, "<div class=\"group\"><label class=\"label\" for=\"import-file\">Results file "
			  "(CSV, up to 16 KB)</label><input type=\"file\" id=\"import-file\" name=\"file\" "
			  "accept=\".csv,text/csv\"");
		if (r->import_error)
			sbuf_adds(b, " aria-describedby=\"import-error\" aria-invalid=\"true\"");
		sbuf_adds(b, "></div>\n<button type=\"submit\" class=\"button button-secondary\">Import the "
			  "results</button>\n</form>\n");
	}
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/staff/ballots\">All ballots</a></p>\n");
}

void render_ballot_edit(struct sbuf *b, const struct render_ballot *r)
{
	sbuf_adds(b, "<h1>Correct a return: ");
	sbuf_adds_html(b, r->editing->setting);
	sbuf_adds(b, "</h1>\n<p>Entered or last corrected by ");
	sbuf_adds_html(b, r->editing->who);
	sbuf_adds(b, " on ");
	sbuf_adds_html(b, r->editing->day);
	sbuf_adds(b, ".</p>\n<form method=\"post\" action=\"/staff/ballots/");
	sbuf_adds_html(b, r->s->id);
	sbuf_addf(b, "/returns/%lld\" novalidate>\n", r->editing->id);
	render_staff_csrf(b, r->csrf);
	return_fields(b, r);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save the correction</button>\n</form>\n<p>");
	ballot_link(b, r->s, "", "Back to the returns");
	sbuf_adds(b, "</p>\n");
}

static void numeric(struct sbuf *b, const char *text)
{
	sbuf_adds(b, "<td class=\"numeric\">");
	sbuf_adds_html(b, text);
	sbuf_adds(b, "</td>");
}

/* An issue's themes, with the priorities each sits under: "Mental health (5)". */
static void issue_themes(struct sbuf *b, const struct taxonomy *tax, const struct form_option *o)
{
	for (int t = 0; t < o->nthemes; t++) {
		int index = taxonomy_theme_index(tax, o->themes[t]);
		if (index < 0)
			continue;
		const struct theme *th = &tax->themes[index];
		sbuf_adds(b, t ? "; " : "");
		sbuf_adds_html(b, th->name);
		sbuf_adds(b, " (priority ");
		for (int p = 0; p < th->npriorities; p++)
			sbuf_addf(b, "%s%d", p ? " and " : "", th->priorities[p]);
		sbuf_adds(b, ")");
	}
	if (!o->nthemes)
		sbuf_adds(b, "No theme");
}

void render_ballot_results(struct sbuf *b, const struct render_ballot_results *r)
{
	static const char *const cols[4] = { "Online", "Paper", "Imported", "Total" };

	sbuf_adds(b, "<h1>Ballot results: ");
	sbuf_adds_html(b, r->s->title);
	sbuf_adds(b, "</h1>\n");
	if (r->min_cell > 0)
		sbuf_addf(b, "<p>Counts from 1 to %d are shown as <strong>&lt;%d</strong>, and a few others "
			  "as <strong>[c]</strong>, so that a small count cannot be worked out from the totals. "
			  "Imported Make Your Mark results are published already, so they are shown as they "
			  "are.</p>\n", r->min_cell - 1, r->min_cell);
	/* The same list as files (survey-server/ballot.c, export_ballot_csv). */
	sbuf_adds(b, "<p>Download this list: <a href=\"/staff/ballots/");
	sbuf_adds_html(b, r->s->id);
	sbuf_adds(b, "/results.csv\">CSV</a>, <a href=\"/staff/ballots/");
	sbuf_adds_html(b, r->s->id);
	sbuf_adds(b, "/results.json\">JSON</a></p>\n");
	sbuf_addf(b, "<h2 id=\"first-title\">First choices, most votes first</h2>\n<p>Online votes, paper "
		  "returns and imported results together. An issue whose total cannot be shown has no "
		  "place number: it is listed by the least total its shown counts add up to (a "
		  "<strong>&lt;%d</strong> counts as 1, a <strong>[c]</strong> as %d).</p>\n"
		  "<section class=\"table-scroll\" aria-labelledby=\"first-title\" tabindex=\"0\">"
		  "<table class=\"totals\" id=\"ranked\" aria-labelledby=\"first-title\">\n<thead><tr>"
		  "<th scope=\"col\">Issue</th>", r->min_cell, r->min_cell);
	for (int c = 0; c < 4; c++)
		sbuf_addf(b, "<th scope=\"col\" class=\"numeric\">%s</th>", cols[c]);
	sbuf_adds(b, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < r->nrows; i++) {
		const struct render_ballot_row *row = &r->rows[i];
		sbuf_adds(b, "<tr><th scope=\"row\">");
		if (row->place)
			sbuf_addf(b, "%d. ", row->place);
		sbuf_adds_html(b, row->issue->label);
		sbuf_adds(b, "</th>");
		for (int c = 0; c < 4; c++)
			numeric(b, row->first[c]);
		sbuf_adds(b, "</tr>\n");
	}
	sbuf_adds(b, "</tbody>\n<tfoot><tr><th scope=\"row\">All votes</th>");
	for (int c = 0; c < 4; c++)
		numeric(b, r->totals[c]);
	sbuf_adds(b, "</tr></tfoot>\n</table></section>\n");
	if (r->q->rank == 3) {
		sbuf_adds(b, "<h2 id=\"points-title\">Points: online votes only</h2>\n<p>A first choice scores "
			  "3 points, a second choice 2 and a third choice 1. Paper ballots and imported "
			  "results have a first choice only, so they are not in this view. Points are shown "
			  "only where the three counts they are made of are shown; the others are listed by "
			  "the least their shown counts make.</p>\n"
			  "<section class=\"table-scroll\" aria-labelledby=\"points-title\" tabindex=\"0\">"
			  "<table class=\"totals\" id=\"points\" aria-labelledby=\"points-title\">\n<thead><tr>"
			  /* "1st" rather than "First": five columns fit a 360 px phone. */
			  "<th scope=\"col\">Issue</th><th scope=\"col\" class=\"numeric\">1st</th>"
			  "<th scope=\"col\" class=\"numeric\">2nd</th><th scope=\"col\" class=\"numeric\">"
			  "3rd</th><th scope=\"col\" class=\"numeric\">Points</th></tr></thead>\n<tbody>\n");
		for (int i = 0; i < r->nrows; i++) {
			const struct render_ballot_row *row = &r->rows[r->by_points[i]];
			sbuf_adds(b, "<tr><th scope=\"row\">");
			sbuf_adds_html(b, row->issue->label);
			sbuf_adds(b, "</th>");
			numeric(b, row->first[0]);
			numeric(b, row->later[0]);
			numeric(b, row->later[1]);
			numeric(b, row->points[0] ? row->points : "[c]");
			sbuf_adds(b, "</tr>\n");
		}
		sbuf_adds(b, "</tbody>\n</table></section>\n");
	}
	sbuf_adds(b, "<h2>Issues and the plan\xe2\x80\x99s priorities</h2>\n<p>Each online vote also counts "
		  "towards its issue\xe2\x80\x99s themes in the themes table, like any survey answer.</p>\n"
		  "<dl class=\"summary\">\n");
	for (int k = 0; k < r->q->noptions; k++) {
		sbuf_adds(b, "<div class=\"summary-row\"><dt>");
		sbuf_adds_html(b, r->q->options[k].label);
		sbuf_adds(b, "</dt><dd>");
		issue_themes(b, r->tax, &r->q->options[k]);
		sbuf_adds(b, "</dd></div>\n");
	}
	sbuf_adds(b, "</dl>\n<p>");
	ballot_link(b, r->s, "", "Paper returns");
	sbuf_adds(b, "</p>\n");
}
