/*
 * keycmd.h - survey-server's key custody commands (keycmd.c): the
 * passphrase of a key changed or checked, its secret split into recovery
 * shares and rebuilt from them, the keys listed (docs/keys.md).
 *
 *   survey-server key list|check|passphrase|split|recover [--data DIR]
 *                     [--key ID | --consultation ID] ...
 *
 * Also the pieces keygen and serve's first start share with them: the
 * operator's terminal, and handing out the shares of a new key.
 */
#ifndef SV_KEYCMD_H
#define SV_KEYCMD_H

#include <stddef.h>

#include "../core/seal.h"
#include "../core/shares.h"

/* What the key commands are given (main.c parses the command line). */
struct key_options {
	const char *data;                          /* --data */
	const char *db;                            /* --db URL, or NULL: SQLite in data */
	const char *key;                           /* --key ID, or NULL: the active key */
	const char *consultation;                  /* --consultation ID: its own current key */
	const char *passphrase_file;               /* --passphrase-file (the current one) */
	const char *new_passphrase_file;           /* --new-passphrase-file */
	const char *shares;                        /* --shares N (how many to make) */
	const char *threshold;                     /* --threshold K (how many recover it) */
	const char *share_files[SHARES_MAX_N + 1]; /* --share-file, each time given */
	int nshare_files;
	int too_many_share_files;                  /* --share-file given more often than that */
};

/* `survey-server key VERB ...`: the exit status (0, 1 runtime, 2 usage),
 * having said on one line what went wrong. */
int key_command(const char *verb, const struct key_options *o);

/*
 * keygen --shares N --threshold K [--share-file FILE...]: checks the
 * options before any key is made (0 if good, else the exit status, having
 * said why), into *n and *k; key_split_hand_out then splits s and hands
 * the shares out (to the files, else on the terminal, one at a time),
 * audit-logged as who.  0, or 1 having said why.
 */
int key_split_options(const struct key_options *o, int *n /* OUT */, int *k /* OUT */);
int key_split_hand_out(const struct key_options *o, const struct seal_secret *s, int n, int k);

/*
 * 0 if consultation is one the data folder's database knows (the server has
 * started with it), else the exit status, having said why: a key is made
 * only for a consultation that is there, never for a mistyped id.
 */
int key_consultation_known(const char *data, const char *db, const char *consultation);

/* Writes "made a key" (detail: the id) to the data folder's audit log. */
void key_audit(const char *data, const char *db, const char *action, const char *detail);

/*
 * The terminal an operator is at, open for writing, or -1.  Standard input
 * must be a terminal too: someone is there to read what appears.  Written
 * to /dev/tty, never to standard error, which may be a log even when a
 * terminal is open (make run 2>log, | tee, a service manager's pipe).
 */
int key_operator_terminal(void);
/* Writes all n bytes to fd; 0, or -1 if it could not. */
int key_write_all(int fd, const char *p, size_t n);

#endif
