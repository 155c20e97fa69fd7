/*
 * opener.c - opening every sealed response of a consultation on all cores
 * (see export.h).
 *
 * Opening a sealed box costs about 36 us of one core, so a million take
 * half a minute on one.  The main thread reads the database and copies the
 * sealed rows into batches; one worker per core opens a batch, parses it
 * and hands each response to the pass, which writes into the batch; the main
 * thread gives finished batches back to the pass in their original order and
 * wipes them.  A fixed ring of batches bounds the memory, however many rows.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../core/parse.h"
#include "../core/seal.h"
#include "export.h"

#define OPEN_BATCH 256          /* responses per batch */
#define OPEN_MAX_WORKERS 8
#define OPEN_BATCH_TEXT (64 * 1024 * 1024)

/* ---- the keys ---- */

struct export_keys {
	struct {
		char id[SEAL_KEY_ID_LEN + 1];
		struct seal_secret *secret;     /* NULL: the passphrase does not open it */
	} keys[EXPORT_MAX_KEYS];
	int n;
	enum sv_err err;
};

static void add_key_id(void *arg, const char *id, long long count)
{
	struct export_keys *k = arg;

	(void)count;
	for (int i = 0; i < k->n; i++)
		if (strcmp(k->keys[i].id, id) == 0)
			return;
	if (k->n >= EXPORT_MAX_KEYS) {
		k->err = SV_ERR_TOOBIG;
		return;
	}
	snprintf(k->keys[k->n++].id, sizeof k->keys[0].id, "%s", id);
}

enum sv_err export_keys_load(struct store *st, const char *consultation, const char *keydir,
			     const char *passphrase, size_t passlen, struct export_keys **out)
{
	struct export_keys *k = calloc(1, sizeof *k);
	enum sv_err rc;
	int opened = 0;

	*out = NULL;
	if (!k)
		return SV_ERR_NOMEM;
	rc = store_sealed_key_ids(st, consultation, add_key_id, k);
	/* Its own current key too, so that a wrong passphrase is refused before
	 * its first answer is sealed to it. */
	struct seal_public own;
	if (!rc && seal_public_load_for(keydir, consultation, &own) == SV_OK)
		add_key_id(k, own.id, 0);
	if (!rc)
		rc = k->err;
	for (int i = 0; i < k->n && !rc; i++) {
		enum sv_err e = seal_secret_load(keydir, k->keys[i].id, passphrase, passlen,
						 &k->keys[i].secret);
		if (e == SV_OK)
			opened++;
		else if (e != SV_ERR_CRYPTO && e != SV_ERR_NOTFOUND)
			rc = e;
	}
	/* Nothing sealed yet: any passphrase will do.  Else one key must open. */
	if (!rc && k->n > 0 && opened == 0)
		rc = SV_ERR_CRYPTO;
	if (rc) {
		export_keys_free(k);
		return rc;
	}
	*out = k;
	return SV_OK;
}

const struct seal_secret *export_key(const struct export_keys *k, const char *id)
{
	for (int i = 0; k && id && i < k->n; i++)
		if (strcmp(k->keys[i].id, id) == 0)
			return k->keys[i].secret;
	return NULL;
}

int export_keys_locked(struct export_keys *k)
{
	for (int i = 0; k && i < k->n; i++)
		if (!seal_secret_locked(k->keys[i].secret))
			return 0;
	return 1;
}

void export_keys_free(struct export_keys *k)
{
	if (!k)
		return;
	for (int i = 0; i < k->n; i++)
		seal_secret_free(k->keys[i].secret);
	free(k);
}

/* ---- the parallel pass ---- */

struct sealed_copy {
	long long id;
	char survey[PARSE_MAX_ID + 1];
	char day[11];
	const struct seal_secret *key;
	unsigned char *box;
	size_t len;
};

enum batch_state { BATCH_FREE, BATCH_READY, BATCH_WORKING, BATCH_DONE };

struct batch {
	struct sealed_copy rows[OPEN_BATCH];
	int n;
	enum batch_state state;
	long long seq;                  /* its place in the order of reading */
	struct export_opened out;       /* what the pass wrote for it */
	long long altered, altered_ids[EXPORT_MAX_REPORTED];
};

struct opener {
	const struct export_pass *pass;
	const struct export_keys *keys;
	struct export_result *result;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch *ring;
	int nring;
	long long filled, flushed;      /* batches handed to workers, given back */
	int stop;
	enum sv_err err;                /* first failure given back by the pass */
};

static void open_one(struct opener *o, struct batch *b, const struct sealed_copy *c)
{
	char *plain = NULL;
	size_t plen = 0;
	cJSON *doc = NULL;
	const cJSON *answers = NULL;

	if (seal_open(c->key, c->box, c->len, &plain, &plen) == SV_OK &&
	    (doc = cJSON_ParseWithLength(plain, plen)) != NULL)
		answers = cJSON_GetObjectItemCaseSensitive(doc, "answers");
	if (!cJSON_IsObject(answers)) {
		/* Altered, or not ours: say which, skip it, carry on. */
		if (b->altered < EXPORT_MAX_REPORTED)
			b->altered_ids[b->altered] = c->id;
		b->altered++;
	} else {
		struct store_sealed view = { .id = c->id, .survey = c->survey, .day = c->day };
		o->pass->on_response(o->pass->arg, &b->out, &view, answers);
		b->out.opened++;
	}
	cJSON_Delete(doc);
	seal_plain_free(plain);
}

static void *worker(void *arg)
{
	struct opener *o = arg;

	pthread_mutex_lock(&o->mu);
	for (;;) {
		struct batch *b = NULL;
		for (int i = 0; i < o->nring; i++)
			if (o->ring[i].state == BATCH_READY && (!b || o->ring[i].seq < b->seq))
				b = &o->ring[i];
		if (!b) {
			if (o->stop)
				break;
			pthread_cond_wait(&o->work, &o->mu);
			continue;
		}
		b->state = BATCH_WORKING;
		pthread_mutex_unlock(&o->mu);
		for (int i = 0; i < b->n; i++) {
			open_one(o, b, &b->rows[i]);
			free(b->rows[i].box);
			b->rows[i].box = NULL;
		}
		pthread_mutex_lock(&o->mu);
		b->state = BATCH_DONE;
		pthread_cond_broadcast(&o->done);
	}
	pthread_mutex_unlock(&o->mu);
	return NULL;
}

/* Waits for the oldest batch handed out, gives it to the pass, frees it. */
static void flush_oldest(struct opener *o)
{
	struct batch *b = &o->ring[o->flushed % o->nring];

	pthread_mutex_lock(&o->mu);
	while (b->state != BATCH_DONE)
		pthread_cond_wait(&o->done, &o->mu);
	pthread_mutex_unlock(&o->mu);
	if (!o->err && b->out.text.err)
		o->err = b->out.text.err;
	if (!o->err)
		o->err = o->pass->on_batch(o->pass->arg, &b->out);
	o->result->written += b->out.opened;
	for (long long i = 0; i < b->altered; i++) {
		if (o->result->altered < EXPORT_MAX_REPORTED && i < EXPORT_MAX_REPORTED)
			o->result->altered_ids[o->result->altered] = b->altered_ids[i];
		o->result->altered++;
	}
	if (b->out.text.buf)
		sodium_memzero(b->out.text.buf, b->out.text.cap);
	sbuf_reset(&b->out.text);
	if (b->out.counts)
		memset(b->out.counts, 0, o->pass->ncounts * sizeof *b->out.counts);
	b->out.opened = 0;
	b->altered = 0;
	b->n = 0;
	b->state = BATCH_FREE;
	o->flushed++;
	if (o->pass->progress)
		o->pass->progress(o->pass->progress_arg, o->result->written + o->result->altered + o->result->locked);
}

static void submit(struct opener *o)
{
	struct batch *b = &o->ring[o->filled % o->nring];

	pthread_mutex_lock(&o->mu);
	b->seq = o->filled++;
	b->state = BATCH_READY;
	pthread_cond_signal(&o->work);
	pthread_mutex_unlock(&o->mu);
}

static void copy_row(void *arg, const struct store_sealed *s)
{
	struct opener *o = arg;
	struct batch *b = &o->ring[o->filled % o->nring];

	if (o->err)
		return;
	const struct seal_secret *key = export_key(o->keys, s->key_id);
	if (!key) {
		o->result->locked++;
		return;
	}
	while (b->state != BATCH_FREE)
		flush_oldest(o);    /* the ring is full: make room, in order */
	struct sealed_copy *c = &b->rows[b->n];
	c->box = malloc(s->sealed_len + 1);
	if (!c->box) {
		o->err = SV_ERR_NOMEM;
		return;
	}
	memcpy(c->box, s->sealed, s->sealed_len);
	c->len = s->sealed_len;
	c->id = s->id;
	c->key = key;
	snprintf(c->survey, sizeof c->survey, "%s", s->survey);
	snprintf(c->day, sizeof c->day, "%s", s->day);
	if (++b->n == OPEN_BATCH)
		submit(o);
}

static int worker_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > OPEN_MAX_WORKERS ? OPEN_MAX_WORKERS : (int)n;
}

enum sv_err export_open_each(struct store *st, const char *consultation,
			     const struct export_keys *keys, const struct export_pass *pass,
			     struct export_result *result)
{
	struct opener o = { .pass = pass, .keys = keys, .result = result };
	pthread_t threads[OPEN_MAX_WORKERS];
	int nthreads = 0, nworkers = worker_count();
	enum sv_err rc = SV_OK;

	memset(result, 0, sizeof *result);
	pthread_mutex_init(&o.mu, NULL);
	pthread_cond_init(&o.work, NULL);
	pthread_cond_init(&o.done, NULL);
	o.nring = 2 * nworkers + 1;
	o.ring = calloc((size_t)o.nring, sizeof *o.ring);
	if (!o.ring) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	for (int i = 0; i < o.nring; i++) {
		sbuf_init(&o.ring[i].out.text, OPEN_BATCH_TEXT);
		sbuf_wipe_always(&o.ring[i].out.text);   /* plain text: no copy left as it grows */
		if (pass->ncounts && !(o.ring[i].out.counts = calloc(pass->ncounts, sizeof(long long)))) {
			rc = SV_ERR_NOMEM;
			goto out;
		}
	}
	for (; nthreads < nworkers; nthreads++)
		if (pthread_create(&threads[nthreads], NULL, worker, &o) != 0)
			break;
	if (nthreads == 0) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	rc = store_response_each(st, consultation, copy_row, &o);
	if (o.ring[o.filled % o.nring].n > 0 && !o.err)
		submit(&o);
	while (o.flushed < o.filled)
		flush_oldest(&o);
	if (!rc)
		rc = o.err;
out:
	pthread_mutex_lock(&o.mu);
	o.stop = 1;
	pthread_cond_broadcast(&o.work);
	pthread_mutex_unlock(&o.mu);
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; o.ring && i < o.nring; i++) {
		for (int r = 0; r < o.ring[i].n; r++)
			free(o.ring[i].rows[r].box);
		if (o.ring[i].out.text.buf)
			sodium_memzero(o.ring[i].out.text.buf, o.ring[i].out.text.cap);
		sbuf_free(&o.ring[i].out.text);
		free(o.ring[i].out.counts);
	}
	free(o.ring);
	pthread_cond_destroy(&o.work);
	pthread_cond_destroy(&o.done);
	pthread_mutex_destroy(&o.mu);
	return rc;
}
