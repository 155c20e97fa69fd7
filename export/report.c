/*
 * report.c - the plan-refresh report: one self-contained HTML file (inline
 * CSS and SVG, no script, no request elsewhere) that reads well on a phone
 * and prints on A4 (see export.h).
 *
 * Every number in it is a cell of the suppressed table or breakdowns, and
 * every list is one the audit read (the key messages are the table's own
 * list): cell() refuses anything else, so the report prints nothing the
 * disclosure audit did not see.  Rows are ordered by published totals only,
 * since ordering by hidden values would leak them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "export.h"

#define REPORT_MAX_QUOTES 6

static const char report_css[] =
	":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#b1b4b6;--bar:#1d5b8f;--bg:#f3f2f1}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
	"color:var(--ink);background:#fff}"
	"main{max-width:52rem;margin:0 auto;padding:1rem}"
	"h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0 1rem}"
	"h2{font-size:1.4rem;margin:2rem 0 .75rem;border-top:3px solid var(--bar);padding-top:.75rem}"
	"h3{font-size:1.15rem;margin:1.5rem 0 .5rem}"
	".kicker{color:var(--muted);margin:0;font-weight:600}"
	"a{color:#1d4f7a}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}"
	".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.75rem;"
	"margin:0;padding:0}"
	".figures div{background:var(--bg);padding:.75rem;border-left:4px solid var(--bar)}"
	".figures dt{font-size:.9rem;color:var(--muted)}"
	".figures dd{margin:0;font-size:1.6rem;font-weight:700}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}"
	"caption{text-align:left;font-weight:600;padding:.25rem 0}"
	"th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem .35rem 0;text-align:left;"
	"vertical-align:top}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"figure{margin:.5rem 0}svg{width:100%;max-width:34rem;height:auto;display:block}"
	"figcaption{font-size:.9rem;color:var(--muted)}"
	"blockquote{margin:0 0 1rem;padding:.5rem 1rem;border-left:4px solid var(--line);"
	"background:var(--bg)}"
	".themes{color:var(--muted);font-size:.9rem}"
	".key{border:1px solid var(--line);padding:.5rem 1rem;margin:1rem 0}.key p{margin:.25rem 0}"
	"@media print{@page{size:A4;margin:16mm 14mm}"
	"body{font-size:10.5pt}main{max-width:none;padding:0}nav{display:none}"
	"h2{break-before:auto;break-after:avoid}h3{break-after:avoid}"
	"figure,table,blockquote,.figures{break-inside:avoid}"
	"a{color:inherit;text-decoration:none}.scroll{overflow:visible}}";

struct report {
	const struct export_table *t;
	struct export_breakdown *b;
	struct sbuf *out;
	char **quotes;
	int nquotes;
	enum sv_err err;
};

/* 1 if c lies inside the array of n elements of size bytes at first. */
static int within(const struct cell *c, const void *first, size_t n, size_t size)
{
	uintptr_t p = (uintptr_t)c, lo = (uintptr_t)first;
	return first && p >= lo && p - lo < n * size;
}

/* 1 if c is a cell the disclosure audit saw: the table's or the breakdowns'. */
static int audited(const struct report *r, const struct cell *c)
{
	const struct export_table *t = r->t;
	const struct export_participation *p = &t->took_part;

	if (within(c, t->rows, t->nrows, sizeof *t->rows) ||
	    within(c, t->subtotals, t->nsubtotals, sizeof *t->subtotals) ||
	    within(c, t->surveys, t->nsurveys, sizeof *t->surveys) ||
	    c == &p->responses || c == &p->messages || c == &p->tokens || c == &p->participants ||
	    c == &t->groups || c == &t->events)
		return 1;
	return r->b && (within(c, r->b->cells, r->b->nslots, sizeof *c) ||
			within(c, r->b->not_given, 2, sizeof *c));
}

static void cell(struct report *r, const struct cell *c)
{
	char text[32];

	if (!audited(r, c)) {   /* a writer's mistake: print nothing unaudited */
		r->err = SV_ERR_INVALID;
		return;
	}
	export_cell_text(r->t, c, text);
	sbuf_adds_html(r->out, text);
}

struct quote_pass {
	struct report *r;
	const struct export_keys *keys;
};

static void collect_quote(void *arg, const struct store_sealed *s)
{
	struct quote_pass *q = arg;
	struct report *r = q->r;
	const struct seal_secret *key = export_key(q->keys, s->key_id);
	char *plain = NULL;
	size_t len = 0;

	if (r->err || r->nquotes >= REPORT_MAX_QUOTES || !key ||
	    seal_open(key, s->sealed, s->sealed_len, &plain, &len) != SV_OK)
		return;
	cJSON *doc = cJSON_ParseWithLength(plain, len);
	const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "text"));
	if (text && *text) {
		r->quotes[r->nquotes] = strdup(text);
		if (!r->quotes[r->nquotes])
			r->err = SV_ERR_NOMEM;
		r->nquotes++;
	}
	cJSON_Delete(doc);
	seal_plain_free(plain);
}

/* ---- sections ---- */

static void figure(struct report *r, const char *label, const struct cell *c)
{
	sbuf_adds(r->out, "<div><dt>");
	sbuf_adds_html(r->out, label);
	sbuf_adds(r->out, "</dt><dd>");
	cell(r, c);
	sbuf_adds(r->out, "</dd></div>");
}

/* Responses per survey. */
static void survey_table(struct report *r)
{
	const struct export_table *t = r->t;

	if (t->nsurveys == 0)
		return;
	sbuf_adds(r->out, "<table><caption>Survey responses by survey</caption><thead><tr>"
		  "<th scope=\"col\">Survey</th><th scope=\"col\" class=\"n\">Responses</th></tr>"
		  "</thead><tbody>");
	for (size_t k = 0; k < t->nsurveys; k++) {
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, t->surveys[k].title[0] ? t->surveys[k].title : t->surveys[k].id);
		sbuf_adds(r->out, "</th><td class=\"n\">");
		cell(r, &t->surveys[k].responses);
		sbuf_adds(r->out, "</td></tr>");
	}
	sbuf_adds(r->out, "</tbody></table>");
}

/* A table of group sizes (who answered the age-band or district question). */
static void group_table(struct report *r, int by, const char *caption)
{
	struct export_breakdown *b = r->b;
	int gq = b ? b->by[by].question : -1;

	if (gq < 0)
		return;
	const struct export_question *q = &b->qs->items[gq];
	sbuf_adds(r->out, "<table><caption>");
	sbuf_adds_html(r->out, caption);
	sbuf_adds(r->out, "</caption><thead><tr><th scope=\"col\">");
	sbuf_adds_html(r->out, q->title);
	sbuf_adds(r->out, "</th><th scope=\"col\" class=\"n\">Responses</th></tr></thead><tbody>");
	for (int g = 0; g < b->by[by].ngroups; g++) {
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, g < q->noptions ? q->options[g].label : "Not given");
		sbuf_adds(r->out, "</th><td class=\"n\">");
		cell(r, export_breakdown_group_size(b, by, g));
		sbuf_adds(r->out, "</td></tr>");
	}
	sbuf_adds(r->out, "</tbody></table>");
}

static void took_part(struct report *r)
{
	const struct export_participation *p = &r->t->took_part;

	sbuf_adds(r->out, "<section aria-labelledby=\"took-part\"><h2 id=\"took-part\">Who took part</h2>"
		  "<dl class=\"figures\">");
	figure(r, "Survey responses", &p->responses);
	figure(r, "Focus groups", &r->t->groups);
	figure(r, "Young people in focus groups", &p->participants);
	figure(r, "Key messages from focus groups", &p->messages);
	figure(r, "Marketplace events", &r->t->events);
	figure(r, "Marketplace tokens", &p->tokens);
	sbuf_adds(r->out, "</dl>");
	if (p->first_day[0]) {
		int one_day = strcmp(p->first_day, p->last_day) == 0;
		sbuf_adds(r->out, one_day ? "<p>Survey responses arrived on " : "<p>Survey responses arrived from ");
		sbuf_adds_html(r->out, p->first_day);
		if (!one_day) {
			sbuf_adds(r->out, " to ");
			sbuf_adds_html(r->out, p->last_day);
		}
		sbuf_adds(r->out, ".</p>");
	}
	survey_table(r);
	group_table(r, EXPORT_BY_AGE, "Survey responses by age band");
	group_table(r, EXPORT_BY_DISTRICT, "Survey responses by district");
	sbuf_adds(r->out, "</section>");
}

/* Rows of one priority, ordered by published total (suppressed last, in
 * the taxonomy's order). */
static int priority_rows(const struct export_table *t, const struct priority *p, size_t *idx)
{
	int n = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].priority == p)
			idx[n++] = i;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			const struct cell *a = &t->rows[idx[j - 1]].cells[EXPORT_TOTAL];
			const struct cell *b = &t->rows[idx[j]].cells[EXPORT_TOTAL];
			int swap = b->state == CELL_SHOWN &&
				(a->state != CELL_SHOWN || b->value > a->value);
			if (!swap)
				break;
			size_t tmp = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = tmp;
		}
	return n;
}

#define BAR_ROW 56       /* SVG units per bar: the name above, the bar below */
#define BAR_WIDTH 640

static void bar_chart(struct report *r, const struct priority *p, const size_t *idx, int n,
		      long long scale)
{
	const struct export_table *t = r->t;

	sbuf_addf(r->out, "<figure><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-%d\">"
		  "<title id=\"chart-%d\">Bar chart of the total for each theme under priority %d; "
		  "the numbers are in the table that follows.</title>",
		  BAR_WIDTH, n * BAR_ROW + 4, p->number, p->number, p->number);
	for (int i = 0; i < n; i++) {
		const struct export_row *row = &t->rows[idx[i]];
		const struct cell *c = &row->cells[EXPORT_TOTAL];
		int y = i * BAR_ROW;
		sbuf_addf(r->out, "<text x=\"0\" y=\"%d\" font-size=\"19\" fill=\"#1b1b1b\">", y + 20);
		sbuf_adds_html(r->out, row->theme->name);
		sbuf_adds(r->out, "</text>");
		long long w = 0;
		if (c->state == CELL_SHOWN && scale > 0)
			w = c->value * (BAR_WIDTH - 90) / scale;
		if (w > 0)
			sbuf_addf(r->out, "<rect x=\"0\" y=\"%d\" width=\"%lld\" height=\"24\" fill=\"#1d5b8f\"/>",
				  y + 28, w);
		sbuf_addf(r->out, "<text x=\"%lld\" y=\"%d\" font-size=\"19\" font-weight=\"700\" "
			  "fill=\"#1b1b1b\">", w + 8, y + 47);
		cell(r, c);
		sbuf_adds(r->out, "</text>");
	}
	sbuf_adds(r->out, "</svg><figcaption>Bars show each theme's total from surveys, focus groups "
		  "and the marketplace; a suppressed total has no bar.</figcaption></figure>");
}

static void theme_table(struct report *r, const struct priority *p, const size_t *idx, int n)
{
	static const char *const heads[EXPORT_NCOLS] = {
		"Survey responses", "Focus-group key messages", "Marketplace tokens", "Total"
	};

	sbuf_addf(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"table-%d\">"
		  "<table><caption id=\"table-%d\">Themes under priority %d</caption><thead><tr>"
		  "<th scope=\"col\">Theme</th>", p->number, p->number, p->number);
	for (int c = 0; c < EXPORT_NCOLS; c++)
		sbuf_addf(r->out, "<th scope=\"col\" class=\"n\">%s</th>", heads[c]);
	sbuf_adds(r->out, "</tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		const struct export_row *row = &r->t->rows[idx[i]];
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, row->theme->name);
		sbuf_adds(r->out, "</th>");
		for (int c = 0; c < EXPORT_NCOLS; c++) {
			sbuf_adds(r->out, "<td class=\"n\">");
			cell(r, &row->cells[c]);
			sbuf_adds(r->out, "</td>");
		}
		sbuf_adds(r->out, "</tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section>");
}

static void priorities(struct report *r)
{
	const struct export_table *t = r->t;
	size_t *idx = calloc(t->nrows + 1, sizeof *idx);
	long long scale = 0;

	if (!idx) {
		r->err = SV_ERR_NOMEM;
		return;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cell *c = &t->rows[i].cells[EXPORT_TOTAL];
		if (c->state == CELL_SHOWN && c->value > scale)
			scale = c->value;
	}
	sbuf_adds(r->out, "<section aria-labelledby=\"priorities\"><h2 id=\"priorities\">"
		  "What young people raised, by priority</h2><p>Each theme counts the survey responses "
		  "that raised it, the focus-group key messages tagged with it and the marketplace "
		  "tokens placed on it. One response can raise several themes.</p>");
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct export_subtotal *sub = &t->subtotals[k];
		const struct priority *p = sub->priority;
		int n = priority_rows(t, p, idx);
		sbuf_addf(r->out, "<section aria-labelledby=\"priority-%d\"><h3 id=\"priority-%d\">%d. ",
			  p->number, p->number, p->number);
		sbuf_adds_html(r->out, p->name);
		sbuf_adds(r->out, "</h3><p>");
		cell(r, &sub->cells[EXPORT_SURVEY]);
		sbuf_adds(r->out, " survey responses, ");
		cell(r, &sub->cells[EXPORT_FOCUS_GROUP]);
		sbuf_adds(r->out, " key messages and ");
		cell(r, &sub->cells[EXPORT_MARKETPLACE]);
		sbuf_adds(r->out, " marketplace tokens raised at least one of its themes.</p>");
		if (n > 0) {
			bar_chart(r, p, idx, n, scale);
			theme_table(r, p, idx, n);
		}
		sbuf_adds(r->out, "</section>");
	}
	sbuf_adds(r->out, "</section>");
	free(idx);
}

/* "online-safety,bullying" as the themes' names. */
static void theme_names(struct report *r, const char *ids)
{
	const char *p = ids;
	int first = 1;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char id[128];
		snprintf(id, sizeof id, "%.*s", (int)(len < sizeof id ? len : sizeof id - 1), p);
		int i = taxonomy_theme_index(r->t->taxonomy, id);
		sbuf_adds(r->out, first ? "" : ", ");
		sbuf_adds_html(r->out, i >= 0 ? r->t->taxonomy->themes[i].name : id);
		first = 0;
		p = comma ? comma + 1 : NULL;
	}
}

/* The table's own list of key messages: the one the audit read. */
static void messages(struct report *r)
{
	const struct export_table *t = r->t;

	sbuf_adds(r->out, "<section aria-labelledby=\"messages\"><h2 id=\"messages\">"
		  "Key messages from focus groups</h2>");
	if (t->nmessages == 0)
		sbuf_adds(r->out, "<p>No key messages were recorded.</p>");
	else
		sbuf_adds(r->out, "<ul>");
	for (size_t i = 0; i < t->nmessages; i++) {
		sbuf_adds(r->out, "<li>");
		sbuf_adds_html(r->out, t->messages[i].text);
		if (t->messages[i].themes[0]) {
			sbuf_adds(r->out, " <span class=\"themes\">(");
			theme_names(r, t->messages[i].themes);
			sbuf_adds(r->out, ")</span>");
		}
		sbuf_adds(r->out, "</li>");
	}
	if (t->nmessages)
		sbuf_adds(r->out, "</ul>");
	if (t->more_messages)   /* the total is at least the 60 listed, so shown */
		sbuf_adds(r->out, "<p>More are in the focus-group records.</p>");
	sbuf_adds(r->out, "</section>");
}

static void quotes(struct report *r)
{
	sbuf_adds(r->out, "<section aria-labelledby=\"quotes\"><h2 id=\"quotes\">In their words</h2>");
	if (r->nquotes == 0)
		sbuf_adds(r->out, "<p>No quotes were recorded.</p>");
	else
		sbuf_adds(r->out, "<p>Quotes noted in focus groups. Contact details, social media "
			  "names and people introducing themselves (\"my name is\") were taken out "
			  "before they were stored; other names are not recognised automatically, so "
			  "facilitators leave them out.</p>");
	for (int i = 0; i < r->nquotes; i++) {
		sbuf_adds(r->out, "<blockquote><p>");
		sbuf_adds_html(r->out, r->quotes[i]);
		sbuf_adds(r->out, "</p></blockquote>");
	}
	sbuf_adds(r->out, "</section>");
}

/* One question's answers: overall, then by age band and by district. */
static void question_tables(struct report *r, int i)
{
	struct export_breakdown *b = r->b;
	const struct export_question *q = &b->qs->items[i];

	sbuf_adds(r->out, "<h3>");
	sbuf_adds_html(r->out, q->title);
	sbuf_adds(r->out, "</h3><p>");
	const struct cell *answered = export_breakdown_answered(b, i);
	cell(r, answered);
	sbuf_adds(r->out, " responses answered this question.</p>");
	if (answered->state == CELL_SMALL) {
		sbuf_addf(r->out, "<p>Their answers are not shown: fewer than %d people gave them.</p>",
			  r->t->min_cell);
		return;
	}
	for (int by = -1; by < 2; by++) {
		int gq = by < 0 ? -1 : b->by[by].question;
		if (by >= 0 && (gq < 0 || gq == i))
			continue;
		const struct export_question *g = gq >= 0 ? &b->qs->items[gq] : NULL;
		sbuf_addf(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"q%d-%d\">"
			  "<table><caption id=\"q%d-%d\">", i, by + 1, i, by + 1);
		sbuf_adds_html(r->out, q->title);
		sbuf_adds(r->out, by < 0 ? ": all responses" : by == EXPORT_BY_AGE ? ": by age band" :
			  ": by district");
		sbuf_adds(r->out, "</caption><thead><tr><th scope=\"col\">Answer</th>");
		int ng = by < 0 ? 1 : b->by[by].ngroups;
		for (int k = 0; k < ng; k++) {
			sbuf_adds(r->out, "<th scope=\"col\" class=\"n\">");
			sbuf_adds_html(r->out, by < 0 ? "Responses" : k < g->noptions ? g->options[k].label : "Not given");
			sbuf_adds(r->out, "</th>");
		}
		sbuf_adds(r->out, "</tr></thead><tbody>");
		for (int k = 0; k < q->noptions; k++) {
			sbuf_adds(r->out, "<tr><th scope=\"row\">");
			sbuf_adds_html(r->out, q->options[k].label);
			sbuf_adds(r->out, "</th>");
			for (int gi = 0; gi < ng; gi++) {
				sbuf_adds(r->out, "<td class=\"n\">");
				cell(r, by < 0 ? export_breakdown_option(b, i, k) :
				     export_breakdown_group(b, i, k, by, gi));
				sbuf_adds(r->out, "</td>");
			}
			sbuf_adds(r->out, "</tr>");
		}
		sbuf_adds(r->out, "</tbody></table></section>");
	}
}

static void answers(struct report *r)
{
	struct export_breakdown *b = r->b;

	if (!b)
		return;
	sbuf_adds(r->out, "<section aria-labelledby=\"answers\"><h2 id=\"answers\">Answers by question"
		  "</h2><p>Choice questions only; free-text answers are in the responses export.</p>");
	for (int i = 0; i < b->qs->n; i++)
		if (b->q[i].choice)
			question_tables(r, i);
	sbuf_adds(r->out, "</section>");
}

static void method(struct report *r)
{
	const struct export_table *t = r->t;
	const struct export_participation *p = &t->took_part;

	sbuf_adds(r->out, "<section aria-labelledby=\"method\"><h2 id=\"method\">How these numbers were "
		  "made</h2><h3>Sources</h3><ul>");
	sbuf_adds(r->out, "<li>Online surveys");
	if (p->first_day[0]) {
		sbuf_adds(r->out, ", ");
		sbuf_adds_html(r->out, p->first_day);
		sbuf_adds(r->out, " to ");
		sbuf_adds_html(r->out, p->last_day);
	}
	sbuf_adds(r->out, ". Answers are stored without names or contact details, and free text "
		  "is cleaned of them before it is sealed.</li>");
	sbuf_adds(r->out, "<li>Focus groups (");
	cell(r, &t->groups);
	sbuf_adds(r->out, "): aggregate details, key messages tagged with themes, and quotes.</li>"
		  "<li>Marketplace events (");
	cell(r, &t->events);
	sbuf_adds(r->out, "), where young people placed tokens on the themes at each priority's "
		  "stall.</li></ul>");
	sbuf_adds(r->out, "<h3>How themes map to priorities</h3><p>Each answer option, key message "
		  "and stall option raises one or more themes; each theme sits under one or more "
		  "priorities, and is counted under each.</p><ul>");
	const struct taxonomy *tax = t->taxonomy;
	for (size_t k = 0; k < tax->npriorities; k++) {
		sbuf_addf(r->out, "<li>%d. ", tax->priorities[k].number);
		sbuf_adds_html(r->out, tax->priorities[k].name);
		sbuf_adds(r->out, ": ");
		int first = 1;
		for (size_t i = 0; i < tax->nthemes; i++)
			for (int j = 0; j < tax->themes[i].npriorities; j++)
				if (tax->themes[i].priorities[j] == tax->priorities[k].number) {
					sbuf_adds(r->out, first ? "" : ", ");
					sbuf_adds_html(r->out, tax->themes[i].name);
					first = 0;
				}
		sbuf_adds(r->out, "</li>");
	}
	sbuf_adds(r->out, "</ul><h3>Small numbers</h3>");
	if (t->min_cell > 0)
		sbuf_addf(r->out, "<p>Any count from 1 to %d is shown as \"&lt;%d\", so that no young "
			  "person can be picked out; 0 means nobody. Where a small count could be worked "
			  "out from anything else in this report by subtraction, another count is hidden "
			  "too and shown as \"[c]\"; the whole report was checked so that each \"&lt;%d\" "
			  "could still be any of at least two values. Answers given by fewer than %d "
			  "people are not shown (\"[x]\"). Focus-group key messages are all listed above "
			  "and marketplace totals were shown at each event, so those counts are given as "
			  "they are. %lld count%s %s hidden to protect others.</p>",
			  t->min_cell - 1, t->min_cell, t->min_cell, t->min_cell,
			  t->secondary + (r->b ? r->b->secondary : 0),
			  t->secondary + (r->b ? r->b->secondary : 0) == 1 ? "" : "s",
			  t->secondary + (r->b ? r->b->secondary : 0) == 1 ? "was" : "were");
	else
		sbuf_adds(r->out, "<p>Small numbers are not suppressed in this copy: it is for internal "
			  "use only and must not be published.</p>");
	if (t->round_to > 1)
		sbuf_addf(r->out, "<p>Published counts are rounded to the nearest %d; totals were added up "
			  "before rounding, so they need not equal the sum of their rounded parts.</p>",
			  t->round_to);
	sbuf_adds(r->out, "</section>");
}

/* How to read "<5" and "[c]", before the first number. */
static void reading_key(struct sbuf *out, const struct export_table *t)
{
	if (t->min_cell <= 0) {
		sbuf_adds(out, "<div class=\"key\"><p><strong>Not for publication:</strong> small numbers "
			  "are not hidden in this copy.</p></div>");
		return;
	}
	sbuf_addf(out, "<div class=\"key\"><p><strong>Reading the numbers:</strong> \"&lt;%d\" means "
		  "1 to %d, kept back so that no young person can be picked out; 0 means nobody. "
		  "\"[c]\" means a number kept back so that a small one cannot be worked out from "
		  "the totals. \"[x]\" means not shown: the answers of fewer than %d people.",
		  t->min_cell, t->min_cell - 1, t->min_cell);
	if (t->round_to > 1)
		sbuf_addf(out, " Other numbers are rounded to the nearest %d.", t->round_to);
	sbuf_adds(out, "</p></div>");
}

/* The page title: the consultation's, cut at a character to fit 70. */
static void title_text(struct sbuf *out, const char *title)
{
	static const char suffix[] = ": report";
	size_t max = 70 - (sizeof suffix - 1) - 3, n = strlen(title);

	if (n <= max) {
		sbuf_adds_html(out, title);
	} else {
		while (n > max || (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80))
			n--;
		sbuf_add_html(out, title, n);
		sbuf_adds(out, "\xE2\x80\xA6");
	}
	sbuf_adds(out, suffix);
}

enum sv_err export_report_html(struct store *st, const struct export_table *t,
			       struct export_breakdown *b, const struct export_keys *keys,
			       struct sbuf *out)
{
	struct report r = { .t = t, .b = b, .out = out };
	struct quote_pass qp = { &r, keys };
	enum sv_err rc;

	r.quotes = calloc(REPORT_MAX_QUOTES, sizeof *r.quotes);
	rc = r.quotes ? SV_OK : SV_ERR_NOMEM;
	if (!rc && keys)
		rc = store_focus_quotes(st, t->consultation, collect_quote, &qp);
	if (!rc)
		rc = r.err;
	if (rc)
		goto out;

	sbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	title_text(out, t->title);
	sbuf_adds(out, "</title><style>");
	sbuf_adds(out, report_css);
	sbuf_adds(out, "</style></head><body><main><header><p class=\"kicker\">What young people told us: "
		  "consultation report</p><h1>");
	sbuf_adds_html(out, t->title);
	sbuf_adds(out, "</h1><p>Generated ");
	sbuf_adds_html(out, t->generated);
	sbuf_adds(out, " by youthvoice.</p>");
	reading_key(out, t);
	sbuf_adds(out, "</header>"
		  "<nav aria-label=\"Contents\"><h2 class=\"contents\">Contents</h2><ol>"
		  "<li><a href=\"#took-part\">Who took part</a></li>"
		  "<li><a href=\"#priorities\">What young people raised, by priority</a></li>"
		  "<li><a href=\"#messages\">Key messages from focus groups</a></li>"
		  "<li><a href=\"#quotes\">In their words</a></li>");
	if (b)
		sbuf_adds(out, "<li><a href=\"#answers\">Answers by question</a></li>");
	sbuf_adds(out, "<li><a href=\"#method\">How these numbers were made</a></li></ol></nav>");
	took_part(&r);
	priorities(&r);
	messages(&r);
	quotes(&r);
	answers(&r);
	method(&r);
	sbuf_adds(out, "</main></body></html>\n");
	rc = r.err ? r.err : out->err;
out:
	for (int i = 0; i < r.nquotes; i++) {
		if (r.quotes[i])
			sodium_memzero(r.quotes[i], strlen(r.quotes[i]));
		free(r.quotes[i]);
	}
	free(r.quotes);
	return rc;
}
