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
 */
#include <pthread.h>
#include <stdio.h>
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
