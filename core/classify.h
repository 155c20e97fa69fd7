/*
 * classify.h - suggests themes for a short free-text answer, and measures
 * how far two coders agree.
 *
 * An analyst codes answers (already scrubbed) into the consultation's themes.
 * This module suggests themes for the next answer, each with a confidence in
 * [0, 1], from two sources:
 *   - the seed words of each theme in the taxonomy (core/taxonomy.h), each
 *     a made-up answer of one word coded with its theme;
 *   - the answers already coded (classify_learn): logistic regression per
 *     theme (one-vs-rest, so an answer may have several themes or none)
 *     over the English stems (Snowball, libstemmer) of its words and of
 *     each pair of neighbouring words, hashed into CLASSIFY_BUCKETS weights,
 *     the stems' character 3- to 5-grams (misspelt words), hashed into as
 *     many again, and one feature a theme for "holds one of its seed words".
 * The model is retrained from zero on what is coded now, in the order it
 * was coded, at the first suggestion after a change, so the same calls give
 * the same suggestions and a corrected tag is given back exactly
 * (classify_forget, then classify_learn with the new themes).
 *
 * classify_reasons says why: the words of an answer that raise a theme
 * most, so the analyst can see a suggestion that rests on a word used in
 * passing.
 *
 * Everything stays in this process: no file, no network.  The weights are
 * fixed at classify_new (4 bytes x (2 x CLASSIFY_BUCKETS + themes) a theme);
 * learning keeps each answer's features (4 bytes each: a few hundred for a
 * short answer, at most CLASSIFY_MAX_TAGGED answers); suggesting allocates
 * nothing.  A classifier is not thread-safe
 * (the stemmer keeps state): one per analysis session, or a lock.
 *
 * Agreement: Cohen's kappa for two coders, per theme (each theme a yes/no
 * code per answer) and overall (the themes' tables pooled).
 */
#ifndef SV_CLASSIFY_H
#define SV_CLASSIFY_H

#include <stddef.h>

#include "err.h"
#include "taxonomy.h"

struct sentence_cache;

#define CLASSIFY_MAX_TEXT 4000       /* bytes of an answer read; the rest is ignored */
#define CLASSIFY_MAX_WORDS 200       /* words of an answer read; the rest are ignored */
#define CLASSIFY_MAX_WORD 40         /* bytes of a word kept; longer words are cut */
#define CLASSIFY_BUCKETS (1u << 15)  /* hashed word and word-pair counts per theme */
#define CLASSIFY_MAX_TAGGED 20000    /* answers learned at once: a consultation's worth */
#define CLASSIFY_MAX_NGRAMS 400      /* stem n-grams an answer keeps (about 25 words' worth) */
#define CLASSIFY_THRESHOLD 0.4       /* confidence at which a theme is suggested ... */
#define CLASSIFY_BEST 0.3            /* ... or, for the most confident theme, this */
#define CLASSIFY_SENTENCE_THRESHOLD 0.35 /* the same with a sentence model, whose ... */
#define CLASSIFY_SENTENCE_BEST 0.2       /* ... confidences run lower */
#define CLASSIFY_MAX_REASONS 3       /* words given as why a theme is suggested ... */
#define CLASSIFY_REASON_MIN 1.0      /* ... each adding at least this to its log-odds */

struct classify;

struct classify_suggestion {
	int theme;          /* index into the taxonomy's themes */
	double confidence;  /* 0 to 1 */
};

struct classify_reason {
	size_t from, to;    /* the word's bytes in the text: [from, to) */
	double weight;      /* what the word alone adds to the theme's log-odds */
};

/*
 * Makes a classifier for t's themes, primed with their seed words and with
 * nothing learned.  It copies what it needs: t may be freed afterwards.
 * SV_ERR_NOMEM, or SV_ERR_INVALID when t has no themes or more than
 * TAXONOMY_MAX_THEMES, or the stemmer cannot start.  Free with classify_free.
 */
enum sv_err classify_new(const struct taxonomy *t, struct sentence_cache *sentences,
			 struct classify **out /* OUT */);

/*
 * Learns one coded answer: text (len bytes, any bytes; invalid UTF-8 is a
 * word break) with the n themes (indexes into the taxonomy, each once) the
 * analyst confirmed; n == 0 is "no theme", itself something to learn.
 * SV_ERR_INVALID for a theme out of range or given twice, SV_ERR_TOOBIG
 * past CLASSIFY_MAX_TAGGED; the classifier is unchanged on error.
 */
enum sv_err classify_learn(struct classify *c, const char *text, size_t len,
			   const int *themes, int n);

/*
 * Gives back an answer learned before with exactly these themes (when the
 * analyst corrects a tag: forget the old, learn the new).  SV_ERR_INVALID,
 * and nothing changes, when the counts show it cannot have been learned.
 */
enum sv_err classify_forget(struct classify *c, const char *text, size_t len,
			    const int *themes, int n);

/*
 * Whether the vectors of the answers learned (with sentence vectors) are in
 * locked memory, as the system's memory-lock limit allows: they are kept
 * there like the answers, never written to swap, and wiped when freed.
 */
int classify_locked(const struct classify *c);

/* Answers learned and not forgotten. */
long classify_tagged(const struct classify *c);

/*
 * The bytes c holds in use: the weights, the seed words and the answers
 * learned (each at most CLASSIFY_MAX_ANSWER_BYTES(themes) more).
 */
size_t classify_bytes(const struct classify *c);

/*
 * The most one learned answer adds to classify_bytes with themes themes:
 * 4 bytes for each of 2 header words, 2 x CLASSIFY_MAX_WORDS stems and
 * pairs, CLASSIFY_MAX_NGRAMS n-grams, a seed-word feature and a theme for
 * each theme.
 */
#define CLASSIFY_MAX_ANSWER_BYTES(themes) \
	(4 * (2 + 2 * CLASSIFY_MAX_WORDS + CLASSIFY_MAX_NGRAMS + 2 * (size_t)(themes)))

/* With sentence vectors, what each answer learned adds to that: its vector. */
#define CLASSIFY_VECTOR_BYTES 2048

/*
 * The confidence of every theme for text: conf[i] for theme i, conf holding
 * as many as the taxonomy had themes.  Confidences are each theme's own
 * (one-vs-rest): they need not sum to 1.
 */
void classify_scores(struct classify *c, const char *text, size_t len, double *conf /* OUT */);

/*
 * Suggests themes for text: those at CLASSIFY_THRESHOLD or above, most
 * confident first (equal ones in taxonomy order), at most max.  Returns how
 * many it wrote to out; 0 means no theme is suggested.
 */
int classify_suggest(struct classify *c, const char *text, size_t len,
		     struct classify_suggestion *out /* OUT */, int max);

/*
 * Why text leans to theme: the words of text that raise the theme's
 * log-odds most, each judged alone (its stem, its n-grams and the seed
 * words it is; not the pairs it makes with its neighbours), at least
 * CLASSIFY_REASON_MIN each, strongest first (equal ones in the order they
 * come), a word with the stem of one already given left out, at most max
 * (and at most CLASSIFY_MAX_REASONS).  Returns how many it wrote to out:
 * 0 for a theme out of range, or when no word alone says much (a theme can
 * be suggested from its pairs and its bias only).
 */
int classify_reasons(struct classify *c, const char *text, size_t len, int theme,
		     struct classify_reason *out /* OUT */, int max);

void classify_free(struct classify *c);

/*
 * Two coders' yes/no codes for one theme over the same answers: how many
 * answers both gave it, only the first, only the second, neither.
 */
struct classify_agreement {
	long long both;         /* both coders gave the theme */
	long long first_only;   /* the first coder only */
	long long second_only;  /* the second coder only */
	long long neither;      /* neither coder */
};

/*
 * Cohen's kappa, (po - pe) / (1 - pe): po the share of answers the coders
 * agree on, pe the share they would agree on by chance with their own rates.
 * 1 is full agreement, 0 chance, below 0 worse than chance.  NaN (isnan)
 * when kappa is undefined: no answers, or both coders gave every answer the
 * same single code (pe == 1).
 */
double classify_kappa(const struct classify_agreement *a);

/*
 * Kappa per theme and overall for two coders of nitems answers over nthemes
 * themes: first[i * nthemes + t] is non-zero when the first coder gave
 * answer i theme t; second likewise.  per_theme[t] gets theme t's kappa;
 * *overall the kappa of the themes' tables summed (pooled kappa), or NaN as
 * above.  SV_ERR_INVALID for a negative count.
 */
enum sv_err classify_kappa_codes(int nthemes, long nitems, const unsigned char *first,
				 const unsigned char *second, double *per_theme /* OUT */,
				 double *overall /* OUT */);

#endif
