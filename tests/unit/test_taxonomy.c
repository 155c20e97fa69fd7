/*
 * test_taxonomy.c - core/taxonomy: the real forms/taxonomy.json parses (five
 * priorities, the themes, a theme under two priorities, the index lookups,
 * every theme's seed words), seed words are optional and survive
 * taxonomy_to_json, and each kind of broken taxonomy (seed words too long,
 * with spaces, twice, too many) is refused with SV_ERR_INVALID and a
 * "file: path: problem" message.  Run from the repository root.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/files.h"
#include "../../core/sbuf.h"
#include "../../core/taxonomy.h"
#include "check.h"

static void test_real_file(void)
{
	char *text = NULL;
	size_t len = 0;
	struct taxonomy *t = NULL;
	char err[512] = "";

	CHECK(files_read_all("forms/taxonomy.json", 1024 * 1024, &text, &len) == SV_OK);
	if (!text) {
		fprintf(stderr, "  cannot read forms/taxonomy.json: run from the repository root\n");
		return;
	}
	CHECK(taxonomy_parse(text, len, "forms/taxonomy.json", &t, err, sizeof err) == SV_OK);
	free(text);
	if (!t) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK(t->npriorities == 5);
	for (size_t i = 0; i < t->npriorities; i++)
		CHECK(t->priorities[i].number == (int)i + 1);
	CHECK_STR(t->priorities[0].name, "Ensure the best start for life");
	CHECK_STR(t->priorities[4].name, "Enable children to have good physical and mental health");
	CHECK(t->nthemes >= 14);

	int talk = taxonomy_theme_index(t, "someone-to-talk-to");
	CHECK(talk == 0);
	if (talk >= 0) {
		const struct theme *th = &t->themes[talk];
		CHECK(th->npriorities == 2);
		CHECK(th->priorities[0] == 2 && th->priorities[1] == 5);
		CHECK_STR(th->name, "Someone they trust to talk to, who listens");
	}
	int online = taxonomy_theme_index(t, "online-safety");
	CHECK(online > 0);
	if (online >= 0) {
		CHECK(t->themes[online].npriorities == 1);
		CHECK(t->themes[online].priorities[0] == 2);
	}
	/* Every theme sits under at least one existing priority. */
	for (size_t i = 0; i < t->nthemes; i++) {
		CHECK(t->themes[i].npriorities >= 1);
		for (int k = 0; k < t->themes[i].npriorities; k++)
			CHECK(taxonomy_priority_index(t, t->themes[i].priorities[k]) >= 0);
	}
	/* Every theme of the real file has seed words, each one word within bounds. */
	for (size_t i = 0; i < t->nthemes; i++) {
		CHECK(t->themes[i].nseeds >= 5 && t->themes[i].nseeds <= TAXONOMY_MAX_SEEDS);
		for (int k = 0; k < t->themes[i].nseeds; k++)
			CHECK(strlen(t->themes[i].seeds[k]) <= TAXONOMY_MAX_SEED &&
			      !strchr(t->themes[i].seeds[k], ' '));
	}
	int bus = taxonomy_theme_index(t, "transport");
	CHECK(bus >= 0 && t->themes[bus].nseeds > 0 && strcmp(t->themes[bus].seeds[0], "bus") == 0);
	CHECK(taxonomy_theme_index(t, "no-such-theme") == -1);
	CHECK(taxonomy_theme_index(t, "online") == -1);
	CHECK(taxonomy_priority_index(t, 1) == 0);
	CHECK(taxonomy_priority_index(t, 5) == 4);
	CHECK(taxonomy_priority_index(t, 0) == -1);
	CHECK(taxonomy_priority_index(t, 6) == -1);
	taxonomy_free(t);
}

/* Good priorities, for the broken examples to build on. */
#define PRIOS "\"priorities\": [{\"number\": 1, \"name\": \"One\"}, {\"number\": 2, \"name\": \"Two\"}]"

/*
 * Parses text as "t.json" and checks it is refused with SV_ERR_INVALID and a
 * message that starts with the file and contains every non-NULL part.
 */
static void broken(int line, const char *text, const char *part1, const char *part2)
{
	struct taxonomy *t = (struct taxonomy *)&t; /* must become NULL */
	char err[512] = "";
	enum sv_err rc = taxonomy_parse(text, strlen(text), "t.json", &t, err, sizeof err);
	int ok = rc == SV_ERR_INVALID && t == NULL && strncmp(err, "t.json: ", 8) == 0 &&
		(!part1 || strstr(err, part1)) && (!part2 || strstr(err, part2));

	CHECK(ok);
	if (!ok)
		fprintf(stderr, "  (line %d) rc %d, message: %s\n", line, (int)rc, err);
	if (rc == SV_OK)
		taxonomy_free(t);
}

static void test_broken(void)
{
	/* The minimal good file parses, so each failure below is its own change. */
	const char *good = "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1, 2]}]}";
	struct taxonomy *t = NULL;
	CHECK(taxonomy_parse(good, strlen(good), "t.json", &t, NULL, 0) == SV_OK);
	CHECK(t && t->nthemes == 1 && t->npriorities == 2);
	taxonomy_free(t);

	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]}],"
	       " \"extra\": 1}", "extra", "unknown field");
	broken(__LINE__, "{\"priorities\": [{\"number\": 2, \"name\": \"Two\"}],"
	       " \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [2]}]}",
	       "priorities[0]", "numbered 1, 2, 3");
	broken(__LINE__, "{\"priorities\": [{\"number\": 1, \"name\": \"One\"}, {\"number\": 3, \"name\": \"Three\"}],"
	       " \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]}]}",
	       "priorities[1]", "expected 2");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]},"
	       " {\"id\": \"b\", \"name\": \"B\", \"priorities\": [1, 9]}]}",
	       "themes[1].priorities[1]", "not the number of a priority");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]},"
	       " {\"id\": \"a\", \"name\": \"Again\", \"priorities\": [2]}]}",
	       "themes[1]", "\"a\" is used twice");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"Bad Id\", \"name\": \"A\", \"priorities\": [1]}]}",
	       "themes[0].id", "is not an id");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1, 1]}]}",
	       "themes[0].priorities[1]", "listed twice");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1.5]}]}",
	       "themes[0].priorities[0]", "not the number of a priority");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": []}]}",
	       "themes[0].priorities", "from 1 to");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"priorities\": [1]}]}",
	       "themes[0].name", "is missing");
	broken(__LINE__, "{" PRIOS "}", "themes", "is missing");
	broken(__LINE__, "{\"priorities\": [{\"number\": 1, \"name\": \"One\", \"colour\": \"red\"}],"
	       " \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1]}]}",
	       "priorities[0].colour", "unknown field");
	broken(__LINE__, "[1, 2]", "(top level)", "object");
	broken(__LINE__, "this is not json", "not valid JSON", NULL);
	broken(__LINE__, "{" PRIOS ", \"themes\": [", "not valid JSON", NULL);
	broken(__LINE__, "", "not valid JSON", NULL);
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"caf\xc3\x28\", \"priorities\": [1]}]}",
	       "UTF-8", NULL);
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"\xed\xa0\x80\", \"priorities\": [1]}]}",
	       "UTF-8", NULL);

	/* Seed words: one word each, 1 to TAXONOMY_MAX_SEED bytes, each once, at most TAXONOMY_MAX_SEEDS. */
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [\"bus\", \"two words\"]}]}", "themes[0].seeds[1]", "no spaces");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [\"tab\tbed\"]}]}", "themes[0].seeds[0]", "no spaces");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [\"bus\", \"bus\"]}]}", "themes[0].seeds[1]", "listed twice");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [\"\"]}]}", "themes[0].seeds[0]", "1 to 40 bytes");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [\"abcdefghijabcdefghijabcdefghijabcdefghijX\"]}]}", "themes[0].seeds[0]", "1 to 40 bytes");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": [3]}]}", "themes[0].seeds[0]", "should be a string");
	broken(__LINE__, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1],"
	       " \"seeds\": \"bus\"}]}", "themes[0].seeds", NULL);
	{
		/* One more than TAXONOMY_MAX_SEEDS distinct seeds. */
		struct sbuf big;
		sbuf_init(&big, 64 * 1024);
		sbuf_adds(&big, "{" PRIOS ", \"themes\": [{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1], \"seeds\": [");
		for (int i = 0; i <= TAXONOMY_MAX_SEEDS; i++)
			sbuf_addf(&big, "%s\"w%d\"", i ? "," : "", i);
		sbuf_adds(&big, "]}]}");
		CHECK(!big.err);
		broken(__LINE__, big.buf, "themes[0].seeds", "from 0 to");
		sbuf_free(&big);
	}

	/* With no err buffer it still refuses. */
	t = NULL;
	CHECK(taxonomy_parse("nope", 4, "t.json", &t, NULL, 0) == SV_ERR_INVALID && t == NULL);
}

/*
 * Seed words are optional, kept in order, and written back by
 * taxonomy_to_json so that a stored copy (refined by staff) keeps them.
 */
static void test_seeds(void)
{
	const char *text = "{" PRIOS ", \"themes\": ["
		"{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1], \"seeds\": [\"bus\", \"caf\u00e9\", \"self-harm\"]},"
		"{\"id\": \"b\", \"name\": \"B\", \"priorities\": [2]},"
		"{\"id\": \"c\", \"name\": \"C\", \"priorities\": [2], \"seeds\": []}]}";
	struct taxonomy *t = NULL, *again = NULL;
	char err[512] = "";
	struct sbuf json;

	CHECK(taxonomy_parse(text, strlen(text), "t.json", &t, err, sizeof err) == SV_OK);
	if (!t) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK(t->themes[0].nseeds == 3);
	CHECK_STR(t->themes[0].seeds[0], "bus");
	CHECK_STR(t->themes[0].seeds[1], "caf\xc3\xa9");
	CHECK_STR(t->themes[0].seeds[2], "self-harm");
	CHECK(t->themes[1].nseeds == 0 && t->themes[1].seeds == NULL);
	CHECK(t->themes[2].nseeds == 0 && t->themes[2].seeds == NULL);
	sbuf_init(&json, 64 * 1024);
	taxonomy_to_json(t, &json);
	CHECK(!json.err);
	CHECK(strstr(json.buf, "\"seeds\":[\"bus\",\"caf\xc3\xa9\",\"self-harm\"]") != NULL);
	CHECK(taxonomy_parse(json.buf, json.len, "again", &again, err, sizeof err) == SV_OK);
	CHECK(again && again->themes[0].nseeds == 3 && again->themes[1].nseeds == 0);
	if (again)
		CHECK_STR(again->themes[0].seeds[2], "self-harm");
	sbuf_free(&json);
	taxonomy_free(again);
	taxonomy_free(t);
}

int main(void)
{
	test_real_file();
	test_seeds();
	test_broken();
	return CHECK_DONE();
}
