/*
 * serverkey.c - the public key the server seals to, including one made after
 * the server started.
 *
 * At a terminal, serve makes a key on first start and shows its passphrase
 * there.  With no terminal (a service, a container) it makes none, since the
 * passphrase could only reach a log, and starts anyway: pages are served and
 * /healthz answers, but nothing can be sealed until an operator runs
 * `survey-server keygen`.  server_key() then finds the new key by itself,
 * looking at keys/ at most once a second, so no restart is needed.  Once a
 * key is loaded it never changes for the life of the process (a rotated key
 * is taken up at the next start).
 *
 * A consultation with a key of its own (keys/consultation-C, made by
 * `survey-server keygen --consultation C`) has its answers sealed to that
 * key instead: server_key_for looks at its pointer at most once a second, so
 * a key made or rotated while the server runs is taken up within a second,
 * with no restart.  A pointer that cannot be read as a key made for C stops
 * C's sealing (503, answers kept) rather than sealing to any other key.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server.h"

#define SERVER_KEY_RECHECK_S 1   /* how often keys/ is looked at while there is no key */

static long long monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

enum sv_err server_key(struct server *srv, const struct seal_public **out)
{
	enum sv_err rc = SV_OK;

	*out = NULL;
	if (__atomic_load_n(&srv->key_ready, __ATOMIC_ACQUIRE)) {
		*out = &srv->key;
		return SV_OK;
	}
	pthread_mutex_lock(&srv->key_lock);
	long long now = monotonic_seconds();
	if (!srv->key_ready && now - srv->key_checked >= SERVER_KEY_RECHECK_S) {
		srv->key_checked = now;
		rc = seal_public_load_active(srv->key_dir, &srv->key);
		if (!rc) {
			__atomic_store_n(&srv->key_ready, 1, __ATOMIC_RELEASE);
			fprintf(stderr, "survey-server: found key %s; answers are sealed to it from now on\n",
				srv->key.id);
		}
	}
	if (srv->key_ready)
		*out = &srv->key;
	else if (!rc || rc == SV_ERR_NOTFOUND)
		rc = SV_ERR_NOTFOUND;
	pthread_mutex_unlock(&srv->key_lock);
	return *out ? SV_OK : rc;
}

/* ---- a consultation's own key ---- */

#define CONSULT_KEYS_MAX 64          /* consultations remembered; more are looked up each time */

/* What keys/consultation-C said when last looked at, per consultation. */
static struct consult_key {
	char id[SEAL_CONSULTATION_MAX + 1];   /* the consultation */
	int has;                              /* it has a key of its own: pub */
	struct seal_public pub;
	enum sv_err err;                      /* its pointer could not be trusted */
	long long checked;                    /* monotonic seconds */
} consult_keys[CONSULT_KEYS_MAX];
static int nconsult_keys;
static pthread_mutex_t consult_lock = PTHREAD_MUTEX_INITIALIZER;

/* Looks at consultation's pointer: SV_OK with its key in e (has set), or
 * has cleared when it has none; an error when it cannot be trusted. */
static enum sv_err look(struct server *srv, struct consult_key *e)
{
	struct seal_public pub;
	enum sv_err rc = seal_public_load_for(srv->key_dir, e->id, &pub);

	if (rc == SV_ERR_NOTFOUND) {
		e->has = 0;
		return SV_OK;
	}
	if (rc) {
		fprintf(stderr, "survey-server: the key of consultation %s cannot be read (%s); its answers "
			"are not taken until it is put right\n", e->id, sv_err_str(rc));
		return rc;
	}
	if (!e->has || strcmp(e->pub.id, pub.id) != 0)
		fprintf(stderr, "survey-server: consultation %s: its answers are sealed to its own key %s "
			"from now on\n", e->id, pub.id);
	e->pub = pub;
	e->has = 1;
	return SV_OK;
}

enum sv_err server_key_for(struct server *srv, const char *consultation, struct seal_public *out)
{
	struct consult_key *e = NULL, scratch;
	enum sv_err rc = SV_OK;

	pthread_mutex_lock(&consult_lock);
	for (int i = 0; i < nconsult_keys && !e; i++)
		if (strcmp(consult_keys[i].id, consultation) == 0)
			e = &consult_keys[i];
	if (!e) {
		e = nconsult_keys < CONSULT_KEYS_MAX ? &consult_keys[nconsult_keys++] : &scratch;
		memset(e, 0, sizeof *e);
		snprintf(e->id, sizeof e->id, "%s", consultation);
		e->checked = -1000000;
	}
	long long now = monotonic_seconds();
	if (now - e->checked >= SERVER_KEY_RECHECK_S) {
		e->err = look(srv, e);
		e->checked = now;
	}
	rc = e->err;
	int has = !rc && e->has;
	if (has)
		*out = e->pub;
	pthread_mutex_unlock(&consult_lock);
	if (rc || has)
		return rc;
	const struct seal_public *shared = NULL;
	rc = server_key(srv, &shared);
	if (!rc)
		*out = *shared;
	return rc;
}
