/*
 * test_ballot.c - the youth ballot (docs/ballot.md): a ballot question read
 * from a definition (forms/surveys/youth-ballot.json, rank 3) and its mistakes
 * refused; ranked answers read (in order, each issue once, a duplicate and a
 * gap refused with the survey's own message, a field sent twice or a choice
 * not offered a malformed body); the votes, themes, sealed payload and
 * export fields they make; a Make Your Mark results file read
 * (tests/data/mym-results.csv) and every kind of bad file refused naming its
 * line; and the ranked list suppressed and ordered (export/ballot.c).
 * The store's part (paper returns, online votes, imports) is in
 * test_ballot_store.c.  Run from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/files.h"
#include "../../core/store.h"
#include "../../export/export.h"
#include "../../forms/ballot.h"
#include "../../forms/form.h"
#include "check.h"

static char *read_text(const char *path, size_t *len)
{
	char *text = NULL;

	if (files_read_all(path, 64 * 1024, &text, len) != SV_OK)
		return NULL;
	return text;
}

/* Parses a definition; 1 if refused with err containing want. */
static int refused(const struct form_catalog *cat, const char *text, const char *want)
{
	struct form_survey s;
	char err[600] = "";
	enum sv_err rc = form_survey_parse(text, strlen(text), "t.json", cat, &s, err, sizeof err);

	if (rc == SV_OK) {
		form_survey_reset(&s);
		fprintf(stderr, "  not refused: %s\n", text);
		return 0;
	}
	if (!strstr(err, want)) {
		fprintf(stderr, "  refused as \"%s\", not \"%s\"\n", err, want);
		return 0;
	}
	return 1;
}

#define HEAD "{\"id\": \"b\", \"consultation\": \"cyp-plan-2027\", \"title\": \"T\", \"introduction\": \"I\"," \
	" \"privacy\": \"P\", \"status\": \"open\", \"questions\": ["
#define TAIL "]}"
#define OPTS "\"options\": [{\"id\": \"a\", \"label\": \"A\"}, {\"id\": \"b\", \"label\": \"B\"}]"

static void test_definition(const struct form_catalog *cat, const struct form_survey *s)
{
	const struct form_question *q = form_survey_ballot(s);

	CHECK(q != NULL);
	if (!q)
		return;
	CHECK(q->type == FORM_BALLOT);
	CHECK(q->rank == 3);
	CHECK(q->noptions == 10);  /* nothing added: no "prefer not to say" on a ballot */
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"single\", \"title\": \"Q\", \"rank\": 2, "
		      OPTS "}" TAIL, "rank only applies to a \"ballot\" question"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\", \"rank\": 4, "
		      OPTS "}" TAIL, "questions[0].rank"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\", \"rank\": 3, "
		      OPTS "}" TAIL, "a ballot ranking 3 choices needs at least 3 issues offered"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\", " OPTS "},"
		      "{\"id\": \"r\", \"type\": \"ballot\", \"title\": \"R\", " OPTS "}" TAIL,
		      "a survey has at most one ballot question"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\"}" TAIL,
		      "questions[0].options"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\", \"other\": true, "
		      OPTS "}" TAIL, "\"other\" only applies"));
	CHECK(refused(cat, HEAD "{\"id\": \"q\", \"type\": \"balot\", \"title\": \"Q\", " OPTS "}" TAIL,
		      "district, ballot, gender, "));

	/* A choose-one ballot: rank defaults to 1. */
	struct form_survey one;
	char err[600] = "";
	const char *text = HEAD "{\"id\": \"q\", \"type\": \"ballot\", \"title\": \"Q\", " OPTS "}" TAIL;
	CHECK(form_survey_parse(text, strlen(text), "t.json", cat, &one, err, sizeof err) == SV_OK);
	if (!err[0]) {
		CHECK(one.questions[0].rank == 1);
		CHECK_STR(form_missing_message(&one.questions[0]), "Choose one issue");
		form_survey_reset(&one);
	}
}

/* Reads body against s. */
static enum sv_err read_body(const struct form_survey *s, const char *body, struct form_body *fb,
			     struct form_answers *a)
{
	const char *why = NULL;

	memset(a, 0, sizeof *a);
	if (form_body_parse(body, strlen(body), fb, &why) != SV_OK)
		return SV_ERR_NOMEM;
	enum sv_err rc = form_answers_read(s, fb, a, &why);
	return rc;
}

static void test_answers(const struct form_survey *s)
{
	struct form_body fb;
	struct form_answers a;
	const struct form_question *q = form_survey_ballot(s);
	int qi = q ? (int)(q - s->questions) : 0;

	if (!q)
		return;
	/* Three in order. */
	CHECK(read_body(s, "issues=mental-health&issues.2=knife-crime&issues.3=online", &fb, &a) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK_STR(a.items[qi].value, "mental-health");
	CHECK_STR(a.items[qi].ranked[0], "knife-crime");
	CHECK_STR(a.items[qi].ranked[1], "online");
	struct form_vote v[FORM_MAX_RANK];
	int n = form_answers_votes(s, &a, v, FORM_MAX_RANK);
	CHECK(n == 3);
	CHECK(n == 3 && v[0].rank == 1 && v[1].rank == 2 && v[2].rank == 3);
	CHECK(n == 3 && strcmp(q->options[v[1].option].id, "knife-crime") == 0);
	int themes[TAXONOMY_MAX_THEMES];
	CHECK(form_answers_themes(s, s->consultation->taxonomy, &a, themes) == 3);
	struct sbuf p;
	sbuf_init(&p, 64 * 1024);
	form_answers_payload(s, &a, &p);
	CHECK(!p.err && p.buf && strstr(p.buf, "\"issues\":\"mental-health\",\"issues.2\":\"knife-crime\","
					 "\"issues.3\":\"online\""));
	CHECK(!p.err && p.len < s->seal_size);
	sbuf_free(&p);
	form_body_free(&fb);

	/* Only a first choice: the later lists left at "Choose an issue". */
	CHECK(read_body(s, "issues=bullying&issues.2=&issues.3=", &fb, &a) == SV_OK);
	CHECK(a.nerrors == 0);
	CHECK(form_answers_votes(s, &a, v, FORM_MAX_RANK) == 1);
	form_body_free(&fb);

	/* The same issue twice. */
	CHECK(read_body(s, "issues=bullying&issues.2=online&issues.3=bullying", &fb, &a) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[qi].error, "You chose the same issue more than once") != NULL);
	form_body_free(&fb);

	/* A second choice without a first. */
	CHECK(read_body(s, "issues=&issues.2=online", &fb, &a) == SV_OK);
	CHECK(a.nerrors == 1);
	CHECK(strstr(a.items[qi].error, "Fill in your choices in order") != NULL);
	form_body_free(&fb);

	/* Nothing: the first choice is needed. */
	CHECK(read_body(s, "issues=", &fb, &a) == SV_OK);
	CHECK_STR(a.items[qi].error, "Choose your first choice");
	form_body_free(&fb);

	/* In Urdu, from forms/i18n/ur.json. */
	CHECK(read_body(s, "issues=food&issues.2=food", &fb, &a) == SV_OK);
	struct sbuf msg;
	sbuf_init(&msg, 1024);
	form_error_text(s, form_lang_index(s, "ur", 2), &a.items[qi], &msg);
	CHECK(!msg.err && msg.buf && strstr(msg.buf, "\xd8\xa7\xdb\x8c\xda\xa9 \xdb\x81\xdb\x8c") != NULL);
	sbuf_free(&msg);
	form_body_free(&fb);

	/* What our form never sends. */
	CHECK(read_body(s, "issues=food&issues.2=nope", &fb, &a) == SV_ERR_INVALID);
	form_body_free(&fb);
	CHECK(read_body(s, "issues=food&issues.2=online&issues.2=sport", &fb, &a) == SV_ERR_INVALID);
	form_body_free(&fb);

	/* The export's columns: one per rank. */
	struct sbuf f;
	sbuf_init(&f, 64 * 1024);
	form_survey_fields(s, &f);
	CHECK(!f.err && f.buf && strstr(f.buf, "\"id\":\"issues.2\"") && strstr(f.buf, "\"id\":\"issues.3\"") &&
	      strstr(f.buf, "(choice 2)"));
	sbuf_free(&f);
}

static void test_csv(const struct form_question *q)
{
	struct ballot_import imp;
	char err[300];
	size_t len = 0;
	char *text = read_text("tests/data/mym-results.csv", &len);

	CHECK(text != NULL);
	if (text) {
		CHECK(ballot_csv_read(text, len, q, &imp, err, sizeof err) == SV_OK);
		CHECK(imp.n == 10);
		CHECK(imp.n == 10 && strcmp(q->options[imp.option[0]].id, "mental-health") == 0 &&
		      imp.votes[0] == 1204);
		CHECK(imp.n == 10 && strcmp(q->options[imp.option[2]].id, "jobs") == 0 && imp.votes[2] == 655);
		free(text);
	}
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "Issue,Votes\nMental health,12\nFree buses,40\n", "line 3: \"Free buses\" is not an issue of this ballot" },
		{ "Mental health,lots\n", "line 1: the votes should be a whole number" },
		{ "Mental health,-3\n", "line 1: the votes should be a whole number" },
		{ "Mental health,12\nmental health,3\n", "line 2: \"mental health\" is listed twice" },
		{ "Mental health\n", "line 1: expected two fields" },
		{ "Mental health,1,2\n", "line 1: expected two fields" },
		{ "\"Mental health,1\n", "line 1: a quote is not closed" },
		{ "Issue,Votes\n", "the file lists no issues" },
		{ "", "the file lists no issues" },
		{ "Mental health,99999999\n", "line 1: the votes should be a whole number from 0 to 10000000" },
		{ "\xff,1\n", "not UTF-8" },
		{ "Mental health,1\n\x01,2\n", "line 2: holds a control character" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		enum sv_err rc = ballot_csv_read(bad[i].text, strlen(bad[i].text), q, &imp, err, sizeof err);
		CHECK(rc == SV_ERR_INVALID);
		if (!strstr(err, bad[i].want)) {
			fprintf(stderr, "  bad file %zu: \"%s\", wanted \"%s\"\n", i, err, bad[i].want);
			CHECK(!"the message names the line and the problem");
		}
	}
	/* Bounded: a line and a file over their limits. */
	char *big = malloc(BALLOT_MAX_CSV + 2);
	if (big) {
		memset(big, 'a', BALLOT_MAX_CSV + 1);
		big[BALLOT_MAX_CSV + 1] = '\0';
		CHECK(ballot_csv_read(big, BALLOT_MAX_CSV + 1, q, &imp, err, sizeof err) == SV_ERR_TOOBIG);
		CHECK(ballot_csv_read(big, BALLOT_MAX_CSV_LINE + 1, q, &imp, err, sizeof err) == SV_ERR_TOOBIG);
		CHECK(strstr(err, "line 1: longer than") != NULL);
		free(big);
	}
	/* CRLF, a byte-order mark, blank lines, the option id. */
	const char *crlf = "\xef\xbb\xbfissue,votes\r\n\r\nfood,4\r\n  \"Ending bullying\" , 7 \r\n";
	CHECK(ballot_csv_read(crlf, strlen(crlf), q, &imp, err, sizeof err) == SV_OK);
	CHECK(imp.n == 2 && imp.votes[1] == 7);
}

/* ---- the ranked list ---- */

static void test_ranked(void)
{
	struct export_ballot b;

	memset(&b, 0, sizeof b);
	b.rank = 3;
	b.nrows = 4;
	long long online[4][3] = { { 20, 10, 6 }, { 3, 12, 9 }, { 40, 22, 11 }, { 0, 5, 7 } };
	long long papers[4] = { 8, 30, 9, 6 };
	for (int i = 0; i < 4; i++) {
		b.rows[i].issue = i;
		b.rows[i].first[EXPORT_BALLOT_ONLINE].value = online[i][0];
		b.rows[i].later[0].value = online[i][1];
		b.rows[i].later[1].value = online[i][2];
		b.rows[i].first[EXPORT_BALLOT_PAPER].value = papers[i];
	}
	CHECK(export_ballot_suppress(&b, 5) == SV_OK);
	/* Ordered by shown totals: issue 2 (49), issue 1 (33), issue 0 (28), issue 3 (6). */
	CHECK(b.rows[0].issue == 2 && b.rows[0].first[EXPORT_BALLOT_TOTAL].value == 49);
	CHECK(b.rows[1].issue == 1);
	/* Issue 1's 3 online first choices are small: "<5", and something else hidden
	 * so it cannot be worked out from its total and its paper votes. */
	CHECK(b.rows[1].first[EXPORT_BALLOT_ONLINE].state == CELL_SMALL);
	CHECK(b.rows[1].first[EXPORT_BALLOT_PAPER].state != CELL_SHOWN ||
	      b.rows[1].first[EXPORT_BALLOT_TOTAL].state != CELL_SHOWN);
	CHECK(b.secondary > 0);
	CHECK(!b.rows[1].points_shown);
	/* A true zero stays 0. */
	CHECK(b.rows[3].first[EXPORT_BALLOT_ONLINE].state == CELL_SHOWN &&
	      b.rows[3].first[EXPORT_BALLOT_ONLINE].value == 0);
	CHECK(b.rows[0].points_shown && b.rows[0].points == 3 * 40 + 2 * 22 + 11);
	CHECK(b.rows[b.by_points[0]].issue == 2);
	/* A total hidden to protect its small online count is listed by what its
	 * published counts make sure of (48 paper + at least 1 online), above a
	 * shown 10 and the zeros. */
	memset(&b, 0, sizeof b);
	b.rank = 1;
	b.nrows = 3;
	b.rows[0].issue = 0;
	b.rows[1].issue = 1;
	b.rows[1].first[EXPORT_BALLOT_PAPER].value = 10;
	b.rows[2].issue = 2;
	b.rows[2].first[EXPORT_BALLOT_ONLINE].value = 3;
	b.rows[2].first[EXPORT_BALLOT_PAPER].value = 48;
	CHECK(export_ballot_suppress(&b, 5) == SV_OK);
	CHECK(b.rows[0].issue == 2);
	CHECK(b.rows[0].first[EXPORT_BALLOT_ONLINE].state == CELL_SMALL);
	CHECK(b.rows[1].issue == 1 && b.rows[2].issue == 0);
	/* Suppression off: everything shown. */
	memset(&b, 0, sizeof b);
	b.rank = 1;
	b.nrows = 1;
	b.rows[0].first[EXPORT_BALLOT_ONLINE].value = 2;
	CHECK(export_ballot_suppress(&b, 0) == SV_OK);
	CHECK(b.rows[0].first[EXPORT_BALLOT_ONLINE].state == CELL_SHOWN);
	CHECK(!b.rows[0].points_shown); /* rank 1: no points view */
}

/* The ranked list as files (export_ballot_csv, _json): formula-safe, "<5"
 * and "[c]" quoted, later choices only up to the ballot's rank. */
static void test_files(void)
{
	struct export_ballot b;
	char *themes[] = { "bullying", "online-safety" };
	struct export_ballot_issue issues[2] = { { "eq", "=HYPERLINK(\"x\")", themes, 2 },
						 { "safe", "Safe streets", themes, 1 } };
	struct sbuf out;

	memset(&b, 0, sizeof b);
	b.rank = 2;
	b.nrows = 2;
	b.rows[0].issue = 0;
	b.rows[0].first[EXPORT_BALLOT_PAPER].value = 12;
	b.rows[0].later[0].value = 6;
	b.rows[1].issue = 1;
	b.rows[1].first[EXPORT_BALLOT_ONLINE].value = 3;
	b.rows[1].first[EXPORT_BALLOT_PAPER].value = 30;
	CHECK(export_ballot_suppress(&b, 5) == SV_OK);
	sbuf_init(&out, 1 << 16);
	export_ballot_csv(&b, issues, &out);
	CHECK(!out.err && out.buf);
	if (out.buf) {
		CHECK(strncmp(out.buf, "place,issue_id,issue,themes,online,paper,imported,total,second_choices,"
			      "third_choices,points\r\n", 88) == 0);
		CHECK(strstr(out.buf, "\"'=HYPERLINK(\"\"x\"\")\"") != NULL);   /* defused */
		CHECK(strstr(out.buf, "\"bullying;online-safety\"") != NULL);
		/* Safe streets first: 3 online is "<5", its paper votes hidden with it
		 * (else 33 - 30 gives it away); rank 2: a second-choice count, no
		 * third, no points. */
		CHECK(strstr(out.buf, "\r\n1,\"safe\",\"Safe streets\",\"bullying\",\"<5\",\"[c]\",0,33,0,,\r\n") != NULL);
	}
	sbuf_free(&out);
	sbuf_init(&out, 1 << 16);
	export_ballot_json(&b, issues, "youth-ballot", "issues", &out);
	CHECK(!out.err && out.buf && strstr(out.buf, "\"online\":\t\"<5\"") && strstr(out.buf, "\"place\":\t1,") &&
	      strstr(out.buf, "\"second_choices\"") && !strstr(out.buf, "\"third_choices\"") &&
	      !strstr(out.buf, "\"points\""));
	sbuf_free(&out);
}

int main(void)
{
	struct form_catalog *cat = NULL;
	char err[600];
	size_t len = 0;
	char *text = read_text("forms/surveys/youth-ballot.json", &len);
	struct form_survey s;

	CHECK(form_catalog_load("forms", &cat, err, sizeof err) == SV_OK);
	CHECK(text != NULL);
	if (cat && text && form_survey_parse(text, len, "youth-ballot.json", cat, &s, err, sizeof err) == SV_OK) {
		test_definition(cat, &s);
		test_answers(&s);
		test_csv(form_survey_ballot(&s));
		form_survey_reset(&s);
	} else {
		fprintf(stderr, "  %s\n", err);
		CHECK(!"the ballot survey loads");
	}
	free(text);
	form_catalog_free(cat);
	test_ranked();
	test_files();
	return CHECK_DONE();
}
