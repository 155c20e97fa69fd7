/*
 * test_flow.c - forms/flow (the steps of a survey worked out from earlier
 * answers) and core/draft (the encrypted drafts behind Post/Redirect/Get).
 *
 * flow: on your-area, the young-carer follow-up is part of page 2 (for
 * in-place reveal) and of its follow-up step only when "yes"; Continue goes
 * to the follow-up step without JavaScript, not when it was revealed in
 * place or answered; Back from a follow-up returns to its page; a page whose
 * questions are all hidden (a condition on an earlier page) is skipped both
 * ways; errors are kept to what the step shows; the first step with an error;
 * honest progress counts.  draft: a draft reads back whole; another key,
 * another scope, a malformed key, an expired draft find nothing; the box
 * holds no plain text; sending a journey wipes its drafts and leaves the
 * "sent" mark; a full store refuses (the caller answers directly).  Run from
 * the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../core/draft.h"
#include "../../forms/flow.h"
#include "check.h"

static int read_answers(const struct form_survey *s, const char *body, struct form_body *fb,
			struct form_answers *a)
{
	const char *why = NULL;

	memset(a, 0, sizeof *a);
	if (form_body_parse(body, strlen(body), fb, &why) != SV_OK)
		return -1;
	return form_answers_read(s, fb, a, &why) == SV_OK ? 0 : -1;
}

static int qindex(const struct form_survey *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return i;
	return -1;
}

#define STEP(p, f) ((struct flow_step){ (p), (f) })
#define SAME(a, b) ((a).page == (b).page && (a).follow == (b).follow)

static void test_your_area(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	int young = qindex(s, "young-carer"), help = qindex(s, "carer-help");
	int first, last, total;

	CHECK(young >= 0 && help >= 0);
	if (young < 0 || help < 0)
		return;
	CHECK(flow_is_follow_up(s, help));
	CHECK(!flow_is_follow_up(s, young));
	/* A blank form: page 2 holds both (the follow-up for in-place reveal). */
	CHECK(flow_on_step(s, NULL, STEP(1, 0), young));
	CHECK(flow_on_step(s, NULL, STEP(1, 0), help));
	CHECK(!flow_on_step(s, NULL, STEP(1, 1), help));
	CHECK(!flow_on_step(s, NULL, STEP(0, 0), help));
	flow_progress(s, NULL, STEP(0, 0), &first, &last, &total);
	CHECK(first == 1 && last == 1 && total == 6);

	/* "no": the follow-up is hidden, dropped, and Continue goes to page 3. */
	CHECK(read_answers(s, "feel-safe=3&young-carer=no&carer-help=talk", &fb, &a) == 0);
	CHECK(a.items[help].value == NULL);
	CHECK(!flow_on_step(s, &a, STEP(1, 1), help));
	CHECK(SAME(flow_next(s, &a, STEP(1, 0), 0), STEP(2, 0)));
	flow_progress(s, &a, STEP(1, 0), &first, &last, &total);
	CHECK(first == 2 && last == 2 && total == 6);
	form_body_free(&fb);

	/* "yes" without JavaScript: the follow-up step comes next. */
	CHECK(read_answers(s, "feel-safe=3&young-carer=yes", &fb, &a) == 0);
	CHECK(flow_on_step(s, &a, STEP(1, 1), help));
	CHECK(!flow_on_step(s, &a, STEP(1, 1), young));
	CHECK(SAME(flow_next(s, &a, STEP(1, 0), 0), STEP(1, 1)));
	/* ... not when it was revealed in place. */
	CHECK(SAME(flow_next(s, &a, STEP(1, 0), (uint64_t)1 << help), STEP(2, 0)));
	/* From the follow-up step: on to page 3; Back to its page. */
	CHECK(SAME(flow_next(s, &a, STEP(1, 1), 0), STEP(2, 0)));
	CHECK(SAME(flow_prev(s, &a, STEP(1, 1)), STEP(1, 0)));
	CHECK(SAME(flow_prev(s, &a, STEP(2, 0)), STEP(1, 0)));
	CHECK(SAME(flow_prev(s, &a, STEP(0, 0)), STEP(0, 0)));
	CHECK(SAME(flow_prev(s, &a, STEP(s->npages, 0)), STEP(s->npages - 1, 0)));
	flow_progress(s, &a, STEP(1, 1), &first, &last, &total);
	CHECK(first == 3 && last == 3 && total == 7);
	flow_progress(s, &a, STEP(1, 0), &first, &last, &total);
	CHECK(first == 2 && last == 3 && total == 7);
	form_body_free(&fb);

	/* ... nor when it was answered (a page drawn after Back, or a script). */
	CHECK(read_answers(s, "feel-safe=3&young-carer=yes&carer-help=talk", &fb, &a) == 0);
	CHECK(SAME(flow_next(s, &a, STEP(1, 0), 0), STEP(2, 0)));
	form_body_free(&fb);

	/* Errors: a too-long "something else" on the follow-up shows on page 2
	 * when it was in view, and on the follow-up step when not. */
	char body[600];
	char x[260];
	memset(x, 'x', 201);
	x[201] = '\0';
	snprintf(body, sizeof body, "feel-safe=3&young-carer=yes&carer-help.other=%s", x);
	CHECK(read_answers(s, body, &fb, &a) == 0);
	CHECK(a.nerrors >= 1 && a.items[help].error[0]);
	struct form_answers keep = a;
	flow_keep_errors(s, &keep, STEP(1, 0), 0);
	CHECK(keep.items[help].error[0]);          /* answered, so in view */
	keep = a;
	flow_keep_errors(s, &keep, STEP(1, 1), 0);
	CHECK(keep.items[help].error[0] && keep.nerrors == 1);
	keep = a;
	flow_keep_errors(s, &keep, STEP(0, 0), 0);
	CHECK(keep.nerrors == 0 && !keep.items[help].error[0]);
	form_body_free(&fb);

	/* Nothing answered: required young-carer missing; follow-up not in view. */
	CHECK(read_answers(s, "feel-safe=3", &fb, &a) == 0);
	CHECK(SAME(flow_first_error(s, &a), STEP(1, 0)));
	keep = a;
	flow_keep_errors(s, &keep, STEP(1, 0), 0);
	CHECK(keep.nerrors == 1 && keep.items[young].error[0]);
	form_body_free(&fb);

	/* Which follow-ups the form says it revealed. */
	CHECK(form_body_parse("_shown=carer-help&_shown=nope&_shown=young-carer", 48, &fb,
			      &(const char *){ NULL }) == SV_OK);
	CHECK(flow_shown_read(s, &fb) == (((uint64_t)1 << help) | ((uint64_t)1 << young)));
	form_body_free(&fb);
}

static void test_skip(const struct form_catalog *cat)
{
	const char *def = "{\"id\": \"skip\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\","
		" \"introduction\": \"I\", \"privacy\": \"P\", \"status\": \"open\", \"pages\": ["
		"{\"questions\": [{\"id\": \"a\", \"type\": \"yes_no\", \"title\": \"A\"}]},"
		"{\"questions\": [{\"id\": \"b\", \"type\": \"yes_no\", \"title\": \"B\","
		"  \"show_if\": {\"question\": \"a\", \"answer\": \"yes\"}}]},"
		"{\"questions\": [{\"id\": \"c\", \"type\": \"yes_no\", \"title\": \"C\"}]}]}";
	struct form_survey s;
	struct form_body fb;
	struct form_answers a;
	char err[512] = "";
	int first, last, total;

	CHECK(form_survey_parse(def, strlen(def), "skip.json", cat, &s, err, sizeof err) == SV_OK);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	if (s.npages != 3)
		return;
	CHECK(!flow_is_follow_up(&s, 1)); /* its condition is on an earlier page */
	CHECK(read_answers(&s, "a=no", &fb, &a) == 0);
	CHECK(SAME(flow_next(&s, &a, STEP(0, 0), 0), STEP(2, 0)));
	CHECK(SAME(flow_prev(&s, &a, STEP(2, 0)), STEP(0, 0)));
	CHECK(!flow_on_step(&s, &a, STEP(1, 0), 1));
	flow_progress(&s, &a, STEP(2, 0), &first, &last, &total);
	CHECK(first == 2 && total == 2);
	CHECK(SAME(flow_next(&s, &a, STEP(2, 0), 0), STEP(3, 0))); /* the check page */
	form_body_free(&fb);
	CHECK(read_answers(&s, "a=yes", &fb, &a) == 0);
	CHECK(SAME(flow_next(&s, &a, STEP(0, 0), 0), STEP(1, 0)));
	CHECK(SAME(flow_first_error(&s, &a), STEP(1, 0)));  /* b is now required */
	flow_progress(&s, &a, STEP(2, 0), &first, &last, &total);
	CHECK(first == 3 && total == 3);
	form_body_free(&fb);
	/* Hidden and required: no error, nothing kept. */
	CHECK(read_answers(&s, "a=no&b=yes&c=no", &fb, &a) == 0);
	CHECK(a.nerrors == 0 && a.items[1].value == NULL);
	CHECK(SAME(flow_first_error(&s, &a), STEP(3, 0)));
	form_body_free(&fb);
	form_survey_reset(&s);
}

static void test_drafts(void)
{
	struct drafts *d = drafts_new();
	char key[DRAFT_KEY_LEN + 1], key2[DRAFT_KEY_LEN + 1];
	const char *plain = "yv1 1 0 0 0 0 0\nfeel-safe=3&worries=a+secret+word";
	struct sbuf out;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(drafts_put(d, "your-area", "token-1", plain, strlen(plain), 1000, key) == SV_OK);
	CHECK(strlen(key) == DRAFT_KEY_LEN);
	CHECK(strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	      DRAFT_KEY_LEN);
	sbuf_init(&out, DRAFT_MAX_LEN);
	CHECK(drafts_get(d, "your-area", key, strlen(key), 1001, &out) == SV_OK);
	CHECK(out.len == strlen(plain) && memcmp(out.buf, plain, out.len) == 0);
	sbuf_reset(&out);
	/* Read again (Back, reload): still there. */
	CHECK(drafts_get(d, "your-area", key, strlen(key), 1002, &out) == SV_OK);
	sbuf_reset(&out);
	/* Another scope, a changed key, a short key: nothing. */
	CHECK(drafts_get(d, "what-matters", key, strlen(key), 1002, &out) == SV_ERR_NOTFOUND);
	char other[DRAFT_KEY_LEN + 1];
	memcpy(other, key, sizeof other);
	other[5] = other[5] == 'A' ? 'B' : 'A';
	CHECK(drafts_get(d, "your-area", other, strlen(other), 1002, &out) == SV_ERR_NOTFOUND);
	CHECK(drafts_get(d, "your-area", key, 10, 1002, &out) == SV_ERR_NOTFOUND);
	CHECK(drafts_get(d, "your-area", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", DRAFT_KEY_LEN, 1002,
			 &out) == SV_ERR_NOTFOUND);
	CHECK(out.len == 0);
	CHECK(drafts_count(d) == 1);
	/* Another journey's draft, then the first journey is sent. */
	CHECK(drafts_put(d, "your-area", "token-2", plain, strlen(plain), 1000, key2) == SV_OK);
	CHECK(drafts_put(d, "your-area", "token-1", "second step", 11, 1000, other) == SV_OK);
	CHECK(drafts_count(d) == 3);
	drafts_sent(d, "token-1");
	CHECK(drafts_count(d) == 1);
	CHECK(drafts_get(d, "your-area", key, strlen(key), 1003, &out) == SV_ERR_EXISTS);
	CHECK(drafts_get(d, "your-area", other, strlen(other), 1003, &out) == SV_ERR_EXISTS);
	CHECK(out.len == 0);
	CHECK(drafts_get(d, "your-area", key2, strlen(key2), 1003, &out) == SV_OK);
	sbuf_reset(&out);
	/* Expired: gone. */
	CHECK(drafts_get(d, "your-area", key2, strlen(key2), 1000 + DRAFT_TTL, &out) == SV_ERR_NOTFOUND);
	CHECK(drafts_get(d, "your-area", key2, strlen(key2), 1001, &out) == SV_ERR_NOTFOUND);
	/* Too long: refused. */
	char *big = calloc(1, DRAFT_MAX_LEN + 1);
	CHECK(big && drafts_put(d, "s", NULL, big, DRAFT_MAX_LEN + 1, 2000, key) == SV_ERR_TOOBIG);
	free(big);
	/* Full: refused, never overwriting a live draft. */
	int kept = 0;
	enum sv_err rc = SV_OK;
	for (int i = 0; i < DRAFT_SLOTS + 10 && rc == SV_OK; i++) {
		rc = drafts_put(d, "s", NULL, "x", 1, 3000, key);
		kept += rc == SV_OK;
	}
	CHECK(rc == SV_ERR_TOOBIG);
	CHECK(kept > DRAFT_SLOTS / 2 && kept <= DRAFT_SLOTS);
	CHECK(drafts_count(d) == kept);
	/* Once they expire, room again. */
	CHECK(drafts_put(d, "s", NULL, "x", 1, 3000 + DRAFT_TTL + 61, key) == SV_OK);
	sbuf_free(&out);
	drafts_free(d);
}

/* The boxes hold no plain text: search every byte the store allocated. */
static void test_drafts_sealed(void)
{
	struct drafts *d = drafts_new();
	char key[DRAFT_KEY_LEN + 1];
	const char *plain = "worries=a-unique-secret-phrase-for-the-test";

	if (!d)
		return;
	CHECK(drafts_put(d, "your-area", "t", plain, strlen(plain), 1, key) == SV_OK);
	/* Neither the answer nor the key is kept: only the box and the key's hash. */
	unsigned char raw[32];
	size_t raw_len = 0;
	CHECK(sodium_base642bin(raw, sizeof raw, key, DRAFT_KEY_LEN, NULL, &raw_len, NULL,
				sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && raw_len == 32);
	CHECK(drafts_holds(d, "your-area", 9) == 0); /* the scope is hashed in, too */
	CHECK(drafts_holds(d, plain, strlen(plain)) == 0);
	CHECK(drafts_holds(d, raw, sizeof raw) == 0);
	drafts_free(d);
}

int main(void)
{
	struct form_catalog *cat = NULL;
	char err[600] = "";

	if (sodium_init() < 0)
		return 1;
	CHECK(form_catalog_load("forms", &cat, err, sizeof err) == SV_OK);
	if (!cat) {
		fprintf(stderr, "  cannot load forms/ (run from the repository root): %s\n", err);
		return CHECK_DONE();
	}
	const struct form_survey *ya = form_catalog_survey(cat, "your-area", 9);
	CHECK(ya != NULL);
	if (ya)
		test_your_area(ya);
	test_skip(cat);
	form_catalog_free(cat);
	test_drafts();
	test_drafts_sealed();
	return CHECK_DONE();
}
