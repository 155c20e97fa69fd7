/*
 * classify.c - theme suggestions for coded answers, and coder agreement
 * (see classify.h).
 *
 * The model is logistic regression, one theme against the rest, over which
 * features an answer holds:
 *   - each word's Snowball stem, and each pair of neighbouring stems (value 1);
 *   - the character 3-, 4- and 5-grams of each stem, "^" and "$" marking
 *     its ends (value NGRAM_VALUE each): "dinnerz" shares "^din", "inne"
 *     and "nner" with "dinner", so a misspelt word still says something;
 *   - for each theme, whether the answer holds one of its seed words (value
 *     LEX_VALUE): one weight a theme, learned from every tag, so answers that
 *     use some of a theme's seed words teach the model to trust the others
 *     too, the ones no tag has used yet.
 *
 *   confidence(t) = 1 / (1 + exp(-(b[t] + sum over the answer's features f of w[t][f] x value(f))))
 *
 * trained by stochastic gradient descent with an L2 penalty on the coded
 * answers kept in memory (an answer coded "no theme" is a "no" for every
 * theme) and on each seed word of the taxonomy as a made-up answer of one
 * word with its theme.  Training starts from zero and visits the examples
 * in the order they came (seeds first), so the model is a function of what
 * is coded now, in that order: classify_forget takes the answer out of the
 * list and the next suggestion is exactly what it would have been had it
 * never been learned.  Training is lazy: learn and forget only mark the
 * model stale, and the next suggestion retrains it (`make bench` prints how
 * long it takes for 382 answers; epochs shrink as the list grows, so a
 * retrain stays under about 2 x 10^8 weight updates, 3 x 10^8 counting the
 * sentence vectors' (about half a second), or 4 epochs when even those
 * pass it).
 *
 * Logistic regression beat naive Bayes on tests/data/classify.tsv's
 * learning answers (held-out ones unseen, `test_classify_eval --dev`) by
 * 0.15 or more in micro-F1 after 200 tags with the first seed lists: with a
 * dozen answers a theme, naive Bayes let rare words and class sizes swamp
 * the evidence, where the discriminative model learns that "more", "need"
 * and "school" say nothing.  The n-grams and the seed-word features each
 * added about 0.01 on the learning answers (`--dev --shuffles 40`); what
 * else was tried there and not kept (TF-IDF, L2-normalised answers, other
 * rates, epochs and penalties, class weights, thresholds chosen per theme
 * by cross-validation, naive Bayes added to the regression, liblinear's
 * solvers, averaged weights, longer seed lists) is listed in README.md.
 *
 * Words and pairs are hashed (FNV-1a) into CLASSIFY_BUCKETS weights per
 * theme, n-grams into NGRAM_BUCKETS more, and the seed-word features take
 * one weight per theme after those, so memory for the weights is fixed
 * whatever is typed; a collision mixes two rare words, which costs little
 * at this size.  The examples' features are kept (at most
 * CLASSIFY_MAX_TAGGED answers, CLASSIFY_MAX_WORDS words and
 * CLASSIFY_MAX_NGRAMS n-grams each).  An answer's features go into a fixed
 * scratch array, sorted and each kept once, and the stemmer reuses its own
 * buffer, so suggesting and training allocate nothing; learning grows the
 * example list now and then.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libstemmer.h>
#include <sodium.h>

#include "classify.h"
#include "sentence.h"
#include "sentence_cache.h"

#define RATE 0.3            /* SGD step for the weights */
#define BIAS_RATE 0.03      /* and for each theme's bias, which starts at BIAS_START */
#define BIAS_START (-2.0)   /* most answers are not about any one theme */
#define L2 0.03             /* penalty on the weights of the features an example holds */
#define EPOCHS 40           /* passes over the examples while they are few ... */
#define MAX_UPDATES 200000000.0 /* ... and fewer once passes x features x themes would pass this */
#define MAX_UPDATES_VECTORS 300000000.0 /* ... or this, counting each vector's SENTENCE_DIM values */
#define NGRAM_BUCKETS (1u << 15)  /* hashed stem n-grams per theme */
#define NGRAM_MIN 3           /* n-grams of 3 ... */
#define NGRAM_MAX 5           /* ... to 5 bytes */
#define NGRAM_STEM 20         /* bytes of a stem its n-grams come from */
#define NGRAM_VALUE 0.3       /* an n-gram's value: a word holds many */
#define LEX_VALUE 0.5         /* a seed-word feature's value */
#define LEX_BASE (CLASSIFY_BUCKETS + NGRAM_BUCKETS) /* theme t's seed-word feature: LEX_BASE + t */
/* Stems and pairs, at most CLASSIFY_MAX_NGRAMS n-grams, one seed-word feature a theme. */
#define MAX_FEATURES (2 * CLASSIFY_MAX_WORDS + CLASSIFY_MAX_NGRAMS + TAXONOMY_MAX_THEMES)
#define SEED_FLAG 0x10000u  /* in an example's header: a seed word, not an answer */
#define VEC_SCALE 10.0      /* a sentence vector's values are multiplied by this ... */
#define VEC_RATE 0.003      /* ... and their weights' SGD step and ... */
#define VEC_L2 0.001        /* ... penalty are their own */
_Static_assert(CLASSIFY_VECTOR_BYTES == SENTENCE_DIM * sizeof(float), "a vector's bytes");
_Static_assert(MAX_FEATURES < SEED_FLAG, "an example's feature count must fit below SEED_FLAG");

/*
 * The examples, one after another in ex[]: a header word (the number of
 * features, with SEED_FLAG for a seed word), the number of themes, the
 * features (sorted) and the themes (sorted).
 */
struct classify {
	int nthemes;                     /* themes in the taxonomy */
	size_t nslots;                   /* features there are weights for: LEX_BASE + nthemes */
	struct sb_stemmer *stemmer;      /* Snowball English, UTF-8 */
	float *w;                        /* [nslots][nthemes]: a feature's weights side by side */
	double *bias;                    /* [nthemes] */
	int stale;                       /* examples changed since the weights were trained */
	uint32_t *ex;                    /* the examples, as above */
	size_t nex, capex;               /* words used and allocated in ex */
	long nexamples;                  /* examples in ex, seeds included */
	long nreal;                      /* of those, answers learned (and not forgotten) */
	long nfeatures;                  /* features over all examples */
	uint32_t feat[MAX_FEATURES];     /* scratch: one answer's features, sorted, each once */
	int nfeat;                       /* how many feat holds */
	uint32_t *seeds;                 /* the seed words: (key, theme) pairs, sorted */
	size_t nseeds;                   /* pairs in seeds */
	uint32_t last_key;               /* the key of the last word or pair features() read */
	/* With sentence vectors (else NULL): */
	struct sentence_cache *sentences;
	float *wv;                       /* [nthemes][SENTENCE_DIM]: the vector's weights */
	float *vecs;                     /* [nexamples][SENTENCE_DIM]: each example's vector */
	size_t capvecs;                  /* rows allocated in vecs */
	int vecs_unlocked;               /* vecs could not be locked in memory (sodium_mlock) */
	float vec[SENTENCE_DIM];         /* scratch: the vector of the text encode() read */
};

/* Words that say nothing about a theme, as they are typed (before stemming). */
static const char *const stopwords[] = {
	"a", "about", "all", "am", "an", "and", "are", "as", "at", "be", "because", "been",
	"but", "by", "can", "cos", "coz", "did", "do", "does", "for", "from", "get", "got",
	"had", "has", "have", "he", "her", "him", "his", "i", "if", "im", "in", "into", "is",
	"it", "its", "just", "me", "my", "of", "on", "or", "our", "she", "so", "that",
	"the", "their", "them", "then", "there", "they", "this", "to", "u", "us", "was", "we",
	"were", "what", "when", "which", "who", "will", "with", "would", "you", "your", NULL
};

static int is_stopword(const char *w, size_t n)
{
	for (int i = 0; stopwords[i]; i++)
		if (strlen(stopwords[i]) == n && memcmp(stopwords[i], w, n) == 0)
			return 1;
	return 0;
}

/* FNV-1a over n bytes, continuing from h. */
static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

/* A word pair's feature from its words' hashes (murmur3's finaliser mixes them). */
static uint32_t pair_hash(uint32_t a, uint32_t b)
{
	uint32_t h = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u + (a << 6) + (a >> 2));

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/*
 * Decodes one UTF-8 character at s[*i] (n bytes in all), moving *i past it.
 * Returns the code point, or -1 for a byte that does not start a valid,
 * shortest-form character (then *i moves one byte).
 */
static long utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char b = s[*i];
	int more;
	long cp, min;

	if (b < 0x80) {
		(*i)++;
		return b;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		more = 1, cp = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		more = 2, cp = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		more = 3, cp = b & 0x07, min = 0x10000;
	} else {
		(*i)++;
		return -1;
	}
	if (*i + (size_t)more >= n) { /* cut off at the end */
		(*i)++;
		return -1;
	}
	for (int k = 1; k <= more; k++) {
		unsigned char c = s[*i + (size_t)k];
		if ((c & 0xc0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (c & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		(*i)++;
		return -1;
	}
	*i += (size_t)more + 1;
	return cp;
}

/* An apostrophe inside a word is dropped ("don't" is "dont") unless a clitic follows (clitic_end). */
static int is_apostrophe(long cp)
{
	return cp == '\'' || cp == 0x2018 || cp == 0x2019;
}

/*
 * Letters and digits of any script make words; ASCII punctuation, spaces,
 * Latin-1 signs and general punctuation (dashes, quotes, the ellipsis) break
 * them.  Anything else beyond ASCII (letters of other scripts, emoji) is
 * kept as part of a word.
 */
static int is_word_char(long cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp <= 0xbf)
		return cp == 0xa3;  /* the pound sign stays with its number: "£5" */
	if (cp == 0xd7 || cp == 0xf7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x206f)
		return 0;
	return cp != 0x3000 && cp != 0xfeff;
}

/* Orders (key, theme) pairs by key, then theme. */
static int cmp_pair(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] > y[0]) - (x[0] < y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The value of feature f: 1 for a word or pair, less for an n-gram or a seed-word feature. */
static float feature_value(uint32_t f)
{
	return f < CLASSIFY_BUCKETS ? 1.0f : f < LEX_BASE ? (float)NGRAM_VALUE : (float)LEX_VALUE;
}

/*
 * Appends the n-grams of a stem (n bytes; the first NGRAM_STEM of them) to
 * c->feat, while *left (the answer's n-grams still to come) allows.
 */
static void add_ngrams(struct classify *c, const void *stem, size_t n, int *left)
{
	char b[NGRAM_STEM + 2];
	size_t m = n < NGRAM_STEM ? n : NGRAM_STEM;

	b[0] = '^';
	memcpy(b + 1, stem, m);
	b[m + 1] = '$';
	for (size_t g = NGRAM_MIN; g <= NGRAM_MAX; g++)
		for (size_t at = 0; at + g <= m + 2 && *left > 0; at++, (*left)--)
			c->feat[c->nfeat++] = CLASSIFY_BUCKETS +
				(fnv(2166136261u ^ (uint32_t)g, b + at, g) & (NGRAM_BUCKETS - 1));
}

/*
 * Appends the seed-word feature of each theme with a seed word whose key
 * (the hash of a word, or of a pair for a seed of two words) is key, unless
 * seen[] says the answer has it already.
 */
static void add_seed_features(struct classify *c, uint32_t key, uint64_t *seen)
{
	size_t lo = 0, hi = c->nseeds;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->seeds[2 * mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nseeds && c->seeds[2 * lo] == key; lo++) {
		uint32_t t = c->seeds[2 * lo + 1];
		if (seen[t / 64] & (1ull << (t % 64)))
			continue;
		seen[t / 64] |= 1ull << (t % 64);
		c->feat[c->nfeat++] = LEX_BASE + t;
	}
}

/*
 * After an apostrophe at s[at - 1]: where the clitic that follows ends,
 * when it is one that says nothing ('ll, 'd, 'm, 're, 've, 's, in any
 * case, then the end of the word or a closing quote), else 0.  So "I'll"
 * is "i", not "ill", and "nan's" "nan", where "don't" stays "dont".
 */
static size_t clitic_end(const unsigned char *s, size_t len, size_t at)
{
	static const char *const clitics[] = { "ll", "d", "m", "re", "ve", "s", NULL };
	size_t n = 0;

	while (at + n < len && n < 3 && ((s[at + n] | 0x20) >= 'a' && (s[at + n] | 0x20) <= 'z'))
		n++;
	if (at + n < len) {
		size_t i = at + n;
		long cp = utf8_next(s, len, &i);
		/* A closing quote may follow ("'I'll'"); another letter after it may not ("I'd've"). */
		if (cp >= 0 && is_apostrophe(cp) && i < len)
			cp = utf8_next(s, len, &i);
		if (cp >= 0 && is_word_char(cp))
			return 0;
	}
	for (int k = 0; clitics[k]; k++)
		if (strlen(clitics[k]) == n && strncasecmp((const char *)s + at, clitics[k], n) == 0)
			return at + n;
	return 0;
}

/*
 * Reads the word of s (len bytes) that starts at or after *i, as features
 * wants it: ASCII lower-cased, apostrophes inside it dropped ("Don't" is
 * "dont") or ending it before a clitic (clitic_end: "I'll" is "i"), its
 * first CLASSIFY_MAX_WORD bytes kept in word.  Its bytes in s
 * are [*from, *to).  Moves *i past the character that ended it.  Returns
 * the length kept, 0 when s has no more words.
 */
static size_t next_word(const unsigned char *s, size_t len, size_t *i, char *word, size_t *from,
			size_t *to)
{
	size_t wlen = 0;

	for (;;) {
		long cp = -2; /* the end of the text */
		size_t start = *i;
		if (*i < len)
			cp = utf8_next(s, len, i);
		if (cp >= 0 && is_apostrophe(cp) && wlen > 0) {
			size_t after = clitic_end(s, len, *i);
			if (after == 0)
				continue;
			*i = *to = after;
			return wlen;
		}
		if (cp >= 0 && is_word_char(cp)) {
			size_t n = *i - start;
			if (wlen == 0)
				*from = start;
			*to = *i;
			if (wlen + n <= CLASSIFY_MAX_WORD) {
				memcpy(word + wlen, s + start, n);
				if (n == 1 && word[wlen] >= 'A' && word[wlen] <= 'Z')
					word[wlen] = (char)(word[wlen] - 'A' + 'a');
				wlen += n;
			}
			continue;
		}
		if (wlen > 0 || cp == -2)
			return wlen;
	}
}

/* The Snowball stem of word (n bytes) in *stem, its length returned (the word itself if none). */
static size_t stem_of(struct classify *c, const char *word, size_t n, const void **stem)
{
	const sb_symbol *st = sb_stemmer_stem(c->stemmer, (const sb_symbol *)word, (int)n);

	*stem = st ? (const void *)st : (const void *)word;
	return st ? (size_t)sb_stemmer_length(c->stemmer) : n;
}

/*
 * Appends a word's own features to c->feat: its stem, the themes it is a
 * seed word of (unless seen[] has them), and its stem's n-grams while
 * *left allows.  Returns its stem's key.
 */
static uint32_t word_features(struct classify *c, const char *word, size_t wlen, uint64_t *seen,
			      int *left)
{
	const void *p;
	size_t n = stem_of(c, word, wlen, &p);
	uint32_t h = fnv(2166136261u, p, n);

	c->feat[c->nfeat++] = h & (CLASSIFY_BUCKETS - 1);
	add_seed_features(c, h, seen);
	add_ngrams(c, p, n, left);
	return h;
}

/* Sorts c->feat and keeps each feature once. */
static void distinct_features(struct classify *c)
{
	int k = 0;

	qsort(c->feat, (size_t)c->nfeat, sizeof c->feat[0], cmp_u32);
	for (int j = 0; j < c->nfeat; j++)
		if (k == 0 || c->feat[j] != c->feat[k - 1])
			c->feat[k++] = c->feat[j];
	c->nfeat = k;
}

/*
 * Turns text into the sorted, distinct features of c->feat (see the top):
 * the stem of every word (stop words aside), of every pair of neighbouring
 * kept words, the stems' n-grams (the first CLASSIFY_MAX_NGRAMS of them: a
 * long answer's later words still count through their stems and pairs) and
 * the themes whose seed words it holds.  Reads at most CLASSIFY_MAX_TEXT
 * bytes and CLASSIFY_MAX_WORDS words.  Leaves the key of the last word or
 * pair in c->last_key.
 */
static void features(struct classify *c, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	char word[CLASSIFY_MAX_WORD + 4];
	size_t wlen, i = 0, from, to;
	int nwords = 0, have_prev = 0, ngrams_left = CLASSIFY_MAX_NGRAMS;
	uint32_t prev = 0;
	uint64_t seen[(TAXONOMY_MAX_THEMES + 63) / 64] = { 0 };

	c->nfeat = 0;
	c->last_key = 0;
	if (!text)
		return;
	if (len > CLASSIFY_MAX_TEXT)
		len = CLASSIFY_MAX_TEXT;
	while (nwords < CLASSIFY_MAX_WORDS && (wlen = next_word(s, len, &i, word, &from, &to)) > 0) {
		if (is_stopword(word, wlen))
			continue;
		uint32_t h = word_features(c, word, wlen, seen, &ngrams_left);
		c->last_key = h;
		if (have_prev) {
			uint32_t ph = pair_hash(prev, h);
			c->feat[c->nfeat++] = ph & (CLASSIFY_BUCKETS - 1);
			c->last_key = ph;
			add_seed_features(c, ph, seen);
		}
		prev = h;
		have_prev = 1;
		nwords++;
	}
	distinct_features(c);
}

/*
 * Puts the sentence vector of text (its first CLASSIFY_MAX_TEXT bytes) in
 * c->vec.  Leaves zeros if the model fails (only when memory runs out): the
 * words still count.
 */
static void encode(struct classify *c, const char *text, size_t len)
{
	if (!text) {
		text = "";
		len = 0;
	}
	if (len > CLASSIFY_MAX_TEXT)
		len = CLASSIFY_MAX_TEXT;
	if (sentence_cache_encode(c->sentences, text, len, c->vec) != SV_OK)
		memset(c->vec, 0, sizeof c->vec);
}

/*
 * Frees the examples' vectors (n rows), wiped: they say something of what
 * the answers said.
 */
static void free_vecs(float *vecs, size_t n, int locked)
{
	if (!vecs)
		return;
	if (locked)
		sodium_munlock(vecs, n * SENTENCE_DIM * sizeof *vecs);  /* wipes, then unlocks */
	else
		sodium_memzero(vecs, n * SENTENCE_DIM * sizeof *vecs);
	free(vecs);
}

/*
 * Doubles the rows for the examples' vectors, in locked memory where the
 * system allows (as the answers are: never written to swap), noting when
 * it does not.  The old rows are copied, then wiped.
 */
static enum sv_err grow_vecs(struct classify *c)
{
	size_t rows = c->capvecs ? c->capvecs * 2 : 1024;
	float *more = malloc(rows * SENTENCE_DIM * sizeof *more);

	if (!more)
		return SV_ERR_NOMEM;
	int locked = sodium_mlock(more, rows * SENTENCE_DIM * sizeof *more) == 0;
	if (c->vecs)
		memcpy(more, c->vecs, (size_t)c->nexamples * SENTENCE_DIM * sizeof *more);
	free_vecs(c->vecs, c->capvecs, !c->vecs_unlocked);
	c->vecs = more;
	c->capvecs = rows;
	c->vecs_unlocked = !locked;
	return SV_OK;
}

/*
 * Appends the features in c->feat (and with a sentence model the vector in
 * c->vec) with these themes (n of them, sorted) as an example.
 */
static enum sv_err add_example(struct classify *c, const int *themes, int n, uint32_t flag)
{
	size_t need = 2 + (size_t)c->nfeat + (size_t)n;

	if (c->sentences && (size_t)c->nexamples >= c->capvecs && grow_vecs(c) != SV_OK)
		return SV_ERR_NOMEM;
	if (c->nex + need > c->capex) {
		size_t cap = c->capex ? c->capex * 2 : 4096;
		while (cap < c->nex + need)
			cap *= 2;
		uint32_t *more = realloc(c->ex, cap * sizeof *more);
		if (!more)
			return SV_ERR_NOMEM;
		c->ex = more;
		c->capex = cap;
	}
	if (c->sentences)
		memcpy(c->vecs + (size_t)c->nexamples * SENTENCE_DIM, c->vec, sizeof c->vec);
	uint32_t *e = c->ex + c->nex;
	e[0] = (uint32_t)c->nfeat | flag;
	e[1] = (uint32_t)n;
	memcpy(e + 2, c->feat, (size_t)c->nfeat * sizeof *e);
	for (int i = 0; i < n; i++)
		e[2 + c->nfeat + i] = (uint32_t)themes[i];
	c->nex += need;
	c->nexamples++;
	c->nfeatures += c->nfeat;
	c->stale = 1;
	return SV_OK;
}

static double sigmoid(double z)
{
	if (z > 30)
		z = 30;
	else if (z < -30)
		z = -30;
	return 1.0 / (1.0 + exp(-z));
}

/*
 * a . b over SENTENCE_DIM floats, in eight running sums (so the compiler
 * can use vector instructions: a float sum in one order cannot).
 */
static float dot(const float *a, const float *b)
{
	float sum[8] = { 0 };

	for (int q = 0; q < SENTENCE_DIM; q += 8)
		for (int k = 0; k < 8; k++)
			sum[k] += a[q + k] * b[q + k];
	return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
}

/* Adds what the sentence vector v says to each theme's log-odds z[]. */
static void add_vector_score(const struct classify *c, const float *v, double *z)
{
	for (int t = 0; t < c->nthemes; t++)
		z[t] += VEC_SCALE * dot(c->wv + (size_t)t * SENTENCE_DIM, v);
}

/* One step of gradient descent on the vector's weights, g[t] each theme's error. */
static void learn_vector(struct classify *c, const float *v, const double *g)
{
	const float keep = (float)(1.0 - VEC_RATE * VEC_L2);

	for (int t = 0; t < c->nthemes; t++) {
		float *w = c->wv + (size_t)t * SENTENCE_DIM;
		float step = (float)(VEC_RATE * g[t] * VEC_SCALE);
		for (int q = 0; q < SENTENCE_DIM; q++)
			w[q] = w[q] * keep + step * v[q];
	}
}

/* Trains the weights from zero on every example, in order (see the top). */
static void train(struct classify *c)
{
	double per_epoch = (double)(c->nfeatures + c->nexamples) * c->nthemes;
	double most = MAX_UPDATES;
	int epochs = EPOCHS, nth = c->nthemes;
	double z[TAXONOMY_MAX_THEMES], g[TAXONOMY_MAX_THEMES];

	if (c->sentences) {
		per_epoch += (double)c->nexamples * SENTENCE_DIM * c->nthemes;
		most = MAX_UPDATES_VECTORS;
	}
	if (per_epoch * EPOCHS > most)
		epochs = per_epoch * 4 > most ? 4 : (int)(most / per_epoch);
	memset(c->w, 0, c->nslots * (size_t)nth * sizeof *c->w);
	if (c->sentences)
		memset(c->wv, 0, (size_t)nth * SENTENCE_DIM * sizeof *c->wv);
	for (int t = 0; t < nth; t++)
		c->bias[t] = BIAS_START;
	/*
	 * Each theme's sum and step are its own, so going feature by feature
	 * over all themes at once (a feature's weights share a cache line)
	 * gives the same numbers as theme by theme.
	 */
	for (int ep = 0; ep < epochs; ep++) {
		size_t index = 0;            /* the example's, for its vector */
		for (size_t at = 0; at < c->nex; index++) {
			const uint32_t *e = c->ex + at;
			uint32_t nf = e[0] & (SEED_FLAG - 1), nt = e[1];
			const uint32_t *f = e + 2, *th = e + 2 + nf;
			uint32_t k = 0;
			for (int t = 0; t < nth; t++)
				z[t] = c->bias[t];
			const float *vec = c->sentences ? c->vecs + index * SENTENCE_DIM : NULL;
			if (vec)
				add_vector_score(c, vec, z);
			for (uint32_t j = 0; j < nf; j++) {
				const float *w = c->w + (size_t)f[j] * (size_t)nth;
				float v = feature_value(f[j]);
				for (int t = 0; t < nth; t++)
					z[t] += w[t] * v;
			}
			for (int t = 0; t < nth; t++) {
				while (k < nt && th[k] < (uint32_t)t)
					k++;
				g[t] = (k < nt && th[k] == (uint32_t)t) - sigmoid(z[t]);
				c->bias[t] += BIAS_RATE * g[t];
			}
			for (uint32_t j = 0; j < nf; j++) {
				float *w = c->w + (size_t)f[j] * (size_t)nth;
				float v = feature_value(f[j]);
				for (int t = 0; t < nth; t++)
					w[t] += (float)(RATE * (g[t] * v - L2 * w[t]));
			}
			if (vec)
				learn_vector(c, vec, g);
			at += 2 + nf + nt;
		}
	}
	c->stale = 0;
}

enum sv_err classify_new(const struct taxonomy *t, struct sentence_cache *sentences,
			 struct classify **out)
{
	struct classify *c = NULL;
	enum sv_err rc = SV_ERR_NOMEM;

	*out = NULL;
	if (!t || t->nthemes == 0 || t->nthemes > TAXONOMY_MAX_THEMES)
		return SV_ERR_INVALID;
	c = calloc(1, sizeof *c);
	if (!c)
		return SV_ERR_NOMEM;
	c->nthemes = (int)t->nthemes;
	c->nslots = LEX_BASE + (size_t)c->nthemes;
	c->w = calloc(c->nslots * (size_t)c->nthemes, sizeof *c->w);
	c->bias = calloc((size_t)c->nthemes, sizeof *c->bias);
	if (!c->w || !c->bias)
		goto out;
	if (sentences) {
		c->sentences = sentences;
		c->wv = calloc((size_t)c->nthemes * SENTENCE_DIM, sizeof *c->wv);
		if (!c->wv)
			goto out;
	}
	c->stemmer = sb_stemmer_new("english", "UTF_8");
	if (!c->stemmer) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	/*
	 * The seed words' keys, read with no seed words known yet: a word's
	 * hash, or for a seed of several words ("kicked-out") its last pair's.
	 */
	size_t total = 0;
	for (int th = 0; th < c->nthemes; th++)
		total += (size_t)t->themes[th].nseeds;
	c->seeds = calloc(total ? 2 * total : 2, sizeof *c->seeds);
	if (!c->seeds)
		goto out;
	for (int th = 0; th < c->nthemes; th++) {
		const struct theme *tt = &t->themes[th];
		for (int k = 0; k < tt->nseeds; k++) {
			features(c, tt->seeds[k], strlen(tt->seeds[k]));
			if (c->nfeat == 0)
				continue;
			c->seeds[2 * c->nseeds] = c->last_key;
			c->seeds[2 * c->nseeds + 1] = (uint32_t)th;
			c->nseeds++;
		}
	}
	qsort(c->seeds, c->nseeds, 2 * sizeof *c->seeds, cmp_pair);
	/* Each seed word: a made-up answer of that word, with its theme. */
	for (int th = 0; th < c->nthemes; th++) {
		const struct theme *tt = &t->themes[th];
		for (int k = 0; k < tt->nseeds; k++) {
			features(c, tt->seeds[k], strlen(tt->seeds[k]));
			if (c->nfeat == 0)
				continue;
			if (c->sentences)
				encode(c, tt->seeds[k], strlen(tt->seeds[k]));
			if ((rc = add_example(c, &th, 1, SEED_FLAG)) != SV_OK)
				goto out;
		}
	}
	c->nfeat = 0;
	c->stale = 1;
	*out = c;
	return SV_OK;
out:
	classify_free(c);
	return rc;
}

/*
 * Copies themes, checked (each in range, given once), sorted into sorted[].
 * Returns 0 when they are not valid.
 */
static int themes_sorted(const struct classify *c, const int *themes, int n, int *sorted)
{
	if (n < 0 || n > c->nthemes || (n > 0 && !themes))
		return 0;
	for (int i = 0; i < n; i++) {
		int v = themes[i], j = i;
		if (v < 0 || v >= c->nthemes)
			return 0;
		while (j > 0 && sorted[j - 1] > v) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		if (j > 0 && sorted[j - 1] == v)
			return 0;
		sorted[j] = v;
	}
	return 1;
}

enum sv_err classify_learn(struct classify *c, const char *text, size_t len,
			   const int *themes, int n)
{
	int sorted[TAXONOMY_MAX_THEMES];

	if (!themes_sorted(c, themes, n, sorted))
		return SV_ERR_INVALID;
	if (c->nreal >= CLASSIFY_MAX_TAGGED)
		return SV_ERR_TOOBIG;
	features(c, text, len);
	if (c->sentences)
		encode(c, text, len);
	enum sv_err rc = add_example(c, sorted, n, 0);
	if (!rc)
		c->nreal++;
	return rc;
}

enum sv_err classify_forget(struct classify *c, const char *text, size_t len,
			    const int *themes, int n)
{
	int sorted[TAXONOMY_MAX_THEMES];

	if (!themes_sorted(c, themes, n, sorted))
		return SV_ERR_INVALID;
	features(c, text, len);
	if (c->sentences)
		encode(c, text, len);
	/*
	 * The last answer learned with these features, themes and (with
	 * sentence vectors) vector goes: "BUSES LATE!!!" and "buses late" have
	 * the same words but not the same vector.
	 */
	size_t found = (size_t)-1;
	long found_index = 0, index = 0;
	for (size_t at = 0; at < c->nex; index++) {
		const uint32_t *e = c->ex + at;
		uint32_t nf = e[0] & (SEED_FLAG - 1), nt = e[1];
		if (!(e[0] & SEED_FLAG) && nf == (uint32_t)c->nfeat && nt == (uint32_t)n &&
		    memcmp(e + 2, c->feat, nf * sizeof *e) == 0) {
			int same = 1;
			for (int i = 0; i < n && same; i++)
				same = e[2 + nf + (uint32_t)i] == (uint32_t)sorted[i];
			if (same && c->sentences)
				same = memcmp(c->vecs + (size_t)index * SENTENCE_DIM, c->vec, sizeof c->vec) == 0;
			if (same) {
				found = at;
				found_index = index;
			}
		}
		at += 2 + nf + nt;
	}
	if (found == (size_t)-1)
		return SV_ERR_INVALID;
	size_t size = 2 + (size_t)c->nfeat + (size_t)n;
	memmove(c->ex + found, c->ex + found + size, (c->nex - found - size) * sizeof *c->ex);
	c->nex -= size;
	if (c->sentences)
		memmove(c->vecs + (size_t)found_index * SENTENCE_DIM,
			c->vecs + (size_t)(found_index + 1) * SENTENCE_DIM,
			(size_t)(c->nexamples - found_index - 1) * SENTENCE_DIM * sizeof *c->vecs);
	c->nexamples--;
	c->nfeatures -= c->nfeat;
	c->nreal--;
	c->stale = 1;
	return SV_OK;
}

int classify_locked(const struct classify *c)
{
	return !c->vecs_unlocked;
}

long classify_tagged(const struct classify *c)
{
	return c->nreal;
}

size_t classify_bytes(const struct classify *c)
{
	return sizeof *c + c->nslots * (size_t)c->nthemes * sizeof *c->w +
	       (size_t)c->nthemes * sizeof *c->bias + 2 * c->nseeds * sizeof *c->seeds +
	       c->nex * sizeof *c->ex +
	       (c->sentences ? (size_t)c->nthemes * SENTENCE_DIM * sizeof *c->wv +
				       (size_t)c->nexamples * SENTENCE_DIM * sizeof *c->vecs : 0);
}

void classify_scores(struct classify *c, const char *text, size_t len, double *conf)
{
	if (c->stale)
		train(c);
	features(c, text, len);
	for (int t = 0; t < c->nthemes; t++)
		conf[t] = c->bias[t];
	for (int j = 0; j < c->nfeat; j++) {
		const float *w = c->w + (size_t)c->feat[j] * (size_t)c->nthemes;
		float v = feature_value(c->feat[j]);
		for (int t = 0; t < c->nthemes; t++)
			conf[t] += w[t] * v;
	}
	if (c->sentences) {
		encode(c, text, len);
		add_vector_score(c, c->vec, conf);
	}
	for (int t = 0; t < c->nthemes; t++)
		conf[t] = sigmoid(conf[t]);
}

int classify_suggest(struct classify *c, const char *text, size_t len,
		     struct classify_suggestion *out, int max)
{
	double conf[TAXONOMY_MAX_THEMES];
	int n = 0;

	classify_scores(c, text, len, conf);
	/*
	 * The best theme needs only CLASSIFY_BEST, any other CLASSIFY_THRESHOLD
	 * (their _SENTENCE_ values with sentence vectors, whose confidences run lower).
	 */
	const double best_at = c->sentences ? CLASSIFY_SENTENCE_BEST : CLASSIFY_BEST;
	const double other_at = c->sentences ? CLASSIFY_SENTENCE_THRESHOLD : CLASSIFY_THRESHOLD;
	int best = 0;
	for (int th = 1; th < c->nthemes; th++)
		if (conf[th] > conf[best])
			best = th;
	for (int th = 0; th < c->nthemes; th++) {
		if (conf[th] < (th == best ? best_at : other_at))
			continue;
		/* Insert in order: most confident first, ties in taxonomy order. */
		int at = n < max ? n : max;
		while (at > 0 && out[at - 1].confidence < conf[th])
			at--;
		if (at >= max)
			continue;
		int last = n < max ? n : max - 1;
		memmove(out + at + 1, out + at, (size_t)(last - at) * sizeof *out);
		out[at].theme = th;
		out[at].confidence = conf[th];
		if (n < max)
			n++;
	}
	return n;
}

int classify_reasons(struct classify *c, const char *text, size_t len, int theme,
		     struct classify_reason *out, int max)
{
	const unsigned char *s = (const unsigned char *)text;
	char word[CLASSIFY_MAX_WORD + 4];
	uint32_t stems[CLASSIFY_MAX_REASONS];  /* the keys of the words in out */
	size_t wlen, i = 0, from, to;
	int nwords = 0, n = 0, ngrams_left = CLASSIFY_MAX_NGRAMS;

	if (theme < 0 || theme >= c->nthemes || !text)
		return 0;
	if (max > CLASSIFY_MAX_REASONS)
		max = CLASSIFY_MAX_REASONS;
	if (c->stale)
		train(c);
	if (len > CLASSIFY_MAX_TEXT)
		len = CLASSIFY_MAX_TEXT;
	while (nwords < CLASSIFY_MAX_WORDS && (wlen = next_word(s, len, &i, word, &from, &to)) > 0) {
		if (is_stopword(word, wlen))
			continue;
		nwords++;
		/* The word alone, its n-grams as the answer's budget leaves them. */
		uint64_t seen[(TAXONOMY_MAX_THEMES + 63) / 64] = { 0 };
		c->nfeat = 0;
		uint32_t key = word_features(c, word, wlen, seen, &ngrams_left);
		distinct_features(c);
		double weight = 0;
		for (int j = 0; j < c->nfeat; j++)
			weight += c->w[(size_t)c->feat[j] * (size_t)c->nthemes + (size_t)theme] *
				  feature_value(c->feat[j]);
		int again = 0;
		for (int k = 0; k < n && !again; k++)
			again = stems[k] == key;
		if (weight < CLASSIFY_REASON_MIN || again)
			continue;
		/* Insert in order, strongest first; the weakest falls off a full list. */
		int at = n;
		while (at > 0 && out[at - 1].weight < weight)
			at--;
		if (at >= max)
			continue;
		int last = n < max ? n : max - 1;
		memmove(out + at + 1, out + at, (size_t)(last - at) * sizeof *out);
		memmove(stems + at + 1, stems + at, (size_t)(last - at) * sizeof *stems);
		out[at] = (struct classify_reason){ from, to, weight };
		stems[at] = key;
		if (n < max)
			n++;
	}
	return n;
}

void classify_free(struct classify *c)
{
	if (!c)
		return;
	if (c->stemmer)
		sb_stemmer_delete(c->stemmer);
	/* What was learned from the answers (their hashed words, the vectors, the weights) is wiped. */
	if (c->w)
		sodium_memzero(c->w, c->nslots * (size_t)c->nthemes * sizeof *c->w);
	if (c->ex)
		sodium_memzero(c->ex, c->capex * sizeof *c->ex);
	if (c->wv)
		sodium_memzero(c->wv, (size_t)c->nthemes * SENTENCE_DIM * sizeof *c->wv);
	free(c->w);
	free(c->bias);
	free(c->seeds);
	free(c->ex);
	free_vecs(c->vecs, c->capvecs, !c->vecs_unlocked);
	free(c->wv);
	sodium_memzero(c, sizeof *c);
	free(c);
}

double classify_kappa(const struct classify_agreement *a)
{
	double n = (double)(a->both + a->first_only + a->second_only + a->neither);

	if (a->both < 0 || a->first_only < 0 || a->second_only < 0 || a->neither < 0 || n <= 0)
		return NAN;
	double po = (double)(a->both + a->neither) / n;
	double first_yes = (double)(a->both + a->first_only) / n;
	double second_yes = (double)(a->both + a->second_only) / n;
	double pe = first_yes * second_yes + (1 - first_yes) * (1 - second_yes);
	if (pe >= 1)
		return NAN;
	return (po - pe) / (1 - pe);
}

enum sv_err classify_kappa_codes(int nthemes, long nitems, const unsigned char *first,
				 const unsigned char *second, double *per_theme, double *overall)
{
	struct classify_agreement pooled = { 0, 0, 0, 0 };

	if (nthemes < 0 || nitems < 0 || (nthemes > 0 && nitems > 0 && (!first || !second)))
		return SV_ERR_INVALID;
	for (int t = 0; t < nthemes; t++) {
		struct classify_agreement a = { 0, 0, 0, 0 };
		for (long i = 0; i < nitems; i++) {
			int x = first[(size_t)i * (size_t)nthemes + (size_t)t] != 0;
			int y = second[(size_t)i * (size_t)nthemes + (size_t)t] != 0;
			if (x && y)
				a.both++;
			else if (x)
				a.first_only++;
			else if (y)
				a.second_only++;
			else
				a.neither++;
		}
		per_theme[t] = classify_kappa(&a);
		pooled.both += a.both;
		pooled.first_only += a.first_only;
		pooled.second_only += a.second_only;
		pooled.neither += a.neither;
	}
	*overall = classify_kappa(&pooled);
	return SV_OK;
}
