/*
 * connlimit.h - open connections per client address, counted in memory only.
 *
 * civetweb gives every connection a worker thread from the moment it is
 * accepted, and a client that sends its request head a byte a second holds
 * that thread until the head deadline (LIMIT_REQUEST_MS).  Counting each
 * address's open connections, and refusing one more past its cap when it is
 * accepted, keeps one address from holding more than its share of the
 * threads however slowly it talks (http.c does the refusing).
 *
 * An address is known only by a keyed hash (BLAKE2b, a random key made at
 * start), kept only while it has a connection open: when its count falls to
 * zero the entry is wiped.  The address itself is never stored or logged.
 */
#ifndef SV_CONNLIMIT_H
#define SV_CONNLIMIT_H

#include "../core/limits.h"

#define CONN_DEFAULT_PER_CLIENT LIMIT_CONNECTIONS_PER_CLIENT /* open at once, per address */
#define CONN_SLOTS 4096   /* addresses tracked at once: far above the threads
                           * and queue, so the table never fills */

struct conn_limit;

/* per_client 0 turns the cap off (conn_limit_take always says yes).  NULL
 * if out of memory. */
struct conn_limit *conn_limit_new(unsigned per_client);
void conn_limit_free(struct conn_limit *cl);

/* 1 if addr may open one more connection now, and counts it; 0 if addr is
 * at its cap (nothing counted).  Call conn_limit_give once for each 1. */
int conn_limit_take(struct conn_limit *cl, const char *addr);

/* One of addr's counted connections has closed. */
void conn_limit_give(struct conn_limit *cl, const char *addr);

#endif
