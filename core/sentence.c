/*
 * sentence.c - the Universal Sentence Encoder Lite vector of a text (see
 * sentence.h).  Three parts, in the order a text meets them.
 *
 * Loading.  model.json's weightsManifest lists each weight by name, shape
 * and dtype; their bytes lie one after another across the shard files it
 * names, in order.  The shards are read into one block, whose size must be
 * exactly what the manifest adds up to; each weight the forward pass uses
 * is then found by name and must have the shape it is used with, and the
 * constants that fix the architecture (token limit, heads, padding id) must
 * say what the code below assumes.  The graph is not run, only checked to
 * hold the steps written out here.  Anything else is SV_ERR_INVALID.
 *
 * Tokenizing copies the package's tokenizer (after the one in
 * @tensorflow-models/universal-sentence-encoder) step for step, for the
 * same token ids:
 *   - the text is normalised to NFKC, each U+0020 becomes U+2581 "▁", and
 *     one "▁" goes in front;
 *   - at each code point, every vocabulary piece starting there (the six
 *     reserved first ones aside) is a candidate; where none is, the code
 *     point alone is the unknown token 0, scoring 0;
 *   - a Viterbi pass keeps, for each end position, the candidate with the
 *     best score sum, a later one (starting further right) winning a tie;
 *     a best of exactly 0 counts as none yet, so anything replaces it (the
 *     package starts every best at 0 and cannot tell the two apart);
 *   - the path is walked back from the end, each step as long as the
 *     chosen piece's vocabulary string in UTF-16 units (not the length it
 *     matched: the same for this vocabulary, which has no astral pieces);
 *   - each run of unknown tokens becomes one, and the first max_tokens
 *     (128, the graph's ClipToMaxLength) are kept.
 * Every score in vocab.json is a number but for a few pieces with ':', whose
 * score is null: JavaScript's null + x is x, so null counts as 0.  A piece
 * listed twice takes its last listing, as in the package's trie.
 *
 * The forward pass.  For one text the graph's padding masks are all ones,
 * so its scatters, gathers and attention bias change nothing and are left
 * out.  What remains:
 *   x = e + (e + timing)     e the token's embedding: the graph adds the
 *                            looked-up embedding to itself-plus-timing
 *   two transformer layers, widths 256 then 512, 4 heads each:
 *     y = attention(layer_norm(x)) projected to 512
 *         + x (layer 0: x projected from 256 to 512 by a dense layer)
 *     x = ffn(layer_norm(y)) + y    ffn: 512 -> 1536, relu, -> 512
 *   v = mean of x over the tokens
 *   out = l2_normalize(tanh(v W + b))
 * Products are summed in float as TensorFlow.js does, in another order, so
 * vectors differ from the package's in the last bits (under 1e-6 on the
 * reference texts; tests/unit/test_sentence.c allows 2e-5).
 *
 * The cost of a text is reading the 20 MB of weights once (the caches
 * rarely keep them from one text to the next) and 5 million multiply-adds
 * a token, nearly all in dense(): on one core of the machine this was
 * written on, about 1 ms plus 0.4 ms a token, 6 ms for a typical answer.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <sodium.h>
#include <utf8proc.h>

#include "files.h"
#include "sentence.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the shards hold little-endian floats, read as they are"
#endif

/* The model this was written for; loading refuses any other. */
#define EMBED_DIM 256        /* an embedding; layer 0's width */
#define MODEL_DIM 512        /* layer 1's width; each layer's output */
#define FFN_DIM 1536         /* the feed-forward layers' inner width */
#define HEADS 4              /* attention heads in each layer */
#define LAYERS 2
#define TIMING_DIM (EMBED_DIM / 2)  /* sines, then as many cosines */
#define VOCAB_SIZE 8000      /* pieces in vocab.json */
#define VOCAB_ROWS 8002      /* rows of the embedding table */
#define VOCAB_RESERVED 6     /* first pieces never matched (0 is the unknown token) */
#define UNKNOWN_ID 0
#define SEPARATOR 0x2581     /* "▁", which stands for a space */

/* Bounds on what the files may ask for, far above this model's needs. */
#define MODEL_MAX_JSON (8u << 20)     /* bytes of model.json or vocab.json */
#define MODEL_MAX_WEIGHTS (256u << 20) /* bytes of all shards together */
#define MODEL_MAX_TENSORS 4096
#define MODEL_MAX_SHARDS 256
#define MODEL_MAX_RANK 4
#define PIECE_MAX_LEN 64              /* code points in a vocabulary piece */
#define TOKENS_CAP 512                /* largest token limit accepted from the graph */

/* How the products are cut up (see dense() and axpy()). */
#define STRIP 64   /* output columns a dense pass works on: its rows of them stay in cache */
#define BLOCK 16   /* floats an attention loop handles at once (a multiple of the vector width) */
#define PREFETCH 2 /* blocks of 8 rows of weights asked for ahead of their use */

/* The graph's node names, which the manifest's weights are named after. */
#define KONA "module_apply_default/Encoder_en/KonaTransformer/"
#define STACK KONA "Encode/TransformerStack/"
#define LAYER_VARS KONA "Encode/Layer_"                       /* then n, then "/TransformerLayer/" */
#define LAYER_OPS STACK "Layer_"
#define LAYER_KERNELS "module/Encoder_en/KonaTransformer/Encode/Layer_"
#define HIDDEN "module_apply_default/Encoder_en/hidden_layers/"

struct vocab {
	int32_t *cps;           /* every piece's code points, one piece after another */
	uint32_t *start;        /* piece i is cps[start[i]] to cps[start[i + 1] - 1] */
	double *score;          /* piece i's log-probability (null read as 0) */
	uint32_t *u16len;       /* piece i's length in UTF-16 units: its step walking back */
	int32_t *slot;          /* open-addressing table of piece ids, -1 where empty */
	uint32_t mask;          /* slots - 1 (a power of two, minus one) */
	uint32_t longest;       /* code points in the longest piece */
};

/* A transformer layer's weights; the matrices are packed in strips (bind_matrix). */
struct layer {
	size_t width;                            /* input width: EMBED_DIM, then MODEL_DIM */
	const float *norm_scale, *norm_bias;     /* [width]: the norm before attention */
	const float *qkv_w, *qkv_b;              /* [width][3 * width], [3 * width] */
	float q_scale;                           /* queries are scaled by it: 1 / sqrt(head width) */
	const float *out_w, *out_b;              /* [width][MODEL_DIM], [MODEL_DIM] */
	const float *resid_w, *resid_b;          /* layer 0's residual to 512 wide; NULL in layer 1 */
	const float *ffn_norm_scale, *ffn_norm_bias; /* [MODEL_DIM]: the norm before the ffn */
	const float *ffn1_w, *ffn1_b;            /* [MODEL_DIM][FFN_DIM], [FFN_DIM] */
	const float *ffn2_w, *ffn2_b;            /* [FFN_DIM][MODEL_DIM], [MODEL_DIM] */
};

struct sentence_model {
	unsigned char *weights;      /* every shard's bytes, one after another */
	struct vocab vocab;
	const float *embedding;      /* [VOCAB_ROWS][EMBED_DIM] */
	const float *timescale;      /* [TIMING_DIM]: a position times these gives the angles */
	struct layer layer[LAYERS];
	const float *final_w, *final_b; /* the tanh layer: [MODEL_DIM][SENTENCE_DIM], [SENTENCE_DIM] */
	float norm_eps;              /* added to a layer norm's variance */
	float l2_eps;                /* least squared length the last step divides by */
	size_t max_tokens;           /* tokens the graph keeps (ClipToMaxLength): 128 */
};

/* ---------------------------------------------------------------- UTF-8 */

/*
 * Decodes the code point at s (n >= 1 bytes left) as the WHATWG decoder,
 * and so Node, does: an invalid sequence gives U+FFFD for its longest
 * valid-looking start (at least one byte), and *bad is set.  Returns the
 * bytes used.
 */
static size_t utf8_next(const unsigned char *s, size_t n, int32_t *cp, int *bad)
{
	unsigned lo = 0x80, hi = 0xBF, need;
	uint32_t c = s[0];
	size_t i;

	*bad = 0;
	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		lo = c == 0xE0 ? 0xA0 : 0x80;  /* no overlong forms */
		hi = c == 0xED ? 0x9F : 0xBF;  /* no surrogates */
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;  /* nothing past U+10FFFF */
		c &= 0x07;
	} else {
		*bad = 1;
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; need > 0; i++, need--) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = 1;
			*cp = 0xFFFD;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = (int32_t)c;
	return i;
}

/*
 * The few code points NFKC maps in the Unicode that Node's ICU has (17.0)
 * but not in libutf8proc's (2.8: Unicode 15.0): Unicode 16's outlined
 * letters and digits (U+1CCD6 to U+1CCF9) and Unicode 17's modifier
 * capital S (U+A7F1), each to one ASCII character, which composes with
 * nothing before it, so mapping them first gives NFKC's result.  The other
 * differences between the two are compositions in scripts the vocabulary
 * does not have: their code points are unknown tokens either way, and a
 * run of unknowns is one token.
 */
static int32_t newer_compat(int32_t cp)
{
	if (cp >= 0x1CCD6 && cp <= 0x1CCEF)
		return 'A' + (cp - 0x1CCD6);
	if (cp >= 0x1CCF0 && cp <= 0x1CCF9)
		return '0' + (cp - 0x1CCF0);
	if (cp == 0xA7F1)
		return 'S';
	return cp;
}

/* Writes the text s (n bytes) to out as valid UTF-8, each invalid sequence
 * replaced by U+FFFD as utf8_next reads it, and newer_compat's code points
 * mapped; out has room for 3 * n bytes.  Returns the bytes written. */
static size_t clean_text(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		int32_t cp;
		int bad;
		size_t used = utf8_next(s + i, n - i, &cp, &bad);
		if (bad) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else if (newer_compat(cp) != cp) {
			out[o++] = (unsigned char)newer_compat(cp);
		} else {
			memcpy(out + o, s + i, used);
			o += used;
		}
		i += used;
	}
	return o;
}

/* ---------------------------------------------------------------- files */

/* Parses dir/name, a JSON file of at most MODEL_MAX_JSON bytes. */
/*
 * SV_OK if path is a regular file (a link to one counts): a FIFO or a
 * device in the model folder would block the open, and the server with it.
 */
static enum sv_err regular_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? SV_ERR_NOTFOUND : SV_ERR_IO;
	return S_ISREG(st.st_mode) ? SV_OK : SV_ERR_IO;
}

static enum sv_err read_json(const char *dir, const char *name, cJSON **out /* OUT */)
{
	char path[4096];
	char *text = NULL;
	size_t len;
	enum sv_err rc;

	*out = NULL;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return SV_ERR_TOOBIG;
	rc = regular_file(path);
	if (rc)
		return rc;
	rc = files_read_all(path, MODEL_MAX_JSON, &text, &len);
	if (rc == SV_ERR_TOOBIG)
		rc = SV_ERR_INVALID;
	if (rc)
		return rc;
	*out = cJSON_ParseWithLength(text, len);
	free(text);
	return *out ? SV_OK : SV_ERR_INVALID;
}

/* A shard's file name as the manifest gives it: a plain name in dir, so
 * that the manifest cannot reach elsewhere. */
static int shard_name_ok(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n < 256 && name[0] != '.' && !strchr(name, '/');
}

/* Reads all of dir/name into buf, which has room bytes left, and adds its
 * size to *filled.  SV_ERR_INVALID if it is larger than room. */
static enum sv_err read_shard(const char *dir, const char *name, unsigned char *buf, size_t room,
			      size_t *filled /* OUT */)
{
	char path[4096];
	struct stat st;
	FILE *fp;
	enum sv_err rc = SV_OK;

	if (!shard_name_ok(name))
		return SV_ERR_INVALID;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return SV_ERR_TOOBIG;
	if ((rc = regular_file(path)) != SV_OK)
		return rc;
	fp = fopen(path, "rb");
	if (!fp)
		return errno == ENOENT ? SV_ERR_NOTFOUND : SV_ERR_IO;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = SV_ERR_IO;
		goto out;
	}
	if ((unsigned long long)st.st_size > room) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	size_t want = (size_t)st.st_size;
	if (fread(buf, 1, want, fp) != want || fgetc(fp) != EOF) {
		rc = ferror(fp) ? SV_ERR_IO : SV_ERR_INVALID;  /* it changed under us */
		goto out;
	}
	*filled += want;
out:
	fclose(fp);
	return rc;
}

/* ------------------------------------------------------------- manifest */

struct shape {
	int rank;
	size_t dim[MODEL_MAX_RANK];
};

/* One weight of the manifest. */
struct tensor {
	const char *name;   /* inside the parsed model.json */
	int is_int;         /* int32; else float32 */
	struct shape shape;
	size_t offset;      /* where its bytes start in the weights block */
};

struct manifest {
	struct tensor t[MODEL_MAX_TENSORS];
	size_t n;
	size_t bytes;       /* all weights together */
};

/* Reads one manifest entry: name, shape and dtype, 4 bytes an element. */
static enum sv_err parse_tensor(const cJSON *w, struct tensor *t, size_t *bytes /* OUT */)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(w, "name");
	const cJSON *shape = cJSON_GetObjectItemCaseSensitive(w, "shape");
	const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(w, "dtype");
	const cJSON *d;
	size_t count = 1;

	if (!cJSON_IsString(name) || !cJSON_IsArray(shape) || !cJSON_IsString(dtype))
		return SV_ERR_INVALID;
	/* Quantised weights take other sizes; none here. */
	if (cJSON_GetObjectItemCaseSensitive(w, "quantization"))
		return SV_ERR_INVALID;
	if (strcmp(dtype->valuestring, "float32") == 0)
		t->is_int = 0;
	else if (strcmp(dtype->valuestring, "int32") == 0)
		t->is_int = 1;
	else
		return SV_ERR_INVALID;
	t->name = name->valuestring;
	t->shape.rank = 0;
	cJSON_ArrayForEach(d, shape) {
		if (t->shape.rank == MODEL_MAX_RANK || !cJSON_IsNumber(d) ||
		    !(d->valuedouble >= 1 && d->valuedouble <= MODEL_MAX_WEIGHTS) ||
		    d->valuedouble != (double)(size_t)d->valuedouble)
			return SV_ERR_INVALID;
		size_t dim = (size_t)d->valuedouble;
		if (dim > MODEL_MAX_WEIGHTS / 4 / count)
			return SV_ERR_INVALID;
		count *= dim;
		t->shape.dim[t->shape.rank++] = dim;
	}
	*bytes = count * 4;
	return SV_OK;
}

/*
 * Reads model.json's weightsManifest: every weight's place in the block, and
 * the block itself from the shards, group by group.  Each group's files
 * must hold exactly its weights' bytes.
 */
static enum sv_err read_weights(const char *dir, const cJSON *manifest, struct manifest *mf,
				unsigned char **block /* OUT */)
{
	const cJSON *group, *w, *path;
	size_t filled = 0;
	int shards = 0;

	*block = NULL;
	mf->n = 0;
	mf->bytes = 0;
	if (!cJSON_IsArray(manifest))
		return SV_ERR_INVALID;
	cJSON_ArrayForEach(group, manifest) {
		const cJSON *weights = cJSON_GetObjectItemCaseSensitive(group, "weights");
		if (!cJSON_IsArray(weights) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(group, "paths")))
			return SV_ERR_INVALID;
		cJSON_ArrayForEach(w, weights) {
			size_t bytes;
			if (mf->n == MODEL_MAX_TENSORS || parse_tensor(w, &mf->t[mf->n], &bytes) ||
			    bytes > MODEL_MAX_WEIGHTS - mf->bytes)
				return SV_ERR_INVALID;
			mf->t[mf->n++].offset = mf->bytes;
			mf->bytes += bytes;
		}
	}
	if (mf->bytes == 0)
		return SV_ERR_INVALID;
	*block = malloc(mf->bytes);
	if (!*block)
		return SV_ERR_NOMEM;
	/* The groups' files in order hold the groups' weights in order. */
	size_t group_end = 0;
	size_t i = 0;
	cJSON_ArrayForEach(group, manifest) {
		const cJSON *weights = cJSON_GetObjectItemCaseSensitive(group, "weights");
		size_t count = (size_t)cJSON_GetArraySize(weights);
		group_end = i + count < mf->n ? mf->t[i + count].offset : mf->bytes;
		i += count;
		cJSON_ArrayForEach(path, cJSON_GetObjectItemCaseSensitive(group, "paths")) {
			if (!cJSON_IsString(path) || ++shards > MODEL_MAX_SHARDS)
				return SV_ERR_INVALID;
			enum sv_err rc = read_shard(dir, path->valuestring, *block + filled,
						    group_end - filled, &filled);
			if (rc)
				return rc;
		}
		if (filled != group_end)
			return SV_ERR_INVALID;  /* a shard is short or missing */
	}
	return SV_OK;
}

/* The manifest's weight called name, if it is there once with this dtype and shape. */
static const struct tensor *find_tensor(const struct manifest *mf, const char *name, int is_int,
					const struct shape *shape)
{
	const struct tensor *hit = NULL;

	for (size_t i = 0; i < mf->n; i++) {
		if (strcmp(mf->t[i].name, name) != 0)
			continue;
		if (hit)
			return NULL;  /* named twice: which one is meant? */
		hit = &mf->t[i];
	}
	if (!hit || hit->is_int != is_int || hit->shape.rank != shape->rank)
		return NULL;
	for (int d = 0; d < shape->rank; d++)
		if (hit->shape.dim[d] != shape->dim[d])
			return NULL;
	return hit;
}

/* Points *out at the float32 weight called name, which must have this shape. */
static enum sv_err bind_floats(const struct manifest *mf, const unsigned char *block, const char *name,
			       struct shape shape, const float **out /* OUT */)
{
	const struct tensor *t = find_tensor(mf, name, 0, &shape);

	if (!t)
		return SV_ERR_INVALID;
	*out = (const float *)(const void *)(block + t->offset);  /* 4-aligned: every weight is 4 bytes an element */
	return SV_OK;
}

/*
 * Points *out at the float32 matrix called name (shape: its in rows of out
 * columns, with leading 1s for a 1x1 convolution's kernel), reordered in
 * place in strips of STRIP columns, one strip after another: strip s is
 * rows 0 to in - 1 of columns s * STRIP to s * STRIP + STRIP - 1, so that
 * dense() reads each strip straight through.
 */
static enum sv_err bind_matrix(const struct manifest *mf, unsigned char *block, const char *name,
			       struct shape shape, size_t in, size_t out, const float **to /* OUT */)
{
	const struct tensor *t = find_tensor(mf, name, 0, &shape);
	float *w, *copy;

	if (!t)
		return SV_ERR_INVALID;
	assert(out % STRIP == 0 && t->shape.dim[shape.rank - 2] == in && t->shape.dim[shape.rank - 1] == out);
	w = (float *)(void *)(block + t->offset);
	copy = malloc(in * out * sizeof *copy);
	if (!copy)
		return SV_ERR_NOMEM;
	memcpy(copy, w, in * out * sizeof *copy);
	for (size_t s = 0; s < out / STRIP; s++)
		for (size_t k = 0; k < in; k++)
			memcpy(w + (s * in + k) * STRIP, copy + k * out + s * STRIP, STRIP * sizeof *w);
	free(copy);
	*to = w;
	return SV_OK;
}

/* A float32 scalar, finite and positive. */
static enum sv_err bind_scalar(const struct manifest *mf, const unsigned char *block, const char *name,
			       float *out /* OUT */)
{
	const struct tensor *t = find_tensor(mf, name, 0, &(struct shape){ 0, { 0 } });

	if (!t)
		return SV_ERR_INVALID;
	memcpy(out, block + t->offset, sizeof *out);
	return isfinite(*out) && *out > 0 ? SV_OK : SV_ERR_INVALID;
}

/* Checks that the int32 weight called name has this shape and these values. */
static enum sv_err check_ints(const struct manifest *mf, const unsigned char *block, const char *name,
			      struct shape shape, const int32_t *want, size_t count)
{
	const struct tensor *t = find_tensor(mf, name, 1, &shape);
	int32_t v;

	if (!t)
		return SV_ERR_INVALID;
	for (size_t i = 0; i < count; i++) {
		memcpy(&v, block + t->offset + 4 * i, sizeof v);
		if (v != want[i])
			return SV_ERR_INVALID;
	}
	return SV_OK;
}

/* name: prefix, the layer's number, "/TransformerLayer/", rest. */
static const char *layer_name(char *buf, size_t size, const char *prefix, int n, const char *rest)
{
	snprintf(buf, size, "%s%d/TransformerLayer/%s", prefix, n, rest);
	return buf;
}

#define SHAPE1(a) ((struct shape){ 1, { (a) } })
#define SHAPE2(a, b) ((struct shape){ 2, { (a), (b) } })
#define SHAPE4(a, b, c, d) ((struct shape){ 4, { (a), (b), (c), (d) } })
#define SCALAR ((struct shape){ 0, { 0 } })

/* Finds layer n's weights and checks its head split. */
static enum sv_err bind_layer(const struct manifest *mf, unsigned char *block, int n, struct layer *l)
{
	char name[512];
	size_t w = n == 0 ? EMBED_DIM : MODEL_DIM;
	int32_t thirds[3] = { (int32_t)w, (int32_t)w, (int32_t)w };
	int32_t head_width = (int32_t)(w / HEADS);
	enum sv_err rc;

#define NAME(prefix, rest) layer_name(name, sizeof name, prefix, n, rest)
	l->width = w;
	if ((rc = bind_floats(mf, block, NAME(LAYER_VARS, "layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat"),
			      SHAPE1(w), &l->norm_scale)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat"),
			      SHAPE1(w), &l->norm_bias)) ||
	    (rc = bind_matrix(mf, block, NAME(LAYER_KERNELS, "MultiheadAttention/qkv_transform_single/kernel/part_0"),
			      SHAPE4(1, 1, w, 3 * w), w, 3 * w, &l->qkv_w)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat"),
			      SHAPE1(3 * w), &l->qkv_b)) ||
	    (rc = bind_scalar(mf, block, NAME(LAYER_OPS, "MultiheadAttention/mul/y"), &l->q_scale)) ||
	    (rc = check_ints(mf, block, NAME(LAYER_OPS, "MultiheadAttention/Const"), SHAPE1(3), thirds, 3)) ||
	    (rc = check_ints(mf, block, NAME(LAYER_OPS, "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3"),
			     SCALAR, &head_width, 1)) ||
	    (rc = bind_matrix(mf, block, NAME(LAYER_KERNELS, "MultiheadAttention/output_transform_single/kernel/part_0"),
			      SHAPE4(1, 1, w, MODEL_DIM), w, MODEL_DIM, &l->out_w)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat"),
			      SHAPE1(MODEL_DIM), &l->out_b)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat"),
			      SHAPE1(MODEL_DIM), &l->ffn_norm_scale)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat"),
			      SHAPE1(MODEL_DIM), &l->ffn_norm_bias)) ||
	    (rc = bind_matrix(mf, block, NAME(LAYER_OPS, "FFN/conv1/Tensordot/Reshape_1"),
			      SHAPE2(MODEL_DIM, FFN_DIM), MODEL_DIM, FFN_DIM, &l->ffn1_w)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "FFN/conv1/bias/ConcatPartitions/concat"),
			      SHAPE1(FFN_DIM), &l->ffn1_b)) ||
	    (rc = bind_matrix(mf, block, NAME(LAYER_OPS, "FFN/conv2/Tensordot/Reshape_1"),
			      SHAPE2(FFN_DIM, MODEL_DIM), FFN_DIM, MODEL_DIM, &l->ffn2_w)) ||
	    (rc = bind_floats(mf, block, NAME(LAYER_VARS, "FFN/conv2/bias/ConcatPartitions/concat"),
			      SHAPE1(MODEL_DIM), &l->ffn2_b)))
		return rc;
	l->resid_w = l->resid_b = NULL;
	if (w != MODEL_DIM &&
	    ((rc = bind_matrix(mf, block, NAME(LAYER_VARS, "dense/kernel/ConcatPartitions/concat"),
			       SHAPE2(w, MODEL_DIM), w, MODEL_DIM, &l->resid_w)) ||
	     (rc = bind_floats(mf, block, NAME(LAYER_VARS, "dense/bias/ConcatPartitions/concat"),
			       SHAPE1(MODEL_DIM), &l->resid_b))))
		return rc;
#undef NAME
	return SV_OK;
}

/* Finds every weight and checks the constants the forward pass assumes. */
static enum sv_err bind_model(const struct manifest *mf, struct sentence_model *m)
{
	unsigned char *block = m->weights;
	const int32_t heads = HEADS;
	const int32_t padding = -1;  /* SparseToDense's default: so every id, 0 too, is a token */
	const struct tensor *limit;
	int32_t max_tokens;
	enum sv_err rc;

	if ((rc = bind_floats(mf, block, "module/Embeddings_en", SHAPE2(VOCAB_ROWS, EMBED_DIM), &m->embedding)) ||
	    (rc = bind_floats(mf, block, STACK "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1",
			      SHAPE2(1, TIMING_DIM), &m->timescale)) ||
	    (rc = bind_scalar(mf, block, STACK "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x",
			      &m->norm_eps)) ||
	    (rc = check_ints(mf, block, STACK "Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2",
			     SCALAR, &heads, 1)) ||
	    (rc = check_ints(mf, block, KONA "Encode/SparseToDense/default_value", SCALAR, &padding, 1)) ||
	    (rc = bind_matrix(mf, block, "module/Encoder_en/hidden_layers/tanh_layer_0/weights",
			      SHAPE2(MODEL_DIM, SENTENCE_DIM), MODEL_DIM, SENTENCE_DIM, &m->final_w)) ||
	    (rc = bind_floats(mf, block, "module/Encoder_en/hidden_layers/tanh_layer_0/bias",
			      SHAPE1(SENTENCE_DIM), &m->final_b)) ||
	    (rc = bind_scalar(mf, block, HIDDEN "l2_normalize/Maximum/y", &m->l2_eps)))
		return rc;
	for (int n = 0; n < LAYERS; n++)
		if ((rc = bind_layer(mf, block, n, &m->layer[n])))
			return rc;
	limit = find_tensor(mf, KONA "ClipToMaxLength/Less/y", 1, &SCALAR);
	if (!limit)
		return SV_ERR_INVALID;
	memcpy(&max_tokens, block + limit->offset, sizeof max_tokens);
	if (max_tokens < 1 || max_tokens > TOKENS_CAP)
		return SV_ERR_INVALID;
	m->max_tokens = (size_t)max_tokens;
	for (size_t i = 0; i < TIMING_DIM; i++)
		if (!isfinite(m->timescale[i]))
			return SV_ERR_INVALID;
	return SV_OK;
}

/*
 * Checks that model.json's graph is the one written out below: the nodes
 * each step stands for are there with their ops.  (The weights' names and
 * shapes are checked as they are bound.)
 */
static enum sv_err check_graph(const cJSON *topology)
{
	static const char *const want[][2] = {
		{ "indices", "Placeholder" },
		{ "values", "Placeholder" },
		{ KONA "ClipToMaxLength/Less", "Less" },
		{ KONA "Encode/SparseToDense", "SparseToDense" },
		{ KONA "Encode/embedding_lookup", "GatherV2" },
		{ STACK "Layer_0/AddTimingSignal/TimingSignal/Sin", "Sin" },
		{ STACK "Layer_0/AddTimingSignal/TimingSignal/Cos", "Cos" },
		{ STACK "Layer_0/AddTimingSignal/add", "Add" },
		{ STACK "Layer_0/add", "Add" },
		{ STACK "Layer_0/TransformerLayer/AdjustResidualInput/dense/MatMul", "MatMul" },
		{ STACK "Layer_0/TransformerLayer/MultiheadAttention/DotProductAttention/BaseDotProductAttention/Softmax", "Softmax" },
		{ STACK "Layer_0/TransformerLayer/layer_postprocess/add", "Add" },
		{ STACK "Layer_0/TransformerLayer/FFN/conv1/Relu", "Relu" },
		{ STACK "Layer_0/TransformerLayer/FFN/layer_postprocess/add", "Add" },
		{ STACK "Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/BaseDotProductAttention/Softmax", "Softmax" },
		{ STACK "Layer_1/TransformerLayer/layer_postprocess/add", "Add" },
		{ STACK "Layer_1/TransformerLayer/FFN/conv1/Relu", "Relu" },
		{ STACK "Layer_1/TransformerLayer/FFN/layer_postprocess/add", "Add" },
		{ KONA "Sum", "Sum" },
		{ KONA "div", "RealDiv" },
		{ HIDDEN "tanh_layer_0/Tanh", "Tanh" },
		{ HIDDEN "l2_normalize", "Mul" },
	};
	const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(topology, "node");
	const cJSON *node;

	if (!cJSON_IsArray(nodes))
		return SV_ERR_INVALID;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int seen = 0;
		cJSON_ArrayForEach(node, nodes) {
			const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "name");
			const cJSON *op = cJSON_GetObjectItemCaseSensitive(node, "op");
			if (cJSON_IsString(name) && cJSON_IsString(op) && strcmp(name->valuestring, want[i][0]) == 0 &&
			    strcmp(op->valuestring, want[i][1]) == 0)
				seen = 1;
		}
		if (!seen)
			return SV_ERR_INVALID;
	}
	return SV_OK;
}

/* ---------------------------------------------------------------- vocab */

#define HASH_START 2166136261u  /* FNV-1a over code points */

static uint32_t hash_step(uint32_t h, int32_t cp)
{
	return (h ^ (uint32_t)cp) * 16777619u;
}

static uint32_t piece_len(const struct vocab *v, int32_t id)
{
	return v->start[id + 1] - v->start[id];
}

/* The id of the piece whose code points are cps[0 .. len - 1] (h their
 * hash), or -1. */
static int32_t vocab_find(const struct vocab *v, const int32_t *cps, uint32_t len, uint32_t h)
{
	for (uint32_t s = h & v->mask;; s = (s + 1) & v->mask) {
		int32_t id = v->slot[s];
		if (id < 0)
			return -1;
		if (piece_len(v, id) == len && memcmp(v->cps + v->start[id], cps, len * sizeof *cps) == 0)
			return id;
	}
}

/* Enters piece id in the table; an earlier piece with the same code points
 * gives way to it, as in the package's trie. */
static void vocab_insert(struct vocab *v, int32_t id)
{
	const int32_t *cps = v->cps + v->start[id];
	uint32_t len = piece_len(v, id), h = HASH_START;

	for (uint32_t i = 0; i < len; i++)
		h = hash_step(h, cps[i]);
	for (uint32_t s = h & v->mask;; s = (s + 1) & v->mask) {
		int32_t old = v->slot[s];
		if (old < 0 || (piece_len(v, old) == len &&
				memcmp(v->cps + v->start[old], cps, len * sizeof *cps) == 0)) {
			v->slot[s] = id;
			return;
		}
	}
}

/* Reads vocab.json's [piece, score] pairs: VOCAB_SIZE of them, each piece
 * valid UTF-8 of 1 to PIECE_MAX_LEN code points, each score a number or null. */
static enum sv_err read_vocab(const cJSON *json, struct vocab *v)
{
	const cJSON *pair;
	size_t bytes = 0;
	uint32_t id = 0, at = 0;

	if (!cJSON_IsArray(json) || cJSON_GetArraySize(json) != VOCAB_SIZE)
		return SV_ERR_INVALID;
	cJSON_ArrayForEach(pair, json) {
		const cJSON *piece = cJSON_GetArrayItem(pair, 0), *score = cJSON_GetArrayItem(pair, 1);
		if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 || !cJSON_IsString(piece) ||
		    !((cJSON_IsNumber(score) && isfinite(score->valuedouble)) || cJSON_IsNull(score)))
			return SV_ERR_INVALID;
		size_t n = strlen(piece->valuestring);
		if (n == 0 || n > PIECE_MAX_LEN * 4)
			return SV_ERR_INVALID;
		bytes += n;
	}
	v->cps = malloc(bytes * sizeof *v->cps);  /* no more code points than bytes */
	v->start = malloc((VOCAB_SIZE + 1) * sizeof *v->start);
	v->score = malloc(VOCAB_SIZE * sizeof *v->score);
	v->u16len = malloc(VOCAB_SIZE * sizeof *v->u16len);
	v->mask = 16384 - 1;  /* at least twice VOCAB_SIZE */
	v->slot = malloc((v->mask + 1) * sizeof *v->slot);
	if (!v->cps || !v->start || !v->score || !v->u16len || !v->slot)
		return SV_ERR_NOMEM;
	memset(v->slot, 0xff, (v->mask + 1) * sizeof *v->slot);
	v->longest = 0;
	cJSON_ArrayForEach(pair, json) {
		const unsigned char *s = (const unsigned char *)cJSON_GetArrayItem(pair, 0)->valuestring;
		const cJSON *score = cJSON_GetArrayItem(pair, 1);
		size_t n = strlen((const char *)s);
		uint32_t u16 = 0;
		v->start[id] = at;
		for (size_t i = 0; i < n;) {
			int bad;
			i += utf8_next(s + i, n - i, &v->cps[at], &bad);
			if (bad)
				return SV_ERR_INVALID;
			u16 += v->cps[at++] > 0xFFFF ? 2 : 1;
		}
		if (at - v->start[id] > PIECE_MAX_LEN)
			return SV_ERR_INVALID;
		if (at - v->start[id] > v->longest)
			v->longest = at - v->start[id];
		/* null + x is x in JavaScript: a null score counts as 0. */
		v->score[id] = cJSON_IsNumber(score) ? score->valuedouble : 0.0;
		v->u16len[id] = u16;
		id++;
	}
	v->start[id] = at;
	for (int32_t i = VOCAB_RESERVED; i < VOCAB_SIZE; i++)
		vocab_insert(v, i);
	return SV_OK;
}

/* ----------------------------------------------------------------- load */

enum sv_err sentence_load(const char *dir, struct sentence_model **out)
{
	struct sentence_model *m = calloc(1, sizeof *m);
	struct manifest *mf = malloc(sizeof *mf);
	cJSON *model = NULL, *vocab = NULL;
	enum sv_err rc;

	*out = NULL;
	if (!m || !mf) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	rc = read_json(dir, "model.json", &model);
	if (rc)
		goto out;
	rc = check_graph(cJSON_GetObjectItemCaseSensitive(model, "modelTopology"));
	if (rc)
		goto out;
	rc = read_weights(dir, cJSON_GetObjectItemCaseSensitive(model, "weightsManifest"), mf, &m->weights);
	if (rc)
		goto out;
	rc = bind_model(mf, m);
	if (rc)
		goto out;
	rc = read_json(dir, "vocab.json", &vocab);
	if (rc)
		goto out;
	rc = read_vocab(vocab, &m->vocab);
	if (rc)
		goto out;
	*out = m;
	m = NULL;
out:
	cJSON_Delete(model);
	cJSON_Delete(vocab);
	free(mf);
	sentence_free(m);
	return rc;
}

void sentence_free(struct sentence_model *m)
{
	if (!m)
		return;
	free(m->weights);
	free(m->vocab.cps);
	free(m->vocab.start);
	free(m->vocab.score);
	free(m->vocab.u16len);
	free(m->vocab.slot);
	free(m);
}

/* ------------------------------------------------------------- tokenize */

/*
 * The text's code points as the tokenizer sees them: the first
 * SENTENCE_MAX_BYTES bytes (cut back to a character's start), decoded as
 * Node decodes them, NFKC-normalised, spaces made "▁" and one "▁" put in
 * front.  *out is malloc'd (caller frees); *count is 0 for an empty text.
 */
/*
 * Frees p (bytes long) wiped first: every buffer of an encoding holds the
 * answer, or what it can be read back from (the analysis keeps answers only
 * in locked memory and wipes them; docs/threat-model.md).
 */
static void wipe_free(void *p, size_t bytes)
{
	if (!p)
		return;
	sodium_memzero(p, bytes);
	free(p);
}

static enum sv_err text_code_points(const char *text, size_t len, int32_t **out /* OUT */,
				    size_t *count /* OUT */)
{
	const utf8proc_option_t nfkc = (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *clean = NULL;
	int32_t *cps = NULL;
	utf8proc_ssize_t n = 0, cap;
	enum sv_err rc = SV_OK;

	*out = NULL;
	*count = 0;
	if (len > SENTENCE_MAX_BYTES) {
		len = SENTENCE_MAX_BYTES;
		for (int back = 0; back < 3 && len > 0 && (s[len] & 0xC0) == 0x80; back++)
			len--;
	}
	if (len == 0)
		return SV_OK;
	clean = malloc(3 * len);
	if (!clean)
		return SV_ERR_NOMEM;
	size_t clean_len = clean_text(s, len, clean);
	/* As utf8proc_map does: decompose (the size is asked again if the
	 * first guess is short), then compose in place. */
	cap = (utf8proc_ssize_t)clean_len;
	size_t cps_bytes = 0;
	for (int pass = 0; pass < 2; pass++) {
		wipe_free(cps, cps_bytes);
		cps_bytes = ((size_t)cap + 1) * sizeof *cps;
		cps = malloc(cps_bytes);  /* [0] for the leading "▁" */
		if (!cps) {
			rc = SV_ERR_NOMEM;
			goto out;
		}
		n = utf8proc_decompose(clean, (utf8proc_ssize_t)clean_len, cps + 1, cap, nfkc);
		if (n < 0 || n <= cap)
			break;
		cap = n;
	}
	if (n >= 0 && n <= cap)
		n = utf8proc_normalize_utf32(cps + 1, n, nfkc);
	if (n < 0 || n > cap) {
		rc = SV_ERR_INVALID;  /* not for valid UTF-8 */
		goto out;
	}
	cps[0] = SEPARATOR;
	for (utf8proc_ssize_t i = 1; i <= n; i++)
		if (cps[i] == ' ')
			cps[i] = SEPARATOR;
	/* What composing left past the end is the text too: wiped, so the
	 * caller may wipe just the count it gets. */
	sodium_memzero(cps + n + 1, cps_bytes - ((size_t)n + 1) * sizeof *cps);
	*count = n > 0 ? (size_t)n + 1 : 0;
	*out = cps;
	cps = NULL;
out:
	wipe_free(clean, 3 * len);
	wipe_free(cps, cps_bytes);
	return rc;
}

/* A candidate piece ends at end with this score sum: kept if it beats the
 * best so far, or ties it, or the best so far is exactly 0. */
static void consider(double *best, int32_t *word, size_t end, double score, int32_t id)
{
	if (best[end] == 0 || score >= best[end]) {
		best[end] = score;
		word[end] = id;
	}
}

/*
 * The Viterbi pass over cps[0 .. n - 1]: word[e] is the piece of the best
 * path ending at e and best[e] its score (both 0 where none ends).  Both
 * arrays have n + 1 zeroed entries.  Candidates are taken by start, left to
 * right: the order the package's nodes[end][start] are visited in for each end.
 */
static void segment(const struct vocab *v, const int32_t *cps, size_t n, double *best, int32_t *word)
{
	for (size_t s = 0; s < n; s++) {
		uint32_t h = HASH_START;
		size_t most = n - s < v->longest ? n - s : v->longest;
		int matched = 0;
		for (size_t len = 1; len <= most; len++) {
			h = hash_step(h, cps[s + len - 1]);
			int32_t id = vocab_find(v, cps + s, (uint32_t)len, h);
			if (id < 0)
				continue;
			consider(best, word, s + len, v->score[id] + best[s], id);
			matched = 1;
		}
		if (!matched)  /* the unknown token, scoring 0 */
			consider(best, word, s + 1, best[s], UNKNOWN_ID);
	}
}

/*
 * The tokens: the path walked back from the end (each step the UTF-16
 * length of the piece's string), runs of unknowns made one, the first max
 * kept, in text order.  back has room for n ids.  Returns the count.
 */
static size_t pick_tokens(const struct vocab *v, const int32_t *word, size_t n, int32_t *back,
			  int32_t *tokens, size_t max)
{
	size_t nb = 0, nt = 0;
	int prev_unknown = 0;

	for (size_t at = n; at > 0;) {
		int32_t id = word[at];
		back[nb++] = id;
		at = v->u16len[id] < at ? at - v->u16len[id] : 0;
	}
	while (nb > 0 && nt < max) {
		int32_t id = back[--nb];
		if (!(prev_unknown && id == UNKNOWN_ID))
			tokens[nt++] = id;
		prev_unknown = id == UNKNOWN_ID;
	}
	return nt;
}

/* The token ids of text, at most m->max_tokens of them, into tokens. */
static enum sv_err tokenize(const struct sentence_model *m, const char *text, size_t len,
			    int32_t tokens[TOKENS_CAP] /* OUT */, size_t *count /* OUT */)
{
	int32_t *cps = NULL, *word = NULL, *back = NULL;
	double *best = NULL;
	size_t n;
	enum sv_err rc;

	*count = 0;
	rc = text_code_points(text, len, &cps, &n);
	if (rc)
		return rc;
	if (n == 0) {
		free(cps);  /* NULL or an empty text's */
		return SV_ERR_INVALID;  /* the package throws on an empty text */
	}
	best = calloc(n + 1, sizeof *best);
	word = calloc(n + 1, sizeof *word);
	back = malloc(n * sizeof *back);
	if (!best || !word || !back) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	segment(&m->vocab, cps, n, best, word);
	*count = pick_tokens(&m->vocab, word, n, back, tokens, m->max_tokens);
out:
	wipe_free(cps, n * sizeof *cps);
	wipe_free(best, (n + 1) * sizeof *best);
	wipe_free(word, (n + 1) * sizeof *word);
	wipe_free(back, n * sizeof *back);
	return rc;
}

/* ---------------------------------------------------------- the network */

/*
 * y[n][out] = x[n][in] w[in][out] + b, w packed in strips by bind_matrix.
 * For each strip of output columns, eight rows of w at a time are added
 * into every token's part of tile[n][STRIP] (one load and store of it for
 * eight products), the inner loop running along the strip's rows and the
 * tile's, so that it vectorises and w is read straight through, once.  The
 * tile is contiguous, unlike y's columns, whose rows lie out floats apart
 * and so would fall into the same few cache sets.  The rows two blocks on
 * are asked for ahead (PREFETCH): w comes from memory, not the cache, and
 * the processor does not guess it soon enough (a third less time for a
 * typical answer).  in must be a multiple of 8 and out of STRIP.
 */
static void dense(const float *restrict x, size_t n, size_t in, const float *restrict w,
		  const float *restrict b, size_t out, float *restrict tile, float *restrict y)
{
	assert(in % 8 == 0 && out % STRIP == 0);
	for (size_t j0 = 0; j0 < out; j0 += STRIP) {
		const float *strip = w + j0 * in;
		memset(tile, 0, n * STRIP * sizeof *tile);
		for (size_t k = 0; k < in; k += 8) {
			const float *r = strip + k * STRIP;  /* rows k to k + 7 of the strip */
			size_t ahead = j0 * in + (k + 8 * PREFETCH) * STRIP;
			for (size_t q = 0; q < 8 * STRIP && ahead + q < in * out; q += 16)
				__builtin_prefetch(w + ahead + q);  /* one cache line */
			for (size_t i = 0; i < n; i++) {
				const float *a = x + i * in + k;
				float *restrict t = tile + i * STRIP;
				for (size_t j = 0; j < STRIP; j++)
					t[j] += ((a[0] * r[j] + a[1] * r[STRIP + j]) +
						 (a[2] * r[2 * STRIP + j] + a[3] * r[3 * STRIP + j])) +
						((a[4] * r[4 * STRIP + j] + a[5] * r[5 * STRIP + j]) +
						 (a[6] * r[6 * STRIP + j] + a[7] * r[7 * STRIP + j]));
			}
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < STRIP; j++)
				y[i * out + j0 + j] = tile[i * STRIP + j] + b[j0 + j];
	}
}

/* y = (x - mean) / sqrt(variance + eps) * scale + bias, row by row. */
static void layer_norm(const float *x, size_t n, size_t width, const float *scale, const float *bias,
		       float eps, float *y)
{
	for (size_t i = 0; i < n; i++) {
		const float *xi = x + i * width;
		float *yi = y + i * width;
		double sum = 0, squares = 0;
		for (size_t c = 0; c < width; c++)
			sum += xi[c];
		float mean = (float)(sum / (double)width);
		for (size_t c = 0; c < width; c++) {
			float d = xi[c] - mean;
			squares += d * d;
		}
		float r = 1.0f / sqrtf((float)(squares / (double)width) + eps);
		for (size_t c = 0; c < width; c++)
			yi[c] = scale[c] * r * (xi[c] - mean) + bias[c];
	}
}

/* p[0 .. n - 1] = exp(p - max) / their sum. */
static void softmax(float *p, size_t n)
{
	float max = p[0];
	double sum = 0;

	for (size_t j = 1; j < n; j++)
		if (p[j] > max)
			max = p[j];
	for (size_t j = 0; j < n; j++) {
		p[j] = expf(p[j] - max);
		sum += p[j];
	}
	for (size_t j = 0; j < n; j++)
		p[j] = (float)(p[j] / sum);
}

/* y[0 .. n - 1] += a * x[0 .. n - 1], n a multiple of BLOCK. */
static void axpy(float *restrict y, float a, const float *restrict x, size_t n)
{
	for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
		float *restrict yb = y + j0;
		const float *restrict xb = x + j0;
		for (size_t j = 0; j < BLOCK; j++)
			yb[j] += a * xb[j];
	}
}

/*
 * Self-attention over n tokens, HEADS heads: qkv[n][3 * width] holds each
 * token's query, key and value, each split in heads of width / HEADS; ctx
 * [n][width] gets each head's weighted values, heads side by side.  Queries
 * are scaled by q_scale before the products, as in the graph.  kt
 * [width / HEADS][np] and p[np] are scratch, np being n rounded up to BLOCK:
 * one head's keys transposed, so that a query meets all keys along a row.
 */
static void attention(const float *restrict qkv, size_t n, size_t width, float q_scale,
		      float *restrict kt, float *restrict p, float *restrict ctx)
{
	const size_t hw = width / HEADS, row = 3 * width, np = (n + BLOCK - 1) / BLOCK * BLOCK;

	assert(hw % BLOCK == 0);
	for (size_t h = 0; h < HEADS; h++) {
		for (size_t c = 0; c < hw; c++) {
			for (size_t j = 0; j < n; j++)
				kt[c * np + j] = qkv[j * row + width + h * hw + c];
			for (size_t j = n; j < np; j++)
				kt[c * np + j] = 0;
		}
		for (size_t i = 0; i < n; i++) {
			const float *q = qkv + i * row + h * hw;
			float *o = ctx + i * width + h * hw;
			memset(p, 0, np * sizeof *p);
			for (size_t c = 0; c < hw; c++)
				axpy(p, q[c] * q_scale, kt + c * np, np);
			softmax(p, n);
			memset(o, 0, hw * sizeof *o);
			for (size_t j = 0; j < n; j++)
				axpy(o, p[j], qkv + j * row + 2 * width + h * hw, hw);
		}
	}
}

/* y[i] += x[i] for count floats. */
static void add_into(float *restrict y, const float *restrict x, size_t count)
{
	for (size_t i = 0; i < count; i++)
		y[i] += x[i];
}

/* Each token's embedding plus itself plus its position's timing signal
 * (sines, then cosines): x[n][EMBED_DIM]. */
static void embed_tokens(const struct sentence_model *m, const int32_t *tokens, size_t n, float *x)
{
	for (size_t i = 0; i < n; i++) {
		const float *e = m->embedding + (size_t)tokens[i] * EMBED_DIM;
		float *xi = x + i * EMBED_DIM;
		for (size_t c = 0; c < TIMING_DIM; c++) {
			float angle = (float)i * m->timescale[c];
			xi[c] = e[c] + (e[c] + sinf(angle));
			xi[TIMING_DIM + c] = e[TIMING_DIM + c] + (e[TIMING_DIM + c] + cosf(angle));
		}
	}
}

/* The per-call buffers of the forward pass, for n tokens. */
struct scratch {
	float *resid;   /* [n][MODEL_DIM]: layer 0's residual, projected */
	float *normed;  /* [n][MODEL_DIM]: a sublayer's layer-normed input */
	float *qkv;     /* [n][3 * MODEL_DIM] */
	float *ctx;     /* [n][MODEL_DIM]: attention's output, heads side by side */
	float *mid;     /* [n][MODEL_DIM]: after attention and its residual */
	float *inner;   /* [n][FFN_DIM]: the feed-forward layer's inside */
	float *kt;      /* [MODEL_DIM / HEADS][np]: one head's keys, transposed */
	float *p;       /* [np]: one query's attention weights */
	float *tile;    /* [n][STRIP]: dense()'s sums */
};

/*
 * One transformer layer: x[n][l->width] in, out[n][MODEL_DIM] (which may
 * be x) out.  Attention and the feed-forward layer each read their input
 * layer-normed and add it back unnormed.
 */
static void transformer_layer(const struct sentence_model *m, const struct layer *l, const float *x,
			      size_t n, struct scratch *s, float *out)
{
	const size_t w = l->width;
	const float *resid = x;

	if (l->resid_w) {
		dense(x, n, w, l->resid_w, l->resid_b, MODEL_DIM, s->tile, s->resid);
		resid = s->resid;
	}
	layer_norm(x, n, w, l->norm_scale, l->norm_bias, m->norm_eps, s->normed);
	dense(s->normed, n, w, l->qkv_w, l->qkv_b, 3 * w, s->tile, s->qkv);
	attention(s->qkv, n, w, l->q_scale, s->kt, s->p, s->ctx);
	dense(s->ctx, n, w, l->out_w, l->out_b, MODEL_DIM, s->tile, s->mid);
	add_into(s->mid, resid, n * MODEL_DIM);

	layer_norm(s->mid, n, MODEL_DIM, l->ffn_norm_scale, l->ffn_norm_bias, m->norm_eps, s->normed);
	dense(s->normed, n, MODEL_DIM, l->ffn1_w, l->ffn1_b, FFN_DIM, s->tile, s->inner);
	for (size_t i = 0; i < n * FFN_DIM; i++)
		if (!(s->inner[i] > 0))
			s->inner[i] = 0;  /* relu */
	dense(s->inner, n, FFN_DIM, l->ffn2_w, l->ffn2_b, MODEL_DIM, s->tile, out);
	add_into(out, s->mid, n * MODEL_DIM);
}

/* The mean of x[n][MODEL_DIM] over its tokens, through the tanh layer,
 * scaled to unit length; tile is dense()'s, for at least one token. */
static void sentence_head(const struct sentence_model *m, const float *x, size_t n, float *tile,
			  float out[SENTENCE_DIM])
{
	float mean[MODEL_DIM];
	double squares = 0;

	for (size_t c = 0; c < MODEL_DIM; c++) {
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += x[i * MODEL_DIM + c];
		mean[c] = (float)sum / (float)n;
	}
	dense(mean, 1, MODEL_DIM, m->final_w, m->final_b, SENTENCE_DIM, tile, out);
	for (size_t c = 0; c < SENTENCE_DIM; c++) {
		out[c] = tanhf(out[c]);
		squares += out[c] * out[c];
	}
	float r = 1.0f / sqrtf(fmaxf((float)squares, m->l2_eps));
	for (size_t c = 0; c < SENTENCE_DIM; c++)
		out[c] *= r;
}

/* The vector of n (1 to TOKENS_CAP) tokens. */
static enum sv_err forward(const struct sentence_model *m, const int32_t *tokens, size_t n, float out[SENTENCE_DIM])
{
	const size_t np = (n + BLOCK - 1) / BLOCK * BLOCK;
	const size_t per_token = EMBED_DIM + 5 * MODEL_DIM + 3 * MODEL_DIM + FFN_DIM + STRIP;
	struct scratch s;
	const size_t bytes = (n * per_token + (MODEL_DIM / HEADS + 1) * np) * sizeof(float);
	float *x, *all = malloc(bytes);

	if (!all)
		return SV_ERR_NOMEM;
	x = all;                               /* [n][EMBED_DIM]: layer 0's input */
	float *stream = x + n * EMBED_DIM;     /* [n][MODEL_DIM]: each layer's output */
	s.resid = stream + n * MODEL_DIM;
	s.normed = s.resid + n * MODEL_DIM;
	s.qkv = s.normed + n * MODEL_DIM;
	s.ctx = s.qkv + n * 3 * MODEL_DIM;
	s.mid = s.ctx + n * MODEL_DIM;
	s.inner = s.mid + n * MODEL_DIM;
	s.kt = s.inner + n * FFN_DIM;
	s.tile = s.kt + (MODEL_DIM / HEADS) * np;
	s.p = s.tile + n * STRIP;

	embed_tokens(m, tokens, n, x);
	transformer_layer(m, &m->layer[0], x, n, &s, stream);
	transformer_layer(m, &m->layer[1], stream, n, &s, stream);
	sentence_head(m, stream, n, s.tile, out);
	wipe_free(all, bytes);
	return SV_OK;
}

enum sv_err sentence_encode(const struct sentence_model *m, const char *text, size_t len,
			    float out[SENTENCE_DIM])
{
	int32_t tokens[TOKENS_CAP];
	size_t n;
	enum sv_err rc;

	memset(out, 0, SENTENCE_DIM * sizeof *out);
	if (!text)
		len = 0;
	rc = tokenize(m, text, len, tokens, &n);
	if (!rc)
		rc = forward(m, tokens, n, out);
	sodium_memzero(tokens, sizeof tokens);
	return rc;
}
