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
 *   ID.public   the public key, as text
 *   ID.secret   the secret key, encrypted under the passphrase, as text
 *   active      the ID that new responses are sealed to
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
