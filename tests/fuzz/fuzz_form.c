/*
 * fuzz_form.c - libFuzzer target for forms/: the survey definition loader
 * and what a respondent's answers go through.
 *
 * The first byte picks the mode.  Even: the rest is a survey definition
 * (form_survey_parse against the real catalogue in forms/, or $YV_FORMS),
 * which must either load within the limits of form.h or be refused with a
 * message.  Odd: the rest is a form body POSTed to one of the real surveys:
 * parsed, read as answers, rendered on every page (the HTML must never carry
 * markup from the input), and turned into the sealed payload, which must be
 * valid JSON.  Run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../core/scrub.h"
#include "../../forms/form.h"
#include "../../forms/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct form_catalog *catalog;

static void load_catalog(void)
{
	const char *dir = getenv("YV_FORMS");
	char err[600];

	if (scrub_init() != SV_OK ||
	    form_catalog_load(dir ? dir : "forms", &catalog, err, sizeof err) != SV_OK) {
		fprintf(stderr, "fuzz_form: cannot load the forms folder: %s\n", err);
		abort();
	}
}

static void definition(const char *text, size_t len)
{
	struct form_survey s;
	char err[600] = "";

	if (form_survey_parse(text, len, "fuzz.json", catalog, &s, err, sizeof err) != SV_OK) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return;
	}
	if (s.nquestions < 1 || s.nquestions > FORM_MAX_QUESTIONS || s.npages < 1 ||
	    s.npages > FORM_MAX_PAGES || s.nlangs < 1 || s.nlangs > FORM_MAX_LANGS || !s.consultation)
		abort();
	for (int i = 0; i < s.nquestions; i++) {
		const struct form_question *q = &s.questions[i];
		if (q->noptions > FORM_MAX_OPTIONS || q->page < 0 || q->page >= s.npages ||
		    q->show_if_question >= i)
			abort();
	}
	struct sbuf b;
	sbuf_init(&b, 64 * 1024);
	form_survey_fields(&s, &b);
	cJSON *doc = b.err ? NULL : cJSON_Parse(b.buf);
	if (!b.err && !cJSON_IsArray(doc))
		abort();
	cJSON_Delete(doc);
	sbuf_free(&b);
	form_survey_reset(&s);
}

/* 1 if every "<script" in html is the one the renderer adds for respond.js. */
static int only_our_script(const char *html)
{
	static const char ours[] = "<script src=\"/static/respond.js\"></script>";

	for (const char *p = strstr(html, "<script"); p; p = strstr(p + 1, "<script"))
		if (strncmp(p, ours, sizeof ours - 1) != 0)
			return 0;
	return 1;
}

static void answers(const struct form_survey *s, const char *body, size_t len)
{
	struct form_body fb;
	struct form_answers *a = malloc(sizeof *a);
	const char *why;
	struct sbuf b;

	if (!a)
		abort();
	if (form_body_parse(body, len, &fb, &why) != SV_OK) {
		free(a);
		return;
	}
	if (form_answers_read(s, &fb, a, &why) == SV_OK) {
		const struct taxonomy *tax = s->consultation->taxonomy;
		int themes[TAXONOMY_MAX_THEMES];
		int n = form_answers_themes(s, tax, a, themes);
		if (n < 0 || (size_t)n > tax->nthemes)
			abort();
		for (int page = 0; page <= s->npages; page++) {
			struct render_form f = { .s = s, .lang = page % s->nlangs, .answers = a,
						 .page = page, .token = "00" };
			sbuf_init(&b, RENDER_MAX_PAGE);
			render_survey(&b, &f);
			/* Respondent pages hold no script but our own respond.js,
			 * and input never becomes markup. */
			if (!b.err && (!only_our_script(b.buf) || strstr(b.buf, "<x") || strstr(b.buf, "<X")))
				abort();
			sbuf_free(&b);
		}
		sbuf_init(&b, 4 * 1024 * 1024);
		form_answers_payload(s, a, &b);
		if (!b.err) {
			cJSON *doc = cJSON_Parse(b.buf);
			if (!cJSON_IsObject(doc))
				abort();
			cJSON_Delete(doc);
		}
		sbuf_free(&b);
	}
	form_body_free(&fb);
	free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!catalog)
		load_catalog();
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0)
		definition((const char *)data + 1, size - 1);
	else
		answers(catalog->surveys[(data[0] / 2) % catalog->nsurveys], (const char *)data + 1, size - 1);
	return 0;
}
