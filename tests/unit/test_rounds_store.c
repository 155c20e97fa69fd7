/*
 * test_rounds_store.c - core/store's rounds of a plan and population figures
 * (store_rounds.c, schema entry "25"; docs/rounds.md, docs/equalities.md):
 * a plan's rounds listed in the order of their names whatever order they
 * were saved in, moved to another plan or to none; a trend of a plan with no
 * rounds is SV_ERR_NOTFOUND; a trend's rounds each carry their own table;
 * a consultation's own round and the rounds up to it; rounds chosen in the
 * staff pages (schema 27) kept apart from the file's;
 * population figures saved, replaced, cleared, bounded (0 to
 * STORE_MAX_POPULATION, a category of 3 to STORE_MAX_CATEGORY bytes) with
 * nothing stored when refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/store.h"
#include "../../export/export.h"
#include "check.h"
#include "check_db.h"

static char dir[64];

static const char *const taxonomy_json =
	"{\"priorities\": [{\"number\": 1, \"name\": \"One\"}, {\"number\": 2, \"name\": \"Two\"}],"
	" \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]},"
	" {\"id\": \"b\", \"name\": \"B\", \"priorities\": [1, 2]}]}";

struct seen {
	char text[256];
};

static void on_round(void *arg, const char *consultation, const char *round)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s=%s ", round, consultation);
}

static void on_figure(void *arg, const char *category, long long people)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s=%lld ", category, people);
}

static void test_rounds(struct store *st)
{
	struct seen s = { "" };

	CHECK(store_round_set(st, "c-2023", "plan", "2023") == SV_OK);
	CHECK(store_round_set(st, "c-2018", "plan", "2018") == SV_OK);
	CHECK(store_round_set(st, "c-2021", "plan", "2021") == SV_OK);
	CHECK(store_plan_rounds(st, "plan", on_round, &s) == SV_OK);
	CHECK_STR(s.text, "2018=c-2018 2021=c-2021 2023=c-2023 ");
	CHECK(store_round_set(st, "c-2021", "other", "2021") == SV_OK);  /* moved */
	CHECK(store_round_set(st, "c-2018", NULL, NULL) == SV_OK);       /* a round of none */
	s.text[0] = '\0';
	CHECK(store_plan_rounds(st, "plan", on_round, &s) == SV_OK);
	CHECK_STR(s.text, "2023=c-2023 ");
	CHECK(store_round_set(st, "c-2018", "Bad Plan", "2018") == SV_ERR_INVALID);
	CHECK(store_round_set(st, "c-2018", "plan", NULL) == SV_ERR_INVALID);
	s.text[0] = '\0';
	CHECK(store_plan_rounds(st, "no-such", on_round, &s) == SV_OK && s.text[0] == '\0');

	struct export_trend *tr = NULL;
	CHECK(export_trend_build(st, "no-such", NULL, 5, 0, &tr) == SV_ERR_NOTFOUND && !tr);
	CHECK(export_trend_build(st, "plan", NULL, 5, 0, &tr) == SV_OK && tr);
	if (tr) {
		CHECK(tr->nrounds == 1 && strcmp(tr->rounds[0].round, "2023") == 0);
		CHECK(tr->frame && tr->frame->npriorities == 2);
		/* No answers yet: a true zero is 0 and shown; a theme absent is NULL. */
		const struct cell *c = export_trend_cell(tr, 0, 2, "b", EXPORT_TOTAL);
		CHECK(c && c->state == CELL_SHOWN && c->value == 0);
		CHECK(export_trend_cell(tr, 0, 2, "a", EXPORT_TOTAL) == NULL);
		CHECK(export_trend_cell(tr, 1, 1, NULL, EXPORT_TOTAL) == NULL);
		struct sbuf out;
		sbuf_init(&out, 1 << 16);
		export_trend_csv(tr, &out);
		CHECK(!out.err && out.buf && strstr(out.buf, "\"plan\",\"2023\",\"c-2023\",2,\"Two\",\"b\",\"B\",0,0,0,0,0,0\r\n"));
		sbuf_free(&out);
	}
	export_trend_free(tr);

	/* A consultation's own round, and the rounds up to it (the report's and
	 * the public page's trend). */
	char plan[64], round[64];
	CHECK(store_round_set(st, "c-2018", "plan", "2018") == SV_OK);
	CHECK(store_round_set(st, "c-2021", "plan", "2021") == SV_OK);
	CHECK(store_round_of(st, "c-2021", plan, round) == SV_OK);
	CHECK_STR(plan, "plan");
	CHECK_STR(round, "2021");
	CHECK(store_round_of(st, "no-such", plan, round) == SV_ERR_NOTFOUND && !plan[0] && !round[0]);
	tr = NULL;
	CHECK(export_trend_rounds(st, "plan", "c-2021", &tr) == SV_OK && tr);
	if (tr) {
		CHECK(tr->nrounds == 2 && strcmp(tr->rounds[1].consultation, "c-2021") == 0);
		CHECK(!tr->rounds[0].t && !tr->frame);
	}
	export_trend_free(tr);
	tr = NULL;
	CHECK(export_trend_rounds(st, "plan", "not-a-round", &tr) == SV_ERR_NOTFOUND && !tr);
	CHECK(export_trend_build(st, "plan", "c-2018", 5, 0, &tr) == SV_OK && tr);
	if (tr)
		CHECK(tr->nrounds == 1 && tr->rounds[0].t && tr->frame);
	export_trend_free(tr);
}

static void on_choice(void *arg, const char *consultation, const char *plan, const char *round)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s=%s/%s ", consultation, plan ? plan : "-",
		 round ? round : "-");
}

/* Rounds chosen in the staff pages (schema 27): kept apart, written
 * to the rounds at once, cleared with both NULL, refused half-given. */
static void test_choices(struct store *st)
{
	struct seen s = { "" };
	char plan[64], round[64];

	CHECK(store_round_choose(st, "c-2018", "plan", NULL) == SV_ERR_INVALID);
	CHECK(store_round_choose(st, "c-2018", NULL, "2018") == SV_ERR_INVALID);
	CHECK(store_round_choose(st, "c-2018", "Bad Plan", "2018") == SV_ERR_INVALID);
	CHECK(store_round_choices(st, on_choice, &s) == SV_OK && s.text[0] == '\0');
	CHECK(store_round_choose(st, "c-2018", "other-plan", "2019") == SV_OK);
	CHECK(store_round_of(st, "c-2018", plan, round) == SV_OK);
	CHECK_STR(plan, "other-plan");
	CHECK_STR(round, "2019");
	CHECK(store_round_choose(st, "c-2021", NULL, NULL) == SV_OK);
	CHECK(store_round_of(st, "c-2021", plan, round) == SV_ERR_NOTFOUND);
	CHECK(store_round_choices(st, on_choice, &s) == SV_OK);
	CHECK_STR(s.text, "c-2018=other-plan/2019 c-2021=-/- ");
	/* The file's rounds, written at start, do not touch the choices. */
	CHECK(store_round_set(st, "c-2018", "plan", "2018") == SV_OK);
	s.text[0] = '\0';
	CHECK(store_round_choices(st, on_choice, &s) == SV_OK);
	CHECK_STR(s.text, "c-2018=other-plan/2019 c-2021=-/- ");
}

static void test_population(struct store *st)
{
	struct seen s = { "" };

	CHECK(store_population_set(st, "c-2023", "gender:girl", 5100) == SV_OK);
	CHECK(store_population_set(st, "c-2023", "gender:girl", 5200) == SV_OK);   /* replaced */
	CHECK(store_population_set(st, "c-2023", "ethnicity:white", 0) == SV_OK);
	CHECK(store_population_set(st, "c-2023", "ethnicity:black", STORE_MAX_POPULATION) == SV_OK);
	CHECK(store_population_set(st, "c-2023", "ethnicity:asian", STORE_MAX_POPULATION + 1) == SV_ERR_INVALID);
	CHECK(store_population_set(st, "c-2023", "ab", 3) == SV_ERR_INVALID);
	char longkey[STORE_MAX_CATEGORY + 2];
	memset(longkey, 'x', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	CHECK(store_population_set(st, "c-2023", longkey, 3) == SV_ERR_INVALID);
	CHECK(store_population_set(st, "c-2021", "gender:boy", 7) == SV_OK);      /* another's */
	CHECK(store_population_each(st, "c-2023", on_figure, &s) == SV_OK);
	CHECK_STR(s.text, "ethnicity:black=100000000 ethnicity:white=0 gender:girl=5200 ");
	CHECK(store_population_set(st, "c-2023", "ethnicity:white", -1) == SV_OK); /* cleared */
	s.text[0] = '\0';
	CHECK(store_population_each(st, "c-2023", on_figure, &s) == SV_OK);
	CHECK_STR(s.text, "ethnicity:black=100000000 gender:girl=5200 ");
}

int main(void)
{
	struct store *st = NULL;

	snprintf(dir, sizeof dir, "/tmp/yv-rounds-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int opened = check_store_open(dir, &st) == SV_OK;
	CHECK(opened);
	for (int i = 0; opened && i < 3; i++) {
		static const char *const ids[] = { "c-2018", "c-2021", "c-2023" };
		CHECK(store_consultation_put(st, ids[i], "Round", taxonomy_json) == SV_OK);
	}
	if (opened) {
		test_rounds(st);
		test_choices(st);
		test_population(st);
	}
	store_close(st);
	check_remove_dir(dir);
	return CHECK_DONE();
}
