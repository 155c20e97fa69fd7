/*
 * analyse.c - analysing young people's own words (issue 15; docs/analysis.md):
 *
 *   GET  /staff/consultations/ID/analyse[?answer=N]   the passphrase form, or answer N
 *   POST /staff/consultations/ID/analyse/open         opens the answers with the passphrase
 *   POST /staff/consultations/ID/analyse/code         saves a code, then the next answer
 *   POST /staff/consultations/ID/analyse/end          ends the analysis
 *   GET  /staff/consultations/ID/analyse/agreement    Cohen's kappa of the two passes
 *
 * A commissioner's or an admin's, like all of /staff/consultations.
 *
 * The analysis session.  One at a time across the server, held by one staff
 * session (its cookie's hash), and across the servers of one PostgreSQL
 * database through store_analysis_hold (a server that dies lets it go; one
 * that loses its connection ends its analysis at the next check).  Opening
 * it unlocks the secret keys with the
 * passphrase typed (export_keys_load: sodium_malloc'd, locked memory) and
 * opens every response of the consultation once, keeping only its
 * free-text answers (already scrubbed at submit) in sodium_malloc'd memory;
 * nothing of it is written to disk.  It ends when its holder signs out
 * (analyse_signed_out), when its holder's account is disabled or signed
 * out everywhere (analyse_check_holder: at once from the accounts page, and
 * within ANALYSE_CHECK_S seconds of `survey-server user disable`, which runs
 * in another process), after the idle time (--analysis-idle, 30 minutes
 * unless set: a thread ends it on time, used or not), or with "End
 * analysis"; ending wipes and frees the keys, the texts and the codes.
 *
 * A code is sealed to the public key of its consultation's answers (its own
 * key when it has one, else the server's; serverkey.c), like an answer (payload
 * format below), and stored with store_analysis_code, which counts the
 * main pass's themes and priorities in the same transaction; the counts a
 * changed code gives back are read from the stored box itself, opened
 * here, so they are exactly what it added.  The main pass trains the
 * classifier as the analyst works (classify_learn and classify_forget);
 * the second pass, a blind sample for agreement, shows no suggestions and
 * none of the first codes.
 * The sealed payload of a code is export/codes.c's (export.h).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <civetweb.h>
#include <sodium.h>

#include "../core/classify.h"
#include "../core/sentence.h"
#include "../core/sentence_cache.h"
#include "../export/export.h"
#include "../forms/render.h"
#include "../forms/render_analyse.h"
#include "../forms/render_staff.h"
#include "http.h"
#include "server.h"

#define ANALYSE_MAX_ANSWERS CLASSIFY_MAX_TAGGED
#define ANALYSE_MAX_KEYS 64                 /* free-text answer keys of a consultation */
#define ANALYSE_SAMPLE_EVERY 5              /* about one answer in five ... */
#define ANALYSE_SAMPLE_MAX 50               /* ... up to 50, in the blind sample */
#define ANALYSE_MAX_SUGGEST 5
#define ANALYSE_CHECK_S 2                   /* seconds between checks of the holder's account */
#define THEME_BYTES ((TAXONOMY_MAX_THEMES + 7) / 8)

_Static_assert(STORE_MAX_CODE_THEMES * (PARSE_MAX_ID + 3) + STORE_MAX_CODE_PRIORITIES * 4 + 100 <
	       EXPORT_CODE_SEAL_SIZE, "the longest code fits its padded size");

/* One analyst's code of one answer, as opened. */
struct code {
	unsigned char themes[THEME_BYTES];  /* bit t: theme t of the taxonomy */
	unsigned char set, none, follow, quote;
};

/* One free-text answer; in sodium_malloc'd memory with its code. */
struct item {
	long long response;
	int key;                  /* index into the session's answer keys */
	size_t text_off, text_len;
	struct code code[2];      /* [0] the main pass, [1] the blind second */
	unsigned char *box[2];    /* each one's sealed bytes as stored (malloc'd) */
	size_t box_len[2];
	char box_key[2][SEAL_KEY_ID_LEN + 1];  /* the key each is sealed to */
	unsigned char main_mine;  /* the main code is this analyst's */
	unsigned char sample;     /* in the blind sample */
	unsigned char learned;    /* its main code is in the classifier */
};

static struct analysis {
	pthread_mutex_t lock;
	pthread_cond_t wake;        /* the reaper waits on it */
	pthread_t reaper;
	int reaper_running, stop;
	long idle;                  /* seconds */
	int active;
	char session[65];           /* the holder's staff session (hash) */
	char analyst[STORE_MAX_NAME + 1];
	char consultation[PARSE_MAX_ID + 1];
	int pass;
	time_t last_used;
	struct export_keys *keys;
	struct classify *model;
	struct sentence_cache *vectors; /* the answers' sentence vectors, for model */
	size_t nthemes;
	struct item *items;         /* sodium_malloc'd */
	size_t n, cap;
	char *text;                 /* sodium_malloc'd: the answers, back to back */
	size_t text_len, text_cap;
	size_t *order;              /* the answers this pass shows, as item indexes */
	size_t norder;
	char keys_of[ANALYSE_MAX_KEYS][STORE_MAX_CODE_QUESTION + 1];
	char *titles[ANALYSE_MAX_KEYS];
	int nkeys;
	int unlocked;               /* the system refused to lock some of it (said on each page) */
	long long kept, suggested, added; /* this session's first codes against their suggestions */
	struct store_hold *hold;    /* the one session across servers (store_analysis_hold) */
	/* The sentence model: read at the first analysis, kept until the server stops. */
	char model_dir[4096];       /* --model */
	struct sentence_model *sentences;
	int words_only;             /* it could not be read: suggestions from words alone */
} A = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .idle = 30 * 60 };

/* ---- memory ---- */

/* Grows a sodium_malloc'd block to hold need bytes; the old one is wiped. */
static int grow(void **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	void *q = sodium_malloc(n);
	if (!q)
		return -1;
	if (*p)
		memcpy(q, *p, *cap);
	sodium_free(*p);
	*p = q;
	*cap = n;
	return 0;
}

/* Ends the session: everything wiped and freed.  Under A.lock. */
static void wipe(void)
{
	for (size_t i = 0; i < A.n; i++)
		for (int p = 0; p < 2; p++)
			free(A.items[i].box[p]);
	sodium_free(A.items);
	sodium_free(A.text);
	free(A.order);
	classify_free(A.model);
	sentence_cache_free(A.vectors);
	export_keys_free(A.keys);
	store_analysis_release(A.hold);
	for (int k = 0; k < A.nkeys; k++)
		free(A.titles[k]);
	A.items = NULL;
	A.text = NULL;
	A.order = NULL;
	A.model = NULL;
	A.vectors = NULL;
	A.keys = NULL;
	A.hold = NULL;
	A.n = A.cap = A.text_len = A.text_cap = A.norder = 0;
	A.nkeys = 0;
	A.unlocked = 0;
	A.kept = A.suggested = A.added = 0;
	A.active = 0;
	sodium_memzero(A.session, sizeof A.session);
	A.analyst[0] = A.consultation[0] = '\0';
}

/* Ends it and notes why in the audit log.  Under A.lock. */
static void end_session(struct server *srv, const char *why)
{
	char who[STORE_MAX_NAME + 1], what[PARSE_MAX_ID + 64];

	if (!A.active)
		return;
	snprintf(who, sizeof who, "%s", A.analyst);
	snprintf(what, sizeof what, "%s: %s", A.consultation, why);
	wipe();
	store_audit(srv->store, who, "ended analysis", what);
}

/* Ends the session if its holder may no longer hold it: the staff
 * session has ended (signed out everywhere, a password reset, the account
 * disabled) or the account is no longer a commissioner's or an admin's;
 * or if this server may no longer hold the one session across servers (on
 * PostgreSQL, its lock went with a lost connection).  A staff session
 * that cannot be read ends nothing (the next check will see); a hold that
 * cannot be checked ends the analysis, as its lock may be gone.
 * Under A.lock. */
static void check_holder(struct server *srv)
{
	int role = 0;

	if (A.active && store_session_role(srv->store, A.session, &role) == SV_OK &&
	    role < STORE_COMMISSIONER)
		end_session(srv, role ? "no longer a commissioner" : "the staff session ended");
	else if (A.active && store_analysis_hold_check(A.hold) != SV_OK)
		end_session(srv, "the database connection was lost");
}

void analyse_check_holder(struct server *srv)
{
	pthread_mutex_lock(&A.lock);
	check_holder(srv);
	pthread_mutex_unlock(&A.lock);
}

/* Ends the session once it has been idle too long, used or not, or once
 * its holder may no longer hold it (checked every ANALYSE_CHECK_S). */
static void *reaper(void *arg)
{
	struct server *srv = arg;

	pthread_mutex_lock(&A.lock);
	while (!A.stop) {
		if (!A.active) {
			pthread_cond_wait(&A.wake, &A.lock);
			continue;
		}
		time_t now = time(NULL), due = A.last_used + A.idle;
		if (now >= due) {
			end_session(srv, "idle");
			continue;
		}
		check_holder(srv);
		if (!A.active)
			continue;
		struct timespec ts = { .tv_sec = due < now + ANALYSE_CHECK_S ? due : now + ANALYSE_CHECK_S,
				       .tv_nsec = 0 };
		pthread_cond_timedwait(&A.wake, &A.lock, &ts);
	}
	pthread_mutex_unlock(&A.lock);
	return NULL;
}

enum sv_err analyse_init(struct server *srv, long idle_seconds, const char *model_dir)
{
	if (idle_seconds > 0)
		A.idle = idle_seconds;
	snprintf(A.model_dir, sizeof A.model_dir, "%s", model_dir ? model_dir : SENTENCE_MODEL_DIR);
	A.stop = 0;
	if (pthread_create(&A.reaper, NULL, reaper, srv) != 0)
		return SV_ERR_NOMEM;
	A.reaper_running = 1;
	return SV_OK;
}

void analyse_free(struct server *srv)
{
	pthread_mutex_lock(&A.lock);
	end_session(srv, "the server stopped");
	A.stop = 1;
	pthread_cond_broadcast(&A.wake);
	pthread_mutex_unlock(&A.lock);
	if (A.reaper_running)
		pthread_join(A.reaper, NULL);
	A.reaper_running = 0;
	sentence_free(A.sentences);
	A.sentences = NULL;
}

void analyse_signed_out(struct server *srv, const char *session)
{
	pthread_mutex_lock(&A.lock);
	if (A.active && sodium_memcmp(A.session, session, sizeof A.session) == 0)
		end_session(srv, "signed out");
	pthread_mutex_unlock(&A.lock);
}

/* ---- opening the answers ---- */

/* Worker side: each free-text answer as [id 8][key 4][len 4][text]. */
static void on_response(void *arg, struct export_opened *out, const struct store_sealed *s,
			const cJSON *answers)
{
	(void)arg;
	for (int k = 0; k < A.nkeys; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(answers, A.keys_of[k]);
		if (!cJSON_IsString(v) || !v->valuestring)
			continue;
		const char *t = v->valuestring;
		size_t len = strlen(t);
		if (strspn(t, " \t\r\n") == len)
			continue;
		uint32_t key = (uint32_t)k, n = (uint32_t)(len < CLASSIFY_MAX_TEXT * 4 ? len : CLASSIFY_MAX_TEXT * 4);
		sbuf_add(&out->text, &s->id, sizeof s->id);
		sbuf_add(&out->text, &key, sizeof key);
		sbuf_add(&out->text, &n, sizeof n);
		sbuf_add(&out->text, t, n);
		out->opened++;
	}
}

/* Calling thread, in stored order: the batch's answers into locked memory. */
static enum sv_err on_batch(void *arg, const struct export_opened *out)
{
	const char *p = out->text.buf, *end = p ? p + out->text.len : NULL;

	(void)arg;
	while (p && p + 16 <= end) {
		long long id;
		uint32_t key, n;
		memcpy(&id, p, 8);
		memcpy(&key, p + 8, 4);
		memcpy(&n, p + 12, 4);
		p += 16;
		if (n > (size_t)(end - p))
			return SV_ERR_INVALID;
		if (A.n >= ANALYSE_MAX_ANSWERS)
			return SV_ERR_TOOBIG;
		size_t icap = A.cap * sizeof *A.items;
		if (grow((void **)&A.items, &icap, (A.n + 1) * sizeof *A.items) ||
		    grow((void **)&A.text, &A.text_cap, A.text_len + n + 1))
			return SV_ERR_NOMEM;
		A.cap = icap / sizeof *A.items;
		struct item *it = &A.items[A.n++];
		memset(it, 0, sizeof *it);
		it->response = id;
		it->key = (int)key;
		it->text_off = A.text_len;
		it->text_len = n;
		memcpy(A.text + A.text_len, p, n);
		A.text[A.text_len + n] = '\0';
		A.text_len += n + 1;
		p += n;
	}
	return SV_OK;
}

/* The consultation's free-text answer keys: each text question, and each
 * "something else" box. */
static enum sv_err load_keys(struct store *st, const char *consultation)
{
	struct export_questions *qs = NULL;
	enum sv_err err = export_questions_load(st, consultation, &qs);

	for (int i = 0; !err && i < qs->n; i++) {
		const struct export_question *q = &qs->items[i];
		for (int other = 0; other < 2 && A.nkeys < ANALYSE_MAX_KEYS; other++) {
			if (other ? !q->other : strcmp(q->type, "text") != 0)
				continue;
			snprintf(A.keys_of[A.nkeys], sizeof A.keys_of[0], "%s%s", q->id, other ? ".other" : "");
			size_t n = strlen(q->title) + 40;
			A.titles[A.nkeys] = malloc(n);
			if (!A.titles[A.nkeys]) {
				err = SV_ERR_NOMEM;
				break;
			}
			snprintf(A.titles[A.nkeys++], n, "%s%s", q->title, other ? " (something else)" : "");
		}
	}
	export_questions_free(qs);
	return err;
}

static void parsed_to_code(const struct export_code *p, struct code *c)
{
	memset(c, 0, sizeof *c);
	c->set = 1;
	c->none = (unsigned char)p->none;
	c->follow = (unsigned char)p->follow;
	c->quote = (unsigned char)p->quote;
}

static int bit(const struct code *c, size_t t)
{
	return (c->themes[t / 8] >> (t % 8)) & 1;
}

static void set_bit(struct code *c, size_t t)
{
	c->themes[t / 8] = (unsigned char)(c->themes[t / 8] | (1u << (t % 8)));
}

/* The theme indexes of c, into out; returns how many. */
static int code_themes(const struct code *c, int *out)
{
	int n = 0;
	for (size_t t = 0; t < A.nthemes; t++)
		if (bit(c, t))
			out[n++] = (int)t;
	return n;
}

static void check_locked(void);

/* Teaches (learn 1) or unteaches the classifier item's main code: themes,
 * or "no theme"; a code that is neither (follow-up only) teaches nothing. */
static void teach(struct item *it, int learn)
{
	int themes[TAXONOMY_MAX_THEMES], n = code_themes(&it->code[0], themes);

	if (!A.model || (!n && !it->code[0].none) || learn == it->learned)
		return;
	const char *text = A.text + it->text_off;
	enum sv_err err = learn ? classify_learn(A.model, text, it->text_len, themes, n) :
		classify_forget(A.model, text, it->text_len, themes, n);
	if (!err)
		it->learned = (unsigned char)learn;
	/* Its vector's room grew past what the memory-lock limit allows. */
	if (!A.unlocked && !classify_locked(A.model))
		check_locked();
}

/*
 * How the suggestions for item did against its first code (themes, or no
 * theme): the themes suggested, those kept, and those chosen that were not
 * suggested, added to A's tallies.  Called before the code is learned, so
 * the model is the one the coding page showed (unless another answer was
 * coded in between, in another tab).  A code of neither themes
 * nor "no theme" (needs follow-up alone) counts nothing.
 */
static void score_suggestions(const struct item *it, const struct code *code)
{
	struct classify_suggestion s[ANALYSE_MAX_SUGGEST];
	int themes[TAXONOMY_MAX_THEMES], n = code_themes(code, themes), kept = 0;

	if (!A.model || (!n && !code->none))
		return;
	int ns = classify_suggest(A.model, A.text + it->text_off, it->text_len, s, ANALYSE_MAX_SUGGEST);
	for (int i = 0; i < ns; i++)
		kept += (size_t)s[i].theme < A.nthemes && bit(code, (size_t)s[i].theme);
	A.suggested += ns;
	A.kept += kept;
	A.added += n - kept;
}

/* The item of (response, key), or NULL: items are in response order. */
static struct item *find_item(long long response, const char *key)
{
	size_t lo = 0, hi = A.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (A.items[mid].response < response)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < A.n && A.items[i].response == response; i++)
		if (strcmp(A.keys_of[A.items[i].key], key) == 0)
			return &A.items[i];
	return NULL;
}

struct load_codes {
	const struct taxonomy *tax;
	enum sv_err err;
};

static void on_code(void *arg, const struct store_sealed_code *c)
{
	struct load_codes *l = arg;
	struct item *it = find_item(c->response, c->question);
	struct export_code p;
	int slot = c->pass == STORE_PASS_SECOND;

	if (!it || l->err)
		return;
	if (export_code_open(A.keys, c->key_id, c->sealed, c->sealed_len, &p))
		return;   /* a key this passphrase does not open: shown as not coded */
	it->box[slot] = malloc(c->sealed_len);
	if (!it->box[slot]) {
		l->err = SV_ERR_NOMEM;
		return;
	}
	memcpy(it->box[slot], c->sealed, c->sealed_len);
	it->box_len[slot] = c->sealed_len;
	snprintf(it->box_key[slot], sizeof it->box_key[slot], "%s", c->key_id);
	parsed_to_code(&p, &it->code[slot]);
	for (size_t i = 0; i < p.nthemes; i++) {
		int t = taxonomy_theme_index(l->tax, p.themes[i]);
		if (t >= 0)
			set_bit(&it->code[slot], (size_t)t);
	}
	if (!slot)
		it->main_mine = strcmp(c->analyst, A.analyst) == 0;
}

/* A number from the answer's ids alone: which answers make the sample. */
static uint64_t sample_hash(const struct item *it)
{
	char id[STORE_MAX_CODE_QUESTION + 32];
	unsigned char h[8];
	uint64_t v = 0;

	snprintf(id, sizeof id, "%lld/%s", it->response, A.keys_of[it->key]);
	crypto_generichash(h, sizeof h, (const unsigned char *)id, strlen(id), NULL, 0);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return v;
}

struct ranked { uint64_t h; size_t i; };
static int by_hash(const void *a, const void *b)
{
	uint64_t x = ((const struct ranked *)a)->h, y = ((const struct ranked *)b)->h;
	return x < y ? -1 : x > y;
}

/* Marks the blind sample: one answer in ANALYSE_SAMPLE_EVERY (rounded up),
 * at most ANALYSE_SAMPLE_MAX, those of the smallest hashes of their ids;
 * then the order this pass shows (the sample, less the second analyst's
 * own main codes). */
static enum sv_err choose(void)
{
	struct ranked *r = calloc(A.n ? A.n : 1, sizeof *r);
	size_t want = (A.n + ANALYSE_SAMPLE_EVERY - 1) / ANALYSE_SAMPLE_EVERY;

	A.order = calloc(A.n ? A.n : 1, sizeof *A.order);
	if (!r || !A.order) {
		free(r);
		return SV_ERR_NOMEM;
	}
	for (size_t i = 0; i < A.n; i++)
		r[i] = (struct ranked){ sample_hash(&A.items[i]), i };
	qsort(r, A.n, sizeof *r, by_hash);
	for (size_t k = 0; k < want && k < ANALYSE_SAMPLE_MAX; k++)
		A.items[r[k].i].sample = 1;
	free(r);
	for (size_t i = 0; i < A.n; i++)
		if (A.pass == STORE_PASS_MAIN || (A.items[i].sample && !A.items[i].main_mine))
			A.order[A.norder++] = i;
	return SV_OK;
}

/* 1 if n bytes at p (sodium_malloc'd) are locked in RAM.  sodium_malloc
 * locks what it allocates but is silent when the system refuses (the
 * RLIMIT_MEMLOCK limit, LimitMEMLOCK= under systemd); locking again, a
 * no-op for locked pages, tells.  errno is set on failure. */
static int locked(void *p, size_t n)
{
	return !p || !n || sodium_mlock(p, n) == 0;
}

/* Notes whether the keys and answers are in locked memory, and says so in
 * the server log when they are not.  Under A.lock. */
static void check_locked(void)
{
	errno = 0;
	A.unlocked = !export_keys_locked(A.keys) || !locked(A.items, A.cap * sizeof *A.items) ||
		!locked(A.text, A.text_cap) || (A.vectors && !sentence_cache_locked(A.vectors)) ||
		(A.model && !classify_locked(A.model));
	if (A.unlocked)
		fprintf(stderr, "survey-server: analysis of %s: the memory holding the keys and answers "
			"could not be locked (%s): they could be written to swap. Raise the server's "
			"memory-lock limit (ulimit -l, or LimitMEMLOCK= in its systemd unit)\n",
			A.consultation, strerror(errno ? errno : ENOMEM));
}

/* The seed words of t: their vectors are kept beside the answers'. */
static size_t seed_words(const struct taxonomy *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nthemes; i++)
		n += (size_t)t->themes[i].nseeds;
	return n;
}

/*
 * Reads the sentence model the first time an analysis opens (28 MB: a
 * server nobody analyses on never holds it), or says in the log and on
 * the pages that suggestions come from words alone.  Under A.lock.
 */
static void load_sentences(void)
{
	if (A.sentences)
		return;
	enum sv_err err = sentence_load(A.model_dir, &A.sentences);
	A.words_only = err != SV_OK;
	if (err)
		fprintf(stderr, "survey-server: the sentence model in %s could not be read (%s): theme "
			"suggestions come from the answers' words alone (make vendor fetches it)\n",
			A.model_dir, sv_err_str(err));
}

/* Opens everything for c with pass (the passphrase in keys already),
 * holding hold (it is the session's now).  Under A.lock; on error nothing
 * stays. */
static enum sv_err open_session(struct server *srv, const struct form_consultation *c,
				const struct staff_session *sess, const char *session, int pass,
				const char *passphrase, struct store_hold *hold)
{
	struct export_result result;
	struct load_codes l = { c->taxonomy, SV_OK };
	struct export_pass p = { .on_response = on_response, .on_batch = on_batch };

	A.hold = hold;
	snprintf(A.consultation, sizeof A.consultation, "%s", c->id);
	snprintf(A.analyst, sizeof A.analyst, "%s", sess->user.name);
	memcpy(A.session, session, sizeof A.session);
	A.pass = pass;
	A.nthemes = c->taxonomy->nthemes;
	enum sv_err err = export_keys_load(srv->store, c->id, srv->key_dir, passphrase, strlen(passphrase),
					   &A.keys);
	if (!err)
		err = load_keys(srv->store, c->id);
	if (!err && A.nkeys)
		err = export_open_each(srv->store, c->id, A.keys, &p, &result);
	if (!err)
		err = store_analysis_each(srv->store, c->id, 0, on_code, &l);
	if (!err)
		err = l.err;
	if (!err && pass == STORE_PASS_MAIN) {
		load_sentences();
		if (A.sentences)
			err = sentence_cache_new(A.sentences, (A.n + seed_words(c->taxonomy)) / 3 * 4 + 4,
						 &A.vectors);
		if (!err)
			err = classify_new(c->taxonomy, A.vectors, &A.model);
	}
	for (size_t i = 0; !err && pass == STORE_PASS_MAIN && i < A.n; i++)
		if (A.items[i].code[0].set)
			teach(&A.items[i], 1);
	if (!err)
		err = choose();
	if (err) {
		wipe();
		return err;
	}
	check_locked();
	A.active = 1;
	A.last_used = time(NULL);
	pthread_cond_broadcast(&A.wake);
	return SV_OK;
}

/* ---- the pages ---- */

/* "14:52 UTC": when the session ends if nobody uses it. */
static void ends_text(char out[32])
{
	time_t due = A.last_used + A.idle;
	struct tm tm;
	gmtime_r(&due, &tm);
	strftime(out, 32, "%H:%M UTC", &tm);
}

static int open_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c,
		     int status, int second, const char *notice, const struct staff_errors *e)
{
	struct render_analyse_open r = { .consultation = c->id, .title = c->title, .csrf = sess->csrf,
					 .second = second, .notice = notice, .idle_minutes = (A.idle + 59) / 60 };
	staff_page_start(&rc->page, sess, "Analyse answers", e);
	render_analyse_open_page(&rc->page, &r, e);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, status);
}

/* Someone else's session, or this person's for another consultation. */
static int in_use(struct req_ctx *rc, const struct staff_session *sess, const char *session)
{
	char text[400], ends[32];

	ends_text(ends);
	if (sodium_memcmp(A.session, session, sizeof A.session) == 0)
		snprintf(text, sizeof text, "You are analysing the answers of another consultation (%s). End "
			 "that analysis first.", A.consultation);
	else
		snprintf(text, sizeof text, "Analysis is in use: %s is analysing answers. One person can "
			 "analyse at a time. If it is left idle, it ends by %s; otherwise ask them to end it.",
			 A.analyst, ends);
	return staff_refuse(rc, sess, 409, "Analysis is in use", text, "/staff/consultations",
			    "Back to the consultations");
}

/* Another server's session (on PostgreSQL, servers share one database).
 * Its holder and idle time are that server's: this one's idle time is
 * what the servers of one service are given alike. */
static int in_use_elsewhere(struct req_ctx *rc, const struct staff_session *sess)
{
	char text[500];

	snprintf(text, sizeof text, "Analysis is in use on another of this service's servers. One person "
		 "can analyse at a time. If it is yours, your pages reached another server than the one "
		 "that opened it: ask whoever runs the service to keep staff pages on one server. "
		 "Otherwise ask whoever is analysing to end it; left idle, it ends after %ld minutes "
		 "unused.", (A.idle + 59) / 60);
	return staff_refuse(rc, sess, 409, "Analysis is in use", text, "/staff/consultations",
			    "Back to the consultations");
}

/* 1 if this request's session holds the analysis of c (and marks it used). */
static int mine(const char *session, const struct form_consultation *c)
{
	if (!A.active || sodium_memcmp(A.session, session, sizeof A.session) != 0 ||
	    strcmp(A.consultation, c->id) != 0)
		return 0;
	A.last_used = time(NULL);
	pthread_cond_broadcast(&A.wake);
	return 1;
}

static long long coded_count(void)
{
	long long n = 0;
	for (size_t k = 0; k < A.norder; k++)
		n += A.items[A.order[k]].code[A.pass - 1].set;
	return n;
}

/* Sends the page, then wipes it: it held an answer. */
static int send_wiped(struct req_ctx *rc, int status)
{
	int sent = http_send_page(rc, status);
	if (rc->page.buf)
		sodium_memzero(rc->page.buf, rc->page.cap);
	return sent;
}

/* Answer pos (1-based) of the list, with code or (a refused form) posted. */
static int answer_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c,
		       size_t pos, int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct item *it = &A.items[A.order[pos - 1]];
	const struct code *code = &it->code[A.pass - 1];
	unsigned char checked[TAXONOMY_MAX_THEMES];
	double conf[TAXONOMY_MAX_THEMES];
	struct render_analyse_why why[TAXONOMY_MAX_THEMES];
	char ends[32];
	const struct taxonomy *tax = c->taxonomy;
	size_t nt = tax->nthemes < A.nthemes ? tax->nthemes : A.nthemes;

	for (size_t t = 0; t < nt; t++) {
		checked[t] = (unsigned char)(posted ? staff_posted_has(posted, "themes[]", tax->themes[t].id) :
					     bit(code, t));
		conf[t] = -1;
		why[t].n = 0;
	}
	if (A.model && A.pass == STORE_PASS_MAIN) {
		struct classify_suggestion s[ANALYSE_MAX_SUGGEST];
		const char *text = A.text + it->text_off;
		int n = classify_suggest(A.model, text, it->text_len, s, ANALYSE_MAX_SUGGEST);
		for (int i = 0; i < n; i++) {
			int t = s[i].theme;
			if ((size_t)t >= nt)
				continue;
			conf[t] = s[i].confidence;
			why[t].n = classify_reasons(A.model, text, it->text_len, t, why[t].word,
						    CLASSIFY_MAX_REASONS);
		}
	}
	ends_text(ends);
	struct render_analyse_answer r = {
		.consultation = c->id, .title = c->title, .csrf = sess->csrf, .pass = A.pass,
		.position = (long long)pos, .total = (long long)A.norder, .coded = coded_count(),
		.question = A.titles[it->key], .text = A.text + it->text_off, .text_len = it->text_len,
		.tax = tax, .checked = checked, .suggested = conf, .why = why,
		.none = posted ? form_body_get(posted, "none") != NULL : code->none,
		.follow = posted ? form_body_get(posted, "follow") != NULL : code->follow,
		.quote = posted ? form_body_get(posted, "quote") != NULL : code->quote,
		.names_checked = posted ? form_body_get(posted, "names_checked") != NULL : code->quote,
		.coded_already = code->set, .ends = ends, .unlocked = A.unlocked,
		.words_only = A.words_only, .kept = A.kept, .suggested_total = A.suggested, .added = A.added,
	};
	staff_page_start(&rc->page, sess, A.pass == 2 ? "Agreement sample" : "Analyse answers", e);
	render_analyse_answer_page(&rc->page, &r, e);
	render_staff_page_end(&rc->page);
	return send_wiped(rc, status);
}

static int done_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c)
{
	struct render_analyse_answer r = { .consultation = c->id, .title = c->title, .csrf = sess->csrf,
					   .pass = A.pass, .total = (long long)A.norder,
					   .coded = coded_count(), .unlocked = A.unlocked, .kept = A.kept,
					   .suggested_total = A.suggested, .added = A.added };
	staff_page_start(&rc->page, sess, "Analyse answers", NULL);
	render_analyse_done_page(&rc->page, &r);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

/* The first answer not coded at or after from (1-based), wrapping; 0 if none. */
static size_t next_uncoded(size_t from)
{
	for (size_t k = 0; k < A.norder; k++) {
		size_t pos = (from - 1 + k) % A.norder + 1;
		if (!A.items[A.order[pos - 1]].code[A.pass - 1].set)
			return pos;
	}
	return 0;
}

/* ?answer=N, 1 to the list's length; 0 without one (or a bad one). */
static size_t query_answer(struct req_ctx *rc)
{
	const struct mg_request_info *ri = mg_get_request_info(rc->conn);
	char v[24] = "";
	long long n = 0;

	if (ri->query_string)
		mg_get_var(ri->query_string, strlen(ri->query_string), "answer", v, sizeof v);
	if (!v[0] || parse_int(v, strlen(v), 1, (long long)A.norder, &n))
		return 0;
	return (size_t)n;
}

static int coding_get(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c)
{
	size_t pos = query_answer(rc);
	if (!pos)
		pos = A.norder ? next_uncoded(1) : 0;
	return pos ? answer_page(rc, sess, c, pos, 200, NULL, NULL) : done_page(rc, sess, c);
}

static int back_to(struct req_ctx *rc, const struct form_consultation *c, const char *rest)
{
	char location[200];
	snprintf(location, sizeof location, "/staff/consultations/%s/analyse%s", c->id, rest);
	return http_send_redirect(rc, location);
}

/* POST .../open */
static int open_post(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c,
		     const char *session)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct store_hold *hold = NULL;
	enum sv_err held;
	int status = staff_read_secret_post(rc, sess, &body);

	if (status)
		return status;
	const char *pass = form_body_get(&body, "passphrase");
	const char *which = form_body_get(&body, "pass");
	int second = which && strcmp(which, "2") == 0;
	if (!pass || !*pass)
		staff_errors_add(&e, "a-passphrase", "Type the passphrase of the secret key");
	if (!which || (strcmp(which, "1") != 0 && !second))
		staff_errors_add(&e, "a-pass-main", "Choose what to code");
	if (e.n) {
		status = open_page(rc, sess, c, 422, second, NULL, &e);
	} else if (A.active) {
		status = mine(session, c) ? back_to(rc, c, "") : in_use(rc, sess, session);
	} else if ((held = store_analysis_hold(rc->srv->store, &hold)) != SV_OK) {
		status = held == SV_ERR_EXISTS ? in_use_elsewhere(rc, sess) :
			http_send_problem(rc, 503, "The answers could not be opened just now.");
	} else {
		/* Charged as a passphrase try before the key is opened (a right
		 * one clears them); never as a password. */
		char why[200];
		long long wait = staff_try(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
		enum sv_err err = wait < 0 ? SV_ERR_DB : wait ? SV_ERR_TOOBIG :
			open_session(rc->srv, c, sess, session, second ? 2 : 1, pass, hold);
		if (wait)
			store_analysis_release(hold);   /* not handed to open_session */
		if (!err)
			staff_try_ok(rc->srv, sess->user.id, STORE_ATTEMPT_PASSPHRASE);
		if (err == SV_ERR_CRYPTO || wait > 0) {
			status = open_page(rc, sess, c, staff_passphrase_refused(&e, "a-passphrase", wait, why,
										 sizeof why), second, NULL, &e);
		} else if (err) {
			status = http_send_problem(rc, 503, "The answers could not be opened just now.");
		} else {
			char detail[PARSE_MAX_ID + 40];
			snprintf(detail, sizeof detail, "%s%s", c->id, A.unlocked ? " (memory not locked)" : "");
			store_audit(rc->srv->store, sess->user.name, second ? "opened analysis (blind sample)" :
				    "opened analysis", detail);
			status = back_to(rc, c, "");
		}
	}
	if (pass)
		sodium_memzero((char *)pass, strlen(pass));
	form_body_free(&body);
	return status;
}

/* Reads the posted code into out and its counted ids; notes problems. */
static void read_code(const struct form_body *body, const struct taxonomy *tax, struct code *out,
		      struct export_code *counted, struct staff_errors *e)
{
	memset(out, 0, sizeof *out);
	memset(counted, 0, sizeof *counted);
	out->set = 1;
	out->none = form_body_get(body, "none") != NULL;
	out->follow = form_body_get(body, "follow") != NULL;
	out->quote = form_body_get(body, "quote") != NULL;
	for (size_t i = 0; i < body->count; i++) {
		if (strcmp(body->fields[i].name, "themes[]") != 0)
			continue;
		int t = taxonomy_theme_index(tax, body->fields[i].value);
		if (t < 0 || (size_t)t >= A.nthemes || bit(out, (size_t)t))
			continue;
		if (counted->nthemes >= STORE_MAX_CODE_THEMES) {
			staff_errors_add(e, "a-none", "Choose at most 40 themes");
			break;
		}
		set_bit(out, (size_t)t);
		snprintf(counted->themes[counted->nthemes], sizeof counted->themes[0], "%s", tax->themes[t].id);
		counted->theme_ptrs[counted->nthemes] = counted->themes[counted->nthemes];
		counted->nthemes++;
		for (int p = 0; p < tax->themes[t].npriorities; p++) {
			int number = tax->themes[t].priorities[p], seen = 0;
			for (size_t k = 0; k < counted->npriorities; k++)
				seen |= counted->priorities[k] == number;
			if (!seen && counted->npriorities < STORE_MAX_CODE_PRIORITIES)
				counted->priorities[counted->npriorities++] = number;
		}
	}
	counted->none = out->none;
	counted->follow = out->follow;
	counted->quote = out->quote;
	if (out->none && counted->nthemes)
		staff_errors_add(e, "a-none", "Choose themes or \xe2\x80\x9cNo theme\xe2\x80\x9d, not both");
	else if (!counted->nthemes && !out->none && !out->follow)
		staff_errors_add(e, "a-none", "Choose at least one theme, or \xe2\x80\x9cNo theme\xe2\x80\x9d");
	if (out->quote && !form_body_get(body, "names_checked"))
		staff_errors_add(e, "a-names", "Check the answer holds no names before marking it a quote");
}

/* The payload of a code, sealed to the public key the consultation's new
 * answers are sealed to (its own, else the server's). */
static enum sv_err seal_code(struct server *srv, const char *consultation, const struct export_code *p,
			     unsigned char **box, size_t *len, char key_id[SEAL_KEY_ID_LEN + 1])
{
	struct seal_public key;
	struct sbuf j;
	enum sv_err err = server_key_for(srv, consultation, &key);

	if (err)
		return err;
	/* A code this session could not open again (the consultation has a
	 * key its passphrase does not open, or one made since it opened) is
	 * not sealed: SV_ERR_CRYPTO, and the analyst is told why. */
	if (!export_key(A.keys, key.id))
		return SV_ERR_CRYPTO;
	sbuf_init(&j, EXPORT_CODE_SEAL_SIZE);
	export_code_payload(p, &j);
	err = j.err ? j.err : seal_box_fixed(&key, j.buf, j.len, EXPORT_CODE_SEAL_SIZE, box, len);
	if (!err)
		snprintf(key_id, SEAL_KEY_ID_LEN + 1, "%s", key.id);
	if (j.buf)
		sodium_memzero(j.buf, j.cap);
	sbuf_free(&j);
	return err;
}

/* POST .../code */
static int code_post(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c)
{
	struct form_body body;
	struct staff_errors e = { 0 };
	struct export_code *now = calloc(2, sizeof *now), *was = now ? now + 1 : NULL;
	struct code code;
	long long number = 0;
	int status = now ? staff_read_post(rc, sess, &body) : http_send_problem(rc, 503, "Not just now.");

	if (status) {
		free(now);
		return status;
	}
	const char *answer = form_body_get(&body, "answer");
	if (!answer || parse_int(answer, strlen(answer), 1, (long long)A.norder, &number)) {
		status = http_send_problem(rc, 400, "That answer is not in this analysis.");
		goto out;
	}
	size_t pos = (size_t)number;
	struct item *it = &A.items[A.order[pos - 1]];
	int slot = A.pass - 1;
	read_code(&body, c->taxonomy, &code, now, &e);
	if (e.n) {
		status = answer_page(rc, sess, c, pos, 422, &body, &e);
		goto out;
	}
	char key_id[SEAL_KEY_ID_LEN + 1];
	unsigned char *box = NULL;
	size_t len = 0;
	struct store_code nc = { .consultation = c->id, .response = it->response,
				 .question = A.keys_of[it->key], .pass = A.pass, .analyst = sess->user.name,
				 .key_id = key_id, .themes = now->theme_ptrs, .nthemes = now->nthemes,
				 .priorities = now->priorities, .npriorities = now->npriorities };
	struct store_code oc = nc;
	enum sv_err err = seal_code(rc->srv, c->id, now, &box, &len, key_id);
	/* What the stored code counted: read from its own box. */
	if (!err && it->box[slot])
		err = export_code_open(A.keys, it->box_key[slot], it->box[slot], it->box_len[slot], was);
	if (!err) {
		nc.sealed = box;
		nc.sealed_len = len;
		if (it->box[slot]) {
			oc.sealed = it->box[slot];
			oc.sealed_len = it->box_len[slot];
			oc.themes = was->theme_ptrs;
			oc.nthemes = was->nthemes;
			oc.priorities = was->priorities;
			oc.npriorities = was->npriorities;
		}
		err = store_analysis_code(rc->srv->store, &nc, it->box[slot] ? &oc : NULL);
	}
	if (err == SV_ERR_CRYPTO && !box) {
		status = staff_refuse(rc, sess, 409, "Another key", "Codes are sealed to this consultation's "
				      "current key, which the passphrase this analysis was opened with does not "
				      "open (or a new key was made since). End the analysis and open it with that "
				      "key's passphrase.", "/staff/consultations", "Back to the consultations");
		goto out;
	}
	if (err == SV_ERR_EXISTS) {
		free(box);
		status = staff_refuse(rc, sess, 409, "Changed meanwhile", "This answer's code changed since "
				      "it was opened. End the analysis and open it again.", "/staff/consultations",
				      "Back to the consultations");
		goto out;
	}
	if (err) {
		free(box);
		status = http_send_problem(rc, 503, "The code could not be saved just now.");
		goto out;
	}
	if (slot == 0 && !it->code[0].set)
		score_suggestions(it, &code);
	if (slot == 0)
		teach(it, 0);
	free(it->box[slot]);
	it->box[slot] = box;
	it->box_len[slot] = len;
	memcpy(it->box_key[slot], key_id, sizeof key_id);
	it->code[slot] = code;
	if (slot == 0)
		teach(it, 1);
	size_t next = pos < A.norder ? next_uncoded(pos + 1) : next_uncoded(1);
	char rest[40];
	snprintf(rest, sizeof rest, next ? "?answer=%zu" : "", next);
	status = back_to(rc, c, rest);
out:
	sodium_memzero(&code, sizeof code);
	if (now)
		sodium_memzero(now, 2 * sizeof *now);
	free(now);
	form_body_free(&body);
	return status;
}

static int agreement_page(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c)
{
	size_t nt = A.nthemes, both = 0, sample = 0;
	unsigned char *first = calloc(A.n ? A.n * nt : 1, 1), *second = calloc(A.n ? A.n * nt : 1, 1);
	double kappa[TAXONOMY_MAX_THEMES], overall = NAN;
	long long nfirst[TAXONOMY_MAX_THEMES] = { 0 }, nsecond[TAXONOMY_MAX_THEMES] = { 0 };

	if (!first || !second) {
		free(first);
		free(second);
		return http_send_problem(rc, 503, "Not just now.");
	}
	for (size_t i = 0; i < A.n; i++) {
		const struct item *it = &A.items[i];
		sample += it->sample;
		if (!it->sample || !it->code[0].set || !it->code[1].set)
			continue;
		for (size_t t = 0; t < nt; t++) {
			first[both * nt + t] = (unsigned char)bit(&it->code[0], t);
			second[both * nt + t] = (unsigned char)bit(&it->code[1], t);
			nfirst[t] += first[both * nt + t];
			nsecond[t] += second[both * nt + t];
		}
		both++;
	}
	for (size_t t = 0; t < nt; t++)
		kappa[t] = NAN;
	if (both)
		classify_kappa_codes((int)nt, (long)both, first, second, kappa, &overall);
	free(first);
	free(second);
	struct render_analyse_agreement r = { .consultation = c->id, .title = c->title, .csrf = sess->csrf,
					      .tax = c->taxonomy, .both = (long long)both,
					      .sample = (long long)sample, .kappa = kappa, .first = nfirst,
					      .second = nsecond, .overall = overall };
	staff_page_start(&rc->page, sess, "Agreement between analysts", NULL);
	render_analyse_agreement_page(&rc->page, &r);
	render_staff_page_end(&rc->page);
	return http_send_page(rc, 200);
}

static const struct staff_notice notices[] = { { "ended", "Analysis ended: the key and the answers "
						 "are wiped from memory." } };

int analyse_route(struct req_ctx *rc, const struct staff_session *sess, const struct form_consultation *c,
		  const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	char session[65];
	int status;

	if (staff_session_id(rc, session))
		return http_send_problem(rc, 403, "Sign in again.");
	/* Its pages hold decrypted answers: wiped as the page grows and when
	 * it is freed, not left in freed memory. */
	sbuf_wipe_always(&rc->page);
	int is_open = http_path_is(rest, "/open"), is_code = http_path_is(rest, "/code");
	int is_end = http_path_is(rest, "/end"), is_agree = http_path_is(rest, "/agreement");
	if (!rest[0] || is_agree) {
		if (!get)
			return http_send_not_allowed(rc, "GET, HEAD", "Not that way.");
	} else if (is_open || is_code || is_end) {
		if (!post)
			return http_send_not_allowed(rc, "POST", "Use the page's buttons.");
	} else {
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	}
	if (c->taxonomy->nthemes > TAXONOMY_MAX_THEMES)
		return http_send_problem(rc, 503, "Too many themes to analyse.");
	pthread_mutex_lock(&A.lock);
	int held = mine(session, c);
	if (is_open) {
		status = open_post(rc, sess, c, session);
	} else if (is_end) {
		struct form_body body;
		status = staff_read_post(rc, sess, &body);
		if (!status) {
			form_body_free(&body);
			if (held)
				end_session(rc->srv, "ended by the analyst");
			status = back_to(rc, c, held ? "?done=ended" : "");
		}
	} else if (!held && A.active) {
		status = in_use(rc, sess, session);
	} else if (!held) {
		status = is_agree || is_code ? back_to(rc, c, "") :
			open_page(rc, sess, c, 200, 0, staff_done_notice(rc, notices, 1), NULL);
	} else if (c->taxonomy->nthemes != A.nthemes) {
		end_session(rc->srv, "the themes changed");
		status = back_to(rc, c, "");
	} else if (is_code) {
		status = code_post(rc, sess, c);
	} else if (is_agree) {
		status = agreement_page(rc, sess, c);
	} else {
		status = coding_get(rc, sess, c);
	}
	pthread_mutex_unlock(&A.lock);
	return status;
}
