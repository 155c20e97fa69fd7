/*
 * gen.c - fills a data folder with sealed survey responses for the export
 * benchmark, fast.
 *
 *   gen DATA_DIR FORMS_DIR COUNT
 *
 * DATA_DIR must hold a key pair (survey-server keygen).  Answers for the
 * single-page survey what-matters are built as a respondent's form post
 * would be and go through the real code: forms/ checks them, builds and
 * scrubs the payload, core/seal seals it to the active public key, and
 * core/store stores it with its counters, 10,000 to a transaction (opened
 * for a bulk load: no journal, no fsync until the end).
 * Sealing costs about 70 us a response, so GEN_DISTINCT different sealed
 * responses are made and stored in turn: every row is a genuine sealed box
 * that the export must open, and a million rows take seconds, not minutes.
 * Adds to what is there, so the benchmark can grow a folder step by step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/parse.h"
#include "../core/scrub.h"
#include "../core/seal.h"
#include "../core/store.h"
#include "../forms/form.h"

#define GEN_SURVEY "what-matters"
#define GEN_DISTINCT 1024     /* different sealed responses */
#define GEN_BATCH 10000       /* responses per transaction */

/* One prepared response: sealed, with the counters it moves. */
struct sample {
	unsigned char *sealed;
	size_t sealed_len;
	const char *themes[TAXONOMY_MAX_THEMES];
	int priorities[TAXONOMY_MAX_PRIORITIES];
	int nthemes, npriorities;
};

static const char *const most[] = { "talk", "mental-health", "safe", "online", "future", "bullying" };
static const char *const better[] = { "sport", "food", "transport", "info", "carers", "send",
				      "housing", "leaving-care" };
static const char *const ages[] = { "8-10", "11-13", "14-15", "16-17", "18-21", "22-25",
				    "prefer-not-to-say" };
static const char *const districts[] = { "northvale", "eastbrook", "southmere", "westfield",
					 "outside", "prefer-not-to-say" };
static const char *const texts[] = {
	"",
	"More+places+to+go+in+the+evenings+that+are+free+and+safe.",
	"Buses+that+run+later%2C+and+someone+at+school+who+listens+when+things+go+wrong.",
	"My+mum+is+ill+and+I+look+after+my+brother.+Call+me+on+07700+900123.",
	"",
};

/* A form body as the survey page would send it, varied by i. */
static void sample_body(unsigned i, char *out, size_t cap)
{
	unsigned r = randombytes_uniform(1u << 30);
	int n = snprintf(out, cap, "most-important=%s&make-better%%5B%%5D=%s",
			 most[(i + r) % 6], better[r % 8]);
	if (r & 1)
		n += snprintf(out + n, cap - (size_t)n, "&make-better%%5B%%5D=%s", better[(r / 8) % 8]);
	snprintf(out + n, cap - (size_t)n, "&tell-us=%s&age=%s&district=%s",
		 texts[(r / 64) % 5], ages[(r / 512) % 7], districts[(r / 4096) % 6]);
}

static int make_sample(const struct form_survey *s, const struct seal_public *key, unsigned i,
		       struct sample *out)
{
	struct form_body body;
	struct form_answers *a = calloc(1, sizeof *a);
	struct sbuf payload;
	const char *why = NULL;
	char text[1024];
	int themes[TAXONOMY_MAX_THEMES], ok = 0;
	const struct taxonomy *tax = s->consultation->taxonomy;

	sample_body(i, text, sizeof text);
	sbuf_init(&payload, SEAL_MAX_PLAINTEXT);
	if (a && form_body_parse(text, strlen(text), &body, &why) == SV_OK) {
		if (form_answers_read(s, &body, a, &why) == SV_OK && a->nerrors == 0) {
			form_answers_payload(s, a, &payload);
			out->nthemes = form_answers_themes(s, tax, a, themes);
			for (int k = 0; k < out->nthemes; k++)
				out->themes[k] = tax->themes[themes[k]].id;
			out->npriorities = form_themes_priorities(tax, themes, out->nthemes,
								  out->priorities);
			ok = !payload.err && seal_box_fixed(key, payload.buf, payload.len, s->seal_size,
							    &out->sealed, &out->sealed_len) == SV_OK;
		}
		form_body_free(&body);
	}
	if (!ok)
		fprintf(stderr, "gen: sample %u did not make a response: %s (%s)\n", i,
			why ? why : "invalid answers", text);
	sbuf_free(&payload);
	free(a);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct form_catalog *cat = NULL;
	struct seal_public key;
	struct store *st = NULL;
	struct sample *samples = NULL;
	struct store_response *batch = NULL;
	char err[600], keydir[4096];
	int status = 1;
	long long count;

	if (argc != 4 || parse_int(argv[3], strlen(argv[3]), 1, 100000000, &count)) {
		fprintf(stderr, "usage: gen DATA_DIR FORMS_DIR COUNT\n");
		return 2;
	}
	snprintf(keydir, sizeof keydir, "%s/keys", argv[1]);
	if (sodium_init() < 0 || scrub_init() ||
	    form_catalog_load(argv[2], &cat, err, sizeof err) ||
	    seal_public_load_active(keydir, &key) || store_open_bulk(argv[1], &st)) {
		fprintf(stderr, "gen: cannot start (forms, key or database): %s\n", err);
		goto out;
	}
	const struct form_survey *s = form_catalog_survey(cat, GEN_SURVEY, strlen(GEN_SURVEY));
	if (!s) {
		fprintf(stderr, "gen: no survey %s in %s\n", GEN_SURVEY, argv[2]);
		goto out;
	}
	/* What the server records at start, so the export knows the survey. */
	struct sbuf fields;
	sbuf_init(&fields, 64 * 1024);
	form_survey_fields(s, &fields);
	int bad = fields.err ||
		store_consultation_put(st, s->consultation->id, s->consultation->title,
				       s->consultation->taxonomy_json) ||
		store_survey_put(st, s->id, s->consultation->id, s->title, fields.buf);
	sbuf_free(&fields);
	samples = calloc(GEN_DISTINCT, sizeof *samples);
	batch = calloc(GEN_BATCH, sizeof *batch);
	if (bad || !samples || !batch)
		goto out;
	for (unsigned i = 0; i < GEN_DISTINCT; i++)
		if (make_sample(s, &key, i, &samples[i]))
			goto out;
	static const char *const days[] = { "2026-05-04", "2026-05-05", "2026-05-06", "2026-05-07",
					    "2026-05-08", "2026-05-11", "2026-05-12" };
	for (long long done = 0; done < count;) {
		size_t n = count - done < GEN_BATCH ? (size_t)(count - done) : GEN_BATCH;
		for (size_t i = 0; i < n; i++) {
			const struct sample *p = &samples[(size_t)(done + (long long)i) % GEN_DISTINCT];
			batch[i] = (struct store_response) {
				.consultation = s->consultation->id, .survey = s->id,
				.day = days[(size_t)(done + (long long)i) % 7], .key_id = key.id,
				.sealed = p->sealed, .sealed_len = p->sealed_len,
				.themes = p->themes, .nthemes = (size_t)p->nthemes,
				.priorities = p->priorities, .npriorities = (size_t)p->npriorities,
			};
		}
		if (store_response_insert_many(st, batch, n, NULL)) {
			fprintf(stderr, "gen: storing responses failed after %lld\n", done);
			goto out;
		}
		done += (long long)n;
	}
	status = 0;
out:
	if (samples)
		for (unsigned i = 0; i < GEN_DISTINCT; i++)
			free(samples[i].sealed);
	free(samples);
	free(batch);
	store_close(st);
	form_catalog_free(cat);
	scrub_free();
	return status;
}
