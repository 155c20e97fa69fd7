/*
 * test_render_analyse.c - forms/render_analyse: a suggestion's confidence
 * is never shown as certain (1% to 99%, RENDER_ANALYSE_MIN_PERCENT and
 * _MAX_PERCENT), whatever the classifier says; and a session whose memory
 * the system would not lock says so on the answer page and the end page,
 * as one without the sentence model says its suggestions rest on words.
 */
#include <stdio.h>
#include <string.h>

#include "../../forms/render_analyse.h"
#include "check.h"

static char one_name[] = "One";
static struct priority prios[] = { { 1, one_name } };
static char ids[4][8] = { "a", "b", "c", "d" };
static char names[4][8] = { "Alpha", "Beta", "Gamma", "Delta" };
static struct theme themes[4] = {
	{ ids[0], names[0], { 1 }, 1, NULL, 0 },
	{ ids[1], names[1], { 1 }, 1, NULL, 0 },
	{ ids[2], names[2], { 1 }, 1, NULL, 0 },
	{ ids[3], names[3], { 1 }, 1, NULL, 0 },
};
static struct taxonomy tax = { prios, 1, themes, 4, NULL };

/* The answer page with these confidences (and unlocked), into b. */
static void page(struct sbuf *b, const double conf[4], int unlocked)
{
	static const unsigned char checked[4] = { 0 };
	struct render_analyse_answer r = {
		.consultation = "cyp-plan-2027", .title = "Plan", .csrf = "c0ffee", .pass = 1,
		.position = 1, .total = 3, .coded = 0, .question = "Tell us", .text = "More buses",
		.text_len = 10, .tax = &tax, .checked = checked, .suggested = conf, .ends = "14:52 UTC",
		.unlocked = unlocked,
	};
	sbuf_init(b, 1 << 20);
	render_analyse_answer_page(b, &r, NULL);
}

static void test_confidence(void)
{
	/* Certain, rounds to certain, ordinary, rounds to nothing. */
	const double conf[4] = { 1.0, 0.996, 0.72, 0.001 };
	struct sbuf b;

	page(&b, conf, 0);
	CHECK(b.err == SV_OK && b.buf);
	if (!b.buf)
		return;
	CHECK(strstr(b.buf, "Alpha <strong class=\"suggested\">suggested, 99%</strong>") != NULL);
	CHECK(strstr(b.buf, "Beta <strong class=\"suggested\">suggested, 99%</strong>") != NULL);
	CHECK(strstr(b.buf, "Gamma <strong class=\"suggested\">suggested, 72%</strong>") != NULL);
	CHECK(strstr(b.buf, "Delta <strong class=\"suggested\">suggested, 1%</strong>") != NULL);
	CHECK(strstr(b.buf, "100%") == NULL);
	CHECK(strstr(b.buf, "suggested, 0%") == NULL);
	CHECK(strstr(b.buf, "id=\"unlocked\"") == NULL);   /* locked: no warning */
	sbuf_free(&b);

	/* Not suggested: no confidence at all. */
	const double none[4] = { -1, -1, -1, -1 };
	page(&b, none, 0);
	CHECK(b.buf && strstr(b.buf, "suggested, ") == NULL);
	sbuf_free(&b);
}

/*
 * The words a suggestion leans on, as typed and escaped, after its
 * confidence; none for a theme not suggested; a span outside the answer
 * skipped.
 */
static void test_why(void)
{
	static const unsigned char checked[4] = { 0 };
	const char *text = "Buses <b>never</b> come";
	const double conf[4] = { 0.8, 0.5, -1, 0.4 };
	struct render_analyse_why why[4] = {
		{ 2, { { 0, 5, 4.0 }, { 6, 14, 2.0 } } },   /* "Buses", "<b>never" */
		{ 0, { { 0, 0, 0 } } },                    /* suggested from no word alone */
		{ 1, { { 0, 5, 4.0 } } },                  /* not suggested: not shown */
		{ 2, { { 19, 40, 3.0 }, { 5, 5, 1.0 } } }, /* outside the text; empty */
	};
	struct render_analyse_answer r = {
		.consultation = "cyp-plan-2027", .title = "Plan", .csrf = "c0ffee", .pass = 1,
		.position = 1, .total = 3, .question = "Tell us", .text = text, .text_len = strlen(text),
		.tax = &tax, .checked = checked, .suggested = conf, .why = why, .ends = "14:52 UTC",
	};
	struct sbuf b;

	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.err == SV_OK && b.buf);
	if (!b.buf)
		return;
	CHECK(strstr(b.buf, "Alpha <strong class=\"suggested\">suggested, 80%</strong><span class=\"why\">, "
			    "from \xe2\x80\x9c" "Buses\xe2\x80\x9d, \xe2\x80\x9c&lt;b&gt;never\xe2\x80\x9d</span>"
			    "</label>") != NULL);
	CHECK(strstr(b.buf, "Beta <strong class=\"suggested\">suggested, 50%</strong></label>") != NULL);
	CHECK(strstr(b.buf, "Gamma</label>") != NULL);
	CHECK(strstr(b.buf, "Delta <strong class=\"suggested\">suggested, 40%</strong></label>") != NULL);
	CHECK(strstr(b.buf, "<b>") == NULL);
	sbuf_free(&b);
}

/* How the suggestions have done: on the main coding's pages once anything is counted. */
static void test_so_far(void)
{
	static const unsigned char checked[4] = { 0 };
	const double none[4] = { -1, -1, -1, -1 };
	struct render_analyse_answer r = {
		.consultation = "cyp-plan-2027", .title = "Plan", .csrf = "c0ffee", .pass = 1,
		.position = 1, .total = 3, .question = "Tell us", .text = "More buses", .text_len = 10,
		.tax = &tax, .checked = checked, .suggested = none, .ends = "14:52 UTC",
		.suggested_total = 60, .kept = 41, .added = 12,
	};
	const char *line = "<p id=\"so-far\">Suggested themes kept so far: 41 of 60. Themes chosen that "
			   "were not suggested: 12.</p>";
	struct sbuf b;

	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, line) != NULL);
	sbuf_free(&b);
	sbuf_init(&b, 1 << 20);
	render_analyse_done_page(&b, &r);
	CHECK(b.buf && strstr(b.buf, line) != NULL);
	sbuf_free(&b);
	/* Only themes chosen so far, none suggested: still said. */
	r.suggested_total = r.kept = 0;
	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "kept so far: 0 of 0. Themes chosen that were not suggested: 12.") != NULL);
	sbuf_free(&b);
	/* Nothing counted yet, or the blind sample (no suggestions there): not said. */
	r.added = 0;
	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "so-far") == NULL);
	sbuf_free(&b);
	r.pass = 2, r.suggested_total = 60, r.kept = 41, r.added = 12;
	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "so-far") == NULL);
	sbuf_free(&b);
}

static void test_unlocked(void)
{
	const double none[4] = { -1, -1, -1, -1 };
	struct sbuf b;

	page(&b, none, 1);
	CHECK(b.buf && strstr(b.buf, "<div class=\"notice\" role=\"alert\" id=\"unlocked\"><p><strong>"
			       "Warning:</strong> this server could not lock the memory") != NULL);
	sbuf_free(&b);

	struct render_analyse_answer done = { .consultation = "cyp-plan-2027", .title = "Plan",
					      .csrf = "c0ffee", .pass = 1, .total = 3, .coded = 3,
					      .unlocked = 1 };
	sbuf_init(&b, 1 << 20);
	render_analyse_done_page(&b, &done);
	CHECK(b.buf && strstr(b.buf, "id=\"unlocked\"") != NULL);
	sbuf_free(&b);
	done.unlocked = 0;
	sbuf_init(&b, 1 << 20);
	render_analyse_done_page(&b, &done);
	CHECK(b.buf && strstr(b.buf, "id=\"unlocked\"") == NULL);
	sbuf_free(&b);
}

/* Without the sentence model the main coding says its suggestions rest on words alone; the blind pass shows none. */
static void test_words_only(void)
{
	static const unsigned char checked[4] = { 0 };
	const double none[4] = { -1, -1, -1, -1 };
	struct render_analyse_answer r = {
		.consultation = "cyp-plan-2027", .title = "Plan", .csrf = "c0ffee", .pass = 1,
		.position = 1, .total = 3, .question = "Tell us", .text = "More buses", .text_len = 10,
		.tax = &tax, .checked = checked, .suggested = none, .ends = "14:52 UTC", .words_only = 1,
	};
	struct sbuf b;

	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "<p class=\"notice\" id=\"words-only\">Suggestions come from the "
			       "answers' words alone") != NULL);
	sbuf_free(&b);
	r.pass = 2;
	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "words-only") == NULL);
	sbuf_free(&b);
	r.pass = 1;
	r.words_only = 0;
	sbuf_init(&b, 1 << 20);
	render_analyse_answer_page(&b, &r, NULL);
	CHECK(b.buf && strstr(b.buf, "words-only") == NULL);
	sbuf_free(&b);
}

int main(void)
{
	test_confidence();
	test_why();
	test_so_far();
	test_unlocked();
	test_words_only();
	return CHECK_DONE();
}
