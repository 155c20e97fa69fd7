/*
 * render_analyse.c - the analysis pages (see render_analyse.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_analyse.h"

/* The start of a form posting to .../analyse/ACTION. */
static void form_start(struct sbuf *b, const char *consultation, const char *action, const char *csrf)
{
	sbuf_adds(b, "<form method=\"post\" action=\"/staff/consultations/");
	sbuf_adds_html(b, consultation);
	sbuf_adds(b, "/analyse/");
	sbuf_adds(b, action);
	sbuf_adds(b, "\" novalidate>");
	render_staff_csrf(b, csrf);
}

static void base_link(struct sbuf *b, const char *consultation, const char *rest)
{
	sbuf_adds(b, "/staff/consultations/");
	sbuf_adds_html(b, consultation);
	sbuf_adds(b, "/analyse");
	sbuf_adds(b, rest);
}

/* The warning on every page of a session whose memory the system would not
 * lock (survey-server/analyse.c says so in the server log too). */
static void unlocked_warning(struct sbuf *b, int unlocked)
{
	if (unlocked)
		sbuf_adds(b, "<div class=\"notice\" role=\"alert\" id=\"unlocked\"><p><strong>Warning:</strong> "
			  "this server could not lock the memory holding the key and the answers, so "
			  "they could be written to its swap space on disk. Ask the server's "
			  "administrator to raise its memory-lock limit, or end the analysis.</p></div>\n");
}

/* "End analysis": wipes the keys and the answers from memory. */
static void end_button(struct sbuf *b, const char *consultation, const char *csrf)
{
	form_start(b, consultation, "end", csrf);
	sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">End analysis</button></form>\n");
}

void render_analyse_open_page(struct sbuf *b, const struct render_analyse_open *r,
			      const struct staff_errors *e)
{
	sbuf_adds(b, "<h1>Analyse answers: ");
	sbuf_adds_html(b, r->title);
	sbuf_adds(b, "</h1>\n");
	if (r->notice) {
		sbuf_adds(b, "<div class=\"notice\" role=\"status\"><p>");
		sbuf_adds_html(b, r->notice);
		sbuf_adds(b, "</p></div>\n");
	}
	sbuf_addf(b, "<p>Code young people's own words into the consultation's themes, one answer "
		  "at a time. Type the passphrase of the secret key to open the answers. The key and "
		  "the answers stay in this server's locked memory for this analysis only, never on "
		  "disk. Analysis ends when you choose \xe2\x80\x9c" "End analysis\xe2\x80\x9d, when you "
		  "sign out, or after %ld minutes without use. One person can analyse at a time.</p>\n",
		  r->idle_minutes);
	form_start(b, r->consultation, "open", r->csrf);
	render_staff_input(b, e, "password", "a-passphrase", "passphrase", "Passphrase of the secret key",
			   NULL, NULL, " autocomplete=\"current-password\" autofocus");
	render_staff_field_start(b, e, "a-pass-main", "What to code", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	render_staff_choice(b, "radio", "a-pass-main", "pass", "1", "Code the answers (the main coding)",
			    !r->second, 0);
	render_staff_choice(b, "radio", "a-pass-second", "pass", "2", "Code the agreement sample blind "
			    "(a second analyst: you will not see the first codes)", r->second, 0);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Open the answers</button></form>\n");
}

/* A suggestion's confidence as shown: a whole per cent from 1 to 99.  The
 * classifier's own figure can round to 100% (or 0%), but a suggestion from
 * seed words and a few hundred codes is never certain, and the page must not
 * say it is: the analyst decides. */
static int shown_percent(double confidence)
{
	long pc = lround(confidence * 100);
	return pc < RENDER_ANALYSE_MIN_PERCENT ? RENDER_ANALYSE_MIN_PERCENT :
		pc > RENDER_ANALYSE_MAX_PERCENT ? RENDER_ANALYSE_MAX_PERCENT : (int)pc;
}

/*
 * The words of the answer a suggestion leans on, as written: ", from
 * “camhs”, “waiting”".  A span outside the text is skipped.
 */
static void why_words(struct sbuf *b, const struct render_analyse_answer *r,
		      const struct render_analyse_why *w)
{
	int shown = 0;

	for (int k = 0; k < w->n && k < CLASSIFY_MAX_REASONS; k++) {
		const struct classify_reason *word = &w->word[k];
		if (word->from >= word->to || word->to > r->text_len)
			continue;
		sbuf_adds(b, shown++ ? ", \xe2\x80\x9c" : "<span class=\"why\">, from \xe2\x80\x9c");
		sbuf_add_html(b, r->text + word->from, word->to - word->from);
		sbuf_adds(b, "\xe2\x80\x9d");
	}
	if (shown)
		sbuf_adds(b, "</span>");
}

/*
 * How the suggestions have done in this session, in the main coding once
 * anything is counted: "Suggested themes kept so far: 41 of 60.  Themes
 * chosen that were not suggested: 12."
 */
static void suggestions_so_far(struct sbuf *b, const struct render_analyse_answer *r)
{
	if (r->pass != 1 || (r->suggested_total <= 0 && r->added <= 0))
		return;
	sbuf_addf(b, "<p id=\"so-far\">Suggested themes kept so far: %lld of %lld. Themes chosen "
		  "that were not suggested: %lld.</p>\n", r->kept, r->suggested_total, r->added);
}

/* A theme's check box: its name, the priorities it also sits under, and a
 * suggestion with its confidence (shown_percent). */
static void theme_box(struct sbuf *b, const struct render_analyse_answer *r, size_t t, int first)
{
	const struct theme *th = &r->tax->themes[t];
	char id[80];

	snprintf(id, sizeof id, "t-%s", th->id);
	sbuf_adds(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\" name=\"themes[]\" value=\"");
	sbuf_adds_html(b, th->id);
	sbuf_adds(b, "\"");
	if (r->checked[t])
		sbuf_adds(b, " checked");
	if (first)
		sbuf_adds(b, " autofocus");
	sbuf_adds(b, "><label for=\"");
	sbuf_adds_html(b, id);
	sbuf_adds(b, "\">");
	sbuf_adds_html(b, th->name);
	for (int p = 1; p < th->npriorities; p++)
		sbuf_addf(b, " (also priority %d)", th->priorities[p]);
	if (r->suggested && r->suggested[t] >= 0) {
		sbuf_addf(b, " <strong class=\"suggested\">suggested, %d%%</strong>",
			  shown_percent(r->suggested[t]));
		if (r->why)
			why_words(b, r, &r->why[t]);
	}
	sbuf_adds(b, "</label></div>");
}

static void one_box(struct sbuf *b, const char *id, const char *name, const char *label, int checked,
		    const struct staff_errors *e)
{
	render_staff_choice(b, "checkbox", id, name, "1", label, checked, staff_errors_for(e, id) != NULL);
}

void render_analyse_answer_page(struct sbuf *b, const struct render_analyse_answer *r,
				const struct staff_errors *e)
{
	char place[64];

	sbuf_adds(b, "<h1>");
	sbuf_adds(b, r->pass == 2 ? "Agreement sample: " : "Analyse answers: ");
	sbuf_adds_html(b, r->title);
	sbuf_addf(b, "</h1>\n<p class=\"progress\" id=\"progress\">%lld of %lld coded. This is answer "
		  "%lld.</p>\n", r->coded, r->total, r->position);
	suggestions_so_far(b, r);
	unlocked_warning(b, r->unlocked);
	if (r->pass == 1 && r->words_only)
		sbuf_adds(b, "<p class=\"notice\" id=\"words-only\">Suggestions come from the answers' "
			  "words alone: this server could not read its sentence model, so they are "
			  "less often right. The server's log says why.</p>\n");
	sbuf_adds(b, "<p><a class=\"nav-link\" href=\"#save\">Skip to the save button</a></p>\n");
	sbuf_adds(b, "<h2 id=\"answer-heading\">The answer</h2>\n<p class=\"hint\">To the question \xe2\x80\x9c");
	sbuf_adds_html(b, r->question);
	sbuf_adds(b, "\xe2\x80\x9d. Contact details were taken out when it was sent.</p>\n"
		  "<blockquote class=\"answer-text\"><p>");
	sbuf_add_html(b, r->text, r->text_len);
	sbuf_adds(b, "</p></blockquote>\n");
	if (r->coded_already)
		sbuf_adds(b, "<p>It is coded already: saving changes its code.</p>\n");
	form_start(b, r->consultation, "code", r->csrf);
	snprintf(place, sizeof place, "%lld", r->position);
	sbuf_adds(b, "<input type=\"hidden\" name=\"answer\" value=\"");
	sbuf_adds(b, place);
	sbuf_adds(b, "\">");
	/* Enter in any box submits with the first submit button: Save and next. */
	sbuf_adds(b, "<fieldset class=\"group\"><legend class=\"question-title\">Themes</legend>\n");
	if (r->pass == 1)
		sbuf_adds(b, "<p class=\"hint\">Suggested themes are marked with how sure the suggestion "
			  "is and the words of the answer it comes from most; they are not ticked "
			  "until you tick them.</p>\n");
	int first = 1;
	for (size_t p = 0; p < r->tax->npriorities; p++) {
		const struct priority *pr = &r->tax->priorities[p];
		int any = 0;
		for (size_t t = 0; t < r->tax->nthemes; t++) {
			if (r->tax->themes[t].priorities[0] != pr->number)
				continue;
			if (!any++) {
				sbuf_addf(b, "<h3 class=\"priority-heading\">%d. ", pr->number);
				sbuf_adds_html(b, pr->name);
				sbuf_adds(b, "</h3>\n<div class=\"choices\">");
			}
			theme_box(b, r, t, first);
			first = 0;
		}
		if (any)
			sbuf_adds(b, "</div>\n");
	}
	sbuf_adds(b, "</fieldset>\n");
	render_staff_field_start(b, e, "a-none", "Or mark it", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	one_box(b, "a-none", "none", "No theme", r->none, e);
	one_box(b, "a-follow", "follow", "Needs follow-up", r->follow, e);
	one_box(b, "a-quote", "quote", "Quote for the report", r->quote, e);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	render_staff_field_start(b, e, "a-names", "Before quoting",
				 "Needed for a quote: the scrubber takes out contact details, not names.", 1);
	sbuf_adds(b, "<div class=\"choices\">");
	one_box(b, "a-names", "names_checked", "I have checked it holds no names", r->names_checked, e);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<div class=\"buttons\"><button type=\"submit\" class=\"button\" id=\"save\">Save and "
		  "next</button></div></form>\n<nav aria-label=\"Answers\"><ul class=\"links\">");
	if (r->position > 1) {
		sbuf_addf(b, "<li><a class=\"nav-link\" href=\"");
		base_link(b, r->consultation, "");
		sbuf_addf(b, "?answer=%lld\">Previous answer (%lld)</a></li>", r->position - 1, r->position - 1);
	}
	if (r->position < r->total) {
		sbuf_addf(b, "<li><a class=\"nav-link\" href=\"");
		base_link(b, r->consultation, "");
		sbuf_addf(b, "?answer=%lld\">Next answer without saving (%lld)</a></li>", r->position + 1,
			  r->position + 1);
	}
	sbuf_adds(b, "<li><a class=\"nav-link\" href=\"");
	base_link(b, r->consultation, "/agreement");
	sbuf_adds(b, "\">Agreement between analysts</a></li></ul></nav>\n");
	sbuf_adds(b, "<form method=\"get\" action=\"");
	base_link(b, r->consultation, "");
	sbuf_addf(b, "\"><div class=\"group\"><label class=\"label\" for=\"a-goto\">Go to answer number (1 "
		  "to %lld)</label><input id=\"a-goto\" name=\"answer\" type=\"text\" inputmode=\"numeric\" "
		  "size=\"6\"></div><button type=\"submit\" class=\"button button-secondary\">Go to the "
		  "answer</button></form>\n", r->total);
	sbuf_adds(b, "<h2>End analysis</h2>\n<p>Ending wipes the key and the answers from memory. ");
	if (r->ends) {
		sbuf_adds(b, "Left idle, it ends by ");
		sbuf_adds_html(b, r->ends);
		sbuf_adds(b, ".");
	}
	sbuf_adds(b, "</p>\n");
	end_button(b, r->consultation, r->csrf);
}

void render_analyse_done_page(struct sbuf *b, const struct render_analyse_answer *r)
{
	sbuf_adds(b, "<h1>");
	sbuf_adds(b, r->pass == 2 ? "Agreement sample coded: " : "All answers coded: ");
	sbuf_adds_html(b, r->title);
	sbuf_addf(b, "</h1>\n<p class=\"progress\" id=\"progress\">%lld of %lld coded.</p>\n", r->coded,
		  r->total);
	suggestions_so_far(b, r);
	unlocked_warning(b, r->unlocked);
	if (r->total == 0)
		sbuf_adds(b, "<p>There are no answers to code here: none in words yet, or (in the "
			  "agreement sample) only answers you coded yourself.</p>\n");
	sbuf_adds(b, "<ul class=\"links\">");
	if (r->total > 0) {
		sbuf_adds(b, "<li><a class=\"nav-link\" href=\"");
		base_link(b, r->consultation, "");
		sbuf_adds(b, "?answer=1\">Go back to the first answer to change a code</a></li>");
	}
	sbuf_adds(b, "<li><a class=\"nav-link\" href=\"");
	base_link(b, r->consultation, "/agreement");
	sbuf_adds(b, "\">Agreement between analysts</a></li></ul>\n");
	end_button(b, r->consultation, r->csrf);
}

void render_analyse_agreement_page(struct sbuf *b, const struct render_analyse_agreement *r)
{
	sbuf_adds(b, "<h1>Agreement between analysts: ");
	sbuf_adds_html(b, r->title);
	sbuf_addf(b, "</h1>\n<p>A second analyst codes a sample of the answers without seeing the first "
		  "codes. Cohen's kappa says how far the two agree beyond chance: 1 is full agreement, 0 "
		  "no better than chance. Answers both analysts coded: <strong id=\"both\">%lld</strong> "
		  "(of %lld in the sample).</p>\n", r->both, r->sample);
	if (isnan(r->overall))
		sbuf_adds(b, "<p>Overall kappa: <strong id=\"overall\">not defined yet</strong> (no answer "
			  "coded by both, or every code the same).</p>\n");
	else
		sbuf_addf(b, "<p>Overall kappa (the themes pooled): <strong id=\"overall\">%.2f</strong>"
			  "</p>\n", r->overall);
	sbuf_adds(b, "<section class=\"table-scroll\" aria-labelledby=\"kappa-caption\" "
		  "tabindex=\"0\"><table class=\"totals\"><caption id=\"kappa-caption\">Kappa per theme"
		  "</caption><thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Kappa</th>"
		  "<th scope=\"col\">Answers the first gave it</th><th scope=\"col\">The second</th>"
		  "</tr></thead><tbody>\n");
	for (size_t t = 0; t < r->tax->nthemes; t++) {
		sbuf_adds(b, "<tr><th scope=\"row\">");
		sbuf_adds_html(b, r->tax->themes[t].name);
		sbuf_adds(b, "</th><td id=\"k-");
		sbuf_adds_html(b, r->tax->themes[t].id);
		if (isnan(r->kappa[t]))
			sbuf_adds(b, "\">not defined</td>");
		else
			sbuf_addf(b, "\">%.2f</td>", r->kappa[t]);
		sbuf_addf(b, "<td>%lld</td><td>%lld</td></tr>\n", r->first[t], r->second[t]);
	}
	sbuf_adds(b, "</tbody></table></section>\n<p><a class=\"nav-link\" href=\"");
	base_link(b, r->consultation, "");
	sbuf_adds(b, "\">Back to coding</a></p>\n");
	end_button(b, r->consultation, r->csrf);
}
