/*
 * report.c - the plan-refresh report for a board: one self-contained HTML
 * file (inline CSS and SVG, no script, no request elsewhere) that reads well
 * on a phone and prints on A4 (see export.h).
 *
 * Page one is a summary: who took part and how, the top themes under each
 * priority with the share of survey respondents who raised them, and key
 * messages written from the counts.  Then one section per priority (its
 * themes, what focus groups said about them), the earlier rounds of the plan
 * beside this one (when the consultation is a round of one), young people's
 * own words, who answered the survey and how, and the method.
 *
 * Every number in it is a cell of the suppressed table or breakdowns, and
 * every list is one the audit read (the key messages are the table's own
 * list): cell() refuses anything else, so the report prints nothing the
 * disclosure audit did not see.  An earlier round's counts are cells of
 * that round's own table, built and suppressed alone exactly as its themes
 * export is (export_trend_build, the same threshold and rounding), and
 * round_count refuses any other cell of it.  A percentage is printed only beside a
 * published count over a published base, so it tells nothing the two do
 * not.  Rows are ordered by published counts only, since ordering by hidden
 * values would leak them.  Breakdowns whose cells would mostly be "<5" are
 * printed with their groups merged (export_merge, audited with the rest).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/parse.h"
#include "export.h"

#define REPORT_MAX_QUOTES 6
#define REPORT_MAX_CODED_QUOTES 60    /* analysts' quotes read (of the main coding) */
#define REPORT_QUOTES_PER_PRIORITY 3  /* of them printed under each priority */
#define REPORT_TOP_THEMES 3     /* themes per priority on page one */
#define REPORT_MAX_DAYS 40      /* focus-group and event days listed */
#define REPORT_EARLIER_ROUNDS 3 /* earlier rounds beside this one (the latest of them) */

static const char report_css[] =
	":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#b1b4b6;--bar:#1d5b8f;--bg:#f3f2f1}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
	"color:var(--ink);background:#fff}"
	"main{max-width:52rem;margin:0 auto;padding:1rem}"
	"h1{font-size:1.8rem;line-height:1.2;margin:.25rem 0 .75rem}"
	"h2{font-size:1.4rem;line-height:1.25;margin:2rem 0 .75rem;border-top:3px solid var(--bar);"
	"padding-top:.5rem}"
	"h3{font-size:1.1rem;margin:1.25rem 0 .4rem}"
	".kicker{color:var(--muted);margin:0;font-weight:600}"
	"a{color:#1d4f7a}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}"
	".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem;"
	"margin:0 0 .5rem;padding:0}"
	".figures div{padding:.4rem .6rem;border-left:4px solid var(--bar);background:var(--bg)}"
	".figures dt{font-size:.85rem;color:var(--muted)}"
	".figures dd{margin:0;font-size:1.5rem;font-weight:700}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;width:100%;margin:.4rem 0 .75rem;font-size:.95rem}"
	"caption{text-align:left;font-weight:600;padding:.25rem 0}"
	"th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem .3rem 0;text-align:left;"
	"vertical-align:top}"
	"tbody th{font-weight:400;min-width:10rem}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"svg.bar{width:3.5rem;height:.65rem;display:inline-block;margin-left:.4rem;"
	"background:var(--bg);vertical-align:-.05rem}"
	".note{font-size:.9em;color:var(--muted);margin:-.4rem 0 .75rem}"
	"blockquote{margin:0 0 .6rem;padding:.3rem .8rem;border-left:4px solid var(--line)}"
	"blockquote p{margin:0}"
	".themes{color:var(--muted);font-size:.9em}"
	".top li{margin:.15rem 0}.top{padding-left:1.2rem;margin:.25rem 0}"
	".top .n{font-weight:600}"
	".key{border:1px solid var(--line);padding:.4rem .8rem;margin:.75rem 0}.key p{margin:.2rem 0}"
	".messages li{margin:.2rem 0}"
	"#summary table th:first-child{width:38%}"
	"@media print{"
	"body{font-size:9.5pt;line-height:1.4}main{max-width:none;padding:0}nav{display:none}"
	"h1{font-size:16pt;margin:0 0 .3rem}header p{margin:.2rem 0}.key{margin:.4rem 0;font-size:8.5pt}"
	".figures{grid-template-columns:repeat(5,1fr)}.figures div{padding:.2rem .4rem}.figures dt{font-size:8pt}"
	"#summary p,#summary ul{margin:.3rem 0}"
	".top{padding:0;list-style:none}.top li{display:inline;margin:0}"
	".top li+li:before{content:\" \\00b7  \"}h2{font-size:13pt;margin:1rem 0 .4rem}h3{font-size:11pt;"
	"margin:.8rem 0 .3rem}"
	"h2,h3,caption{break-after:avoid}"
	"#summary{break-after:page}"
	"tr,blockquote,.figures,li{break-inside:avoid}"
	"table{font-size:9pt}th,td{padding:.15rem .4rem .15rem 0}"
	".figures dd{font-size:13pt}"
	"a{color:inherit;text-decoration:none}.scroll{overflow:visible}}";

/* An answer marked "quote for the report" in the analysis, with the themes
 * it was coded with (survey-server/analyse.c). */
struct coded_quote {
	long long response;
	char question[STORE_MAX_CODE_QUESTION + 1];
	struct export_code code;
	char *text;                   /* the scrubbed answer, once read */
};

struct report {
	const struct export_table *t;
	struct export_breakdown *b;
	struct sbuf *out;
	char **quotes;
	int nquotes;
	struct coded_quote *coded;    /* REPORT_MAX_CODED_QUOTES */
	int ncoded;
	struct export_trend *trend;   /* the plan's rounds up to this one, or NULL */
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
	    c == &p->coded || c == &t->groups || c == &t->events)
		return 1;
	if (!r->b)
		return 0;
	for (int by = 0; by < 2; by++) {
		const struct export_merge *m = &r->b->merge[by];
		if (m->merged && (within(c, m->cells, m->ncells, sizeof *c) ||
				  within(c, m->sizes, (size_t)m->ngroups, sizeof *c)))
			return 1;
	}
	return within(c, r->b->cells, r->b->nslots, sizeof *c) ||
	       within(c, r->b->not_given, 2, sizeof *c);
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

/* 1 if c is published as a number (and audited). */
static int shown(struct report *r, const struct cell *c)
{
	if (!audited(r, c)) {
		r->err = SV_ERR_INVALID;
		return 0;
	}
	return c->state == CELL_SHOWN;
}

/*
 * The share n is of base, in whole per cent, or -1 when either is not
 * published as a number (or the base is 0): a percentage of a "<5" or a
 * "[c]" would give the count back.
 */
static int percent(struct report *r, const struct cell *n, const struct cell *base)
{
	if (!shown(r, n) || !shown(r, base) || base->value <= 0)
		return -1;
	return (int)((n->value * 200 + base->value) / (base->value * 2));
}

/* "45%" beside a count, or nothing (see percent). */
static void share(struct report *r, const struct cell *n, const struct cell *base)
{
	int pc = percent(r, n, base);
	if (pc >= 0)
		sbuf_addf(r->out, "%d%%", pc);
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

/* The main coding's codes marked "quote for the report", first
 * REPORT_MAX_CODED_QUOTES by response id: what they are about. */
static void collect_coded(void *arg, const struct store_sealed_code *c)
{
	struct quote_pass *q = arg;
	struct report *r = q->r;

	if (r->err || r->ncoded >= REPORT_MAX_CODED_QUOTES)
		return;
	struct coded_quote *cq = &r->coded[r->ncoded];
	if (export_code_open(q->keys, c->key_id, c->sealed, c->sealed_len, &cq->code) || !cq->code.quote ||
	    !cq->code.nthemes)
		return;
	cq->response = c->response;
	snprintf(cq->question, sizeof cq->question, "%s", c->question);
	r->ncoded++;
}

/* The text of the answer a coded quote is of, from its response. */
struct quote_text {
	struct coded_quote *cq;
	const struct export_keys *keys;
	enum sv_err err;
};

static void read_quote_text(void *arg, const struct store_sealed *s)
{
	struct quote_text *qt = arg;
	const struct seal_secret *key = export_key(qt->keys, s->key_id);
	char *plain = NULL;
	size_t len = 0;

	if (!key || seal_open(key, s->sealed, s->sealed_len, &plain, &len) != SV_OK)
		return;
	cJSON *doc = cJSON_ParseWithLength(plain, len);
	const cJSON *answers = cJSON_GetObjectItemCaseSensitive(doc, "answers");
	const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answers, qt->cq->question));
	if (text && *text && !(qt->cq->text = strdup(text)))
		qt->err = SV_ERR_NOMEM;
	cJSON_Delete(doc);
	seal_plain_free(plain);
}

static enum sv_err coded_quotes(struct store *st, struct report *r, const struct export_keys *keys)
{
	struct quote_pass qp = { r, keys };
	enum sv_err rc = store_analysis_each(st, r->t->consultation, STORE_PASS_MAIN, collect_coded, &qp);

	for (int i = 0; !rc && i < r->ncoded; i++) {
		struct quote_text qt = { &r->coded[i], keys, SV_OK };
		enum sv_err e = store_response_one(st, r->t->consultation, r->coded[i].response,
						   read_quote_text, &qt);
		rc = e == SV_ERR_NOTFOUND ? SV_OK : e ? e : qt.err;
	}
	return rc ? rc : r->err;
}

/* ---- who took part, and when ---- */

/* The days focus groups and marketplace events of the consultation met. */
struct days {
	const char *consultation;
	char day[REPORT_MAX_DAYS][11];
	char name[REPORT_MAX_DAYS][STORE_MAX_EVENT_NAME + 1];
	int n;
	int more;                     /* beyond REPORT_MAX_DAYS */
};

static void add_day(struct days *d, const char *day, const char *name)
{
	if (d->n >= REPORT_MAX_DAYS) {
		d->more = 1;
		return;
	}
	snprintf(d->day[d->n], sizeof d->day[d->n], "%s", day);
	snprintf(d->name[d->n], sizeof d->name[d->n], "%s", name ? name : "");
	d->n++;
}

static void on_group(void *arg, const struct store_focus *g)
{
	struct days *d = arg;
	if (strcmp(g->consultation, d->consultation) == 0 && g->participants > 0)
		add_day(d, g->day, NULL);
}

static void on_event(void *arg, const struct store_event *e)
{
	struct days *d = arg;
	if (strcmp(e->consultation, d->consultation) == 0)
		add_day(d, e->day, e->name);
}

static int by_day(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* "on 2026-11-03, 2026-11-10 and 2026-11-17" (days sorted, repeats once). */
static void day_list(struct sbuf *out, struct days *d)
{
	qsort(d->day, (size_t)d->n, sizeof d->day[0], by_day);
	int n = 0;
	for (int i = 0; i < d->n; i++)
		if (i == 0 || strcmp(d->day[i], d->day[n - 1]) != 0)
			memmove(d->day[n++], d->day[i], sizeof d->day[0]);
	sbuf_adds(out, n == 1 ? " on " : " on ");
	for (int i = 0; i < n; i++) {
		sbuf_adds(out, i == 0 ? "" : i == n - 1 ? " and " : ", ");
		sbuf_adds_html(out, d->day[i]);
	}
	if (d->more)
		sbuf_adds(out, " and other days");
}

static void figure(struct report *r, const char *label, const struct cell *c)
{
	sbuf_adds(r->out, "<div><dt>");
	sbuf_adds_html(r->out, label);
	sbuf_adds(r->out, "</dt><dd>");
	cell(r, c);
	sbuf_adds(r->out, "</dd></div>");
}

static void took_part(struct report *r, struct store *st)
{
	const struct export_table *t = r->t;
	const struct export_participation *p = &t->took_part;
	struct days *groups = calloc(1, sizeof *groups), *events = calloc(1, sizeof *events);

	if (!groups || !events) {
		r->err = SV_ERR_NOMEM;
		goto out;
	}
	groups->consultation = events->consultation = t->consultation;
	if (st && (store_focus_each(st, on_group, groups) || store_event_each(st, on_event, events))) {
		r->err = SV_ERR_DB;
		goto out;
	}
	sbuf_adds(r->out, "<h3 id=\"took-part\">Who took part, and how</h3><dl class=\"figures\">");
	figure(r, "Survey responses", &p->responses);
	figure(r, "Focus groups", &t->groups);
	figure(r, "Young people in focus groups", &p->participants);
	figure(r, "Marketplace events", &t->events);
	figure(r, "Marketplace tokens", &p->tokens);
	sbuf_adds(r->out, "</dl><p>");
	if (p->first_day[0]) {
		int one_day = strcmp(p->first_day, p->last_day) == 0;
		sbuf_adds(r->out, one_day ? "Surveys were answered on " : "Surveys were answered from ");
		sbuf_adds_html(r->out, p->first_day);
		if (!one_day) {
			sbuf_adds(r->out, " to ");
			sbuf_adds_html(r->out, p->last_day);
		}
		sbuf_adds(r->out, ". ");
	} else {
		sbuf_adds(r->out, "No survey was answered. ");
	}
	if (groups->n) {
		sbuf_adds(r->out, "Focus groups met");
		day_list(r->out, groups);
		sbuf_adds(r->out, ". ");
	}
	for (int i = 0; i < events->n; i++) {
		sbuf_adds(r->out, i == 0 ? "Marketplace: " : "; ");
		sbuf_adds_html(r->out, events->name[i]);
		sbuf_adds(r->out, ", ");
		sbuf_adds_html(r->out, events->day[i]);
	}
	if (events->more)
		sbuf_adds(r->out, "; and more");
	sbuf_adds(r->out, events->n ? ".</p>" : "</p>");
out:
	free(groups);
	free(events);
}

/* ---- themes, ordered by what is published ---- */

/* 1 if row a goes before row b: more survey respondents published, then a
 * larger published total; suppressed counts after any number. */
static int before(const struct export_row *a, const struct export_row *b, int col)
{
	const struct cell *x = &a->cells[col], *y = &b->cells[col];
	if (x->state == CELL_SHOWN && y->state != CELL_SHOWN)
		return 1;
	if (x->state != CELL_SHOWN || y->state != CELL_SHOWN)
		return 0;
	return x->value > y->value;
}

/* Rows of one priority (all rows if p is NULL), ordered by published count
 * in col, then by published total (stable: the taxonomy's order last). */
static int priority_rows(const struct export_table *t, const struct priority *p, size_t *idx,
			 int col)
{
	int n = 0;
	for (size_t i = 0; i < t->nrows; i++)
		if (!p || t->rows[i].priority == p)
			idx[n++] = i;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			const struct export_row *a = &t->rows[idx[j - 1]], *b = &t->rows[idx[j]];
			int swap = before(b, a, col) ||
				(!before(a, b, col) && before(b, a, EXPORT_TOTAL));
			if (!swap)
				break;
			size_t tmp = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = tmp;
		}
	return n;
}

/* The theme's name, in curly quotes. */
static void theme_name(struct report *r, const struct export_row *row)
{
	sbuf_adds(r->out, "\xE2\x80\x9C");
	sbuf_adds_html(r->out, row->theme->name);
	sbuf_adds(r->out, "\xE2\x80\x9D");
}

/* Page one: the top themes of each priority, with the share of survey
 * respondents who raised each. */
static void top_themes(struct report *r, size_t *idx)
{
	const struct export_table *t = r->t;
	const struct cell *base = &t->took_part.responses;

	sbuf_adds(r->out, "<h3>Top themes under each priority</h3>");
	sbuf_adds(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-label=\"Top themes\">"
		  "<table><thead><tr><th scope=\"col\">Priority</th><th scope=\"col\">Themes raised most, "
		  "with the share of all survey respondents who raised each (one response can raise "
		  "several)</th></tr></thead><tbody>");
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct priority *p = t->subtotals[k].priority;
		int n = priority_rows(t, p, idx, EXPORT_SURVEY);
		sbuf_addf(r->out, "<tr><th scope=\"row\"><a href=\"#priority-%d\">%d. ", p->number,
			  p->number);
		sbuf_adds_html(r->out, p->name);
		sbuf_adds(r->out, "</a></th><td><ol class=\"top\">");  /* inline when printed */
		int listed = 0;
		for (int i = 0; i < n && listed < REPORT_TOP_THEMES; i++) {
			const struct export_row *row = &t->rows[idx[i]];
			const struct cell *c = &row->cells[EXPORT_SURVEY];
			if (!shown(r, c) || c->value == 0)
				break;   /* the rest are suppressed or nobody's */
			sbuf_adds(r->out, "<li>");
			sbuf_adds_html(r->out, row->theme->name);
			sbuf_adds(r->out, ": <span class=\"n\">");
			share(r, c, base);
			sbuf_adds(r->out, "</span> (");
			cell(r, c);
			sbuf_adds(r->out, ")</li>");
			listed++;
		}
		if (!listed)
			sbuf_adds(r->out, "<li>Too few survey respondents raised these themes to "
				  "name one.</li>");
		sbuf_adds(r->out, "</ol></td></tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section>");
}

/* The names of rows idx[0..n) tied at the top in col (shown, above 0). */
static int tied_top(struct report *r, const size_t *idx, int n, int col)
{
	const struct export_table *t = r->t;
	int k = 0;

	if (n == 0 || !shown(r, &t->rows[idx[0]].cells[col]) || t->rows[idx[0]].cells[col].value == 0)
		return 0;
	while (k < n && shown(r, &t->rows[idx[k]].cells[col]) &&
	       t->rows[idx[k]].cells[col].value == t->rows[idx[0]].cells[col].value)
		k++;
	for (int i = 0; i < k; i++) {
		sbuf_adds(r->out, i == 0 ? "" : i == k - 1 ? " and " : ", ");
		theme_name(r, &t->rows[idx[i]]);
	}
	return k;
}

/* A theme under two priorities is one row per priority: keep the first. */
static int distinct_themes(const struct export_table *t, size_t *idx, int n)
{
	int m = 0;
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < m && !seen; j++)
			seen = t->rows[idx[j]].theme == t->rows[idx[i]].theme;
		if (!seen)
			idx[m++] = idx[i];
	}
	return m;
}

/* One sentence on the theme raised most in one source. */
static void most_in(struct report *r, size_t *idx, int col, const char *lead,
		    const char *unit, const struct cell *base)
{
	const struct export_table *t = r->t;
	int n = distinct_themes(t, idx, priority_rows(t, NULL, idx, col));

	if (!shown(r, base) || base->value == 0)
		return;
	sbuf_adds(r->out, "<li>");
	sbuf_adds(r->out, lead);
	sbuf_adds(r->out, " ");
	size_t mark = r->out->len;
	int k = tied_top(r, idx, n, col);
	if (k == 0) {
		r->out->len = mark;
		sbuf_adds(r->out, "none stood out: each theme's count is too small to publish.</li>");
		return;
	}
	const struct cell *c = &t->rows[idx[0]].cells[col];
	sbuf_adds(r->out, k > 1 ? ", equally: " : ": ");
	cell(r, c);
	sbuf_adds(r->out, " of ");
	cell(r, base);
	sbuf_adds(r->out, " ");
	sbuf_adds(r->out, unit);
	int pc = percent(r, c, base);
	if (pc >= 0)
		sbuf_addf(r->out, " (%d%%)", pc);
	sbuf_adds(r->out, k > 1 ? " each.</li>" : ".</li>");
}

/*
 * Key messages, a sentence each, from published counts only: which theme
 * each source raised most, and which priority the most survey responses
 * touched.  Worded as what was raised, not as what young people in general
 * think.
 */
static void key_messages(struct report *r, size_t *idx)
{
	const struct export_table *t = r->t;
	const struct export_participation *p = &t->took_part;

	sbuf_adds(r->out, "<h3>Key messages</h3><p>Counts of what the young people who took part "
		  "raised; they were not chosen to represent every young person in the area.</p>"
		  "<ul class=\"messages\">");
	most_in(r, idx, EXPORT_SURVEY, "In the surveys, the theme raised most was",
		"survey responses", &p->responses);
	most_in(r, idx, EXPORT_FOCUS_GROUP, "In focus groups, key messages were most often about",
		"key messages", &p->messages);
	most_in(r, idx, EXPORT_MARKETPLACE, "At the marketplace, most tokens went on",
		"tokens", &p->tokens);
	/* The priority the most survey responses touched, and the least. */
	const struct export_subtotal *hi = NULL, *lo = NULL;
	int ties_hi = 0, ties_lo = 0;
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct cell *c = &t->subtotals[k].cells[EXPORT_SURVEY];
		if (!shown(r, c))
			continue;
		if (!hi || c->value > hi->cells[EXPORT_SURVEY].value)
			hi = &t->subtotals[k], ties_hi = 0;
		else if (c->value == hi->cells[EXPORT_SURVEY].value)
			ties_hi++;
		if (!lo || c->value < lo->cells[EXPORT_SURVEY].value)
			lo = &t->subtotals[k], ties_lo = 0;
		else if (c->value == lo->cells[EXPORT_SURVEY].value)
			ties_lo++;
	}
	if (hi && !ties_hi && shown(r, &p->responses) && p->responses.value > 0 &&
	    hi->cells[EXPORT_SURVEY].value > 0) {
		sbuf_addf(r->out, "<li>Priority %d, \xE2\x80\x9C", hi->priority->number);
		sbuf_adds_html(r->out, hi->priority->name);
		sbuf_adds(r->out, "\xE2\x80\x9D, was touched by the most survey responses: ");
		cell(r, &hi->cells[EXPORT_SURVEY]);
		sbuf_adds(r->out, " of ");
		cell(r, &p->responses);
		sbuf_addf(r->out, " (%d%%) raised at least one of its themes.</li>",
			  percent(r, &hi->cells[EXPORT_SURVEY], &p->responses));
	}
	if (lo && hi && lo != hi && !ties_lo && shown(r, &p->responses) && p->responses.value > 0) {
		sbuf_addf(r->out, "<li>Priority %d, \xE2\x80\x9C", lo->priority->number);
		sbuf_adds_html(r->out, lo->priority->name);
		sbuf_adds(r->out, "\xE2\x80\x9D, was touched by the fewest: ");
		cell(r, &lo->cells[EXPORT_SURVEY]);
		sbuf_adds(r->out, " survey responses");
		int pc = percent(r, &lo->cells[EXPORT_SURVEY], &p->responses);
		if (pc >= 0)
			sbuf_addf(r->out, " (%d%%)", pc);
		sbuf_adds(r->out, ". Fewer mentions in a survey need not mean it matters less: "
			  "the survey's options decide which themes could be raised.</li>");
	}
	sbuf_adds(r->out, "</ul>");
}

static void summary(struct report *r, struct store *st)
{
	size_t *idx = calloc(r->t->nrows + 1, sizeof *idx);

	if (!idx) {
		r->err = SV_ERR_NOMEM;
		return;
	}
	sbuf_adds(r->out, "<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">"
		  "Summary</h2>");
	took_part(r, st);
	top_themes(r, idx);
	key_messages(r, idx);
	sbuf_adds(r->out, "</section>");
	free(idx);
}

/* ---- one section per priority ---- */

#define BAR_WIDTH 100

/* A published share and its bar; neither for a suppressed count. */
static void share_bar(struct report *r, const struct cell *c, const struct cell *base)
{
	int pc = percent(r, c, base);
	sbuf_adds(r->out, "<td class=\"n\">");
	if (pc >= 0)
		sbuf_addf(r->out, "%d%%<svg class=\"bar\" viewBox=\"0 0 %d 10\" aria-hidden=\"true\" "
			  "focusable=\"false\" preserveAspectRatio=\"none\"><rect width=\"%d\" height=\"10\" "
			  "fill=\"#1d5b8f\"/></svg>", pc, BAR_WIDTH, pc > BAR_WIDTH ? BAR_WIDTH : pc);
	sbuf_adds(r->out, "</td>");
}

/* 1 if the analysis coded any free-text answer: then the report prints the
 * free_text column, else it says in the method that none was coded (a
 * column of zeros would read as "nobody wrote about it"). */
static int coding_done(const struct export_table *t)
{
	return t->took_part.coded.value > 0;
}

static void theme_table(struct report *r, const struct priority *p, const size_t *idx, int n)
{
	const struct cell *base = &r->t->took_part.responses;
	int coded = coding_done(r->t);

	sbuf_addf(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"table-%d\">"
		  "<table><caption id=\"table-%d\">Themes under priority %d</caption><thead><tr>"
		  "<th scope=\"col\">Theme</th><th scope=\"col\" class=\"n\">Survey responses</th>"
		  "<th scope=\"col\" class=\"n\">Share</th>"
		  "<th scope=\"col\" class=\"n\">Key messages</th><th scope=\"col\" class=\"n\">Tokens</th>"
		  "<th scope=\"col\" class=\"n\">Total</th>%s</tr></thead><tbody>",
		  p->number, p->number, p->number,
		  coded ? "<th scope=\"col\" class=\"n\">Free-text answers</th>" : "");
	for (int i = 0; i < n; i++) {
		const struct export_row *row = &r->t->rows[idx[i]];
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, row->theme->name);
		sbuf_adds(r->out, "</th><td class=\"n\">");
		cell(r, &row->cells[EXPORT_SURVEY]);
		sbuf_adds(r->out, "</td>");
		share_bar(r, &row->cells[EXPORT_SURVEY], base);
		for (int c = EXPORT_FOCUS_GROUP; c <= (coded ? EXPORT_FREE_TEXT : EXPORT_TOTAL); c++) {
			sbuf_adds(r->out, "<td class=\"n\">");
			cell(r, &row->cells[c]);
			sbuf_adds(r->out, "</td>");
		}
		sbuf_adds(r->out, "</tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section>");
}

/* 1 if the comma-separated theme ids hold a theme under priority p. */
static int about(const struct export_table *t, const char *ids, const struct priority *p)
{
	const char *s = ids;
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		for (size_t i = 0; i < t->nrows; i++)
			if (t->rows[i].priority == p && strlen(t->rows[i].theme->id) == len &&
			    memcmp(t->rows[i].theme->id, s, len) == 0)
				return 1;
		s = comma ? comma + 1 : NULL;
	}
	return 0;
}

static void theme_names(struct report *r, const char *ids);

/* The table's own list of key messages, those about priority p. */
static void priority_messages(struct report *r, const struct priority *p)
{
	const struct export_table *t = r->t;
	int n = 0;

	for (size_t i = 0; i < t->nmessages; i++) {
		if (!about(t, t->messages[i].themes, p))
			continue;
		sbuf_adds(r->out, n++ ? "<li>" : "<h3>What focus groups said</h3><ul class=\"messages\"><li>");
		sbuf_adds_html(r->out, t->messages[i].text);
		sbuf_adds(r->out, " <span class=\"themes\">(");
		theme_names(r, t->messages[i].themes);
		sbuf_adds(r->out, ")</span></li>");
	}
	if (n)
		sbuf_adds(r->out, "</ul>");
}

/*
 * Hook: quotes marked "quote for the report" in the analysis carry themes,
 * and will be printed here under each priority they are about (issue 15,
 * "Analyse answers, privately").  Focus-group quotes carry no themes, so
 * they are printed together in "In their own words".
 */
static void analysis_quotes(struct report *r, const struct priority *p)
{
	int shown = 0;

	for (int i = 0; i < r->ncoded && shown < REPORT_QUOTES_PER_PRIORITY; i++) {
		const struct coded_quote *cq = &r->coded[i];
		int about = 0;
		for (size_t k = 0; k < cq->code.npriorities; k++)
			about |= cq->code.priorities[k] == p->number;
		if (!about || !cq->text)
			continue;
		if (!shown++)
			sbuf_adds(r->out, "<h3>In their own words</h3><p>Survey answers chosen as quotes in the "
				  "analysis, each checked by the analyst to hold no names; contact details "
				  "were taken out when they were sent.</p>");
		sbuf_adds(r->out, "<blockquote class=\"coded-quote\"><p>");
		sbuf_adds_html(r->out, cq->text);
		sbuf_adds(r->out, "</p></blockquote>");
	}
}

static void priorities(struct report *r)
{
	const struct export_table *t = r->t;
	size_t *idx = calloc(t->nrows + 1, sizeof *idx);

	if (!idx) {
		r->err = SV_ERR_NOMEM;
		return;
	}
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct export_subtotal *sub = &t->subtotals[k];
		const struct priority *p = sub->priority;
		int n = priority_rows(t, p, idx, EXPORT_SURVEY);
		sbuf_addf(r->out, "<section aria-labelledby=\"priority-%d\"><h2 id=\"priority-%d\">"
			  "Priority %d: ", p->number, p->number, p->number);
		sbuf_adds_html(r->out, p->name);
		sbuf_adds(r->out, "</h2><p>");
		cell(r, &sub->cells[EXPORT_SURVEY]);
		sbuf_adds(r->out, " survey responses");
		int pc = percent(r, &sub->cells[EXPORT_SURVEY], &t->took_part.responses);
		if (pc >= 0)
			sbuf_addf(r->out, " (%d%% of all)", pc);
		sbuf_adds(r->out, ", ");
		cell(r, &sub->cells[EXPORT_FOCUS_GROUP]);
		sbuf_adds(r->out, " focus-group key messages and ");
		cell(r, &sub->cells[EXPORT_MARKETPLACE]);
		sbuf_adds(r->out, " marketplace tokens raised at least one of its themes.");
		if (coding_done(t)) {
			sbuf_adds(r->out, " The analysis coded ");
			cell(r, &sub->cells[EXPORT_FREE_TEXT]);
			sbuf_adds(r->out, " free-text answers with one or more of them.");
		}
		sbuf_adds(r->out, "</p>");
		if (n > 0)
			theme_table(r, p, idx, n);
		priority_messages(r, p);
		analysis_quotes(r, p);
		sbuf_adds(r->out, "</section>");
	}
	free(idx);
}

/* ---- earlier rounds of the plan ---- */

/* Earlier round i's count c (NULL: not in that round's list), as that
 * round's own export publishes it: a subtotal or its survey responses. */
static void round_count(struct report *r, size_t i, const struct cell *c)
{
	const struct export_table *t = r->trend->rounds[i].t;
	char text[32];

	if (!c) {
		sbuf_adds(r->out, "not in that round");
		return;
	}
	if (!within(c, t->subtotals, t->nsubtotals, sizeof *t->subtotals) &&
	    c != &t->took_part.responses) {
		r->err = SV_ERR_INVALID;   /* a writer's mistake: print nothing unaudited */
		return;
	}
	export_cell_text(t, c, text);
	sbuf_adds_html(r->out, text);
}

/*
 * The priorities' totals in up to REPORT_EARLIER_ROUNDS earlier rounds
 * beside this one's.  Each round is its own publication, suppressed alone;
 * no change between rounds is worked out or printed, since a difference of
 * two published counts is no count of anyone (they are different young
 * people) but reading one as a trend is easy to overdo, which the text says.
 */
static void earlier_rounds(struct report *r)
{
	const struct export_trend *tr = r->trend;
	const struct export_table *t = r->t;

	if (!tr || tr->nrounds < 2)
		return;
	size_t self = tr->nrounds - 1;
	size_t first = self > REPORT_EARLIER_ROUNDS ? self - REPORT_EARLIER_ROUNDS : 0;
	sbuf_adds(r->out, "<section id=\"rounds\" aria-labelledby=\"rounds-h\"><h2 id=\"rounds-h\">"
		  "Compared with earlier rounds</h2><p>This consultation is round ");
	sbuf_adds_html(r->out, tr->rounds[self].round);
	sbuf_adds(r->out, " of the plan &ldquo;");
	sbuf_adds_html(r->out, tr->plan);
	sbuf_adds(r->out, "&rdquo;. For each priority: the survey responses, focus-group key messages "
		  "and marketplace tokens that raised any of its themes, in ");
	sbuf_adds(r->out, self - first == 1 ? "the round before" : "earlier rounds");
	sbuf_adds(r->out, " and in this one. Each earlier round is counted from its own consultation, "
		  "with its small numbers hidden exactly as in that round&rsquo;s own themes export "
		  "(the same rule as this report). Different young people took part each time, and "
		  "in different numbers, and each round&rsquo;s surveys offered its own options: a "
		  "larger count need not mean it matters more.</p>");
	if (first > 0)
		sbuf_addf(r->out, "<p>%zu earlier round%s %s in the trend export (<code>survey-export "
			  "trends</code>).</p>", first, first == 1 ? "" : "s", first == 1 ? "is" : "are");
	sbuf_adds(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"rounds-table\">"
		  "<table><caption id=\"rounds-table\">Any theme of each priority, round by round"
		  "</caption><thead><tr><th scope=\"col\">Priority</th>");
	for (size_t i = first; i <= self; i++) {
		sbuf_adds(r->out, "<th scope=\"col\" class=\"n\">");
		sbuf_adds_html(r->out, tr->rounds[i].round);
		sbuf_adds(r->out, i == self ? " (this report)</th>" : "</th>");
	}
	sbuf_adds(r->out, "</tr></thead><tbody><tr><th scope=\"row\">Survey responses</th>");
	for (size_t i = first; i < self; i++) {
		sbuf_adds(r->out, "<td class=\"n\">");
		round_count(r, i, &tr->rounds[i].t->took_part.responses);
		sbuf_adds(r->out, "</td>");
	}
	sbuf_adds(r->out, "<td class=\"n\">");
	cell(r, &t->took_part.responses);
	sbuf_adds(r->out, "</td></tr>");
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct export_subtotal *sub = &t->subtotals[k];
		int p = sub->priority->number;
		sbuf_addf(r->out, "<tr><th scope=\"row\">%d. ", p);
		sbuf_adds_html(r->out, sub->priority->name);
		sbuf_adds(r->out, "</th>");
		for (size_t i = first; i < self; i++) {
			sbuf_adds(r->out, "<td class=\"n\">");
			round_count(r, i, export_trend_cell(tr, i, p, NULL, EXPORT_TOTAL));
			sbuf_adds(r->out, "</td>");
		}
		sbuf_adds(r->out, "<td class=\"n\">");
		cell(r, &sub->cells[EXPORT_TOTAL]);
		sbuf_adds(r->out, "</td></tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section></section>");
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

/* Young people's own words: the focus groups' quotes, and the key messages
 * about no theme (the rest are under their priorities). */
static void own_words(struct report *r)
{
	const struct export_table *t = r->t;
	int untagged = 0;

	sbuf_adds(r->out, "<section aria-labelledby=\"quotes\"><h2 id=\"quotes\">In their own words</h2>");
	if (r->nquotes == 0)
		sbuf_adds(r->out, "<p>No quotes were recorded.</p>");
	else
		sbuf_adds(r->out, "<p>Quotes noted in focus groups, each confirmed by the facilitator "
			  "to hold no names. Contact details, social media names and people introducing "
			  "themselves (\"my name is\") were also taken out before they were stored.</p>");
	for (int i = 0; i < r->nquotes; i++) {
		sbuf_adds(r->out, "<blockquote><p>");
		sbuf_adds_html(r->out, r->quotes[i]);
		sbuf_adds(r->out, "</p></blockquote>");
	}
	for (size_t i = 0; i < t->nmessages; i++) {
		if (t->messages[i].themes[0])
			continue;
		sbuf_adds(r->out, untagged++ ? "<li>" : "<h3>Key messages about no one theme</h3>"
			  "<ul class=\"messages\"><li>");
		sbuf_adds_html(r->out, t->messages[i].text);
		sbuf_adds(r->out, "</li>");
	}
	if (untagged)
		sbuf_adds(r->out, "</ul>");
	if (t->more_messages)   /* the total is at least the 60 listed, so shown */
		sbuf_adds(r->out, "<p>More key messages are in the focus-group records.</p>");
	sbuf_adds(r->out, "</section>");
}

/* ---- who answered, and how: breakdowns, merged where small ---- */

static const char *const grouping_words[2] = { "age band", "district" };

static int group_count(const struct export_breakdown *b, int by)
{
	return b->merge[by].merged ? b->merge[by].ngroups : b->by[by].ngroups;
}

static void group_label(const struct export_breakdown *b, int by, int g, char *out, size_t len)
{
	if (b->merge[by].merged) {
		export_breakdown_merged_label(b, by, g, out, len);
		return;
	}
	const struct export_question *q = &b->qs->items[b->by[by].question];
	snprintf(out, len, "%s", g < q->noptions ? q->options[g].label : "Not given");
}

static const struct cell *group_size_cell(struct export_breakdown *b, int by, int g)
{
	if (b->merge[by].merged)
		return export_breakdown_merged(b, -1, 0, by, g);
	return export_breakdown_group_size(b, by, g);
}

static const struct cell *group_cell(struct export_breakdown *b, int q, int k, int by, int g)
{
	if (b->merge[by].merged)
		return export_breakdown_merged(b, q, k, by, g);
	return export_breakdown_group(b, q, k, by, g);
}

/* 1 if group g is printed as a column: it has N responses or more (a
 * "[c]" is known to); a group of 0 has nothing to show, and the answers of
 * one of 1 to N-1 are withheld. */
static int column_shown(struct report *r, int by, int g)
{
	const struct cell *c = group_size_cell(r->b, by, g);
	if (!audited(r, c)) {
		r->err = SV_ERR_INVALID;
		return 0;
	}
	return (c->state == CELL_SHOWN && c->value > 0) || c->state == CELL_HIDDEN;
}

/* Whether the report shows the answers by this grouping: two columns or
 * more to show. */
static int breaks_down(struct report *r, int by)
{
	int n = 0;
	if (r->b->by[by].question < 0)
		return 0;
	for (int g = 0; g < group_count(r->b, by); g++)
		n += column_shown(r, by, g);
	return n >= 2;
}

/* The line under a table: which groups were merged, and which are left
 * out (too few, or none). */
static void merge_note(struct report *r, int by, int brief)
{
	struct export_breakdown *b = r->b;
	const struct export_merge *m = &b->merge[by];
	const struct export_question *q = &b->qs->items[b->by[by].question];
	int ng = group_count(b, by), any = 0, left = 0;
	char label[200];

	if (brief) {
		for (int g = 0; g < ng && !any; g++)
			any = !column_shown(r, by, g);
		if (m->merged || any)
			sbuf_addf(r->out, "<p class=\"note\">Groups as in \xE2\x80\x9CSurvey responses by %s\xE2\x80\x9D "
				  "above%s.</p>", grouping_words[by], any ? "; those with too few or no "
				  "responses are left out" : "");
		return;
	}
	sbuf_adds(r->out, "<p class=\"note\">");
	for (int mg = 0; m->merged && mg + 1 < ng; mg++) {
		int members = 0;
		for (int g = 0; g + 1 < b->by[by].ngroups; g++)
			members += m->of[g] == mg;
		if (members < 2)
			continue;
		export_breakdown_merged_label(b, by, mg, label, sizeof label);
		sbuf_adds(r->out, any++ ? " " : "Merged so that the numbers can be shown: ");
		sbuf_adds(r->out, "\xE2\x80\x9C");
		sbuf_adds_html(r->out, label);
		sbuf_adds(r->out, "\xE2\x80\x9D is ");
		int k = 0;
		for (int g = 0; g + 1 < b->by[by].ngroups; g++)
			if (m->of[g] == mg) {
				sbuf_adds(r->out, k == 0 ? "" : k == members - 1 ? " and " : ", ");
				sbuf_adds_html(r->out, q->options[g].label);
				k++;
			}
		sbuf_adds(r->out, ".");
	}
	for (int g = 0; g < ng; g++) {
		const struct cell *c = group_size_cell(b, by, g);
		if (column_shown(r, by, g) || (c->state == CELL_SHOWN && c->value == 0))
			continue;
		group_label(b, by, g, label, sizeof label);
		sbuf_adds(r->out, left++ ? "; " : any++ ? " Not shown on their own, too few: " :
			  "Not shown on their own, too few: ");
		sbuf_adds_html(r->out, label);
		sbuf_adds(r->out, " (");
		cell(r, c);
		sbuf_adds(r->out, ")");
	}
	if (left)
		sbuf_adds(r->out, ".");
	if (!any)
		r->out->len -= strlen("<p class=\"note\">");
	else
		sbuf_adds(r->out, "</p>");
}

/* Survey responses in each group (merged where that is what is printed). */
static void group_sizes(struct report *r, int by)
{
	struct export_breakdown *b = r->b;
	char label[200];

	sbuf_addf(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"sizes-%d\">"
		  "<table><caption id=\"sizes-%d\">Survey responses by %s</caption><thead><tr>"
		  "<th scope=\"col\">%c%s</th><th scope=\"col\" class=\"n\">Responses</th>"
		  "<th scope=\"col\" class=\"n\">Share</th></tr></thead><tbody>", by, by,
		  grouping_words[by], by == EXPORT_BY_AGE ? 'A' : 'D', grouping_words[by] + 1);
	for (int g = 0; g < group_count(b, by); g++) {
		const struct cell *c = group_size_cell(b, by, g);
		group_label(b, by, g, label, sizeof label);
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, label);
		sbuf_adds(r->out, "</th><td class=\"n\">");
		cell(r, c);
		sbuf_adds(r->out, "</td><td class=\"n\">");
		share(r, c, &r->t->took_part.responses);
		sbuf_adds(r->out, "</td></tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section>");
	merge_note(r, by, 0);
}

/* One question's answers by one grouping (by < 0: none), with everyone's
 * in the first column. */
static void question_by(struct report *r, int i, int by)
{
	struct export_breakdown *b = r->b;
	const struct export_question *q = &b->qs->items[i];
	const struct cell *answered = export_breakdown_answered(b, i);
	char label[200];
	int ng = by < 0 ? 0 : group_count(b, by);

	sbuf_addf(r->out, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"q%d-%d\">"
		  "<table><caption id=\"q%d-%d\">", i, by + 1, i, by + 1);
	if (by >= 0)
		sbuf_addf(r->out, "By %s: ", grouping_words[by]);
	sbuf_adds_html(r->out, q->title);
	sbuf_adds(r->out, "</caption><thead><tr><th scope=\"col\">Answer</th>"
		  "<th scope=\"col\" class=\"n\">All</th><th scope=\"col\" class=\"n\">Share</th>");
	for (int g = 0; g < ng; g++) {
		if (!column_shown(r, by, g))
			continue;
		group_label(b, by, g, label, sizeof label);
		sbuf_adds(r->out, "<th scope=\"col\" class=\"n\">");
		sbuf_adds_html(r->out, label);
		sbuf_adds(r->out, "</th>");
	}
	sbuf_adds(r->out, "</tr></thead><tbody>");
	for (int k = 0; k < q->noptions; k++) {
		sbuf_adds(r->out, "<tr><th scope=\"row\">");
		sbuf_adds_html(r->out, q->options[k].label);
		sbuf_adds(r->out, "</th><td class=\"n\">");
		cell(r, export_breakdown_option(b, i, k));
		sbuf_adds(r->out, "</td><td class=\"n\">");
		share(r, export_breakdown_option(b, i, k), answered);
		sbuf_adds(r->out, "</td>");
		for (int g = 0; g < ng; g++) {
			if (!column_shown(r, by, g))
				continue;
			sbuf_adds(r->out, "<td class=\"n\">");
			cell(r, group_cell(b, i, k, by, g));
			sbuf_adds(r->out, "</td>");
		}
		sbuf_adds(r->out, "</tr>");
	}
	sbuf_adds(r->out, "</tbody></table></section>");
}

/* One question's answers: by age band and by district where that can be
 * shown, else overall. */
static void question_tables(struct report *r, int i)
{
	struct export_breakdown *b = r->b;
	const struct export_question *q = &b->qs->items[i];
	const struct cell *answered = export_breakdown_answered(b, i);
	int printed = 0;

	sbuf_adds(r->out, "<h3>");
	sbuf_adds_html(r->out, q->title);
	sbuf_adds(r->out, "</h3><p>");
	cell(r, answered);
	sbuf_adds(r->out, q->multiple ? " responses answered this question; each could choose several "
		  "answers, so the shares add up to more than 100%.</p>" :
		  " responses answered this question. Shares are of them.</p>");
	if (answered->state == CELL_SMALL) {
		sbuf_addf(r->out, "<p>Their answers are not shown: fewer than %d people gave them.</p>",
			  r->t->min_cell);
		return;
	}
	for (int by = 0; by < 2; by++)
		if (breaks_down(r, by) && b->by[by].question != i) {
			question_by(r, i, by);
			merge_note(r, by, 1);
			printed = 1;
		}
	if (!printed)
		question_by(r, i, -1);   /* overall only */
}

static void answers(struct report *r)
{
	struct export_breakdown *b = r->b;

	if (!b)
		return;
	sbuf_adds(r->out, "<section aria-labelledby=\"answers\"><h2 id=\"answers\">Who answered the "
		  "survey, and how</h2><p>Choice questions only; free-text answers are in the responses "
		  "export.</p>");
	for (int by = 0; by < 2; by++) {
		if (b->by[by].question < 0)
			continue;
		if (breaks_down(r, by)) {
			group_sizes(r, by);
		} else {
			sbuf_addf(r->out, "<p>Too few responses came from each %s to show the answers by "
				  "%s.</p>", grouping_words[by], grouping_words[by]);
		}
	}
	int unanswered = 0;
	for (int i = 0; i < b->qs->n; i++) {
		if (!b->q[i].choice || i == b->by[0].question || i == b->by[1].question)
			continue;
		const struct cell *c = export_breakdown_answered(b, i);
		if (shown(r, c) && c->value == 0)
			unanswered++;
		else
			question_tables(r, i);
	}
	for (int i = 0, n = 0; unanswered && i < b->qs->n; i++) {
		if (!b->q[i].choice || i == b->by[0].question || i == b->by[1].question)
			continue;
		const struct cell *c = export_breakdown_answered(b, i);
		if (!shown(r, c) || c->value != 0)
			continue;
		sbuf_adds(r->out, n++ ? "; \xE2\x80\x9C" : "<h3>Questions nobody answered</h3><p>\xE2\x80\x9C");
		sbuf_adds_html(r->out, b->qs->items[i].title);
		sbuf_adds(r->out, "\xE2\x80\x9D");
	}
	if (unanswered)
		sbuf_adds(r->out, " (0 responses each).</p>");
	sbuf_adds(r->out, "</section>");
}

/* ---- method ---- */

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
		if (strcmp(p->first_day, p->last_day) != 0) {
			sbuf_adds(r->out, " to ");
			sbuf_adds_html(r->out, p->last_day);
		}
	}
	sbuf_adds(r->out, ". Answers are stored without names or contact details, and free text "
		  "is cleaned of them before it is sealed.</li>");
	sbuf_adds(r->out, "<li>Focus groups (");
	cell(r, &t->groups);
	sbuf_adds(r->out, "): aggregate details, key messages tagged with themes by the facilitator, "
		  "and quotes.</li><li>Marketplace events (");
	cell(r, &t->events);
	sbuf_adds(r->out, "), where young people placed tokens on the themes at each priority's "
		  "stall.</li>");
	sbuf_adds(r->out, "<li>Free-text survey answers: ");
	if (coding_done(t)) {
		cell(r, &p->coded);
		sbuf_adds(r->out, " were coded into themes by an analyst, who read each one. "
			  "&ldquo;Free-text answers&rdquo; counts the answers coded with each theme. They "
			  "come from survey respondents, who may be counted under survey responses "
			  "already, so they are not added to the total.</li></ul>");
	} else {
		sbuf_adds(r->out, "none has been coded into themes yet, so the tables have no "
			  "column for them.</li></ul>");
	}
	sbuf_adds(r->out, "<h3>How themes map to priorities</h3><p>Each answer option, key message "
		  "and stall option raises one or more themes; each theme sits under one or more "
		  "priorities, and is counted under each. A share is of all survey respondents, "
		  "or of those who answered the question.</p>");
	sbuf_adds(r->out, "<h3>Small numbers</h3>");
	if (t->min_cell > 0)
		sbuf_addf(r->out, "<p>Any count from 1 to %d is shown as \"&lt;%d\", so that no young "
			  "person can be picked out; 0 means nobody. No share is given for such a count. "
			  "Where a small count could be worked out from anything else in this report by "
			  "subtraction, another count is hidden too and shown as \"[c]\"; the whole report "
			  "was checked so that each \"&lt;%d\" could still be any of at least two values. "
			  "Answers given by fewer than %d people are not shown (\"[x]\"). Where most counts "
			  "of a breakdown would be small, neighbouring age bands were merged, and districts "
			  "with few responses gathered into \"Other areas\", until at most a third of its "
			  "counts were small; the note under each such table says which. Focus-group key "
			  "messages are all listed and marketplace totals were shown at each event, so "
			  "those counts are given as they are. %lld count%s %s hidden to protect others.</p>",
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

/* s as a CSS string's contents: anything but letters, digits, space and
 * plain punctuation as a hex escape, so that neither a quote nor "</style>"
 * can end it. */
static void css_string(struct sbuf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p >= 0x80 || strchr(" ,.:;!?'()-", *p))
			sbuf_add(out, p, 1);
		else
			sbuf_addf(out, "\\%x ", *p);
	}
}

/*
 * The printed page: A4, the consultation (and the partnership) in a running
 * header and "Page n of m" at the foot, in CSS page-margin boxes (Chromium
 * prints them since version 131).
 */
static void page_css(struct sbuf *out, const struct export_table *t)
{
	const char *partnership = t->taxonomy->partnership;

	sbuf_adds(out, "@page{size:A4;margin:17mm 14mm 15mm;"
		  "@top-left{content:\"");
	css_string(out, t->title);
	sbuf_adds(out, "\";font:8pt system-ui,Arial,sans-serif;color:#4a4a4a;vertical-align:bottom;"
		  "padding-bottom:3mm}");
	if (partnership && *partnership) {
		sbuf_adds(out, "@top-right{content:\"");
		css_string(out, partnership);
		sbuf_adds(out, "\";font:8pt system-ui,Arial,sans-serif;color:#4a4a4a;vertical-align:bottom;"
			  "padding-bottom:3mm;text-align:right}");
	}
	sbuf_adds(out, "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);"
		  "font:8pt system-ui,Arial,sans-serif;color:#4a4a4a}"
		  "@bottom-left{content:\"Generated ");
	css_string(out, t->generated);
	sbuf_adds(out, " by youthvoice\";font:8pt system-ui,Arial,sans-serif;color:#4a4a4a}}");
}

enum sv_err export_report_html(struct store *st, const struct export_table *t,
			       struct export_breakdown *b, const struct export_keys *keys,
			       struct sbuf *out)
{
	struct report r = { .t = t, .b = b, .out = out };
	struct quote_pass qp = { &r, keys };
	enum sv_err rc;

	r.quotes = calloc(REPORT_MAX_QUOTES, sizeof *r.quotes);
	r.coded = calloc(REPORT_MAX_CODED_QUOTES, sizeof *r.coded);
	rc = r.quotes && r.coded ? SV_OK : SV_ERR_NOMEM;
	if (!rc && keys)
		rc = store_focus_quotes(st, t->consultation, collect_quote, &qp);
	if (!rc && keys)
		rc = coded_quotes(st, &r, keys);
	if (!rc) {
		/* A round of a plan: its earlier rounds, each as its own export. */
		char plan[PARSE_MAX_ID + 1], round[PARSE_MAX_ID + 1];
		rc = store_round_of(st, t->consultation, plan, round);
		if (!rc)
			rc = export_trend_build(st, plan, t->consultation, t->min_cell, t->round_to,
						&r.trend);
		if (rc == SV_ERR_NOTFOUND)
			rc = SV_OK;
	}
	if (!rc)
		rc = r.err;
	if (rc)
		goto out;

	sbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	title_text(out, t->title);
	sbuf_adds(out, "</title><style>");
	sbuf_adds(out, report_css);
	page_css(out, t);
	sbuf_adds(out, "</style></head><body><main><header><p class=\"kicker\">");
	if (t->taxonomy->partnership && *t->taxonomy->partnership) {
		sbuf_adds_html(out, t->taxonomy->partnership);
		sbuf_adds(out, ": ");
	}
	sbuf_adds(out, "what young people told us</p><h1>");
	sbuf_adds_html(out, t->title);
	sbuf_adds(out, "</h1><p>Consultation report, generated ");
	sbuf_adds_html(out, t->generated);
	sbuf_adds(out, " by youthvoice.</p>");
	reading_key(out, t);
	sbuf_adds(out, "</header>"
		  "<nav aria-label=\"Contents\"><h2 class=\"contents\">Contents</h2><ol>"
		  "<li><a href=\"#summary-h\">Summary</a></li>");
	for (size_t k = 0; k < t->nsubtotals; k++) {
		const struct priority *p = t->subtotals[k].priority;
		sbuf_addf(out, "<li><a href=\"#priority-%d\">Priority %d: ", p->number, p->number);
		sbuf_adds_html(out, p->name);
		sbuf_adds(out, "</a></li>");
	}
	if (r.trend && r.trend->nrounds > 1)
		sbuf_adds(out, "<li><a href=\"#rounds-h\">Compared with earlier rounds</a></li>");
	sbuf_adds(out, "<li><a href=\"#quotes\">In their own words</a></li>");
	if (b)
		sbuf_adds(out, "<li><a href=\"#answers\">Who answered the survey, and how</a></li>");
	sbuf_adds(out, "<li><a href=\"#method\">How these numbers were made</a></li></ol></nav>");
	summary(&r, st);
	priorities(&r);
	earlier_rounds(&r);
	own_words(&r);
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
	for (int i = 0; r.coded && i < r.ncoded; i++) {
		if (r.coded[i].text)
			sodium_memzero(r.coded[i].text, strlen(r.coded[i].text));
		free(r.coded[i].text);
	}
	free(r.coded);
	export_trend_free(r.trend);
	return rc;
}
