/*
 * render_yousaid.c - "you said, we did": the public page and the decision
 * log's staff pages (see render_yousaid.h).  The public page has no script
 * and no image, and only the site's one stylesheet, so that it stays small
 * on a slow phone (tests/browser/test_yousaid.sh weighs it).
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "render_yousaid.h"

static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
				      "August", "September", "October", "November", "December" };

/* A day (YYYY-MM-DD) as <time datetime="2026-12-01">1 December 2026</time>. */
static void day_words(struct sbuf *b, const char *day)
{
	int y, m, d;

	if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		sbuf_adds_html(b, day);
		return;
	}
	sbuf_adds(b, "<time datetime=\"");
	sbuf_adds_html(b, day);
	sbuf_addf(b, "\">%d %s %d</time>", d, months[m - 1], y);
}

const char *render_decision_status_words(int status, int for_public)
{
	static const char *const pub[STORE_NSTATUSES] = { "Planned", "Started", "Done",
							  "We can\xe2\x80\x99t do this" };
	static const char *const staff[STORE_NSTATUSES] = { "Planned", "In progress", "Done",
							    "Not possible" };
	if (status < 0 || status >= STORE_NSTATUSES)
		return "";
	return for_public ? pub[status] : staff[status];
}

/* Text kept as typed: a paragraph per line. */
static void lines(struct sbuf *b, const char *cls, const char *lead, const char *t)
{
	sbuf_addf(b, "<p class=\"%s\">", cls);
	if (lead) {
		sbuf_adds(b, "<strong>");
		sbuf_adds(b, lead);
		sbuf_adds(b, "</strong> ");
	}
	while (*t) {
		size_t n = strcspn(t, "\r\n");
		sbuf_add_html(b, t, n);
		t += n;
		int breaks = 0;
		while (*t == '\r' || *t == '\n')
			breaks += *t++ == '\n';
		if (*t && breaks)
			sbuf_adds(b, "<br>");
	}
	sbuf_adds(b, "</p>\n");
}

/* What an entry says, who decided it and when, on the public page (labels
 * for young people) or the staff page: up to the end of the day decided. */
static void entry_words(struct sbuf *b, const struct store_decision *d, int for_public)
{
	lines(b, "said", for_public ? "You said:" : "Young people said:", d->said);
	lines(b, "decided", for_public ? "We decided:" : "Decided:", d->decided);
	sbuf_adds(b, for_public ? "<p><strong>Who decided:</strong> " : "<p><strong>By:</strong> ");
	if (d->by_board)
		sbuf_adds(b, "the partnership board");
	else
		sbuf_adds_html(b, d->lead);
	sbuf_adds(b, ", on ");
	day_words(b, d->decided_on);
}

/* One entry of the log as young people read it. */
static void public_decision(struct sbuf *b, const struct store_decision *d)
{
	sbuf_adds(b, "<li class=\"decision\">\n");
	entry_words(b, d, 1);
	sbuf_addf(b, ".</p>\n<p><strong>Now:</strong> <span class=\"status status-%s\">%s</span>",
		  store_decision_status_name(d->status), render_decision_status_words(d->status, 1));
	sbuf_adds(b, " (updated ");
	day_words(b, d->changed_on);
	sbuf_adds(b, ")</p>\n");
	if (d->status == STORE_NOT_POSSIBLE && d->why[0])
		lines(b, "why", "Why not:", d->why);
	sbuf_adds(b, "</li>\n");
}

/* Priority pr in each round, in plain words: no number but an exact one. */
static void each_time(struct sbuf *b, const struct render_yousaid *y,
		      const struct render_yousaid_priority *pr)
{
	sbuf_adds(b, "<h3>Each time we asked</h3>\n<ul class=\"each-time\">\n");
	for (size_t r = 0; r < y->nrounds; r++) {
		const struct render_yousaid_count *c = &pr->rounds[r];
		sbuf_adds(b, "<li>");
		sbuf_adds_html(b, y->rounds[r]);
		sbuf_adds(b, r + 1 == y->nrounds ? " (this time): " : ": ");
		if (c->kind == RENDER_YOUSAID_EXACT) {
			sbuf_adds(b, "<strong>");
			sbuf_adds_html(b, c->text);
			sbuf_adds(b, strcmp(c->text, "1") == 0 ? "</strong> time" : "</strong> times");
		} else if (c->kind == RENDER_YOUSAID_KEPT) {
			sbuf_adds(b, "we keep this number back");
		} else if (c->kind == RENDER_YOUSAID_NOT_ASKED) {
			sbuf_adds(b, "we did not ask about this then");
		} else {
			sbuf_adds(b, "still adding up");
		}
		sbuf_adds(b, "</li>\n");
	}
	sbuf_adds(b, "</ul>\n");
}

/* "2018, 2021 and 2023": the rounds before this one. */
static void earlier_names(struct sbuf *b, const struct render_yousaid *y)
{
	size_t n = y->nrounds - 1;
	for (size_t r = 0; r < n; r++) {
		sbuf_adds(b, r == 0 ? "" : r + 1 == n ? " and " : ", ");
		sbuf_adds_html(b, y->rounds[r]);
	}
}

void render_yousaid_page(struct sbuf *b, const struct render_yousaid *y)
{
	int trend = y->nrounds > 1 && !y->held;

	render_public_start(b, "You said, we did");
	sbuf_adds(b, "<h1>You said, we did</h1>\n<p class=\"intro\">");
	sbuf_adds_html(b, y->title);
	sbuf_adds(b, "</p>\n<p>Thank you for telling us what matters to you. This page shows what "
		  "you said most, and what we are doing about it.</p>\n");
	if (y->changed[0]) {
		sbuf_adds(b, "<p>We last changed this page on ");
		day_words(b, y->changed);
		sbuf_adds(b, ".</p>\n");
	}
	if (y->held)
		sbuf_adds(b, "<p>We are still adding up what you said. Please come back soon.</p>\n");
	else if (strcmp(y->responses, "0") != 0 && y->responses[0] != '<' && y->responses[0] != '[')
		sbuf_addf(b, "<p>Young people filled in our surveys %s times. We also listened to "
			  "groups and counted stickers at events.</p>\n", y->responses);
	if (trend) {
		sbuf_adds(b, "<p>We asked young people before too, in ");
		earlier_names(b, y);
		sbuf_adds(b, ". Under each part of the plan, &ldquo;Each time we asked&rdquo; shows how "
			  "many times it came up. Different young people answer each time, and not "
			  "always the same number of them.</p>\n");
	}
	sbuf_addf(b, "<p>We never show anything fewer than %d people said, so nobody can be "
		  "picked out.</p>\n", y->min_cell);
	for (size_t p = 0; p < y->npriorities; p++) {
		const struct render_yousaid_priority *pr = &y->priorities[p];
		sbuf_addf(b, "<section class=\"you-said\" aria-labelledby=\"p%d\">\n<h2 id=\"p%d\">", pr->number,
			  pr->number);
		sbuf_adds_html(b, pr->name);
		sbuf_adds(b, "</h2>\n<h3>What you said most</h3>\n");
		if (y->held) {
			sbuf_adds(b, "<p>Still adding up.</p>\n");
		} else if (pr->ntop) {
			sbuf_adds(b, "<ol class=\"said-most\">\n");
			for (int i = 0; i < pr->ntop; i++) {
				sbuf_adds(b, "<li>");
				sbuf_adds_html(b, pr->top[i].name);
				sbuf_adds(b, " \xe2\x80\x93 <strong>");
				sbuf_adds_html(b, pr->top[i].text);
				sbuf_adds(b, "</strong> times</li>\n");
			}
			sbuf_adds(b, "</ol>\n");
		} else {
			sbuf_addf(b, "<p>Not enough people talked about this yet for us to show it.</p>\n");
		}
		if (!y->held && pr->small && pr->ntop)
			sbuf_adds(b, "<p>Some other things came up too. We keep their numbers back so "
				  "nobody can be picked out.</p>\n");
		if (trend)
			each_time(b, y, pr);
		sbuf_adds(b, "<h3>What we are doing</h3>\n");
		if (!pr->ndecisions) {
			sbuf_adds(b, "<p>We have not decided anything here yet. We will tell you on this "
				  "page when we do.</p>\n");
		} else {
			sbuf_adds(b, "<ul class=\"decisions\">\n");
			for (size_t i = 0; i < pr->ndecisions; i++)
				public_decision(b, &pr->decisions[i]);
			sbuf_adds(b, "</ul>\n");
		}
		sbuf_adds(b, "</section>\n");
	}
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/\">See the surveys that are open</a></p>\n");
	render_public_end(b);
}

/* ---- the staff pages ---- */

static void staff_decision(struct sbuf *b, const struct render_decisions *r,
			   const struct store_decision *d)
{
	sbuf_addf(b, "<li class=\"decision\" id=\"d%lld\">\n", d->id);
	entry_words(b, d, 0);
	sbuf_addf(b, ". <strong>Status:</strong> %s, last changed ",
		  render_decision_status_words(d->status, 0));
	day_words(b, d->changed_on);
	sbuf_adds(b, ".</p>\n");
	if (d->status == STORE_NOT_POSSIBLE)
		lines(b, "why", "Why not:", d->why);
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_addf(b, "/decisions/%lld\">Change entry %lld</a></p>\n</li>\n", d->id, d->id);
}

/* The fields of an entry, filled from posted (a refused form) or from d (an
 * entry being changed), or empty. */
static void decision_fields(struct sbuf *b, const struct render_decisions *r,
			    const struct store_decision *d)
{
	const struct form_body *pf = r->posted;
	const struct staff_errors *e = r->errors;
	char number[16];

	snprintf(number, sizeof number, "%d", d ? d->priority : 0);
	const char *prio = staff_posted_or(pf, "priority", d ? number : "");
	render_staff_select_start(b, e, "d-priority", "priority", "Priority");
	for (size_t p = 0; p < r->taxonomy->npriorities; p++) {
		char value[16], label[TAXONOMY_MAX_NAME + 16];
		snprintf(value, sizeof value, "%d", r->taxonomy->priorities[p].number);
		snprintf(label, sizeof label, "%d. %s", r->taxonomy->priorities[p].number,
			 r->taxonomy->priorities[p].name);
		render_staff_option(b, value, label, strcmp(prio, value) == 0);
	}
	render_staff_select_end(b);
	render_staff_input(b, e, "textarea", "d-said", "said", "What young people said",
			   "In their words where you can: up to 600 characters. Young people read this.",
			   staff_posted_or(pf, "said", d ? d->said : NULL), NULL);
	render_staff_input(b, e, "textarea", "d-decided", "decided", "What was decided",
			   "Short sentences a 10-year-old understands: up to 600 characters.",
			   staff_posted_or(pf, "decided", d ? d->decided : NULL), NULL);
	const char *by = staff_posted_or(pf, "by", d ? (d->by_board ? "board" : "lead") : "");
	int bad = staff_errors_for(e, "d-by-board") != NULL;
	render_staff_field_start(b, e, "d-by-board", "Who decided", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	render_staff_choice(b, "radio", "d-by-board", "by", "board", "The partnership board",
			    strcmp(by, "board") == 0, bad);
	render_staff_choice(b, "radio", "d-by-lead", "by", "lead", "A lead (name them below)",
			    strcmp(by, "lead") == 0, bad);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	render_staff_input(b, e, "text", "d-lead", "lead", "The lead who decided",
			   "Their role, such as \xe2\x80\x9cHead of Early Help\xe2\x80\x9d: up to 120 "
			   "characters. Leave empty when the board decided.",
			   staff_posted_or(pf, "lead", d ? d->lead : NULL), NULL);
	const char *status = staff_posted_or(pf, "status", d ? store_decision_status_name(d->status) : "planned");
	bad = staff_errors_for(e, "d-status-planned") != NULL;
	render_staff_field_start(b, e, "d-status-planned", "Where it stands", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	for (int s = 0; s < STORE_NSTATUSES; s++) {
		char id[32];
		snprintf(id, sizeof id, "d-status-%s", store_decision_status_name(s));
		render_staff_choice(b, "radio", id, "status", store_decision_status_name(s),
				    render_decision_status_words(s, 0),
				    strcmp(status, store_decision_status_name(s)) == 0, bad);
	}
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	render_staff_input(b, e, "textarea", "d-why", "why", "Why it is not possible",
			   "Needed when it is not possible: up to 600 characters. Young people read this.",
			   staff_posted_or(pf, "why", d ? d->why : NULL), NULL);
	render_staff_input(b, e, "date", "d-decided-on", "decided_on", "The day it was decided",
			   "As YYYY-MM-DD. A day only: never a time.",
			   staff_posted_or(pf, "decided_on", d ? d->decided_on : NULL), NULL);
}

void render_decisions_page(struct sbuf *b, const struct render_decisions *r)
{
	sbuf_adds(b, "<h1>You said, we did: ");
	sbuf_adds_html(b, r->title);
	sbuf_adds(b, "</h1>\n<p>The decision log of this consultation: for each priority, what young "
		  "people said, what was decided, who decided and where it stands. Every change is "
		  "kept in the audit log. Young people see it on the public page, with the top themes "
		  "they raised (small numbers hidden as in every export).</p>\n<h2>The public page</h2>\n");
	if (r->published) {
		sbuf_adds(b, "<p>Published since ");
		day_words(b, r->published_day);
		sbuf_adds(b, " at <a href=\"/results/");
		sbuf_adds_html(b, r->consultation);
		sbuf_adds(b, "\">");
		sbuf_adds_html(b, r->public_url);
		sbuf_adds(b, "</a>. Survey thanks pages and posters link to it.</p>\n");
	} else {
		sbuf_adds(b, "<p>Not published: its address answers \xe2\x80\x9cnot found\xe2\x80\x9d "
			  "until you publish it.</p>\n");
	}
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/publish\">");
	render_staff_csrf(b, r->csrf);
	sbuf_addf(b, "<input type=\"hidden\" name=\"published\" value=\"%d\"><button type=\"submit\" "
		  "class=\"button%s\">%s</button></form>\n", !r->published,
		  r->published ? " button-warning" : "", r->published ? "Withdraw the public page" :
		  "Publish the public page");
	sbuf_adds(b, "<h2>Evidence</h2>\n<p><a class=\"nav-link\" href=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/decisions.csv\">The decision log as CSV</a><br><a class=\"nav-link\" "
		  "href=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/decisions.json\">The decision log as JSON</a></p>\n");
	for (size_t p = 0; p < r->taxonomy->npriorities; p++) {
		const struct priority *pr = &r->taxonomy->priorities[p];
		sbuf_addf(b, "<h2>%d. ", pr->number);
		sbuf_adds_html(b, pr->name);
		sbuf_adds(b, "</h2>\n");
		size_t shown = 0;
		for (size_t i = 0; i < r->nitems; i++) {
			if (r->items[i].priority != pr->number)
				continue;
			if (!shown++)
				sbuf_adds(b, "<ul class=\"decisions\">\n");
			staff_decision(b, r, &r->items[i]);
		}
		sbuf_adds(b, shown ? "</ul>\n" : "<p>No entries yet.</p>\n");
	}
	sbuf_adds(b, "<h2 id=\"add\">Add an entry</h2>\n<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/decisions\" novalidate>");
	render_staff_csrf(b, r->csrf);
	decision_fields(b, r, NULL);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add the entry</button></form>\n");
}

void render_decision_edit(struct sbuf *b, const struct render_decisions *r)
{
	const struct store_decision *d = r->editing;

	sbuf_addf(b, "<h1>Change entry %lld</h1>\n<p>Of the decision log of ", d->id);
	sbuf_adds_html(b, r->title);
	sbuf_adds(b, ". Last changed ");
	day_words(b, d->changed_on);
	sbuf_adds(b, ". Saving it marks it changed today, on the public page too.</p>\n"
		  "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_addf(b, "/decisions/%lld\" novalidate>", d->id);
	render_staff_csrf(b, r->csrf);
	decision_fields(b, r, d);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Save the changes</button></form>\n"
		  "<p><a class=\"nav-link\" href=\"/staff/consultations/");
	sbuf_adds_html(b, r->consultation);
	sbuf_adds(b, "/decisions\">Back to the decision log</a></p>\n");
}
