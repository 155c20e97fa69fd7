/*
 * seal.h - keys and sealed boxes: how a response becomes unreadable to anyone
 * without the secret key.
 *
 * The server holds only the public key.  Each payload is padded to a whole
 * number of SEAL_PAD_BLOCK bytes (so its length says little about how much
 * was written) and sealed with crypto_box_seal.  The secret key lives only in
 * a file encrypted under a passphrase (Argon2id, then secretbox) and in
 * locked, wiped memory while an export runs.
 *
 * Key folder layout (DATA/keys/):
 *   ID.public   the public key, as text (with "consultation C" for a key
 *               that serves one consultation only)
 *   ID.secret   the secret key, encrypted under the passphrase, as text
 *   active      the ID that new responses are sealed to: the server's key,
 *               for every consultation without a key of its own
 *   consultation-C
 *               the ID that consultation C's new answers are sealed to (its
 *               current key; earlier ones stay, for what they sealed)
 * ID is the first 8 bytes of BLAKE2b(public key) in hex, so a file cannot
 * claim a key that is not its own.
 */
#ifndef SV_SEAL_H
#define SV_SEAL_H

#include <stddef.h>

#include <sodium.h>

#include "err.h"

#define SEAL_KEY_ID_LEN 16       /* hex characters in a key id */
#define SEAL_PAD_BLOCK 1024      /* payloads are padded to a multiple of this */
#define SEAL_MAX_PLAINTEXT (256 * 1024) /* bytes in one payload before padding */
#define SEAL_PASSPHRASE_WORDS 6  /* groups in a generated passphrase */
#define SEAL_SECRET_BYTES crypto_box_SECRETKEYBYTES /* a secret key, raw */
#define SEAL_MAX_KEYS 64         /* keys one folder may list (seal_key_list) */
#define SEAL_MIN_PASSPHRASE 12   /* bytes in a chosen passphrase, at least */
#define SEAL_CONSULTATION_MAX 48 /* bytes in a consultation's id (LIMIT_ID_BYTES) */

struct seal_public {
	char id[SEAL_KEY_ID_LEN + 1];                  /* hex key id */
	unsigned char pk[crypto_box_PUBLICKEYBYTES];   /* X25519 public key */
};

struct seal_secret;  /* opaque: lives in sodium_malloc'd, locked memory */

/* Strength of the passphrase hash (Argon2id, 64 MiB): MODERATE for real
 * keys (3 passes, about half a second), INTERACTIVE for tests. */
enum seal_kdf_cost { SEAL_KDF_MODERATE, SEAL_KDF_INTERACTIVE };

/*
 * Makes a key pair, writes ID.public and ID.secret under keydir (created if
 * missing) and marks it active.  The secret key is written only encrypted
 * under passphrase.
 */
enum sv_err seal_key_create(const char *keydir, const char *passphrase,
			    size_t passlen, enum seal_kdf_cost cost,
			    struct seal_public *out /* OUT */);

/*
 * The same for one consultation's own key: ID.public says "consultation
 * C", and consultation-C names it, in place of active (which stays the
 * server's).  A key made again for C (a rotation) becomes C's current key;
 * the earlier stays for what it sealed.  SV_ERR_INVALID for a consultation
 * id that is not 1 to SEAL_CONSULTATION_MAX of a-z, 0-9 and '-'.
 */
enum sv_err seal_key_create_for(const char *keydir, const char *consultation, const char *passphrase,
				size_t passlen, enum seal_kdf_cost cost, struct seal_public *out /* OUT */);

/*
 * Loads consultation's current key (consultation-C), checked to be a key
 * made for it.  SV_ERR_NOTFOUND if it has none: its answers are sealed to
 * the active key.  SV_ERR_INVALID if the folder is inconsistent (then seal
 * nothing rather than to some other key).
 */
enum sv_err seal_public_load_for(const char *keydir, const char *consultation,
				 struct seal_public *out /* OUT */);

/* 1 if s is a consultation id as key files take it. */
int seal_consultation_ok(const char *s);

/* Loads the active public key.  SV_ERR_NOTFOUND if there is none yet. */
enum sv_err seal_public_load_active(const char *keydir,
				    struct seal_public *out /* OUT */);

/*
 * Opens ID.secret with passphrase.  SV_ERR_CRYPTO for a wrong passphrase,
 * SV_ERR_NOTFOUND for no such key.  Free with seal_secret_free.
 */
enum sv_err seal_secret_load(const char *keydir, const char *id,
			     const char *passphrase, size_t passlen,
			     struct seal_secret **out /* OUT */);
const char *seal_secret_id(const struct seal_secret *s);
void seal_secret_free(struct seal_secret *s);
/* 1 if s's memory is locked in RAM, 0 if the system refused to lock it
 * (RLIMIT_MEMLOCK), errno set: it could then be swapped to disk. */
int seal_secret_locked(struct seal_secret *s);

/* ---- custody (docs/keys.md): passphrases, recovery shares, the list ----
 * None of these touches a sealed answer: a key pair never changes, only
 * how its secret is kept. */

/* Loads the public key id (any key, active or not).  SV_ERR_NOTFOUND if
 * there is no such key. */
enum sv_err seal_public_load(const char *keydir, const char *id,
			     struct seal_public *out /* OUT */);

/* What the key folder holds about one key. */
struct seal_key_info {
	char id[SEAL_KEY_ID_LEN + 1];   /* hex key id */
	char created[11];               /* YYYY-MM-DD it was made, "" if unknown */
	char consultation[SEAL_CONSULTATION_MAX + 1]; /* the one it serves; "" the server's key */
	int active;                     /* new answers (of its consultation) are sealed to it */
	int has_secret;                 /* ID.secret is there */
};

/* The consultation key id serves into out ("" for a server key).
 * SV_ERR_NOTFOUND if there is no such key. */
enum sv_err seal_key_consultation(const char *keydir, const char *id,
				  char out[SEAL_CONSULTATION_MAX + 1] /* OUT */);

/* The keys of keydir by the day made (one day's by id), into out (up to
 * max); *n how many.  SV_ERR_NOTFOUND with no key folder; SV_ERR_TOOBIG past max. */
enum sv_err seal_key_list(const char *keydir, struct seal_key_info *out /* OUT */, int max,
			  int *n /* OUT */);

/*
 * Re-seals ID.secret under new_pass, once old_pass opens it, under the key
 * folder's lock (so two changes at once run one after the other).  The
 * file is replaced whole: temporary file, fsync, rename, fsync of the
 * folder.  SV_ERR_CRYPTO for a wrong old_pass (nothing written),
 * SV_ERR_NOTFOUND for no such key.
 */
enum sv_err seal_secret_repass(const char *keydir, const char *id, const char *old_pass,
			       size_t old_len, const char *new_pass, size_t new_len,
			       enum seal_kdf_cost cost);

/* The raw secret key (SEAL_SECRET_BYTES), in s's locked memory: only for
 * splitting it into recovery shares. */
const unsigned char *seal_secret_bytes(const struct seal_secret *s);

/*
 * A secret key rebuilt from recovery shares, checked against ID.public:
 * SV_ERR_CRYPTO unless its public key is exactly that one; SV_ERR_NOTFOUND
 * for no such key.  Free with seal_secret_free.
 */
enum sv_err seal_secret_from_bytes(const char *keydir, const char *id,
				   const unsigned char sk[SEAL_SECRET_BYTES],
				   struct seal_secret **out /* OUT */);

/* Writes s as ID.secret under passphrase (replacing any, as
 * seal_secret_repass does), under the key folder's lock. */
enum sv_err seal_secret_save(const char *keydir, const struct seal_secret *s,
			     const char *passphrase, size_t passlen, enum seal_kdf_cost cost);

/* Pads and seals msg.  *out is malloc'd; its length is a multiple of
 * SEAL_PAD_BLOCK plus crypto_box_SEALBYTES. */
enum sv_err seal_box(const struct seal_public *key, const void *msg, size_t len,
		     unsigned char **out /* OUT */, size_t *outlen /* OUT */);

/*
 * The same, padded to at least min_size bytes (a multiple of SEAL_PAD_BLOCK)
 * before sealing: give every response of a survey one size, the largest its
 * answers can normally take, and no two responses differ in length.
 */
enum sv_err seal_box_padded(const struct seal_public *key, const void *msg, size_t len,
			    size_t min_size, unsigned char **out /* OUT */,
			    size_t *outlen /* OUT */);

/*
 * Pads msg to exactly size bytes (a multiple of SEAL_PAD_BLOCK) and seals
 * it: every box it makes for one size has the same length, size +
 * crypto_box_SEALBYTES.  SV_ERR_TOOBIG, and nothing sealed, when msg does not
 * fit (len + 1 > size: the padding needs one byte), rather than a longer box.
 */
enum sv_err seal_box_fixed(const struct seal_public *key, const void *msg, size_t len,
			   size_t size, unsigned char **out /* OUT */,
			   size_t *outlen /* OUT */);

/* Opens and unpads a sealed box.  *msg is NUL-ended; release it with
 * seal_plain_free, which wipes it.  SV_ERR_CRYPTO if it was altered. */
enum sv_err seal_open(const struct seal_secret *key, const unsigned char *box,
		      size_t boxlen, char **msg /* OUT */, size_t *len /* OUT */);
void seal_plain_free(char *msg);

/* Writes a random passphrase such as "kdbw-7fqz-..." (NUL-ended) into out,
 * which must hold SEAL_PASSPHRASE_WORDS * 5 bytes. */
void seal_passphrase_generate(char *out);

#endif
