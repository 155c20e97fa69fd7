/*
 * test_sentence.c - core/sentence: the vectors of tests/data/
 * sentence-reference.tsv (from the JavaScript package, see
 * sentence-reference.mjs) are reproduced to within TOLERANCE, each of
 * unit length; an empty text is refused as the package refuses it.
 * Invalid UTF-8 gives the vector of its decoding with U+FFFD, as Node
 * decodes it; NUL bytes are text; a huge text is read up to
 * SENTENCE_MAX_BYTES, cut at a character's start; the worst NFKC expansion
 * and a megabyte of random bytes come back without harm.  Threads encoding
 * at once get what one thread gets.  A model folder with a shard short,
 * long, empty or missing, a model.json or vocab.json cut short anywhere, a
 * weight renamed or of the wrong shape or dtype, a graph op changed, a
 * shard path leaving the folder, a score that is not a number, a
 * model.json past 8 MB or a FIFO in a file's place is refused, never a
 * crash or a wait.
 *
 * Run from the repository root, after make vendor (which copies the npm
 * package's model files to SENTENCE_MODEL_DIR).
 *   --time   also print the mean and worst time per text over the answers
 *            of tests/data/classify.tsv
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../core/files.h"
#include "../../core/sentence.h"
#include "check.h"

#define MODEL_DIR SENTENCE_MODEL_DIR  /* make vendor copies the npm package's files there */
#define REFERENCE "tests/data/sentence-reference.tsv"
#define ANSWERS "tests/data/classify.tsv"
#define MAX_FILE (4 * 1024 * 1024)
#define SHARDS 7

/* Largest difference allowed from the package's floats.  Seen: under 1e-6
 * (summing in another order than TensorFlow.js's kernels); a wrong token
 * moves a vector by 1e-3 and more. */
#define TOLERANCE 2e-5

#define R "\xEF\xBF\xBD"  /* U+FFFD */

static struct sentence_model *model;

/* Appends code point cp to out as UTF-8. */
static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int hex4(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
			     c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return -1;
		*v = *v * 16 + d;
	}
	return 0;
}

/*
 * Decodes the JSON string at s (as JSON.stringify writes it: UTF-8, escapes
 * for quotes, backslashes and control characters, surrogate pairs) into out
 * (room for strlen(s) bytes), NULs included.  Returns the bytes written and
 * sets *end past the closing quote, or returns -1.
 */
static long json_string(const char *s, char *out, const char **end)
{
	size_t o = 0;

	if (*s++ != '"')
		return -1;
	while (*s != '"') {
		uint32_t cp, lo;
		if (*s == '\0')
			return -1;
		if (*s != '\\') {
			out[o++] = *s++;
			continue;
		}
		s++;
		switch (*s++) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case '/': out[o++] = '/'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (hex4(s, &cp))
				return -1;
			s += 4;
			if (cp >= 0xD800 && cp < 0xDC00) {
				if (s[0] != '\\' || s[1] != 'u' || hex4(s + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				s += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			o += put_utf8(out + o, cp);
			break;
		default:
			return -1;
		}
	}
	*end = s + 1;
	return (long)o;
}

static double max_diff(const float *a, const float *b)
{
	double worst = 0;
	for (int i = 0; i < SENTENCE_DIM; i++)
		if (fabs((double)a[i] - b[i]) > worst)
			worst = fabs((double)a[i] - b[i]);
	return worst;
}

static int all_zero(const float *v)
{
	for (int i = 0; i < SENTENCE_DIM; i++)
		if (v[i] != 0)
			return 0;
	return 1;
}

static double norm(const float *v)
{
	double s = 0;
	for (int i = 0; i < SENTENCE_DIM; i++)
		s += (double)v[i] * v[i];
	return sqrt(s);
}

/* The vector of s (n bytes); CHECKs that it was made. */
static void encode(const char *s, size_t n, float v[SENTENCE_DIM])
{
	CHECK(sentence_encode(model, s, n, v) == SV_OK);
}

/* Every line of the reference file, against what the package gave. */
static void test_reference(void)
{
	char *file = NULL, *text = NULL;
	size_t len;
	int lines = 0, errors = 0;
	double worst = 0;

	CHECK(files_read_all(REFERENCE, MAX_FILE, &file, &len) == SV_OK);
	if (!file)
		return;
	text = malloc(len + 1);
	CHECK(text != NULL);
	for (char *line = file, *next; text && line < file + len; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : file + len;
		if (*line == '#' || *line == '\n')
			continue;
		const char *p;
		long n = json_string(line, text, &p);
		float got[SENTENCE_DIM], want[SENTENCE_DIM];
		CHECK(n >= 0 && *p == '\t');
		if (n < 0 || *p != '\t')
			continue;
		lines++;
		p++;
		enum sv_err rc = sentence_encode(model, text, (size_t)n, got);
		if (strncmp(p, "error", 5) == 0) {
			/* The package throws; so do we, leaving zeros. */
			CHECK(rc == SV_ERR_INVALID && all_zero(got));
			errors++;
			continue;
		}
		int k = 0;
		for (char *q; k < SENTENCE_DIM; k++, p = q) {
			want[k] = strtof(p, &q);
			if (q == p)
				break;
		}
		CHECK(k == SENTENCE_DIM && (*p == '\n' || *p == '\0'));
		CHECK(rc == SV_OK);
		double d = max_diff(got, want);
		if (d > worst)
			worst = d;
		if (d > TOLERANCE)
			fprintf(stderr, "  differs by %g: %.60s\n", d, line);
		CHECK(d <= TOLERANCE);
		CHECK(fabs(norm(got) - 1) < 1e-5);
	}
	printf("reference: %d texts (%d refused), largest difference %.3g\n", lines, errors, worst);
	CHECK(lines >= 30 && errors == 1);
	free(text);
	free(file);
}

/* Invalid UTF-8 is what Node makes of it: each bad sequence one U+FFFD
 * (checked against Buffer.toString once); NUL bytes are characters. */
static void test_bytes(void)
{
#define RAW(s) s, sizeof s - 1
	static const struct { const char *raw; size_t raw_len; const char *as; } cases[] = {
		{ RAW("a\xff" "b\xe2\x82 \xed\xa0\x80\xf0\x80" "A\xc0\xaf\xf4\x90\x80\x80\xe2\x82"),
		  "a" R "b" R " " R R R R R "A" R R R R R R R },
		{ RAW("caf\xc3"), "caf" R },                    /* cut inside a character */
		{ RAW("\x80\x80 ok"), R R " ok" },              /* lone continuation bytes */
		{ RAW("\xf8\x88\x80\x80\x80"), R R R R R },     /* the old five-byte form */
		{ RAW("\xc1\xbf"), R R },                        /* overlong */
		{ RAW("\xef\xbf\xbe\xf4\x8f\xbf\xbf"), "\xef\xbf\xbe\xf4\x8f\xbf\xbf" }, /* noncharacters are valid */
	};
#undef RAW
	float a[SENTENCE_DIM], b[SENTENCE_DIM];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		encode(cases[i].raw, cases[i].raw_len, a);
		encode(cases[i].as, strlen(cases[i].as), b);
		CHECK(memcmp(a, b, sizeof a) == 0);
	}
	/* A NUL is read, not taken for the end. */
	encode("a\0b", 3, a);
	encode("a", 1, b);
	CHECK(memcmp(a, b, sizeof a) != 0);
	encode("\0", 1, a);
	CHECK(fabs(norm(a) - 1) < 1e-5);
	/* Nothing is nothing, however it comes. */
	CHECK(sentence_encode(model, "", 0, a) == SV_ERR_INVALID);
	CHECK(sentence_encode(model, NULL, 0, a) == SV_ERR_INVALID && all_zero(a));
	CHECK(sentence_encode(model, "x", 0, a) == SV_ERR_INVALID);
}

/* Long texts: read up to SENTENCE_MAX_BYTES, cut back to a character's start. */
static void test_long(void)
{
	const size_t big = 1024 * 1024;
	char *s = malloc(big);
	float a[SENTENCE_DIM], b[SENTENCE_DIM];
	uint32_t seed = 7;

	CHECK(s != NULL);
	if (!s)
		return;
	/* A megabyte of emoji: the vector of its first SENTENCE_MAX_BYTES. */
	for (size_t i = 0; i + 4 <= big; i += 4)
		memcpy(s + i, "\xf0\x9f\x98\x80", 4);
	encode(s, big, a);
	encode(s, SENTENCE_MAX_BYTES, b);
	CHECK(memcmp(a, b, sizeof a) == 0);

	/* 1,023 emoji (one unknown token: a run of unknowns is one), "abc",
	 * then "é" from byte 4,095 on: a cut at SENTENCE_MAX_BYTES would leave
	 * half of it, read as U+FFFD, so the cut comes a byte earlier. */
	for (size_t i = 0; i < 4092; i += 4)
		memcpy(s + i, "\xf0\x9f\x98\x80", 4);
	memcpy(s + 4092, "abc", 3);
	for (size_t i = 4095; i + 1 < big; i += 2)
		memcpy(s + i, "\xc3\xa9", 2);
	CHECK(SENTENCE_MAX_BYTES == 4096);
	encode(s, big, a);
	encode(s, 4095, b);
	CHECK(memcmp(a, b, sizeof a) == 0);
	encode(s, 4096, b);  /* not cut: the half character is read */
	CHECK(memcmp(a, b, sizeof a) != 0);
	encode(s, 4097, b);  /* cut: the character is dropped whole */
	CHECK(memcmp(a, b, sizeof a) == 0);

	/* U+FDFA, whose NFKC is 18 code points, the most of any; U+337F's is
	 * four unknown ones. */
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(s + i, "\xef\xb7\xba", 3);
	encode(s, big, a);
	CHECK(fabs(norm(a) - 1) < 1e-5);
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(s + i, "\xe3\x8d\xbf", 3);
	encode(s, big, a);
	encode("\xe6\xa0\xaa", 3, b);  /* one CJK character, as unknown */
	CHECK(memcmp(a, b, sizeof a) == 0);

	/* A megabyte of random bytes. */
	for (size_t i = 0; i < big; i++) {
		seed = seed * 1103515245u + 12345u;
		s[i] = (char)(seed >> 16);
	}
	encode(s, big, a);
	CHECK(fabs(norm(a) - 1) < 1e-5);
	for (size_t n = 1; n < 64; n = n * 2 + 1) {
		encode(s + n * 977, n, a);  /* short random texts too */
		CHECK(fabs(norm(a) - 1) < 1e-5);
	}
	free(s);
}

struct worker {
	const char *text;
	float v[SENTENCE_DIM];
	enum sv_err rc;
};

static void *encode_often(void *arg)
{
	struct worker *w = arg;
	float v[SENTENCE_DIM];

	w->rc = sentence_encode(model, w->text, strlen(w->text), w->v);
	for (int i = 0; i < 5 && w->rc == SV_OK; i++)
		if (sentence_encode(model, w->text, strlen(w->text), v) != SV_OK || memcmp(v, w->v, sizeof v) != 0)
			w->rc = SV_ERR_INVALID;
	return NULL;
}

/* Four threads on one model get what one thread gets. */
static void test_threads(void)
{
	static const char *const texts[4] = {
		"more buses after six", "somewhere to go that isn't the park",
		"I'm a young carer and nobody at school knows", "\xf0\x9f\x98\x80 idk",
	};
	struct worker w[4];
	pthread_t t[4];
	float v[SENTENCE_DIM];

	for (int i = 0; i < 4; i++) {
		w[i].text = texts[i];
		CHECK(pthread_create(&t[i], NULL, encode_often, &w[i]) == 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].rc == SV_OK);
		encode(texts[i], strlen(texts[i]), v);
		CHECK(memcmp(v, w[i].v, sizeof v) == 0);
	}
}

/* ------------------------------------------------ broken model folders */

static char tmp[64];

/* Makes tmp/name a link to the real file. */
static void link_real(const char *name)
{
	char from[512], to[512], cwd[256];

	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(from, sizeof from, "%s/%s/%s", cwd, MODEL_DIR, name);
	snprintf(to, sizeof to, "%s/%s", tmp, name);
	unlink(to);
	CHECK(symlink(from, to) == 0);
}

/* tmp holding links to the real model's files. */
static void fresh_dir(void)
{
	char name[64];

	link_real("model.json");
	link_real("vocab.json");
	for (int i = 1; i <= SHARDS; i++) {
		snprintf(name, sizeof name, "group1-shard%dof%d", i, SHARDS);
		link_real(name);
	}
}

/* Writes tmp/name with these bytes, in place of its link. */
static void put(const char *name, const void *data, size_t len)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", tmp, name);
	unlink(path);
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (fp) {
		CHECK(fwrite(data, 1, len, fp) == len);
		fclose(fp);
	}
}

/* Loads tmp: what it gives, the model freed. */
static enum sv_err load_tmp(void)
{
	struct sentence_model *m = NULL;
	enum sv_err rc = sentence_load(tmp, &m);

	CHECK((rc == SV_OK) == (m != NULL));
	sentence_free(m);
	return rc;
}

/* model.json with the first `from` replaced by `to`; 1 if it was found. */
static int put_model_edited(const char *json, size_t len, const char *from, const char *to)
{
	const char *at = memmem(json, len, from, strlen(from));
	size_t n1, n2 = strlen(to), n3;
	char *edited;

	if (!at)
		return 0;
	n1 = (size_t)(at - json);
	n3 = len - n1 - strlen(from);
	edited = malloc(n1 + n2 + n3);
	if (!edited)
		return 0;
	memcpy(edited, json, n1);
	memcpy(edited + n1, to, n2);
	memcpy(edited + n1 + n2, at + strlen(from), n3);
	put("model.json", edited, n1 + n2 + n3);
	free(edited);
	return 1;
}

static void test_broken(void)
{
	char path[512], *json = NULL, *vocab = NULL, *shard = NULL;
	size_t json_len, vocab_len, shard_len;
	struct sentence_model *m = NULL;

	CHECK(sentence_load("/nonexistent-model-dir", &m) == SV_ERR_NOTFOUND && m == NULL);
	snprintf(tmp, sizeof tmp, "/tmp/yv-sentence-XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		CHECK(0);
		return;
	}
	fresh_dir();
	CHECK(load_tmp() == SV_OK);  /* the links alone load */

	CHECK(files_read_all(MODEL_DIR "/model.json", MAX_FILE, &json, &json_len) == SV_OK);
	CHECK(files_read_all(MODEL_DIR "/vocab.json", MAX_FILE, &vocab, &vocab_len) == SV_OK);
	CHECK(files_read_all(MODEL_DIR "/group1-shard7of7", MAX_FILE, &shard, &shard_len) == SV_OK);
	if (!json || !vocab || !shard)
		goto out;

	/* The last shard short by one float, long by one byte, missing. */
	put("group1-shard7of7", shard, shard_len - 4);
	CHECK(load_tmp() == SV_ERR_INVALID);
	shard[shard_len] = 0;  /* files_read_all leaves room for a NUL */
	put("group1-shard7of7", shard, shard_len + 1);
	CHECK(load_tmp() == SV_ERR_INVALID);
	snprintf(path, sizeof path, "%s/group1-shard7of7", tmp);
	unlink(path);
	CHECK(load_tmp() == SV_ERR_NOTFOUND);
	put("group1-shard7of7", "", 0);
	CHECK(load_tmp() == SV_ERR_INVALID);
	/* A FIFO for a shard or model.json: refused, not waited on. */
	unlink(path);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(load_tmp() == SV_ERR_IO);
	fresh_dir();
	snprintf(path, sizeof path, "%s/model.json", tmp);
	unlink(path);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(load_tmp() == SV_ERR_IO);
	fresh_dir();

	/* model.json cut short anywhere: never a crash, never a model. */
	int refused = 0, tries = 0;
	for (size_t n = 0; n < json_len; n += 4999, tries++) {
		put("model.json", json, n);
		refused += load_tmp() == SV_ERR_INVALID;
	}
	CHECK(refused == tries);
	/* Edits that keep it JSON: a shape, a dtype, a name, a path, an op, a key. */
#define EMBEDDINGS "\"name\": \"module/Embeddings_en\",\n          \"shape\": [\n            "
	CHECK(put_model_edited(json, json_len, EMBEDDINGS "8002", EMBEDDINGS "8001"));
	CHECK(load_tmp() == SV_ERR_INVALID);
	CHECK(put_model_edited(json, json_len, "\"dtype\": \"float32\"", "\"dtype\": \"float16\""));
	CHECK(load_tmp() == SV_ERR_INVALID);
	CHECK(put_model_edited(json, json_len, EMBEDDINGS, "\"name\": \"module/Embeddings_fr\",\n  \"shape\": ["));
	CHECK(load_tmp() == SV_ERR_INVALID);
	CHECK(put_model_edited(json, json_len, "\"group1-shard1of7\"", "\"../group1-shard1of7\""));
	CHECK(load_tmp() == SV_ERR_INVALID);
	CHECK(put_model_edited(json, json_len, "\"op\": \"Softmax\"", "\"op\": \"Sigmoid\""));
	CHECK(load_tmp() == SV_ERR_INVALID);
	CHECK(put_model_edited(json, json_len, "\"weightsManifest\"", "\"weightsManifesto\""));
	CHECK(load_tmp() == SV_ERR_INVALID);
#undef EMBEDDINGS
	put("model.json", json, json_len);
	CHECK(load_tmp() == SV_OK);  /* the copy itself is fine */
	/* Past MODEL_MAX_JSON (8 MB, docs/limits.md), even as valid JSON: refused unread. */
	size_t padded_len = (8u << 20) + 1;
	char *padded = malloc(padded_len);
	if (padded) {
		memset(padded, ' ', padded_len);
		memcpy(padded, json, json_len);
		put("model.json", padded, padded_len);
		CHECK(load_tmp() == SV_ERR_INVALID);
		put("model.json", padded, padded_len - 1);
		CHECK(load_tmp() == SV_OK);
		free(padded);
	}
	put("model.json", json, json_len);

	/* vocab.json cut short anywhere, or with a score that is not a number. */
	refused = tries = 0;
	for (size_t n = 0; n < vocab_len; n += 4999, tries++) {
		put("vocab.json", vocab, n);
		refused += load_tmp() == SV_ERR_INVALID;
	}
	CHECK(refused == tries);
	char *scored = memmem(vocab, vocab_len, "-3.28450870514", 14);
	CHECK(scored != NULL);
	if (scored) {
		memcpy(scored, "\"3.2845087051\"", 14);
		put("vocab.json", vocab, vocab_len);
		CHECK(load_tmp() == SV_ERR_INVALID);
	}
out:
	free(json);
	free(vocab);
	free(shard);
	check_remove_dir(tmp);
}

/* --time: the mean and worst milliseconds per text over classify.tsv's answers. */
static void time_answers(void)
{
	char *file = NULL;
	size_t len;
	double total = 0, worst = 0;
	int texts = 0;
	float v[SENTENCE_DIM];

	CHECK(files_read_all(ANSWERS, MAX_FILE, &file, &len) == SV_OK);
	if (!file)
		return;
	for (int round = 0; round < 3; round++) {
		for (char *line = file, *next; line < file + len; line = next) {
			next = strchr(line, '\n');
			next = next ? next + 1 : file + len;
			char *text = line[0] == '#' ? NULL : strchr(line, '\t');
			text = text ? strchr(text + 1, '\t') : NULL;
			if (!text)
				continue;
			text++;
			size_t n = (size_t)(next - text) - (next[-1] == '\n');
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			enum sv_err rc = sentence_encode(model, text, n, v);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			CHECK(rc == SV_OK);
			double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
			if (round == 0)
				continue;  /* warming the caches */
			total += ms;
			texts++;
			if (ms > worst)
				worst = ms;
		}
	}
	printf("time: %d texts, mean %.3f ms, worst %.3f ms a text\n", texts, total / texts, worst);
	free(file);
}

int main(int argc, char **argv)
{
	enum sv_err rc = sentence_load(MODEL_DIR, &model);

	if (rc) {
		fprintf(stderr, "test_sentence: cannot load %s (%s): run make vendor\n", MODEL_DIR, sv_err_str(rc));
		CHECK(0);
		return CHECK_DONE();
	}
	test_reference();
	test_bytes();
	test_long();
	test_threads();
	test_broken();
	if (argc > 1 && strcmp(argv[1], "--time") == 0)
		time_answers();
	sentence_free(model);
	sentence_free(NULL);
	return CHECK_DONE();
}
